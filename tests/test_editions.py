"""Multilingual editions: each language's own lists, feeds and sitemaps; translations linked both ways (hreflang,
the sitemap, a language switcher); a site in one language exactly as before; incremental builds equal clean ones."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import newsgen.engine.plan.whole  # noqa: F401 - monkeypatched below
from conftest import NOW, SiteFactory, article, build_site, digests
from newsgen.config import load_config
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.errors import ContentError

CONFIG = """\
title: The Port Gazette
base_url: https://gazette.example.org/
language: en
timezone: America/New_York
languages:
  en: {}
  es:
    title: La Gaceta del Puerto
    description: Noticias del puerto
    timezone: America/Mexico_City
    sections: {politics: Política}
    tags: {ferries: Transbordadores}
"""
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RSS_LINK = re.compile(r"<item>\s*<title>[^<]*</title>\s*<link>([^<]+)</link>")


def files() -> dict[str, str | bytes]:
    return {
        "newsgen.yaml": CONFIG,
        "content/2025/bridge.md": article(
            "headline: Bridge reopens\ndek: Traffic flows.\ndate: 2025-11-20T08:00:00-05:00\n"
            "section: Politics\ntags: [Ferries, Bridge]\ntranslation_key: bridge"
        ),
        "content/es/puente.md": article(
            "headline: Reabre el puente\ndek: El tráfico fluye.\ndate: 2025-11-20T09:00:00-06:00\n"
            "section: Política\ntags: [Ferries]\ntranslation_key: bridge",
            "El puente reabrió.\n",
        ),
        "content/2025/market.md": article(
            "headline: Market hours change\ndek: Earlier closing.\ndate: 2025-11-21T08:00:00-05:00\nsection: Politics\n"
            "translations: {es: es/mercado.md}"
        ),
        "content/es/mercado.md": article(
            "headline: Cambia el horario del mercado\ndek: Cierra antes.\ndate: 2025-11-21T09:00:00-06:00\n"
            "section: Politics",
            "El mercado cierra antes.\n",
        ),
        "content/es/muelle.md": article(
            "headline: Obras en el muelle\ndek: Tres semanas.\ndate: 2025-11-22T10:00:00-06:00\nsection: Política",
            "Las obras duran tres semanas.\n",
        ),
        "content/2025/only-english.md": article(
            "headline: Council meets\ndek: A long agenda.\ndate: 2025-11-19T08:00:00-05:00\nsection: Politics"
        ),
        "pages/about.md": "---\ntitle: About us\nmenu: footer\n---\nWho we are.\n",
        "pages/es/acerca.md": "---\ntitle: Quiénes somos\nmenu: footer\n---\nQuiénes somos.\n",
        "content/2025/opinion.md": article(
            "headline: رأي في الميناء\ndek: مقال رأي.\ndate: 2025-11-23T08:00:00-05:00\nlabel: opinion\nlanguage: ar",
            "نص المقال.\n",
        ),
    }


def page(output: Path, url: str) -> BeautifulSoup:
    name = url.lstrip("/") + ("index.html" if url.endswith("/") else "")
    return BeautifulSoup((output / name).read_text(encoding="utf-8"), "html.parser")


def alternates(soup: BeautifulSoup) -> dict[str, str]:
    return {str(link["hreflang"]): str(link["href"]) for link in soup.find_all("link", rel="alternate", hreflang=True)}


def recap_links(soup: BeautifulSoup) -> set[str]:
    return {str(a["href"]) for a in soup.select(".recap-headline a")}


@pytest.fixture
def built(make_site: SiteFactory) -> Path:
    site = make_site(files())
    build_site(site, now=SOON_AFTER)
    return site / "build"


SOON_AFTER = datetime(2025, 11, 24, tzinfo=UTC)  # every story is published, the newest in the news sitemaps
ENGLISH = {"/2025/11/20/bridge/", "/2025/11/21/market/", "/2025/11/19/only-english/", "/2025/11/23/opinion/"}
SPANISH = {"/es/2025/11/20/puente/", "/es/2025/11/21/mercado/", "/es/2025/11/22/muelle/"}


def test_each_edition_lists_feeds_and_maps_only_its_own_stories(built: Path) -> None:
    assert recap_links(page(built, "/")) == ENGLISH
    assert recap_links(page(built, "/es/")) == SPANISH
    assert recap_links(page(built, "/politics/")) == ENGLISH - {"/2025/11/23/opinion/"}
    # A Spanish story naming the section in English or in Spanish is in the Spanish section, under its Spanish name.
    politica = page(built, "/es/politica/")
    assert recap_links(politica) == SPANISH
    assert politica.h1.get_text() == "Política"
    assert recap_links(page(built, "/es/tags/transbordadores/")) == {"/es/2025/11/20/puente/"}
    assert recap_links(page(built, "/tags/ferries/")) == {"/2025/11/20/bridge/"}
    assert [a["href"] for a in page(built, "/es/tags/").select("main a")] == ["/es/tags/transbordadores/"]

    def feed_links(name: str) -> set[str]:
        return {
            link.removeprefix("https://gazette.example.org") for link in RSS_LINK.findall((built / name).read_text())
        }

    assert feed_links("feed.xml") == ENGLISH
    assert feed_links("es/feed.xml") == SPANISH
    assert feed_links("es/politica/feed.xml") == SPANISH
    assert "<title>La Gaceta del Puerto</title>" in (built / "es/feed.xml").read_text()
    spanish_json = json.loads((built / "es/feed.json").read_text())
    assert {item["url"].removeprefix("https://gazette.example.org") for item in spanish_json["items"]} == SPANISH

    def sitemap_urls(name: str) -> set[str]:
        root = ElementTree.parse(built / name).getroot()
        return {loc.text.removeprefix("https://gazette.example.org") for loc in root.iter(f"{SITEMAP}loc") if loc.text}

    english_map, spanish_map = sitemap_urls("sitemap.xml"), sitemap_urls("es/sitemap.xml")
    assert ENGLISH <= english_map and not english_map & SPANISH and "/corrections/" in english_map
    assert spanish_map == SPANISH | {"/es/", "/es/politica/", "/es/tags/transbordadores/", "/es/tags/", "/es/acerca/"}
    news = (built / "es/news-sitemap.xml").read_text()
    assert "<news:language>es</news:language>" in news and "La Gaceta del Puerto" in news
    robots = (built / "robots.txt").read_text()
    assert "Sitemap: https://gazette.example.org/es/sitemap.xml" in robots
    assert "Sitemap: https://gazette.example.org/es/news-sitemap.xml" in robots


def test_translations_link_each_other_both_ways_in_pages_and_sitemaps(built: Path) -> None:
    pages = ["/", "/es/", "/politics/", "/es/politica/", "/tags/ferries/", "/es/tags/transbordadores/"]
    pages += ["/2025/11/20/bridge/", "/es/2025/11/20/puente/", "/2025/11/21/market/", "/es/2025/11/21/mercado/"]
    found = {url: alternates(page(built, url)) for url in pages}
    base = "https://gazette.example.org"
    for url, links in found.items():
        assert set(links) == {"en", "es", "x-default"}, url
        assert base + url in links.values(), f"{url} names itself among its versions"
        assert links["x-default"] == links["en"]
        for other in (links["en"], links["es"]):
            assert found[other.removeprefix(base)] == links, f"{url} and {other} name the same versions"
    assert found["/es/politica/"]["en"] == base + "/politics/"
    sitemap_links: dict[str, dict[str, str]] = {}
    for name in ("sitemap.xml", "es/sitemap.xml"):
        root = ElementTree.parse(built / name).getroot()  # valid XML, namespaces declared
        for entry in root.iter(f"{SITEMAP}url"):
            loc = entry.findtext(f"{SITEMAP}loc", "").removeprefix(base)
            sitemap_links[loc] = {link.get("hreflang", ""): link.get("href", "") for link in entry.iter(f"{XHTML}link")}
    for url in pages:
        assert sitemap_links[url] == found[url], url
    assert sitemap_links["/2025/11/19/only-english/"] == {}


def test_a_switcher_names_the_other_versions_in_their_own_language(built: Path) -> None:
    switcher = page(built, "/2025/11/20/bridge/").select_one("nav.language-switcher")
    links = switcher.find_all("a")
    assert [(a.get_text(), a["href"], a["hreflang"], a["lang"]) for a in links] == [
        ("Español", "/es/2025/11/20/puente/", "es", "es")
    ]
    assert page(built, "/es/").select_one("nav.language-switcher a").get_text() == "English"
    for alone in ("/2025/11/19/only-english/", "/es/2025/11/22/muelle/", "/2025/11/23/opinion/", "/tags/bridge/"):
        soup = page(built, alone)
        assert soup.select_one("nav.language-switcher") is None, alone
        assert alternates(soup) == {}, alone


def test_each_edition_speaks_its_language(built: Path) -> None:
    spanish = page(built, "/es/2025/11/20/puente/")
    assert spanish.html["lang"] == "es"
    assert spanish.select_one("article.story").get("lang") is None  # the page's own language needs no mark
    assert spanish.title.get_text() == "Reabre el puente | La Gaceta del Puerto"
    assert spanish.select_one(".site-title a")["href"] == "/es/"
    assert spanish.select_one("article.story time").get_text() == "jueves, 20 de noviembre de 2025"
    assert [a["href"] for a in spanish.select(".site-header nav a")] == ["/es/politica/"]
    assert page(built, "/").html["lang"] == "en"
    assert [a["href"] for a in spanish.select(".footer-menu a")] == ["/es/acerca/"]
    assert page(built, "/es/acerca/").html["lang"] == "es"
    assert [a["href"] for a in page(built, "/").select(".footer-menu a")] == ["/about/"]
    # An Arabic opinion piece in the English edition: an English page, its story marked Arabic, right to left.
    opinion = page(built, "/2025/11/23/opinion/")
    assert opinion.html["lang"] == "en" and opinion.html.get("dir") is None
    story = opinion.select_one("article.story")
    assert (story["lang"], story["dir"]) == ("ar", "rtl")
    assert "/2025/11/23/opinion/" in recap_links(page(built, "/labels/opinion/"))


def test_a_missing_or_unpublished_translation_is_simply_absent(make_site: SiteFactory) -> None:
    site_files = files()
    site_files["content/2025/market.md"] = article(
        "headline: Market hours change\ndek: Earlier closing.\ndate: 2025-11-21T08:00:00-05:00\n"
        "translations: {es: es/borrador.md}"
    )
    site_files["content/2025/only-english.md"] = article(
        "headline: Council meets\ndek: A long agenda.\ndate: 2025-11-19T08:00:00-05:00\n"
        "translations: {es: es/no-such-story.md}"
    )
    site_files["content/es/borrador.md"] = article(
        "headline: Borrador\ndek: Aún no.\ndate: 2025-11-21T09:00:00-06:00\ndraft: true\ntranslation_key: market"
    )
    del site_files["content/es/mercado.md"]
    site = make_site(site_files)
    result = build_site(site)
    output = site / "build"
    for url in ("/2025/11/21/market/", "/2025/11/19/only-english/"):
        assert alternates(page(output, url)) == {}
        assert page(output, url).select_one("nav.language-switcher") is None
    lines = [f"{problem.path.name}:{problem.line}: {problem.field}: {problem.message}" for problem in result.warnings]
    assert "only-english.md:5: translations.es: no article content/es/no-such-story.md" in lines
    assert not any("borrador" in line for line in lines)


def test_two_versions_in_one_edition_are_one_error(make_site: SiteFactory) -> None:
    site_files = files()
    site_files["content/es/otro-puente.md"] = article(
        "headline: Otro puente\ndek: Otro.\ndate: 2025-11-20T10:00:00-06:00\ntranslation_key: bridge"
    )
    with pytest.raises(ContentError) as caught:
        build_site(make_site(site_files))
    translation = [problem for problem in caught.value.problems if problem.code == "translation"]
    assert len(translation) == 1
    assert (translation[0].path.name, translation[0].line, translation[0].field) == ("puente.md", 7, "translation_key")
    assert "otro-puente.md is already the es version of this story" in translation[0].message


def test_bad_languages_are_one_line_each(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": "language: en\nlanguages:\n  en: {path: /en/}\n  es: {path: es, tone: warm}\n"
            "  it: {base_url: 'https://it.example.org/'}\n"
            "  fr: {path: /es/, timezone: Mars/Base}\n  'not a tag': {}\n  de: {sections: {Politics: Politik}}\n",
        }
    )
    _, problems = load_config(site)
    assert [(problem.line, problem.field) for problem in problems] == [
        (3, "languages.en.path"),
        (4, "languages.es.tone"),
        (4, "languages.es.path"),
        (5, "languages.it.base_url"),
        (6, "languages.fr.timezone"),
        (6, "languages.fr.path"),
        (7, "languages.not a tag"),
        (8, "languages.de.sections.Politics"),
    ]


def test_a_site_in_one_language_is_built_as_before(make_site: SiteFactory, tmp_path: Path) -> None:
    """`translation_key` without editions links nothing; `languages:` naming only the site's language changes nothing."""
    plain = make_site(
        {
            "newsgen.yaml": "title: Gazette\n",
            "content/a.md": article("headline: A\ndek: A.\ndate: 2025-11-20\nsection: Politics\ntranslation_key: x"),
            "content/b.md": article("headline: B\ndek: B.\ndate: 2025-11-21\nsection: Politics\ntranslation_key: x"),
        }
    )
    build(BuildOptions(plain, tmp_path / "shared-key", now=NOW), BuildSession(tmp_path / "cache-shared-key"))
    soup = page(tmp_path / "shared-key", "/2025/11/20/a/")
    assert alternates(soup) == {} and soup.select_one("nav.language-switcher") is None
    assert "xhtml" not in (tmp_path / "shared-key/sitemap.xml").read_text()
    (plain / "content/b.md").write_text(article("headline: B\ndek: B.\ndate: 2025-11-21\nsection: Politics"))
    build(BuildOptions(plain, tmp_path / "plain", now=NOW), BuildSession(tmp_path / "cache-plain"))
    (plain / "newsgen.yaml").write_text("title: Gazette\nlanguages: {en: {}}\n")
    build(BuildOptions(plain, tmp_path / "listed", now=NOW), BuildSession(tmp_path / "cache-listed"))
    assert digests(tmp_path / "plain") == digests(tmp_path / "listed")


