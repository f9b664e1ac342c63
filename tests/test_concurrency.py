"""Two builds at once never corrupt the output folder: the second waits for the first."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import digests
from newsgen.engine.output.lock import LockTimeout, output_lock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402


def newsgen(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796169600"}
    return subprocess.Popen(
        [sys.executable, "-m", "newsgen", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def edit(stories: list[Path], headline: str) -> None:
    """A new headline and a new tag in each story: list pages, tag pages and feeds change too."""
    for story in stories:
        text = story.read_text(encoding="utf-8")
        text = re.sub(r"^headline: .*$", f'headline: "{headline}"', text, count=1, flags=re.M)
        story.write_text(re.sub(r"^tags: \[", f"tags: [{headline.split()[-1]}, ", text, count=1, flags=re.M))


def wait_until_locked(output: Path) -> None:
    """Until another process holds the output folder's lock (a fixed sleep is too short on a quick machine)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with output_lock(output, timeout=0):
                pass
        except LockTimeout:
            return
        time.sleep(0.02)
    raise AssertionError("the first build never took the lock")


@pytest.mark.slow
def test_two_builds_started_together_with_edits_between_end_as_a_clean_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    corpus.main([str(site), "--articles", "2000", "--workers", "1"])
    stories = sorted((site / "content").rglob("*.md"))
    assert newsgen("build", "--source", str(site)).wait(timeout=300) == 0
    edit(stories[1::70][:30], "Edited before the first build")  # new tags: the whole way, which takes a while
    first = newsgen("build", "--source", str(site), "--full")  # --full: every page rendered, seconds of work
    wait_until_locked(site / "build")  # the first build is under way
    edit(stories[2::70][:30], "Edited while a build ran")
    second = newsgen("build", "--source", str(site))
    first_err, second_err = first.communicate(timeout=300)[1], second.communicate(timeout=300)[1]
    assert first.returncode == 0 and second.returncode == 0, first_err + second_err
    after = newsgen("build", "--source", str(site))
    assert after.communicate(timeout=300)[0] and after.returncode == 0
    clean = newsgen("build", "--source", str(site), "--output", str(tmp_path / "clean"), "--no-cache")
    assert clean.communicate(timeout=300) and clean.returncode == 0
    assert digests(site / "build") == digests(tmp_path / "clean")
    assert "waiting for another newsgen" in second_err, "the second build waited for the first"


def test_a_second_holder_waits_and_then_gives_up_with_one_line(tmp_path: Path) -> None:
    output = tmp_path / "build"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from newsgen.engine.output.lock import output_lock\n"
            f"with output_lock(Path({str(output)!r})):\n    print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(LockTimeout, match=r"another newsgen \(process \d+\) is still using it after 1 s"):
            with output_lock(output, timeout=1.0, poll=0.05):
                pass
        assert 1.0 <= time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    with output_lock(output, timeout=1.0):  # a killed holder leaves no stale lock
        pass
