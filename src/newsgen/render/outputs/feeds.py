"""RSS 2.0 feeds for every recap list and the corrections ledger, and a JSON Feed for the home page.

Feeds carry no build time: `lastBuildDate` is the newest entry's modification,
so an unchanged site gives byte-identical feeds.

Text is escaped for what readers do with it, not only for XML. RSS makes
`<description>` HTML, and readers render titles as HTML when they look like
it, so text that would read as markup there is escaped for HTML first: a dek
of `<img onerror=…>` arrives as those characters, never as an element.
`<category>` and `<dc:creator>` are plain text to readers, and JSON Feed's
`title`, `summary` and `tags` are plain text by its specification.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime

from newsgen.config import SiteConfig
from newsgen.dates import iso
from newsgen.models import Article, Correction
from newsgen.render.outputs.xmltext import escape, quoteattr
from newsgen.translate import Words
from newsgen.urls import absolute_url


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str  # absolute
    guid: str
    published: str  # RFC 822
    updated: str  # ISO 8601
    summary: str | None
    authors: tuple[str, ...]
    categories: tuple[str, ...]


def article_item(article: Article, config: SiteConfig) -> FeedItem:
    url = absolute_url(config.base_url, article.url)
    categories = ([article.section.name] if article.section else []) + [tag.name for tag in article.tags]
    return FeedItem(
        title=article.headline,
        url=url,
        guid=url,
        published=format_datetime(article.date),
        updated=iso(article.modified),
        summary=article.dek,
        authors=tuple(author.name for author in article.authors),
        categories=tuple(categories),
    )


def correction_item(article: Article, correction: Correction, config: SiteConfig, words: Words) -> FeedItem:
    url = absolute_url(config.base_url, article.url) + "#corrections"
    return FeedItem(
        title=words.gettext("Correction: %(headline)s", headline=article.headline),
        url=url,
        guid=f"{url}-{iso(correction.date)}",
        published=format_datetime(correction.date),
        updated=iso(correction.date),
        summary=correction.text,
        authors=(),
        categories=(words.gettext("Corrections"),),
    )


def rss(
    config: SiteConfig, title: str, page_url: str, feed_url: str, items: Sequence[FeedItem], newest: str | None
) -> bytes:
    """An RSS 2.0 document; `newest` (RFC 822) is the latest change among the items."""
    channel = [
        f"<title>{_title(title)}</title>",
        f"<link>{escape(absolute_url(config.base_url, page_url))}</link>",
        f"<description>{_html(config.description or title)}</description>",
        f"<language>{escape(config.language)}</language>",
        f'<atom:link href={quoteattr(absolute_url(config.base_url, feed_url))} rel="self" type="application/rss+xml"/>',
        "<generator>newsgen</generator>",
    ]
    if newest:
        channel.append(f"<lastBuildDate>{newest}</lastBuildDate>")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        *channel,
        *(_item(item) for item in items),
        "</channel>",
        "</rss>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _item(item: FeedItem) -> str:
    parts = [
        f"<title>{_title(item.title)}</title>",
        f"<link>{escape(item.url)}</link>",
        f'<guid isPermaLink="{"true" if item.guid == item.url else "false"}">{escape(item.guid)}</guid>',
        f"<pubDate>{item.published}</pubDate>",
        f"<atom:updated>{item.updated}</atom:updated>",
    ]
    if item.summary:
        parts.append(f"<description>{_html(item.summary)}</description>")
    parts += [f"<dc:creator>{escape(name)}</dc:creator>" for name in item.authors]
    parts += [f"<category>{escape(name)}</category>" for name in item.categories]
    return "<item>\n" + "\n".join(parts) + "\n</item>"


def _html(text: str) -> str:
    """`text` in an element readers render as HTML: escaped for HTML, then for XML."""
    return escape(html.escape(text, quote=False))


def _title(text: str) -> str:
    """`text` in a `<title>`, which readers show as plain text or, if it looks like markup, render as HTML.

    Text an HTML reader would read differently (a `<`, an entity) is escaped
    for HTML too, so every reader that renders it sees the text; any other
    title is escaped once, as the RSS Best Practices Profile advises, so
    `AT&T` shows right in readers that take titles as plain text.
    """
    if "<" in text or html.unescape(text) != text:
        return _html(text)
    return escape(text)


def latest_change(articles: Iterable[Article]) -> str | None:
    moments = [article.modified for article in articles]
    return format_datetime(max(moments)) if moments else None


def json_feed(config: SiteConfig, articles: Sequence[Article]) -> bytes:
    """JSON Feed 1.1 for the home page."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": absolute_url(config.base_url, "/feed.json"),
        "language": config.language,
        "items": [_json_item(article, config) for article in articles],
    }
    if config.description:
        feed["description"] = config.description
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(article: Article, config: SiteConfig) -> dict[str, object]:
    url = absolute_url(config.base_url, article.url)
    item: dict[str, object] = {
        "id": url,
        "url": url,
        "title": article.headline,
        "content_html": article.body_html,
        "date_published": iso(article.date),
        "date_modified": iso(article.modified),
        "tags": [tag.name for tag in article.tags],
    }
    if article.dek:
        item["summary"] = article.dek
    if article.authors:
        item["authors"] = [{"name": a.name, "url": absolute_url(config.base_url, a.url)} for a in article.authors]
    if article.social_image:
        item["image"] = absolute_url(config.base_url, article.social_image)
    return item
