"""Every front-matter key newsgen reads, and the names other generators give them.

One place, so the article reader, the Jekyll/Hugo translation and the
`front_matter.aliases` setting of `newsgen.yaml` agree on what a key is.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Every key an article may carry.
KNOWN_KEYS = (
    "headline",
    "dek",
    "date",
    "updated",
    "authors",
    "section",
    "tags",
    "series",
    "slug",
    "draft",
    "image",
    "captions",
    "sources",
    "related",
    "comments_closed",
    "comments",
    "corrections",
    "expires",
    "redirect_from",
    "label",
    "sponsor",
    "claim",
    "access",
    "gate",
    "canonical",
    "language",
    "translation_key",
    "translations",
)
# Other generators' names for newsgen's keys. When several name one key, the key itself wins, then the
# first here: `excerpt` before `description` before `summary` (Hugo's `publishDate` is the exception:
# it is the publication date, so it wins over `date`).
ALIASES = {
    "title": "headline",
    "excerpt": "dek",
    "description": "dek",
    "summary": "dek",
    "author": "authors",
    "by": "authors",
    "lastmod": "updated",
    "last_modified_at": "updated",
    "publishDate": "date",
    "expiryDate": "expires",
    "category": "categories",
    "canonical_url": "canonical",  # Docsy's
    "translationKey": "translation_key",  # Hugo's; in any case (`translationkey`), as Hugo reads keys
}
# Other generators' keys that are read into newsgen's in migrate.py.
TRANSLATED = (
    "published",
    "categories",
    "image_alt",
    "image_caption",
    "image_credit",
    "images",
    "featured_image",
    "cover",
    "aliases",
)
# Keys of Jekyll, Hugo and Zola themes that have no meaning in newsgen (`path` and `url` may give a date).
IGNORED = (
    "layout",
    "permalink",
    "weight",
    "toc",
    "menu",
    "type",
    "url",
    "path",
    "extra",
    "keywords",
    "sitemap",
    "featured",
    "excerpt_separator",
    "header",
    "share",
    "outputs",
    "markup",
    "linkTitle",
    "resources",
    "cascade",
    "headless",
)
# What a `front_matter.aliases` entry may name: any key newsgen reads.
READ_KEYS = (*KNOWN_KEYS, *ALIASES, *TRANSLATED)
# The keys inside a key's mapping (a list's items, for `sources`, `related`, `corrections`, `comments`; each entry,
# for `captions`), as the readers in article.py and labels.py check them.
NESTED_KEYS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "image": ("src", "alt", "caption", "credit", "focus"),
        "captions": ("caption", "credit"),
        "sources": ("name", "url"),
        "related": ("title", "url"),
        "corrections": ("date", "text"),
        "comments": ("author", "date", "body", "replies"),
        "sponsor": ("name", "url"),
        "claim": ("text", "rating", "by", "date", "url"),
    }
)
