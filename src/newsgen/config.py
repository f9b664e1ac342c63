"""Site configuration from `newsgen.yaml`: every key validated, all problems at once."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsgen.body.images import image_size
from newsgen.body.markup import ENGINES, ImageProblem
from newsgen.body.renditions import MODERN_FORMATS, ImageSettings
from newsgen.cms.settings import CMS_KEYS, CmsSettings, read_cms
from newsgen.editions import Edition, prefixed, read_editions
from newsgen.errors import Problem, Severity
from newsgen.languages import LANGUAGE_TAG, text_direction
from newsgen.read.fields import (
    Reporter,
    did_you_mean,
    read_bool,
    read_int,
    read_mapping,
    read_text,
    read_text_list,
    read_url,
)
from newsgen.read.files import CONFIG_FILE, STATIC_DIR, THEME_ASSETS, inside
from newsgen.read.keys import KNOWN_KEYS, READ_KEYS
from newsgen.read.labels import BUILT_IN_LABELS
from newsgen.read.yamlsource import parse_yaml
from newsgen.redact import redact
from newsgen.theme import theme_dir
from newsgen.urls import SLUG_PATTERN, SLUG_STYLES

DEFAULT_PERMALINKS: Mapping[str, str] = MappingProxyType(
    {
        "article": "/{yyyy}/{mm}/{dd}/{slug}/",
        "section": "/{slug}/",
        "series": "/series/{slug}/",
        "tag": "/tags/{slug}/",
        "author": "/authors/{slug}/",
        "label": "/labels/{slug}/",
        "tags_index": "/tags/",
    }
)
# Placeholders each permalink pattern may use.
PERMALINK_PLACEHOLDERS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "article": frozenset({"yyyy", "mm", "dd", "slug", "section"}),
        "section": frozenset({"slug"}),
        "series": frozenset({"slug"}),
        "tag": frozenset({"slug"}),
        "author": frozenset({"slug"}),
        "label": frozenset({"slug"}),
        "tags_index": frozenset(),
    }
)
PAGINATION_SCHEMES = ("stable", "classic")
LATEST_RAILS = ("fragment", "inline")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PATTERN_CHARS = re.compile(r"^/(?:[a-z0-9._~-]+/|\{[a-z]+\}/)*$")
# An article's pattern may name a file, as Jekyll's old /2022/01/13/x.html.
_ARTICLE_FILE_PATTERN = re.compile(r"^/(?:[a-z0-9._~-]+/|\{[a-z]+\}/)*\{slug\}\.html$")


@dataclass(frozen=True)
class Logo:
    """The site's logo: the header shows it at its size, so nothing moves as it loads; structured data names it."""

    src: str  # a site path or an http(s) URL
    width: int | None  # None for a logo on another host given without its size: named in structured data only
    height: int | None


