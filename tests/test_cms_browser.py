"""A reporter files a story through Decap CMS on `newsgen serve`, in real headless Chromium, as a new user would.

The site is `newsgen init`'s with `cms:` added, serving the Decap bundle from
npm itself (`NEWSGEN_DECAP_JS`, which .ci/run installs): every request that
leaves 127.0.0.1 is refused and fails the test, so no test ever loads a CDN.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from conftest import png
from newsgen.cli import main
from serving import ServeProcess
from test_serve_browser import CHROMIUM, FLAGS, playwright

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page, Route

DECAP_JS = os.environ.get("NEWSGEN_DECAP_JS")
if not DECAP_JS and os.environ.get("NEWSGEN_REQUIRE_BROWSER"):
    raise RuntimeError("NEWSGEN_REQUIRE_BROWSER is set but NEWSGEN_DECAP_JS (Decap's dist/decap-cms.js) is not")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not DECAP_JS, reason="NEWSGEN_DECAP_JS is not set (npm pack decap-cms@3.16.3, see .ci/run)"),
]

SELF_HOSTED = "cms:\n  script: /admin/decap-cms.js\n"  # the bundle below static/admin/, published at /admin/
CLOCK = "1796169600"  # 2026-12-01T00:00Z, ServeProcess's SOURCE_DATE_EPOCH: the stories below are in the past
STEP_MS = 15_000  # Decap's longest step, loading its 5 MB bundle on a busy machine, takes about 3 s
CMS_FOLDERS = ("content", "pages", "static")
PREVIEW_SECONDS = 10  # a save reaches the preview after one rebuild, with the photo's resized copies


@dataclass
class Desk:
    """The CMS open in a logged-in tab, the preview serving it, and what the browser asked of whom."""

    site: Path
    server: ServeProcess
    context: BrowserContext
    page: Page
    foreign: list[str]  # URLs on other hosts, refused
    actions: list[str]  # what Decap asked the local backend (`persistEntry` saves), in order


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """One site, one `newsgen serve` and one browser for the module: Decap takes seconds to start."""
    site = tmp_path_factory.mktemp("cms") / "site"
    assert main(["init", str(site)]) == 0
    with (site / "newsgen.yaml").open("a", encoding="utf-8") as config:
        config.write(SELF_HOSTED)
    (site / "static" / "admin").mkdir()
    shutil.copyfile(str(DECAP_JS), site / "static" / "admin" / "decap-cms.js")
    server = ServeProcess(site)
    origin = server.url.rstrip("/")
    foreign: list[str] = []
    actions: list[str] = []

    def local_only(route: Route) -> None:
        request = route.request
        if not request.url.startswith(origin + "/"):
            foreign.append(request.url)
            route.abort()
            return
        if request.method == "POST" and request.url == origin + "/api/v1":
            actions.append(json.loads(request.post_data or "{}").get("action", ""))
        route.continue_()

    try:
        with playwright.sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            context = browser.new_context(timezone_id="UTC")  # the site's timezone, as `newsgen init` sets it
            context.set_default_timeout(STEP_MS)
            context.route("**/*", local_only)
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())  # "leave unsaved changes?": a test's story not saved
            page.goto(origin + "/admin/")
            assert foreign == [], "the CMS page loads nothing from another host"
            page.get_by_role("button", name="Login").click()  # the local backend needs no account: one click
            yield Desk(site, server, context, page, foreign, actions)
            browser.close()
    finally:
        server.stop()


def test_a_story_filed_with_a_photo_is_on_the_preview_and_passes_check(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    headline = "Pier 4 reopens after storm repairs"
    alt = "Workers bolt new planks onto Pier 4 at low tide"
    caption = "The deck was replaced plank by plank."
    photo = tmp_path / "pier-4.png"
    photo.write_bytes(png(1200, 800))
    page = _new_story(desk, headline, "2026-11-27T08:00")
    page.get_by_label("Dek (optional)").fill("The harbor's busiest pier is back in use, three weeks early.")
    page.get_by_label("Section (optional)").fill("City Hall")
    page.get_by_label("Tags (optional)").fill("Storm Recovery, Waterfront")
    _add_lead_photo(page, photo)
    page.get_by_label("Alt text").fill(alt)
    page.get_by_label("Caption (optional)").fill(caption)
    page.get_by_label("Credit (optional)").fill("Maria Okafor")
    _write_body(page, "The pier reopened on Friday morning.")
    pane = page.frame_locator("#preview-pane")  # Decap's preview, laid out by newsgen's story template
    pane.get_by_role("heading", level=1, name=headline).wait_for()
    assert pane.locator("link[rel=stylesheet][href='/theme/newsgen.css']").count() == 1, "in the theme's style"
    assert _loaded(pane.get_by_role("img", name=alt)), "the photo shows before the story is saved"
    _publish(page)
    _wait_until_saved(page)
    assert "persistEntry" in desk.actions, "saved through newsgen serve's local backend"

    folder = desk.site / "content" / "2026" / "11" / "pier-4-reopens-after-storm-repairs"  # a folder of its own
    story = _front_matter(folder / "index.md")
    assert (story["headline"], story["section"]) == (headline, "City Hall")
    assert story["tags"] == ["Storm Recovery", "Waterfront"]
    lead = story["image"][0] if isinstance(story["image"], list) else story["image"]
    assert (lead["alt"], lead["caption"], lead["credit"]) == (alt, caption, "Maria Okafor")
    assert lead["src"] == "pier-4.png", "the photo is filed beside the story"
    assert (folder / "pier-4.png").read_bytes() == photo.read_bytes()

    assert _check(desk.site, monkeypatch, capsys) == [], (
        "newsgen check finds nothing but the new site's example base_url"
    )

    preview = desk.context.new_page()
    _open_when_published(preview, desk.server.url, headline)
    assert preview.get_by_role("heading", level=1).inner_text() == headline
    figure = preview.locator("figure", has=preview.get_by_role("img", name=alt))
    assert caption in figure.locator("figcaption").inner_text()
    assert _loaded(figure.get_by_role("img")), "the photo loads"
    preview.close()
    assert desk.foreign == [], "every request stays on the preview's own origin"


def test_a_photo_without_alt_text_cannot_be_saved(desk: Desk, tmp_path: Path) -> None:
    photo = tmp_path / "gulls.png"
    photo.write_bytes(png(900, 600))
    files_before, actions_before = _files(desk.site), len(desk.actions)
    page = _new_story(desk, "Gulls return to the breakwater", "2026-11-28T09:30")
    _add_lead_photo(page, photo)
    _write_body(page, "The gulls are back.")
    _publish(page)

    page.get_by_role("alert").filter(has_text="you've missed a required field").wait_for()
    page.get_by_text("Alt text is required.", exact=True).wait_for()  # under the field, as Decap says it
    assert "persistEntry" not in desk.actions[actions_before:], "Decap refused it before sending it"
    assert _files(desk.site) == files_before, "nothing is written: no story, no photo"
    assert page.url.endswith("#/collections/articles/new"), "the editor stays open with the reporter's work"
    assert desk.foreign == []


def test_a_save_newsgen_would_reject_shows_newsgens_own_line(desk: Desk) -> None:
    """Sponsored content needs a sponsor: a rule the form can't enforce, which the local backend does."""
    files_before = _files(desk.site)
    page = _new_story(desk, "Harbor tours, brought to you by Bay Ferries", "2026-11-29T10:00")
    page.get_by_label("Label (optional)").click()
    page.get_by_role("option", name="Sponsored").click()
    _write_body(page, "Tours leave hourly.")
    _publish(page)

    problem = (
        "content/2026/11/harbor-tours-brought-to-you-by-bay-ferries/index.md:4: label: sponsored content needs sponsor"
    )
    page.get_by_role("alert").filter(has_text=problem).wait_for()
    assert _files(desk.site) == files_before, "nothing is written"
    assert desk.foreign == []


