"""Front matter written for Jekyll, Hugo, Zola or Eleventy, translated to newsgen's keys.

What maps cleanly is renamed silently (Hugo's keys in any case, as Hugo
reads them; the site's own names from `front_matter.aliases` first); what
newsgen has no use for is a warning naming the key, so a migrated archive
builds unchanged and the editor learns what was dropped. What the front
matter leaves out, the file's path may say (see sourcepath.py).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from newsgen.read.fields import Reporter
from newsgen.read.keys import ALIASES, IGNORED, KNOWN_KEYS, TRANSLATED
from newsgen.read.sourcepath import date_from_folders, date_from_name, date_from_url
from newsgen.urls import make_slug

_IMAGE_SHAPES = ("image", "cover", "featured_image", "images")  # the first given is the lead image
_IMAGE_PARTS = ("alt", "caption", "credit")  # Jekyll themes' image_alt, image_caption, image_credit
_COVER_KEYS = ("image", "alt", "caption")  # PaperMod's cover
_DATING_KEYS = ("path", "url")  # Zola's path and Hugo's url: `2020/03/12/slug`
_NAME_LISTS = ("tags", "categories", "authors")  # names, where YAML reads `- 47` or `2021` as a number


def translate(
    data: dict[str, Any], path: Path, r: Reporter, site_aliases: Mapping[str, str], slugs: str = "transliterate"
) -> dict[str, Any]:
    """newsgen front matter from front matter that may be another generator's; `slugs` is the site's slug style."""
    resolved = _fold_case(data, r, site_aliases)
    _apply_aliases(resolved, r, [*site_aliases.items(), *ALIASES.items()])
    if "published" in resolved:  # Jekyll: `published: false` keeps a post out of the site
        if "draft" not in resolved and isinstance(resolved["published"], bool):
            resolved["draft"] = not resolved["published"]
            _move_lines(r, "published", "draft")
        del resolved["published"]
    for key in _NAME_LISTS:
        if key in resolved:
            resolved[key] = _numbers_as_text(resolved[key])
    if isinstance(resolved.get("tags"), str):  # Jekyll: `tags: a b` is two tags
        resolved["tags"] = resolved["tags"].split()
    if "categories" in resolved:
        _categories_to_section_and_tags(resolved, r)
    _lead_image(resolved, r)
    _old_urls(resolved, r)
    dated_by = _date_from_path(resolved, path, r, slugs) if "date" not in resolved else None
    for key in IGNORED:
        if key in resolved:
            message = "a Jekyll/Hugo key with no newsgen equivalent; ignored"
            if key == dated_by:
                message = "gives the date only; the URL comes from newsgen's permalink pattern"
            r.warning((key,), message, "migrated-key")
            del resolved[key]
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


def _fold_case(data: dict[str, Any], r: Reporter, site_aliases: Mapping[str, str]) -> dict[str, Any]:
    """Keys newsgen reads, in the case it spells them: Hugo's `expirydate`, `ExpiryDate` are `expiryDate`."""
    spelled = {str(name).lower(): name for name in (*KNOWN_KEYS, *ALIASES, *TRANSLATED, *IGNORED, *site_aliases)}
    resolved: dict[str, Any] = {}
    written: dict[Hashable, Hashable] = {}  # spelling -> the key as the file wrote it
    for key, value in data.items():
        name = spelled.get(key.lower(), key) if isinstance(key, str) else key
        if name in resolved:
            r.error((key,), f"'{written[name]}' is given too (key names are case-insensitive); keep one")
            continue
        resolved[name], written[name] = value, key
        if name != key:
            _move_lines(r, key, name)
    return resolved


def _apply_aliases(data: dict[str, Any], r: Reporter, aliases: list[tuple[str, str]]) -> None:
    """Each alias renamed to its key; when the key is given twice, the rules of keys.ALIASES decide."""
    source: dict[str, str] = {}  # newsgen key -> the alias it was read from
    for alias, name in aliases:
        if alias not in data:
            continue
        value = data.pop(alias)
        if name not in data or alias == "publishDate":  # Hugo: publishDate, when given, is the publication date
            data[name], source[name] = value, alias
            _move_lines(r, alias, name)
        elif name == "dek":
            if _words(value) != _words(data["dek"]):
                winner = source.get("dek", "dek")
                message = f"differs from '{winner}'; the dek is '{winner}', this one is ignored"
                r.warning((alias,), message, "summary-conflict")
        else:
            r.error((alias,), f"both '{source.get(name, name)}' and '{alias}' are given; keep '{name}'")


