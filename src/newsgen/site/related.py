"""'More on this': recaps chosen for an article whose editors listed no related links.

The candidates are the stories closest in time in each of the article's tags
and its section: up to NEIGHBOURS before it and NEIGHBOURS after it in each.
They are ranked by shared tags, then same section, then closeness in time;
ties by URL, so the choice is deterministic. An old story thus points to the
coverage around it (what led up to it, what came next), a recent one to the
latest, and the cost per article stays constant however large the archive.

It also bounds what a change to one story changes: only the boxes of the
stories within NEIGHBOURS of it in its tags and section (`neighbours`, which
the quick way, `engine/plan/changes.py`, asks before and after a change). The
choice is made when a build plans its pages (`render/specs.py`), so a page
names the articles it shows and changes only when its choice does.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from newsgen.models import Article, Collection, Site
from newsgen.read.article import sort_key

MORE_ON_THIS = 4
NEIGHBOURS = 6  # candidates on each side in time, in each tag and the section
_TAG, _SECTION = "related:tag:", "related:section:"  # pool names


def choices(site: Site, among: Iterable[Article] | None = None) -> dict[str, tuple[Article, ...]]:
    """The "More on this" of every article (or of those `among` them), by URL; none for one with editors' links."""
    lists = _pools(site)
    positions: dict[str, dict[str, int]] = {}
    chosen = {}
    for article in site.articles if among is None else among:
        if not article.related:
            windows = []
            for name in pool_names(article):
                if name not in positions:
                    positions[name] = {member.url: index for index, member in enumerate(lists[name].articles)}
                windows.append(_window(lists[name], positions[name][article.url]))
            chosen[article.url] = more_on_this(article, windows)
    return chosen


def neighbours(site: Site, article: Article, margin: int = 1) -> set[str]:
    """The URLs of the articles whose "More on this" may change when `article` joins, leaves or changes its place in
    the site: those within NEIGHBOURS (and `margin`, for the windows' shift) of where it stands, or stood, in each of
    its tags and its section in `site`."""
    found: set[str] = set()
    lists = _pools(site)
    for name in pool_names(article):
        collection = lists.get(name)
        if collection is not None:
            at = bisect.bisect_left(collection.articles, sort_key(article), key=sort_key)
            reach = NEIGHBOURS + margin
            found.update(member.url for member in collection.articles[max(0, at - reach) : at + reach + 1])
    return found


def _pools(site: Site) -> dict[str, Collection]:
    """Every tag and section, by the pool name its stories' candidates come from (`pool_names`)."""
    return {_TAG + c.term.url: c for c in site.tags} | {_SECTION + c.term.url: c for c in site.sections}


def _window(collection: Collection, index: int) -> Sequence[Article]:
    """The NEIGHBOURS stories before and after the one at `index` (the list is newest first)."""
    return collection.articles[max(0, index - NEIGHBOURS) : index + NEIGHBOURS + 1]


def pool_names(article: Article) -> tuple[str, ...]:
    """The pools of the article's tags and section, in order."""
    names = [_TAG + tag.url for tag in article.tags]  # by URL: each edition has its own tags and sections
    if article.section:
        names.append(_SECTION + article.section.url)
    return tuple(dict.fromkeys(names))


def more_on_this(article: Article, candidate_pools: Sequence[Sequence[Article]]) -> tuple[Article, ...]:
    """The best MORE_ON_THIS of the candidates (the article itself aside)."""
    candidates: dict[str, Article] = {}
    for pool in candidate_pools:
        for candidate in pool:
            if candidate.url != article.url:
                candidates[candidate.url] = candidate
    tags = article.tag_slugs
    section = article.section.slug if article.section else None
    moment = article.date.timestamp()

    def rank(candidate: Article) -> tuple[int, int, float, str]:
        shared = len(tags & candidate.tag_slugs)
        same_section = int(section is not None and candidate.section is not None and candidate.section.slug == section)
        return (-shared, -same_section, abs(candidate.date.timestamp() - moment), candidate.url)

    return tuple(sorted(candidates.values(), key=rank)[:MORE_ON_THIS])