def _edit(site: Path, name: str, text: str | None) -> None:
    path = site / name
    if text is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


EDITS: list[tuple[str, str, str | None]] = [
    (
        "the English version of a Spanish-only story",
        "content/2025/pier-works.md",
        article(
            "headline: Pier works\ndek: Three weeks.\ndate: 2025-11-22T11:00:00-05:00\nsection: Politics\n"
            "translations: {es: es/muelle.md}"
        ),
    ),
    (
        "a headline of a translated story",
        "content/es/puente.md",
        article(
            "headline: Reabre por fin el puente\ndek: El tráfico fluye.\ndate: 2025-11-20T09:00:00-06:00\n"
            "section: Política\ntags: [Ferries]\ntranslation_key: bridge",
            "El puente reabrió.\n",
        ),
    ),
    (
        "a translation_key that no longer matches",
        "content/es/puente.md",
        article(
            "headline: Reabre el puente\ndek: El tráfico fluye.\ndate: 2025-11-20T09:00:00-06:00\n"
            "section: Política\ntags: [Ferries]\ntranslation_key: puente",
        ),
    ),
    (
        "a new Spanish story",
        "content/es/lluvia.md",
        article("headline: Llueve\ndek: Mucho.\ndate: 2025-11-24T08:00:00-06:00\nsection: Política\ntags: [Ferries]"),
    ),
    (
        "a new English story",
        "content/2025/storm.md",
        article("headline: Storm\ndek: Wind.\ndate: 2025-11-24T10:00:00-05:00\nsection: Politics\ntags: [Ferries]"),
    ),
    (
        "a translation deleted",
        "content/es/mercado.md",
        None,
    ),
    (
        "a Spanish story by its language, outside content/es/",
        "content/2025/faro.md",
        article("headline: El faro\ndek: Luz.\ndate: 2025-11-23T08:00:00-06:00\nlanguage: es\ntags: [Ferries]"),
    ),
    (
        "a Spanish page's update",
        "pages/es/acerca.md",
        "---\ntitle: Quiénes somos\nmenu: footer\nupdated: 2025-11-23\n---\nQuiénes somos, desde 1990.\n",
    ),
    ("a section's Spanish name", "newsgen.yaml", CONFIG.replace("Política", "Políticas")),
    ("the Spanish edition's title", "newsgen.yaml", CONFIG.replace("La Gaceta del Puerto", "Gaceta")),
]


