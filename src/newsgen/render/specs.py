"""Every page of the site as a spec: plain, typed data that can be stored and rendered later.

A spec holds the page's URL, its settings, and the ids of the articles it
shows, directly (`refs`) or through a named pool such as "the newest
articles" (`pools`). Specs hold no articles, so a later build can load one
from the site index and render it from the article cache without loading the
site. One frozen type per kind of page; `PageRenderer` in `renderer.py` maps
each type to the function that renders it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from newsgen.config import SiteConfig
from newsgen.models import (
    Alert,
    Article,
    Correction,
    ScheduledChange,
    Site,
    StandalonePage,
    TagCount,
    Term,
    Versions,
    article_id,
)
from newsgen.render.outputs import sitemaps
from newsgen.site import related
from newsgen.site.clock import news_window
from newsgen.site.collect import SitemapEntry, sitemap_entries
from newsgen.translate import Words
from newsgen.urls import (
    ALERTS_URL,
    CMS_ADMIN_URL,
    CMS_CONFIG_URL,
    CORRECTIONS_URL,
    JSON_FEED_URL,
    LATEST_URL,
    NEWS_SITEMAP_URL,
    NOT_FOUND_URL,
    ROBOTS_URL,
    SCHEDULE_URL,
    SEARCH_URL,
    SITEMAP_URL,
    feed_url,
    old_url_page,
)

LATEST_POOL = "latest"
POOL_REF = "pool:"  # how the site index names a pool among the articles a page uses
LedgerEntry = tuple[str, Correction]  # (article id, correction)


class Kind(StrEnum):
    ARTICLE = "article"
    LIST = "list"
    TAGS = "tags"
    CORRECTIONS = "corrections"
    NOT_FOUND = "404"
    FEED = "feed"
    CORRECTIONS_FEED = "corrections-feed"
    JSON_FEED = "json-feed"
    SITEMAP = "sitemap"
    NEWS_SITEMAP = "news-sitemap"
    ROBOTS = "robots"
    SCHEDULE = "schedule"
    REDIRECT = "redirect"
    LATEST = "latest"
    STANDALONE = "page"
    SEARCH = "search"
    ALERTS = "alerts"
    CMS_ADMIN = "cms-admin"
    CMS_CONFIG = "cms-config"


@dataclass(frozen=True, kw_only=True)
class PageSpec:
    """One output file as data; articles are named by id (`models.article_id`)."""

    kind: ClassVar[Kind]
    url: str
    refs: tuple[str, ...] = ()  # the articles it shows
    pools: tuple[str, ...] = ()  # the shared article groups it reads
    versions: Versions = ()  # the page in every language edition, itself included (hreflang, language switcher)

    def uses(self) -> tuple[str, ...]:
        """What the site index lists this page under: the articles it shows and the pools it reads or chose from."""
        return (*self.refs, *(POOL_REF + name for name in self.pools))


@dataclass(frozen=True)
class SeriesPlace:
    """Where an article stands in its series, its neighbours by id."""

    series: Term
    position: int
    total: int
    previous: str | None
    next: str | None


@dataclass(frozen=True, kw_only=True)
class ArticleSpec(PageSpec):
    kind = Kind.ARTICLE
    series: SeriesPlace | None = None
    more_on_this: tuple[str, ...] = ()  # chosen here, not while rendering: the page changes only when the choice does


@dataclass(frozen=True, kw_only=True)
class ListSpec(PageSpec):
    kind = Kind.LIST
    list_kind: str  # "home", "section", "tag", "series", "author" or "label"
    title: str
    number: int
    count: int | None
    previous_url: str | None
    next_url: str | None
    term: Term | None
    first: bool
    pinned: int = 0  # how many of `refs` editors placed first (`fronts.yaml`)
    lead: bool = False  # whether the first of them is the front's lead
    alerts: tuple[Alert, ...] = ()  # the live alerts a home page carries for readers without script


@dataclass(frozen=True, kw_only=True)
class TagsSpec(PageSpec):
    kind = Kind.TAGS
    tags: tuple[TagCount, ...]


@dataclass(frozen=True, kw_only=True)
class CorrectionsSpec(PageSpec):
    kind = Kind.CORRECTIONS
    ledger: tuple[LedgerEntry, ...]


@dataclass(frozen=True, kw_only=True)
class NotFoundSpec(PageSpec):
    kind = Kind.NOT_FOUND


@dataclass(frozen=True, kw_only=True)
class FeedSpec(PageSpec):
    kind = Kind.FEED
    list_kind: str  # "home" (the site's feed, titled with the site's title), or a recap list's kind
    name: str  # the list's section, tag, series, author or label; "" for "home"
    list_url: str


@dataclass(frozen=True, kw_only=True)
class CorrectionsFeedSpec(PageSpec):
    kind = Kind.CORRECTIONS_FEED
    ledger: tuple[LedgerEntry, ...]


@dataclass(frozen=True, kw_only=True)
class JsonFeedSpec(PageSpec):
    kind = Kind.JSON_FEED


@dataclass(frozen=True, kw_only=True)
class SitemapSpec(PageSpec):
    kind = Kind.SITEMAP
    entries: tuple[SitemapEntry, ...]
    alternates: tuple[tuple[str, Versions], ...] = ()  # (URL, its versions) of the entries that have some


@dataclass(frozen=True, kw_only=True)
class NewsSitemapSpec(PageSpec):
    kind = Kind.NEWS_SITEMAP


@dataclass(frozen=True, kw_only=True)
class RobotsSpec(PageSpec):
    kind = Kind.ROBOTS
    sitemaps: tuple[str, ...] = ()  # every edition's sitemap and news sitemap; none: the site's two


@dataclass(frozen=True, kw_only=True)
class AlertsSpec(PageSpec):
    """The live alerts as JSON, which every page's script fetches: an alert reaches every page without rewriting them."""

    kind = Kind.ALERTS
    alerts: tuple[Alert, ...]


