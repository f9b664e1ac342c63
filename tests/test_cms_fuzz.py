"""Fuzzing the CMS's paths: whatever path the browser sends, nothing outside content/, pages/, static/ and the data
files is read, written, made or deleted, through `..`, encodings, Unicode look-alikes or symlinks in the site."""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import article
from newsgen.preview.cmsapi import LocalBackend
from newsgen.preview.confine import DATA_FILES, WRITABLE_DIRS

SECRETS = ("TOP SECRET", "Harbour Herald", "git-credentials", "{% block")  # in files the CMS must never read
SEGMENTS = st.sampled_from(
    [
        *WRITABLE_DIRS,
        *DATA_FILES,
        "..",
        ".",
        "",
        ".git",
        "config",
        "newsgen.yaml",
        "templates",
        "base.html",
        "out",
        "up",
        "cfg.md",
        "git",
        "loop",
        "abs",
        "secret.txt",
        "story.md",
        "%2e%2e",
        "..%2f",
        "%00",
        "\x00",
        "\\",
        "..\\..",
        "．．",  # fullwidth full stops
        "\u202e..",  # right-to-left override
        "e\u0301",
        "con",
        "~",
        "story.md.tmp",
        ":",
        "/",
        "//",
    ]
)
LINKS = {"content": ["out", "cfg.md", "abs"], "static": ["git", "loop", "templates"], "pages": ["up"]}
# Most paths start the way the CMS's own do, through the links planted in the site, so the links get walked.
THROUGH_LINKS = (
    st.sampled_from(sorted(LINKS))
    .flatmap(
        lambda top: st.tuples(
            st.just(top), st.lists(st.one_of(st.sampled_from(LINKS[top] + ["up"]), SEGMENTS), max_size=5)
        )
    )
    .map(lambda parts: "/".join([parts[0], *parts[1]]))
)
PATHS = st.one_of(
    THROUGH_LINKS,
    THROUGH_LINKS,
    st.lists(SEGMENTS, min_size=1, max_size=6).map("/".join),
    st.lists(st.one_of(SEGMENTS, st.text(min_size=1, max_size=8)), min_size=1, max_size=5).map("/".join),
    st.text(max_size=40),
)
ACTIONS = st.sampled_from(
    ["getEntry", "getMediaFile", "persistMedia", "persistEntry", "persistEntry-move", "deleteFile", "folders"]
)


@pytest.fixture(scope="module")
def fuzzed_site() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="newsgen-cms-fuzz-") as scratch:
        root = Path(scratch)
        site = root / "site"
        for name, text in {
            "content/2025-01-16-story.md": article("headline: Story\ndek: D.\ndate: 2025-01-16"),
            "pages/about.md": "---\ntitle: About\n---\nUs.\n",
            "static/images/a.png": "png",
            "newsgen.yaml": "title: The Harbour Herald\n",
            ".git/config": "[credential]\nhelper = store --file ~/.git-credentials\n",
            "templates/base.html": "{% block body %}{% endblock %}",
            "authors.yaml": "ana:\n  name: Ana\n",
        }.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text)
        (root / "outside").mkdir()
        (root / "outside/secret.txt").write_text("TOP SECRET")
        links = {
            "content/out": root / "outside",  # a folder outside the site
            "content/cfg.md": site / "newsgen.yaml",
            "static/git": site / ".git",
            "pages/up": site,  # the site root: its allowed folders are fine, nothing else
            "static/loop": site / "static/loop",
            "content/abs": (root / "outside").resolve(),
            "static/templates": Path("../templates"),
        }
        for name, target in links.items():
            os.symlink(target, site / name)
        yield site


def outside_allowed(site: Path) -> dict[str, bytes | str]:
    """Every file, folder and link in the scratch folder but those the CMS may change, with its content."""
    root = site.parent
    allowed = [site / name for name in (*WRITABLE_DIRS, *DATA_FILES)]
    found: dict[str, bytes | str] = {}
    for here, folders, files in os.walk(root, followlinks=False):
        for name in [*folders, *files]:
            path = Path(here) / name
            if any(path == top or path.is_relative_to(top) for top in allowed):
                continue
            if path.is_symlink():
                found[str(path)] = f"link to {os.readlink(path)}"
            elif path.is_file():
                found[str(path)] = path.read_bytes()
            else:
                found[str(path)] = "folder"
    return found


def request(action: str, path: str) -> dict[str, Any]:
    content = base64.b64encode(b"x").decode()
    options = {"commitMessage": "fuzz", "useWorkflow": False, "status": ""}
    raw = article("headline: Fuzz\ndek: D.\ndate: 2025-01-17")
    every: dict[str, dict[str, Any]] = {
        "getEntry": {"path": path},
        "getMediaFile": {"path": path},
        "persistMedia": {"asset": {"path": path, "content": content, "encoding": "base64"}, "options": options},
        "persistEntry": {
            "dataFiles": [{"slug": "fuzz", "path": path, "raw": raw}],
            "assets": [{"path": path + ".png", "content": content, "encoding": "base64"}],
            "options": options,
        },
        "persistEntry-move": {
            "dataFiles": [{"slug": "fuzz", "path": "content/2025-01-16-story.md", "newPath": path, "raw": raw}],
            "assets": [],
            "options": options,
        },
        "deleteFile": {"path": path, "options": options},
        "folders": {"folder": path, "extension": "", "depth": 20},
    }
    params = every[action]
    name = {"persistEntry-move": "persistEntry", "folders": "entriesByFolder"}.get(action, action)
    return {"action": name, "params": {"branch": "main", **params}}


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(action=ACTIONS, path=PATHS)
def test_no_path_reaches_outside_the_allowed_folders(fuzzed_site: Path, action: str, path: str) -> None:
    before = outside_allowed(fuzzed_site)
    backend = LocalBackend(fuzzed_site)
    answers = [backend.answer(json.dumps(request(action, path)).encode())]
    if action == "folders":
        answers.append(backend.answer(json.dumps({"action": "getMedia", "params": {"mediaFolder": path}}).encode()))
    for answer in answers:
        text = answer.encode().decode("utf-8")
        assert not any(secret in text for secret in SECRETS), (path, text[:300])
    assert outside_allowed(fuzzed_site) == before, path
