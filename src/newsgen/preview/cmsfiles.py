"""Reading, writing, listing and deleting the site files the CMS names, each confined by `confine.py`.

`site_root` is always the site's real path, as `confine.site_file` takes it.

Writes are atomic: the bytes go to a hidden temporary file in the same folder,
then take the file's place in one rename, so the preview's watcher (which
ignores hidden names) and a build never see half a story.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from newsgen.preview.confine import RefusedPath, relative_name, site_file, site_folder
from newsgen.read.files import walk_files
from newsgen.read.safeopen import read_regular

MAX_CMS_FILE = 48 * 1024 * 1024  # bytes of one file sent to the browser (as base64 in JSON, a third more)


def read_confined(real: Path) -> bytes:
    """The bytes of a file `site_file` or `list_files` allowed, by its real path; `OSError` when it is missing or
    not a regular file."""
    return read_regular(real, MAX_CMS_FILE)


def write_file(site_root: Path, path: object, data: bytes) -> None:
    """Replace (or create) a file the CMS may write, in one rename; its folders are made as needed."""
    real = site_file(site_root, path)
    real.parent.mkdir(parents=True, exist_ok=True)
    if site_file(site_root, path) != real:  # a folder made meanwhile by someone else, as a link
        raise RefusedPath(f"{path!r} changed while it was written")
    if real.is_dir():
        raise RefusedPath(f"{path!r} is a folder")
    temporary = real.parent / f".newsgen-{secrets.token_hex(8)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            if real.is_file():  # an edit keeps the file's permissions
                os.chmod(file.fileno(), stat.S_IMODE(real.stat().st_mode))
        os.replace(temporary, real)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def delete_file(site_root: Path, path: object) -> None:
    """Delete a file the CMS may write; a file already gone is no error (as decap-server has it)."""
    real = site_file(site_root, path)
    if real.is_file():
        real.unlink()


def move_file(site_root: Path, source: object, target: object) -> None:
    """Rename a file the CMS may write to another such name, making the target's folders."""
    real_source, real_target = site_file(site_root, source), site_file(site_root, target)
    if real_source == real_target or not real_source.is_file():
        return
    real_target.parent.mkdir(parents=True, exist_ok=True)
    if site_file(site_root, target) != real_target or real_target.is_dir():
        raise RefusedPath(f"{target!r} changed while it was written")
    os.replace(real_source, real_target)


def list_files(site_root: Path, folder: object, extension: str, depth: int) -> list[tuple[str, Path]]:
    """The files the CMS may read below `folder`, at most `depth` levels down, whose names end with `extension`.

    Each named relative to the site, with its real path. A missing folder has
    none. Hidden files, links out of the site and links to files the CMS may
    not read are left out.
    """
    real_folder = site_folder(site_root, folder)
    files, _ = walk_files(real_folder, site_root)  # links that leave the site are skipped
    found = []
    for path in files:
        if len(path.relative_to(real_folder).parts) > depth or not path.name.endswith(extension):
            continue
        name = relative_name(site_root, path)
        try:
            found.append((name, site_file(site_root, name)))
        except RefusedPath:
            continue
    return found
