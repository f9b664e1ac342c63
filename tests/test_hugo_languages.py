"""Multilingual Hugo archives build unchanged: translations linked as Hugo links them, by their path in each
language's content folder (`content/es/blog/x.md`), by the language in their file name (`x.es.md`,
`index.es.md`) or by `translationKey`; a site in one language exactly as before; incremental builds equal clean
ones."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import newsgen.engine.plan.whole  # noqa: F401 - monkeypatched below
from conftest import NOW, SiteFactory, article, build_site, digests, png
from newsgen.engine import BuildOptions, BuildSession, build

CONFIG = """\
title: The Harbor Log
base_url: https://harbor.example.org/
language: en
timezone: UTC
languages:
  en: {}
  es: {title: La Bitácora del Puerto}
  fr: {title: Le Journal du Port}
"""


LAMP = "![The lamp room](lamp.png)\n"
OLD_URL = "aliases: [/fares/]\n"  # a translation copied with its original's old URL


def story(headline: str, day: int, extra: str = "", body: str = "Words.\n") -> str:
    return article(f"title: {headline}\ndate: 2025-03-{day:02d}\ndescription: A summary.\n{extra}", body)


def page(output: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((output / url.lstrip("/") / "index.html").read_text(encoding="utf-8"), "html.parser")


def alternates(output: Path, url: str) -> dict[str, str]:
    links = page(output, url).find_all("link", rel="alternate", hreflang=True)
    return {str(link["hreflang"]): str(link["href"]).removeprefix("https://harbor.example.org") for link in links}


def both_ways(output: Path, urls: dict[str, str]) -> None:
    """Every page of the group lists every other, itself included, and the default edition's as x-default."""
    for url in urls.values():
        assert alternates(output, url) == {**urls, "x-default": urls["en"]}


def test_content_folders_per_language_link_pages_at_the_same_path(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/en/blog/2025/ferry-fares.md": story("Ferry fares rise", 3),
            "content/es/blog/2025/ferry-fares.md": story("Suben las tarifas del ferry", 4),
            "content/fr/blog/2025/ferry-fares.md": story("Les tarifs du ferry augmentent", 5),
            "content/en/blog/2025/dredging.md": story("Dredging starts", 6),
            "content/es/blog/2024/dredging.md": story("Empieza el dragado", 7),  # another year: another page
        }
    )
    build_site(site)
    output = site / "build"
    both_ways(
        output,
        {
            "en": "/2025/03/03/ferry-fares/",  # the default edition's folder adds nothing to its URLs
            "es": "/es/2025/03/04/ferry-fares/",
            "fr": "/fr/2025/03/05/ferry-fares/",
        },
    )
    assert not (output / "en").exists()
    assert alternates(output, "/2025/03/06/dredging/") == {}
    assert alternates(output, "/es/2025/03/07/dredging/") == {}


def test_a_bundle_links_by_its_folder_and_shares_its_images_with_its_translations(make_site: SiteFactory) -> None:
    body = "![The lighthouse at dusk](lamp.png)\n"
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/en/blog/2025/lighthouse/index.md": story("The lighthouse relit", 8, body=body),
            "content/en/blog/2025/lighthouse/lamp.png": png(40, 30),
            "content/fr/blog/2025/lighthouse/index.md": story("Le phare rallumé", 9, body=body),
        }
    )
    build_site(site)
    output = site / "build"
    both_ways(output, {"en": "/2025/03/08/lighthouse/", "fr": "/fr/2025/03/09/lighthouse/"})
    image = page(output, "/fr/2025/03/09/lighthouse/").select_one("article img[alt='The lighthouse at dusk']")
    assert image is not None and image["src"] == "/fr/2025/03/09/lighthouse/lamp.png"
    assert (output / "fr/2025/03/09/lighthouse/lamp.png").read_bytes() == png(40, 30)


