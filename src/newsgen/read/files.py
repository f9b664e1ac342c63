"""Finding a site's input files without ever leaving the site folder.

Symlinks are followed only while they stay inside the site; one that points
outside is skipped with a warning, so a stray link can never publish
`/etc/passwd` or a colleague's home folder.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath

from newsgen.errors import Problem, Severity

# The site folder's layout.
CONFIG_FILE = "newsgen.yaml"
CONTENT_DIR = "content"
PAGES_DIR = "pages"  # standalone pages (about, contact, policies), outside the news
STATIC_DIR = "static"
TEMPLATES_DIR = "templates"
LOCALES_DIR = "locales"  # the theme's words in other languages: `<language>.po` catalogs (`translate.py`)
THEME_ASSETS = "theme"  # the theme's own subfolder of static/, published at /theme/
DEFAULT_OUTPUT_DIR = "build"  # newsgen's own output, never read back as input

# Markdown files are articles, by the suffixes Jekyll and Hugo read as Markdown (any case); other files
# beside them are assets, published only when an article refers to them.
ARTICLE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
# Hugo's list pages (a section's own page, `_index.md`): front matter for a list, not an article.
LIST_PAGE_STEM = "_index"
# A blog folder's own pages (`index.md`, `all.md`, `README.md`): lists of its posts, not articles, when they have neither
# a date nor a headline.
LISTING_STEMS = ("index", "all", "readme")

# Editors leave these beside real files: vim swap/backup, emacs locks and autosaves, macOS metadata.
_IGNORED_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", ".bak")


def is_ignored_name(name: str) -> bool:
    """Hidden files, editor scratch files and OS metadata are never site input."""
    return name.startswith((".", "#", "~")) or name.endswith(_IGNORED_SUFFIXES) or name == "Thumbs.db"


def private_part(relative: PurePath) -> str | None:
    """Why a path relative to the site is never read or published: a hidden or scratch part, or newsgen's output.

    Checked on a link's target too, so `static/x.txt -> ../.git/config` (which holds CI credentials), `../.env` or
    `../.newsgen-cache` is never published.
    """
    parts = relative.parts
    hidden = next((part for part in parts if is_ignored_name(part)), None)
    if hidden is not None:
        return f"is hidden ({hidden!r} in its path); hidden files are never read or published"
    if parts[:1] == (DEFAULT_OUTPUT_DIR,):
        return f"is in newsgen's output folder {DEFAULT_OUTPUT_DIR}/; it is not read as input"
    return None


def is_article_name(name: str) -> bool:
    return name.lower().endswith(ARTICLE_SUFFIXES)


def is_list_page(path: Path) -> bool:
    """`_index.md`, and its translations `_index.es.md` on a multilingual Hugo site."""
    return path.stem.lower().split(".")[0] == LIST_PAGE_STEM


def may_be_listing(path: Path) -> bool:
    """`index.md`, `all.md`, `README.md` (any case, and translations `index.es.md`): a list page, if dateless and headless."""
    return path.stem.lower().split(".")[0] in LISTING_STEMS


Signature = tuple[
    int, int, int, int
]  # size, mtime_ns, ctime_ns, inode: a file whose signature is unchanged is unchanged


def walk_files(folder: Path, site_root: Path) -> tuple[list[Path], list[Problem]]:
    """Every regular file below `folder`, sorted, with problems for links that leave the site."""
    found, problems = scan_files(folder, site_root)
    return sorted(map(Path, found)), problems


def scan_files(folder: Path, site_root: Path) -> tuple[dict[str, Signature], list[Problem]]:
    """Every regular file below `folder` by path, with its stat signature, and problems for links that leave the site.

    One `scandir` per folder and one `stat` per file: cheap enough to run on
    every build of a 100,000-article archive to find what changed.
    """
    found: dict[str, Signature] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    site_real = site_root.resolve()
    problem = _link_problem(folder, site_real) if folder.is_symlink() else None
    if problem is not None:
        return found, [problem]
    visited: set[tuple[int, int]] = set()
    pending = [str(folder)]
    while pending:
        here = pending.pop()
        try:
            info = os.stat(here)
            entries = list(os.scandir(here))
        except OSError as exc:  # never skipped in silence: its articles would vanish from the site
            problems.append(_unreadable(Path(here), exc))
            continue
        if (info.st_dev, info.st_ino) in visited:  # a link back to a folder already walked
            continue
        visited.add((info.st_dev, info.st_ino))
        for entry in entries:
            if is_ignored_name(entry.name):
                continue
            if entry.is_file(follow_symlinks=False):  # the common case first: no extra system call
                path = entry.path
            elif entry.is_symlink() and (problem := _link_problem(Path(entry.path), site_real)) is not None:
                problems.append(problem)
                continue
            elif entry.is_dir():
                pending.append(entry.path)
                continue
            elif entry.is_file():
                path = entry.path
            else:
                continue
            try:
                stat = entry.stat()
            except OSError as exc:
                problems.append(_unreadable(Path(path), exc))
                continue
            found[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    return found, sorted(problems)  # folders are listed in the file system's order


def real_path(path: Path) -> Path | None:
    """`path` with its symlinks followed, or None for a loop of links (pathlib raises RuntimeError before 3.13)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, its symlinks followed, is in `root`: the one test for every file newsgen reads or publishes."""
    return path.resolve().is_relative_to(root.resolve())


def _unreadable(path: Path, exc: OSError) -> Problem:
    what = "folder" if path.is_dir() else "file"
    message = f"can't be read ({exc.strerror or exc}); fix its permissions, or nothing in it is published"
    return Problem(path, 1, what, message, code="unreadable")


def _link_problem(path: Path, site_real: Path) -> Problem | None:
    """Why the link at `path` is not followed: its target is outside the site, hidden or newsgen's own; else None."""
    target = real_path(path)
    if target is None:
        return Problem(path, 1, "file", "symlink loop; skipped", Severity.WARNING, "symlink")
    if not target.is_relative_to(site_real):
        return Problem(path, 1, "file", "symlink points outside the site; skipped", Severity.WARNING, "symlink")
    relative = target.relative_to(site_real)
    reason = private_part(relative)
    if reason is None:
        return None
    message = f"symlink to {relative.as_posix()} not followed: it {reason}"
    return Problem(path, 1, "file", message, Severity.WARNING, "symlink")


