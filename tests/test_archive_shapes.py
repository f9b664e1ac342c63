"""A post in each generator's own shape builds unchanged: headline, date, byline, lead photo, links and URL."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, png, run_cli

JEKYLL_POST = """\
---
layout: post
title: "Harbor tolls &amp; ferry fares rise"
date: 2015-1-12 9:00 -0500
author: jdoe
tags: ferries budget
image: /assets/img/toll-booth.png
image_alt: A toll booth at the harbor bridge
redirect_from: /news/tolls.html
---
The council voted on Monday. Read [the earlier story]({% post_url 2015-01-05-toll-hearing %})
and [the budget page]({{ "/budget/" | relative_url }}).

{% highlight ruby %}
puts "not a template: {{ toll }}"
{% endhighlight %}
"""
JEKYLL_EARLIER = "---\ntitle: Toll hearing set\ndate: 2015-01-05\n---\nThe hearing is next week.\n"
AUTHORS = "jdoe:\n  name: Jane Doe\n  bio: Covers the port.\n"

HUGO_BUNDLE = """\
+++
title = "Ferry terminal reopens"
date = 2020-03-12T08:30:00-04:00
expiryDate = 2099-01-01
authors = ["Sam Roe and Jane Doe"]
tags = ["Ferries"]
aliases = ["/2020/03/12/ferry-terminal-reopens.html"]

[cover]
image = "terminal.png"
alt = "The new ferry terminal at dawn"
caption = "The terminal opened at 6 a.m."
+++

The terminal is open. See [the closure]({{< ref "older-story.md" >}}), and watch:

{{< youtube dQw4w9WgXcQ >}}

{{< figure src="deck.png" alt="The upper deck" caption="The upper deck" attr="Harbor Ledger" >}}
"""
HUGO_OLDER = '+++\ntitle = "Ferry terminal closes"\ndate = 2020-01-05\n+++\nClosed for repairs.\n'

ELEVENTY_POST = """\
---
newstitle: "Market moves indoors"
date: 2021-02-26
tags: [Market]
author: Ana Ruiz
---
Vendors move into the old customs shed.

{% image "assets/market.png" "Stalls inside the customs shed" %}

More at [the market page]({{ '/market/' | url }}).
"""


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / "build" / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_jekyll_post_with_liquid_builds_unchanged(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": "timezone: America/New_York\n",
            "_data/authors.yml": AUTHORS,
            "static/assets/img/toll-booth.png": png(120, 80),
            "content/_posts/2015-1-12-harbor-tolls.markdown": JEKYLL_POST,
            "content/_posts/2015-01-05-toll-hearing.md": JEKYLL_EARLIER,
        }
    )
    build_site(site)
    story = page(site, "/2015/01/12/harbor-tolls/")
    assert story.h1.get_text() == "Harbor tolls & ferry fares rise"
    assert story.find("time")["datetime"] == "2015-01-12T09:00:00-05:00"
    assert story.select_one(".byline a").get_text() == "Jane Doe"
    lead = story.select_one("figure img")
    assert lead["src"] == "/assets/img/toll-booth.png" and lead["alt"] == "A toll booth at the harbor bridge"
    links = {a.get_text(): a["href"] for a in story.select(".story-body a")}
    assert links == {"the earlier story": "/2015/01/05/toll-hearing/", "the budget page": "/budget/"}
    assert "not a template: {{ toll }}" in story.select_one(".story-body pre").get_text()
    assert [a.get_text() for a in story.select(".tags a")] == ["ferries", "budget"]
    assert (site / "build/news/tolls.html").is_file(), "the old URL redirects"


def test_a_hugo_bundle_with_toml_and_shortcodes_builds_unchanged(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/news/ferry-terminal-reopens/index.md": HUGO_BUNDLE,
            "content/news/ferry-terminal-reopens/terminal.png": png(160, 90),
            "content/news/ferry-terminal-reopens/deck.png": png(100, 100),
            "content/news/older-story.md": HUGO_OLDER,
        }
    )
    build_site(site)
    story = page(site, "/2020/03/12/ferry-terminal-reopens/")
    assert story.h1.get_text() == "Ferry terminal reopens"
    assert story.find("time")["datetime"] == "2020-03-12T08:30:00-04:00"
    assert [a.get_text() for a in story.select(".byline a")] == ["Sam Roe", "Jane Doe"]
    lead = story.select_one("figure img")
    assert lead["src"] == "/2020/03/12/ferry-terminal-reopens/terminal.png" and lead["width"] == "160"
    body = story.select_one(".story-body")
    assert body.find("a", href="/2020/01/05/older-story/").get_text() == "the closure"
    assert body.find("iframe")["src"].startswith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    deck = body.find("img", alt="The upper deck")
    assert (
        deck["src"] == "/2020/03/12/ferry-terminal-reopens/deck.png"
        and "Harbor Ledger" in body.find("figcaption").get_text()
    )
    assert "{{<" not in str(body)
    assert (site / "build/2020/03/12/ferry-terminal-reopens.html").is_file(), "the Hugo alias redirects"


def test_an_eleventy_post_with_nunjucks_builds_with_a_key_alias(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": "front_matter:\n  aliases:\n    newstitle: headline\n",
            "static/assets/market.png": png(200, 100),
            "content/blog/2021-02-26-market.md": ELEVENTY_POST,
        }
    )
    build_site(site)
    story = page(site, "/2021/02/26/market/")
    assert story.h1.get_text() == "Market moves indoors"
    assert story.find("time")["datetime"] == "2021-02-26T00:00:00+00:00"
    assert story.select_one(".byline a").get_text() == "Ana Ruiz"
    image = story.select_one(".story-body img")
    assert image["src"] == "/assets/market.png" and image["alt"] == "Stalls inside the customs shed"
    assert story.select_one(".story-body a[href='/market/']").get_text() == "the market page"


def test_repeated_leftover_warnings_are_one_line_unless_the_site_lists_them(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    posts: dict[str, str | bytes] = {
        f"content/2025-01-1{n}-story.md": article(f"headline: Story {n}\ndate: 2025-01-1{n}\nlayout: post")
        for n in range(4)
    }
    site = make_site(posts)
    _, _, err = run_cli(["build", "--source", str(site)], capsys)
    layout = [line for line in err.splitlines() if "layout:" in line]
    assert len(layout) == 1 and "(in 4 files; the first is named)" in layout[0]
    assert len([line for line in err.splitlines() if "missing-dek" in line or "no dek" in line]) == 1
    (site / "newsgen.yaml").write_text("warn: [missing-dek]\n")
    _, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert len([line for line in err.splitlines() if "no dek" in line]) == 4, "listed file by file when the site asks"
