"""Future dates that look like no embargo anyone meant, which `newsgen check` warns of.

A future date *is* the embargo, so a slip keeps a story off the site without a word: a mistyped year, or a date
with no time of day (a CMS date field left without its time), which lifts at midnight.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from newsgen.dates import iso
from newsgen.errors import Problem, Severity
from newsgen.models import Article
from newsgen.site.clock import Selection

FAR_AHEAD = timedelta(days=366)  # an embargo further off than this is more likely a mistyped year


def unlikely_embargoes(articles: Iterable[Article], selection: Selection) -> list[Problem]:
    """A warning for each story whose future date is more than a year ahead, or a day with no time of day; drafts
    are left alone, as they wait anyway."""
    found = []
    for article in articles:
        if article.date <= selection.now or (article.draft and not selection.drafts):
            continue
        if article.date - selection.now > FAR_AHEAD:
            message = f"{iso(article.date)} is more than a year ahead, so the story stays unpublished until then"
            message += "; is the year right?"
        elif article.date_is_day:
            day = article.date.date().isoformat()
            message = (
                f"{day} has no time of day, so the story is embargoed until midnight ({iso(article.date)});"
                f" give the time it should go live, like {iso(article.date.replace(hour=6))}"
            )
        else:
            continue
        found.append(Problem(article.source, article.date_line, "date", message, Severity.WARNING, "unlikely-embargo"))
    return found
