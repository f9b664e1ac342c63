"""Digests of files' bytes, remembered by their stat signature.

The quick way must know whether the static files changed since the last
build. Their stat signatures alone would say "changed" after every fresh
checkout (a CI runner restores the cache into a new clone: same bytes, new
times and inodes), and would send every publish the whole way. Their bytes
alone would mean reading every image on every build. So a file is read only
when its signature is not the one remembered, and what decides is its digest.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from newsgen.read.files import Signature, settled

_FORMAT = 1


class FileDigests:
    """A memo of (signature -> digest) per path, kept in one JSON file of the cache folder (or in memory only)."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._known: dict[str, tuple[Signature, str]] = _load(path) if path is not None else {}
        self._used: dict[str, tuple[Signature, str]] = {}

    def digest(self, path: str, signature: Signature) -> str:
        """The digest of the file at `path`, read again only when its signature is not the one remembered."""
        known = self._known.get(path)
        if known is not None and known[0] == signature:
            self._used[path] = known
            return known[1]
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "blake2b").hexdigest()
        if settled(signature, time.time_ns()) is not None:  # a file changed just now may change again unseen
            self._used[path] = (signature, digest)
        return digest

    def save(self) -> None:
        """Keep what this build looked at (and nothing else), if it differs from what was kept."""
        if self._path is None or self._used == self._known:
            return
        self._known = dict(self._used)
        payload = json.dumps({"format": _FORMAT, "files": self._known}, sort_keys=True).encode()
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".digests-", dir=self._path.parent)
        except OSError:
            return  # a memo: the next build reads the files again
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(payload)
            os.replace(temporary, self._path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def _signature(stored: list[int]) -> Signature:
    size, mtime_ns, ctime_ns, inode = (int(number) for number in stored)
    return size, mtime_ns, ctime_ns, inode


def _load(path: Path) -> dict[str, tuple[Signature, str]]:
    try:
        stored = json.loads(path.read_bytes())
        if stored.get("format") != _FORMAT:
            return {}
        return {name: (_signature(signature), str(digest)) for name, (signature, digest) in stored["files"].items()}
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return {}  # missing or damaged: every file is read once more
