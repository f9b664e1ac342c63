"""schema.org structured data as JSON-LD, escaped so no string can end the script element."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from newsgen.config import SiteConfig
from newsgen.dates import iso
from newsgen.models import Article, ListPage
from newsgen.urls import absolute_url


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` become \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def news_article(article: Article, config: SiteConfig) -> dict[str, Any]:
    url = absolute_url(config.base_url, article.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "datePublished": iso(article.date),
        "dateModified": iso(article.modified),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "publisher": publisher(config),
    }
    if article.dek:
        data["description"] = article.dek
    if article.authors:
        data["author"] = [
            {"@type": "Person", "name": a.name, "url": absolute_url(config.base_url, a.url)} for a in article.authors
        ]
    if article.social_image:
        data["image"] = [absolute_url(config.base_url, article.social_image)]
    if article.section:
        data["articleSection"] = article.section.name
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    return data


def publisher(config: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": config.title, "url": config.base_url}
    if config.logo:
        data["logo"] = {"@type": "ImageObject", "url": absolute_url(config.base_url, config.logo)}
    return data


def collection_page(page: ListPage, heading: str, config: SiteConfig) -> dict[str, Any]:
    crumbs = [{"@type": "ListItem", "position": 1, "name": config.title, "item": config.base_url}]
    if page.kind != "home":
        crumbs.append(
            {"@type": "ListItem", "position": 2, "name": heading, "item": absolute_url(config.base_url, page.url)}
        )
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": heading,
        "url": absolute_url(config.base_url, page.url),
        "breadcrumb": {"@type": "BreadcrumbList", "itemListElement": crumbs},
    }
