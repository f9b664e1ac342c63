"""Keep going: one reporter's broken story never stops another's from publishing."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from conftest import NOW, SiteFactory, article, digests, run_cli
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.errors import ContentError

GOOD = article("headline: Ferry fares frozen\ndek: D.\ndate: 2025-01-16\ntags: [Ferries]")
OTHER = article("headline: Pier reopens\ndek: D.\ndate: 2025-01-10\ntags: [Ferries]")
BROKEN = "---\nheadline: Storm warning\ndate: Jan 20th\n---\nBody.\n"


def page(site: Path, url: str) -> Path:
    return site / "build" / url.strip("/") / "index.html"


def test_a_new_broken_story_is_held_back_and_the_rest_is_published(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": GOOD, "content/2025-01-20-storm.md": BROKEN})
    code, out, err = run_cli(["build", "--source", str(site), "--keep-going"], capsys)
    assert code == 3, "built, with articles held back"
    assert "content/2025-01-20-storm.md:3: date: not a valid date: 'Jan 20th'" in err, "every problem is still printed"
    assert "1 held back for errors:" in out and "2025-01-20-storm.md" in out
    assert "Ferry fares frozen" in page(site, "/2025/01/16/ferry/").read_text(encoding="utf-8")
    published = "".join(path.read_text(encoding="utf-8") for path in (site / "build").rglob("*.html"))
    assert "Storm warning" not in published, "nothing shows or links to a story that is not there"


def test_without_keep_going_a_broken_story_fails_the_build(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": GOOD, "content/2025-01-20-storm.md": BROKEN})
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "Build failed" in err and not (site / "build").exists()


def test_a_broken_edit_keeps_the_published_version_until_it_is_fixed(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": GOOD, "content/2025-01-10-pier.md": OTHER})
    assert run_cli(["build", "--source", str(site), "--keep-going"], capsys)[0] == 0
    home = (site / "build/index.html").read_text(encoding="utf-8")
    (site / "content/2025-01-10-pier.md").write_text("---\nheadline: Pier reopens, updated\ndate: 2025-01-10\n")
    (site / "content/2025-01-16-ferry.md").write_text(GOOD.replace("Ferry fares frozen", "Ferry fares cut"))
    code, out, _ = run_cli(["build", "--source", str(site), "--keep-going"], capsys)
    assert code == 3 and "2025-01-10-pier.md" in out
    assert "<h1>Pier reopens</h1>" in page(site, "/2025/01/10/pier/").read_text(), "the last good version stays"
    assert "Ferry fares cut" in page(site, "/2025/01/16/ferry/").read_text(encoding="utf-8"), "the other edit is out"
    assert "Pier reopens" in (site / "build/index.html").read_text(encoding="utf-8") and "Pier reopens" in home
    code, out, _ = run_cli(["build", "--source", str(site), "--keep-going"], capsys)
    assert code == 3 and "<h1>Pier reopens</h1>" in page(site, "/2025/01/10/pier/").read_text(), "in every build after"
    (site / "content/2025-01-10-pier.md").write_text(OTHER.replace("Pier reopens", "Pier reopens on Monday"))
    assert run_cli(["build", "--source", str(site), "--keep-going"], capsys)[0] == 0
    assert "Pier reopens on Monday" in page(site, "/2025/01/10/pier/").read_text(encoding="utf-8")


def test_keep_going_can_be_the_site_setting(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(
        {
            "content/2025-01-16-ferry.md": GOOD,
            "content/2025-01-20-storm.md": BROKEN,
            "newsgen.yaml": "keep_going: true\n",
        }
    )
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 3
    assert page(site, "/2025/01/16/ferry/").is_file()


def test_site_level_errors_still_fail_the_build(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/2025-01-16-ferry.md": GOOD, "content/2025-01-10-pier.md": OTHER})
    assert run_cli(["build", "--source", str(site), "--keep-going"], capsys)[0] == 0
    before = {path: path.read_bytes() for path in (site / "build").rglob("*") if path.is_file()}
    (site / "newsgen.yaml").write_text("per_page: none\n")
    code, _, err = run_cli(["build", "--source", str(site), "--keep-going"], capsys)
    assert code == 1 and "per_page" in err, "a config error"
    assert {path: path.read_bytes() for path in (site / "build").rglob("*") if path.is_file()} == before


def jekyll_post(title: str, date: str = "2019-05-01") -> str:
    return f"---\nlayout: post\ntitle: {title}\ndate: {date}\ntags: [Updates]\n---\n{title}, in full.\n"


def test_two_posts_on_one_url_are_held_and_the_rest_of_an_archive_publishes(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real archive holds two posts with one date and slug, under two file names: keeping going, both are held
    and every other post publishes; without it, the collision stays an error."""
    site = make_site(
        {
            "content/_posts/2019-05-01-update.md": jekyll_post("Office hours change"),
            "content/_posts/2019-5-1-update.markdown": jekyll_post("Grant round opens"),
            "content/_posts/2019-04-12-budget.md": jekyll_post("Budget published", "2019-04-12"),
            "content/_posts/2019-06-03-consultation.md": jekyll_post("Consultation closes", "2019-06-03"),
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "is also the URL of an article" in err and not (site / "build").exists()
    code, out, err = run_cli(["build", "--source", str(site), "--keep-going"], capsys)
    assert code == 3, err
    assert "2 held back for errors:" in out and "2019-05-01-update.md" in out and "2019-5-1-update.markdown" in out
    lines = [line for line in err.splitlines() if "is also the URL of an article" in line]
    assert sorted(Path(line.split(":")[0]).name for line in lines) == [
        "2019-05-01-update.md",
        "2019-5-1-update.markdown",
    ], "each held post has its line, naming the other"
    assert page(site, "/2019/04/12/budget/").is_file() and page(site, "/2019/06/03/consultation/").is_file()
    assert not page(site, "/2019/05/01/update/").exists(), "neither wins by its file name"
    published = "".join(path.read_text(encoding="utf-8") for path in (site / "build").rglob("*.html"))
    assert "Consultation closes" in published and "Office hours change" not in published
    assert "Grant round opens" not in published


def test_a_story_moved_onto_anothers_url_is_held_and_both_keep_their_last_versions(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": GOOD, "content/2025-01-10-pier.md": OTHER})
    assert run_cli(["build", "--source", str(site), "--keep-going"], capsys)[0] == 0
    moved = OTHER.replace("Pier reopens", "Pier reopens, moved").replace("date: 2025-01-10", "date: 2025-01-16")
    (site / "content/2025-01-10-pier.md").write_text(moved.replace("tags:", "slug: ferry\ntags:"))
    code, out, _ = run_cli(["build", "--source", str(site), "--keep-going"], capsys)
    assert code == 3 and "2 held back for errors:" in out
    assert "<h1>Ferry fares frozen</h1>" in page(site, "/2025/01/16/ferry/").read_text(encoding="utf-8")
    assert "<h1>Pier reopens</h1>" in page(site, "/2025/01/10/pier/").read_text(encoding="utf-8")
    (site / "content/2025-01-10-pier.md").write_text(moved)
    assert run_cli(["build", "--source", str(site), "--keep-going"], capsys)[0] == 0, "fixed, nothing is held"
    assert "Pier reopens, moved" in page(site, "/2025/01/16/pier/").read_text(encoding="utf-8")
    assert not page(site, "/2025/01/10/pier/").exists()


def test_a_collision_no_held_version_resolves_stays_an_error(make_site: SiteFactory) -> None:
    """An embargoed story whose URL another story took in the meantime: when it lifts, the versions both would
    keep collide too, so keeping going can't publish both and the build fails."""
    site = make_site(
        {
            "newsgen.yaml": "permalinks: {article: '/{slug}/'}\n",
            "content/ferry.md": article("headline: Ferry fares frozen\ndate: 2025-12-30\nslug: ferry"),
            "content/embargoed.md": article("headline: Ferry timetable\ndate: 2026-01-02\nslug: ferry"),
        }
    )

    def build_at(now: datetime) -> None:
        build(BuildOptions(site, site / "build", now=now, keep_going=True), BuildSession(site / ".newsgen-cache"))

    build_at(NOW)
    before = digests(site / "build")
    with pytest.raises(ContentError) as failed:
        build_at(NOW + timedelta(days=2))
    assert [problem.code for problem in failed.value.problems] == ["url-collision"]
    assert digests(site / "build") == before


def test_deploy_accepts_a_build_with_held_articles(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": GOOD, "content/2025-01-20-storm.md": BROKEN})
    assert run_cli(["build", "--source", str(site), "--keep-going"], capsys)[0] == 3
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--bare", "-q", str(remote)], check=True)
    code, _, err = run_cli(["deploy", f"git+file://{remote}", "--source", str(site), "--dry-run"], capsys)
    assert code == 0, err


@pytest.mark.parametrize("name", ["publish.yml", "preview.yml"])
def test_the_site_workflows_keep_going_and_accept_held_articles(name: str) -> None:
    workflow = yaml.safe_load((Path(__file__).parents[1] / ".github/workflows" / name).read_text(encoding="utf-8"))
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", [])]
    builds = [run for run in runs if run.startswith("newsgen build")]
    assert builds and all("--keep-going" in run and "[ $? -eq 3 ]" in run for run in builds)
