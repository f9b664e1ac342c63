"""The preview's state machine: requests wait for a running rebuild; a failed rebuild keeps the last good pages."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SiteFactory, article
from newsgen.engine import BuildOptions, build
from newsgen.preview.rebuilds import Preview


def test_requests_wait_for_a_running_rebuild(make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/a.md": article("headline: A\ndek: D.\ndate: 2025-01-01")})
    preview = Preview(BuildOptions(site, site / "build"))
    try:
        preview.rebuild()
        started, release = threading.Event(), threading.Event()

        def slow_build(*args: object, **kwargs: object) -> object:
            started.set()
            release.wait(5)
            return build(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(sys.modules["newsgen.preview.rebuilds"], "build", slow_build)
        rebuilding = threading.Thread(target=preview.rebuild)
        rebuilding.start()
        assert started.wait(5)
        waited: list[float] = []

        def request_a_page() -> None:
            preview.wait_until_idle()
            waited.append(time.monotonic())

        request = threading.Thread(target=request_a_page)
        request.start()
        time.sleep(0.2)
        assert waited == [], "a request during a rebuild is held"
        released_at = time.monotonic()
        release.set()
        rebuilding.join(5)
        request.join(5)
        assert waited and waited[0] >= released_at
        assert preview.latest.number == 2 and preview.latest.problems == ()
    finally:
        preview.close()


def test_a_broken_story_is_held_with_its_last_good_page(make_site: SiteFactory) -> None:
    site = make_site({"content/a.md": article("headline: Good\ndek: D.\ndate: 2025-01-01")})
    preview = Preview(BuildOptions(site, site / "build"))
    try:
        preview.rebuild()
        page = preview.output_dir / "2025/01/01/a/index.html"
        before = page.read_bytes()
        (site / "content/a.md").write_text("---\nheadline: Broken\n")
        event = preview.rebuild()
        assert not event.problems and "front matter: not closed" in event.held[0]
        assert page.read_bytes() == before and preview.has_good_build
        assert not Path(site / "build").exists(), "the preview never writes the publish folder"
    finally:
        preview.close()
    assert not preview.output_dir.exists()
