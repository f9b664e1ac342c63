"""Front matter to a validated `StandalonePage` (`pages/about.md`): the standalone pages' front-matter contract.

A standalone page is the newsroom's own: about, contact, policies. Its body
goes through the articles' machinery (Markdown engine, image checks and
resized copies, captions, typography, sanitising); its front matter is small:
`title` (required), `description`, `menu` (`header` or `footer`) with
`menu_order`, `updated`, `url` and `captions`.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from newsgen.body.markup import ImageProblem, ResolvedImage
from newsgen.body.shortcodes import REF_URL
from newsgen.body.typography import smarten_text
from newsgen.errors import Problem
from newsgen.models import MENUS, Asset, StandalonePage
from newsgen.read.article import ArticleContext, read_captions, render_body
from newsgen.read.fields import Reporter, read_int, read_moment, read_site_path, read_text
from newsgen.read.frontmatter import ParsedFile
from newsgen.urls import NAME_MAX, make_slug, oversized_name, url_path

PAGE_KEYS = ("title", "description", "menu", "menu_order", "updated", "url", "captions")
INDEX_STEM = "index"  # `pages/policies/index.md` is `/policies/`
_PAGE_URL = re.compile(r"^/(?:[a-z0-9_-]+/)*$")  # no dots: `/feed.xml/` would be a folder beside a file


def read_page(
    parsed: ParsedFile, path: Path, pages_dir: Path, r: Reporter, ctx: ArticleContext
) -> StandalonePage | None:
    """Validate every field, reporting all problems; None when the page can't be built."""
    data = parsed.data
    r.unknown_keys(data, (), PAGE_KEYS, as_error=False)
    title = read_text(r, ("title",), data.get("title"), required=True)
    description = read_text(r, ("description",), data.get("description"))
    menu = _read_menu(r, data.get("menu"))
    order = read_int(r, ("menu_order",), data.get("menu_order"), 0, 0)
    updated = read_moment(r, ("updated",), data.get("updated"), ctx.config.timezone)
    url = _read_url(r, data.get("url")) if "url" in data else _url_from_path(r, path, pages_dir, ctx.config.slugs)
    assets: list[Asset] = []

    def resolve(src: str) -> ResolvedImage | ImageProblem:
        resolved, asset = ctx.images.resolve(src, path, url or "/")
        if asset is not None:
            assets.append(asset)
        return resolved

    body = render_body(parsed, r, ctx, read_captions(r, data.get("captions")), resolve)
    for link, line in body.links:
        if REF_URL.match(link):  # resolved from every article's URL (site/refs.py), which a page edit doesn't load
            message = "a link by file ({{< ref >}}, {% post_url %}) is for articles; link to the page's URL instead"
            r.problems.append(Problem(path, parsed.body_line + line - 1, "body", message, code="invalid"))
    if title is None or url is None:
        return None
    return StandalonePage(
        source=path,
        url=url,
        url_line=r.lines.line("url") if "url" in data else 1,
        title=smarten_text(title),
        description=smarten_text(description) if description else None,
        menu=menu,
        menu_order=order,
        updated=updated,
        body=body.html.encode("utf-8"),
        assets=tuple(sorted(set(assets), key=lambda asset: asset.url)),
        body_renditions=tuple({copies.key: copies for copies in body.renditions}.values()),
    )


def _read_menu(r: Reporter, value: Any) -> str | None:
    menu = read_text(r, ("menu",), value)
    if menu is not None and menu not in MENUS:
        r.error(("menu",), f"must be {' or '.join(MENUS)}, not {menu!r}")
        return None
    return menu


def _read_url(r: Reporter, value: Any) -> str | None:
    """`url: /about-us/`: a path on this site, in lowercase letters, digits, `-` and `_`, ending in `/`."""
    url = read_site_path(r, ("url",), value)
    if url is not None and not _PAGE_URL.match(url):
        r.error(
            ("url",),
            f"must be a path on this site ending in / like /about-us/ (lowercase letters, digits, - and _), not {value!r}",
        )
        return None
    return url


def _url_from_path(r: Reporter, path: Path, pages_dir: Path, style: str) -> str | None:
    """`pages/about.md` -> `/about/`, `pages/policies/ethics.md` -> `/policies/ethics/`: each part made a slug."""
    relative = PurePosixPath(path.relative_to(pages_dir).as_posix())
    parts = [*relative.parent.parts, *([] if relative.stem.lower() == INDEX_STEM else [relative.stem])]
    slugs = [make_slug(part, style) for part in parts]
    if not all(slugs):
        r.error(("url",), f"the path {relative.as_posix()!r} gives an empty URL part; rename it or add url:")
        return None
    url = url_path("/" + "".join(f"{slug}/" for slug in slugs))
    if name := oversized_name(url):
        size = len(name.encode("utf-8"))
        r.error(
            ("url",), f"the file name makes a URL part of {size} bytes; the limit is {NAME_MAX}: add a shorter url:"
        )
        return None
    return url
