"""The write stage: paths stay inside the output folder, and a build is swapped in whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.render import RenderedPage
from newsgen.urls import output_path
from newsgen.write import MARKER, SiteWriter


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
    with SiteWriter(output) as writer:
        writer.write_page(RenderedPage("/old/", b"old"))
        writer.commit()
    with SiteWriter(output) as writer:
        writer.write_page(RenderedPage("/new/", b"new"))
        writer.commit()
    assert sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()) == [MARKER, "new/index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_an_error_while_writing_discards_the_new_build(tmp_path: Path) -> None:
    output = tmp_path / "build"
    with SiteWriter(output) as writer:
        writer.write_page(RenderedPage("/kept/", b"kept"))
        writer.commit()
    with pytest.raises(RuntimeError), SiteWriter(output) as writer:
        writer.write_page(RenderedPage("/half/", b"half"))
        raise RuntimeError("render failed")
    assert (output / "kept/index.html").read_bytes() == b"kept" and not (output / "half").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
