"""'More on this': recaps chosen for an article whose editors listed no related links.

The candidates are the stories closest in time in each of the article's tags
and its section: up to NEIGHBOURS before it and NEIGHBOURS after it in each.
They are ranked by shared tags, then same section, then closeness in time;
ties by URL, so the choice is deterministic. An old story thus points to the
coverage around it (what led up to it, what came next), a recent one to the
latest, and the cost per article stays constant however large the archive.

It also bounds what a new story changes: it enters the boxes of only the
NEIGHBOURS newest stories of each of its tags and its section, whose
candidates it joins and none leave (`engine/plan/additions.py` relies on it). The
choice is made when a build plans its pages (`render/specs.py`), so a page
names the articles it shows and changes only when its choice does.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgen.models import Article, Collection, Site

MORE_ON_THIS = 4
NEIGHBOURS = 6  # candidates on each side in time, in each tag and the section
_TAG, _SECTION = "related:tag:", "related:section:"  # pool names


def choices(site: Site) -> dict[str, tuple[Article, ...]]:
    """Every article's "More on this" (none for one with editors' related links), by URL."""
    lists = {_TAG + c.term.url: c for c in site.tags} | {_SECTION + c.term.url: c for c in site.sections}
    positions = {name: {article.url: index for index, article in enumerate(c.articles)} for name, c in lists.items()}
    chosen = {}
    for article in site.articles:
        if not article.related:
            windows = [_window(lists[name], positions[name][article.url]) for name in pool_names(article)]
            chosen[article.url] = more_on_this(article, windows)
    return chosen


def _window(collection: Collection, index: int) -> Sequence[Article]:
    """The NEIGHBOURS stories before and after the one at `index` (the list is newest first)."""
    return collection.articles[max(0, index - NEIGHBOURS) : index + NEIGHBOURS + 1]


def pools(site: Site) -> dict[str, tuple[Article, ...]]:
    """The NEIGHBOURS newest stories of each tag and section, by pool name: a new story joins their boxes' candidates."""
    found = {_TAG + c.term.url: c.articles[:NEIGHBOURS] for c in site.tags}
    found.update({_SECTION + c.term.url: c.articles[:NEIGHBOURS] for c in site.sections})
    return found


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
