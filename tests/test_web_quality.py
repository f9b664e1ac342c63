"""`newsgen check --web-quality`: a built site's pages in headless Chromium, as a newsroom that changes the theme runs it."""

from __future__ import annotations

import os
import re
import shutil
import sys
from datetime import UTC, datetime
from importlib.util import find_spec
from pathlib import Path

import pytest

from conftest import SiteFactory, article, build_site, png, run_cli
from test_sample_site import copy_sample

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PLAYWRIGHT = find_spec("playwright") is not None
if os.environ.get("NEWSGEN_REQUIRE_BROWSER") and not (CHROMIUM and PLAYWRIGHT):
    raise RuntimeError("NEWSGEN_REQUIRE_BROWSER is set but chromium or Playwright is missing")
needs_browser = pytest.mark.skipif(
    not (CHROMIUM and PLAYWRIGHT), reason="Debian's chromium (apt-get install chromium) or Playwright is missing"
)
SAMPLE_NOW = datetime(2026, 11, 30, tzinfo=UTC)  # after the sample site's newest story
STORY = article("headline: Ferry fares frozen\ndek: The council votes.\ndate: 2025-01-16\ntags: [Ferries]")

# A theme's tags page with the faults the check is for: a banner of fixed width, a script that throws,
# and an image without its size.
FAULTY_TAGS_PAGE = """{% extends "base.html" %}
{% block main %}
<h1>Tags</h1>
<div class="promo-banner" style="width: 900px">Subscribe</div>
<img src="/images/chart.png" alt="A chart of ferry fares">
<script>throw new Error("theme bug");</script>
{% endblock %}
"""


@pytest.mark.slow
@needs_browser
def test_the_sample_site_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = copy_sample(tmp_path / "site")
    build_site(site, now=SAMPLE_NOW)
    code, out, err = run_cli(["check", "--web-quality", "--source", str(site)], capsys)
    assert code == 0, out + err
    assert out.splitlines()[-1].startswith("0 errors, "), out  # warnings: local photos without srcset, for now
    assert (
        "Checked 11 pages (home, article, section, tag, author, series, page, tags index, latest, corrections, 404)"
        in (err)
    )


@pytest.mark.slow
@needs_browser
def test_a_theme_fault_is_one_line_naming_page_and_width(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "content/2025-01-16-ferry.md": STORY,
            "templates/tags.html": FAULTY_TAGS_PAGE,
            "static/images/chart.png": png(40, 30),
            "newsgen.yaml": "base_url: https://news.example.org/\n",
        }
    )
    build_site(site)
    monkeypatch.chdir(site)
    monkeypatch.setenv("NEWSGEN_AXE_JS", "missing/axe.min.js")
    monkeypatch.delenv("NEWSGEN_VNU_JAR", raising=False)
    code, out, err = run_cli(["check", "--web-quality"], capsys)
    assert code == 1
    page = "build/tags/index.html"
    problems = [line for line in out.splitlines() if line.startswith(page)]
    assert re.fullmatch(
        rf"{page}:1: error: 390px: overflow: page is 9\d\dpx wide \(scrollWidth > innerWidth\);"
        " the first element past the edge is div.promo-banner",
        problems[0],
    ), problems
    assert problems[1] == f"{page}:1: error: console: uncaught Error: theme bug"
    at_its_line = [re.sub(r"^([^:]+):\d+:", r"\1:LINE:", line) for line in problems[2:]]  # below base.html's head
    assert at_its_line == [
        f"{page}:LINE: warning: img: <img src='/images/chart.png'> has no srcset; phones download the full-size file",
        f"{page}:LINE: error: img: <img src='/images/chart.png'> has no width and height attributes;"
        " the page moves when it loads",
    ]
    assert [line for line in out.splitlines() if ": error: " in line and not line.startswith(page)] == []
    notes = err.splitlines()[:-1]
    assert notes == [
        "newsgen: note: accessibility check (axe-core) skipped: NEWSGEN_AXE_JS=missing/axe.min.js is not a file;"
        " npm install axe-core, or set NEWSGEN_AXE_JS",
        "newsgen: note: HTML validation (vnu.jar) skipped: no node_modules/vnu-jar/build/dist/vnu.jar;"
        " npm install vnu-jar, or set NEWSGEN_VNU_JAR",
    ]


def test_a_site_not_built_is_one_line_and_a_usage_error(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": STORY})
    code, out, err = run_cli(["check", "--web-quality", "--source", str(site)], capsys)
    assert (code, out) == (2, "")
    assert err == f"newsgen: error: {site / 'build'}: no newsgen build here; build the site first (newsgen build)\n"


def test_without_playwright_it_says_what_to_install(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": STORY})
    build_site(site)
    monkeypatch.setitem(sys.modules, "playwright", None)  # `import playwright` fails as if it were not installed
    code, out, err = run_cli(["check", "--web-quality", "--source", str(site)], capsys)
    assert (code, out) == (2, "")
    assert err == "newsgen: error: --web-quality needs Playwright: pip install 'newsgen[web-quality]'\n"
