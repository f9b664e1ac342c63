"""Stage 2: decide what is published and where. Pure functions, no I/O.

Drafts and embargoed articles are dropped here, articles are grouped into
sections, tags, series, authors and labels, lists are paginated, and every output
path is claimed once: two things on one path is an error naming both.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from newsgen.config import SiteConfig
from newsgen.errors import Problem, Severity, display_path
from newsgen.models import NO_DESK, Article, Collection, Desk, SeriesNav, Site, StandalonePage, StaticFile, Term
from newsgen.read.article import sort_key
from newsgen.read.files import CONTENT_DIR
from newsgen.site.clock import Selection, is_published, next_scheduled_change, output_valid_until
from newsgen.site.fronts import arrange_fronts, live_alerts
from newsgen.site.pagination import paginate
from newsgen.site.refs import resolve_refs
from newsgen.site.translations import article_versions, cede_shared_old_urls, list_versions
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
    decoded_path,
    feed_url,
    old_url_page,
    output_path,
    sitemap_part_urls,
)

KINDS = ("section", "tag", "series", "author", "label")


def collect_site(
    articles: Iterable[Article],
    static_files: Iterable[StaticFile],
    config: SiteConfig,
    config_path: Path,
    selection: Selection,
    pages: Iterable[StandalonePage] = (),
    clashes: list[Clash] | None = None,
    desk: Desk = NO_DESK,
) -> tuple[Site, list[Problem]]:
    """The site as published, and its problems; `clashes`, when given, receives each collision of two articles."""
    content_dir = config_path.parent / CONTENT_DIR
    site, problems = arrange_site(articles, static_files, config, content_dir, selection, pages, desk)
    claimed: dict[str, _Claim] = {}
    problems += _collisions(site, config, config_path, claimed, clashes if clashes is not None else [])
    return site, problems + broken_links(site.articles, lambda name: name in claimed)


def arrange_site(
    articles: Iterable[Article],
    static_files: Iterable[StaticFile],
    config: SiteConfig,
    content_dir: Path,
    selection: Selection,
    pages: Iterable[StandalonePage] = (),
    desk: Desk = NO_DESK,
) -> tuple[Site, list[Problem]]:
    """The site as published at `selection`: what is published, its collections, lists, series, corrections,
    versions, editors' fronts and alerts (`desk`); and the problems of its links by file, its translations and its
    pins. No URL is claimed here (`collect_site` does): the quick way arranges article outlines (`outline.py`) and
    checks only what changed."""
    articles, ref_problems = resolve_refs(articles)  # first: every later step sees the articles' real links
    published = tuple(sorted((a for a in articles if is_published(a, selection)), key=sort_key))
    collections = {kind: _group(published, kind, config) for kind in KINDS}
    list_pages = []
    for code in config.edition_codes:  # each edition's home page lists its own stories
        edition = config.edition(code)
        home = config.edition_url(code, "/")
        own = tuple(a for a in published if config.edition_of(a.url) == code) if config.editions else published
        list_pages += paginate("home", edition.title, home, None, own, config.per_page, config.pagination)
    for kind in KINDS:
        for c in collections[kind]:
            list_pages += paginate(
                kind, c.term.name, c.term.url, c.term, c.articles, config.per_page, config.pagination
            )
    list_pages, pin_problems = arrange_fronts(list_pages, desk, published, config, content_dir, selection.now)
    site = Site(
        articles=published,
        sections=collections["section"],
        tags=collections["tag"],
        series=collections["series"],
        authors=collections["author"],
        labels=collections["label"],
        list_pages=tuple(list_pages),
        series_nav=_series_nav(collections["series"]),
        static_files=tuple(static_files),
        corrections=tuple(
            sorted(
                ((a, c) for a in published for c in a.corrections),
                key=lambda pair: (-pair[1].date.timestamp(), pair[0].url),
            )
        ),
        next_change=next_scheduled_change(articles, selection, desk),
        valid_until=output_valid_until(articles, selection, desk),
        pages=tuple(sorted(pages, key=lambda page: page.url)),
        alerts=live_alerts(desk, selection.now),
    )
    versions, translation_problems = article_versions(published, (a.source for a in articles), config, content_dir)
    articles, alias_problems = cede_shared_old_urls(site.articles, versions)
    site = replace(site, articles=articles, versions={**versions, **list_versions(site.list_pages, config)})
    return site, ref_problems + translation_problems + alias_problems + pin_problems


SitemapEntry = tuple[str, datetime | None]  # (URL, last modified)


def sitemap_entries(site: Site, config: SiteConfig, code: str | None = None) -> list[SitemapEntry]:
    """Every page an edition's sitemap lists (the default edition's without `code`): articles (but syndicated
    copies), list pages, the tags index, the corrections page and the standalone pages.

    The sitemap files render these, and the URL claims count them for the sitemap's parts: one list for both.
    """

    def newest(articles: tuple[Article, ...]) -> datetime | None:
        return max((a.modified for a in articles), default=None)

    code = code or config.language

    def mine(url: str) -> bool:
        return not config.editions or config.edition_of(url) == code

    articles = tuple(a for a in site.articles if mine(a.url))
    entries: list[SitemapEntry] = [(a.url, a.modified) for a in articles if a.in_sitemap]
    entries += [
        (page.url, page.unpinned_modified if page.pinned else newest(page.articles))
        for page in site.list_pages
        if mine(page.url)
    ]
    entries.append((config.edition(code).permalinks["tags_index"], newest(articles)))
    if code == config.language:  # the corrections ledger is the whole site's
        entries.append((CORRECTIONS_URL, site.corrections[0][1].date if site.corrections else None))
    entries += [(page.url, page.updated) for page in site.pages if mine(page.url)]  # last: found by URL on an edit
    return entries


def terms_of(article: Article, kind: str) -> tuple[Term, ...]:
    if kind == "section":
        return (article.section,) if article.section else ()
    if kind == "series":
        return (article.series,) if article.series else ()
    if kind == "label":
        return (article.label,) if article.label else ()
    return article.tags if kind == "tag" else article.authors


def _group(articles: tuple[Article, ...], kind: str, config: SiteConfig) -> tuple[Collection, ...]:
    """One collection per edition and slug; spellings that differ only in case or accents share a page."""
    members: dict[tuple[int, str], list[Article]] = defaultdict(list)
    spellings: dict[tuple[int, str], Counter[Term]] = defaultdict(Counter)
    order = {code: index for index, code in enumerate(config.edition_codes)}
    for article in articles:
        edition = order[config.edition_of(article.url)] if config.editions else 0
        for term in terms_of(article, kind):
            slug = (edition, term.slug)
            if not members[slug] or members[slug][-1] is not article:
                members[slug].append(article)
            spellings[slug][term] += 1
    collections = []
    for slug in sorted(members):
        term = min(spellings[slug].items(), key=lambda item: (-item[1], item[0].name))[0]
        collections.append(Collection(kind, term, tuple(members[slug])))
    return tuple(collections)


def _series_nav(series: tuple[Collection, ...]) -> dict[str, SeriesNav]:
    """Previous is the older neighbour, next the newer one."""
    nav = {}
    for collection in series:
        oldest_first = collection.articles[::-1]
        for index, article in enumerate(oldest_first):
            nav[article.url] = SeriesNav(
                series=collection.term,
                previous=oldest_first[index - 1] if index > 0 else None,
                next=oldest_first[index + 1] if index + 1 < len(oldest_first) else None,
                position=index + 1,
                total=len(oldest_first),
            )
    return nav


@dataclass(frozen=True)
class Clash:
    """Two articles on one output path, as the collision is reported (on the later) and told from the earlier's
    side: keeping going holds both, so each has its line."""

    reported: Problem
    mirrored: Problem


@dataclass(frozen=True)
class _Claim:
    path: Path
    line: int
    field: str
    what: str
    article: bool = False  # an article's own URL, image or old URL


def _collisions(
    site: Site, config: SiteConfig, config_path: Path, claims: dict[str, _Claim], clashes: list[Clash]
) -> list[Problem]:
    """Claim every output path once (into `claims`); the fixed pages first, so a clash names the file that caused it.

    Collisions of two articles also go into `clashes`.
    """
    problems: list[Problem] = []

    def claim(url: str, owner: _Claim) -> None:
        earlier = claims.setdefault(output_path(url), owner)
        if earlier is not owner:
            problems.append(_collision(url, owner, earlier))
            if owner.article and earlier.article and owner.path != earlier.path:
                clashes.append(Clash(problems[-1], _collision(url, earlier, owner)))

    fixed = [
        ("/", "the home page"),
        (config.permalinks["tags_index"], "the tags index"),
        (NOT_FOUND_URL, "the 404 page"),
        (feed_url("/"), "the home feed"),
        (JSON_FEED_URL, "the JSON feed"),
        (CORRECTIONS_URL, "the corrections page"),
        *([(LATEST_URL, "the latest-news rail")] if config.has_latest_page else []),
        *([(SEARCH_URL, "the search page")] if config.search else []),
        (feed_url(CORRECTIONS_URL), "the corrections feed"),
        (SITEMAP_URL, "the sitemap"),
        (NEWS_SITEMAP_URL, "the news sitemap"),
        (ROBOTS_URL, "robots.txt"),
        (SCHEDULE_URL, "the schedule file"),
        (ALERTS_URL, "the alerts file"),
        *([(CMS_ADMIN_URL, "the CMS's page"), (CMS_CONFIG_URL, "the CMS's config.yml")] if config.cms else []),
    ]
    for code in config.edition_codes[1:]:
        named = [
            ("/", "home page"),
            (config.permalinks["tags_index"], "tags index"),
            (feed_url("/"), "feed"),
            (JSON_FEED_URL, "JSON feed"),
            *([(LATEST_URL, "latest-news rail")] if config.has_latest_page else []),
            *([(SEARCH_URL, "search page")] if config.search else []),
            (SITEMAP_URL, "sitemap"),
            (NEWS_SITEMAP_URL, "news sitemap"),
        ]
        fixed += [(config.edition_url(code, url), f"the {code} edition's {what}") for url, what in named]
    for code in config.edition_codes:
        parts = sitemap_part_urls(len(sitemap_entries(site, config, code)))
        fixed += [(config.edition_url(code, url), "a sitemap part") for url in parts]
    for url, what in fixed:
        claim(url, _Claim(config_path, 1, "url", what))
    collections = {(c.kind, c.term.url): c for c in site.collections()}
    for page in site.list_pages:
        if page.term is not None:
            creator = collections[(page.kind, page.term.url)].articles[-1]  # the oldest article naming the term
            what = f"the {page.kind} page '{page.title}'"
            claim(page.url, _Claim(creator.source, creator.url_line, page.kind, what))
            if page.first:
                claim(feed_url(page.url), _Claim(creator.source, creator.url_line, page.kind, f"the feed of {what}"))
        elif not page.first:
            claim(page.url, _Claim(config_path, 1, "per_page", f"home page {page.url}"))
    for article in site.articles:
        claim(article.url, _Claim(article.source, article.url_line, "url", "an article", article=True))
        for asset in article.assets:
            what = f"image {asset.source.name}"
            claim(asset.url, _Claim(article.source, article.url_line, "image", what, article=True))
        for old in article.redirect_from:
            what = f"an old URL of {article.url}"
            claim(old_url_page(old), _Claim(article.source, article.url_line, "redirect_from", what, article=True))
    for standalone in site.pages:
        owner = _Claim(standalone.source, standalone.url_line, "url", "the page")
        claim(standalone.url, owner)
        for asset in standalone.assets:
            claim(asset.url, _Claim(standalone.source, standalone.url_line, "image", f"image {asset.source.name}"))
    for static in site.static_files:
        claim(static.url, _Claim(static.source, 1, "static", f"static file {static.url}"))
    return problems


def _collision(url: str, owner: _Claim, earlier: _Claim) -> Problem:
    shown = decoded_path(url)  # as the editor wrote it, not as it goes on the wire
    message = f"{shown} is also the URL of {earlier.what} at {display_path(earlier.path)}:{earlier.line}"
    return Problem(owner.path, owner.line, owner.field, message, code="url-collision")


def broken_links(articles: Iterable[Article], is_output: Callable[[str], bool]) -> list[Problem]:
    """Links from articles to pages of this site that the build will not have (`is_output`: whether a file is made)."""
    problems = []
    for article in articles:
        for link in article.internal_links:
            files = link_files(link.url, article.url)
            if files is not None and not any(map(is_output, files)):
                message = f"links to {link.url}, which this site does not have"
                problems.append(
                    Problem(article.source, link.line, link.field, message, Severity.WARNING, "broken-link")
                )
    return problems


def link_files(url: str, from_url: str) -> list[str] | None:
    """The output files a link from the page at `from_url` may reach (none: it can't be ours); None within the page."""
    path = urlsplit(urljoin(from_url, url)).path
    if not path or path == from_url:
        return None
    files = []
    for candidate in (path, path.rstrip("/") + "/"):
        try:
            files.append(output_path(candidate))
        except ValueError:
            break  # no file of ours, nor any after it
    return files
