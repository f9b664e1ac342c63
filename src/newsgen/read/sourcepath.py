"""What an article's path says when its front matter does not: its date and its slug.

Jekyll names posts `_posts/2015-1-12-slug.md` (month and day padded or
not), Hugo keeps a story with its photos as a bundle `slug/index.md`, and
archives file stories in dated folders (`2020/03/12/slug/index.md`,
`2020/03/12-slug.md`) or name the date in a `path`/`url` key
(`path = "2020/03/12/slug"`). A multilingual Hugo site names a translation
`post.es.md` (or `index.es.md` in a bundle): the language before the
extension, which is no part of the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from newsgen.languages import language_key

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-", re.ASCII)
_DAY_PREFIX = re.compile(r"^(\d{1,2})-", re.ASCII)
_DATED_URL = re.compile(r"(?:^|/)(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)", re.ASCII)
_DATE_PARTS = re.compile(r"\d{4}/\d{1,2}/\d{1,2}", re.ASCII)
BUNDLE_INDEX = "index"


def language_suffix(path: Path, codes: Iterable[str]) -> str | None:
    """The language of `post.es.md` when `es` is one of `codes` (the site's editions, in any case), else None."""
    stem, dot, written = path.stem.rpartition(".")
    if not dot or not stem:
        return None
    return next((code for code in codes if language_key(code) == language_key(written)), None)


def without_language_suffix(path: Path, codes: Iterable[str]) -> Path:
    """`post.es.md` as `post.md`: the name its slug, date and translations are read from."""
    if language_suffix(path, codes) is None:
        return path
    return path.with_name(path.stem.rpartition(".")[0] + path.suffix)


def article_name(path: Path) -> str:
    """The name that stands for the article: the file's, or the folder's for a bundle's `index.md`."""
    return path.parent.name if path.stem.lower() == BUNDLE_INDEX else path.stem


def name_without_date(path: Path) -> str:
    """The article's name without a leading `YYYY-M-D-`: what its slug is made from."""
    return _DATE_PREFIX.sub("", article_name(path))


def date_from_name(path: Path) -> str | None:
    """`YYYY-MM-DD` from a name such as `2015-1-12-slug.md` or `2015-01-12-slug/index.md`."""
    match = _DATE_PREFIX.match(article_name(path))
    return _iso(*match.groups()) if match else None


def date_from_url(url: str) -> str | None:
    """`YYYY-MM-DD` from a URL or path with `/YYYY/MM/DD/` in it, such as Hugo's `url` or Zola's `path` key."""
    match = _DATED_URL.search(url)
    return _iso(*match.groups()) if match else None


def date_from_folders(path: Path) -> tuple[str, str | None] | None:
    """`YYYY-MM-DD` from the folders just above the article, and the slug when the day starts its name.

    `2020/03/12/slug.md` and `2020/03/12/slug/index.md` give the date;
    `2020/03/12-slug.md` gives the date and the name without its day. Only
    the folders next to the article count, so a site kept in a folder whose
    path has digits in it never dates its stories.
    """
    name = article_name(path)
    folders = (path.parent.parent if path.stem.lower() == BUNDLE_INDEX else path.parent).parts
    if len(folders) >= 3 and (found := _iso(folders[-3], folders[-2], folders[-1])):
        return found, None
    day = _DAY_PREFIX.match(name)
    if len(folders) >= 2 and day and (found := _iso(folders[-2], folders[-1], day.group(1))):
        return found, name[day.end() :]
    return None


def _iso(year: str, month: str, day: str) -> str | None:
    """`YYYY-MM-DD` when the three parts are numbers that make a real date, else None."""
    if not _DATE_PARTS.fullmatch(f"{year}/{month}/{day}"):
        return None
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
