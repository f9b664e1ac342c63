"""Stage 3: every page of the site as a job: its URL, a key over its inputs, and how to render it.

Pages go through Jinja2 with autoescape and StrictUndefined: a typo in a
template is an error, not a blank, and every front-matter string is escaped
as text. A site's own `templates/` override the theme's of the same name.

A page's key covers everything its bytes depend on (the templates it uses,
the config, newsgen's code, and the fingerprints of the articles it shows),
so a build can skip a page whose key has not changed since the last build
and still give exactly the bytes of a full build.
"""

from __future__ import annotations

import json
import hashlib
from functools import partial
from weakref import WeakKeyDictionary
from collections.abc import Callable, Iterable
from datetime import datetime
from email.utils import format_datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from . import dates
from .config import SiteConfig
from .cache import code_version
from .models import Article, ListPage, Site
from .outputs import feeds, sitemaps, structured
from .related import RelatedIndex
from .urls import (
    CORRECTIONS_URL, JSON_FEED_URL, NEWS_SITEMAP_URL, NOT_FOUND_URL, ROBOTS_URL, SCHEDULE_URL, absolute_url, feed_url,
)  # fmt: skip


@dataclass(frozen=True)
class PageJob:
    url: str
    key: bytes
    render: Callable[[], bytes]


