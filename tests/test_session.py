"""A warm build session (the preview's) gives exactly the bytes of a fresh build, edit after edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import NOW, SiteFactory, article, digests, png
from newsgen.engine import BuildOptions, BuildSession, build


def test_warm_session_matches_fresh_build_after_every_kind_of_edit(make_site: SiteFactory, tmp_path: Path) -> None:
    site = make_site(
        {
            "content/a/2025-01-10-one.md": article(
                "headline: One\ndate: 2025-01-10\ntags: [Port]\nimage: {src: p.png, alt: A pier}"
            ),
            "content/a/p.png": png(40, 20),
            "content/2025-01-12-two.md": article(
                "headline: Two\ndate: 2025-01-12\nseries: S", "![Gull](/images/g.png)\n"
            ),
            "static/images/g.png": png(10, 10),
        }
    )
    session = BuildSession()
    warm = tmp_path / "warm"

    edits: list[Callable[[], object]] = [
        lambda: None,
        lambda: (site / "content/2025-01-12-two.md").write_text(
            article("headline: Two, edited\ndate: 2025-01-12\nseries: S", "![Gull](/images/g.png)\n")
        ),
        lambda: (site / "content/a/p.png").write_bytes(png(80, 40)),
        lambda: (site / "static/images/g.png").write_bytes(png(30, 30)),
        lambda: (site / "content/2025-01-13-three.md").write_text(
            article("headline: Three\ndate: 2025-01-13\ntags: [Port]")
        ),
        lambda: (site / "templates").mkdir(),
        lambda: (site / "templates/404.html").write_text(
            '{% extends "base.html" %}{% block main %}<h1>Lost</h1>{% endblock %}'
        ),
        lambda: (site / "newsgen.yaml").write_text("title: Renamed\nper_page: 1\n"),
        lambda: (site / "content/a/2025-01-10-one.md").unlink(),
    ]
    for number, edit in enumerate(edits):
        edit()
        build(BuildOptions(site, warm, now=NOW), session)
        fresh = tmp_path / f"fresh-{number}"
        build(BuildOptions(site, fresh, now=NOW))
        assert digests(warm) == digests(fresh), f"after edit {number}"
