"""Stage 3: pages as bytes, through Jinja2 with autoescape and StrictUndefined.

A site's own `templates/` override the theme's templates of the same name. A
typo in a template is an error, not a blank, and every front-matter string
is escaped as text. Pages are yielded one at a time so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import dates
from .config import SiteConfig
from .models import Article, ListPage, Site
from .urls import NOT_FOUND_URL


@dataclass(frozen=True)
class RenderedPage:
    url: str
    content: bytes


def make_environment(template_dirs: list[Path], config: SiteConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    zone = config.timezone
    env.filters["long_date"] = lambda moment: dates.long_date(moment, zone)
    env.filters["short_date"] = lambda moment: dates.short_date(moment, zone)
    env.filters["date_time"] = lambda moment: dates.date_time(moment, zone)
    env.filters["iso"] = dates.iso
    env.filters["plural"] = lambda count, one, many: one if count == 1 else many
    env.filters["join_names"] = join_names
    return env


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C': how a byline or a source line reads."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def render_site(site: Site, config: SiteConfig, env: jinja2.Environment) -> Iterator[RenderedPage]:
    common = {"site": config, "sections": [c.term for c in site.sections]}
    article_template = env.get_template("article.html")
    for article in site.articles:
        yield _page(article.url, article_template, common, _article_context(article, site, config))
    list_template = env.get_template("list.html")
    for page in site.list_pages:
        yield _page(page.url, list_template, common, _list_context(page))
    tags_url = config.permalinks["tags_index"]
    yield _page(tags_url, env.get_template("tags.html"), common, {"page_title": "Tags", "page_url": tags_url, "tags": site.tags})
    yield _page(NOT_FOUND_URL, env.get_template("404.html"), common, {"page_title": "Page not found", "page_url": NOT_FOUND_URL})


def _page(url: str, template: jinja2.Template, common: dict[str, Any], context: dict[str, Any]) -> RenderedPage:
    return RenderedPage(url, template.render(**common, **context).encode("utf-8"))


def _article_context(article: Article, site: Site, config: SiteConfig) -> dict[str, Any]:
    latest = [other for other in site.articles[: config.latest_count + 1] if other is not article][: config.latest_count]
    return {
        "page_title": article.headline,
        "page_url": article.url,
        "article": article,
        "body": Markup(article.body_html),  # sanitised in markup.py
        "series_nav": site.series_nav.get(article.url),
        "latest": latest,
    }


_LIST_HEADINGS = {"home": "Latest news", "section": "{}", "tag": "Tagged: {}", "series": "Series: {}", "author": "Stories by {}"}


def _list_context(page: ListPage) -> dict[str, Any]:
    heading = _LIST_HEADINGS[page.kind].format(page.title)
    title = page.title if page.kind == "home" else heading
    if page.number > 1:
        title = f"{title} (page {page.number} of {page.count})"
    return {"page_title": title, "page_url": page.url, "page": page, "heading": heading}
