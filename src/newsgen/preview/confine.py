"""Which site files the CMS may read and write: those under `content/`, `pages/` and `static/`, and the data files.

A path comes from the browser, so it is judged before anything touches the
disk: one form only (relative, `/`-separated, no `.` or `..`, no backslash,
NUL, control character or hidden name), nothing is normalised into shape. Then
symlinks are followed and the real file must pass the same test, so a link
can't lead to `newsgen.yaml`, `.git/` or out of the site.
"""

from __future__ import annotations

import re
from pathlib import Path

from newsgen.read.files import CONTENT_DIR, PAGES_DIR, STATIC_DIR, is_ignored_name

WRITABLE_DIRS = (CONTENT_DIR, PAGES_DIR, STATIC_DIR)
DATA_FILES = ("authors.yaml", "fronts.yaml", "alerts.yaml")  # at the site's root
MAX_PATH = 1024  # characters; a site's paths are far shorter
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\:\ud800-\udfff]")  # controls, backslash, colon, half a surrogate pair


class RefusedPath(ValueError):
    """A path the CMS may not touch; the message says why, for the editor."""


def site_file(site_root: Path, path: object) -> Path:
    """The real path of the file `path` names, if the CMS may read or write it; else `RefusedPath`.

    `site_root` is the site's real path (`Path.resolve()`d once by the caller:
    this runs once per file of a listing). The file need not exist. Links in
    its path are followed, and the result is where the file really is (or
    will be).
    """
    return _resolve(site_root, path, folder=False)


def site_folder(site_root: Path, path: object) -> Path:
    """The real path of a folder the CMS may list: a writable folder (`content`, `static/images/`) or one inside."""
    if isinstance(path, str) and path.endswith("/"):
        path = path[:-1]  # `static/images/`, as a config may spell it
    return _resolve(site_root, path, folder=True)


def _resolve(root: Path, path: object, folder: bool) -> Path:
    relative = _allowed(path, folder)
    try:
        real = (root / relative).resolve()
    except (OSError, RuntimeError) as exc:  # a link loop, a name too long for the file system
        raise RefusedPath(f"{path!r} can't be resolved") from exc
    if not real.is_relative_to(root) or real == root:
        raise RefusedPath(f"{path!r} leads out of the site")
    if real.relative_to(root).as_posix() != relative:
        _allowed(real.relative_to(root).as_posix(), folder, f"{path!r} links to ")
    return real


def relative_name(site_root: Path, real: Path) -> str:
    """How the CMS names a real path that `site_file` allowed: relative to the site, `/`-separated."""
    return real.relative_to(site_root).as_posix()


def _allowed(path: object, folder: bool, prefix: str = "") -> str:
    """`path` itself, if its form is one the CMS may use; else `RefusedPath` (with `prefix` leading the reason).

    A `folder` may be a writable folder itself; a file must be inside one, or be a data file.
    """
    if not isinstance(path, str) or not path:
        raise RefusedPath(f"{prefix}{path!r} is not a file path")
    if len(path) > MAX_PATH:
        raise RefusedPath(f"{prefix}a path of {len(path)} characters is too long")
    if _UNSAFE.search(path):
        raise RefusedPath(f"{prefix}{path!r} holds a backslash, colon, control character or half a surrogate pair")
    if path.startswith("/"):
        raise RefusedPath(f"{prefix}{path!r} is absolute; paths are relative to the site")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise RefusedPath(f"{prefix}{path!r} has an empty, '.' or '..' part")
    hidden = next((part for part in parts if is_ignored_name(part)), None)
    if hidden is not None:
        raise RefusedPath(f"{prefix}{path!r} has a hidden or scratch name ({hidden!r})")
    if not (parts[0] in WRITABLE_DIRS and (folder or len(parts) > 1)) and (folder or path not in DATA_FILES):
        allowed = ", ".join([f"{name}/" for name in WRITABLE_DIRS] + list(DATA_FILES))
        raise RefusedPath(f"{prefix}{path!r} is outside what the CMS may change ({allowed})")
    return path
