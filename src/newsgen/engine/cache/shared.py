"""The article cache's second level: entries any machine made, found in the remote store and checked on this one.

A local entry names its file and its images by their absolute paths, which
differ between machines. In the store, an entry is named by a
key over the file's bytes and its path in the site, with the settings key
taken over the authors files' contents (not their paths) and over the Python
and the libraries that read articles; it holds its paths relative to the
site (`codec.py`) and its images by content. So an entry another machine
made is used only when every image it looked at has the same bytes here,
and a file that changed between two reads is never sent or taken.

Only entries this build read afresh are uploaded: never one cut short by the
time limit (`kept_on_disk`), nor one that still names this machine's site
folder somewhere (in a message, say), which would be wrong on the others.

Whoever can write to the store can put anything under a name, so an entry
is taken only when it is bound to its name, fits the codec, and passes the
checks fresh input passes (`trust.py`); one in doubt is ignored with one
warning line, and its article read afresh. An entry that would not pass them
is not sent.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from newsgen.body.images import ImageLocator
from newsgen.config import SiteConfig
from newsgen.engine.cache.codec import EntryCodec
from newsgen.engine.cache.local import CachedArticle, ImageFingerprints, article_key, article_settings_key
from newsgen.engine.cache.remote import THREADS, RemoteStore, Untrusted
from newsgen.engine.cache.trust import check_entry, check_files, check_srcs
from newsgen.engine.progress import ProgressBar
from newsgen.errors import one_line
from newsgen.models import structure_digest
from newsgen.read.files import author_files

# The distributions whose versions can change what an article reads as (Markdown engines, sanitiser, YAML,
# slugs, image sizes): machines with other versions share nothing.
_READERS = ("markdown", "cmarkgfm", "nh3", "pyyaml", "python-slugify", "text-unidecode", "pillow")


class SharedCache:
    """Fetches the entries the local cache lacks, and uploads the ones a build read, `THREADS` at a time."""

    def __init__(
        self, store: RemoteStore, source_dir: Path, config: SiteConfig, images: ImageLocator, settings: bytes
    ) -> None:
        self._store = store
        self._site = source_dir
        self._images = images
        self._settings = settings  # the local settings key: a file is keyed again to see it did not change
        self._shared_settings = _shared_settings(source_dir, config)
        self._codec = EntryCodec(source_dir)
        self._site_text = json.dumps(str(source_dir), ensure_ascii=False)[1:-1].encode()  # as a payload spells it

    @classmethod
    def for_site(
        cls, config: SiteConfig, source_dir: Path, images: ImageLocator, settings: bytes
    ) -> SharedCache | None:
        """The shared cache `newsgen.yaml` names (`cache:`), or None when it names none."""
        if config.cache is None:
            return None
        return cls(RemoteStore(config.cache, config.cache_endpoint_url), source_dir, config, images, settings)

    def fetch(self, wanted: list[tuple[Path, bytes]], bar: ProgressBar | None = None) -> dict[bytes, CachedArticle]:
        """The entries for these (article file, local cache key) pairs that the store has and that hold here, by key.

        Each entry in doubt is one warning line, in the order of `wanted`, once the progress bar is done.
        """
        if not wanted:
            return {}
        with ThreadPoolExecutor(THREADS) as pool:
            found = pool.map(self._fetch, wanted)
            if bar is not None:
                found = bar.track(found, len(wanted), "Fetching articles")
            results = list(zip(wanted, found, strict=True))
        for (path, _), doubt in results:
            if isinstance(doubt, Untrusted):
                where = path.relative_to(self._site).as_posix()
                message = f"newsgen: warning: cache {self._store.url}: {where}: entry ignored ({doubt}); read afresh"
                print(one_line(message), file=sys.stderr)
        return {key: entry for (_, key), entry in results if isinstance(entry, CachedArticle)}

    def upload(self, made: Iterable[tuple[Path, bytes, CachedArticle]], bar: ProgressBar | None = None) -> None:
        """Send the entries this build read, each under its shared name."""
        sent = [item for item in made if item[2].kept_on_disk]
        if not sent:
            return
        with ThreadPoolExecutor(THREADS) as pool:
            done = pool.map(self._upload, sent)
            list(bar.track(done, len(sent), "Sharing articles") if bar is not None else done)  # wait for every one

    def _fetch(self, wanted: tuple[Path, bytes]) -> CachedArticle | Untrusted | None:
        """The entry, None for a miss, or why the one stored is not taken."""
        path, key = wanted
        name = self._name(path, key)
        try:
            payload = self._store.get(name) if name is not None else None
            if payload is None:
                return None
            entry = self._codec.decode(payload)
            if entry is None:
                raise Untrusted("not the fields and types of an entry")
            check_entry(path, entry)
            check_srcs(path, entry, self._site)  # before any image is read
            here = tuple((src, self._images.fingerprint(src, path)) for src, _ in entry.images)
            if self._by_content(here) != entry.images:
                return None  # an image it looked at is missing here, or has other bytes
            check_files(path, entry, self._images)
        except Untrusted as doubt:
            return doubt
        structure = structure_digest(entry.article) if entry.article is not None else None  # it names the path
        return replace(entry, images=here, structure=structure)

    def _upload(self, made: tuple[Path, bytes, CachedArticle]) -> None:
        path, key, entry = made
        name = self._name(path, key)
        images = self._by_content(entry.images)
        if name is None or images is None:
            return
        try:  # an entry no machine would take is not worth sending
            check_entry(path, entry)
            check_srcs(path, entry, self._site)
            check_files(path, entry, self._images)
        except Untrusted:
            return
        payload = self._codec.encode(replace(entry, images=images, structure=None))
        if payload is not None and self._site_text not in payload:
            self._store.put(name, payload)

    def _name(self, path: Path, key: bytes) -> str | None:
        """The entry's name in the store; None when the store is off or the file changed since the build keyed it."""
        if not self._store.working:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        if article_key(self._settings, path, raw) != key:
            return None
        place = path.relative_to(self._site).as_posix().encode()
        return "articles/" + hashlib.sha256(b"\0".join([self._shared_settings, place, raw])).hexdigest()

    def _by_content(self, images: ImageFingerprints) -> ImageFingerprints | None:
        """Image fingerprints every machine can check: path in the site, size and digest of the bytes.

        None when an image lies outside the site.
        """
        try:
            return tuple((src, self._in_site(fingerprint)) for src, fingerprint in images)
        except ValueError:
            return None

    def _in_site(self, fingerprint: object) -> object:
        """`body/images.py`'s fingerprint (path, size, digest; path alone for a missing file) with the path in the site."""
        if not isinstance(fingerprint, tuple):
            return fingerprint  # None: an image on another site
        where = Path(fingerprint[0]).relative_to(self._site).as_posix()  # ValueError outside the site
        return (where, *fingerprint[1:])


def _shared_settings(source_dir: Path, config: SiteConfig) -> bytes:
    """The article settings key with nothing of this machine in it."""
    authors = hashlib.sha256()
    for path, _ in author_files(source_dir):
        authors.update(path.relative_to(source_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return article_settings_key(config, authors.digest() + _readers())


@functools.cache
def _readers() -> bytes:
    """The Python and the library versions that read articles."""
    versions = [platform.python_implementation(), platform.python_version()]
    for name in _READERS:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return repr(versions).encode()
