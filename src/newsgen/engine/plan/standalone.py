"""The site's standalone pages (`pages/`) in a build: every one read on the whole way, the edited ones on the quick way.

Pages are few and small, so each whole build reads them afresh (no cache).
What the index keeps of each file (`PageRecord`), and the pages themselves
(`SiteMeta.standalone`), let an edit to a page's words take the quick way
(`changes.py`): a page whose URL, menu entry and images are as they were
re-renders alone, with the sitemap when its `updated` moved. A page
added or removed, a new URL or menu entry (every page shows the menus), new
images, or an error takes the whole way.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from newsgen.body.images import ImageLocator
from newsgen.body.markup import BodyRenderer
from newsgen.config import SiteConfig
from newsgen.engine.index import PageRecord, SiteMeta
from newsgen.engine.plan.load import find_static_files, has_errors, parse_source
from newsgen.errors import Problem
from newsgen.models import StandalonePage
from newsgen.read.article import ArticleContext
from newsgen.read.fields import Reporter
from newsgen.read.files import PAGES_DIR, Signature, is_article_name, scan_files, settled
from newsgen.read.page import read_page


@dataclass(frozen=True)
class LoadedPages:
    pages: tuple[StandalonePage, ...]
    records: dict[str, PageRecord]  # every file under pages/, by path
    problems: list[Problem]


def load_pages(source_dir: Path, config: SiteConfig, images: ImageLocator) -> LoadedPages:
    """Every standalone page, read afresh; other files under pages/ are images a page may show."""
    scanned_at = time.time_ns()
    signatures, problems = scan_files(source_dir / PAGES_DIR, source_dir)
    reader = PageReader(source_dir, config, images)
    pages: list[StandalonePage] = []
    records: dict[str, PageRecord] = {}
    for path in sorted(signatures):
        signature = settled(signatures[path], scanned_at)
        if not is_article_name(path):
            records[path] = PageRecord(signature)
            continue
        page = reader.read(Path(path), problems)
        if page is not None:
            pages.append(page)
        records[path] = PageRecord(signature, page_structure(page), page.updated) if page else PageRecord(signature)
    return LoadedPages(tuple(pages), records, problems)


def page_structure(page: StandalonePage) -> bytes:
    """What a page edit must keep to take the quick way: its URL, its menu entry, and the files it publishes."""
    entry = (page.menu, page.menu_order, page.title) if page.menu else None
    return hashlib.sha256(repr((page.url, entry, page.assets, page.body_renditions)).encode()).digest()


@dataclass(frozen=True)
class PageEdits:
    """The standalone pages after an edit to some of them, as the quick way arranges the site with them."""

    pages: tuple[StandalonePage, ...]  # every page, the edited ones read again
    records: dict[str, PageRecord]  # every file under pages/
    site_problems: tuple[Problem, ...]  # the site's problems, with the edited pages' own replaced


def page_edits(
    edited: dict[str, Signature | None], meta: SiteMeta, config: SiteConfig, source_dir: Path
) -> PageEdits | None:
    """The pages after the edits to `edited` (with their signatures as this build saw them, settled); None when an
    edit moves anything or has an error."""
    images = ImageLocator(find_static_files(source_dir, []), source_dir, config.images)
    reader = PageReader(source_dir, config, images)
    records = dict(meta.page_files)
    pages = {str(page.source): page for page in meta.standalone}
    problems: list[Problem] = []
    for path in edited:
        found: list[Problem] = []
        page = reader.read(Path(path), found)
        if page is None or has_errors(found) or page_structure(page) != meta.page_files[path].structure:
            return None  # the whole way reports it with every other problem, or moves what moved
        if path not in pages:
            return None
        pages[path] = page
        records[path] = PageRecord(edited[path], page_structure(page), page.updated)
        problems += found
    kept = [problem for problem in meta.site_problems if str(problem.path) not in edited]  # a page's own, replaced
    return PageEdits(
        tuple(sorted(pages.values(), key=lambda page: page.url)), records, tuple(sorted([*kept, *problems]))
    )


class PageReader:
    """Reads page files with the articles' body machinery (one Markdown engine for them all)."""

    def __init__(self, source_dir: Path, config: SiteConfig, images: ImageLocator) -> None:
        self._pages_dir = source_dir / PAGES_DIR
        self._config, self._images = config, images
        self._context: ArticleContext | None = None

    def read(self, path: Path, problems: list[Problem], raw: bytes | None = None) -> StandalonePage | None:
        """The page at `path`, or `raw` read as if it were that file's bytes (a save not yet written)."""
        try:
            raw = path.read_bytes() if raw is None else raw
        except OSError as exc:
            problems.append(Problem(path, 1, "file", f"can't be read ({exc.strerror or exc})", code="unreadable"))
            return None
        parsed = parse_source(path, raw, problems)
        if parsed is None:
            return None
        if self._context is None:  # made once a page is read: building a Markdown engine costs
            self._context = ArticleContext(self._config, BodyRenderer(self._config.markdown_engine), self._images)
        reporter = Reporter(path, parsed.lines)
        page = read_page(parsed, path, self._pages_dir, reporter, self._context)
        problems += reporter.problems
        return page