def _never_loaded(*_: object) -> None:
    pytest.fail("an edit that moves nothing loaded the site")


# The quick way: edits that move nothing, and a new story (the newest of its edition, no translation of another).
QUICK = ("a new Spanish story", "a new English story", "a headline of a translated story", "a Spanish page's update")


def test_incremental_builds_of_two_editions_equal_clean_ones(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files settle at once, as a newsroom's files written long before a build have: otherwise a page written within
    # the racy window (2 s) of the first builds is read again, and a new story beside it takes the whole way.
    monkeypatch.setattr(sys.modules["newsgen.read.files"], "_RACY_NS", 0)
    site = make_site(files())
    output = tmp_path / "incremental"
    session = BuildSession(site / ".newsgen-cache")
    build(BuildOptions(site, output, now=NOW), session)
    for step, (what, name, text) in enumerate(EDITS):
        _edit(site, name, text)
        with monkeypatch.context() as patched:
            if what in QUICK:  # the quick way: the site is never loaded
                patched.setattr(sys.modules["newsgen.engine.plan.whole"], "decide", _never_loaded)
            build(BuildOptions(site, output, now=NOW), session)
        clean = tmp_path / f"clean-{step}"
        build(BuildOptions(site, clean, now=NOW), BuildSession(tmp_path / f"cache-{step}"))
        assert digests(output) == digests(clean), f"after {what}"
    assert alternates(page(output, "/es/2025/11/22/muelle/"))["en"].endswith("/2025/11/22/pier-works/")
    faro = page(output, "/es/2025/11/23/faro/")
    assert faro.html["lang"] == "es" and faro.select_one("article.story").get("lang") is None
    assert "/es/2025/11/23/faro/" in recap_links(page(output, "/es/tags/transbordadores/"))


def test_each_edition_searches_its_own_language(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site({**files(), "newsgen.yaml": CONFIG + "search: true\n"})
    for output in ("one", "two"):
        build(BuildOptions(site, tmp_path / output, now=SOON_AFTER), BuildSession(tmp_path / f"cache-{output}"))
    spanish = page(tmp_path / "one", "/es/2025/11/20/puente/")
    assert spanish.select_one("form.site-search")["action"] == "/es/search/"
    assert page(tmp_path / "one", "/es/search/").html["lang"] == "es"
    entry = json.loads((tmp_path / "one/pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en", "es"]  # one order, whatever order Pagefind wrote them in
    assert digests(tmp_path / "one") == digests(tmp_path / "two")


def test_translations_naming_no_edition_is_one_error(make_site: SiteFactory) -> None:
    site_files = files()
    site_files["content/2025/only-english.md"] = article(
        "headline: Council meets\ndek: A long agenda.\ndate: 2025-11-19T08:00:00-05:00\ntranslations: {fr: fr/x.md}"
    )
    with pytest.raises(ContentError) as caught:
        build_site(make_site(site_files))
    [problem] = caught.value.problems
    assert (problem.path.name, problem.line, problem.field) == ("only-english.md", 5, "translations.fr")
    assert problem.message == "'fr' is not an edition of this site (editions: en, es)"


def test_an_edition_folder_named_as_jekyll_sites_name_it_is_a_language_tag(make_site: SiteFactory) -> None:
    """ruby-lang.org's shape: `en/news/_posts/` and `zh_tw/news/_posts/`, the same file name in each language."""
    post = "headline: {}\ndek: A release.\ndate: 2025-11-20\nlang: {}"
    site = make_site(
        {
            "newsgen.yaml": "title: Releases\nlanguage: en\nlanguages:\n  en: {}\n  zh_tw: {title: 發佈}\n",
            "content/en/news/_posts/2025-11-20-release.md": article(post.format("Released", "en")),
            "content/zh_tw/news/_posts/2025-11-20-release.md": article(post.format("發佈", "zh_tw")),
        }
    )
    build_site(site)
    english, chinese = page(site / "build", "/2025/11/20/release/"), page(site / "build", "/zh_tw/2025/11/20/release/")
    assert chinese.html["lang"] == "zh-TW"
    expected = {
        "en": "/2025/11/20/release/",
        "zh-TW": "/zh_tw/2025/11/20/release/",
        "x-default": "/2025/11/20/release/",
    }
    for soup in (english, chinese):
        assert {code: href.removeprefix("https://example.com") for code, href in alternates(soup).items()} == expected


def test_an_edition_names_its_own_url_paths_and_its_pages_still_pair_with_the_default_ones(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    own = "    permalinks: {tag: '/etiquetas/{slug}/', author: '/autores/{slug}/', tags_index: /etiquetas/}\n"
    config = CONFIG.replace("    tags: {ferries: Transbordadores}\n", "    tags: {ferries: Transbordadores}\n" + own)
    site = make_site({**files(), "newsgen.yaml": config + "permalinks: {article: '/{yyyy}/{slug}/'}\n"})
    output = tmp_path / "out"
    build(BuildOptions(site, output, now=NOW), BuildSession(tmp_path / "cache"))
    spanish = page(output, "/es/etiquetas/transbordadores/")
    assert alternates(spanish)["en"].endswith("/tags/ferries/")
    assert alternates(page(output, "/tags/ferries/"))["es"].endswith("/es/etiquetas/transbordadores/")
    story = page(output, "/es/2025/puente/")  # the site's article pattern, under the edition's path
    assert "/es/etiquetas/transbordadores/" in {a["href"] for a in story.select("a")}
    assert (output / "es/etiquetas/index.html").is_file() and not (output / "es/tags").exists()
    assert page(output, "/tags/ferries/").select_one("a[href='/tags/']") is not None, "English paths unchanged"


def test_the_default_edition_takes_the_sites_own_url_patterns_and_an_editions_are_checked(
    make_site: SiteFactory,
) -> None:
    config = "language: en\nlanguages:\n  en: {permalinks: {tag: '/etiquetas/{slug}/'}}\n  es: {permalinks: {tag: /etiquetas/}}\n"
    _, problems = load_config(make_site({"newsgen.yaml": config}))
    assert [problem.format().split(": ", 1)[1] for problem in problems] == [
        "languages.en.permalinks: the default edition's URL patterns are the site's: set permalinks: at the top",
        "languages.es.permalinks.tag: must contain {slug} so that every page gets its own URL",
    ]
