"""The whole way: load every article (from the cache where it can), decide the site, and plan every page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from newsgen.body.images import ImageLocator
from newsgen.config import SiteConfig, key_line
from newsgen.engine.context import BuildContext
from newsgen.engine.imaging import article_copies, rendition_copies, renditions_of
from newsgen.engine.index import IndexDelta, PageRecord, SiteIndex, SiteMeta, SourceRecord
from newsgen.engine.plan.load import LoadedSite, PublishedKeys, SourceFile, hold, load_site
from newsgen.engine.plan.loop import Plan
from newsgen.engine.plan.shrink import refuse_to_shrink
from newsgen.engine.plan.standalone import load_pages
from newsgen.engine.progress import ProgressBar
from newsgen.errors import Problem, raise_if_errors
from newsgen.models import Desk, Site, StandalonePage, Term, article_id
from newsgen.options import BuildOptions
from newsgen.read.desk import ReadDesk
from newsgen.read.files import CONFIG_FILE, LOCALES_DIR, settled
from newsgen.render.environment import environment_catalogs, template_messages
from newsgen.render.renderer import PageRenderer
from newsgen.render.specs import PageSpec, page_specs, site_pools
from newsgen.site.clock import Selection
from newsgen.site.collect import Clash, collect_site
from newsgen.site.menus import menu_entries
from newsgen.site.outline import outline
from newsgen.theme import theme_dir
from newsgen.translate import is_source_language, template_catalog_messages, translation_problems

if TYPE_CHECKING:
    from newsgen.engine.session import BuildSession


@dataclass(frozen=True)
class DecidedSite:
    """A site loaded, checked and decided, ready to render."""

    config: SiteConfig
    site: Site
    environment: jinja2.Environment
    problems: list[Problem]  # warnings, and the errors of held articles: a site with other errors is never decided
    arranged: tuple[Problem, ...]  # those of them the site's arrangement found: links, translations, collisions
    sources: dict[str, SourceFile]  # every file under content/
    scanned_at: int  # when content/ was scanned, in ns
    article_settings: bytes  # the article cache settings key the articles were read with
    page_files: dict[str, PageRecord]  # every file under pages/
    desk: ReadDesk  # the editors' fronts and alerts it was arranged with

    @property
    def held(self) -> tuple[str, ...]:
        """The article files held back for their errors."""
        return tuple(path for path, source in sorted(self.sources.items()) if source.held)


def decide(
    options: BuildOptions,
    session: BuildSession,
    published: PublishedKeys | None = None,
    context: BuildContext | None = None,
) -> DecidedSite:
    """Load -> collect, and the templates (from `context`, when the build has one). Raises ContentError with every
    problem found.

    When the build keeps going (`--keep-going`, `keep_going: true`), an article
    with errors is held (see `load_site`) and only other errors fail the build.
    """
    context = context or BuildContext(options, session)
    source, config, problems = context.source, context.config, list(context.settings[1])
    raise_if_errors(problems)
    desk = context.desk
    problems += desk.problems
    raise_if_errors(problems)
    if not (options.keep_going or config.keep_going):
        published = None  # nothing is held: an article with errors fails the build
    elif published is None:
        published = _never_published
    loaded = load_site(source, config, session.articles, options.jobs, ProgressBar(options.progress), published)
    try:
        pages = load_pages(source, config, ImageLocator(loaded.static_files, source, config.images))
        problems += [*loaded.problems, *pages.problems]
        selection = context.selection
        loaded, site, collisions, stuck = _collect(
            loaded, pages.pages, config, source, selection, session, published, desk.desk
        )
    finally:
        session.articles.end_build()  # after holding: the published versions held articles keep are in use
    problems += collisions
    held = {path for path, loaded_file in loaded.sources.items() if loaded_file.held}
    raise_if_errors([problem for problem in problems if str(problem.path) not in held or problem in stuck])
    environment = context.environment
    problems += _translation_problems(environment, config, source / CONFIG_FILE)
    raise_if_errors([problem for problem in problems if str(problem.path) not in held])  # an unreadable catalog
    return DecidedSite(
        config,
        site,
        environment,
        problems,
        tuple(collisions),
        loaded.sources,
        loaded.scanned_at,
        loaded.settings,
        pages.records,
        desk,
    )


def _collect(
    loaded: LoadedSite,
    pages: tuple[StandalonePage, ...],
    config: SiteConfig,
    source: Path,
    selection: Selection,
    session: BuildSession,
    published: PublishedKeys | None,
    desk: Desk,
) -> tuple[LoadedSite, Site, list[Problem], list[Problem]]:
    """The loaded site as it stands after holding, the site, its problems, and the collisions no holding excuses.

    Keeping going (`published`), two articles on one URL are both held, each
    keeping its last published version (so neither wins by its file name), and
    the site is collected again, until no collision names a file not yet held.
    A collision of files already held (versions that collide too, as when an
    embargo lifts onto a URL taken since) stays an error.
    """
    told: list[Problem] = []
    while True:
        clashes: list[Clash] = []
        site, problems = collect_site(
            loaded.articles,
            loaded.static_files,
            config,
            source / CONFIG_FILE,
            selection,
            pages,
            None if published is None else clashes,
            desk,
        )
        paths = {str(problem.path) for clash in clashes for problem in (clash.reported, clash.mirrored)}
        paths &= loaded.sources.keys()  # an article's own file, which holding can stand in for
        if published is None or paths <= {path for path, file in loaded.sources.items() if file.held}:
            return loaded, site, list(dict.fromkeys(told + problems)), [clash.reported for clash in clashes]
        told += [problem for clash in clashes for problem in (clash.reported, clash.mirrored)]
        loaded = hold(loaded, paths, session.articles, published)


def _translation_problems(environment: jinja2.Environment, config: SiteConfig, config_file: Path) -> list[Problem]:
    """Catalogs that can't be used, and a warning per theme string an edition's language has no translation for:
    once per build, not per page."""
    messages: set[str] = set()
    if not all(map(is_source_language, config.edition_codes)):
        messages = template_messages(environment) | template_catalog_messages(theme_dir() / LOCALES_DIR)
    catalogs = environment_catalogs(environment)
    found: dict[Problem, None] = {}  # two editions reading one catalog (es-MX and es) report its problems once
    for language in config.edition_codes:
        line = key_line(config_file, "language" if language == config.language else "languages")
        found.update(dict.fromkeys(translation_problems(catalogs, language, sorted(messages), config_file, line)))
    return list(found)


def _never_published(paths: list[str], settings: bytes) -> dict[str, bytes]:
    return {}


def _published_in(index: SiteIndex) -> PublishedKeys:
    """The cache keys of the versions the last build published, if the same newsgen with the same settings made it."""

    def published(paths: list[str], settings: bytes) -> dict[str, bytes]:
        meta = index.meta()
        if meta is None or meta.article_settings != settings:
            return {}
        return {path: record.article_key for path, record in index.sources(paths).items() if record.article_key}

    return published


def site_renderer(decided: DecidedSite) -> PageRenderer:
    """A renderer for every page of a decided site."""
    site, config = decided.site, decided.config
    articles = {article_id(article): article for article in site.articles}
    return PageRenderer(
        decided.environment, config, site.nav(), articles, site_pools(site, config), menu_entries(site.pages)
    )


def copied_files(site: Site) -> list[tuple[str, Path]]:
    """The files published as they are: images beside articles and pages, static files."""
    copies = [(asset.url, asset.source) for article in site.articles for asset in article.assets]
    copies += [(asset.url, asset.source) for page in site.pages for asset in page.assets]
    return copies + [(static.url, static.source) for static in site.static_files]


def whole_plan(
    options: BuildOptions, session: BuildSession, index: SiteIndex, inputs: bytes, context: BuildContext
) -> Plan:
    """Every page and file of the site, against the whole output folder as the last build left it."""
    decided = decide(options, session, _published_in(index), context)
    site = decided.site
    if not options.allow_shrink:
        last = index.meta()
        refuse_to_shrink(len(site.articles), last.articles if last else None, options.source_dir)
    specs = page_specs(site, decided.config, options.now)
    images = rendition_copies(
        renditions_of(site.articles, site.pages),
        session.articles.folder,
        options.jobs,
        ProgressBar(options.progress),
        prune=True,
    )
    copies = copied_files(site) + images.files
    return Plan(
        renderer=site_renderer(decided),
        specs=specs,
        copies=copies,
        previous=index.manifest(),
        whole=True,
        warnings=tuple(sorted(decided.problems)),
        held=decided.held,
        articles=len(site.articles),
        pages=len(specs),
        next_change=site.next_change,
        delta=_index_delta(decided, inputs, specs, options.now),
        images=images,
    )


def _index_delta(decided: DecidedSite, inputs: bytes, specs: list[PageSpec], now: datetime) -> IndexDelta:
    """Every row of the index: what the next build needs to take the quick way."""
    site, config = decided.site, decided.config
    sources, signatures = {}, {}
    terms: dict[Term, Term] = {}  # one object per term, across outlines
    own: set[Problem] = set()
    for path, loaded in decided.sources.items():
        signatures[path] = settled(loaded.signature, decided.scanned_at)
        article = loaded.article
        copies = article_copies(article) if article else ()
        placed = outline(article, terms) if article is not None else None
        sources[path] = SourceRecord(loaded.article_key, loaded.structure, loaded.problems, copies, placed)
        own.update(loaded.problems)
    arranged = set(decided.arranged)
    site_problems = tuple(problem for problem in sorted(decided.problems) if problem not in own | arranged)
    meta = SiteMeta(
        inputs,
        site.valid_until,
        len(site.articles),
        len(specs),
        site.next_change,
        site_problems,
        site.nav(),
        site_pools(site, config),
        decided.article_settings,
        decided.held,
        standalone=site.pages,
        arranged_problems=tuple(problem for problem in sorted(decided.problems) if problem in arranged),
        page_files=decided.page_files,
        menu=menu_entries(site.pages),
        built_at=now,
        desk_digest=decided.desk.digest,
        desk=decided.desk.desk,
    )
    return IndexDelta(meta, signatures, sources, tuple(specs), whole=True)
