"""The URLs a CDN must purge after a deploy, kept until a deploy completes.

A deploy adds the URLs it is about to change to a pending list before it changes
anything, and only a completed deploy turns that list into `changed-urls.txt`
and clears it. A deploy killed halfway has already sent some files, which the
next run finds unchanged: without the pending list their URLs would never be purged.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from newsgen.build.laststatus import CACHE_DIR
from newsgen.deploy import DeployResult, os_failure
from newsgen.urls import absolute_url

CHANGED_URLS_FILE = "changed-urls.txt"


class PurgeList:
    """One destination's pending URLs (each CDN is purged for its own destination) and the changed-URLs file."""

    def __init__(self, source_dir: Path, base_url: str, destination: str) -> None:
        cache = source_dir / CACHE_DIR
        digest = hashlib.sha256(destination.encode()).hexdigest()[:16]
        self._pending = cache / f"pending-purge-{digest}.txt"
        self._changed = cache / CHANGED_URLS_FILE
        self._base_url = base_url

    def add(self, result: DeployResult) -> None:
        """Before the destination changes: remember the URLs this deploy is about to change."""
        _write(self._pending, self._read_pending() | self._urls(result))

    def complete(self, result: DeployResult) -> Path:
        """After a completed deploy: every URL changed since the last completed one, for the CDN; none left pending."""
        _write(self._changed, self._read_pending() | self._urls(result))
        try:
            self._pending.unlink(missing_ok=True)
        except OSError as exc:
            raise os_failure(exc, self._pending) from None
        return self._changed

    def _read_pending(self) -> set[str]:
        try:
            return set(self._pending.read_text(encoding="utf-8").splitlines())
        except FileNotFoundError:
            return set()
        except OSError as exc:
            raise os_failure(exc, self._pending) from None

    def _urls(self, result: DeployResult) -> set[str]:
        return {absolute_url(self._base_url, _url_of(path)) for path in [*result.uploaded, *result.deleted]}


def _write(path: Path, urls: set[str]) -> None:
    """Whole or not at all: a deploy killed while writing leaves the previous list."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text("".join(url + "\n" for url in sorted(urls)), encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        raise os_failure(exc, temporary) from None


def _url_of(relative: str) -> str:
    path = PurePosixPath(relative)
    return f"/{path.parent.as_posix()}/".replace("/./", "/") if path.name == "index.html" else f"/{relative}"
