"""What of a converted body's HTML reaches a reader: the last step for both engines, through nh3.

Pasted embeds and raw HTML are the body's own, so `<script>`, `<style>`,
event handlers and URLs of other schemes are removed. Two things a body
could otherwise take from the page around it:

- an iframe's `allow` grants the embedded page browser features; only the
  ones a video player needs are kept (no camera, microphone, location,
  clipboard, screen capture or payment);
- an `id` is unique on a page, and the theme's own (`main`, `comments`) are
  what its links and scripts find, so a body's ids are prefixed, and so are
  the body's links to them (`#notes` -> `#body-notes`), footnotes included;
  a link to an id the body does not have (`#top`, `#comments`) is the page's
  and stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any

from newsgen.body.shortcodes import REF_SCHEME
from newsgen.linkpolicy import SAFE_SCHEMES
from newsgen.models import RENDITIONS_URL

ID_PREFIX = "body-"
# Features an embedded player may use; every other `allow` feature is dropped.
IFRAME_FEATURES = frozenset({"autoplay", "encrypted-media", "fullscreen", "picture-in-picture"})

_EXTRA_TAGS = {"iframe", "section", "figure", "figcaption"}
_EXTRA_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes", "decoding"},
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "loading"},
    "a": {"href", "hreflang", "rel"},
}
_URL_SCHEMES = {*SAFE_SCHEMES, REF_SCHEME}
# A link to a fragment, as nh3 writes a start tag (attribute values double-quoted, `"` and `&` escaped).
_FRAGMENT_LINK = re.compile(r'(<a\s[^<>]*?\bhref="#)([^"]+)"')


def sanitise(html: str, stored: bool = False) -> str:
    """`html` with only what a body may carry.

    `stored`: HTML this function gave before (a shared cache entry's), whose
    ids and links already carry the prefix: an honest one comes back unchanged.
    """
    ids: set[str] | None = None if stored else set()
    token = _ids.set(ids)
    try:
        cleaned = _cleaner()(html)
    finally:
        _ids.reset(token)
    if not ids:
        return cleaned
    # Links come before the ids they point at (footnote references), so they are put right once every id is known.
    return _FRAGMENT_LINK.sub(
        lambda link: link.group(1) + (ID_PREFIX if link.group(2) in ids else "") + link.group(2) + '"', cleaned
    )


# The ids of the body being sanitised; None for stored HTML, whose ids are prefixed already.
_ids: ContextVar[set[str] | None] = ContextVar("newsgen_body_ids")


def _keep(tag: str, attribute: str, value: str) -> str | None:
    """An allowed attribute's value as published; None drops it."""
    if attribute == "id":
        ids = _ids.get()
        if ids is not None:
            ids.add(_escaped(value))
        return _prefixed(value)
    if attribute == "headers":  # table cells name their header cells, in the body, by id
        return " ".join(_prefixed(name) for name in value.split())
    if attribute == "dir":  # a quote in another script runs its own way; any other value means nothing
        return value if value.strip().lower() in ("ltr", "rtl", "auto") else None
    if attribute == "srcset":  # nh3 checks no URL in it: only the copies newsgen made (markup.py) stay
        return value if all(_is_rendition(candidate) for candidate in value.split(",")) else None
    if tag == "iframe" and attribute == "allow":
        return "; ".join(rule.strip() for rule in value.split(";") if _feature(rule) in IFRAME_FEATURES) or None
    return value


def _prefixed(name: str) -> str:
    """An id as published: prefixed once (a stored body's ids already are)."""
    return name if _ids.get() is None and name.startswith(ID_PREFIX) else ID_PREFIX + name


@cache
def _cleaner() -> Callable[[str], str]:
    """nh3 with newsgen's rules; built once where nh3 can keep them (its `Cleaner`), which halves its time."""
    import nh3  # imported only when articles are read, not on cached builds

    options: dict[str, Any] = {
        "tags": nh3.ALLOWED_TAGS | _EXTRA_TAGS,
        "attributes": {**nh3.ALLOWED_ATTRIBUTES, **_EXTRA_ATTRIBUTES},
        "attribute_filter": _keep,
        "url_schemes": _URL_SCHEMES,
        "link_rel": None,
        "clean_content_tags": {"script", "style"},
    }
    if hasattr(nh3, "Cleaner"):
        return nh3.Cleaner(**options).clean
    return lambda html: nh3.clean(html, **options)


def _is_rendition(candidate: str) -> bool:
    url = candidate.split()[0] if candidate.split() else ""
    return url.startswith(RENDITIONS_URL) and "//" not in url and ".." not in url


def _escaped(value: str) -> str:
    """An attribute value as nh3 writes it."""
    return value.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


def _feature(rule: str) -> str:
    """`autoplay 'self'` -> `autoplay`: the feature an `allow` rule grants."""
    words = rule.split()
    return words[0].lower() if words else ""
