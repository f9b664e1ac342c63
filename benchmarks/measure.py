"""Wall time and peak memory of one child process, shared by run.py and peers.py.

Two memory figures, because newsgen forks worker processes (`--jobs`):

- peak RSS (max process): the child is reaped with os.wait4, whose rusage is
  what `/usr/bin/time -v` prints as "Maximum resident set size". Its
  ru_maxrss is the largest peak of the child *or of any descendant it
  waited for*: exact, but the biggest single process, not the total.
- tree RSS (sampled): the sum of VmRSS over the child and all its live
  descendants, read from /proc every SAMPLE_INTERVAL seconds; the highest sum
  is kept. It can miss a short spike between samples, and it counts
  copy-on-write pages shared by forked workers once per process, so it is an
  upper bound of the real footprint.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_INTERVAL = 0.05
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
RSS_NOTE = (
    "peak RSS = largest single process in the build's process tree (wait4 ru_maxrss, exact); "
    f"tree RSS = highest sum over the live process tree, sampled every {SAMPLE_INTERVAL * 1000:.0f} ms "
    "(counts pages shared by forked workers once per process)"
)


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    peak_rss_mib: float
    tree_rss_mib: float
    returncode: int
    output: str  # stdout and stderr together, for error messages

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_measured(command: Sequence[str | Path], cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Run:
    """Run `command` to completion; time it from spawn to reap and read its memory use."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    assert process.stdout is not None
    output = process.stdout.read()  # drain first, so a chatty child never blocks on a full pipe
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    sampler.finish()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen so it never waits again
    process.stdout.close()
    return Run(
        seconds, usage.ru_maxrss / 1024, sampler.peak_kib / 1024, process.returncode, output.decode("utf-8", "replace")
    )


class TreeSampler(threading.Thread):
    """Polls the summed RSS of a process and its descendants until told to stop."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.root))
            if self._done.wait(SAMPLE_INTERVAL):
                return

    def finish(self) -> None:
        self._done.set()
        self.join()


def tree_rss_kib(root: int) -> int:
    """Sum of RSS over `root` and its descendants, from /proc/<pid>/stat (this kernel has no children files)."""
    parent_of: dict[int, int] = {}
    rss_of: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue  # exited between listing and reading
        pid = int(entry.name)
        parent_of[pid] = int(fields[1])
        rss_of[pid] = int(fields[21]) * PAGE_KIB
    total = 0
    for pid, rss in rss_of.items():
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parent_of:
            ancestor = parent_of[ancestor]
        if ancestor == root:
            total += rss
    return total


@dataclass(frozen=True)
class Summary:
    """Median wall time over several runs and the highest memory figures seen in any of them."""

    median_s: float
    min_s: float
    max_s: float
    peak_rss_mib: float
    tree_rss_mib: float
    runs: int

    @classmethod
    def of(cls, runs: Sequence[Run]) -> Summary:
        times = [run.seconds for run in runs]
        return cls(
            statistics.median(times),
            min(times),
            max(times),
            max(run.peak_rss_mib for run in runs),
            max(run.tree_rss_mib for run in runs),
            len(runs),
        )


def last_lines(text: str, count: int = 5) -> str:
    """The tail of a tool's output: where build tools put the error that matters."""
    return "\n".join(text.strip().splitlines()[-count:])
