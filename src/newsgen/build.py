"""`build()`: the pipeline, in order. Gather and check everything, then write.

An edit that moves nothing takes a quick way instead (`quick.py`); both give
the bytes of a clean build.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from .cache import ArticleCache
from .collect import Selection, collect_site
from .config import CONFIG_FILE, SiteConfig, load_config
from .errors import ContentError, Problem, Severity, raise_if_errors
from .files import settled
from .load import CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, SourceFile, load_site
from .models import Site, Term
from .options import BuildOptions, BuildResult, build_now
from .outputs.sitemaps import NEWS_WINDOW, news_window
from .parallel import parallel_map
from .progress import ProgressBar
from .quick import QuickBuild, inputs_digest, quick_build, structure_digest
from .render import PageJob, PageRenderer, PageSpec, article_id, make_environment, page_specs, site_pools
from .siteindex import SiteIndex, SiteMeta, SourceRecord
from .theme import theme_dir
from .write import FileRecord, Manifest, SiteWriter, check_output_dir, output_name, stage_file

__all__ = ["BuildOptions", "BuildResult", "BuildSession", "build", "build_now", "check"]


class BuildSession:
    """What one process reuses from one build to the next, and where builds keep what outlives them.

    Each piece checks its own inputs, so reuse never gives different bytes
    from a fresh build: templates are reloaded when their files change, and
    articles are re-read when anything they depend on changes.
    """

    def __init__(self, cache_dir: Path | None = None, manifests_on_disk: bool = True) -> None:
        self.articles = ArticleCache(cache_dir)
        self._index_dir = cache_dir / "outputs" if cache_dir is not None and manifests_on_disk else None
        self._bytecode_dir = cache_dir / "templates" if cache_dir is not None else None
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._manifests: dict[Path, Manifest] = {}

    def index(self, output_dir: Path) -> SiteIndex | None:
        """The index the last build into `output_dir` left; None for a session that keeps none (the preview)."""
        if self._index_dir is None:
            return None
        return SiteIndex(self._index_dir / f"{hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:24]}.sqlite")

    def manifest(self, output_dir: Path) -> Manifest:
        """What the output folder held after this session's last build into it (sessions without an index)."""
        return self._manifests.get(output_dir.resolve(), {})

    def remember(self, output_dir: Path, manifest: Manifest) -> None:
        self._manifests[output_dir.resolve()] = manifest

    def environment(self, template_dirs: list[Path], config: SiteConfig) -> jinja2.Environment:
        """Compiled templates, recompiled when any template file is added, removed or changed."""
        templates = [(str(path), path.stat().st_mtime_ns) for folder in template_dirs for path in sorted(folder.rglob("*"))]
        key = repr((templates, config))
        if self._environment is None or self._environment[0] != key:
            self._environment = (key, make_environment(template_dirs, config, self._bytecode_dir))
        return self._environment[1]


@dataclass(frozen=True)
class Plan:
    """A site loaded, checked and decided, ready to render."""

    config: SiteConfig
    site: Site
    environment: jinja2.Environment
    problems: list[Problem]  # warnings only: a plan with errors is never made
    sources: dict[str, SourceFile]  # every file under content/
    scanned_at: int  # when content/ was scanned, in ns


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
    return Plan(config, site, environment, problems, loaded.sources, loaded.scanned_at)


def _renderer(planned: Plan) -> PageRenderer:
    """A renderer for every page of a planned site."""
    site, config = planned.site, planned.config
    articles = {article_id(article): article for article in site.articles}
    return PageRenderer(planned.environment, config, _nav(site), articles, site_pools(site, config))


def _nav(site: Site) -> tuple[Term, ...]:
    return tuple(collection.term for collection in site.sections)


def check(options: BuildOptions) -> list[Problem]:
    """Every problem a build would report, found by rendering every page without writing any."""
    try:
        checked = plan(options, BuildSession())
        renderer = _renderer(checked)
        for spec in page_specs(checked.site, checked.config, options.now):
            renderer.render(spec)
    except ContentError as exc:
        return exc.problems
    except jinja2.TemplateError as exc:
        return [template_problem(exc)]
    return sorted(checked.problems)


