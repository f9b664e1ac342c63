// The search page: asks the Pagefind index the build wrote under /pagefind/, in the browser, as the reader types.
// Without script the form still sends ?q= to this page; with it, that query is filled in and run. Pagefind's files
// are fetched on first use (focus, typing or a ?q=), and results only ever add below the form.
(function () {
  "use strict";
  const form = document.querySelector(".search-form");
  const input = form && form.querySelector("input[name=q]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  if (!input || !status || !list || !more) { return; }
  const words = status.dataset;  // the page's language: search.html puts what to say in data attributes
  const PAGE = 10;  // results shown at a time: each one is a fragment to fetch
  let pagefind = null;
  let current = { query: "", results: [], shown: 0 };
  let timer = 0;

  function load() {
    if (!pagefind) {
      pagefind = import("/pagefind/pagefind.js").then(async function (module) {
        await module.options({ noWorker: true });  // search in the page: one script less to fetch (41 KB)
        module.init();
        return module;
      });
    }
    return pagefind;
  }

  function item(data) {
    const entry = document.createElement("li");
    entry.className = "search-result";
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;  // metadata is raw text: never markup
    heading.append(link);
    entry.append(heading);
    const about = [data.meta.byline, data.meta.date, data.meta.section].filter(Boolean).join(" · ");
    if (about) {
      const line = document.createElement("p");
      line.className = "meta";
      line.textContent = about;
      entry.append(line);
    }
    const excerpt = document.createElement("p");
    excerpt.innerHTML = data.excerpt;  // Pagefind escapes the page's text and adds only <mark>
    entry.append(excerpt);
    return entry;
  }

  async function showMore(search) {
    const next = search.results.slice(search.shown, search.shown + PAGE);
    const found = await Promise.all(next.map(function (result) { return result.data(); }));
    if (search !== current) { return; }  // the reader has asked something else meanwhile
    list.append(...found.map(item));
    search.shown += found.length;
    more.hidden = search.shown >= search.results.length;
    const total = search.results.length;
    status.textContent = total === 0 ? words.none.replace("{query}", function () { return search.query; })
      : (total === 1 ? words.one : words.many).replace("{num}", function () { return String(total); });
  }

  async function run(query) {
    const search = { query: query.trim(), results: [], shown: 0 };
    current = search;
    const url = new URL(location.href);
    if (search.query) { url.searchParams.set("q", search.query); } else { url.searchParams.delete("q"); }
    history.replaceState(null, "", url);
    list.replaceChildren();
    more.hidden = true;
    if (!search.query) { status.textContent = ""; return; }
    status.textContent = words.searching;
    try {
      search.results = (await (await load()).search(search.query)).results;
      await showMore(search);
    } catch (error) {
      if (search === current) { status.textContent = words.unavailable; }
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 250);
  });
  input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
  more.addEventListener("click", function () { showMore(current); });
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) {
    input.value = asked;
    run(asked);
  }
})();
