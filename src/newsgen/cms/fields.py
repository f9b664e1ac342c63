"""Decap fields for what newsgen reads: each front-matter key of an article (read/keys.py), a page's, a person's in
the authors file, an alert's and a front's, with the rules newsgen checks them by.

The rules are newsgen's own, written as Decap can enforce them: `required`
where newsgen says "is required", a `pattern` where it refuses a URL, `min`
and `max` where it counts. A rule Decap can't express (a sponsor only for
sponsored content) is a hint, and `newsgen check` says the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newsgen.languages import LANGUAGE_TAG
from newsgen.models import MENUS
from newsgen.read.access import ACCESS
from newsgen.read.limits import MAX_TAGS
from newsgen.urls import SLUG_PATTERN

Field = dict[str, Any]

# URLs as read/fields.py's `read_url` accepts them (linkpolicy.py): http(s), mailto, tel, or a path with no scheme;
# never `//host`, a backslash, a space. Written for JavaScript's RegExp, which Decap tests them with, and Python's.
URL_PATTERN = (
    r"^(?:https?://[^\s/?#\\]+[^\s\\]*|mailto:[^\s\\]+|tel:[^\s\\]+|(?![A-Za-z][A-Za-z0-9+.-]*:)(?!//)[^\s\\]+)$"
)
ABSOLUTE_URL_PATTERN = r"^https?://[^\s/?#\\]+(?:[/?#][^\s\\]*)?$"  # read/access.py's, for `canonical`
SITE_OR_WEB_URL_PATTERN = r"^(?:https?://[^\s/?#\\]+[^\s\\]*|/(?!/)[^\s\\]*)$"  # an alert's link
OLD_PATH_PATTERN = r"^/?(?!/)(?!.*//)[^\s?#\\:]*$"  # read_site_path's: a path on this site, no query or fragment
PAGE_URL_PATTERN = r"^/(?:[a-z0-9_-]+/)*$"  # read/page.py's `_PAGE_URL`
AUTHOR_KEY_PATTERN = r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"
DATETIME_FORMAT = "YYYY-MM-DDTHH:mm:ss"  # no offset: newsgen reads it in the site's timezone (read_moment)
ALERT_LEVELS = ("breaking", "developing", "info")
SECTION_WIDGET = "newsgen-section"  # registered by /admin/index.html: a text box that suggests the site's sections

_URL_RULE = [URL_PATTERN, "an http(s):// or mailto: URL, or a path on this site"]


def string(name: str, label: str, *, required: bool = False, hint: str = "", **rules: Any) -> Field:
    return _field(name, label, "string", required, hint, rules)


def text(name: str, label: str, *, required: bool = False, hint: str = "") -> Field:
    return _field(name, label, "text", required, hint, {})


def url(name: str, label: str, *, required: bool = False, hint: str = "", rule: Sequence[str] = _URL_RULE) -> Field:
    return _field(name, label, "string", required, hint, {"pattern": list(rule)})


def moment(name: str, label: str, zone: str, *, required: bool = False, hint: str = "") -> Field:
    where = f"Time in {zone}, the site's timezone."
    return _field(name, label, "datetime", required, f"{hint} {where}".strip(), {"format": DATETIME_FORMAT})


def boolean(name: str, label: str, *, hint: str = "") -> Field:
    return _field(name, label, "boolean", False, hint, {"default": False})


def whole_number(name: str, label: str, minimum: int, *, hint: str = "") -> Field:
    return _field(name, label, "number", False, hint, {"value_type": "int", "min": minimum})


def select(name: str, label: str, options: Sequence[str | Mapping[str, str]], *, hint: str = "", **rules: Any) -> Field:
    return _field(name, label, "select", False, hint, {"options": list(options), **rules})


def string_list(name: str, label: str, *, hint: str = "", **rules: Any) -> Field:
    return _field(name, label, "list", False, hint, rules)


def object_list(name: str, label: str, singular: str, fields: list[Field], *, hint: str = "", **rules: Any) -> Field:
    """A list of mappings: each item's own required fields apply only to the items there are."""
    return _field(name, label, "list", False, hint, {"label_singular": singular, "fields": fields, **rules})


def group(name: str, label: str, fields: list[Field], *, hint: str = "") -> Field:
    """An optional mapping: Decap checks its fields whenever the form shows it, so none of them may be required."""
    assert not any(f.get("required") for f in fields), "an optional group can't hold a required field"
    return _field(name, label, "object", False, hint, {"fields": fields, "collapsed": True})


def _field(name: str, label: str, widget: str, required: bool, hint: str, rules: Mapping[str, Any]) -> Field:
    found: Field = {"name": name, "label": label, "widget": widget, "required": required, **rules}
    if hint:
        found["hint"] = hint
    return found


