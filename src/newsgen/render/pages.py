"""Stage 3: every page of the site as a spec, its key, and its bytes.

A spec is plain data: the page's URL, its kind, its settings, and the ids of
the articles it shows (directly, or through a named pool such as "the newest
articles"). A page's key covers everything its bytes depend on: the spec, the
fingerprints of those articles, the templates it uses, the config and
newsgen's own code. So a build can skip a page whose key has not changed and
still give exactly the bytes of a full build, and because specs hold no
articles, a later build can store them and re-render one page from the cache.

Pages go through Jinja2 with autoescape and StrictUndefined: a typo in a
template is an error, not a blank, and every front-matter string is escaped
as text. A site's own `templates/` override the theme's of the same name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import jinja2
import jinja2.meta
from markupsafe import Markup

from newsgen import dates
from newsgen.site import related
from newsgen.build.cache import code_version
from newsgen.config import SiteConfig
from newsgen.models import Article, ListPage, PageSpec, SeriesNav, Site, TagCount, Term, article_id
from newsgen.render.outputs import feeds, sitemaps, structured
from newsgen.urls import (
    CORRECTIONS_URL, JSON_FEED_URL, NEWS_SITEMAP_URL, NOT_FOUND_URL, ROBOTS_URL, SCHEDULE_URL, absolute_url, feed_url,
)  # fmt: skip

LATEST_POOL = "latest"
TEMPLATES = {"article": "article.html", "list": "list.html", "tags": "tags.html", "corrections": "corrections.html", "404": "404.html"}


@dataclass(frozen=True)
class PageJob:
    url: str
    key: bytes
    render: Callable[[], bytes]


def _ids(articles: Iterable[Article]) -> tuple[str, ...]:
    return tuple(article_id(article) for article in articles)


def make_environment(template_dirs: list[Path], config: SiteConfig, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """The compiled template set; with `bytecode_dir`, compiled templates are kept on disk between builds."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a session makes a new environment when template files change; no stat per page
        bytecode_cache=_bytecode_cache(bytecode_dir),
    )
    zone = config.timezone
    env.filters["long_date"] = lambda moment: dates.long_date(moment, zone)
    env.filters["short_date"] = lambda moment: dates.short_date(moment, zone)
    env.filters["date_time"] = lambda moment: dates.date_time(moment, zone)
    env.filters["iso"] = dates.iso
    env.filters["plural"] = lambda count, one, many: one if count == 1 else many
    env.filters["absolute"] = lambda url: absolute_url(config.base_url, url)
    env.globals["recap"] = _RecapCache(env)
    return env


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # compiling every time is slower, never wrong
    return jinja2.FileSystemBytecodeCache(str(folder))


class _RecapCache:
    """`recap(article, heading)` in templates: the `recap` macro of `_macros.html`, rendered once per article.

    The same recap appears on many pages (lists, 'Latest news', 'More on this');
    rendering it once per article and heading instead of once per appearance
    is most of a large site's page-rendering time. Keyed by the article's
    fingerprint, so an edited article gets a fresh recap.
    """

    def __init__(self, env: jinja2.Environment) -> None:
        self._env = env
        self._rendered: dict[tuple[str, str], Markup] = {}

    def __call__(self, article: Article, heading: str = "h2") -> Markup:
        key = (article.fingerprint, heading)
        if key not in self._rendered:
            macro = self._env.get_template("_macros.html").module.recap  # type: ignore[attr-defined]
            self._rendered[key] = Markup(macro(article, heading))
        return self._rendered[key]


# ---------------------------------------------------------------------------
# Specs: what every page shows
# ---------------------------------------------------------------------------


def site_pools(site: Site, config: SiteConfig) -> dict[str, tuple[str, ...]]:
    """The shared article groups pages read, by name, as article ids."""
    found = {LATEST_POOL: _ids(site.articles[: config.latest_count + 1])}
    found.update({name: _ids(members) for name, members in related.pools(site).items()})
    return found


