"""The preview's state: the last good build, the latest problems, and who changed.

Rebuilds run one at a time; requests that arrive meanwhile wait for the new
build (never a half-written one). A failed rebuild keeps the last good pages
and records the problems, which every open tab shows as an overlay.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

from newsgen.engine import BuildOptions, BuildSession, build, build_now
from newsgen.engine.output.write import OutputError
from newsgen.engine.scheduled import ScheduledStory, scheduled_stories
from newsgen.errors import ContentError, Severity


@dataclass(frozen=True)
class BuildEvent:
    """What one rebuild changed, as the browser needs it."""

    number: int
    changed: tuple[str, ...]  # output files (relative paths) added, changed or removed
    problems: tuple[str, ...]  # formatted error lines; empty when the build succeeded
    held: tuple[str, ...] = ()  # formatted error lines of the articles the build held back

    @property
    def css_only(self) -> bool:
        return bool(self.changed) and all(path.endswith(".css") for path in self.changed)


class Preview:
    """Builds into a private temporary folder, outside the site and never `build/`."""

    def __init__(self, options: BuildOptions, cache_dir: Path | None = None) -> None:
        self.source_dir = options.source_dir
        self._temp_root = Path(tempfile.mkdtemp(prefix="newsgen-preview-"))
        self.output_dir = self._temp_root / "site"
        # One reporter's broken story never hides another's edit: the preview always keeps going. It publishes
        # nothing, so it never refuses to show a site that lost most of its stories.
        self._options = replace(options, output_dir=self.output_dir, keep_going=True, allow_shrink=True)
        self._session = BuildSession(cache_dir, index_on_disk=False)  # the preview's folder lives as long as it does
        self._condition = threading.Condition()
        self._building = False
        self.has_good_build = False
        self.latest = BuildEvent(0, (), ())

    def rebuild(self) -> BuildEvent:
        with self._condition:
            while self._building:  # one rebuild at a time
                self._condition.wait()
            self._building = True
        event = self.latest
        try:
            event = self._build_once()
        finally:
            with self._condition:
                self._building = False
                self.latest = event
                self._condition.notify_all()
        return event

    def _build_once(self) -> BuildEvent:
        number = self.latest.number + 1
        try:
            result = build(replace(self._options, now=build_now()), self._session)
        except ContentError as exc:
            for problem in exc.problems:
                print(problem.format(), file=sys.stderr)
            errors = tuple(problem.format() for problem in exc.problems if problem.severity is Severity.ERROR)
            return BuildEvent(number, (), errors)
        except OutputError as exc:
            print(f"newsgen: error: {exc}", file=sys.stderr)
            return BuildEvent(number, (), (f"newsgen: {exc}",))
        except OSError as exc:  # a failed write (a full disk) names no file: the preview's folder is where it was
            line = f"{exc.filename if exc.filename is not None else self.output_dir}: {exc.strerror or exc}"
            print(f"newsgen: error: {line}", file=sys.stderr)
            return BuildEvent(number, (), (f"newsgen: {line}",))
        except Exception as exc:  # a bug in newsgen must not stop the preview
            traceback.print_exc()
            return BuildEvent(number, (), (f"newsgen: internal error: {exc!r}",))
        for warning in result.warnings:
            print(warning.format(), file=sys.stderr)
        print(result.summary(), flush=True)
        self.has_good_build = True
        held = tuple(problem.format() for problem in result.warnings if problem.severity is Severity.ERROR)
        return BuildEvent(number, tuple(result.changed), (), held)

    def scheduled(self) -> list[ScheduledStory]:
        """The stories waiting for their date, read while no rebuild runs (they share the article cache)."""
        with self._condition:
            while self._building:
                self._condition.wait()
            self._building = True
        try:
            return scheduled_stories(replace(self._options, now=build_now()), self._session)
        finally:
            with self._condition:
                self._building = False
                self._condition.notify_all()

    def wait_until_idle(self) -> None:
        """Hold a request while a rebuild runs, so it gets the new pages."""
        with self._condition:
            while self._building:
                self._condition.wait()

    def wait_for_event(self, after: int, timeout: float) -> BuildEvent:
        """The first build event numbered above `after`, or the latest after `timeout` seconds."""
        with self._condition:
            self._condition.wait_for(lambda: self.latest.number > after, timeout=timeout)
            return self.latest

    def close(self) -> None:
        shutil.rmtree(self._temp_root, ignore_errors=True)
