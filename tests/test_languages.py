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


@pytest.mark.slow
def test_an_arabic_story_is_laid_out_as_a_mirror_image(make_site: SiteFactory) -> None:
    """The byline starts at the right edge of the story and a quotation's rule is on its right."""
    from static_server import serving
    from test_serve_browser import CHROMIUM, FLAGS, playwright

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    front = "headline: الميناء يفتح من جديد\ndate: 2025-01-10\nauthors: [ليلى حسن]"
    site = make_site(
        {
            "newsgen.yaml": "language: ar\n",
            "content/2025-01-10-pier.md": article(front, "> قال الصياد إن الرصيف آمن.\n"),
        }
    )
    build_site(site)
    measure = """() => {
        const story = document.querySelector('.story').getBoundingClientRect();
        const byline = document.querySelector('.byline').getBoundingClientRect();
        const quote = getComputedStyle(document.querySelector('.story-body blockquote'));
        return [story.right - byline.right, byline.left - story.left, quote.borderRightWidth, quote.borderLeftWidth];
    }"""
    with serving(site / "build") as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/2025/01/10/pier/")
        from_right, from_left, rule_right, rule_left = page.evaluate(measure)
        browser.close()
    assert from_right < 1 < from_left and (rule_right, rule_left) == ("4px", "0px")


def test_dates_read_as_the_sites_language_writes_them_and_machine_formats_stay(make_site: SiteFactory) -> None:
    front = "headline: Tarifas\ndate: 2025-11-24T19:02:00Z\nupdated: 2025-11-25T01:30:00Z"
    site = make_site(
        {
            "newsgen.yaml": "language: es-MX\ntimezone: America/Mexico_City\n",
            "content/2025-11-24-tarifas.md": article(front, "Texto.\n"),
        }
    )
    build_site(site)
    page = (site / "build/2025/11/24/tarifas/index.html").read_text(encoding="utf-8")
    assert ">lunes, 24 de noviembre de 2025</time>" in page
    assert '<time datetime="2025-11-24T19:02:00+00:00"' in page, "the machine-read moment is unchanged"
    assert "24 de noviembre de 2025, 7:30\u202fp.m." in page, "the update, as CLDR writes a moment in es-MX"


def test_a_story_in_another_language_is_marked_on_its_page_and_in_recaps(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import run_cli

    site = make_site(
        {
            "content/2025-01-10-cita.md": article("headline: Una cita\ndate: 2025-01-10\nlanguage: es", "Texto.\n"),
            "content/2025-01-11-qawl.md": article("headline: قول\ndate: 2025-01-11\nlanguage: ar", "نص.\n"),
            "content/2025-01-12-same.md": article("headline: Same\ndate: 2025-01-12\nlanguage: en", "Text.\n"),
        }
    )
    build_site(site)
    spanish = (site / "build/2025/01/10/cita/index.html").read_text(encoding="utf-8")
    assert '<article class="story" lang="es" dir="ltr"' in spanish
    home = (site / "build/index.html").read_text(encoding="utf-8")
    assert '<article class="recap" lang="ar" dir="rtl">' in home and '<article class="recap">' in home
    same = (site / "build/2025/01/12/same/index.html").read_text(encoding="utf-8")
    assert '<article class="story" data-pagefind-body>' in same, "the site's own language needs no mark"
    (site / "content/2025-01-12-same.md").write_text(article("headline: Same\ndate: 2025-01-12\nlanguage: english"))
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code != 0 and "2025-01-12-same.md:4: language: must be a language tag" in err