def test_the_language_in_a_file_name_makes_a_translation_without_it_in_the_url(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/blog/tides.md": story("Spring tides", 10),
            "content/blog/tides.es.md": story("Mareas vivas", 11),
            "content/blog/storm/index.md": story("Storm warning", 12),
            "content/blog/storm/index.fr.md": story("Alerte tempête", 13),
            "content/blog/_index.es.md": "---\ntitle: Blog\n---\n",  # a Hugo list page, in any language
            "content/blog/recipe.de.md": story("Fish stew", 14),  # no German edition: just a name
        }
    )
    result = build_site(site)
    output = site / "build"
    both_ways(output, {"en": "/2025/03/10/tides/", "es": "/es/2025/03/11/tides/"})
    both_ways(output, {"en": "/2025/03/12/storm/", "fr": "/fr/2025/03/13/storm/"})
    assert (output / "2025/03/14/recipe-de/index.html").is_file()
    assert result.articles == 5
    assert any(p.code == "list-page" and p.path.name == "_index.es.md" for p in result.warnings)


def test_a_translation_key_wins_over_the_path(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/en/blog/pier.md": story("The pier reopens", 15, "translationKey: pier-2025\n"),
            "content/es/blog/pier.md": story("Otra historia del muelle", 16),  # same path, another story
            "content/es/blog/muelle.md": story("Reabre el muelle", 17, "translationKey: pier-2025\n"),
        }
    )
    build_site(site)
    output = site / "build"
    both_ways(output, {"en": "/2025/03/15/pier/", "es": "/es/2025/03/17/muelle/"})
    assert alternates(output, "/es/2025/03/16/pier/") == {}


def test_two_stories_of_one_edition_at_one_path_are_linked_to_nothing_with_a_warning(
    make_site: SiteFactory,
) -> None:
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/blog/quay.md": story("The quay", 18),
            "content/en/blog/quay.md": story("The quay, again", 19),
            "content/es/blog/quay.md": story("El muelle", 20),
        }
    )
    result = build_site(site)
    output = site / "build"
    assert alternates(output, "/2025/03/18/quay/") == alternates(output, "/2025/03/19/quay/") == {}
    assert alternates(output, "/es/2025/03/20/quay/") == {}
    [warning] = [p for p in result.warnings if p.field == "translation_key"]
    assert warning.path.as_posix().endswith("content/en/blog/quay.md")
    assert "content/blog/quay.md has the same path (blog/quay) in the en edition" in warning.message


def test_an_old_url_a_translation_copied_redirects_to_the_default_edition(make_site: SiteFactory) -> None:
    aliases = "aliases: [/news/old-pier/]\n"
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/en/blog/pier.md": story("The pier reopens", 21, aliases),
            "content/es/blog/pier.md": story("Reabre el muelle", 22, aliases),
        }
    )
    result = build_site(site)
    redirect = (site / "build/news/old-pier/index.html").read_text(encoding="utf-8")
    assert "/2025/03/21/pier/" in redirect and "/es/" not in redirect
    [warning] = [p for p in result.warnings if p.field == "redirect_from"]
    assert warning.path.as_posix().endswith("content/es/blog/pier.md")
    assert "/news/old-pier/ is also an old URL of the en version" in warning.message
    assert "content/en/blog/pier.md); it redirects there" in warning.message


def test_a_site_in_one_language_reads_language_folders_and_suffixes_as_before(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": "title: The Harbor Log\nbase_url: https://harbor.example.org/\nlanguage: en\n",
            "content/en/blog/tides.md": story("Spring tides", 10),
            "content/es/blog/tides.md": story("Mareas vivas", 11),
            "content/blog/tides.es.md": story("Mareas", 12),
        }
    )
    build_site(site)
    output = site / "build"
    for url in ("/2025/03/10/tides/", "/2025/03/11/tides/", "/2025/03/12/tides-es/"):
        assert alternates(output, url) == {}


