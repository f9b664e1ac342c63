"""URLs as messages show them: without the user name and password a URL may carry.

A deploy destination, on the command line or in newsgen.yaml, can hold a
token (`git+https://x-access-token:SECRET@github.com/…`), and CI logs are
read by many more people than may push. Every message that names such a URL,
or quotes a program that may name it (git), passes through `redact`.
"""

from __future__ import annotations

import re

# A scheme, then userinfo up to the authority's last `@` (a password may hold an unescaped one).
_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]*@")
HIDDEN = "***"


def redact(text: str) -> str:
    """`text` with the userinfo of every URL in it replaced by `***`: `https://***@github.com/…`."""
    return _USERINFO.sub(rf"\g<1>{HIDDEN}@", text)
