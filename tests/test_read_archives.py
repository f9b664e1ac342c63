"""Archives written for Jekyll, Hugo, Zola and Eleventy build unchanged: what their files say reaches the page.

Every fixture here is written in the shape those generators read (file
names, folders, TOML and JSON front matter, their key names and date
spellings); each test asserts what a reader sees (headline, date, URL,
byline, lead photo) or the exact problem line an editor sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, png, run_cli


def page(site: Path, url: str) -> BeautifulSoup:
    name = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
    return BeautifulSoup((site / "build" / name).read_text(encoding="utf-8"), "html.parser")


def published_time(site: Path, url: str) -> str:
    return str(page(site, url).select_one(".story-header time")["datetime"])


def check(site: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[str]]:
    """`newsgen check`: its exit status and its output lines, each problem's path shortened to the file name."""
    code, out, _ = run_cli(["check", "--source", str(site), *options], capsys)
    return code, [_short(line) for line in out.splitlines()]


def _short(line: str) -> str:
    location, separator, rest = line.partition(": ")
    path, colon, number = location.rpartition(":")
    return f"{Path(path).name}:{number}{separator}{rest}" if colon and number.isdigit() else line


# 1. Article files by every suffix Jekyll and Hugo read as Markdown.


def test_markdown_suffixes_are_articles_and_other_files_stay_assets(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/_posts/2025-01-14-long.markdown": article("title: Long suffix\ndate: 2025-01-14"),
            "content/_posts/2025-01-15-upper.MDOWN": article("title: Upper case suffix\ndate: 2025-01-15"),
            "content/_posts/2025-01-16-short.mkd": article("title: Short suffix\ndate: 2025-01-16"),
            "content/_posts/notes.txt": "not an article\n",
            "content/_posts/draft.html": "<p>not an article either</p>\n",
        }
    )
    result = build_site(site)
    assert result.articles == 3
    assert page(site, "/2025/01/14/long/").h1.get_text() == "Long suffix"
    assert page(site, "/2025/01/15/upper/").h1.get_text() == "Upper case suffix"
    assert page(site, "/2025/01/16/short/").h1.get_text() == "Short suffix"
    built = {p.name for p in (site / "build").rglob("*")}
    assert not {"notes", "notes.txt", "draft", "draft.html"} & built, (
        "assets are published only when an article uses them"
    )


def test_a_photo_beside_a_markdown_bundle_is_published_beside_its_page(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/ferry-returns/index.markdown": article(
                "title: Ferry returns\ndate: 2025-03-02", "![The ferry at dawn](ferry.png)\n"
            ),
            "content/ferry-returns/ferry.png": png(40, 20),
        }
    )
    build_site(site)
    img = page(site, "/2025/03/02/ferry-returns/").select_one(".story-body img")
    assert img["alt"] == "The ferry at dawn"
    assert (site / "build/2025/03/02/ferry-returns" / str(img["src"]).rsplit("/", 1)[-1]).is_file()


# 2. TOML and JSON front matter; blank lines and a BOM before it.

TOML_STORY = """\
+++
title = "Harbor dredging starts"
date = 2025-02-03T07:30:00-05:00
authors = ["Ana Ruiz", "Ben Cole"]
description = "Crews begin a month of work."
tags = ["Harbor",
        "Dredging"]

[extra]
team = "Metro desk"
+++

Crews arrived before dawn.
"""


def test_toml_front_matter_builds_the_page(make_site: SiteFactory) -> None:
    site = make_site({"content/dredging.md": TOML_STORY})
    result = build_site(site)
    story = page(site, "/2025/02/03/dredging/")
    assert story.h1.get_text() == "Harbor dredging starts"
    assert published_time(site, "/2025/02/03/dredging/") == "2025-02-03T07:30:00-05:00"
    assert [a.get_text() for a in story.select(".byline a")] == ["Ana Ruiz", "Ben Cole"]
    assert story.select_one(".story-header .dek").get_text() == "Crews begin a month of work."
    assert [a["href"] for a in story.select(".tags a")] == ["/tags/harbor/", "/tags/dredging/"]
    assert [(w.line, w.field, w.code) for w in result.warnings] == [(9, "extra", "migrated-key")]


