"""The configured logo in the site header: its size from the file, one problem line when it can't be shown."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import SiteFactory, article, build_site, digests, png, run_cli
from newsgen.config import load_config

STORY = article("headline: Pier reopens\ndate: 2025-01-16\nsection: Port\n")
WIDE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 50"><rect width="300" height="50"/></svg>'


def logo_site(make_site: SiteFactory, logo: str, files: dict[str, str | bytes] | None = None) -> Path:
    config = f"title: Harbor Ledger\nbase_url: https://news.example.org/\n{logo}\n"
    return make_site({"newsgen.yaml": config, "content/2025-01-16-pier.md": STORY, **(files or {})})


def header_logo(site: Path, url: str = "/") -> Tag:
    page = BeautifulSoup((site / "build" / url.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")
    img = page.select_one(".site-header .site-title a[href='/'] img.site-logo")
    assert img is not None, f"no logo in the header of {url}"
    return img


@pytest.mark.parametrize(
    ("logo", "files", "size"),
    [
        ("logo: /images/logo.png", {"static/images/logo.png": png(600, 60)}, ("600", "60")),
        ("logo: /images/logo.svg", {"static/images/logo.svg": WIDE_SVG}, ("300", "50")),  # from its viewBox
        ("logo: /theme/favicon.svg", {}, ("32", "32")),  # a theme asset
        ("logo: {src: 'https://cdn.example.org/l.png', width: 240, height: 40}", {}, ("240", "40")),
    ],
)
def test_header_shows_the_logo_at_its_size(
    make_site: SiteFactory, logo: str, files: dict[str, str | bytes], size: tuple[str, str]
) -> None:
    site = logo_site(make_site, logo, files)
    build_site(site)
    for url in ("/", "/2025/01/16/pier/", "/port/"):
        img = header_logo(site, url)
        assert img["alt"] == "Harbor Ledger" and (img["width"], img["height"]) == size
    src = str(img["src"])
    assert src.startswith(("/", "https://"))
    page = BeautifulSoup((site / "build/2025/01/16/pier/index.html").read_text(encoding="utf-8"), "html.parser")
    publisher = json.loads(page.find("script", type="application/ld+json").get_text())["publisher"]
    assert publisher["logo"]["url"] == (src if src.startswith("https://") else "https://news.example.org" + src)


def test_without_a_logo_the_header_shows_the_title(make_site: SiteFactory) -> None:
    site = make_site({"newsgen.yaml": "title: Harbor Ledger\n", "content/2025-01-16-pier.md": STORY})
    build_site(site)
    assert '<p class="site-title"><a href="/">Harbor Ledger</a></p>' in (site / "build/index.html").read_text()


@pytest.mark.parametrize(
    ("logo", "files", "message"),
    [
        ("logo: /images/missing.png", {}, "no file static/images/missing.png"),
        ("logo: {src: 'https://cdn.example.org/l.png', width: 240}", {}, "is on another host"),
        ("logo: {src: /l.png, width: 10, height: 10}", {"static/l.png": png(20, 20)}, "read from its file"),
        ("logo: /l.svg", {"static/l.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>'}, "declares no size"),
        ("logo: /l.png", {"static/l.png": "not a picture"}, "not an image file"),
        ("logo: images/l.png", {}, "must be a path on this site"),
    ],
)
def test_a_logo_that_cant_be_shown_is_one_problem_line(
    make_site: SiteFactory,
    capsys: pytest.CaptureFixture[str],
    logo: str,
    files: dict[str, str | bytes],
    message: str,
) -> None:
    site = logo_site(make_site, logo, files)
    _, problems = load_config(site)
    assert [(p.line, p.field) for p in problems] == [(3, "logo")] and message in problems[0].message
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    lines = [line for line in err.splitlines() if "logo" in line]
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{site / 'newsgen.yaml'}:3: logo: ")


def test_a_logo_on_another_host_without_its_size_is_named_in_structured_data_only(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Configs written before the header showed logos keep building: one warning says how to show it."""
    site = logo_site(make_site, "logo: https://cdn.example.org/l.png", {})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    lines = [line for line in err.splitlines() if "newsgen.yaml" in line]
    assert (
        code == 0
        and len(lines) == 1
        and "newsgen.yaml:3: warning: logo: " in lines[0]
        and "width: …, height: …" in lines[0]
    )
    page = BeautifulSoup((site / "build/2025/01/16/pier/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".site-logo") is None and page.select_one(".site-title a").get_text() == "Harbor Ledger"
    publisher = json.loads(page.find("script", type="application/ld+json").get_text())["publisher"]
    assert publisher["logo"]["url"] == "https://cdn.example.org/l.png"


@pytest.mark.slow
@pytest.mark.parametrize("width", [390, 1280])
def test_a_large_logo_fits_the_header_and_keeps_its_box_while_loading(make_site: SiteFactory, width: int) -> None:
    """A 4000x100 file shows 40px high, undistorted, never wider than the page, in its box before it loads; and a logo
    that fails to load does not widen the page either."""
    from static_server import serving
    from test_serve_browser import CHROMIUM, FLAGS, playwright

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    site = logo_site(make_site, "logo: /logo.png", {"static/logo.png": png(4000, 100)})
    build_site(site)
    measure = """() => { const img = document.querySelector('.site-logo'), box = img.getBoundingClientRect();
        return {width: box.width, height: box.height, right: box.right, scroll: document.documentElement.scrollWidth,
                fit: getComputedStyle(img).objectFit, shown: img.naturalWidth > 0}; }"""
    with serving(site / "build") as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(url + "/", wait_until="networkidle")
        loaded = page.evaluate(measure)
        waiting = browser.new_page(viewport={"width": width, "height": 800})
        waiting.route("**/logo.png", lambda route: None)  # never answered: the logo has not arrived yet
        waiting.goto(url + "/", wait_until="domcontentloaded")
        waiting.wait_for_function("() => getComputedStyle(document.querySelector('.site-logo')).objectFit == 'contain'")
        before = waiting.evaluate(measure)
        failed = browser.new_page(viewport={"width": width, "height": 800})
        failed.route("**/logo.png", lambda route: route.abort())  # a broken logo shows its alt text instead
        failed.goto(url + "/", wait_until="networkidle")
        broken = failed.evaluate(measure)
        browser.close()
    assert loaded["height"] == 40 and loaded["fit"] == "contain"  # the picture keeps its shape inside the box
    assert loaded["right"] <= width and loaded["scroll"] == width
    assert not before["shown"] and (before["width"], before["height"]) == (loaded["width"], loaded["height"])
    assert broken["scroll"] == width


def test_a_new_logo_file_of_another_size_reaches_every_page(make_site: SiteFactory, tmp_path: Path) -> None:
    """The size is read from the file, not from newsgen.yaml: replacing the file alone rebuilds as a clean build would."""
    site = logo_site(make_site, "logo: /logo.png", {"static/logo.png": png(200, 40)})
    build_site(site)
    (site / "static/logo.png").write_bytes(png(300, 50))
    build_site(site)
    assert (header_logo(site, "/2025/01/16/pier/")["width"], header_logo(site, "/port/")["height"]) == ("300", "50")
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    build_site(clean)
    assert digests(site / "build") == digests(clean / "build")
