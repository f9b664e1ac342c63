"""Editions of a multilingual site (`languages:` in `newsgen.yaml`): one per language, each under its own path.

The default edition (the site's `language`) is served at the root; every other
one under its path prefix (`/es/`), with its own title, description and
timezone, and its own names for the sections and tags it shares with the
default edition (`sections: {politics: Política}`: the section whose page is
`/politics/` is `/es/politica/` in Spanish). A site without `languages:` has
no editions, and is built exactly as a one-language site always was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from newsgen.languages import LANGUAGE_NAME, language_key, language_tag
from newsgen.read.fields import Reporter, read_mapping, read_text
from newsgen.urls import make_slug

TRANSLATED_KINDS = ("section", "tag")  # term kinds an edition may name in its own words
_PATH = re.compile(r"^/(?:[a-z0-9][a-z0-9_-]*/)+$")
EDITION_KEYS = ("title", "description", "path", "timezone", "sections", "tags", "permalinks")
# Reads `permalinks` at a key path: the site's patterns with those given in place (config.py's rules).
PermalinkReader = Callable[[Reporter, tuple[str, ...], Any], Mapping[str, str]]


@dataclass(frozen=True)
class TermName:
    """A section or tag as an edition names it: what readers see, its slug, and the default edition's slug (its key)."""

    name: str
    slug: str
    key: str


@dataclass(frozen=True)
class Edition:
    """One language edition: where it lives and what it is called; every key but `code` and `path` may be left out."""

    code: str  # the language tag, as `languages:` keys it (`es`, `es-MX`)
    path: str  # "/" for the default edition, else its prefix ("/es/")
    title: str | None = None
    description: str | None = None
    timezone: ZoneInfo | None = None
    # By kind ("section", "tag"): the default edition's slug -> this edition's name for the same section or tag.
    terms: Mapping[str, Mapping[str, TermName]] = field(default_factory=dict)
    # The edition's own URL patterns below its path (`/etiquetas/{slug}/`); None: the site's.
    permalinks: Mapping[str, str] | None = None

    def localized(self, kind: str, slug: str) -> TermName | None:
        """This edition's name for the section or tag written with `slug`, in its own words or the default's."""
        names = self.terms.get(kind, {})
        if slug in names:
            return names[slug]
        return next((name for name in names.values() if name.slug == slug), None)

    def term_key(self, kind: str, slug: str) -> str:
        """What a section or tag of this edition is called in the default edition: the key its versions share."""
        found = next((name for name in self.terms.get(kind, {}).values() if name.slug == slug), None)
        return found.key if found else slug


def read_editions(
    r: Reporter, value: Any, default: str, slugs: str, read_permalinks: PermalinkReader
) -> Mapping[str, Edition]:
    """`languages: {en: {}, es: {title: …, path: /es/, timezone: …, sections: {politics: Política}}}`; `slugs` is the
    site's slug style, which an edition's names for sections and tags follow."""
    given = read_mapping(r, ("languages",), value)
    if not given:
        return MappingProxyType({})
    editions: dict[str, Edition] = {}
    paths: dict[str, str] = {}
    for code, entry in given.items():
        keypath: tuple[str, ...] = ("languages", str(code))
        if not isinstance(code, str) or not LANGUAGE_NAME.fullmatch(code):
            r.error(keypath, f"{code!r} is not a language tag such as 'es' or 'es-MX'")
            continue
        written, code = code, language_tag(code)  # `zh_tw` (its folder's name) is the zh-TW edition
        if code.lower() in (known.lower() for known in editions):
            r.error(keypath, f"the {code} edition is given twice")
            continue
        settings = read_mapping(r, keypath, entry) if entry is not None else {}
        settings = settings or {}
        if "base_url" in settings:  # each edition's files would need a host of their own: not yet
            message = "an edition on a domain of its own is not supported yet: give it a path (/es/) on the site's"
            r.error((*keypath, "base_url"), message)
            settings = {key: value for key, value in settings.items() if key != "base_url"}
        r.unknown_keys(settings, keypath, EDITION_KEYS, as_error=True)
        is_default = language_key(code) == language_key(default)
        path = _read_path(r, keypath, settings.get("path"), written, is_default)
        edition = Edition(
            code=code,
            path=path,
            title=read_text(r, (*keypath, "title"), settings.get("title")),
            description=read_text(r, (*keypath, "description"), settings.get("description")),
            timezone=_read_timezone(r, (*keypath, "timezone"), settings.get("timezone")),
            permalinks=_read_own_permalinks(r, keypath, settings.get("permalinks"), is_default, read_permalinks),
            terms=MappingProxyType(
                {
                    kind: _read_term_names(r, (*keypath, f"{kind}s"), settings.get(f"{kind}s"), is_default, slugs)
                    for kind in TRANSLATED_KINDS
                }
            ),
        )
        if path in paths:
            r.error((*keypath, "path"), f"{path} is also the path of the {paths[path]} edition")
            continue
        paths[path] = code
        editions[code] = edition
    if not any(code.lower() == default.lower() for code in editions):
        editions = {default: Edition(default, "/"), **editions}  # the site's language is always an edition
    return MappingProxyType(editions)


