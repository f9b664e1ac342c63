"""The README stays a front door: its two commands first, true to what CI runs, and short enough to read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    return re.findall(r"^    (\S.*)$", (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE)


def test_the_readme_opens_with_the_install_and_build_and_the_install_and_test_commands() -> None:
    build, test = _commands()[:2]
    assert build == "pip install . -c constraints.txt && newsgen build"
    assert test == "pip install -e '.[test]' -c constraints.txt && pytest"


def test_ci_runs_the_readmes_test_command_as_written() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()[1] in ci


def test_the_readme_is_at_most_12000_characters() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8")) <= 12_000