EDITS: list[tuple[str, str, str | bytes | None]] = [
    ("a translation in its language's folder", "content/es/blog/2025/ferry-fares.md", story("Suben", 4, OLD_URL)),
    ("its words", "content/es/blog/2025/ferry-fares.md", story("Suben", 4, OLD_URL, body="Otras palabras.\n")),
    ("a translation by file name", "content/en/blog/2025/ferry-fares.fr.md", story("Les tarifs", 5)),
    ("a bundle's translation", "content/blog/2025/lighthouse/index.es.md", story("El faro", 9, body=LAMP)),
    ("a French bundle borrowing the image", "content/fr/blog/2025/lighthouse/index.md", story("Phare", 9, body=LAMP)),
    ("the French bundle's own image", "content/fr/blog/2025/lighthouse/lamp.png", png(24, 24)),
    ("a translation withdrawn", "content/es/blog/2025/ferry-fares.md", None),
]


def test_incremental_builds_adding_translations_equal_clean_ones(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/en/blog/2025/ferry-fares.md": story("Ferry fares rise", 3, OLD_URL),
            "content/blog/2025/lighthouse/index.md": story("Lighthouse", 8, body=LAMP),
            "content/blog/2025/lighthouse/lamp.png": png(40, 30),
        }
    )
    output = tmp_path / "incremental"
    session = BuildSession(site / ".newsgen-cache")
    build(BuildOptions(site, output, now=NOW), session)
    assert alternates(output, "/2025/03/03/ferry-fares/") == {}
    for step, (what, name, content) in enumerate(EDITS):
        path = site / name
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
        build(BuildOptions(site, output, now=NOW), session)
        clean = tmp_path / f"clean-{step}"
        build(BuildOptions(site, clean, now=NOW), BuildSession(tmp_path / f"cache-{step}"))
        assert digests(output) == digests(clean), f"after {what}"
        if step == 0:  # the existing English story gained its Spanish version
            assert alternates(output, "/2025/03/03/ferry-fares/")["es"] == "/es/2025/03/04/ferry-fares/"
    assert alternates(output, "/2025/03/03/ferry-fares/") == {
        "en": "/2025/03/03/ferry-fares/",
        "fr": "/fr/2025/03/05/ferry-fares/",
        "x-default": "/2025/03/03/ferry-fares/",
    }
    assert (output / "fr/2025/03/09/lighthouse/lamp.png").read_bytes() == png(24, 24)
    assert (output / "es/2025/03/09/lighthouse/lamp.png").read_bytes() == png(40, 30)


def _never_loaded(*_: object) -> None:
    pytest.fail("a new story that is no translation loaded the site")


def test_a_new_translation_by_path_or_file_name_links_its_versions_incrementally(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new story on a site of editions may take the quick way; one that is a translation by its path must not."""
    site = make_site(
        {
            "newsgen.yaml": CONFIG,
            "content/en/blog/2025/ferry-fares.md": story("Ferry fares rise", 3),
            "content/blog/2025/tides.md": story("Spring tides", 10),
            "content/es/blog/2025/cranes.md": story("Nuevas grúas", 12),  # each edition has stories already
            "content/fr/blog/2025/cranes.md": story("Nouvelles grues", 13),
        }
    )
    output = tmp_path / "incremental"
    session = BuildSession(site / ".newsgen-cache")
    build(BuildOptions(site, output, now=NOW), session)
    added = {
        "content/es/blog/2025/ferry-fares.md": story("Suben las tarifas", 20),  # each the newest story
        "content/blog/2025/tides.fr.md": story("Grandes marées", 21),
        "content/es/blog/2025/dredging.md": story("Empieza el dragado", 22),  # no other's translation
    }
    for step, (name, text) in enumerate(added.items()):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
        with monkeypatch.context() as patched:
            if "dredging" in name:  # a new story and no translation takes the quick way: the site is never loaded
                patched.setattr(sys.modules["newsgen.engine.plan.whole"], "decide", _never_loaded)
            build(BuildOptions(site, output, now=NOW), session)
        clean = tmp_path / f"clean-{step}"
        build(BuildOptions(site, clean, now=NOW), BuildSession(tmp_path / f"cache-{step}"))
        assert digests(output) == digests(clean), f"after adding {name}"
    assert alternates(output, "/2025/03/03/ferry-fares/")["es"] == "/es/2025/03/20/ferry-fares/"
    assert alternates(output, "/2025/03/10/tides/")["fr"] == "/fr/2025/03/21/tides/"
