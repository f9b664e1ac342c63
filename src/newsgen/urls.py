"""Site URLs from permalink patterns, and where each URL lives in the output folder.

Every URL newsgen publishes is built here from slugs (`make_slug`): python-slugify's
a-z, 0-9 and '-', or with `slugs: unicode` the letters and digits of any script.
Neither can hold a separator or a dot segment, so no URL can climb out of the output folder.

One representation on the wire: the URLs newsgen keeps and writes (hrefs, feeds,
sitemaps, JSON-LD, redirects) are percent-encoded UTF-8, ASCII only (RFC 3986);
the file a URL names (`output_path`), and the S3 key it is uploaded to, is the
decoded path in NFC. An ASCII slug encodes to itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import quote, unquote

from slugify import slugify

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOT_FOUND_URL = "/404.html"
CORRECTIONS_URL = "/corrections/"
LATEST_URL = "/latest/"  # the "Latest news" rail article pages load (`latest_rail: fragment`)
SEARCH_URL = "/search/"  # the search page (`search: true`)
JSON_FEED_URL = "/feed.json"
SITEMAP_URL = "/sitemap.xml"
NEWS_SITEMAP_URL = "/news-sitemap.xml"
ROBOTS_URL = "/robots.txt"
ALERTS_URL = "/alerts.json"  # the live breaking-news alerts every page's script shows (`alerts.yaml`)
CMS_ADMIN_URL = "/admin/"  # the CMS's page (`cms:`), and beside it its config
CMS_CONFIG_URL = "/admin/config.yml"
SCHEDULE_URL = "/.newsgen-schedule.json"  # when the output next changes by itself (embargo, expiry)
SITEMAP_LIMIT = 50_000  # URLs per sitemap file, Google's limit
# Bytes in one file or folder name: the limit of ext4, XFS, Btrfs and APFS (NTFS counts 255 UTF-16 units).
# A slug that long (a headline-length file name in Chinese spells out to more) fails the build writing it.
NAME_MAX = 255


SLUG_STYLES = ("transliterate", "unicode")  # the site's `slugs:` setting, default first
# Characters a URL path keeps as they are besides letters, digits and `-._~` (RFC 3986 sub-delims, `:`, `@`, `/`).
_PATH_SAFE = "/!$&'()*+,;=:@"
_NOT_A_NAME = ("", ".", "..")


def make_slug(text: str, style: str = "transliterate") -> str:
    """'Ciudad de México' -> 'ciudad-de-mexico'; with style "unicode", 'ciudad-de-méxico' and 'ليلى حسن' -> 'ليلى-حسن'."""
    return unicode_slug(text) if style == "unicode" else slugify(text)


def unicode_slug(text: str) -> str:
    """The letters, digits and their combining marks of any script, in NFC, case-folded; every other run is one '-'.

    A mark is kept only after a kept letter or digit (a Devanagari vowel sign, an
    Arabic harakah); anything else (spaces, punctuation, `/`, `\\`, `.`, `%`, control,
    zero-width and bidi characters) separates words, so the slug can't hold a
    separator or a dot segment. Case-folding may decompose ('İ'), hence NFC again.
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    kept: list[str] = []
    for char in folded:
        kind = unicodedata.category(char)[0]
        if kind in "LN" or (kind == "M" and kept and kept[-1] != "-"):
            kept.append(char)
        elif kept and kept[-1] != "-":
            kept.append("-")
    return "".join(kept).strip("-")


def is_slug(text: str, style: str = "transliterate") -> bool:
    """Whether `text` is already a slug of the style, as `make_slug` would give it."""
    return bool(SLUG_PATTERN.match(text)) if style == "transliterate" else bool(text) and unicode_slug(text) == text


