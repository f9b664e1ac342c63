"""Stage 1: find the site's files and read every article into a validated model.

Nothing is written here; every problem of every file is collected so the
editor sees them all in one run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from .article import ArticleContext, read_article
from .cache import ArticleCache, CachedArticle, code_version
from .config import SiteConfig
from .errors import Problem
from .fields import Reporter
from .files import walk_files
from .frontmatter import decode, parse_file
from .images import ImageLocator
from .markup import BodyRenderer
from .parallel import parallel_map
from .progress import ProgressBar
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


def load_site(
    source_dir: Path, config: SiteConfig, cache: ArticleCache, jobs: int = 1, bar: ProgressBar | None = None
) -> LoadedSite:
    """Every article, from the cache where nothing it depends on changed, else read afresh (in parallel)."""
    problems: list[Problem] = []
    static_files = find_static_files(source_dir, problems)
    images = ImageLocator({static.url: static.source for static in static_files})
    paths, walk_problems = walk_files(source_dir / CONTENT_DIR, source_dir)
    problems += walk_problems
    settings = _article_settings_key(config)
    entries: dict[Path, CachedArticle] = {}
    to_read: list[Path] = []
    sources = [(path, _article_key(settings, path, path.read_bytes())) for path in paths if path.suffix.lower() == ".md"]
    cache.preload([key for _, key in sources])  # other files beside articles are published only when referenced
    for path, key in sources:
        entry = cache.get(key)
        if entry is None or any(images.fingerprint(src, path) != seen for src, seen in entry.images):
            to_read.append(path)
        else:
            entries[path] = entry

    context = ArticleContext(config, BodyRenderer(config.markdown_engine), images) if to_read else None

    def read(path: Path) -> tuple[bytes, CachedArticle]:
        """Read in a worker, from the bytes it reads itself: keeping 100k files in memory to send them costs more."""
        assert context is not None
        raw = path.read_bytes()
        key = _article_key(settings, path, raw)
        article_problems: list[Problem] = []
        article, srcs = load_article(path, raw, context, article_problems)
        seen = tuple((src, images.fingerprint(src, path)) for src in srcs)
        if article is not None:
            article = replace(article, fingerprint=hashlib.sha256(key + repr(seen).encode()).hexdigest()[:32])
        return key, CachedArticle(article, tuple(article_problems), seen)

    results = parallel_map(read, to_read, jobs)
    if bar is not None:
        results = bar.track(results, len(to_read), "Reading articles")
    for path, (key, entry) in zip(to_read, results):
        cache.put(key, entry)
        entries[path] = entry
    cache.end_build()
    articles = []
    for path in sorted(entries):
        entry = entries[path]
        problems += entry.problems
        if entry.article is not None:
            articles.append(entry.article)
    return LoadedSite(tuple(articles), tuple(static_files), tuple(problems))


def _article_key(settings: bytes, path: Path, raw: bytes) -> bytes:
    return hashlib.sha256(b"\0".join([settings, str(path).encode(), raw])).digest()


def _article_settings_key(config: SiteConfig) -> bytes:
    """What shapes an article besides its file: newsgen's code and the settings it reads."""
    settings = repr((config.timezone.key, sorted(config.permalinks.items()), config.markdown_engine))
    return hashlib.sha256(code_version() + settings.encode()).digest()


def load_article(path: Path, raw: bytes, context: ArticleContext, problems: list[Problem]) -> tuple[Article | None, tuple[str, ...]]:
    """The article and the image srcs it looked up."""
    text, decode_problems = decode(raw, path)
    problems += decode_problems
    if text is None:
        return None, ()
    parsed, parse_problems = parse_file(text, path)
    problems += parse_problems
    if parsed is None:
        return None, ()
    reporter = Reporter(path, parsed.lines)
    article, srcs = read_article(parsed, path, reporter, context)
    problems += reporter.problems
    return article, srcs


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
