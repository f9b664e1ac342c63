"""Search: the Pagefind index of the articles, kept or made again with the build, and the /search/ page in Chromium."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, clean_build, cli_build, digests
from newsgen.deploy import DeployResult
from newsgen.deploy.purge import PurgeList
from newsgen.deploy.s3 import cache_control
from newsgen.engine import BuildResult, search
from newsgen.engine.plan import whole
from newsgen.engine.search import SEARCH_FOLDER, named_by_content
from newsgen.errors import ContentError
from newsgen.theme import theme_dir
from static_server import serving

UNIQUE = "zanzibarite"  # in one story's body only


def stories() -> dict[str, str | bytes]:
    return {
        "newsgen.yaml": "search: true\n",  # off unless a site asks for it
        "content/2025-01-14-pier.md": article(
            "headline: Pier 4 reopens\ndek: After the storm.\ndate: 2025-01-14\nsection: City Hall\n"
            "tags: [Waterfront, Storm Recovery]\nauthors: [Jane Doe, Sam Roe]\nredirect_from: [/old/pier/]\n"
            "comments: [{author: Reader, date: 2025-01-15, body: Commentword in a reply.}]",
            f"The pier reopened on Friday.\n\nCrews found {UNIQUE} in the pilings.\n",
        ),
        "content/2025-01-15-ferry.md": article(
            "headline: Ferry fares frozen\ndek: Through the closure.\ndate: 2025-01-15\nsection: Transport\ntags: [Ferries]",
            "The ferry company holds its fares.\n",
        ),
        "content/2025-01-16-bridge.md": article(
            "headline: Bridge closes in January\ndate: 2025-01-16\nsection: Transport\naccess: subscribers",
            "The bridge closes for repairs.\n\n<!-- more -->\n\nOnly subscribers read about the paywallword.\n",
        ),
    }


def site_build(site: Path, output: Path | None = None, **options: object) -> BuildResult:
    """A build as `newsgen build` runs it, with the site's cache."""
    return cli_build(site, output or site / "build", **options)


def indexed(output: Path) -> dict[str, dict[str, object]]:
    """What the index holds for each page, by URL: its text and metadata, from Pagefind's fragment files."""
    found = {}
    for fragment in sorted((output / SEARCH_FOLDER / "fragment").iterdir()):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


def index_files(output: Path) -> dict[str, tuple[str, int]]:
    """Every file of the index with its digest and mtime."""
    folder = output / SEARCH_FOLDER
    return {name: (digest, (folder / name).stat().st_mtime_ns) for name, digest in digests(folder).items()}


def test_the_index_holds_each_article_with_its_metadata_and_nothing_else(make_site: SiteFactory) -> None:
    about = article("title: About us", "A small newsroom on the harbor.\n")  # page.html marks its content too
    site = make_site({**stories(), "pages/about.md": about})
    site_build(site)
    found = indexed(site / "build")
    assert sorted(found) == ["/2025/01/14/pier/", "/2025/01/15/ferry/", "/2025/01/16/bridge/", "/about/"], "no lists"
    assert found["/about/"]["meta"] == {"title": "About us"}
    pier = found["/2025/01/14/pier/"]
    assert pier["meta"] == {
        "title": "Pier 4 reopens",
        "dek": "After the storm.",
        "byline": "By Jane Doe and Sam Roe",
        "date": "Tuesday, January 14, 2025",
        "section": "City Hall",
        "tags": "Waterfront, Storm Recovery",
    }
    assert UNIQUE in str(pier["content"]) and "Commentword" not in str(pier["content"]), "comments are not the story"
    bridge = str(found["/2025/01/16/bridge/"]["content"])
    assert "closes for repairs" in bridge and "paywallword" not in bridge, "only the free lead, as in feeds"
    page = BeautifulSoup((site / "build/search/index.html").read_text(), "html.parser")
    assert page.select_one("form.search-form")["action"] == "/search/" and page.select_one("noscript")
    assert page.select_one("label[for=search-query]") and page.select_one("input#search-query[name=q]")
    header = BeautifulSoup((site / "build/index.html").read_text(), "html.parser").select_one(".site-search")
    assert header["action"] == "/search/" and header["method"] == "get" and header.select_one("input[name=q]")


