"""Editors' fronts and alerts at a moment: which stories lead the front pages, which banners are up.

A front (`fronts.yaml`, read in `read/desk.py`) changes only the first page of
its list: the lead, then the top stories in the order given, then the rest
newest first. Older pages keep their stories, so pinning rewrites one page.
A pin or alert with `from`/`until` holds for that while by the build's clock
(`site/clock.py`, which also gives the moments it starts and ends).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from newsgen.config import SiteConfig
from newsgen.errors import Problem, Severity
from newsgen.models import ALERT_LEVELS, Alert, Article, Desk, ListPage, Pin, article_id
from newsgen.read.desk import FRONTS_FILE
from newsgen.site.clock import live

HOME_FRONT = "home"
PIN_PROBLEM = "front-pin"  # the code of the warnings about pins


def live_alerts(desk: Desk, now: datetime) -> tuple[Alert, ...]:
    """The alerts up at `now`, most urgent first, then in the file's order."""
    shown = [alert for alert in desk.alerts if live(alert.start, alert.end, now)]
    return tuple(sorted(shown, key=lambda alert: ALERT_LEVELS.index(alert.level)))


def arrange_fronts(
    list_pages: list[ListPage],
    desk: Desk,
    published: tuple[Article, ...],
    config: SiteConfig,
    content_dir: Path,
    now: datetime,
) -> tuple[list[ListPage], list[Problem]]:
    """The list pages with each front's first page led by its pins, and a warning per pin that can't be shown."""
    if not desk.fronts:
        return list_pages, []
    pinned = {str(content_dir / pin.story): pin.story for front in desk.fronts for pin in front.pins}
    by_file = {pinned[article_id(article)]: article for article in published if article_id(article) in pinned}
    fronts = {front.name: front for front in desk.fronts}
    problems: list[Problem] = []
    fronts_file = content_dir.parent / FRONTS_FILE
    found: set[str] = set()
    arranged = []
    for page in list_pages:
        name = _front_name(page, config)
        front = fronts.get(name) if name is not None and page.first else None
        if front is None:
            arranged.append(page)
            continue
        found.add(front.name)
        pins = [pin for pin in front.pins if live(pin.start, pin.end, now)]
        shown: list[Article] = []
        for pin in pins:
            article = by_file.get(pin.story)
            if article is None or config.edition_of(article.url) != config.edition_of(page.url):
                problems.append(_unshown(fronts_file, pin, article, front.name))
            elif article not in shown:
                shown.append(article)
        leading = front.lead if front.lead is not None and front.lead in pins else None
        lead = bool(shown) and leading is not None and shown[0] is by_file.get(leading.story)
        rest = [article for article in page.articles if article not in shown]
        count = len(page.articles)
        newest = max((article.modified for article in page.articles), default=None)
        arranged.append(
            replace(
                page,
                articles=tuple([*shown, *rest][:count]),
                pinned=len(shown),
                lead=lead,
                unpinned_modified=newest,
            )
        )
    for front in desk.fronts:
        if front.name not in found:
            message = f"no front is named {front.name!r}: name `home` or a section's slug"
            problems.append(Problem(fronts_file, front.line, front.name, message, Severity.WARNING, PIN_PROBLEM))
    return arranged, problems


def _front_name(page: ListPage, config: SiteConfig) -> str | None:
    """The name a front is given in fronts.yaml: `home` for the default edition's home page, a section's slug."""
    if page.kind == "home" and config.edition_of(page.url) == config.default_language:
        return HOME_FRONT
    if page.kind == "section" and page.term is not None and config.edition_of(page.url) == config.default_language:
        return page.term.slug
    return None


def _unshown(fronts_file: Path, pin: Pin, article: Article | None, front: str) -> Problem:
    if article is None:
        why = "is not a published story (missing, a draft, embargoed or expired)"
    else:
        why = "is in another language edition than this front"
    message = f"{pin.story} {why}; the front shows its other stories"
    return Problem(fronts_file, pin.line, front, message, Severity.WARNING, PIN_PROBLEM)
