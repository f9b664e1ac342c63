"""Which way a language's text runs, from its BCP 47 tag: `<html dir>` for right-to-left sites."""

from __future__ import annotations

import re

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # 'en', 'es-MX', 'az-Arab': what `lang` accepts
# A language as folders and file names write it too: Jekyll sites keep Taiwanese Mandarin in `zh_tw/`.
LANGUAGE_NAME = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")

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


def language_key(tag: str) -> str:
    """How two spellings of a language are matched: `es_MX`, `es-mx` and `es-MX` are one language."""
    return tag.replace("_", "-").lower()


def language_tag(name: str) -> str:
    """`zh_tw` as BCP 47 writes it for `lang` and `hreflang`: `zh-TW`; a script subtag in title case (`sr-Latn`)."""
    primary, *rest = language_key(name).split("-")
    parts = [primary]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(parts)
