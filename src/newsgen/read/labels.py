"""What kind of piece an article is: its label (`label: opinion`), and what a sponsored piece or a fact-check adds.

A label is shown above the headline and in recaps, gets a list page
(`/labels/opinion/`) with a feed, and picks the article's schema.org type
(render/outputs/structured.py). The built-in labels below can be renamed, and
others added, under `labels:` in newsgen.yaml (config.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from types import MappingProxyType
from typing import Any

from newsgen.models import SPONSORED, Claim, Sponsor, Term
from newsgen.read.fields import Reporter, did_you_mean, read_mapping, read_moment, read_text, read_url
from newsgen.read.keys import NESTED_KEYS
from newsgen.urls import make_slug, term_url

FACT_CHECK = "fact-check"
# Key (as front matter writes it, and the list page's slug) -> the name readers see.
BUILT_IN_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "opinion": "Opinion",
        "analysis": "Analysis",
        "review": "Review",
        SPONSORED: "Sponsored",
        FACT_CHECK: "Fact check",
        "explainer": "Explainer",
    }
)


def read_label(r: Reporter, value: Any, labels: Mapping[str, str], patterns: Mapping[str, str]) -> Term | None:
    """One of the site's labels, by key (`fact-check`) or by the name readers see (`Fact check`)."""
    written = read_text(r, ("label",), value)
    if written is None:
        return None
    key = make_slug(written)
    key = next((name for name, shown in labels.items() if key in (name, make_slug(shown))), key)
    if key not in labels:
        known = ", ".join(labels)
        message = f"{written!r} is not a label of this site{did_you_mean(key, labels)} (labels: {known};"
        r.error(("label",), f"{message} add others under labels: in newsgen.yaml)")
        return None
    return Term(labels[key], key, term_url(patterns, "label", key))


def read_sponsor(r: Reporter, data: dict[str, Any], label: Term | None) -> Sponsor | None:
    """`sponsor: {name, url}` (or just the name): required for sponsored content, refused on anything else."""
    value = data.get("sponsor")
    sponsored = label is not None and label.slug == SPONSORED
    if not sponsored and _nothing_filled_in(value):
        return None
    if value is None:
        if sponsored:
            r.error(("label",), "sponsored content needs sponsor: {name: …, url: …}, who paid for it", "required")
        return None
    if not sponsored:
        r.error(("sponsor",), "only sponsored content has a sponsor: add label: sponsored, or remove sponsor")
        return None
    given = value if isinstance(value, dict) else {"name": value}
    keypath = ("sponsor", "name") if isinstance(value, dict) else ("sponsor",)
    r.unknown_keys(given, ("sponsor",), NESTED_KEYS["sponsor"], as_error=False)
    name = read_text(r, keypath, given.get("name"), required=True)
    url = read_url(r, ("sponsor", "url"), given.get("url"))
    return Sponsor(name, url) if name else None


def read_claim(r: Reporter, data: dict[str, Any], label: Term | None, zone: tzinfo) -> Claim | None:
    """`claim: {text, rating, by, date, url}`: the claim a fact-check rates, which its ClaimReview names."""
    value = read_mapping(r, ("claim",), data.get("claim"))
    fact_check = label is not None and label.slug == FACT_CHECK
    if value is None or (not fact_check and _nothing_filled_in(value)):
        return None
    if not fact_check:
        r.error(("claim",), "only a fact-check rates a claim: add label: fact-check, or remove claim")
        return None
    r.unknown_keys(value, ("claim",), NESTED_KEYS["claim"], as_error=False)
    text = read_text(r, ("claim", "text"), value.get("text"), required=True)
    rating = read_text(r, ("claim", "rating"), value.get("rating"), required=True)
    by = read_text(r, ("claim", "by"), value.get("by"))
    date = read_moment(r, ("claim", "date"), value.get("date"), zone)
    url = read_url(r, ("claim", "url"), value.get("url"))
    return Claim(text, rating, by, date, url) if text and rating else None


def _nothing_filled_in(value: Any) -> bool:
    """A mapping whose fields are all empty, as the CMS writes a group a reporter opened and left: not given, on a
    story whose label does not ask for it (one that does is told what is missing)."""
    return isinstance(value, dict) and all(part in (None, "", [], {}) for part in value.values())
