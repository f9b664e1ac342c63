"""Which paths the CMS may use (`preview/confine.py`), one form each, judged before the disk is touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsgen.preview.confine import RefusedPath, site_file, site_folder


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for folder in ("content/2026", "pages", "static/images", "templates", ".git"):
        (site / folder).mkdir(parents=True)
    (site / "newsgen.yaml").write_text("title: T\n")
    os.symlink(site / "content/2026", site / "content/this-year")  # a link that stays in an allowed folder
    os.symlink(site / "templates", site / "static/theme-templates")
    return site.resolve()


@pytest.mark.parametrize(
    "path",
    [
        "content/2026/2026-11-20-ferry.md",
        "content/new/folders/story.md",
        "content/this-year/2026-11-20-ferry.md",
        "pages/about/index.md",
        "static/images/ferry.jpg",
        "static/images/café.jpg",
        "authors.yaml",
        "fronts.yaml",
        "alerts.yaml",
    ],
)
def test_the_cms_may_use_files_in_the_allowed_folders(root: Path, path: str) -> None:
    real = site_file(root, path)
    assert real.is_relative_to(root) and real.name == Path(path).name


@pytest.mark.parametrize(
    "path",
    [
        "",
        None,
        42,
        "content",
        "static",
        "newsgen.yaml",
        "templates/base.html",
        "static/theme-templates/base.html",
        ".git/config",
        "content/.hidden.md",
        "content/story.md~",
        "content/story.md.swp",
        "content/../newsgen.yaml",
        "content/./story.md",
        "content//story.md",
        "content/story.md/",
        "/content/story.md",
        "content\\story.md",
        "C:/content/story.md",
        "content/story\x00.md",
        "content/story\n.md",
        "content/\ud800.md",
        "data/authors.yaml",
        "Content/story.md",
        "content/" + "a" * 2000,
    ],
)
def test_the_cms_may_not_use_anything_else(root: Path, path: object) -> None:
    with pytest.raises(RefusedPath):
        site_file(root, path)


def test_folders_may_be_the_allowed_folders_themselves(root: Path) -> None:
    assert site_folder(root, "content") == root / "content"
    assert site_folder(root, "static/images/") == root / "static/images"
    for refused in ("", ".", "templates", "static/theme-templates", "newsgen.yaml", "content/../templates"):
        with pytest.raises(RefusedPath):
            site_folder(root, refused)
