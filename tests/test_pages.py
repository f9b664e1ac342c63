"""Standalone pages (`pages/`): URLs, menus, sitemaps, collisions, images, `newsgen init`, the quick way; author profiles."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

import newsgen.engine.plan.whole  # noqa: F401 - monkeypatched below
from conftest import SiteFactory, article, build_site, clean_build, cli_build, digests, png, run_cli
from newsgen.engine import BuildResult
from newsgen.engine.search import SEARCH_FOLDER

STORY = article("headline: Ferry fares frozen\ndek: Prices hold.\ndate: 2025-12-31T10:00:00Z\nsection: Transport")


def page(front_matter: str, body: str = "Words of the page.\n") -> str:
    return article(front_matter, body)


def soup(output: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((output / name).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def paged_site(make_site: SiteFactory) -> Path:
    return make_site(
        {
            "content/2025-12-31-ferry.md": STORY,
            "pages/about.md": page("title: About us\ndescription: Who we are.\nmenu: footer\nmenu_order: 2"),
            "pages/contact.md": page("title: Contact\nmenu: footer\nmenu_order: 1\nupdated: 2025-06-01"),
            "pages/policies/ethics.md": page("title: Ethics\nmenu: header"),
            "pages/policies/index.md": page("title: Our policies\nmenu: footer\nmenu_order: 2"),
            "pages/tips.md": page("title: Send a tip\nurl: /tips-line/\nmenu: header"),
            "pages/masthead.md": page("title: Masthead"),
        }
    )


def test_a_page_url_comes_from_its_path_or_url_key(paged_site: Path) -> None:
    build_site(paged_site)
    output = paged_site / "build"
    for name, title in [
        ("about/index.html", "About us"),
        ("policies/ethics/index.html", "Ethics"),
        ("policies/index.html", "Our policies"),
        ("tips-line/index.html", "Send a tip"),
    ]:
        html = soup(output, name)
        assert html.h1.get_text() == title and "Words of the page." in html.select_one(".story-body").get_text()
        canonical = f"https://example.com/{name.removesuffix('index.html')}"
        assert html.find("link", rel="canonical")["href"] == canonical
    assert not (output / "tips").exists()
    about = soup(output, "about/index.html")
    assert about.find("meta", attrs={"name": "description"})["content"] == "Who we are."
    assert about.select_one(".updated") is None
    contact = soup(output, "contact/index.html")
    assert contact.select_one(".updated time")["datetime"] == "2025-06-01T00:00:00+00:00"
    assert "Updated June 1, 2025" in contact.select_one(".updated").get_text(" ", strip=True)


def test_menus_list_pages_by_order_then_title_after_the_sections(paged_site: Path) -> None:
    build_site(paged_site)
    home = soup(paged_site / "build", "index.html")
    header = [(a.get_text(), a["href"]) for a in home.select(".site-header nav a")]
    assert header == [("Transport", "/transport/"), ("Ethics", "/policies/ethics/"), ("Send a tip", "/tips-line/")]
    footer = [(a.get_text(), a["href"]) for a in home.select(".site-footer nav a")]
    assert footer == [("Contact", "/contact/"), ("About us", "/about/"), ("Our policies", "/policies/")]
    about = soup(paged_site / "build", "about/index.html")
    assert about.select_one('.site-footer nav a[aria-current="page"]')["href"] == "/about/"


def test_pages_are_in_the_sitemap_but_not_in_lists_feeds_or_the_news_sitemap(paged_site: Path) -> None:
    build_site(paged_site)
    output = paged_site / "build"
    sitemap = (output / "sitemap.xml").read_text()
    assert "<url><loc>https://example.com/about/</loc></url>" in sitemap
    assert "<url><loc>https://example.com/contact/</loc><lastmod>2025-06-01T00:00:00+00:00</lastmod></url>" in sitemap
    for name in ("feed.xml", "feed.json", "news-sitemap.xml", "index.html", "transport/index.html"):
        text = (output / name).read_text()
        assert "Words of the page" not in text and "/contact/</loc>" not in text, name
    assert [a["href"] for a in soup(output, "index.html").select(".recap-headline a")] == ["/2025/12/31/ferry/"]


@pytest.mark.parametrize(
    ("files", "line"),
    [
        (
            {"pages/ferry.md": page("title: Ferry\nurl: /2025/12/31/ferry/")},
            "pages/ferry.md:3: url: /2025/12/31/ferry/ is also the URL of an article at content/2025-12-31-ferry.md:4",
        ),
        (
            {"pages/about.md": page("title: A"), "pages/team.md": page("title: B\nurl: /about/")},
            "pages/team.md:3: url: /about/ is also the URL of the page at pages/about.md:1",
        ),
        (
            {"pages/about.md": page("title: A"), "static/about/index.html": "<p>old</p>"},
            "static/about/index.html:1: static: /about/index.html is also the URL of the page at pages/about.md:1",
        ),
        (
            {"pages/transport.md": page("title: Transport")},
            "pages/transport.md:1: url: /transport/ is also the URL of the section page 'Transport' at "
            "content/2025-12-31-ferry.md:4",
        ),
    ],
    ids=["page vs article", "page vs page", "page vs static file", "page vs section"],
)
def test_a_url_collision_is_one_line_naming_both_files(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], files: dict[str, str | bytes], line: str
) -> None:
    site = make_site({"content/2025-12-31-ferry.md": STORY, **files})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    problems = [text for text in err.splitlines() if "url-collision" in text or "is also the URL" in text]
    assert len(problems) == 1 and problems[0].replace(str(site) + "/", "").startswith(line), err


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (page("description: No title"), "pages/bad.md:2: title: is required"),
        (page("title: T\nurl: about"), "pages/bad.md:3: url: must be a path on this site ending in /"),
        (page("title: T\nurl: /About Us/"), "pages/bad.md:3: url: URL must not contain spaces"),
        (page("title: T\nmenu: sidebar"), "pages/bad.md:3: menu: must be header or footer, not 'sidebar'"),
        (page("title: T\nmenu: footer\nmenu_order: first"), "pages/bad.md:4: menu_order: must be a whole number"),
        (page("title: T\nupdated: someday"), "pages/bad.md:3: updated: not a valid date: 'someday'"),
        (page("title: T", "![Desk](/images/none.png)\n"), "pages/bad.md:4: body: image '/images/none.png': no file"),
        (page("title: T", '[story]({{< ref "x.md" >}})\n'), "pages/bad.md:4: body: a link by file"),
        ("no front matter\n", "pages/bad.md:1: front matter: missing"),
    ],
    ids=["no title", "relative url", "url with spaces", "menu", "order", "updated", "image", "ref", "front matter"],
)
def test_every_bad_page_input_is_one_line(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], text: str, line: str
) -> None:
    site = make_site({"content/2025-12-31-ferry.md": STORY, "pages/bad.md": text})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    lines = [entry for entry in err.splitlines() if "pages/bad.md" in entry and ": warning:" not in entry]
    assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].replace(str(site) + "/", "").startswith(line), lines[0]


def test_page_body_images_get_srcset_copies_captions_and_bundled_files(make_site: SiteFactory) -> None:
    body = "![The newsroom](/images/newsroom.png)\n\n![The team](team.png)\n"
    site = make_site(
        {
            "content/2025-12-31-ferry.md": STORY,
            "static/images/newsroom.png": png(1000, 500),
            "pages/about.md": page("title: About\ncaptions: {/images/newsroom.png: Our desks}", body),
            "pages/team.png": png(200, 100),
        }
    )
    build_site(site)
    output = site / "build"
    html = soup(output, "about/index.html")
    figure = html.select_one(".story-body figure")
    assert figure.figcaption.get_text() == "Our desks"
    newsroom = figure.img
    assert newsroom["width"] == "1000" and newsroom["srcset"]
    for candidate in newsroom["srcset"].split(", "):
        assert (output / candidate.split(" ")[0].lstrip("/")).is_file(), candidate
    team = html.find("img", alt="The team")
    assert team["src"] == "/about/team.png" and (output / "about/team.png").is_file()


def test_init_writes_three_pages_in_the_footer_and_the_site_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "fresh"
    assert run_cli(["init", str(site)], capsys)[0] == 0
    assert sorted(path.name for path in (site / "pages").iterdir()) == [
        "about.md",
        "contact.md",
        "corrections-policy.md",
    ]
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    home = soup(site / "build", "index.html")
    footer = [a["href"] for a in home.select(".site-footer nav a")]
    assert footer == ["/about/", "/corrections-policy/", "/contact/"]
    assert all((site / "build" / url.strip("/") / "index.html").is_file() for url in footer)


def test_a_page_edit_takes_the_quick_way_and_equals_a_clean_build(
    paged_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    cli_build(paged_site, output)
    whole = sys.modules["newsgen.engine.plan.whole"]

    def quick_build() -> BuildResult:
        monkeypatch.setattr(whole, "decide", lambda *_: pytest.fail("a page edit that moves nothing loaded the site"))
        result = cli_build(paged_site, output)
        monkeypatch.undo()
        return result

    def pages_changed(result: BuildResult) -> list[str]:
        """The files written or deleted but the search index's (page.html marks pages for it)."""
        return [name for name in result.changed if not name.startswith(SEARCH_FOLDER)]

    about = paged_site / "pages/about.md"
    about.write_text(page("title: About us\ndescription: Who we are, now.\nmenu: footer\nmenu_order: 2", "New."))
    (paged_site / "pages/masthead.md").write_text(page("title: Our masthead", "Editor: Ana Ruiz."))
    result = quick_build()
    assert pages_changed(result) == ["about/index.html", "masthead/index.html"] and result.rendered == 2
    assert digests(output) == clean_build(paged_site, tmp_path / "clean-1")
    contact = paged_site / "pages/contact.md"
    contact.write_text(contact.read_text().replace("2025-06-01", "2025-07-01"))
    result = quick_build()
    assert pages_changed(result) == ["contact/index.html", "sitemap.xml"]
    assert digests(output) == clean_build(paged_site, tmp_path / "clean-2")


