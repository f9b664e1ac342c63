"""schema.org structured data as JSON-LD, escaped so no string can end the script element."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from newsgen.config import SiteConfig
from newsgen.dates import iso
from newsgen.models import SPONSORED, Article, Claim, ListPage, Term
from newsgen.urls import absolute_url


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` become \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# schema.org's kinds of news article for the built-in labels (read/labels.py); a site's own labels are NewsArticle.
# A fact-check stays one too: its ClaimReview (for a `claim:`) is a node of its own beside it.
LABEL_TYPES = {
    "opinion": "OpinionNewsArticle",
    "analysis": "AnalysisNewsArticle",
    "review": "ReviewNewsArticle",
    "explainer": "BackgroundNewsArticle",
    SPONSORED: "AdvertiserContentArticle",
}
PAYWALLED_CLASS = "paywalled"  # the element holding a paywalled article's subscribers-only part (article.html)


def article_data(article: Article, config: SiteConfig) -> dict[str, Any]:
    """The article page's JSON-LD: its article, and the ClaimReview of a fact-check that names its claim."""
    data = news_article(article, config)
    if article.claim is None:
        return data
    del data["@context"]
    review = claim_review(article.claim, data["url"], iso(article.date), config)
    return {"@context": "https://schema.org", "@graph": [data, review]}


def news_article(article: Article, config: SiteConfig) -> dict[str, Any]:
    # A syndicated copy's canonical page is the original: the structured data says so as the canonical link does.
    url = absolute_url(config.base_url, article.canonical or article.url)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": LABEL_TYPES.get(article.label.slug, "NewsArticle") if article.label else "NewsArticle",
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
        data["author"] = [person(author, config) for author in article.authors]
    crops = article.image.social_crops if article.image else ()
    if crops:  # 16:9, 4:3 and 1:1, as Google's article guidance asks
        data["image"] = [absolute_url(config.base_url, url) for url, _ in crops]
    elif article.social_image:
        data["image"] = [absolute_url(config.base_url, article.social_image)]
    if article.section:
        data["articleSection"] = article.section.name
    if article.tags:
        data["keywords"] = [tag.name for tag in article.tags]
    if article.sponsor:
        data["sponsor"] = organization(article.sponsor.name, article.sponsor.url, config)
    if article.gated is not None:  # Google's markup for paywalled content: the gated part is no cloaking
        data["isAccessibleForFree"] = False
        gated = {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": f".{PAYWALLED_CLASS}"}
        data["hasPart"] = gated
    return data


def claim_review(claim: Claim, url: str, published: str, config: SiteConfig) -> dict[str, Any]:
    """What Google's fact-check markup asks for: the claim, the verdict, the page and the publisher that rated it."""
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.by:
        item["author"] = {"@type": "Person", "name": claim.by}
    if claim.date:
        item["datePublished"] = iso(claim.date)
    if claim.url:
        item["appearance"] = {"@type": "CreativeWork", "url": absolute_url(config.base_url, claim.url)}
    return {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "datePublished": published,
        "author": publisher(config),
        "reviewRating": {"@type": "Rating", "alternateName": claim.rating},
        "itemReviewed": item,
    }


def organization(name: str, url: str | None, config: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": name}
    if url and url.startswith(("http://", "https://", "/")):  # not a mailto: address
        data["url"] = absolute_url(config.base_url, url)
    return data


def person(author: Term, config: SiteConfig) -> dict[str, Any]:
    """An author: the name, the author page, and what the authors file says (role, photo, profiles elsewhere)."""
    data: dict[str, Any] = {"@type": "Person", "name": author.name, "url": absolute_url(config.base_url, author.url)}
    profile = author.profile
    if profile is not None:
        if profile.role:
            data["jobTitle"] = profile.role
        if profile.bio:
            data["description"] = profile.bio
        if profile.photo:
            data["image"] = absolute_url(config.base_url, profile.photo.url)
        same_as = [link.url for link in profile.links if link.url.startswith(("http://", "https://"))]
        if same_as:
            data["sameAs"] = same_as
    return data


def publisher(config: SiteConfig) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": config.title, "url": config.base_url}
    if config.logo:
        data["logo"] = {"@type": "ImageObject", "url": absolute_url(config.base_url, config.logo.src)}
    return data


def collection_page(page: ListPage, heading: str, config: SiteConfig) -> dict[str, Any]:
    crumbs = [{"@type": "ListItem", "position": 1, "name": config.title, "item": config.base_url}]
    if page.kind != "home":
        crumbs.append(
            {"@type": "ListItem", "position": 2, "name": heading, "item": absolute_url(config.base_url, page.url)}
        )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": heading,
        "url": absolute_url(config.base_url, page.url),
        "breadcrumb": {"@type": "BreadcrumbList", "itemListElement": crumbs},
    }
    if page.kind == "author" and page.first and page.term is not None and page.term.profile is not None:
        # The author's own page, about a person the authors file describes; its older pages are lists of stories.
        data["@type"] = "ProfilePage"
        data["mainEntity"] = person(page.term, config)
    return data
