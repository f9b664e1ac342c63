"""Pages in headless Chromium at a phone's and a desktop's width: overflow, console errors, axe-core.

Playwright drives the system's Chromium (Debian's `chromium`) when there is
one, else the browser `playwright install chromium` downloads. Each width
gets a browser context of its own. Requests that leave
the site are refused, so a check is the same offline and on every run:
outside images, embeds and fonts are not loaded, and the console errors
their refusal causes are not the site's.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsgen.webquality.sample import Page

if TYPE_CHECKING:
    from playwright.async_api import Browser, ConsoleMessage, Request, Route

WIDTHS = (390, 1280)  # a common phone and a laptop, in CSS pixels
HEIGHT = 900
LOAD_TIME_LIMIT = 30_000  # milliseconds
QUIET, QUIET_TIME_LIMIT, _TICK = 0.15, 10.0, 0.05  # seconds
# No background calls to Google's servers; no GPU in a container. The tests and benchmarks launch Chromium with them too.
FLAGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The page's width against the window's and, when wider, the first element past the window's right edge
# that is not inside a box that scrolls or clips sideways (a wide table in its scroller is fine).
_OVERFLOW_JS = """() => {
  const inner = window.innerWidth, scroll = document.documentElement.scrollWidth;
  if (scroll <= inner) return null;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + Array.from(el.classList, (c) => '.' + c).join('');
  const culprit = Array.from(document.body.querySelectorAll('*'))
    .find((el) => el.getBoundingClientRect().right > inner + 0.5 && !clipped(el));
  return {scroll, inner, culprit: culprit ? name(culprit) : null};
}"""
_AXE_JS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
  (v) => ({id: v.id, help: v.help, count: v.nodes.length, first: String(v.nodes[0].target)}))"""


class BrowserMissing(Exception):
    """Chromium could not be started; the message says what to install."""


@dataclass(frozen=True)
class BrowserFinding:
    page: Page
    width: int
    code: str
    message: str


async def inspect(base_url: str, pages: list[Page], axe_script: str | None) -> list[BrowserFinding]:
    """What Chromium finds on every page at every width in `WIDTHS`."""
    from playwright.async_api import Error, async_playwright

    async with async_playwright() as driver:
        system = shutil.which("chromium") or shutil.which("chromium-browser")
        # Chromium refuses to run as root with its sandbox; containers and CI runners often are root.
        flags = [*FLAGS, "--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else FLAGS
        try:
            browser = await driver.chromium.launch(executable_path=system, headless=True, args=flags)
        except Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise BrowserMissing(
                f"--web-quality needs Chromium: apt-get install chromium, or playwright install chromium ({first})"
            ) from None
        try:
            found = await asyncio.gather(*(_at_width(browser, base_url, pages, width, axe_script) for width in WIDTHS))
        finally:
            await browser.close()
    return [finding for findings in found for finding in findings]


async def _at_width(
    browser: Browser, base_url: str, pages: list[Page], width: int, axe_script: str | None
) -> list[BrowserFinding]:
    """Every page in one tab, one after the other: a tab that stays on one origin keeps its renderer process,
    which is most of the cost of opening a page (both widths run at once, one per core)."""
    from playwright.async_api import Error

    findings: list[BrowserFinding] = []
    current: list[Page] = []  # the page being checked, for the tab's events
    pending: set[Request] = set()

    def add(code: str, message: str) -> None:
        findings.append(BrowserFinding(current[-1], width, code, message))

    def on_console(message: ConsoleMessage) -> None:
        source = str(message.location.get("url", ""))
        if message.type != "error" or not source.startswith(base_url + "/"):
            return  # an outside resource's: refused above
        where = source.removeprefix(base_url)  # the script or resource at fault, when not the page itself
        add("console", message.text if where == current[-1].url else f"{message.text} ({where})")

    async def on_request(route: Route) -> None:
        if route.request.url.startswith(base_url + "/"):
            await route.continue_()
        else:
            await route.abort("blockedbyclient")

    context = await browser.new_context(viewport={"width": width, "height": HEIGHT})
    try:
        await context.route("**/*", on_request)
        tab = await context.new_page()
        tab.on("console", on_console)
        tab.on("pageerror", lambda error: add("console", f"uncaught {error.name}: {error.message}"))
        tab.on("request", lambda request: pending.add(request))  # Playwright wants functions, not methods
        tab.on("requestfinished", lambda request: pending.discard(request))
        tab.on("requestfailed", lambda request: pending.discard(request))
        for page in pages:
            current.append(page)
            pending.clear()
            try:
                await tab.goto(base_url + page.url, wait_until="load", timeout=LOAD_TIME_LIMIT)
            except Error as exc:
                add("load", f"the page did not load: {str(exc).splitlines()[0]}")
                continue
            await _quiet(pending)
            overflow = await tab.evaluate(_OVERFLOW_JS)
            if overflow is not None:
                culprit = f"; the first element past the edge is {overflow['culprit']}" if overflow["culprit"] else ""
                add("overflow", f"page is {overflow['scroll']}px wide (scrollWidth > innerWidth){culprit}")
            if axe_script is not None:
                await tab.add_script_tag(content=axe_script)
                for violation in await tab.evaluate(_AXE_JS):
                    elements = f"{violation['count']} element{'s' if violation['count'] != 1 else ''}"
                    add("axe", f"{violation['id']}: {violation['help']} ({elements}, first: {violation['first']})")
    finally:
        await context.close()
    return findings


async def _quiet(pending: set[Request]) -> None:
    """Until no request has been in flight for `QUIET` seconds (scripts' fetches, such as the "Latest news"
    rail, change the page after `load`), or `QUIET_TIME_LIMIT`: a page that keeps polling is measured as it is.
    Playwright's own "networkidle" waits 500 ms per page."""
    clock = asyncio.get_running_loop().time
    deadline = clock() + QUIET_TIME_LIMIT
    calm_since = clock()
    while clock() - calm_since < QUIET and clock() < deadline:
        await asyncio.sleep(_TICK)
        if pending:
            calm_since = clock()
