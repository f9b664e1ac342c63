"""Whole builds: pages and links, overrides, stale files, failures that keep the last good build."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, png, run_cli
from newsgen.errors import ContentError

STORY = article(
    """
    headline: Ferry fares frozen for a year
    dek: The port authority holds prices after a hard winter.
    date: 2025-01-16T09:30:00-06:00
    updated: 2025-01-17T10:00:00-06:00
    authors: [Ana Ruiz, Ben Cole]
    section: Transport
    tags: [Ferry Service, Mañana Market]
    series: Council Week
    image: {src: /images/ferry.png, alt: A ferry at the dock, caption: The morning crossing, credit: Ana Ruiz}
    sources: [Harbor Radio, {name: The Tribune, url: "https://tribune.example/"}]
    related: [{title: How fares are set, url: /explainers/fares/}]
    comments_closed: true
    comments:
      - author: Dot
        date: 2025-01-16T19:02:00-06:00
        body: "<b>Finally</b> some good news.\\n\\nSecond paragraph."
        replies: [{author: Sam, date: 2025-01-16T20:00:00-06:00, body: Agreed.}]
    """,
    "Opening paragraph.\n\n## What changes\n\nText.\n",
)
OLDER = article(
    "headline: Council opens budget week\ndate: 2025-01-14\nseries: Council Week\nauthor: Ana Ruiz\ntags: [Ferry Service]"
)


@pytest.fixture
def news_site(make_site: SiteFactory) -> Path:
    return make_site(
        {
            "newsgen.yaml": "title: Harbor Ledger\ntimezone: America/Mexico_City\nper_page: 1\n",
            "content/2025/2025-01-16-ferry-fares.md": STORY,
            "content/2025/2025-01-14-budget-week.md": OLDER,
            "static/images/ferry.png": png(640, 360),
        }
    )


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / "build" / url.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_article_page_carries_every_field(news_site: Path) -> None:
    result = build_site(news_site)
    assert result.articles == 2
    page = soup(news_site, "/2025/01/16/ferry-fares/")
    assert page.html["lang"] == "en"
    assert [h1.get_text() for h1 in page.find_all("h1")] == ["Ferry fares frozen for a year"]
    assert page.find("header") and page.find("nav") and page.find("main") and page.find("footer")
    assert page.select_one(".kicker a")["href"] == "/transport/"
    assert page.select_one(".story-header .dek").get_text() == "The port authority holds prices after a hard winter."
    assert [a["href"] for a in page.select(".byline a")] == ["/authors/ana-ruiz/", "/authors/ben-cole/"]
    times = [t["datetime"] for t in page.select(".story-header time")]
    assert times == ["2025-01-16T09:30:00-06:00", "2025-01-17T10:00:00-06:00"]
    lead = page.select_one("figure.lead img")
    assert (lead["src"], lead["alt"], lead["width"], lead["height"]) == (
        "/images/ferry.png",
        "A ferry at the dock",
        "640",
        "360",
    )
    assert "The morning crossing" in page.select_one("figure.lead figcaption").get_text()
    assert page.select_one(".story-body h2").get_text() == "What changes"
    sources = page.select_one(".sources")
    assert " ".join(sources.get_text().split()) == "With reports from Harbor Radio and The Tribune."
    assert sources.a["href"] == "https://tribune.example/"
    assert page.select_one(".related a")["href"] == "/explainers/fares/"
    assert page.select_one(".series-previous a")["href"] == "/2025/01/14/budget-week/"
    assert [a["href"] for a in page.select(".tags a")] == ["/tags/ferry-service/", "/tags/manana-market/"]
    assert page.select_one("#comments-heading").get_text() == "2 comments"
    first = page.select_one(".comment")
    assert first.p.get_text(" ", strip=True).startswith("Dot")
    assert first.find("b") is None and "<b>Finally</b> some good news." in first.get_text()
    assert first.select_one(".comment .comment .comment-author").get_text() == "Sam"
    assert page.select_one(".comments-closed").get_text() == "Comments are closed."
    assert page.select_one(".latest[data-latest='/latest/'] .latest-fallback a")["href"] == "/"
    rail = soup(news_site, "/latest/")
    assert [item["data-url"] for item in rail.select(".latest-item")] == [
        "/2025/01/16/ferry-fares/",
        "/2025/01/14/budget-week/",
    ]


def test_recap_lists_tags_index_and_404(news_site: Path) -> None:
    build_site(news_site)
    home = soup(news_site, "/")
    recap = home.select_one(".recap")
    assert recap.select_one(".recap-headline a")["href"] == "/2025/01/16/ferry-fares/"
    assert recap.select_one(".recap-thumb")["alt"] == "A ferry at the dock"
    assert recap.select_one(".comment-count").get_text(strip=True) == "2 comments"
    assert home.select_one(".pagination a[rel=next]")["href"] == "/page/1/"  # stable pages count from the oldest
    assert soup(news_site, "/page/1/").select_one(".recap-headline a")["href"] == "/2025/01/14/budget-week/"
    for url in ("/transport/", "/series/council-week/", "/authors/ana-ruiz/", "/tags/manana-market/"):
        assert soup(news_site, url).select_one(".recap-headline a")["href"] == "/2025/01/16/ferry-fares/"
    tags = {
        li.a.get_text(): li.select_one(".count").get_text() for li in soup(news_site, "/tags/").select(".tag-index li")
    }
    assert tags == {"Ferry Service": "2 stories", "Mañana Market": "1 story"}
    assert (news_site / "build/404.html").is_file()


def test_new_article_appears_on_its_page_tags_and_recaps(news_site: Path) -> None:
    build_site(news_site)
    (news_site / "content/2025/2025-01-18-night-ferry.md").write_text(
        article("headline: Night ferry returns\ndate: 2025-01-18\ntags: [Night Service]"), encoding="utf-8"
    )
    build_site(news_site)
    assert soup(news_site, "/2025/01/18/night-ferry/").h1.get_text() == "Night ferry returns"
    assert soup(news_site, "/tags/night-service/").select_one(".recap-headline a")["href"] == "/2025/01/18/night-ferry/"
    assert soup(news_site, "/").select_one(".recap-headline a")["href"] == "/2025/01/18/night-ferry/"


def test_deleted_article_disappears_on_next_build(news_site: Path) -> None:
    build_site(news_site)
    (news_site / "content/2025/2025-01-14-budget-week.md").unlink()
    build_site(news_site)
    assert not (news_site / "build/2025/01/14/budget-week").exists()
    assert "budget-week" not in (news_site / "build/index.html").read_text(encoding="utf-8")


def test_failed_build_keeps_last_good_build(news_site: Path) -> None:
    build_site(news_site)
    before = {p: p.read_bytes() for p in (news_site / "build").rglob("*") if p.is_file()}
    (news_site / "content/2025/2025-01-16-ferry-fares.md").write_text(article("headline: Broken\ndate: someday"))
    with pytest.raises(ContentError):
        build_site(news_site)
    assert {p: p.read_bytes() for p in (news_site / "build").rglob("*") if p.is_file()} == before
    left = sorted(p.name for p in news_site.iterdir())
    assert left == [".build.lock", ".build.status.json", "build", "content", "newsgen.yaml", "static"], (
        "no staging left"
    )


def test_template_error_names_template_and_keeps_last_build(
    news_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_site(news_site)
    before = (news_site / "build/index.html").read_bytes()
    (news_site / "templates").mkdir()
    (news_site / "templates/list.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ page.no_such_field }}\n{% endblock %}\n'
    )
    code, _, err = run_cli(["build", "--source", str(news_site)], capsys)
    assert code == 1
    assert "templates/list.html:3: template:" in err and "no_such_field" in err
    assert (news_site / "build/index.html").read_bytes() == before


def test_drafts_and_embargo_need_flags(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/draft.md": article("headline: Draft\ndate: 2025-01-01\ndraft: true"),
            "content/future.md": article("headline: Embargoed\ndate: 2030-01-01T06:00:00+00:00"),
        }
    )
    assert build_site(site).articles == 0
    assert build_site(site, drafts=True).articles == 1
    assert build_site(site, drafts=True, future=True).articles == 2


def test_site_templates_and_static_override_the_theme(news_site: Path) -> None:
    (news_site / "templates").mkdir()
    (news_site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost at sea</h1>{% endblock %}'
    )
    (news_site / "static/theme").mkdir()
    (news_site / "static/theme/newsgen.css").write_text("body { color: navy; }")
    build_site(news_site)
    assert "Lost at sea" in (news_site / "build/404.html").read_text(encoding="utf-8")
    assert (news_site / "build/theme/newsgen.css").read_text() == "body { color: navy; }"


def test_image_beside_the_article_is_published_beside_its_page(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/2025/01/2025-01-16-dawn.md": article(
                "headline: Dawn\ndate: 2025-01-16\nimage: {src: dawn.png, alt: Sunrise}", "![Gulls](gulls.png)\n"
            ),
            "content/2025/01/dawn.png": png(300, 200),
            "content/2025/01/gulls.png": png(100, 50),
        }
    )
    build_site(site)
    page = soup(site, "/2025/01/16/dawn/")
    assert page.select_one("figure.lead img")["src"] == "/2025/01/16/dawn/dawn.png"
    body_image = page.select_one(".story-body img")
    assert (body_image["src"], body_image["width"]) == ("/2025/01/16/dawn/gulls.png", "100")
    assert (site / "build/2025/01/16/dawn/dawn.png").read_bytes() == png(300, 200)
    assert (site / "build/2025/01/16/dawn/gulls.png").is_file()


def test_output_folder_that_is_not_newsgens_is_never_replaced(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/a.md": article("headline: A\ndate: 2025-01-01"), "documents/thesis.txt": "precious"})
    code, _, err = run_cli(["build", "--source", str(site), "--output", str(site / "documents")], capsys)
    assert code == 1 and "not written by newsgen" in err
    assert (site / "documents/thesis.txt").read_text() == "precious"
    code, _, err = run_cli(["build", "--source", str(site), "--output", str(site / "content")], capsys)
    assert code == 1 and "overlap" in err


def test_article_page_without_images_is_light(make_site: SiteFactory) -> None:
    site = make_site({"content/a.md": article("headline: Light\ndate: 2025-01-01", "A paragraph of news.\n" * 20)})
    build_site(site)
    weight = len((site / "build/2025/01/01/a/index.html").read_bytes()) + len(
        (site / "build/theme/newsgen.css").read_bytes()
    )
    assert weight < 30_000


def test_utf8_bom_is_fine(make_site: SiteFactory) -> None:
    site = make_site({"content/a.md": "\ufeff" + article("headline: Café con leche\ndate: 2025-01-01")})
    build_site(site)
    assert soup(site, "/2025/01/01/a/").h1.get_text() == "Café con leche"


def test_favicon_credit_label_and_the_front_pages_lead_story(news_site: Path) -> None:
    build_site(news_site)
    home = soup(news_site, "/")
    assert home.find("link", rel="icon")["href"] == "/theme/favicon.svg"
    assert home.find("meta", attrs={"name": "robots"})["content"] == "max-image-preview:large"
    assert soup(news_site, "/latest/").find("meta", attrs={"name": "robots"})["content"] == "noindex"
    lead = home.select_one(".recap-thumb")
    assert (lead.get("fetchpriority"), lead.get("loading")) == ("high", None), "the likely largest paint loads at once"
    assert (news_site / "build/theme/favicon.svg").is_file()
    assert home.html.get("style") is None, "credits read as written unless the site sets a label"
    assert (
        "front" in home.select_one(".recaps")["class"]
        and "front" not in soup(news_site, "/page/1/").select_one(".recaps")["class"]
    )
    config = news_site / "newsgen.yaml"
    config.write_text(config.read_text() + "favicon: /images/ferry.png\ncredit_label: 'Foto \"A\"'\n")
    build_site(news_site)
    home = soup(news_site, "/")
    assert home.find("link", rel="icon")["href"] == "/images/ferry.png"
    assert home.html["style"] == '--credit-label: "Foto \\22 A\\22 "'
