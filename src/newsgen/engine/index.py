"""What one build leaves for the next, per output folder: the manifest, and the site as an edit needs it.

A sqlite file in the cache holds:
  files    the output manifest: every file's key, digest, size and mtime,
           and whether the search index reads it
  sources  every file under content/; for articles the cache key, the
           structure digest, the URLs of its images' copies, the file's own
           problems, and its outline (`site/outline.py`: what the quick way
           arranges the site from) when an edit changed it: a whole build
           keeps every outline in one record of `meta`, loaded at once
  meta     the stat signature of every file under content/, as one record:
           one read instead of a row per file
  pages    every page's kind, spec (as a row of its fields: quicker to store than
           the dataclass) and the spec's digest
  uses     which pages name which article or pool (the reverse of the specs)
           and the rest of the site as another (inputs digest, clock limit, pools, nav...)

so an edit can find the pages that show an article, and their specs, without
loading the site. The preview keeps its index in memory, for as long as it runs. The site record is removed before a build changes the
output folder, and written back once the folder is up to date: with an edit's
rows in one transaction, or, after a whole build, as part of a new file that
replaces the old one. A build that dies half-way leaves no index, and the next
build takes the whole way. A broken or foreign file is no index at all.
"""

from __future__ import annotations

import io
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from newsgen.engine.output.write import FileRecord, Manifest
from newsgen.errors import Problem
from newsgen.models import NO_DESK, Article, Desk, MenuEntry, ScheduledChange, StandalonePage, Term
from newsgen.read.files import Signature

if TYPE_CHECKING:  # specs are loaded only by a build that renders pages
    from newsgen.render.specs import PageSpec

_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS files (name TEXT PRIMARY KEY, key TEXT, digest TEXT, size INTEGER, mtime_ns INTEGER, templates TEXT,"
    " searchable INTEGER) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, article_key BLOB, structure BLOB, problems BLOB, copies TEXT,"
    " outline BLOB) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, kind TEXT, digest BLOB, spec BLOB) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS uses (ref TEXT, url TEXT)",  # indexed once filled: faster than a key kept while inserting
    "CREATE INDEX IF NOT EXISTS uses_by_ref ON uses (ref)",
    "CREATE INDEX IF NOT EXISTS uses_by_url ON uses (url)",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID",
]
_VERSION = 12  # of the tables above and of what the rows hold: change it with them


@dataclass(frozen=True)
class SourceRecord:
    """A file under content/ as the last build saw it (its signature aside)."""

    article_key: bytes | None = None  # the article cache key; None for other files
    structure: bytes | None = None  # the article's structure digest; None when it gave no article
    problems: tuple[Problem, ...] = ()  # the file's own problems
    copies: tuple[str, ...] = ()  # the URLs of its images' resized copies (engine/imaging.py)
    outline: Article | None = None  # site/outline.py, when saved; None when it gave no article (or when only read)


@dataclass(frozen=True)
class PageRecord:
    """A file under pages/ as the last build saw it: what a page edit may change without taking the whole way."""

    signature: Signature | None  # None: read it again
    structure: bytes | None = None  # plan/standalone.py page_structure of a page; None for other files (its images)
    updated: datetime | None = None  # the page's sitemap lastmod


@dataclass(frozen=True)
class SiteMeta:
    inputs: bytes  # digest of everything but content/ and pages/: config, templates, static files, options, code
    valid_until: datetime | None  # when the clock alone changes the output
    articles: int
    pages: int
    next_change: ScheduledChange | None
    site_problems: tuple[Problem, ...]  # warnings that are not one file's own, nor found arranging the site
    nav: tuple[Term, ...]
    pools: dict[str, tuple[str, ...]]
    article_settings: bytes  # cache.article_settings_key of the config
    held: tuple[str, ...] = ()  # article files held back for their errors
    standalone: tuple[StandalonePage, ...] = ()  # the standalone pages, which the quick way arranges the site with
    arranged_problems: tuple[Problem, ...] = ()  # found arranging the site: broken links, refs, translations
    page_files: dict[str, PageRecord] = field(default_factory=dict)  # every file under pages/, by path
    menu: tuple[MenuEntry, ...] = ()  # the header and footer menus every page shows
    built_at: datetime | None = None  # the "now" of the build that left it: the output holds from then on only
    desk_digest: bytes = b""  # of fronts.yaml and alerts.yaml as it read them (`read/desk.py`)
    desk: Desk = NO_DESK  # what they said


