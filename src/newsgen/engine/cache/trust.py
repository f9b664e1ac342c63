"""Whether an entry from the shared store may stand for an article here: it is checked as fresh input would be.

Anyone who can write to the store can put anything in an entry. The codec
(`codec.py`) builds only newsgen's own types; this module checks what types
can't say. The entry is its file's own (`Article.source`); its dates are
ones pages can show; its URLs name files inside the output folder, and its
links only allowed schemes; the files it names are those its image srcs name
here, inside the article's folder or `static/`, without hidden parts; its
body HTML is what the sanitiser leaves. An entry in doubt raises `Untrusted`
with the reason, and the article is read afresh from its file.

`check_srcs` runs before any image is fingerprinted (which reads it);
`check_files` after the fingerprints match, as it measures them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields, is_dataclass, replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from newsgen.body.images import ImageLocator
from newsgen.body.markup import ResolvedImage
from newsgen.body.renditions import SOCIAL_RATIOS, SOCIAL_WIDTH
from newsgen.body.sanitise import sanitise
from newsgen.engine.cache.local import CachedArticle
from newsgen.engine.cache.remote import Untrusted
from newsgen.linkpolicy import url_problem
from newsgen.models import Article, Claim, Crop, Figure, RelatedLink, Renditions, Source, Sponsor, Term
from newsgen.read.files import STATIC_DIR, is_ignored_name
from newsgen.read.moments import EARLIEST_YEAR, LATEST_YEAR
from newsgen.urls import output_path

_EXTERNAL = re.compile(r"^https?://", re.IGNORECASE)  # as body/images.py tells them apart
_RATIOS = {f"{across}x{down}" for across, down in SOCIAL_RATIOS}
_LEAVES = (str, bytes, int, Path, type(None))  # nothing inside to check


def confined(path: Path, folders: tuple[Path, ...]) -> bool:
    """Whether newsgen may read `path` on a page's behalf: inside one of `folders` once links are followed, no part
    of it hidden there, and a regular file or none at all (not `/dev/zero`, not a FIFO)."""
    try:
        real = path.resolve()
        if real.exists() and not real.is_file():
            return False
    except (OSError, ValueError, RuntimeError):  # a NUL in the name, a loop of links
        return False
    return any(
        real.is_relative_to(base) and not any(is_ignored_name(part) for part in real.relative_to(base).parts)
        for base in (folder.resolve() for folder in folders)
    )


def check_entry(path: Path, entry: CachedArticle) -> None:
    """What an entry says without a file: its article's file, dates, URLs and body HTML."""
    if any(problem.path != path for problem in entry.problems):
        raise Untrusted("it reports problems of another file")
    article = entry.article
    if article is None:
        return
    if article.source != path:
        raise Untrusted(f"it is the entry of {article.source.name}, not of this file")
    values = list(_values(article))
    for value in values:
        if isinstance(value, datetime) and (value.tzinfo is None or not EARLIEST_YEAR <= value.year <= LATEST_YEAR):
            raise Untrusted(f"a date outside the years newsgen can show: {value!r}")
    for url in _file_urls(article, values):
        try:
            output_path(url)
        except ValueError as exc:
            raise Untrusted(str(exc)) from exc
    for url in _link_urls(article, values):
        problem = url_problem(url)
        if problem:
            raise Untrusted(problem)
    for html in (article.body, article.gated):
        if html is not None and _unsanitised(html):
            raise Untrusted("its body holds HTML the sanitiser removes")


def check_srcs(path: Path, entry: CachedArticle, site: Path) -> None:
    """The images the entry looked at, before any is read: a file beside the article must be in its folder (or a
    link into `static/`).

    A site path (`/images/x.jpg`) names one of this machine's static files, and `https://` none. On a site with
    editions, a file the article's folder lacks is taken from another edition's same folder, as fresh input takes it.
    """
    folders = (path.parent, site / STATIC_DIR)
    for src, _ in entry.images:
        if src.startswith("/") or _EXTERNAL.match(src) or url_problem(src):
            continue
        parts = PurePosixPath(src).parts
        if (
            not parts
            or any(is_ignored_name(part) for part in parts)
            or not confined(path.parent.joinpath(*parts), folders)
        ):
            raise Untrusted(f"image {src!r} is not a file in the article's folder")


def check_files(path: Path, entry: CachedArticle, images: ImageLocator) -> None:
    """The files the article publishes and resizes are those its srcs name here, with the same copies."""
    article = entry.article
    if article is None:
        return
    resolved = [images.resolve(src, path, article.url) for src, _ in entry.images]
    assets = {asset for _, asset in resolved if asset is not None}
    if not set(article.assets) <= assets:
        raise Untrusted("it publishes a file none of its images names")
    copies = {found.renditions for found, _ in resolved if isinstance(found, ResolvedImage) and found.renditions}
    lead = article.image.renditions if article.image is not None else None
    for renditions in (*article.body_renditions, *([lead] if lead else [])):
        if replace(renditions, crops=()) not in copies or not all(_fits(crop, renditions) for crop in renditions.crops):
            raise Untrusted(f"it resizes {renditions.source.name} other than its images say")
    if any(value.renditions is not None for value in _values(article.authors) if isinstance(value, Figure)):
        raise Untrusted("an author's photo has resized copies")


def _values(root: object) -> Iterator[object]:
    """`root` and every dataclass and datetime inside it, tuples opened; without recursion, as comments nest."""
    stack = [root]
    while stack:
        value = stack.pop()
        if isinstance(value, tuple):
            stack.extend(item for item in value if not isinstance(item, _LEAVES))
            continue
        yield value
        if is_dataclass(value):
            inner = (getattr(value, field.name) for field in fields(value))
            stack.extend(item for item in inner if not isinstance(item, _LEAVES))


def _file_urls(article: Article, values: list[object]) -> Iterator[str]:
    """The URLs that name files in the output folder: the article's, its old paths', its terms' and its assets'."""
    yield article.url
    yield from article.redirect_from
    yield from (asset.url for asset in article.assets)
    yield from (value.url for value in values if isinstance(value, Term))


def _link_urls(article: Article, values: list[object]) -> Iterator[str]:
    """The URLs pages link to, which fresh input checks with `linkpolicy.url_problem`."""
    yield from (url for url in (article.canonical, article.share_image) if url is not None)
    for value in values:
        if isinstance(value, (Source, RelatedLink, Sponsor, Claim, Figure)) and value.url is not None:
            yield value.url


def _unsanitised(html: bytes) -> bool:
    """Whether the sanitiser would change this body (or it is not UTF-8): an honest one is as it left it."""
    try:
        text = html.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return sanitise(text, stored=True) != text


def _fits(crop: Crop, renditions: Renditions) -> bool:
    """A crop `with_crops` could have made of this image, whatever its focus."""
    left, top, right, bottom = crop.box
    inside = 0 <= left < right <= renditions.width and 0 <= top < bottom <= renditions.height
    if crop.ratio not in _RATIOS or not inside:
        return False
    width = min(right - left, SOCIAL_WIDTH)
    return (crop.width, crop.height) == (width, max(1, round(width * (bottom - top) / (right - left))))
