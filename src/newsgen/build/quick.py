"""The quick way for an edit: re-render only the pages that show the articles that changed.

Taken when the last build left an index (`siteindex.py`) and since then only
article files changed, none in a way that moves anything: the same URL, date,
sections, tags, series, authors, corrections, links and files, so every page's
spec is what it was. Then the pages whose keys change are exactly those that
name a changed article, directly or through a pool, and the index lists them.
Anything else (a file added or deleted, an image, a template, the config, a
new date or tag, an error, the clock reaching an embargo or leaving the news
window) takes the whole way. Both ways give the bytes of a clean build; the
tests hold them to it. The quick way trusts the output folder to be as the
last build left it: it checks only the files it rewrites, so a file changed
there by hand stays until its page changes or `newsgen build --full`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.build.cache import ArticleCache, article_key, code_version, is_article_file
from newsgen.errors import ContentError, Problem, Severity
from newsgen.read.files import CONFIG_FILE, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, THEME_ASSETS, scan_files, settled
from newsgen.models import Article, PageSpec, article_id
from newsgen.options import BuildOptions
from newsgen.build.index import POOL_REF, SiteIndex, SiteMeta, SourceRecord
from newsgen.theme import theme_dir
from newsgen.build.write import MARKER, Manifest, SiteWriter, output_name

if TYPE_CHECKING:
    import jinja2

    from newsgen.config import SiteConfig

SiteSetup = tuple["SiteConfig", "jinja2.Environment"]


@dataclass(frozen=True)
class QuickBuild:
    rendered: int
    changed: list[str]
    warnings: tuple[Problem, ...]
    meta: SiteMeta


def inputs_digest(source: Path, options: BuildOptions) -> bytes:
    """Everything a build reads besides content/: config, templates and static files, the options, newsgen's code."""
    digest = hashlib.sha256(code_version())
    digest.update(repr(options.output_settings()).encode())
    config = source / CONFIG_FILE
    digest.update(config.read_bytes() if config.is_file() else b"no config")
    for folder in (source / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR):
        files, _ = scan_files(folder, source if folder.is_relative_to(source) else folder)
        for path in sorted(files):
            digest.update(path.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    for folder in (source / STATIC_DIR, theme_dir() / STATIC_DIR / THEME_ASSETS):
        files, _ = scan_files(folder, source if folder.is_relative_to(source) else folder)
        digest.update(repr(sorted(files.items())).encode())
    return digest.digest()


def quick_build(options: BuildOptions, index: SiteIndex, cache: ArticleCache, inputs: bytes,
                setup: Callable[[], SiteSetup | None]) -> QuickBuild | None:  # fmt: skip
    """The build done the quick way, or None when it must take the whole way.

    `setup` gives the config and templates; it is called only when an article changed.
    """
    meta = index.meta()
    if meta is None or meta.inputs != inputs or (meta.valid_until is not None and options.now >= meta.valid_until):
        return None
    source, output = options.source_dir.resolve(), options.output_dir.resolve()
    scanned_at = time.time_ns()
    signatures, walk_problems = scan_files(source / CONTENT_DIR, source)
    stored = index.signatures()
    if walk_problems or signatures.keys() != stored.keys():
        return None
    changed = sorted(path for path, signature in signatures.items() if stored[path] != signature)
    if not all(map(is_article_file, changed)) or not (output / MARKER).is_file():
        return None
    records = index.sources(changed)
    if records.keys() != set(changed):
        return None
    for path in changed:
        stored[path] = settled(signatures[path], scanned_at)
    edits = [path for path in changed if article_key(meta.article_settings, Path(path), Path(path).read_bytes()) != records[path].article_key]
    if not edits:  # nothing, or files touched but not changed
        if changed:
            index.save(meta, stored, {}, {}, replace=False)
        return QuickBuild(0, [], _warnings(meta, index), meta)
    site_setup = setup()
    if site_setup is None:
        return None
    written = _write_edits(edits, records, meta, index, cache, site_setup, options)
    if written is None:
        return None
    rendered, files_changed, manifest, updated = written
    cache.end_build(prune=False)
    index.save(meta, stored, manifest, updated, replace=False)
    return QuickBuild(rendered, files_changed, _warnings(meta, index), meta)


def _write_edits(edits: list[str], records: dict[str, SourceRecord], meta: SiteMeta, index: SiteIndex, cache: ArticleCache,
                 site_setup: SiteSetup, options: BuildOptions) -> tuple[int, list[str], Manifest, dict[str, SourceRecord]] | None:  # fmt: skip
    """Read the edited articles, render the pages that show them and bring the output folder up to date.

    Returns the pages rendered, the files changed, their manifest records and
    the edited files' new records; None when the whole way must do it.
    """
    from newsgen.read.load import ArticleReader
    from newsgen.build.progress import ProgressBar
    from newsgen.render.pages import PageRenderer
    from newsgen.build.staging import render_into

    config, environment = site_setup
    if not {str(problem.path) for problem in meta.site_problems}.isdisjoint(edits):
        return None  # its warnings name lines (a broken link), and lines may have moved
    source, output = options.source_dir.resolve(), options.output_dir.resolve()
    reader = ArticleReader.for_site(source, config)
    updated: dict[str, SourceRecord] = {}
    edited: dict[str, Article] = {}
    for path in edits:
        key, entry = reader.read(Path(path))
        if entry.article is None or records[path].structure != entry.structure:
            return None
        if any(problem.severity is Severity.ERROR for problem in entry.problems):
            return None
        cache.put(key, entry)
        updated[path] = SourceRecord(key, records[path].structure, entry.problems)
        edited[article_id(entry.article)] = entry.article
    specs_and_articles = _affected_pages(edited, meta, index, cache)
    if specs_and_articles is None:
        return None
    specs, articles = specs_and_articles
    previous = index.manifest(output_name(spec.url) for spec in specs)
    if len(previous) != len(specs):
        return None
    renderer = PageRenderer(environment, config, meta.nav, articles, meta.pools, meta.templates)
    files_changed: list[str] = []
    with SiteWriter(output, previous) as writer:
        jobs = [job for job in map(renderer.job, specs) if not writer.reuse(job.url, job.key)]
        try:
            # An edit to one of the newest stories reaches every article page ("Latest news"): use every core.
            render_into(writer, jobs, options.jobs, [], ProgressBar(options.progress))
        except ContentError:
            return None  # the whole way reports it with every other problem
        if specs:
            index.invalidate()
            files_changed = writer.commit()
    return len(jobs), files_changed, writer.manifest, updated


def _warnings(meta: SiteMeta, index: SiteIndex) -> tuple[Problem, ...]:
    """The site's warnings and every file's own, as the whole way would report them."""
    own = (problem for found in index.problem_sources().values() for problem in found)
    return tuple(sorted([*meta.site_problems, *own]))


def _affected_pages(edited: dict[str, Article], meta: SiteMeta, index: SiteIndex,
                    cache: ArticleCache) -> tuple[list[PageSpec], dict[str, Article]] | None:  # fmt: skip
    """The specs of the pages that name an edited article, and every article they need; None if one is missing."""
    if not edited:
        return [], {}
    pools = [name for name, members in meta.pools.items() if not edited.keys().isdisjoint(members)]
    users = index.users([*edited, *(POOL_REF + name for name in pools)])
    specs = index.specs(users)
    if len(specs) != len(users):
        return None
    needed = {ref for spec in specs for ref in spec.refs} | {ref for spec in specs for name in spec.pools for ref in meta.pools.get(name, ())}
    articles = dict(edited)
    others = index.sources(needed - edited.keys())
    cache.preload([record.article_key for record in others.values() if record.article_key])
    for ref, record in others.items():
        entry = cache.get(record.article_key) if record.article_key else None
        if entry is None or entry.article is None:
            return None
        articles[ref] = entry.article
    return (specs, articles) if needed <= articles.keys() else None
