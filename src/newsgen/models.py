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


SPONSORED = "sponsored"  # the label of paid content: out of the news sitemap, JSON-LD AdvertiserContentArticle
RENDITIONS_URL = "/img/"  # where resized copies are published: one folder per source image and settings

_MEDIA_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
_EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "avif": "avif"}


@dataclass(frozen=True)
class Crop:
    """A social and structured-data crop of an image: `ratio` as "16x9", its box in source pixels."""

    ratio: str
    box: tuple[int, int, int, int]  # left, top, right, bottom
    width: int  # of the file, at most the box's width (never upscaled)
    height: int


@dataclass(frozen=True)
class Renditions:
    """Resized copies of one local image, which `engine/imaging.py` makes: what `srcset` and social cards list.

    `key` covers the source's bytes and the settings, so a file's URL names
    its content: deploy marks them immutable, and a changed photo gets new URLs.
    """

    source: Path
    key: str
    width: int  # of the source
    height: int
    widths: tuple[int, ...]  # ascending, none wider than the source
    fallback: str  # the format every browser shows: "jpeg" or "png" (kept for transparency)
    formats: tuple[str, ...]  # smaller formats offered first, best first ("avif", "webp")
    quality: int  # the encoders' quality, 1-100 (as JPEG's)
    crops: tuple[Crop, ...] = ()  # for the lead image only

    def url(self, width: int, image_format: str) -> str:
        return f"{RENDITIONS_URL}{self.key}/{width}.{_EXTENSIONS[image_format]}"

    def crop_url(self, crop: Crop) -> str:
        left, top = crop.box[:2]
        return f"{RENDITIONS_URL}{self.key}/{crop.ratio}-{left}-{top}-{crop.width}.{_EXTENSIONS[self.fallback]}"

    def srcset(self, image_format: str) -> str:
        return self._srcsets[image_format]

    @cached_property  # every recap of the article asks again
    def _srcsets(self) -> dict[str, str]:
        return {
            name: ", ".join(f"{self.url(width, name)} {width}w" for width in self.widths)
            for name in (self.fallback, *self.formats)
        }

    @cached_property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """(media type, srcset) of each smaller format, for `<source>` elements."""
        return tuple((_MEDIA_TYPES[name], self.srcset(name)) for name in self.formats)

    def files(self) -> tuple[tuple[str, int, str], ...]:
        """Every file to make: (URL, width, format) of the resized copies."""
        return tuple(
            (self.url(width, name), width, name) for name in (self.fallback, *self.formats) for width in self.widths
        )


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
    renditions: Renditions | None = None  # resized copies, for a local raster image

    @cached_property
    def social_crops(self) -> tuple[tuple[str, Crop], ...]:
        """(URL, crop) of the 16:9, 4:3 and 1:1 crops, largest first; none for an image without renditions."""
        if self.renditions is None:
            return ()
        return tuple((self.renditions.crop_url(crop), crop) for crop in self.renditions.crops)


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
class Sponsor:
    """Who paid for a sponsored article: named beside its headline and in its structured data."""

    name: str
    url: str | None


@dataclass(frozen=True)
class Claim:
    """The claim a fact-check rates, for its ClaimReview: what was said, the verdict, and who said it where."""

    text: str
    rating: str  # the verdict as readers read it: "False", "Misleading", "True"
    by: str | None  # who made the claim
    date: datetime | None  # when it was made
    url: str | None  # where it appeared


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
class Translation:
    """What an article says of its versions in other editions: a key they all share, and/or their files."""

    key: str | None  # `translation_key:`
    files: tuple[tuple[str, str], ...]  # `translations: {es: path}`: (edition code, path below content/)
    line: int  # of the key, for problems found once every article is known


Versions = tuple[tuple[str, str], ...]  # a page's versions in every edition: (language code, URL), itself included


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
    body_renditions: tuple[Renditions, ...] = ()  # of the body's local images, which its srcset attributes list
    language: str | None = None  # the story's own language tag, when it is not the site's
    label: Term | None = None  # what kind of piece it is ("Opinion"), with its list page (/labels/opinion/)
    sponsor: Sponsor | None = None  # for label "sponsored"
    claim: Claim | None = None  # for label "fact-check"
    # `access: subscribers`: the rest of the body after `body`, its free lead; None when all of it is free to read.
    gated: bytes | None = None
    canonical: str | None = None  # the original's absolute URL, for a syndicated copy
    translation: Translation | None = None  # its versions in other editions (site/translations.py finds them)
    date_line: int = 1  # the line of `date`, which `newsgen check` names when the date looks like no embargo meant
    date_is_day: bool = False  # `date` gives a day with no time of day: an embargo that lifts at midnight
    # A digest of every field above: pages that show the article are keyed by it, so any change re-renders them.
    fingerprint: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", hashlib.sha256(repr(self).encode()).hexdigest()[:32])

    @property
    def social_image(self) -> str | None:
        """The image for og:image and feeds: the 16:9 crop where there is one."""
        if self.image and self.image.social_crops:
            return self.image.social_crops[0][0]
        return self.image.url if self.image else self.share_image

    @property
    def renditions(self) -> tuple[Renditions, ...]:
        """Every set of resized copies the article's pages show: its lead image's and its body images'."""
        lead = (self.image.renditions,) if self.image and self.image.renditions else ()
        return lead + self.body_renditions

    @property
    def comment_count(self) -> int:
        return sum(comment.thread_size for comment in self.comments)

    @property
    def body_html(self) -> str:
        """The body, or the free lead of a paywalled one (what feeds may carry)."""
        return self.body.decode("utf-8")

    @property
    def gated_html(self) -> str | None:
        """The subscribers-only rest of a paywalled body."""
        return self.gated.decode("utf-8") if self.gated is not None else None

    @property
    def sponsored(self) -> bool:
        return self.label is not None and self.label.slug == SPONSORED

    @property
    def in_sitemap(self) -> bool:
        """A syndicated copy is not: a sitemap names the URLs a site wants indexed as the canonical ones."""
        return self.canonical is None

    @property
    def in_news_sitemap(self) -> bool:
        """Google News takes neither advertising nor copies of stories published elsewhere."""
        return self.in_sitemap and not self.sponsored

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

    kind: str  # "section", "tag", "series", "author" or "label"
    term: Term
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class ListPage:
    """One page of a paginated recap list (the schemes are described in `site/pagination.py`)."""

    kind: str  # "home", "section", "tag", "series", "author" or "label"
    title: str
    url: str
    term: Term | None  # the section, tag, series or author; None for the home page
    articles: tuple[Article, ...]
    number: int  # the number in its URL (`/page/<number>/`); 1 for the list's own URL
    count: int | None  # how many pages the list has, where pages are counted from the newest; None for stable lists
    previous_url: str | None  # the page of newer stories
    next_url: str | None  # the page of older stories
    first: bool = True  # the list's own URL, showing its newest stories
    pinned: int = 0  # how many of its first stories editors placed there (`fronts.yaml`), the lead first
    lead: bool = False  # whether the first of those is the front's lead
    # For the sitemap, when editors arranged the page: its newest story's date as if they hadn't. Pins change often
    # and the sitemap lists every page; a pin changes the page, not when its news last changed.
    unpinned_modified: datetime | None = None


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