def test_a_toml_local_date_is_in_the_site_timezone(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": "timezone: America/Mexico_City\n",
            "content/market.md": '+++\ntitle = "Market opens"\ndate = 2025-02-04\n+++\nBody.\n',
            "content/fair.md": '+++\ntitle = "Fair opens"\ndate = 2025-02-05T10:00:00\n+++\nBody.\n',
        }
    )
    build_site(site)
    assert published_time(site, "/2025/02/04/market/") == "2025-02-04T00:00:00-06:00"
    assert published_time(site, "/2025/02/05/fair/") == "2025-02-05T10:00:00-06:00"


def test_toml_problems_name_the_line_of_their_key(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(
        {
            "content/a.md": '+++\ntitle = "A"\ndate = 2025-01-01\ndraft = "no"\n\n[image]\nsrc = "/x.jpg"\n+++\n',
            "content/b.md": '+++\ntitle = "B"\ndate = 2025-01-01\ntags = [\n  "a",\n  true,\n]\n+++\n',
            "content/c.md": '+++\ntitle = "C"\ndate = \n+++\n',
        }
    )
    code, lines = check(site, capsys)
    assert code == 1
    assert "a.md:4: error: draft: must be true or false, not text" in lines
    assert any(line.startswith("a.md:6: error: image.alt: is required") for line in lines)
    assert "b.md:4: error: tags[1]: must be text, not true/false (put it in quotes)" in lines
    assert "c.md:3: error: front matter: invalid TOML: Invalid value" in lines


def test_json_front_matter_builds_the_page(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(
        {
            "content/tide.md": '{\n  "title": "Record tide",\n  "date": "2025-02-06T05:00:00Z",\n'
            '  "author": "Ana Ruiz"\n}\n\nWater reached the pier.\n',
            "content/bad.md": '{\n  "title": "Bad",\n  "date": 2025-01-01\n}\n',
        }
    )
    _, lines = check(site, capsys)
    assert "bad.md:3: error: front matter: invalid JSON: Expecting ',' delimiter" in lines
    (site / "content/bad.md").unlink()
    build_site(site)
    story = page(site, "/2025/02/06/tide/")
    assert story.h1.get_text() == "Record tide" and story.select_one(".byline a").get_text() == "Ana Ruiz"
    assert published_time(site, "/2025/02/06/tide/") == "2025-02-06T05:00:00+00:00"
    assert story.select_one(".story-body p").get_text() == "Water reached the pier."


@pytest.mark.parametrize(
    "start",
    ["\n\n---\n", "\ufeff---\n", "\n\ufeff---\n", "  \n+++\n"],
    ids=["blank lines", "BOM", "blank line and BOM", "blank line before TOML"],
)
def test_blank_lines_and_a_bom_before_the_front_matter(make_site: SiteFactory, start: str) -> None:
    fence = start.strip().lstrip("\ufeff")
    keys = 'title = "Quay"\ndate = 2025-01-20' if fence == "+++" else "title: Quay\ndate: 2025-01-20"
    site = make_site({"content/quay.md": f"{start}{keys}\n{fence}\nBody.\n".encode()})
    build_site(site)
    assert page(site, "/2025/01/20/quay/").h1.get_text() == "Quay"


def test_front_matter_problems_count_lines_after_leading_blank_lines(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/pier.md": "\n\n---\ntitle: Pier\ndate: soon\n---\n"})
    assert any(line.startswith("pier.md:5: error: date: not a valid date: 'soon'") for line in check(site, capsys)[1])


def test_a_body_opening_with_a_template_tag_is_not_taken_for_json(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/x.md": "{% include header.html %}\nBody.\n"})
    message = "missing: the file must start with a '---' line (YAML), '+++' (TOML) or '{' (JSON)"
    assert f"x.md:1: error: front matter: {message}" in check(site, capsys)[1]


# 3. Dates as Jekyll and Hugo write them, read as written; dates from file names, keys and folders.


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2014-10-22 9:00", "2014-10-22T09:00:00-05:00"),
        ("2015-1-2 9:00", "2015-01-02T09:00:00-06:00"),
        ("2015-01-12 09:05:30", "2015-01-12T09:05:30-06:00"),
        ("2016-03-01 05:00:00 +0000", "2016-03-01T05:00:00+00:00"),
        ("2016-03-01 05:00:00 -0400", "2016-03-01T05:00:00-04:00"),
        ("2015-03-17 10:00:00 -04", "2015-03-17T10:00:00-04:00"),
        ("2015-03-17 10:00:00 -4", "2015-03-17T10:00:00-04:00"),
        ("2020-05-01T10:00:00+05:30", "2020-05-01T10:00:00+05:30"),
        ("2020-05-01T10:00:00Z", "2020-05-01T10:00:00+00:00"),
        ("2020-05-01", "2020-05-01T00:00:00-05:00"),
        ("Fri Sep  3 11:21:31 CEST 2021", "2021-09-03T11:21:31+02:00"),
        ("Fri Sep 3 11:21:31 +0200 2021", "2021-09-03T11:21:31+02:00"),
        ("Thu Sep  2 23:30:00 PDT 2021", "2021-09-02T23:30:00-07:00"),
        ("Fri Sep  3 11:21:31 2021", "2021-09-03T11:21:31-05:00"),
        ("Fri, 03 Sep 2021 11:21:31 GMT", "2021-09-03T11:21:31+00:00"),
        ("2021-09-03 11:21:31 IST", "2021-09-03T11:21:31+05:30"),
    ],
)
def test_jekyll_and_hugo_date_spellings_are_read_as_written(make_site: SiteFactory, written: str, shown: str) -> None:
    site = make_site(
        {
            "newsgen.yaml": "timezone: America/Chicago\n",
            "content/story.md": article(f"title: Story\ndate: {written}"),
        }
    )
    build_site(site)
    day = shown[:10].replace("-", "/")
    assert published_time(site, f"/{day}/story/") == shown


def test_an_impossible_date_is_still_an_error(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/x.md": article("title: X\ndate: 2015-02-30 9:00 -4")})
    lines = check(site, capsys)[1]
    assert any(line.startswith("x.md:3: error: date: not a valid date: '2015-02-30 9:00 -4'") for line in lines)


def test_an_unknown_zone_abbreviation_is_an_error_naming_it(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/x.md": article("title: X\ndate: Fri Sep  3 11:21:31 XST 2021")})
    message = "unknown time zone 'XST' in 'Fri Sep  3 11:21:31 XST 2021'; write its offset instead, like +0200"
    assert f"x.md:3: error: date: {message}" in check(site, capsys)[1]


@pytest.mark.parametrize(
    ("name", "front_matter", "url"),
    [
        ("_posts/2015-1-2-ferry-fares.md", "title: T", "/2015/01/02/ferry-fares/"),
        ("_posts/2015-01-12-ferry-fares.md", "title: T", "/2015/01/12/ferry-fares/"),
        ("blog/ferry-fares.md", "title: T\npath: 2020/03/12/ferry-fares", "/2020/03/12/ferry-fares/"),
        ("blog/ferry-fares.md", "title: T\nurl: /blog/2020/3/9/ferry-fares.html", "/2020/03/09/ferry-fares/"),
        ("2020/03/12/ferry-fares/index.md", "title: T", "/2020/03/12/ferry-fares/"),
        ("2020/03/12/ferry-fares.md", "title: T", "/2020/03/12/ferry-fares/"),
        ("2020/03/12-ferry-fares.md", "title: T", "/2020/03/12/ferry-fares/"),
        ("2019-07-04-ferry-fares/index.md", "title: T", "/2019/07/04/ferry-fares/"),
        ("_posts/2015-01-12-ferry-fares.md", "title: T\npath: 2020/03/12/x", "/2015/01/12/ferry-fares/"),
        ("2020/03/12/ferry-fares.md", "title: T\npath: 2021/04/05/x", "/2021/04/05/ferry-fares/"),
        ("2020/03/12-ferry-fares.md", "title: T\ndate: 2020-03-12", "/2020/03/12/12-ferry-fares/"),
    ],
    ids=[
        "unpadded file name",
        "padded file name",
        "Zola path key",
        "Hugo url key",
        "dated folders, bundle",
        "dated folders",
        "day in the file name",
        "dated bundle folder",
        "file name before path key",
        "path key before folders",
        "a date given keeps the file name whole",
    ],
)
def test_a_missing_date_comes_from_the_file_name_a_path_key_or_the_folders(
    make_site: SiteFactory, name: str, front_matter: str, url: str
) -> None:
    site = make_site({f"content/{name}": article(front_matter)})
    build_site(site)
    assert page(site, url).h1.get_text() == "T"


def test_no_date_anywhere_is_still_required(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/2020/13/40/x.md": article("title: X\nurl: /about/")})
    assert "x.md:2: error: date: is required (YYYY-MM-DD or an ISO 8601 date-time)" in check(site, capsys)[1]


# 4. Page bundles and Hugo list pages.


def test_a_bundle_takes_its_slug_from_its_folder(make_site: SiteFactory) -> None:
    site = make_site({"content/news/harbor-bridge-closes/index.md": article("title: Bridge closes\ndate: 2018-07-04")})
    build_site(site)
    assert page(site, "/2018/07/04/harbor-bridge-closes/").h1.get_text() == "Bridge closes"
    assert not (site / "build/2018/07/04/index").exists()


def test_a_hugo_list_page_is_skipped_with_a_warning(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(
        {
            "content/news/_index.md": '+++\ntitle = "News"\n+++\n',
            "content/posts/_index.markdown": "---\ntitle: Posts\nurl: /blog/\n---\n",
            "content/news/2025-01-02-story.md": article("title: Story\ndek: D."),
        }
    )
    code, lines = check(site, capsys)
    assert code == 0
    message = "warning: file: a Hugo list page (the section's own page), not an article; skipped"
    assert f"_index.md:1: {message}" in lines and f"_index.markdown:1: {message}" in lines
    assert build_site(site).articles == 1


def test_a_blog_folders_own_list_pages_are_skipped_with_a_warning_each(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/blog/index.md": "---\nlayout: blog\npagination:\n  enabled: true\n---\n{% for post in paginator.posts %}\n",
            "content/blog/all.md": "---\nlayout: archive\npermalink: /blog/all/\n---\nEvery post.\n",
            "content/blog/README.md": "# Writing for the blog\n\nPosts go in `_posts/`, named by their date.\n",
            "content/blog/_posts/2025-01-10-a.md": article("title: A\ndek: D."),
        }
    )
    result = build_site(site)
    assert result.articles == 1
    message = "a blog folder's list page (no date and no headline), not an article; skipped"
    assert sorted((w.path.name, w.line, w.field, w.message) for w in result.warnings) == [
        ("README.md", 1, "file", message),
        ("all.md", 1, "file", message),
        ("index.md", 1, "file", message),
    ], "one warning each: the keys of a skipped page are not read"


def test_an_index_md_with_a_headline_or_a_date_is_still_an_article(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {
            "content/news/bridge/index.md": article("title: Bridge"),
            "content/2020/03/12/ferry/index.md": "Notes, and no front matter.\n",
        }
    )
    code, lines = check(site, capsys)
    assert code == 1
    assert "index.md:2: error: date: is required (YYYY-MM-DD or an ISO 8601 date-time)" in lines
    message = "missing: the file must start with a '---' line (YAML), '+++' (TOML) or '{' (JSON)"
    assert f"index.md:1: error: front matter: {message}" in lines, "a dated bundle"


# 5. Hugo's keys in any case, with Hugo's meaning.


def test_hugo_keys_are_case_insensitive(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/expired.md": article("Title: Expired\nDate: 2025-01-02\nexpirydate: 2025-06-01"),
            "content/expired-too.md": article("TITLE: Expired too\ndate: 2025-01-03\nExpiryDate: 2025-06-01"),
            "content/current.md": article(
                "title: Current\ndate: 2025-01-04\nexpiryDate: 2030-01-01\nLastMod: 2025-01-05T08:00:00Z\n"
                "Tags: [Harbor]\nDraft: false"
            ),
            "content/hidden.md": article("title: Hidden\ndate: 2025-01-05\nDRAFT: true"),
        }
    )
    result = build_site(site)
    assert result.articles == 1
    current = page(site, "/2025/01/04/current/")
    assert current.h1.get_text() == "Current" and current.select_one(".tags a")["href"] == "/tags/harbor/"
    assert current.select_one(".updated time")["datetime"] == "2025-01-05T08:00:00+00:00"
    assert result.next_change is not None and result.next_change.reason == "article expires"
    assert {w.code for w in result.warnings} == {"missing-dek"}, "no key is unknown in another case"


def test_publish_date_is_the_publication_date(make_site: SiteFactory) -> None:
    site = make_site(
        {"content/levy.md": article("title: Levy passes\ndate: 2025-01-02\npublishDate: 2025-01-09T06:00:00-05:00")}
    )
    build_site(site)
    assert published_time(site, "/2025/01/09/levy/") == "2025-01-09T06:00:00-05:00"


def test_one_key_in_two_cases_is_an_error(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/x.md": article("title: X\ndate: 2025-01-01\nTitle: Y")})
    lines = check(site, capsys)[1]
    assert "x.md:4: error: Title: 'title' is given too (key names are case-insensitive); keep one" in lines


# 6. The site's own key names from newsgen.yaml.

ALIASES = "front_matter:\n  aliases: {topics: tags, Deck: dek, kicker: section, newstitle: headline}\n"


def test_front_matter_aliases_from_the_config(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": ALIASES,
            "content/2025-01-08-ferry.md": article(
                "newstitle: Ferry fares frozen\ndeck: Prices hold for a year.\nkicker: Transport\n"
                "Topics: [Fares, Ferries]\nexcerpt: Prices hold for a year."
            ),
        }
    )
    result = build_site(site)
    story = page(site, "/2025/01/08/ferry/")
    assert story.h1.get_text() == "Ferry fares frozen"
    assert story.select_one(".story-header .dek").get_text() == "Prices hold for a year."
    assert story.select_one(".kicker a")["href"] == "/transport/"
    assert [a["href"] for a in story.select(".tags a")] == ["/tags/fares/", "/tags/ferries/"]
    assert result.warnings == ()


def test_front_matter_aliases_are_validated(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(
        {
            "newsgen.yaml": "front_matter:\n  aliases:\n    topics: tagz\n    title: dek\n    deck: [dek]\n"
            "    kicker: section\n  renames: {}\n",
            "content/x.md": article("title: X\ndate: 2025-01-01"),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert "newsgen.yaml:3: front_matter.aliases.topics: 'tagz' is not a front-matter key newsgen reads;" in err
    assert "did you mean 'tags'?" in err
    message = "'title' is a key newsgen reads itself; an alias gives another name to one"
    assert f"newsgen.yaml:4: front_matter.aliases.title: {message}" in err
    assert "newsgen.yaml:5: front_matter.aliases.deck: must be text, not a list" in err
    assert "newsgen.yaml:7: front_matter.renames: unknown key" in err


def test_changing_an_alias_reads_cached_articles_again(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {
            "newsgen.yaml": "front_matter: {aliases: {kicker: section}}\n",
            "content/x.md": article("title: X\ndate: 2025-01-01\nkicker: Transport"),
        }
    )
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0  # through the article cache, as users build
    assert page(site, "/2025/01/01/x/").select_one(".kicker a")["href"] == "/transport/"
    (site / "newsgen.yaml").write_text("front_matter: {aliases: {kicker: series}}\n", encoding="utf-8")
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    assert page(site, "/2025/01/01/x/").select_one(".kicker") is None


# 7. Jekyll's tags string.


def test_a_jekyll_tags_string_is_split_on_whitespace(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/_posts/2025-01-10-a.md": article("title: A\ntags: ferries fares  harbor"),
            "content/_posts/2025-01-11-b.md": article("title: B\ntags: [Harbor Bridge]"),
        }
    )
    build_site(site)
    assert [a["href"] for a in page(site, "/2025/01/10/a/").select(".tags a")] == [
        "/tags/ferries/",
        "/tags/fares/",
        "/tags/harbor/",
    ]
    assert [a["href"] for a in page(site, "/2025/01/11/b/").select(".tags a")] == ["/tags/harbor-bridge/"]


def test_empty_categories_and_numeric_names_are_read_as_jekyll_reads_them(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/_posts/2025-01-10-a.md": article("title: A\ncategories:\ntags:\n  - 47\n  - harbor"),
            "content/_posts/2025-01-11-b.md": article("title: B\ncategories: [news, 2021]\ntags: 1.5\nauthor: 007"),
        }
    )
    result = build_site(site)
    assert result.articles == 2
    first = page(site, "/2025/01/10/a/")
    assert first.select_one(".kicker") is None, "`categories:` left empty is no section"
    assert [a["href"] for a in first.select(".tags a")] == ["/tags/47/", "/tags/harbor/"]
    second = page(site, "/2025/01/11/b/")
    assert second.select_one(".kicker a").get_text() == "news"
    assert [a.get_text() for a in second.select(".tags a")] == ["1.5", "2021"]
    assert second.select_one(".byline a").get_text() == "7", "YAML reads 007 as the number 7, as Ruby's YAML does"


def test_by_is_the_byline_and_canonical_url_the_canonical_link(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/_posts/2025-01-10-a.md": article(
                "title: A\nby: Ana Ruiz\ncanonical_url: https://wire.example/2025/01/10/a/"
            ),
        }
    )
    result = build_site(site)
    story = page(site, "/2025/01/10/a/")
    assert story.select_one(".byline a").get_text() == "Ana Ruiz"
    assert story.find("link", rel="canonical")["href"] == "https://wire.example/2025/01/10/a/"
    assert not [w for w in result.warnings if w.code in ("unknown-key", "migrated-key")]


def test_a_key_given_twice_takes_the_last_with_a_warning_naming_both_lines(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {"content/_posts/2025-01-10-a.md": article("title: First try\ntags: [harbor]\ntitle: Ferry fares rise")}
    )
    code, lines = check(site, capsys)
    assert code == 0
    message = "warning: title: given again (also on line 2); the value on line 4 is taken, the earlier one ignored"
    assert f"2025-01-10-a.md:4: {message}" in lines
    build_site(site)
    assert page(site, "/2025/01/10/a/").h1.get_text() == "Ferry fares rise"


# 8. HTML in front-matter text.


def test_entities_are_decoded_and_tags_removed_with_a_warning(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {
            "content/_posts/2025-01-12-beginnings.md": article(
                "title: 'New Beginnings&#58; A <em>Harbor</em> Story'\n"
                "excerpt: 'Tom &amp; Jerry, AT&T and <a href=\"/x/\">a link</a>.'\n"
                "author: Pier <reopens>"
            ),
        }
    )
    result = build_site(site)
    story = page(site, "/2025/01/12/beginnings/")
    assert story.h1.get_text() == "New Beginnings: A Harbor Story" and story.h1.find("em") is None
    assert story.select_one(".story-header .dek").get_text() == "Tom & Jerry, AT&T and a link."
    assert story.select_one(".byline a").get_text() == "Pier <reopens>", "not an HTML element: text as written"
    assert [(w.line, w.field, w.code) for w in result.warnings] == [
        (2, "headline", "html-in-text"),
        (3, "dek", "html-in-text"),
    ]
    code, lines = check(site, capsys, "--strict")
    assert code == 1
    assert (
        "2025-01-12-beginnings.md:2: warning: headline: HTML removed (<em>, </em>): front-matter text is plain text"
        in lines
    )


# 9. Lead photos in other generators' shapes.


PhotoSite = Callable[[str], Path]  # a site with one Jekyll post about a photo, from the post's front matter


@pytest.fixture
def photo_site(make_site: SiteFactory) -> PhotoSite:
    def make(front_matter: str) -> Path:
        return make_site(
            {
                "static/img/pier.png": png(80, 40),
                "content/_posts/2025-01-13-pier.md": article("title: Pier\n" + front_matter),
            }
        )

    return make


@pytest.mark.parametrize(
    ("front_matter", "caption"),
    [
        (
            "image: /img/pier.png\nimage_alt: The pier at dawn\nimage_caption: Rebuilt\nimage_credit: Ana Ruiz",
            "Rebuilt Ana Ruiz",
        ),
        ("images: [/img/pier.png, /img/other.png]\nimage_alt: The pier at dawn", None),
        ("featured_image: /img/pier.png\nimage_alt: The pier at dawn\nimage_credit: Ana Ruiz", "Ana Ruiz"),
        ("cover:\n  image: /img/pier.png\n  alt: The pier at dawn\n  caption: Rebuilt", "Rebuilt"),
    ],
    ids=["image and image_alt", "Hugo images", "featured_image", "cover"],
)
def test_other_generators_lead_photos_are_shown(photo_site: PhotoSite, front_matter: str, caption: str | None) -> None:
    site = photo_site(front_matter)
    build_site(site)
    story = page(site, "/2025/01/13/pier/")
    lead = story.select_one("figure.lead img")
    assert (lead["src"], lead["alt"], lead["width"], lead["height"]) == (
        "/img/pier.png",
        "The pier at dawn",
        "80",
        "40",
    )
    figcaption = story.select_one("figure.lead figcaption")
    assert (" ".join(figcaption.get_text().split()) if figcaption else None) == caption
    social = str(story.find("meta", property="og:image")["content"])
    assert re.fullmatch(r"https://example\.com/img/[0-9a-f]{20}/16x9-\d+-\d+-\d+\.png", social), "its 16:9 crop"


@pytest.mark.parametrize(
    "front_matter", ["image: /img/pier.png", "images: [/img/pier.png]", "cover: {image: /img/pier.png}"]
)
def test_a_photo_without_alt_text_is_shared_but_not_shown(photo_site: PhotoSite, front_matter: str) -> None:
    site = photo_site(front_matter)
    result = build_site(site)
    story = page(site, "/2025/01/13/pier/")
    assert story.select_one("figure.lead") is None
    assert story.find("meta", property="og:image")["content"] == "https://example.com/img/pier.png"
    assert [(w.line, w.field) for w in result.warnings if w.code == "migrated-key"] == [(3, "image")]


def test_a_photo_with_alt_text_that_is_missing_is_an_error(
    photo_site: PhotoSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site = photo_site("image: /img/gone.png\nimage_alt: Gone")
    assert any(
        line.startswith("2025-01-13-pier.md:3: error: image.src: no file static/img/gone.png")
        for line in check(site, capsys)[1]
    )


# 10. Two different summaries.


def test_two_different_summaries_are_a_warning_naming_both(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/_posts/2025-01-14-a.md": article(
                "title: A\nexcerpt: The short one.\ndescription: The  short\n  one.\nsummary: Another one."
            ),
        }
    )
    result = build_site(site)
    assert page(site, "/2025/01/14/a/").select_one(".story-header .dek").get_text() == "The short one."
    assert [(w.line, w.field, w.message) for w in result.warnings] == [
        (6, "summary", "differs from 'excerpt'; the dek is 'excerpt', this one is ignored")
    ]


# 11. Slugs that are not slugs.


def test_a_slug_with_capitals_is_normalized_with_a_warning(make_site: SiteFactory) -> None:
    site = make_site({"content/post/2025-01-15-crl.md": article("title: CRLs\nslug: new-life-for-CRLs\ndek: D.")})
    result = build_site(site)
    assert page(site, "/2025/01/15/new-life-for-crls/").h1.get_text() == "CRLs"
    assert [(w.line, w.field, w.code, w.message) for w in result.warnings] == [
        (
            3,
            "slug",
            "slug-normalized",
            "'new-life-for-CRLs' is not lowercase letters, digits and hyphens; 'new-life-for-crls' is used",
        )
    ]


# 12. Old URLs.


def test_aliases_and_redirect_from_are_the_old_urls(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/2022-08-01-bridge.md": article(
                "title: Bridge\ndek: D.\naliases: ['2022/08/01/Bridge.html', /old/bridge/]\n"
                "redirect_from: /2022/08/01/bridge/"
            ),
            "content/pier.md": '+++\ntitle = "Pier"\npath = "2020/03/12/pier"\naliases = ["releases/pier"]\n+++\n',
        }
    )
    result = build_site(site)
    for name, target in [
        ("2022/08/01/Bridge.html", "/2022/08/01/bridge/"),
        ("old/bridge/index.html", "/2022/08/01/bridge/"),
        ("releases/pier/index.html", "/2020/03/12/pier/"),
    ]:
        assert (site / "build" / name).is_file(), name
        assert page(site, "/" + name.removesuffix("index.html")).find("a")["href"] == target
    assert not any(w.field in ("aliases", "redirect_from") for w in result.warnings)


def test_old_urls_must_be_paths_on_this_site(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(
        {
            "content/x.md": article(
                "title: X\ndate: 2025-01-01\nredirect_from:\n  - https://other.example/x\n  - /a/../../etc/\n"
                "  - 'javascript:alert(1)'\n  - /ok/"
            ),
        }
    )
    lines = check(site, capsys)[1]
    assert (
        "x.md:5: error: redirect_from[0]: must be a path on this site like /2019/05/15/old-story.html, not 'https://other.example/x'"
        in lines
    )
    assert any(line.startswith("x.md:6: error: redirect_from[1]: must be a path on this site") for line in lines)
    assert any(
        line.startswith("x.md:7: error: redirect_from[2]: URL scheme 'javascript:' is not allowed") for line in lines
    )