def _words(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _move_lines(r: Reporter, old: Hashable, new: Hashable, offset: int = 0) -> None:
    """The lines of `old` and everything below it become those of `new` (list items shifted by `offset`)."""
    for keypath, line in list(r.lines.lines.items()):
        if keypath[0] != old:
            continue
        rest = keypath[1:]
        if rest and isinstance(rest[0], int):
            rest = (rest[0] + offset, *rest[1:])
        r.lines.lines[(new, *rest)] = line


def _numbers_as_text(value: Any) -> Any:
    """Numbers in a list of names (or a lone one) as text: Jekyll and Hugo make `- 47` the tag "47"."""
    if isinstance(value, list):
        return [item if isinstance(item, list) else _numbers_as_text(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _categories_to_section_and_tags(data: dict[str, Any], r: Reporter) -> None:
    """The first category becomes the section (unless one is given), the rest become tags; `categories:` left
    empty is none."""
    categories = data.pop("categories")
    if categories is None:
        return
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


def _lead_image(data: dict[str, Any], r: Reporter) -> None:
    """Themes' lead-image shapes as newsgen's `image`.

    `image: /x.jpg` with `image_alt` (and `image_caption`, `image_credit`),
    Hugo's `images: [...]` (the first), `featured_image` and PaperMod's
    `cover: {image, alt, caption}` become `image: {src, alt, ...}`; without
    alt text they stay a plain path, which is shared but not shown. Empty
    values (archetypes leave `image: ""`, `images: []`) are no image.
    """
    parts = {part: data.pop(f"image_{part}") for part in _IMAGE_PARTS if f"image_{part}" in data}
    part_lines = {part: r.lines.line(f"image_{part}") for part in parts}
    for key in _IMAGE_SHAPES:
        if key in data and data[key] in (None, "", []):
            del data[key]
    given = [key for key in _IMAGE_SHAPES if key in data]
    first = given[0] if given else None
    for key in given[1:]:
        r.warning((key,), f"ignored: '{first}' gives the lead image", "migrated-key")
        del data[key]
    if first is None or (first == "image" and isinstance(data["image"], dict)):  # none, or newsgen's own shape
        for part in parts:
            r.warning(
                (f"image_{part}",),
                "ignored: " + ("'image' gives its own" if first else "there is no image"),
                "migrated-key",
            )
        return
    value, src_line = data.pop(first), r.lines.line(first)
    if first == "cover" and isinstance(value, dict):
        r.unknown_keys(value, ("cover",), _COVER_KEYS, as_error=False)
        for part in _COVER_KEYS[1:]:
            if part in value and part not in parts:
                parts[part], part_lines[part] = value[part], r.lines.line("cover", part)
        value, src_line = value.get("image"), r.lines.line("cover", "image")
    elif first == "images" and isinstance(value, list):
        value, src_line = value[0], r.lines.line("images", 0)
    r.lines.lines[("image",)] = r.lines.line(first)
    if parts.get("alt") in (None, ""):
        data["image"] = value  # a plain path: shared, not shown (article.py says so)
        return
    data["image"] = {"src": value, **parts}
    r.lines.lines[("image", "src")] = src_line
    for part, line in part_lines.items():
        r.lines.lines[("image", part)] = line


def _old_urls(data: dict[str, Any], r: Reporter) -> None:
    """Hugo's `aliases` and Jekyll's `redirect_from`, each a list of old paths (or one), as one `redirect_from`."""
    if "aliases" not in data:
        return
    aliases = data.pop("aliases")
    if "redirect_from" not in data:
        data["redirect_from"] = aliases
        _move_lines(r, "aliases", "redirect_from")
        return
    given = [data["redirect_from"]] if isinstance(data["redirect_from"], str) else data["redirect_from"]
    more = [aliases] if isinstance(aliases, str) else aliases
    if not isinstance(given, list) or not isinstance(more, list):
        r.error(("aliases",), "must be a list of old paths", "type")
        return
    line = r.lines.line("redirect_from")
    data["redirect_from"] = [*given, *more]
    _move_lines(r, "aliases", "redirect_from", offset=len(given))
    r.lines.lines[("redirect_from",)] = line


def _date_from_path(data: dict[str, Any], path: Path, r: Reporter, slugs: str) -> str | None:
    """`date` from the file name, a `path` or `url` key, or the folders, in that order; the key it came from, if one.

    `2020/03/12-slug.md` also gives the slug, without the day.
    """
    found = date_from_name(path)
    if found:
        data["date"] = found
        return None
    for key in _DATING_KEYS:
        if isinstance(data.get(key), str) and (found := date_from_url(data[key])):
            data["date"] = found
            r.lines.lines[("date",)] = r.lines.line(key)
            return key
    folders = date_from_folders(path)
    if folders:
        data["date"], name = folders
        if name and make_slug(name, slugs) and "slug" not in data:
            data["slug"] = make_slug(name, slugs)
    return None
