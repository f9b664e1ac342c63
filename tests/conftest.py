"""Small sites written from strings, built in-process or through the CLI."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsgen.build import BuildOptions, BuildResult, build
from newsgen.cli import main

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


def build_site(site: Path, **options: object) -> BuildResult:
    options.setdefault("now", NOW)
    return build(BuildOptions(source_dir=site, output_dir=site / "build", **options))  # type: ignore[arg-type]


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
