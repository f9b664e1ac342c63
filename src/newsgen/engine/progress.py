"""A progress bar for long builds on a terminal; silence everywhere else (CI logs get the summary line)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

Item = TypeVar("Item")
SHOW_AFTER_SECONDS = 1.0


class ProgressBar:
    """Shows `label done/total, rate` once a stage has run for a second, so quick builds stay quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()

    def track(self, items: Iterable[Item], total: int, label: str) -> Iterator[Item]:
        if not self.enabled or total == 0:
            yield from items
            return
        started = time.monotonic()
        bar: Any = None
        task = None
        try:
            for done, item in enumerate(items, start=1):
                yield item
                elapsed = time.monotonic() - started
                if bar is None and elapsed >= SHOW_AFTER_SECONDS:
                    bar, task = _start_bar(label, total)
                if bar is not None:
                    bar.update(task, completed=done, rate=f"{done / elapsed:,.0f}/s")
        finally:
            if bar is not None:
                bar.stop()


def _start_bar(label: str, total: int) -> tuple[Any, Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )  # only on a terminal

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        transient=True,
    )
    bar.start()
    return bar, bar.add_task(label, total=total, rate="")
