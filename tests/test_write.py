"""The write stage: paths stay inside the output folder; a build changes the folder whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsgen.engine.output.write import MARKER, Manifest, OutputError, SiteWriter
from newsgen.urls import output_path

KEY = b"k" * 32


@pytest.mark.parametrize(
    "url", ["/../etc/passwd", "/a/../../x/", "", "/", "/%2e%2e/x/", "/a%2fb/", "/%D9%84/%2E%2E/%2e%2e/x"]
)
def test_urls_that_leave_or_do_not_name_a_file_are_refused(url: str) -> None:
    if url == "/":
        assert str(output_path(url)) == "index.html"
    else:
        with pytest.raises(ValueError):
            output_path(url)


def test_pages_go_to_index_files() -> None:
    assert str(output_path("/2025/01/16/x/")) == "2025/01/16/x/index.html"
    assert str(output_path("/404.html")) == "404.html"


def build(
    output: Path, pages: dict[str, bytes], previous: Manifest, key: bytes = KEY
) -> tuple[Manifest, list[str], int]:
    with SiteWriter(output, previous) as writer:
        for url, content in pages.items():
            if not writer.reuse(url, lambda _: key):
                writer.write(url, key, content)
        changed = writer.commit()
    return writer.manifest, changed, writer.reused


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_build_is_swapped_in_whole_and_leaves_nothing_beside(tmp_path: Path) -> None:
    output = tmp_path / "build"
    output.mkdir()
    (output / MARKER).write_text("old")
    (output / "stale.html").write_text("from a build without a manifest")
    manifest, changed, _ = build(output, {"/a/": b"a", "/b/c/": b"c"}, {})
    assert files(output) == {MARKER: files(output)[MARKER], "a/index.html": b"a", "b/c/index.html": b"c"}
    assert changed == ["a/index.html", "b/c/index.html"] and set(manifest) == {"a/index.html", "b/c/index.html"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_later_builds_touch_only_what_changed(tmp_path: Path) -> None:
    output = tmp_path / "build"
    manifest, _, _ = build(output, {"/a/": b"a", "/b/": b"b", "/gone/deep/": b"g"}, {})
    untouched = (output / "a/index.html").stat().st_mtime_ns
    manifest, changed, reused = build(output, {"/a/": b"a", "/b/": b"b2", "/new/": b"n"}, manifest, key=b"x" * 32)
    assert changed == ["b/index.html", "gone/deep/index.html", "new/index.html"] and reused == 0
    assert (output / "a/index.html").stat().st_mtime_ns == untouched, "same bytes: the file is left alone"
    assert not (output / "gone").exists() and (output / "b/index.html").read_bytes() == b"b2"
    _, changed, reused = build(
        output, {"/a/": b"ignored", "/b/": b"ignored", "/new/": b"ignored"}, manifest, key=b"x" * 32
    )
    assert changed == [] and reused == 3, "same inputs: nothing is rendered or written"


def test_a_file_changed_by_hand_is_not_trusted(tmp_path: Path) -> None:
    output = tmp_path / "build"
    manifest, _, _ = build(output, {"/a/": b"a"}, {})
    (output / "a/index.html").write_bytes(b"edited by hand")
    _, changed, reused = build(output, {"/a/": b"a"}, manifest)
    assert reused == 0 and changed == ["a/index.html"] and (output / "a/index.html").read_bytes() == b"a"


def test_an_error_before_commit_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    output = tmp_path / "build"
    manifest, _, _ = build(output, {"/kept/": b"kept"}, {})
    before = files(output)
    with pytest.raises(RuntimeError), SiteWriter(output, manifest) as writer:
        writer.write("/kept/", b"y" * 32, b"changed")
        writer.write("/half/", b"y" * 32, b"half")
        raise RuntimeError("a template failed")
    assert files(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_a_symlink_planted_in_the_output_cannot_redirect_writes(tmp_path: Path) -> None:
    output = tmp_path / "build"
    manifest, _, _ = build(output, {"/a/": b"a"}, {})
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, output / "trap")
    with pytest.raises(OutputError), SiteWriter(output, manifest) as writer:
        writer.write("/trap/x/", KEY, b"escape")
        writer.commit()
    assert list(outside.iterdir()) == []
