"""The quick way for changes that move things: stories added, deleted, retagged or corrected, embargoes lifting.

The site is arranged again from the outlines the index keeps of every article
(`site/outline.py`), with the changed articles read again and the clock moved
on, through the whole way's own functions (`collect.arrange_site`,
`specs.listing_specs`, `specs.article_specs`): there is one derivation of
every list, feed, box and sitemap. Comparing what they give with the specs the
last build stored gives the pages whose specs changed and the pages no longer
made; with the pages that show an edited article, those are the pages to
bring up to date. Only "More on this" is not chosen for every article again:
a change reaches only the boxes of the stories near where it stood and where
it stands in its tags and section (`related.neighbours`), and the pages of the
members of its series. On a site with editions the site as it was is
arranged too, for the versions of stories no change names.

Besides the pages, only what changed is checked: the URLs the change claims
(a collision takes the whole way, which reports it) and the links that reach
the files it adds or removes. The whole way remains for a change to the
sections (every page shows them), links by file on a site whose stories
moved, and errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.engine.cache.local import ArticleCache, CachedArticle
from newsgen.engine.imaging import article_copies, rendition_copies, rendition_urls, renditions_of
from newsgen.engine.index import Gone, IndexDelta, SiteIndex, SiteMeta, SourceRecord
from newsgen.engine.output.write import OutputError, output_name
from newsgen.engine.plan.desk import with_desk_problems
from newsgen.engine.plan.load import has_errors
from newsgen.engine.plan.loop import Plan
from newsgen.engine.plan.shrink import would_shrink
from newsgen.engine.plan.standalone import PageEdits
from newsgen.engine.progress import ProgressBar
from newsgen.errors import Problem
from newsgen.models import Article, Desk, Site, StandalonePage, Versions, article_id
from newsgen.options import BuildOptions
from newsgen.read.desk import ReadDesk
from newsgen.read.files import CONTENT_DIR, Signature
from newsgen.render.specs import (
    POOL_REF,
    PageSpec,
    article_specs,
    listing_specs,
    site_pools,
    spec_digest,
)
from newsgen.site import related
from newsgen.site.clock import Selection, is_published
from newsgen.site.collect import arrange_site, broken_links, link_files
from newsgen.site.outline import outline
from newsgen.urls import old_url_page

if TYPE_CHECKING:
    import jinja2

    from newsgen.config import SiteConfig
    from newsgen.engine.context import BuildContext
    from newsgen.render.renderer import PageRenderer

_BROKEN_LINK = "broken-link"  # the problems arranging finds again only for the articles a change reaches


@dataclass(frozen=True)
class Changes:
    """What changed under content/ and pages/ since the last build."""

    changed: list[str]  # article files whose bytes changed
    added: list[str]  # new article files
    removed: list[str]  # article files no longer there
    records: dict[str, SourceRecord]  # the last build's records of the changed and removed files
    signatures: dict[str, Signature | None]  # every file under content/, as this build leaves it
    pages: PageEdits | None  # the standalone pages after their edits; None when none was edited
    desk: ReadDesk  # the editors' fronts and alerts as they are now


@dataclass(frozen=True)
class _Read:
    """A changed or added article file as this build read it."""

    key: bytes
    entry: CachedArticle


def change_plan(
    index: SiteIndex, cache: ArticleCache, meta: SiteMeta, changes: Changes, context: BuildContext
) -> Plan | None:
    """The plan for the pages the changes reach, or None when the build must take the whole way."""
    options, config = context.options, context.config
    read = _read([*changes.changed, *changes.added], context)
    if read is None or meta.built_at is None:
        return None
    before = index.outlines()
    if not {path for path, record in changes.records.items() if record.structure is not None} <= before.keys():
        return None  # an outline is missing: the index is not the one this code writes
    after = dict(before)
    for path in changes.removed:
        after.pop(path, None)
    for path, found in read.items():
        if found.entry.article is None:
            after.pop(path, None)
        else:
            after[path] = outline(found.entry.article)
    moved = {
        path
        for path in [*changes.changed, *changes.added, *changes.removed]
        if path not in read or changes.records.get(path, SourceRecord()).structure != read[path].entry.structure
    }
    if moved and any(article.refs for article in after.values()):
        return None  # links by file get their URLs from every article (site/refs.py)
    source = context.source
    pages = changes.pages.pages if changes.pages else meta.standalone
    then = Selection(options.drafts, options.future, meta.built_at)
    desk = changes.desk.desk
    new, arranged = _arrange(after, config, source, context.selection, pages, desk)
    if new.nav() != meta.nav:
        return None  # every page shows the sections
    if not options.allow_shrink and would_shrink(len(new.articles), meta.articles):
        return None  # the whole way refuses it, naming --allow-shrink
    # Versions across editions can change for stories no change names: compare them with the site as it was.
    versions = _arrange(before, config, source, then, meta.standalone, desk)[0].versions if config.editions else {}
    published = {article_id(article): article for article in before.values() if is_published(article, then)}
    edited = {path for path in changes.changed if changes.records[path].article_key != read[path].key}
    planner = _Planner(options, index, cache, meta, changes, read, config, published, new, versions)
    return planner.plan(context.environment, moved, edited, arranged)


def _read(paths: list[str], context: BuildContext) -> dict[str, _Read] | None:
    """The files read again; None when one has errors (the whole way reports them with every other problem)."""
    found = {}
    for path in paths:
        key, entry = context.read(path)
        if has_errors(entry.problems) or not entry.kept_on_disk:
            return None
        found[path] = _Read(key, entry)
    return found


def _arrange(
    outlines: Mapping[str, Article],
    config: SiteConfig,
    source: Path,
    selection: Selection,
    pages: tuple[StandalonePage, ...],
    desk: Desk,
) -> tuple[Site, list[Problem]]:
    """The site arranged from outlines, as the whole way arranges it from articles (by path: the order it reads)."""
    articles = [outlines[path] for path in sorted(outlines)]
    return arrange_site(articles, (), config, source / CONTENT_DIR, selection, pages, desk)


class _Planner:
    """Compares the site before and after the changes; `plan` gives None when something needs the whole way."""

    def __init__(
        self,
        options: BuildOptions,
        index: SiteIndex,
        cache: ArticleCache,
        meta: SiteMeta,
        changes: Changes,
        read: dict[str, _Read],
        config: SiteConfig,
        published: dict[str, Article],
        new: Site,
        versions: dict[str, Versions],
    ) -> None:
        """`published`: the outlines of the articles the last build published, by id; `versions`: the versions it
        found (with editions)."""
        self._options, self._index, self._cache, self._meta = options, index, cache, meta
        self._changes, self._read, self._config, self._new = changes, read, config, new
        self._old_ids, self._old_versions = published, versions
        self._new_ids = {article_id(article): article for article in new.articles}

    def plan(
        self, environment: jinja2.Environment, moved: set[str], edited: set[str], arranged: list[Problem]
    ) -> Plan | None:
        # Articles that joined or left the published site by the clock moved too.
        moved = moved | (self._old_ids.keys() ^ self._new_ids.keys())
        if len({article.url for article in self._new.articles}) != len(self._new.articles):
            return None  # two articles on one URL: the whole way reports (or holds) them
        found_specs = self._specs(moved)
        if found_specs is None:
            return None
        old_digests, new_specs = found_specs
        gone = sorted(old_digests.keys() - new_specs.keys())
        fresh = sorted(new_specs.keys() - old_digests.keys())
        changed = [url for url, spec in new_specs.items() if spec_digest(spec) != old_digests.get(url)]
        old_pools, new_pools = self._meta.pools, site_pools(self._new, self._config)
        shown_again = edited | moved
        pools = [
            name
            for name, members in new_pools.items()
            if old_pools.get(name) != members or not shown_again.isdisjoint(members)
        ]
        users = self._index.users([*sorted(shown_again), *(POOL_REF + name for name in pools)])
        wanted = (set(changed) | users) - set(gone)
        stored = self._index.specs(sorted(wanted - new_specs.keys()))
        if len(stored) != len(wanted - new_specs.keys()):
            return None
        if any(ref not in self._new_ids for spec in stored for ref in spec.uses() if not ref.startswith(POOL_REF)):
            return None  # a page this comparison didn't reach names what left: never publish a stale page
        specs = [new_specs[url] for url in sorted(wanted & new_specs.keys())] + stored
        shown = self._articles(specs, new_pools)
        if shown is None or not {ref for ref in moved if ref in self._new_ids} <= shown.keys():
            return None
        claims = self._claims(moved, gone, fresh, shown)
        if claims is None:
            return None
        added_names, released = claims
        problems = self._problems(arranged, edited | moved, added_names, released)
        from newsgen.render.renderer import PageRenderer

        renderer = PageRenderer(environment, self._config, self._new.nav(), shown, new_pools, self._meta.menu)
        found = _Found(moved, specs, [new_specs[url] for url in changed], fresh, gone, released, problems)
        return self._assemble(renderer, found, new_pools, shown)

    # --- the specs before and after ---

    def _specs(self, moved: set[str]) -> tuple[dict[str, bytes], dict[str, PageSpec]] | None:
        """Every page but the articles', and the pages of the articles the changes may reach: the digests of their
        specs as the last build stored them, and their specs now; None when two pages claim one URL (the whole way
        reports it)."""
        reached = set(moved)
        by_url = {article.url: article_id(article) for article in self._new.articles}
        margin = 1 + len(moved)  # each other change may shift a story by one place
        for ids in (self._old_ids, self._new_ids):
            for ref in moved & ids.keys():
                reached.update(by_url[url] for url in related.neighbours(self._new, ids[ref], margin))
        reached.update(self._series_members(moved))
        reached.update(self._new_versions())
        articles = [self._new_ids[ref] for ref in sorted(reached) if ref in self._new_ids]
        chosen = related.choices(self._new, articles)
        now = [spec for a in articles for spec in article_specs(a, self._new, self._config, chosen.get(a.url, ()))]
        old_urls = [
            url
            for ref in sorted(reached & self._old_ids.keys())
            for url in (self._old_ids[ref].url, *map(old_url_page, self._old_ids[ref].redirect_from))
        ]
        new = _by_url([*listing_specs(self._new, self._config, self._options.now), *now])
        return ({**self._index.listing_digests(), **self._index.digests(old_urls)}, new) if new is not None else None

    def _series_members(self, moved: set[str]) -> set[str]:
        """Every member of each series a changed story was or is in: each page names its place and neighbours."""
        series = {c.term.url: c for c in self._new.series}
        found: set[str] = set()
        for ids in (self._old_ids, self._new_ids):
            for ref in moved & ids.keys():
                named = ids[ref].series
                collection = series.get(named.url) if named else None
                found.update(map(article_id, collection.articles if collection else ()))
        return found

    def _new_versions(self) -> set[str]:
        """The articles whose versions in other editions changed."""
        old, new = self._old_versions, self._new.versions
        urls = {url for url in old.keys() | new.keys() if old.get(url) != new.get(url)}
        found = {article_id(a) for a in self._new.articles if a.url in urls}
        return found | {ref for ref, a in self._old_ids.items() if a.url in urls}

    # --- what the changes claim and release ---

    def _claims(
        self, moved: set[str], gone: list[str], fresh: list[str], shown: dict[str, Article]
    ) -> tuple[set[str], set[str]] | None:
        """The output files the changes add and those they release; None on a collision (the whole way reports it)."""
        old_files = {asset.url for ref in moved if ref in self._old_ids for asset in self._old_ids[ref].assets}
        new_files = {asset.url for ref in moved if ref in self._new_ids for asset in self._new_ids[ref].assets}
        old_published = self._index.sources(ref for ref in moved if ref in self._old_ids)
        old_copies = {url for record in old_published.values() for url in record.copies}
        new_copies = rendition_urls(renditions_of(shown[ref] for ref in moved if ref in self._new_ids))
        if old_copies - new_copies:  # a copy another article or page still shows stays
            old_copies -= self._published_copies()
        try:
            added = [output_name(url) for url in [*fresh, *(new_files - old_files)]]
            released = {output_name(url) for url in [*gone, *(old_files - new_files), *(old_copies - new_copies)]}
        except (OutputError, ValueError):
            return None
        taken = self._taken - released
        if len(set(added)) != len(added) or not taken.isdisjoint(added):
            return None
        return set(added), released

    def _published_copies(self) -> set[str]:
        """The URLs of the copies of the images every published article and page shows."""
        stored = self._index.copies()
        found = rendition_urls(renditions_of([], self._new.pages))
        for ref in self._new_ids:
            read = self._read.get(ref)
            article = read.entry.article if read else None
            found.update(article_copies(article) if article else stored.get(ref, ()))
        return found

    @cached_property
    def _taken(self) -> set[str]:
        """Every output file's name as the last build left them: what the changes' claims and links are checked with."""
        return set(self._index.file_names())

    # --- the articles the pages show, and the problems ---

    def _articles(self, specs: list[PageSpec], pools: dict[str, tuple[str, ...]]) -> dict[str, Article] | None:
        """Every article the planned pages show or read, by id, whole: read again, or from the article cache."""
        wanted = {ref for spec in specs for ref in spec.refs} | {
            ref for spec in specs for name in spec.pools for ref in pools.get(name, ())
        }
        found: dict[str, Article] = {}
        for path, read in self._read.items():
            if read.entry.article is not None:
                found[path] = read.entry.article
        others = self._index.sources(wanted - found.keys())
        entries = self._cache.entries({ref: record.article_key for ref, record in others.items()})
        if entries is None:
            return None
        for ref, entry in entries.items():
            if entry.article is None:
                return None
            found[ref] = entry.article
        if not wanted <= found.keys():
            return None
        # Links by file get their URLs from every article (site/refs.py); the cache holds them unresolved.
        if any(found[ref].refs for ref in wanted):
            return None
        return {ref: found[ref] for ref in wanted}

    def _problems(
        self, arranged: list[Problem], reached: set[str], added: set[str], released: set[str]
    ) -> tuple[Problem, ...]:
        """The problems arranging the site finds, with the broken links of the articles the changes reach."""

        def is_output(name: str) -> bool:
            return name in added or (name in self._taken and name not in released)

        changed_files = added | released
        ends = _ends(changed_files)
        checked = [
            article
            for article in self._new.articles
            if article_id(article) in reached or _links_to_any(article, changed_files, ends)
        ]
        checked_paths = {str(article.source) for article in checked} | reached | set(self._changes.removed)
        kept = [
            problem
            for problem in self._meta.arranged_problems
            if problem.code == _BROKEN_LINK and str(problem.path) not in checked_paths
        ]
        return tuple(sorted(dict.fromkeys([*kept, *arranged, *broken_links(checked, is_output)])))  # once each

    # --- the plan ---

    def _assemble(
        self, renderer: PageRenderer, found: _Found, pools: dict[str, tuple[str, ...]], shown: dict[str, Article]
    ) -> Plan:
        """The plan, and what to record: the index's rows for what changed, which the loop saves after the commit."""
        options, meta, changes, new, cache = self._options, self._meta, self._changes, self._new, self._cache
        reached = [shown[ref] for ref in sorted(found.moved) if ref in self._new_ids]
        images = rendition_copies(renditions_of(reached), cache.folder, options.jobs, ProgressBar(options.progress))
        copies = [(asset.url, asset.source) for article in reached for asset in article.assets] + images.files
        names = [output_name(spec.url) for spec in found.specs] + [output_name(url) for url, _ in copies]
        previous = self._index.manifest([*names, *(output_name(url) for url in found.gone), *found.released])
        own = self._index.problem_sources()
        for path in [*changes.removed, *self._read]:
            own.pop(path, None)
        own.update({path: read.entry.problems for path, read in self._read.items() if read.entry.problems})
        after = replace(
            meta,
            valid_until=new.valid_until,
            articles=len(new.articles),
            pages=meta.pages + len(found.fresh) - len(found.gone),
            next_change=new.next_change,
            site_problems=with_desk_problems(
                changes.pages.site_problems if changes.pages else meta.site_problems,
                changes.desk,
                options.source_dir.resolve(),
            ),
            pools=pools,
            standalone=new.pages,
            arranged_problems=found.problems,
            page_files=changes.pages.records if changes.pages else meta.page_files,
            built_at=options.now,
            desk_digest=changes.desk.digest,
            desk=changes.desk.desk,
        )
        sources = {
            path: SourceRecord(
                read.key,
                read.entry.structure,
                read.entry.problems,
                article_copies(read.entry.article) if read.entry.article else (),
                outline(read.entry.article) if read.entry.article else None,
            )
            for path, read in self._read.items()
        }

        gone = Gone(tuple(changes.removed), tuple(found.gone))
        own_problems = (problem for problems in own.values() for problem in problems)
        return Plan(
            renderer=renderer,
            specs=found.specs,
            copies=copies,
            previous=previous,
            whole=False,
            warnings=tuple(sorted([*after.site_problems, *found.problems, *own_problems])),
            held=(),
            articles=after.articles,
            pages=after.pages,
            next_change=after.next_change,
            delta=IndexDelta(after, changes.signatures, sources, tuple(found.changed), gone=gone),
            cached=tuple((read.key, read.entry) for read in self._read.values()),
            images=images,
        )


