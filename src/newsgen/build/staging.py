"""Rendering page jobs into a SiteWriter's staging folder, on all cores; template errors as problems."""

from __future__ import annotations

from pathlib import Path

import jinja2

from newsgen.errors import ContentError, Problem
from newsgen.build.parallel import parallel_map
from newsgen.build.progress import ProgressBar
from newsgen.render.pages import PageJob
from newsgen.build.write import FileRecord, SiteWriter, output_name, stage_file


def render_into(writer: SiteWriter, jobs: list[PageJob], processes: int, warnings: list[Problem], bar: ProgressBar) -> None:
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
