"""The write stage: paths stay inside the output folder, and a build is swapped in whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.render import RenderedPage
from newsgen.urls import output_path
from newsgen.write import MARKER, SwapWriter, SyncWriter


@pytest.mark.parametrize("url", ["/../etc/passwd", "/a/../../x/", "", "/"])
def test_urls_that_leave_or_do_not_name_a_file_are_refused(url: str) -> None:
    if url == "/":
        assert str(output_path(url)) == "index.html"
    else:
        with pytest.raises(ValueError):
            output_path(url)


def test_pages_go_to_index_files() -> None:
    assert str(output_path("/2025/01/16/x/")) == "2025/01/16/x/index.html"
    assert str(output_path("/404.html")) == "404.html"


def test_commit_replaces_the_old_build_whole(tmp_path: Path) -> None:
    output = tmp_path / "build"
    with SwapWriter(output) as writer:
        writer.write_page(RenderedPage("/old/", b"old"))
        writer.commit()
    with SwapWriter(output) as writer:
        writer.write_page(RenderedPage("/new/", b"new"))
        writer.commit()
    assert sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()) == [MARKER, "new/index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_an_error_while_writing_discards_the_new_build(tmp_path: Path) -> None:
    output = tmp_path / "build"
    with SwapWriter(output) as writer:
        writer.write_page(RenderedPage("/kept/", b"kept"))
        writer.commit()
    with pytest.raises(RuntimeError), SwapWriter(output) as writer:
        writer.write_page(RenderedPage("/half/", b"half"))
        raise RuntimeError("render failed")
    assert (output / "kept/index.html").read_bytes() == b"kept" and not (output / "half").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_sync_writer_touches_only_changed_files_and_removes_gone_ones(tmp_path: Path) -> None:
    output = tmp_path / "preview"
    with SyncWriter(output, {}) as first:
        first.write_page(RenderedPage("/a/", b"a1"))
        first.write_page(RenderedPage("/b/c/", b"c1"))
        assert sorted(first.commit()) == [MARKER, "a/index.html", "b/c/index.html"]
    untouched = (output / "a/index.html").stat().st_mtime_ns
    with SyncWriter(output, first.manifest) as second:
        second.write_page(RenderedPage("/a/", b"a1"))
        second.write_page(RenderedPage("/d/", b"d1"))
        assert second.commit() == ["b/c/index.html", "d/index.html"]
    assert (output / "a/index.html").stat().st_mtime_ns == untouched
    assert not (output / "b").exists() and (output / "d/index.html").read_bytes() == b"d1"


def test_sync_writer_failure_before_commit_writes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "preview"
    with SyncWriter(output, {}) as first:
        first.write_page(RenderedPage("/a/", b"a1"))
        first.commit()
    with pytest.raises(RuntimeError), SyncWriter(output, first.manifest) as second:
        second.write_page(RenderedPage("/a/", b"a2"))
        raise RuntimeError("template failed")
    assert (output / "a/index.html").read_bytes() == b"a1"