def _read_path(r: Reporter, keypath: tuple[str, ...], value: Any, code: str, is_default: bool) -> str:
    path = read_text(r, (*keypath, "path"), value)
    if is_default:
        if path not in (None, "/"):
            r.error((*keypath, "path"), f"the default edition (the site's language, {code}) is served at /, not {path}")
        return "/"
    if path is None:
        return f"/{code.lower()}/"
    if not _PATH.match(path):
        r.error(
            (*keypath, "path"), f"must be a folder such as /{code.lower()}/ (lowercase, starting and ending with /)"
        )
        return f"/{code.lower()}/"
    return path


def _read_own_permalinks(
    r: Reporter, keypath: tuple[str, ...], value: Any, is_default: bool, read_permalinks: PermalinkReader
) -> Mapping[str, str] | None:
    if value is None:
        return None
    if is_default:
        r.error(
            (*keypath, "permalinks"), "the default edition's URL patterns are the site's: set permalinks: at the top"
        )
        return None
    patterns = read_permalinks(r, (*keypath, "permalinks"), value)
    given = value if isinstance(value, dict) else {}
    return MappingProxyType(
        {kind: pattern for kind, pattern in patterns.items() if kind in given}
    )  # the rest: the site's


def _read_timezone(r: Reporter, keypath: tuple[str, ...], value: Any) -> ZoneInfo | None:
    name = read_text(r, keypath, value)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(keypath, f"unknown IANA timezone {name!r} (e.g. America/Mexico_City)")
        return None


def _read_term_names(
    r: Reporter, keypath: tuple[str, ...], value: Any, is_default: bool, slugs: str
) -> Mapping[str, TermName]:
    """`{politics: Política}`: keyed by the default edition's slug, each this edition's name for that section or tag."""
    given = read_mapping(r, keypath, value) or {}
    if given and is_default:
        r.error(keypath, "the default edition's names are the ones articles write; translate them in other editions")
        return MappingProxyType({})
    names: dict[str, TermName] = {}
    for key, name in given.items():
        text = read_text(r, (*keypath, str(key)), name, required=True)
        slug = make_slug(text or "", slugs)
        if not isinstance(key, str) or make_slug(key, slugs) != key:
            r.error((*keypath, str(key)), f"{key!r}: name the default edition's slug (lowercase letters, digits, -)")
        elif text and not slug:
            r.error((*keypath, key), f"{text!r} gives an empty URL slug; use letters or digits")
        elif text:
            names[key] = TermName(text, slug, key)
    return MappingProxyType(names)


def prefixed(patterns: Mapping[str, str], path: str) -> Mapping[str, str]:
    """Permalink patterns under an edition's path: `/tags/{slug}/` -> `/es/tags/{slug}/`."""
    return MappingProxyType({kind: path + pattern.lstrip("/") for kind, pattern in patterns.items()})


def autonym(code: str) -> str:
    """A language's name in itself, as a language switcher shows it: 'Español', 'العربية', 'English'."""
    try:
        name = Locale.parse(code.replace("-", "_")).display_name or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]