@dataclass(frozen=True)
class SiteConfig:
    """Validated settings; the defaults build a site that has only `content/`."""

    title: str = "newsgen site"
    description: str = ""
    base_url: str = "https://example.com/"
    noindex: bool = False  # a preview copy (`newsgen build --noindex`, not a newsgen.yaml key): no page in search
    language: str = "en"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    per_page: int = 10
    pagination: str = "stable"  # or "classic": see site/pagination.py
    latest_count: int = 5
    latest_rail: str = "fragment"  # or "inline": every article page carries "Latest news" (and changes with it)
    feed_count: int = 20
    logo: Logo | None = None  # in the header and as the publisher's logo in structured data
    favicon: str = "/theme/favicon.svg"  # the icon browsers show in tabs: a site path or http(s) URL
    credit_label: str = ""  # put before every photo credit ("Photo:"); none by default: credits read as written
    markdown_engine: str = "python-markdown"  # or "cmark" (cmark-gfm): the fastest cold builds
    images: ImageSettings = field(default_factory=ImageSettings)  # resized copies of local photos (body/renditions.py)
    cname: str | None = None  # custom domain written as CNAME when deploying to GitHub Pages
    deploy: Mapping[str, str] = field(default_factory=dict)  # named destinations for `newsgen deploy NAME`
    cache: str | None = None  # s3://bucket/prefix: an article cache shared by every machine that builds the site
    cache_endpoint_url: str | None = None  # the S3-compatible host of `cache` (R2, MinIO, …); else boto3's default
    permalinks: Mapping[str, str] = field(default_factory=lambda: DEFAULT_PERMALINKS)
    keep_going: bool = False  # hold back articles with errors and publish the rest (`newsgen build --keep-going`)
    article_time_limit: int = 20  # seconds one article may take to read and convert before it is an error; 0: none
    warn: tuple[str, ...] = ()  # warning codes listed file by file even when they repeat (e.g. missing-dek)
    # The site's own front-matter names for newsgen's keys (`topics: tags`), lowercase, read before the built-in ones.
    front_matter_aliases: Mapping[str, str] = field(default_factory=dict)
    # Article labels by key (`label: opinion`, the slug of /labels/opinion/) -> the name readers see.
    labels: Mapping[str, str] = field(default_factory=lambda: BUILT_IN_LABELS)
    # A Pagefind index of the articles and a /search/ page (engine/search.py). Off unless asked for: Pagefind can't
    # update an index, so every publish that changes a searchable page re-indexes them all (~30 s at 10,000 articles).
    search: bool = False
    # How names become URL slugs (urls.py): "transliterate" to a-z, 0-9 and '-', or "unicode", keeping every script.
    slugs: str = "transliterate"
    # Language editions by code (`languages:`, editions.py); empty for a site in one language.
    editions: Mapping[str, Edition] = field(default_factory=dict)
    # The browser CMS published at /admin/ (`cms: decap`, cms/settings.py); None: no CMS.
    cms: CmsSettings | None = None

    @property
    def direction(self) -> str:
        """The way the language runs: "rtl" for Arabic, Hebrew, Persian, Urdu and the like, else "ltr"."""
        return text_direction(self.language)

    @property
    def has_latest_page(self) -> bool:
        """Whether "Latest news" is a page of its own (`/latest/`) that article pages load."""
        return self.latest_rail == "fragment" and self.latest_count > 0

    @property
    def default_language(self) -> str:
        """The default edition's language, the one served at the root (an edition's settings keep it here)."""
        return next((code for code, edition in self.editions.items() if edition.path == "/"), self.language)

    @property
    def home_url(self) -> str:
        """The home page of the edition these settings render: "/", or the edition's path ("/es/")."""
        edition = self.editions.get(self.language)
        return edition.path if edition else "/"

    @property
    def edition_codes(self) -> tuple[str, ...]:
        """Every edition's code, the default's first; just the site's language for a site in one language."""
        return (self.language, *(code for code in self.editions if code != self.language))

    def edition_of(self, url: str) -> str:
        """The code of the edition a site URL belongs to: the one with the longest path it starts with."""
        found = [(len(e.path), code) for code, e in self.editions.items() if url.startswith(e.path)]
        return max(found)[1] if found else self.language

    def edition_url(self, code: str, url: str) -> str:
        """A root page's URL in an edition: `/feed.xml` is `/es/feed.xml` in the edition at `/es/`."""
        edition = self.editions.get(code)
        return url if edition is None else edition.path + url.lstrip("/")

    def edition(self, code: str) -> SiteConfig:
        """The settings one edition's pages render with: its language, title, timezone and URLs (itself with none)."""
        edition = self.editions.get(code)
        if edition is None:
            return self
        return replace(
            self,
            language=code,
            title=edition.title or self.title,
            description=edition.description if edition.description is not None else self.description,
            timezone=edition.timezone or self.timezone,
            # The logo shows the default edition's name: an edition called otherwise shows its title as text.
            logo=self.logo if (edition.title or self.title) == self.title else None,
            permalinks=self.permalinks
            if edition.path == "/"
            else prefixed({**self.permalinks, **(edition.permalinks or {})}, edition.path),
        )


# Every top-level key of newsgen.yaml.
CONFIG_KEYS = (
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "per_page",
    "pagination",
    "latest_count",
    "latest_rail",
    "feed_count",
    "logo",
    "favicon",
    "credit_label",
    "permalinks",
    "cname",
    "deploy",
    "cache",
    "cache_endpoint_url",
    "markdown",
    "images",
    "keep_going",
    "article_time_limit",
    "warn",
    "front_matter",
    "labels",
    "search",
    "slugs",
    "languages",
    "cms",
)

