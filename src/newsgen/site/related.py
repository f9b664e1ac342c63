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


def pools(site: Site) -> dict[str, tuple[Article, ...]]:
    """Every candidate pool of the site, by name."""
    found = {f"related:tag:{c.term.slug}": c.articles[:CANDIDATES_PER_TERM] for c in site.tags}
    found.update({f"related:section:{c.term.slug}": c.articles[:CANDIDATES_PER_TERM] for c in site.sections})
    return found


def pool_names(article: Article) -> tuple[str, ...]:
    """The pools `more_on_this(article, ...)` draws from, in order."""
    names = [f"related:tag:{tag.slug}" for tag in article.tags]
    if article.section:
        names.append(f"related:section:{article.section.slug}")
    return tuple(dict.fromkeys(names))


def more_on_this(article: Article, candidate_pools: Sequence[Sequence[Article]]) -> tuple[Article, ...]:
    candidates: dict[str, Article] = {}
    for pool in candidate_pools:
        for candidate in pool:
            if candidate.url != article.url:
                candidates[candidate.url] = candidate
    tags = article.tag_slugs
    section = article.section.slug if article.section else None

    def rank(candidate: Article) -> tuple[int, int, float, str]:
        shared = len(tags & candidate.tag_slugs)
        same_section = int(section is not None and candidate.section is not None and candidate.section.slug == section)
        return (-shared, -same_section, -candidate.date.timestamp(), candidate.url)

    return tuple(sorted(candidates.values(), key=rank)[:MORE_ON_THIS])
