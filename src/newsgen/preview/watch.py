"""Watching a site's inputs: one callback per burst of saves, whatever the editor does.

Editors save in odd ways (write a temp file and rename it, keep swap and
backup files, lock files, several events per save); all of that collapses
into one call after the folder has been quiet for `debounce` seconds.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from newsgen.read.desk import DESK_FILES
from newsgen.read.files import (
    AUTHOR_FILES,
    CONFIG_FILE,
    CONTENT_DIR,
    DATA_DIRS,
    LOCALES_DIR,
    PAGES_DIR,
    STATIC_DIR,
    TEMPLATES_DIR,
    is_ignored_name,
)

WATCHED_DIRS = (CONTENT_DIR, PAGES_DIR, TEMPLATES_DIR, LOCALES_DIR, STATIC_DIR, *DATA_DIRS)


def is_site_input(path: Path, source_dir: Path, is_directory: bool = False) -> bool:
    """Whether a change at `path` can change the site (editor scratch files can't).

    Vim checks that it may write a folder by creating and deleting a file
    named with digits only (`4913`); such a file is never an input either.
    """
    try:
        relative = path.relative_to(source_dir)
    except ValueError:
        return False
    if not relative.parts or any(is_ignored_name(part) for part in relative.parts):
        return False
    if relative.name.isdigit() and not is_directory:
        return False
    return relative.parts[0] in WATCHED_DIRS or relative.as_posix() in (CONFIG_FILE, *AUTHOR_FILES, *DESK_FILES)


class _Debouncer(FileSystemEventHandler):
    def __init__(self, source_dir: Path, on_change: Callable[[], object], debounce: float) -> None:
        self._source_dir = source_dir
        self._on_change = on_change
        self._debounce = debounce
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed; that file's own event decides
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if not any(path and is_site_input(Path(str(path)), self._source_dir, event.is_directory) for path in paths):
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self._debounce, self._on_change)
            self._timer.daemon = True
            self._timer.start()

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()


class SourceWatcher:
    """Watches the inputs only (never `build/`, which can hold more folders than
    the OS allows watches); falls back to polling when the OS runs out of watches."""

    def __init__(self, source_dir: Path, on_change: Callable[[], object], debounce: float = 0.05) -> None:
        self._source_dir = source_dir.resolve()
        self._handler = _Debouncer(self._source_dir, self._on_change, debounce)
        self._notify = on_change
        self._watched: set[str] = set()
        self._observer: BaseObserver = self._start(Observer())

    def _start(self, observer: BaseObserver) -> BaseObserver:
        try:
            observer.schedule(self._handler, str(self._source_dir), recursive=False)
            self._observer = observer
            self._watch_input_dirs()
            observer.start()
            return observer
        except OSError as exc:  # inotify watch or instance limit reached
            if isinstance(observer, PollingObserver):
                raise
            print(
                f"newsgen: warning: file watching unavailable ({exc.strerror}); polling for changes instead",
                file=sys.stderr,
            )
            self._watched.clear()
            return self._start(PollingObserver(timeout=0.5))

    def _watch_input_dirs(self) -> None:
        """Watch content/, templates/, static/ and the data folders, including ones created after start."""
        for name in WATCHED_DIRS:
            folder = self._source_dir / name
            if name not in self._watched and folder.is_dir():
                self._observer.schedule(self._handler, str(folder), recursive=True)
                self._watched.add(name)

    def _on_change(self) -> None:
        self._watch_input_dirs()
        self._notify()

    def stop(self) -> None:
        self._handler.cancel()
        self._observer.stop()
        self._observer.join(timeout=1)
