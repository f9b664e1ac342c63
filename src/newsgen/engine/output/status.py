"""Whether the last `newsgen build` into an output folder succeeded, so `newsgen deploy` never publishes a stale or
half-made build.

A failed build leaves the previous build folder in place (by design); without
this record, deploying after a failure would publish yesterday's site as if
it were today's. A build records "failed" as soon as it holds the output
folder's lock, and "ok" only once the folder holds all of it, before it lets
go: so a build that dies, however and whenever, is never recorded as good,
and no other build's outcome is written over its own. The record lives
beside the output folder, as the lock does (`.build.status.json`): one per
output folder, whatever the site, cache folder or options.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from newsgen.engine.output.lock import output_lock
from newsgen.engine.output.write import MARKER

CACHE_DIR = ".newsgen-cache"


def status_path(output_dir: Path) -> Path:
    output = output_dir.resolve()
    return output.parent / f".{output.name}.status.json"


def record_build(output_dir: Path, ok: bool) -> None:
    """Record the outcome of a build into `output_dir`; only while holding its lock. Written whole or not at all."""
    path = status_path(output_dir)
    written = path.with_name(path.name + ".new")
    written.write_text(json.dumps({"ok": ok}) + "\n", encoding="utf-8")
    os.replace(written, path)


def record_failure(output_dir: Path) -> None:
    """For a build that stops before it starts (no content/): the build in `output_dir`, if any, is no longer current."""
    if (output_dir / MARKER).is_file():
        with output_lock(output_dir):
            record_build(output_dir, ok=False)


def last_build_failed(output_dir: Path) -> bool:
    """Whether the last build into `output_dir` failed or was stopped; a folder no build recorded is for its marker
    to judge."""
    try:
        status = json.loads(status_path(output_dir).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        return True  # not written by newsgen: trust it no more than a failure
    return not isinstance(status, dict) or status.get("ok") is not True
