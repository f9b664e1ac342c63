"""A new story, or an edit to the newest, changes what shows it, not the archive (stable pages, the shared rail)."""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import NOW, SiteFactory, article, clean_build, cli_build, digests, png, took_whole_way
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.engine.search import SEARCH_FOLDER
from newsgen.errors import ContentError
from test_incremental import SECTIONS, TAGS, story

# Pages a new story in the "Ferries" tag and "Transport" section may change; every other page must keep its bytes.
NEW_STORY = article(
    "headline: Night ferry returns\ndek: Service resumes.\ndate: 2025-12-01T08:00:00-05:00\n"
    "section: Transport\ntags: [Ferries]",
)


@pytest.fixture
def archive(make_site: SiteFactory) -> Path:
    rng = random.Random(20261129)
    files: dict[str, str | bytes] = {f"content/story-{n}.md": story(rng, n) for n in range(60)}
    files["newsgen.yaml"] = "per_page: 4\n"
    files["static/images/p.png"] = png(40, 20)
    return make_site(files)


def test_a_new_story_changes_its_lists_front_pages_not_their_older_pages_or_other_articles(
    archive: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out"
    cli_build(archive, output)
    before = digests(output)
    (archive / "content/night-ferry.md").write_text(NEW_STORY)
    result = cli_build(archive, output)
    changed_pages = {name for name in result.changed if name.endswith(".html")}
    articles = {name for name in changed_pages if name.startswith("2025/")}
    assert articles <= {"2025/12/01/night-ferry/index.html"} | _sharing_a_pool_with_it(archive, output), articles
    older = {name for name in changed_pages if "/page/" in name}
    new_older = {name for name in older if name not in before}
    assert len(new_older) <= 3 and len(older - new_older) <= 3, sorted(older)  # home, section, tag: one each
    assert "latest/index.html" in result.changed
    assert digests(output) == _clean(archive, tmp_path)


def test_editing_the_newest_story_changes_the_rail_not_every_article(archive: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    (archive / "content/night-ferry.md").write_text(NEW_STORY)
    cli_build(archive, output)
    (archive / "content/night-ferry.md").write_text(NEW_STORY.replace("Night ferry returns", "Night ferry is back"))
    result = cli_build(archive, output)
    showing_it = {
        page.relative_to(output).as_posix()
        for page in output.rglob("*")
        if page.is_file() and b"Night ferry is back" in page.read_bytes()
    }
    pages = {name for name in result.changed if not name.startswith(SEARCH_FOLDER)}
    assert pages == showing_it and result.rendered == len(showing_it), "only the pages that show it (and the index)"
    assert "latest/index.html" in showing_it
    assert digests(output) == _clean(archive, tmp_path)


def test_inline_rail_puts_latest_news_in_every_article_page(archive: Path, tmp_path: Path) -> None:
    (archive / "newsgen.yaml").write_text("per_page: 4\nlatest_rail: inline\n")
    output = tmp_path / "out"
    cli_build(archive, output)
    (archive / "content/night-ferry.md").write_text(NEW_STORY)
    result = cli_build(archive, output)
    assert not (output / "latest").exists()
    pages = [name for name in digests(output) if name.startswith("2025/") and "night-ferry" not in name]
    assert set(pages) <= set(result.changed), "every article page shows the new story"
    assert b"/2025/12/01/night-ferry/" in (output / pages[0]).read_bytes()


def _sharing_a_pool_with_it(site: Path, output: Path) -> set[str]:
    """The article pages whose "More on this" candidates the new story joins (the newest of its tag and section):
    their box may now rank it, or lose a candidate it pushed out."""
    shared = [
        path.stem
        for path in (site / "content").glob("story-*.md")
        if re.search(r"Ferries|section: Transport", path.read_text())
    ]
    return {
        f"{page.parent.relative_to(output).as_posix()}/index.html"
        for name in shared
        for page in output.glob(f"2025/*/*/{name}/index.html")
    }


def _clean(site: Path, tmp_path: Path) -> dict[str, str]:
    clean = tmp_path / "clean"
    build(BuildOptions(site, clean, now=NOW))
    return digests(clean)


def test_a_ci_run_restoring_the_cache_and_the_last_build_renders_only_what_a_new_story_touches(
    archive: Path, tmp_path: Path
) -> None:
    # The publishing workflow: check out, restore .newsgen-cache and build/ from the Actions cache, build, save.
    sources = {path.relative_to(archive): path.read_bytes() for path in archive.rglob("*") if path.is_file()}
    cli_build(archive, archive / "build")
    saved = tmp_path / "actions-cache"
    for kept in (".newsgen-cache", "build"):
        shutil.copytree(archive / kept, saved / kept)  # tar keeps times, as copytree does
    shutil.rmtree(archive)
    for relative, data in sources.items():  # a fresh checkout: same path, new files, new times
        (archive / relative).parent.mkdir(parents=True, exist_ok=True)
        (archive / relative).write_bytes(data)
    (archive / "content/night-ferry.md").write_text(NEW_STORY)
    for kept in (".newsgen-cache", "build"):
        shutil.copytree(saved / kept, archive / kept)
    result = cli_build(archive, archive / "build")
    touched = len(result.changed)
    assert result.rendered <= 2 * touched and touched < 40, (result.rendered, sorted(result.changed))
    assert digests(archive / "build") == _clean(archive, tmp_path)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_new_stories_one_by_one_give_a_clean_builds_bytes_and_take_the_quick_way(
    seed: int, make_site: SiteFactory, tmp_path: Path, whole_ways: list[object]
) -> None:
    rng = random.Random(seed)
    files: dict[str, str | bytes] = {f"content/story-{n}.md": story(rng, n) for n in range(9)}
    files["newsgen.yaml"] = f"per_page: {rng.randint(2, 3)}\nfeed_count: 12\nlatest_count: 3\n"
    files["static/images/p.png"] = png(40, 20)
    site = make_site(files)
    output = tmp_path / "out"
    cli_build(site, output)
    whole_steps: list[int] = []
    for step in range(14):
        tags = rng.sample(TAGS, rng.randint(1, 2)) + (["Brand New Tag"] if step == 9 else [])
        link = "\n\nSee [the tags](/tags/) and [a story](/nowhere/)." if step == 13 else ""
        (site / f"content/new-{step}.md").write_text(
            article(
                f"headline: New {step}\ndek: Dek.\ndate: {(NOW - timedelta(hours=5 * (14 - step))).isoformat()}\n"
                f"section: {rng.choice(SECTIONS)}\ntags: [{', '.join(tags)}]\nauthors: [Ana Ruiz]",
                f"Body {step}.{link}\n",
            )
        )
        if took_whole_way(whole_ways, site, output):
            whole_steps.append(step)
        assert digests(output) == clean_build(site, tmp_path), f"step {step}"
    assert whole_steps == [], "a new author, a new tag and a broken link take the quick way too"


def _with_front_matter(path: Path, extra: str) -> None:
    """Add lines to the front matter of the article at `path`."""
    text = path.read_text()
    path.write_text(text.replace("\n---\n", f"\n{extra}\n---\n", 1))


def _replace_line(path: Path, key: str, line: str) -> None:
    path.write_text(re.sub(rf"(?m)^{key}:.*$", line, path.read_text(), count=1))


EMBARGOED = article(
    "headline: Harbor vote tonight\ndek: Embargoed.\ndate: 2026-01-01T03:00:00Z\nsection: City Hall\ntags: [Budget]"
)
LATER = NOW + timedelta(hours=4)
EVENTS: dict[str, tuple[Callable[[Path], object], datetime]] = {
    "two stories at once": (
        lambda site: (
            (site / "content/night-ferry.md").write_text(NEW_STORY),
            (site / "content/mid-archive.md").write_text(NEW_STORY.replace("2025-12-01", "2025-05-02")),
        ),
        NOW,
    ),
    "a mid-archive deletion": (lambda site: (site / "content/story-30.md").unlink(), NOW),
    "a retag": (lambda site: _replace_line(site / "content/story-30.md", "tags", "tags: [Ferries, Budget]"), NOW),
    "a new tag": (lambda site: _replace_line(site / "content/story-30.md", "tags", "tags: [Night Shift]"), NOW),
    "a new author": (lambda site: _with_front_matter(site / "content/story-30.md", "authors: [Noor Haddad]"), NOW),
    "a story entering a series": (
        lambda site: _with_front_matter(site / "content/story-31.md", "series: Harbor Works"),
        NOW,
    ),
    "a correction": (
        lambda site: _with_front_matter(
            site / "content/story-30.md", "corrections:\n  - {date: 2025-12-30, text: The vote was 5-4.}"
        ),
        NOW,
    ),
    "an embargo lifting": (lambda site: None, LATER),
    "an expiry": (lambda site: None, LATER),
}


@pytest.mark.parametrize("event", EVENTS)
def test_newsroom_events_take_the_quick_way_and_give_a_clean_builds_bytes(
    event: str, archive: Path, tmp_path: Path, whole_ways: list[object]
) -> None:
    (archive / "content/embargoed.md").write_text(EMBARGOED)  # dated NOW + 3 h: published by the later clock
    _with_front_matter(archive / "content/story-12.md", f"expires: {(NOW + timedelta(hours=2)).isoformat()}")
    output, session = tmp_path / "out", BuildSession(archive / ".newsgen-cache")
    build(BuildOptions(archive, output, now=NOW), session)
    files = len(digests(output))
    edit, now = EVENTS[event]
    edit(archive)
    taken = len(whole_ways)
    result = build(BuildOptions(archive, output, now=now), BuildSession(archive / ".newsgen-cache"))
    assert len(whole_ways) == taken, f"{event} took the whole way"
    assert 0 < len(result.changed) < files / 4, sorted(result.changed)
    clean = tmp_path / "clean"
    build(BuildOptions(archive, clean, now=now), BuildSession(tmp_path / "clean-cache"))
    assert digests(output) == digests(clean)


def test_a_story_filed_with_a_photo_beside_it_takes_the_quick_way(
    archive: Path, tmp_path: Path, whole_ways: list[object]
) -> None:
    """As a CMS files one: the story and its lead photo in one change, the photo in the story's folder."""
    output = tmp_path / "out"
    cli_build(archive, output)
    bundle = archive / "content/2025/12/night-ferry"
    bundle.mkdir(parents=True)
    (bundle / "deck.png").write_bytes(png(64, 32))
    (bundle / "index.md").write_text(
        NEW_STORY.replace("tags: [Ferries]", "tags: [Ferries]\nimage: {src: deck.png, alt: The ferry's deck at night}")
    )
    assert not took_whole_way(whole_ways, archive, output)
    page = next(output.glob("2025/12/01/*/index.html")).read_text()
    assert 'alt="The ferry&#39;s deck at night"' in page
    assert digests(output) == _clean(archive, tmp_path)
    (bundle / "deck.png").write_bytes(png(64, 32))  # the same bytes written again, as a fresh checkout writes them
    assert not took_whole_way(whole_ways, archive, output)
    (bundle / "notes.txt").write_text("Not shown anywhere.")  # no story can show a file that wasn't there
    assert not took_whole_way(whole_ways, archive, output)
    (bundle / "notes.txt").write_text("Still not shown anywhere.")  # shown by no story
    assert not took_whole_way(whole_ways, archive, output)
    (bundle / "deck.png").write_bytes(png(64, 40))  # the photo changed: which pages show it is not known here
    assert took_whole_way(whole_ways, archive, output)
    assert digests(output) == _clean(archive, tmp_path)
    (bundle / "night.png").write_bytes(png(48, 32))  # a second photo, filed with an edit that shows it
    (bundle / "index.md").write_text((bundle / "index.md").read_text() + "\n![The night crossing](night.png)\n")
    assert not took_whole_way(whole_ways, archive, output)
    (bundle / "notes.txt").unlink()
    assert not took_whole_way(whole_ways, archive, output)
    assert digests(output) == _clean(archive, tmp_path)
    (bundle / "deck.png").unlink()  # a photo a story shows: the story can't be published as it was
    with pytest.raises(ContentError):
        cli_build(archive, output)


def test_a_photo_added_where_a_story_looked_for_it_takes_the_whole_way(
    archive: Path, tmp_path: Path, whole_ways: list[object]
) -> None:
    """The story's image was missing beside it, so it showed the one under static/ at the same address; now its own
    claims that address too. The story did not change, but a clean build fails on the collision: so must this one."""
    output = tmp_path / "out"
    (archive / "static/2025/12/01/night-ferry/pic.png").parent.mkdir(parents=True)
    (archive / "static/2025/12/01/night-ferry/pic.png").write_bytes(png(30, 20))
    bundle = archive / "content/2025/12/night-ferry"
    bundle.mkdir(parents=True)
    (bundle / "index.md").write_text(NEW_STORY + "\n![The pier](pic.png)\n")
    cli_build(archive, output)
    (bundle / "pic.png").write_bytes(png(60, 20))
    taken = len(whole_ways)
    with pytest.raises(ContentError, match="is also the URL of image pic.png"):
        cli_build(archive, output)
    assert len(whole_ways) > taken
