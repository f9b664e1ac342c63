"""The quick way for changes that move things: stories added, deleted, retagged or corrected, embargoes lifting.

The site is arranged twice from the outlines the index keeps of every article
(`site/outline.py`): as the last build saw it (at that build's "now") and as it
is now, with the changed articles read again and the clock moved on. Both go
through the whole way's own functions (`collect.arrange_site`,
`specs.listing_specs`, `specs.article_specs`), so there is one derivation of
every list, feed, box and sitemap; comparing the two gives the pages whose
specs changed, the pages no longer made, and the pages that show an edited
article. Only "More on this" is not chosen for every article again: a change
reaches only the boxes of the stories near it in its tags and section
(`related.neighbours`), and of the members of a series that changed.

Besides the pages, only what changed is checked: the URLs the change claims
(a collision takes the whole way, which reports it) and the links that reach
the files it adds or removes. The whole way remains for a change to the
sections (every page shows them), links by file, and errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.engine.cache.local import ArticleCache, CachedArticle
from newsgen.engine.imaging import rendition_copies, rendition_urls, renditions_of
from newsgen.engine.index import Gone, SiteIndex, SiteMeta, SourceRecord
from newsgen.engine.output.write import Manifest, OutputError, output_name
from newsgen.engine.plan.load import ArticleReader, has_errors
from newsgen.engine.plan.loop import Plan
from newsgen.engine.plan.standalone import PageEdits
from newsgen.engine.progress import ProgressBar
from newsgen.errors import Problem
from newsgen.models import Article, Site, StandalonePage, Term, article_id
from newsgen.options import BuildOptions
from newsgen.read.files import CONTENT_DIR, Signature
from newsgen.render.specs import POOL_REF, PageSpec, article_specs, listing_specs, site_pools
from newsgen.site import related
from newsgen.site.clock import Selection
from newsgen.site.collect import arrange_site, broken_links, link_files
from newsgen.site.outline import outline
from newsgen.site.refs import resolve_refs

if TYPE_CHECKING:
    import jinja2

    from newsgen.config import SiteConfig

_ARRANGED_HERE = frozenset({"broken-ref", "translation"})  # the codes of the problems arranging the site finds


@dataclass(frozen=True)
class Changes:
    """What changed under content/ and pages/ since the last build."""

    changed: list[str]  # article files whose bytes changed
    added: list[str]  # new article files
    removed: list[str]  # article files no longer there
    records: dict[str, SourceRecord]  # the last build's records of the changed and removed files
    signatures: dict[str, Signature | None]  # every file under content/, as this build leaves it
    pages: PageEdits | None  # the standalone pages after their edits; None when none was edited


@dataclass(frozen=True)
class _Read:
    key: bytes
    entry: CachedArticle
    article: Article | None


def change_plan(
    options: BuildOptions,
    index: SiteIndex,
    cache: ArticleCache,
    meta: SiteMeta,
    changes: Changes,
    config: SiteConfig,
    environment: jinja2.Environment,
) -> Plan | None:
    """The plan for the pages the changes reach, or None when the build must take the whole way."""
    read = _read(changes, options, config)
    if read is None:
        return None
    before = index.outlines()
    after = dict(before)
    for path in changes.removed:
        after.pop(path, None)
    for path, found in read.items():
        if found.article is None:
            after.pop(path, None)
        else:
            after[path] = outline(found.article)
    moved = [
        path
        for path in [*changes.changed, *changes.added, *changes.removed]
        if path not in read or changes.records.get(path, SourceRecord()).structure != read[path].entry.structure
    ]
    if moved and any(article.refs for article in after.values()):
        return None  # links by file get their URLs from every article (site/refs.py)
    pages = changes.pages.pages if changes.pages else meta.pages
    source = options.source_dir.resolve()
    old = _arranged(before, config, source, Selection(options.drafts, options.future, _built_at(meta)), meta.pages)
    new, arranged_problems = _arranged_with_problems(
        after, config, source, Selection(options.drafts, options.future, options.now), pages
    )
    if _nav(old) != _nav(new):
        return None  # every page shows the sections
    edited = {path for path in changes.changed if changes.records[path].article_key != read[path].key}
    derived = _Derived(old, new, config, meta, options)
    specs_now, gone_urls = derived.compare(moved)
    planned = _planned_specs(specs_now, derived, edited, moved, index, old, new)
    if planned is None:
        return None
    claims = _claims(index, derived, moved, gone_urls, before, after)
    if claims is None:
        return None
    added_names, released = claims
    shown = _articles(planned, new, read, index, cache)
    if shown is None:
        return None
    problems = _arranged_problems(meta, new, arranged_problems, edited | set(moved), added_names, released, index)
    return _plan(options, index, cache, meta, changes, read, environment, config, new, planned, gone_urls, released,
                 shown, problems, pages, derived)


def _built_at(meta: SiteMeta) -> object:
    assert meta.built_at is not None, "the quick way is taken only after a build that recorded its clock"
    return meta.built_at
