"""Typed readers for values parsed from YAML, reporting problems by file line.

Front matter and `newsgen.yaml` share these, so both speak the same
`path:line: field: message` language and accept the same value shapes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from newsgen.errors import Problem, Severity
from newsgen.linkpolicy import url_problem
from newsgen.read.moments import EARLIEST_YEAR, LATEST_YEAR, parse_moment, unknown_zone
from newsgen.read.plaintext import plain_text
from newsgen.read.yamlsource import LineMap
from newsgen.urls import NAME_MAX, output_path, oversized_name


def dotted(keypath: tuple[Hashable, ...]) -> str:
    """`("sources", 2, "url")` -> `sources[2].url`, the name shown to editors."""
    text = ""
    for part in keypath:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass
class Reporter:
    """Collects problems for one file, placing each on the line of its key."""

    path: Path
    lines: LineMap
    problems: list[Problem] = field(default_factory=list)

    def error(self, keypath: tuple[Hashable, ...], message: str, code: str = "invalid") -> None:
        self.problems.append(
            Problem(self.path, self.lines.line(*keypath), dotted(keypath), message, Severity.ERROR, code)
        )

    def warning(self, keypath: tuple[Hashable, ...], message: str, code: str) -> None:
        line = self.lines.line(*keypath)
        self.problems.append(Problem(self.path, line, dotted(keypath), message, Severity.WARNING, code))

    def unknown_keys(
        self, data: dict[Any, Any], prefix: tuple[Hashable, ...], known: Collection[str], *, as_error: bool
    ) -> None:
        """Report keys nobody reads, suggesting the closest known key."""
        for key in data:
            if key in known:
                continue
            hint = did_you_mean(str(key), known)
            if as_error:
                self.error((*prefix, key), f"unknown key{hint}", "unknown-key")
            else:
                self.warning((*prefix, key), f"unknown key{hint}", "unknown-key")


def did_you_mean(word: str, choices: Collection[str]) -> str:
    """`; did you mean 'headline'?` for the closest of `choices`, or nothing: every "unknown" line suggests the same way."""
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def read_text(
    r: Reporter, keypath: tuple[Hashable, ...], value: Any, *, required: bool = False, verbatim: bool = False
) -> str | None:
    """A non-empty string, stripped; numbers and lists are type errors.

    Text is never markup: titles written for other generators carry HTML
    (`<em>`, `&#58;`), so tags are removed with a warning and entities
    decoded, and what remains is escaped on output like any text.
    `verbatim` keeps the string as written (URLs; readers' comments, quoted
    as they were typed).
    """
    if value is None:
        if required:
            r.error(keypath, "is required", "required")
        return None
    if not isinstance(value, str):
        r.error(keypath, f"must be text, not {_type_name(value)} (put it in quotes)", "type")
        return None
    if bad := _NOT_TEXT.search(value):
        r.error(keypath, _not_text_message(bad.group()), "control-character")
        return None
    text = _without_bidi_controls(r, keypath, value.strip() if verbatim else _plain_text(r, keypath, value))
    if not text:
        if required:
            r.error(keypath, "must not be empty", "required")
        return None
    return text


# What YAML and JSON escapes (`"\x01"`, `"\0"`, `"\uFFFE"`) can put in a string but no page or feed can carry:
# control characters other than tab and line breaks (XML forbids them; browsers show them as boxes or act on them),
# lone surrogates (not encodable as UTF-8) and U+FFFE/U+FFFF (not characters, forbidden in XML).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# Bidi embeddings, overrides and isolates: invisible, and one left open reverses the text after it, so a headline or
# a tag name shows as other words (`\u202egnitov` reads "voting"), in pages, feeds and terminals alike. Removed, not
# refused: word processors paste them into right-to-left text, and pages mark direction with `dir` without them.
# The marks (U+200E, U+200F, U+061C) change no text's order beyond their neighbours' and stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _without_bidi_controls(r: Reporter, keypath: tuple[Hashable, ...], text: str) -> str:
    """`text` without bidi controls (entities decoded first: `&#x202E;` is one), with a warning naming them."""
    if found := sorted(set(_BIDI_CONTROLS.findall(text))):
        shown = ", ".join(f"U+{ord(character):04X}" for character in found)
        message = (
            f"bidirectional control characters removed ({shown}): invisible, they can make text read as other words"
        )
        r.warning(keypath, message, "bidi-control")
        return _BIDI_CONTROLS.sub("", text).strip()
    return text


def _not_text_message(character: str) -> str:
    code = ord(character)
    if code < 0xA0:
        return f"contains the control character U+{code:04X}; remove it (text may hold tabs and line breaks only)"
    return f"contains U+{code:04X}, which is not a character; remove it"


def _plain_text(r: Reporter, keypath: tuple[Hashable, ...], value: str) -> str:
    text, removed = plain_text(value)
    if removed:
        shown = ", ".join(dict.fromkeys(tag if len(tag) <= 40 else tag[:37] + "..." for tag in removed))
        r.warning(keypath, f"HTML removed ({shown}): front-matter text is plain text", "html-in-text")
    return text


def read_text_list(r: Reporter, keypath: tuple[Hashable, ...], value: Any) -> tuple[str, ...]:
    """A list of strings; a single string counts as a one-item list."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        r.error(keypath, f"must be a list of text, not {_type_name(value)}", "type")
        return ()
    items = (read_text(r, (*keypath, index), item, required=True) for index, item in enumerate(value))
    return tuple(dict.fromkeys(item for item in items if item is not None))


