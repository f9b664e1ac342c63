"""Links from one article to another by its file (Hugo `ref`/`relref`, Jekyll `link`/`post_url`), given their URLs.

Articles are read independently, in parallel, and cached per file, so while
one is read no other article's URL is known. Reading writes each such link as
a `newsgen-ref:<path>` placeholder (`body/shortcodes.py`) and lists the paths
in `Article.refs`; here, with every article at hand, each path is found the
way the generators find it: relative to the referring file's folder, then as
the end of an article's path (`posts/x.md`, `/posts/x`, a Jekyll post name
`2020-01-01-x`, a bundle's folder `x` for `x/index.md`), without regard to
case or the `.md` extension. A path that names no article is a warning; its
link is removed and the link text stays.
"""

from __future__ import annotations

import html
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from newsgen.body.shortcodes import REF_URL, ref_path
from newsgen.errors import Problem, Severity, display_path
from newsgen.models import Article, InternalLink

_UNRESOLVED_LINK = re.compile(r'<a\b[^>]*\bhref="newsgen-ref:([A-Za-z0-9_.~/%-]+)[^"]*"[^>]*>(.*?)</a>', re.DOTALL)
_BUNDLE_FILES = {"index", "_index"}
Components = tuple[str, ...]


def resolve_refs(articles: Iterable[Article]) -> tuple[tuple[Article, ...], list[Problem]]:
    """Every article with its links by file pointed at the URLs of those files' articles; a warning for each it can't find."""
    articles = tuple(articles)
    if not any(article.refs for article in articles):
        return articles, []
    index = _ArticleIndex(articles)
    problems: list[Problem] = []
    resolved = tuple(_resolved(article, index, problems) if article.refs else article for article in articles)
    return resolved, problems


class _ArticleIndex:
    """Every article under each name a link may give it, by the last part of that name."""

    def __init__(self, articles: tuple[Article, ...]) -> None:
        self._by_last: dict[str, list[tuple[Components, Article]]] = defaultdict(list)
        for article in articles:
            for name in _names(article.source):
                self._by_last[name[-1]].append((name, article))

    def find(self, written: str, referrer: Path) -> Article | str:
        """The article `written` names from `referrer`, or why there is none."""
        target = _components(PurePosixPath(written))
        if not target:
            return f"no article {written}"
        if not written.startswith("/"):
            beside = _components(PurePosixPath(os.path.normpath(referrer.parent.as_posix() + "/" + written)))
            exact = {id(a): a for name, a in self._by_last.get(beside[-1], []) if name == beside}
            if len(exact) == 1:
                return next(iter(exact.values()))
        if ".." in target:
            return f"no article {written}"
        found = {id(a): a for name, a in self._by_last.get(target[-1], []) if name[-len(target) :] == target}
        candidates = list(found.values())
        if len(candidates) > 1:  # the nearest to the referring file: the same language folder, the same _posts
            nearest = max(_shared(a.source, referrer) for a in candidates)
            candidates = [a for a in candidates if _shared(a.source, referrer) == nearest]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return f"no article {written}"
        names = ", ".join(sorted(display_path(a.source) for a in candidates))
        return f"{written} names more than one article: {names}"


def _names(source: Path) -> list[Components]:
    """The names of an article's file: with and without extension, and a bundle's folder."""
    parts = _components(PurePosixPath(source.as_posix()))
    stem = PurePosixPath(parts[-1]).stem
    names = [parts, (*parts[:-1], stem)]
    if stem in _BUNDLE_FILES and len(parts) > 1:
        names.append(parts[:-1])
    return names


def _components(path: PurePosixPath) -> Components:
    return tuple(part.casefold() for part in path.parts if part not in ("/", "."))


def _shared(source: Path, referrer: Path) -> int:
    """How many leading folders two files share."""
    count = 0
    for mine, theirs in zip(source.parent.parts, referrer.parent.parts, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def _resolved(article: Article, index: _ArticleIndex, problems: list[Problem]) -> Article:
    urls: dict[str, str | None] = {}
    for written in article.refs:
        found = index.find(written, article.source)
        urls[written] = found.url if isinstance(found, Article) else None
        if not isinstance(found, Article):
            lines = [link.line for link in article.internal_links if _placeholder_path(link.url) == written] or [1]
            for line in lines:
                problems.append(Problem(article.source, line, "body", f"ref: {found}", Severity.WARNING, "broken-ref"))

    def unlinked(match: re.Match[str]) -> str:
        return match.group(0) if urls.get(ref_path(match.group(1))) else match.group(2)

    def url_of(match: re.Match[str]) -> str:
        written = ref_path(match.group(1))
        return html.escape(urls.get(written) or written)

    def resolved(text: str) -> bytes:
        return REF_URL.sub(url_of, _UNRESOLVED_LINK.sub(unlinked, text)).encode("utf-8")

    gated = resolved(article.gated_html) if article.gated_html is not None else None  # a link can't span the gate
    links = []
    for link in article.internal_links:
        placeholder = _placeholder_path(link.url)
        if placeholder is None:
            links.append(link)
        elif url := urls.get(placeholder):
            links.append(InternalLink(url, link.line, link.field))
    return replace(article, body=resolved(article.body_html), gated=gated, internal_links=tuple(links))


def _placeholder_path(url: str) -> str | None:
    match = REF_URL.fullmatch(url)
    return ref_path(match.group(1)) if match else None
