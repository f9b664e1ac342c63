"""A page's dependencies are observed while it renders: every template Jinja loads, by any route, is in its key."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import jinja2
import pytest

from conftest import NOW, SiteFactory, article
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.engine.plan.whole import decide
from newsgen.models import article_id
from newsgen.read.files import TEMPLATES_DIR
from newsgen.render.environment import make_environment
from newsgen.render.renderer import PageRenderer
from newsgen.render.specs import page_specs, site_pools
from newsgen.theme import theme_dir

THEME_ARTICLE = (theme_dir() / "templates" / "article.html").read_text(encoding="utf-8")
# A template that reaches other templates only through names computed while rendering.
ARTICLE_TEMPLATE = THEME_ARTICLE.replace(
    "{% block main %}",
    '{% block main %}\n{% set kind = "article" %}{% include "parts/footer-" ~ kind ~ ".html" %}'
    '{% include ["parts/section-" ~ (article.section.slug if article.section else "none") ~ ".html", "parts/section-default.html"] %}'
    '{% import "parts/" ~ "helpers.html" as helpers %}{{ helpers.stamp() }}',
    1,
)


@pytest.fixture
def dynamic_site(make_site: SiteFactory) -> Path:
    assert ARTICLE_TEMPLATE != THEME_ARTICLE, "the theme's article.html has no main block to extend"
    return make_site(
        {
            "content/2025-01-10-ferry.md": article("headline: Ferry fares frozen\ndate: 2025-01-10\nsection: City"),
            "content/2025-01-11-pier.md": article("headline: Pier reopens\ndate: 2025-01-11"),
            "templates/article.html": ARTICLE_TEMPLATE,
            "templates/parts/footer-article.html": "<p>Footer one</p>\n",
            "templates/parts/section-default.html": "<p>Any section</p>\n",
            "templates/parts/helpers.html": "{% macro stamp() %}<p>Stamp one</p>{% endmacro %}\n",
        }
    )


def build_into(site: Path, output: Path, **options: object) -> None:
    options.setdefault("now", NOW)
    build(BuildOptions(site, output, **options), BuildSession(site / ".newsgen-cache"))  # type: ignore[arg-type]


def page(output: Path, url: str) -> str:
    return (output / url.strip("/") / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("full", [False, True])
def test_an_edit_to_a_template_included_by_a_computed_name_shows(
    dynamic_site: Path, tmp_path: Path, full: bool
) -> None:
    output = tmp_path / "out"
    build_into(dynamic_site, output)
    assert "Footer one" in page(output, "/2025/01/10/ferry/")
    (dynamic_site / "templates/parts/footer-article.html").write_text("<p>Footer two</p>\n", encoding="utf-8")
    build_into(dynamic_site, output, full=full)
    assert "Footer two" in page(output, "/2025/01/10/ferry/") and "Footer two" in page(output, "/2025/01/11/pier/")


def test_an_edit_to_a_macros_file_imported_by_a_computed_name_shows(dynamic_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build_into(dynamic_site, output)
    (dynamic_site / "templates/parts/helpers.html").write_text("{% macro stamp() %}<p>Stamp two</p>{% endmacro %}\n")
    build_into(dynamic_site, output)
    assert "Stamp two" in page(output, "/2025/01/10/ferry/")


def test_a_new_template_that_a_page_looked_for_and_missed_is_picked_up(dynamic_site: Path, tmp_path: Path) -> None:
    """The page chose the fallback because `parts/section-city.html` was missing; adding it changes the choice."""
    output = tmp_path / "out"
    build_into(dynamic_site, output)
    assert "Any section" in page(output, "/2025/01/10/ferry/")
    (dynamic_site / "templates/parts/section-city.html").write_text("<p>City desk</p>\n", encoding="utf-8")
    build_into(dynamic_site, output)
    assert "City desk" in page(output, "/2025/01/10/ferry/")
    assert "Any section" in page(output, "/2025/01/11/pier/"), "a page that never looked for it keeps its fallback"


def test_an_edit_to_a_template_no_page_loads_renders_nothing(dynamic_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build_into(dynamic_site, output)
    (dynamic_site / "templates/parts/unused.html").write_text("<p>Nobody includes me</p>\n", encoding="utf-8")
    result = build(BuildOptions(dynamic_site, output, now=NOW), BuildSession(dynamic_site / ".newsgen-cache"))
    assert result.rendered == 0 and result.files_written == 0


def test_recorded_templates_include_every_template_jinja_loaded(
    dynamic_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering each page with Jinja's template cache off, every template the loader is asked for was recorded."""
    decided = decide(BuildOptions(dynamic_site, dynamic_site / "build", now=NOW), BuildSession())
    site, config = decided.site, decided.config
    articles = {article_id(a): a for a in site.articles}
    nav = tuple(c.term for c in site.sections)
    specs = page_specs(site, config, NOW)
    assert specs
    checked = 0
    for spec in specs:
        env = make_environment([dynamic_site / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR], config)
        env.cache = None  # every get_template goes to the loader
        loader = env.loader
        assert isinstance(loader, jinja2.FileSystemLoader)
        loaded: list[str] = []

        def spy(
            environment: jinja2.Environment, name: str, original: Any = loader.get_source, loaded: list[str] = loaded
        ) -> Any:
            loaded.append(name)
            return original(environment, name)

        monkeypatch.setattr(loader, "get_source", spy)
        _, recorded = PageRenderer(env, config, nav, articles, site_pools(site, config), ()).render(spec)
        assert set(loaded) <= set(recorded), (
            f"{spec.url}: loaded but not recorded: {sorted(set(loaded) - set(recorded))}"
        )
        checked += bool(loaded)
    assert checked >= len(site.articles) + 2, "article, list, tags and 404 pages all load templates"


def test_the_news_sitemap_picks_up_a_future_article_once_its_time_comes(make_site: SiteFactory, tmp_path: Path) -> None:
    """--future: an article an hour ahead is published at once, and enters the news window when its hour comes."""
    date = (NOW + timedelta(hours=1)).isoformat()
    site = make_site({"content/2025-01-16-soon.md": article(f"headline: Soon\ndate: {date}")})
    output = tmp_path / "out"
    build_into(site, output, future=True)
    assert "<news:news>" not in (output / "news-sitemap.xml").read_text(encoding="utf-8")
    build_into(site, output, future=True, now=NOW + timedelta(hours=3))
    clean = tmp_path / "clean"
    build(BuildOptions(site, clean, now=NOW + timedelta(hours=3), future=True))
    news = (output / "news-sitemap.xml").read_text(encoding="utf-8")
    assert len(re.findall("<news:news>", news)) == 1 and news == (clean / "news-sitemap.xml").read_text(
        encoding="utf-8"
    )