@pytest.mark.parametrize(
    "edit",
    [
        lambda site: (site / "pages/about.md").write_text(page("title: About us\nmenu: footer\nmenu_order: 9")),
        lambda site: (site / "pages/about.md").write_text(page("title: Who we are\nmenu: footer\nmenu_order: 2")),
        lambda site: (site / "pages/about.md").write_text(page("title: About us\nurl: /who/\nmenu: footer")),
        lambda site: (site / "pages/new.md").write_text(page("title: New page\nmenu: header")),
        lambda site: (site / "pages/tips.md").unlink(),
    ],
    ids=["menu order", "menu title", "url", "page added", "page removed"],
)
def test_a_menu_or_url_change_takes_the_whole_way_and_equals_a_clean_build(
    paged_site: Path, tmp_path: Path, whole_ways: list[object], edit: Any
) -> None:
    output = tmp_path / "out"
    cli_build(paged_site, output)
    before = len(whole_ways)
    edit(paged_site)
    result = cli_build(paged_site, output)
    assert len(whole_ways) > before, "every page shows the menus: the whole way"
    assert "index.html" in result.changed or "tips-line/index.html" in result.changed
    assert digests(output) == clean_build(paged_site, tmp_path / "clean")


def test_a_page_edit_beside_an_article_edit_equals_a_clean_build(paged_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    cli_build(paged_site, output)
    (paged_site / "pages/policies/ethics.md").write_text(page("title: Ethics\nmenu: header", "We do not pay sources."))
    story = paged_site / "content/2025-12-31-ferry.md"
    story.write_text(story.read_text().replace("Body text.", "Fares are frozen until June."))
    result = cli_build(paged_site, output)
    assert {"2025/12/31/ferry/index.html", "policies/ethics/index.html"} <= set(result.changed)
    assert digests(output) == clean_build(paged_site, tmp_path / "clean")


def test_a_quick_page_edit_reports_the_pages_warnings_as_a_whole_build_does(
    paged_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    masthead = paged_site / "pages/masthead.md"
    masthead.write_text(page("title: Masthead\nsumary: Who edits"))
    first = cli_build(paged_site, output)
    assert [(w.field, w.code) for w in first.warnings] == [("sumary", "unknown-key")]
    monkeypatch.setattr(sys.modules["newsgen.engine.plan.whole"], "decide", lambda *_: pytest.fail("the quick way"))
    masthead.write_text(page("title: Masthead\ndescription: Who edits"))
    assert cli_build(paged_site, output).warnings == ()
    masthead.write_text(page("title: Masthead\ndescriptoin: Who edits"))
    assert [w.field for w in cli_build(paged_site, output).warnings] == ["descriptoin"]
    assert [w.field for w in cli_build(paged_site, output).warnings] == ["descriptoin"], "kept while unchanged"


AUTHORS = """\
jdoe:
  name: Jane Doe
  role: City hall reporter
  bio: Covers the council and the port authority.
  photo: {src: /images/jdoe.png, alt: Jane Doe at the harbor}
  links: {Website: "https://janedoe.example.org/", Mastodon: "https://social.example/@jane"}
"""


def json_ld(html: BeautifulSoup) -> dict[str, Any]:
    script = html.find("script", type="application/ld+json")
    assert script is not None and script.string is not None
    data = json.loads(script.string)
    assert isinstance(data, dict)
    return data


def test_an_author_page_is_a_profile_page_and_its_older_pages_lists(make_site: SiteFactory) -> None:
    stories = {
        f"content/2025-12-{day:02d}-story.md": article(
            f"headline: Story {day}\ndate: 2025-12-{day:02d}\nauthors: [jdoe]"
        )
        for day in range(1, 4)
    }
    site = make_site({"authors.yaml": AUTHORS, "static/images/jdoe.png": png(40, 40), **stories})
    (site / "newsgen.yaml").write_text("per_page: 2\nbase_url: https://news.example.org/\n")
    build_site(site)
    first = soup(site / "build", "authors/jdoe/index.html")
    data = json_ld(first)
    assert data["@type"] == "ProfilePage" and data["url"] == "https://news.example.org/authors/jdoe/"
    assert data["mainEntity"] == {
        "@type": "Person",
        "name": "Jane Doe",
        "url": "https://news.example.org/authors/jdoe/",
        "jobTitle": "City hall reporter",
        "description": "Covers the council and the port authority.",
        "image": "https://news.example.org/images/jdoe.png",
        "sameAs": ["https://janedoe.example.org/", "https://social.example/@jane"],
    }
    assert first.select_one(".profile") is not None and len(first.select(".recap")) == 2, "the list stays below"
    older = json_ld(soup(site / "build", "authors/jdoe/page/1/index.html"))
    assert older["@type"] == "CollectionPage" and "mainEntity" not in older
