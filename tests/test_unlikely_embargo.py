"""`newsgen check` warns of a future date that looks like no embargo anyone meant.

A story saved with a future date is embargoed and publishes by itself (the CMS gets scheduling for free), so a
slip keeps it off the site silently: a mistyped year, or a date-only value (a CMS date field left without its
time) that lifts at midnight. Real embargoes, past dates (archives are full of date-only ones) and drafts are
left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import NOW, SiteFactory, article, run_cli
from newsgen.engine.check import check
from newsgen.options import BuildOptions


def _story(date: str, *, draft: bool = False) -> str:
    return article(f"headline: A story\ndek: Its dek.\ndate: {date}\ndraft: {'true' if draft else 'false'}\n")


def _warnings(site: Path) -> list[str]:
    problems = check(BuildOptions(site, site / "build", now=NOW))
    return [problem.format() for problem in problems if problem.code == "unlikely-embargo"]


def test_a_mistyped_year_and_a_date_without_its_time_are_warned_on_the_date_line(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "newsgen.yaml": "base_url: https://news.example.org/\ntimezone: America/New_York\n",
            "content/2027/far.md": _story("2027-06-01T09:00:00-04:00"),
            "content/2026/day.md": _story("2026-03-02"),  # YAML reads it as a date
            "content/2026/day-text.md": _story("'2026-03-03'"),
        }
    )
    assert _warnings(site) == [
        f"{site}/content/2026/day-text.md:4: warning: date: 2026-03-03 has no time of day, so the story is embargoed"
        " until midnight (2026-03-03T00:00:00-05:00); give the time it should go live, like 2026-03-03T06:00:00-05:00",
        f"{site}/content/2026/day.md:4: warning: date: 2026-03-02 has no time of day, so the story is embargoed"
        " until midnight (2026-03-02T00:00:00-05:00); give the time it should go live, like 2026-03-02T06:00:00-05:00",
        f"{site}/content/2027/far.md:4: warning: date: 2027-06-01T09:00:00-04:00 is more than a year ahead, so the"
        " story stays unpublished until then; is the year right?",
    ]


def test_real_embargoes_past_days_and_drafts_are_left_alone(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/2026/embargo.md": _story("2026-03-02T06:00:00-05:00"),
            "content/2026/next-year.md": _story("2026-12-20T06:00:00Z"),
            "content/2025/archive.md": _story("2025-06-01"),
            "content/2031/draft.md": _story("2031-01-01", draft=True),
        }
    )
    assert _warnings(site) == []


def test_check_prints_the_warning_and_only_strict_fails_on_it(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    soon = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    site = make_site({"newsgen.yaml": "base_url: https://news.example.org/\n", "content/day.md": _story(f"'{soon}'")})
    code, out, _ = run_cli(["check", "--source", str(site)], capsys)
    assert code == 0
    assert out.splitlines()[0] == (
        f"{site}/content/day.md:4: warning: date: {soon} has no time of day, so the story is embargoed until"
        f" midnight ({soon}T00:00:00+00:00); give the time it should go live, like {soon}T06:00:00+00:00"
    )
    assert run_cli(["check", "--source", str(site), "--strict"], capsys)[0] == 1
