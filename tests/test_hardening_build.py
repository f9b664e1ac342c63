"""A failed, crashed or killed build is never published, and never leaves the output folder half updated."""

from __future__ import annotations

import errno
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SiteFactory, article, digests, png, run_cli
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.engine.output.journal import UndoJournal
from newsgen.engine.output.write import SiteWriter
from newsgen.errors import ContentError

STORIES = {
    f"content/2025-01-1{n}-story-{n}.md": article(f"headline: Story {n}\ndek: D.\ndate: 2025-01-1{n}\ntags: [Port]")
    for n in range(5)
}


@pytest.fixture
def built(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> Path:
    site = make_site(dict(STORIES))
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    return site


def edit_every_story(site: Path) -> None:
    for name in STORIES:
        path = site / name
        path.write_text(path.read_text(encoding="utf-8").replace("headline: Story", "headline: Edited story"))


def failing_after(calls: int, real: Callable[..., None]) -> Callable[..., None]:
    """os.replace that runs out of disk space once, after `calls` moves."""
    count = [0]

    def replace(source: object, target: object) -> None:
        count[0] += 1
        if count[0] == calls + 1:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(source, target)

    return replace


def test_a_build_that_crashes_is_recorded_as_failed_and_deploy_refuses_it(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("newsgen.engine.run.bring_up_to_date", crash)
    with pytest.raises(RecursionError):
        run_cli(["build", "--source", str(built)], capsys)
    code, _, err = run_cli(["deploy", "s3://bucket", "--source", str(built), "--dry-run"], capsys)
    assert code == 1 and "the last newsgen build failed" in err


def test_a_commit_that_fails_part_way_leaves_the_last_build_whole(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digests(built / "build")
    edit_every_story(built)
    monkeypatch.setattr(os, "replace", failing_after(8, os.replace))
    code, _, err = run_cli(["build", "--source", str(built)], capsys)
    assert code == 1 and f"newsgen: error: {built}/" in err and ": No space left on device" in err, "names the file"
    monkeypatch.undo()
    assert digests(built / "build") == before, "every file moved in was moved back"
    assert run_cli(["build", "--source", str(built)], capsys)[0] == 0
    assert "Edited story 1" in (built / "build/2025/01/11/story-1/index.html").read_text(encoding="utf-8")


def test_a_build_killed_while_committing_is_rolled_back_by_the_next(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digests(built / "build")
    edit_every_story(built)

    def killed(*_: object) -> None:
        raise SystemExit(-9)  # no except clause and no cleanup runs, as with kill -9

    monkeypatch.setattr(os, "replace", failing_after(8, os.replace))
    monkeypatch.setattr(UndoJournal, "roll_back", killed)
    monkeypatch.setattr(SiteWriter, "__exit__", lambda *_: None)
    with pytest.raises(SystemExit):
        build(BuildOptions(built, built / "build"), BuildSession(built / ".newsgen-cache"))
    monkeypatch.undo()
    assert digests(built / "build") != before, "the killed build left the folder half updated"
    assert any(path.name.startswith(".build.new-") for path in built.iterdir())
    for name in STORIES:  # the edits are taken back, so the next build has nothing to write
        path = built / name
        path.write_text(path.read_text(encoding="utf-8").replace("headline: Edited story", "headline: Story"))
    build(BuildOptions(built, built / "build"), BuildSession(built / ".newsgen-cache"))
    assert digests(built / "build") == before
    assert [path.name for path in built.iterdir() if path.name.startswith((".build.new-", ".build.old-"))] == []


def test_a_page_folder_removed_by_hand_does_not_stop_later_builds(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (built / "build/2025/01/12/story-2").iterdir():
        path.unlink()
    (built / "build/2025/01/12/story-2").rmdir()
    (built / "content/2025-01-12-story-2.md").unlink()
    assert run_cli(["build", "--source", str(built)], capsys)[0] == 0
    assert run_cli(["build", "--source", str(built)], capsys)[0] == 0
    clean = built.parent / "clean"
    build(BuildOptions(built, clean))
    assert digests(built / "build") == digests(clean)


def test_staging_folders_of_killed_builds_are_removed_and_ignored_by_git(
    built: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for leftover in (".build.new-abc123", ".build.old-def456"):
        (built / leftover / "2025").mkdir(parents=True)
        (built / leftover / "2025/index.html").write_text("half a build")
    assert run_cli(["build", "--source", str(built)], capsys)[0] == 0
    assert sorted(path.name for path in built.iterdir() if path.name.startswith(".build")) == [
        ".build.lock",
        ".build.status.json",
    ]
    assert run_cli(["init", str(tmp_path / "fresh")], capsys)[0] == 0
    assert "/.build.*" in (tmp_path / "fresh/.gitignore").read_text(encoding="utf-8").splitlines()


def test_a_damaged_compiled_template_is_compiled_again(built: Path) -> None:
    compiled = sorted((built / ".newsgen-cache/templates").glob("*.cache"))
    assert compiled, "the first build kept its compiled templates"
    rng = random.Random(1)
    for path in compiled:  # four random bytes of each file, as a bad disk or an interrupted copy would
        data = bytearray(path.read_bytes())
        for _ in range(4):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
    shutil.rmtree(built / "build")  # every page is rendered from the compiled templates
    done = subprocess.run(  # its own process: unmarshalling damaged bytecode can crash the interpreter
        [sys.executable, "-m", "newsgen", "build", "--source", str(built)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    clean = built.parent / "clean"
    build(BuildOptions(built, clean))
    assert digests(built / "build") == digests(clean)


def test_templates_compiled_by_another_newsgen_are_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How a filter is called (with the page's context or not) is compiled into the template: an upgrade that
    changes it must not run templates compiled before."""
    import jinja2

    from newsgen.config import SiteConfig
    from newsgen.render import environment

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/page.html").write_text("{{ word | shout }}")
    folders, cache = [tmp_path / "templates"], tmp_path / "compiled"
    before = environment.make_environment(folders, SiteConfig(), cache)
    before.filters["shout"] = lambda word: word.upper()
    assert before.get_template("page.html").render(word="hi") == "HI"

    monkeypatch.setattr(environment, "code_version", lambda: b"the next newsgen")
    after = environment.make_environment(folders, SiteConfig(), cache)
    after.filters["shout"] = jinja2.pass_context(lambda context, word: word.upper() + "!")
    assert after.get_template("page.html").render(word="hi") == "HI!"


def test_an_unreadable_folder_or_article_is_an_error_naming_it(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = built / "content/desk"
    locked.mkdir()
    (locked / "2025-01-20-story-9.md").write_text(article("headline: Story 9\ndate: 2025-01-20"))
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(ContentError) as failed:
        build(BuildOptions(built, built / "build", keep_going=True), BuildSession(built / ".newsgen-cache"))
    assert [(p.path, p.field, p.code) for p in failed.value.problems] == [(locked, "folder", "unreadable")]
    assert "Permission denied" in failed.value.problems[0].message
    monkeypatch.undo()
    story = built / "content/2025-01-11-story-1.md"
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == story:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(ContentError) as failed:
        build(BuildOptions(built, built / "build", keep_going=True), BuildSession(built / ".newsgen-cache"))
    assert [(p.path, p.code) for p in failed.value.problems if p.code == "unreadable"] == [(story, "unreadable")]


def test_a_build_that_would_lose_most_articles_needs_allow_shrink(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {f"content/2025-01-{n:02d}-story.md": article(f"headline: S{n}\ndate: 2025-01-{n:02d}") for n in range(1, 13)}
    )
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    before = digests(site / "build")
    for n in range(1, 9):
        (site / f"content/2025-01-{n:02d}-story.md").unlink()
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and "would publish 4 articles; the last build published 12" in err and "--allow-shrink" in err
    assert digests(site / "build") == before
    assert run_cli(["build", "--source", str(site), "--allow-shrink"], capsys)[0] == 0
    assert len(list((site / "build/2025/01").iterdir())) == 4


def test_deploy_and_check_wait_for_a_build_and_give_up_with_one_line(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from newsgen.engine.output.lock import output_lock\n"
            f"with output_lock(Path({str(built / 'build')!r})):\n    print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setattr("newsgen.engine.output.lock.WAIT_SECONDS", 0.3)
        for command in (["deploy", "s3://bucket", "--dry-run"], ["check"]):
            code, _, err = run_cli([*command, "--source", str(built)], capsys)
            assert code == 1 and "is still using it after 0 s" in err, command
            assert "waiting for another newsgen" in err
    finally:
        holder.kill()
        holder.wait()


def test_an_image_beside_an_article_that_links_outside_the_site_is_never_published(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    secret = tmp_path / "outside/secret.png"
    secret.parent.mkdir()
    secret.write_bytes(png(30, 20))
    site = make_site(
        {"content/2025/ferry/index.md": article("headline: Ferry\ndate: 2025-01-16", "![A ferry](photo.png)\n")}
    )
    (site / "content/2025/ferry/photo.png").symlink_to(secret)
    code, _, err = run_cli(["build", "--source", str(site), "--keep-going"], capsys)
    assert code == 3 and "'photo.png' is a link to a file outside the site; it is not published" in err
    published = [path.read_bytes() for path in (site / "build").rglob("*") if path.is_file()]
    assert secret.read_bytes() not in published


def test_a_build_killed_after_its_commit_never_brings_a_retracted_story_back(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (built / "content/2025-01-12-story-2.md").unlink()  # retracted
    retagged = built / "content/2025-01-13-story-3.md"
    retagged.write_text(retagged.read_text(encoding="utf-8").replace("tags: [Port]", "tags: [Ferries]"))
    monkeypatch.setattr(SiteWriter, "__exit__", lambda *_: None)  # killed after the index was saved, staging left
    assert run_cli(["build", "--source", str(built)], capsys)[0] == 0
    monkeypatch.undo()
    assert run_cli(["build", "--source", str(built)], capsys)[0] == 0
    assert not (built / "build/2025/01/12/story-2").exists()
    assert "Story 2" not in (built / "build/index.html").read_text(encoding="utf-8")
    clean = built.parent / "clean"
    build(BuildOptions(built, clean))
    assert digests(built / "build") == digests(clean)


def test_a_whole_build_removes_every_file_it_did_not_make(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = ["2025/01/19/story-9/index.html", "tags/retracted/index.html", "tags/retracted/feed.xml"]
    for name in stale:  # as an earlier failure may have left them, unknown to the index
        (built / "build" / name).parent.mkdir(parents=True, exist_ok=True)
        (built / "build" / name).write_text("a retracted story")
    (built / "build/tags/never-filled").mkdir()
    assert run_cli(["build", "--source", str(built), "--full"], capsys)[0] == 0
    for gone in ("2025/01/19", "tags/retracted", "tags/never-filled"):
        assert not (built / "build" / gone).exists(), gone
    clean = built.parent / "clean"
    build(BuildOptions(built, clean))
    assert digests(built / "build") == digests(clean)


def deploy_dry_run(site: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str, str]:
    """`newsgen deploy --dry-run` to a git remote on this machine that does not exist: refused or failed, no network."""
    return run_cli(
        ["deploy", f"git+file://{site.parent}/nowhere.git", "--source", str(site), "--dry-run", *options], capsys
    )


def test_a_killed_build_into_one_output_folder_stays_failed_after_a_good_build_into_another(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(*_: object) -> None:
        raise SystemExit(-9)

    monkeypatch.setattr("newsgen.engine.run.bring_up_to_date", killed)
    with pytest.raises(SystemExit):
        run_cli(["build", "--source", str(built)], capsys)
    monkeypatch.undo()
    other = built.parent / "other"
    assert run_cli(["build", "--source", str(built), "--output", str(other)], capsys)[0] == 0
    code, _, err = deploy_dry_run(built, capsys)
    assert code == 1 and "the last newsgen build failed" in err
    _, _, err = deploy_dry_run(built, capsys, "--output", str(other))
    assert "nowhere.git" in err, "the good build's folder goes on to the destination"


def test_a_build_that_waited_for_the_lock_and_died_is_recorded_as_failed(
    built: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgen.cli import main
    from newsgen.engine.output.journal import recover as real_recover

    first_holds, release = threading.Event(), threading.Event()

    def recover(output: Path) -> None:
        if threading.current_thread().name == "second":
            raise SystemExit(-9)  # killed as soon as it holds the lock
        first_holds.set()
        release.wait(20)
        real_recover(output)

    outcomes: list[object] = []

    def second() -> None:
        try:
            outcomes.append(main(["build", "--source", str(built)]))
        except SystemExit as exc:
            outcomes.append(exc)

    monkeypatch.setattr("newsgen.engine.run.recover", recover)
    threads = [
        threading.Thread(target=main, args=(["build", "--source", str(built)],), name="first"),
        threading.Thread(target=second, name="second"),
    ]
    threads[0].start()
    assert first_holds.wait(20)
    threads[1].start()
    time.sleep(0.5)  # the second build is waiting for the lock the first holds
    release.set()
    for thread in threads:
        thread.join(20)
    assert [type(outcome) for outcome in outcomes] == [SystemExit]
    code, _, err = deploy_dry_run(built, capsys)
    assert code == 1 and "the last newsgen build failed" in err


def test_deploy_refuses_while_a_killed_build_has_left_its_staging_folder(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leftover = built / ".build.new-k1ll3d"
    (leftover / "2025").mkdir(parents=True)
    (leftover / ".newsgen-journal.json").write_text('[["replace", "2025/index.html", true]]')
    code, _, err = deploy_dry_run(built, capsys)
    assert code == 1 and [line for line in err.splitlines() if line.startswith("newsgen: error: ")] == [
        f"newsgen: error: {built / 'build'}: a newsgen build was stopped part-way and left .build.new-k1ll3d;"
        " build again before deploying"
    ]


def test_a_build_without_content_is_recorded_as_failed(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built / "content").rename(built / "content-elsewhere")
    code, _, err = run_cli(["build", "--source", str(built)], capsys)
    assert code == 2 and "content: no such folder" in err
    code, _, err = deploy_dry_run(built, capsys)
    assert code == 1 and "the last newsgen build failed" in err
