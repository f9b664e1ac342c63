"""`kill -9` of real `newsgen build` processes at random moments, while stories are retracted, retagged, fixed and
added between builds: the next build always equals a clean build, and a killed build is never recorded as good."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import NOW, SiteFactory, article, clean_build, digests
from newsgen.deploy import DeployError, published_files
from newsgen.engine.output.journal import JOURNAL

SEED = 25
KILLS = 20
TAGS = ("Port", "Ferries", "Council", "Storm", "Schools")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))}  # the clock of conftest's clean builds


class Newsroom:
    """The site's stories, changed the way a newsroom changes them."""

    def __init__(self, site: Path, rng: random.Random) -> None:
        self.site, self.rng = site, rng
        self.stories: dict[int, tuple[str, list[str]]] = {}
        for number in range(12):
            self.write(number, f"Story {number}", self.some_tags())

    def some_tags(self) -> list[str]:
        return self.rng.sample(TAGS, self.rng.randint(1, 2))

    def write(self, number: int, headline: str, tags: list[str]) -> None:
        self.stories[number] = (headline, tags)
        day = date(2025, 1, 1) + timedelta(days=number)
        path = self.site / f"content/2025/story-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article(f"headline: {headline}\ndek: D.\ndate: {day}\ntags: [{', '.join(tags)}]"))

    def change(self) -> None:
        """One to three changes: a retraction, a retag, a headline fix or a new story."""
        for _ in range(self.rng.randint(1, 3)):
            number = self.rng.choice(sorted(self.stories))
            headline, tags = self.stories[number]
            action = self.rng.choice(["retract", "retag", "fix", "add"] if len(self.stories) > 8 else ["add"])
            if action == "retract":
                del self.stories[number]
                (self.site / f"content/2025/story-{number}.md").unlink()
            elif action == "retag":
                self.write(number, headline, self.some_tags())
            elif action == "fix":
                self.write(number, headline + " (updated)", tags)
            else:
                new = max(self.stories) + 1
                self.write(new, f"Story {new}", self.some_tags())


def start_build(site: Path) -> subprocess.Popen[bytes]:
    """`newsgen build` in a process group of its own, so that a kill takes its workers too."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsgen", "build", "--source", str(site)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@dataclass
class Timeline:
    """How long the phases of the last build that wrote files took, as this test sees them from outside."""

    starting: float = 0.0  # until it holds the output folder's lock (its holder writes its process ID there)
    holding: float = 0.0  # then until it ends
    staging: float = 0.0  # from its staging folder's first sight until it is gone
    committing: float = 0.0  # from its journal's first sight until the staging folder is gone


def wait_until(build: subprocess.Popen[bytes], condition: Callable[[], bool]) -> float | None:
    """The moment `condition` holds; None if `build` ended first."""
    while not condition():
        if build.poll() is not None:
            return None
        time.sleep(0.0005)
    return time.monotonic()


def holds_lock(site: Path, build: subprocess.Popen[bytes]) -> Callable[[], bool]:
    def holds() -> bool:
        with contextlib.suppress(OSError):
            return (site / ".build.lock").read_text().strip() == str(build.pid)
        return False

    return holds


def staging(site: Path) -> bool:
    return any(site.glob(".build.new-*"))


def committing(site: Path) -> bool:
    return any(site.glob(f".build.new-*/{JOURNAL}"))


def build_to_the_end(site: Path, last: Timeline) -> Timeline:
    """Build, watching its phases; `last` for those it did not go through (an edit that writes nothing)."""
    started = time.monotonic()
    build = start_build(site)
    locked = wait_until(build, holds_lock(site, build))
    staged = wait_until(build, lambda: staging(site))
    journal = wait_until(build, lambda: committing(site))
    gone = wait_until(build, lambda: not staging(site))
    errors = build.communicate(timeout=60)[1].decode()
    assert build.returncode == 0 and locked is not None, errors
    ended = time.monotonic()
    gone = gone or ended
    return Timeline(
        locked - started,
        ended - locked,
        gone - staged if staged is not None else last.staging,
        gone - journal if journal is not None else last.committing,
    )


def kill_at_random(site: Path, rng: random.Random, timeline: Timeline) -> bool:
    """Start a build and kill it at a random moment of a random phase; whether it was killed before it ended."""
    build = start_build(site)
    phases: dict[str, Callable[[], bool]] = {
        "starting": lambda: True,
        "holding": holds_lock(site, build),
        "staging": lambda: staging(site),
        "committing": lambda: committing(site),
    }
    phase = rng.choices(list(phases), [15, 25, 30, 30])[0]
    delay = rng.uniform(0, getattr(timeline, phase))
    if wait_until(build, phases[phase]) is not None:
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):  # it ended, and was waited for, already
            os.killpg(build.pid, signal.SIGKILL)
    errors = build.communicate(timeout=60)[1].decode()
    assert build.returncode in (0, -signal.SIGKILL), errors
    return build.returncode == -signal.SIGKILL


def deploy_accepts(site: Path) -> bool:
    """Whether `newsgen deploy` would publish the build folder (it holds the lock, as no build does here)."""
    try:
        published_files(site / "build")
    except DeployError:
        return False
    return True


@pytest.mark.slow
def test_builds_killed_at_random_moments_never_publish_or_leave_a_stale_page(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    site = make_site({"newsgen.yaml": "base_url: https://news.example.org/\n"})
    newsroom = Newsroom(site, rng)
    timeline = build_to_the_end(site, Timeline())
    kills = rounds = 0
    while kills < KILLS:
        rounds += 1
        assert rounds <= 2 * KILLS, f"only {kills} of {rounds - 1} builds were killed before they finished"
        newsroom.change()
        before, clean = digests(site / "build"), clean_build(site, tmp_path / "clean")
        kills += kill_at_random(site, rng, timeline)
        if deploy_accepts(site):  # only a whole build: the one before, when the kill came before the build began
            assert digests(site / "build") in (before, clean), f"round {rounds}: deploy accepts a half-made build"
        timeline = build_to_the_end(site, timeline)
        assert digests(site / "build") == clean, f"round {rounds}: the build after a kill differs from a clean one"
        assert deploy_accepts(site)
