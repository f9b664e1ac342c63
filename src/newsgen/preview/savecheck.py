"""Whether newsgen would reject a story or page the CMS is about to save, in newsgen's own words.

The file is read as a build reads it, from the bytes the browser sent, before
anything is written: a save newsgen would hold back is refused, and the
editor sees the same `path:line: field: message` lines `newsgen check` prints.
Warnings never block a save.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from newsgen.body.images import ImageLocator
from newsgen.config import load_config
from newsgen.engine.plan.load import ArticleReader, find_static_files, has_errors
from newsgen.engine.plan.standalone import PageReader
from newsgen.errors import Problem, Severity
from newsgen.read.desk import DESK_FILES, desk_file_problems
from newsgen.read.files import CONTENT_DIR, PAGES_DIR, is_article_name


def save_problems(site_root: Path, real: Path, raw: bytes) -> list[str]:
    """The error lines newsgen would report for `raw` saved at `real` (a path `confine.site_file` gave); [] if none.

    Articles (under `content/`), standalone pages (under `pages/`) and the
    editors' `fronts.yaml` and `alerts.yaml` are read; other files are not
    newsgen's to judge here. With a broken
    `newsgen.yaml` nothing can be judged, and the preview already shows why.
    """
    root = site_root.resolve()
    relative = real.relative_to(root)
    is_desk_file = relative.as_posix() in DESK_FILES
    if not is_desk_file and (not is_article_name(real.name) or relative.parts[0] not in (CONTENT_DIR, PAGES_DIR)):
        return []
    config, config_problems = load_config(root)
    if has_errors(config_problems):
        return []
    problems: list[Problem] = []
    if is_desk_file:
        problems += desk_file_problems(real, raw, config.timezone)
    elif relative.parts[0] == CONTENT_DIR:
        _, entry = ArticleReader.for_site(root, config).read(real, raw)
        problems += entry.problems
    else:
        images = ImageLocator(find_static_files(root, []), root, config.images)
        PageReader(root, config, images).read(real, problems, raw)
    return [
        replace(problem, path=relative).format() if problem.path == real else problem.format()
        for problem in problems
        if problem.severity is Severity.ERROR
    ]
