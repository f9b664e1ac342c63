// Breaking-news alerts (alerts.yaml, published as /alerts.json): fetched when a page loads and every minute while
// the tab is visible, so an alert reaches every page without rewriting any. Shown in the page's fixed status
// region, which screen readers announce; each has a button to dismiss it for the rest of the visit.
(function () {
  "use strict";
  const region = document.querySelector(".alerts[data-alerts]");
  if (!region || !window.fetch) { return; }
  const EVERY = 60000;
  const dismissed = new Set(JSON.parse(sessionStorage.getItem("newsgen-dismissed") || "[]"));
  let shown = "";

  function dismiss(id) {
    dismissed.add(id);
    sessionStorage.setItem("newsgen-dismissed", JSON.stringify(Array.from(dismissed)));
    const item = region.querySelector('[data-id="' + id + '"]');
    if (item) { item.remove(); }
  }

  function item(alert) {
    const p = document.createElement("p");
    p.className = "alert alert-" + alert.level;
    p.dataset.id = alert.id;
    const level = document.createElement("strong");
    level.className = "alert-level";
    level.textContent = region.dataset[alert.level] || region.dataset.info;
    p.append(level, " ");
    // Text and URL are set as text and attribute, never as HTML: alerts.yaml is plain text.
    if (alert.url) {
      const link = document.createElement("a");
      link.href = alert.url;
      link.textContent = alert.text;
      p.append(link);
    } else {
      p.append(alert.text);
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "alert-dismiss";
    button.setAttribute("aria-label", region.dataset.dismiss);
    button.textContent = "\u00d7";
    button.addEventListener("click", function () { dismiss(alert.id); });
    p.append(" ", button);
    return p;
  }

  function show(alerts) {
    const now = Date.now();
    const live = alerts.filter(function (alert) {
      return !dismissed.has(alert.id) && !(alert.until && Date.parse(alert.until) <= now);
    });
    const ids = live.map(function (alert) { return alert.id; }).join(" ");
    if (ids === shown) { return; }
    shown = ids;
    region.replaceChildren.apply(region, live.map(item));
  }

  function load() {
    fetch(region.dataset.alerts, { credentials: "same-origin", cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) { show(Array.isArray(data.alerts) ? data.alerts : []); })
      .catch(function () { /* the alerts shown stay */ });
  }

  // What the page was built with: dismissible at once, and already counted as shown.
  for (const p of region.querySelectorAll(".alert[data-id]")) {
    if (dismissed.has(p.dataset.id)) { p.remove(); continue; }
    p.append(" ", item({ id: p.dataset.id, level: "info", text: "" }).querySelector("button"));
  }
  shown = Array.from(region.querySelectorAll(".alert[data-id]"), function (p) { return p.dataset.id; }).join(" ");
  load();
  let timer = setInterval(load, EVERY);
  document.addEventListener("visibilitychange", function () {
    clearInterval(timer);
    if (document.visibilityState === "visible") { load(); timer = setInterval(load, EVERY); }
  });
})();
