"""`newsgen deploy`: publish the last good build to a git branch or an S3-compatible bucket.

Only what changed is sent, what the build no longer has can be removed, and
nothing is sent from a build that failed, is missing, or is empty.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from newsgen.engine.output.journal import leftovers
from newsgen.engine.output.status import last_build_failed
from newsgen.engine.output.write import MARKER


class DeployError(Exception):
    """Deploying is refused or failed; the message says why in one line."""


def os_failure(exc: OSError, path: Path | str) -> DeployError:
    """One line naming the file: a failed write (a full disk) reports no file name of its own."""
    where = exc.filename if exc.filename is not None else path
    return DeployError(f"{where}: {exc.strerror or exc}")


# newsgen's own files in the build folder: never published (the schedule reveals when embargoes lift).
PRIVATE_FILES = frozenset({MARKER, ".newsgen-schedule.json"})
# Deleting more than the larger of these needs --allow-mass-delete: a build that lost its articles
# (an empty or unreadable content/) must not empty the live site. The floor lets a small site change freely.
MASS_DELETE_FLOOR = 50
MASS_DELETE_PERCENT = 10


@dataclass
class DeployResult:
    uploaded: list[str] = field(default_factory=list)  # paths relative to the build folder
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    dry_run: bool = False
    remote_files: int = 0  # files at the destination before this deploy

    @property
    def delete_limit(self) -> int:
        return max(MASS_DELETE_FLOOR, self.remote_files * MASS_DELETE_PERCENT // 100)

    @property
    def mass_delete(self) -> bool:
        return len(self.deleted) > self.delete_limit

    def mass_delete_text(self) -> str:
        return (
            f"{len(self.deleted)} of the {self.remote_files} files there, over the limit of {self.delete_limit} "
            f"(the larger of {MASS_DELETE_FLOOR} files and {MASS_DELETE_PERCENT}%)"
        )

    def summary(self) -> str:
        verb = "would be " if self.dry_run else ""
        line = f"{len(self.uploaded)} {verb}uploaded, {self.unchanged} unchanged, {len(self.deleted)} {verb}deleted"
        if self.dry_run and self.mass_delete:
            line += f"; deleting {self.mass_delete_text()} needs --allow-mass-delete"
        return line


def published_files(build_dir: Path) -> dict[str, Path]:
    """The build's files by relative path, after refusing a build that must not be published.

    Call while holding the output folder's lock: a staging folder is then a killed build's.
    """
    if not (build_dir / MARKER).is_file():
        raise DeployError(f"{build_dir}: no newsgen build here; run newsgen build first")
    stopped = leftovers(build_dir.resolve())
    if stopped:
        raise DeployError(
            f"{build_dir}: a newsgen build was stopped part-way and left {stopped[0].name}; build again before deploying"
        )
    if last_build_failed(build_dir):
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
    try:
        return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
    except OSError as exc:
        raise os_failure(exc, path) from None
