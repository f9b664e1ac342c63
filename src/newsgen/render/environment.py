"""The Jinja environment: autoescape, StrictUndefined, newsgen's filters, and a record of every template a page loads.

What a page depends on among the templates is observed, not declared: every
name Jinja is asked for while a page renders (through `extends`, `include`,
`import`, a name computed at render time, a list of fallbacks) is recorded,
found or not. A page's key covers the sources of exactly those names, so an
edit to any template the page used, or a new file shadowing a name it looked
for, renders it again, and nothing else does. Rendering is a function of the
page's data and the templates it loads, so the same data and the same loaded
templates load the same names again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import jinja2
from markupsafe import Markup

from newsgen import dates
from newsgen.config import SiteConfig
from newsgen.languages import text_direction
from newsgen.models import Article
from newsgen.site.pagination import page_place
from newsgen.urls import absolute_url

MACROS_TEMPLATE = "_macros.html"
_MISSING = b"\0missing"

_loaded: ContextVar[set[str] | None] = ContextVar("newsgen_loaded_templates", default=None)
_edition: ContextVar[SiteConfig | None] = ContextVar("newsgen_edition", default=None)
_DIGESTS: WeakKeyDictionary[jinja2.Environment, dict[str, bytes]] = WeakKeyDictionary()


@contextmanager
def recording_templates() -> Iterator[set[str]]:
    """Collect the names of the templates loaded inside the block; an enclosing recording sees them too."""
    outer = _loaded.get()
    names: set[str] = set()
    token = _loaded.set(names)
    try:
        yield names
    finally:
        _loaded.reset(token)
        if outer is not None:
            outer.update(names)


@contextmanager
def rendering_edition(config: SiteConfig) -> Iterator[None]:
    """Render the block in one language edition's settings: its dates' language and timezone (recaps included)."""
    token = _edition.set(config)
    try:
        yield
    finally:
        _edition.reset(token)


def note_loaded(names: Iterable[str]) -> None:
    """Record names loaded earlier on behalf of the page rendering now (a cached fragment reused)."""
    current = _loaded.get()
    if current is not None:
        current.update(names)


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that records every template name asked for, whichever tag or call asks."""

    def get_template(
        self, name: str | jinja2.Template, parent: str | None = None, globals: MutableMapping[str, Any] | None = None
    ) -> jinja2.Template:
        if isinstance(name, str):
            note_loaded([self.join_path(name, parent) if parent is not None else name])
        return super().get_template(name, parent, globals)

    def select_template(
        self,
        names: Iterable[str | jinja2.Template],
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        names = list(names)
        # Every candidate, found or not: a file added later under an earlier name changes the choice.
        note_loaded(
            self.join_path(name, parent) if parent is not None else name for name in names if isinstance(name, str)
        )
        return super().select_template(names, parent, globals)


def template_digest(env: jinja2.Environment, name: str) -> bytes:
    """The source a template name resolves to (the site's file shadows the theme's), or a mark that none exists."""
    digests = _DIGESTS.setdefault(env, {})
    if name not in digests:
        try:
            source = env.loader.get_source(env, name)[0].encode()  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            source = _MISSING
        digests[name] = hashlib.sha256(source).digest()
    return digests[name]


def make_environment(
    template_dirs: list[Path], config: SiteConfig, bytecode_dir: Path | None = None
) -> jinja2.Environment:
    """The compiled template set; with `bytecode_dir`, compiled templates are kept on disk between builds."""
    env = RecordingEnvironment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a session makes a new environment when template files change; no stat per page
        bytecode_cache=_bytecode_cache(bytecode_dir),
    )

    def edition() -> SiteConfig:
        return _edition.get() or config

    env.filters["long_date"] = lambda moment: dates.long_date(moment, edition().timezone, edition().language)
    env.filters["short_date"] = lambda moment: dates.short_date(moment, edition().timezone, edition().language)
    env.filters["date_time"] = lambda moment: dates.date_time(moment, edition().timezone, edition().language)
    env.filters["iso"] = dates.iso
    env.filters["direction"] = text_direction
    env.filters["plural"] = lambda count, one, many: one if count == 1 else many
    env.filters["absolute"] = lambda url: absolute_url(config.base_url, url)
    env.filters["page_place"] = lambda page: page_place(page, edition().timezone)
    env.filters["css_string"] = css_string
    env.globals["recap"] = _RecapCache(env)
    return env


def css_string(text: str) -> str:
    """`text` as a CSS string: quotes, backslashes and anything unprintable escaped (autoescape then makes it safe
    in an attribute)."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\{ord(c):x} " for c in text) + '"'


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # compiling every time is slower, never wrong
    return _CheckedBytecodeCache(str(folder))


class _CheckedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk, each behind a digest of its bytes: a damaged file is compiled again.

    Jinja unmarshals what it finds; a few changed bytes in a cache file can
    crash the interpreter, not just raise. A file whose digest does not match
    is never handed to it.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as file:
                stored = file.read()
        except OSError:
            return
        digest, payload = stored[:32], stored[32:]
        if hashlib.sha256(payload).digest() == digest:
            bucket.bytecode_from_string(payload)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = bucket.bytecode_to_string()
        name = self._get_cache_filename(bucket)
        temporary = f"{name}.{os.getpid()}.tmp"
        try:
            with open(temporary, "wb") as file:
                file.write(hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, name)
        except OSError:
            Path(temporary).unlink(missing_ok=True)  # compiling again next time is slower, never wrong


class _RecapCache:
    """`recap(article, heading, first, eager)` in templates: the `recap` macro of `_macros.html`, rendered once per article.

    The same recap appears on many pages (lists, 'Latest news', 'More on this');
    rendering it once per article and heading instead of once per appearance
    is most of a large site's page-rendering time. Keyed by the article's
    fingerprint, so an edited article gets a fresh recap; every page that
    shows a recap is recorded as loading the templates that rendering it loaded.
    """

    def __init__(self, env: jinja2.Environment) -> None:
        self._env = env
        self._rendered: dict[tuple[str, str, bool, bool, str, str], tuple[Markup, frozenset[str]]] = {}

    def __call__(self, article: Article, heading: str = "h2", first: bool = False, eager: bool = False) -> Markup:
        """`first`: the list's lead story; `eager`: its first photo, the page's largest paint (loaded at once)."""
        edition = _edition.get()  # dates in the language and timezone of the edition whose page shows it
        language, zone = (edition.language, edition.timezone.key) if edition else ("", "")
        key = (article.fingerprint, heading, first, eager, language, zone)
        if key not in self._rendered:
            with recording_templates() as loaded:
                macro = self._env.get_template(MACROS_TEMPLATE).module.recap  # type: ignore[attr-defined]
                html = Markup(macro(article, heading, first, eager))
            self._rendered[key] = (html, frozenset(loaded))
        html, used = self._rendered[key]
        note_loaded(used)
        return html
