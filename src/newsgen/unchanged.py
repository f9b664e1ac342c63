"""The whole-build shortcut: when nothing a build reads has changed, its output can't have either.

A no-change rebuild then costs reading and hashing the site's sources and
checking that the output folder is as the last build left it, instead of
loading every article and keying every page. What a build reads besides its
files is the clock: the record says until when its output stays true (the next
embargo lift or expiry, or an article leaving the 48-hour news sitemap).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .cache import code_version
from .config import CONFIG_FILE
from .errors import Problem
from .files import walk_files
from .load import CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, THEME_ASSETS
from .models import ScheduledChange
from .theme import theme_dir
from .write import MARKER, Manifest, unchanged_on_disk

_RECORD = "last-build-{}.pickle"


@dataclass(frozen=True)
class LastBuild:
    inputs: bytes
    valid_until: datetime | None
    articles: int
    pages: int
    next_change: ScheduledChange | None
    warnings: tuple[Problem, ...]


def inputs_digest(source: Path, settings: object) -> bytes:
    """Every byte of content, templates and config, the size and mtime of every other file, and the options."""
    digest = hashlib.sha256(code_version())
    digest.update(repr(settings).encode())
    config = source / CONFIG_FILE
    digest.update(config.read_bytes() if config.is_file() else b"no config")
    folders = [source / CONTENT_DIR, source / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR, source / STATIC_DIR,
               theme_dir() / STATIC_DIR / THEME_ASSETS]  # fmt: skip
    for folder in folders:
        files, _ = walk_files(folder, source if folder.is_relative_to(source) else folder)
        for path in files:
            digest.update(str(path).encode() + b"\0")
            if path.suffix in (".md", ".html", ".xml", ".txt", ".json"):
                digest.update(path.read_bytes())
            else:
                info = path.stat()
                digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.digest()


def still_current(record: LastBuild, inputs: bytes, now: datetime, output: Path, manifest: Manifest) -> bool:
    """The same inputs, the clock within the record's validity, and the output folder as it was left."""
    if record.inputs != inputs or not manifest:
        return False
    if record.valid_until is not None and now >= record.valid_until:
        return False
    if not (output / MARKER).is_file():
        return False
    return all(unchanged_on_disk(output / name, entry) for name, entry in manifest.items())


def load_record(cache_dir: Path, output: Path) -> LastBuild | None:
    try:
        payload = (cache_dir / _RECORD.format(_output_id(output))).read_bytes()
        checksum, data = payload[:16], payload[16:]
        if hashlib.blake2b(data, digest_size=16).digest() != checksum:
            return None
        record = pickle.loads(data)
    except Exception:  # missing, partial or foreign: build normally
        return None
    return record if isinstance(record, LastBuild) else None


def save_record(cache_dir: Path, output: Path, record: LastBuild | None) -> None:
    path = cache_dir / _RECORD.format(_output_id(output))
    try:
        if record is None:
            path.unlink(missing_ok=True)
            return
        data = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(hashlib.blake2b(data, digest_size=16).digest() + data)
    except OSError:
        pass  # without the record the next build takes the long way: slower, never wrong


def _output_id(output: Path) -> str:
    return hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:24]
