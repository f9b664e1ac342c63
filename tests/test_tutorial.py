"""The tutorial (docs/tutorial.md) works as written: its commands, run in order, give the site it describes.

How the page is read, so it can't drift from what this test runs:

- Every ```console block is a terminal session. A line starting with `$ ` is a command; the lines under it, up to
  the next command, are what the reader sees. Each such line must appear in the command's output (stdout and
  stderr together), where `…` stands for any text (timings, counts, a version). ```bash blocks and blocks in
  other languages are never run.
- A block with `title="PATH"` (pymdownx.superfences) is a file the reader writes: it is written at PATH in the
  current folder. A line `--8<-- "FILE"` in it (pymdownx.snippets) is replaced by FILE from this repository, as
  the docs build does.
- A block with `title="PATH: change these lines"` holds `key: value` lines; each replaces the one top-level line
  of PATH with that key, as the reader does in an editor.

Commands run in a temporary folder with the `newsgen` installed beside this Python (`sys.executable`), with
`SOURCE_DATE_EPOCH` pinned so the story's date stays in the past. Skipped, each for the reason in `SKIPPED`:
making and activating a virtual environment and `pip install` (this test uses the installed newsgen, and runs
without the network) and `git push` (no network, no GitHub); on a machine without git, every git command, with the
checks of what was committed. `newsgen serve` blocks until stopped, so it is
started in the background with `--port 0`, the tutorial's story is fetched from it, and it is stopped.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TUTORIAL = REPO / "docs" / "tutorial.md"
STORY_URL = "/2026/11/27/library-extends-weekend-hours/"  # the address the tutorial gives the first story
HEADLINE = "Library extends weekend hours"
SKIPPED = {
    "python3 -m venv": "the test uses the newsgen installed beside sys.executable",
    ". .venv/bin/activate": "the test uses the newsgen installed beside sys.executable",
    "pip install": "no network in tests; newsgen is already installed",
    "git push": "no network in tests, and no GitHub repository",
}
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
SNIPPET = re.compile(r'^--8<-- "(?P<path>[^"]+)"$', re.MULTILINE)


@dataclass
class Command:
    line: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    language: str
    title: str | None
    body: str


def blocks(text: str) -> list[Block]:
    """The page's fenced code blocks, in order, with their language and `title="…"`."""
    found = []
    for match in FENCE.finditer(text):
        info = match["info"].strip()
        title = re.search(r'title="([^"]*)"', info)
        language = info.split()[0] if info else ""
        found.append(Block(language, title[1] if title else None, match["body"]))
    return found


def commands(block: Block) -> list[Command]:
    """The `$ ` commands of a console block, each with the output lines shown under it."""
    session: list[Command] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            session.append(Command(line[2:].strip()))
        elif line.strip() and session:
            session[-1].expected.append(line)
    return session


def shown(expected: str, output: str) -> bool:
    """Whether a line the page shows is a line of the output, `…` matching any text."""
    pattern = ".*".join(re.escape(part) for part in expected.strip().split("…"))
    return any(re.fullmatch(pattern, line.strip()) for line in output.splitlines())


def write_file(folder: Path, block: Block) -> None:
    assert block.title is not None
    change = re.fullmatch(r"(\S+): change these lines", block.title)
    if change:
        path = folder / change[1]
        text = path.read_text(encoding="utf-8")
        for line in block.body.splitlines():
            key = line.split(":", 1)[0]
            text, count = re.subn(rf"^{re.escape(key)}:.*$", line.replace("\\", "\\\\"), text, flags=re.MULTILINE)
            assert count == 1, f"{path.name} has {count} top-level lines for {key!r}, the tutorial changes one"
        path.write_text(text, encoding="utf-8")
        return
    body = SNIPPET.sub(lambda m: (REPO / m["path"]).read_text(encoding="utf-8").rstrip("\n"), block.body)
    path = folder / block.title
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback, the preview this test started)
        body: bytes = response.read()
        return body.decode("utf-8")


def serve(folder: Path, command: Command, env: dict[str, str]) -> None:
    """`newsgen serve` in the background on a free port: the story is there, then Ctrl-C's SIGTERM stops it."""
    args = [*shlex.split(command.line), "--port", "0"]
    process = subprocess.Popen(args, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline()]
        while lines[-1] and not lines[-1].startswith("Serving "):  # the first build's summary comes first
            lines.append(process.stdout.readline())
        output = "".join(lines)
        for expected in command.expected:
            assert shown(expected.replace(":8000/", ":…/"), output), f"{command.line}: {output!r}, not {expected!r}"
        base = re.search(r"http://127\.0\.0\.1:\d+", lines[-1])
        assert base, output
        assert HEADLINE in fetch(base[0] + "/")
        assert re.search(rf"<h1[^>]*>\s*{HEADLINE}\s*</h1>", fetch(base[0] + STORY_URL))
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)


@pytest.mark.slow
def test_tutorial_commands_make_the_site_it_describes(tmp_path: Path) -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    assert STORY_URL in text, "the tutorial no longer names the URL this test fetches"
    scripts = Path(sys.executable).parent
    assert (scripts / "newsgen").exists() or (scripts / "newsgen.exe").exists(), (
        f"no newsgen console script in {scripts}"
    )
    env = {
        **os.environ,
        "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}",
        "SOURCE_DATE_EPOCH": "1796083200",  # 2026-12-01: the story, dated 2026-11-27, is published
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Tutorial",
        "GIT_AUTHOR_EMAIL": "tutorial@example.org",
        "GIT_COMMITTER_NAME": "Tutorial",
        "GIT_COMMITTER_EMAIL": "tutorial@example.org",
    }
    have_git = shutil.which("git") is not None
    skip = SKIPPED if have_git else {**SKIPPED, "git ": "git is not installed"}
    folder, ran, skipped = tmp_path, [], []
    for block in blocks(text):
        if block.title is not None:
            write_file(folder, block)
            continue
        if block.language != "console":
            continue
        for command in commands(block):
            reason = next((why for start, why in skip.items() if command.line.startswith(start)), None)
            if reason is not None:
                skipped.append(command.line)
                continue
            ran.append(command.line)
            if command.line.startswith("cd "):
                folder = folder / command.line[3:].strip()
                assert folder.is_dir(), command.line
            elif command.line.startswith("newsgen serve"):
                serve(folder, command, env)
            else:
                done = subprocess.run(command.line, shell=True, cwd=folder, env=env, capture_output=True, text=True)
                output = done.stdout + done.stderr
                assert done.returncode == 0, f"$ {command.line}\n{output}"
                for expected in command.expected:
                    assert shown(expected, output), f"$ {command.line}: the tutorial shows {expected!r}\n{output}"
    assert skipped[:3] == ["python3 -m venv .venv", ". .venv/bin/activate", "pip install newsgen"], skipped
    assert {"newsgen check", "newsgen build", "newsgen serve"} <= set(ran), ran
    page = folder / "build" / STORY_URL.strip("/") / "index.html"
    assert page.is_file(), f"no page at {STORY_URL}"
    assert "Dana Whitfield" in page.read_text(encoding="utf-8")
    if not have_git:
        return
    assert skipped[3:] == ["git push -u origin main"], skipped
    committed = subprocess.run(["git", "ls-files"], cwd=folder, env=env, capture_output=True, text=True, check=True)
    files = committed.stdout.splitlines()
    assert ".github/workflows/publish.yml" in files
    assert "content/2026/11/library-extends-weekend-hours.md" in files
    assert not [name for name in files if name.startswith(("build/", ".newsgen-cache/"))], files
