"""An article's outline: the article as the site's collections see it, without the words only its own page shows.

The index keeps one per article, so the quick way (`engine/plan/changes.py`)
can arrange the whole site again, before and after a change, with the very
functions the whole way uses (`collect.arrange_site`, `render/specs.py`),
without loading every article from the cache. An outline keeps every field
`models.structure_digest` covers (where the article is listed, its links, its
images' copies) and leaves out its words: headline, dek, body, comments,
sources, claim, and the lead image's alt text, caption and credit.
"""

from __future__ import annotations

from dataclasses import replace

from newsgen.models import Article


def outline(article: Article) -> Article:
    """The article without what only its own page shows: never rendered, only arranged."""
    image = replace(article.image, alt="", caption=None, credit=None) if article.image else None
    return replace(
        article, headline="", dek=None, body=b"", gated=None, comments=(), sources=(), claim=None, image=image
    )
