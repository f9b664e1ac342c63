"""Stage 4, the only module that writes: a complete new build, swapped in whole.

The site is written into a temporary folder beside the output folder; only
when every page is written is it swapped in, so a failed build leaves the last
good build exactly as it was. Every path is checked to lie inside the folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .render import RenderedPage
from .urls import output_path

# Marks a folder as newsgen's, so that a mistyped --output never replaces someone's documents.
MARKER = ".newsgen-build"
_MARKER_TEXT = b"This folder is written by newsgen build; it is replaced whole on every build.\n"


class OutputError(Exception):
    """The output folder can't be used; the message says why in one line."""


def check_output_dir(output_dir: Path, source_dir: Path, input_dirs: Iterable[Path]) -> None:
    """Refuse an output folder that would replace the site's sources or someone else's files."""
    output = output_dir.resolve()
    if source_dir.resolve().is_relative_to(output):
        raise OutputError(f"{output_dir}: output folder must not be the site folder or contain it")
    for folder in (folder.resolve() for folder in input_dirs):
        if folder.is_relative_to(output) or output.is_relative_to(folder):
            raise OutputError(f"{output_dir}: output folder must not overlap the input folder {folder}")
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output_dir}: output path exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputError(f"{output_dir}: folder is not empty and was not written by newsgen; refusing to replace it")


class SwapWriter:
    """Collects a build in a temporary folder; `commit()` swaps it into place.

    What `newsgen build` uses: the publish folder changes all at once or not at all.
    """

    def __init__(self, output_dir: Path) -> None:
        self._output = output_dir.resolve()
        self._output.parent.mkdir(parents=True, exist_ok=True)
        self._temp = Path(tempfile.mkdtemp(prefix=f".{self._output.name}.new-", dir=self._output.parent))
        self.files_written = 0

    def __enter__(self) -> SwapWriter:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    def write_page(self, page: RenderedPage) -> None:
        self._target(page.url).write_bytes(page.content)
        self.files_written += 1

    def copy_file(self, url: str, source: Path) -> None:
        shutil.copyfile(source, self._target(url))
        self.files_written += 1

    def commit(self) -> None | list[str]:
        """Swap the new build in; the old one is removed only after the swap. Which files changed is not tracked."""
        (self._temp / MARKER).write_bytes(_MARKER_TEXT)
        os.chmod(self._temp, 0o755)  # mkdtemp makes it private; published folders are readable
        previous = None
        if self._output.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{self._output.name}.old-", dir=self._output.parent))
            os.replace(self._output, previous / "build")
        os.replace(self._temp, self._output)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
        return None

    def _target(self, url: str) -> Path:
        target = self._temp / output_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(self._temp.resolve()):
            raise OutputError(f"{url}: refusing to write outside the output folder")
        return target


class SyncWriter:
    """Brings a folder up to date by writing only the files whose bytes changed.

    Nothing touches the folder before `commit()`: changed files wait in
    memory (an edit changes few), so a build that fails midway leaves the
    folder as it was. `manifest` maps each file to its digest and must
    describe the folder as it is; the preview, which owns its folder and
    holds requests while `commit()` runs, keeps it between builds.
    """

    def __init__(self, output_dir: Path, manifest: dict[str, str]) -> None:
        self._output = output_dir.resolve()
        self._previous = manifest
        self.on_disk = manifest  # what the folder holds now, whatever happens
        self.manifest: dict[str, str] = {MARKER: _digest(_MARKER_TEXT)}
        self._pending: dict[str, bytes] = {MARKER: _MARKER_TEXT} if MARKER not in manifest else {}
        self.files_written = 0

    def __enter__(self) -> SyncWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self._pending.clear()

    def write_page(self, page: RenderedPage) -> None:
        self._add(output_path(page.url).as_posix(), page.content)

    def copy_file(self, url: str, source: Path) -> None:
        self._add(output_path(url).as_posix(), source.read_bytes())

    def _add(self, name: str, content: bytes) -> None:
        digest = _digest(content)
        self.manifest[name] = digest
        if self._previous.get(name) != digest:
            self._pending[name] = content

    def commit(self) -> list[str]:
        """Write what changed, delete what is gone; returns those files, sorted.

        If writing fails halfway (disk full), the folder is emptied rather
        than left in a state no manifest describes.
        """
        removed = sorted(self._previous.keys() - self.manifest.keys())
        try:
            self._output.mkdir(parents=True, exist_ok=True)
            for name, content in self._pending.items():
                target = self._output / name
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = target.with_name(f".{target.name}.newsgen-tmp")
                temporary.write_bytes(content)
                os.replace(temporary, target)
                self.files_written += 1
            for name in removed:
                (self._output / name).unlink(missing_ok=True)
                _remove_empty_parents(self._output / name, self._output)
        except BaseException:
            shutil.rmtree(self._output, ignore_errors=True)
            self.on_disk = {}
            raise
        self.on_disk = self.manifest
        return sorted([*self._pending, *removed])


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def _remove_empty_parents(path: Path, root: Path) -> None:
    folder = path.parent
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
