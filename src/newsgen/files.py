"""Finding a site's input files without ever leaving the site folder.

Symlinks are followed only while they stay inside the site; one that points
outside is skipped with a warning, so a stray link can never publish
`/etc/passwd` or a colleague's home folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Problem, Severity

# Editors leave these beside real files: vim swap/backup, emacs locks and autosaves, macOS metadata.
_IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")


def is_ignored_name(name: str) -> bool:
    """Hidden files, editor scratch files and OS metadata are never site input."""
    return name.startswith((".", "#", "~")) or name.endswith(_IGNORED_SUFFIXES) or name == "Thumbs.db"


def walk_files(folder: Path, site_root: Path) -> tuple[list[Path], list[Problem]]:
    """Every regular file below `folder`, sorted, with problems for links that leave the site."""
    found: list[Path] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    site_real = site_root.resolve()
    visited: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        here = Path(dirpath)
        real_here = here.resolve()
        if real_here in visited:  # a link back to a folder already walked
            dirnames[:] = []
            continue
        visited.add(real_here)
        kept = []
        for name in sorted(dirnames):
            if is_ignored_name(name):
                continue
            if _escapes(here / name, site_real):
                problems.append(_outside(here / name))
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            if is_ignored_name(name):
                continue
            if _escapes(path, site_real):
                problems.append(_outside(path))
            elif path.is_file():
                found.append(path)
    return sorted(found), problems


def _escapes(path: Path, site_real: Path) -> bool:
    return path.is_symlink() and not path.resolve().is_relative_to(site_real)


def _outside(path: Path) -> Problem:
    return Problem(path, 1, "file", "symlink points outside the site; skipped", Severity.WARNING, "symlink")
