"""The one way newsgen opens a file it reads on a page's behalf: static files, images, files beside articles.

A page can name any path (`![a](../../dev/zero)`), and a site folder can hold
anything: a FIFO that blocks a reader for ever, a device that never ends, a
link to `.git/config` or `.env`, a file of many gigabytes. So a file is read
only when it is a regular file, inside the site with its links followed, not
hidden (no part of its path starts with `.`, nor is an editor's scratch
file) and not in newsgen's own output folder, and no larger than a limit.
It is opened without blocking and checked with `fstat` on the open handle,
so what is read is what was checked. Anything else raises `RefusedFile`,
whose message says in one line why, for the caller to name the page and field.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from io import BufferedReader
from pathlib import Path, PurePath

from newsgen.read.files import private_part, real_path

MAX_FILE_BYTES = 256 * 1024 * 1024  # larger files belong on a media host; copies are read whole into memory


class RefusedFile(OSError):
    """A file newsgen won't read; `reason` says why in one line, `str()` names the file too."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.filename = str(path)
        self.strerror = reason
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.filename}: {self.reason}"


def read_site_file(site_root: Path, path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, a file of the site at `site_root`; RefusedFile when newsgen must not read it."""
    with open_site_file(site_root, path, limit) as file:
        return _read_capped(file, path, limit)


@contextmanager
def open_site_file(site_root: Path, path: Path, limit: int = MAX_FILE_BYTES) -> Iterator[BufferedReader]:
    """`path` open for reading, as `read_site_file` allows it, for readers that stream (a digest, an image header)."""
    reason = private_reason(path, site_root.resolve())
    if reason is not None:
        raise RefusedFile(path, reason)
    with open_regular(path, limit) as file:  # as written: the system's meaning of `..`, not pathlib's
        try:
            checked = os.path.samestat(os.fstat(file.fileno()), os.stat(path.resolve()))
        except (OSError, RuntimeError):  # RuntimeError: a loop of links, made since it was checked
            checked = False
        if not checked:
            raise RefusedFile(path, "changed while it was opened; build again")
        yield file


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file no larger than `limit`, read without blocking; for files already confined."""
    with open_regular(path, limit) as file:
        return _read_capped(file, path, limit)


@contextmanager
def open_regular(path: Path, limit: int = MAX_FILE_BYTES) -> Iterator[BufferedReader]:
    """`path` open for reading if it is a regular file no larger than `limit`; never blocks on a FIFO or device."""
    try:
        before = os.stat(path)
    except OSError as exc:
        raise RefusedFile(path, _os_reason(exc)) from exc
    _check_kind(path, before, limit)  # before opening: opening some devices does something
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise RefusedFile(path, _os_reason(exc)) from exc
    with os.fdopen(handle, "rb") as file:
        opened = os.fstat(handle)
        if (opened.st_dev, opened.st_ino) != (before.st_dev, before.st_ino):
            raise RefusedFile(path, "changed while it was opened; build again")
        _check_kind(path, opened, limit)
        yield file


def private_reason(path: Path, site_root: Path) -> str | None:
    """Why `path` is not the site's to publish (outside it, hidden, newsgen's own), as written and links followed."""
    real = real_path(path)
    if real is None:
        return "is a loop of symlinks; it is not read"
    if not real.is_relative_to(site_root):
        return "is outside the site (links followed); it is not read"
    written = _relative(Path(os.path.normpath(path.absolute())), site_root)
    for shown in (written, real.relative_to(site_root)):
        reason = private_part(shown) if shown is not None else None
        if reason is not None:
            return reason
    return None


def _relative(path: Path, root: Path) -> PurePath | None:
    try:
        return path.relative_to(root)
    except ValueError:  # written through a link to the site, or with `..`: its real path is checked
        return None


def _check_kind(path: Path, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile(path, f"is {_kind(info.st_mode)}, not a regular file; it is not read")
    if info.st_size > limit:
        raise RefusedFile(path, f"is {info.st_size:,} bytes, over the limit of {limit:,}; it is not read")


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _read_capped(file: BufferedReader, path: Path, limit: int) -> bytes:
    """The file's bytes, refused if it grew past `limit` after it was checked."""
    content = file.read(limit + 1)
    if len(content) > limit:
        raise RefusedFile(path, f"is over the limit of {limit:,} bytes; it is not read")
    return content


def _os_reason(exc: OSError) -> str:
    return f"can't be read ({exc.strerror or exc.__class__.__name__})"
