"""The site's authors file: who a byline names, with a bio, a photo, a role and links.

Front matter names an author by a key (`authors: [jdoe]`) or by name; the
file says who that is. newsgen reads its own `authors.yaml` and the shapes
other generators keep, unchanged: Jekyll's `_data/authors.yml` (a mapping
of keys, or a list of people with an `id`/`slug`/`key`), and Hugo's
`data/authors/<key>.yaml`, one file per person. Common field names of
their themes are understood (`display_name`, `avatar`, `twitter`, ...).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsgen.body.images import ImageLocator
from newsgen.body.markup import ResolvedImage
from newsgen.errors import Problem
from newsgen.models import Figure, Profile, RelatedLink
from newsgen.read.fields import Reporter, read_mapping, read_text, read_url
from newsgen.read.files import author_files
from newsgen.read.yamlsource import LineMap, parse_yaml
from newsgen.urls import make_slug

NAME_KEYS = ("name", "display_name", "full_name", "title")
BIO_KEYS = ("bio", "description", "about", "summary")
PHOTO_KEYS = ("photo", "avatar", "image", "picture")
ROLE_KEYS = ("role", "job_title", "position", "jobtitle")
ID_KEYS = ("id", "key", "slug", "username")
LIST_KEY = "authors"  # `authors: [{id: …, name: …}, …]`: the people as a list under one key, as the CMS edits them
# Links given as their own keys: (key, label, how a handle becomes a URL).
LINK_KEYS = (
    ("email", "Email", "mailto:{}"),
    ("website", "Website", "{}"),
    ("web", "Website", "{}"),
    ("url", "Website", "{}"),
    ("x", "X", "https://x.com/{}"),
    ("twitter", "X", "https://x.com/{}"),
    ("mastodon", "Mastodon", "{}"),
    ("bluesky", "Bluesky", "https://bsky.app/profile/{}"),
    ("github", "GitHub", "https://github.com/{}"),
    ("linkedin", "LinkedIn", "https://www.linkedin.com/in/{}"),
)


@dataclass(frozen=True)
class AuthorDirectory:
    """Every person of the authors file, by key, by the key's slug and by name."""

    people: dict[str, Profile] = field(default_factory=dict)
    digest: bytes = b"no authors file"  # of the files read: articles read with another directory are read again
    found: bool = False  # whether the site has an authors file at all

    def find(self, written: str, slugs: str = "transliterate") -> tuple[str, Profile] | None:
        """The key and person a byline names, by key, slug (in the site's style) or name; None when the file does
        not list them."""
        for candidate in (written, make_slug(written, slugs)):
            if candidate in self.people:
                return candidate, self.people[candidate]
        for key, person in self.people.items():
            if person.name.casefold() == written.casefold():
                return key, person
        return None


def load_authors(source_dir: Path, images: ImageLocator) -> tuple[AuthorDirectory, list[Problem]]:
    """The site's authors, from the first authors file or folder found; an empty directory when there is none."""
    problems: list[Problem] = []
    files = author_files(source_dir)
    if not files:
        return AuthorDirectory(), problems
    digest = hashlib.sha256()
    people: dict[str, Profile] = {}
    for path, one_person in files:
        raw = path.read_bytes()
        digest.update(str(path).encode() + b"\0" + raw + b"\0")
        data, lines, parse_problems = _parse(path, raw)
        problems += parse_problems
        if data is None:
            continue
        r = Reporter(path, lines, problems)
        entries = [(path.stem, data, ())] if one_person else _entries(r, data)
        for key, entry, keypath in entries:
            person = _read_person(r, keypath, entry, key, images)
            if person is not None:
                people[str(key)] = person
    return AuthorDirectory(people, digest.digest(), True), problems


