"""An old site's sitemap, read for the URLs it listed: which of them a migrated site still has.

One pass per file, and each file read once: a sitemap index is followed
through a worklist, not by recursion, so an index whose parts share its file
name (Hugo's `/en/sitemap.xml`), or one that lists itself, ends; and line
numbers are counted as the scan goes, so 50,000 URLs take as long as a read.
"""

from __future__ import annotations

import re
import urllib.request
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsgen.errors import Problem, Severity
from newsgen.redact import redact

_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class OldUrl:
    """One URL an old sitemap listed, and where: the file and line a warning about it names."""

    path: str
    sitemap: Path
    line: int


def sitemap_paths(where: str) -> tuple[list[OldUrl], list[Problem]]:
    """Every URL (by path, first listing only) of a sitemap file, or of one served on this machine (http://localhost/...).

    A sitemap index is followed to its parts when they are files under its folder: `/en/sitemap.xml` is looked for as
    `en/sitemap.xml` beside the index, then as `sitemap.xml`. A part already read is not read again.
    """
    top = Path(redact(where))  # a URL is named in messages without its credentials
    found: list[OldUrl] = []
    problems: list[Problem] = []
    listed: set[str] = set()
    read: set[Path] = {top.resolve()} if "://" not in where else set()
    pending = deque([top])
    while pending:
        source = pending.popleft()
        try:
            raw = _fetch(where) if source is top and "://" in where else source.read_bytes()
        except (OSError, ValueError) as exc:
            problems.append(Problem(source, 1, "sitemap", redact(f"cannot read it: {exc}"), code="sitemap"))
            continue
        index = b"<sitemapindex" in raw and "://" not in where
        for url, line in _locations(raw):
            path = urlsplit(url).path or "/"
            part = _part_file(top.parent, path) if index else None
            if part is not None:
                if part.resolve() not in read:
                    read.add(part.resolve())
                    pending.append(part)
            elif path not in listed:
                listed.add(path)
                found.append(OldUrl(path, source, line))
    return found, problems


def lost_urls(old: list[OldUrl], now: set[str]) -> list[Problem]:
    """A warning for each old URL the site no longer has (a redirect counts as having it)."""
    return [
        Problem(
            url.sitemap,
            url.line,
            "sitemap",
            f"{url.path} was in the old sitemap and is not on this site",
            Severity.WARNING,
            "lost-url",
        )
        for url in old
        if url.path not in now and url.path.rstrip("/") + "/" not in now
    ]


def _locations(raw: bytes) -> Iterator[tuple[str, int]]:
    """Each <loc>'s URL and line, the lines counted from the previous match, not from the start."""
    line, counted = 1, 0
    for match in _LOC.finditer(raw):
        line += raw.count(b"\n", counted, match.start())
        counted = match.start()
        yield match.group(1).decode("utf-8", "replace").replace("&amp;", "&"), line


def _part_file(folder: Path, path: str) -> Path | None:
    """The file under `folder` that an index's part at URL `path` is: the longest tail of the path that is a file."""
    names = [unquote(name) for name in path.split("/") if name]
    if not names or any(name in (".", "..") or "/" in name or "\0" in name for name in names):
        return None
    for start in range(len(names)):
        candidate = folder.joinpath(*names[start:])
        if candidate.is_file():
            return candidate
    return None


def _fetch(url: str) -> bytes:
    if urlsplit(url).hostname not in _LOOPBACK:
        raise ValueError("only a file or a URL on this machine (localhost) can be read")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only, checked above
        return bytes(response.read())
