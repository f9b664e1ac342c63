"""`newsgen new` and `newsgen init`: files an editor would otherwise copy by hand."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import yaml

from newsgen.config import SiteConfig
from newsgen.options import build_now
from newsgen.read.desk import ALERTS_FILE, FRONTS_FILE
from newsgen.read.files import CONFIG_FILE, CONTENT_DIR, PAGES_DIR, STATIC_DIR, TEMPLATES_DIR, inside
from newsgen.theme import SITE_WORKFLOWS, site_workflow
from newsgen.urls import NAME_MAX, make_slug

WORKFLOWS_DIR = ".github/workflows"  # where `init` puts the site's workflows: GitHub runs them there
# Characters in the slug of a story `new` starts: a URL a reader can take in, and a file name far under NAME_MAX
# bytes. The headline itself is kept whole.
SLUG_LIMIT = 80


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
    label: str | None = None,
    edition: str | None = None,
) -> Path:
    """Write `content/YYYY/MM/<slug>.md` (`content/<edition>/YYYY/MM/` for a language edition) with its front
    matter filled; never overwrite.

    Keys with nothing to say are left out: an empty `dek: ''` would only draw a warning on every build.
    """
    slug = _shortened(make_slug(headline, config.slugs))
    if not slug:
        raise ScaffoldError(f"the headline {headline!r} gives an empty slug; use letters or digits")
    folder = source_dir / CONTENT_DIR
    if edition is not None:
        if edition not in config.editions:
            known = ", ".join(config.editions) or "none: newsgen.yaml has no languages:"
            raise ScaffoldError(f"--edition {edition!r} is not an edition of this site (editions: {known})")
        config, folder = config.edition(edition), folder / edition  # its timezone, and the folder that places it
    moment = _moment(date, config)
    path = folder / f"{moment:%Y}" / f"{moment:%m}" / f"{slug}.md"
    _refuse_links_out(path.parent, source_dir)
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
    if label:
        front_matter["label"] = label
    front_matter["draft"] = False
    text = "---\n" + _dump(front_matter) + "---\nWrite the story here.\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:  # "x": fail rather than overwrite, even in a race
            file.write(text)
    except OSError as exc:
        raise ScaffoldError(f"{exc.filename or path}: {exc.strerror or exc}") from None
    return path


def _shortened(slug: str) -> str:
    """At most SLUG_LIMIT characters, cut after a word when that keeps half of them, and a file name that fits."""
    if len(slug) > SLUG_LIMIT:
        words = slug[: SLUG_LIMIT + 1].rsplit("-", 1)[0]
        slug = words if len(words) >= SLUG_LIMIT // 2 else slug[:SLUG_LIMIT]
    while len(f"{slug}.md".encode()) > NAME_MAX:  # letters outside the BMP take 4 bytes each
        slug = slug[:-1]
    return slug.strip("-")


def _refuse_links_out(folder: Path, source_dir: Path) -> None:
    """Refuse a folder below content/ that a symlink leads out of the site: builds skip it (`read/files.py`), and
    `new` must not write outside the site."""
    content = source_dir / CONTENT_DIR
    here = content
    for name in folder.relative_to(content).parts:
        here = here / name
        if here.is_symlink() and not inside(here, source_dir):
            raise ScaffoldError(
                f"{here}: a symlink to {here.resolve()}, outside the site; newsgen new writes only inside it"
            )


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

## What kind of piece it is

This note carries `label: opinion` to show what a label does: the word above
the headline and in recaps, a page and a feed of every opinion piece, and the
article's type for search engines. The others are analysis, review,
explainer, fact-check and sponsored; a news story has none, so delete the
line from yours.
"""


