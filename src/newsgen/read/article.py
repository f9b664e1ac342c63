"""Front matter to a validated `Article`: the front-matter contract (what each key in keys.py must hold) lives here."""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsgen.body.images import ImageLocator
from newsgen.body.markup import BodyRenderer, ImageProblem, ImageResolver, RenderedBody, ResolvedImage
from newsgen.body.renditions import with_crops
from newsgen.body.typography import smarten_text
from newsgen.config import SiteConfig
from newsgen.errors import Problem
from newsgen.languages import LANGUAGE_TAG, language_key
from newsgen.linkpolicy import is_site_link
from newsgen.models import (
    Article,
    Asset,
    Caption,
    Comment,
    Correction,
    Figure,
    InternalLink,
    RelatedLink,
    Source,
    Translation,
)
from newsgen.read.access import read_canonical, split_body
from newsgen.read.authors import AuthorDirectory
from newsgen.read.fields import (
    Reporter,
    read_bool,
    read_mapping,
    read_moment,
    read_site_path,
    read_text,
    read_text_list,
    read_url,
)
from newsgen.read.files import CONTENT_DIR, may_be_listing
from newsgen.read.frontmatter import ParsedFile, listing_skipped
from newsgen.read.keys import KNOWN_KEYS, NESTED_KEYS
from newsgen.read.labels import read_claim, read_label, read_sponsor
from newsgen.read.limits import MAX_COMMENTS, comment_count
from newsgen.read.migrate import translate
from newsgen.read.moments import names_a_day
from newsgen.read.sourcepath import language_suffix, name_without_date, without_language_suffix
from newsgen.read.terms import TermPatterns, bylines, localized, optional_term, shown, tag_names, terms
from newsgen.urls import NAME_MAX, article_url, is_slug, make_slug, oversized_name

FLAT_REPLIES_FROM = 12  # levels of replies shown nested; deeper ones follow the reply they answer, at that level
LONG_HEADLINE = 110  # characters; longer ones are cut off in search results and social cards
_SLUG_FORM = {  # what a slug of each style (`slugs:` in newsgen.yaml) is made of, as problems name it
    "transliterate": "lowercase letters, digits and hyphens",
    "unicode": "lowercase letters and digits joined by single hyphens",
}


@dataclass(frozen=True)
class ArticleContext:
    """What reading an article needs besides the file itself."""

    config: SiteConfig
    renderer: BodyRenderer
    images: ImageLocator
    authors: AuthorDirectory = field(default_factory=AuthorDirectory)


