"""The default theme with stories that break naive themes, in real headless Chromium at phone and desktop widths."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import SiteFactory, article, build_site, png
from static_server import serving
from test_serve_browser import CHROMIUM, FLAGS, playwright

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung" * 2
LONG_URL = "https://example.org/" + "very-long-path-segment-" * 12
WIDE_TABLE = "| " + " | ".join(f"Column {n}" for n in range(14)) + " |\n|" + " --- |" * 14 + "\n"
WIDE_TABLE += "| " + " | ".join(f"value-{n}-of-a-wide-table" for n in range(14)) + " |\n"
LONG_CODE = "```\n" + "result = compute(" + ", ".join(f"argument_{n}" for n in range(40)) + ")\n```\n"


def thread(depth: int) -> str:
    """A comment with a reply to a reply … `depth` levels deep, as YAML."""
    comment = "{author: Deep, date: 2025-01-11, body: The last word.}"
    for level in range(depth, 0, -1):
        comment = f"{{author: Reader {level}, date: 2025-01-11, body: Level {level} {LONG_WORD}, replies: [{comment}]}}"
    return f"comments: [{comment}]"


EDGE_STORY = article(
    f"headline: The {LONG_WORD} question\ndek: Read it at {LONG_URL} before the vote\ndate: 2025-01-10\n"
    f"section: City Hall\ntags: [{LONG_WORD}]\nimage: {{src: /images/tall.png, alt: A tall picture}}\n{thread(15)}",
    f"Intro with a link to <{LONG_URL}> and {LONG_WORD}.\n\n{WIDE_TABLE}\n{LONG_CODE}\n> A quote {LONG_WORD}.\n",
)


@pytest.fixture
def edge_site(make_site: SiteFactory) -> Iterator[str]:
    files: dict[str, str | bytes] = {
        "content/2025-01-10-edge.md": EDGE_STORY,
        "content/2025-01-09-plain.md": article("headline: A plain story\ndek: Nothing odd.\ndate: 2025-01-09"),
        "static/images/tall.png": png(80, 140),
        "newsgen.yaml": "base_url: https://news.example.org/\nper_page: 1\n",
    }
    site = make_site(files)
    build_site(site)
    with serving(site / "build") as url:
        yield url


def _widths(url: str, width: int) -> dict[str, int]:
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(url, wait_until="networkidle")
        found: dict[str, int] = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
            " footer: Math.round(document.querySelector('.site-footer').getBoundingClientRect().bottom),"
            " height: window.innerHeight, comments: document.querySelectorAll('.comment').length})"
        )
        browser.close()
    return found


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["/2025/01/10/edge/", "/", "/page/1/", "/city-hall/"])
def test_no_page_is_wider_than_the_screen(edge_site: str, path: str, width: int) -> None:
    found = _widths(edge_site + path, width)
    assert found["scroll"] <= found["inner"], found


def test_a_deep_thread_builds_and_shows_every_comment(edge_site: str) -> None:
    assert _widths(edge_site + "/2025/01/10/edge/", 390)["comments"] == 16


def test_the_footer_sits_at_the_bottom_of_a_short_page(edge_site: str) -> None:
    found = _widths(edge_site + "/tags/", 1280)
    assert found["footer"] >= found["height"] - 1, found


def test_dark_readers_get_a_dark_page_and_printouts_leave_out_navigation(edge_site: str) -> None:
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.goto(edge_site + "/2025/01/10/edge/", wait_until="networkidle")
        light = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        page.emulate_media(color_scheme="dark")
        dark = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        page.emulate_media(media="print")
        navigation = page.evaluate("() => getComputedStyle(document.querySelector('.site-header nav')).display")
        browser.close()
    assert (light, dark, navigation) == ("rgb(255, 255, 255)", "rgb(18, 18, 18)", "none")
