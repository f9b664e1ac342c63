"""The URLs a CDN must purge after a deploy, kept until a deploy completes.

A deploy adds the URLs it is about to change to a pending list before it changes
anything, and only a completed deploy turns that list into `changed-urls.txt`
and clears it. A deploy killed halfway has already sent some files, which the
next run finds unchanged: without the pending list their URLs would never be purged.
With `--purge`, a deploy completes only once the CDN accepted the purge.
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path, PurePosixPath

from newsgen.deploy import DeployResult, os_failure
from newsgen.engine.output.status import CACHE_DIR
from newsgen.engine.search import named_by_content
from newsgen.urls import absolute_url, url_path

CHANGED_URLS_FILE = "changed-urls.txt"


class PurgeList:
    """One destination's pending URLs (each CDN is purged for its own destination) and the changed-URLs file."""

    def __init__(self, source_dir: Path, base_url: str, destination: str) -> None:
        cache = source_dir / CACHE_DIR
        digest = hashlib.sha256(destination.encode()).hexdigest()[:16]
        self._pending = cache / f"pending-purge-{digest}.txt"
        self._change_set = cache / f"pending-purge-{digest}.change-set"
        self._changed = cache / CHANGED_URLS_FILE
        self._base_url = base_url

    def add(self, result: DeployResult) -> None:
        """Before the destination changes: remember the URLs this deploy is about to change."""
        _write(self._pending, _lines(self.urls(result)))

    def urls(self, result: DeployResult) -> list[str]:
        """Every URL changed since the last completed deploy, this one's included: what the CDN must purge."""
        return sorted(self._read_pending() | self._urls(result))

    def change_set(self) -> str:
        """A random name for the pending URLs, kept until they are cleared.

        A purge retried for the same URLs names them alike (so CloudFront makes no second invalidation),
        while the same URLs changing again after a completed deploy get a new name and are purged again.
        """
        try:
            return self._change_set.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            name = secrets.token_hex(16)
            _write(self._change_set, name + "\n")
            return name
        except OSError as exc:
            raise os_failure(exc, self._change_set) from None

    def complete(self, result: DeployResult) -> Path:
        """After a completed deploy: every URL changed since the last completed one, for the CDN; none left pending."""
        _write(self._changed, _lines(self.urls(result)))
        for path in (self._pending, self._change_set):
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise os_failure(exc, path) from None
        return self._changed

    def _read_pending(self) -> set[str]:
        try:
            return set(self._pending.read_text(encoding="utf-8").splitlines())
        except FileNotFoundError:
            return set()
        except OSError as exc:
            raise os_failure(exc, self._pending) from None

    def _urls(self, result: DeployResult) -> set[str]:
        """The changed files' URLs, but the search index's parts named by their bytes: no CDN holds a new one, and
        nothing asks for an old one."""
        changed = [path for path in [*result.uploaded, *result.deleted] if not named_by_content(path)]
        return {absolute_url(self._base_url, _url_of(path)) for path in changed}


def _lines(urls: list[str]) -> str:
    return "".join(url + "\n" for url in urls)


def _write(path: Path, text: str) -> None:
    """Whole or not at all: a deploy killed while writing leaves the previous file."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        raise os_failure(exc, temporary) from None


def _url_of(relative: str) -> str:
    """The URL of an output file (a decoded path, as on disk and in S3), percent-encoded as every URL newsgen writes."""
    path = PurePosixPath(relative)
    return url_path(f"/{path.parent.as_posix()}/".replace("/./", "/") if path.name == "index.html" else f"/{relative}")
