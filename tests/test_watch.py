from pathlib import Path

import pytest

from newsgen.preview.watch import is_site_input

SITE = Path("/site")


@pytest.mark.parametrize(
    "relative",
    [
        "content/2026/11/story.md",
        "content/2026/11/photo.jpg",
        "templates/base.html",
        "locales/es.po",
        "static/theme/x.css",
        "newsgen.yaml",
    ],
)
def test_inputs_trigger_rebuilds(relative: str) -> None:
    assert is_site_input(SITE / relative, SITE)


@pytest.mark.parametrize(
    "relative",
    [
        "content/.story.md.swp",
        "content/story.md~",
        "content/.#story.md",
        "content/#story.md#",
        "content/.DS_Store",
        "content/4913",
        "build/index.html",
        ".newsgen-cache/x",
        "README.md",
        "content/.git/index",
        "static/x.md.tmp",
    ],
)
def test_scratch_files_and_outputs_do_not(relative: str) -> None:
    assert not is_site_input(SITE / relative, SITE)


def test_a_new_year_folder_is_an_input() -> None:
    assert is_site_input(SITE / "content/2027", SITE, is_directory=True)