def url_path(path: str) -> str:
    """A decoded path (a slug, a file name) as URLs write it: `/autores/ليلى/` -> `/autores/%D9%84%D9%8A%D9%84%D9%89/`.

    In NFC, the form the file is written in; ASCII letters, digits, `-._~/` and
    sub-delimiters are left as they are, so a transliterated URL is unchanged.
    """
    return quote(path if path.isascii() else unicodedata.normalize("NFC", path), safe=_PATH_SAFE)


def decoded_path(url: str) -> str:
    """`/autores/%D9%84%D9%8A%D9%84%D9%89/` -> `/autores/ليلى/`, in NFC: the form a site path is compared in."""
    return "/".join(_decoded(part) for part in url.split("/"))


def article_url(patterns: Mapping[str, str], date: datetime, slug: str, section_slug: str | None) -> str:
    """The article's URL; the date parts are the date as the editor wrote it."""
    return patterns["article"].format(
        yyyy=f"{date.year:04d}",
        mm=f"{date.month:02d}",
        dd=f"{date.day:02d}",
        slug=url_path(slug),
        section=url_path(section_slug or "news"),
    )


def term_url(patterns: Mapping[str, str], kind: str, slug: str) -> str:
    return patterns[kind].format(slug=url_path(slug))


def oversized_name(url: str) -> str | None:
    """The first part of `url` too long to be a file or folder name (over NAME_MAX bytes in UTF-8, as it is written
    on disk, decoded), or None."""
    names = (_decoded(part) for part in url.split("/"))
    return next((name for name in names if len(name.encode("utf-8")) > NAME_MAX), None)


def page_url(first_page_url: str, number: int) -> str:
    """Page 1 is the list's own URL; later pages are `<url>page/<n>/`."""
    return first_page_url if number == 1 else f"{first_page_url}page/{number}/"


def feed_url(list_url: str) -> str:
    """The RSS feed beside a list page: `/politics/` -> `/politics/feed.xml`."""
    return f"{list_url}feed.xml"


def sitemap_part_urls(url_count: int) -> list[str]:
    """The sitemap files a site of `url_count` URLs needs besides `/sitemap.xml` (none up to the limit)."""
    if url_count <= SITEMAP_LIMIT:
        return []
    return [f"/sitemap-{number}.xml" for number in range(1, -(-url_count // SITEMAP_LIMIT) + 1)]


def old_url_page(url: str) -> str:
    """The page an old URL is served from: `/old/story` -> `/old/story/`; `/2022/x.html` stays; no query or fragment."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    last = path.rsplit("/", 1)[-1]
    return path if path.endswith("/") or "." in last else path + "/"


def absolute_url(base_url: str, url: str) -> str:
    """`/x/` -> `https://news.example.org/x/`; http(s) URLs stay as they are."""
    if url.startswith(("http://", "https://")):
        return url
    return base_url.rstrip("/") + "/" + url.lstrip("/")


def output_path(url: str) -> str:
    """`/2025/01/16/x/` -> `2025/01/16/x/index.html`; `/404.html` -> `404.html` (a relative POSIX path).

    Each part is percent-decoded to NFC, the name the file has on disk; a part
    that decodes to a dot segment or holds a separator or NUL (`%2e%2e`, `%2f`, `%00`) is refused.
    Plain string work: a large site asks this for every page of every build.
    """
    relative = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
    parts = relative.split("/")
    if "%" in relative or not relative.isascii():
        parts = [_decoded(part) for part in parts]
        relative = "/".join(parts)
    if not url.startswith("/") or any(part in _NOT_A_NAME or _has_separator(part) for part in parts):
        raise ValueError(f"URL {url!r} does not name a file inside the output folder")
    return relative


def _decoded(part: str) -> str:
    """One path part percent-decoded (UTF-8) to NFC; one that is not UTF-8 is returned as written, which
    names no file of ours."""
    if "%" in part:
        try:
            part = unquote(part, errors="strict")
        except UnicodeDecodeError:
            return part
    return part if part.isascii() else unicodedata.normalize("NFC", part)


def _has_separator(part: str) -> bool:
    return "/" in part or "\x00" in part
