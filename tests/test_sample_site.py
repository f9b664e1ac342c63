"""The repository's own sample site: builds cleanly, reproducibly, and from an installed wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import digests
from newsgen.engine.search import SEARCH_FOLDER

REPO = Path(__file__).resolve().parents[1]
SAMPLE_NOW = "1796169600"  # 2026-12-01T00:00:00Z: after every sample article but the embargoed one


def run_newsgen(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": SAMPLE_NOW, **env}
    return subprocess.run(
        [sys.executable, "-m", "newsgen", *args], cwd=cwd, env=environment, capture_output=True, text=True
    )


def copy_sample(destination: Path) -> Path:
    for name in ("content", "pages", "templates", "static", "newsgen.yaml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, destination / name)
    return destination


def test_sample_site_builds_without_warnings_and_every_page_is_sound(tmp_path: Path) -> None:
    site = copy_sample(tmp_path / "site")
    result = run_newsgen(["build"], site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("Built ") and "from 14 articles" in result.stdout
    pages = sorted((site / "build").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        spanish = page.relative_to(site / "build").parts[0] == "es"  # the Spanish edition, content/es/
        assert soup.html["lang"] == ("es" if spanish else "en"), page
        assert len(soup.find_all("h1")) == 1, page
        assert all(img.get("alt") for img in soup.find_all("img")), page
        for img in soup.find_all("img"):
            assert img.get("width") and img.get("height"), (page, img)
            assert (site / "build" / img["src"].lstrip("/")).is_file(), (page, img["src"])
        for link in soup.find_all("a", href=True):
            href = link["href"]
            if href.startswith("/"):
                target = site / "build" / href.split("#")[0].lstrip("/")
                assert target.is_file() or (target / "index.html").is_file(), (page, href)
    feeds = sorted((site / "build").rglob("feed.xml"))
    assert len(feeds) > 10
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
    assert not list((site / "build").rglob("*harbor-bridge-demolition*")), "embargoed article was published"
    assert not list((site / "build").rglob("*budget-amendments*")), "draft was published"


def test_builds_are_byte_identical_across_hash_seeds_timezones_and_paths(tmp_path: Path) -> None:
    first = copy_sample(tmp_path / "one")
    second = copy_sample(tmp_path / "elsewhere" / "two")
    assert run_newsgen(["build"], first, PYTHONHASHSEED="1", TZ="Asia/Tokyo").returncode == 0
    assert run_newsgen(["build"], second, PYTHONHASHSEED="2", TZ="America/Los_Angeles", LC_ALL="C").returncode == 0
    assert digests(first / "build") == digests(second / "build")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("newsgen-*.whl"))


def test_wheel_carries_the_default_theme_but_not_the_sample_photos(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in ("article.html", "list.html", "tags.html", "404.html", "base.html", "_macros.html"):
        assert f"newsgen/theme/templates/{template}" in names
    assert "newsgen/theme/static/theme/newsgen.css" in names
    assert {"newsgen/theme/locales/es.po", "newsgen/theme/locales/newsgen.pot"} <= names, "the theme's catalogs"
    assert {"newsgen/theme/workflows/publish.yml", "newsgen/theme/workflows/preview.yml"} <= names, (
        "the workflows newsgen init writes"
    )
    assert not [name for name in names if "/images/" in name or name.startswith("content/")]


def test_installed_wheel_builds_a_site_that_has_only_content(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True
    )
    site = tmp_path / "mysite"
    (site / "content").mkdir(parents=True)
    (site / "content/2025-01-16-first.md").write_text("---\nheadline: First story\ndate: 2025-01-16\n---\nHello.\n")
    result = run_newsgen(["build"], site, PYTHONPATH=str(target))
    assert result.returncode == 0, result.stderr
    assert (
        "theme"
        in subprocess.run(
            [sys.executable, "-c", "import newsgen.theme as t; print(t.theme_dir())"],
            env={**os.environ, "PYTHONPATH": str(target)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    page = (site / "build/2025/01/16/first/index.html").read_text(encoding="utf-8")
    assert "<h1>First story</h1>" in page and 'href="/theme/newsgen.css"' in page
    assert (site / "build/theme/newsgen.css").is_file()


def test_sample_site_builds_the_same_pages_with_cmark(tmp_path: Path) -> None:
    default = copy_sample(tmp_path / "default")
    cmark = copy_sample(tmp_path / "cmark")
    with (cmark / "newsgen.yaml").open("a", encoding="utf-8") as config:
        config.write("markdown: {engine: cmark}\n")
    for site in (default, cmark):
        result = run_newsgen(["build", "--no-cache"], site)
        assert result.returncode == 0 and result.stderr == "", result.stderr
    # The search index's files are named by what they hold, which follows each engine's HTML: the pages are compared.
    pages = [
        sorted(name for name in digests(site / "build") if not name.startswith(SEARCH_FOLDER))
        for site in (default, cmark)
    ]
    assert pages[0] == pages[1]
    page = BeautifulSoup(
        (cmark / "build/2026/10/09/harbor-bridge-inspection-findings/index.html").read_text(), "html.parser"
    )
    figure = page.select_one(".story-body figure")
    assert figure.img["width"] == "1000" and "Calder County Department of Public Works" in figure.figcaption.get_text()