def page_specs(site: Site, config: SiteConfig, now: datetime) -> list[PageSpec]:
    """Every page of the site, HTML first, then feeds, sitemaps and the other machine-read files."""
    specs = [_article_spec(article, site) for article in site.articles]
    for page in site.list_pages:
        params = (page.kind, page.title, page.number, page.count, page.previous_url, page.next_url, page.term)
        specs.append(PageSpec(page.url, "list", params, _ids(page.articles)))
    specs.append(PageSpec(config.permalinks["tags_index"], "tags", tuple(TagCount(c.term, len(c.articles)) for c in site.tags)))
    ledger = tuple((article_id(article), correction) for article, correction in site.corrections)
    specs.append(PageSpec(CORRECTIONS_URL, "corrections", ledger, tuple(dict.fromkeys(ref for ref, _ in ledger))))
    specs.append(PageSpec(NOT_FOUND_URL, "404"))
    count = config.feed_count
    feed_sources: list[tuple[str, str, tuple[Article, ...]]] = [(config.title, "/", site.articles)]
    for collection in site.collections():
        feed_sources.append((f"{_heading(collection.kind, collection.term.name)} | {config.title}", collection.term.url, collection.articles))
    for title, list_url, articles in feed_sources:
        specs.append(PageSpec(feed_url(list_url), "feed", (title, list_url), _ids(articles[:count])))
    ledger_head = ledger[:count]
    specs.append(PageSpec(feed_url(CORRECTIONS_URL), "corrections-feed", ledger_head, tuple(dict.fromkeys(ref for ref, _ in ledger_head))))
    specs.append(PageSpec(JSON_FEED_URL, "json-feed", (), _ids(site.articles[:count])))
    entries = tuple(_sitemap_entries(site, config))
    specs += [PageSpec(url, "sitemap", (entries,)) for url in sitemaps.sitemap_urls(entries)]
    specs.append(PageSpec(NEWS_SITEMAP_URL, "news-sitemap", (), _ids(sitemaps.news_window(site.articles, now))))
    specs.append(PageSpec(ROBOTS_URL, "robots"))
    specs.append(PageSpec(SCHEDULE_URL, "schedule", (site.next_change,)))
    return specs


def _article_spec(article: Article, site: Site) -> PageSpec:
    nav = site.series_nav.get(article.url)
    neighbours = (nav.previous, nav.next) if nav else (None, None)
    previous_id, next_id = (article_id(a) if a else None for a in neighbours)
    nav_params = (nav.series, nav.position, nav.total, previous_id, next_id) if nav else None
    refs = (article_id(article), *(ref for ref in (previous_id, next_id) if ref))
    pools = (LATEST_POOL, *(() if article.related else related.pool_names(article)))
    return PageSpec(article.url, "article", (nav_params,), refs, pools)


def _sitemap_entries(site: Site, config: SiteConfig) -> list[tuple[str, datetime | None]]:
    def newest(articles: tuple[Article, ...]) -> datetime | None:
        return max((a.modified for a in articles), default=None)

    entries: list[tuple[str, datetime | None]] = [(a.url, a.modified) for a in site.articles]
    entries += [(page.url, newest(page.articles)) for page in site.list_pages]
    entries.append((config.permalinks["tags_index"], newest(site.articles)))
    entries.append((CORRECTIONS_URL, site.corrections[0][1].date if site.corrections else None))
    return entries


# ---------------------------------------------------------------------------
# Keys and bytes
# ---------------------------------------------------------------------------

_TEMPLATE_DIGESTS: WeakKeyDictionary[jinja2.Environment, dict[str, bytes]] = WeakKeyDictionary()


