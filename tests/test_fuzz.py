"""Fuzzing article input: whatever an article holds, `newsgen check` gives problem lines or a page, never a traceback,
and never takes long.

Front matter: YAML aliases (bombs and cycles among them), nesting, control
characters in text and keys, dates at the edges of what can be shown.
Bodies: nested lists, quotes, HTML and emphasis, and runs of brackets and
tags left open, at sizes around newsgen's limits. Shared-cache entries: a
valid payload with one value, item or byte changed is taken only when it
passes the checks, else ignored with one warning line.

A fixed seed and a few examples each keep this to seconds in CI;
`NEWSGEN_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py` explores more.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import png
from newsgen.body.images import ImageLocator
from newsgen.body.markup import ENGINES
from newsgen.cli import main
from newsgen.config import load_config
from newsgen.engine.cache.local import article_settings_key
from newsgen.engine.cache.remote import RemoteStore
from newsgen.engine.cache.shared import SharedCache
from newsgen.engine.cache.trust import check_entry
from newsgen.engine.plan.load import ArticleReader, find_static_files
from newsgen.read.authors import load_authors

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


# The shared cache's decoder: whatever the store holds under an article's name.


class _OneObject(RemoteStore):
    """A store that holds `payload` under every name, as if whoever can write to the bucket put it there."""

    def __init__(self) -> None:
        super().__init__("s3://bucket/team")
        self.payload = b""

    def get(self, name: str) -> bytes | None:
        return self.payload

    def put(self, name: str, payload: bytes) -> None:
        self.payload = payload


@dataclass
class _Shared:
    cache: SharedCache
    store: _OneObject
    path: Path
    key: bytes
    payload: bytes  # the honest entry's


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> _Shared:
    """A story with a photo beside it, a tag and a paywall, read once and uploaded: the payload mutations start from."""
    site = tmp_path_factory.mktemp("shared").resolve()
    folder = site / "content" / "2025" / "story"
    folder.mkdir(parents=True)
    (folder / "photo.png").write_bytes(png(64, 48))
    path = folder / "index.md"
    path.write_text(
        "---\nheadline: A story\ndek: D.\ndate: 2025-01-16 09:30\ntags: [Harbor]\naccess: subscribers\n"
        "image: {src: photo.png, alt: A photo}\n---\nFirst [part](#end).\n\n<!-- more -->\n\n## End {#end}\n",
        encoding="utf-8",
    )
    config, _ = load_config(site)
    images = ImageLocator(find_static_files(site, []), site)
    authors, _ = load_authors(site, images)
    settings = article_settings_key(config, authors.digest)
    key, entry = ArticleReader(config, images, settings, authors).read(path)
    store = _OneObject()
    cache = SharedCache(store, site, config, images, settings)
    cache.upload([(path, key, entry)])
    assert store.payload and cache.fetch([(path, key)]) == {key: entry}
    return _Shared(cache, store, path, key, store.payload)


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, -1, 1, 9999, 10**6, 10**20, -(10**20), 2**63]),
    st.sampled_from(["", "..", "../../.git/config", "/dev/zero", ".git/config", "/2025/../x/", "%2e%2e", "\x00"]),
    st.sampled_from(["<script>alert(1)</script>", "javascript:alert(1)", "Nowhere/Atlantis", "error", "16x9"]),
    st.text(max_size=8),
)
ANY_JSON = st.recursive(JSON_VALUES, lambda inner: st.lists(inner, max_size=4), max_leaves=12)


@st.composite
def mutated(draw: st.DrawFn, payload: bytes) -> bytes:
    """`payload` with one value somewhere in its JSON replaced, an item dropped or repeated, or its bytes changed."""
    kind = draw(st.sampled_from(["replace", "drop", "repeat", "bytes"]))
    if kind == "bytes":
        at = draw(st.integers(0, len(payload) - 1))
        return payload[:at] + draw(st.binary(max_size=3)) + payload[at + draw(st.integers(0, 3)) :]
    data = json.loads(payload)
    holder, index = data, 0
    while True:  # walk down lists at random, stopping at some list item
        index = draw(st.integers(0, len(holder) - 1)) if holder else 0
        if not holder or not isinstance(holder[index], list) or draw(st.integers(0, 3)) == 0:
            break
        holder = holder[index]
    if kind == "replace" and holder:
        holder[index] = draw(ANY_JSON)
    elif kind == "drop" and holder:
        del holder[index]
    else:
        holder.insert(index, holder[index] if holder else draw(ANY_JSON))
    return json.dumps(data, ensure_ascii=False).encode()


@FUZZ
@given(data=st.data())
def test_any_shared_cache_entry_is_taken_checked_or_ignored_with_one_warning(shared: _Shared, data: Any) -> None:
    shared.store.payload = data.draw(mutated(shared.payload))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        found = shared.cache.fetch([(shared.path, shared.key)])
    warnings = err.getvalue().splitlines()
    if found:
        assert not warnings, warnings
        entry = found[shared.key]
        check_entry(shared.path, entry)  # what was taken passes the checks an honest entry passes
        assert entry.article is None or entry.article.source == shared.path
    else:
        assert len(warnings) <= 1, warnings  # none: an image it looked at differs here, a miss
        assert all(
            line.startswith("newsgen: warning: cache s3://bucket/team: content/2025/story/index.md: ")
            for line in warnings
        )


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
