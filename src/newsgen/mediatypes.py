"""Content types of published files, the same in the preview and on the host.

A fixed table rather than the system's mime.types, which differs from machine to machine.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}


def content_type(path: PurePath) -> str:
    if path.name == "feed.xml":
        return "application/rss+xml; charset=utf-8"
    if path.name == "feed.json":
        return "application/feed+json"
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
