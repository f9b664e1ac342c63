"""The theme's words in a page's language: gettext catalogs (`.po` files) read with Babel, English where none says.

A theme keeps its catalogs in `locales/<language>.po` beside its `templates/`;
a site's own `locales/` come first, entry by entry, so a site can add a
language or change one string of the theme's. `es-MX` reads `es-MX.po`, then
`es.po`; a string none of them translates is the English msgid itself.
Templates and Python ask the same `Words`, so a heading reads the same in a
page's `<h1>`, its `<title>` and its feed.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.errors import Problem, Severity
from newsgen.languages import language_key
from newsgen.read.files import LOCALES_DIR

if TYPE_CHECKING:
    from babel.messages.catalog import Message

CATALOG_SUFFIX = ".po"
TEMPLATE_CATALOG = "newsgen.pot"  # every msgid the theme and newsgen's own code use (`pybabel extract`: docs/how-to/translate-theme.md)
SOURCE_LANGUAGE = "en"  # msgids are English: an English site needs no catalog


def is_source_language(tag: str) -> bool:
    """English, any region: the msgids themselves, so nothing is missing."""
    return language_key(tag).split("-")[0] == SOURCE_LANGUAGE


def _fallbacks(tag: str) -> list[str]:
    """`es-MX` -> ["es-mx", "es"]: the tag as written, then its language alone."""
    key = language_key(tag)
    primary = key.split("-")[0]
    return [key] if primary == key else [key, primary]


@dataclass(frozen=True)
class Words:
    """One language's translations, merged from every catalog for it; English for the rest."""

    language: str
    messages: dict[str, str | tuple[str, ...]]
    plural_index: Callable[[int], int]
    catalogs: tuple[Path, ...]  # the files read, the first one winning
    problems: tuple[Problem, ...] = ()  # a catalog that can't be read, a translation that can't be used
    rejected: frozenset[str] = frozenset()  # msgids whose translation was set aside (and said so)

    def gettext(self, message: str, **variables: object) -> str:
        """The translation of `message`, `%(name)s` filled from `variables` (as Jinja's newstyle gettext does)."""
        return self.lookup(message) % variables

    def lookup(self, message: str) -> str:
        """The translation, unformatted (Jinja formats it itself, escaping the values)."""
        found = self.messages.get(message)
        return found if isinstance(found, str) and found else message

    def lookup_plural(self, singular: str, plural: str, n: int) -> str:
        forms = self.messages.get(singular)
        if isinstance(forms, tuple):
            index = self.plural_index(n)
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
        return singular if n == 1 else plural

    def translates(self, message: str) -> bool:
        found = self.messages.get(message)
        return bool(found) if isinstance(found, str) else bool(found and all(found))


