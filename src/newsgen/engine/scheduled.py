"""The stories waiting for their time: dated in the future, so embargoed until then, for the preview's list.

A CMS can't publish on time by itself; newsgen can, because a future date is the embargo and the scheduled
workflow builds when it lifts. Editors need to see what is queued and when, with the dates that look like a
slip (`site/embargodates.py`) marked, without reading every file's front matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsgen.engine.context import BuildContext
from newsgen.engine.plan.load import load_site
from newsgen.engine.session import BuildSession
from newsgen.options import BuildOptions
from newsgen.site.clock import Selection, is_published
from newsgen.site.embargodates import unlikely_embargoes


@dataclass(frozen=True, order=True)
class ScheduledStory:
    moment: datetime  # when it goes live, as its date gives it (with its offset)
    headline: str
    source: Path
    url: str
    warning: str | None = None  # why the date may not be the embargo meant, when it looks like a slip


def scheduled_stories(options: BuildOptions, session: BuildSession) -> list[ScheduledStory]:
    """Every story not yet published only because its date is ahead of `options.now`, soonest first.

    Read through the session's article cache, so on a site just built this reads files and looks entries up;
    the caller makes sure no build uses the session meanwhile.
    """
    context = BuildContext(options, session)
    if not context.usable:
        return []
    try:
        loaded = load_site(context.source, context.config, session.articles, options.jobs)
    finally:
        session.articles.end_build()
    waiting = Selection(options.drafts, future=True, now=options.now)
    articles = [a for a in loaded.articles if a.date > options.now and is_published(a, waiting)]
    warnings = {problem.path: problem.message for problem in unlikely_embargoes(articles, waiting)}
    return sorted(ScheduledStory(a.date, a.headline, a.source, a.url, warnings.get(a.source)) for a in articles)
