"""Stage 4, the only module that writes: the output folder brought up to date, or left as it was.

Every file is first written into a staging folder beside the output folder.
Only when the whole build has succeeded is the staging folder swapped in (the
first build) or are its files moved into place one by one and vanished files
deleted (later builds), under an undo journal (`journal.py`) that a failure
part-way, or the next build after a kill, rolls back. So a failed build
leaves the last good build exactly as it was, and a later build touches only
the files whose bytes changed: mtimes and rsync/S3 syncs stay quiet.

The manifest records, for every file, the key of its inputs, the templates
it loaded, its digest, its size and mtime, and whether the search index reads
it; a file is reused only when its key matches and the file on disk is the
one the manifest describes. With `verify` (`newsgen build --full`) nothing
is taken on trust: every file is made again and compared with the bytes on
disk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsgen.engine.output.journal import JOURNAL, UNDO_FOLDER, UndoJournal, remove_empty_parents
from newsgen.errors import naming
from newsgen.read.safeopen import read_regular
from newsgen.urls import output_path

# Marks a folder as newsgen's, so that a mistyped --output never replaces someone's documents.
MARKER = ".newsgen-build"
_MARKER_TEXT = b"This folder is written by newsgen build; files newsgen did not write may be removed.\n"


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


@dataclass(frozen=True)
class FileRecord:
    key: str  # hex digest of the inputs the file was made from
    digest: str  # of the file's bytes
    size: int
    mtime_ns: int
    templates: tuple[str, ...] = ()  # the templates the page loaded when it was rendered
    searchable: bool = False  # a page the search index reads (engine/search.py)


Manifest = dict[str, FileRecord]  # by path relative to the output folder


def digest_of(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def stage_file(
    stage: Path,
    name: str,
    key: str,
    content: bytes,
    previous: FileRecord | None,
    output: Path,
    templates: tuple[str, ...] = (),
    verify: bool = False,
    searchable: bool = False,
) -> tuple[FileRecord, bool]:
    """Write `content` into the staging folder unless the output already holds these bytes.

    Returns the file's record and whether it was staged. Pure enough to run in
    worker processes: it touches only its own staging path. With `verify`,
    the file on disk is read and compared, whatever the manifest says.
    """
    digest = digest_of(content)
    if previous is not None and previous.digest == digest:
        on_disk = _info_if_holds(output / name, digest) if verify else still_on_disk(output / name, previous)
        if on_disk is not None:
            return FileRecord(key, digest, *on_disk, templates, searchable), False
    target = stage / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with naming(target):
        target.write_bytes(content)
    info = target.stat()
    return FileRecord(key, digest, info.st_size, info.st_mtime_ns, templates, searchable), True


def _info_if_holds(path: Path, digest: str) -> tuple[int, int] | None:
    """The size and mtime of `path` if it holds bytes of this digest."""
    try:
        if digest_of(path.read_bytes()) != digest:
            return None
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class SiteWriter:
    """Stages a build beside the output folder; `commit()` brings the folder up to date.

    `previous` describes the files this build covers: with `whole`, every file
    of the folder (what the build does not make again is deleted); otherwise
    only the files it makes again (an edit's pages), and all others stay.
    """

    def __init__(self, output_dir: Path, previous: Manifest, whole: bool = True, verify: bool = False) -> None:
        self.output = output_dir.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.whole = whole
        self.verify = verify
        self.previous = previous if (self.output / MARKER).is_file() else {}  # no manifest: a first, whole build
        if not whole and not self.previous and previous:
            raise OutputError(f"{output_dir}: the output folder is gone; build the whole site")
        self.stage = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.new-", dir=self.output.parent))
        self.manifest: Manifest = {}
        self.staged: list[str] = []
        self.reused = 0

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, *_: object) -> None:
        # After commit() only what it replaced is left; after a failure, the half build.
        shutil.rmtree(self.stage, ignore_errors=True)

    def reuse(self, url: str, key_of: Callable[[tuple[str, ...]], bytes]) -> bool:
        """Keep the file as it is when it was made from the same inputs and is untouched on disk.

        `key_of` gives the file's key now from the templates it loaded when it was made.
        """
        if self.verify:
            return False
        name = output_name(url)
        record = self.previous.get(name)
        if record is None or record.key != key_of(record.templates).hex():
            return False
        on_disk = still_on_disk(self.output / name, record)
        if on_disk is None:
            return False
        self.manifest[name] = dataclasses.replace(record, size=on_disk[0], mtime_ns=on_disk[1])
        self.reused += 1
        return True

    def write(self, url: str, key: bytes, content: bytes) -> None:
        name = output_name(url)
        record, staged = stage_file(
            self.stage, name, key.hex(), content, self.previous.get(name), self.output, verify=self.verify
        )
        self.add(name, record, staged)

    def add(self, name: str, record: FileRecord, staged: bool) -> None:
        self.manifest[name] = record
        if staged:
            self.staged.append(name)

    def copy(self, url: str, source: Path) -> None:
        """Copy a static file; read it only when its stat signature moved (any write moves its ctime)."""
        info = source.stat()
        signature = f"{source}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"
        key = hashlib.sha256(signature.encode()).digest()
        if not self.reuse(url, lambda _: key):
            self.write(url, key, read_regular(source))  # a regular file under the size limit, without blocking

    def commit(self) -> list[str]:
        """Bring the output folder up to date; returns the files written or deleted, sorted."""
        with naming(self.stage / MARKER):
            (self.stage / MARKER).write_bytes(_MARKER_TEXT)
        if self.whole and not self.previous:
            self._swap()
            return sorted(self.staged)
        empty: list[str] = []
        if self.whole:  # what the index never knew of goes too: a stale page a failure left, a file put there by hand
            found, empty = _contents(self.output)
            removed = sorted(found - self.manifest.keys() - {MARKER})
        else:
            removed = sorted(self.previous.keys() - self.manifest.keys())
        journal = UndoJournal(self.output, self.stage, self.staged, removed)
        folders = _SafeFolders(self.output)
        try:
            for name in self.staged:
                folders.make((self.output / name).parent)
                journal.replace(name)
            for name in removed:
                journal.delete(name)
        except OSError:
            journal.roll_back()  # the folder holds the last build again, whole
            raise
        journal.commit()
        for folder in empty:  # folders a killed build made and never filled
            with contextlib.suppress(OSError):  # a file of this build went in after all
                (self.output / folder).rmdir()
                remove_empty_parents(self.output / folder, self.output)
        for name in removed:
            remove_empty_parents(self.output / name, self.output)
        return sorted([*self.staged, *removed])

    def _swap(self) -> None:
        os.chmod(self.stage, 0o755)  # mkdtemp makes it private; published folders are readable
        previous = None
        if self.output.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{self.output.name}.old-", dir=self.output.parent))
            os.replace(self.output, previous / "build")
        os.replace(self.stage, self.output)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)


def _contents(output: Path) -> tuple[set[str], list[str]]:
    """Every file (or link, not followed) under `output`, and the empty folders."""
    files: set[str] = set()
    empty: list[str] = []
    pending = [""]
    while pending:
        prefix = pending.pop()
        with os.scandir(output / prefix) as entries:
            found = False
            for entry in entries:
                found = True
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(name + "/")
                else:
                    files.add(name)
        if not found and prefix:
            empty.append(prefix.rstrip("/"))
    return files, empty


class _SafeFolders:
    """Makes folders inside the output folder, refusing any path through a symlink planted there.

    Each folder is checked once per commit: a build writes thousands of files into a few shared folders.
    """

    def __init__(self, output: Path) -> None:
        self._output = output
        self._checked = {output}

    def make(self, folder: Path) -> None:
        if folder in self._checked:
            return
        self.make(folder.parent)
        if folder.is_symlink():
            raise OutputError(f"{folder.relative_to(self._output)}: refusing to write outside the output folder")
        folder.mkdir(exist_ok=True)
        self._checked.add(folder)


def output_name(url: str) -> str:
    """The file a URL is written to, relative to the output folder."""
    name = output_path(url)
    if name in (MARKER, JOURNAL) or name.startswith(UNDO_FOLDER + "/"):
        raise OutputError(f"{url}: this name is reserved for newsgen's own files")
    return name


def still_on_disk(path: Path, record: FileRecord) -> tuple[int, int] | None:
    """The size and mtime of `path` if it holds the file the manifest describes, else None.

    Size and mtime decide, as for git; a file of the same size whose mtime
    moved is compared by its bytes: an output folder restored from a cache
    (CI) keeps the bytes but may round or reset the times.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    if info.st_size != record.size:
        return None
    if info.st_mtime_ns == record.mtime_ns:
        return record.size, record.mtime_ns
    return _info_if_holds(path, record.digest)
