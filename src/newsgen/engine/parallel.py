"""Running a pure function over many items on all cores, in order.

Workers are forked, so they inherit the site model, the templates and the
Markdown instance instead of receiving them pickled; only items and results
cross process boundaries. Where fork is unavailable (Windows), or the work is
too small to pay for starting workers, the items run in this process. Results
come back in item order, so a parallel build gives exactly a serial build's bytes.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 64  # below this, starting processes costs more than it saves
_task: Callable[[Any], Any] | None = None  # set before forking; workers inherit it


def parallel_map(
    task: Callable[[Item], Result], items: Sequence[Item], jobs: int, min_per_worker: int = MIN_ITEMS_PER_WORKER
) -> Iterator[Result]:
    """`map(task, items)`, spread over `jobs` forked processes when that pays (`min_per_worker` items each)."""
    workers = min(jobs, len(items) // min_per_worker)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(task, items)
        return
    global _task
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, min(256, len(items) // (workers * 8)))
            yield from pool.imap(_run, items, chunksize=chunk)
    finally:
        _task = None


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)
