"""Who may read an article, and where it first ran: a paywall (`access`, `gate`) and a syndicated copy (`canonical`)."""

from __future__ import annotations

import re
from typing import Any

from newsgen.body.gate import paragraph_end
from newsgen.read.fields import Reporter, did_you_mean, read_int, read_text, read_url

ACCESS = ("free", "subscribers")
_ABSOLUTE = re.compile(r"^https?://[^/\s?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def split_body(r: Reporter, data: dict[str, Any], html: str, more: int | None) -> tuple[str, str | None]:
    """The free lead of a sanitised body and its subscribers-only rest (None when the article is free to read).

    The lead ends after `gate: N` paragraphs, else at `<!-- more -->` (`more`,
    its place in `html`), else after the first paragraph, with a warning: a
    paywall the editor did not place should show too little rather than too much.
    """
    access = read_text(r, ("access",), data.get("access")) or "free"
    if access not in ACCESS:
        r.error(("access",), f"must be free or subscribers, not {access!r}{did_you_mean(access, ACCESS)}")
        access = "free"
    given = data.get("gate")
    count = read_int(r, ("gate",), given, 1, minimum=1) if given is not None and given != "" else None
    if access == "free":
        if count is not None:
            r.warning(("gate",), "only a paywalled article has a gate: add access: subscribers", "paywall")
        return html, None
    where = ("gate",) if count else ("access",)
    if count:
        at = paragraph_end(html, count)
        if more is not None:
            r.warning(("gate",), "the body has <!-- more --> too; gate: decides where the free part ends", "paywall")
    elif more is not None:
        at = more
    else:
        message = (
            "no gate: only the first paragraph is free to read; put <!-- more --> on a line of its own where the"
            " free part ends, or give gate: N (free paragraphs)"
        )
        r.warning(("access",), message, "paywall")
        at = paragraph_end(html, 1) or 0
        return html[:at], html[at:]
    at = len(html) if at is None else at
    if not html[at:].strip():
        r.warning(where, "nothing follows the gate: the whole story is free to read", "paywall")
    return html[:at], html[at:]


def read_canonical(r: Reporter, value: Any) -> str | None:
    """Where a syndicated copy first ran: an absolute http(s) URL, which the page names as its canonical one."""
    url = read_url(r, ("canonical",), value)
    if url is not None and not _ABSOLUTE.match(url):
        r.error(("canonical",), f"must be the original's absolute http(s) URL (https://…), not {url!r}", "url-scheme")
        return None
    return url
