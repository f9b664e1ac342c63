"""The article cache: articles read in earlier builds, kept in memory and in `.newsgen-cache/`.

An entry is found by a key over the article's bytes, its path, the settings
that shape it and newsgen's own code, and is used only while the image files
it looked at are unchanged. Entries on disk carry a checksum; one that is
corrupt or unreadable is ignored and rebuilt, never trusted. The folder is
safe to delete and to share between CI runs (it holds pickles: share it only
with runs you trust, as you would the site's own files). Entries shared with
other machines go through a remote store in a data-only format instead
(`shared.py`); pickles stay here, where they decode about four times faster.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.body.renditions import available_formats
from newsgen.codeversion import code_version
from newsgen.errors import Problem
from newsgen.models import Article
from newsgen.read.files import is_article_name

if TYPE_CHECKING:
    from newsgen.config import SiteConfig

_SCHEMA = b"newsgen-article-cache-1"
_TABLE = "CREATE TABLE IF NOT EXISTS articles (key BLOB PRIMARY KEY, checksum BLOB NOT NULL, payload BLOB NOT NULL)"
ImageFingerprints = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class CachedArticle:
    article: Article | None
    problems: tuple[Problem, ...]
    images: ImageFingerprints  # (src, fingerprint) of every image the article looked at
    structure: bytes | None = None  # models.structure_digest of the article
    kept_on_disk: bool = True  # False for a result of this machine's moment (it ran out of time), not of the file


def is_article_file(path: str) -> bool:
    """Whether the file at `path` is read as an article (`.md`, `.markdown`, `.mdown`, `.mkd`), not kept as an asset."""
    return is_article_name(path)


def article_key(settings: bytes, path: Path, raw: bytes) -> bytes:
    """The article cache key: the file's bytes and path, and everything else that shapes its article."""
    return hashlib.sha256(b"\0".join([settings, str(path).encode(), raw])).digest()


def article_settings_key(config: SiteConfig, authors: bytes = b"") -> bytes:
    """What shapes an article besides its file: newsgen's code and the settings it reads."""
    aliases = list(config.front_matter_aliases.items())  # in order: the first alias of a key wins
    settings = repr(
        (config.timezone.key, sorted(config.permalinks.items()), config.markdown_engine, aliases, config.images)
        + (sorted(config.labels.items()),)  # which labels exist, and their names
        + (config.slugs,)  # how names become the URLs of the article and its terms
        + ((config.language, sorted(config.editions.items())) if config.editions else ())  # editions' URLs and names
        + tuple(sorted(available_formats()))  # what this machine's Pillow writes decides the copies offered
    )
    return hashlib.sha256(_SCHEMA + code_version() + settings.encode() + authors).digest()


class ArticleCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder  # None: nothing is kept beyond this process (`--no-cache`)
        self._memory: dict[bytes, CachedArticle] = {}
        self._used: set[bytes] = set()
        self._pending: dict[bytes, CachedArticle] = {}
        self._db = _open(folder / "articles.sqlite") if folder is not None else None
        self.hits = 0

    def get(self, key: bytes) -> CachedArticle | None:
        if key not in self._memory:
            self.preload([key])
        entry = self._memory.get(key)
        if entry is not None:
            self._used.add(key)
        return entry

    def entries(self, keys: Mapping[str, bytes | None]) -> dict[str, CachedArticle] | None:
        """The entries of `keys`, by the caller's names for them, fetched together; None when one has no key or no
        entry (the caller then reads again, or takes the whole way)."""
        self.preload([key for key in keys.values() if key])
        found = {}
        for name, key in keys.items():
            entry = self.get(key) if key else None
            if entry is None:
                return None
            found[name] = entry
        return found

    def preload(self, keys: list[bytes]) -> None:
        """Fetch many entries in a few queries instead of one query each."""
        wanted = [key for key in keys if key not in self._memory]
        if self._db is None or not wanted:
            return
        try:
            for start in range(0, len(wanted), 500):
                batch = wanted[start : start + 500]
                marks = ",".join("?" * len(batch))
                for key, checksum, payload in self._db.execute(
                    f"SELECT key, checksum, payload FROM articles WHERE key IN ({marks})", batch
                ):
                    entry = _decode(checksum, payload)
                    if entry is not None:
                        self._memory[key] = entry
                        self.hits += 1
        except sqlite3.Error:
            self._db = None

    def put(self, key: bytes, entry: CachedArticle) -> None:
        self._memory[key] = entry
        self._used.add(key)
        if entry.kept_on_disk:
            self._pending[key] = entry

    def end_build(self, prune: bool = True) -> None:
        """Save new entries; unless told not to (a build that looked at only a few), forget those this build did not use."""
        if prune:
            self._memory = {key: entry for key, entry in self._memory.items() if key in self._used}
        if self._db is not None:
            rows = (
                _encode(key, entry) for key, entry in self._pending.items()
            )  # one at a time: 100k pickles don't fit twice
            try:
                with self._db:
                    self._db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?)", rows)
                    if prune:
                        self._prune()
            except sqlite3.Error:
                self._db = None  # a broken cache file costs speed, never a build
        self._pending.clear()
        self._used = set()

    def _prune(self) -> None:
        assert self._db is not None
        (stored,) = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()
        if stored > 2 * len(self._used) + 100:
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key BLOB PRIMARY KEY)")
            self._db.execute("DELETE FROM used")
            self._db.executemany("INSERT INTO used VALUES (?)", ((key,) for key in self._used))
            self._db.execute("DELETE FROM articles WHERE key NOT IN (SELECT key FROM used)")


def _encode(key: bytes, entry: CachedArticle) -> tuple[bytes, bytes, bytes]:
    payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    return key, hashlib.blake2b(payload, digest_size=16).digest(), payload


def _decode(checksum: bytes, payload: bytes) -> CachedArticle | None:
    """An entry, or None when it is corrupt, partial or not ours: such an entry is rebuilt, never trusted."""
    if hashlib.blake2b(payload, digest_size=16).digest() != checksum:
        return None
    try:
        entry = pickle.loads(payload)
    except Exception:
        return None
    return entry if isinstance(entry, CachedArticle) else None


def _open(path: Path) -> sqlite3.Connection | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=5)
        connection.execute(
            "PRAGMA journal_mode = WAL"
        )  # commits without waiting for the disk; a crash loses entries, never corrupts
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute(_TABLE)
        return connection
    except (sqlite3.Error, OSError):
        return None  # unreadable or not a database: build without it
