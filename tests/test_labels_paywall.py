"""Article labels (kickers, list pages, schema.org types), paywalled bodies and syndicated copies."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import NOW, SiteFactory, article, build_site, clean_build, cli_build, digests, run_cli, took_whole_way
from newsgen.engine import BuildOptions, build

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONFIG = "title: Harbor Ledger\nbase_url: https://news.example.org/\nper_page: 2\n"


def when(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).isoformat()


def story(headline: str, hours_ago: float, extra: str = "", body: str = "Para one.\n") -> str:
    return article(
        f"headline: {headline}\ndek: In brief.\ndate: '{when(hours_ago)}'\nauthors: [Ana Ruiz]\n"
        f"section: Port\ntags: [Ferries]\n{extra}",
        body,
    )


FOUR_PARAGRAPHS = "First.\n\nSecond.\n\n## A subhead\n\nThird.\n\nFourth.\n"

LABELLED = {
    "opinion": ("Opinion", "OpinionNewsArticle"),
    "analysis": ("Analysis", "AnalysisNewsArticle"),
    "review": ("Review", "ReviewNewsArticle"),
    "explainer": ("Explainer", "BackgroundNewsArticle"),
    "fact-check": ("Fact check", "NewsArticle"),
    "sponsored": ("Sponsored", "AdvertiserContentArticle"),
    "obituary": ("Obituary", "NewsArticle"),
}


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    files: dict[str, str | bytes] = {
        "newsgen.yaml": CONFIG + "labels:\n  obituary: {name: Obituary}\n",
        "content/plain.md": story("Plain news", 1),
        "content/column-2.md": story("Second column", 30, "label: opinion\n"),
        "content/column-3.md": story("Third column", 40, "label: Opinion\n"),
        "content/more.md": story(
            "Paywalled by more", 5, "access: subscribers\n", "Lead one.\n\n<!-- more -->\n\nRest one.\n\nRest two.\n"
        ),
        "content/gate.md": story("Paywalled by gate", 6, "access: subscribers\ngate: 2\n", FOUR_PARAGRAPHS),
        "content/syndicated.md": story("Syndicated copy", 3, "canonical: https://wire.example/2025/12/31/ferry/\n"),
        "content/checked.md": story(
            "Checked claim",
            50,
            "label: fact-check\nclaim: {text: The ferry is free, rating: 'False', by: Sam Roe, url: 'https://x.example/p'}\n",
        ),
    }
    for number, key in enumerate(LABELLED):
        extra = f"label: {key}\n" + (
            "sponsor: {name: Acme Ferries, url: 'https://acme.example/'}\n" if key == "sponsored" else ""
        )
        files[f"content/labelled-{key}.md"] = story(f"Labelled {key}", 10 + number, extra)
    site = make_site(files)
    build_site(site)
    return site


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / "build" / url.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def json_ld(soup: BeautifulSoup) -> Any:
    return json.loads(soup.find("script", type="application/ld+json").get_text())


def locs(site: Path, name: str) -> list[str]:
    return [loc.text or "" for loc in ET.parse(site / "build" / name).getroot().iter(f"{SM}loc")]


@pytest.mark.parametrize("key", list(LABELLED))
def test_each_label_has_its_schema_type_and_a_kicker(site: Path, key: str) -> None:
    name, schema_type = LABELLED[key]
    soup = page(site, _url(site, f"Labelled {key}"))
    data = json_ld(soup)
    assert data["@type"] == schema_type
    assert data["headline"] == f"Labelled {key}" and data["datePublished"] and data["author"][0]["name"] == "Ana Ruiz"
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "Harbor Ledger"
    kicker = soup.select_one(".story-header .label-kicker a")
    assert kicker.get_text() == name and kicker["href"] == f"/labels/{key}/"
    assert soup.select(".story-header .kicker")[1].get_text() == "Port", "the label stands above the section"
    if key == "sponsored":
        assert data["sponsor"] == {"@type": "Organization", "name": "Acme Ferries", "url": "https://acme.example/"}
        note = soup.select_one(".sponsor-note")
        assert note.get_text().startswith("Sponsored content, paid for by Acme Ferries")
        assert note.a["rel"] == ["sponsored"]
    else:
        assert "sponsor" not in data and soup.select_one(".sponsor-note") is None


def _url(site: Path, headline: str) -> str:
    """An article's URL, from the JSON feed (every story of these sites is in it)."""
    feed = json.loads((site / "build/feed.json").read_text(encoding="utf-8"))
    found = next(item["url"] for item in feed["items"] if item["title"] == headline)
    return urlsplit(str(found)).path


