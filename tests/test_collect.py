from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsgen.config import SiteConfig
from newsgen.models import Article, Term
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


def collect(articles: list[Article], **selection: bool):  # type: ignore[no-untyped-def]
    options = {"drafts": False, "future": False, **selection}
    return collect_site(articles, [], SiteConfig(per_page=2), Path("newsgen.yaml"), Selection(now=NOW, **options))


def test_drafts_and_embargoed_articles_are_left_out_unless_asked() -> None:
    draft, future = make_article("d", 1, draft=True), make_article("f", -1)
    assert not is_published(draft, Selection(False, False, NOW))
    assert is_published(draft, Selection(True, False, NOW))
    assert not is_published(future, Selection(False, False, NOW))
    assert is_published(future, Selection(False, True, NOW))
    assert is_published(make_article("now", 0), Selection(False, False, NOW))


def test_newest_first_with_url_tie_break_and_pagination() -> None:
    site, problems = collect([make_article("b", 1), make_article("a", 1), make_article("c", 2), make_article("z", 3)])
    assert problems == []
    assert [a.slug for a in site.articles] == ["a", "b", "c", "z"]
    home = [page for page in site.list_pages if page.kind == "home"]
    assert [page.url for page in home] == ["/", "/page/2/"]
    assert [a.slug for a in home[1].articles] == ["c", "z"]
    assert home[0].next_url == "/page/2/" and home[1].previous_url == "/"


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