def read_article(
    parsed: ParsedFile, path: Path, r: Reporter, ctx: ArticleContext
) -> tuple[Article | None, tuple[str, ...]]:
    """Validate every field, reporting all problems; None when the article can't be built.

    Also returns the image srcs it looked up, which a cached copy depends on.
    """
    named = without_language_suffix(path, ctx.config.editions)  # `post.es.md` is named `post`
    data = translate(parsed.data, named, r, ctx.config.front_matter_aliases, ctx.config.slugs)
    if may_be_listing(named) and not data.get("headline") and not data.get("date"):
        r.problems[:] = [listing_skipped(path)]  # its keys are not read, so nothing else is said of them
        return None, ()
    r.unknown_keys(data, (), KNOWN_KEYS, as_error=False)
    edition = ctx.config.editions.get(edition_of_file(ctx.config, path, ctx.images.site_root, data.get("language")))
    if edition is not None:  # read in the edition's timezone and language, with its URLs
        ctx = replace(ctx, config=ctx.config.edition(edition.code))
    zone, patterns = ctx.config.timezone, TermPatterns(ctx.config.permalinks, ctx.config.slugs)
    headline = read_text(r, ("headline",), data.get("headline"), required=True)
    date = read_moment(r, ("date",), data.get("date"), zone, required=True)
    slug = _read_slug(r, data.get("slug"), named, ctx.config.slugs)
    section = optional_term(patterns, "section", read_text(r, ("section",), data.get("section")), r)
    section = localized(edition, patterns, "section", section) if section else None
    url = article_url(patterns.urls, date, slug, section.slug if section else None) if date and slug else "/"
    if slug:
        _check_slug_length(r, url, slug, given="slug" in data)
    fields: dict[str, Any] = {  # read before deciding, so every problem is reported
        "dek": _typeset(read_text(r, ("dek",), data.get("dek"))),
        "updated": read_moment(r, ("updated",), data.get("updated"), zone),
        "authors": bylines(patterns, read_text_list(r, ("authors",), data.get("authors")), r, ctx.authors),
        "tags": tuple(
            dict.fromkeys(
                localized(edition, patterns, "tag", tag)
                for tag in terms(patterns, "tag", tag_names(r, data.get("tags")), r)
            )
        ),
        "series": optional_term(patterns, "series", read_text(r, ("series",), data.get("series")), r),
        "draft": read_bool(r, ("draft",), data.get("draft")),
        "comments_closed": read_bool(r, ("comments_closed",), data.get("comments_closed")),
        "expires": read_moment(r, ("expires",), data.get("expires"), zone),
        "redirect_from": _read_redirects(r, data.get("redirect_from"), url),
        "language": _read_language(r, data.get("language"), ctx.config.language),
        "label": read_label(r, data.get("label"), ctx.config.labels, patterns.urls),
        "canonical": read_canonical(r, data.get("canonical")),
        "translation": _read_translation(r, data, ctx.config),
    }
    fields["sponsor"] = read_sponsor(r, data, fields["label"])
    fields["claim"] = read_claim(r, data, fields["label"], zone)
    rest = _Rest(r, data, ctx, path, url)
    body = render_body(parsed, r, ctx, rest.captions, rest.resolve_body_image)
    free, gated = split_body(r, data, body.html, body.more)
    _editorial_checks(r, headline, fields["dek"], rest.image)
    if headline is None or date is None or slug is None:
        return None, tuple(rest.image_srcs)
    body_links = (InternalLink(url, parsed.body_line + line - 1, "body") for url, line in body.links)
    related_links = (
        InternalLink(link.url, r.lines.line("related", index, "url"), f"related[{index}].url")
        for index, link in enumerate(rest.related)
        if is_site_link(link.url)
    )
    article = Article(
        source=path,
        url_line=r.lines.line("slug" if "slug" in data else "date"),
        headline=smarten_text(headline),  # as readers see it; the URL never came from it, the checks read it as written
        date=date,
        section=section,
        slug=slug,
        url=url,
        image=_typeset_figure(rest.image),
        sources=rest.sources,
        related=rest.related,
        comments=rest.comments,
        corrections=rest.corrections,
        body=free.encode("utf-8"),
        gated=gated.encode("utf-8") if gated is not None else None,
        refs=tuple(body.refs),
        assets=tuple(sorted(set(rest.assets), key=lambda asset: asset.url)),
        internal_links=(*body_links, *related_links),
        share_image=rest.share_image,
        body_renditions=tuple({copies.key: copies for copies in body.renditions}.values()),
        date_line=r.lines.line("date"),
        date_is_day=names_a_day(data["date"]),
        **fields,
    )
    return article, tuple(rest.image_srcs)


def edition_of_file(config: SiteConfig, path: Path, site_root: Path, language: Any) -> str:
    """The edition an article belongs to: the language its file name ends with (Hugo's `post.es.md`), else its first
    folder below content/ when that is an edition's code, else the edition its `language:` names, else the default
    one. A language no edition has keeps the folder's edition."""
    if not config.editions:
        return config.language
    named = language_suffix(path, config.editions)
    if named is not None:
        return named
    codes = {language_key(code): code for code in config.editions}
    try:
        folders = path.resolve().relative_to(site_root / CONTENT_DIR).parts[:-1]
    except ValueError:
        folders = ()
    if folders and language_key(folders[0]) in codes:
        return codes[language_key(folders[0])]
    if isinstance(language, str) and language_key(language) in codes:
        return codes[language_key(language)]
    return config.language


