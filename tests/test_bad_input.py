"""Each bad input gives one `path:line: field: message` line, exit 1, and leaves build/ untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SiteFactory, article, run_cli

GOOD = article("headline: Good story\ndek: All is well.\ndate: 2025-01-10\ntags: [Harbor]\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# name: (file content, line, field, message)
CASES: dict[str, tuple[str | bytes, int, str, str]] = {
    "missing front matter": ("Just a body.\n", 1, "front matter", "must start with a '---' line"),
    "unterminated front matter": ("---\nheadline: X\ndate: 2025-01-01\n", 1, "front matter", "not closed"),
    "invalid YAML": ("---\nheadline: X\ndate: 2025-01-01\ntags: [a, b\n---\n", 5, "front matter", "invalid YAML"),
    "python tag": (
        "---\nheadline: X\ndate: 2025-01-01\nx: !!python/object/apply:os.system ['touch pwned']\n---\n",
        4,
        "front matter",
        "unsafe YAML tag refused",
    ),
    "missing headline": (article("dek: X\ndate: 2025-01-01"), 2, "headline", "is required"),
    "missing date": (article("headline: X"), 2, "date", "is required"),
    "date in words": (article("headline: X\ndate: Jan 16th"), 3, "date", "not a valid date: 'Jan 16th'"),
    "impossible date": (article("headline: X\ndate: 2025-13-45"), 3, "date", "not a valid date: '2025-13-45'"),
    "headline not text": (article("headline: [A, B]\ndate: 2025-01-01"), 2, "headline", "must be text"),
    "tags not a list": (article("headline: X\ndate: 2025-01-01\ntags: {a: 1}"), 4, "tags", "must be a list"),
    "draft not a boolean": (article("headline: X\ndate: 2025-01-01\ndraft: 'no'"), 4, "draft", "true or false"),
    "image without alt": (
        article("headline: X\ndate: 2025-01-01\nimage:\n  src: https://img.example/a.jpg\n  caption: C"),
        4,
        "image.alt",
        "is required",
    ),
    "javascript URL": (
        article("headline: X\ndate: 2025-01-01\nrelated:\n  - {title: T, url: 'javascript:alert(1)'}"),
        5,
        "related[0].url",
        "scheme 'javascript:' is not allowed",
    ),
    "data URL": (
        article("headline: X\ndate: 2025-01-01\nsources:\n  - name: S\n    url: 'data:text/html,<b>'"),
        6,
        "sources[0].url",
        "scheme 'data:' is not allowed",
    ),
    "body image without alt": (
        article("headline: X\ndate: 2025-01-01", "Para.\n\n![](https://img.example/a.jpg)\n"),
        7,
        "body",
        "needs alt text",
    ),
    "URL collision": (
        article("headline: Other\ndate: 2025-01-10\nslug: good-story"),
        4,
        "url",
        "/2025/01/10/good-story/ is also the URL of an article at content/2025-01-10-good-story.md:4",
    ),
    "not UTF-8": (b"---\nheadline: caf\xe9\ndate: 2025-01-01\n---\n", 2, "file", "not UTF-8"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_clear_line_and_keeps_the_last_good_build(
    name: str, make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content, line, field, message = CASES[name]
    site = make_site({"content/2025-01-10-good-story.md": GOOD})
    monkeypatch.chdir(site)
    assert run_cli(["build"], capsys)[0] == 0
    before = snapshot(site / "build")

    (site / "content/bad.md").write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = run_cli(["build"], capsys)

    assert code == 1
    problem_lines = [text for text in err.splitlines() if text.startswith("content/") and ": warning: " not in text]
    assert len(problem_lines) == 1, err
    assert problem_lines[0].startswith(f"content/bad.md:{line}: {field}: "), problem_lines[0]
    assert message in problem_lines[0]
    assert "Traceback" not in err and out == ""
    assert snapshot(site / "build") == before
    assert not (site / "pwned").exists()
    assert [p.name for p in site.iterdir() if p.name.startswith(".build.new-")] == [], "no staging folder is left"


def test_all_problems_of_a_run_are_reported_at_once(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(
        {
            "content/a.md": article("headline: X\ndate: nope"),
            "content/b.md": article("headlne: X\ndate: 2025-01-01"),
            "content/c.md": "no front matter",
        }
    )
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1
    assert "a.md:3: date: not a valid date" in err
    assert "b.md:2: warning: headlne: unknown key; did you mean 'headline'?" in err
    assert "b.md:2: headline: is required" in err
    assert "c.md:1: front matter: missing" in err
    assert "Build failed: 3 errors" in err


def test_symlink_out_of_the_site_is_skipped_with_a_warning(
    make_site: SiteFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(article("headline: Secret memo\ndate: 2025-01-01"), encoding="utf-8")
    site = make_site({"content/2025-01-10-good-story.md": GOOD, "static/notes.txt": "ok"})
    os.symlink(secret, site / "content/leak.md")
    os.symlink(tmp_path / "secret.md", site / "static/leak.txt")
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0
    assert "leak.md:1: warning: file: symlink points outside the site; skipped" in err
    assert "leak.txt:1: warning: file: symlink points outside the site; skipped" in err
    published = b"".join(p.read_bytes() for p in (site / "build").rglob("*") if p.is_file())
    assert b"Secret memo" not in published and not (site / "build/leak.txt").exists()


def test_unknown_key_is_a_warning_with_did_you_mean(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/a.md": article("headline: X\ndate: 2025-01-01\ntgas: [a]")})
    code, out, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 0 and "Built" in out
    assert "a.md:4: warning: tgas: unknown key; did you mean 'tags'?" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(["build", "--no-such-flag"], capsys)
    assert exit_info.value.code == 2
    assert run_cli(["build", "--source", str(tmp_path / "missing")], capsys)[0] == 2
