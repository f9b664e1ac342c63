"""Sections, tags, series and bylines as terms: a name, its slug in the site's style, its page's URL.

A byline is read as people: a joint byline is split, and a key of the authors
file becomes the person it names. Every term's page is a folder named by its
slug, so each is checked to fit in a file name.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from newsgen.editions import Edition
from newsgen.models import Term
from newsgen.read.authors import AuthorDirectory
from newsgen.read.fields import Reporter, read_text_list
from newsgen.read.limits import MAX_TAGS
from newsgen.urls import NAME_MAX, make_slug, oversized_name, term_url


@dataclass(frozen=True)
class TermPatterns:
    """The site's permalink patterns and slug style: what turns a name into a URL."""

    urls: Mapping[str, str]
    slugs: str


def term(patterns: TermPatterns, kind: str, name: str, r: Reporter, keypath: tuple[Hashable, ...]) -> Term:
    slug = make_slug(name, patterns.slugs)
    if not slug:
        r.error(keypath, f"{name!r} gives an empty URL slug; use letters or digits")
        slug = "untitled"
    return checked_term(Term(name, slug, term_url(patterns.urls, kind, slug)), r, keypath)


def checked_term(made: Term, r: Reporter, keypath: tuple[Hashable, ...]) -> Term:
    """A section, tag, series or author page is a folder named by its slug: it must fit in a file name."""
    name = oversized_name(made.url)
    if name is not None:
        size = len(name.encode("utf-8"))
        message = f"{shown(made.name)!r} makes a file name of {size} bytes; the limit is {NAME_MAX} bytes: shorten it"
        r.error(keypath, message, "limit")
    return made


def optional_term(patterns: TermPatterns, kind: str, name: str | None, r: Reporter) -> Term | None:
    return term(patterns, kind, name, r, (kind,)) if name else None


_JOINT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")  # "A and B", "A, B and C", "A & B"
_MARKDOWN_LINK_TEXT = re.compile(r"\[([^\[\]]+)\]\([^()\s]+\)")  # `[Jane Doe](https://…)` -> Jane Doe
_LOOKS_LIKE_KEY = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def bylines(
    patterns: TermPatterns, names: tuple[str, ...], r: Reporter, directory: AuthorDirectory
) -> tuple[Term, ...]:
    """Bylines as people: a joint byline is split, and a key of the authors file becomes the person it names."""
    found: list[Term] = []
    for written in (part for name in names for part in _split_joint(name)):
        known = directory.find(written, patterns.slugs)
        if known is None:
            if directory.found and _LOOKS_LIKE_KEY.match(written):
                message = f"{written!r} is not in the authors file; the byline shows it as written"
                r.warning(("authors",), message, "unknown-author")
            found.append(term(patterns, "author", written, r, ("authors",)))
            continue
        key, person = known
        slug = make_slug(key, patterns.slugs) or make_slug(person.name, patterns.slugs)
        found.append(
            checked_term(Term(person.name, slug, term_url(patterns.urls, "author", slug), person), r, ("authors",))
        )
    return tuple(dict.fromkeys(found))


def _split_joint(name: str) -> list[str]:
    """'Jane Doe and John Roe' -> both; a name with a comma but no 'and' ('Smith, Jr.') stays whole. A byline written
    as Markdown links, as Hugo themes render it ('[Jane Doe](https://…) (Acme), [John Roe](https://…)'), is the
    people its links name."""
    linked = [" ".join(text.split()) for text in _MARKDOWN_LINK_TEXT.findall(name)]
    if linked:
        return [text for text in linked if text]
    if " and " not in name and "&" not in name:
        return [name]
    return [part for part in _JOINT.split(name) if part]


def tag_names(r: Reporter, value: Any) -> tuple[str, ...]:
    """The tags, none when there are more than MAX_TAGS: each makes two pages, so 5,000 would make 10,000."""
    if isinstance(value, list) and len(value) > MAX_TAGS:
        r.error(("tags",), f"{len(value):,} tags; the limit is {MAX_TAGS}: keep the ones readers follow", "limit")
        return ()
    return read_text_list(r, ("tags",), value)


def terms(patterns: TermPatterns, kind: str, names: tuple[str, ...], r: Reporter) -> tuple[Term, ...]:
    return tuple(term(patterns, kind, name, r, (f"{kind}s",)) for name in names)


def localized(edition: Edition | None, patterns: TermPatterns, kind: str, written: Term) -> Term:
    """A section or tag in the edition's own words: `Politics` (or `Política`) is `Política`, `/es/politica/`."""
    name = edition.localized(kind, written.slug) if edition else None
    return written if name is None else Term(name.name, name.slug, term_url(patterns.urls, kind, name.slug))


def shown(text: str, limit: int = 40) -> str:
    """Text as a message quotes it: cut to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
