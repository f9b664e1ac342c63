"""Which way a language's text runs, from its BCP 47 tag: `<html dir>` for right-to-left sites."""

from __future__ import annotations

import re

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # 'en', 'es-MX', 'az-Arab': what `lang` accepts

# Languages written right to left by default (ISO 639 codes), and scripts that are (ISO 15924).
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "khw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
)
_RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "nkoo", "rohg", "syrc", "thaa"})


def text_direction(language: str) -> str:
    """ "rtl" or "ltr": a script subtag decides (`az-Arab`, `ku-Latn`), else the language's usual script."""
    primary, *rest = language.lower().replace("_", "-").split("-")
    scripts = [part for part in rest if len(part) == 4 and part.isalpha()]
    if scripts:
        return "rtl" if scripts[0] in _RTL_SCRIPTS else "ltr"
    return "rtl" if primary in _RTL_LANGUAGES else "ltr"
