"""A digest of newsgen's own source, so that nothing made by one version of newsgen is reused by another."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).parent


@functools.cache
def code_version() -> bytes:
    """Every .py and .js file of the package (scripts pages carry, such as the CMS page's), in every subpackage: a
    changed newsgen never reuses old results, even in a checkout.

    Computed once per process: it describes the code this process runs.
    """
    digest = hashlib.sha256(b"newsgen-code-1")
    for path in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.js")]):
        digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.digest()