def _new_story(desk: Desk, headline: str, date: str) -> Page:
    """The editor of a new story, with its two required fields filled."""
    page = desk.page
    page.goto(f"{desk.server.url.rstrip('/')}/admin/#/collections/articles")
    page.get_by_role("link", name="Create entry of type Story").click()
    page.get_by_label("Headline", exact=True).fill(headline)
    page.get_by_label("Publication date", exact=True).fill(date)  # a datetime-local input, in the site's timezone
    return page


def _add_lead_photo(page: Page, photo: Path) -> None:
    """Upload `photo` through Decap's media library and choose it as the lead photo."""
    page.get_by_role("button", name="Add lead photo").click()
    page.get_by_role("button", name="Choose an image").click()
    library = page.get_by_role("dialog")
    library.locator("input[type=file]").set_input_files(photo)
    library.get_by_text(photo.name).wait_for()  # uploaded and selected
    library.get_by_role("button", name="Choose selected").click()
    page.get_by_role("button", name="Choose different image").wait_for()


def _write_body(page: Page, text: str) -> None:
    page.locator("[data-slate-editor]").click()  # the body's rich-text editor, the form's only one
    page.keyboard.type(text)


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Publish").click()
    page.get_by_role("menuitem", name="Publish now").click()


def _wait_until_saved(page: Page) -> None:
    """Decap opens the saved entry once the local backend has written it; else say what Decap said."""
    try:
        page.wait_for_url("**/entries/**")
    except playwright.TimeoutError:
        raise AssertionError(f"not saved: {page.get_by_role('alert').all_inner_texts()}") from None


def _front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text
    front: dict[str, Any] = yaml.safe_load(text.split("---\n", 2)[1])
    return front


def _check(site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """`newsgen check`'s problems, on the preview's clock, less `init`'s reminder to set `base_url`."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", CLOCK)
    capsys.readouterr()  # only what check prints
    code = main(["check", "--source", str(site), "--format", "json"])
    report = capsys.readouterr().out
    assert code == 0, report
    return [problem for problem in json.loads(report) if problem["code"] != "example-base-url"]


def _open_when_published(page: Page, base_url: str, headline: str) -> None:
    """Follow the front page's link to the story, reloading while the preview rebuilds."""
    deadline = time.monotonic() + PREVIEW_SECONDS
    link = page.get_by_role("link", name=headline).first
    page.goto(base_url)
    while link.count() == 0:
        assert time.monotonic() < deadline, f"{headline!r} is not on the preview's front page"
        page.wait_for_timeout(250)
        page.reload()
    link.click()


def _loaded(image: Locator) -> bool:
    """Whether an <img> has its picture, once the browser has tried (decoded, not a broken icon)."""
    return bool(image.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)"))


def _files(site: Path) -> set[str]:
    """The files in the folders the CMS may write to."""
    return {p.relative_to(site).as_posix() for top in CMS_FOLDERS for p in (site / top).rglob("*") if p.is_file()}
