"""Front matter written for Jekyll or Hugo, translated to newsgen's keys.

What maps cleanly is renamed silently; what newsgen has no use for is a
warning naming the key, so a migrated archive builds unchanged and the
editor learns what was dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from newsgen.read.fields import Reporter

# Other generators' names for newsgen's keys.
ALIASES = {
    "title": "headline",
    "summary": "dek",
    "description": "dek",
    "excerpt": "dek",
    "author": "authors",
    "lastmod": "updated",
    "last_modified_at": "updated",
    "publishDate": "date",
    "expiryDate": "expires",
}
# Keys of Jekyll and Hugo themes that have no meaning in newsgen.
IGNORED = (
    "layout",
    "permalink",
    "weight",
    "aliases",
    "toc",
    "menu",
    "type",
    "url",
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
_JEKYLL_POST = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def translate(data: dict[str, Any], path: Path, r: Reporter) -> dict[str, Any]:
    """newsgen front matter from front matter that may be Jekyll's or Hugo's."""
    resolved = dict(data)
    for alias, name in ALIASES.items():
        if alias not in resolved:
            continue
        if name in data:
            r.error((alias,), f"both '{name}' and '{alias}' are given; keep '{name}'")
        else:
            resolved[name] = resolved[alias]
            r.lines.lines[(name,)] = r.lines.line(alias)
        del resolved[alias]
    for key in IGNORED:
        if key in resolved:
            r.warning((key,), "a Jekyll/Hugo key with no newsgen equivalent; ignored", "migrated-key")
            del resolved[key]
    if "published" in resolved:  # Jekyll: `published: false` keeps a post out of the site
        if "draft" not in resolved and isinstance(resolved["published"], bool):
            resolved["draft"] = not resolved["published"]
            r.lines.lines[("draft",)] = r.lines.line("published")
        del resolved["published"]
    if "categories" in resolved:
        _categories_to_section_and_tags(resolved, r)
    if "date" not in resolved and (match := _JEKYLL_POST.match(path.name)):
        resolved["date"] = match.group(1)  # Jekyll's _posts/YYYY-MM-DD-slug.md
    if "_drafts" in path.parts and "draft" not in resolved:
        resolved["draft"] = True
    if isinstance(resolved.get("comments"), bool):  # Jekyll themes: `comments: true` switches a comment widget on
        r.warning(
            ("comments",),
            "true/false switches comments on in Jekyll themes; here comments are a list; ignored",
            "migrated-key",
        )
        del resolved["comments"]
    return resolved


def _categories_to_section_and_tags(data: dict[str, Any], r: Reporter) -> None:
    """The first category becomes the section (unless one is given), the rest become tags."""
    categories = data.pop("categories")
    if isinstance(categories, str):
        categories = categories.split()
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        r.error(("categories",), "must be a list of text", "type")
        return
    line = r.lines.line("categories")
    if categories and "section" not in data:
        data["section"], categories = categories[0], categories[1:]
        r.lines.lines[("section",)] = line
    if categories:
        tags = data.get("tags") or []
        data["tags"] = [*([tags] if isinstance(tags, str) else tags), *categories]
        r.lines.lines.setdefault(("tags",), line)
