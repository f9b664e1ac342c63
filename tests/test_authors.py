"""Authors as people: bylines show names from the site's authors file, author pages show who they are."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, digests, png, run_cli
from newsgen.engine import BuildOptions, BuildSession, build

AUTHORS = """\
jdoe:
  name: Jane Doe
  role: City hall reporter
  bio: Covers the council and the port authority.
  photo: {src: /images/jdoe.png, alt: Jane Doe at the harbor}
  email: jane@example.org
  twitter: "@janedoe"
  links: {Website: "https://janedoe.example.org/"}
"""


def soup(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / "build" / name).read_text(encoding="utf-8"), "html.parser")


def json_ld(page: BeautifulSoup) -> dict[str, Any]:
    script = page.find("script", type="application/ld+json")
    assert script is not None and script.string is not None
    data = json.loads(script.string)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def staffed_site(make_site: SiteFactory) -> Path:
    return make_site(
        {
            "authors.yaml": AUTHORS,
            "static/images/jdoe.png": png(40, 40),
            "content/2025-01-16-ferry.md": article("headline: Ferry fares frozen\ndate: 2025-01-16\nauthors: [jdoe]"),
        }
    )


def test_a_byline_key_shows_the_persons_name_and_links_their_page(staffed_site: Path) -> None:
    build_site(staffed_site)
    story = soup(staffed_site, "2025/01/16/ferry/index.html")
    byline = story.select_one(".byline a")
    assert byline.get_text() == "Jane Doe" and byline["href"] == "/authors/jdoe/"
    author = json_ld(story)["author"]
    assert author == [
        {
            "@type": "Person",
            "name": "Jane Doe",
            "url": "https://example.com/authors/jdoe/",
            "jobTitle": "City hall reporter",
            "description": "Covers the council and the port authority.",
            "image": "https://example.com/images/jdoe.png",
            "sameAs": ["https://x.com/janedoe", "https://janedoe.example.org/"],
        }
    ]


def test_the_author_page_shows_bio_photo_role_and_links(staffed_site: Path) -> None:
    build_site(staffed_site)
    page = soup(staffed_site, "authors/jdoe/index.html")
    assert page.h1.get_text() == "Stories by Jane Doe"
    profile = page.select_one(".profile")
    photo = profile.img
    assert photo["alt"] == "Jane Doe at the harbor" and photo["width"] == "40"
    assert "City hall reporter" in profile.get_text() and "Covers the council" in profile.get_text()
    assert [a["href"] for a in profile.select("a")] == [
        "mailto:jane@example.org",
        "https://x.com/janedoe",
        "https://janedoe.example.org/",
    ]
    data = json_ld(page)
    assert (
        data["@type"] == "ProfilePage"
        and data["mainEntity"] == json_ld(soup(staffed_site, "2025/01/16/ferry/index.html"))["author"][0]
    )


@pytest.mark.parametrize(
    "files",
    [
        {"_data/authors.yml": "- id: jdoe\n  display_name: Jane Doe\n  avatar: https://img.example.org/jdoe.jpg\n"},
        {"data/authors/jdoe.yaml": "name: Jane Doe\nbio: Reporter.\n"},
        {"authors.yaml": "jdoe: Jane Doe\n"},
    ],
    ids=["jekyll list", "hugo folder", "key: name"],
)
def test_other_generators_author_files_are_read_unchanged(make_site: SiteFactory, files: dict[str, str]) -> None:
    site = make_site({**files, "content/2025-01-16-ferry.md": article("headline: F\ndate: 2025-01-16\nauthor: jdoe")})
    build_site(site)
    assert soup(site, "2025/01/16/ferry/index.html").select_one(".byline a").get_text() == "Jane Doe"


def test_joint_bylines_split_and_unknown_keys_are_named(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {
            "authors.yaml": AUTHORS,
            "static/images/jdoe.png": png(40, 40),
            "content/2025-01-16-ferry.md": article("headline: F\ndate: 2025-01-16\nauthor: Jane Doe and Sam Roe"),
            "content/2025-01-10-pier.md": article("headline: P\ndate: 2025-01-10\nauthors: [jdoe, mroe]"),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0
    ferry = soup(site, "2025/01/16/ferry/index.html").select(".byline a")
    assert [a.get_text() for a in ferry] == ["Jane Doe", "Sam Roe"] and ferry[0]["href"] == "/authors/jdoe/"
    assert "2025-01-10-pier.md:4: warning: authors: 'mroe' is not in the authors file" in err
    assert "'Sam Roe' is not in the authors file" not in err, "a name, not a key: shown as written without a warning"


def test_a_byline_of_markdown_links_names_the_people_they_link(make_site: SiteFactory) -> None:
    """Hugo themes render `author` as Markdown: its links' texts are the people, found in the authors file too."""
    byline = "author: >-\n  [Ana Ruiz](https://example.org/ana) (Harbor Desk), [Jane\n  Doe](https://example.org/jane)"
    site = make_site(
        {
            "authors.yaml": AUTHORS,
            "static/images/jdoe.png": png(40, 40),
            "content/2025-01-16-ferry.md": article(f"headline: F\ndate: 2025-01-16\n{byline}"),
        }
    )
    build_site(site)
    links = soup(site, "2025/01/16/ferry/index.html").select(".byline a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Ana Ruiz", "/authors/ana-ruiz/"),
        ("Jane Doe", "/authors/jdoe/"),
    ]


def test_an_edit_to_the_authors_file_gives_a_clean_builds_bytes(staffed_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    session = BuildSession(staffed_site / ".newsgen-cache")
    build(BuildOptions(staffed_site, output), session)
    (staffed_site / "authors.yaml").write_text(AUTHORS.replace("Jane Doe", "Jane Q. Doe"), encoding="utf-8")
    build(BuildOptions(staffed_site, output), session)
    clean = tmp_path / "clean"
    build(BuildOptions(staffed_site, clean))
    assert digests(output) == digests(clean)
    assert "Jane Q. Doe" in (output / "2025/01/16/ferry/index.html").read_text(encoding="utf-8")
