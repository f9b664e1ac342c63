"""Time, in one place: what is published at a moment, the news window, and when the output next changes by itself.

A build's output depends on its "now" through embargoes lifting, articles
expiring, articles entering and leaving the news sitemap's 48-hour window,
and editors' pins and alerts starting and ending (`site/fronts.py`). `clock_events` lists every such moment, so the schedule a CI job
reads and the moment a build's output stops being true (after which the next
build may not reuse it) come from the same list, with and without `--future`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsgen.models import Article, Desk, ScheduledChange

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # articles in the news sitemap, Google's limit
EMBARGO_LIFTS = "embargo lifts"
ARTICLE_EXPIRES = "article expires"
ENTERS_NEWS_WINDOW = "enters the news window"
LEAVES_NEWS_WINDOW = "leaves the news window"
_UNSCHEDULED = (ENTERS_NEWS_WINDOW, LEAVES_NEWS_WINDOW)  # the changes a schedule file doesn't announce


@dataclass(frozen=True)
class Selection:
    drafts: bool
    future: bool
    now: datetime


def is_published(article: Article, selection: Selection) -> bool:
    """Not a draft (unless asked), not embargoed (unless asked), not expired."""
    if article.draft and not selection.drafts:
        return False
    if article.expires is not None and article.expires <= selection.now:
        return False
    return selection.future or article.date <= selection.now


def news_window(articles: Sequence[Article], now: datetime) -> list[Article]:
    """Articles for the news sitemap: published in the 48 hours before `now`, newest first, at most 1,000.

    Sponsored content and syndicated copies are left out (`Article.in_news_sitemap`); they still enter and leave the
    window in `clock_events`, which only makes a build take the whole way a little more often.
    """
    return [a for a in articles if a.in_news_sitemap and now - NEWS_WINDOW <= a.date <= now][:NEWS_LIMIT]


def live(start: datetime | None, end: datetime | None, now: datetime) -> bool:
    """Whether something shown from `start` until just before `end` (an editor's pin, an alert) is shown at `now`."""
    return (start is None or start <= now) and (end is None or now < end)


def desk_moments(desk: Desk, now: datetime) -> Iterator[tuple[datetime, str]]:
    """Every moment after `now` at which a pin or an alert starts or ends: the output changes by itself then."""
    timed: list[tuple[datetime | None, datetime | None, str]] = [
        (pin.start, pin.end, "front pin") for front in desk.fronts for pin in front.pins
    ]
    timed += [(alert.start, alert.end, "alert") for alert in desk.alerts]
    for start, end, what in timed:
        if start is not None and start > now:
            yield start, f"{what} starts"
        if end is not None and end > now:
            yield end, f"{what} ends"


def clock_events(articles: Iterable[Article], selection: Selection, desk: Desk) -> Iterator[ScheduledChange]:
    """Every moment after "now" at which the output changes with no edit: one per article and cause, and one per
    pin or alert starting or ending."""
    now = selection.now
    for moment, reason in desk_moments(desk, now):
        yield ScheduledChange(moment, reason)
    for article in articles:
        if article.draft and not selection.drafts:
            continue
        if article.expires is not None and article.expires <= now:
            continue  # gone for good
        if article.date > now:
            yield ScheduledChange(article.date, ENTERS_NEWS_WINDOW if selection.future else EMBARGO_LIFTS)
        if article.date + NEWS_WINDOW >= now:  # the window includes its end: the article leaves just after it
            yield ScheduledChange(article.date + NEWS_WINDOW + timedelta(microseconds=1), LEAVES_NEWS_WINDOW)
        if article.expires is not None:
            yield ScheduledChange(article.expires, ARTICLE_EXPIRES)


def next_scheduled_change(articles: Iterable[Article], selection: Selection, desk: Desk) -> ScheduledChange | None:
    """The earliest embargo lifting, expiry, or pin or alert starting or ending: what the schedule file tells a CI
    job."""
    changes = (change for change in clock_events(articles, selection, desk) if change.reason not in _UNSCHEDULED)
    return min(changes, key=lambda change: (change.moment, change.reason), default=None)


def output_valid_until(articles: Iterable[Article], selection: Selection, desk: Desk) -> datetime | None:
    """The first moment at which this output stops being what a clean build would give."""
    return min((change.moment for change in clock_events(articles, selection, desk)), default=None)
