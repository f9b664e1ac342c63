"""`cms:` in newsgen.yaml: whether the build publishes a CMS at `/admin/`, and how.

`cms: decap` turns it on with the defaults; the mapping form
`{decap: {...}, script: URL, integrity: SRI}` changes them. `decap` is merged
(deep) over the generated config.yml; `script` and `integrity` name the
Decap bundle the page loads, for a site that serves its own copy.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsgen.read.fields import Reporter, read_mapping, read_text, read_url

DECAP_VERSION = "3.16.3"
DECAP_SCRIPT = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
# The SRI hash of dist/decap-cms.js in the npm tarball of decap-cms 3.16.3, the file unpkg serves, computed with
#   npm pack decap-cms@3.16.3 && tar xzf decap-cms-3.16.3.tgz
#   echo "sha384-$(openssl dgst -sha384 -binary package/dist/decap-cms.js | openssl base64 -A)"
# A new release is a new pin: change DECAP_VERSION and this hash together.
DECAP_INTEGRITY = "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p"
CMS_KEYS = ("decap", "script", "integrity")
CMS_NAMES = ("decap",)
_SRI = re.compile(r"^sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}$")
_SCRIPT = re.compile(r"^(?:https://[^/\s]+/\S*|/\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class CmsSettings:
    """The CMS a build publishes; the defaults load the pinned Decap release from unpkg with its hash."""

    decap: Mapping[str, Any] = field(default_factory=dict)  # merged (deep) over the generated config.yml
    script: str = DECAP_SCRIPT
    integrity: str | None = DECAP_INTEGRITY  # None: the script is loaded without one (`integrity: false`)


def read_cms(r: Reporter, value: Any) -> CmsSettings | None:
    """`cms:`: absent, null or false is no CMS; `decap` the defaults; a mapping changes them."""
    if value is None or value is False:
        return None
    if isinstance(value, str):
        if value not in CMS_NAMES:
            r.error(("cms",), f"must be decap or a mapping such as {{decap: {{...}}}}, not {value!r}")
            return None
        return CmsSettings()
    given = read_mapping(r, ("cms",), value)
    if given is None:
        return None
    r.unknown_keys(given, ("cms",), CMS_KEYS, as_error=True)
    decap = read_mapping(r, ("cms", "decap"), given.get("decap")) or {}
    for key in decap:
        if not isinstance(key, str):
            r.error(("cms", "decap", key), "keys of Decap's config are text")
            return None
    return CmsSettings(decap, _read_script(r, given.get("script")), _read_integrity(r, given.get("integrity")))


def _read_script(r: Reporter, value: Any) -> str:
    keypath: tuple[Hashable, ...] = ("cms", "script")
    script = read_url(r, keypath, value)
    if script is None:
        return DECAP_SCRIPT
    if not _SCRIPT.match(script):
        r.error(keypath, f"must be an https:// URL or a path on this site (/admin/decap-cms.js), not {script!r}")
        return DECAP_SCRIPT
    return script


def _read_integrity(r: Reporter, value: Any) -> str | None:
    """The script's SRI hash; `false` loads it without one (a copy the site builds itself)."""
    if value is False:
        return None
    written = read_text(r, ("cms", "integrity"), value, verbatim=True)
    if written is None:
        return DECAP_INTEGRITY
    if not _SRI.match(written):
        r.error(("cms", "integrity"), f"must be a hash such as sha384-…, or false, not {written!r}")
        return DECAP_INTEGRITY
    return written
