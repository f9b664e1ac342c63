"""The guard against publishing an empty or unmounted `content/`: a build that would lose most stories must be asked."""

from __future__ import annotations

from pathlib import Path

from newsgen.errors import ContentError, Problem
from newsgen.read.files import CONTENT_DIR

SHRINK_FLOOR = 10  # a site with fewer articles may lose half of them without being asked


def would_shrink(published: int, last: int | None) -> bool:
    """Whether publishing `published` articles after a build that published `last` loses more than half of them."""
    return last is not None and last >= SHRINK_FLOOR and published * 2 < last


def refuse_to_shrink(published: int, last: int | None, source_dir: Path) -> None:
    """Stop a build that would publish under half the articles of the last one, naming the option that allows it."""
    if not would_shrink(published, last):
        return
    message = (
        f"would publish {published} articles; the last build published {last}. If content/ is as it "
        "should be, build with --allow-shrink"
    )
    raise ContentError([Problem(source_dir / CONTENT_DIR, 1, "content", message, code="shrink")])
