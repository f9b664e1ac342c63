"""Loading a site for a build: every article from the article cache where nothing it depends on changed, else read afresh.

The reading itself is stage 1 (`newsgen.read`); this module adds the cache
(with `cache:` in newsgen.yaml, the store every machine shares behind it)
and the parallel workers. Nothing is written here; every problem of every
file is collected so the editor sees them all in one run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from newsgen.body.images import ImageLocator
from newsgen.body.markup import BodyRenderer
from newsgen.config import SiteConfig
from newsgen.engine.cache.local import ArticleCache, CachedArticle, article_key, article_settings_key, is_article_file
from newsgen.engine.cache.shared import SharedCache
from newsgen.engine.parallel import parallel_map
from newsgen.engine.progress import ProgressBar
from newsgen.engine.timelimit import TimeLimitExceeded, time_limit
from newsgen.errors import Problem, Severity, one_line
from newsgen.models import Article, StaticFile, structure_digest
from newsgen.read.article import ArticleContext, read_article
from newsgen.read.authors import AuthorDirectory, load_authors
from newsgen.read.fields import Reporter
from newsgen.read.files import CONTENT_DIR, STATIC_DIR, THEME_ASSETS, Signature, scan_files, walk_files
from newsgen.read.frontmatter import ParsedFile, decode, parse_file
from newsgen.read.safeopen import MAX_FILE_BYTES
from newsgen.theme import theme_dir
from newsgen.urls import url_path


@dataclass(frozen=True)
class LoadedSite:
    articles: tuple[Article, ...]  # every article, drafts and embargoed ones included
    static_files: tuple[StaticFile, ...]
    problems: tuple[Problem, ...]
    sources: dict[str, SourceFile]  # every file under content/, by path
    scanned_at: int  # when content/ was scanned (time.time_ns())
    settings: bytes  # the article cache settings key the articles were read with


@dataclass(frozen=True)
class SourceFile:
    """A file under content/ as this build read it."""

    signature: Signature
    article_key: bytes | None = None  # the article cache key; None for files that are not articles
    article: Article | None = None
    structure: bytes | None = None  # models.structure_digest of the article
    problems: tuple[Problem, ...] = ()  # the file's own problems
    held: bool = False  # the file has errors: `article` is its last published version, or None


# (article files, article settings key) -> the cache keys of their last published versions
PublishedKeys = Callable[[list[str], bytes], Mapping[str, bytes]]


def load_site(
    source_dir: Path,
    config: SiteConfig,
    cache: ArticleCache,
    jobs: int = 1,
    bar: ProgressBar | None = None,
    published: PublishedKeys | None = None,
) -> LoadedSite:
    """Every article, from the cache where nothing it depends on changed, else read afresh (in parallel).

    With `published` (keep going), an article file with errors is held: its
    last published version (found through `published`, then in the cache)
    stands in for it, or nothing when it has none; its problems stay reported.
    The cache's build is left open for `hold`: the caller ends it.
    """
    problems: list[Problem] = []
    static_files = find_static_files(source_dir, problems)
    images = ImageLocator(static_files, source_dir, config.images, config.edition_codes if config.editions else ())
    scanned_at = time.time_ns()
    signatures, walk_problems = scan_files(source_dir / CONTENT_DIR, source_dir)
    problems += walk_problems
    authors, author_problems = load_authors(source_dir, images)
    problems += author_problems
    settings = article_settings_key(config, authors.digest)
    entries: dict[Path, CachedArticle] = {}
    to_read: list[Path] = []
    keys = _article_keys(signatures, settings, problems)
    sources = [(Path(path), key) for path, key in keys.items()]
    cache.preload([key for _, key in sources])  # other files beside articles are published only when referenced
    for path, key in sources:
        entry = cache.get(key)
        if entry is None or any(images.fingerprint(src, path) != seen for src, seen in entry.images):
            to_read.append(path)
        else:
            entries[path] = entry
    keeps = cache.folder is not None  # with --no-cache, every article is read again
    shared = SharedCache.for_site(config, source_dir, images, settings) if keeps and to_read else None
    if shared is not None:  # the local cache stays the first level: the store is asked only for what it can't give
        fetched = shared.fetch([(path, keys[str(path)]) for path in to_read], bar)
        for path in to_read:
            entry = fetched.get(keys[str(path)])
            if entry is not None:
                cache.put(keys[str(path)], entry)
                entries[path] = entry
        to_read = [path for path in to_read if path not in entries]

    reader = ArticleReader(config, images, settings, authors) if to_read else None

    def read(path: Path) -> tuple[bytes, CachedArticle]:
        """Read in a worker, from the bytes it reads itself: keeping 100k files in memory to send them costs more."""
        assert reader is not None
        return reader.read(path)

    results = parallel_map(read, to_read, jobs)
    if bar is not None:
        results = bar.track(results, len(to_read), "Reading articles")
    made = []
    for path, (key, entry) in zip(to_read, results, strict=True):
        cache.put(key, entry)
        entries[path] = entry
        keys[str(path)] = key
        made.append((path, key, entry))
    broken = sorted(str(path) for path, entry in entries.items() if has_errors(entry.problems))
    held = _kept_versions(broken, cache, published, settings) if published is not None else {}
    if shared is not None:
        shared.upload(made, bar)
    articles = []
    files = {path: SourceFile(signature) for path, signature in signatures.items()}
    for path in sorted(entries):
        entry = entries[path]
        problems += entry.problems
        if str(path) in held:
            kept_key, kept = held[str(path)]
            article = kept.article if kept else None
            structure = kept.structure if kept else None
            files[str(path)] = SourceFile(
                signatures[str(path)], kept_key, article, structure, entry.problems, held=True
            )
        else:
            article = entry.article
            files[str(path)] = SourceFile(
                signatures[str(path)], keys[str(path)], article, entry.structure, entry.problems
            )
        if article is not None:
            articles.append(article)
    return LoadedSite(tuple(articles), tuple(static_files), tuple(problems), files, scanned_at, settings)


def hold(loaded: LoadedSite, paths: Iterable[str], cache: ArticleCache, published: PublishedKeys) -> LoadedSite:
    """`loaded` with more article files held (two articles on one URL): each keeps its last published version, or
    is left out when it has none. Call it before `cache.end_build()`, which may forget those versions."""
    files = dict(loaded.sources)
    swapped: dict[int, Article | None] = {}  # by the identity of the article each file stood for
    for path, (kept_key, kept) in _kept_versions(sorted(paths), cache, published, loaded.settings).items():
        article, structure = (kept.article, kept.structure) if kept else (None, None)
        swapped[id(files[path].article)] = article
        files[path] = SourceFile(files[path].signature, kept_key, article, structure, files[path].problems, held=True)
    articles = (swapped.get(id(article), article) for article in loaded.articles)
    return replace(loaded, articles=tuple(article for article in articles if article is not None), sources=files)


def _article_keys(signatures: Mapping[str, Signature], settings: bytes, problems: list[Problem]) -> dict[str, bytes]:
    """The cache key of every article file, by path; a file that can't be read is a problem, never a silent gap."""
    keys: dict[str, bytes] = {}
    for name in sorted(signatures):
        if is_article_file(name):
            try:
                keys[name] = article_key(settings, Path(name), Path(name).read_bytes())
            except OSError as exc:
                problems.append(
                    Problem(Path(name), 1, "file", f"can't be read ({exc.strerror or exc})", code="unreadable")
                )
    return keys