def article_fields(
    zone: str, sections: Sequence[str], labels: Mapping[str, str], slug_style: str, editions: Sequence[str]
) -> list[Field]:
    """One field for every key of read/keys.py's KNOWN_KEYS, in the order a reporter fills them, then the body."""
    figure_fields = [
        _field("src", "Photo", "image", True, "Upload the photo, or choose one already in the library.", {}),
        _field("alt", "Alt text", "string", True, "What the photo shows, for readers who can't see it.", {}),
        text("caption", "Caption"),
        string("credit", "Credit", hint="Who took the photo: a missing credit is a warning."),
        string_list(
            "focus",
            "Focus point",
            hint="Two numbers from 0 to 1, across then down from the top left: the point social crops keep.",
            field=_fraction("point", "Point"),
            min=2,
            max=2,
        ),
    ]
    slug_rule: dict[str, Any] = {"pattern": [SLUG_PATTERN.pattern, "lowercase letters, digits and hyphens"]}
    fields = [
        string(
            "headline",
            "Headline",
            required=True,
            hint="Up to 110 characters shows whole in search results and social cards.",
        ),
        text("dek", "Dek", hint="One sentence under the headline, in lists and in search results."),
        moment(
            "date",
            "Publication date",
            zone,
            required=True,
            hint="A date in the future is an embargo: the story publishes by itself then.",
        ),
        _field(
            "section",
            "Section",
            SECTION_WIDGET,
            False,
            "One of the site's sections, or type a new one.",
            {"options": list(sections)},
        ),
        string_list("tags", "Tags", hint="Comma-separated.", max=MAX_TAGS),
        _field(
            "authors",
            "Authors",
            "relation",
            False,
            "People from the authors file; add a new reporter there first.",
            {
                "collection": "authors",
                "file": "authors",
                "value_field": "authors.*.id",
                "search_fields": ["authors.*.name"],
                "display_fields": ["authors.*.name"],
                "multiple": True,
            },
        ),
        object_list(
            "image",
            "Lead photo",
            "lead photo",
            figure_fields,
            hint="At most one. Its alt text is required.",
            max=1,
            collapsed=False,
        ),
        select("label", "Label", [{"label": name, "value": key} for key, name in labels.items()]),
        string("series", "Series", hint="Stories of one series link to each other."),
        object_list(
            "sources",
            "Sources",
            "source",
            [string("name", "Name", required=True), url("url", "Link")],
        ),
        object_list(
            "related",
            "Related links",
            "link",
            [string("title", "Title", required=True), url("url", "Link", required=True)],
        ),
        object_list(
            "captions",
            "Body photo captions",
            "caption",
            [
                string("src", "Photo", required=True, hint="The photo's address as the body writes it."),
                text("caption", "Caption"),
                string("credit", "Credit"),
            ],
        ),
        object_list(
            "corrections",
            "Corrections",
            "correction",
            [moment("date", "Date", zone, required=True), text("text", "Correction", required=True)],
            hint="Readers see each one on the story, in the corrections ledger and its feed.",
        ),
        boolean("draft", "Draft", hint="A draft is not published."),
        moment("updated", "Updated", zone, hint="When the story last changed in substance."),
        moment("expires", "Expires", zone, hint="The story leaves the site then, by itself."),
        select("access", "Access", list(ACCESS), hint="Subscribers: only the free lead shows without a subscription."),
        whole_number("gate", "Free paragraphs", 1, hint="For subscribers' stories: how many paragraphs are free."),
        url(
            "canonical",
            "Canonical URL",
            hint="For a copy of a story first published elsewhere: the original's address.",
            rule=[ABSOLUTE_URL_PATTERN, "the original's full http(s):// address"],
        ),
        group(
            "sponsor",
            "Sponsor",
            [string("name", "Name"), url("url", "Link")],
            hint="Sponsored stories only (label Sponsored): who paid for it. The name is required then.",
        ),
        group(
            "claim",
            "Claim checked",
            [
                text("text", "Claim"),
                string("rating", "Rating"),
                string("by", "Claimed by"),
                moment("date", "Claimed on", zone),
                url("url", "Where it was claimed"),
            ],
            hint="Fact-checks only (label Fact check): the claim and its rating are required then.",
        ),
        string(
            "slug",
            "URL slug",
            hint="The last part of the story's address; by default made from the file name.",
            **(slug_rule if slug_style == "transliterate" else {}),
        ),
        string_list(
            "redirect_from",
            "Old addresses",
            hint="Paths this story used to have; each redirects here.",
            field=url("path", "Path", rule=[OLD_PATH_PATTERN, "a path on this site, such as /2019/05/15/old.html"]),
        ),
        string(
            "language",
            "Language",
            hint="Only for a story in another language than its edition's, such as es or fr-CA.",
            pattern=[f"^{LANGUAGE_TAG.pattern}$", "a language tag such as es or fr-CA"],
        ),
        string("translation_key", "Translation key", hint="Stories with the same key are translations of one another."),
        _translations_field(editions),
        boolean("comments_closed", "Comments closed"),
        object_list(
            "comments",
            "Readers' comments",
            "comment",
            [*_comment_fields(zone), object_list("replies", "Replies", "reply", _comment_fields(zone))],
            hint="Comments kept from an earlier site; newsgen has no comment form.",
        ),
        _field("body", "Story", "markdown", True, "", {}),
    ]
    return fields


