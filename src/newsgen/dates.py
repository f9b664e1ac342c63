"""Dates as readers see them, in English and independent of the machine's locale."""

from __future__ import annotations

from datetime import datetime, tzinfo

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(moment: datetime, zone: tzinfo) -> str:
    """'Thursday, January 16, 2025' in the site's timezone."""
    local = moment.astimezone(zone)
    return f"{_WEEKDAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}, {local.year}"


def short_date(moment: datetime, zone: tzinfo) -> str:
    """'January 16, 2025'."""
    local = moment.astimezone(zone)
    return f"{_MONTHS[local.month - 1]} {local.day}, {local.year}"


def date_time(moment: datetime, zone: tzinfo) -> str:
    """'January 16, 2025 at 7:02 p.m.'."""
    local = moment.astimezone(zone)
    hour = local.hour % 12 or 12
    meridiem = "a.m." if local.hour < 12 else "p.m."
    return f"{short_date(local, zone)} at {hour}:{local.minute:02d} {meridiem}"


def iso(moment: datetime) -> str:
    """For `<time datetime>`: the moment with its offset, to the second."""
    return moment.isoformat(timespec="seconds")