def read_bool(r: Reporter, keypath: tuple[Hashable, ...], value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        r.error(keypath, f"must be true or false, not {_type_name(value)}", "type")
        return False
    return value


def read_int(r: Reporter, keypath: tuple[Hashable, ...], value: Any, default: int, minimum: int) -> int:
    """A whole number; none (or an empty string, as a CMS writes a number field it cleared) is `default`."""
    if value is None or _blank(value):
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        r.error(keypath, f"must be a whole number, not {_type_name(value)}", "type")
        return default
    if value < minimum:
        r.error(keypath, f"must be at least {minimum}")
        return default
    return value


def read_mapping(r: Reporter, keypath: tuple[Hashable, ...], value: Any) -> dict[Any, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        r.error(keypath, f"must be a mapping of keys to values, not {_type_name(value)}", "type")
        return None
    return value


def read_url(r: Reporter, keypath: tuple[Hashable, ...], value: Any, *, required: bool = False) -> str | None:
    """An http(s), mailto or site-relative URL; any other scheme is refused."""
    url = read_text(r, keypath, value, required=required, verbatim=True)
    if url is None:
        return None
    problem = url_problem(url)
    if problem:
        r.error(keypath, problem, "url-scheme")
        return None
    return url


def read_site_path(r: Reporter, keypath: tuple[Hashable, ...], value: Any) -> str | None:
    """A path on this site, such as an old URL to redirect: `2022/08/01/x.html` is taken as `/2022/08/01/x.html`.

    A file is written at that path, so it may not climb out of the site
    (`..`), carry a query or fragment, or name another host.
    """
    path = read_text(r, keypath, value, required=True, verbatim=True)
    if path is None:
        return None
    problem = url_problem(path)
    if problem:
        r.error(keypath, problem, "url-scheme")
        return None
    path = "/" + path.removeprefix("/")  # url_problem refused `//host` and `\\`
    parts = path.split("/")
    if ":" in parts[1] or "//" in path or any(c in path for c in "?#") or not _names_files(path):
        r.error(keypath, f"must be a path on this site like /2019/05/15/old-story.html, not {value!r}")
        return None
    if name := oversized_name(path):
        size = len(name.encode("utf-8"))
        r.error(keypath, f"a part of this path is {size} bytes; the limit for a file name is {NAME_MAX} bytes", "limit")
        return None
    return path


def _names_files(path: str) -> bool:
    """Whether every part of `path`, percent-decoded, is a name (no `..`, `%2e%2e` or `%2f`)."""
    try:
        output_path(path)
    except ValueError:
        return False
    return True


def read_moment(
    r: Reporter, keypath: tuple[Hashable, ...], value: Any, zone: tzinfo, *, required: bool = False
) -> datetime | None:
    """A date or date-time as Jekyll, Hugo or ISO 8601 write it; without an offset it is in the site's timezone.

    An empty string is no date, as a CMS writes a date field it cleared.
    """
    if value is None or _blank(value):
        if required:
            r.error(keypath, "is required (YYYY-MM-DD or an ISO 8601 date-time)", "required")
        return None
    if not isinstance(value, (str, date)):
        r.error(
            keypath, f"must be a date like 2025-01-16 or 2025-01-16T09:30:00-06:00, not {_type_name(value)}", "date"
        )
        return None
    moment = parse_moment(value, zone)
    if moment is None and isinstance(value, str) and (abbreviation := unknown_zone(value)):
        r.error(
            keypath, f"unknown time zone {abbreviation!r} in {value!r}; write its offset instead, like +0200", "date"
        )
        return None
    if moment is None:
        r.error(keypath, f"not a valid date: {value!r}; write YYYY-MM-DD or 2025-01-16T09:30:00-06:00", "date")
        return None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        written = value if isinstance(value, str) else value.isoformat()
        message = f"{written!r} is outside the years newsgen can show ({EARLIEST_YEAR} to {LATEST_YEAR})"
        r.error(keypath, message, "date")
        return None
    return moment


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


def _type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
        str: "text",
        date: "a date",
        datetime: "a date",
    }.get(type(value), type(value).__name__)
