"""Stage 3: a page's key and its bytes.

A page's key covers everything its bytes depend on: its spec, the
fingerprints of the articles it shows (directly or through pools), the
config, the site's sections and menus, newsgen's own code, and the sources of the
templates it loaded the last time it rendered (recorded while rendering, see
`environment.py`). So a build can skip a page whose key has not changed and
still give exactly the bytes of a full build.

Pages go through Jinja2 with autoescape and StrictUndefined: a typo in a
template is an error, not a blank, and every front-matter string is escaped
as text. A site's own `templates/` override the theme's of the same name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

import jinja2
from markupsafe import Markup

from newsgen import dates
from newsgen.cms.admin import admin_page
from newsgen.cms.decap import config_yaml
from newsgen.codeversion import code_version
from newsgen.config import SiteConfig
from newsgen.editions import autonym
from newsgen.models import Alert, Article, ListPage, MenuEntry, SeriesNav, Term, Versions
from newsgen.render.environment import environment_catalogs, recording_templates, template_digest
from newsgen.render.outputs import feeds, sitemaps, structured
from newsgen.render.scrollers import keyboard_scrollable
from newsgen.render.specs import (
    AlertsSpec,
    ArticleSpec,
    CmsAdminSpec,
    CmsConfigSpec,
    CorrectionsFeedSpec,
    CorrectionsSpec,
    FeedSpec,
    JsonFeedSpec,
    LatestSpec,
    ListSpec,
    NewsSitemapSpec,
    NotFoundSpec,
    PageSpec,
    RedirectSpec,
    RobotsSpec,
    ScheduleSpec,
    SearchSpec,
    SitemapSpec,
    StandalonePageSpec,
    TagsSpec,
    latest_pool,
    list_heading,
)
from newsgen.site.menus import by_menu
from newsgen.site.pagination import page_place
from newsgen.translate import Words
from newsgen.urls import CORRECTIONS_URL, LATEST_URL, feed_url


class PageRenderer:
    """Keys and renders specs, given the articles they name (by id) and the site's pools.

    `articles` needs to hold only the articles the rendered specs name, directly
    or through their pools: a full build passes every article, an edit only a few.
    """

    def __init__(
        self,
        env: jinja2.Environment,
        config: SiteConfig,
        nav: tuple[Term, ...],
        articles: Mapping[str, Article],
        pools: Mapping[str, tuple[str, ...]],
        menu: tuple[MenuEntry, ...],
    ) -> None:
        self._env = env
        self._root = config
        self._articles = articles
        self._pools = pools
        self._pool_keys: dict[str, tuple[str, ...]] = {}
        self._catalogs = environment_catalogs(env)
        nav_terms = repr([(term.name, term.url) for term in nav])
        self._salt = _digest(code_version(), repr(config), nav_terms, menu, self._catalogs.digest())
        # Each language edition renders with its own settings (`site` in templates: language, title, timezone).
        self._editions = {code: config.edition(code) for code in config.edition_codes}
        self._commons: dict[str, dict[str, object]] = {
            code: {
                "site": edition,
                "sections": [term for term in nav if config.edition_of(term.url) == code]
                if config.editions
                else list(nav),
                "menu": by_menu(tuple(entry for entry in menu if config.edition_of(entry.url) == code)),
                "feed_url": feed_url(edition.home_url),
                "description": edition.description,
                "versions": (),
                "x_default": None,
            }
            for code, edition in self._editions.items()
        }
        self._config = self._editions[config.language]
        self._common = self._commons[config.language]

    def data_key(self, spec: PageSpec) -> bytes:
        """Everything the page depends on but its templates."""
        fingerprints = tuple(self._articles[ref].fingerprint for ref in spec.refs)
        return _digest(self._salt, repr(spec), fingerprints, tuple(self._pool_key(name) for name in spec.pools))

    def key(self, data_key: bytes, templates: Iterable[str]) -> bytes:
        """The page's key, given what it loaded when it rendered: a changed or newly shadowed template changes it."""
        return _digest(data_key, [(name, template_digest(self._env, name)) for name in sorted(templates)])

    def render(self, spec: PageSpec) -> tuple[bytes, tuple[str, ...]]:
        """The page's bytes, and the names of every template it loaded."""
        code = self._root.edition_of(spec.url)
        self._config, self._common = self._editions[code], self._commons[code]
        if spec.versions:
            self._common = {**self._common, **_versions_context(spec.versions, self._root.language)}
        with recording_templates() as loaded:
            content = _RENDERERS[type(spec)](self, spec)
        return content, tuple(sorted(loaded))

    def article(self, ref: str) -> Article:
        return self._articles[ref]

    def pool(self, name: str) -> tuple[Article, ...]:
        return tuple(self._articles[ref] for ref in self._pools.get(name, ()))

    def html(self, template: str, context: dict[str, Any]) -> bytes:
        return self._env.get_template(template).render(**{**self._common, **context}).encode("utf-8")

    @property
    def config(self) -> SiteConfig:
        return self._config

    @property
    def words(self) -> Words:
        """The theme's words in the language of the edition rendering now, for what Python writes (titles, headings,
        feeds)."""
        return self._catalogs.words(self._config.language)

    def _pool_key(self, name: str) -> tuple[str, ...]:
        if name not in self._pool_keys:
            self._pool_keys[name] = tuple(article.fingerprint for article in self.pool(name))
        return self._pool_keys[name]


