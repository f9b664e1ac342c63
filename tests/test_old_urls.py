"""Old URLs keep working: `aliases` and `redirect_from` become redirect pages; permalinks can end in .html."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, run_cli
from newsgen.read.oldsitemap import sitemap_paths


def redirect_of(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / "build" / name).read_text(encoding="utf-8"), "html.parser")


def test_aliases_and_redirect_from_write_plain_redirect_pages(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/2025-01-16-bridge.md": article(
                "headline: Bridge closes\ndate: 2025-01-16\naliases: [/old/bridge/, /2025/01/16/bridge-closes.html]"
            ),
            "content/2025-01-10-pier.md": article("headline: Pier <reopens>\ndate: 2025-01-10\nredirect_from: /pier"),
        }
    )
    build_site(site)
    for name, target in [
        ("old/bridge/index.html", "/2025/01/16/bridge/"),
        ("2025/01/16/bridge-closes.html", "/2025/01/16/bridge/"),
        ("pier/index.html", "/2025/01/10/pier/"),
    ]:
        page = redirect_of(site, name)
        assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url=https://example.com{target}"
        assert page.find("link", rel="canonical")["href"] == f"https://example.com{target}"
        assert page.find("a")["href"] == target and not page.find("script")
    assert "Pier &lt;reopens&gt;" in (site / "build/pier/index.html").read_text(encoding="utf-8"), "escaped as text"
    sitemap = (site / "build/sitemap.xml").read_text(encoding="utf-8")
    assert "/old/bridge/" not in sitemap and "/2025/01/16/bridge/" in sitemap, "redirects are not pages to index"


def test_an_old_url_that_is_also_a_page_is_a_collision(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {
            "content/2025-01-16-bridge.md": article("headline: Bridge\ndate: 2025-01-16\naliases: [/2025/01/10/pier/]"),
            "content/2025-01-10-pier.md": article("headline: Pier\ndate: 2025-01-10"),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "/2025/01/10/pier/ is also the URL of" in err


def test_an_article_permalink_may_end_in_html(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": "permalinks:\n  article: /{yyyy}/{mm}/{dd}/{slug}.html\n",
            "content/2022-01-13-release-notes.md": article("headline: Release notes\ndate: 2022-01-13"),
        }
    )
    build_site(site)
    page = site / "build/2022/01/13/release-notes.html"
    assert page.is_file() and "<h1>Release notes</h1>" in page.read_text(encoding="utf-8")
    assert "/2022/01/13/release-notes.html" in (site / "build/index.html").read_text(encoding="utf-8")


def test_check_lists_the_urls_of_an_old_sitemap_that_are_gone(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = make_site(
        {
            "content/2025-01-16-bridge.md": article("headline: Bridge\ndate: 2025-01-16\naliases: [/old/bridge.html]"),
            "content/2025-01-10-pier.md": article("headline: Pier\ndate: 2025-01-10"),
        }
    )
    old = tmp_path / "sitemap.xml"
    old.write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "<url><loc>https://old.example.org/2025/01/10/pier/</loc></url>\n"
        "<url><loc>https://old.example.org/old/bridge.html</loc></url>\n"
        "<url><loc>https://old.example.org/2024/12/01/gone/</loc></url>\n"
        "</urlset>\n"
    )
    code, out, _ = run_cli(["check", "--source", str(site), "--compare-sitemap", str(old)], capsys)
    lost = [line for line in out.splitlines() if "is not on this site" in line]
    assert code == 0 and len(lost) == 1 and "sitemap.xml:5:" in lost[0] and "/2024/12/01/gone/" in lost[0]
    assert "lost-url" in out.split("Problems by code:")[1], "the summary table counts them"


def _sitemap(root: str, entries: list[str]) -> str:
    body = "".join(
        f"<{'sitemap' if root == 'sitemapindex' else 'url'}><loc>{loc}</loc></{'sitemap' if root == 'sitemapindex' else 'url'}>\n"
        for loc in entries
    )
    return f'<?xml version="1.0"?>\n<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}</{root}>\n'


def test_compare_sitemap_follows_a_hugo_index_whose_parts_share_its_file_name(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Hugo's multilingual sitemap.xml lists /en/sitemap.xml and /fr/sitemap.xml: each part is read, by its folder."""
    site = make_site({"content/2025-01-10-pier.md": article("headline: Pier\ndate: 2025-01-10")})
    old = tmp_path / "public"
    (old / "en").mkdir(parents=True)
    (old / "fr").mkdir()
    parts = ["https://old.example.org/en/sitemap.xml", "https://old.example.org/fr/sitemap.xml"]
    (old / "sitemap.xml").write_text(_sitemap("sitemapindex", parts))
    (old / "en/sitemap.xml").write_text(_sitemap("urlset", ["https://old.example.org/2025/01/10/pier/"]))
    (old / "fr/sitemap.xml").write_text(
        _sitemap("urlset", ["https://old.example.org/fr/", "https://old.example.org/fr/quai/"])
    )
    code, out, err = run_cli(["check", "--source", str(site), "--compare-sitemap", str(old / "sitemap.xml")], capsys)
    lost = sorted(line for line in out.splitlines() if "is not on this site" in line)
    assert code == 0 and not err
    assert len(lost) == 2 and "fr/sitemap.xml:3:" in lost[0] and "/fr/ was" in lost[0] and "/fr/quai/" in lost[1]


def test_a_sitemap_index_in_a_cycle_with_50000_urls_is_read_once_with_every_line(tmp_path: Path) -> None:
    """An index that lists itself and a part that lists the index back end; every URL is found once, on its line.

    Not timed: reading is one pass per file (`benchmarks/old_sitemap.py` times it: 50,000 URLs in about 0.3 s).
    """
    urls = [f"https://old.example.org/story-{n}/" for n in range(50_000)]
    (tmp_path / "sitemap.xml").write_text(
        _sitemap("sitemapindex", ["https://old.example.org/sitemap.xml", "https://old.example.org/blog/part.xml"])
    )
    (tmp_path / "part.xml").write_text(
        _sitemap("sitemapindex", ["https://old.example.org/sitemap.xml", "https://old.example.org/part.xml"])
    )
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog/part.xml").write_text(_sitemap("urlset", [*urls, urls[0]]))
    found, problems = sitemap_paths(str(tmp_path / "sitemap.xml"))
    assert not problems and [url.path for url in found] == [f"/story-{n}/" for n in range(50_000)]
    assert {url.sitemap for url in found} == {tmp_path / "blog/part.xml"}
    assert [url.line for url in found[:2]] == [3, 4] and found[-1].line == 50_002