def _read_translation(r: Reporter, data: dict[str, Any], config: SiteConfig) -> Translation | None:
    """`translation_key: harbor-bridge` and/or `translations: {es: es/2026/puente.md}` (paths below content/)."""
    key = read_text(r, ("translation_key",), data.get("translation_key"))
    files: list[tuple[str, str]] = []
    for code, written in (read_mapping(r, ("translations",), data.get("translations")) or {}).items():
        keypath = ("translations", str(code))
        if written == "":  # a path the CMS's field was cleared of
            continue
        file = read_text(r, keypath, written, required=True, verbatim=True)
        if code not in config.editions:
            editions = ", ".join(config.editions) or "none: the site has no languages in newsgen.yaml"
            r.error(keypath, f"{code!r} is not an edition of this site (editions: {editions})")
        elif file is not None:
            files.append((str(code), file.removeprefix(f"{CONTENT_DIR}/")))
    if key is None and not files:
        return None
    line = r.lines.line("translation_key" if key is not None else "translations")
    return Translation(key, tuple(files), line)


def _typeset(text: str | None) -> str | None:
    """Front-matter prose as readers see it: quotes, dashes and ellipses set as the body's are (body/typography.py).

    Applied here, as the article is built, so every page, feed and JSON-LD
    block shows the same text; anything computed from the text as written
    (URLs, checks) is computed before.
    """
    return smarten_text(text) if text else text


def _typeset_figure(image: Figure | None) -> Figure | None:
    return replace(image, caption=_typeset(image.caption), credit=_typeset(image.credit)) if image else None


def render_body(
    parsed: ParsedFile, r: Reporter, ctx: ArticleContext, captions: dict[str, Caption], resolve: ImageResolver
) -> RenderedBody:
    """The body as HTML, its problems reported on their file lines: an article's and a standalone page's."""
    body = ctx.renderer.render(parsed.body, _typeset_captions(captions), resolve)
    for issue in body.issues:
        r.problems.append(
            Problem(r.path, parsed.body_line + issue.line - 1, "body", issue.message, issue.severity, issue.code)
        )
    for src in sorted(captions.keys() - set(body.image_srcs)):
        r.warning(("captions", src), "no image in the body uses this caption", "unused-caption")
    return body


def _typeset_captions(captions: dict[str, Caption]) -> dict[str, Caption]:
    """Body image captions, keyed by src as written (the src is matched, never shown)."""
    return {src: Caption(_typeset(c.caption), _typeset(c.credit)) for src, c in captions.items()}


def _editorial_checks(r: Reporter, headline: str | None, dek: str | None, image: Figure | None) -> None:
    """Warnings an editor wants before a story goes out; they never stop a build."""
    if headline and len(headline) > LONG_HEADLINE:
        r.warning(
            ("headline",),
            f"{len(headline)} characters; over {LONG_HEADLINE} is cut off in search results",
            "long-headline",
        )
    if dek is None:
        r.warning(("dek",), "no dek: add a one-sentence summary for recaps and search results", "missing-dek")
    if image is not None and not image.credit:
        r.warning(("image",), "lead image has no credit", "missing-credit")


def _read_slug(r: Reporter, value: Any, path: Path, style: str) -> str | None:
    """The slug as given, made a slug when it is not one; else from the file name (a bundle's folder name)."""
    if value is not None:
        slug = read_text(r, ("slug",), value)
        if slug is None or is_slug(slug, style):
            return slug
        normalized = make_slug(slug, style)
        what = _SLUG_FORM[style]
        if not normalized:
            r.error(("slug",), f"{slug!r} gives an empty slug; use {what}")
            return None
        r.warning(("slug",), f"{slug!r} is not {what}; {normalized!r} is used", "slug-normalized")
        return normalized
    slug = make_slug(name_without_date(path), style)
    if not slug:
        r.error(("slug",), f"the file name {path.name!r} gives no slug; rename the file or add slug:")
        return None
    return slug


