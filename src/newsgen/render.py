"""Stage 3: pages as bytes, through Jinja2 with autoescape and StrictUndefined.

A site's own `templates/` override the theme's templates of the same name. A
typo in a template is an error, not a blank, and every front-matter string
is escaped as text. Pages are yielded one at a time so memory stays flat.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import dates
from .config import SiteConfig
from .models import Article, ListPage, Site
from .outputs import feeds, sitemaps, structured
from .related import RelatedIndex
from .urls import (
    CORRECTIONS_URL, JSON_FEED_URL, NEWS_SITEMAP_URL, NOT_FOUND_URL, ROBOTS_URL, SCHEDULE_URL, absolute_url, feed_url,
)  # fmt: skip


@dataclass(frozen=True)
class RenderedPage:
    url: str
    content: bytes


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
    env.filters["join_names"] = join_names
    env.filters["absolute"] = lambda url: absolute_url(config.base_url, url)
    return env


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C': how a byline or a source line reads."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def render_site(site: Site, config: SiteConfig, env: jinja2.Environment, now: datetime) -> Iterator[RenderedPage]:
    """Every page of the site, HTML first, then feeds, sitemaps and the other machine-read files."""
    home_feed = feed_url("/")
    common = {"site": config, "sections": [c.term for c in site.sections], "feed_url": home_feed, "description": config.description}
    related = RelatedIndex(site)
    article_template = env.get_template("article.html")
    for article in site.articles:
        yield _page(article.url, article_template, common, _article_context(article, site, config, related))
    list_template = env.get_template("list.html")
    for page in site.list_pages:
        yield _page(page.url, list_template, common, _list_context(page, config))
    tags_url = config.permalinks["tags_index"]
    yield _page(tags_url, env.get_template("tags.html"), common, {"page_title": "Tags", "page_url": tags_url, "tags": site.tags})
    corrections = {"page_title": "Corrections", "page_url": CORRECTIONS_URL, "corrections": site.corrections,
                   "feed_url": feed_url(CORRECTIONS_URL)}  # fmt: skip
    yield _page(CORRECTIONS_URL, env.get_template("corrections.html"), common, corrections)
    yield _page(NOT_FOUND_URL, env.get_template("404.html"), common, {"page_title": "Page not found", "page_url": NOT_FOUND_URL})
    yield from _machine_pages(site, config, now)


def _machine_pages(site: Site, config: SiteConfig, now: datetime) -> Iterator[RenderedPage]:
    count = config.feed_count
    for page in site.list_pages:
        if page.number == 1:
            articles = (page.collection.articles if page.collection else site.articles)[:count]
            title = config.title if page.kind == "home" else f"{_heading(page)} | {config.title}"
            items = [feeds.article_item(article, config) for article in articles]
            yield RenderedPage(feed_url(page.url), feeds.rss(config, title, page.url, feed_url(page.url), items, feeds.latest_change(articles)))
    ledger = site.corrections[:count]
    items = [feeds.correction_item(article, correction, config) for article, correction in ledger]
    newest = format_datetime(ledger[0][1].date) if ledger else None
    corrections_feed = feed_url(CORRECTIONS_URL)
    yield RenderedPage(corrections_feed, feeds.rss(config, f"Corrections | {config.title}", CORRECTIONS_URL, corrections_feed, items, newest))
    yield RenderedPage(JSON_FEED_URL, feeds.json_feed(config, site.articles[:count]))
    for url, content in sitemaps.sitemaps(config, _sitemap_entries(site, config)):
        yield RenderedPage(url, content)
    yield RenderedPage(NEWS_SITEMAP_URL, sitemaps.news_sitemap(config, site.articles, now))
    yield RenderedPage(ROBOTS_URL, sitemaps.robots_txt(config))
    yield RenderedPage(SCHEDULE_URL, _schedule(site))


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


def _page(url: str, template: jinja2.Template, common: dict[str, Any], context: dict[str, Any]) -> RenderedPage:
    return RenderedPage(url, template.render(**{**common, **context}).encode("utf-8"))


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
