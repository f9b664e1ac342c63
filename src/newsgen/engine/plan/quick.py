"""The quick way: what changed since the last build, and the plan for edits that move nothing.

Taken when the last build left an index (`index.py`), the inputs digest
(`inputs.py`: config, templates, static files, code) still holds, no story is
held, and the clock has not gone back (CI building an older commit may
embargo again what the last build published). Then:
- nothing changed, or files were touched but not changed: nothing to do;
- only stories' words changed, none in a way that moves anything (the same
  URL, date, terms, corrections, links and files, so every page's spec is
  what it was): the pages that name them, directly or through a pool, which
  the index lists;
- a standalone page's words changed, its date kept: that page alone;
- anything else under content/ and pages/, an edit to the editors' fronts or
  alerts (`read/desk.py`), or the clock passing a moment of `site/clock.py`:
  `changes.py`, which arranges the site again.
A file under content/ that is not a story (a photo) goes with the quick way
when no page depends on the change: added where no story not read again
looked for it, touched with its published copy's bytes, or shown by no story.
An image changed or gone, any such file on a site with editions, or a page
added, removed or moved in the menus takes the whole way (`standalone.py`).
The plan goes through the same loop as a whole build (`loop.py`). It trusts
the output folder to be as the last build left it: it checks only the files
it rewrites, so a file changed there by hand stays until its page changes or
`newsgen build --full`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from newsgen.engine.cache.local import ArticleCache, CachedArticle, article_key, is_article_file
from newsgen.engine.index import IndexDelta, SiteIndex, SiteMeta, SourceRecord
from newsgen.engine.output.write import MARKER, Manifest, digest_of, output_name
from newsgen.engine.plan.load import has_errors
from newsgen.engine.plan.loop import Plan
from newsgen.errors import Problem, Severity
from newsgen.models import Article, StandalonePage, article_id
from newsgen.options import BuildOptions
from newsgen.read.desk import desk_digest
from newsgen.read.files import CONTENT_DIR, PAGES_DIR, Signature, is_article_name, scan_files, settled
from newsgen.render.specs import POOL_REF
from newsgen.site.outline import outline

if TYPE_CHECKING:
    from newsgen.engine.context import BuildContext
    from newsgen.engine.plan.standalone import PageEdits
    from newsgen.render.renderer import PageRenderer
    from newsgen.render.specs import PageSpec


def quick_plan(
    options: BuildOptions, index: SiteIndex, cache: ArticleCache, inputs: bytes, context: BuildContext
) -> Plan | None:
    """The plan for the pages the changes since the last build reach, or None when the build must take the whole way.

    The config and templates (`context`) are read only when an article or a standalone page changed.
    """
    then = index.meta()
    if then is None or then.inputs != inputs or then.built_at is None or options.now < then.built_at:
        return None  # a clock gone back (CI building an older commit) may embargo again what the last build published
    if then.held:  # while an article is held, each build decides again what stands in for it
        return None
    meta = replace(then, built_at=options.now)  # what this build saves holds from its own "now"
    source, output = options.source_dir.resolve(), options.output_dir.resolve()
    scanned_at = time.time_ns()
    edited_pages = _page_changes(source, meta, scanned_at)
    if edited_pages is None:
        return None
    signatures, walk_problems = scan_files(source / CONTENT_DIR, source)
    stored = index.signatures()
    added, removed = sorted(signatures.keys() - stored.keys()), sorted(stored.keys() - signatures.keys())
    changed = sorted(path for path in stored.keys() & signatures.keys() if signatures[path] != stored[path])
    if walk_problems or not (output / MARKER).is_file():
        return None
    # Files that are not stories: a photo filed with its story (read with it), or one a fresh checkout touched.
    beside = [path for path in added if not is_article_file(path)]
    touched = [path for path in [*changed, *removed] if not is_article_file(path)]
    if (beside or touched) and context.config.editions:
        return None  # an edition's story borrows an image its folder lacks from another edition's, wherever that is
    if touched and not _published_as_they_are(touched, stored.keys(), index, cache):
        return None  # an image changed or went: the pages that show it, and its copies, are not known here
    added, changed, removed = ([path for path in paths if is_article_file(path)] for paths in (added, changed, removed))
    records = index.sources([*changed, *removed])
    if records.keys() != {*changed, *removed}:
        return None
    for path in [*changed, *added, *beside, *touched]:
        if path in signatures:
            stored[path] = settled(signatures[path], scanned_at)
    for path in [*removed, *(path for path in touched if path not in signatures)]:
        del stored[path]
    try:
        edits = [
            path
            for path in changed
            if article_key(meta.article_settings, Path(path), Path(path).read_bytes()) != records[path].article_key
        ]
    except OSError:
        return None  # the whole way names the file it can't read
    if beside and not _looked_for_by_none(beside, stored.keys() - {*added, *edits}, index, cache):
        return None  # a story not read again looked for it: it shows it now
    clock_moved = then.valid_until is not None and options.now >= then.valid_until
    desk_changed = desk_digest(source) != then.desk_digest
    if not (edits or added or removed or edited_pages or clock_moved or desk_changed):  # files touched, not changed
        return plan_of(meta, index, None, [], {}, IndexDelta(meta, stored) if changed or touched or beside else None)
    if not context.usable or (desk_changed and has_errors(context.desk.problems)):
        return None  # the whole way reports the errors
    if desk_changed and not (edits or added or removed or edited_pages or clock_moved):
        from newsgen.engine.plan.desk import desk_plan

        plan = desk_plan(meta, index, cache, context, stored)
        if plan is not None:
            return plan
    if edits and not (added or removed or edited_pages or clock_moved or desk_changed):
        plan = _edits_plan(edits, records, meta, index, cache, context, stored)
        if plan is not None:
            return plan
    pages = None
    if edited_pages:
        from newsgen.engine.plan.standalone import page_edits  # reads pages: imported only when one changed

        pages = page_edits(edited_pages, meta, context.config, source)
        if pages is None:
            return None
        words_only = not (edits or added or removed or clock_moved or desk_changed)
        if words_only and _same_dates(pages.pages, meta.standalone):
            return _page_words_plan(pages, meta, index, context, stored)
    from newsgen.engine.plan.changes import Changes, change_plan  # arranges the site: imported only when needed

    changes = Changes(changed, added, removed, records, stored, pages, context.desk)
    return change_plan(index, cache, then, changes, context)


def _published_as_they_are(paths: list[str], files: Iterable[str], index: SiteIndex, cache: ArticleCache) -> bool:
    """Whether each file that is not a story, changed or removed, has the bytes of its published copy, or is shown
    by no story (then nothing depends on it: only images beside a story are published, `body/images.py`). A fresh
    checkout touches every file, and a photo saved just before the last build was scanned is compared by its bytes
    (`settled`)."""
    stories = _stories_over(paths, files, index, cache)
    if stories is None:
        return False
    urls = {str(asset.source): asset.url for _, entry in stories if entry.article for asset in entry.article.assets}
    shown = {path: output_name(urls[path]) for path in paths if path in urls}
    published = index.manifest(shown.values())
    try:
        return all(
            name in published and digest_of(Path(path).read_bytes()) == published[name].digest
            for path, name in shown.items()
        )
    except OSError:
        return False


def _looked_for_by_none(paths: list[str], files: Iterable[str], index: SiteIndex, cache: ArticleCache) -> bool:
    """Whether no story among `files` looked for one of the files `paths` adds, when it was read: a story whose image
    was missing beside it showed one under static/ in its place (`body/images.py`), and would show the new one."""
    stories = _stories_over(paths, files, index, cache)
    if stories is None:
        return False
    added = set(paths)
    return not any(
        str(Path(story).parent.joinpath(*PurePosixPath(src).parts)) in added
        for story, entry in stories
        for src, _ in entry.images
        if not src.startswith("/") and "://" not in src
    )


def _stories_over(
    paths: list[str], files: Iterable[str], index: SiteIndex, cache: ArticleCache
) -> list[tuple[str, CachedArticle]] | None:
    """The stories among `files` that may show a file of `paths` (an image a story shows is in its folder or below),
    as the article cache holds them; None when one is missing there."""
    folders = {Path(path).parent for path in paths}
    over = [
        path for path in files if is_article_file(path) and any(f.is_relative_to(Path(path).parent) for f in folders)
    ]
    entries = cache.entries({path: record.article_key for path, record in index.sources(over).items()})
    return list(entries.items()) if entries is not None else None


def _edits_plan(
    edits: list[str],
    records: dict[str, SourceRecord],
    meta: SiteMeta,
    index: SiteIndex,
    cache: ArticleCache,
    context: BuildContext,
    signatures: dict[str, Signature | None],
) -> Plan | None:
    """The pages that show the edited articles, when no edit moves anything; None otherwise."""
    edited = _read_edits(edits, records, meta, cache, context)
    if edited is None:
        return None
    articles, updated = edited
    found = _affected_pages(articles, meta, index, cache)
    if found is None:
        return None
    specs, shown = found
    previous = index.manifest(output_name(spec.url) for spec in specs)
    if len(previous) != len(specs):
        return None
    from newsgen.render.renderer import PageRenderer

    renderer = PageRenderer(context.environment, context.config, meta.nav, shown, meta.pools, meta.menu)
    return plan_of(meta, index, renderer, specs, previous, IndexDelta(meta, signatures, updated))


def _same_dates(pages: tuple[StandalonePage, ...], before: tuple[StandalonePage, ...]) -> bool:
    """Whether every page keeps its `updated`, offset included: then the sitemap is as it was."""
    return [repr(page.updated) for page in pages] == [repr(page.updated) for page in before]


def _page_words_plan(
    pages: PageEdits, meta: SiteMeta, index: SiteIndex, context: BuildContext, signatures: dict[str, Signature | None]
) -> Plan | None:
    """The edited standalone pages, when their edits changed only their words: no other page shows them."""
    from newsgen.render.renderer import PageRenderer
    from newsgen.render.specs import StandalonePageSpec

    edited = [page for page, was in zip(pages.pages, meta.standalone, strict=True) if page != was]
    specs: list[PageSpec] = [StandalonePageSpec(url=page.url, page=page) for page in edited]
    previous = index.manifest(output_name(spec.url) for spec in specs)
    if len(previous) != len(specs):
        return None
    after = replace(meta, standalone=pages.pages, page_files=pages.records, site_problems=pages.site_problems)
    renderer = PageRenderer(context.environment, context.config, meta.nav, {}, meta.pools, meta.menu)
    return plan_of(after, index, renderer, specs, previous, IndexDelta(after, signatures, specs=tuple(specs)))


def _page_changes(source: Path, meta: SiteMeta, scanned_at: int) -> dict[str, Signature | None] | None:
    """The standalone page files changed since the last build, with their signatures to keep (see `settled`).

    None when a file was added or removed under pages/, or one that is not a page changed (an image a page shows).
    """
    signatures, walk_problems = scan_files(source / PAGES_DIR, source)
    if walk_problems or signatures.keys() != meta.page_files.keys():
        return None
    edited = sorted(path for path, record in meta.page_files.items() if signatures[path] != record.signature)
    if not all(map(is_article_name, edited)):
        return None
    return {path: settled(signatures[path], scanned_at) for path in edited}


def plan_of(
    meta: SiteMeta,
    index: SiteIndex,
    renderer: PageRenderer | None,
    specs: list[PageSpec],
    previous: Manifest,
    delta: IndexDelta | None,
) -> Plan:
    """A plan of the quick way's that copies nothing: its pages, and the warnings the index keeps (`meta`'s)."""
    return Plan(
        renderer=renderer,
        specs=specs,
        copies=[],
        previous=previous,
        whole=False,
        warnings=_warnings(meta, index),
        held=(),
        articles=meta.articles,
        pages=meta.pages,
        next_change=meta.next_change,
        delta=delta,
    )


def _read_edits(
    edits: list[str],
    records: dict[str, SourceRecord],
    meta: SiteMeta,
    cache: ArticleCache,
    context: BuildContext,
) -> tuple[dict[str, Article], dict[str, SourceRecord]] | None:
    """The edited articles by id and their files' new records; None when an edit moves something or has an error."""
    if not {str(problem.path) for problem in meta.arranged_problems}.isdisjoint(edits):
        return None  # its warnings name lines (a broken link), and lines may have moved: arranged again
    updated: dict[str, SourceRecord] = {}
    edited: dict[str, Article] = {}
    for path in edits:
        key, entry = context.read(path)
        if entry.article is None or records[path].structure != entry.structure:
            return None
        if any(problem.severity is Severity.ERROR for problem in entry.problems):
            return None  # the whole way reports it with every other problem
        cache.put(key, entry)
        updated[path] = SourceRecord(
            key, records[path].structure, entry.problems, records[path].copies, outline(entry.article)
        )
        edited[article_id(entry.article)] = entry.article
    return edited, updated


