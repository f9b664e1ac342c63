"""The sample site's English and Spanish editions and its Arabic opinion piece, read in headless Chromium.

What a reader and a search engine see: each page in its language (words, dates,
`lang`), the switcher leading to the same story in the other edition and back,
every hreflang alternate a page of the site that names the same set, and the
Arabic piece laid out right to left inside the English page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from static_server import serving
from test_sample_site import copy_sample, run_newsgen
from test_serve_browser import CHROMIUM, FLAGS, playwright

pytestmark = pytest.mark.slow

BASE = "https://ledger.example.org"  # the sample site's base_url: hreflang alternates are absolute
ENGLISH = "/2026/11/20/ferry-fares-frozen/"
SPANISH = "/es/2026/11/20/tarifas-transbordador-congeladas/"
ARABIC = "/2026/11/25/ferry-and-the-families/"

READ_PAGE = """() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    byline: document.querySelector('.byline').innerText.trim(),
    date: document.querySelector('article.story time').innerText.trim(),
    search: document.querySelector('.site-search button').innerText.trim(),
    switcher: [...document.querySelectorAll('.language-switcher a')].map(a => [a.getAttribute('href'), a.lang]),
    alternates: [...document.querySelectorAll('link[rel=alternate][hreflang]')]
        .map(link => [link.hreflang, link.getAttribute('href')]),
})"""

MEASURE_STORY = """() => {
    const story = document.querySelector('article.story');
    const box = story.getBoundingClientRect();
    const text = (element) => {  // where the text is, not the block's box
        const range = document.createRange();
        range.selectNodeContents(element);
        return range.getBoundingClientRect();
    };
    const headline = text(story.querySelector('h1'));
    const byline = text(story.querySelector('.byline'));
    return {
        lang: story.lang, dir: getComputedStyle(story).direction, page: document.documentElement.dir || 'ltr',
        headline: [box.right - headline.right, headline.left - box.left],
        byline: [box.right - byline.right, byline.left - box.left],
    };
}"""


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_sample(tmp_path_factory.mktemp("editions") / "site")
    result = run_newsgen(["build"], site)
    assert result.returncode == 0, result.stderr
    return site / "build"


def test_each_edition_reads_in_its_language_and_the_switcher_leads_to_the_other(sample_build: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with serving(sample_build) as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url + SPANISH)
        spanish = page.evaluate(READ_PAGE)
        page.click('.language-switcher a[lang="en"]')
        page.wait_for_url(url + ENGLISH)
        english = page.evaluate(READ_PAGE)
        browser.close()
    assert (spanish["lang"], spanish["dir"]) == ("es", "")
    assert spanish["byline"].startswith("Por ") and " y " in spanish["byline"]
    assert spanish["date"] == "viernes, 20 de noviembre de 2026"
    assert spanish["search"] == "Buscar"
    assert spanish["switcher"] == [[ENGLISH, "en"]]
    assert english["lang"] == "en" and english["byline"].startswith("By ")
    assert english["date"] == "Friday, November 20, 2026" and english["search"] == "Search"
    assert english["switcher"] == [[SPANISH, "es"]]
    expected = sorted([["en", BASE + ENGLISH], ["es", BASE + SPANISH], ["x-default", BASE + ENGLISH]])
    assert sorted(spanish["alternates"]) == sorted(english["alternates"]) == expected


def test_the_arabic_opinion_piece_runs_right_to_left_inside_the_english_page(sample_build: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with serving(sample_build) as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + ARABIC)
        story = page.evaluate(MEASURE_STORY)
        browser.close()
    assert (story["lang"], story["dir"], story["page"]) == ("ar", "rtl", "ltr")
    headline_from_right, headline_from_left = story["headline"]
    byline_from_right, byline_from_left = story["byline"]
    assert headline_from_right < 1 < headline_from_left, "the headline starts at the story's right edge"
    assert byline_from_right < 1 < byline_from_left, "the byline sits on the right"


def test_every_hreflang_alternate_is_a_page_of_the_site_that_names_the_same_versions(sample_build: Path) -> None:
    """What search engines check: alternates resolve, and each version lists the same set (itself included)."""
    from bs4 import BeautifulSoup

    def alternates(path: Path) -> frozenset[tuple[str, str]]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return frozenset(
            (str(link["hreflang"]), str(link["href"])) for link in soup.select("link[rel=alternate][hreflang]")
        )

    pages = {path: alternates(path) for path in sample_build.rglob("index.html")}
    linked = {path: found for path, found in pages.items() if found}
    assert len(linked) >= 6, "two translated stories, the two front pages, and translated sections"
    for path, found in linked.items():
        folder = path.parent.relative_to(sample_build).as_posix()
        own = f"{BASE}/" if folder == "." else f"{BASE}/{folder}/"
        assert own in {href for _, href in found}, f"{path} does not name itself"
        for _, href in found:
            target = sample_build / href.removeprefix(BASE).strip("/") / "index.html"
            assert target.is_file(), f"{path}: {href} is not a page of the site"
            assert pages[target] == found, f"{target} names other versions than {path}"
