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
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import jinja2
from markupsafe import Markup

from newsgen import dates, numbers
from newsgen.codeversion import code_version
from newsgen.config import SiteConfig
from newsgen.languages import text_direction
from newsgen.models import Article
from newsgen.site.pagination import page_place
from newsgen.translate import Catalogs, Words
from newsgen.urls import absolute_url

MACROS_TEMPLATE = "_macros.html"
_MISSING = b"\0missing"

_loaded: ContextVar[set[str] | None] = ContextVar("newsgen_loaded_templates", default=None)
_DIGESTS: WeakKeyDictionary[jinja2.Environment, dict[str, bytes]] = WeakKeyDictionary()
_CATALOGS: WeakKeyDictionary[jinja2.Environment, Catalogs] = WeakKeyDictionary()


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
    template_dirs: list[Path], config: SiteConfig, bytecode_dir: Path | None = None, catalogs: Catalogs | None = None
) -> jinja2.Environment:
    """The compiled template set; with `bytecode_dir`, compiled templates are kept on disk between builds.

    `catalogs` translate the theme's words (`_()`, `ngettext()`, `{% trans %}`) into the language of the `site`
    a page is rendered with, so one environment serves pages in several languages.
    """
    env = RecordingEnvironment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        extensions=["jinja2.ext.i18n"],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a session makes a new environment when template files change; no stat per page
        bytecode_cache=_bytecode_cache(bytecode_dir),
    )
    env.filters["iso"] = dates.iso
    env.filters["direction"] = text_direction
    env.filters["plural"] = lambda count, one, many: one if count == 1 else many
    env.filters["absolute"] = lambda url: absolute_url(config.base_url, url)
    env.filters["css_string"] = css_string
    catalogs = catalogs or Catalogs([])
    _CATALOGS[env] = catalogs

    def page_site(context: jinja2.runtime.Context) -> SiteConfig:
        """The settings of the page's edition (`site`): its language and timezone; a macro imported without
        context has none, and gets the config's."""
        site = context.get("site")
        return site if isinstance(site, SiteConfig) else config

    def words(context: jinja2.runtime.Context) -> Words:
        return catalogs.words(page_site(context).language)

    def date_filter(write: Callable[[datetime, tzinfo, str], str]) -> Callable[..., str]:
        return jinja2.pass_context(lambda c, moment: write(moment, page_site(c).timezone, page_site(c).language))

    env.install_gettext_callables(  # type: ignore[attr-defined]
        jinja2.pass_context(lambda context, message: words(context).lookup(message)),
        jinja2.pass_context(lambda context, one, many, n: words(context).lookup_plural(one, many, n)),
        newstyle=True,
    )
    env.filters["page_place"] = jinja2.pass_context(
        lambda context, page: page_place(page, page_site(context).timezone, words(context))
    )
    env.filters["count"] = jinja2.pass_context(
        lambda context, number: numbers.count(number, page_site(context).language)
    )
    env.filters["long_date"] = date_filter(dates.long_date)
    env.filters["short_date"] = date_filter(dates.short_date)
    env.filters["date_time"] = date_filter(dates.date_time)
    recaps = _RecapCache(env)
    env.globals["recap"] = jinja2.pass_context(
        lambda context, *args, **kwargs: recaps(page_site(context), *args, **kwargs)
    )
    return env


def template_messages(env: jinja2.Environment) -> set[str]:
    """Every msgid the templates in use ask to translate (a site's template in place of the theme's of its name)."""
    found: set[str] = set()
    for name in env.list_templates(extensions=["html", "xml", "txt"]):
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        for _, _, message in env.extract_translations(source):  # type: ignore[attr-defined]
            found.update(message[:1] if isinstance(message, tuple) else [message])
    return {message for message in found if message}


def environment_catalogs(env: jinja2.Environment) -> Catalogs:
    """The catalogs an environment translates with (Python code's words come from the same)."""
    return _CATALOGS.get(env) or Catalogs([])


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
    is never handed to it. A template compiled by another newsgen is compiled
    again: how a filter is called (with the page's context or not) is
    compiled in.
    """

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256(code_version() + source.encode()).hexdigest()

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
    """`recap(article, heading, first, eager)` in templates: the `recap` macro of `_macros.html`, rendered once per
    article and language.

    The same recap appears on many pages (lists, 'Latest news', 'More on this');
    rendering it once per article and heading instead of once per appearance
    is most of a large site's page-rendering time. Keyed by the article's
    fingerprint, so an edited article gets a fresh recap; every page that
    shows a recap is recorded as loading the templates that rendering it loaded.
    """

    def __init__(self, env: jinja2.Environment) -> None:
        self._env = env
        self._rendered: dict[tuple[str, str, str, str, bool, bool], tuple[Markup, frozenset[str]]] = {}
        # `_macros.html` made with each edition's `site`: its words and dates are in the edition's language and zone.
        self._modules: dict[tuple[str, str], Any] = {}

    def __call__(
        self, site: SiteConfig, article: Article, heading: str = "h2", first: bool = False, eager: bool = False
    ) -> Markup:
        """`first`: the list's lead story; `eager`: its first photo, the page's largest paint (loaded at once)."""
        edition = (site.language, site.timezone.key)
        key = (*edition, article.fingerprint, heading, first, eager)
        if key not in self._rendered:
            with recording_templates() as loaded:
                template = self._env.get_template(MACROS_TEMPLATE)
                if edition not in self._modules:
                    self._modules[edition] = template.make_module({"site": site})
                html = Markup(self._modules[edition].recap(article, heading, first, eager))
            self._rendered[key] = (html, frozenset(loaded))
        html, used = self._rendered[key]
        note_loaded(used)
        return html
