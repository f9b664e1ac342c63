"""The preview lists the stories scheduled to go live, with their times: `/__newsgen__/scheduled`.

Only `newsgen serve` answers it, behind the preview's Host and Origin checks, and no build writes it: embargo
times are not for readers. A date that looks like a slip (a day without its time) is marked.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from conftest import SiteFactory, article, build_site
from newsgen.engine import BuildOptions, BuildSession
from newsgen.engine.scheduled import scheduled_stories
from newsgen.preview.scheduled import scheduled_page
from serving import ServeProcess

NOW = datetime(2026, 12, 1, tzinfo=UTC)  # the preview's clock in serving.py (SOURCE_DATE_EPOCH)


def _site(make_site: SiteFactory) -> Path:
    return make_site(
        {
            "content/2026/out.md": article("headline: Already out\ndate: 2026-11-30T08:00:00Z"),
            "content/2026/later.md": article("headline: Budget vote results\ndate: 2026-12-03T18:30:00-05:00"),
            "content/2026/soon.md": article("headline: Ferry <timetable>\ndate: 2026-12-02T06:00:00Z"),
            "content/2026/day.md": article("headline: Day only\ndate: 2026-12-05"),
            "content/2026/draft.md": article("headline: A draft\ndate: 2026-12-02T07:00:00Z\ndraft: true"),
        }
    )


def test_scheduled_stories_are_the_embargoed_ones_soonest_first_with_slips_marked(make_site: SiteFactory) -> None:
    site = _site(make_site)
    stories = scheduled_stories(BuildOptions(site, site / "build", now=NOW), BuildSession(None))
    assert [(story.headline, story.moment.isoformat()) for story in stories] == [
        ("Ferry <timetable>", "2026-12-02T06:00:00+00:00"),
        ("Budget vote results", "2026-12-03T18:30:00-05:00"),
        ("Day only", "2026-12-05T00:00:00+00:00"),
    ]
    assert [story.warning is not None for story in stories] == [False, False, True]
    page = scheduled_page(stories).decode()
    assert "Ferry &lt;timetable&gt;" in page and "<timetable>" not in page, "headlines are escaped"
    assert '<time datetime="2026-12-03T18:30:00-05:00">' in page and "Check the date: 2026-12-05 has no time" in page
    assert "No story is scheduled" in scheduled_page([]).decode()


def test_the_preview_serves_the_list_to_its_own_origin_only_and_builds_never_write_it(make_site: SiteFactory) -> None:
    site = _site(make_site)
    server = ServeProcess(site)
    try:
        status, body = server.get("/__newsgen__/scheduled")
        assert status == 200 and body.decode().index("Ferry &lt;timetable&gt;") < body.decode().index("Budget vote")
        assert "A draft" not in body.decode() and "Already out" not in body.decode()
        assert server.request("GET", "/__newsgen__/scheduled", {"Host": "attacker.example"})[0] == 403
        origin = {"Origin": "http://attacker.example"}
        assert server.request("GET", "/__newsgen__/scheduled", origin)[0] == 403
        (site / "content/2026/new.md").write_text(article("headline: Added later\ndate: 2026-12-04T09:00:00Z"))
        deadline = time.monotonic() + 10
        while b"Added later" not in server.get("/__newsgen__/scheduled")[1] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b"Added later" in server.get("/__newsgen__/scheduled")[1], "the list follows the files"
        assert any("/__newsgen__/scheduled" in line for line in server.output)
    finally:
        server.stop()
    build_site(site)
    assert not list((site / "build").rglob("*scheduled*")) and not (site / "build/__newsgen__").exists()