def _kept_versions(
    paths: list[str], cache: ArticleCache, published: PublishedKeys, settings: bytes
) -> dict[str, tuple[bytes | None, CachedArticle | None]]:
    """Each of `paths` with the cache key and entry of its last published version (None: never published)."""
    found = published(paths, settings) if paths else {}
    held: dict[str, tuple[bytes | None, CachedArticle | None]] = {}
    for path in paths:
        key = found.get(path)
        entry = cache.get(key) if key is not None else None
        good = entry is not None and entry.article is not None and not has_errors(entry.problems)
        held[path] = (key, entry) if good else (None, None)
    return held


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.severity is Severity.ERROR for problem in problems)


class ArticleReader:
    """Reads one article file into a cache entry, keyed by the bytes it read."""

    def __init__(self, config: SiteConfig, images: ImageLocator, settings: bytes, authors: AuthorDirectory) -> None:
        self._context = ArticleContext(config, BodyRenderer(config.markdown_engine), images, authors)
        self._images = images
        self._settings = settings
        self._seconds = config.article_time_limit

    @classmethod
    def for_site(cls, source_dir: Path, config: SiteConfig) -> ArticleReader:
        """A reader that finds images among the site's and the theme's static files, and the site's authors."""
        images = ImageLocator(
            find_static_files(source_dir, []),
            source_dir,
            config.images,
            config.edition_codes if config.editions else (),
        )
        authors, _ = load_authors(source_dir, images)
        return cls(config, images, article_settings_key(config, authors.digest), authors)

    def read(self, path: Path, raw: bytes | None = None) -> tuple[bytes, CachedArticle]:
        """The file at `path`, or `raw` as if it were that file's bytes (a save not yet written)."""
        raw = path.read_bytes() if raw is None else raw
        key = article_key(self._settings, path, raw)
        article_problems: list[Problem] = []
        try:
            with time_limit(self._seconds):
                article, srcs = load_article(path, raw, self._context, article_problems)
        except TimeLimitExceeded:
            message = (
                f"took more than {self._seconds} s to read and convert (the limit is article_time_limit:"
                f" {self._seconds} in newsgen.yaml): shorten it or split it, or raise the limit"
            )
            problem = Problem(path, 1, "body", message, code="time-limit")
            return key, CachedArticle(None, (problem,), (), None, kept_on_disk=False)
        seen = tuple((src, self._images.fingerprint(src, path)) for src in srcs)
        structure = structure_digest(article) if article is not None else None  # here, in the workers: it costs
        return key, CachedArticle(article, tuple(article_problems), seen, structure)