_RACY_NS = 2_000_000_000  # file systems stamp times coarsely; two writes this close may share a stamp


def settled(signature: Signature, scanned_at_ns: int) -> Signature | None:
    """`signature` if it can be trusted next time, else None (read the file again).

    A file changed just before it was scanned could change again within the
    same timestamp tick, keeping its size and times: git's "racily clean"
    entries. Such a file is compared by its bytes next time.
    """
    return signature if max(signature[1], signature[2]) < scanned_at_ns - _RACY_NS else None


# Where a site keeps its authors (read/authors.py), first found wins; a folder holds one file per person (Hugo).
AUTHOR_FILES = tuple(f"{folder}authors.{suffix}" for folder in ("", "data/", "_data/") for suffix in ("yaml", "yml"))
AUTHOR_FOLDERS = ("data/authors", "_data/authors")
DATA_DIRS = ("data", "_data")


def author_files(source_dir: Path) -> list[tuple[Path, bool]]:
    """(file, whether it describes one person) of the site's first authors file or folder; none without one."""
    for name in AUTHOR_FILES:
        if (source_dir / name).is_file():
            return [(source_dir / name, False)]
    for name in AUTHOR_FOLDERS:
        folder = source_dir / name
        if folder.is_dir():
            return [(path, True) for path in sorted(folder.iterdir()) if path.suffix in (".yaml", ".yml", ".json")]
    return []
