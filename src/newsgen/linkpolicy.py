"""Which URLs newsgen lets into a page: http(s), mailto and site paths; no other scheme, no spaces or control characters.

One policy for front matter (`read/fields.py`) and bodies (`body/markup.py`, `body/images.py`).
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def url_problem(url: str) -> str | None:
    """Why `url` may not appear in a page, or None when it may."""
    if _SPACE_OR_CONTROL.search(url):
        return f"URL must not contain spaces or control characters: {url!r}"
    if url.startswith(("//", "\\")) or "\\" in url:
        return f"URL must start with http:// or https:// or be a site path: {url!r}"
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return f"URL scheme '{scheme.group(1)}:' is not allowed; use http(s), mailto or a site path"
    return None
