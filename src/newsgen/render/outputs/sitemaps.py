"""`sitemap.xml` (split past 50,000 URLs), Google's `news-sitemap.xml`, and `robots.txt`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newsgen.config import SiteConfig
from newsgen.dates import iso
from newsgen.models import Article
from newsgen.render.outputs.xmltext import escape
from newsgen.urls import NEWS_SITEMAP_URL, SITEMAP_LIMIT, SITEMAP_URL, absolute_url, sitemap_part_urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def sitemap_urls(entries: Sequence[tuple[str, datetime | None]]) -> list[str]:
    """The sitemap files for this many URLs: one, or the parts and then their index."""
    parts = sitemap_part_urls(len(entries))
    return [*parts, SITEMAP_URL]


def sitemap_file(config: SiteConfig, entries: Sequence[tuple[str, datetime | None]], url: str) -> bytes:
    """The bytes of one of the `sitemap_urls(entries)`."""
    parts = sitemap_part_urls(len(entries))
    if url != SITEMAP_URL:
        number = parts.index(url)
        return _urlset(config, entries[number * SITEMAP_LIMIT : (number + 1) * SITEMAP_LIMIT])
    if not parts:
        return _urlset(config, entries)
    index = [f"<sitemap><loc>{escape(absolute_url(config.base_url, part))}</loc></sitemap>" for part in parts]
    return _document(f'<sitemapindex xmlns="{SITEMAP_NS}">', index, "</sitemapindex>")


def _urlset(config: SiteConfig, entries: Sequence[tuple[str, datetime | None]]) -> bytes:
    rows = []
    for url, lastmod in entries:
        modified = f"<lastmod>{iso(lastmod)}</lastmod>" if lastmod else ""
        rows.append(f"<url><loc>{escape(absolute_url(config.base_url, url))}</loc>{modified}</url>")
    return _document(f'<urlset xmlns="{SITEMAP_NS}">', rows, "</urlset>")


def news_sitemap(config: SiteConfig, recent: Sequence[Article]) -> bytes:
    language = config.language.split("-")[0].lower()
    rows = [
        f"<url><loc>{escape(absolute_url(config.base_url, a.url))}</loc><news:news>"
        f"<news:publication><news:name>{escape(config.title)}</news:name>"
        f"<news:language>{escape(language)}</news:language></news:publication>"
        f"<news:publication_date>{iso(a.date)}</news:publication_date>"
        f"<news:title>{escape(a.headline)}</news:title></news:news></url>"
        for a in recent
    ]
    return _document(f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">', rows, "</urlset>")


def robots_txt(config: SiteConfig) -> bytes:
    lines = [
        "User-agent: *",
        "Allow: /",
        "",
        f"Sitemap: {absolute_url(config.base_url, SITEMAP_URL)}",
        f"Sitemap: {absolute_url(config.base_url, NEWS_SITEMAP_URL)}",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _document(opening: str, rows: list[str], closing: str) -> bytes:
    return "\n".join(['<?xml version="1.0" encoding="utf-8"?>', opening, *rows, closing, ""]).encode("utf-8")
