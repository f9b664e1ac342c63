"""Dates in every spelling Jekyll and Hugo accept, read as written.

Archives carry `2014-10-22 9:00`, `2015-1-12`, `2016-03-01 05:00:00 +0000`
and offsets like `-4` or `-0400`: Jekyll and Hugo publish them, so newsgen
must too. An offset that is written is kept as written (never converted to
another zone, so the URL's date parts are the date the editor wrote); no
offset means the site's timezone. Dates with named months, as Unix `date`
and Ruby wrote them (`Fri Sep  3 11:21:31 CEST 2021`) and as feeds do
(`Fri, 03 Sep 2021 11:21:31 +0200`), are read too; a zone abbreviation is
the offset zones.py gives it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from newsgen.read.zones import zone_offset

# The years a date may have. Python's datetimes end at years 1 and 9999, and a page shows a date moved to the
# site's timezone, a feed in UTC, and the news sitemap 48 hours on: a date within a day or two of either end
# can't be shown. No news story is dated before 1000 or after 9998, so these bounds leave room for all of that.
EARLIEST_YEAR = 1000
LATEST_YEAR = 9998

_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
_ZONE = r"(?P<offset>[Zz]|(?P<abbreviation>[A-Za-z]{2,5})|(?P<sign>[+-])(?P<off_hours>\d{1,2})(?::?(?P<off_minutes>\d{2}))?)"
_WEEKDAY = r"(?:(?P<weekday>[A-Za-z]{3,9}),?\s+)?"
_NAMED_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_FORMS = (
    # ISO 8601 and Jekyll's looser spellings: `2015-1-2 9:00`, `2016-03-01 05:00:00 +0000`, `... -4`, `... CEST`
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:(?:T|t|\s+)" + _TIME + r")?\s*" + _ZONE + "?"),
    # Unix `date` and Ruby's old `Time#to_s`: `Fri Sep  3 11:21:31 CEST 2021`, `... +0200 2021`
    re.compile(
        _WEEKDAY + _NAMED_MONTH + r"\s+(?P<day>\d{1,2})\s+" + _TIME + r"(?:\s+" + _ZONE + r")?\s+(?P<year>\d{4})"
    ),
    # RFC 2822, as feeds write dates: `Fri, 03 Sep 2021 11:21:31 +0200`
    re.compile(
        _WEEKDAY + r"(?P<day>\d{1,2})\s+" + _NAMED_MONTH + r"\s+(?P<year>\d{4})\s+" + _TIME + r"(?:\s+" + _ZONE + ")?"
    ),
)
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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


_DAY_ONLY = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{8}")


def names_a_day(value: str | date) -> bool:
    """Whether `value` gives a day with no time of day (`2026-12-08`): as an embargo it lifts at midnight, which is
    rarely what an editor who set it meant (a CMS date field left without its time, a date typed for a time)."""
    if isinstance(value, datetime):
        return False
    return isinstance(value, date) or bool(_DAY_ONLY.fullmatch(value.strip()))


def unknown_zone(text: str) -> str | None:
    """The time-zone abbreviation that keeps `text` from being a date (`XST` in `Fri Sep  3 11:21:31 XST 2021`), if one."""
    for form in _FORMS:
        match = form.fullmatch(text.strip())
        if match and match["abbreviation"] and zone_offset(match["abbreviation"]) is None:
            return match["abbreviation"]
    return None


def _from_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    part = next((match.groupdict() for form in _FORMS if (match := form.fullmatch(text))), None)
    if part is None or not _is_weekday(part.get("weekday")):
        return None
    try:
        return datetime(
            int(part["year"]),
            _month(part["month"]),
            int(part["day"]),
            int(part["hour"] or 0),
            int(part["minute"] or 0),
            int(part["second"] or 0),
            int((part["fraction"] or "0")[:6].ljust(6, "0")),
            tzinfo=_offset(part),
        )
    except ValueError:  # month 13, hour 25, an offset of a day or more, a name that is no month or zone
        return None


def _is_weekday(written: str | None) -> bool:
    """Whether a weekday, if written, is one; it is not checked against the date, as Ruby does not."""
    return written is None or any(written.lower() in (day, day[:3]) for day in _WEEKDAYS)


def _month(written: str) -> int:
    """A month by number or by English name (`Sep`, `Sept.`, `September`), as Ruby reads them."""
    if written.isdigit():
        return int(written)
    name = written.lower()
    for number, month in enumerate(_MONTHS, 1):
        if name == month or name == month[:3] or (name == "sept" and number == 9):
            return number
    raise ValueError(f"no month: {written}")


def _offset(part: dict[str, str | None]) -> tzinfo | None:
    if part["offset"] is None:
        return None
    if part["abbreviation"]:
        found = zone_offset(part["abbreviation"])
        if found is None:
            raise ValueError("unknown zone")
        return found
    if part["sign"] is None:  # Z
        return UTC
    hours, minutes = int(part["off_hours"] or 0), int(part["off_minutes"] or 0)
    if minutes > 59:
        raise ValueError("offset minutes")
    minutes += hours * 60
    return timezone(timedelta(minutes=-minutes if part["sign"] == "-" else minutes))