def test_an_unlabelled_article_stays_a_news_article_without_a_label_kicker(site: Path) -> None:
    soup = page(site, _url(site, "Plain news"))
    assert json_ld(soup)["@type"] == "NewsArticle" and soup.select_one(".story-header .label-kicker") is None


def test_recaps_show_the_label_above_the_section(site: Path) -> None:
    home = page(site, "/labels/opinion/")
    recap = next(r for r in home.select(".recap") if r.select_one(".recap-headline").get_text() == "Labelled opinion")
    kickers = [kicker.get_text() for kicker in recap.select(".kicker")]
    assert kickers == ["Opinion", "Port"] and "label-kicker" in recap.select(".kicker")[0]["class"]


def test_a_label_page_lists_exactly_its_pieces_with_stable_pages_and_a_feed(site: Path) -> None:
    expected = {"Labelled opinion", "Second column", "Third column"}
    listed, url = [], "/labels/opinion/"
    while url:
        soup = page(site, url)
        listed += [a.get_text() for a in soup.select(".recap-headline a")]
        older = soup.select_one('.pagination a[rel="next"]')
        url = str(older["href"]) if older else ""
    assert set(listed) == expected and page(site, "/labels/opinion/").h1.get_text() == "Opinion"
    assert (site / "build/labels/opinion/page/1/index.html").is_file(), "three stories, two a page: stable pages"
    feed = feedparser.parse((site / "build/labels/opinion/feed.xml").read_bytes())
    assert not feed.bozo and {entry.title for entry in feed.entries} == expected
    assert feed.feed.title == "Opinion | Harbor Ledger"
    assert "https://news.example.org/labels/opinion/" in locs(site, "sitemap.xml")


def test_a_site_renames_a_built_in_label_and_keeps_its_type(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": CONFIG + "labels:\n  opinion: {name: Comment}\n",
            "content/a.md": story("A column", 2, "label: Comment\n"),
        }
    )
    build_site(site)
    soup = page(site, _url(site, "A column"))
    assert soup.select_one(".label-kicker").get_text() == "Comment" and json_ld(soup)["@type"] == "OpinionNewsArticle"


def test_a_fact_check_with_a_claim_carries_a_claim_review(site: Path) -> None:
    soup = page(site, _url(site, "Checked claim"))
    graph = json_ld(soup)["@graph"]
    assert [node["@type"] for node in graph] == ["NewsArticle", "ClaimReview"]
    review = graph[1]
    assert review["claimReviewed"] == "The ferry is free" and review["reviewRating"]["alternateName"] == "False"
    assert review["url"] == graph[0]["url"] and review["author"]["name"] == "Harbor Ledger"
    assert review["itemReviewed"]["author"]["name"] == "Sam Roe"
    assert "The ferry is free" in soup.select_one(".claim").get_text(), "the claim and rating are on the page too"
    without = json_ld(page(site, _url(site, "Labelled fact-check")))
    assert without["@type"] == "NewsArticle" and "@graph" not in without


def _paywall(soup: BeautifulSoup) -> tuple[Any, Any]:
    data = json_ld(soup)
    part = data["hasPart"]
    assert data["isAccessibleForFree"] is False and part["isAccessibleForFree"] is False
    assert part["@type"] == "WebPageElement"
    gated = soup.select(part["cssSelector"])
    assert len(gated) == 1, "the selector names one element of the page"
    return soup.select_one(".story-body"), gated[0]


def test_more_splits_a_paywalled_body_and_the_rest_is_in_the_gated_element(site: Path) -> None:
    body, gated = _paywall(page(site, _url(site, "Paywalled by more")))
    assert [p.get_text() for p in gated.find_all("p")] == ["Rest one.", "Rest two."]
    assert [p.get_text() for p in body.find_all("p", recursive=False)] == ["Lead one."]
    feed = json.loads((site / "build/feed.json").read_text(encoding="utf-8"))
    content = next(item["content_html"] for item in feed["items"] if item["title"] == "Paywalled by more")
    assert "Lead one." in content and "Rest one." not in content, "feeds carry the free lead only"


