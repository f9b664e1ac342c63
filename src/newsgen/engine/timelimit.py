"""A time limit on a block of Python code, in any thread of any process.

The input limits (`body/limits.py`) refuse every body known to make the
Markdown engines slow before converting it; this is the backstop for the
ones nobody has found yet, so one article can never stall a newsroom's build
or the preview. A watchdog thread raises `TimeLimitExceeded` in the thread
that overran (CPython's asynchronous exceptions), so it works in the preview's
build thread as well as in forked workers, where a signal could not be used.
Code running in C (cmark-gfm, the YAML scanner) is interrupted when it
returns to Python.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """Raised in a block that ran past its limit; a BaseException, so no `except Exception` in a library swallows it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block, raising `TimeLimitExceeded` in it once `seconds` have passed; 0 means no limit.

    The exception can arrive as the block ends (it took the whole limit then
    too), but never after this context has been left.
    """
    if seconds <= 0:
        yield
        return
    watchdog = _watchdog()
    thread = threading.get_ident()
    watchdog.arm(thread, time.monotonic() + seconds)
    try:
        yield
    finally:
        watchdog.disarm(thread)


class _Watchdog:
    """One thread per process that raises the exception in every thread whose deadline has passed."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._deadlines: dict[int, float] = {}  # thread id -> time.monotonic() deadline
        self._raised: set[int] = set()  # threads whose exception may not have arrived yet
        threading.Thread(target=self._run, name="newsgen-time-limit", daemon=True).start()

    def arm(self, thread: int, deadline: float) -> None:
        with self._condition:
            self._deadlines[thread] = deadline
            self._condition.notify()

    def disarm(self, thread: int) -> None:
        with self._condition:
            self._deadlines.pop(thread, None)
            if thread in self._raised:
                self._raised.discard(thread)
                _set_async_exception(thread, None)  # withdraw it if it has not arrived yet

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for thread, deadline in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[thread]
                        self._raised.add(thread)
                        _set_async_exception(thread, TimeLimitExceeded)
                soonest = min(self._deadlines.values(), default=None)
                self._condition.wait(None if soonest is None else soonest - now)


def _set_async_exception(thread: int, exception: type[BaseException] | None) -> None:
    """Raise `exception` in the thread at its next Python instruction; None (NULL) withdraws a pending one."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread), None if exception is None else ctypes.py_object(exception)
    )


_watchdogs: dict[int, _Watchdog] = {}  # by process id: a forked worker inherits the dict but not the thread
_watchdogs_lock = threading.Lock()


def _watchdog() -> _Watchdog:
    with _watchdogs_lock:
        pid = os.getpid()
        if pid not in _watchdogs:
            _watchdogs[pid] = _Watchdog()
        return _watchdogs[pid]
