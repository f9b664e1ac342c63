// The "Latest news" rail: article pages load it from one small page (/latest/), so a new story
// changes that page instead of every article. Without script, the box keeps its link to the front page.
(function () {
  "use strict";
  for (const box of document.querySelectorAll("section[data-latest]")) {
    fetch(box.dataset.latest, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        const items = new DOMParser().parseFromString(html, "text/html").querySelector(".latest-items");
        if (!items) { return; }
        const count = Number(box.dataset.count);
        const entries = Array.from(items.querySelectorAll(".latest-item"));
        const others = entries.filter(function (item) { return item.dataset.url !== location.pathname; });
        const fallback = box.querySelector(".latest-fallback");
        for (const item of others.slice(0, count)) {
          const recap = document.importNode(item.firstElementChild, true);
          for (const heading of recap.querySelectorAll("h2")) {  // one level below the box's own heading
            const lower = document.createElement("h3");
            lower.className = heading.className;
            lower.append(...heading.childNodes);
            heading.replaceWith(lower);
          }
          box.insertBefore(recap, fallback);
        }
        fallback.remove();
      })
      .catch(function () { /* the link to the front page stays */ })
      .finally(function () { box.classList.remove("latest-loading"); });
  }
})();
