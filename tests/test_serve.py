"""The real preview server in a subprocess: edits reload, bad edits show, the server lives."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SiteFactory, article
from serving import EventStream, ServeProcess

STORY = "content/2025-01-16-ferry.md"


@pytest.fixture
def served(make_site: SiteFactory) -> Iterator[tuple[Path, ServeProcess]]:
    site = make_site(
        {
            STORY: article("headline: Ferry fares frozen\ndate: 2025-01-16\ntags: [Ferries]"),
            "content/2025-01-10-older.md": article("headline: Older story\ndate: 2025-01-10"),
        }
    )
    server = ServeProcess(site)
    yield site, server
    if server.process.poll() is None:
        server.stop()


def save(path: Path, text: str) -> None:
    """Save the way many editors do: write a temporary file, then rename it over the original."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def test_edit_reloads_bad_edit_shows_error_fix_recovers(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    status, body = server.get("/2025/01/16/ferry/")
    assert status == 200 and b"<h1>Ferry fares frozen</h1>" in body and b"EventSource" in body
    events = EventStream(server.port)
    first = events.next()
    assert first["problems"] == []

    save(site / STORY, article("headline: Ferry fares cut\ndate: 2025-01-16\ntags: [Ferries]"))
    edit = events.next()
    assert edit["number"] == first["number"] + 1 and edit["problems"] == []
    assert "2025/01/16/ferry/index.html" in edit["changed"] and "index.html" in edit["changed"]
    assert "404.html" not in edit["changed"]
    assert b"<h1>Ferry fares cut</h1>" in server.get("/2025/01/16/ferry/")[1]

    save(site / STORY, "---\nheadline: Ferry fares cut\ndate: Jan 16th\n---\nBody.\n")
    held = events.next()
    assert held["problems"] == [] and len(held["held"]) == 1, "a broken story is held back; the build goes on"
    assert "content/2025-01-16-ferry.md:3: date: not a valid date: 'Jan 16th'" in held["held"][0]
    status, body = server.get("/2025/01/16/ferry/")
    assert status == 200 and b"<h1>Ferry fares cut</h1>" in body, "its last good version is still served"

    save(site / STORY, article("headline: Ferry fares fixed\ndate: 2025-01-16\ntags: [Ferries]"))
    fixed = events.next()
    assert fixed["problems"] == [] and fixed["held"] == [] and "2025/01/16/ferry/index.html" in fixed["changed"]
    assert b"<h1>Ferry fares fixed</h1>" in server.get("/2025/01/16/ferry/")[1]

    older = site / "content/2025-01-10-older.md"
    save(older, article("headline: Older story, moved\ndate: 2025-01-16\nslug: ferry"))  # two stories, one URL
    clash = events.next()
    assert clash["problems"] == [] and len(clash["held"]) == 2, "both are held back; the build goes on"
    assert all(": url: /2025/01/16/ferry/ is also the URL of an article" in line for line in clash["held"])
    assert b"<h1>Ferry fares fixed</h1>" in server.get("/2025/01/16/ferry/")[1], "each keeps its last good version"
    assert b"<h1>Older story</h1>" in server.get("/2025/01/10/older/")[1]
    save(older, article("headline: Older story\ndate: 2025-01-10"))
    assert events.next()["held"] == []

    save(site / "newsgen.yaml", "per_page: none\n")
    failed = events.next()
    assert len(failed["problems"]) == 1 and "per_page" in failed["problems"][0]
    assert b"<h1>Ferry fares fixed</h1>" in server.get("/2025/01/16/ferry/")[1], (
        "a failed build keeps the last good pages"
    )
    (site / "newsgen.yaml").unlink()
    recovered = events.next()
    assert recovered["problems"] == [] and recovered["held"] == []
    events.close()