def build(options: BuildOptions, session: BuildSession | None = None) -> BuildResult:
    """The quick way when only articles changed and nothing moved, else plan, render and write.

    Raises ContentError with every problem found.
    """
    started = time.perf_counter()
    session = session or BuildSession()
    source = options.source_dir.resolve()
    check_output_dir(options.output_dir, source, [source / CONTENT_DIR, source / TEMPLATES_DIR, source / STATIC_DIR])
    index = session.index(options.output_dir)
    try:
        inputs = inputs_digest(source, options) if index is not None else b""
        if index is not None and not options.full:
            quick = _try_quick(options, session, index, inputs)
            if quick is not None:
                meta = quick.meta
                seconds = time.perf_counter() - started
                return BuildResult(meta.articles, meta.pages, quick.rendered, len(quick.changed), seconds, quick.warnings,
                                   quick.changed, meta.next_change)  # fmt: skip
        planned = plan(options, session)
        site, warnings = planned.site, tuple(sorted(planned.problems))
        specs, rendered, changed = _write_site(planned, options, session, index, inputs)
    finally:
        if index is not None:
            index.close()
    seconds = time.perf_counter() - started
    return BuildResult(len(site.articles), len(specs), rendered, len(changed), seconds, warnings, changed, site.next_change)


def _try_quick(options: BuildOptions, session: BuildSession, index: SiteIndex, inputs: bytes) -> QuickBuild | None:
    source = options.source_dir.resolve()
    config, problems = load_config(source)
    if any(problem.severity is Severity.ERROR for problem in problems):
        return None
    environment = session.environment([source / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR], config)
    return quick_build(options, index, session.articles, config, environment, inputs)


def _write_site(planned: Plan, options: BuildOptions, session: BuildSession, index: SiteIndex | None,
                inputs: bytes) -> tuple[list[PageSpec], int, list[str]]:  # fmt: skip
    """Render what changed, copy static files, commit; returns the specs, how many pages were rendered, and the files changed."""
    site = planned.site
    previous = index.manifest() if index is not None else session.manifest(options.output_dir)
    with SiteWriter(options.output_dir, previous) as writer:
        specs = page_specs(site, planned.config, options.now)
        renderer = _renderer(planned)
        try:
            jobs = [renderer.job(spec) for spec in specs]
        except jinja2.TemplateError as exc:
            raise ContentError([*planned.problems, template_problem(exc)]) from None
        to_render = [job for job in jobs if not writer.reuse(job.url, job.key)]
        _render_into(writer, to_render, options.jobs, planned.problems, ProgressBar(options.progress))
        for article in site.articles:
            for asset in article.assets:
                writer.copy(asset.url, asset.source)
        for static in site.static_files:
            writer.copy(static.url, static.source)
        # The folder is about to change: until recorded, trust nothing.
        index.invalidate() if index is not None else session.remember(options.output_dir, {})
        changed = writer.commit()
        if index is not None:
            _save_index(index, planned, options, inputs, specs, writer.manifest, renderer.template_digests())
        else:
            session.remember(options.output_dir, writer.manifest)
    return specs, len(to_render), changed


def _save_index(index: SiteIndex, planned: Plan, options: BuildOptions, inputs: bytes, specs: list[PageSpec],
                manifest: Manifest, templates: dict[str, bytes]) -> None:  # fmt: skip
    """What the next build needs to take the quick way."""
    site, config = planned.site, planned.config
    sources, signatures = {}, {}
    own: set[Problem] = set()
    for path, loaded in planned.sources.items():
        structure = structure_digest(loaded.article) if loaded.article is not None else None
        signatures[path] = settled(loaded.signature, planned.scanned_at)
        sources[path] = SourceRecord(loaded.article_key, structure, loaded.problems)
        own.update(loaded.problems)
    site_problems = tuple(problem for problem in sorted(planned.problems) if problem not in own)
    meta = SiteMeta(inputs, _valid_until(site, options.now), len(site.articles), len(specs), site.next_change, site_problems,
                    _nav(site), site_pools(site, config), templates)  # fmt: skip
    index.save(meta, signatures, manifest, sources, specs)


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