def test_gate_two_leaves_exactly_two_paragraphs_before_the_gate(site: Path) -> None:
    body, gated = _paywall(page(site, _url(site, "Paywalled by gate")))
    assert [p.get_text() for p in body.find_all("p", recursive=False)] == ["First.", "Second."]
    assert [tag.get_text() for tag in gated.find_all(["h2", "p"])] == ["A subhead", "Third.", "Fourth."]


def test_a_free_article_has_no_paywall_markup(site: Path) -> None:
    soup = page(site, _url(site, "Plain news"))
    data = json_ld(soup)
    assert "isAccessibleForFree" not in data and "hasPart" not in data and soup.select_one(".paywalled") is None


def test_a_paywall_without_a_gate_frees_the_first_paragraph_with_a_warning(make_site: SiteFactory) -> None:
    site = make_site({"content/a.md": story("No gate", 2, "access: subscribers\n", FOUR_PARAGRAPHS)})
    result = build_site(site)
    assert [(p.field, p.code) for p in result.warnings] == [("access", "paywall")]
    body, gated = _paywall(page(site, _url(site, "No gate")))
    assert [p.get_text() for p in body.find_all("p", recursive=False)] == ["First."]
    assert gated.find("p").get_text() == "Second."


def test_a_syndicated_copy_points_to_the_original_and_stays_out_of_both_sitemaps(site: Path) -> None:
    url = _url(site, "Syndicated copy")
    soup = page(site, url)
    original = "https://wire.example/2025/12/31/ferry/"
    assert soup.find("link", rel="canonical")["href"] == original
    assert soup.find("meta", property="og:url")["content"] == original
    assert soup.find("meta", attrs={"name": "Googlebot-News"})["content"] == "noindex"
    data = json_ld(soup)
    assert data["url"] == original and data["mainEntityOfPage"]["@id"] == original
    absolute = "https://news.example.org" + url
    assert absolute not in locs(site, "news-sitemap.xml") and absolute not in locs(site, "sitemap.xml")
    plain = page(site, _url(site, "Plain news"))
    assert plain.find("meta", attrs={"name": "Googlebot-News"}) is None
    assert "https://news.example.org" + _url(site, "Plain news") in locs(site, "news-sitemap.xml")


def test_sponsored_content_is_in_the_sitemap_but_not_the_news_sitemap(site: Path) -> None:
    absolute = "https://news.example.org" + _url(site, "Labelled sponsored")
    assert absolute in locs(site, "sitemap.xml") and absolute not in locs(site, "news-sitemap.xml")
    assert "https://news.example.org" + _url(site, "Labelled opinion") in locs(site, "news-sitemap.xml")


@pytest.mark.parametrize(
    ("front_matter", "line", "field", "message"),
    [
        ("label: opinon", 4, "label", "'opinon' is not a label of this site; did you mean 'opinion'?"),
        ("label: sponsored", 4, "label", "sponsored content needs sponsor:"),
        ("sponsor: Acme", 4, "sponsor", "only sponsored content has a sponsor"),
        ("canonical: /2025/01/01/x/", 4, "canonical", "must be the original's absolute http(s) URL"),
        ("canonical: 'javascript:alert(1)'", 4, "canonical", "scheme 'javascript:' is not allowed"),
        ("access: paid", 4, "access", "must be free or subscribers, not 'paid'"),
        ("claim: {text: X, rating: 'False'}", 4, "claim", "only a fact-check rates a claim"),
    ],
)
def test_a_bad_label_access_or_canonical_is_one_line(
    front_matter: str, line: int, field: str, message: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/bad.md": article(f"headline: X\ndek: Y.\n{front_matter}\ndate: 2025-01-01")})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    lines = [text for text in err.splitlines() if "bad.md:" in text]
    assert code == 1 and len(lines) == 1, err
    assert f"bad.md:{line}: {field}: " in lines[0] and message in lines[0], lines[0]


def test_a_label_key_in_the_config_must_be_a_slug(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"newsgen.yaml": "labels:\n  Big News: {name: Big}\n", "content/a.md": story("A", 1)})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "newsgen.yaml:2: labels.Big News: 'Big News': a label's key is its page's slug" in err


