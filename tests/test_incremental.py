"""Incremental builds give exactly the bytes of a clean build; parallel builds those of a serial one."""

from __future__ import annotations

import os
import random
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

import newsgen.engine.plan.whole  # noqa: F401 - monkeypatched below
from conftest import NOW, SiteFactory, article, clean_build, cli_build, digests, png, run_cli, took_whole_way
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.engine.output.write import SiteWriter
from newsgen.engine.search import SEARCH_FOLDER

TAGS = ["Ferries", "Harbor Bridge", "Budget", "Weather", "Schools", "Mañana Market"]
SECTIONS = ["Transport", "City Hall", "Environment"]


def story(rng: random.Random, number: int, headline: str | None = None) -> str:
    tags = rng.sample(TAGS, rng.randint(1, 3))
    day = rng.randint(1, 28)
    series = "\nseries: Council Week" if rng.random() < 0.3 else ""
    return article(
        f"headline: {headline or f'Story {number}'}\ndek: Dek {number}.\ndate: 2025-0{rng.randint(1, 9)}-{day:02d}T{rng.randint(0, 23):02d}:00:00-05:00\n"
        f"section: {rng.choice(SECTIONS)}\ntags: [{', '.join(tags)}]{series}\nimage: {{src: /images/p.png, alt: Pier, credit: Ana}}",
        f"Paragraph {number}.\n\n## Subhead\n\nMore text for story {number}.\n",
    )


@pytest.fixture
def random_site(make_site: SiteFactory) -> tuple[Path, random.Random]:
    rng = random.Random(20251116)
    files: dict[str, str | bytes] = {f"content/story-{n}.md": story(rng, n) for n in range(24)}
    files["static/images/p.png"] = png(40, 20)
    return make_site(files), rng


@pytest.mark.slow
def test_incremental_equals_full_after_random_edit_sequences(
    random_site: tuple[Path, random.Random], tmp_path: Path
) -> None:
    site, rng = random_site
    incremental = tmp_path / "incremental"
    cli_build(site, incremental)
    next_number = 100
    for step in range(30):
        existing = sorted((site / "content").glob("*.md"))
        action = rng.choice(["add", "headline", "tags", "date", "delete", "template", "config", "image", "label"])
        target = rng.choice(existing)
        if action == "add":
            (site / f"content/story-{next_number}.md").write_text(story(rng, next_number))
            next_number += 1
        elif action == "headline":
            target.write_text(target.read_text().replace("headline: ", f"headline: Edited {step} ", 1))
        elif action == "tags":
            text = target.read_text()
            target.write_text(
                text.replace("tags: [", f"tags: [{rng.choice(TAGS)}, ", 1)
                if "Weather" not in text
                else text.replace("Weather", "Schools")
            )
        elif action == "date":
            target.write_text(story(rng, 1000 + step, headline=f"Redated {step}"))
        elif action == "delete" and len(existing) > 5:
            target.unlink()
        elif action == "template":
            (site / "templates").mkdir(exist_ok=True)
            (site / "templates/404.html").write_text(
                f'{{% extends "base.html" %}}{{% block main %}}<h1>Lost {step}</h1>{{% endblock %}}'
            )
        elif action == "config":
            pagination, rail = rng.choice(["stable", "classic"]), rng.choice(["fragment", "inline"])
            settings = f"per_page: {rng.randint(2, 6)}\npagination: {pagination}\nlatest_rail: {rail}\n"
            (site / "newsgen.yaml").write_text(f"title: Ledger {step}\n{settings}")
        elif action == "image":
            (site / "static/images/p.png").write_bytes(png(rng.randint(10, 90), 20))
        elif action == "label":  # moves the story between label pages
            text = target.read_text()
            labelled = text.replace("label: opinion\n", "label: analysis\n")
            target.write_text(
                labelled if labelled != text else text.replace("headline: ", "label: opinion\nheadline: ", 1)
            )
        result = cli_build(site, incremental)
        clean = tmp_path / f"clean-{step}"
        build(BuildOptions(site, clean, now=NOW))
        assert digests(incremental) == digests(clean), f"step {step}: {action}"
        assert result.files_written == len(result.changed)


def test_no_change_rebuild_renders_and_writes_nothing(random_site: tuple[Path, random.Random], tmp_path: Path) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    first = cli_build(site, output)
    mtimes = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    again = cli_build(site, output)
    assert first.rendered == first.pages and again.rendered == 0 and again.changed == []
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == mtimes