def test_the_index_is_kept_while_no_article_changes_and_made_again_when_one_does(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(stories())
    site_build(site)
    kept = index_files(site / "build")
    theme_tags = (theme_dir() / "templates/tags.html").read_text()
    (site / "templates").mkdir()
    (site / "templates/tags.html").write_text(theme_tags.replace('<h1>{{ _("Tags") }}</h1>', "<h1>Every tag</h1>"))
    with monkeypatch.context() as patched:
        patched.setattr(search, "_run", lambda *_: pytest.fail("Pagefind ran, though no searchable page changed"))
        result = site_build(site)
    assert "tags/index.html" in result.changed and not any(name.startswith(SEARCH_FOLDER) for name in result.changed)
    assert index_files(site / "build") == kept, "the same files, bytes and mtimes"

    story = site / "content/2025-01-15-ferry.md"
    story.write_text(story.read_text().replace("holds its fares", "holds its fares, says the quokkaword memo"))
    with monkeypatch.context() as patched:
        patched.setattr(whole, "decide", lambda *_: pytest.fail("an edit to a story takes the quick way"))
        site_build(site)
    assert "quokkaword" in str(indexed(site / "build")["/2025/01/15/ferry/"]["content"])
    assert index_files(site / "build") != kept
    assert digests(site / "build") == clean_build(site, tmp_path)


def test_incremental_builds_give_a_clean_builds_index(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(stories())
    site_build(site)
    pier = site / "content/2025-01-14-pier.md"
    edits: list[tuple[str, Callable[[], object], bool]] = [
        (
            "a new story (engine/plan/changes.py)",
            lambda: (site / "content/2025-01-17-new.md").write_text(
                article("headline: Tugboat parade\ndate: 2025-01-17\nsection: Transport\ntags: [Ferries]", "Tugs.\n")
            ),
            True,
        ),
        (
            "an edit (engine/plan/quick.py)",
            lambda: pier.write_text(pier.read_text().replace("Friday", "Saturday")),
            True,
        ),
        ("a story deleted", lambda: (site / "content/2025-01-15-ferry.md").unlink(), False),
        ("every page changes", lambda: (site / "newsgen.yaml").write_text("title: The Ledger\nsearch: true\n"), False),
    ]
    for name, edit, quick in edits:
        edit()
        with monkeypatch.context() as patched:
            if quick:
                patched.setattr(whole, "decide", lambda *_, name=name: pytest.fail(f"{name} takes a quick way"))
            site_build(site)
        assert digests(site / "build") == clean_build(site, tmp_path), name
    assert "/2025/01/15/ferry/" not in indexed(site / "build") and "/2025/01/17/new/" in indexed(site / "build")


def test_search_false_gives_no_search_page_no_index_and_no_header_form(make_site: SiteFactory) -> None:
    site = make_site(stories())
    site_build(site)
    (site / "newsgen.yaml").write_text("search: false\n")
    site_build(site)
    output = site / "build"
    assert not (output / "search").exists() and not (output / SEARCH_FOLDER).exists(), "the last build's are gone"
    assert b"site-search" not in (output / "index.html").read_bytes()
    assert b"data-pagefind-body" in (output / "2025/01/15/ferry/index.html").read_bytes(), "the theme still marks it"


def test_a_failing_pagefind_fails_the_build_and_leaves_the_last_one(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(stories())
    site_build(site)
    before = digests(site / "build")
    (site / "content/2025-01-17-new.md").write_text(article("headline: Tugboat parade\ndate: 2025-01-17"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(ContentError) as failed:
        site_build(site)
    assert "newsgen.yaml:1: search: Pagefind failed (exit status 1)" in failed.value.problems[-1].format()
    assert digests(site / "build") == before


def test_a_file_in_the_index_folder_is_an_error(make_site: SiteFactory) -> None:
    site = make_site({**stories(), "static/pagefind/notes.txt": "mine"})
    with pytest.raises(ContentError) as failed:
        site_build(site)
    assert "/pagefind/notes.txt is in /pagefind/, where the search index goes" in failed.value.problems[-1].format()


@pytest.mark.slow
def test_a_reader_searches_from_the_header_and_opens_the_story(make_site: SiteFactory) -> None:
    from test_serve_browser import CHROMIUM, FLAGS, playwright  # skips (or fails) where the other browser tests do

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    files = stories()
    for day in range(1, 9):  # other stories that share its other words
        files[f"content/2024-12-0{day}-pilings-{day}.md"] = article(
            f"headline: Pilings report {day}\ndate: 2024-12-0{day}", "Crews found rust in the pilings.\n"
        )
    site = make_site(files)
    site_build(site)
    with serving(site / "build") as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        page.goto(f"{url}/2025/01/15/ferry/")
        page.focus(".site-search input")  # the header's form: a plain GET to /search/?q=
        page.keyboard.type(UNIQUE)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{url}/search/?q={UNIQUE}")
        form_top = page.locator(".search-form").bounding_box()
        page.wait_for_selector(".search-result", timeout=15_000)
        assert page.locator(".search-form").bounding_box() == form_top, "results appear below, nothing moves"
        assert page.input_value("#search-query") == UNIQUE
        assert page.locator(".search-result h2").all_inner_texts() == ["Pier 4 reopens"]
        assert page.inner_text("#search-status") == "1 story found."

        page.fill("#search-query", "pilings")  # as the reader types
        page.wait_for_function("document.querySelectorAll('.search-result').length === 9", timeout=15_000)
        page.fill("#search-query", f"pilings {UNIQUE}")  # a story must hold every word
        page.wait_for_function("document.querySelectorAll('.search-result').length === 1", timeout=15_000)
        assert page.locator(".search-result h2").all_inner_texts() == ["Pier 4 reopens"]
        page.focus(".search-result h2 a")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{url}/2025/01/14/pier/")
        assert page.inner_text("h1") == "Pier 4 reopens"
        browser.close()


def test_the_index_parts_named_by_their_bytes_are_cached_for_good_and_never_purged(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    site = make_site(stories())
    site_build(site)
    parts = sorted(name for name in digests(site / "build") if name.startswith(SEARCH_FOLDER))
    hashed = [name for name in parts if named_by_content(name)]
    assert {name.split("/")[1].split("_")[0] for name in hashed} == {"fragment", "index", "pagefind.en"}
    assert {"pagefind/pagefind-entry.json", "pagefind/pagefind.js"} <= set(parts) - set(hashed)
    assert {cache_control(name) for name in hashed} == {"public, max-age=31536000, immutable"}
    assert cache_control("pagefind/pagefind-entry.json") == "public, max-age=300", "it names the current parts"
    result = DeployResult(uploaded=["2025/01/15/ferry/index.html", "pagefind/pagefind-entry.json", *hashed])
    urls = PurgeList(site, "https://news.example.org/", "s3://bucket").urls(result)
    assert urls == [
        "https://news.example.org/2025/01/15/ferry/",
        "https://news.example.org/pagefind/pagefind-entry.json",
    ]