@dataclass(frozen=True)
class Gone:
    """What an edit removed: the files under content/ no longer there, the pages no longer made."""

    sources: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexDelta:
    """What a plan records in the index: the loop applies it once, after the commit, with the files it left."""

    meta: SiteMeta
    signatures: Mapping[str, Signature | None]  # always whole
    sources: Mapping[str, SourceRecord] = field(default_factory=dict)  # the rows that changed (every row: `whole`)
    specs: tuple[PageSpec, ...] | None = None  # the pages whose specs changed (every page: `whole`)
    whole: bool = False  # replaces every row
    gone: Gone | None = None


class SiteIndex:
    """The index file of one output folder. Failures are soft: a broken file reads as no index, and is not written."""

    def __init__(self, path: Path | None) -> None:
        """The index at `path`, or one in memory that lives as long as this object."""
        self._path = path
        self._db: sqlite3.Connection | None = None
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = _connect(path)
        except (sqlite3.Error, OSError):
            self._db = None  # unreadable or not a database: every build is a whole build

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

    def meta(self) -> SiteMeta | None:
        row = self._one("SELECT value FROM meta WHERE name = 'site'")
        meta = _unpickle(row[0]) if row else None
        return meta if isinstance(meta, SiteMeta) else None  # one of another newsgen fails the inputs check

    def manifest(self, names: Iterable[str] | None = None) -> Manifest:
        """The output files (or those of `names`) as the last build left them."""
        return _manifest(self._select(f"{_FILES} FROM files", "name", names))

    def file_names(self) -> list[str]:
        """Every output file's name, as the last build left them."""
        return [name for (name,) in self._select("SELECT name FROM files")]

    def searchable_pages(self) -> Manifest:
        """The pages the last build's search index read."""
        return _manifest(self._select(f"{_FILES} FROM files WHERE searchable"))

    def files_under(self, folder: str) -> Manifest:
        """The output files under `folder` (`pagefind/`) as the last build left them."""
        return _manifest(self._select(f"{_FILES} FROM files WHERE name > ? AND name < ?", parameters=_prefix(folder)))

    def forget(self, names: Iterable[str]) -> None:
        """Before an edit's rows are saved: the files it deleted from the output folder (a search index's old parts)."""
        rows = [(name,) for name in names]
        if rows:
            self._run(lambda db: _delete_files(db, rows))

    def signatures(self) -> dict[str, Signature | None]:
        """Every file under content/ with the stat signature it had (None: read it again)."""
        row = self._one("SELECT value FROM meta WHERE name = 'signatures'")
        signatures = _unpickle(row[0]) if row else None
        return signatures if isinstance(signatures, dict) else {}

    def sources(self, paths: Iterable[str]) -> dict[str, SourceRecord]:
        rows = self._select("SELECT path, article_key, structure, problems, copies FROM sources", "path", paths)
        return {
            path: SourceRecord(
                key,
                structure,
                _unpickle(problems) or () if problems else (),
                tuple(copies.split("\n")) if copies else (),
            )
            for path, key, structure, problems, copies in rows
        }

    def copies(self) -> dict[str, tuple[str, ...]]:
        """The URLs of the copies of every article's images, by its file's path."""
        rows = self._select("SELECT path, copies FROM sources WHERE copies IS NOT NULL")
        return {path: tuple(copies.split("\n")) for path, copies in rows}

    def outlines(self) -> dict[str, Article]:
        """Every article's outline, by its file's path: the whole build's, or an edit's since. One that is missing
        or damaged is left out (the quick way then gives up)."""
        row = self._one("SELECT value FROM meta WHERE name = 'outlines'")
        whole = _unpickle(row[0]) if row else None
        base = whole if isinstance(whole, dict) else {}
        found = {}
        for path, outline in self._select("SELECT path, outline FROM sources WHERE structure IS NOT NULL"):
            kept = _unpickle(outline) if outline is not None else base.get(path)
            if isinstance(kept, Article):
                found[path] = kept
        return found

    def problem_sources(self) -> dict[str, tuple[Problem, ...]]:
        """The files that had problems, and theirs."""
        rows = self._select("SELECT path, problems FROM sources WHERE problems IS NOT NULL")
        return {path: _unpickle(problems) or () for path, problems in rows}

    def users(self, refs: Iterable[str]) -> set[str]:
        """The URLs of the pages that name any of `refs`."""
        return {url for (url,) in self._select("SELECT url FROM uses", "ref", refs)}

    def specs(self, urls: Iterable[str]) -> list[PageSpec]:
        """The specs of `urls`, in URL order; a damaged row is left out."""
        from newsgen.render.specs import spec_from_row

        rows = [_unpickle(spec) for _, spec in sorted(self._select("SELECT url, spec FROM pages", "url", urls))]
        return [spec for spec in map(spec_from_row, rows) if spec is not None]

    def listing_digests(self) -> dict[str, bytes]:
        """The spec digest (`render/specs.py` spec_digest) of every page but the articles' own and their old URLs'."""
        from newsgen.render.specs import ARTICLE_KINDS

        kinds = tuple(kind.value for kind in ARTICLE_KINDS)
        query = f"SELECT url, digest FROM pages WHERE kind NOT IN ({','.join('?' * len(kinds))})"
        return dict(self._select(query, parameters=kinds))

    def digests(self, urls: Iterable[str]) -> dict[str, bytes]:
        """The spec digests of the pages of `urls` the last build made."""
        return dict(self._select("SELECT url, digest FROM pages", "url", urls))

    def invalidate(self) -> None:
        """Before the output folder changes: until `save`, no build may trust this index."""
        self._run(lambda db: db.execute("DELETE FROM meta WHERE name = 'site'"))

    def record(self, delta: IndexDelta, files: Manifest) -> None:
        """Record a build once the folder holds it: its delta, and `files`, the manifest of the files it made or kept."""
        self.save(delta.meta, delta.signatures, files, delta.sources, delta.specs, replace=delta.whole, gone=delta.gone)

    def save(
        self,
        meta: SiteMeta,
        signatures: Mapping[str, Signature | None],
        files: Manifest,
        sources: Mapping[str, SourceRecord],
        specs: Iterable[PageSpec] | None = None,
        replace: bool = True,
        gone: Gone | None = None,
    ) -> None:
        """Record a build: everything (`replace`: a new file, swapped in), or the rows an edit changed (and, in
        `gone`, the sources and pages it removed).

        `signatures` is always whole.
        """
        if not replace or self._path is None:
            self._run(lambda db: _write(db, meta, signatures, files, sources, specs, clear=replace, gone=gone))
            return
        fresh = self._path.with_name(self._path.name + ".new")
        try:
            fresh.unlink(missing_ok=True)
            db = _connect(fresh, durable=False)
            _write(db, meta, signatures, files, sources, specs, clear=True)
            db.close()
            with open(fresh, "rb+") as written:
                os.fsync(written.fileno())
            self.close()
            for leftover in ("-wal", "-shm"):  # a log of the old file must never be replayed into the new one
                Path(f"{self._path}{leftover}").unlink(missing_ok=True)
            os.replace(fresh, self._path)
            self._db = _connect(self._path)
        except (sqlite3.Error, OSError):
            fresh.unlink(missing_ok=True)
            self._db = None  # the next build is a whole build: slower, never wrong

    def _one(self, query: str) -> Any:
        rows = self._select(query)
        return rows[0] if rows else None

    def _select(
        self,
        query: str,
        column: str | None = None,
        values: Iterable[str] | None = None,
        parameters: tuple[str, ...] = (),
    ) -> list[Any]:
        """Rows of `query` (with `parameters`), all of them or those whose `column` is one of `values` (in batches sqlite
        accepts)."""
        if self._db is None:
            return []
        try:
            if values is None:
                return self._db.execute(query, parameters).fetchall()
            wanted, rows = list(values), []
            for start in range(0, len(wanted), 500):
                batch = wanted[start : start + 500]
                rows += self._db.execute(f"{query} WHERE {column} IN ({','.join('?' * len(batch))})", batch).fetchall()
            return rows
        except sqlite3.Error:
            self._db = None
            return []

    def _run(self, action: Callable[[sqlite3.Connection], object]) -> None:
        if self._db is None:
            return
        try:
            action(self._db)
        except sqlite3.Error:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._db = None  # without an index the next build is a whole build: slower, never wrong


