"""Breaking-news alerts in real headless Chromium: fetched on every page, announced, dismissible, moving nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SiteFactory, article, build_site
from static_server import serving
from test_serve_browser import CHROMIUM, FLAGS, playwright

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]

STORY = "/2025/01/11/story/"


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    site = make_site(
        {
            "content/story.md": article("headline: Story\ndek: Dek.\ndate: 2025-01-11"),
            "alerts.yaml": "- {text: 'Bridge closed <now>', url: /2025/01/11/story/, level: breaking}\n",
        }
    )
    build_site(site)
    return site


@pytest.fixture
def served(site: Path) -> Iterator[str]:
    with serving(site / "build") as url:
        yield url


def test_an_article_page_shows_the_alert_in_a_status_region_without_moving_the_page(served: str) -> None:
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.goto(served + STORY)
        page.wait_for_selector(".alerts .alert-breaking", timeout=10_000)
        region = page.locator(".alerts[role=status]")
        assert region.locator("a").inner_text() == "Bridge closed <now>", "the text is text, never markup"
        assert region.locator(".alert-level").inner_text().lower() == "breaking"
        page.wait_for_load_state("networkidle")
        where = "() => ['main', 'footer'].map(s => JSON.stringify(document.querySelector(s).getBoundingClientRect()))"
        shown = page.evaluate(where)
        page.evaluate("document.querySelector('.alerts').replaceChildren()")
        assert page.evaluate(where) == shown, "the banner takes room on the page: showing it moves what's there"
        browser.close()


def test_a_dismissed_alert_stays_away_for_the_visit_and_a_new_one_still_shows(served: str, site: Path) -> None:
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.goto(served + "/")
        assert page.locator(".alerts .alert").count() == 1, "the front page carries it in its HTML"
        page.get_by_role("button", name="Dismiss").click()
        assert page.locator(".alerts .alert").count() == 0
        page.goto(served + STORY)
        page.wait_for_load_state("networkidle")
        assert page.locator(".alerts .alert").count() == 0, "dismissed for the visit"
        (site / "alerts.yaml").write_text("- {text: Ferry resumes, level: developing}\n")
        build_site(site)
        page.reload()
        page.wait_for_selector(".alerts .alert-developing", timeout=10_000)
        words = page.locator(".alerts .alert").all_inner_texts()[0].lower().split()
        assert words == ["developing", "ferry", "resumes", "×"]
        browser.close()


def test_without_script_only_the_front_page_carries_the_alert(served: str) -> None:
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(served + "/")
        assert "Bridge closed <now>" in page.locator(".alerts").inner_text()
        page.goto(served + STORY)
        assert page.locator(".alerts .alert").count() == 0
        browser.close()