@dataclass(frozen=True, kw_only=True)
class ScheduleSpec(PageSpec):
    kind = Kind.SCHEDULE
    change: ScheduledChange | None


@dataclass(frozen=True, kw_only=True)
class RedirectSpec(PageSpec):
    """An article's old URL (`aliases`, `redirect_from`): a page that sends readers and crawlers to the new one."""

    kind = Kind.REDIRECT
    target: str


@dataclass(frozen=True, kw_only=True)
class StandalonePageSpec(PageSpec):
    """A standalone page (`pages/about.md`): the page itself, not an id, since no cache holds pages (they are few)."""

    kind = Kind.STANDALONE
    page: StandalonePage


@dataclass(frozen=True, kw_only=True)
class LatestSpec(PageSpec):
    """The "Latest news" rail as one small page that article pages load, so a new story changes it, not them."""

    kind = Kind.LATEST
    pools: tuple[str, ...] = (LATEST_POOL,)


@dataclass(frozen=True, kw_only=True)
class SearchSpec(PageSpec):
    """The search page: a form, and the script that asks the Pagefind index (`engine/search.py`) in the browser."""

    kind = Kind.SEARCH


@dataclass(frozen=True, kw_only=True)
class CmsAdminSpec(PageSpec):
    """The CMS's page, `/admin/` (`cms:` in newsgen.yaml): the pinned Decap bundle, with the theme's look in its
    preview pane; it shows nothing of the site, so only the settings change it."""

    kind = Kind.CMS_ADMIN


@dataclass(frozen=True, kw_only=True)
class CmsConfigSpec(PageSpec):
    """The CMS's `config.yml`: the settings and the site's sections (name, slug) make it, so a new section rewrites
    it and a new story does not."""

    kind = Kind.CMS_CONFIG
    sections: tuple[tuple[str, str], ...]


ARTICLE_KINDS = (Kind.ARTICLE, Kind.REDIRECT)  # the pages `article_specs` gives; `listing_specs` gives the others

SPEC_TYPES: dict[Kind, type[PageSpec]] = {
    spec_type.kind: spec_type
    for spec_type in (
        ArticleSpec,
        ListSpec,
        TagsSpec,
        CorrectionsSpec,
        NotFoundSpec,
        FeedSpec,
        CorrectionsFeedSpec,
        JsonFeedSpec,
        SitemapSpec,
        NewsSitemapSpec,
        RobotsSpec,
        ScheduleSpec,
        RedirectSpec,
        LatestSpec,
        StandalonePageSpec,
        SearchSpec,
        AlertsSpec,
        CmsAdminSpec,
        CmsConfigSpec,
    )
}


def spec_digest(spec: PageSpec) -> bytes:
    """A digest of everything a spec holds, from its text: equal moments with other offsets differ, as in print."""
    return hashlib.sha256(repr(spec).encode()).digest()


