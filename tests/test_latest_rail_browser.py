"""The shared "Latest news" rail in real headless Chromium: loaded with script, a link to the front page without."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import SiteFactory, article, build_site
from static_server import serving
from test_serve_browser import CHROMIUM, FLAGS, playwright

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def served(make_site: SiteFactory) -> Iterator[str]:
    """Three stories built and served over HTTP from 127.0.0.1, as a static host would serve them."""
    files: dict[str, str | bytes] = {
        f"content/2025-01-1{day}-story-{day}.md": article(
            f"headline: Story {day}\ndek: Dek {day}.\ndate: 2025-01-1{day}"
        )
        for day in range(1, 4)
    }
    site = make_site({**files, "newsgen.yaml": "latest_count: 5\n"})
    build_site(site)
    with serving(site / "build") as url:
        yield url


def _rail(url: str, *, script: bool) -> tuple[list[str], bool]:
    """The rail's headlines and whether its link to the front page is still there, once the page has loaded."""
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_context(java_script_enabled=script).new_page()
        page.goto(url, wait_until="networkidle")
        if script:
            page.wait_for_selector(".latest:not(.latest-loading)", timeout=10_000)
        headlines = [text.strip() for text in page.locator(".latest .recap-headline").all_inner_texts()]
        fallback = page.locator(".latest .latest-fallback a[href='/']").count() == 1
        browser.close()
    return headlines, fallback


def test_the_rail_loads_the_other_stories_and_leaves_the_page_itself_out(served: str) -> None:
    headlines, fallback = _rail(f"{served}/2025/01/12/story-2/", script=True)
    assert headlines == ["Story 3", "Story 1"] and not fallback


def test_without_script_the_rail_is_a_link_to_the_front_page(served: str) -> None:
    headlines, fallback = _rail(f"{served}/2025/01/12/story-2/", script=False)
    assert headlines == [] and fallback
