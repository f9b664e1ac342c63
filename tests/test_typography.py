import json
import xml.etree.ElementTree as etree

import pytest
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, png
from newsgen.body.typography import smarten, smarten_text


def smart(html: str) -> str:
    root = etree.fromstring(f"<div>{html}</div>")
    smarten(root)
    return etree.tostring(root, encoding="unicode")[5:-6]


@pytest.mark.parametrize(
    ("written", "typeset"),
    [
        ('He said "hello" today.', "He said \u201chello\u201d today."),
        ("It's the newsroom's call.", "It\u2019s the newsroom\u2019s call."),
        ("She said 'no' twice.", "She said \u2018no\u2019 twice."),
        ('"Quoted" at the start', "\u201cQuoted\u201d at the start"),
        (
            "Wait... then 1990--2000 and a pause --- like this",
            "Wait\u2026 then 1990\u20132000 and a pause \u2014 like this",
        ),
        ('A "<em>styled</em>" word', "A \u201c<em>styled</em>\u201d word"),
        ('Use <code>"raw" -- quotes</code> as "is"', 'Use <code>"raw" -- quotes</code> as \u201cis\u201d'),
        ('("aside")', "(\u201caside\u201d)"),
    ],
)
def test_quotes_dashes_and_ellipses(written: str, typeset: str) -> None:
    assert smart(written) == typeset


@pytest.mark.parametrize(
    ("written", "typeset"),
    [
        ('The market\'s "new" rules -- explained', "The market\u2019s \u201cnew\u201d rules \u2013 explained"),
        ('Why `--force` isn\'t "safe"', "Why `--force` isn\u2019t \u201csafe\u201d"),  # backticks mark code
        ("Plain headline", "Plain headline"),
    ],
)
def test_front_matter_text_is_set_as_a_body_would_be(written: str, typeset: str) -> None:
    assert smarten_text(written) == typeset
    if "`" not in written:
        assert smart(written) == typeset


MARKET = 'The market\'s "new" rules -- explained'
MARKET_SET = "The market\u2019s \u201cnew\u201d rules \u2013 explained"


def test_headline_dek_captions_and_comments_read_as_the_body_does(make_site: SiteFactory) -> None:
    """What readers see of front matter is typeset everywhere; the URL comes from the file name as before."""
    site = make_site(
        {
            "newsgen.yaml": "title: Harbor Ledger\nbase_url: https://news.example.org/\n",
            "content/2025/2025-03-02-market-rules.md": article(
                f"""
                headline: '{MARKET.replace("'", "''")}'
                dek: "Vendors' fees... and what's next"
                date: 2025-03-02T09:00:00-05:00
                image: {{src: /images/stall.png, alt: A stall, caption: "The \\"old\\" stall's last day", credit: Ana}}
                captions: {{/images/stall.png: "A vendor's -- stall"}}
                comments:
                  - {{author: Dot, date: 2025-03-02T10:00:00-05:00, body: "He said \\"quoted\\" -- <b>no</b>"}}
                """,
                f"{MARKET}\n\n![A stall](/images/stall.png)\n",
            ),
            "static/images/stall.png": png(40, 30),
        }
    )
    build_site(site)
    out = site / "build"
    page = BeautifulSoup((out / "2025/03/02/market-rules/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text() == MARKET_SET == page.select_one(".story-body p").get_text()  # as the body sets it
    assert page.title.get_text() == f"{MARKET_SET} | Harbor Ledger"
    assert page.select_one(".story-header .dek").get_text() == "Vendors\u2019 fees\u2026 and what\u2019s next"
    assert (
        page.select_one("figure.lead figcaption").get_text(" ", strip=True)
        == "The \u201cold\u201d stall\u2019s last day Ana"
    )
    assert page.select_one(".story-body figcaption").get_text() == "A vendor\u2019s \u2013 stall"
    comment = page.select_one(".comment article")
    assert (
        comment.find_all("p")[1].get_text() == "He said \u201cquoted\u201d \u2013 <b>no</b>"
        and comment.find("b") is None
    )
    assert "&lt;b&gt;no&lt;/b&gt;" in str(comment)
    structured = json.loads(page.find("script", type="application/ld+json").get_text())
    assert (
        structured["headline"] == MARKET_SET
        and structured["url"] == "https://news.example.org/2025/03/02/market-rules/"
    )
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".recap-headline a").get_text() == MARKET_SET
    assert home.select_one(".recap-headline a")["href"] == "/2025/03/02/market-rules/"
    rss = etree.parse(out / "feed.xml").getroot()
    assert rss.findtext("channel/item/title") == MARKET_SET
    assert rss.findtext("channel/item/link") == "https://news.example.org/2025/03/02/market-rules/"
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["title"] == MARKET_SET and feed["items"][0]["summary"].startswith("Vendors\u2019")
