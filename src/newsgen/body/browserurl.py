"""URLs in a body as a browser reads them: shapes real archives publish that browsers accept, made plain before
newsgen's URL policy (`linkpolicy.py`) checks them, so they no longer hold a post back.

- Whitespace: a browser drops it at a URL's ends, and hard-wrapped HTML leaves a line break (and the next line's
  indentation) inside a `src` or `href` where the wrap replaced a space. The URL is written percent-encoded, as
  the browser requests it.
- `//host/path` (protocol-relative) takes the page's scheme: https, as every public host serves pages now.
"""

from __future__ import annotations

import re

_ENDS = " \t\n\r\f"
_WRAPPED = re.compile(r"[ \t]*[\r\n][ \t\r\n]*")  # a line break and the indentation around it: one wrapped space
_ENCODED = {" ": "%20", "\t": "%09", "\f": "%0C"}


def without_whitespace(url: str) -> str:
    """`url` without whitespace at its ends, and with the whitespace inside it percent-encoded."""
    inner = _WRAPPED.sub(" ", url.strip(_ENDS))
    return "".join(_ENCODED.get(character, character) for character in inner)


def with_https(url: str) -> str:
    """A protocol-relative URL (`//host/path`) with the https scheme; any other URL as it is."""
    return "https:" + url if url.startswith("//") else url
