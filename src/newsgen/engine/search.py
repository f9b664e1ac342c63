"""Search: a Pagefind index of every page whose template marks its content with `data-pagefind-body`.

Pagefind (https://pagefind.app) reads the pages and writes a static index
under `/pagefind/`, which the search page's script queries in the reader's
browser: nothing runs on the host. The index goes through the writer like
every other file: staged, moved into place with the build or not at all, and
recorded in the manifest, keyed by the pages it was made from.

Pagefind cannot update an index, only make one from every page, so it runs
only when a searchable page changed (any of their digests, or which pages
they are): otherwise the files under /pagefind/ are kept with their bytes and
mtimes. When it runs, it reads the unchanged pages where they lie in the
output folder and the new ones from the staging folder, through hard links
(nothing is copied or parsed here), and files whose bytes come out the same
are not written again. The same pages give the same bytes; Pagefind's filter
and sort indexes would not (it writes them from a hash map, in a new order
every run), so the theme gives it metadata only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NoReturn

from newsgen.codeversion import code_version
from newsgen.engine.output.write import Manifest, SiteWriter
from newsgen.errors import ContentError, Problem

SEARCH_FOLDER = "pagefind/"  # the output folder's, where Pagefind's script looks for its index
_ENTRY = "pagefind-entry.json"  # names the index of each language
_MARK = b"data-pagefind-body"
# The index's parts that Pagefind names by a hash of their bytes (`fragment/en_0a23530.pf_fragment`, ...).
_HASHED_PART = re.compile(r"^pagefind/(?:fragment/|index/|filter/|pagefind\.)[a-z0-9_-]+_[0-9a-f]{7,}\.pf_[a-z]+$")


def is_searchable(name: str, content: bytes) -> bool:
    """Whether an output file is a page that asks Pagefind to index it (its template marks its content)."""
    return name.endswith(".html") and _MARK in content


def named_by_content(name: str) -> bool:
    """Whether an output file is a part of the search index named by its bytes: cached for good, never purged (a
    new story replaces hundreds of them, under new names)."""
    return _HASHED_PART.match(name) is not None


def stage_search_index(writer: SiteWriter, earlier: Manifest, config_file: Path) -> None:
    """Bring /pagefind/ up to date with the searchable pages the build leaves in the folder.

    `earlier`: the searchable pages of the last build, for a build that does
    not cover the whole folder (the writer's manifest overrides them); the
    index files must be among `writer.previous`. Raises ContentError when
    Pagefind is missing or fails, or a file of the site is in its folder.
    """
    pages = {name: record for name, record in {**earlier, **writer.manifest}.items() if record.searchable}
    taken = sorted(name for name in writer.manifest if name.startswith(SEARCH_FOLDER))
    if taken:
        _fail(
            config_file,
            f"/{taken[0]} is in /{SEARCH_FOLDER}, where the search index goes: move it or set search: false",
        )
    if not pages:
        return  # nothing to find: no index, and the last one's files go
    executable = _pagefind(config_file)
    key = _key(executable, pages)
    previous = [name for name in writer.previous if name.startswith(SEARCH_FOLDER)]
    if previous and all(writer.reuse("/" + name, lambda _: key) for name in previous):
        return
    with tempfile.TemporaryDirectory(prefix=f".{writer.output.name}.search-", dir=writer.output.parent) as work:
        site, made = Path(work, "site"), Path(work, "pagefind")
        staged = set(writer.staged)
        for name in sorted(pages):
            _link((writer.stage if name in staged else writer.output) / name, site / name)
        _run(config_file, [str(executable), "--site", str(site), "--output-path", str(made), "--silent"], work)
        for path in sorted(made.rglob("*")):
            if path.is_file():
                name = path.relative_to(made).as_posix()
                content = path.read_bytes()
                writer.write(f"/{SEARCH_FOLDER}{name}", key, _in_order(content) if name == _ENTRY else content)


def _in_order(entry: bytes) -> bytes:
    """Pagefind's entry file with its languages in one order: it writes them from a hash map, in a new order every
    run, when pages are in several languages (a site's editions)."""
    data = json.loads(entry)
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, dict) or len(languages) < 2:
        return entry
    data["languages"] = dict(sorted(languages.items()))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _key(executable: Path, pages: Manifest) -> bytes:
    """What the index is made from: Pagefind's version, newsgen's code, and every searchable page's bytes."""
    version = subprocess.run([str(executable), "--version"], capture_output=True, check=False).stdout
    digest = hashlib.sha256(code_version() + b"\0" + version + b"\0")
    for name in sorted(pages):
        digest.update(f"{name}\0{pages[name].digest}\0".encode())
    return digest.digest()


def _pagefind(config_file: Path) -> Path:
    """The Pagefind program the `pagefind` package finds (its own wheel's, `PAGEFIND_BINARY_PATH`, or on PATH)."""
    missing = "needs Pagefind: pip install 'pagefind[bin]', or set search: false"
    try:
        from pagefind.service import get_executable
    except ImportError:
        _fail(config_file, missing)
    return get_executable() or _fail(config_file, missing)


def _link(source: Path, target: Path) -> None:
    """`source` under the name Pagefind reads: a hard link where the file system allows, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _run(config_file: Path, command: list[str], folder: str) -> None:
    """Run Pagefind in an empty folder without PAGEFIND_ variables: no config file or setting of the machine's
    applies, so every machine makes the same index."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    result = subprocess.run(command, cwd=folder, env=environment, capture_output=True, check=False)
    if result.returncode != 0:
        said = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
        _fail(config_file, f"Pagefind failed ({said[-1] if said else f'exit status {result.returncode}'})")


def _fail(config_file: Path, message: str) -> NoReturn:
    raise ContentError([Problem(config_file, 1, "search", message, code="search")])
