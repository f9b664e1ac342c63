"""Stage 1: find the site's files and read every article into a validated model.

Nothing is written here; every problem of every file is collected so the
editor sees them all in one run.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .article import ArticleContext, read_article
from .config import SiteConfig
from .errors import Problem
from .fields import Reporter
from .files import walk_files
from .frontmatter import decode, parse_file
from .images import ImageLocator
from .markup import BodyRenderer
from .models import Article, StaticFile
from .theme import theme_dir

CONTENT_DIR = "content"
STATIC_DIR = "static"
TEMPLATES_DIR = "templates"
THEME_ASSETS = "theme"  # the theme's own subfolder of static/, published at /theme/


@dataclass(frozen=True)
class LoadedSite:
    articles: tuple[Article, ...]  # every article, drafts and embargoed ones included
    static_files: tuple[StaticFile, ...]
    problems: tuple[Problem, ...]


class ArticleMemo:
    """Articles read in earlier builds of this process, by a key over everything they depend on.

    The key covers the file's bytes, the config, every static file and every
    file beside the article (bundled images), by name, size and mtime, so a
    hit gives exactly what reading the file again would. Entries not used by
    a build are dropped after it.
    """

    def __init__(self) -> None:
        self._entries: dict[bytes, tuple[Article | None, tuple[Problem, ...]]] = {}
        self._used: dict[bytes, tuple[Article | None, tuple[Problem, ...]]] = {}

    def get(self, key: bytes) -> tuple[Article | None, tuple[Problem, ...]] | None:
        found = self._entries.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: bytes, article: Article | None, problems: tuple[Problem, ...]) -> None:
        self._used[key] = (article, problems)

    def end_build(self) -> None:
        self._entries, self._used = self._used, {}


def load_site(source_dir: Path, config: SiteConfig, renderer: BodyRenderer, memo: ArticleMemo) -> LoadedSite:
    problems: list[Problem] = []
    static_files = find_static_files(source_dir, problems)
    images = ImageLocator({static.url: static.source for static in static_files})
    context = ArticleContext(config, renderer, images)
    paths, walk_problems = walk_files(source_dir / CONTENT_DIR, source_dir)
    problems += walk_problems
    shared_key = _fingerprint([repr(config), *(f"{s.url}={_stat(s.source)}" for s in static_files)])
    bundled: dict[Path, list[str]] = defaultdict(list)  # files beside articles, by folder
    for path in paths:
        if path.suffix.lower() != ".md":
            bundled[path.parent].append(f"{path.name}={_stat(path)}")
    folder_keys = {folder: _fingerprint(files) for folder, files in bundled.items()}
    articles = []
    for path in paths:
        if path.suffix.lower() != ".md":
            continue  # images and other files beside articles are published only when referenced
        raw = path.read_bytes()
        key = hashlib.sha256(b"\0".join([str(path).encode(), shared_key, folder_keys.get(path.parent, b""), raw])).digest()
        cached = memo.get(key)
        if cached is None:
            article_problems: list[Problem] = []
            cached = (load_article(path, raw, context, article_problems), tuple(article_problems))
            memo.put(key, *cached)
        article, found = cached
        problems += found
        if article is not None:
            articles.append(article)
    memo.end_build()
    return LoadedSite(tuple(articles), tuple(static_files), tuple(problems))


def load_article(path: Path, raw: bytes, context: ArticleContext, problems: list[Problem]) -> Article | None:
    text, decode_problems = decode(raw, path)
    problems += decode_problems
    if text is None:
        return None
    parsed, parse_problems = parse_file(text, path)
    problems += parse_problems
    if parsed is None:
        return None
    reporter = Reporter(path, parsed.lines)
    article = read_article(parsed, path, reporter, context)
    problems += reporter.problems
    return article


def _stat(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


def _fingerprint(parts: Iterable[str]) -> bytes:
    return hashlib.sha256("\n".join(parts).encode()).digest()


def find_static_files(source_dir: Path, problems: list[Problem]) -> list[StaticFile]:
    """The theme's assets (`static/theme/`) overlaid by the site's own `static/`, by URL.

    Only the theme's own subfolder is taken from the theme, so a source
    checkout (whose `static/` also holds the sample site's photos) gives
    other sites exactly what the installed wheel gives them.
    """
    by_url: dict[str, Path] = {}
    theme_static = theme_dir() / STATIC_DIR
    for folder, url_root in ((theme_static / THEME_ASSETS, theme_static), (source_dir / STATIC_DIR, source_dir / STATIC_DIR)):
        files, walk_problems = walk_files(folder, source_dir if folder.is_relative_to(source_dir) else folder)
        problems += walk_problems
        for path in files:
            by_url["/" + path.relative_to(url_root).as_posix()] = path
    return [StaticFile(path, url) for url, path in sorted(by_url.items())]
