"""One page of each kind from a built site: every page of a kind comes from the same template,
so checking one of each finds a theme's faults in seconds where checking every page would take hours."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from newsgen.urls import CORRECTIONS_URL, LATEST_URL, NOT_FOUND_URL, url_path

# In the order they are reported. Term kinds are tried most specific first: the default section URL,
# `/{slug}/`, would match any one-segment URL.
KINDS = ("home", "article", "section", "tag", "author", "series", "page", "tags index", "latest", "corrections", "404")
_TERM_KINDS = ("tag", "author", "series", "section")
_OLDER_PAGE = re.compile(r"/page/\d+/$")  # older pages of a list: the list's own template again
_ARTICLE = re.compile(rb'<meta property="og:type" content="article"')
_REDIRECT = re.compile(rb'<meta http-equiv="refresh"', re.IGNORECASE)
_STANDALONE = re.compile(rb'<article class="[^"]*\bstandalone-page\b')  # page.html: a URL like a section's
# What makes an article page worth checking: images and comments are where themes break.
_RICH = re.compile(rb'<img\b|<li class="comment"')


@dataclass(frozen=True)
class Page:
    """A page to check: its kind, its URL on the site and its file in the build folder."""

    kind: str
    url: str
    file: Path


def pick_pages(build_dir: Path, permalinks: Mapping[str, str]) -> list[Page]:
    """The richest article and the largest page of every other kind the site has, in `KINDS` order.

    An article is known by its `og:type`, a standalone page by its class, other pages
    by their URL and the site's permalink patterns. Redirect pages (old URLs) are not pages of the theme.
    """
    fixed = {"/": "home", NOT_FOUND_URL: "404", LATEST_URL: "latest", CORRECTIONS_URL: "corrections"}
    fixed[permalinks["tags_index"]] = "tags index"
    terms = [(kind, _pattern(permalinks[kind])) for kind in _TERM_KINDS]
    best: dict[str, tuple[tuple[int, int, str], Page]] = {}
    for file in sorted(build_dir.rglob("*.html")):
        url = _url(file.relative_to(build_dir).as_posix())
        if _OLDER_PAGE.search(url):
            continue
        data = file.read_bytes()
        if _REDIRECT.search(data):
            continue
        kind = fixed.get(url)
        if kind is None and _ARTICLE.search(data):
            kind = "article"
        if kind is None and _STANDALONE.search(data):
            kind = "page"
        if kind is None:
            kind = next((name for name, pattern in terms if pattern.fullmatch(url)), None)
        if kind is None:
            continue
        # More images and comments, then more bytes, then the first URL: the same page on every run.
        rank = (-len(_RICH.findall(data)) if kind == "article" else 0, -len(data), url)
        if kind not in best or rank < best[kind][0]:
            best[kind] = (rank, Page(kind, url, file))
    return [best[kind][1] for kind in KINDS if kind in best]


def _url(relative: str) -> str:
    """`a/b/index.html` -> `/a/b/`; `404.html` -> `/404.html`."""
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return url_path("/" + relative.removesuffix("index.html"))
    return url_path("/" + relative)


def _pattern(permalink: str) -> re.Pattern[str]:
    """`/tags/{slug}/` -> a regex matching `/tags/anything/`."""
    parts = re.split(r"\{\w+\}", permalink)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))
