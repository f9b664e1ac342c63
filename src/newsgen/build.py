"""`build()`: the pipeline, in order. Gather and check everything, then write."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from .collect import Selection, collect_site
from .config import CONFIG_FILE, SiteConfig, load_config
from .errors import ContentError, Problem, raise_if_errors
from .cache import ArticleCache
from .load import CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, load_site
from .dates import iso
from .models import ScheduledChange, Site
from .outputs.sitemaps import NEWS_WINDOW, news_window
from .parallel import parallel_map
from .progress import ProgressBar
from .render import PageJob, make_environment, page_jobs
from .theme import theme_dir
from .unchanged import LastBuild, inputs_digest, load_record, save_record, still_current
from .write import (
    FileRecord, Manifest, SiteWriter, check_output_dir, load_manifest, output_name, save_manifest, stage_file,
)  # fmt: skip


@dataclass(frozen=True)
class BuildOptions:
    source_dir: Path
    output_dir: Path
    drafts: bool = False
    future: bool = False
    now: datetime = field(default_factory=lambda: build_now())
    jobs: int = 1  # processes for reading articles and rendering pages
    progress: bool = False  # a progress bar on a terminal for long builds


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

    def summary(self) -> str:
        articles = "article" if self.articles == 1 else "articles"
        line = (
            f"Built {self.pages} pages from {self.articles} {articles} in {self.seconds:.2f} s "
            f"({self.pages - self.rendered} reused from cache, {self.files_written} files written)"
        )
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

    def __init__(self, cache_dir: Path | None = None, manifests_on_disk: bool = True) -> None:
        self.articles = ArticleCache(cache_dir)
        self._cache_dir = cache_dir if manifests_on_disk else None
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._manifests: dict[Path, Manifest] = {}

    @property
    def cache_dir(self) -> Path | None:
        """Where this session keeps what outlives it; None for the preview, whose output is temporary."""
        return self._cache_dir

    def manifest(self, output_dir: Path) -> Manifest:
        """What the output folder held after the last build of this session or of this cache."""
        output = output_dir.resolve()
        if output not in self._manifests and self._cache_dir is not None:
            self._manifests[output] = load_manifest(self._manifest_path(output))
        return self._manifests.get(output, {})

    def remember(self, output_dir: Path, manifest: Manifest) -> None:
        output = output_dir.resolve()
        self._manifests[output] = manifest
        if self._cache_dir is not None:
            save_manifest(self._manifest_path(output), manifest)

    def _manifest_path(self, output: Path) -> Path:
        assert self._cache_dir is not None
        return self._cache_dir / "outputs" / f"{hashlib.sha256(str(output).encode()).hexdigest()[:24]}.json"

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
    loaded = load_site(source, config, session.articles, options.jobs, ProgressBar(options.progress))
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
        for job in page_jobs(checked.site, checked.config, checked.environment, options.now):
            job.render()
    except ContentError as exc:
        return exc.problems
    except jinja2.TemplateError as exc:
        return [template_problem(exc)]
    return sorted(checked.problems)


def build(options: BuildOptions, session: BuildSession | None = None) -> BuildResult:
    """Plan, then render and write. Raises ContentError with every problem found."""
    started = time.perf_counter()
    session = session or BuildSession()
    source = options.source_dir.resolve()
    check_output_dir(options.output_dir, source, [source / CONTENT_DIR, source / TEMPLATES_DIR, source / STATIC_DIR])
    cache_dir, inputs = session.cache_dir, b""
    if cache_dir is not None:
        inputs = inputs_digest(source, (options.drafts, options.future, str(options.output_dir.resolve())))
        record = load_record(cache_dir, options.output_dir)
        if record is not None and still_current(record, inputs, options.now, options.output_dir.resolve(), session.manifest(options.output_dir)):
            seconds = time.perf_counter() - started
            return BuildResult(record.articles, record.pages, 0, 0, seconds, record.warnings, [], record.next_change)
        save_record(cache_dir, options.output_dir, None)
    planned = plan(options, session)
    site, warnings = planned.site, tuple(sorted(planned.problems))
    pages, rendered, changed = _write_site(planned, options, session)
    if cache_dir is not None:
        record = LastBuild(inputs, _valid_until(site, options.now), len(site.articles), pages, site.next_change, warnings)
        save_record(cache_dir, options.output_dir, record)
    seconds = time.perf_counter() - started
    return BuildResult(len(site.articles), pages, rendered, len(changed), seconds, warnings, changed, site.next_change)


def _write_site(planned: Plan, options: BuildOptions, session: BuildSession) -> tuple[int, int, list[str]]:
    """Render what changed, copy static files, commit; returns pages, pages rendered and files changed."""
    site = planned.site
    with SiteWriter(options.output_dir, session.manifest(options.output_dir)) as writer:
        try:
            jobs = page_jobs(site, planned.config, planned.environment, options.now)
        except jinja2.TemplateError as exc:
            raise ContentError([*planned.problems, template_problem(exc)]) from None
        to_render = [job for job in jobs if not writer.reuse(job.url, job.key)]
        _render_into(writer, to_render, options.jobs, planned.problems, ProgressBar(options.progress))
        for article in site.articles:
            for asset in article.assets:
                writer.copy(asset.url, asset.source)
        for static in site.static_files:
            writer.copy(static.url, static.source)
        session.remember(options.output_dir, {})  # the folder is about to change: until recorded, trust nothing
        changed = writer.commit()
        session.remember(options.output_dir, writer.manifest)
    return len(jobs), len(to_render), changed


def _valid_until(site: Site, now: datetime) -> datetime | None:
    """When this build's output stops being true by the clock alone: an embargo, an expiry, the news window."""
    moments = [article.date + NEWS_WINDOW for article in news_window(site.articles, now)]
    if site.next_change is not None:
        moments.append(site.next_change.moment)
    return min(moments, default=None)


def _render_into(writer: SiteWriter, jobs: list[PageJob], processes: int, warnings: list[Problem], bar: ProgressBar) -> None:
    """Render and stage the pages, in parallel; a template error anywhere fails the build, naming the template."""
    stage, previous, output = writer.stage, writer.previous, writer.output

    def render(index: int) -> tuple[str, FileRecord, bool] | Problem:
        job = jobs[index]
        try:
            content = job.render()
        except jinja2.TemplateError as exc:
            return template_problem(exc)
        name = output_name(job.url)
        record, staged = stage_file(stage, name, job.key.hex(), content, previous.get(name), output)
        return name, record, staged

    errors = []
    for result in bar.track(parallel_map(render, range(len(jobs)), processes), len(jobs), "Rendering pages"):
        if isinstance(result, Problem):
            errors.append(result)
        else:
            writer.add(*result)
    if errors:
        raise ContentError([*warnings, errors[0]])


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
