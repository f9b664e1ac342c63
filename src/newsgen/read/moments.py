"""Dates in every spelling Jekyll and Hugo accept, read as written.

Archives carry `2014-10-22 9:00`, `2015-1-12`, `2016-03-01 05:00:00 +0000`
and offsets like `-4` or `-0400`: Jekyll and Hugo publish them, so newsgen
must too. An offset that is written is kept as written (never converted to
another zone, so the URL's date parts are the date the editor wrote); no
offset means the site's timezone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

# The years a date may have. Python's datetimes end at years 1 and 9999, and a page shows a date moved to the
# site's timezone, a feed in UTC, and the news sitemap 48 hours on: a date within a day or two of either end
# can't be shown. No news story is dated before 1000 or after 9998, so these bounds leave room for all of that.
EARLIEST_YEAR = 1000
LATEST_YEAR = 9998

_MOMENT = re.compile(
    r"""
    (?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})
    (?:(?:T|t|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?)?
    \s*(?P<offset>[Zz]|UTC|GMT|(?P<sign>[+-])(?P<off_hours>\d{1,2})(?::?(?P<off_minutes>\d{2}))?)?
    """,
    re.VERBOSE,
)


def parse_moment(value: str | date, zone: tzinfo) -> datetime | None:
    """The moment `value` names, or None when it is not a date.

    Strings in ISO 8601 or the looser forms above; `date` and `datetime`
    objects as TOML front matter gives them. A date alone is midnight.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        found = _from_text(value.strip())
        if found is None:
            return None
        moment = found
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _from_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _MOMENT.fullmatch(text)
    if match is None:
        return None
    part = match.groupdict()
    try:
        return datetime(
            int(part["year"]),
            int(part["month"]),
            int(part["day"]),
            int(part["hour"] or 0),
            int(part["minute"] or 0),
            int(part["second"] or 0),
            int((part["fraction"] or "0")[:6].ljust(6, "0")),
            tzinfo=_offset(part),
        )
    except ValueError:  # month 13, hour 25, an offset of a day or more
        return None


def _offset(part: dict[str, str | None]) -> tzinfo | None:
    if part["offset"] is None:
        return None
    if part["sign"] is None:  # Z, UTC, GMT
        return UTC
    hours, minutes = int(part["off_hours"] or 0), int(part["off_minutes"] or 0)
    if minutes > 59:
        raise ValueError("offset minutes")
    minutes += hours * 60
    return timezone(timedelta(minutes=-minutes if part["sign"] == "-" else minutes))
