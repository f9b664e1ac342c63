"""The quick way for an edit to the editors' files alone: fronts.yaml and alerts.yaml.

Nothing about the stories changed, so every page keeps its spec but the
first pages of the fronts the old and new fronts.yaml name (their order),
each edition's home page (the alerts it carries), /alerts.json and the
schedule. Those few are made again from the specs the last build stored, the
outlines of the stories and the new desk, with `site/fronts.py`'s own
functions; the pages whose specs changed are rendered. Arranging the whole
site (`changes.py`) would give the same specs, in a second or more at 10,000
stories; this takes what the outlines cost to load.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.engine.cache.local import ArticleCache
from newsgen.engine.index import IndexDelta, SiteIndex, SiteMeta
from newsgen.engine.output.write import output_name
from newsgen.engine.plan.loop import Plan
from newsgen.engine.plan.quick import plan_of
from newsgen.errors import Problem
from newsgen.models import Article, ListPage, article_id
from newsgen.read.article import sort_key
from newsgen.read.desk import DESK_FILES, ReadDesk
from newsgen.read.files import CONTENT_DIR, Signature
from newsgen.render.specs import AlertsSpec, ListSpec, PageSpec, ScheduleSpec, spec_digest
from newsgen.site.clock import is_published, next_scheduled_change, output_valid_until
from newsgen.site.fronts import HOME_FRONT, PIN_PROBLEM, arrange_fronts, live_alerts
from newsgen.urls import ALERTS_URL, SCHEDULE_URL

if TYPE_CHECKING:
    from newsgen.config import SiteConfig
    from newsgen.engine.context import BuildContext


def desk_plan(
    meta: SiteMeta,
    index: SiteIndex,
    cache: ArticleCache,
    context: BuildContext,
    signatures: dict[str, Signature | None],
) -> Plan | None:
    """The pages the desk's edit changes; None when it names a front the site lacks (`changes.py` reports it)."""
    config, desk, now = context.config, context.desk.desk, context.options.now
    fronts = {front.name for front in (*meta.desk.fronts, *desk.fronts)}
    urls = _front_urls(fronts, meta, config)
    if urls is None:
        return None
    stored = {spec.url: spec for spec in index.specs([*urls, ALERTS_URL, SCHEDULE_URL])}
    if not stored.keys() >= {*urls, ALERTS_URL, SCHEDULE_URL}:
        return None
    outlines = index.outlines()
    published = tuple(sorted((a for a in outlines.values() if is_published(a, context.selection)), key=sort_key))
    alerts = live_alerts(desk, now)
    lists = [spec for url in urls if isinstance(spec := stored[url], ListSpec)]
    if len(lists) != len(urls):
        return None
    pages = [_first_page(spec, _members(spec, published, config), config.per_page) for spec in lists]
    pages, problems = arrange_fronts(pages, desk, published, config, context.source / CONTENT_DIR, now)
    fresh: list[PageSpec] = [
        replace(
            spec,
            refs=tuple(map(article_id, page.articles)),
            pinned=page.pinned,
            lead=page.lead,
            alerts=alerts if spec.list_kind == "home" else (),
        )
        for spec, page in zip(lists, pages, strict=True)
    ]
    articles = [outlines[path] for path in sorted(outlines)]  # as the whole way passes them: by path
    next_change = next_scheduled_change(articles, context.selection, desk)
    fresh += [AlertsSpec(url=ALERTS_URL, alerts=alerts), ScheduleSpec(url=SCHEDULE_URL, change=next_change)]
    changed = [spec for spec in fresh if spec_digest(spec) != spec_digest(stored[spec.url])]
    shown = _articles(changed, index, cache)
    previous = index.manifest(output_name(spec.url) for spec in changed)
    if shown is None or len(previous) != len(changed):
        return None
    after = replace(
        meta,
        next_change=next_change,
        valid_until=output_valid_until(articles, context.selection, desk),
        site_problems=with_desk_problems(meta.site_problems, context.desk, context.source),
        arranged_problems=tuple(
            sorted([*(problem for problem in meta.arranged_problems if problem.code != PIN_PROBLEM), *problems])
        ),
        desk_digest=context.desk.digest,
        desk=desk,
    )
    from newsgen.render.renderer import PageRenderer

    renderer = PageRenderer(context.environment, config, meta.nav, shown, meta.pools, meta.menu)
    return plan_of(after, index, renderer, changed, previous, IndexDelta(after, signatures, specs=tuple(changed)))


def _front_urls(fronts: set[str], meta: SiteMeta, config: SiteConfig) -> list[str] | None:
    """Each edition's home page, and the first page of each section front named; None when a name is no front."""
    sections = {term.slug: term.url for term in meta.nav if config.edition_of(term.url) == config.default_language}
    if not fronts <= {HOME_FRONT, *sections}:
        return None
    homes = [config.edition_url(code, "/") for code in config.edition_codes]
    return sorted({*homes, *(sections[name] for name in fronts if name != HOME_FRONT)})


def _members(spec: ListSpec, published: tuple[Article, ...], config: SiteConfig) -> tuple[Article, ...]:
    """The published stories a home page or section front lists, newest first (as `collect._group` gathers them)."""
    edition = config.edition_of(spec.url)
    own = tuple(a for a in published if config.edition_of(a.url) == edition) if config.editions else published
    if spec.list_kind == "home" or spec.term is None:
        return own
    return tuple(a for a in own if a.section is not None and a.section.slug == spec.term.slug)


def _first_page(spec: ListSpec, members: tuple[Article, ...], per_page: int) -> ListPage:
    """The list's first page before editors arrange it: its newest stories (`site/pagination.py`, both schemes)."""
    return ListPage(
        spec.list_kind,
        spec.title,
        spec.url,
        spec.term,
        members[:per_page],
        spec.number,
        spec.count,
        spec.previous_url,
        spec.next_url,
    )


def _articles(specs: list[PageSpec], index: SiteIndex, cache: ArticleCache) -> dict[str, Article] | None:
    """The stories the pages show, whole, from the article cache; None when one is missing."""
    wanted = {ref for spec in specs for ref in spec.refs}
    entries = cache.entries({ref: record.article_key for ref, record in index.sources(wanted).items()})
    if entries is None:
        return None
    found = {}
    for ref, entry in entries.items():
        if entry.article is None or entry.article.refs:
            return None  # links by file get their URLs from every article (site/refs.py); the cache lacks them
        found[ref] = entry.article
    return found if found.keys() == wanted else None


def with_desk_problems(before: tuple[Problem, ...], desk: ReadDesk, source: Path) -> tuple[Problem, ...]:
    """The site's own warnings, with the editors' files' as they read now."""
    desk_files = {source / name for name in DESK_FILES}
    return tuple(sorted([*(problem for problem in before if problem.path not in desk_files), *desk.problems]))
