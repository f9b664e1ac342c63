"""`slugs: unicode`: URLs in every script, safe, normalised, percent-encoded on the wire and decoded on disk."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import SiteFactory, article, digests, run_cli
from newsgen.config import SiteConfig, load_config
from newsgen.engine.plan import whole
from newsgen.scaffold import new_article
from newsgen.urls import make_slug, output_path, url_path
from serving import ServeProcess

UNICODE_CONFIG = "base_url: https://news.example.org/\nslugs: unicode\npermalinks: {author: '/autores/{slug}/'}\n"
LAYLA = "ليلى-حسن"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("ليلى حسن", LAYLA),
        ("مُحَمَّد", "مُحَمَّد"),  # Arabic vowel marks stay on their letters
        ("עברית", "עברית"),
        ("हिन्दी समाचार", "हिन्दी-समाचार"),  # Devanagari vowel signs and virama stay
        ("北京，新闻", "北京-新闻"),  # a full-width comma separates words
        ("Política Económica", "política-económica"),  # accents stay: they are the word
        ("ΑΘΉΝΑ Ελλάδα", "αθήνα-ελλάδα"),
        ("Москва 2026", "москва-2026"),
        ("Straße", "strasse"),  # case-folded, not just lowercased
    ],
)
def test_unicode_slugs_keep_the_script(name: str, slug: str) -> None:
    assert make_slug(name, "unicode") == slug


def test_transliterate_is_the_default_and_unchanged() -> None:
    assert make_slug("ليلى حسن") == "lyl-hsn"
    assert make_slug("Política Económica") == "politica-economica"


def test_nfd_and_nfc_give_one_slug() -> None:
    composed = "Política Económica"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    slug = make_slug(decomposed, "unicode")
    assert slug == make_slug(composed, "unicode") and unicodedata.is_normalized("NFC", slug)


@pytest.mark.parametrize(
    "hostile",
    [
        "../",
        "..",
        "%2e%2e",
        "a/b",
        "a\\b",
        "a.b",
        "a%2fb",
        "\u200d",  # zero-width joiner only
        "\u202eabc\u202c",  # right-to-left override
        "a\u200bb",  # zero-width space inside a word
        "\u0301start",  # a combining mark with no letter before it
        "x\x00y",
        "?#&=",
        "/autores/../../etc",
    ],
)
def test_hostile_names_never_give_a_separator_a_dot_segment_or_a_mark_alone(hostile: str) -> None:
    slug = make_slug(hostile, "unicode")
    assert not re.search(r"[/\\.%?#\x00\u200b-\u200f\u202a-\u202e]", slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug
    assert slug == "" or unicodedata.category(slug[0])[0] in "LN"
    if slug:
        assert output_path(url_path(f"/tags/{slug}/")) == f"tags/{slug}/index.html"


@pytest.mark.parametrize(
    "url", ["/%2e%2e/x/", "/a/%2E%2E/b/", "/a%2fb/", "/a%2Fb.html", "/%2e/", "/x%00/", "/%c0%ae%c0%ae/"]
)
def test_encoded_dot_segments_and_separators_name_no_output_file(url: str) -> None:
    if url == "/%c0%ae%c0%ae/":  # overlong UTF-8 for '..' is not UTF-8: the name stays as written, harmless
        assert output_path(url) == "%c0%ae%c0%ae/index.html"
        return
    with pytest.raises(ValueError):
        output_path(url)


def test_urls_are_encoded_and_files_decoded_in_nfc() -> None:
    url = url_path(f"/autores/{unicodedata.normalize('NFD', 'josé')}/")
    assert url == "/autores/jos%C3%A9/" and url.isascii()
    assert output_path(url) == "autores/josé/index.html"
    assert output_path("/autores/josé/") == output_path(url), "a path written as it reads names the same file"


def test_an_unknown_style_is_one_config_error(tmp_path: Path) -> None:
    (tmp_path / "newsgen.yaml").write_text("title: T\nslugs: ascii\n", encoding="utf-8")
    config, problems = load_config(tmp_path)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (2, "slugs", "must be one of transliterate, unicode, not 'ascii'")
    ]
    assert config.slugs == "transliterate"


def unicode_site(make_site: SiteFactory, **more: str) -> Path:
    return make_site(
        {
            **more,
            "newsgen.yaml": UNICODE_CONFIG,
            "content/2025-01-16-أخبار-اليوم.md": article(
                "headline: أخبار اليوم\ndek: ملخص.\ndate: 2025-01-16\nsection: سياسة\n"
                "tags: [Política, हिन्दी, 中文]\nauthors: [ليلى حسن]"
            ),
            "content/2025-01-17-second.md": article(
                "headline: Segunda\ndek: D.\ndate: 2025-01-17\nslug: Ελλάδα Σήμερα\ntags: [política]"
            ),
        }
    )


def hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"#]*)', html)


def test_a_unicode_site_writes_encoded_urls_that_resolve_to_its_files(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = unicode_site(make_site, **{"pages/quiénes-somos.md": "---\ntitle: Quiénes somos\n---\nNosotros.\n"})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    out = site / "build"
    assert (out / "autores" / LAYLA / "index.html").is_file()
    assert (out / "2025/01/16/أخبار-اليوم/index.html").is_file()
    assert (out / "2025/01/17/ελλάδα-σήμερα/index.html").is_file()
    assert (out / "tags/política/index.html").is_file(), "Política and política are one tag"
    assert (out / "quiénes-somos/index.html").is_file()
    assert "slug: 'Ελλάδα Σήμερα' is not lowercase letters and digits joined by single hyphens;" in err

    story = (out / "2025/01/16/أخبار-اليوم/index.html").read_text(encoding="utf-8")
    local = [link for link in hrefs(story) if link.startswith("/")]
    assert "/autores/%D9%84%D9%8A%D9%84%D9%89-%D8%AD%D8%B3%D9%86/" in local
    assert "/tags/pol%C3%ADtica/" in local
    for link in local:
        assert link.isascii(), link
        assert (out / output_path(urlsplit(link).path)).is_file(), link

    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap) + re.findall(r"<link>([^<]+)</link>", feed)
    assert "https://news.example.org/qui%C3%A9nes-somos/" in locations
    for location in locations:
        assert location.isascii() and location.startswith("https://news.example.org/"), location
        assert (out / output_path(urlsplit(location).path)).is_file(), location


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Política", "política"),
        ("política", unicodedata.normalize("NFD", "política")),
    ],
    ids=["case", "composition"],
)
def test_names_that_differ_in_case_or_composition_collide_in_one_line(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], first: str, second: str
) -> None:
    site = make_site(
        {
            "newsgen.yaml": UNICODE_CONFIG,
            f"content/2025-01-16-{first}.md": article("headline: Uno\ndek: D.\ndate: 2025-01-16"),
            f"content/2025-01-16-{second}.md": article("headline: Dos\ndek: D.\ndate: 2025-01-16"),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    [line] = [text for text in err.splitlines() if "is also the URL of" in text]
    assert "/2025/01/16/política/ is also the URL of an article" in line
    names = {f"2025-01-16-{first}.md", f"2025-01-16-{second}.md"}
    assert sum(name in line for name in names) == 2, line


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        (
            "slug: '\u200d'",
            "slug: '\\u200d' gives an empty slug; use lowercase letters and digits joined by single hyphens",
        ),
        ("tags: ['\u200b']", "tags: '\\u200b' gives an empty URL slug; use letters or digits"),
        ("tags: ['" + "ب" * 128 + "']", "makes a file name of 256 bytes; the limit is 255 bytes: shorten it"),
    ],
    ids=["empty slug", "empty tag", "too long in bytes"],  # invisible characters are shown escaped
)
def test_a_slug_that_cannot_be_a_file_name_is_one_line(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], front_matter: str, expected: str
) -> None:
    site = make_site(
        {
            "newsgen.yaml": UNICODE_CONFIG,
            "content/2025-01-16-x.md": article(f"headline: X\ndek: D.\ndate: 2025-01-16\n{front_matter}"),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    errors = [line for line in err.splitlines() if ": error:" in line or "2025-01-16-x.md:" in line]
    assert code == 1 and len(errors) == 1 and expected in errors[0], err


def test_a_slug_just_under_the_byte_limit_builds(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    tag = "ب" * 127  # 254 bytes on disk, 762 characters percent-encoded
    site = make_site(
        {
            "newsgen.yaml": UNICODE_CONFIG,
            "content/2025-01-16-x.md": article(f"headline: X\ndek: D.\ndate: 2025-01-16\ntags: ['{tag}']"),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    assert (site / "build/tags" / tag / "index.html").is_file()


EDITS = {
    "tags": (
        "content/2025-01-17-second.md",
        article("headline: Segunda\ndek: D.\ndate: 2025-01-17\nslug: Ελλάδα Σήμερα\ntags: [política, Москва]"),
    ),
    "headline": (  # the quick way: only the pages that show the story change
        "content/2025-01-17-second.md",
        article("headline: Otra\ndek: D.\ndate: 2025-01-17\nslug: Ελλάδα Σήμερα\ntags: [política]"),
    ),
    "new story": (
        "content/2025-01-18-北京新闻.md",
        article("headline: 北京新闻\ndek: D.\ndate: 2025-01-18\nsection: سياسة\ntags: [中文]\nauthors: [ليلى حسن]"),
    ),
}


QUICK_EDITS = ("headline", "new story")  # the index finds pages and files by their encoded URLs


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_in_a_unicode_site_builds_incrementally_to_a_clean_builds_bytes(
    make_site: SiteFactory,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: str,
) -> None:
    site = unicode_site(make_site)
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    name, text = EDITS[edit]
    (site / name).write_text(text, encoding="utf-8")
    if edit in QUICK_EDITS:
        monkeypatch.setattr(whole, "whole_plan", lambda *_: pytest.fail("this edit takes the quick way"))
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    monkeypatch.undo()
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    assert run_cli(["build", "--source", str(clean)], capsys)[0] == 0
    assert digests(site / "build") == digests(clean / "build")


def test_switching_the_setting_rebuilds_every_url(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = unicode_site(make_site)
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    (site / "newsgen.yaml").write_text(UNICODE_CONFIG.replace("unicode", "transliterate"), encoding="utf-8")
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    assert (site / "build/autores/lyl-hsn/index.html").is_file()
    assert not (site / "build/autores" / LAYLA).exists()


def test_the_preview_serves_a_unicode_page_requested_percent_encoded(make_site: SiteFactory) -> None:
    site = unicode_site(make_site)
    server = ServeProcess(site)
    try:
        encoded = url_path(f"/autores/{LAYLA}/")
        status, body = server.get(encoded)
        assert status == 200 and "ليلى حسن" in body.decode("utf-8")
        status, headers, _ = server.request("GET", encoded.rstrip("/"))
        assert status == 301 and headers["location"] == encoded
        status, home = server.get("/")
        assert status == 200 and url_path("/2025/01/16/أخبار-اليوم/").encode() in home
        assert server.get("/autores/%2e%2e/%2e%2e/newsgen.yaml")[0] == 404
    finally:
        server.stop()


def test_newsgen_new_names_the_file_in_the_sites_style(tmp_path: Path) -> None:
    path = new_article(tmp_path, SiteConfig(slugs="unicode"), "أخبار اليوم", date="2025-01-16")
    assert path == tmp_path / "content/2025/01/أخبار-اليوم.md"
    assert new_article(tmp_path, SiteConfig(), "أخبار اليوم", date="2025-01-16").name == "khbr-lywm.md"


def test_old_urls_in_any_script_redirect_and_encoded_climbs_are_refused(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {
            "newsgen.yaml": UNICODE_CONFIG,
            "content/2025-01-16-أخبار.md": article(
                "headline: أخبار\ndek: D.\ndate: 2025-01-16\nredirect_from: [/viejo/año/, /%2e%2e/x/, /a%2fb/]"
            ),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    refused = [line for line in err.splitlines() if "redirect_from" in line]
    assert code == 1 and len(refused) == 2 and all("must be a path on this site" in line for line in refused), err
    (site / "content/2025-01-16-أخبار.md").write_text(
        article("headline: أخبار\ndek: D.\ndate: 2025-01-16\nredirect_from: /viejo/año/"), encoding="utf-8"
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0, err
    redirect = (site / "build/viejo/año/index.html").read_text(encoding="utf-8")
    assert url_path("/2025/01/16/أخبار/") in redirect