def _versions_context(versions: Versions, default_language: str) -> dict[str, object]:
    """A page's versions as templates show them: hreflang links (and x-default, the default edition's) and a switcher."""
    return {
        "versions": [Version(code, url, autonym(code)) for code, url in versions],
        "x_default": next((url for code, url in versions if code == default_language), None),
    }


@dataclass(frozen=True)
class Version:
    """A page's version in one language edition, named in its own language ('Español')."""

    language: str
    url: str
    name: str


def _digest(*parts: object) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.digest()


def _article_page(r: PageRenderer, spec: ArticleSpec) -> bytes:
    article = r.article(spec.refs[0])
    pool = latest_pool(r.config, r.config.language)
    latest = [other for other in r.pool(pool) if other.source != article.source] if pool in spec.pools else []
    latest = latest[: r.config.latest_count]
    series_nav = None
    if spec.series is not None:
        place = spec.series
        neighbours = (
            r.article(place.previous) if place.previous else None,
            r.article(place.next) if place.next else None,
        )
        series_nav = SeriesNav(place.series, *neighbours, position=place.position, total=place.total)
    return r.html(
        "article.html",
        {
            "page_title": article.headline,
            "page_url": article.url,
            "description": article.dek or r.config.description,
            "article": article,
            "body": Markup(keyboard_scrollable(article.body_html)),  # sanitised in body/markup.py
            "gated": Markup(keyboard_scrollable(article.gated_html)) if article.gated_html is not None else None,
            "series_nav": series_nav,
            "latest": latest,
            "latest_url": r.config.edition_url(r.config.language, LATEST_URL) if r.config.has_latest_page else None,
            "more_on_this": tuple(map(r.article, spec.more_on_this)),
            "json_ld": structured.json_ld(structured.article_data(article, r.config)),
        },
    )


def _list_page(r: PageRenderer, spec: ListSpec) -> bytes:
    page = ListPage(
        spec.list_kind,
        spec.title,
        spec.url,
        spec.term,
        tuple(map(r.article, spec.refs)),
        spec.number,
        spec.count,
        spec.previous_url,
        spec.next_url,
        spec.first,
        spec.pinned,
        spec.lead,
    )
    heading = list_heading(spec.list_kind, spec.title, r.words)
    page_title = spec.title if spec.list_kind == "home" else heading
    if not spec.first:
        page_title = f"{page_title}: {page_place(page, r.config.timezone, r.words)}"
    return r.html(
        "list.html",
        {
            "page_title": page_title,
            "page_url": page.url,
            "page": page,
            "heading": heading,
            "feed_url": feed_url(spec.term.url if spec.term else r.config.home_url),
            "json_ld": structured.json_ld(structured.collection_page(page, heading, r.config)),
            "alerts": [(alert_id(alert), alert) for alert in spec.alerts],
        },
    )


def _latest_page(r: PageRenderer, spec: LatestSpec) -> bytes:
    """One more than `latest_count`: a page that lists itself drops itself and shows the rest."""
    latest = r.pool(spec.pools[0])[: r.config.latest_count + 1]
    return r.html("latest.html", {"page_title": r.words.gettext("Latest news"), "page_url": spec.url, "latest": latest})


def _standalone_page(r: PageRenderer, spec: StandalonePageSpec) -> bytes:
    page = spec.page
    context = {
        "page_title": page.title,
        "page_url": page.url,
        "description": page.description or r.config.description,
        "page": page,
        "body": Markup(keyboard_scrollable(page.body_html)),  # sanitised in body/markup.py
    }
    return r.html("page.html", context)


def _tags_page(r: PageRenderer, spec: TagsSpec) -> bytes:
    return r.html("tags.html", {"page_title": r.words.gettext("Tags"), "page_url": spec.url, "tags": list(spec.tags)})


def _corrections_page(r: PageRenderer, spec: CorrectionsSpec) -> bytes:
    ledger = [(r.article(ref), correction) for ref, correction in spec.ledger]
    title = r.words.gettext("Corrections")
    context = {"page_title": title, "page_url": spec.url, "corrections": ledger, "feed_url": feed_url(spec.url)}
    return r.html("corrections.html", context)