@dataclass(frozen=True)
class _Found:
    """What comparing the site before and after found."""

    moved: set[str]  # the articles that joined, left or moved in the site's collections, by id
    specs: list[PageSpec]  # the pages to bring up to date
    changed: list[PageSpec]  # of those, the ones whose specs changed: the index stores them
    fresh: list[str]  # URLs of pages the site did not have
    gone: list[str]  # URLs of pages the site no longer has
    released: set[str]  # output files the site no longer has
    problems: tuple[Problem, ...]  # what arranging the site found


def _by_url(specs: list[PageSpec]) -> dict[str, PageSpec] | None:
    """The specs by URL; None when two share one."""
    found = {spec.url: spec for spec in specs}
    return found if len(found) == len(specs) else None


def _links_to_any(article: Article, files: set[str], ends: set[str]) -> bool:
    """Whether one of the article's links to this site may reach one of `files` (whose names' last parts are `ends`).

    Resolving a link costs; one whose last part is plain and none of `ends` can't reach them, and most aren't.
    """
    for link in article.internal_links:
        end = _last_part(link.url)
        if end not in ends and end not in ("", ".", "..") and "%" not in end and end.isascii():
            continue
        reached = link_files(link.url, article.url)
        if reached and not files.isdisjoint(reached):
            return True
    return False


def _ends(names: Iterable[str]) -> set[str]:
    """The last parts of the output files' names, and of their folders for `index.html`: what a link to them ends in."""
    found = set()
    for name in names:
        folder, _, last = name.rpartition("/")
        found.add(last)
        if last == "index.html":
            found.add(folder.rpartition("/")[2])
    return found


def _last_part(url: str) -> str:
    """The last part of a link's path: `/2025/01/16/x/#top` -> `x`."""
    return url.partition("#")[0].partition("?")[0].rstrip("/").rpartition("/")[2]
