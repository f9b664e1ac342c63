"""Quality gates in a real browser: axe-core finds no accessibility violation and the Nu HTML checker no error,
on every kind of page of the sample site and of a site of stories that break naive themes."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import build_site, png
from static_server import serving
from test_sample_site import copy_sample
from test_serve_browser import CHROMIUM, FLAGS, playwright
from test_theme_browser import EDGE_STORY

AXE = os.environ.get("NEWSGEN_AXE_JS")  # axe-core's axe.min.js (npm install axe-core); .ci/run sets it
VNU = os.environ.get("NEWSGEN_VNU_JAR")  # the Nu HTML checker's vnu.jar (npm install vnu-jar), run with Java
if os.environ.get("NEWSGEN_REQUIRE_BROWSER") and not (AXE and VNU and shutil.which("java")):
    raise RuntimeError("NEWSGEN_REQUIRE_BROWSER is set but NEWSGEN_AXE_JS, NEWSGEN_VNU_JAR or java is missing")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
]

# One page of every kind each site has.
SAMPLE_PAGES = [
    "/",
    "/page/1/",
    "/2026/11/20/ferry-fares-frozen/",
    "/city-hall/",
    "/tags/",
    "/authors/marisol-okafor/",
    "/series/harbor-bridge-rebuild/",
    "/about/",
    "/corrections/",
    "/latest/",
    "/404.html",
    "/es/",
    "/es/2026/11/20/tarifas-transbordador-congeladas/",
    "/2026/11/25/ferry-and-the-families/",
]
EDGE_PAGES = ["/2025/01/10/edge/", "/", "/city-hall/"]
SAMPLE_NOW = datetime(2026, 11, 30, tzinfo=UTC)  # after the sample site's newest story


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    sample = copy_sample(tmp_path_factory.mktemp("sample"))
    build_site(sample, now=SAMPLE_NOW)
    edge = tmp_path_factory.mktemp("edge")
    files: dict[str, str | bytes] = {
        "content/2025-01-10-edge.md": EDGE_STORY,
        "static/images/tall.png": png(80, 140),
        "newsgen.yaml": "base_url: https://news.example.org/\n",
    }
    for name, content in files.items():
        (edge / name).parent.mkdir(parents=True, exist_ok=True)
        (edge / name).write_bytes(content.encode() if isinstance(content, str) else content)
    build_site(edge)
    yield {"sample": sample / "build", "edge": edge / "build"}


@pytest.mark.skipif(not (VNU and shutil.which("java")), reason="vnu.jar or java missing (see .ci/run)")
@pytest.mark.parametrize("name", ["sample", "edge"])
def test_every_page_is_valid_html(sites: dict[str, Path], name: str) -> None:
    assert VNU is not None
    checked = subprocess.run(
        ["java", "-jar", VNU, "--errors-only", "--skip-non-html", "--format", "gnu", str(sites[name])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr


@pytest.mark.skipif(not AXE, reason="axe-core missing (see .ci/run)")
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("name", "path"), [*(("sample", p) for p in SAMPLE_PAGES), *(("edge", p) for p in EDGE_PAGES)])
def test_axe_finds_no_violation(sites: dict[str, Path], name: str, path: str, width: int) -> None:
    assert AXE is not None
    with serving(sites[name]) as url, playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url + path, wait_until="networkidle")
        page.add_script_tag(path=AXE)
        violations = page.evaluate(
            "async () => (await axe.run()).violations.map(v => `${v.id}: ${v.nodes.length} (${v.help})`)"
        )
        browser.close()
    assert violations == []


@pytest.mark.parametrize(("name", "path"), [*(("sample", p) for p in SAMPLE_PAGES), *(("edge", p) for p in EDGE_PAGES)])
def test_images_are_sized_offered_at_several_widths_and_the_first_loads_at_once(
    sites: dict[str, Path], name: str, path: str
) -> None:
    """What Lighthouse's image audits ask, on every page kind: no layout shift, no oversized file, no lazy first paint."""
    from bs4 import BeautifulSoup

    file = sites[name] / (path.strip("/") + ("" if path.endswith(".html") else "/index.html")).lstrip("/")
    page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    images = page.find_all("img")
    assert all(image.get("width") and image.get("height") for image in images), "every image has its size"
    photos = [image for image in images if str(image["src"]).lower().endswith((".jpg", ".jpeg", ".png", ".webp"))]
    assert all(image.get("srcset") for image in photos if str(image["src"]).startswith("/")), "local photos: srcset"
    in_main = page.select("main img")
    if in_main and path != "/latest/":  # the rail is shown below a story: its images may wait
        assert in_main[0].get("loading") != "lazy", "the first image of the page is its largest paint"