def _connect(path: Path | None, durable: bool = True) -> sqlite3.Connection:
    """An index database (in memory for None); `durable=False` for a new file that nobody reads until it is complete and swapped in."""
    # One build at a time uses an index, but the preview's builds run on whichever thread saw the edit.
    db = sqlite3.connect(path or ":memory:", timeout=5, isolation_level=None, check_same_thread=False)
    # WAL commits without waiting for the disk: a power cut may lose the last commits, never corrupts.
    # The index then describes an older build, and the next build redoes the work since.
    db.execute("PRAGMA journal_mode = WAL" if durable else "PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = NORMAL" if durable else "PRAGMA synchronous = OFF")
    if db.execute("PRAGMA user_version").fetchone()[0] != _VERSION:  # another newsgen's layout: start afresh
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            db.execute(f'DROP TABLE "{table}"')
        db.execute(f"PRAGMA user_version = {_VERSION}")
    for statement in _SCHEMA:
        db.execute(statement)
    return db


def _write(
    db: sqlite3.Connection,
    meta: SiteMeta,
    signatures: Mapping[str, Signature | None],
    files: Manifest,
    sources: Mapping[str, SourceRecord],
    specs: Iterable[PageSpec] | None,
    clear: bool = False,
    gone: Gone | None = None,
) -> None:
    """Write a build's rows; `clear`: the whole build's, replacing every row (or filling a new file)."""
    db.execute("BEGIN")
    if clear:
        for table in ("files", "sources", "pages", "uses", "meta"):
            db.execute(f"DELETE FROM {table}")
    if gone is not None:
        db.executemany("DELETE FROM sources WHERE path = ?", ((path,) for path in gone.sources))
        db.executemany("DELETE FROM pages WHERE url = ?", ((url,) for url in gone.pages))
        db.executemany("DELETE FROM uses WHERE url = ?", ((url,) for url in gone.pages))
    db.executemany(
        "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (name, r.key, r.digest, r.size, r.mtime_ns, "\n".join(r.templates), int(r.searchable))
            for name, r in files.items()
        ),
    )
    db.executemany(
        "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                path,
                r.article_key,
                r.structure,
                _pickle(r.problems) if r.problems else None,
                "\n".join(r.copies) if r.copies else None,
                _pickle_outlines(r.outline) if r.outline is not None and not clear else None,
            )
            for path, r in sources.items()
        ),
    )
    if clear:  # every outline in one record: its terms, shared, are stored and loaded once
        outlines = {path: r.outline for path, r in sources.items() if r.outline is not None}
        db.execute("INSERT OR REPLACE INTO meta VALUES ('outlines', ?)", (_pickle_outlines(outlines),))
    if specs is not None:
        from newsgen.render.specs import spec_digest, spec_row

        spec_list = list(specs)
        db.executemany(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)",
            ((spec.url, spec.kind.value, spec_digest(spec), _pickle(spec_row(spec))) for spec in spec_list),
        )
        if clear:  # every row new: quicker to index once filled
            db.execute("DROP INDEX IF EXISTS uses_by_ref")
            db.execute("DROP INDEX IF EXISTS uses_by_url")
        else:  # some pages changed: their old uses go
            db.executemany("DELETE FROM uses WHERE url = ?", ((spec.url,) for spec in spec_list))
        db.executemany("INSERT INTO uses VALUES (?, ?)", ((ref, spec.url) for spec in spec_list for ref in spec.uses()))
        db.execute("CREATE INDEX IF NOT EXISTS uses_by_ref ON uses (ref)")
        db.execute("CREATE INDEX IF NOT EXISTS uses_by_url ON uses (url)")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('signatures', ?)", (_pickle(dict(signatures)),))
    db.execute("INSERT OR REPLACE INTO meta VALUES ('site', ?)", (_pickle(meta),))
    db.execute("COMMIT")