# The keys inside a key's mapping (each label's, for `labels`); `permalinks` takes DEFAULT_PERMALINKS' keys and each
# edition of `languages` editions.EDITION_KEYS.
NESTED_CONFIG_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "logo": ("src", "width", "height"),
        "markdown": ("engine",),
        "images": ("widths", "formats", "quality"),
        "front_matter": ("aliases",),
        "labels": ("name",),
        "cms": CMS_KEYS,
    }
)

# The reserved example domains (RFC 2606): `newsgen init` and the defaults start with the first; a site copied
# from a tutorial or a theme's demo often keeps another.
EXAMPLE_HOSTS = frozenset(f"{www}example.{tld}" for www in ("", "www.") for tld in ("com", "org", "net"))


def base_url_problem(base_url: str) -> str | None:
    """What is wrong with a site address (newsgen.yaml's `base_url`, `newsgen build --base-url`), if anything."""
    if re.match(r"^https?://[^/\s]+", base_url):
        return None
    return f"must be an absolute http(s) URL such as https://news.example.org/, not {redact(base_url)!r}"


def example_base_url(source_dir: Path, config: SiteConfig) -> Problem | None:
    """A warning while `base_url` is still the example domain: canonical links, feeds and sitemaps would point there."""
    if urlsplit(config.base_url).hostname not in EXAMPLE_HOSTS:
        return None
    path = source_dir / CONFIG_FILE
    message = (
        f"is still the example address {redact(config.base_url)}: canonical links, feeds and sitemaps would point there;"
        " set the address the site is published at"
    )
    return Problem(path, key_line(path, "base_url"), "base_url", message, Severity.WARNING, "example-base-url")


def key_line(config_file: Path, key: str) -> int:
    """The line of a top-level key of `newsgen.yaml`, for a problem found after the file was read; 1 if not there."""
    try:
        lines = config_file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, text in enumerate(lines, start=1) if text.startswith(f"{key}:")), 1)