def spec_row(spec: PageSpec) -> tuple[str, dict[str, object]]:
    """A spec as plain values, for the site index."""
    return spec.kind.value, dict(vars(spec))


def spec_from_row(row: object) -> PageSpec | None:
    """The spec a `spec_row` stored, or None for a damaged or foreign row."""
    if not (isinstance(row, tuple) and len(row) == 2 and isinstance(row[1], dict)):
        return None
    try:
        return SPEC_TYPES[Kind(row[0])](**row[1])
    except (TypeError, ValueError, KeyError):
        return None


def list_heading(kind: str, name: str, words: Words) -> str:
    """A recap list's `<h1>`, also its `<title>` and its feed's: "Tagged: Ferries" in the page's language."""
    if kind == "home":
        return words.gettext("Latest news")
    if kind == "tag":
        return words.gettext("Tagged: %(name)s", name=name)
    if kind == "series":
        return words.gettext("Series: %(name)s", name=name)
    if kind == "author":
        return words.gettext("Stories by %(name)s", name=name)
    return name  # a section or a label: its own name


def _ids(articles: Sequence[Article]) -> tuple[str, ...]:
    return tuple(article_id(article) for article in articles)


def latest_pool(config: SiteConfig, code: str) -> str:
    """The pool of an edition's newest stories, for its "Latest news"."""
    return LATEST_POOL if code == config.default_language else f"{LATEST_POOL}:{code}"


def edition_articles(site: Site, config: SiteConfig, code: str) -> tuple[Article, ...]:
    """An edition's published articles, newest first: all of them in a site of one language."""
    return tuple(a for a in site.articles if config.edition_of(a.url) == code) if config.editions else site.articles


def site_pools(site: Site, config: SiteConfig) -> dict[str, tuple[str, ...]]:
    """The shared article groups pages read, by name, as article ids: each edition's newest, for "Latest news"."""
    return {
        latest_pool(config, code): _ids(edition_articles(site, config, code)[: config.latest_count + 1])
        for code in config.edition_codes
    }


def page_specs(site: Site, config: SiteConfig, now: datetime) -> list[PageSpec]:
    """Every page of the site: each article's (`article_specs`), then every other (`listing_specs`)."""
    chosen = related.choices(site)
    specs = [spec for a in site.articles for spec in article_specs(a, site, config, chosen.get(a.url, ()))]
    return specs + listing_specs(site, config, now)


def article_specs(article: Article, site: Site, config: SiteConfig, more_on_this: Sequence[Article]) -> list[PageSpec]:
    """A published article's page, with the "More on this" `site/related.py` chose for it, and its old URLs' pages."""
    ref = (article_id(article),)
    redirects = [RedirectSpec(url=old_url_page(old), refs=ref, target=article.url) for old in article.redirect_from]
    return [_article_spec(article, site, config, more_on_this), *redirects]


