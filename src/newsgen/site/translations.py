"""Which pages are versions of one another across language editions: articles, home pages, sections and tags.

Articles are versions of one another when they share a `translation_key` or
one names the other's file in `translations:`, or, as Hugo links them, when
an article without a `translation_key` has the same path below its edition's
folder as another (`content/en/blog/x.md`, `content/es/blog/x.md`,
`content/blog/x.es.md`; a bundle by its folder); a group holds at most one
article per edition. A version that is not published (a draft, an embargo)
is simply absent. Home pages are versions of one another, and so are the
first pages of a section or tag that editions name in their own words
(`editions.py`). Every version's list names them all, itself included, so
the links go both ways.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from newsgen.config import SiteConfig
from newsgen.errors import Problem, Severity, display_path
from newsgen.languages import language_key
from newsgen.models import Article, ListPage, Versions
from newsgen.read.sourcepath import BUNDLE_INDEX, without_language_suffix


def article_versions(
    published: tuple[Article, ...], every_file: Iterable[Path], config: SiteConfig, content_dir: Path
) -> tuple[dict[str, Versions], list[Problem]]:
    """The versions of every published article that has one in another edition, by URL, and the problems found."""
    if not config.editions:
        return {}, []
    by_file = {os.path.normpath(article.source): article for article in published}
    known_files = {os.path.normpath(path) for path in every_file}
    parent = {article.url: article.url for article in published}

    def root(url: str) -> str:
        while parent[url] != url:
            parent[url] = parent[parent[url]]
            url = parent[url]
        return url

    def join(one: Article, other: Article) -> None:
        parent[root(one.url)] = root(other.url)

    problems: list[Problem] = []
    keyed: dict[str, Article] = {}
    by_path: dict[str, list[Article]] = {}
    for article in published:
        translation = article.translation
        if translation is None or translation.key is None:  # a key given wins over the path, as in Hugo
            path_key = content_path_key(article.source, content_dir, config.editions)
            if path_key is not None:
                by_path.setdefault(path_key, []).append(article)
        if translation is None:
            continue
        if translation.key is not None:
            if translation.key in keyed:
                join(article, keyed[translation.key])
            else:
                keyed[translation.key] = article
        for code, written in translation.files:
            file = os.path.normpath(content_dir / written)
            other = by_file.get(file)
            if other is not None:
                join(article, other)
                found = config.edition_of(other.url)
                if found != code:
                    message = f"{written} is in the {found} edition, not {code}"
                    problems.append(_problem(article, f"translations.{code}", message, Severity.WARNING))
            elif file not in known_files:  # a draft or an embargoed story is simply absent until it is published
                message = f"no article {Path(content_dir.name, written).as_posix()}"
                problems.append(_problem(article, f"translations.{code}", message, Severity.WARNING))
    for path_key, members in by_path.items():
        linked, clashes = _one_per_edition(members, config)
        for article in linked[1:]:
            join(article, linked[0])
        for article, other in clashes:
            message = (
                f"{display_path(other.source)} has the same path ({path_key}) in the {config.edition_of(other.url)}"
                " edition, so neither is linked to its translations by path; give each a translation_key"
            )
            problems.append(_problem(article, "translation_key", message, Severity.WARNING))
    groups: dict[str, list[Article]] = {}
    for article in published:
        groups.setdefault(root(article.url), []).append(article)
    versions: dict[str, Versions] = {}
    for members in groups.values():
        by_edition: dict[str, Article] = {}
        for article in sorted(members, key=lambda a: str(a.source)):
            code = config.edition_of(article.url)
            if code in by_edition:
                other = by_edition[code]
                message = (
                    f"{other.source.name} is already the {code} version of this story ({display_path(other.source)})"
                )
                problems.append(_problem(article, "translation_key", message, Severity.ERROR))
                continue
            by_edition[code] = article
        if len(by_edition) > 1:
            group = _in_edition_order([(code, a.url) for code, a in by_edition.items()], config)
            versions.update({url: group for _, url in group})
    return versions, problems


def cede_shared_old_urls(
    published: tuple[Article, ...], versions: dict[str, Versions]
) -> tuple[tuple[Article, ...], list[Problem]]:
    """An old URL that versions of one story share (a translation copied with its original's `aliases`) redirects
    to the first of them in edition order; the others give it up, each with a warning, instead of colliding."""
    listing: dict[tuple[Versions, str], list[Article]] = {}
    for article in published:
        group = versions.get(article.url)
        if group is None:
            continue
        for old in article.redirect_from:
            listing.setdefault((group, old), []).append(article)
    given_up: dict[str, set[str]] = {}
    problems: list[Problem] = []
    for (group, old), members in listing.items():
        order = [url for _, url in group]
        keeper, *others = sorted(members, key=lambda a: order.index(a.url))
        code = group[order.index(keeper.url)][0]
        for article in others:
            given_up.setdefault(article.url, set()).add(old)
            message = (
                f"{old} is also an old URL of the {code} version ({display_path(keeper.source)}); it redirects there"
            )
            problems.append(
                Problem(article.source, article.url_line, "redirect_from", message, Severity.WARNING, "translation")
            )
    kept = tuple(
        replace(article, redirect_from=tuple(old for old in article.redirect_from if old not in given_up[article.url]))
        if article.url in given_up
        else article
        for article in published
    )
    return kept, problems


def content_path_key(source: Path, content_dir: Path, codes: Iterable[str]) -> str | None:
    """Where an article lies in its edition's folder, as Hugo matches translations: `blog/x` for
    `content/es/blog/x.md`, `content/blog/x.es.md` and `content/blog/x/index.es.md`; None outside content/."""
    try:
        parts = Path(os.path.normpath(source)).relative_to(os.path.normpath(content_dir)).parts
    except ValueError:
        return None
    codes = tuple(codes)
    if len(parts) > 1 and language_key(parts[0]) in (language_key(code) for code in codes):
        parts = parts[1:]
    named = without_language_suffix(Path(*parts), codes)
    if named.stem.lower() == BUNDLE_INDEX and len(named.parts) > 1:
        return named.parent.as_posix()
    return named.with_suffix("").as_posix()


def has_path_versions(file: Path, article_files: Iterable[str], content_dir: Path, codes: Iterable[str]) -> bool:
    """Whether another of `article_files` lies at `file`'s path in some edition's folder: a translation by path."""
    codes = tuple(codes)
    key = content_path_key(file, content_dir, codes)
    if key is None:
        return False
    name = key.rsplit("/", 1)[-1]  # a cheap test first: every version's path names it
    mine = os.path.normpath(file)
    return any(
        name in other and os.path.normpath(other) != mine and content_path_key(Path(other), content_dir, codes) == key
        for other in article_files
    )


def _one_per_edition(members: list[Article], config: SiteConfig) -> tuple[list[Article], list[tuple[Article, Article]]]:
    """The articles of one path that are alone in their edition, and each other one with one it shares an edition
    with (`content/blog/x.md` and `content/en/blog/x.md` on a site whose default edition is `en`)."""
    by_edition: dict[str, list[Article]] = {}
    for article in sorted(members, key=lambda a: str(a.source)):
        by_edition.setdefault(config.edition_of(article.url), []).append(article)
    linked = [found[0] for found in by_edition.values() if len(found) == 1]
    clashes = [(article, found[0]) for found in by_edition.values() if len(found) > 1 for article in found[1:]]
    return linked, clashes


def list_versions(list_pages: Iterable[ListPage], config: SiteConfig) -> dict[str, Versions]:
    """The versions of the home pages and of the sections and tags editions share, by the URL of their first page."""
    if not config.editions:
        return {}
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for page in list_pages:
        if not page.first or page.kind not in ("home", "section", "tag"):
            continue
        code = config.edition_of(page.url)
        key = "" if page.term is None else config.editions[code].term_key(page.kind, page.term.slug)
        groups.setdefault((page.kind, key), []).append((code, page.url))
    versions: dict[str, Versions] = {}
    for found in groups.values():
        if len(found) > 1:
            ordered = _in_edition_order(found, config)
            versions.update({url: ordered for _, url in ordered})
    return versions


def _in_edition_order(versions: Iterable[tuple[str, str]], config: SiteConfig) -> Versions:
    """(edition code, URL) pairs in the order `languages:` lists the editions, the default first."""
    order = {code: index for index, code in enumerate(config.edition_codes)}
    return tuple(sorted(versions, key=lambda version: order[version[0]]))


def _problem(article: Article, field: str, message: str, severity: Severity) -> Problem:
    line = article.translation.line if article.translation else article.url_line
    return Problem(article.source, line, field, message, severity, "translation")
