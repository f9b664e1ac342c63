"""Issue 25, files a page names: each is read only when it is the site's to publish, bounded, and without blocking.

Item 4 (links to hidden files and newsgen's own folders), and a loop of links.
"""

from __future__ import annotations

import pytest

from conftest import SiteFactory, article, run_cli

GOOD = article("headline: Good story\ndek: All is well.\ndate: 2025-01-10\n")


def problem_lines(text: str, prefix: str = "content/") -> list[str]:
    return [line for line in text.splitlines() if line.startswith(prefix)]


# Item 4: links under static/ to hidden files and newsgen's own folders.


def test_links_to_hidden_files_and_newsgens_own_folders_are_never_published(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "content/2025-01-10-good.md": GOOD,
            ".git/config": "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
            ".env": "API_KEY=secret\n",
            ".newsgen-cache/articles.sqlite": "pickles",
            "static/public.txt": "fine\n",
        }
    )
    for name, target in {
        "x.txt": "../.git/config",
        "env.txt": "../.env",
        "cache": "../.newsgen-cache",
        "git": "../.git",
        "pickles.txt": "../.newsgen-cache/articles.sqlite",
        "again.txt": "public.txt",
    }.items():
        (site / "static" / name).symlink_to(target)
    monkeypatch.chdir(site)
    code, _, err = run_cli(["build", "--source", "."], capsys)
    assert code == 0, err
    published = {path.relative_to(site / "build").as_posix() for path in (site / "build").rglob("*")}
    assert {"public.txt", "again.txt"} <= published
    assert not {"x.txt", "env.txt", "cache", "git", "pickles.txt"} & {name.split("/")[0] for name in published}
    warned = sorted(line.split(":")[0] for line in problem_lines(err, "static/") if "not followed" in line)
    assert warned == ["static/cache", "static/env.txt", "static/git", "static/pickles.txt", "static/x.txt"]


def test_a_loop_of_links_under_static_is_one_warning_not_a_traceback(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/2025-01-10-good.md": GOOD, "static/ab.txt": "y"})
    (site / "static/loop").symlink_to("loop")  # found by the safe-open fuzz test: pathlib raises RuntimeError
    monkeypatch.chdir(site)
    code, _, err = run_cli(["build", "--source", "."], capsys)
    assert code == 0 and "Traceback" not in err
    assert "static/loop:1: warning: file: symlink loop; skipped" in err and (site / "build/ab.txt").is_file()
