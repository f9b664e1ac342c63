"""What a build is asked to do, and what it reports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsgen.dates import iso
from newsgen.errors import Problem, display_path
from newsgen.models import ScheduledChange


def default_jobs() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build_now() -> datetime:
    """`SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


@dataclass(frozen=True)
class OutputSettings:
    """The options that shape the output, the clock aside: what it holds, and where it goes."""

    drafts: bool
    future: bool
    output_dir: Path  # resolved
    base_url: str | None
    noindex: bool


@dataclass(frozen=True)
class BuildOptions:
    """What a build reads and writes, what it publishes, and how it goes about it."""

    source_dir: Path
    output_dir: Path
    # What is published: these shape the output (`output_settings`, and the clock).
    drafts: bool = False
    future: bool = False
    now: datetime = field(default_factory=lambda: build_now())
    # A preview copy (`--base-url`, `--noindex`): published at another address, kept out of search engines.
    base_url: str | None = None  # instead of newsgen.yaml's
    noindex: bool = False  # every page `noindex`, robots.txt disallowing every crawler
    # How the build goes: these never change a page's bytes; keep_going and allow_shrink decide whether a build with
    # errors, or one that would shrink the site, publishes at all.
    jobs: int = 1  # processes for reading articles and rendering pages
    progress: bool = False  # a progress bar on a terminal for long builds
    full: bool = False  # never the quick way: render every page, compare every output file
    keep_going: bool = False  # hold back articles with errors instead of failing (also `keep_going: true` in config)
    allow_shrink: bool = False  # publish even when under half the articles of the last build remain

    def output_settings(self) -> OutputSettings:
        """For the inputs digest: a change to one sends the next build the whole way."""
        return OutputSettings(self.drafts, self.future, self.output_dir.resolve(), self.base_url, self.noindex)


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int  # every output file but static ones
    rendered: int  # pages rendered this time; the others were reused unchanged
    files_written: int  # files written or deleted
    seconds: float
    warnings: tuple[Problem, ...]
    changed: list[str]  # output files written or deleted
    next_change: ScheduledChange | None = None
    held: tuple[str, ...] = ()  # article files held back for their errors (keep going)
    images_made: int = 0  # resized copies of images made this time (new photos, new image settings, a new cache)
    image_sources: int = 0  # the images they were made from
    image_seconds: float = 0.0  # of `seconds`

    def summary(self) -> str:
        articles = "article" if self.articles == 1 else "articles"
        line = (
            f"Built {self.pages} pages from {self.articles} {articles} in {self.seconds:.2f} s "
            f"({self.pages - self.rendered} reused from cache, {self.files_written} files written)"
        )
        if self.images_made:  # on a first build or a new photo, resizing is most of the time: say so
            copies = "copy" if self.images_made == 1 else "copies"
            images = "image" if self.image_sources == 1 else "images"
            line += (
                f"; made {self.images_made} image {copies} of {self.image_sources} {images}"
                f" in {self.image_seconds:.2f} s"
            )
        if self.next_change:
            line += f"; next scheduled change {iso(self.next_change.moment)} ({self.next_change.reason})"
        if self.held:
            names = ", ".join(display_path(Path(path)) for path in self.held)
            line += f"; {len(self.held)} held back for errors: {names}"
        return line
