"""Dates as readers see them, in the site's language and independent of the machine's locale.

English keeps the newsroom style it always had ("7:02 p.m."); every other
language is written as CLDR's data for it says (Babel), "lunes, 23 de
noviembre de 2026" in `es-MX`. Machine formats (`iso`) never change.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

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


def long_date(moment: datetime, zone: tzinfo, language: str = "en") -> str:
    """'Thursday, January 16, 2025' in the site's timezone."""
    local = moment.astimezone(zone)
    locale = _locale(language)
    if locale is None:
        return f"{_WEEKDAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}, {local.year}"
    from babel.dates import format_date

    return format_date(local, "full", locale=locale)


def short_date(moment: datetime, zone: tzinfo, language: str = "en") -> str:
    """'January 16, 2025'."""
    local = moment.astimezone(zone)
    locale = _locale(language)
    if locale is None:
        return f"{_MONTHS[local.month - 1]} {local.day}, {local.year}"
    from babel.dates import format_date

    return format_date(local, "long", locale=locale)


def date_time(moment: datetime, zone: tzinfo, language: str = "en") -> str:
    """'January 16, 2025 at 7:02 p.m.'."""
    local = moment.astimezone(zone)
    locale = _locale(language)
    if locale is None:
        hour = local.hour % 12 or 12
        meridiem = "a.m." if local.hour < 12 else "p.m."
        return f"{short_date(local, zone)} at {hour}:{local.minute:02d} {meridiem}"
    from babel.dates import format_date, format_time, get_datetime_format

    pattern = str(get_datetime_format("long", locale=locale))  # "{1}, {0}": where the date and time go
    return pattern.replace("{1}", format_date(local, "long", locale=locale)).replace(
        "{0}", format_time(local, "short", locale=locale)
    )


@cache
def _locale(language: str) -> Locale | None:
    """CLDR's data for `language`; None for English (its own style) or a language CLDR does not know."""
    if language.lower().split("-")[0] == "en":
        return None
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def iso(moment: datetime) -> str:
    """For `<time datetime>`: the moment with its offset, to the second."""
    return moment.isoformat(timespec="seconds")
