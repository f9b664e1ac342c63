"""The quick way for a new story: the pages one story added at the head of the site changes, without loading the site.

A newsroom's most common build is one new story, the newest. With stable
pagination and the shared "Latest news" page it changes only: its own page;
the first page of each list it joins (and, once every `per_page` stories, a
new older page and the link to it); their feeds, the JSON feed, the news
sitemap, the sitemap and the tags index; the "Latest news" page; and the
"More on this" boxes whose candidates it joins, all of them in the story's
language edition (its home, lists, feeds and sitemaps). Each of those specs is
derived from its stored spec exactly as `render/specs.py` would compute it
from the whole site, and the loop then renders only those whose keys change.

Anything else takes the whole way: more than one new file, or one beside
other changes; a story that is not the newest, has errors, is a draft,
embargoed or expiring, is in a series, has corrections, old URLs or links by
file, names a section, tag, author or label the site doesn't have yet (or
spells one differently), claims a URL already taken or links to a page the
site doesn't have; is another's translation (`translation_key`, `translations:`,
its path in an edition's folder or its file name, or named by a story's
`translations:` before it existed); classic pagination,
an inline rail, a sitemap in parts, or other articles whose warnings may
depend on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from newsgen.config import SiteConfig
from newsgen.engine.cache.local import ArticleCache, CachedArticle, is_article_file
from newsgen.engine.imaging import rendition_copies, renditions_of
from newsgen.engine.index import SiteIndex, SiteMeta, SourceRecord
from newsgen.engine.output.write import Manifest, OutputError, output_name
from newsgen.engine.plan.load import ArticleReader, has_errors
from newsgen.engine.plan.loop import Plan
from newsgen.engine.progress import ProgressBar
from newsgen.models import Article, Term, article_id
from newsgen.options import BuildOptions
from newsgen.read.article import sort_key
from newsgen.read.files import CONTENT_DIR, Signature
from newsgen.render.specs import (
    ArticleSpec,
    FeedSpec,
    JsonFeedSpec,
    ListSpec,
    NewsSitemapSpec,
    PageSpec,
    SitemapSpec,
    TagsSpec,
    article_spec,
    latest_pool,
    with_more_on_this,
)
from newsgen.site import related
from newsgen.site.clock import (
    NEWS_LIMIT,
    Selection,
    is_published,
    news_window,
    next_scheduled_change,
    output_valid_until,
)
from newsgen.site.collect import KINDS, SitemapEntry, link_files, terms_of
from newsgen.site.pagination import older_page_url
from newsgen.site.translations import has_path_versions
from newsgen.urls import JSON_FEED_URL, LATEST_URL, NEWS_SITEMAP_URL, SITEMAP_URL, feed_url, sitemap_part_urls

if TYPE_CHECKING:
    import jinja2

T = TypeVar("T", bound=PageSpec)


@dataclass(frozen=True)
class _Added:
    key: bytes  # its article cache key
    entry: CachedArticle
    article: Article  # the entry's


def addition_plan(
    options: BuildOptions,
    index: SiteIndex,
    cache: ArticleCache,
    meta: SiteMeta,
    signatures: dict[str, Signature | None],
    added: str,
    setup: Callable[[], tuple[SiteConfig, jinja2.Environment] | None],
) -> Plan | None:
    """The plan for the article file `added`, new since the last build, or None when it must take the whole way.

    `signatures` is the whole of content/ as this build saw it, the new file included.
    """
    site_setup = setup()
    if site_setup is None:
        return None
    config, environment = site_setup
    if config.pagination != "stable" or config.latest_rail != "fragment":
        return None
    if any(problem.code in ("broken-ref", "broken-link") for problem in meta.site_problems):
        return None  # a link that reached no page may reach this story's
    if any(problem.field.startswith("translations.") for problem in meta.site_problems):
        return None  # a story's `translations:` names a file not there before: it may be this one
    if config.editions and has_path_versions(
        Path(added), filter(is_article_file, signatures), options.source_dir.resolve() / CONTENT_DIR, config.editions
    ):
        return None  # a translation by its path or file name (`content/es/x.md`, `x.es.md`): the whole way links it
    new = _read(added, options, config)
    selection = Selection(options.drafts, options.future, options.now)
    if new is None or not _simple(new.article, selection):
        return None
    planner = _Planner(index, cache, meta, config, new.article, options.now)
    specs = planner.plan()
    if specs is None or not planner.claims_are_free():
        return None
    shown = planner.shown(specs)
    if shown is None:
        return None
    from newsgen.render.renderer import PageRenderer

    renderer = PageRenderer(environment, config, meta.nav, shown, planner.pools, meta.menu)
    valid_until = _earliest(meta.valid_until, output_valid_until([new.article], selection))
    new_pages = len(planner.new_urls)
    updated = replace(
        meta,
        valid_until=valid_until,
        articles=meta.articles + 1,
        pages=meta.pages + new_pages,
        pools=planner.pools,
        list_sizes={**meta.list_sizes, **planner.sizes},
    )
    source_record = SourceRecord(new.key, new.entry.structure, new.entry.problems)

    def record(manifest: Manifest) -> None:
        cache.put(new.key, new.entry)
        cache.end_build(prune=False)
        index.save(updated, signatures, manifest, {added: source_record}, specs, replace=False)

    own = (problem for found in index.problem_sources().values() for problem in found)
    images = rendition_copies(renditions_of([new.article]), cache.folder, options.jobs, ProgressBar(options.progress))
    return Plan(
        renderer=renderer,
        specs=specs,
        copies=[(asset.url, asset.source) for asset in new.article.assets] + images.files,
        previous=index.manifest(output_name(spec.url) for spec in specs),
        whole=False,
        warnings=tuple(sorted([*meta.site_problems, *own, *new.entry.problems])),
        held=(),
        articles=updated.articles,
        pages=updated.pages,
        next_change=meta.next_change,
        record=record,
        images=images,
    )


def _read(path: str, options: BuildOptions, config: SiteConfig) -> _Added | None:
    reader = ArticleReader.for_site(options.source_dir.resolve(), config)
    key, entry = reader.read(Path(path))
    if entry.article is None or has_errors(entry.problems) or not entry.kept_on_disk:
        return None  # the whole way reports it with every other problem
    return _Added(key, entry, entry.article)


def _simple(article: Article, selection: Selection) -> bool:
    """Published now and staying so, on its own: nothing about it reaches beyond the pages this module plans."""
    if not is_published(article, selection) or next_scheduled_change([article], selection) is not None:
        return False
    return not (article.series or article.corrections or article.redirect_from or article.refs or article.translation)


def _earliest(first: datetime | None, second: datetime | None) -> datetime | None:
    return min((moment for moment in (first, second) if moment is not None), default=None)


class _Planner:
    """The new and changed specs, derived from the stored ones; None from `plan` when something doesn't fit."""

    def __init__(
        self, index: SiteIndex, cache: ArticleCache, meta: SiteMeta, config: SiteConfig, new: Article, now: datetime
    ) -> None:
        self._index, self._cache, self._meta, self._config, self._new, self._now = index, cache, meta, config, new, now
        self._id = article_id(new)
        self._edition = config.edition_of(new.url)  # its lists, feeds and sitemaps are its edition's
        self._home = config.edition_url(self._edition, "/")
        self._loaded: dict[str, Article] = {self._id: new}
        self.pools = dict(meta.pools)
        self.sizes: dict[str, int] = {}
        self.new_urls: list[str] = [new.url]
        self._before: dict[str, tuple[str, ...]] = {}  # the newest stories of its tags and section, before it came

    def plan(self) -> list[PageSpec] | None:
        lists = self._lists()
        if lists is None:
            return None
        specs: list[PageSpec] = []
        front_pages: dict[str, ListSpec] = {}
        inserted: dict[str, ListSpec] = {}  # a new older page, by the URL of the list's own page
        for url, front in lists:
            pages = self._list_pages(url, front)
            if pages is None:
                return None
            front_pages[url] = pages[0]
            if len(pages) > 1 and pages[1].url in self.new_urls:
                inserted[url] = pages[1]
            specs += pages
            feed = self._stored(feed_url(url), FeedSpec)
            if feed is None:
                return None
            specs.append(replace(feed, refs=self._prepend(feed.refs, self._config.feed_count)))
        json_feed = self._stored(self._config.edition_url(self._edition, JSON_FEED_URL), JsonFeedSpec)
        tags = self._tags_index()
        if json_feed is None or tags is None:
            return None
        specs += [replace(json_feed, refs=self._prepend(json_feed.refs, self._config.feed_count)), tags]
        news = self._stored(self._config.edition_url(self._edition, NEWS_SITEMAP_URL), NewsSitemapSpec)
        if news is None:
            return None
        if news_window([self._new], self._now):
            specs.append(replace(news, refs=self._prepend(news.refs, NEWS_LIMIT)))
        self._update_pools()
        latest = self._index.specs([self._config.edition_url(self._edition, LATEST_URL)])
        specs += latest
        boxes = self._more_on_this()
        if boxes is None:
            return None
        specs += boxes
        sitemap = self._sitemap(front_pages, inserted)
        if sitemap is None:
            return None
        return [*specs, sitemap]

    # --- the lists ---

    def _lists(self) -> list[tuple[str, ListSpec]] | None:
        """The first page of every list the story joins, home first; None when one is new, or the story isn't newest."""
        terms: dict[str, Term] = {}
        for kind in KINDS:
            for term in terms_of(self._new, kind):
                if terms.setdefault(term.url, term) != term:
                    return None  # two spellings of one term in one story: the whole way picks the page's name
        found = {spec.url: spec for spec in self._index.specs([self._home, *terms])}
        home = found.get(self._home)
        if not isinstance(home, ListSpec) or not home.refs:
            return None
        newest = self._articles([home.refs[0]])
        if newest is None or sort_key(self._new) >= sort_key(newest[0]):
            return None  # not the newest story: it would land inside pages that are meant to stay put
        lists = [(self._home, home)]
        for url, term in terms.items():
            spec = found.get(url)
            if not isinstance(spec, ListSpec) or spec.term != term:
                return None  # a new term, or another spelling of one
            lists.append((url, spec))
        return lists

    def _list_pages(self, url: str, front: ListSpec) -> list[ListSpec] | None:
        """The list's own page with the story on top, and the older pages that change (see site/pagination.py)."""
        per_page, size = self._config.per_page, self._meta.list_sizes.get(url)
        if size is None or not front.first:
            return None
        older, now_older = -(-size // per_page) - 1, -(-(size + 1) // per_page) - 1
        if front.next_url != (older_page_url(url, older) if older else None):
            return None  # the stored pages are not what this scheme gives: decide them again
        self.sizes[url] = size + 1
        pages = [
            replace(
                front,
                refs=self._prepend(front.refs, per_page),
                next_url=older_page_url(url, now_older) if now_older else None,
            )
        ]
        if now_older > older:  # the list's old first page becomes its newest older page
            newest_older = older_page_url(url, now_older)
            self.new_urls.append(newest_older)
            previous_url = older_page_url(url, older) if older else None
            pages.append(
                replace(
                    front,
                    url=newest_older,
                    number=now_older,
                    previous_url=url,
                    next_url=previous_url,
                    first=False,
                    versions=(),  # only a list's own page has versions in other editions
                )
            )
            if older:
                stored = self._stored(older_page_url(url, older), ListSpec)
                if stored is None:
                    return None
                pages.append(replace(stored, previous_url=newest_older))
        return pages

    def _tags_index(self) -> TagsSpec | None:
        stored = self._stored(self._tags_index_url, TagsSpec)
        if stored is None:
            return None
        slugs = {tag.slug for tag in self._new.tags}
        tags = tuple(replace(tag, count=tag.count + 1) if tag.term.slug in slugs else tag for tag in stored.tags)
        return replace(stored, tags=tags)

    # --- the pools and "More on this" ---

    def _update_pools(self) -> None:
        """The story heads the "Latest news" pool and the newest-stories pools of its tags and section."""
        pool = latest_pool(self._config, self._edition)
        self.pools[pool] = self._prepend(self.pools.get(pool, ()), self._config.latest_count + 1)
        for name in related.pool_names(self._new):
            self._before[name] = self.pools.get(name, ())
            self.pools[name] = self._prepend(self._before[name], related.NEIGHBOURS)

    def _more_on_this(self) -> list[ArticleSpec] | None:
        """The story's own page, and the pages of the stories it now follows closely enough to be their candidate.

        Those are the newest few of each of its tags and its section (see site/related.py): the story joins
        their candidates and none leave, so each box's new four are the best of its old four and the story.
        """
        before = [ref for pool in self._before.values() for ref in pool]  # the story's own candidates
        users = sorted(set(before))
        stored = [spec for spec in self._index.specs(self._urls(users)) if isinstance(spec, ArticleSpec)]
        if self._articles([*before, *users, *(ref for spec in stored for ref in spec.more_on_this)]) is None:
            return None
        if len(stored) != len(users):
            return None
        own = related.more_on_this(self._new, [[self._loaded[ref] for ref in before]])
        specs: list[ArticleSpec] = [article_spec(self._new, None, self._config, own)]
        for spec in stored:
            article = self._loaded[spec.refs[0]]
            if article.related:
                continue  # its editors chose: no box
            old = [self._loaded[ref] for ref in spec.more_on_this]
            chosen = tuple(map(article_id, related.more_on_this(article, [[*old, self._new]])))
            if chosen != spec.more_on_this:
                specs.append(with_more_on_this(spec, chosen))
        return specs

    def _urls(self, refs: list[str]) -> list[str]:
        """The page URLs of the articles `refs` names (loaded)."""
        found = self._articles(refs)
        return [article.url for article in found] if found is not None else []

    # --- the sitemap ---

    def _sitemap(self, front_pages: dict[str, ListSpec], inserted: dict[str, ListSpec]) -> SitemapSpec | None:
        """The sitemap's entries as collect.sitemap_entries gives them: the story first among the articles (a
        syndicated copy is not listed), the changed list pages with the newest modification of their stories, a new
        older page after its list's first."""
        stored = self._stored(self._config.edition_url(self._edition, SITEMAP_URL), SitemapSpec)
        if stored is None:
            return None
        # The articles' entries come first (syndicated copies have none), then the home page's.
        listed = next((number for number, (url, _) in enumerate(stored.entries) if url == self._home), None)
        if listed is None:
            return None
        for spec in [*front_pages.values(), *inserted.values()]:
            if self._articles(spec.refs) is None:
                return None

        def lastmod(spec: ListSpec) -> datetime | None:
            return max((self._loaded[ref].modified for ref in spec.refs), default=None)

        fronts = {spec.url: spec for spec in front_pages.values()}
        after = {front_url: spec for front_url, spec in inserted.items()}
        entries: list[SitemapEntry] = [(self._new.url, self._new.modified)] if self._new.in_sitemap else []
        entries += stored.entries[:listed]
        tags_index = self._tags_index_url
        for url, modified in stored.entries[listed:]:
            if url in fronts:
                entries.append((url, lastmod(fronts[url])))
                if url in after:
                    entries.append((after[url].url, lastmod(after[url])))
            elif url == tags_index:
                entries.append((url, max(m for m in (modified, self._new.modified) if m is not None)))
            else:
                entries.append((url, modified))
        if sitemap_part_urls(len(entries)):
            return None  # a sitemap in parts: where each part ends moves
        return replace(stored, entries=tuple(entries))

    # --- claims and what to render ---

    def claims_are_free(self) -> bool:
        """No file is claimed twice, and the story's links reach pages."""
        try:
            claimed = [output_name(url) for url in [*self.new_urls, *(asset.url for asset in self._new.assets)]]
        except (OutputError, ValueError):
            return False
        if len(set(claimed)) != len(claimed) or self._index.manifest(claimed):
            return False
        new_files = set(claimed)
        for link in self._new.internal_links:
            files = link_files(link.url, self._new.url)
            if files is not None and not new_files.intersection(files) and not self._index.manifest(files):
                return False  # a broken link: the whole way warns about it
        return True

    def shown(self, specs: list[PageSpec]) -> dict[str, Article] | None:
        """Every article the planned pages show or read, by id."""
        wanted = {ref for spec in specs for ref in spec.refs} | {
            ref for spec in specs for name in spec.pools for ref in self.pools.get(name, ())
        }
        return self._loaded if self._articles(wanted) is not None else None

    # --- helpers ---

    @property
    def _tags_index_url(self) -> str:
        return self._config.edition(self._edition).permalinks["tags_index"]

    def _stored(self, url: str, kind: type[T]) -> T | None:
        found = self._index.specs([url])
        return found[0] if len(found) == 1 and isinstance(found[0], kind) else None

    def _prepend(self, refs: tuple[str, ...], limit: int) -> tuple[str, ...]:
        return (self._id, *refs)[:limit]

    def _articles(self, refs: Iterable[str]) -> list[Article] | None:
        """The articles of `refs` from the article cache (as the index recorded them), or None if one is missing."""
        wanted = list(dict.fromkeys(refs))
        missing = [ref for ref in wanted if ref not in self._loaded]
        records = self._index.sources(missing)
        self._cache.preload([record.article_key for record in records.values() if record.article_key])
        for ref in missing:
            record = records.get(ref)
            entry = self._cache.get(record.article_key) if record and record.article_key else None
            if entry is None or entry.article is None:
                return None
            self._loaded[ref] = entry.article
        return [self._loaded[ref] for ref in wanted]
