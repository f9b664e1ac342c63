"""What a build works out about the site once, for whichever way it plans: settings, templates, reader, clock.

Each part is made when first asked, so a build that finds nothing changed
reads no config and loads no templates, and a build that goes the whole way
after the quick way gave up reads nothing twice.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.errors import Problem, Severity
from newsgen.options import BuildOptions
from newsgen.read.files import TEMPLATES_DIR
from newsgen.site.clock import Selection
from newsgen.theme import theme_dir

if TYPE_CHECKING:
    import jinja2

    from newsgen.config import SiteConfig
    from newsgen.engine.cache.local import CachedArticle
    from newsgen.engine.plan.load import ArticleReader
    from newsgen.engine.session import BuildSession
    from newsgen.read.desk import ReadDesk


class BuildContext:
    """One build's view of the site, made in `run.py` and passed to the planners."""

    def __init__(self, options: BuildOptions, session: BuildSession) -> None:
        self.options, self.source, self._session = options, options.source_dir.resolve(), session
        self._stories: dict[str, tuple[bytes, CachedArticle]] = {}

    @cached_property
    def settings(self) -> tuple[SiteConfig, tuple[Problem, ...]]:
        """The config and its problems, with the build's preview settings (`--base-url`, `--noindex`) over it."""
        from dataclasses import replace

        from newsgen.config import load_config

        config, problems = load_config(self.source)
        config = replace(config, base_url=self.options.base_url or config.base_url, noindex=self.options.noindex)
        return config, tuple(problems)

    @property
    def config(self) -> SiteConfig:
        return self.settings[0]

    @property
    def usable(self) -> bool:
        """Whether the config has no errors: else only the whole way, which reports them, may go on."""
        return not any(problem.severity is Severity.ERROR for problem in self.settings[1])

    @cached_property
    def desk(self) -> ReadDesk:
        """The editors' fronts and alerts (`fronts.yaml`, `alerts.yaml`), with their problems."""
        from newsgen.read.desk import read_desk

        return read_desk(self.source, self.config.timezone)

    @cached_property
    def environment(self) -> jinja2.Environment:
        """The templates: the site's, then the theme's."""
        return self._session.environment([self.source / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR], self.config)

    @cached_property
    def reader(self) -> ArticleReader:
        """How this build reads a story file (the site's images and authors found once)."""
        from newsgen.engine.plan.load import ArticleReader

        return ArticleReader.for_site(self.source, self.config)

    def read(self, path: str) -> tuple[bytes, CachedArticle]:
        """A story file read (its cache key and entry), once per build: the quick way for edits that move nothing
        reads it first, and `changes.py` uses that read when an edit did move something."""
        if path not in self._stories:
            self._stories[path] = self.reader.read(Path(path))
        return self._stories[path]

    @cached_property
    def selection(self) -> Selection:
        """What is published at this build's "now"."""
        return Selection(self.options.drafts, self.options.future, self.options.now)
