"""The quick way: plan only the pages that show the articles edited since the last build, and edited standalone pages.

Taken when the last build left an index (`index.py`) and since then only
article files changed, none in a way that moves anything: the same URL, date,
sections, tags, series, authors, corrections, links and files, so every page's
spec is what it was. Then the pages whose keys change are exactly those that
name a changed article, directly or through a pool, and the index lists them.
Anything else (a file added or deleted, an image, a template, the config, a
new date or tag, an error, the clock reaching any moment of `site/clock.py`,
or going back) takes the whole way. The plan goes through the same loop as a
whole build (`loop.py`). It trusts the output folder to be as the last build
left it: it checks only the files it rewrites, so a file changed there by hand
stays until its page changes or `newsgen build --full`.

Standalone pages (`pages/`) are outside the inputs digest (`inputs.py`): an edit to a
page's words re-renders that page, and the sitemap when its `updated` moved;
one that moves its URL or menu entry, or adds or removes a page, takes the
whole way (`standalone.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.engine.cache.local import ArticleCache, article_key, is_article_file
from newsgen.engine.index import SiteIndex, SiteMeta, SourceRecord
from newsgen.engine.output.write import MARKER, Manifest, output_name
from newsgen.engine.plan.loop import Plan
from newsgen.errors import Problem, Severity
from newsgen.models import Article, article_id
from newsgen.options import BuildOptions
from newsgen.read.files import CONTENT_DIR, PAGES_DIR, Signature, is_article_name, scan_files, settled
from newsgen.render.specs import POOL_REF

if TYPE_CHECKING:
    import jinja2

    from newsgen.config import SiteConfig
    from newsgen.render.renderer import PageRenderer
    from newsgen.render.specs import PageSpec

SiteSetup = tuple["SiteConfig", "jinja2.Environment"]


def quick_plan(
    options: BuildOptions, index: SiteIndex, cache: ArticleCache, inputs: bytes, setup: Callable[[], SiteSetup | None]
) -> Plan | None:
    """The plan for the pages the edits since the last build reach, or None when the build must take the whole way.

    `setup` gives the config and templates; it is called only when an article or a standalone page changed.
    """
    meta = index.meta()
    if meta is None or meta.inputs != inputs or not _clock_within(meta, options.now):
        return None
    meta = replace(meta, built_at=options.now)  # what this build saves holds from its own "now"
    if meta.held:  # while an article is held, each build decides again what stands in for it
        return None
    source, output = options.source_dir.resolve(), options.output_dir.resolve()
    scanned_at = time.time_ns()
    edited_pages = _page_changes(source, meta, scanned_at)
    if edited_pages is None:
        return None
    signatures, walk_problems = scan_files(source / CONTENT_DIR, source)
    stored = index.signatures()
    added = sorted(signatures.keys() - stored.keys())
    if walk_problems or stored.keys() - signatures.keys() or len(added) > 1:
        return None  # a file removed, or several added: the whole way
    changed = sorted(path for path, signature in stored.items() if signatures[path] != signature)
    if not all(map(is_article_file, [*changed, *added])) or not (output / MARKER).is_file():
        return None
    records = index.sources(changed)
    if records.keys() != set(changed):
        return None
    for path in [*changed, *added]:
        stored[path] = settled(signatures[path], scanned_at)
    try:
        edits = [
            path
            for path in changed
            if article_key(meta.article_settings, Path(path), Path(path).read_bytes()) != records[path].article_key
        ]
    except OSError:
        return None  # the whole way names the file it can't read
    if added:  # a new story, and nothing else changed
        from newsgen.engine.plan.additions import addition_plan  # reads articles: imported only when one is new

        return None if edits or edited_pages else addition_plan(options, index, cache, meta, stored, added[0], setup)
    if not edits and not edited_pages:  # nothing, or files touched but not changed
        touched = (lambda _: index.save(meta, stored, {}, {}, replace=False)) if changed else (lambda _: None)
        return _plan(meta, index, None, [], {}, touched)
    site_setup = setup()
    if site_setup is None:
        return None
    config, environment = site_setup
    after = meta
    page_specs: list[PageSpec] = []
    if edited_pages:
        from newsgen.engine.plan.standalone import page_edits  # reads pages: imported only when one changed

        found_pages = page_edits(edited_pages, meta, index, config, source)
        if found_pages is None:
            return None
        after, page_specs = found_pages
    specs: list[PageSpec] = []
    shown: dict[str, Article] = {}
    updated: dict[str, SourceRecord] = {}
    if edits:
        edited = _read_edits(edits, records, meta, cache, site_setup, options)
        if edited is None:
            return None
        articles, updated = edited
        found = _affected_pages(articles, meta, index, cache)
        if found is None:
            return None
        specs, shown = found
    specs += page_specs
    previous = index.manifest(output_name(spec.url) for spec in specs)
    if len(previous) != len(specs):
        return None
    from newsgen.render.renderer import PageRenderer

    renderer = PageRenderer(environment, config, meta.nav, shown, meta.pools, meta.menu)

    def record(manifest: Manifest) -> None:
        cache.end_build(prune=False)
        index.save(after, stored, manifest, updated, page_specs or None, replace=False)

    return _plan(after, index, renderer, specs, previous, record)


def _clock_within(meta: SiteMeta, now: datetime) -> bool:
    """Whether the last build's output still holds at `now`: not past its next clock event, and not before its own
    "now" (a clock gone back, as when CI builds an older commit, may embargo again what that build published)."""
    if meta.built_at is None or now < meta.built_at:
        return False
    return meta.valid_until is None or now < meta.valid_until


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


def _plan(
    meta: SiteMeta,
    index: SiteIndex,
    renderer: PageRenderer | None,
    specs: list[PageSpec],
    previous: Manifest,
    record: Callable[[Manifest], None],
) -> Plan:
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
        record=record,
    )


def _read_edits(
    edits: list[str],
    records: dict[str, SourceRecord],
    meta: SiteMeta,
    cache: ArticleCache,
    site_setup: SiteSetup,
    options: BuildOptions,
) -> tuple[dict[str, Article], dict[str, SourceRecord]] | None:
    """The edited articles by id and their files' new records; None when an edit moves something or has an error."""
    from newsgen.engine.plan.load import ArticleReader

    config, _ = site_setup
    if not {str(problem.path) for problem in meta.site_problems}.isdisjoint(edits):
        return None  # its warnings name lines (a broken link), and lines may have moved
    reader = ArticleReader.for_site(options.source_dir.resolve(), config)
    updated: dict[str, SourceRecord] = {}
    edited: dict[str, Article] = {}
    for path in edits:
        key, entry = reader.read(Path(path))
        if entry.article is None or records[path].structure != entry.structure:
            return None
        if any(problem.severity is Severity.ERROR for problem in entry.problems):
            return None  # the whole way reports it with every other problem
        cache.put(key, entry)
        updated[path] = SourceRecord(key, records[path].structure, entry.problems)
        edited[article_id(entry.article)] = entry.article
    return edited, updated


def _warnings(meta: SiteMeta, index: SiteIndex) -> tuple[Problem, ...]:
    """The site's warnings and every file's own, as the whole way would report them."""
    own = (problem for found in index.problem_sources().values() for problem in found)
    return tuple(sorted([*meta.site_problems, *own]))


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
    articles = dict(edited)
    others = index.sources(needed - edited.keys())
    cache.preload([record.article_key for record in others.values() if record.article_key])
    for ref, record in others.items():
        entry = cache.get(record.article_key) if record.article_key else None
        if entry is None or entry.article is None:
            return None
        articles[ref] = entry.article
    if any(article.refs for article in articles.values()):
        return None  # links by file get their URLs from every article (site/refs.py); edits and the cache lack them
    return (specs, articles) if needed <= articles.keys() else None
