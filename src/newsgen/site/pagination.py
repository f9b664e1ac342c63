"""Splitting a recap list (newest first) into pages, in one of two schemes.

- `stable` (the default): the list's own URL shows its newest `per_page`
  stories; every older page is a fixed slice counted from the oldest story:
  `/page/1/` holds the oldest `per_page`, `/page/2/` the next, and so on.
  A new story changes the list's own page and, once every `per_page`
  stories, adds one page and the link to it; the other pages keep their
  bytes, so a build, a deploy and a CDN purge stay as small as the news.
  The newest slice is only ever shown on the list's own page (it holds at
  most `per_page` stories, all among the newest), so the first older page
  may repeat some of the stories above it. Pages carry no "of N" count:
  it would change every page.
- `classic`: pages counted from the newest, `/page/2/` holding the 11th to
  20th newest story (with `per_page: 10`), as most generators do; every page
  shifts when a story is added.
"""

from __future__ import annotations

from datetime import tzinfo

from newsgen import numbers
from newsgen.dates import short_date
from newsgen.models import Article, ListPage, Term
from newsgen.translate import Words
from newsgen.urls import page_url


def paginate(
    kind: str, title: str, url: str, term: Term | None, articles: tuple[Article, ...], per_page: int, scheme: str
) -> list[ListPage]:
    """The pages of one list, its own URL first."""
    if scheme == "classic":
        return _classic(kind, title, url, term, articles, per_page)
    return _stable(kind, title, url, term, articles, per_page)


def _classic(
    kind: str, title: str, url: str, term: Term | None, articles: tuple[Article, ...], per_page: int
) -> list[ListPage]:
    count = max(1, -(-len(articles) // per_page))
    return [
        ListPage(
            kind=kind,
            title=title,
            url=page_url(url, number),
            term=term,
            articles=articles[(number - 1) * per_page : number * per_page],
            number=number,
            count=count,
            previous_url=page_url(url, number - 1) if number > 1 else None,
            next_url=page_url(url, number + 1) if number < count else None,
            first=number == 1,
        )
        for number in range(1, count + 1)
    ]


def _stable(
    kind: str, title: str, url: str, term: Term | None, articles: tuple[Article, ...], per_page: int
) -> list[ListPage]:
    total = len(articles)
    older = max(0, -(-total // per_page) - 1)  # every slice counted from the oldest but the newest one

    pages = [
        ListPage(
            kind=kind,
            title=title,
            url=url,
            term=term,
            articles=articles[:per_page],
            number=1,
            count=None,
            previous_url=None,
            next_url=older_page_url(url, older) if older else None,
        )
    ]
    for number in range(older, 0, -1):
        pages.append(
            ListPage(
                kind=kind,
                title=title,
                url=older_page_url(url, number),
                term=term,
                articles=articles[total - number * per_page : total - (number - 1) * per_page],
                number=number,
                count=None,
                previous_url=older_page_url(url, number + 1) if number < older else url,
                next_url=older_page_url(url, number - 1) if number > 1 else None,
                first=False,
            )
        )
    return pages


def older_page_url(list_url: str, number: int) -> str:
    """A stable list's older page `number`, counted from the oldest."""
    return f"{list_url}page/{number}/"


def page_place(page: ListPage, zone: tzinfo, words: Words) -> str:
    """Where a page stands, for readers: "Page 2 of 5", or the dates a stable page spans (its number counts from
    the oldest, which would puzzle readers)."""
    if page.count is not None:
        number, count = (numbers.count(value, words.language) for value in (page.number, page.count))
        return words.gettext("Page %(number)s of %(count)s", number=number, count=count)
    oldest, newest = (
        short_date(article.date, zone, words.language) for article in (page.articles[-1], page.articles[0])
    )
    if oldest == newest:
        return words.gettext("Stories from %(date)s", date=oldest)
    return words.gettext("Stories from %(oldest)s to %(newest)s", oldest=oldest, newest=newest)
