"""Whether the last `newsgen build` of a site succeeded, so `newsgen deploy` never publishes a stale build.

A failed build leaves the previous build folder in place (by design); without
this record, deploying after a failure would publish yesterday's site as if
it were today's.
"""

from __future__ import annotations

import json
from pathlib import Path

CACHE_DIR = ".newsgen-cache"
_STATUS_FILE = "last-build.json"


def record_build(source_dir: Path, output_dir: Path, ok: bool) -> None:
    path = source_dir / CACHE_DIR / _STATUS_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"ok": ok, "output": str(output_dir.resolve())}) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still builds; deploy then relies on the build folder alone


def last_build_failed(source_dir: Path, output_dir: Path) -> bool:
    try:
        status = json.loads((source_dir / CACHE_DIR / _STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return status.get("output") == str(output_dir.resolve()) and status.get("ok") is False
