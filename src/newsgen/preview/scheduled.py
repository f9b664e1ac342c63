"""The preview's page of scheduled stories (`/__newsgen__/scheduled`): what goes live by itself, and when.

Served by `newsgen serve` only, with the preview's Host and Origin checks, and never written to the build: the
times of embargoes are not for readers. It reloads with every rebuild, like the preview's pages.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from newsgen.dates import iso
from newsgen.engine.scheduled import ScheduledStory
from newsgen.errors import display_path

SCHEDULED_PATH = "/__newsgen__/scheduled"
_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;vertical-align:top;"
    "border-bottom:1px solid #ccc}code{font-size:.9em}.warning{color:#8a3b00}"
)


def scheduled_page(stories: Sequence[ScheduledStory]) -> bytes:
    """The list, soonest first, with each story's time as its date gives it, and a note on a date that looks
    like a slip."""
    rows = "\n".join(_row(story) for story in stories)
    table = (
        '<table><thead><tr><th scope="col">Goes live</th><th scope="col">Story</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody></table>"
        if stories
        else "<p>No story is scheduled: none has a date in the future.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Scheduled stories | newsgen preview</title><style>{_STYLE}</style></head>\n"
        f"<body><main><h1>Scheduled stories</h1>\n"
        "<p>A story dated in the future is embargoed: it goes live by itself at its date, with the next scheduled"
        " build (every 5 minutes in the publishing workflow). This list is the preview's only; it is never"
        " published.</p>\n"
        f"{table}\n</main></body></html>\n"
    ).encode()


def _row(story: ScheduledStory) -> str:
    note = f'<br><span class="warning">Check the date: {html.escape(story.warning)}</span>' if story.warning else ""
    return (
        f'<tr><td><time datetime="{iso(story.moment)}">{html.escape(iso(story.moment))}</time></td>'
        f"<td>{html.escape(story.headline)}<br><code>{html.escape(display_path(story.source))}</code>"
        f" → <code>{html.escape(story.url)}</code>{note}</td></tr>"
    )
