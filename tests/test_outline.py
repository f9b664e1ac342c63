"""The quick way arranges the site from the index's outlines: they must place every story as the story itself does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsgen.engine import BuildOptions, BuildSession
from newsgen.engine.plan.whole import decide
from newsgen.read.files import CONTENT_DIR
from newsgen.render.specs import page_specs
from newsgen.site.clock import Selection
from newsgen.site.collect import arrange_site
from newsgen.site.outline import outline

SAMPLE = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 12, 7, tzinfo=UTC)  # the sample site's stories: one embargoed, one in a series, corrections


def test_the_sample_sites_outlines_give_every_page_the_spec_its_stories_give(tmp_path: Path) -> None:
    options = BuildOptions(SAMPLE, tmp_path / "build", now=NOW)
    decided = decide(options, BuildSession(tmp_path / "cache"))
    site = decided.site
    outlines = [outline(source.article) for _, source in sorted(decided.sources.items()) if source.article]
    assert len(outlines) > len(site.articles), "the sample has an embargoed story the outlines keep"
    selection = Selection(False, False, NOW)
    desk = decided.desk.desk
    assert desk.fronts and desk.alerts, "the sample's editors pin stories and raise an alert"
    arranged, _ = arrange_site(outlines, (), decided.config, SAMPLE / CONTENT_DIR, selection, site.pages, desk)
    assert page_specs(arranged, decided.config, NOW) == page_specs(site, decided.config, NOW)
    assert all(outline(article).body == b"" and outline(article).image is None for article in site.articles)
