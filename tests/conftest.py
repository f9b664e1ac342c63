"""Small sites written from strings, built in-process or through the CLI."""

from __future__ import annotations

import hashlib
import tempfile
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsgen.cli import main
from newsgen.engine import BuildOptions, BuildResult, BuildSession, build
from newsgen.engine.plan import whole

NOW = datetime(2026, 1, 1, tzinfo=UTC)

SiteFactory = Callable[[dict[str, str | bytes]], Path]


def article(front_matter: str, body: str = "Body text.\n") -> str:
    """An article file from dedented front matter and body."""
    return "---\n" + textwrap.dedent(front_matter).strip("\n") + "\n---\n" + body


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Write `{relative path: text or bytes}` into a fresh site folder."""

    def make(files: dict[str, str | bytes]) -> Path:
        site = tmp_path / "site"
        for name, content in files.items():
            path = site / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        site.mkdir(exist_ok=True)
        return site

    return make


def digests(folder: Path) -> dict[str, str]:
    """`{relative posix path: SHA-256 hex digest}` of every file under `folder`, to compare two builds' bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def png(width: int, height: int) -> bytes:
    """A PNG image of one colour, `width` by `height` pixels."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (width, height), (20, 90, 140)).save(buffer, "PNG")
    return buffer.getvalue()


def build_site(site: Path, **options: object) -> BuildResult:
    options.setdefault("now", NOW)
    return build(BuildOptions(source_dir=site, output_dir=site / "build", **options))  # type: ignore[arg-type]


def cli_build(site: Path, output: Path, **options: object) -> BuildResult:
    """A build as `newsgen build` runs it: a new session, the cache on disk."""
    return build(BuildOptions(site, output, now=NOW, **options), BuildSession(site / ".newsgen-cache"))  # type: ignore[arg-type]


def took_whole_way(whole_ways: list[object], site: Path, output: Path) -> bool:
    """Build `site` into `output` as `newsgen build` does (`whole_ways` is the fixture); whether it took the whole way."""
    before = len(whole_ways)
    cli_build(site, output)
    return len(whole_ways) > before


def clean_build(site: Path, parent: Path) -> dict[str, str]:
    """The digests of a build of `site` from nothing (a fresh output folder and cache, in a new folder under
    `parent`)."""
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent) as scratch:
        build(BuildOptions(site, Path(scratch, "build"), now=NOW), BuildSession(Path(scratch, "cache")))
        return digests(Path(scratch, "build"))


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def whole_ways(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """One entry per build that took the whole way (planned the site from all of it) since the test began."""
    taken: list[object] = []
    real_whole_plan = whole.whole_plan

    def counted(*args: Any) -> Any:
        taken.append(args)
        return real_whole_plan(*args)

    monkeypatch.setattr(whole, "whole_plan", counted)
    return taken