class Catalogs:
    """Every catalog in some locale folders (the site's first, then the theme's), read once per language."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = tuple(dict.fromkeys(folder.resolve() for folder in folders))
        self._files = {folder: _catalog_files(folder) for folder in self.folders}
        self._words: dict[str, Words] = {}

    def words(self, language: str) -> Words:
        key = language_key(language)
        if key not in self._words:
            self._words[key] = _read_words(language, self.files(language))
        return self._words[key]

    def files(self, language: str) -> tuple[Path, ...]:
        """The catalogs for `language`, the winning one first: by folder (the site's first), then by tag."""
        return tuple(
            self._files[folder][candidate]
            for folder in self.folders
            for candidate in _fallbacks(language)
            if candidate in self._files[folder]
        )

    def digest(self) -> bytes:
        """Of every catalog's bytes: pages that show the theme's words change with it."""
        digest = hashlib.sha256()
        for place, folder in enumerate(self.folders):  # by place, not path: a fresh checkout keeps its pages
            for key, path in sorted(self._files[folder].items()):
                digest.update(f"{place}\0{key}\0".encode() + path.read_bytes() + b"\0")
        return digest.digest()


def _catalog_files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {language_key(path.stem): path for path in sorted(folder.glob(f"*{CATALOG_SUFFIX}")) if path.is_file()}


def _read_words(language: str, files: tuple[Path, ...]) -> Words:
    """The files' entries merged, the first file's winning, with the plural rule of the first that states one.

    Never raises: a file that can't be read, or a translation whose `%(name)s` placeholders the original does not
    give, is left out and named in `problems`, so rendering never fails on a catalog.
    """
    messages: dict[str, str | tuple[str, ...]] = {}
    problems: list[Problem] = []
    rejected: set[str] = set()
    plural_rule: str | None = None
    for path in reversed(files):  # later files first, so earlier ones overwrite
        from babel.messages.pofile import PoFileError, read_po  # only a site with a catalog pays for Babel

        try:
            raw = path.read_bytes()
            catalog = read_po(io.BytesIO(raw), abort_invalid=True)
        except (OSError, UnicodeDecodeError, PoFileError) as exc:
            line = exc.lineno + 1 if isinstance(exc, PoFileError) else 1
            reason = f"not a gettext catalog: {exc}" if isinstance(exc, PoFileError) else f"can't be read: {exc}"
            problems.append(Problem(path, line, "catalog", reason, code="catalog"))
            continue
        for message in catalog:
            value = tuple(message.string) if isinstance(message.string, (tuple, list)) else message.string
            if not message.id or message.fuzzy or not value or not (isinstance(value, str) or all(value)):
                continue
            msgid = _msgid(message)
            if not _fits(message.id, value):
                text = f'"{msgid}": the translation uses a placeholder or a % the original does not give; not used'
                problems.append(
                    Problem(path, message.lineno or 1, "translation", text, Severity.WARNING, "translation")
                )
                rejected.add(msgid)
                continue
            messages[msgid] = value
        if b"Plural-Forms:" in raw:  # stated, not what Babel would infer from a `Language` header
            plural_rule = catalog.plural_expr
    # GNU gettext's rule for a catalog that states none; the docs ask for `Plural-Forms` in every catalog
    rule = stdlib_gettext.c2py(plural_rule or "(n != 1)")
    return Words(language, messages, rule, files, tuple(sorted(problems)), frozenset(rejected))


_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")


def _fits(original: str | tuple[str, ...] | list[str], translation: str | tuple[str, ...]) -> bool:
    """Whether the translation formats with what the original's placeholders give (and `num` for a plural)."""
    samples: dict[str, object] = {"num": 1} if not isinstance(original, str) else {}
    for text in [original] if isinstance(original, str) else original:
        for name, kind in _PLACEHOLDER.findall(text):
            samples[name] = "x" if kind in "rsa" else 1
    try:
        for text in [translation] if isinstance(translation, str) else translation:
            text % samples  # noqa: B018 - formatting is the check
    except (KeyError, ValueError, TypeError):
        return False
    return True


def template_catalog_messages(folder: Path) -> set[str]:
    """The msgids of the theme's `.pot`: its templates' and newsgen's own (headings, titles, feeds)."""
    from babel.messages.pofile import read_po

    path = folder / TEMPLATE_CATALOG
    if not path.is_file():
        return set()
    with path.open("rb") as file:
        return {_msgid(message) for message in read_po(file) if message.id}


def _msgid(message: Message) -> str:
    """A message's msgid; a plural message's singular one."""
    return str(message.id[0]) if isinstance(message.id, (tuple, list)) else str(message.id)


def translation_problems(
    catalogs: Catalogs, language: str, messages: Sequence[str], config_file: Path, config_line: int
) -> list[Problem]:
    """The catalogs' own problems, and for a language other than English one warning per theme string it has no
    translation for, or one for no catalog at all."""
    words = catalogs.words(language)
    if is_source_language(language):
        return list(words.problems)
    if not words.catalogs:
        looked = f"{LOCALES_DIR}/{language}{CATALOG_SUFFIX}"
        text = f"no catalog for {language!r} ({looked} in the site or the theme): the theme's words are in English"
        return [Problem(config_file, config_line, "language", text, Severity.WARNING, "translation")]
    return [
        Problem(
            words.catalogs[0],
            1,
            "translation",
            f'"{message}": no translation, English used',
            Severity.WARNING,
            "translation",
        )
        for message in sorted(set(messages))
        if not words.translates(message) and message not in words.rejected
    ] + list(words.problems)
