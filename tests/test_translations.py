"""The theme's words in the site's language: gettext catalogs, a site's own `.po`, English where none translates."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from conftest import SiteFactory, article, build_site, digests, run_cli
from newsgen.config import SiteConfig
from newsgen.errors import Problem
from newsgen.models import Article, Comment, ListPage
from newsgen.render.environment import make_environment
from newsgen.translate import Catalogs

REPO = Path(__file__).resolve().parents[1]
THEME_LOCALES = REPO / "locales"

PIER = article(
    """
    headline: Pier reopens
    dek: The harbor's pier is open again.
    date: 2025-01-10T09:00:00-06:00
    updated: 2025-01-11T10:30:00-06:00
    authors: [Ana Ruiz, Luis Paz]
    section: Harbor
    tags: [Port]
    series: Storm
    comments: [{author: Eva, date: 2025-01-10, body: Good news.}]
    corrections: [{date: 2025-01-12, text: The pier is 40 metres long.}]
    """
)
BOAT = article(
    """
    headline: Ferry returns
    dek: The ferry sails again.
    date: 2025-01-09T09:00:00-06:00
    authors: [Ana Ruiz]
    section: Harbor
    tags: [Port]
    series: Storm
    comments: [{author: Eva, date: 2025-01-09, body: At last.}, {author: Tom, date: 2025-01-09, body: Yes.}]
    """
)


def harbor_site(make_site: SiteFactory, language: str, extra: dict[str, str | bytes] | None = None) -> Path:
    """Two stories, one per page of the lists, so every list has an older page."""
    config = f"title: The Harbor\nlanguage: {language}\nper_page: 1\ntimezone: America/Mexico_City\n"
    files: dict[str, str | bytes] = {
        "newsgen.yaml": config,
        "content/2025-01-10-pier.md": PIER,
        "content/2025-01-09-ferry.md": BOAT,
    }
    return make_site({**files, **(extra or {})})


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / "build" / url.strip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(soup: BeautifulSoup, selector: str) -> str:
    return " ".join(soup.select_one(selector).get_text().split())


def feed_titles(site: Path, url: str) -> list[str]:
    """The channel's title, then its items'."""
    channel = ElementTree.parse(site / "build" / url.strip("/") / "feed.xml").getroot()
    return [title.text or "" for title in channel.iter("title")]


def feed_title(site: Path, url: str) -> str:
    return feed_titles(site, url)[0]


def translation_warnings(warnings: tuple[Problem, ...]) -> list[str]:
    return [problem.format() for problem in warnings if problem.code == "translation"]


def test_a_mexican_spanish_site_reads_the_theme_in_spanish(make_site: SiteFactory) -> None:
    site = harbor_site(make_site, "es-MX")
    result = build_site(site)
    assert translation_warnings(result.warnings) == [], "the theme's Spanish catalog is complete"

    story = page(site, "/2025/01/10/pier/")
    assert text(story, ".byline") == "Por Ana Ruiz y Luis Paz"
    assert text(story, ".updated") == "Actualizado: 11 de enero de 2025, 10:30 a.m."
    assert text(story, "time[data-pagefind-meta=date]") == "viernes, 10 de enero de 2025", "dates stay CLDR's"
    assert text(story, "#comments-heading") == "1 comentario"
    assert text(story, "#corrections-heading") == "Corrección"
    assert text(story, ".series-name") == "Parte 2 de 2 de Storm"
    assert text(story, ".skip-link") == "Ir al contenido"

    home = page(site, "/")
    assert text(home, ".pagination a[rel=next]") == "Noticias anteriores"
    assert text(home, ".comment-count") == "1 comentario"
    older = page(site, "/page/1/")
    assert text(older, ".pagination a[rel=prev]") == "Noticias más recientes"
    assert text(older, ".pagination span") == "Noticias del 9 de enero de 2025"
    assert text(older, ".comment-count") == "2 comentarios", "the plural form"

    assert text(page(site, "/tags/port/"), "h1") == "Etiqueta: Port"
    assert text(page(site, "/authors/ana-ruiz/"), "h1") == "Noticias de Ana Ruiz"
    assert text(page(site, "/series/storm/"), "title") == "Serie: Storm | The Harbor"
    tags = page(site, "/tags/")
    assert text(tags, "h1") == "Etiquetas" and text(tags, ".count") == "2 noticias"

    assert feed_title(site, "/tags/port/") == "Etiqueta: Port | The Harbor"
    assert feed_title(site, "/authors/ana-ruiz/") == "Noticias de Ana Ruiz | The Harbor"
    assert feed_title(site, "/corrections/") == "Correcciones | The Harbor"
    assert feed_titles(site, "/corrections/")[1] == "Corrección: Pier reopens"


def test_the_search_page_gives_its_script_the_words_of_the_site_language(make_site: SiteFactory) -> None:
    site = harbor_site(make_site, "es-MX", {"newsgen.yaml": "language: es-MX\nsearch: true\n"})
    build_site(site)
    search = page(site, "/search/")
    assert text(search, "h1") == "Buscar"
    status = search.select_one("#search-status")
    assert (status["data-searching"], status["data-none"]) == ("Buscando…", "Ninguna noticia coincide con «{query}».")
    assert (status["data-one"], status["data-many"]) == ("Se encontró {num} noticia.", "Se encontraron {num} noticias.")


def test_a_language_without_a_catalog_reads_english_with_one_warning(make_site: SiteFactory) -> None:
    site = harbor_site(make_site, "ar")
    result = build_site(site)
    warnings = translation_warnings(result.warnings)
    assert len(warnings) == 1, warnings
    assert warnings[0].endswith(
        "newsgen.yaml:2: warning: language: no catalog for 'ar' (locales/ar.po in the site "
        "or the theme): the theme's words are in English"
    )
    story = page(site, "/2025/01/10/pier/")
    assert text(story, ".byline") == "By Ana Ruiz and Luis Paz"
    assert text(page(site, "/page/1/"), ".comment-count") == "2 comments"
    assert feed_title(site, "/tags/port/") == "Tagged: Port | The Harbor"
    again = build_site(site)
    assert translation_warnings(again.warnings) == warnings, "a build that reuses every page still says it"


def test_each_edition_reads_its_own_language_and_one_without_a_catalog_warns_once(make_site: SiteFactory) -> None:
    config = "title: The Harbor\nlanguage: en\nlanguages:\n  en: {}\n  es: {title: El Puerto}\n  fr: {title: Le Port}\n"
    site = make_site(
        {
            "newsgen.yaml": config,
            "content/2025-01-10-pier.md": PIER,
            "content/es/2025-01-10-muelle.md": PIER.replace("Pier reopens", "Reabre el muelle"),
            "content/fr/2025-01-10-quai.md": PIER.replace("Pier reopens", "Le quai rouvre"),
        }
    )
    warnings = translation_warnings(build_site(site).warnings)
    assert len(warnings) == 1, warnings
    assert "newsgen.yaml:3: warning: language: no catalog for 'fr'" in warnings[0]
    assert text(page(site, "/2025/01/10/pier/"), ".byline") == "By Ana Ruiz and Luis Paz"
    assert text(page(site, "/es/2025/01/10/muelle/"), ".byline") == "Por Ana Ruiz y Luis Paz"
    assert text(page(site, "/fr/2025/01/10/quai/"), ".byline") == "By Ana Ruiz and Luis Paz"


def test_a_partial_catalog_warns_once_per_missing_string_not_once_per_page(make_site: SiteFactory) -> None:
    catalog = 'msgid "Older stories"\nmsgstr "Articles précédents"\n'
    site = harbor_site(make_site, "fr", {"locales/fr.po": catalog})
    warnings = translation_warnings(build_site(site).warnings)
    assert text(page(site, "/"), ".pagination a[rel=next]") == "Articles précédents"
    assert any(
        w.endswith('locales/fr.po:1: warning: translation: "Newer stories": no translation, English used')
        for w in warnings
    ), warnings
    assert len(warnings) == len(set(warnings)) and not [w for w in warnings if '"Older stories"' in w]
    assert text(page(site, "/page/1/"), ".pagination a[rel=prev]") == "Newer stories"


def test_a_site_catalog_overrides_one_spanish_string_and_keeps_the_rest(make_site: SiteFactory) -> None:
    catalog = 'msgid "Older stories"\nmsgstr "Notas anteriores"\n'
    site = harbor_site(make_site, "es-MX", {"locales/es.po": catalog})
    result = build_site(site)
    assert translation_warnings(result.warnings) == []
    home = page(site, "/")
    assert text(home, ".pagination a[rel=next]") == "Notas anteriores", "the site's entry wins"
    assert text(home, ".skip-link") == "Ir al contenido", "the theme's others stay"


def test_a_translation_with_placeholders_the_original_lacks_is_set_aside_with_a_warning(
    make_site: SiteFactory,
) -> None:
    catalog = 'msgid "Stories by %(name)s"\nmsgstr "Noticias de %(nombre)s"\n\nmsgid "Older stories"\nmsgstr "Antiguas al 100%"\n'
    site = harbor_site(make_site, "es", {"locales/es.po": catalog})
    warnings = translation_warnings(build_site(site).warnings)
    assert [w.split("locales/")[1] for w in warnings] == [
        'es.po:1: warning: translation: "Stories by %(name)s": the translation uses a placeholder or a % the '
        "original does not give; not used",
        'es.po:4: warning: translation: "Older stories": the translation uses a placeholder or a % the original '
        "does not give; not used",
    ]
    assert text(page(site, "/authors/ana-ruiz/"), "h1") == "Noticias de Ana Ruiz", "the theme's translation"
    assert text(page(site, "/"), ".pagination a[rel=next]") == "Noticias anteriores"


def test_a_catalog_that_is_not_one_fails_the_build_in_one_line(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = harbor_site(make_site, "es", {"locales/es.po": 'msgid "Tags"\nmsgstr "Temas"\nthis is not gettext\n'})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "Traceback" not in err
    assert "locales/es.po:3: catalog: not a gettext catalog: " in err


def test_a_region_catalog_comes_before_its_language(make_site: SiteFactory) -> None:
    files: dict[str, str | bytes] = {
        "locales/es.po": 'msgid "Older stories"\nmsgstr "Notas anteriores"\n',
        "locales/es_MX.po": 'msgid "Older stories"\nmsgstr "Notas de antes"\n',
    }
    site = harbor_site(make_site, "es-MX", files)
    build_site(site)
    assert text(page(site, "/"), ".pagination a[rel=next]") == "Notas de antes"


def test_editing_a_site_catalog_builds_the_bytes_of_a_clean_build(make_site: SiteFactory, tmp_path: Path) -> None:
    site = harbor_site(make_site, "es", {"locales/es.po": 'msgid "Older stories"\nmsgstr "Notas anteriores"\n'})
    build_site(site)
    (site / "locales/es.po").write_text('msgid "Related"\nmsgstr "Relacionadas"\n\nmsgid "Tags"\nmsgstr "Temas"\n')
    result = build_site(site)
    assert result.rendered > 0
    assert text(page(site, "/"), ".pagination a[rel=next]") == "Noticias anteriores", "back to the theme's"
    assert text(page(site, "/tags/"), "h1") == "Temas"

    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("build", ".newsgen-cache"))
    build_site(clean)
    assert digests(site / "build") == digests(clean / "build")


def test_an_english_site_needs_no_catalog_and_gets_no_warning(make_site: SiteFactory) -> None:
    site = harbor_site(make_site, "en-GB")
    assert translation_warnings(build_site(site).warnings) == []
    assert text(page(site, "/"), ".pagination a[rel=next]") == "Older stories"


def _msgid(message: str | tuple[str, ...] | list[str]) -> str:
    return message if isinstance(message, str) else message[0]


def _extracted() -> set[str]:
    """Every msgid of the theme's templates and newsgen's code, extracted as `babel.cfg` says (`pybabel extract`)."""
    with (REPO / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)  # type: ignore[no-untyped-call]
    return {_msgid(found[2]) for found in extract_from_dir(REPO, method_map, options_map)}


def _catalog(path: Path) -> dict[str, Message]:
    with path.open("rb") as file:
        return {_msgid(message.id): message for message in read_po(file) if message.id}


@pytest.mark.parametrize("catalog", ["newsgen.pot", "es.po"])
def test_the_theme_catalogs_hold_every_string_the_theme_asks_for(catalog: str) -> None:
    """Fails when a string is added to a template (or a heading to the code) and not to the catalogs."""
    extracted = _extracted()
    entries = _catalog(THEME_LOCALES / catalog)
    missing = sorted(extracted - entries.keys())
    assert not missing, f"run pybabel extract and update (docs/how-to/translate-theme.md): {missing}"
    assert not sorted(entries.keys() - extracted), "no string the theme no longer uses"
    if catalog == "es.po":
        forms = {msgid: message.string for msgid, message in entries.items()}
        assert not [msgid for msgid, said in forms.items() if not (said if isinstance(said, str) else all(said or ()))]


def test_one_environment_speaks_the_language_of_the_site_each_page_is_rendered_with() -> None:
    """Editions share the templates: the words, the pagination and the recaps follow the `site` of each render."""
    moment = datetime(2025, 1, 10, 9, tzinfo=UTC)
    comments = tuple(Comment("Eva", moment, ("Yes.",), ()) for _ in range(2))
    story = Article(
        source=Path("content/pier.md"), url_line=1, headline="Pier", dek=None, date=moment, updated=None,
        authors=(), section=None, tags=(), series=None, slug="pier", url="/pier/", draft=False, image=None,
        sources=(), related=(), comments=comments, comments_closed=False, body=b"", assets=(),
    )  # fmt: skip
    english = SiteConfig()
    spanish = replace(english, language="es-MX")
    env = make_environment([REPO / "templates"], english, catalogs=Catalogs([THEME_LOCALES]))
    older = ListPage("home", "Home", "/page/1/", None, (story,), 1, None, "/", None, False)
    template = env.from_string(
        '{% from "_macros.html" import pagination with context %}'
        "{{ pagination(page) }}{{ recap(page.articles[0]) }}{{ _('Skip to content') }}"
    )

    def words(site: SiteConfig) -> str:
        return " ".join(BeautifulSoup(template.render(site=site, page=older), "html.parser").get_text(" ").split())

    assert (
        words(spanish)
        == "Noticias más recientes Noticias del 10 de enero de 2025 Pier 10 de enero de 2025 2 comentarios Ir al contenido"
    )
    assert (
        words(english) == "Newer stories Stories from January 10, 2025 Pier January 10, 2025 2 comments Skip to content"
    )
    assert words(spanish).endswith("2 comentarios Ir al contenido"), (
        "a recap rendered for one language is not shown in another"
    )


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "12,345 stories · Page 1,234 of 2,000"),
        ("es", "12.345 noticias · Página 1.234 de 2.000"),
        ("es-MX", "12,345 noticias · Página 1,234 de 2,000"),
    ],
)
def test_counts_are_grouped_as_the_pages_language_writes_them(language: str, shown: str) -> None:
    """CLDR's grouping as Babel writes it: a dot in Spanish, a comma in Mexican Spanish and English."""
    site = replace(SiteConfig(), language=language)
    env = make_environment([REPO / "templates"], site, catalogs=Catalogs([THEME_LOCALES]))
    template = env.from_string(
        '{{ ngettext("%(num)s story", "%(num)s stories", n, num=n | count) }} · {{ page | page_place }}'
    )
    page = ListPage("home", "Home", "/page/1234/", None, (), 1234, 2000, "/", None, False)
    assert template.render(site=site, n=12345, page=page) == shown