def _warnings(meta: SiteMeta, index: SiteIndex) -> tuple[Problem, ...]:
    """The site's warnings and every file's own, as the whole way would report them."""
    own = (problem for found in index.problem_sources().values() for problem in found)
    return tuple(sorted([*meta.site_problems, *meta.arranged_problems, *own]))


def _affected_pages(
    edited: dict[str, Article], meta: SiteMeta, index: SiteIndex, cache: ArticleCache
) -> tuple[list[PageSpec], dict[str, Article]] | None:
    """The specs of the pages that name an edited article, and every article they need; None if one is missing."""
    pools = [name for name, members in meta.pools.items() if not edited.keys().isdisjoint(members)]
    users = index.users([*edited, *(POOL_REF + name for name in pools)])
    specs = index.specs(users)
    if len(specs) != len(users):
        return None
    needed = {ref for spec in specs for ref in spec.refs} | {
        ref for spec in specs for name in spec.pools for ref in meta.pools.get(name, ())
    }
    others = cache.entries({ref: record.article_key for ref, record in index.sources(needed - edited.keys()).items()})
    if others is None:
        return None
    articles = dict(edited)
    for ref, entry in others.items():
        if entry.article is None:
            return None
        articles[ref] = entry.article
    if any(article.refs for article in articles.values()):
        return None  # links by file get their URLs from every article (site/refs.py); edits and the cache lack them
    return (specs, articles) if needed <= articles.keys() else None
