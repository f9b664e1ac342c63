from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsgen.config import SiteConfig
from newsgen.models import Article, ListPage, Term
from newsgen.site.clock import Selection, is_published
from newsgen.site.collect import collect_site

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def make_article(slug: str, days_ago: float, **fields: object) -> Article:
    date = NOW - timedelta(days=days_ago)
    values: dict[str, object] = dict(
        source=Path(f"content/{slug}.md"),
        url_line=2,
        headline=slug.title(),
        dek=None,
        date=date,
        updated=None,
        authors=(),
        section=None,
        tags=(),
        series=None,
        slug=slug,
        url=f"/{slug}/",
        draft=False,
        image=None,
        sources=(),
        related=(),
        comments=(),
        comments_closed=False,
        body=b"",
        assets=(),
    )
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def collect(articles: list[Article], pagination: str = "stable", **selection: bool):  # type: ignore[no-untyped-def]
    options = {"drafts": False, "future": False, **selection}
    config = SiteConfig(per_page=2, pagination=pagination)
    return collect_site(articles, [], config, Path("newsgen.yaml"), Selection(now=NOW, **options))


def test_drafts_and_embargoed_articles_are_left_out_unless_asked() -> None:
    draft, future = make_article("d", 1, draft=True), make_article("f", -1)
    assert not is_published(draft, Selection(False, False, NOW))
    assert is_published(draft, Selection(True, False, NOW))
    assert not is_published(future, Selection(False, False, NOW))
    assert is_published(future, Selection(False, True, NOW))
    assert is_published(make_article("now", 0), Selection(False, False, NOW))


def test_newest_first_with_url_tie_break_and_classic_pagination() -> None:
    articles = [make_article("b", 1), make_article("a", 1), make_article("c", 2), make_article("z", 3)]
    site, problems = collect(articles, pagination="classic")
    assert problems == []
    assert [a.slug for a in site.articles] == ["a", "b", "c", "z"]
    home = [page for page in site.list_pages if page.kind == "home"]
    assert [page.url for page in home] == ["/", "/page/2/"]
    assert [a.slug for a in home[1].articles] == ["c", "z"]
    assert home[0].next_url == "/page/2/" and home[1].previous_url == "/"
    assert [(page.number, page.count) for page in home] == [(1, 2), (2, 2)]


def test_stable_pages_count_from_the_oldest_and_the_front_page_shows_the_newest() -> None:
    site, _ = collect([make_article(slug, days) for days, slug in enumerate("abcde", start=1)])
    home = {page.url: page for page in site.list_pages if page.kind == "home"}
    assert {url: [a.slug for a in page.articles] for url, page in home.items()} == {
        "/": ["a", "b"],
        "/page/2/": ["b", "c"],  # the newest older page may repeat the front page's oldest
        "/page/1/": ["d", "e"],
    }
    assert (home["/"].next_url, home["/page/2/"].previous_url, home["/page/2/"].next_url) == (
        "/page/2/",
        "/",
        "/page/1/",
    )
    assert (home["/page/1/"].previous_url, home["/page/1/"].next_url) == ("/page/2/", None)
    assert all(page.count is None for page in home.values()) and [p.first for p in home.values()] == [
        True,
        False,
        False,
    ]


def test_a_new_story_changes_the_front_page_and_at_most_two_stable_pages() -> None:
    archive: list[Article] = []
    before: dict[str, ListPage] = {}
    for number in range(1, 30):
        archive.append(make_article(f"s{number:02d}", 100 - number))  # each newer than the last
        site, _ = collect(archive)
        after = {page.url: page for page in site.list_pages if page.kind == "home"}
        changed = {url for url, page in after.items() if url != "/" and before.get(url) != page}
        added = set(after) - set(before)
        linking_to_it = {url for url, page in after.items() if page.previous_url in added}
        assert len(added) <= 1 and changed <= added | linking_to_it, (number, sorted(changed))
        assert all(len(page.articles) == 2 for url, page in after.items() if url != "/")
        before = after


def test_terms_group_by_slug_and_take_the_most_used_spelling() -> None:
    def tag(name: str) -> Term:
        return Term(name, "harbor-bridge", "/tags/harbor-bridge/")

    site, _ = collect(
        [
            make_article("a", 1, tags=(tag("Harbor Bridge"),)),
            make_article("b", 2, tags=(tag("Harbor Bridge"),)),
            make_article("c", 3, tags=(tag("harbor bridge"),)),
        ]
    )
    assert len(site.tags) == 1
    assert site.tags[0].term.name == "Harbor Bridge" and len(site.tags[0].articles) == 3


def test_series_navigation_runs_oldest_to_newest() -> None:
    series = Term("Council Week", "council-week", "/series/council-week/")
    site, _ = collect([make_article(s, d, series=series) for s, d in (("one", 3), ("two", 2), ("three", 1))])
    nav = site.series_nav["/two/"]
    assert (nav.previous.slug, nav.next.slug, nav.position, nav.total) == ("one", "three", 2, 3)
    assert site.series_nav["/one/"].previous is None


def test_two_pages_on_one_url_name_both_files() -> None:
    section = Term("Tags", "tags", "/tags/")
    _, problems = collect([make_article("a", 1, url="/same/"), make_article("b", 2, url="/same/", section=section)])
    messages = sorted(f"{p.path}:{p.field}: {p.message}" for p in problems)
    assert any("content/a.md" in m and "/same/" in m for m in messages)
    assert any(m.startswith("content/b.md:section") and "tags index" in m for m in messages)