def listing_specs(site: Site, config: SiteConfig, now: datetime) -> list[PageSpec]:
    """Every page but the articles': lists, the tags index, feeds, sitemaps and the other machine-read files.

    Each language edition has its own home page, lists, tags index, "Latest news", search page, feeds and sitemaps,
    under its path; the corrections ledger, the 404 page, robots.txt and the schedule are the whole site's.
    """
    specs: list[PageSpec] = []
    for page in site.list_pages:
        specs.append(
            ListSpec(
                url=page.url,
                refs=_ids(page.articles),
                versions=site.versions.get(page.url, ()),
                list_kind=page.kind,
                title=page.title,
                number=page.number,
                count=page.count,
                previous_url=page.previous_url,
                next_url=page.next_url,
                term=page.term,
                first=page.first,
                pinned=page.pinned,
                lead=page.lead,
                alerts=site.alerts if page.kind == "home" and page.first else (),
            )
        )
    codes = config.edition_codes
    for code in codes:
        tags = (c for c in site.tags if config.edition_of(c.term.url) == code)
        specs.append(
            TagsSpec(
                url=config.edition(code).permalinks["tags_index"],
                tags=tuple(TagCount(c.term, len(c.articles)) for c in tags),
            )
        )
    ledger = tuple((article_id(article), correction) for article, correction in site.corrections)
    specs.append(
        CorrectionsSpec(url=CORRECTIONS_URL, refs=tuple(dict.fromkeys(ref for ref, _ in ledger)), ledger=ledger)
    )
    specs.append(NotFoundSpec(url=NOT_FOUND_URL))
    specs += [StandalonePageSpec(url=page.url, page=page) for page in site.pages]
    if config.has_latest_page:
        specs += [
            LatestSpec(url=config.edition_url(code, LATEST_URL), pools=(latest_pool(config, code),)) for code in codes
        ]
    if config.search:  # one per edition: Pagefind answers a page from the index of its language
        specs += [SearchSpec(url=config.edition_url(code, SEARCH_URL)) for code in codes]
    count = config.feed_count
    feed_sources: list[tuple[str, str, str, tuple[Article, ...]]] = [
        ("home", "", config.edition_url(code, "/"), edition_articles(site, config, code)) for code in codes
    ]
    for collection in site.collections():
        feed_sources.append((collection.kind, collection.term.name, collection.term.url, collection.articles))
    for list_kind, name, list_url, articles in feed_sources:
        refs = _ids(articles[:count])
        specs.append(FeedSpec(url=feed_url(list_url), refs=refs, list_kind=list_kind, name=name, list_url=list_url))
    head = ledger[:count]
    specs.append(
        CorrectionsFeedSpec(
            url=feed_url(CORRECTIONS_URL), refs=tuple(dict.fromkeys(ref for ref, _ in head)), ledger=head
        )
    )
    for code in codes:
        articles = edition_articles(site, config, code)
        specs.append(JsonFeedSpec(url=config.edition_url(code, JSON_FEED_URL), refs=_ids(articles[:count])))
    for code in codes:
        entries = tuple(sitemap_entries(site, config, code))
        alternates = tuple((url, site.versions[url]) for url, _ in entries if url in site.versions)
        home = config.edition_url(code, "/")
        specs += [
            SitemapSpec(url=url, entries=entries, alternates=alternates) for url in sitemaps.sitemap_urls(entries, home)
        ]
    for code in codes:
        recent = news_window(edition_articles(site, config, code), now)
        specs.append(NewsSitemapSpec(url=config.edition_url(code, NEWS_SITEMAP_URL), refs=_ids(recent)))
    listed = tuple(config.edition_url(code, url) for code in codes for url in (SITEMAP_URL, NEWS_SITEMAP_URL))
    specs.append(RobotsSpec(url=ROBOTS_URL, sitemaps=listed if config.editions else ()))
    specs.append(ScheduleSpec(url=SCHEDULE_URL, change=site.next_change))
    specs.append(AlertsSpec(url=ALERTS_URL, alerts=site.alerts))
    if config.cms is not None:
        sections = tuple(
            (term.name, term.slug) for term in site.nav() if config.edition_of(term.url) == config.language
        )
        specs += [CmsAdminSpec(url=CMS_ADMIN_URL), CmsConfigSpec(url=CMS_CONFIG_URL, sections=sections)]
    return specs


def _article_spec(article: Article, site: Site, config: SiteConfig, more_on_this: Sequence[Article]) -> ArticleSpec:
    nav = site.series_nav.get(article.url)
    place = None
    if nav is not None:
        previous_id, next_id = (article_id(a) if a else None for a in (nav.previous, nav.next))
        place = SeriesPlace(nav.series, nav.position, nav.total, previous_id, next_id)
    spec = article_spec(article, place, config, more_on_this)
    return replace(spec, versions=site.versions[article.url]) if article.url in site.versions else spec


def article_spec(
    article: Article, place: SeriesPlace | None, config: SiteConfig, more_on_this: Sequence[Article]
) -> ArticleSpec:
    """An article's page, with the "More on this" `site/related.py` chose for it."""
    chosen = _ids(more_on_this)
    pools = (latest_pool(config, config.edition_of(article.url)),) if config.latest_rail == "inline" else ()
    refs = _article_refs(article_id(article), place, chosen)
    return ArticleSpec(url=article.url, refs=refs, pools=pools, series=place, more_on_this=chosen)


def _article_refs(own: str, place: SeriesPlace | None, more_on_this: tuple[str, ...]) -> tuple[str, ...]:
    """What an article page shows: the article, its series neighbours, its "More on this"."""
    neighbours = (ref for ref in ((place.previous, place.next) if place else ()) if ref)
    return tuple(dict.fromkeys((own, *neighbours, *more_on_this)))
