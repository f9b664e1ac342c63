"""Site URLs from permalink patterns, and where each URL lives in the output folder.

Every URL newsgen publishes is built here from slugs that python-slugify made
(only a-z, 0-9 and '-'), so no URL can climb out of the output folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

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
SCHEDULE_URL = "/.newsgen-schedule.json"  # when the output next changes by itself (embargo, expiry)
SITEMAP_LIMIT = 50_000  # URLs per sitemap file, Google's limit
# Bytes in one file or folder name: the limit of ext4, XFS, Btrfs and APFS (NTFS counts 255 UTF-16 units).
# A slug that long (a headline-length file name in Chinese spells out to more) fails the build writing it.
NAME_MAX = 255


def make_slug(text: str) -> str:
    """'Ciudad de México' -> 'ciudad-de-mexico'."""
    return slugify(text)


def article_url(patterns: Mapping[str, str], date: datetime, slug: str, section_slug: str | None) -> str:
    """The article's URL; the date parts are the date as the editor wrote it."""
    return patterns["article"].format(
        yyyy=f"{date.year:04d}", mm=f"{date.month:02d}", dd=f"{date.day:02d}", slug=slug, section=section_slug or "news"
    )


def term_url(patterns: Mapping[str, str], kind: str, slug: str) -> str:
    return patterns[kind].format(slug=slug)


def oversized_name(url: str) -> str | None:
    """The first part of `url` too long to be a file or folder name (over NAME_MAX bytes), or None."""
    return next((part for part in url.split("/") if len(part.encode("utf-8")) > NAME_MAX), None)


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

    Plain string work: a large site asks this for every page of every build.
    """
    relative = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
    if not url.startswith("/") or any(part in ("", ".", "..") for part in relative.split("/")):
        raise ValueError(f"URL {url!r} does not name a file inside the output folder")
    return relative
