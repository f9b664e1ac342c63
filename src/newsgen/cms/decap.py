"""Decap CMS's `config.yml`, derived from the site's settings and newsgen's own field rules (cms/fields.py).

What it depends on is the site's settings and its sections: a build writes
it again when either changes, never otherwise. The bytes are reproducible:
keys sorted, lists in the order a reporter reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

import yaml

from newsgen.cms.fields import Field, alert_fields, article_fields, front_fields, page_fields, person_fields
from newsgen.config import SiteConfig
from newsgen.read.files import CONTENT_DIR, PAGES_DIR, STATIC_DIR

IMAGES_FOLDER = "images"  # below static/: where uploads go, published at /images/ as newsgen resolves `/images/x.jpg`
AUTHORS_FILE = "authors.yaml"
FRONTS_FILE = "fronts.yaml"
ALERTS_FILE = "alerts.yaml"
HOME_FRONT = "home"


def decap_config(config: SiteConfig, sections: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The whole config.yml as data: the generated collections with `cms.decap` merged over them.

    `sections`: (name, slug) of the default edition's sections, for the section picker and the fronts.
    """
    zone = config.timezone.key
    editions = [code for code in config.edition_codes if code != config.default_language] if config.editions else []
    generated: dict[str, Any] = {
        # The GitHub backend needs the site's repository: `cms: {decap: {backend: {repo: owner/name}}}`. `newsgen serve`
        # puts its own local backend in front of it, so editing on one's machine needs nothing here.
        "backend": {"name": "github", "branch": "main"},
        "media_folder": f"{STATIC_DIR}/{IMAGES_FOLDER}",
        "public_folder": f"/{IMAGES_FOLDER}",
        "site_url": config.base_url,
        "display_url": config.base_url,
        "locale": _ui_locale(config.language),
        "slug": {"encoding": "ascii", "clean_accents": True}
        if config.slugs == "transliterate"
        else {"encoding": "unicode"},
        "collections": [
            _articles(config, zone, sections, editions),
            _pages(zone),
            _data_files(zone, sections, editions, config),
        ],
    }
    if config.editions:
        generated["i18n"] = {
            "structure": "multiple_folders",
            "locales": list(config.edition_codes),
            "default_locale": config.default_language,
        }
    settings = config.cms
    return _uploads_in_the_library(deep_merge(generated, settings.decap) if settings else generated)


def _uploads_in_the_library(config: dict[str, Any]) -> dict[str, Any]:
    """Photos uploaded to a collection a site gives a `path` but no media folder of its own (stories kept as files
    rather than folders, say) go to the site's media folder (static/images/), not beside the entry, where Decap puts
    them: entries sharing a folder would clash. A collection that names its own `media_folder` (the stories, by
    default) keeps it."""
    folder, public = config.get("media_folder"), config.get("public_folder")
    collections = config.get("collections")
    if not (isinstance(folder, str) and isinstance(public, str) and isinstance(collections, list)):
        return config
    config["collections"] = [
        {**c, "media_folder": "/" + folder.strip("/"), "public_folder": public}
        if isinstance(c, dict) and "path" in c and c.get("media_folder") is None
        else c
        for c in collections
    ]
    return config


