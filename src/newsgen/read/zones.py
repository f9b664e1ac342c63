"""Time-zone abbreviations in dates, as Jekyll reads them (Ruby's `Time.parse`): `Fri Sep  3 11:21:31 CEST 2021`.

An abbreviation stands for a fixed offset, not a zone with rules: `CEST` is
+02:00 whatever the date. A few name more than one zone (`CST` is also
China's, `IST` Ireland's and Israel's, `BST` Bangladesh's); those take the
meaning Ruby gives them, so a post keeps the date, and so the URL, that
Jekyll published it at. Any other abbreviation is an error naming it:
guessing could move a post by hours, to another day.
"""

from __future__ import annotations

from datetime import timedelta, timezone, tzinfo

# Abbreviation (upper case) -> offset from UTC in minutes.
_OFFSETS = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "WEST": 60,
    "BST": 60,  # British Summer Time, as Ruby reads it
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "IST": 330,  # India, as Ruby reads it
    "HKT": 480,
    "SGT": 480,
    "AWST": 480,
    "JST": 540,
    "KST": 540,
    "ACST": 570,
    "ACDT": 630,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "EST": -300,
    "EDT": -240,
    "CST": -360,  # North American Central, as Ruby reads it
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
}


def zone_offset(abbreviation: str) -> tzinfo | None:
    """The fixed offset an abbreviation stands for (in any case), or None when newsgen does not know it."""
    minutes = _OFFSETS.get(abbreviation.upper())
    return None if minutes is None else timezone(timedelta(minutes=minutes))
