"""Which URLs newsgen lets into a page: http(s), mailto, tel and site paths; no other scheme, no spaces or control characters.

One policy for front matter (`read/fields.py`) and bodies (`body/markup.py`, `body/images.py`).
Bodies are gentler with schemes that can do no harm in a browser (archives
link to `irc:`, `rsync:`, `ftp:` ...): `foreign_scheme` names them so the body
rules can drop the link and keep its text. Schemes that can run or smuggle
content (`javascript:`, `data:` ...) are errors everywhere.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_DANGEROUS_SCHEMES = {"javascript", "vbscript", "data", "file"}
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def url_problem(url: str) -> str | None:
    """Why `url` may not appear in a page, or None when it may."""
    if _SPACE_OR_CONTROL.search(url):
        return f"URL must not contain spaces or control characters: {url!r}"
    if url.startswith(("//", "\\")) or "\\" in url:
        return f"URL must start with http:// or https:// or be a site path: {url!r}"
    scheme = _scheme(url)
    if scheme and scheme.lower() not in SAFE_SCHEMES:
        return f"URL scheme '{scheme}:' is not allowed; use http(s), mailto, tel or a site path"
    return None


def foreign_scheme(url: str) -> str | None:
    """The scheme of a URL that is refused only for its scheme, one that can't harm a reader (`irc:`, `ftp:`); else None."""
    scheme = _scheme(url)
    if scheme is None or _SPACE_OR_CONTROL.search(url) or "\\" in url:
        return None
    lowered = scheme.lower()
    return scheme if lowered not in SAFE_SCHEMES and lowered not in _DANGEROUS_SCHEMES else None


def is_site_link(url: str) -> bool:
    """Whether `url` points at a page of this site (so it can be checked once every URL is known)."""
    return bool(url) and not url.startswith("#") and _scheme(url) is None


def _scheme(url: str) -> str | None:
    match = _SCHEME.match(url)
    return match.group(1) if match else None
