"""Wall time and peak memory of one child process, shared by run.py and peers.py.

The child is reaped with os.wait4, which returns the same rusage that
`/usr/bin/time -v` prints as "Maximum resident set size", without parsing
another program's output. Its ru_maxrss is the largest peak RSS of the child
*or of any descendant it waited for*: the max over the process tree, not the
sum of processes alive at once (Hugo is one multi-threaded process and newsgen
and Pelican build in one process, so for these tools the two agree).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

RSS_NOTE = "peak RSS = max ru_maxrss over the build process tree (wait4), not a sum"


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    peak_rss_mib: float
    returncode: int
    output: str  # stdout and stderr together, for error messages

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_measured(command: Sequence[str | Path], cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Run:
    """Run `command` to completion; time it from spawn to reap and read its rusage."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(part) for part in command],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    output = process.stdout.read()  # drain first, so a chatty child never blocks on a full pipe
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen so it never waits again
    process.stdout.close()
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode, output.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Summary:
    """Median wall time over several runs and the highest peak RSS seen in any of them."""

    median_s: float
    min_s: float
    max_s: float
    peak_rss_mib: float
    runs: int

    @classmethod
    def of(cls, runs: Sequence[Run]) -> Summary:
        times = [run.seconds for run in runs]
        return cls(statistics.median(times), min(times), max(times), max(run.peak_rss_mib for run in runs), len(runs))


def last_lines(text: str, count: int = 5) -> str:
    """The tail of a tool's output: where build tools put the error that matters."""
    return "\n".join(text.strip().splitlines()[-count:])