class PageRenderer:
    """Keys and renders specs, given the articles they name (by id) and the site's pools.

    `articles` needs to hold only the articles the rendered specs name, directly
    or through their pools: a full build passes every article, an edit only a few.
    """

    def __init__(self, env: jinja2.Environment, config: SiteConfig, nav: tuple[Term, ...], articles: Mapping[str, Article],
                 pools: Mapping[str, tuple[str, ...]], template_digests: Mapping[str, bytes] | None = None) -> None:  # fmt: skip
        """`template_digests`: as an earlier renderer of the same template files computed them (parsing costs)."""
        self._env = env
        self._config = config
        self._articles = articles
        self._pools = pools
        self._pool_keys: dict[str, tuple[str, ...]] = {}
        # An environment lives as long as its template files are unchanged, so their digests can too.
        self._templates = _TEMPLATE_DIGESTS.setdefault(env, {})
        self._templates.update(template_digests or {})
        self._salt = _digest(code_version(), repr(config), repr([(term.name, term.url) for term in nav]))
        self._common = {"site": config, "sections": list(nav), "feed_url": feed_url("/"), "description": config.description}

    def job(self, spec: PageSpec) -> PageJob:
        return PageJob(spec.url, self.key(spec), lambda: self.render(spec))

    def key(self, spec: PageSpec) -> bytes:
        template = TEMPLATES.get(spec.kind)
        fingerprints = tuple(self._articles[ref].fingerprint for ref in spec.refs)
        return _digest(self._salt, self._template(template) if template else b"", spec.url, spec.kind, spec.params,
                       fingerprints, tuple(self._pool_key(name) for name in spec.pools))  # fmt: skip

    def render(self, spec: PageSpec) -> bytes:
        return _RENDERERS[spec.kind](self, spec)

    def article(self, ref: str) -> Article:
        return self._articles[ref]

    def pool(self, name: str) -> tuple[Article, ...]:
        return tuple(self._articles[ref] for ref in self._pools.get(name, ()))

    def html(self, spec: PageSpec, context: dict[str, Any]) -> bytes:
        return self._env.get_template(TEMPLATES[spec.kind]).render(**{**self._common, **context}).encode("utf-8")

    @property
    def config(self) -> SiteConfig:
        return self._config

    def template_digests(self) -> dict[str, bytes]:
        return dict(self._templates)

    def _pool_key(self, name: str) -> tuple[str, ...]:
        if name not in self._pool_keys:
            self._pool_keys[name] = tuple(article.fingerprint for article in self.pool(name))
        return self._pool_keys[name]

    def _template(self, name: str) -> bytes:
        """A digest of the template and every template it extends, includes or imports."""
        if name not in self._templates:
            digest = hashlib.sha256()
            used_templates = _template_closure(self._env, name) | _template_closure(self._env, "_macros.html")  # recap()
            for used in sorted(used_templates):
                digest.update(used.encode() + b"\0" + self._env.loader.get_source(self._env, used)[0].encode())  # type: ignore[union-attr]
            self._templates[name] = digest.digest()
        return self._templates[name]


def _template_closure(env: jinja2.Environment, name: str) -> set[str]:
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source, filename, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        pending += [ref for ref in jinja2.meta.find_referenced_templates(env.parse(source, current, filename)) if ref]
    return seen


def _digest(*parts: object) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.digest()


def _article_page(r: PageRenderer, spec: PageSpec) -> bytes:
    (nav_params,) = spec.params
    article = r.article(spec.refs[0])
    latest = [other for other in r.pool(LATEST_POOL) if other.source != article.source][: r.config.latest_count]
    series_nav = None
    if nav_params is not None:
        series, position, total, previous_id, next_id = nav_params
        neighbours = (r.article(previous_id) if previous_id else None, r.article(next_id) if next_id else None)
        series_nav = SeriesNav(series, *neighbours, position=position, total=total)
    related_pools = [r.pool(name) for name in spec.pools if name != LATEST_POOL]
    return r.html(spec, {
        "page_title": article.headline,
        "page_url": article.url,
        "description": article.dek or r.config.description,
        "article": article,
        "body": Markup(article.body_html),  # sanitised in markup.py
        "series_nav": series_nav,
        "latest": latest,
        "more_on_this": related.more_on_this(article, related_pools) if related_pools else (),
        "json_ld": structured.json_ld(structured.news_article(article, r.config)),
    })  # fmt: skip


