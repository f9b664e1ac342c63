"""`newsgen deploy`: publish the last good build to a git branch or an S3-compatible bucket.

Only what changed is sent, what the build no longer has can be removed, and
nothing is sent from a build that failed, is missing, or is empty.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from newsgen.build.laststatus import CACHE_DIR, last_build_failed
from newsgen.build.write import MARKER
from newsgen.config import SiteConfig
from newsgen.urls import absolute_url


class DeployError(Exception):
    """Deploying is refused or failed; the message says why in one line."""


# newsgen's own files in the build folder: never published (the schedule reveals when embargoes lift).
PRIVATE_FILES = frozenset({MARKER, ".newsgen-schedule.json"})
CHANGED_URLS_FILE = "changed-urls.txt"


@dataclass
class DeployResult:
    uploaded: list[str] = field(default_factory=list)  # paths relative to the build folder
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        return f"{len(self.uploaded)} {verb}uploaded, {self.unchanged} unchanged, {len(self.deleted)} {verb}deleted"


def published_files(build_dir: Path, source_dir: Path) -> dict[str, Path]:
    """The build's files by relative path, after refusing a build that must not be published."""
    if not (build_dir / MARKER).is_file():
        raise DeployError(f"{build_dir}: no newsgen build here; run newsgen build first")
    if last_build_failed(source_dir, build_dir):
        raise DeployError(f"{build_dir}: the last newsgen build failed; fix it and build again before deploying")
    files = {
        path.relative_to(build_dir).as_posix(): path
        for path in sorted(build_dir.rglob("*"))
        if path.is_file() and path.relative_to(build_dir).as_posix() not in PRIVATE_FILES
    }
    if not files:
        raise DeployError(f"{build_dir}: the build is empty; refusing to deploy (it would remove the whole site)")
    return files


def md5_of(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def write_changed_urls(source_dir: Path, config: SiteConfig, result: DeployResult) -> Path:
    """The URLs a CDN should purge, one a line: every uploaded or deleted page and file."""
    urls = sorted({absolute_url(config.base_url, _url_of(path)) for path in [*result.uploaded, *result.deleted]})
    target = source_dir / CACHE_DIR / CHANGED_URLS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(url + "\n" for url in urls), encoding="utf-8")
    return target


def _url_of(relative: str) -> str:
    path = PurePosixPath(relative)
    return f"/{path.parent.as_posix()}/".replace("/./", "/") if path.name == "index.html" else f"/{relative}"