def load_article(
    path: Path, raw: bytes, context: ArticleContext, problems: list[Problem]
) -> tuple[Article | None, tuple[str, ...]]:
    """The article and the image srcs it looked up."""
    parsed = parse_source(path, raw, problems)
    if parsed is None:
        return None, ()
    reporter = Reporter(path, parsed.lines)
    article, srcs = read_article(parsed, path, reporter, context)
    problems += reporter.problems
    return article, srcs


def parse_source(path: Path, raw: bytes, problems: list[Problem]) -> ParsedFile | None:
    """The front matter and body of an article or standalone page file; None when it has none to read."""
    text, decode_problems = decode(raw, path)
    problems += decode_problems
    if text is None:
        return None
    parsed, parse_problems = parse_file(text, path)
    problems += parse_problems
    return parsed


def find_static_files(source_dir: Path, problems: list[Problem]) -> list[StaticFile]:
    """The theme's assets (`static/theme/`) overlaid by the site's own `static/`, by URL.

    Only the theme's own subfolder is taken from the theme, so a source
    checkout (whose `static/` also holds the sample site's photos) gives
    other sites exactly what the installed wheel gives them.
    """
    by_url: dict[str, Path] = {}
    theme_static = theme_dir() / STATIC_DIR
    for folder, url_root in (
        (theme_static / THEME_ASSETS, theme_static),
        (source_dir / STATIC_DIR, source_dir / STATIC_DIR),
    ):
        files, walk_problems = walk_files(folder, source_dir if folder.is_relative_to(source_dir) else folder)
        problems += walk_problems
        for path in files:
            relative = path.relative_to(url_root).as_posix()
            refused = _unpublishable(path, relative)
            if refused is not None:
                problems.append(Problem(path, 1, "file", refused, Severity.WARNING, "static-file"))
            else:
                by_url[url_path("/" + relative)] = path
    return [StaticFile(path, url) for url, path in sorted(by_url.items())]


def _unpublishable(path: Path, relative: str) -> str | None:
    """Why a static file is not published: a line break or control character in its name, or its size."""
    if one_line(relative) != relative:  # a URL can't hold it, and a deploy's file list would split on it
        return "its name holds a line break or control character; rename it to publish it"
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"can't be read ({exc.strerror or exc})"
    if size > MAX_FILE_BYTES:
        return f"is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}; publish it from a media host"
    return None
