"""Right-to-left languages: the page runs the way its language is written, and a body keeps `dir` where it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SiteFactory, article, build_site
from newsgen.languages import text_direction


@pytest.mark.parametrize(
    ("language", "direction"),
    [
        ("ar", "rtl"),
        ("he-IL", "rtl"),
        ("fa", "rtl"),
        ("ur-PK", "rtl"),
        ("az-Arab", "rtl"),
        ("en", "ltr"),
        ("es-MX", "ltr"),
        ("ku-Latn", "ltr"),
        ("zh-Hans", "ltr"),
    ],
)
def test_text_direction_follows_the_language_and_its_script(language: str, direction: str) -> None:
    assert text_direction(language) == direction


def built_home(make_site: SiteFactory, config: str, body: str = "Text.\n") -> tuple[Path, str]:
    site = make_site(
        {"newsgen.yaml": config, "content/2025-01-10-pier.md": article("headline: Pier\ndate: 2025-01-10", body)}
    )
    build_site(site)
    return site, (site / "build/index.html").read_text(encoding="utf-8")


def test_an_arabic_site_runs_right_to_left_and_an_english_one_as_before(make_site: SiteFactory) -> None:
    _, arabic = built_home(make_site, "language: ar\n")
    assert '<html lang="ar" dir="rtl"' in arabic
    _, english = built_home(make_site, "language: en\n")
    assert '<html lang="en">' in english, "left-to-right pages are as they were"


def test_a_body_keeps_dir_where_the_text_changes_direction_and_drops_other_values(make_site: SiteFactory) -> None:
    body = '<p dir="rtl" lang="ar">نص عربي</p>\n\n<p dir="sideways">Plain.</p>\n'
    site, _ = built_home(make_site, "language: en\n", body)
    page = (site / "build/2025/01/10/pier/index.html").read_text(encoding="utf-8")
    assert '<p dir="rtl" lang="ar">نص عربي</p>' in page and "sideways" not in page