def _not_found_page(r: PageRenderer, spec: NotFoundSpec) -> bytes:
    return r.html("404.html", {"page_title": r.words.gettext("Page not found"), "page_url": spec.url})


def _search_page(r: PageRenderer, spec: SearchSpec) -> bytes:
    return r.html("search.html", {"page_title": r.words.gettext("Search"), "page_url": spec.url})


def _feed(r: PageRenderer, spec: FeedSpec) -> bytes:
    articles = [r.article(ref) for ref in spec.refs]
    items = [feeds.article_item(article, r.config) for article in articles]
    title = r.config.title
    if spec.list_kind != "home":
        title = f"{list_heading(spec.list_kind, spec.name, r.words)} | {title}"
    return feeds.rss(r.config, title, spec.list_url, spec.url, items, feeds.latest_change(articles))


def _corrections_feed(r: PageRenderer, spec: CorrectionsFeedSpec) -> bytes:
    words = r.words
    items = [feeds.correction_item(r.article(ref), correction, r.config, words) for ref, correction in spec.ledger]
    newest = format_datetime(spec.ledger[0][1].date) if spec.ledger else None
    title = f"{words.gettext('Corrections')} | {r.config.title}"
    return feeds.rss(r.config, title, CORRECTIONS_URL, spec.url, items, newest)


def _json_feed(r: PageRenderer, spec: JsonFeedSpec) -> bytes:
    return feeds.json_feed(r.config, [r.article(ref) for ref in spec.refs])


def _sitemap(r: PageRenderer, spec: SitemapSpec) -> bytes:
    return sitemaps.sitemap_file(r.config, spec.entries, spec.url, dict(spec.alternates))


def _news_sitemap(r: PageRenderer, spec: NewsSitemapSpec) -> bytes:
    return sitemaps.news_sitemap(r.config, [r.article(ref) for ref in spec.refs])


def _redirect(r: PageRenderer, spec: RedirectSpec) -> bytes:
    """A plain HTML redirect (no script): refresh, canonical link, and a link a reader can follow."""
    article = r.article(spec.refs[0])
    return r.html("redirect.html", {"page_title": article.headline, "page_url": spec.url, "target": spec.target})


def _robots(r: PageRenderer, spec: RobotsSpec) -> bytes:
    return sitemaps.robots_txt(r.config, spec.sitemaps) if spec.sitemaps else sitemaps.robots_txt(r.config)


def _schedule(r: PageRenderer, spec: ScheduleSpec) -> bytes:
    """For a CI schedule: when the output next changes by itself, or null."""
    change = spec.change
    data = {"next_change": dates.iso(change.moment) if change else None, "reason": change.reason if change else None}
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def alert_id(alert: Alert) -> str:
    """A short name for an alert that stays while its words do: a reader who dismissed it doesn't see it again."""
    return hashlib.sha256(repr((alert.level, alert.text, alert.url)).encode()).hexdigest()[:12]


def _alerts(r: PageRenderer, spec: AlertsSpec) -> bytes:
    """The live alerts for every page's script (theme/alerts.js), most urgent first; `until` lets it hide an alert
    that ended before the next scheduled build."""
    data = {
        "alerts": [
            {
                "id": alert_id(alert),
                "level": alert.level,
                "text": alert.text,
                "url": alert.url,
                "until": dates.iso(alert.end) if alert.end else None,
            }
            for alert in spec.alerts
        ]
    }
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _cms_admin(r: PageRenderer, spec: CmsAdminSpec) -> bytes:
    return admin_page(r.config)


def _cms_config(r: PageRenderer, spec: CmsConfigSpec) -> bytes:
    return config_yaml(r.config, spec.sections)


# The registry of page kinds: each spec type and the function that renders it.
_RENDERERS: dict[type[PageSpec], Callable[[PageRenderer, Any], bytes]] = {
    ArticleSpec: _article_page,
    LatestSpec: _latest_page,
    ListSpec: _list_page,
    StandalonePageSpec: _standalone_page,
    TagsSpec: _tags_page,
    CorrectionsSpec: _corrections_page,
    NotFoundSpec: _not_found_page,
    SearchSpec: _search_page,
    FeedSpec: _feed,
    CorrectionsFeedSpec: _corrections_feed,
    JsonFeedSpec: _json_feed,
    SitemapSpec: _sitemap,
    NewsSitemapSpec: _news_sitemap,
    RobotsSpec: _robots,
    ScheduleSpec: _schedule,
    AlertsSpec: _alerts,
    RedirectSpec: _redirect,
    CmsAdminSpec: _cms_admin,
    CmsConfigSpec: _cms_config,
}
