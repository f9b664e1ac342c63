"""The whole way of a build: load every article, decide the site, key every page, render what changed, write.

Also `check`, which does all of that but writing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from newsgen.build.cache import article_settings_key
from newsgen.site.collect import Selection, collect_site
from newsgen.config import SiteConfig, load_config
from newsgen.errors import ContentError, Problem, raise_if_errors
from newsgen.read.files import CONFIG_FILE, TEMPLATES_DIR, settled
from newsgen.read.load import SourceFile, load_site
from newsgen.models import PageSpec, Site, Term, article_id
from newsgen.options import BuildOptions, BuildResult
from newsgen.render.outputs.sitemaps import NEWS_WINDOW, news_window
from newsgen.build.progress import ProgressBar
from newsgen.render.pages import PageRenderer, page_specs, site_pools
from newsgen.build.staging import render_into, template_problem
from newsgen.build.index import SiteIndex, SiteMeta, SourceRecord
from newsgen.theme import theme_dir
from newsgen.build.write import Manifest, SiteWriter

if TYPE_CHECKING:
    from newsgen.build.run import BuildSession


@dataclass(frozen=True)
class Plan:
    """A site loaded, checked and decided, ready to render."""

    config: SiteConfig
    site: Site
    environment: jinja2.Environment
    problems: list[Problem]  # warnings only: a plan with errors is never made
    sources: dict[str, SourceFile]  # every file under content/
    scanned_at: int  # when content/ was scanned, in ns


def plan(options: BuildOptions, session: BuildSession) -> Plan:
    """Load -> collect, and the templates. Raises ContentError with every problem found."""
    source = options.source_dir.resolve()
    config, problems = load_config(source)
    raise_if_errors(problems)
    loaded = load_site(source, config, session.articles, options.jobs, ProgressBar(options.progress))
    problems += loaded.problems
    selection = Selection(options.drafts, options.future, options.now)
    site, collisions = collect_site(loaded.articles, loaded.static_files, config, source / CONFIG_FILE, selection)
    problems += collisions
    raise_if_errors(problems)
    environment = session.environment([source / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR], config)
    return Plan(config, site, environment, problems, loaded.sources, loaded.scanned_at)


def _renderer(planned: Plan) -> PageRenderer:
    """A renderer for every page of a planned site."""
    site, config = planned.site, planned.config
    articles = {article_id(article): article for article in site.articles}
    return PageRenderer(planned.environment, config, _nav(site), articles, site_pools(site, config))


def _nav(site: Site) -> tuple[Term, ...]:
    return tuple(collection.term for collection in site.sections)


def check(options: BuildOptions, cache_dir: Path | None = None) -> list[Problem]:
    """Every problem a build would report, found by rendering every page without writing any.

    With `cache_dir`, articles come from and go to the article cache, as a build's do.
    """
    from newsgen.build.run import BuildSession  # build imports this module when it needs it

    try:
        checked = plan(options, BuildSession(cache_dir))
        renderer = _renderer(checked)
        for spec in page_specs(checked.site, checked.config, options.now):
            renderer.render(spec)
    except ContentError as exc:
        return exc.problems
    except jinja2.TemplateError as exc:
        return [template_problem(exc)]
    return sorted(checked.problems)


def whole_build(options: BuildOptions, session: BuildSession, index: SiteIndex | None, inputs: bytes, started: float) -> BuildResult:
    """Plan, render what changed, write; and leave the index for the next build."""
    planned = plan(options, session)
    site, warnings = planned.site, tuple(sorted(planned.problems))
    specs, rendered, changed = _write_site(planned, options, session, index, inputs)
    seconds = time.perf_counter() - started
    return BuildResult(len(site.articles), len(specs), rendered, len(changed), seconds, warnings, changed, site.next_change)


def _write_site(planned: Plan, options: BuildOptions, session: BuildSession, index: SiteIndex | None,
                inputs: bytes) -> tuple[list[PageSpec], int, list[str]]:  # fmt: skip
    """Render what changed, copy static files, commit; returns the specs, how many pages were rendered, and the files changed."""
    site = planned.site
    previous = index.manifest() if index is not None else session.manifest(options.output_dir)
    with SiteWriter(options.output_dir, previous) as writer:
        specs = page_specs(site, planned.config, options.now)
        renderer = _renderer(planned)
        try:
            jobs = [renderer.job(spec) for spec in specs]
        except jinja2.TemplateError as exc:
            raise ContentError([*planned.problems, template_problem(exc)]) from None
        to_render = [job for job in jobs if not writer.reuse(job.url, job.key)]
        render_into(writer, to_render, options.jobs, planned.problems, ProgressBar(options.progress))
        for article in site.articles:
            for asset in article.assets:
                writer.copy(asset.url, asset.source)
        for static in site.static_files:
            writer.copy(static.url, static.source)
        # The folder is about to change: until recorded, trust nothing.
        if index is not None:
            index.invalidate()
        else:
            session.remember(options.output_dir, {})
        changed = writer.commit()
        if index is not None:
            _save_index(index, planned, options, inputs, specs, writer.manifest, renderer.template_digests())
        else:
            session.remember(options.output_dir, writer.manifest)
    return specs, len(to_render), changed


def _save_index(index: SiteIndex, planned: Plan, options: BuildOptions, inputs: bytes, specs: list[PageSpec],
                manifest: Manifest, templates: dict[str, bytes]) -> None:  # fmt: skip
    """What the next build needs to take the quick way."""
    site, config = planned.site, planned.config
    sources, signatures = {}, {}
    own: set[Problem] = set()
    for path, loaded in planned.sources.items():
        signatures[path] = settled(loaded.signature, planned.scanned_at)
        sources[path] = SourceRecord(loaded.article_key, loaded.structure, loaded.problems)
        own.update(loaded.problems)
    site_problems = tuple(problem for problem in sorted(planned.problems) if problem not in own)
    meta = SiteMeta(inputs, _valid_until(site, options.now), len(site.articles), len(specs), site.next_change, site_problems,
                    _nav(site), site_pools(site, config), templates, article_settings_key(config))  # fmt: skip
    index.save(meta, signatures, manifest, sources, specs)


def _valid_until(site: Site, now: datetime) -> datetime | None:
    """When this build's output stops being true by the clock alone: an embargo, an expiry, the news window."""
    moments = [article.date + NEWS_WINDOW for article in news_window(site.articles, now)]
    if site.next_change is not None:
        moments.append(site.next_change.moment)
    return min(moments, default=None)