def _parse(path: Path, raw: bytes) -> tuple[Any, LineMap, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, LineMap(1), [Problem(path, 1, "authors", "not UTF-8 text; save it as UTF-8", code="encoding")]
    if path.suffix == ".json":
        try:
            return json.loads(text), LineMap(1), []
        except ValueError as exc:
            return None, LineMap(1), [Problem(path, 1, "authors", f"not JSON: {exc}", code="authors")]
    return parse_yaml(text, path, 1, "authors")


def _entries(r: Reporter, data: Any) -> Iterable[tuple[str, Any, tuple[Hashable, ...]]]:
    """(key, fields, keypath) of each person: a mapping of keys, or a list of people that name their key, at the top
    or under `authors:` (as the CMS keeps it: a person is never a list, so the two can't be confused)."""
    if isinstance(data, dict):
        listed = data.get(LIST_KEY)
        people = [
            (str(key), value, (key,)) for key, value in data.items() if key != LIST_KEY or not isinstance(value, list)
        ]
        return [*people, *(_listed(r, listed, (LIST_KEY,)) if isinstance(listed, list) else [])]
    if isinstance(data, list):
        return _listed(r, data, ())
    r.error((), "must be a mapping of keys to people, or a list of people", "authors")
    return []


def _listed(r: Reporter, items: list[Any], prefix: tuple[Hashable, ...]) -> list[tuple[str, Any, tuple[Hashable, ...]]]:
    entries = []
    for index, item in enumerate(items):
        key = next((item[name] for name in ID_KEYS if isinstance(item, dict) and item.get(name)), None)
        if key is None:
            r.error((*prefix, index), f"each person needs one of {', '.join(ID_KEYS)}: the key bylines use", "authors")
        else:
            entries.append((str(key), item, (*prefix, index)))
    return entries


def _read_person(
    r: Reporter, keypath: tuple[Hashable, ...], entry: Any, key: str, images: ImageLocator
) -> Profile | None:
    if isinstance(entry, str):  # `jdoe: Jane Doe`
        entry = {"name": entry}
    fields = read_mapping(r, keypath, entry)
    if fields is None:
        return None

    def first(keys: tuple[str, ...]) -> tuple[str, Any] | None:
        return next(((name, fields[name]) for name in keys if fields.get(name) is not None), None)

    named = first(NAME_KEYS)
    name = read_text(r, (*keypath, named[0]), named[1]) if named else None
    bio = first(BIO_KEYS)
    role = first(ROLE_KEYS)
    return Profile(
        key=key,
        name=name or key,
        bio=read_text(r, (*keypath, bio[0]), bio[1]) if bio else None,
        role=read_text(r, (*keypath, role[0]), role[1]) if role else None,
        photo=_read_photo(r, keypath, first(PHOTO_KEYS), name or key, images),
        links=_read_links(r, keypath, fields),
    )


def _read_photo(
    r: Reporter, keypath: tuple[Hashable, ...], given: tuple[str, Any] | None, name: str, images: ImageLocator
) -> Figure | None:
    """`photo: /images/jdoe.jpg` (alt: the person's name) or `photo: {src, alt}`; a site path or an https URL."""
    if given is None:
        return None
    key, value = given
    src, alt = (value.get("src"), value.get("alt")) if isinstance(value, dict) else (value, None)
    src_text = read_url(r, (*keypath, key), src)
    if src_text is None:
        return None
    alt_text = read_text(r, (*keypath, key, "alt"), alt) if alt is not None else f"Photo of {name}"
    resolved, _ = images.resolve(src_text, r.path, "/") if src_text.startswith(("/", "http")) else (None, None)
    if not isinstance(resolved, ResolvedImage):
        r.error((*keypath, key), f"{src_text!r}: a photo must be a file under static/ (/images/x.jpg) or an https URL")
        return None
    return Figure(src_text, resolved.url, alt_text or name, None, None, resolved.width, resolved.height)


def _read_links(r: Reporter, keypath: tuple[Hashable, ...], fields: dict[Any, Any]) -> tuple[RelatedLink, ...]:
    """Links as their own keys (`email`, `twitter`, ...) or a `links` mapping of label to URL."""
    links: list[RelatedLink] = []
    for key, label, pattern in LINK_KEYS:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            text = value.strip()
            written = text if text.startswith(("http://", "https://", "mailto:")) else pattern.format(text.lstrip("@"))
            url = read_url(r, (*keypath, key), written)
            if url is not None and url not in (link.url for link in links):
                links.append(RelatedLink(label, url))
    given = fields.get("links")
    for label, value in (read_mapping(r, (*keypath, "links"), given) or {}).items() if given is not None else ():
        url = read_url(r, (*keypath, "links", label), value)
        if url is not None:
            links.append(RelatedLink(str(label), url))
    return tuple(links)
