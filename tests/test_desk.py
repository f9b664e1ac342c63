"""The editors' desk: fronts.yaml leads the front pages, alerts.yaml raises banners; both by the clock, the quick way."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from conftest import NOW, SiteFactory, article, build_site, cli_build, digests, took_whole_way
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.errors import ContentError


def _story(day: int, section: str = "Transport") -> str:
    return article(f"headline: Story {day}\ndek: Dek {day}.\ndate: 2025-12-{day:02d}T09:00:00Z\nsection: {section}")


@pytest.fixture
def site(make_site: SiteFactory) -> Path:
    """Twelve stories, the odd ones in Transport, the even ones in City Hall; four a page."""
    files: dict[str, str | bytes] = {
        f"content/2025/12/story-{day}.md": _story(day, "Transport" if day % 2 else "City Hall") for day in range(1, 13)
    }
    files["newsgen.yaml"] = "per_page: 4\n"
    return make_site(files)


def headlines(page: Path) -> list[str]:
    return re.findall(r'class="recap-headline"><a href="[^"]*">([^<]*)</a>', page.read_text(encoding="utf-8"))


def test_a_front_shows_its_lead_then_its_top_stories_then_the_rest_newest_first(site: Path) -> None:
    (site / "fronts.yaml").write_text(
        "home:\n  lead: 2025/12/story-3.md\n  top: [2025/12/story-7.md, content/2025/12/story-12.md]\n"
        "transport:\n  lead: 2025/12/story-1.md\n"
    )
    build_site(site)
    assert headlines(site / "build/index.html") == ["Story 3", "Story 7", "Story 12", "Story 11"]
    assert headlines(site / "build/transport/index.html")[:2] == ["Story 1", "Story 11"]
    assert 'class="recaps front"' in (site / "build/transport/index.html").read_text(), "a section's lead leads"
    older = sorted((site / "build/page").glob("*/index.html"))
    assert [headlines(page) for page in older][0] == ["Story 4", "Story 3", "Story 2", "Story 1"], "older pages stay"


def test_pins_hold_from_and_until_their_moments_and_the_clock_brings_them_on_and_off(
    site: Path, tmp_path: Path
) -> None:
    (site / "fronts.yaml").write_text(
        "home:\n  top:\n"
        "    - {story: 2025/12/story-1.md, until: '2026-01-01T06:00:00Z'}\n"
        "    - {story: 2025/12/story-2.md, from: '2026-01-01T03:00:00Z'}\n"
    )
    output = tmp_path / "out"
    first = cli_build(site, output)
    assert headlines(output / "index.html")[:2] == ["Story 1", "Story 12"]
    assert first.next_change is not None and first.next_change.moment.hour == 3, "the schedule wakes CI for the pin"
    for hour, expected in ((4, ["Story 1", "Story 2"]), (7, ["Story 2", "Story 12"])):
        later = NOW.replace(hour=hour)
        result = build(BuildOptions(site, output, now=later), BuildSession(site / ".newsgen-cache"))
        assert headlines(output / "index.html")[:2] == expected, hour
        assert set(result.changed) <= {"index.html", ".newsgen-schedule.json"}, result.changed
        assert _digests_equal_clean(site, output, tmp_path, later)


def test_a_pin_naming_a_story_the_site_does_not_publish_is_a_warning_naming_its_line(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/a.md": _story(1),
            "content/later.md": article("headline: Later\ndate: 2026-06-01T00:00:00Z"),
            "fronts.yaml": "home:\n  top:\n    - a.md\n    - gone.md\n    - later.md\nsports:\n  lead: a.md\n",
        }
    )
    result = build_site(site)
    lines = [problem.format() for problem in result.warnings if problem.code == "front-pin"]
    assert any(
        line.endswith("fronts.yaml:4: warning: home: gone.md is not a published story " + _REST) for line in lines
    )
    assert any(":5: warning: home: later.md is not a published story" in line for line in lines), "embargoed"
    assert any(":6: warning: sports: no front is named 'sports'" in line for line in lines), lines
    assert headlines(site / "build/index.html") == ["Story 1"]


_REST = "(missing, a draft, embargoed or expired); the front shows its other stories"


def test_a_misshapen_fronts_file_fails_the_build_with_one_line_and_keeps_the_last_good_build(site: Path) -> None:
    build_site(site)
    before = (site / "build/index.html").read_bytes()
    (site / "fronts.yaml").write_text("home:\n  lead: /etc/passwd\n  tops: []\n")
    with pytest.raises(ContentError) as failed:
        build_site(site)
    lines = sorted(problem.format() for problem in failed.value.problems)
    assert lines[0].endswith(
        "fronts.yaml:2: home.lead: must be a story's file below content/, like 2026/11/2026-11-20-story.md, "
        "not '/etc/passwd'"
    ), lines
    assert lines[1].endswith("fronts.yaml:3: home.tops: unknown key; did you mean 'top'?"), lines
    assert (site / "build/index.html").read_bytes() == before


def test_alerts_are_published_as_json_and_on_the_front_page_most_urgent_first(site: Path) -> None:
    (site / "alerts.yaml").write_text(
        "alerts:\n"
        "  - {text: Council meets Thursday, level: info}\n"
        "  - {text: 'Bridge closed <b>now</b>', url: /transport/, level: breaking}\n"
        "  - {text: Ended, until: '2025-12-31T00:00:00Z'}\n"
        "  - {text: Later, from: '2026-01-02T00:00:00Z'}\n"
    )
    result = build_site(site)
    alerts = json.loads((site / "build/alerts.json").read_bytes())["alerts"]
    assert [(alert["level"], alert["text"], alert["url"]) for alert in alerts] == [
        ("breaking", "Bridge closed now", "/transport/"),
        ("info", "Council meets Thursday", None),
    ]
    front = (site / "build/index.html").read_text()
    assert front.index("Bridge closed now") < front.index("Council meets Thursday")
    assert '<a href="/transport/">Bridge closed now</a>' in front
    assert "Council meets" not in (site / "build/transport/index.html").read_text(), "other pages fetch them"
    assert '<script src="/theme/alerts.js" defer></script>' in (site / "build/transport/index.html").read_text()
    assert result.next_change is not None and result.next_change.reason == "alert starts"


def test_an_alert_with_another_scheme_is_refused(site: Path) -> None:
    (site / "alerts.yaml").write_text("- {text: Click, url: 'javascript:alert(1)'}\n")
    with pytest.raises(ContentError) as failed:
        build_site(site)
    assert [problem.field for problem in failed.value.problems] == ["[0].url"]


def test_fronts_and_alerts_edits_take_the_quick_way_and_rewrite_only_what_shows_them(
    site: Path, tmp_path: Path, whole_ways: list[object]
) -> None:
    output = tmp_path / "out"
    cli_build(site, output)
    (site / "fronts.yaml").write_text("home:\n  lead: 2025/12/story-2.md\n")
    assert not took_whole_way(whole_ways, site, output)
    (site / "fronts.yaml").write_text("home:\n  lead: 2025/12/story-5.md\n")
    result = cli_build(site, output)
    assert sorted(result.changed) == ["index.html"]
    (site / "alerts.yaml").write_text("- {text: Storm warning, level: developing}\n")
    result = cli_build(site, output)
    assert sorted(result.changed) == ["alerts.json", "index.html"]
    assert not took_whole_way(whole_ways, site, output)
    assert _digests_equal_clean(site, output, tmp_path, NOW)


def _digests_equal_clean(site: Path, output: Path, tmp_path: Path, now: datetime) -> bool:
    """Whether `output` holds the bytes a build from nothing gives at `now`."""
    scratch = tmp_path / f"clean-{now:%H}"
    build(BuildOptions(site, scratch / "build", now=now), BuildSession(scratch / "cache"))
    return digests(output) == digests(scratch / "build")


def test_taking_a_front_out_of_fronts_yaml_gives_its_page_back_its_newest_stories(site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    (site / "fronts.yaml").write_text("home:\n  lead: 2025/12/story-2.md\ntransport:\n  lead: 2025/12/story-1.md\n")
    cli_build(site, output)
    (site / "fronts.yaml").write_text("home:\n  lead: 2025/12/story-2.md\n")
    result = cli_build(site, output)
    assert result.changed == ["transport/index.html"]
    assert headlines(output / "transport/index.html") == ["Story 11", "Story 9", "Story 7", "Story 5"]
    assert _digests_equal_clean(site, output, tmp_path, NOW)


def test_every_edition_carries_the_alerts_and_only_the_default_edition_has_fronts(make_site: SiteFactory) -> None:
    site = make_site(
        {
            "content/a.md": _story(1),
            "content/b.md": _story(2),
            "content/es/c.md": article("headline: Historia\ndate: 2025-12-03T09:00:00Z"),
            "newsgen.yaml": "languages:\n  es: {title: El Faro}\n",
            "fronts.yaml": "home:\n  lead: a.md\n  top: [es/c.md]\n",
            "alerts.yaml": "- {text: Puente cerrado, level: breaking}\n",
        }
    )
    result = build_site(site)
    assert headlines(site / "build/index.html") == ["Story 1", "Story 2"]
    assert "Puente cerrado" in (site / "build/es/index.html").read_text()
    assert '<strong class="alert-level">Última hora</strong>' in (site / "build/es/index.html").read_text()
    assert any("es/c.md is in another language edition" in problem.message for problem in result.warnings)


def test_fields_a_cms_leaves_blank_read_as_not_given(site: Path) -> None:
    """Decap writes an empty text for an optional field cleared in its form."""
    (site / "fronts.yaml").write_text(
        "home:\n  lead: ''\n  top:\n    - {story: 2025/12/story-3.md, from: '', until: ''}\n"
        "transport:\n  lead: 2025/12/story-1.md\n  top: []\n"
    )
    (site / "alerts.yaml").write_text("alerts:\n  - {text: Storm, url: '', level: '', from: '', until: ''}\n")
    result = build_site(site)
    assert headlines(site / "build/index.html")[0] == "Story 3"
    alert = json.loads((site / "build/alerts.json").read_bytes())["alerts"][0]
    assert (alert["level"], alert["text"], alert["url"], alert["until"]) == ("info", "Storm", None, None)
    assert not [problem for problem in result.warnings if problem.path.name in ("fronts.yaml", "alerts.yaml")]