# The standalone pages `init` writes (pages/<name>.md), linked from every page's footer: text for the newsroom to replace.
STARTER_PAGES = {
    "about": """\
---
title: About us
description: Who we are and what we cover.
menu: footer
menu_order: 1
---
Say here who runs this site, what it covers and where, and how it is paid
for. Readers deciding whether to trust a story look for this page first.
""",
    "corrections-policy": """\
---
title: Corrections policy
description: How we fix our mistakes, and where we say so.
menu: footer
menu_order: 2
---
Say here how an error is corrected: how quickly, what the note on the story
says, and that every correction is listed on the [corrections page](/corrections/).
Tell readers how to report one.
""",
    "contact": """\
---
title: Contact
description: How to reach the newsroom.
menu: footer
menu_order: 3
---
Give readers the addresses for news tips, corrections and letters, and say
how someone who needs to stay anonymous can reach you.
""",
}


# newsgen.yaml as `init` writes it: block style, each key explained (the title is written as a JSON string, which YAML reads).
CONFIG_TEMPLATE = """\
# Settings for this site. Every key is optional; newsgen's docs list them all (Reference: newsgen.yaml).

# The site's name: in the header, the page titles, the feeds and search results.
title: {title}
# One sentence about the site, for search results and feeds.
description: ""
# The address the site is published at. Canonical links, feeds and sitemaps use it:
# `newsgen build`, `check` and `deploy` warn until it is yours.
base_url: https://example.com/
# The language the stories are written in (en, es-MX, ar ...); the theme's words follow it
# (English and Spanish ship; locales/<language>.po adds another: docs, Translate the theme).
language: en
# Editions in other languages, each with its own front page, lists, feeds and sitemaps under
# its path; stories go in content/<code>/ and link their translations with translation_key.
# languages:
#   en:
#   es:
#     title: Spanish title
#     path: /es/
# Dates and times are shown in this timezone (an IANA name such as America/Mexico_City).
timezone: UTC
# Stories on each list page (the home page, sections, tags, authors).
per_page: 10
# A search page (/search/) and box, made with Pagefind. Every publish that changes a story
# indexes all of them again: about 3 s per 1,000 articles. Set false to publish faster.
search: true
"""

FRONTS_TEMPLATE = """\
# The editors' fronts: the stories that lead the front page (`home`) and any section's front (by its slug),
# ahead of the newest. Name a story by its file below content/, for example:
#   home:
#     lead: 2026/11/pier-4-reopens-after-storm-repairs.md
#     top: [2026/11/council-budget-vote.md]
home:
  top: []
"""
ALERTS_TEMPLATE = """\
# Breaking-news banners on every page, published as /alerts.json. For example:
#   alerts:
#     - text: Harbor Bridge closed after a crash
#       url: /2026/11/20/harbor-bridge-closed/
#       level: breaking        # breaking, developing or info
#       until: 2026-11-20T23:00:00-05:00
alerts: []
"""


def init_site(target: Path) -> list[Path]:
    """A new site in `target` that builds with the packaged default theme."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} already exists and is not empty; choose a new folder")
    name = target.resolve().name.replace("-", " ").replace("_", " ").title() or "News"
    files: dict[str, str] = {
        CONFIG_FILE: CONFIG_TEMPLATE.format(title=json.dumps(name, ensure_ascii=False)),
        ".gitignore": "/build/\n/.build.*\n.newsgen-cache/\n",  # .build.*: the lock, the last build's status, staging a killed build left
        f"{TEMPLATES_DIR}/.keep": "",  # templates named like the theme's (article.html, base.html …) override them
        f"{STATIC_DIR}/.keep": "",  # files here are published as they are; static/theme/newsgen.css replaces the theme's CSS
        **{f"{PAGES_DIR}/{name}.md": text for name, text in STARTER_PAGES.items()},
        FRONTS_FILE: FRONTS_TEMPLATE,  # there from the start, for the CMS to open (read/desk.py)
        ALERTS_FILE: ALERTS_TEMPLATE,
        # Publishes to GitHub Pages on every push, and previews every pull request (a draft in Decap CMS).
        **{f"{WORKFLOWS_DIR}/{name}": site_workflow(name).read_text(encoding="utf-8") for name in SITE_WORKFLOWS},
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
        label="opinion",
    )
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Write the story here.\n", WELCOME), encoding="utf-8")
    return [*written, article]
