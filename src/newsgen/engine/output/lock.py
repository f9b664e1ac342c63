"""One newsgen at a time per output folder: builds, checks that fill the cache, and deploys take its lock.

Two builds into one folder at once would each trust the index the other is
rewriting; a deploy during a build would publish half of it. The lock is an
exclusive `flock` on a file beside the output folder, so the system drops
it the moment its holder dies (a killed build leaves no stale lock). A
second process waits, saying so once, and gives up with one clear line
after `timeout` seconds.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there are not guarded
    fcntl = None  # type: ignore[assignment]

WAIT_SECONDS = 600.0  # a cold build of a large archive takes minutes; longer than this, something is stuck


class LockTimeout(OSError):
    """Another newsgen held the output folder's lock for longer than we would wait."""


def lock_path(output_dir: Path) -> Path:
    """`build/` is locked through `.build.lock` beside it: inside it, the file would be published."""
    output = output_dir.resolve()
    return output.parent / f".{output.name}.lock"


@contextmanager
def output_lock(output_dir: Path, timeout: float | None = None, poll: float = 0.2) -> Iterator[None]:
    """Hold the output folder's lock for the block, waiting for another holder up to `timeout` (WAIT_SECONDS)."""
    timeout = WAIT_SECONDS if timeout is None else timeout
    if fcntl is None:
        yield
        return
    path = lock_path(output_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b", buffering=0) as handle:  # unbuffered: a write that fails leaves nothing to flush later
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{output_dir}: another newsgen ({_holder(handle)}) is still using it after {timeout:.0f} s; try again later"
                    ) from None
                if not told:
                    print(
                        f"newsgen: waiting for another newsgen ({_holder(handle)}) to finish with {output_dir}",
                        file=sys.stderr,
                    )
                    told = True
                time.sleep(poll)
        _name_holder(handle, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            _name_holder(handle, b"")
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _name_holder(handle: BinaryIO, pid: bytes) -> None:
    """Write the holder's process ID, for another's waiting message; on a full disk the lock is held all the same."""
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(pid)
    except OSError:
        pass


def _holder(handle: BinaryIO) -> str:
    """'process N' as the holder wrote it, for the message."""
    try:
        handle.seek(0)
        pid = handle.read().decode("ascii", "replace").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"