def _check_slug_length(r: Reporter, url: str, slug: str, *, given: bool) -> None:
    """The article's file name is its slug: one over what file systems allow is an error naming where it came from."""
    name = oversized_name(url)
    if name is None or slug not in name:
        return  # a long section in the URL is reported on `section`
    size = len(name.encode("utf-8"))
    source = f"{shown(slug)!r} makes" if given else f"the file name gives the slug {shown(slug)!r}, which makes"
    fix = "shorten it" if given else "add a shorter slug:"
    r.error(("slug",), f"{source} a file name of {size} bytes; the limit is {NAME_MAX} bytes: {fix}", "limit")


def _read_redirects(r: Reporter, value: Any, url: str) -> tuple[str, ...]:
    """Old paths of the article (Jekyll's `redirect_from`, Hugo's `aliases`), one or a list.

    Archives sometimes list the article's own URL: that one needs no redirect and is left out.
    """
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        r.error(("redirect_from",), "must be a path or a list of paths", "type")
        return ()
    paths = (read_site_path(r, ("redirect_from", index), item) for index, item in enumerate(items))
    return tuple(dict.fromkeys(path for path in paths if path is not None and not _same_page(path, url)))


def _same_page(path: str, url: str) -> bool:
    """`/x`, `/x/` and `/x/index.html` are one page."""
    return path.removesuffix("index.html").rstrip("/") == url.removesuffix("index.html").rstrip("/")


def read_captions(r: Reporter, value: Any) -> dict[str, Caption]:
    """`captions`, keyed by the src the body writes: an article's and a standalone page's. A list of
    `{src, caption, credit}`, as the CMS writes it, says the same."""
    if isinstance(value, list):
        return _listed_captions(r, value)
    data = read_mapping(r, ("captions",), value) or {}
    captions = {}
    for src, entry in data.items():
        keypath = ("captions", src)
        if isinstance(entry, str):
            captions[str(src)] = Caption(read_text(r, keypath, entry), None)
        elif isinstance(entry, dict):
            r.unknown_keys(entry, keypath, NESTED_KEYS["captions"], as_error=False)
            captions[str(src)] = Caption(
                read_text(r, (*keypath, "caption"), entry.get("caption")),
                read_text(r, (*keypath, "credit"), entry.get("credit")),
            )
        else:
            r.error(keypath, "must be caption text or {caption: …, credit: …}")
    return captions


def _listed_captions(r: Reporter, entries: list[Any]) -> dict[str, Caption]:
    captions = {}
    for index, entry in enumerate(entries):
        keypath = ("captions", index)
        if not isinstance(entry, dict):
            r.error(keypath, "must be {src: …, caption: …, credit: …}")
            continue
        r.unknown_keys(entry, keypath, ("src", *NESTED_KEYS["captions"]), as_error=False)
        src = read_text(r, (*keypath, "src"), entry.get("src"), required=True, verbatim=True)
        if src is not None:
            captions[src] = Caption(
                read_text(r, (*keypath, "caption"), entry.get("caption")),
                read_text(r, (*keypath, "credit"), entry.get("credit")),
            )
    return captions


