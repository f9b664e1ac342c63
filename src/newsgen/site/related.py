"""'More on this': recaps chosen for an article whose editors listed no related links.

Ranked by shared tags, then same section, then recency; ties by URL, so the
choice is deterministic. Candidates come from named pools: the newest few
articles of each tag and section, which keeps the cost per article constant
however large the archive grows. The choice is made when a build plans its
pages (`render/specs.py`), so a page names the articles it shows and changes
only when its choice does. The site's newest stories are no candidates: they
are the "Latest news" rail's.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsgen.models import Article, Site

MORE_ON_THIS = 4
CANDIDATES_PER_TERM = 12
_TAG, _SECTION = "related:tag:", "related:section:"  # pool names


def pools(site: Site) -> dict[str, tuple[Article, ...]]:
    """Every candidate pool of the site, by name."""
    found = {_TAG + c.term.slug: c.articles[:CANDIDATES_PER_TERM] for c in site.tags}
    found.update({_SECTION + c.term.slug: c.articles[:CANDIDATES_PER_TERM] for c in site.sections})
    return found


def pool_names(article: Article) -> tuple[str, ...]:
    """The pools `more_on_this(article, ...)` draws from, in order."""
    names = [_TAG + tag.slug for tag in article.tags]
    if article.section:
        names.append(_SECTION + article.section.slug)
    return tuple(dict.fromkeys(names))


def more_on_this(article: Article, candidate_pools: Sequence[Sequence[Article]]) -> tuple[Article, ...]:
    section = article.section.slug if article.section else None
    return _choose(article.url, article.tag_slugs, section, candidate_pools)


def more_on_this_for(
    url: str, names: Sequence[str], candidate_pools: Sequence[Sequence[Article]]
) -> tuple[Article, ...]:
    """The choice for the article at `url` whose `pool_names` are `names`: its tags and section are in them, so the
    quick way can choose again without loading the article."""
    tags = frozenset(name.removeprefix(_TAG) for name in names if name.startswith(_TAG))
    sections = [name.removeprefix(_SECTION) for name in names if name.startswith(_SECTION)]
    return _choose(url, tags, sections[0] if sections else None, candidate_pools)


def _choose(
    url: str, tags: frozenset[str], section: str | None, candidate_pools: Sequence[Sequence[Article]]
) -> tuple[Article, ...]:
    candidates: dict[str, Article] = {}
    for pool in candidate_pools:
        for candidate in pool:
            if candidate.url != url:
                candidates[candidate.url] = candidate

    def rank(candidate: Article) -> tuple[int, int, float, str]:
        shared = len(tags & candidate.tag_slugs)
        same_section = int(section is not None and candidate.section is not None and candidate.section.slug == section)
        return (-shared, -same_section, -candidate.date.timestamp(), candidate.url)

    return tuple(sorted(candidates.values(), key=rank)[:MORE_ON_THIS])
