"""Fuzzing article input: whatever an article holds, `newsgen check` gives problem lines or a page, never a traceback,
and never takes long.

Front matter: YAML aliases (bombs and cycles among them), nesting, control
characters in text and keys, dates at the edges of what can be shown.
Bodies: nested lists, quotes, HTML and emphasis, and runs of brackets and
tags left open, at sizes around newsgen's limits.

A fixed seed and a few examples each keep this to seconds in CI;
`NEWSGEN_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py` explores more.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgen.body.markup import ENGINES
from newsgen.cli import main

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("NEWSGEN_FUZZ_EXAMPLES", "50"))
SECONDS = 5.0  # per article, check included: the worst input within the limits takes well under a second
FUZZ = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,  # timed by the test itself, with the whole `check` around the article
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADLINE = "headline: Fuzzed story"


def check_article(site: Path, text: str) -> None:
    """`newsgen check` on a site of the one article `text`: a page or problem lines naming it, soon."""
    story = site / "content" / "story.md"
    story.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--source", str(site), "--format", "json", "--future", "--drafts"])
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS, f"{elapsed:.1f} s for {text[:200]!r}"
    problems = json.loads(out.getvalue())
    errors = [problem for problem in problems if problem["severity"] == "error"]
    assert code == (1 if errors else 0), err.getvalue()
    assert all(problem["path"].endswith("story.md") for problem in errors), problems
    text_lines = [line for line in _text_report(site).splitlines() if line.startswith(str(site))]
    assert len(text_lines) == len(problems)  # each problem is one line, whatever its key or message holds


def _text_report(site: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["check", "--source", str(site), "--future", "--drafts", "--strict"])
    return out.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "content").mkdir()
    return folder


def site_for(folder: Path, engine: str) -> Path:
    """The fuzz site, set to `engine`."""
    (folder / "newsgen.yaml").write_text(f"markdown: {{engine: {engine}}}\n", encoding="utf-8")
    return folder


# Front matter.

WEIRD_CHARACTERS = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe", "\uffff", "\t", "\n"])
TEXT = st.lists(st.one_of(st.text(max_size=8), WEIRD_CHARACTERS), max_size=6).map("".join)


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(text)


EDGE_YEARS = st.sampled_from(["0001", "0999", "1000", "2025", "9998", "9999"])
OFFSETS = st.sampled_from(["+05:00", "-12:00", "+14:00", "Z", "", " +0000", "-4"])


@st.composite
def dates(draw: st.DrawFn) -> str:
    """A date as written in front matter, at the edges of what can be shown and shapes near them."""
    year = draw(EDGE_YEARS)
    month, day = draw(st.sampled_from([(1, 1), (12, 31), (2, 29), (13, 1)]))
    if draw(st.integers(0, 3)) == 0:
        return f"{year}-{month:02d}-{day:02d}"
    hour, minute = draw(st.sampled_from([(0, 0), (23, 59), (24, 0)]))
    return f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00{draw(OFFSETS)}"


def nested(depth: int, flow: bool) -> str:
    """A value nesting `depth` lists deep, in flow style (`[[…]]`) or block style (`- - …`)."""
    return "[" * depth + "x" + "]" * depth if flow else "\n" + "".join("  " * level + "-\n" for level in range(depth))


@st.composite
def alias_bombs(draw: st.DrawFn) -> str:
    """Anchors whose aliases repeat the level below, `width` times a level, as values or as comment replies."""
    width, levels = draw(st.sampled_from([1, 2, 9])), draw(st.sampled_from([1, 5, 12]))
    in_comments = draw(st.booleans())
    shape = "{{author: A, date: 2025-01-01, body: hi, replies: [{}]}}" if in_comments else "[{}]"
    lines = ["b0: &b0 " + shape.format("")]
    lines += [f"b{n}: &b{n} " + shape.format(", ".join([f"*b{n - 1}"] * width)) for n in range(1, levels + 1)]
    lines.append(f"{'comments' if in_comments else 'tags'}: [*b{levels}]")
    return "\n".join(lines)


FRONT_MATTER_LINES = st.one_of(
    dates().map(lambda written: f"date: {written}"),
    st.builds(lambda key, value: f"{quoted(key)}: {quoted(value)}", TEXT, TEXT),
    TEXT.map(lambda value: f"dek: {quoted(value)}"),
    TEXT.map(lambda value: f"tags: [{quoted(value)}, plain]"),
    st.builds(nested, st.sampled_from([0, 3, 48, 49, 50, 80, 1_000]), st.booleans()).map(
        lambda value: f"extra: {value}"
    ),
    alias_bombs(),
    st.just("loop: &loop [*loop]"),
    st.just("self: &self {replies: [*self]}"),
    st.builds(lambda n: "comments:\n" + "  - {author: A, date: 2025-01-01, body: hi}\n" * n, st.integers(0, 30)),
    st.builds(lambda slug: f"slug: {slug}", st.sampled_from(["a" * 250, "b" * 256, "市" * 90, "ok"])),
)


@FUZZ
@given(lines=st.lists(FRONT_MATTER_LINES, max_size=5), date=dates())
def test_any_front_matter_gives_problem_lines_or_a_page(site: Path, lines: list[str], date: str) -> None:
    front_matter = "\n".join([HEADLINE, f"date: {date}", *lines])
    check_article(site_for(site, "python-markdown"), f"---\n{front_matter}\n---\nA body.\n")


# Bodies.


# Sizes below, at and over newsgen's limits, and those that crashed or stalled it before it had them.
DEPTHS = st.sampled_from([0, 2, 49, 50, 51, 70, 120, 400, 1_200])
COUNTS = st.sampled_from([0, 10, 700, 1_400, 1_500, 3_000, 8_000])


@st.composite
def nests(draw: st.DrawFn) -> str:
    """Lists, quotes, HTML and emphasis inside each other, up to many times the nesting limit."""
    depth = draw(DEPTHS)
    shape = draw(st.sampled_from(["quote", "list", "indented", "div", "markdown div", "emphasis", "mixed"]))
    if shape == "quote":
        return "> " * depth + "x\n"
    if shape == "list":
        return "- " * depth + "x\n"
    if shape == "indented":
        return "".join("    " * level + "- item\n" for level in range(depth))
    if shape == "div":
        return "<div>" * depth + "x" + "</div>" * depth + "\n"
    if shape == "markdown div":
        return '<div markdown="1">\n' * depth + "x\n" + "</div>\n" * depth
    if shape == "emphasis":
        return "**_" * depth + "x" + "_**" * depth + "\n"
    return "".join(draw(st.sampled_from(["> ", "- ", "1. ", "    "])) for _ in range(depth)) + "x\n"


OPENERS = st.sampled_from(["[", "![", "*[", "[a](", "<a ", "<iframe ", "<!--", "{{", "{%", "`", "<b>x</b> ", "(", "]("])
RUNS = st.builds(lambda opener, count: opener * count + "\n", OPENERS, COUNTS)
BLOCK_RUNS = st.builds(
    lambda line, count: line * count,
    st.sampled_from(["# h\n", ": def\n", "***\n", "=\n", "*[A]: abbr\n", "| a |\n", "- a\n", "a\n\n"]),
    COUNTS,
)
PIECES = st.sampled_from(
    ["Some prose. ", "\n\n", "[a link](/x/)", "![alt](https://example.com/a.jpg)", "`code`", "*em*", "<b>", "</b>"]
)
HAZARDS = st.one_of(nests(), RUNS, BLOCK_RUNS)
BODIES = st.builds(
    lambda before, hazard, after: "".join([*before, hazard, *after]),
    st.lists(PIECES, max_size=2),
    HAZARDS,
    st.lists(PIECES, max_size=2),
)


@pytest.mark.parametrize("engine", ENGINES)
@FUZZ
@given(body=BODIES)
def test_any_body_gives_problem_lines_or_a_page(site: Path, engine: str, body: str) -> None:
    check_article(site_for(site, engine), f"---\n{HEADLINE}\ndate: 2025-01-10\n---\n{body}")


# The safe-open helper (read/safeopen.py): whatever a path names, bytes of a file the site may publish, or one line.

LIMIT = 64  # bytes: files just under, at and over it
NAMES = st.sampled_from(["a.jpg", "b", ".env", ".git", "x~", "#y", "build", "static", "c.swp"])


@st.composite
def trees(draw: st.DrawFn) -> list[tuple[str, str, str | int]]:
    """(path below the site, kind, size or link target) for a few entries: files, FIFOs, folders and links."""
    entries: list[tuple[str, str, str | int]] = []
    for _ in range(draw(st.integers(1, 6))):
        path = "/".join(draw(st.lists(NAMES, min_size=1, max_size=3)))
        kind = draw(st.sampled_from(["file", "fifo", "folder", "link"]))
        if kind == "file":
            entries.append((path, kind, draw(st.sampled_from([0, 1, LIMIT - 1, LIMIT, LIMIT + 1]))))
        elif kind == "link":
            targets = ["/dev/zero", "../outside.txt", "../" * 9 + "dev/zero", ".git/config", "static/a.jpg", "a.jpg"]
            entries.append((path, kind, draw(st.sampled_from(targets))))
        else:
            entries.append((path, kind, 0))
    return entries


def make_tree(site: Path, entries: list[tuple[str, str, str | int]]) -> list[Path]:
    """The entries that could be made (a name taken by an earlier one is skipped, never written through); link
    targets are relative to the site root."""
    site.mkdir()
    (site.parent / "outside.txt").write_bytes(b"outside")
    made = []
    for path, kind, detail in entries:
        where = site / path
        try:
            if os.path.lexists(where) or not where.resolve().is_relative_to(site):
                continue
            where.parent.mkdir(parents=True, exist_ok=True)
            if kind == "file":
                where.write_bytes(b"x" * int(detail))
            elif kind == "fifo":
                os.mkfifo(where)
            elif kind == "folder":
                where.mkdir()
            else:
                target = str(detail)
                where.symlink_to(target if target.startswith("/") else os.path.relpath(site / target, where.parent))
        except (OSError, RuntimeError):  # RuntimeError: below a loop of links
            continue
        made.append(where)
    return made


def publishable(site: Path, path: Path) -> bool:
    """What the helper must allow, said again plainly: a regular file of the site, no hidden part, within the limit."""
    from newsgen.read.files import is_ignored_name

    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return False
    if not real.is_relative_to(site) or not os.path.isfile(path) or real.stat().st_size > LIMIT:
        return False
    parts = [*Path(os.path.normpath(path)).relative_to(site).parts, *real.relative_to(site).parts]
    return not any(is_ignored_name(part) for part in parts) and real.relative_to(site).parts[0] != "build"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
@FUZZ
@given(entries=trees())
def test_the_safe_open_helper_gives_bytes_or_one_line_never_a_hang(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[str, str, str | int]]
) -> None:
    from newsgen.read.safeopen import RefusedFile, read_site_file

    site = tmp_path_factory.mktemp("safeopen").resolve() / "site"
    for path in make_tree(site, entries) + [site / "missing.jpg", site / "a.jpg/../b"]:
        started = time.perf_counter()
        try:
            content = read_site_file(site, path, LIMIT)
        except RefusedFile as refused:
            assert not publishable(site, path) and "\n" not in str(refused) and refused.reason
        else:
            assert publishable(site, path) and content == path.read_bytes()
        assert time.perf_counter() - started < 1
