"""An old site's sitemap, read for the URLs it listed: which of them a migrated site still has."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from newsgen.errors import Problem, Severity

_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


def sitemap_paths(where: str) -> tuple[list[tuple[str, int]], list[Problem]]:
    """(URL path, line) of every <loc> of a sitemap file, or of one served on this machine (http://localhost/...).

    A sitemap index is followed to its parts when they are files beside it.
    """
    source = Path(where)
    try:
        raw = _fetch(where) if "://" in where else source.read_bytes()
    except (OSError, ValueError) as exc:
        return [], [Problem(source, 1, "sitemap", f"cannot read it: {exc}", code="sitemap")]
    found: list[tuple[str, int]] = []
    problems: list[Problem] = []
    for match in _LOC.finditer(raw):
        url = match.group(1).decode("utf-8", "replace").replace("&amp;", "&")
        line = raw.count(b"\n", 0, match.start()) + 1
        part = source.parent / Path(urlsplit(url).path).name
        if b"<sitemapindex" in raw and "://" not in where and part.is_file():
            more, part_problems = sitemap_paths(str(part))
            found += more
            problems += part_problems
        else:
            found.append((urlsplit(url).path or "/", line))
    return found, problems


def lost_urls(old: list[tuple[str, int]], now: set[str], sitemap: Path) -> list[Problem]:
    """A warning for each old URL the site no longer has (a redirect counts as having it)."""
    return [
        Problem(
            sitemap,
            line,
            "sitemap",
            f"{path} was in the old sitemap and is not on this site",
            Severity.WARNING,
            "lost-url",
        )
        for path, line in old
        if path not in now and path.rstrip("/") + "/" not in now
    ]


def _fetch(url: str) -> bytes:
    if urlsplit(url).hostname not in _LOOPBACK:
        raise ValueError("only a file or a URL on this machine (localhost) can be read")
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only, checked above
        return bytes(response.read())
