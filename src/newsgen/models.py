"""The validated, immutable data newsgen renders. No I/O, no settings inside."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Term:
    """A section, tag, series or author as an article names it."""

    name: str
    slug: str
    url: str
    profile: Profile | None = None  # an author the site's authors file describes


@dataclass(frozen=True)
class Profile:
    """A person from the site's authors file: the name bylines show, and what their author page says of them."""

    key: str  # as front matter names them
    name: str
    bio: str | None
    role: str | None
    photo: Figure | None
    links: tuple[RelatedLink, ...]  # email, website, social profiles


@dataclass(frozen=True)
class Figure:
    """The lead image: `url` is what pages link to, `src` what the editor wrote."""

    src: str
    url: str
    alt: str
    caption: str | None
    credit: str | None
    width: int | None
    height: int | None


@dataclass(frozen=True)
class Source:
    name: str
    url: str | None


@dataclass(frozen=True)
class RelatedLink:
    title: str
    url: str


@dataclass(frozen=True)
class Comment:
    """A reader comment: plain text split into paragraphs, never HTML."""

    author: str
    date: datetime
    paragraphs: tuple[str, ...]
    replies: tuple[Comment, ...]

    @property
    def thread_size(self) -> int:
        return 1 + sum(reply.thread_size for reply in self.replies)


@dataclass(frozen=True)
class Correction:
    """A published correction: the newsroom says what was wrong, and when."""

    date: datetime
    text: str


@dataclass(frozen=True)
class InternalLink:
    """A link from an article to a page of this site, checked once every URL is known."""

    url: str
    line: int
    field: str


@dataclass(frozen=True)
class Asset:
    """A file that lives beside an article and is published beside its page."""

    source: Path
    url: str


@dataclass(frozen=True)
class Article:
    source: Path
    url_line: int  # line of the field that decides the URL, for collision reports
    headline: str
    dek: str | None
    date: datetime
    updated: datetime | None
    authors: tuple[Term, ...]
    section: Term | None
    tags: tuple[Term, ...]
    series: Term | None
    slug: str
    url: str
    draft: bool
    image: Figure | None
    sources: tuple[Source, ...]
    related: tuple[RelatedLink, ...]
    comments: tuple[Comment, ...]
    comments_closed: bool
    body: bytes  # the sanitised body HTML in UTF-8: as a str, typographic quotes make it two bytes a character
    assets: tuple[Asset, ...]
    corrections: tuple[Correction, ...] = ()  # oldest first
    expires: datetime | None = None
    internal_links: tuple[InternalLink, ...] = ()
    share_image: str | None = None  # an image for social cards only, from `image: path` (Jekyll, Hugo)
    redirect_from: tuple[str, ...] = ()  # old site paths of the article (Jekyll redirect_from, Hugo aliases)
    # Articles the body links to by their file (Hugo ref, Jekyll post_url); site/refs.py puts in their URLs.
    refs: tuple[str, ...] = ()
    # A digest of every field above: pages that show the article are keyed by it, so any change re-renders them.
    fingerprint: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", hashlib.sha256(repr(self).encode()).hexdigest()[:32])

    @property
    def social_image(self) -> str | None:
        """The image for og:image, feeds and structured data."""
        return self.image.url if self.image else self.share_image

    @property
    def comment_count(self) -> int:
        return sum(comment.thread_size for comment in self.comments)

    @property
    def body_html(self) -> str:
        return self.body.decode("utf-8")

    @cached_property
    def tag_slugs(self) -> frozenset[str]:
        return frozenset(tag.slug for tag in self.tags)

    @cached_property
    def modified(self) -> datetime:
        """When the article last changed for readers: the latest of date, updated and corrections."""
        return max([self.date, *([self.updated] if self.updated else []), *(c.date for c in self.corrections)])


@dataclass(frozen=True)
class Collection:
    """All published articles of one section, tag, series or author, newest first."""

    kind: str  # "section", "tag", "series" or "author"
    term: Term
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class ListPage:
    """One page of a paginated recap list (the schemes are described in `site/pagination.py`)."""

    kind: str  # "home", "section", "tag", "series" or "author"
    title: str
    url: str
    term: Term | None  # the section, tag, series or author; None for the home page
    articles: tuple[Article, ...]
    number: int  # the number in its URL (`/page/<number>/`); 1 for the list's own URL
    count: int | None  # how many pages the list has, where pages are counted from the newest; None for stable lists
    previous_url: str | None  # the page of newer stories
    next_url: str | None  # the page of older stories
    first: bool = True  # the list's own URL, showing its newest stories


@dataclass(frozen=True)
class TagCount:
    """A tag and how many published articles carry it, for the tags index."""

    term: Term
    count: int


@dataclass(frozen=True)
class SeriesNav:
    series: Term
    previous: Article | None
    next: Article | None
    position: int
    total: int


@dataclass(frozen=True)
class StaticFile:
    """A theme or site static file, copied to `url` unchanged."""

    source: Path
    url: str


@dataclass(frozen=True)
class ScheduledChange:
    """A moment when the site's output will change by itself, and why."""

    moment: datetime
    reason: str  # "embargo lifts" or "article expires"


@dataclass(frozen=True)
class Site:
    """Everything the render stage needs, decided and checked."""

    articles: tuple[Article, ...]  # published, newest first
    sections: tuple[Collection, ...]
    tags: tuple[Collection, ...]
    series: tuple[Collection, ...]
    authors: tuple[Collection, ...]
    list_pages: tuple[ListPage, ...]
    series_nav: dict[str, SeriesNav]  # by article URL
    static_files: tuple[StaticFile, ...]
    corrections: tuple[tuple[Article, Correction], ...] = ()  # newest first
    next_change: ScheduledChange | None = None  # the next embargo lifting or expiry, for the schedule file
    valid_until: datetime | None = None  # when the output first changes by the clock alone (site/clock.py)

    def collections(self) -> tuple[Collection, ...]:
        """Every section, tag, series and author, in that order (the order of their pages and feeds)."""
        return (*self.sections, *self.tags, *self.series, *self.authors)


@dataclass(frozen=True)
class Caption:
    """Caption and credit for a body image, from front matter `captions`."""

    caption: str | None
    credit: str | None


# What an article shows only of itself: pages that show these name the article (see quick.py).
# `url_line` appears only in reports of URL collisions, which fail a build (and a failed build leaves no index).
_SHOWN_ONLY = frozenset(
    {
        "headline",
        "dek",
        "body",
        "comments",
        "comments_closed",
        "image",
        "sources",
        "share_image",
        "fingerprint",
        "url_line",
    }
)


def structure_digest(article: Article) -> bytes:
    """A digest of everything about an article that decides where it appears and what other pages say of it.

    Everything but what it shows only of itself; of its related links only
    whether there are any (they replace "More on this"); of its links to this
    site, where they point, not on which line (a quick build takes the whole
    way for a file with site-level warnings, whose lines could move). A field
    added to Article counts here until it is named above.
    """

    def shape(name: str) -> object:
        if name == "related":
            return bool(article.related)
        if name == "internal_links":
            return [(link.url, link.field) for link in article.internal_links]
        return getattr(article, name)

    parts = [(f.name, shape(f.name)) for f in fields(Article) if f.name not in _SHOWN_ONLY]
    return hashlib.sha256(repr(parts).encode()).digest()


def article_id(article: Article) -> str:
    """How specs and the site index name an article: its source file."""
    return str(article.source)
