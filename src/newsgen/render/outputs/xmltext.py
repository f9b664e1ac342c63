"""XML text and attribute escaping, as `xml.sax.saxutils` does it.

Kept here because importing `xml.sax.saxutils` pulls in `urllib.request`,
`http.client` and `ssl`: a tenth of a second on every build for two replaces.
"""

from __future__ import annotations


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """`text` as a double-quoted attribute value (single quotes when it holds only double ones)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))
