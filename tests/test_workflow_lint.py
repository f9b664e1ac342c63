"""Every workflow the project ships passes actionlint, with shellcheck on each `run:` script.

The site workflows (`publish.yml`, `preview.yml`) are copied into every new site by `newsgen init`: a mistake in
one (an expression GitHub can't evaluate, an action whose runtime GitHub removed, a shell quoting bug) would
fail in every newsroom's repository, where nobody reads YAML. Both linters come as wheels carrying their programs
(the `test` extra), so this runs offline.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

WORKFLOWS = sorted((Path(__file__).resolve().parents[1] / ".github/workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]' -c constraints.txt"
    return found


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("actionlint"), "-oneline", f"-shellcheck={_tool('shellcheck')}", "-pyflakes=", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    done = _actionlint(workflow)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The linter runs, with shellcheck: an unknown expression and an unquoted variable are both found."""
    broken = tmp_path / ".github/workflows/broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_thing }}\n"
        "      - run: cp $SOURCE build/\n",
        encoding="utf-8",
    )
    found = _actionlint(broken).stdout
    assert "no_such_thing" in found and "SC2086" in found, found
