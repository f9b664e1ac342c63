"""The editors' data files at the site's root: `fronts.yaml` (who leads the front pages) and `alerts.yaml` (banners).

They are read on every build, and cheaply: a change to them takes the quick
way (`engine/plan/quick.py` compares their digest), which rewrites only the
pages whose specs they change. Problems with their shape are errors, as a
config's are; a pin naming a story the site does not publish is a warning
found while arranging the site (`site/fronts.py`), since the story may be
embargoed or deleted after the pin was written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from newsgen.errors import Problem
from newsgen.models import ALERT_LEVELS, Alert, Desk, Front, Pin
from newsgen.read.fields import Reporter, read_mapping, read_moment, read_text, read_url
from newsgen.read.yamlsource import parse_yaml

FRONTS_FILE = "fronts.yaml"
ALERTS_FILE = "alerts.yaml"
DESK_FILES = (FRONTS_FILE, ALERTS_FILE)
_FRONT_KEYS = ("lead", "top")
_PIN_KEYS = ("story", "from", "until")
_ALERT_KEYS = ("text", "url", "level", "from", "until")


@dataclass(frozen=True)
class ReadDesk:
    desk: Desk
    problems: tuple[Problem, ...]
    digest: bytes  # of both files' bytes: while it holds, the desk is as the last build read it


def desk_digest(source: Path) -> bytes:
    """The digest of the desk files as they are now (an absent file counts as absent, not as empty)."""
    return _digest(_contents(source))


def read_desk(source: Path, zone: tzinfo) -> ReadDesk:
    """The fronts and alerts the site's data files give, with their problems; dates without offsets are in `zone`.
    Each file is read once: its digest is of the bytes parsed."""
    contents = _contents(source)
    problems: list[Problem] = []
    fronts: tuple[Front, ...] = ()
    alerts: tuple[Alert, ...] = ()
    if (raw := contents[FRONTS_FILE]) is not None and (data := _parse(source / FRONTS_FILE, raw, problems)):
        fronts = _fronts(*data, zone)
    if (raw := contents[ALERTS_FILE]) is not None and (data := _parse(source / ALERTS_FILE, raw, problems)):
        alerts = _alerts(*data, zone)
    return ReadDesk(Desk(fronts, alerts), tuple(problems), _digest(contents))


def _contents(source: Path) -> dict[str, bytes | None]:
    """Each desk file's bytes, or None when the site has no such file."""
    return {name: (source / name).read_bytes() if (source / name).is_file() else None for name in DESK_FILES}


def _digest(contents: dict[str, bytes | None]) -> bytes:
    digest = hashlib.sha256()
    for name, raw in contents.items():
        digest.update(name.encode() + (b"\0" + raw if raw is not None else b"\1") + b"\0")
    return digest.digest()


def desk_file_problems(path: Path, raw: bytes, zone: tzinfo) -> list[Problem]:
    """The problems `raw` would have as the desk file at `path` (`fronts.yaml` or `alerts.yaml`), before it is
    saved: the CMS refuses a save newsgen would reject."""
    problems: list[Problem] = []
    if (data := _parse(path, raw, problems)) is not None:
        (_fronts if path.name == FRONTS_FILE else _alerts)(*data, zone)
    return problems


def _parse(path: Path, raw: bytes, problems: list[Problem]) -> tuple[Reporter, Any] | None:
    """The file's data and a reporter for it; None when it is empty or unreadable (said in `problems`)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(path, 1, path.stem, "not UTF-8 text; save it as UTF-8", code="encoding"))
        return None
    data, lines, found = parse_yaml(text, path, 1, path.stem)
    problems += found
    if data is None:
        return None
    return Reporter(path, lines, problems), data


def _fronts(r: Reporter, data: Any, zone: tzinfo) -> tuple[Front, ...]:
    fronts = read_mapping(r, (), data)
    if fronts is None:
        return ()
    found = []
    for name, value in fronts.items():
        fields = read_mapping(r, (name,), value if value is not None else {})
        if fields is None:
            continue
        r.unknown_keys(fields, (name,), _FRONT_KEYS, as_error=True)
        lead = _pin(r, (name, "lead"), fields["lead"], zone) if _given(fields, "lead") is not None else None
        top = fields.get("top") or []
        if not isinstance(top, list):
            r.error((name, "top"), "must be a list of stories, the first shown first")
            top = []
        pins = (_pin(r, (name, "top", index), item, zone) for index, item in enumerate(top))
        found.append(Front(str(name), r.lines.line(name), lead, tuple(pin for pin in pins if pin is not None)))
    return tuple(found)


def _pin(r: Reporter, keypath: tuple[Hashable, ...], value: Any, zone: tzinfo) -> Pin | None:
    """`2026/11/story.md`, or `{story: 2026/11/story.md, from: ..., until: ...}`."""
    if isinstance(value, dict):
        r.unknown_keys(value, keypath, _PIN_KEYS, as_error=True)
        story = _story_path(r, (*keypath, "story"), value.get("story"))
        start = read_moment(r, (*keypath, "from"), _given(value, "from"), zone)
        end = read_moment(r, (*keypath, "until"), _given(value, "until"), zone)
        if start is not None and end is not None and end <= start:
            r.error((*keypath, "until"), "must be after `from`")
            return None
        return Pin(story, r.lines.line(*keypath), start, end) if story is not None else None
    story = _story_path(r, keypath, value)
    return Pin(story, r.lines.line(*keypath)) if story is not None else None


def _story_path(r: Reporter, keypath: tuple[Hashable, ...], value: Any) -> str | None:
    """A story's file below content/: relative, inside it, with `/` between parts (a leading `content/` is allowed)."""
    text = read_text(r, keypath, value, required=True, verbatim=True)
    if text is None:
        return None
    path = PurePosixPath(text.replace("\\", "/").removeprefix("content/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        r.error(keypath, f"must be a story's file below content/, like 2026/11/2026-11-20-story.md, not {text!r}")
        return None
    return str(path)


def _alerts(r: Reporter, data: Any, zone: tzinfo) -> tuple[Alert, ...]:
    """`{alerts: [...]}` (as the CMS writes it) or a bare list."""
    prefix: tuple[Hashable, ...] = ()
    if isinstance(data, dict):
        r.unknown_keys(data, (), ("alerts",), as_error=True)
        data, prefix = data.get("alerts") or [], ("alerts",)
    if not isinstance(data, list):
        r.error(prefix, "must be a list of alerts, each with text, and optionally url, level, from and until")
        return ()
    found = []
    for index, item in enumerate(data):
        keypath = (*prefix, index)
        fields = read_mapping(r, keypath, item)
        if fields is None:
            continue
        r.unknown_keys(fields, keypath, _ALERT_KEYS, as_error=True)
        text = read_text(r, (*keypath, "text"), fields.get("text"), required=True)
        url = read_url(r, (*keypath, "url"), _given(fields, "url"))
        level = _given(fields, "level") or "info"
        if level not in ALERT_LEVELS:
            r.error((*keypath, "level"), f"must be one of {', '.join(ALERT_LEVELS)}, not {level!r}")
            continue
        start = read_moment(r, (*keypath, "from"), _given(fields, "from"), zone)
        end = read_moment(r, (*keypath, "until"), _given(fields, "until"), zone)
        if text is not None:
            found.append(Alert(text, url, level, start, end))
    return tuple(found)


def _given(fields: dict[Any, Any], key: str) -> Any:
    """A field's value, with the empty text a CMS writes for a field left blank read as no value."""
    value = fields.get(key)
    return None if value == "" else value
