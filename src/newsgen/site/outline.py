"""An article's outline: the article as the site's collections see it, without the words only its own page shows.

The index keeps one per article, so the quick way (`engine/plan/changes.py`)
can arrange the whole site again, before and after a change, with the very
functions the whole way uses (`collect.arrange_site`, `render/specs.py`),
without loading every article from the cache. An outline keeps what places
the article (dates, terms, corrections, links, old URLs, translations) and
leaves out its words and images (the index keeps the URLs of its images'
copies beside it). Equal terms are one object in a whole build's outlines, so
the index stores and loads each once.
"""

from __future__ import annotations

from dataclasses import replace

from newsgen.models import Article, Term


def outline(article: Article, terms: dict[Term, Term] | None = None) -> Article:
    """The article without what only its own page shows: never rendered, only arranged. With `terms`, its terms are
    the equal ones found there (added when new)."""

    def one(term: Term | None) -> Term | None:
        return term if term is None or terms is None else terms.setdefault(term, term)

    def each(found: tuple[Term, ...]) -> tuple[Term, ...]:
        return found if terms is None else tuple(terms.setdefault(term, term) for term in found)

    return replace(
        article,
        headline="",
        dek=None,
        body=b"",
        gated=None,
        comments=(),
        sources=(),
        claim=None,
        image=None,
        body_renditions=(),
        authors=each(article.authors),
        tags=each(article.tags),
        section=one(article.section),
        series=one(article.series),
        label=one(article.label),
    )
