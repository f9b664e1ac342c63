"""News-grade outputs: feeds, sitemaps, structured data, corrections, embargo and expiry."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import NOW, SiteFactory, article, build_site, png

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def when(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).isoformat()


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    return make_site(
        {
            "newsgen.yaml": "title: Harbor Ledger\nbase_url: https://news.example.org/\nlogo: /logo.png\nfeed_count: 2\n"
            "permalinks: {article: '/{slug}/'}\n",
            "content/fresh.md": article(f"""
            headline: 'Pier &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; & "quotes"'
            dek: Fresh & new
            date: {when(2)}
            authors: [Ana Ruiz]
            section: Port
            tags: [Ferries, Weather]
            image: {{src: /img.png, alt: A pier}}
            corrections:
              - {{date: '{when(1)}', text: 'The pier is 40 m long, not 400 m.'}}
            """),
            "content/day-old.md": article(f"headline: Day old\ndate: '{when(30)}'\nsection: Port\ntags: [Ferries]"),
            "content/old.md": article(f"headline: Old news\ndate: '{when(72)}'\ntags: [Weather]"),
            "content/oldest.md": article(f"headline: Oldest\ndate: '{when(96)}'\ntags: [Ferries]"),
            "content/expired.md": article(
                f"headline: Expired\ndate: '{when(50)}'\nexpires: '{when(1)}'\ntags: [Ferries]"
            ),
            "content/embargoed.md": article(f"headline: Embargoed\ndate: '{when(-5)}'\ntags: [Ferries]"),
            "content/expiring.md": article(f"headline: Expiring\ndate: '{when(80)}'\nexpires: '{when(-3)}'"),
            "static/img.png": png(120, 80),
            "static/logo.png": png(200, 40),
        }
    )


def read(site: Path, url: str) -> bytes:
    path = site / "build" / url.lstrip("/")
    return (path / "index.html" if url.endswith("/") else path).read_bytes()


class _Rendered(HTMLParser):
    """What a browser makes of an HTML fragment: its text and its elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.elements.append("/" + tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shown(detail: Any) -> str:
    """What a feed reader shows for a feedparser text construct, rendering it as HTML when feedparser says it is
    HTML; any element in it fails the test."""
    if detail.type != "text/html":
        return str(detail.value)
    rendered = _Rendered()
    rendered.feed(detail.value)
    rendered.close()
    assert not rendered.elements, f"a reader renders elements {rendered.elements} from {detail.value!r}"
    return "".join(rendered.text)


def json_ld(page: BeautifulSoup) -> Any:
    """The page's JSON-LD block, parsed."""
    script = page.find("script", type="application/ld+json")
    assert script is not None and script.string is not None, "the page has no JSON-LD"
    return json.loads(script.string)


def test_every_list_has_a_valid_rss_feed_newest_first_and_advertised(site: Path) -> None:
    build_site(site)
    for list_url in ("/", "/port/", "/tags/ferries/", "/tags/weather/", "/authors/ana-ruiz/"):
        feed = feedparser.parse(read(site, list_url + "feed.xml"))
        assert not feed.bozo, (list_url, feed.get("bozo_exception"))
        assert feed.feed.links[0].href.startswith("https://news.example.org/")
        assert any(
            link.rel == "self" and link.href == f"https://news.example.org{list_url}feed.xml"
            for link in feed.feed.links
        )
        dates = [entry.published_parsed for entry in feed.entries]
        assert dates == sorted(dates, reverse=True) and len(feed.entries) <= 2
        page = BeautifulSoup(read(site, list_url), "html.parser")
        assert page.find("link", rel="alternate", type="application/rss+xml")["href"] == f"{list_url}feed.xml"
    ferries = feedparser.parse(read(site, "/tags/ferries/feed.xml"))
    assert [shown(e.title_detail) for e in ferries.entries] == [
        "Pier </script><script>alert(1)</script> & \u201cquotes\u201d",
        "Day old",
    ]
    first = ferries.entries[0]
    assert first.link == "https://news.example.org/fresh/" and first.author == "Ana Ruiz"
    assert [t.term for t in first.tags] == ["Port", "Ferries", "Weather"]
    assert first.updated_parsed > first.published_parsed, "the correction moves the entry's update time"


def test_feed_readers_see_front_matter_text_never_an_element(make_site: SiteFactory) -> None:
    """RSS readers render `<description>` as HTML, and titles too when they look like it: text that spells markup
    (entities decoded from front matter) arrives as text in every feed and field."""
    img = "<img src=x onerror=alert(1)>"
    site = make_site(
        {
            "newsgen.yaml": "title: Harbor &lt;i&gt;Ledger&lt;/i&gt;\nbase_url: https://news.example.org/\n"
            "description: Port &lt;b&gt;news&lt;/b&gt;\npermalinks: {article: '/{slug}/'}\n",
            "content/pier.md": article(f"""
            headline: '&lt;b&gt;Pier&lt;/b&gt; reopens, AT&T says'
            slug: pier
            dek: '&lt;img src=x onerror=alert(1)&gt;'
            date: {when(2)}
            authors: ['&lt;b&gt;Ana&lt;/b&gt;']
            tags: ['&lt;i&gt;Ferries&lt;/i&gt;']
            corrections:
              - {{date: '{when(1)}', text: 'Not &lt;img src=x onerror=alert(2)&gt; but AT&amp;T'}}
            """),
            "content/plain.md": article(
                f"headline: Fish & chips, AT&T\nslug: plain\ndek: Fish & chips\ndate: {when(3)}"
            ),
        }
    )
    build_site(site)
    tag_feed = feedparser.parse(read(site, "/tags/i-ferries-i/feed.xml"))
    home = feedparser.parse(read(site, "/feed.xml"))
    corrections = feedparser.parse(read(site, "/corrections/feed.xml"))
    assert not (tag_feed.bozo or home.bozo or corrections.bozo)
    for feed in (home, tag_feed):
        pier, *_ = feed.entries
        assert shown(pier.title_detail) == "<b>Pier</b> reopens, AT&T says"
        assert shown(pier.summary_detail) == img
        assert pier.author == "<b>Ana</b>" and "<i>Ferries</i>" in [tag.term for tag in pier.tags]
        assert shown(feed.feed.subtitle_detail) == "Port <b>news</b>"
    assert shown(tag_feed.feed.title_detail) == "Tagged: <i>Ferries</i> | Harbor <i>Ledger</i>"
    plain = home.entries[1]
    assert (plain.title_detail.type, plain.title) == ("text/plain", "Fish & chips, AT&T"), "plain titles stay plain"
    assert shown(plain.summary_detail) == "Fish & chips"
    correction = corrections.entries[0]
    assert shown(correction.summary_detail) == "Not <img src=x onerror=alert(2)> but AT&T"
    assert shown(correction.title_detail) == "Correction: <b>Pier</b> reopens, AT&T says"
    json_item = json.loads(read(site, "/feed.json"))["items"][0]
    assert (json_item["title"], json_item["summary"], json_item["tags"]) == (
        "<b>Pier</b> reopens, AT&T says",
        img,
        ["<i>Ferries</i>"],
    ), "JSON Feed's title, summary and tags are plain text"


def test_json_feed(site: Path) -> None:
    build_site(site)
    feed = json.loads(read(site, "/feed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["url"] for item in feed["items"]] == [
        "https://news.example.org/fresh/",
        "https://news.example.org/day-old/",
    ]
    assert feed["items"][0]["date_modified"] == when(1)


def test_sitemap_lists_every_page_with_absolute_urls_and_lastmod(site: Path) -> None:
    build_site(site)
    root = ET.fromstring(read(site, "/sitemap.xml"))
    assert root.tag == f"{SM}urlset"
    entries = {url.find(f"{SM}loc").text: url.find(f"{SM}lastmod") for url in root}
    assert "https://news.example.org/fresh/" in entries and "https://news.example.org/tags/weather/" in entries
    assert "https://news.example.org/embargoed/" not in entries and "https://news.example.org/expired/" not in entries
    assert entries["https://news.example.org/fresh/"].text == when(1), "lastmod follows the latest correction"
    robots = read(site, "/robots.txt").decode()
    assert (
        "Sitemap: https://news.example.org/sitemap.xml" in robots
        and "Sitemap: https://news.example.org/news-sitemap.xml" in robots
    )


def test_news_sitemap_holds_the_last_48_hours(site: Path) -> None:
    build_site(site)
    root = ET.fromstring(read(site, "/news-sitemap.xml"))
    locs = [url.find(f"{SM}loc").text for url in root]
    assert locs == ["https://news.example.org/fresh/", "https://news.example.org/day-old/"]
    news = root[0].find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "Harbor Ledger"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    assert news.find(f"{NEWS}publication_date").text == when(2)
    assert news.find(f"{NEWS}title").text.startswith("Pier </script>")


def test_large_sites_get_a_sitemap_index(monkeypatch: pytest.MonkeyPatch, site: Path) -> None:
    monkeypatch.setattr("newsgen.urls.SITEMAP_LIMIT", 5)
    monkeypatch.setattr("newsgen.render.outputs.sitemaps.SITEMAP_LIMIT", 5)
    build_site(site)
    index = ET.fromstring(read(site, "/sitemap.xml"))
    assert index.tag == f"{SM}sitemapindex"
    parts = [entry.findtext(f"{SM}loc", "") for entry in index]
    assert all(parts), "every sitemap in the index has a <loc>"
    assert parts[0] == "https://news.example.org/sitemap-1.xml" and len(parts) >= 2
    total = sum(len(ET.fromstring(read(site, p.removeprefix("https://news.example.org")))) for p in parts)
    pages = [page for page in (site / "build").rglob("index.html") if page.parent.name not in ("latest", "search")]
    assert total == len(pages)  # every HTML page; 404.html, the latest-news rail and search (noindex) are not in it


def test_article_head_and_news_article_json_ld(site: Path) -> None:
    build_site(site)
    raw = read(site, "/fresh/").decode()
    closes = raw.count("<script")
    assert raw.count("</script>") == closes, "a headline with </script> cannot break out of JSON-LD"
    page = BeautifulSoup(raw, "html.parser")
    meta = {
        tag.get("property") or tag.get("name"): tag["content"] for tag in page.find_all("meta") if tag.get("content")
    }
    assert page.find("link", rel="canonical")["href"] == "https://news.example.org/fresh/"
    assert meta["og:type"] == "article" and meta["og:url"] == "https://news.example.org/fresh/"
    made = site / "build/img"  # the crops, as the build wrote them
    crops = [
        f"https://news.example.org/img/{p.relative_to(made)}"
        for r in ("16x9", "4x3", "1x1")
        for p in made.glob(f"*/{r}-*")
    ]
    assert meta["og:image"] == crops[0] and meta["twitter:card"] == "summary_large_image"
    assert meta["article:published_time"] == when(2) and meta["article:modified_time"] == when(1)
    assert meta["article:section"] == "Port" and meta["og:description"] == "Fresh & new"
    assert [t["content"] for t in page.find_all("meta", property="article:tag")] == ["Ferries", "Weather"]
    data = json_ld(page)
    assert (
        data["@type"] == "NewsArticle"
        and data["headline"] == "Pier </script><script>alert(1)</script> & \u201cquotes\u201d"
    )
    assert data["datePublished"] == when(2) and data["dateModified"] == when(1)
    assert data["author"] == [
        {"@type": "Person", "name": "Ana Ruiz", "url": "https://news.example.org/authors/ana-ruiz/"}
    ]
    assert data["image"] == crops and [url.rsplit("/", 1)[1].split("-")[0] for url in crops] == ["16x9", "4x3", "1x1"]
    assert (
        data["publisher"]["name"] == "Harbor Ledger"
        and data["publisher"]["logo"]["url"] == "https://news.example.org/logo.png"
    )
    assert data["mainEntityOfPage"]["@id"] == "https://news.example.org/fresh/"
    assert data["articleSection"] == "Port" and data["keywords"] == ["Ferries", "Weather"]


def test_list_pages_carry_collection_page_json_ld(site: Path) -> None:
    build_site(site)
    page = BeautifulSoup(read(site, "/tags/ferries/"), "html.parser")
    data = json_ld(page)
    assert data["@type"] == "CollectionPage" and data["url"] == "https://news.example.org/tags/ferries/"
    assert data["breadcrumb"]["itemListElement"][-1]["name"] == "Tagged: Ferries"


def test_corrections_show_on_article_ledger_and_its_feed(site: Path) -> None:
    build_site(site)
    article_page = BeautifulSoup(read(site, "/fresh/"), "html.parser")
    assert "The pier is 40 m long, not 400 m." in article_page.select_one("#corrections").get_text()
    ledger = BeautifulSoup(read(site, "/corrections/"), "html.parser")
    assert ledger.select_one(".corrections-ledger a")["href"] == "/fresh/#corrections"
    feed = feedparser.parse(read(site, "/corrections/feed.xml"))
    assert not feed.bozo and feed.entries[0].summary == "The pier is 40 m long, not 400 m."


def test_embargo_and_expiry_follow_now_and_report_the_next_change(site: Path) -> None:
    result = build_site(site)
    published = {p.parent.name for p in (site / "build").glob("*/index.html")}
    assert {"fresh", "day-old", "expiring"} <= published
    assert not {"embargoed", "expired"} & published
    assert result.next_change is not None and result.next_change.reason == "article expires"
    assert result.next_change.moment == datetime.fromisoformat(when(-3))
    assert "next scheduled change " + when(-3) + " (article expires)" in result.summary()
    schedule = json.loads(read(site, "/.newsgen-schedule.json"))
    assert schedule == {"next_change": when(-3), "reason": "article expires"}
    later = build_site(site, now=NOW + timedelta(hours=6))
    assert not (site / "build/expiring").exists() and (site / "build/embargoed/index.html").is_file()
    assert later.next_change is None


def test_more_on_this_ranks_shared_tags_then_section_then_recency(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/subject.md": article("headline: Subject\ndate: 2025-01-10\nsection: Port\ntags: [A, B]"),
            "content/both-tags.md": article("headline: Both tags\ndate: 2025-01-01\ntags: [A, B]"),
            "content/one-tag-section.md": article(
                "headline: One tag, same section\ndate: 2025-01-02\nsection: Port\ntags: [B]"
            ),
            "content/one-tag-new.md": article("headline: One tag, newer\ndate: 2025-01-09\ntags: [A]"),
            "content/one-tag-old.md": article("headline: One tag, older\ndate: 2025-01-03\ntags: [A]"),
            "content/unrelated.md": article("headline: Unrelated\ndate: 2025-01-11\ntags: [Z]"),
            "content/curated.md": article(
                "headline: Curated\ndate: 2025-01-05\ntags: [A]\nrelated: [{title: T, url: /x/}]"
            ),
        }
    )
    build_site(site)
    page = BeautifulSoup(read(site, "/2025/01/10/subject/"), "html.parser")
    picks = [a.get_text() for a in page.select(".more-on-this .recap-headline a")]
    assert picks == ["Both tags", "One tag, same section", "One tag, newer", "Curated"]
    curated = BeautifulSoup(read(site, "/2025/01/05/curated/"), "html.parser")
    assert curated.select(".more-on-this") == [] and curated.select_one(".related a")["href"] == "/x/"