def test_one_edit_renders_only_the_pages_that_show_it(random_site: tuple[Path, random.Random], tmp_path: Path) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    cli_build(site, output)
    oldest = min((site / "content").glob("*.md"), key=lambda p: p.read_text().split("date: ")[1][:25])
    oldest.write_text(oldest.read_text().replace("Paragraph", "Corrected paragraph", 1))
    result = cli_build(site, output)
    assert 0 < result.rendered < result.pages / 2, "pages that cannot show the article are not rendered"
    own_page = [name for name in digests(output) if f"/{oldest.stem}/" in name]
    assert [name for name in result.changed if name.endswith(".html")] == own_page, (
        "a body edit shows on its own page only"
    )


def test_template_edit_rerenders_the_pages_that_use_it(random_site: tuple[Path, random.Random], tmp_path: Path) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    first = cli_build(site, output)
    (site / "templates").mkdir()
    (site / "templates/tags.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>All the tags</h1>{% endblock %}'
    )
    result = cli_build(site, output)
    assert result.changed == ["tags/index.html"] and result.rendered == 1
    base = (Path(__file__).parents[1] / "templates/base.html").read_text()
    (site / "templates/base.html").write_text(base.replace("Skip to content", "Skip to the story"))
    result = cli_build(site, output)
    html_pages = [name for name in digests(output) if name.endswith(".html")]
    assert sorted(name for name in result.changed if name.endswith(".html")) == sorted(html_pages)
    assert first.pages == result.pages


def test_deleting_an_article_removes_its_page_and_its_mentions(
    random_site: tuple[Path, random.Random], tmp_path: Path
) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    cli_build(site, output)
    victim = site / "content/story-3.md"
    victim.unlink()
    cli_build(site, output)
    assert not list(output.rglob("story-3"))
    mentions = [p for p in output.rglob("*") if p.is_file() and b"/story-3/" in p.read_bytes()]
    assert mentions == []


