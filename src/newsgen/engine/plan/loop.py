"""The one loop every build goes through: key each planned page, render what changed on every core, commit, record.

A plan says which pages and files to bring up to date, and how to record the
result in the site index. The whole way plans every page of the site; the
quick way plans only the pages that show an edited article. Both come here,
so both key, render, write, warn and record the same way, and both bring the
search index up to date (`search.py`) before the commit, as one of the files.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.engine.cache.local import ArticleCache, CachedArticle
from newsgen.engine.imaging import ImageWork
from newsgen.engine.index import IndexDelta, SiteIndex
from newsgen.engine.output.write import FileRecord, Manifest, SiteWriter, output_name, stage_file
from newsgen.engine.parallel import parallel_map
from newsgen.engine.progress import ProgressBar
from newsgen.engine.search import SEARCH_FOLDER, is_searchable, stage_search_index
from newsgen.errors import ContentError, Problem
from newsgen.models import ScheduledChange
from newsgen.options import BuildOptions
from newsgen.read.files import CONFIG_FILE

if TYPE_CHECKING:  # a build with nothing to render imports no Jinja
    import jinja2

    from newsgen.render.renderer import PageRenderer
    from newsgen.render.specs import PageSpec


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What a build brings up to date, however it was found."""

    renderer: PageRenderer | None  # None when there is no page to render
    specs: list[PageSpec]  # the pages to bring up to date
    copies: list[tuple[str, Path]]  # files published as they are: (URL, source)
    previous: Manifest  # those files as the last build left them; with `whole`, every file of the folder
    whole: bool  # covers the whole output folder: files it does not make are deleted
    warnings: tuple[Problem, ...]  # every problem to report; errors only of held articles
    held: tuple[str, ...]  # article files held back for their errors
    articles: int  # published articles
    pages: int  # pages of the whole site
    next_change: ScheduledChange | None
    delta: IndexDelta | None  # what to record in the index once the folder holds the build; None: nothing
    cached: tuple[tuple[bytes, CachedArticle], ...] = ()  # articles read again, for the article cache then
    images: ImageWork | None = None  # the resized copies, where this plan made or listed them


@dataclass(frozen=True)
class Outcome:
    rendered: int
    changed: list[str]  # output files written or deleted


@dataclass(frozen=True)
class _Job:
    spec: PageSpec
    data_key: bytes


def bring_up_to_date(plan: Plan, options: BuildOptions, index: SiteIndex, cache: ArticleCache) -> Outcome:
    """Render the planned pages whose keys changed, copy files, index them for search, commit, and record the
    build in the index and the article cache: the one place either is written."""
    if not plan.whole and not plan.specs:
        _record(plan, {}, index, cache)
        return Outcome(0, [])
    renderer = plan.renderer
    assert renderer is not None, "a plan with pages has a renderer"
    search, previous = renderer.config.search, plan.previous
    if search and not plan.whole:  # an edit to a searchable page replaces the search index's files too
        previous = {**previous, **index.files_under(SEARCH_FOLDER)}
    with SiteWriter(options.output_dir, previous, whole=plan.whole, verify=options.full) as writer:
        jobs = []
        for spec in plan.specs:
            data_key = renderer.data_key(spec)
            if not writer.reuse(spec.url, functools.partial(renderer.key, data_key)):
                jobs.append(_Job(spec, data_key))
        _render_into(writer, renderer, jobs, options.jobs, plan.warnings, ProgressBar(options.progress))
        for url, source in plan.copies:
            writer.copy(url, source)
        if search:
            leaving = writer.previous.keys() - writer.manifest.keys()  # pages this build deletes
            earlier = {} if plan.whole else {k: r for k, r in index.searchable_pages().items() if k not in leaving}
            stage_search_index(writer, earlier, options.source_dir / CONFIG_FILE)
        index.invalidate()  # the folder is about to change: until recorded, trust nothing
        changed = writer.commit()  # its commit point comes first: recovery never undoes a build the index records
        if not plan.whole:  # a whole build's record replaces every row
            index.forget(writer.previous.keys() - writer.manifest.keys())
        _record(plan, writer.manifest, index, cache)
    return Outcome(len(jobs), changed)


def _record(plan: Plan, files: Manifest, index: SiteIndex, cache: ArticleCache) -> None:
    """The articles read again into the cache, then the build into the index, after the commit."""
    for key, entry in plan.cached:
        cache.put(key, entry)
    cache.end_build(prune=False)  # a whole build pruned when it loaded the site; a quick one saw only a few
    if plan.delta is not None:
        index.record(plan.delta, files)


def _render_into(
    writer: SiteWriter,
    renderer: PageRenderer,
    jobs: list[_Job],
    processes: int,
    warnings: tuple[Problem, ...],
    bar: ProgressBar,
) -> None:
    """Render and stage the pages, in parallel; a template error anywhere fails the build, naming the template."""
    import jinja2

    stage, previous, output, verify = writer.stage, writer.previous, writer.output, writer.verify

    def render(number: int) -> tuple[str, FileRecord, bool] | Problem:
        job = jobs[number]
        try:
            content, templates = renderer.render(job.spec)
        except jinja2.TemplateError as exc:
            return template_problem(exc)
        name = output_name(job.spec.url)
        key = renderer.key(job.data_key, templates).hex()
        searchable = is_searchable(name, content)
        record, staged = stage_file(
            stage, name, key, content, previous.get(name), output, templates, verify, searchable
        )
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
    return Problem(
        Path(filename or "templates"), line or 1, "template", exc.message or exc.__class__.__name__, code="template"
    )