@pytest.mark.slow
def test_editor_scratch_files_do_not_rebuild_and_a_burst_rebuilds_once(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    events = EventStream(server.port)
    first = events.next()
    for name in (".ferry.md.swp", "ferry.md~", ".#ferry.md", ".DS_Store", "4913"):
        (site / "content" / name).write_text("scratch")
    (site / "content/4913").unlink()  # vim's write test file, gone at once
    with pytest.raises(queue.Empty):  # no event arrived
        events.next(timeout=0.6)
    for headline in ("One", "Two", "Three"):
        (site / STORY).write_text(article(f"headline: {headline}\ndate: 2025-01-16"), encoding="utf-8")
    burst = events.next()
    assert burst["number"] == first["number"] + 1
    with pytest.raises(queue.Empty):  # no event arrived
        events.next(timeout=0.6)
    assert b"<h1>Three</h1>" in server.get("/2025/01/16/ferry/")[1]
    events.close()


def test_deleted_article_page_is_gone_and_css_change_is_css_only(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    events = EventStream(server.port)
    events.next()
    (site / "content/2025-01-10-older.md").unlink()
    deleted = events.next()
    assert "2025/01/10/older/index.html" in deleted["changed"] and not deleted["css_only"]
    status, body = server.get("/2025/01/10/older/")
    assert status == 404 and b"Page not found" in body
    (site / "static/theme").mkdir(parents=True)
    (site / "static/theme/newsgen.css").write_text("body { color: teal; }")
    restyled = events.next()
    assert restyled["css_only"] and restyled["changed"] == ["theme/newsgen.css"]
    events.close()


def test_http_rules(served: tuple[Path, ServeProcess]) -> None:
    _, server = served
    status, headers, _ = server.request("GET", "/2025/01/16/ferry")
    assert status == 301 and headers["location"] == "/2025/01/16/ferry/"
    status, headers, body = server.request("HEAD", "/2025/01/16/ferry/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8" and body == b""
    assert int(headers["content-length"]) > 0
    assert server.request("GET", "/theme/newsgen.css")[1]["content-type"] == "text/css; charset=utf-8"
    status, _, body = server.request("GET", "/no/such/page/")
    assert status == 404 and b"Page not found" in body
    for method in ("POST", "PUT", "DELETE"):
        status, headers, _ = server.request(method, "/")
        assert status == 405 and headers["allow"] == "GET, HEAD"
    assert server.request("GET", "/%2e%2e/%2e%2e/etc/passwd")[0] == 404
    assert server.request("GET", "/", {"Host": "attacker.example"})[0] == 403
    assert server.request("GET", "/", {"Host": f"localhost:{server.port}"})[0] == 200
    foreign = EventStream(server.port, {"Origin": "http://attacker.example"})
    assert foreign.response.status == 403
    rebinding = EventStream(server.port, {"Host": f"attacker.example:{server.port}"})
    assert rebinding.response.status == 403
    assert server.get("/")[0] == 200, "the server keeps answering"


def test_sigterm_stops_within_a_second_and_cleans_up(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    events = EventStream(server.port)
    events.next()
    assert [p.name for p in server.temp_dir.iterdir()][0].startswith("newsgen-preview-")
    assert server.stop() < 1.0
    assert server.process.returncode == 0
    assert list(server.temp_dir.iterdir()) == []
    assert not (site / "build").exists(), "the preview never writes the publish folder"


def test_first_build_failing_serves_an_error_page_until_fixed(make_site: SiteFactory) -> None:
    site = make_site({STORY: article("headline: Ferry\ndate: 2025-01-16"), "newsgen.yaml": "per_page: none\n"})
    server = ServeProcess(site)
    try:
        status, body = server.get("/")
        assert status == 500 and b"per_page" in body
        events = EventStream(server.port)
        assert events.next()["problems"]
        save(site / "newsgen.yaml", "per_page: 5\n")
        assert events.next()["problems"] == []
        time.sleep(0.05)
        assert b"<h1>Ferry</h1>" in server.get("/2025/01/16/ferry/")[1]
    finally:
        server.stop()


def test_a_broken_first_story_is_held_and_the_rest_of_the_site_is_served(make_site: SiteFactory) -> None:
    site = make_site(
        {STORY: "---\nheadline: Broken\n", "content/2025-01-10-older.md": article("headline: Older\ndate: 2025-01-10")}
    )
    server = ServeProcess(site)
    try:
        assert server.get("/")[0] == 200 and b"<h1>Older</h1>" in server.get("/2025/01/10/older/")[1]
        events = EventStream(server.port)
        first = events.next()
        assert first["problems"] == [] and "front matter: not closed" in first["held"][0]
        save(site / STORY, article("headline: Repaired\ndate: 2025-01-16"))
        assert events.next()["held"] == []
        time.sleep(0.05)
        assert b"<h1>Repaired</h1>" in server.get("/2025/01/16/ferry/")[1]
    finally:
        server.stop()
