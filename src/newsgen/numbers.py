"""Counts as readers see them, in the page's language: '1,234 stories' in English, '12.345 noticias' in Spanish.

CLDR's grouping for the language (Babel), independent of the machine's locale;
a language CLDR does not know is written as English writes it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale


def count(number: int, language: str = "en") -> str:
    from babel.numbers import format_decimal

    return format_decimal(number, locale=_locale(language))


@cache
def _locale(language: str) -> Locale:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")
