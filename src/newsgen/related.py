"""'More on this': recaps chosen for an article whose editors listed no related links.

Ranked by shared tags, then same section, then recency; ties by URL, so the
choice is deterministic. Candidates are the newest few articles of each of
the article's tags and of its section, plus the newest on the site, which
keeps the cost per article constant however large the archive grows.
"""

from __future__ import annotations

from .models import Article, Site

MORE_ON_THIS = 4
CANDIDATES_PER_TERM = 12


class RelatedIndex:
    def __init__(self, site: Site) -> None:
        self._by_tag = {c.term.slug: c.articles[:CANDIDATES_PER_TERM] for c in site.tags}
        self._by_section = {c.term.slug: c.articles[:CANDIDATES_PER_TERM] for c in site.sections}
        self._newest = site.articles[: MORE_ON_THIS + 1]
        self._pool_keys: dict[int, tuple[str, ...]] = {}

    def _pools(self, article: Article) -> list[tuple[Article, ...]]:
        pools = [self._by_tag.get(tag.slug, ()) for tag in article.tags]
        if article.section:
            pools.append(self._by_section.get(article.section.slug, ()))
        pools.append(self._newest)
        return pools

    def inputs(self, article: Article) -> tuple[tuple[str, ...], ...]:
        """Everything `more_on_this(article)` reads besides the article: the fingerprints of its candidates.

        Cheap (pools are shared and their keys cached), so a page's key can
        include it without ranking candidates for pages that are not rendered.
        """
        keys = []
        for pool in self._pools(article):
            if id(pool) not in self._pool_keys:
                self._pool_keys[id(pool)] = tuple(candidate.fingerprint for candidate in pool)
            keys.append(self._pool_keys[id(pool)])
        return tuple(keys)

    def more_on_this(self, article: Article) -> tuple[Article, ...]:
        candidates: dict[str, Article] = {}
        for pool in self._pools(article):
            for candidate in pool:
                if candidate.url != article.url:
                    candidates[candidate.url] = candidate
        tags = {tag.slug for tag in article.tags}
        section = article.section.slug if article.section else None

        def rank(candidate: Article) -> tuple[int, int, float, str]:
            shared = len(tags.intersection(tag.slug for tag in candidate.tags))
            same_section = int(section is not None and candidate.section is not None and candidate.section.slug == section)
            return (-shared, -same_section, -candidate.date.timestamp(), candidate.url)

        return tuple(sorted(candidates.values(), key=rank)[:MORE_ON_THIS])
