"""End to end in real headless Chromium: an open tab follows the editor's saves."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from conftest import SiteFactory, article
from newsgen.webquality.browser import FLAGS as CHROMIUM_FLAGS
from serving import ServeProcess
from test_serve import STORY, save

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("NEWSGEN_REQUIRE_BROWSER"):
    raise RuntimeError("NEWSGEN_REQUIRE_BROWSER is set but chromium is not installed")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"
)

# No sandboxing as root in this sandbox; otherwise the flags `newsgen check --web-quality` uses.
FLAGS = ["--no-sandbox", *CHROMIUM_FLAGS]


@pytest.fixture
def browser_page() -> Iterator[Page]:
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser.new_page()
        browser.close()


@pytest.mark.slow
def test_open_tab_shows_edits_errors_and_recovery(make_site: SiteFactory, browser_page: Page) -> None:
    site = make_site({STORY: article("headline: Ferry fares frozen\ndate: 2025-01-16")})
    server = ServeProcess(site)
    try:
        page = browser_page
        page.goto(server.url + "2025/01/16/ferry/")
        assert page.inner_text("h1") == "Ferry fares frozen"
        page.wait_for_timeout(200)  # let the tab connect to the event stream

        save(site / STORY, article("headline: Ferry fares cut by half\ndate: 2025-01-16"))
        page.wait_for_function("document.querySelector('h1').textContent === 'Ferry fares cut by half'", timeout=10_000)

        save(site / STORY, "---\nheadline: Ferry fares cut by half\ndate: 2025-01-16\ntags: [a, b\n---\nBody.\n")
        overlay = page.wait_for_selector("#newsgen-problems", timeout=10_000)
        assert "2025-01-16-ferry.md:5: front matter: invalid YAML" in overlay.inner_text()
        assert page.inner_text("h1") == "Ferry fares cut by half", "the last good page stays underneath"

        save(site / STORY, article("headline: Ferry fares restored\ndate: 2025-01-16"))
        page.wait_for_function("document.querySelector('h1').textContent === 'Ferry fares restored'", timeout=10_000)
        assert page.query_selector("#newsgen-problems") is None
    finally:
        server.stop()
