"""`sitemap.xml` (split past 50,000 URLs), Google's `news-sitemap.xml`, and `robots.txt`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from newsgen.config import SiteConfig
from newsgen.dates import iso
from newsgen.models import Article, Versions
from newsgen.render.outputs.xmltext import escape
from newsgen.urls import NEWS_SITEMAP_URL, SITEMAP_LIMIT, SITEMAP_URL, absolute_url, sitemap_part_urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"  # hreflang alternates (xhtml:link) of pages in several languages


def sitemap_urls(entries: Sequence[tuple[str, datetime | None]], home: str = "/") -> list[str]:
    """The sitemap files for this many URLs of the edition at `home`: one, or the parts and then their index."""
    parts = sitemap_part_urls(len(entries))
    return [home + url.lstrip("/") for url in (*parts, SITEMAP_URL)]


def sitemap_file(
    config: SiteConfig,
    entries: Sequence[tuple[str, datetime | None]],
    url: str,
    alternates: Mapping[str, Versions] | None = None,
) -> bytes:
    """The bytes of one of the `sitemap_urls(entries, config.home_url)`; `alternates`: pages' versions, by URL."""
    home = config.home_url
    parts = [home + part.lstrip("/") for part in sitemap_part_urls(len(entries))]
    if url != home + SITEMAP_URL.lstrip("/"):
        number = parts.index(url)
        return _urlset(config, entries[number * SITEMAP_LIMIT : (number + 1) * SITEMAP_LIMIT], alternates or {})
    if not parts:
        return _urlset(config, entries, alternates or {})
    index = [f"<sitemap><loc>{escape(absolute_url(config.base_url, part))}</loc></sitemap>" for part in parts]
    return _document(f'<sitemapindex xmlns="{SITEMAP_NS}">', index, "</sitemapindex>")


def _urlset(
    config: SiteConfig, entries: Sequence[tuple[str, datetime | None]], alternates: Mapping[str, Versions]
) -> bytes:
    rows = []
    for url, lastmod in entries:
        modified = f"<lastmod>{iso(lastmod)}</lastmod>" if lastmod else ""
        links = _alternates(config, alternates.get(url, ()))
        rows.append(f"<url><loc>{escape(absolute_url(config.base_url, url))}</loc>{modified}{links}</url>")
    namespaces = f' xmlns:xhtml="{XHTML_NS}"' if alternates else ""
    return _document(f'<urlset xmlns="{SITEMAP_NS}"{namespaces}>', rows, "</urlset>")


def _alternates(config: SiteConfig, versions: Versions) -> str:
    """A page's versions in every edition, itself included (Google's hreflang in sitemaps), then x-default: the
    default edition's version."""
    links = [(code, url) for code, url in versions]
    links += [("x-default", url) for code, url in versions if code == config.default_language]
    return "".join(
        f'<xhtml:link rel="alternate" hreflang="{escape(code)}" href="{escape(absolute_url(config.base_url, url))}"/>'
        for code, url in links
    )


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


def robots_txt(config: SiteConfig, sitemaps: Sequence[str] = (SITEMAP_URL, NEWS_SITEMAP_URL)) -> bytes:
    """Crawlers may go anywhere; `sitemaps` names the sitemap of each edition and its news sitemap.
    A preview copy (`noindex`) turns every crawler away instead."""
    if config.noindex:
        return b"User-agent: *\nDisallow: /\n"
    lines = [
        "User-agent: *",
        "Allow: /",
        "",
        *(f"Sitemap: {absolute_url(config.base_url, url)}" for url in sitemaps),
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def _document(opening: str, rows: list[str], closing: str) -> bytes:
    return "\n".join(['<?xml version="1.0" encoding="utf-8"?>', opening, *rows, closing, ""]).encode("utf-8")