def config_yaml(config: SiteConfig, sections: Sequence[tuple[str, str]]) -> bytes:
    """config.yml's bytes: the same for the same settings and sections, on every machine."""
    text = yaml.safe_dump(decap_config(config, sections), sort_keys=True, allow_unicode=True, width=120)
    return ("# Written by newsgen from newsgen.yaml; change it there (cms.decap), not here.\n" + text).encode("utf-8")


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` on top of `base`: mappings merged key by key; a mapping over a list of named things (collections,
    files, fields) merged into the one of each name, or added; anything else (a list included) replaced."""
    merged = dict(base)
    for key, value in over.items():
        earlier = merged.get(key)
        if isinstance(earlier, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(earlier, value)
        elif isinstance(value, Mapping) and _named_items(earlier):
            merged[key] = _merge_by_name(earlier, value)
        else:
            merged[key] = value
    return merged


def _named_items(value: Any) -> TypeGuard[list[Mapping[str, Any]]]:
    return isinstance(value, list) and all(isinstance(item, Mapping) and "name" in item for item in value)


def _merge_by_name(items: list[Mapping[str, Any]], over: Mapping[str, Any]) -> list[Any]:
    names = {item["name"] for item in items}
    kept = [
        deep_merge(item, over[item["name"]]) if isinstance(over.get(item["name"]), Mapping) else item for item in items
    ]
    added = [
        {"name": name, **value} for name, value in over.items() if name not in names and isinstance(value, Mapping)
    ]
    return [*kept, *added]


def _articles(
    config: SiteConfig, zone: str, sections: Sequence[tuple[str, str]], editions: Sequence[str]
) -> dict[str, Any]:
    """Stories in folders of their own, `content/YYYY/MM/<slug>/index.md`, with their photos beside them: photos
    never clash between stories, and a story filed with its photo takes the quick way (engine/plan/quick.py; a photo
    in static/ changes the inputs of every page). YAML front matter; the newest first, each listed with its date and
    time so a scheduled one shows when it will publish."""
    fields = article_fields(zone, [name for name, _ in sections], config.labels, config.slugs, editions)
    collection: dict[str, Any] = {
        "name": "articles",
        "label": "Stories",
        "label_singular": "Story",
        "folder": CONTENT_DIR,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "path": "{{year}}/{{month}}/{{slug}}/index",
        "media_folder": "",  # beside the story; its fields hold the bare file name, which newsgen resolves there
        "public_folder": "",
        "slug": "{{headline}}",
        "identifier_field": "headline",
        "summary": "{{date | date('YYYY-MM-DD HH:mm')}} · {{headline}}{{draft | ternary(' (draft)', '')}}",
        "sortable_fields": [{"field": "date", "default_sort": "desc"}, "headline", "section"],
        "view_filters": [
            {"label": "Drafts", "field": "draft", "pattern": True},
        ],
        "view_groups": [{"label": "Section", "field": "section"}],
        "fields": fields,
    }
    if config.editions:
        collection["i18n"] = True
        collection["fields"] = [_translatable(field) for field in fields]
    return collection


# Fields each language edition writes in its own words; the others are the same in every version (newsgen names a
# section or tag in each edition's words itself, editions.py).
_OWN_WORDS = frozenset(
    {"headline", "dek", "slug", "image", "captions", "sources", "related", "corrections", "draft", "series", "claim"}
    | {"comments", "body"}
)
_DEFAULT_EDITION_ONLY = frozenset({"translation_key", "translations", "language"})  # the folders link translations


def _translatable(field: Field) -> Field:
    if field["name"] in _DEFAULT_EDITION_ONLY:
        return field
    return {**field, "i18n": True if field["name"] in _OWN_WORDS else "duplicate"}


def _pages(zone: str) -> dict[str, Any]:
    return {
        "name": "pages",
        "label": "Pages",
        "label_singular": "Page",
        "folder": PAGES_DIR,
        "create": True,
        "extension": "md",
        "format": "frontmatter",
        "slug": "{{title}}",
        "identifier_field": "title",
        "fields": page_fields(zone),
    }


def _data_files(
    zone: str, sections: Sequence[tuple[str, str]], editions: Sequence[str], config: SiteConfig
) -> dict[str, Any]:
    """The site's data files at its root: the authors, the editors' fronts, the breaking-news alerts."""
    story = _story_picker(config)
    fronts = [(HOME_FRONT, "Front page"), *((slug, f"{name} front") for name, slug in sections)]
    return {
        "name": "site",
        "label": "Site",
        "editor": {"preview": False},
        "files": [
            {
                "name": "authors",
                "label": "Authors",
                "file": AUTHORS_FILE,
                "format": "yaml",
                "fields": [
                    {
                        "name": "authors",
                        "label": "People",
                        "label_singular": "person",
                        "widget": "list",
                        "summary": "{{fields.name}} ({{fields.id}})",
                        "fields": person_fields(),
                    }
                ],
            },
            {
                "name": "fronts",
                "label": "Fronts",
                "file": FRONTS_FILE,
                "format": "yaml",
                "fields": [
                    {
                        "name": key,
                        "label": label,
                        "widget": "object",
                        "required": False,
                        "collapsed": key != HOME_FRONT,
                        "fields": front_fields(zone, story),
                    }
                    for key, label in fronts
                ],
            },
            {
                "name": "alerts",
                "label": "Alerts",
                "file": ALERTS_FILE,
                "format": "yaml",
                "fields": [
                    {
                        "name": "alerts",
                        "label": "Alerts",
                        "label_singular": "alert",
                        "widget": "list",
                        "summary": "{{fields.level}}: {{fields.text}}",
                        "fields": alert_fields(zone),
                    }
                ],
            },
        ],
    }


def _story_picker(config: SiteConfig) -> Field:
    """A story chosen by headline, stored as its file's path below content/, as fronts.yaml names stories."""
    below_content = f"{config.default_language}/" if config.editions else ""  # the default edition's folder
    return {
        "widget": "relation",
        "collection": "articles",
        "value_field": below_content + "{{slug}}.md",
        "search_fields": ["headline"],
        "display_fields": ["headline"],
        "options_length": 50,
        "hint": "Type a few words of the headline.",
    }


# The languages Decap's interface speaks (decap-cms-locales in decap-cms 3.16.3): the site's own when there, else
# English.
_UI_LOCALES = frozenset(
    "bg ca cs da de en es fa fr gr he hr hu it ja ko lt mk nb_no nl nn_no pl pt ro ru sk sl sr_Cyrl sv th tr ua uk vi"
    " zh_Hans zh_Hant".split()
)


def _ui_locale(language: str) -> str:
    code = language.split("-")[0].lower()
    return next((ui for ui in (code, f"{code}_no") if ui in _UI_LOCALES), "en")