MENUS = ("header", "footer")  # where a standalone page may be linked from every page


@dataclass(frozen=True)
class StandalonePage:
    """A page outside the news (`pages/about.md`): in the sitemap and the menus, never in lists, feeds or news."""

    source: Path
    url: str
    url_line: int  # line of the field that decides the URL, for collision reports
    title: str
    description: str | None
    menu: str | None  # one of MENUS, or None: linked from no menu
    menu_order: int
    updated: datetime | None
    body: bytes  # the sanitised body HTML in UTF-8, as an article's
    assets: tuple[Asset, ...] = ()  # images beside the page, published beside it
    body_renditions: tuple[Renditions, ...] = ()

    @property
    def body_html(self) -> str:
        return self.body.decode("utf-8")


@dataclass(frozen=True)
class MenuEntry:
    """A link in the header or footer menu of every page, to a standalone page."""

    menu: str  # one of MENUS
    order: int
    title: str
    url: str


ALERT_LEVELS = ("breaking", "developing", "info")  # most urgent first: the banner shows the most urgent alert first


@dataclass(frozen=True)
class Pin:
    """A story an editor placed on a front (`fronts.yaml`), for a while when `start` or `end` is given."""

    story: str  # its file, below content/, with `/` between parts
    line: int  # where fronts.yaml names it, for warnings
    start: datetime | None = None
    end: datetime | None = None  # the pin holds until just before `end`


@dataclass(frozen=True)
class Front:
    """An editor-arranged front: the home page (`home`) or a section's page, by its slug."""

    name: str
    line: int
    lead: Pin | None
    top: tuple[Pin, ...]

    @property
    def pins(self) -> tuple[Pin, ...]:
        """Its pins, the lead first."""
        return (self.lead, *self.top) if self.lead else self.top


@dataclass(frozen=True)
class Alert:
    """A breaking-news banner (`alerts.yaml`): plain text, a link, a level, shown from `start` until just before `end`."""

    text: str
    url: str | None
    level: str  # one of ALERT_LEVELS
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Desk:
    """What editors decide in the site's data files rather than in stories: fronts and alerts."""

    fronts: tuple[Front, ...] = ()
    alerts: tuple[Alert, ...] = ()


NO_DESK = Desk()  # a site without fronts.yaml and alerts.yaml


@dataclass(frozen=True)
class ScheduledChange:
    """A moment when the site's output will change by itself, and why."""

    moment: datetime
    reason: str  # "embargo lifts", "article expires", "front pin starts", ... (site/clock.py)


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
    labels: tuple[Collection, ...] = ()
    pages: tuple[StandalonePage, ...] = ()  # by URL
    # The versions of articles, home pages, sections and tags in every edition, by page URL; only those with two.
    versions: dict[str, Versions] = field(default_factory=dict)
    alerts: tuple[Alert, ...] = ()  # the alerts live at the site's "now", most urgent first

    def nav(self) -> tuple[Term, ...]:
        """The sections every page shows in its navigation: a change to them reaches every page."""
        return tuple(collection.term for collection in self.sections)

    def collections(self) -> tuple[Collection, ...]:
        """Every section, tag, series, author and label, in that order (the order of their pages and feeds)."""
        return (*self.sections, *self.tags, *self.series, *self.authors, *self.labels)


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
        "sponsor",
        "claim",
        "gated",
        "fingerprint",
        "url_line",
        "date_line",
        "date_is_day",
        "language",
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
    # The lead image shows only on the article's pages, but its copies are files the build makes (engine/imaging.py).
    parts.append(("lead renditions", article.image.renditions if article.image else None))
    return hashlib.sha256(repr(parts).encode()).digest()


def article_id(article: Article) -> str:
    """How specs and the site index name an article: its source file."""
    return str(article.source)
