"""`newsgen check`: every problem a build would report, found by doing all a build does but write."""

from __future__ import annotations

from pathlib import Path

import jinja2

from newsgen.engine.plan.loop import template_problem
from newsgen.engine.plan.whole import copied_files, decide, site_renderer
from newsgen.engine.session import BuildSession
from newsgen.errors import ContentError, Problem
from newsgen.options import BuildOptions
from newsgen.read.oldsitemap import lost_urls, sitemap_paths
from newsgen.render.specs import page_specs
from newsgen.site.clock import Selection
from newsgen.site.embargodates import unlikely_embargoes


def check(options: BuildOptions, cache_dir: Path | None = None, old_sitemap: str | None = None) -> list[Problem]:
    """Every problem a build would report, found by rendering every page without writing any.

    With `cache_dir`, articles come from and go to the article cache, as a build's do. With
    `old_sitemap`, also which URLs of that sitemap the site would no longer have.
    """
    try:
        checked = decide(options, BuildSession(cache_dir))
        renderer = site_renderer(checked)
        specs = page_specs(checked.site, checked.config, options.now)
        for spec in specs:
            renderer.render(spec)
    except ContentError as exc:
        return exc.problems
    except jinja2.TemplateError as exc:
        return [template_problem(exc)]
    problems = list(checked.problems)
    articles = [loaded.article for loaded in checked.sources.values() if loaded.article is not None]
    problems += unlikely_embargoes(articles, Selection(options.drafts, options.future, options.now))
    if old_sitemap is not None:
        old, sitemap_problems = sitemap_paths(old_sitemap)
        published = {spec.url for spec in specs} | {url for url, _ in copied_files(checked.site)}
        problems += sitemap_problems + lost_urls(old, published)
    return sorted(problems)