_LIST_HEADINGS = {"home": "Latest news", "section": "{}", "tag": "Tagged: {}", "series": "Series: {}", "author": "Stories by {}"}


def _heading(kind: str, title: str) -> str:
    return _LIST_HEADINGS[kind].format(title)


def _list_page(r: PageRenderer, spec: PageSpec) -> bytes:
    kind, title, number, count, previous_url, next_url, term = spec.params
    page = ListPage(kind, title, spec.url, term, tuple(map(r.article, spec.refs)), number, count, previous_url, next_url)
    heading = _heading(kind, title)
    page_title = title if kind == "home" else heading
    if number > 1:
        page_title = f"{page_title} (page {number} of {count})"
    return r.html(spec, {
        "page_title": page_title,
        "page_url": page.url,
        "page": page,
        "heading": heading,
        "feed_url": feed_url(term.url if term else "/"),
        "json_ld": structured.json_ld(structured.collection_page(page, heading, r.config)),
    })  # fmt: skip


def _tags_page(r: PageRenderer, spec: PageSpec) -> bytes:
    return r.html(spec, {"page_title": "Tags", "page_url": spec.url, "tags": list(spec.params)})


def _corrections_page(r: PageRenderer, spec: PageSpec) -> bytes:
    ledger = [(r.article(ref), correction) for ref, correction in spec.params]
    return r.html(spec, {"page_title": "Corrections", "page_url": spec.url, "corrections": ledger, "feed_url": feed_url(spec.url)})


def _not_found_page(r: PageRenderer, spec: PageSpec) -> bytes:
    return r.html(spec, {"page_title": "Page not found", "page_url": spec.url})


def _feed(r: PageRenderer, spec: PageSpec) -> bytes:
    title, list_url = spec.params
    articles = [r.article(ref) for ref in spec.refs]
    items = [feeds.article_item(article, r.config) for article in articles]
    return feeds.rss(r.config, title, list_url, spec.url, items, feeds.latest_change(articles))


def _corrections_feed(r: PageRenderer, spec: PageSpec) -> bytes:
    items = [feeds.correction_item(r.article(ref), correction, r.config) for ref, correction in spec.params]
    newest = format_datetime(spec.params[0][1].date) if spec.params else None
    return feeds.rss(r.config, f"Corrections | {r.config.title}", CORRECTIONS_URL, spec.url, items, newest)


def _json_feed(r: PageRenderer, spec: PageSpec) -> bytes:
    return feeds.json_feed(r.config, [r.article(ref) for ref in spec.refs])


def _sitemap(r: PageRenderer, spec: PageSpec) -> bytes:
    (entries,) = spec.params
    return sitemaps.sitemap_file(r.config, entries, spec.url)


def _news_sitemap(r: PageRenderer, spec: PageSpec) -> bytes:
    return sitemaps.news_sitemap(r.config, [r.article(ref) for ref in spec.refs])


def _robots(r: PageRenderer, spec: PageSpec) -> bytes:
    return sitemaps.robots_txt(r.config)


def _schedule(r: PageRenderer, spec: PageSpec) -> bytes:
    """For a CI schedule: when the output next changes by itself, or null."""
    (change,) = spec.params
    data = {"next_change": dates.iso(change.moment) if change else None, "reason": change.reason if change else None}
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


_RENDERERS: dict[str, Callable[[PageRenderer, PageSpec], bytes]] = {
    "article": _article_page,
    "list": _list_page,
    "tags": _tags_page,
    "corrections": _corrections_page,
    "404": _not_found_page,
    "feed": _feed,
    "corrections-feed": _corrections_feed,
    "json-feed": _json_feed,
    "sitemap": _sitemap,
    "news-sitemap": _news_sitemap,
    "robots": _robots,
    "schedule": _schedule,
}