_FILES = "SELECT name, key, digest, size, mtime_ns, templates, searchable"


def _delete_files(db: sqlite3.Connection, rows: list[tuple[str]]) -> None:
    db.execute("BEGIN")
    db.executemany("DELETE FROM files WHERE name = ?", rows)
    db.execute("COMMIT")


def _manifest(rows: list[Any]) -> Manifest:
    return {
        name: FileRecord(key, digest, size, mtime, tuple(templates.split("\n")) if templates else (), bool(searchable))
        for name, key, digest, size, mtime, templates, searchable in rows
    }


def _prefix(folder: str) -> tuple[str, str]:
    """The bounds of the names under `folder` (ending in '/'), exclusive: '/' sorts just before '0'."""
    return folder, folder[:-1] + "0"


class _OutlinePickler(pickle.Pickler):
    """Stores paths as their text: pickle's own way rebuilds a path from its parts, three times slower to load, and
    a whole build's outlines hold one for every article (other rows keep the quicker C pickler)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, PurePath):
            return type(obj), (str(obj),)
        return NotImplemented


def _pickle_outlines(value: object) -> bytes:
    written = io.BytesIO()
    _OutlinePickler(written, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return written.getvalue()


def _pickle(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle(payload: object) -> Any:
    """A stored value, or None when the row is damaged."""
    try:
        return pickle.loads(payload)  # type: ignore[arg-type]
    except Exception:
        return None