class _Rest:
    """The nested fields, read once the article URL (which bundled images need) is known."""

    def __init__(self, r: Reporter, data: dict[str, Any], ctx: ArticleContext, path: Path, url: str) -> None:
        self._ctx, self._path, self._url = ctx, path, url
        self.assets: list[Asset] = []
        self.image_srcs: list[str] = []
        lead = _lead_image(r, data.get("image"))
        self.image = self._read_image(r, lead)
        self.share_image = self._read_share_image(r, lead)
        self.captions = read_captions(r, data.get("captions"))
        self.sources = self._read_sources(r, data.get("sources"))
        self.related = self._read_related(r, data.get("related"))
        self.comments = self._read_thread(r, data.get("comments"))
        self.corrections = self._read_corrections(r, data.get("corrections"))

    def resolve_body_image(self, src: str) -> ResolvedImage | ImageProblem:
        self.image_srcs.append(src)
        resolved, asset = self._ctx.images.resolve(src, self._path, self._url)
        if asset:
            self.assets.append(asset)
        elif isinstance(resolved, ResolvedImage) and resolved.url.startswith("/") and not src.startswith("/"):
            self.image_srcs.append(resolved.url)  # found against the page's URL: a cached read depends on that file
        return resolved

    def _read_share_image(self, r: Reporter, value: Any) -> str | None:
        """`image: /path.jpg`, as Jekyll and Hugo themes write it: without alt text it can't be shown, only shared."""
        if not isinstance(value, str):
            return None
        resolved = self.resolve_body_image(value.strip())
        if isinstance(resolved, ImageProblem):
            r.error(("image",), resolved.message, resolved.code)
            return None
        message = (
            "a plain path is used for sharing (og:image) but not shown; add image_alt, or write {src: …, alt: …},"
            " to show it as the lead photo"
        )
        r.warning(("image",), message, "migrated-key")
        return resolved.url

    def _read_image(self, r: Reporter, value: Any) -> Figure | None:
        if isinstance(value, str):
            return None
        data = read_mapping(r, ("image",), value)
        if data is None:
            return None
        r.unknown_keys(data, ("image",), NESTED_KEYS["image"], as_error=False)
        src = read_text(r, ("image", "src"), data.get("src"), required=True)
        alt = read_text(r, ("image", "alt"), data.get("alt"))
        if alt is None and isinstance(data.get("alt"), (str, type(None))):
            r.error(
                ("image", "alt"), "is required: describe what the photo shows for readers who can't see it", "image-alt"
            )
        caption = read_text(r, ("image", "caption"), data.get("caption"))
        credit = read_text(r, ("image", "credit"), data.get("credit"))
        if src is None or alt is None:
            return None
        resolved = self.resolve_body_image(src)
        if isinstance(resolved, ImageProblem):
            r.error(("image", "src"), resolved.message, resolved.code)
            return None
        if resolved.warning is not None:
            r.warning(("image", "src"), resolved.warning, "image-format")
        focus = _read_focus(r, data.get("focus"))
        copies = with_crops(resolved.renditions, focus) if resolved.renditions else None
        return Figure(src, resolved.url, alt, caption, credit, resolved.width, resolved.height, copies)

    def _read_sources(self, r: Reporter, value: Any) -> tuple[Source, ...]:
        sources = []
        for index, entry in enumerate(_list(r, ("sources",), value)):
            keypath = ("sources", index)
            if isinstance(entry, str) and (name := read_text(r, keypath, entry)):
                sources.append(Source(name, None))
            elif isinstance(entry, dict):
                r.unknown_keys(entry, keypath, NESTED_KEYS["sources"], as_error=False)
                name = read_text(r, (*keypath, "name"), entry.get("name"), required=True)
                url = read_url(r, (*keypath, "url"), entry.get("url"))
                if name:
                    sources.append(Source(name, url))
            else:
                r.error(keypath, "must be a name or {name: …, url: …}")
        return tuple(sources)

    def _read_related(self, r: Reporter, value: Any) -> tuple[RelatedLink, ...]:
        links = []
        for index, entry in enumerate(_list(r, ("related",), value)):
            keypath = ("related", index)
            if not isinstance(entry, dict):
                r.error(keypath, "must be {title: …, url: …}")
                continue
            r.unknown_keys(entry, keypath, NESTED_KEYS["related"], as_error=False)
            title = read_text(r, (*keypath, "title"), entry.get("title"), required=True)
            url = read_url(r, (*keypath, "url"), entry.get("url"), required=True)
            if title and url:
                links.append(RelatedLink(title, url))
        return tuple(links)

    def _read_corrections(self, r: Reporter, value: Any) -> tuple[Correction, ...]:
        corrections = []
        for index, entry in enumerate(_list(r, ("corrections",), value)):
            keypath = ("corrections", index)
            if not isinstance(entry, dict):
                r.error(keypath, "must be {date: …, text: …}")
                continue
            r.unknown_keys(entry, keypath, NESTED_KEYS["corrections"], as_error=False)
            date = read_moment(r, (*keypath, "date"), entry.get("date"), self._ctx.config.timezone, required=True)
            text = read_text(r, (*keypath, "text"), entry.get("text"), required=True)
            if date and text:
                corrections.append(Correction(date, text))
        return tuple(sorted(corrections, key=lambda correction: correction.date))

    def _read_thread(self, r: Reporter, value: Any) -> tuple[Comment, ...]:
        """Every comment, counted first: a page of more than MAX_COMMENTS is not read, let alone rendered."""
        count = comment_count(value)
        if count > MAX_COMMENTS:
            r.error(("comments",), f"{count:,} comments (replies included); the limit is {MAX_COMMENTS:,}", "limit")
            return ()
        return self._read_comments(r, value, ("comments",), 0)

    def _read_comments(self, r: Reporter, value: Any, keypath: tuple[Hashable, ...], depth: int) -> tuple[Comment, ...]:
        """The thread, nested FLAT_REPLIES_FROM levels deep and flat below (a thread of any depth reads in order);
        how deep front matter may nest at all is read/limits.py's."""
        comments: list[Comment] = []
        for index, entry in enumerate(_list(r, keypath, value)):
            here = (*keypath, index)
            if not isinstance(entry, dict):
                r.error(here, "must be {author: …, date: …, body: …}")
                continue
            r.unknown_keys(entry, here, NESTED_KEYS["comments"], as_error=False)
            author = read_text(r, (*here, "author"), entry.get("author"), required=True)
            date = read_moment(r, (*here, "date"), entry.get("date"), self._ctx.config.timezone, required=True)
            # A reader's words are quoted as they were typed: `<b>` shows as `<b>`.
            body = read_text(r, (*here, "body"), entry.get("body"), required=True, verbatim=True)
            replies = self._read_comments(r, entry.get("replies"), (*here, "replies"), depth + 1)
            if author and date and body:
                if depth < FLAT_REPLIES_FROM:
                    comments.append(Comment(author, date, _paragraphs(body), replies))
                else:  # `replies` came back flat: each follows the comment it answers
                    comments += [Comment(author, date, _paragraphs(body), ()), *replies]
        return tuple(comments)