def _fraction(name: str, label: str) -> Field:
    return _field(name, label, "number", True, "", {"value_type": "float", "min": 0, "max": 1, "step": 0.05})


def _comment_fields(zone: str) -> list[Field]:
    return [
        string("author", "Name", required=True),
        moment("date", "Date", zone, required=True),
        text("body", "Comment", required=True),
    ]


def _translations_field(editions: Sequence[str]) -> Field:
    """One path per language edition; a site in one language has none to name, so the field is kept as written."""
    if not editions:
        return {"name": "translations", "label": "Translations", "widget": "hidden", "required": False}
    paths = [
        string(code, code, hint="The translation's file below content/, such as es/2026/11/story.md")
        for code in editions
    ]
    return group("translations", "Translations", paths, hint="Files of this story's translations, by edition.")


def page_fields(zone: str) -> list[Field]:
    """read/page.py's PAGE_KEYS, then the body."""
    return [
        string("title", "Title", required=True),
        text("description", "Description", hint="For search results and link previews."),
        select("menu", "Menu", list(MENUS), hint="Link the page from every page's header or footer."),
        whole_number("menu_order", "Order in the menu", 0),
        moment("updated", "Updated", zone),
        url(
            "url",
            "Address",
            hint="By default made from the file name, such as /about/.",
            rule=[PAGE_URL_PATTERN, "a path ending in /, such as /about-us/ (lowercase letters, digits, - and _)"],
        ),
        object_list(
            "captions",
            "Photo captions",
            "caption",
            [string("src", "Photo", required=True), text("caption", "Caption"), string("credit", "Credit")],
        ),
        _field("body", "Page", "markdown", True, "", {}),
    ]


def person_fields() -> list[Field]:
    """A person of the authors file, in the list form read/authors.py reads (`id` is what bylines name)."""
    return [
        string(
            "id",
            "Key",
            required=True,
            hint="What stories name in Authors, such as jane-doe; changing it unlinks their stories.",
            pattern=[AUTHOR_KEY_PATTERN, "lowercase letters and digits joined by - _ or ."],
        ),
        string("name", "Name", required=True),
        string("role", "Role"),
        text("bio", "Bio"),
        _field("photo", "Photo", "image", False, "", {}),
        url("email", "Email", rule=[r"^mailto:\S+$|^[^\s@:]+@[^\s@]+$", "an email address"]),
        url("website", "Website"),
        string("x", "X handle"),
        string("bluesky", "Bluesky handle"),
        url("mastodon", "Mastodon profile"),
        string("github", "GitHub user"),
        string("linkedin", "LinkedIn profile name"),
    ]


def alert_fields(zone: str) -> list[Field]:
    """An alert of alerts.yaml: the banner's text, its link, how urgent, and when it shows."""
    return [
        string("text", "Text", required=True, hint="Plain text, one sentence."),
        url(
            "url",
            "Link",
            rule=[SITE_OR_WEB_URL_PATTERN, "an http(s):// address or a path on this site starting with /"],
        ),
        select("level", "Level", list(ALERT_LEVELS), default="info"),
        moment("from", "Shows from", zone, hint="Empty: now."),
        moment("until", "Shows until", zone, hint="Empty: until it is removed."),
    ]


def front_fields(zone: str, story: Field) -> list[Field]:
    """A front of fronts.yaml: its lead story, then the stories pinned on top, each maybe for a time."""
    pinned = [
        {**story, "name": "story", "label": "Story", "required": True},
        moment("from", "Pinned from", zone),
        moment("until", "Pinned until", zone),
    ]
    return [
        {**story, "name": "lead", "label": "Lead story", "required": False},
        object_list("top", "Top stories", "story", pinned, hint="In this order, after the lead."),
    ]