def make_environment(template_dirs: list[Path], config: SiteConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
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


_TEMPLATE_DIGESTS: WeakKeyDictionary[jinja2.Environment, dict[str, bytes]] = WeakKeyDictionary()


class _Keys:
    """Page keys: a digest of the page kind's inputs, salted with what every page shares."""

    def __init__(self, site: Site, config: SiteConfig, env: jinja2.Environment) -> None:
        self._env = env
        # An environment lives as long as its template files are unchanged, so their digests can too.
        self._templates = _TEMPLATE_DIGESTS.setdefault(env, {})
        nav = [(term.name, term.url) for term in (c.term for c in site.sections)]
        self._salt = _digest(code_version(), repr(config), repr(nav))

    def page(self, template: str, *parts: object) -> bytes:
        return _digest(self._salt, self.template(template), *parts)

    def data(self, *parts: object) -> bytes:
        return _digest(self._salt, *parts)

    def template(self, name: str) -> bytes:
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


def _fingerprints(articles: Iterable[Article]) -> tuple[str, ...]:
    return tuple(article.fingerprint for article in articles)


def page_jobs(site: Site, config: SiteConfig, env: jinja2.Environment, now: datetime) -> list[PageJob]:
    """Every page of the site, HTML first, then feeds, sitemaps and the other machine-read files."""
    keys = _Keys(site, config, env)
    common = {"site": config, "sections": [c.term for c in site.sections], "feed_url": feed_url("/"), "description": config.description}
    related = RelatedIndex(site)
    newest = _fingerprints(site.articles[: config.latest_count + 1])
    jobs = []
    for article in site.articles:
        nav = site.series_nav.get(article.url)
        nav_key = (nav.series, nav.position, nav.total, _fingerprints(a for a in (nav.previous, nav.next) if a)) if nav else None
        related_key = () if article.related else related.inputs(article)
        key = keys.page("article.html", article.fingerprint, newest, related_key, nav_key)
        context = partial(_article_context, article, site, config, related)
        jobs.append(_html(article.url, key, env, "article.html", common, context))
    for page in site.list_pages:
        key = keys.page("list.html", page.kind, page.title, page.url, page.number, page.count, page.previous_url,
                        page.next_url, _fingerprints(page.articles))  # fmt: skip
        jobs.append(_html(page.url, key, env, "list.html", common, partial(_list_context, page, config)))
    tags_url = config.permalinks["tags_index"]
    tags_key = keys.page("tags.html", [(c.term, len(c.articles)) for c in site.tags])
    tags = {"page_title": "Tags", "page_url": tags_url, "tags": site.tags}
    jobs.append(_html(tags_url, tags_key, env, "tags.html", common, lambda: tags))
    corrections = {"page_title": "Corrections", "page_url": CORRECTIONS_URL, "corrections": site.corrections,
                   "feed_url": feed_url(CORRECTIONS_URL)}  # fmt: skip
    corrections_key = keys.page("corrections.html", [(a.fingerprint, c) for a, c in site.corrections])
    jobs.append(_html(CORRECTIONS_URL, corrections_key, env, "corrections.html", common, lambda: corrections))
    not_found = {"page_title": "Page not found", "page_url": NOT_FOUND_URL}
    jobs.append(_html(NOT_FOUND_URL, keys.page("404.html"), env, "404.html", common, lambda: not_found))
    jobs += _machine_jobs(site, config, now, keys)
    return jobs


def _html(
    url: str, key: bytes, env: jinja2.Environment, name: str, common: dict[str, Any], context: Callable[[], dict[str, Any]]
) -> PageJob:
    """A page job whose context is built only if the page is rendered."""

    def render() -> bytes:
        return env.get_template(name).render(**{**common, **context()}).encode("utf-8")

    return PageJob(url, key, render)


def _machine_jobs(site: Site, config: SiteConfig, now: datetime, keys: _Keys) -> list[PageJob]:
    count = config.feed_count
    jobs = []
    for page in site.list_pages:
        if page.number == 1:
            articles = (page.collection.articles if page.collection else site.articles)[:count]
            title = config.title if page.kind == "home" else f"{_heading(page)} | {config.title}"
            jobs.append(_feed_job(config, title, page.url, articles, keys))
    ledger = site.corrections[:count]

    def corrections_feed() -> bytes:
        items = [feeds.correction_item(article, correction, config) for article, correction in ledger]
        newest = format_datetime(ledger[0][1].date) if ledger else None
        title = f"Corrections | {config.title}"
        return feeds.rss(config, title, CORRECTIONS_URL, feed_url(CORRECTIONS_URL), items, newest)

    ledger_key = keys.data("corrections-feed", [(a.fingerprint, c) for a, c in ledger])
    jobs.append(PageJob(feed_url(CORRECTIONS_URL), ledger_key, corrections_feed))
    newest = site.articles[:count]
    jobs.append(PageJob(JSON_FEED_URL, keys.data("json-feed", _fingerprints(newest)), lambda: feeds.json_feed(config, newest)))
    entries = _sitemap_entries(site, config)
    for url, content in sitemaps.sitemaps(config, entries):
        jobs.append(PageJob(url, keys.data("sitemap", url, entries), _constant(content)))
    window = sitemaps.news_window(site.articles, now)
    jobs.append(PageJob(NEWS_SITEMAP_URL, keys.data("news-sitemap", _fingerprints(window)), lambda: sitemaps.news_sitemap(config, window)))
    jobs.append(PageJob(ROBOTS_URL, keys.data("robots"), lambda: sitemaps.robots_txt(config)))
    jobs.append(PageJob(SCHEDULE_URL, keys.data("schedule", site.next_change), lambda: _schedule(site)))
    return jobs


def _constant(content: bytes) -> Callable[[], bytes]:
    return lambda: content


def _feed_job(config: SiteConfig, title: str, list_url: str, articles: tuple[Article, ...], keys: _Keys) -> PageJob:
    def render() -> bytes:
        items = [feeds.article_item(article, config) for article in articles]
        return feeds.rss(config, title, list_url, feed_url(list_url), items, feeds.latest_change(articles))

    return PageJob(feed_url(list_url), keys.data("feed", title, list_url, _fingerprints(articles)), render)


def _sitemap_entries(site: Site, config: SiteConfig) -> list[tuple[str, datetime | None]]:
    def newest(articles: tuple[Article, ...]) -> datetime | None:
        return max((a.modified for a in articles), default=None)

    entries: list[tuple[str, datetime | None]] = [(a.url, a.modified) for a in site.articles]
    entries += [(page.url, newest(page.articles)) for page in site.list_pages]
    entries.append((config.permalinks["tags_index"], newest(site.articles)))
    entries.append((CORRECTIONS_URL, site.corrections[0][1].date if site.corrections else None))
    return entries


def _schedule(site: Site) -> bytes:
    """For a CI schedule: when the output next changes by itself, or null."""
    change = site.next_change
    data = {"next_change": dates.iso(change.moment) if change else None, "reason": change.reason if change else None}
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def _article_context(article: Article, site: Site, config: SiteConfig, related: RelatedIndex) -> dict[str, Any]:
    latest = [other for other in site.articles[: config.latest_count + 1] if other is not article][: config.latest_count]
    return {
        "page_title": article.headline,
        "page_url": article.url,
        "description": article.dek or config.description,
        "article": article,
        "body": Markup(article.body_html),  # sanitised in markup.py
        "series_nav": site.series_nav.get(article.url),
        "latest": latest,
        "more_on_this": () if article.related else related.more_on_this(article),
        "json_ld": structured.json_ld(structured.news_article(article, config)),
    }


_LIST_HEADINGS = {"home": "Latest news", "section": "{}", "tag": "Tagged: {}", "series": "Series: {}", "author": "Stories by {}"}


def _heading(page: ListPage) -> str:
    return _LIST_HEADINGS[page.kind].format(page.title)


def _list_context(page: ListPage, config: SiteConfig) -> dict[str, Any]:
    heading = _heading(page)
    title = page.title if page.kind == "home" else heading
    if page.number > 1:
        title = f"{title} (page {page.number} of {page.count})"
    first_page = page.collection.term.url if page.collection else "/"
    return {
        "page_title": title,
        "page_url": page.url,
        "page": page,
        "heading": heading,
        "feed_url": feed_url(first_page),
        "json_ld": structured.json_ld(structured.collection_page(page, heading, config)),
    }
