"""The digest of everything a build reads besides content/ and pages/: while it holds, the quick way may be taken."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from newsgen.codeversion import code_version
from newsgen.engine.cache.filedigests import FileDigests
from newsgen.options import BuildOptions
from newsgen.read.files import (
    CONFIG_FILE,
    LOCALES_DIR,
    STATIC_DIR,
    TEMPLATES_DIR,
    THEME_ASSETS,
    author_files,
    scan_files,
)
from newsgen.theme import theme_dir


def inputs_digest(source: Path, options: BuildOptions, file_digests: FileDigests) -> bytes:
    """Everything a build reads besides content/ and pages/: config, authors, templates, catalogs, static files,
    options, code.

    Bytes, not times, by path relative to their folder: a fresh checkout of the same site gives the same digest.
    """
    digest = hashlib.sha256(code_version())
    digest.update(repr(options.output_settings()).encode())
    config = source / CONFIG_FILE
    digest.update(config.read_bytes() if config.is_file() else b"no config")
    for author_file, _ in author_files(source):
        digest.update(str(author_file).encode() + b"\0" + author_file.read_bytes() + b"\0")
    for folder in (
        source / TEMPLATES_DIR,
        theme_dir() / TEMPLATES_DIR,
        source / LOCALES_DIR,
        theme_dir() / LOCALES_DIR,
        source / STATIC_DIR,
        theme_dir() / STATIC_DIR / THEME_ASSETS,
    ):
        files, _ = scan_files(folder, source if folder.is_relative_to(source) else folder)
        digest.update(f"{len(files)}\0".encode())
        for path in sorted(files):
            named = os.path.relpath(path, folder)
            digest.update(f"{named}\0{file_digests.digest(path, files[path])}\0".encode())
    return digest.digest()
