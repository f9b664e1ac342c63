"""`newsgen new` and `newsgen init`: files an editor would otherwise copy by hand."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import yaml

from newsgen.config import SiteConfig
from newsgen.options import build_now
from newsgen.read.files import CONFIG_FILE, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR
from newsgen.urls import make_slug


class ScaffoldError(Exception):
    """Refused: the message says why in one line."""


def new_article(
    source_dir: Path,
    config: SiteConfig,
    headline: str,
    section: str | None = None,
    tags: list[str] | None = None,
    series: str | None = None,
    date: str | None = None,
    dek: str | None = None,
) -> Path:
    """Write `content/YYYY/MM/<slug>.md` with its front matter filled; never overwrite.

    Keys with nothing to say are left out: an empty `dek: ''` would only draw a warning on every build.
    """
    slug = make_slug(headline)
    if not slug:
        raise ScaffoldError(f"the headline {headline!r} gives an empty slug; use letters or digits")
    moment = _moment(date, config)
    path = source_dir / CONTENT_DIR / f"{moment:%Y}" / f"{moment:%m}" / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; choose another headline or edit that file")
    front_matter: dict[str, object] = {"headline": headline}
    if dek:
        front_matter["dek"] = dek
    front_matter["date"] = moment.isoformat(timespec="seconds")
    if section:
        front_matter["section"] = section
    if tags:
        front_matter["tags"] = tags
    if series:
        front_matter["series"] = series
    front_matter["draft"] = False
    text = "---\n" + _dump(front_matter) + "---\nWrite the story here.\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": fail rather than overwrite, even in a race
        file.write(text)
    return path


def _moment(date: str | None, config: SiteConfig) -> datetime:
    if date is None:
        return build_now().astimezone(config.timezone).replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        raise ScaffoldError(f"--date {date!r} is not a date; write YYYY-MM-DD or 2025-01-16T09:30:00-06:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=config.timezone)


def _dump(data: dict[str, object]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)


WELCOME = """\
Welcome to your newsroom's site. This story was written by `newsgen init` to
show the parts of an article; edit it or delete it.

## How a story is made

Every story is a Markdown file in `content/` with its facts in the front
matter above: the headline, a one-sentence dek, the date, the authors, a
section and tags. Run `newsgen new "Your headline"` to start the next one,
`newsgen serve` to watch it take shape in your browser, and `newsgen build`
to write the site into `build/`.
"""


# newsgen.yaml as `init` writes it: block style, each key explained (the title is written as a JSON string, which YAML reads).
CONFIG_TEMPLATE = """\
# Settings for this site. Every key is optional; the README's "Configuration" lists them all.

# The site's name: in the header, the page titles, the feeds and search results.
title: {title}
# One sentence about the site, for search results and feeds.
description: ""
# The address the site is published at. Canonical links, feeds and sitemaps use it:
# `newsgen check` and `newsgen deploy` warn until it is yours.
base_url: https://example.com/
# The language the stories are written in (en, es-MX, ar ...).
language: en
# Dates and times are shown in this timezone (an IANA name such as America/Mexico_City).
timezone: UTC
# Stories on each list page (the home page, sections, tags, authors).
per_page: 10
"""


def init_site(target: Path) -> list[Path]:
    """A new site in `target` that builds with the packaged default theme."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty; choose a new folder")
    name = target.resolve().name.replace("-", " ").replace("_", " ").title() or "News"
    files: dict[str, str] = {
        CONFIG_FILE: CONFIG_TEMPLATE.format(title=json.dumps(name, ensure_ascii=False)),
        ".gitignore": "/build/\n/.build.*\n.newsgen-cache/\n",  # .build.*: the lock, and staging left by a killed build
        f"{TEMPLATES_DIR}/.keep": "",  # templates named like the theme's (article.html, base.html …) override them
        f"{STATIC_DIR}/.keep": "",  # files here are published as they are; static/theme/newsgen.css replaces the theme's CSS
    }
    target.mkdir(parents=True, exist_ok=True)
    written = [target / relative for relative in files]
    for path, content in zip(written, files.values(), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    article = new_article(
        target,
        SiteConfig(),
        "Welcome to your newsroom",
        section="News",
        tags=["Getting started"],
        dek="What a newsgen site is made of.",
    )
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Write the story here.\n", WELCOME), encoding="utf-8")
    return [*written, article]