def load_config(source_dir: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read `newsgen.yaml` when present; a missing file means all defaults."""
    path = source_dir / CONFIG_FILE
    if not path.is_file():
        return SiteConfig(), []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return SiteConfig(), [Problem(path, 1, "config", f"not UTF-8 text ({exc.reason})")]
    data, lines, problems = parse_yaml(text, path, 1, "config")
    if data is None:
        return SiteConfig(), problems
    reporter = Reporter(path, lines, problems)
    config = _read_config(reporter, data, source_dir)
    return config, reporter.problems


def _read_config(r: Reporter, data: Any, source_dir: Path) -> SiteConfig:
    if not isinstance(data, dict):
        r.error(("config",), "must be a mapping of settings")
        return SiteConfig()
    r.unknown_keys(data, (), CONFIG_KEYS, as_error=True)
    defaults = SiteConfig()
    language = _read_language(r, data.get("language")) or defaults.language
    slugs = _read_choice(r, "slugs", data.get("slugs"), SLUG_STYLES)
    base_url = read_text(r, ("base_url",), data.get("base_url")) or defaults.base_url
    if problem := base_url_problem(base_url):
        r.error(("base_url",), problem)
    return SiteConfig(
        title=read_text(r, ("title",), data.get("title")) or defaults.title,
        description=read_text(r, ("description",), data.get("description")) or "",
        base_url=base_url.rstrip("/") + "/",
        language=language,
        timezone=_read_timezone(r, data.get("timezone")) or defaults.timezone,
        per_page=read_int(r, ("per_page",), data.get("per_page"), defaults.per_page, minimum=1),
        pagination=_read_choice(r, "pagination", data.get("pagination"), PAGINATION_SCHEMES),
        latest_count=read_int(r, ("latest_count",), data.get("latest_count"), defaults.latest_count, minimum=0),
        latest_rail=_read_choice(r, "latest_rail", data.get("latest_rail"), LATEST_RAILS),
        feed_count=read_int(r, ("feed_count",), data.get("feed_count"), defaults.feed_count, minimum=1),
        logo=_read_logo(r, data.get("logo"), source_dir),
        favicon=read_url(r, ("favicon",), data.get("favicon")) or defaults.favicon,
        credit_label=read_text(r, ("credit_label",), data.get("credit_label")) or "",
        permalinks=_read_permalinks(r, ("permalinks",), data.get("permalinks")),
        markdown_engine=_read_markdown(r, data.get("markdown")),
        images=_read_images(r, data.get("images")),
        cname=_read_cname(r, data.get("cname")),
        deploy=_read_destinations(r, data.get("deploy")),
        cache=_read_cache(r, data.get("cache")),
        cache_endpoint_url=_read_endpoint(r, data.get("cache_endpoint_url")),
        keep_going=read_bool(r, ("keep_going",), data.get("keep_going")),
        article_time_limit=read_int(
            r, ("article_time_limit",), data.get("article_time_limit"), defaults.article_time_limit, minimum=0
        ),
        warn=read_text_list(r, ("warn",), data.get("warn")),
        front_matter_aliases=_read_front_matter(r, data.get("front_matter")),
        labels=_read_labels(r, data.get("labels")),
        search=read_bool(r, ("search",), data.get("search")),
        slugs=slugs,
        editions=read_editions(r, data.get("languages"), language, slugs, _read_permalinks),
        cms=read_cms(r, data.get("cms")),
    )


def _read_choice(r: Reporter, key: str, value: Any, choices: tuple[str, ...]) -> str:
    """One of `choices`, the first when not given."""
    chosen = read_text(r, (key,), value) or choices[0]
    if chosen not in choices:
        r.error((key,), f"must be one of {', '.join(choices)}, not {chosen!r}")
        return choices[0]
    return chosen


def _read_language(r: Reporter, value: Any) -> str | None:
    language = read_text(r, ("language",), value)
    if language and not LANGUAGE_TAG.fullmatch(language):
        r.error(("language",), f"must be a language tag such as 'en' or 'es-MX', not {language!r}")
        return None
    return language


def _read_timezone(r: Reporter, value: Any) -> ZoneInfo | None:
    name = read_text(r, ("timezone",), value)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(("timezone",), f"unknown IANA timezone {name!r} (e.g. America/Mexico_City)")
        return None


def _read_permalinks(r: Reporter, keypath: tuple[str, ...], value: Any) -> Mapping[str, str]:
    """`permalinks` at `keypath` (the site's, or an edition's): the default patterns with those given in place."""
    given = read_mapping(r, keypath, value) or {}
    r.unknown_keys(given, keypath, DEFAULT_PERMALINKS.keys(), as_error=True)
    patterns = dict(DEFAULT_PERMALINKS)
    for kind, allowed in PERMALINK_PLACEHOLDERS.items():
        pattern = read_text(r, (*keypath, kind), given.get(kind))
        if pattern is None:
            continue
        used = set(_PLACEHOLDER.findall(pattern))
        as_file = kind == "article" and _ARTICLE_FILE_PATTERN.match(pattern)
        if not (_PATTERN_CHARS.match(pattern) or as_file) or ".." in pattern.split("/"):
            message = "must start and end with '/' (an article's may end in '{slug}.html') and use lowercase path parts"
            r.error((*keypath, kind), f"{message}: {pattern!r}")
        elif used - allowed:
            names = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
            r.error((*keypath, kind), f"unknown placeholder {{{sorted(used - allowed)[0]}}}; allowed: {names}")
        elif kind != "tags_index" and "slug" not in used:
            r.error((*keypath, kind), "must contain {slug} so that every page gets its own URL")
        else:
            patterns[kind] = pattern
    return MappingProxyType(patterns)


def _read_cname(r: Reporter, value: Any) -> str | None:
    cname = read_text(r, ("cname",), value)
    if cname and not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}", cname):
        r.error(("cname",), f"must be a domain name such as news.example.org, not {cname!r}")
        return None
    return cname


def _read_destinations(r: Reporter, value: Any) -> Mapping[str, str]:
    destinations = {}
    for name, url in (read_mapping(r, ("deploy",), value) or {}).items():
        text = read_text(r, ("deploy", name), url, required=True)
        if text and not text.startswith(("s3://", "git+")):
            r.error(
                ("deploy", name), f"must start with s3:// or git+ (git+ssh://…, git+file://…), not {redact(text)!r}"
            )
        elif text:
            destinations[str(name)] = text
    return MappingProxyType(destinations)


def _read_cache(r: Reporter, value: Any) -> str | None:
    url = read_text(r, ("cache",), value, verbatim=True)
    if url and not re.fullmatch(r"s3://[^/\s]+(/\S*)?", url):
        r.error(("cache",), f"must name an S3 bucket, as in s3://my-bucket/newsgen-cache, not {redact(url)!r}")
        return None
    return url


def _read_endpoint(r: Reporter, value: Any) -> str | None:
    url = read_text(r, ("cache_endpoint_url",), value, verbatim=True)
    if url and not re.match(r"^https?://[^/\s]+", url):
        r.error(
            ("cache_endpoint_url",),
            f"must be an http(s) URL such as https://minio.example.org:9000, not {redact(url)!r}",
        )
        return None
    return url


def _read_logo(r: Reporter, value: Any, source_dir: Path) -> Logo | None:
    """The header's logo with its size, so nothing moves as it loads: read from the file for a site path, given for a
    logo on another host (`{src: https://…, width: W, height: H}`), which a build never downloads."""
    given = value if isinstance(value, dict) else {"src": value}
    keypath: tuple[str, ...] = ("logo", "src") if isinstance(value, dict) else ("logo",)
    r.unknown_keys(given, ("logo",), NESTED_CONFIG_KEYS["logo"], as_error=True)
    src = read_url(r, keypath, given.get("src"), required=isinstance(value, dict))
    if src is None:
        return None
    if re.match(r"^https?://", src, re.IGNORECASE):
        if given.get("width") is None or given.get("height") is None:
            shape = f"{{src: {src}, width: …, height: …}}"
            if isinstance(value, dict):
                r.error(("logo",), f"{src} is on another host, where its size can't be read: write {shape} in pixels")
                return None
            message = (
                f"{src} is on another host, where its size can't be read, so the header shows the title instead;"
                f" write {shape} in pixels to show it"
            )
            r.warning(("logo",), message, "logo-size")
            return Logo(src, None, None)
        width = read_int(r, ("logo", "width"), given["width"], 0, minimum=1)
        height = read_int(r, ("logo", "height"), given["height"], 0, minimum=1)
        return Logo(src, width, height) if width and height else None
    if not src.startswith("/"):
        r.error(keypath, f"must be a path on this site (/images/logo.svg) or an https:// URL, not {src!r}")
        return None
    if "width" in given or "height" in given:
        r.error(("logo",), "the size of a logo on this site is read from its file: leave out width and height")
        return None
    path = _static_file(source_dir, src)
    if path is None:
        r.error(keypath, f"no file static{src} (a logo on another host needs its full https:// URL)", "image-missing")
        return None
    size = image_size(path)
    if isinstance(size, ImageProblem):
        r.error(keypath, size.message, size.code)
        return None
    if size is None:
        r.error(keypath, f"{path.name} declares no size: give its <svg> element width and height, or a viewBox")
        return None
    return Logo(src, *size)


def _static_file(source_dir: Path, url: str) -> Path | None:
    """The file a site path names, as the build publishes static files: the site's `static/` over the theme's assets."""
    relative = PurePosixPath(url.split("?")[0].split("#")[0].lstrip("/"))
    if ".." in relative.parts:
        return None
    site_file = source_dir.joinpath(STATIC_DIR, *relative.parts)
    if site_file.is_file() and inside(site_file, source_dir):
        return site_file
    theme_file = theme_dir().joinpath(STATIC_DIR, *relative.parts)
    return theme_file if relative.parts[:1] == (THEME_ASSETS,) and theme_file.is_file() else None


def _read_front_matter(r: Reporter, value: Any) -> Mapping[str, str]:
    """`front_matter: {aliases: {topics: tags, deck: dek}}`: each name a key newsgen does not read, each target one it does."""
    settings = read_mapping(r, ("front_matter",), value) or {}
    r.unknown_keys(settings, ("front_matter",), NESTED_CONFIG_KEYS["front_matter"], as_error=True)
    readable = {key.lower(): key for key in READ_KEYS}
    aliases: dict[str, str] = {}
    for name, target in (read_mapping(r, ("front_matter", "aliases"), settings.get("aliases")) or {}).items():
        keypath = ("front_matter", "aliases", name)
        key = read_text(r, keypath, target, required=True)
        alias = str(name).lower()
        if key is None:
            continue
        if alias in readable:
            r.error(keypath, f"'{name}' is a key newsgen reads itself; an alias gives another name to one")
        elif key.lower() not in readable:
            r.error(keypath, f"'{key}' is not a front-matter key newsgen reads{did_you_mean(key, KNOWN_KEYS)}")
        elif alias in aliases:
            r.error(keypath, f"'{name}' is given twice (front-matter keys are case-insensitive)")
        else:
            aliases[alias] = readable[key.lower()]
    return MappingProxyType(aliases)


def _read_labels(r: Reporter, value: Any) -> Mapping[str, str]:
    """`labels: {obituary: {name: Obituary}, opinion: {name: Comment}}`: the site's own labels, and new names for
    built-in ones (whose schema.org types stay theirs); `obituary: Obituary` is short for the first."""
    labels = dict(BUILT_IN_LABELS)
    for key, entry in (read_mapping(r, ("labels",), value) or {}).items():
        keypath = ("labels", key)
        if not isinstance(key, str) or not SLUG_PATTERN.match(key):
            r.error(keypath, f"{key!r}: a label's key is its page's slug: use lowercase letters, digits and hyphens")
            continue
        given = entry if isinstance(entry, dict) else {"name": entry}
        r.unknown_keys(given, keypath, NESTED_CONFIG_KEYS["labels"], as_error=True)
        name = read_text(
            r, (*keypath, "name") if isinstance(entry, dict) else keypath, given.get("name"), required=True
        )
        if name:
            labels[key] = name
    return MappingProxyType(labels)


def _read_images(r: Reporter, value: Any) -> ImageSettings:
    """`images: false`, or `images: {widths: [...], formats: [avif, webp], quality: 75}`."""
    defaults = ImageSettings()
    if value is False:
        return ImageSettings(enabled=False)
    settings = read_mapping(r, ("images",), value) or {}
    r.unknown_keys(settings, ("images",), NESTED_CONFIG_KEYS["images"], as_error=True)
    widths = settings.get("widths", list(defaults.widths))
    if not (isinstance(widths, list) and widths and all(_is_width(width) for width in widths)):
        r.error(("images", "widths"), "must be a list of widths in pixels, such as [320, 640, 960, 1280]")
        widths = list(defaults.widths)
    formats = read_text_list(r, ("images", "formats"), settings.get("formats", list(defaults.formats)))
    for unknown in sorted(set(formats) - set(MODERN_FORMATS)):
        r.error(("images", "formats"), f"{unknown!r} is not one of {', '.join(MODERN_FORMATS)}")
    quality = read_int(r, ("images", "quality"), settings.get("quality"), defaults.quality, minimum=1)
    if quality > 100:
        r.error(("images", "quality"), "must be from 1 to 100")
        quality = defaults.quality
    chosen = tuple(name for name in MODERN_FORMATS if name in formats)  # best first, whatever the order written
    return ImageSettings(True, tuple(sorted(set(widths))), chosen, quality)


def _is_width(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 16 <= value <= 8192


def _read_markdown(r: Reporter, value: Any) -> str:
    settings = read_mapping(r, ("markdown",), value) or {}
    r.unknown_keys(settings, ("markdown",), NESTED_CONFIG_KEYS["markdown"], as_error=True)
    engine = read_text(r, ("markdown", "engine"), settings.get("engine")) or "python-markdown"
    if engine not in ENGINES:
        r.error(("markdown", "engine"), f"must be one of {', '.join(ENGINES)}, not {engine!r}")
        return "python-markdown"
    if engine == "cmark" and importlib.util.find_spec("cmarkgfm") is None:
        r.error(("markdown", "engine"), "cmark needs the cmarkgfm package: pip install 'newsgen[cmark]'")
        return "python-markdown"
    return engine