def test_incremental_builds_after_label_paywall_and_canonical_edits_equal_clean_builds(
    site: Path, tmp_path: Path
) -> None:
    output = tmp_path / "incremental"
    cli_build(site, output)
    edits = [
        ("content/column-2.md", "label: opinion", "label: analysis"),  # moves it between label pages
        ("content/plain.md", "section: Port", "section: Port\nlabel: obituary"),  # joins a label
        ("content/gate.md", "gate: 2", "gate: 3"),  # the paywall moves, nothing else
        ("content/plain.md", "label: obituary", "canonical: https://wire.example/plain/"),  # leaves the sitemaps
        ("content/syndicated.md", "canonical: https://wire.example/2025/12/31/ferry/", "access: subscribers"),
    ]
    for step, (name, old, new) in enumerate(edits):
        path = site / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        cli_build(site, output)
        clean = tmp_path / f"clean-{step}"
        build(BuildOptions(site, clean, now=NOW))
        assert digests(output) == digests(clean), f"step {step}: {name}: {new}"


def test_new_labelled_stories_take_the_quick_way_even_when_their_label_is_new(
    make_site: SiteFactory, tmp_path: Path, whole_ways: list[object]
) -> None:
    site = make_site({"newsgen.yaml": CONFIG, **{f"content/old-{n}.md": story(f"Old {n}", 60 + n) for n in range(4)}})
    output = tmp_path / "out"
    cli_build(site, output)
    sponsor = "sponsor: {name: Acme}\n"
    new = [
        "label: opinion\n",  # a new label page
        "label: opinion\n",
        "label: opinion\ncanonical: https://wire.example/a/\n",  # out of the sitemaps
        f"label: sponsored\n{sponsor}",  # a new label page
        f"label: sponsored\n{sponsor}",  # out of the news sitemap
        "access: subscribers\ngate: 1\n",
    ]
    whole_steps = []
    for step, extra in enumerate(new):
        (site / f"content/new-{step}.md").write_text(story(f"New {step}", 10 - step, extra), encoding="utf-8")
        if took_whole_way(whole_ways, site, output):
            whole_steps.append(step)
        assert digests(output) == clean_build(site, tmp_path), f"step {step}: {extra!r}"
    assert whole_steps == [], "a new label page is one more list the quick way derives"


def test_links_by_file_resolve_on_both_sides_of_the_gate(make_site: SiteFactory) -> None:
    body = 'See [the plain story]({{< ref "plain.md" >}}).\n\n<!-- more -->\n\nAnd [again]({{< ref "plain.md" >}}).\n'
    site = make_site(
        {"content/plain.md": story("Plain news", 5), "content/a.md": story("Linked", 1, "access: subscribers\n", body)}
    )
    build_site(site)
    body_element, gated = _paywall(page(site, _url(site, "Linked")))
    target = _url(site, "Plain news")
    assert body_element.find("p", recursive=False).a["href"] == target and gated.a["href"] == target


@pytest.mark.parametrize("engine", ["python-markdown", "cmark"])
def test_more_gates_with_either_engine_and_only_between_blocks(engine: str, make_site: SiteFactory) -> None:
    body = "Lead.\n<!--more-->\nRest, with <!-- more --> inside.\n\n> Quoted.\n>\n> <!-- more -->\n\nLast.\n"
    site = make_site(
        {
            "newsgen.yaml": f"markdown: {{engine: {engine}}}\n",
            "content/a.md": story("Gated", 1, "access: subscribers\n", body),
            "content/b.md": story("Free", 2, "", body),
        }
    )
    build_site(site)
    body_element, gated = _paywall(page(site, _url(site, "Gated")))
    assert [p.get_text() for p in body_element.find_all("p", recursive=False)] == ["Lead."]
    assert [p.get_text(strip=True) for p in gated.find_all("p")] == ["Rest, with  inside.", "Quoted.", "Last."]
    free = page(site, _url(site, "Free")).select_one(".story-body")
    assert [p.get_text() for p in free.find_all("p")][:2] == ["Lead.", "Rest, with  inside."] and not free.find("hr")