def test_parallel_build_equals_serial_build(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, rng = random_site
    for n in range(24, 200):
        (site / f"content/story-{n}.md").write_text(story(rng, n))
    monkeypatch.setattr("newsgen.engine.parallel.MIN_ITEMS_PER_WORKER", 8)
    serial = build(BuildOptions(site, tmp_path / "serial", now=NOW, jobs=1))
    parallel = build(BuildOptions(site, tmp_path / "parallel", now=NOW, jobs=2))
    assert digests(tmp_path / "serial") == digests(tmp_path / "parallel")
    assert serial.pages == parallel.pages and serial.articles == 200


def test_a_corrupt_cache_entry_is_rebuilt_not_trusted(random_site: tuple[Path, random.Random], tmp_path: Path) -> None:
    site, _ = random_site
    cli_build(site, tmp_path / "first")
    database = site / ".newsgen-cache/articles.sqlite"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT key, payload FROM articles").fetchall()
        key, payload = rows[0]
        connection.execute("UPDATE articles SET payload = ? WHERE key = ?", (payload[: len(payload) // 2], key))
        connection.execute("UPDATE articles SET payload = ? WHERE key = ?", (b"garbage", rows[1][0]))
    session = BuildSession(site / ".newsgen-cache")
    build(BuildOptions(site, tmp_path / "second", now=NOW), session)
    assert session.articles.hits == len(rows) - 2
    assert digests(tmp_path / "second") == digests(tmp_path / "first")
    database.write_bytes(b"not a database at all")
    build(BuildOptions(site, tmp_path / "third", now=NOW), BuildSession(site / ".newsgen-cache"))
    assert digests(tmp_path / "third") == digests(tmp_path / "first")


def test_unchanged_site_is_recognised_without_reading_articles(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    first = cli_build(site, output)
    monkeypatch.setattr(
        sys.modules["newsgen.engine.plan.whole"],
        "decide",
        lambda *_: pytest.fail("an unchanged site must not be loaded again"),
    )
    again = cli_build(site, output)
    assert (again.pages, again.articles, again.rendered, again.changed) == (first.pages, first.articles, 0, [])
    monkeypatch.undo()
    (output / "index.html").write_text("tampered")
    repaired = cli_build(site, output, full=True)
    assert repaired.changed == ["index.html"] and "tampered" not in (output / "index.html").read_text()


def test_an_edit_that_moves_nothing_renders_its_pages_without_loading_the_site(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    first = cli_build(site, output)
    story_file = site / "content/story-5.md"
    story_file.write_text(
        story_file.read_text()
        .replace("headline: Story 5", "headline: Ferry fares frozen", 1)
        .replace("Dek 5.", "A new dek.")
    )
    monkeypatch.setattr(
        sys.modules["newsgen.engine.plan.whole"],
        "decide",
        lambda *_: pytest.fail("an edit that moves nothing must not load the site"),
    )
    edited = cli_build(site, output)
    monkeypatch.undo()
    build(BuildOptions(site, tmp_path / "clean", now=NOW))
    assert digests(output) == digests(tmp_path / "clean")
    assert (edited.pages, edited.articles) == (first.pages, first.articles)
    assert 0 < edited.rendered < first.pages / 2 and edited.files_written == len(edited.changed)
    showing = {name for name in digests(output) if b"Ferry fares frozen" in (output / name).read_bytes()}
    assert showing <= set(edited.changed), "every page that shows the new headline was rewritten"


def test_lines_added_above_links_take_the_quick_way_unless_a_link_is_broken(
    make_site: SiteFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    linking = "headline: Linking\ndate: 2025-03-02T10:00:00Z\nsection: City Hall"
    site = make_site(
        {
            "content/target.md": article("headline: Target\ndate: 2025-03-01T10:00:00Z\nsection: City Hall"),
            "content/linking.md": article(linking, "See [the target](/2025/03/01/target/).\n"),
            "content/broken.md": article(
                "headline: Broken\ndate: 2025-03-03T10:00:00Z", "See [nothing](/2025/01/01/nothing/).\n"
            ),
        }
    )
    output = tmp_path / "out"
    (before,) = [problem.line for problem in cli_build(site, output).warnings if problem.code == "broken-link"]
    linking_file = site / "content/linking.md"
    linking_file.write_text(article(linking, "A new first paragraph.\n\nSee [the target](/2025/03/01/target/).\n"))
    monkeypatch.setattr(
        sys.modules["newsgen.engine.plan.whole"],
        "decide",
        lambda *_: pytest.fail("a moved link must not load the site"),
    )
    cli_build(site, output)
    monkeypatch.undo()
    assert "A new first paragraph" in (output / "2025/03/02/linking/index.html").read_text()
    broken_file = site / "content/broken.md"
    broken_file.write_text(broken_file.read_text().replace("See [nothing]", "One more line.\n\nSee [nothing]"))
    result = cli_build(site, output)
    (warning,) = [problem for problem in result.warnings if problem.code == "broken-link"]
    assert warning.line == before + 2, "the warning names the link's new line"
    build(BuildOptions(site, tmp_path / "clean", now=NOW))
    assert digests(output) == digests(tmp_path / "clean")


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `rsync -t` or `tar` can leave a file. (Builds trust a file's times only once they are 2 s old; not here.)"""
    monkeypatch.setattr(sys.modules["newsgen.read.files"], "_RACY_NS", 0)
    site, _ = random_site
    output = tmp_path / "out"
    story_file = site / "content/story-7.md"
    cli_build(site, output)
    before = story_file.stat()
    story_file.write_text(story_file.read_text().replace("headline: Story 7", "headline: Story Z", 1))
    os.utime(story_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert story_file.stat().st_size == before.st_size
    cli_build(site, output)
    assert "Story Z" in next(output.rglob("story-7/index.html")).read_text()


def _check_out_afresh(site: Path, output: Path) -> None:
    """What a CI runner sees: every source file new (same bytes, new inode and times), outputs' times cut to seconds."""
    for path in sorted(p for folder in ("content", "static") for p in (site / folder).rglob("*") if p.is_file()):
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
    for path in output.rglob("*"):
        if path.is_file():
            seconds = path.stat().st_mtime_ns // 1_000_000_000 * 1_000_000_000
            os.utime(path, ns=(seconds, seconds))


def test_a_fresh_checkout_with_the_last_build_restored_takes_the_quick_way(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules["newsgen.read.files"], "_RACY_NS", 0)
    site, _ = random_site
    output = tmp_path / "out"
    cli_build(site, output)
    _check_out_afresh(site, output)
    (site / "content/pushed.md").write_text(
        article(
            "headline: Pushed story\ndek: Newest.\ndate: 2025-12-01T09:00:00-05:00\nsection: Transport\ntags: [Ferries]",
            "Pushed body.\n",
        )
    )
    monkeypatch.setattr(
        sys.modules["newsgen.engine.plan.whole"],
        "decide",
        lambda *_: pytest.fail("new times alone must not load the site"),
    )
    pushed = cli_build(site, output)
    monkeypatch.undo()
    pages = [name for name in pushed.changed if not name.startswith(SEARCH_FOLDER)]
    assert 0 < pushed.rendered < 15 and len(pages) < 15, "the story's own pages, not the archive's"
    assert any("/pushed/" in name for name in pushed.changed)
    clean = build(BuildOptions(site, tmp_path / "clean", now=NOW), BuildSession(tmp_path / "clean-cache"))
    assert digests(output) == digests(tmp_path / "clean") and clean.pages == pushed.pages


def test_a_static_file_with_new_bytes_but_the_same_size_and_time_is_published(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.modules["newsgen.read.files"], "_RACY_NS", 0)
    site, _ = random_site
    output = tmp_path / "out"
    style = site / "static/site.css"
    style.write_text("body { color: red; }\n")
    cli_build(site, output)
    before = style.stat()
    style.write_text("body { color: tan; }\n")
    os.utime(style, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = cli_build(site, output)
    assert result.changed == ["site.css"] and "tan" in (output / "site.css").read_text()


def test_an_index_in_an_older_layout_is_replaced(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    cli_build(site, output)
    (index_file,) = (site / ".newsgen-cache/outputs").glob("*.sqlite")
    with sqlite3.connect(index_file) as connection:
        connection.execute("DROP TABLE sources")
        connection.execute("CREATE TABLE sources (path TEXT, something_else BLOB)")
        connection.execute("PRAGMA user_version = 1")
    cli_build(site, output, full=True)
    monkeypatch.setattr(
        sys.modules["newsgen.engine.plan.whole"], "decide", lambda *_: pytest.fail("the index was not rewritten")
    )
    assert cli_build(site, output).rendered == 0


def test_a_build_that_dies_while_writing_leaves_no_index_to_trust(
    random_site: tuple[Path, random.Random], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _ = random_site
    output = tmp_path / "out"
    cli_build(site, output)
    story_file = site / "content/story-2.md"
    original = story_file.read_text()
    story_file.write_text(original.replace("headline: Story 2", "headline: Half written", 1))

    def die_half_way(writer: SiteWriter) -> list[str]:
        name = writer.staged[0]
        os.replace(writer.stage / name, writer.output / name)
        raise KeyboardInterrupt

    monkeypatch.setattr(SiteWriter, "commit", die_half_way)
    with pytest.raises(KeyboardInterrupt):
        cli_build(site, output)
    monkeypatch.undo()
    story_file.write_text(original)  # the editor takes it back: the index must not say the half-written page is current
    cli_build(site, output)
    build(BuildOptions(site, tmp_path / "clean", now=NOW))
    assert digests(output) == digests(tmp_path / "clean")


def test_check_reads_articles_into_the_cache_the_build_uses(
    random_site: tuple[Path, random.Random], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site, _ = random_site
    code, _, _ = run_cli(["check", "--source", str(site)], capsys)
    assert code == 0
    session = BuildSession(site / ".newsgen-cache")
    build(BuildOptions(site, tmp_path / "out", now=NOW), session)
    assert session.articles.hits == len(list((site / "content").glob("*.md"))), (
        "the build after a check reads no article again"
    )


def test_the_clock_ends_the_shortcut_when_the_news_window_moves(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site(
        {"content/late.md": article(f"headline: Late\ndek: D.\ndate: '{(NOW - timedelta(hours=47)).isoformat()}'")}
    )
    output = tmp_path / "out"
    cli_build(site, output)
    assert b"/late/" in (output / "news-sitemap.xml").read_bytes()
    later = build(BuildOptions(site, output, now=NOW + timedelta(hours=2)), BuildSession(site / ".newsgen-cache"))
    assert "news-sitemap.xml" in later.changed and b"/late/" not in (output / "news-sitemap.xml").read_bytes()


def test_a_clock_that_goes_back_never_keeps_an_embargoed_story(make_site: SiteFactory, tmp_path: Path) -> None:
    """CI rebuilding an older commit runs at an earlier "now": the embargo the later clock lifted holds again."""
    site = make_site({"content/2026-03-15-embargoed.md": article("headline: Embargoed\ndek: D.\ndate: 2026-03-15")})
    output = tmp_path / "out"
    build(BuildOptions(site, output, now=NOW + timedelta(days=89)), BuildSession(site / ".newsgen-cache"))
    assert b"Embargoed" in (output / "index.html").read_bytes()
    cli_build(site, output)
    assert b"Embargoed" not in (output / "index.html").read_bytes()
    assert digests(output) == clean_build(site, tmp_path / "clean")


def test_a_new_story_at_a_clock_gone_back_brings_back_an_expired_one(
    make_site: SiteFactory, tmp_path: Path, whole_ways: list[object]
) -> None:
    """The quick way for a new story, too, takes the whole way when "now" is earlier than the last build's."""
    expiring = article("headline: Expiring\ndek: D.\ndate: 2025-12-01\nexpires: 2026-02-01")
    older = article("headline: Older\ndek: D.\ndate: 2025-11-01")
    site = make_site({"content/2025-11-01-older.md": older, "content/2025-12-01-expiring.md": expiring})
    output = tmp_path / "out"
    build(BuildOptions(site, output, now=NOW + timedelta(days=89)), BuildSession(site / ".newsgen-cache"))
    assert b"Expiring" not in (output / "index.html").read_bytes()
    (site / "content/2025-12-31-new.md").write_text(article("headline: New\ndek: D.\ndate: 2025-12-31"))
    assert took_whole_way(whole_ways, site, output)
    assert b"Expiring" in (output / "index.html").read_bytes()
    assert digests(output) == clean_build(site, tmp_path / "clean")
