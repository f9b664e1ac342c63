"""`build()`: the pipeline, in order. Gather and check everything, then write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from .collect import Selection, collect_site
from .config import CONFIG_FILE, SiteConfig, load_config
from .errors import ContentError, Problem, raise_if_errors
from .load import CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, ArticleMemo, load_site
from .dates import iso
from .markup import BodyRenderer
from .models import ScheduledChange, Site
from .render import make_environment, render_site
from .theme import theme_dir
from .write import SwapWriter, SyncWriter, check_output_dir


@dataclass(frozen=True)
class BuildOptions:
    source_dir: Path
    output_dir: Path
    drafts: bool = False
    future: bool = False
    now: datetime = field(default_factory=lambda: build_now())


@dataclass(frozen=True)
class BuildResult:
    articles: int
    pages: int
    files_written: int
    seconds: float
    warnings: tuple[Problem, ...]
    changed: list[str] | None = None  # output files written or deleted, when the writer tracks them
    next_change: ScheduledChange | None = None

    def summary(self) -> str:
        articles = "article" if self.articles == 1 else "articles"
        line = f"Built {self.pages} pages from {self.articles} {articles} in {self.seconds:.2f} s"
        if self.next_change:
            line += f"; next scheduled change {iso(self.next_change.moment)} ({self.next_change.reason})"
        return line


def build_now() -> datetime:
    """`SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


class BuildSession:
    """What a long-running process (the preview) reuses from one build to the next.

    Each piece checks its own inputs, so reuse never gives different bytes
    from a fresh build: templates are reloaded when their files change, and
    articles are re-read when anything they depend on changes.
    """

    def __init__(self, sync_output: bool = False) -> None:
        self.renderer = BodyRenderer()
        self.articles = ArticleMemo()
        self._environment: tuple[str, jinja2.Environment] | None = None
        # The preview owns its output folder, so it can update it in place (see SyncWriter).
        self.output_manifest: dict[str, str] | None = {} if sync_output else None

    def environment(self, template_dirs: list[Path], config: SiteConfig) -> jinja2.Environment:
        """Compiled templates, recompiled when any template file is added, removed or changed."""
        templates = [(str(path), path.stat().st_mtime_ns) for folder in template_dirs for path in sorted(folder.rglob("*"))]
        key = repr((templates, config))
        if self._environment is None or self._environment[0] != key:
            self._environment = (key, make_environment(template_dirs, config))
        return self._environment[1]


@dataclass(frozen=True)
class Plan:
    """A site loaded, checked and decided, ready to render."""

    config: SiteConfig
    site: Site
    environment: jinja2.Environment
    problems: list[Problem]  # warnings only: a plan with errors is never made


def plan(options: BuildOptions, session: BuildSession) -> Plan:
    """Load -> collect, and the templates. Raises ContentError with every problem found."""
    source = options.source_dir.resolve()
    config, problems = load_config(source)
    raise_if_errors(problems)
    loaded = load_site(source, config, session.renderer, session.articles)
    problems += loaded.problems
    selection = Selection(options.drafts, options.future, options.now)
    site, collisions = collect_site(loaded.articles, loaded.static_files, config, source / CONFIG_FILE, selection)
    problems += collisions
    raise_if_errors(problems)
    environment = session.environment([source / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR], config)
    return Plan(config, site, environment, problems)


def check(options: BuildOptions) -> list[Problem]:
    """Every problem a build would report, found by rendering every page without writing any."""
    try:
        checked = plan(options, BuildSession())
        for _ in render_site(checked.site, checked.config, checked.environment, options.now):
            pass
    except ContentError as exc:
        return exc.problems
    except jinja2.TemplateError as exc:
        return [template_problem(exc)]
    return sorted(checked.problems)


def build(options: BuildOptions, session: BuildSession | None = None) -> BuildResult:
    """Plan, then render and write. Raises ContentError with every problem found."""
    started = time.perf_counter()
    session = session or BuildSession()
    planned = plan(options, session)
    source = options.source_dir.resolve()
    check_output_dir(options.output_dir, source, [source / CONTENT_DIR, source / TEMPLATES_DIR, source / STATIC_DIR])
    site = planned.site
    pages = 0
    manifest = session.output_manifest
    writer = SwapWriter(options.output_dir) if manifest is None else SyncWriter(options.output_dir, manifest)
    try:
        with writer:
            for page in render_site(site, planned.config, planned.environment, options.now):
                writer.write_page(page)
                pages += 1
            for article in site.articles:
                for asset in article.assets:
                    writer.copy_file(asset.url, asset.source)
            for static in site.static_files:
                writer.copy_file(static.url, static.source)
            changed = writer.commit()
    except jinja2.TemplateError as exc:
        raise ContentError([*planned.problems, template_problem(exc)]) from None
    finally:
        if isinstance(writer, SyncWriter):
            session.output_manifest = writer.on_disk
    warnings = tuple(sorted(planned.problems))
    seconds = time.perf_counter() - started
    return BuildResult(len(site.articles), pages, writer.files_written, seconds, warnings, changed, site.next_change)


def template_problem(exc: jinja2.TemplateError) -> Problem:
    """A template error as `path:line: template: message`.

    Syntax errors carry their file and line; runtime errors (an undefined
    variable) carry them only in the traceback, where Jinja rewrites frames
    to name the template file instead of compiled Python.
    """
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__ if filename is None else None
    while tb is not None:  # the innermost template frame is where the error is
        frame_file = tb.tb_frame.f_code.co_filename
        if not frame_file.endswith(".py") and not frame_file.startswith("<"):
            filename, line = frame_file, tb.tb_lineno
        tb = tb.tb_next
    return Problem(Path(filename or "templates"), line or 1, "template", exc.message or exc.__class__.__name__, code="template")
