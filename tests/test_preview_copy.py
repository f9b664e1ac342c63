"""`newsgen build --base-url URL --noindex`: the copy a pull request's preview publishes, kept out of search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SiteFactory, article, run_cli

STORY = article(
    """
    headline: Pier 4 reopens
    dek: Three weeks early.
    date: 2026-11-27T08:00:00-05:00
    section: City Hall
    """
)
CONFIG = "title: The Harbor Ledger\nbase_url: https://news.example.org/\n"


def _site(make_site: SiteFactory) -> Path:
    return make_site({"newsgen.yaml": CONFIG, "content/2026/11/2026-11-27-pier.md": STORY})


def _robots_meta(page: Path) -> list[str]:
    return re.findall(r'<meta name="robots" content="([^"]*)">', page.read_text(encoding="utf-8"))


def test_a_preview_copy_is_noindex_everywhere_and_points_at_its_own_host(
    make_site: SiteFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(make_site)
    out = tmp_path / "preview"
    preview = "https://pr-12.preview.example.org"
    code, _, _ = run_cli(
        ["build", "--source", str(site), "--output", str(out), "--base-url", preview, "--noindex", "--jobs", "1"],
        capsys,
    )
    assert code == 0
    pages = sorted(out.rglob("*.html"))
    with_head = [page for page in pages if "<head>" in page.read_text(encoding="utf-8")]
    assert len(with_head) > 5 and all(_robots_meta(page) == ["noindex"] for page in with_head)
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    story = (out / "2026/11/27/pier/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{preview}/2026/11/27/pier/">' in story
    assert "news.example.org" not in (out / "sitemap.xml").read_text() + (out / "feed.xml").read_text()


def test_the_published_build_stays_indexable_after_a_preview_in_the_same_folder(
    make_site: SiteFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The preview settings shape every page: building without them again rewrites them all, with nothing kept."""
    site = _site(make_site)
    out = tmp_path / "build"
    preview = ["--base-url", "https://p.example.org", "--noindex"]
    run_cli(["build", "--source", str(site), "--output", str(out), "--jobs", "1", *preview], capsys)
    code, _, _ = run_cli(["build", "--source", str(site), "--output", str(out), "--jobs", "1"], capsys)
    assert code == 0
    assert _robots_meta(out / "index.html") == ["max-image-preview:large"]
    assert (out / "robots.txt").read_text().startswith("User-agent: *\nAllow: /\n")
    assert "https://news.example.org/2026/11/27/pier/" in (out / "2026/11/27/pier/index.html").read_text()


def test_a_base_url_that_is_not_an_address_is_refused(
    make_site: SiteFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        run_cli(["build", "--source", str(_site(make_site)), "--base-url", "pr-12.preview"], capsys)
    assert exit_.value.code == 2
    assert "--base-url: must be an absolute http(s) URL" in capsys.readouterr().err
