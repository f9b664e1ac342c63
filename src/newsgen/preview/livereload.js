/* newsgen preview: reload this tab when its page changes, swap stylesheets when only CSS
   changes, and show the latest build's problems over the last good page. Injected by
   `newsgen serve` into the HTML it serves; never written to disk. */
(function () {
  "use strict";
  var script = document.currentScript;
  var page = script.dataset.page;
  var instance = script.dataset.instance;
  var seen = Number(script.dataset.build);
  var overlay = null;

  function showProblems(heading, lines) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "newsgen-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:1rem 1.25rem;" +
        "border-top:4px solid #e11d48;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = heading + "\n\n" + lines.join("\n");
  }

  function hideProblems() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("newsgen", String(Date.now()));
      link.href = url.toString();
    });
  }

  var events = new EventSource("/__newsgen__/events");
  events.addEventListener("build", function (message) {
    var build = JSON.parse(message.data);
    if (build.instance !== instance || build.number > seen + 1) { location.reload(); return; }
    var isNew = build.number > seen;
    seen = build.number;
    if (build.problems.length) {
      showProblems("newsgen: the last build failed; this page is the last good version.", build.problems);
      return;
    }
    if (build.held.length) {
      showProblems("newsgen: built without these stories, held back for their errors " +
        "(a story published before keeps its last good version):", build.held);
    } else {
      hideProblems();
    }
    if (!isNew) return;
    if (build.css_only) swapStylesheets();
    else if (!page || build.changed.indexOf(page) >= 0) location.reload();
  });
})();