def _lead_image(r: Reporter, value: Any) -> Any:
    """`image:` as written, or the one photo of a list of at most one, as the CMS writes it (an empty list: none)."""
    if not isinstance(value, list):
        return value
    if len(value) > 1:
        r.error(("image",), f"a story has one lead photo, not {len(value)}; put the others in the body")
    return value[0] if value else None


def _list(r: Reporter, keypath: tuple[Hashable, ...], value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        r.error(keypath, "must be a list")
        return []
    return value


def _paragraphs(text: str) -> tuple[str, ...]:
    """Plain text split on blank lines; line breaks inside a paragraph become spaces, quotes and dashes are set."""
    return tuple(smarten_text(" ".join(part.split())) for part in re.split(r"\n\s*\n", text) if part.strip())


def sort_key(article: Article) -> tuple[float, str]:
    """Newest first, ties broken by URL so the order never depends on the file system."""
    return (-article.date.timestamp(), article.url)


def _read_focus(r: Reporter, value: Any) -> tuple[float, float] | None:
    """`focus: [x, y]`, the point social crops keep in view, as fractions of the width and height from the top left."""
    if value is None or value == []:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(part, (int, float)) and not isinstance(part, bool) and 0 <= part <= 1 for part in value)
    ):
        return float(value[0]), float(value[1])
    r.error(("image", "focus"), "must be [x, y], two numbers from 0 to 1 (the point to keep, from the top left)")
    return None


def _read_language(r: Reporter, value: Any, site_language: str) -> str | None:
    """A story in another language than the site's (a quote page, a translation): its pages mark it with `lang`."""
    language = read_text(r, ("language",), value)
    if language is None:
        return None
    if not LANGUAGE_TAG.fullmatch(language):
        r.error(("language",), f"must be a language tag such as 'en' or 'es-MX', not {language!r}")
        return None
    return None if language.lower() == site_language.lower() else language
