"""Build-time benchmarks for newsgen on synthetic corpora, optionally against Hugo and Pelican.

Run by hand (never by CI or pytest):

    python benchmarks/run.py [--sizes 1000,10000] [--runs 3] [--engines python-markdown,cmark]
                             [--scenarios cold,delete,...] [--peers] [--seed 1] [--json results.json]

For each size, the corpus is generated once into $TMPDIR/newsgen-bench/<size>-<seed>/
(TMPDIR defaults to /tmp; set it for a cache of one's own on a shared machine),
reused while it exists and benchmarks/corpus.py is unchanged. For each
Markdown engine it then times whole `newsgen build` processes:

  cold      build/ and .newsgen-cache/ deleted before every run
  no-change rebuild right after a build, nothing edited
  article   one article's headline rewritten (an article in the middle of the archive), then build
  newest    the newest article's headline rewritten: it is on the "Latest news" page and the front pages
  new-story a new article, newer than every other, in an existing section, tag and author (each run adds
            one more); the quick way for a new story
  two-stories
            two new articles in one build: one newer than every other, one dated a minute after the
            middle article, with those articles' sections, tags and authors (each run adds two more)
  delete    the middle article's file deleted (put back and built, untimed, before each further run)
  retag     a new tag added to the middle article: its lists change, so the whole way
  correction
            a `corrections:` entry, dated an hour before the build's "now", added to the middle
            article's front matter (each run adds one more)
  template  an HTML comment added to the site's templates/article.html (a copy of the theme's,
            put in place and built once before timing) at the end of its last block, then build
  embargo   a copy of the newest article dated 3 hours after the build's "now" is built once,
            untimed, while embargoed; then SOURCE_DATE_EPOCH moves 5 minutes past its date and the
            build is timed: the embargo lifting (each run embargoes one more, 3 hours later again)

--scenarios runs a subset (cold, when left out, becomes one untimed build so
the others start from a built site). After each scenario but cold and
no-change the corpus is restored and built once, untimed, so the next
scenario times only its own change.

Each figure is the median wall time over --runs runs, with the highest peak
RSS seen (see measure.py for the two RSS figures) and the files written or
deleted (from newsgen's summary line, one figure per run). "Cold" means no
newsgen output or cache; the OS file cache stays warm (the corpus was just read).

Engines default to python-markdown,cmark: each writes
`markdown: {engine: NAME}` into the corpus's newsgen.yaml, and an engine
newsgen refuses is skipped with newsgen's own message; the pseudo-engine
`default` writes no `markdown:` key. SOURCE_DATE_EPOCH is pinned (to the day
after the newest article) so every build sees the same "now". The corpus is
restored after each engine (and at the start of the next run, should one be
interrupted), so the cache always holds the generator's exact output.
newsgen runs with its bytecode compiled beforehand and PYTHONDONTWRITEBYTECODE
unset, as an installed package runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import corpus
import peers
from measure import RSS_NOTE, Run, Summary, last_lines, run_measured

REPO = Path(__file__).resolve().parents[1]
CACHE_ROOT = Path(tempfile.gettempdir()) / "newsgen-bench"
NEWSGEN = Path(sys.executable).parent / "newsgen"
THEME_ARTICLE_TEMPLATE = REPO / "templates" / "article.html"
BUILD_NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # after every generated article, so none is embargoed
MARKER = ".bench-corpus.json"
EDIT_BACKUP = ".bench-edit-backup.json"
NEW_STORIES = "content/bench-new"  # the scenarios' new articles, removed after each (and by restore_pristine)
SCENARIOS = (
    "cold",
    "no-change",
    "article",
    "newest",
    "new-story",
    "two-stories",
    "delete",
    "retag",
    "correction",
    "template",
    "embargo",
    "front",
    "alert",
    "filed",
)
DESK_FILES = ("fronts.yaml", "alerts.yaml")  # the editors' files the "front" and "alert" scenarios write
EMBARGO_STEP = timedelta(hours=3)  # how far past the build's "now" the embargo scenario dates a story
EMBARGO_LIFTED = timedelta(minutes=5)  # how long after that date its timed build runs


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class Result:
    """One (size, tool, engine, scenario) measurement, or why there is none."""

    size: int
    tool: str  # newsgen, hugo, pelican
    engine: str
    scenario: str
    median_s: float | None = None
    min_s: float | None = None
    max_s: float | None = None
    peak_rss_mib: float | None = None
    tree_rss_mib: float | None = None
    runs: int = 0
    note: str = ""  # newsgen's summary line, or the reason for a skip or failure
    samples_s: list[float] = field(default_factory=list)
    files_written: list[int] = field(default_factory=list)  # per run, from newsgen's summary line

    @classmethod
    def measured(
        cls,
        size: int,
        tool: str,
        engine: str,
        scenario: str,
        runs: list[Run],
        note: str = "",
        files_written: list[int] | None = None,
    ) -> Result:
        summary = Summary.of(runs)
        return cls(
            size,
            tool,
            engine,
            scenario,
            summary.median_s,
            summary.min_s,
            summary.max_s,
            summary.peak_rss_mib,
            summary.tree_rss_mib,
            summary.runs,
            note,
            [round(run.seconds, 4) for run in runs],
            files_written or [],
        )


def log(message: str) -> None:
    """Progress goes to stderr so the final table on stdout stays clean."""
    print(message, file=sys.stderr, flush=True)


def logged(result: Result) -> Result:
    """Report each measurement as it lands: a large run takes long enough to want progress."""
    if result.median_s is None:
        log(f"  {result.tool} {result.scenario}: {one_line(result.note)}")
    else:
        log(
            f"  {result.tool} {result.scenario}: median {result.median_s:.2f} s, "
            f"peak RSS {result.peak_rss_mib:.0f} MiB, tree RSS {result.tree_rss_mib:.0f} MiB"
            + (f", files written {fmt_files(result.files_written)}" if result.files_written else "")
        )
    return result


# ---------------------------------------------------------------------------
# Corpus cache
# ---------------------------------------------------------------------------


def generator_version() -> str:
    """A hash of corpus.py: a cached corpus made by an older generator is stale."""
    return hashlib.sha256(Path(corpus.__file__).read_bytes()).hexdigest()[:16]


def corpus_dir(size: int, seed: int) -> Path:
    """The cached corpus for (size, seed), generated first if missing or stale.

    Generation goes to a temporary sibling that is renamed into place only
    when complete, so an interrupted run never leaves a half corpus that a
    later run would trust.
    """
    site = CACHE_ROOT / f"{size}-{seed}"
    wanted = {"articles": size, "seed": seed, "generator": generator_version()}
    if read_marker(site) == wanted:
        restore_pristine(site)
        return site
    if site.exists():
        log(f"corpus {site} is stale or incomplete; regenerating")
        shutil.rmtree(site)
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{size}-{seed}.partial-", dir=CACHE_ROOT))
    log(f"generating {size} articles (seed {seed}) into {site} ...")
    started = time.perf_counter()
    corpus.generate(partial, size, seed)
    (partial / MARKER).write_text(json.dumps(wanted) + "\n", encoding="utf-8")
    partial.rename(site)
    log(f"  generated in {time.perf_counter() - started:.1f} s")
    return site


def read_marker(site: Path) -> dict[str, object] | None:
    try:
        return json.loads((site / MARKER).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def restore_pristine(site: Path) -> None:
    """Undo whatever an interrupted earlier run left: engine key, template override, edited headline."""
    (site / "newsgen.yaml").write_text(corpus.SITE_CONFIG, encoding="utf-8")
    shutil.rmtree(site / "templates", ignore_errors=True)
    shutil.rmtree(site / NEW_STORIES, ignore_errors=True)
    for name in DESK_FILES:
        (site / name).unlink(missing_ok=True)
    backup = site / EDIT_BACKUP
    if backup.exists():
        saved = json.loads(backup.read_text(encoding="utf-8"))
        (site / saved["path"]).write_text(saved["text"], encoding="utf-8")
        backup.unlink()


# ---------------------------------------------------------------------------
# newsgen
# ---------------------------------------------------------------------------


def build_env(now: datetime = BUILD_NOW) -> dict[str, str]:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(int(now.timestamp()))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure newsgen as pip installs it: with bytecode
    return env


def compile_newsgen() -> None:
    """An editable install has no bytecode until a run writes it; write it now, untimed."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "newsgen")], check=True)


def newsgen_build(site: Path, now: datetime = BUILD_NOW) -> Run:
    return run_measured([NEWSGEN, "build", "--source", site], env=build_env(now))


def summary_line(run: Run) -> str:
    """newsgen's own "Built N pages from M articles in X s" line, kept as a note."""
    lines = [line for line in run.output.splitlines() if line.startswith("Built ")]
    return lines[-1] if lines else last_lines(run.output, 1)


def articles_built(run: Run) -> int | None:
    """The "from M articles" of newsgen's summary line: embargoed stories are not counted."""
    match = re.search(r"\bfrom (\d+) articles?\b", summary_line(run))
    return int(match.group(1)) if match else None


def files_written(run: Run) -> int | None:
    """The "N files written" of newsgen's summary line: how much of the output a change touched."""
    match = re.search(r"\b(\d+) files written\b", summary_line(run))
    return int(match.group(1)) if match else None


def set_engine(site: Path, engine: str) -> None:
    text = corpus.SITE_CONFIG
    if engine != "default":
        text += f"markdown: {{engine: {engine}}}\n"
    (site / "newsgen.yaml").write_text(text, encoding="utf-8")


def cold_clean(site: Path) -> None:
    shutil.rmtree(site / "build", ignore_errors=True)
    shutil.rmtree(site / ".newsgen-cache", ignore_errors=True)


def timed_builds(
    site: Path,
    runs: int,
    before_each: Callable[[int], object] | None = None,
    clock: Callable[[int], datetime] | None = None,
) -> list[Run]:
    """`runs` builds, each preceded by `before_each(run_index)` (untimed) and run at `clock(run_index)`
    (BUILD_NOW by default); stops at the first failure."""
    results = []
    for index in range(runs):
        if before_each is not None:
            before_each(index)
        run = newsgen_build(site, clock(index) if clock is not None else BUILD_NOW)
        results.append(run)
        if not run.ok:
            break
    return results


def middle_article(site: Path) -> Path:
    """An article in the middle of the archive (paths sort by year and month)."""
    articles = sorted((site / "content").rglob("*.md"))
    return articles[len(articles) // 2]


def newest_article(site: Path) -> Path:
    """The article with the latest date: it is on the "Latest news" page and the front page."""
    return max((article_date(path.read_text(encoding="utf-8")), path) for path in (site / "content").rglob("*.md"))[1]


def article_date(text: str) -> datetime:
    match = re.search(r"^date: (.*)$", text, re.MULTILINE)
    assert match is not None, f"no date in {text[:200]!r}"
    return datetime.fromisoformat(match.group(1).strip("'\""))


def redated(text: str, moment: datetime, index: int) -> str:
    """A copy of an article as a new story: another date, and a headline of its own."""
    return re.sub(r"^date: .*$", f"date: {moment.isoformat()}", edit_headline(text, index), count=1, flags=re.MULTILINE)


def edit_headline(original: str, index: int) -> str:
    return re.sub(
        r"^headline: .*$",
        f'headline: "Benchmark edit {index}: a rewritten headline"',
        original,
        count=1,
        flags=re.MULTILINE,
    )


def add_tag(original: str, index: int) -> str:
    return re.sub(r"^tags: \[", f"tags: [Benchmark tag {index}, ", original, count=1, flags=re.MULTILINE)


def add_corrections(original: str, index: int) -> str:
    """`index + 1` corrections (run N adds the Nth), dated an hour before "now", as a newsroom corrects today."""
    entries = "".join(
        f"  - date: {(BUILD_NOW - timedelta(hours=1) + timedelta(minutes=number)).isoformat()}\n"
        f"    text: Benchmark correction {number}, an earlier version misstated a figure.\n"
        for number in range(index + 1)
    )
    return re.sub(
        r"^tags: .*\n", lambda tags: f"{tags.group(0)}corrections:\n{entries}", original, count=1, flags=re.MULTILINE
    )


class EngineBench:
    """The scenarios for one (corpus, engine), leaving the corpus as it found it."""

    def __init__(self, site: Path, size: int, engine: str, runs: int, scenarios: tuple[str, ...] = SCENARIOS) -> None:
        self.site, self.size, self.engine, self.runs, self.scenarios = site, size, engine, runs, scenarios

    def result(self, scenario: str, runs: list[Run]) -> Result:
        failed = next((run for run in runs if not run.ok), None)
        if failed is not None:
            result = Result(self.size, "newsgen", self.engine, scenario, note=f"FAILED: {last_lines(failed.output, 3)}")
        else:
            written = [count for count in map(files_written, runs) if count is not None]
            result = Result.measured(self.size, "newsgen", self.engine, scenario, runs, summary_line(runs[-1]), written)
        return logged(result)

    def run_all(self) -> list[Result]:
        set_engine(self.site, self.engine)
        try:
            if "cold" in self.scenarios:
                first = self.cold()
                if first.median_s is None:
                    return [first]  # a site that does not build has no rebuilds to time
                results = [first]
            else:
                setup = newsgen_build(self.site)  # untimed: the scenarios start from a built site
                if not setup.ok:
                    return [self.result("setup", [setup])]
                results = []
            middle = middle_article(self.site)
            scenarios: dict[str, Callable[[], Result]] = {
                "no-change": self.no_change,
                "article": lambda: self.article_edit("article", middle, edit_headline),
                "newest": lambda: self.article_edit("newest", newest_article(self.site), edit_headline),
                "new-story": lambda: self.new_story(newest_article(self.site)),
                "two-stories": lambda: self.two_stories(newest_article(self.site), middle),
                "delete": lambda: self.delete(middle),
                "retag": lambda: self.article_edit("retag", middle, add_tag),
                "correction": lambda: self.article_edit("correction", middle, add_corrections),
                "template": self.template_edit,
                "embargo": lambda: self.embargo(newest_article(self.site)),
                "front": self.front_edit,
                "alert": self.new_alert,
                "filed": lambda: self.filed_with_photo(newest_article(self.site)),
            }
            return results + [run() for name, run in scenarios.items() if name in self.scenarios]
        finally:
            restore_pristine(self.site)

    def cold(self) -> Result:
        runs = timed_builds(self.site, self.runs, lambda _: cold_clean(self.site))
        if not runs[-1].ok and self.engine != "default" and "markdown" in runs[-1].output.lower():
            return logged(
                Result(
                    self.size,
                    "newsgen",
                    self.engine,
                    "cold",
                    note=f"SKIPPED: newsgen refused `markdown: {{engine: {self.engine}}}`: "
                    f"{last_lines(runs[-1].output, 2)}",
                )
            )
        return self.result("cold", runs)

    def no_change(self) -> Result:
        return self.result("no-change", timed_builds(self.site, self.runs))

    @contextmanager
    def backed_up(self, article: Path) -> Iterator[str]:
        """Yield the article's text; put it back afterwards (restore_pristine does, after an interruption)."""
        original = article.read_text(encoding="utf-8")
        backup = {"path": str(article.relative_to(self.site)), "text": original}
        (self.site / EDIT_BACKUP).write_text(json.dumps(backup), encoding="utf-8")
        try:
            yield original
        finally:
            article.write_text(original, encoding="utf-8")
            (self.site / EDIT_BACKUP).unlink()
            newsgen_build(self.site)  # untimed: the next scenario times only its own change

    @contextmanager
    def new_stories(self) -> Iterator[Path]:
        """Yield the folder for a scenario's new articles; remove it afterwards."""
        folder = self.site / NEW_STORIES
        folder.mkdir(parents=True, exist_ok=True)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            newsgen_build(self.site)  # untimed: the next scenario times only its own change

    def article_edit(self, scenario: str, article: Path, edit: Callable[[str, int], str]) -> Result:
        with self.backed_up(article) as original:
            runs = timed_builds(
                self.site, self.runs, lambda index: article.write_text(edit(original, index), encoding="utf-8")
            )
        return self.result(scenario, runs)

    def delete(self, article: Path) -> Result:
        """Each run deletes the same article; from the second run on it is first put back and built, untimed."""
        with self.backed_up(article) as original:

            def remove(index: int) -> None:
                if index:
                    article.write_text(original, encoding="utf-8")
                    newsgen_build(self.site)
                article.unlink()

            runs = timed_builds(self.site, self.runs, remove)
        return self.result("delete", runs)

    def new_story(self, newest: Path) -> Result:
        """Each run adds a story a minute newer than the last, with the newest story's section, tags and authors."""
        text = newest.read_text(encoding="utf-8")
        date = article_date(text)
        with self.new_stories() as folder:

            def add(index: int) -> None:
                story = redated(text, date + timedelta(minutes=index + 1), index)
                (folder / f"new-story-{index}.md").write_text(story, encoding="utf-8")

            runs = timed_builds(self.site, self.runs, add)
        return self.result("new-story", runs)

    def two_stories(self, newest: Path, middle: Path) -> Result:
        """Each run adds two stories in one build: the newest of all, and one in the middle of the archive."""
        copies = [(name, path.read_text(encoding="utf-8")) for name, path in (("newest", newest), ("middle", middle))]
        with self.new_stories() as folder:

            def add(index: int) -> None:
                for name, text in copies:
                    story = redated(text, article_date(text) + timedelta(minutes=index + 1), index)
                    (folder / f"two-stories-{index}-{name}.md").write_text(story, encoding="utf-8")

            runs = timed_builds(self.site, self.runs, add)
        return self.result("two-stories", runs)

    def embargo(self, newest: Path) -> Result:
        """Each run builds, untimed, with one more embargoed story, then times the build once its embargo lifts.

        The clock only moves forward from run to run (an earlier one would embargo
        published stories again); restoring builds at BUILD_NOW, untimed.
        """
        text = newest.read_text(encoding="utf-8")

        def embargoed_until(index: int) -> datetime:
            return BUILD_NOW + EMBARGO_STEP * (index + 1)

        def lifted(index: int) -> datetime:
            return embargoed_until(index) + EMBARGO_LIFTED

        with self.new_stories() as folder:
            setups: list[Run] = []

            def add_embargoed(index: int) -> None:
                story = redated(text, embargoed_until(index), index)
                (folder / f"embargoed-{index}.md").write_text(story, encoding="utf-8")
                setups.append(newsgen_build(self.site, lifted(index - 1) if index else BUILD_NOW))

            runs = timed_builds(self.site, self.runs, add_embargoed, lifted)
        for setup, run in zip(setups, runs, strict=False):
            before, after = articles_built(setup), articles_built(run)
            if run.ok and (before is None or after != before + 1):  # a failed setup, or no embargo that lifted
                note = f"NOT AN EMBARGO LIFTING: untimed build {one_line(last_lines(setup.output, 2))}; then {summary_line(run)}"
                return logged(Result(self.size, "newsgen", self.engine, "embargo", note=note))
        return self.result("embargo", runs)

    @contextmanager
    def desk_file(self, name: str) -> Iterator[Path]:
        """Yield the path of an editors' file (fronts.yaml, alerts.yaml); remove it afterwards."""
        try:
            yield self.site / name
        finally:
            (self.site / name).unlink(missing_ok=True)
            newsgen_build(self.site)  # untimed: the next scenario times only its own change

    def front_edit(self) -> Result:
        """Each run gives the front page another lead and top story, from the newest ten (an editor's morning)."""
        newest = sorted(
            (article_date(path.read_text(encoding="utf-8")), path) for path in (self.site / "content").rglob("*.md")
        )[-10:]
        named = [path.relative_to(self.site / "content").as_posix() for _, path in newest]
        with self.desk_file("fronts.yaml") as fronts:

            def pin(index: int) -> None:
                lead, top = named[index % len(named)], named[(index + 3) % len(named)]
                fronts.write_text(f"home:\n  lead: {lead}\n  top: [{top}]\n", encoding="utf-8")

            runs = timed_builds(self.site, self.runs, pin)
        return self.result("front", runs)

    def new_alert(self) -> Result:
        """Each run adds one more alert to alerts.yaml (a breaking-news afternoon)."""
        with self.desk_file("alerts.yaml") as alerts:

            def add(index: int) -> None:
                items = "".join(f"- {{text: Bridge update {n}, level: breaking}}\n" for n in range(index + 1))
                alerts.write_text(items, encoding="utf-8")

            runs = timed_builds(self.site, self.runs, add)
        return self.result("alert", runs)

    def filed_with_photo(self, newest: Path) -> Result:
        """Each run files a story as the CMS does: a folder of its own, its lead photo beside it (a new one)."""
        text = newest.read_text(encoding="utf-8")
        date = article_date(text)
        photos = sorted((self.site / "static" / "images").glob("*.jpg"))
        with self.new_stories() as folder:

            def file(index: int) -> None:
                bundle = folder / f"filed-{index}"
                bundle.mkdir()
                shutil.copyfile(photos[index % len(photos)], bundle / "photo.jpg")
                story = redated(text, date + timedelta(minutes=index + 1), index)
                story = re.sub(r"^image: .*\n(?:  .*\n)*", "", story, count=1, flags=re.MULTILINE)
                story = story.replace(
                    "\n---\n", "\nimage: {src: photo.jpg, alt: A photo filed with the story}\n---\n", 1
                )
                (bundle / "index.md").write_text(story, encoding="utf-8")

            runs = timed_builds(self.site, self.runs, file)
        return self.result("filed", runs)

    def template_edit(self) -> Result:
        template = self.site / "templates" / "article.html"
        template.parent.mkdir(exist_ok=True)
        shutil.copyfile(THEME_ARTICLE_TEMPLATE, template)
        try:
            setup = newsgen_build(self.site)  # the override itself is not the change being timed
            if not setup.ok:
                return self.result("template", [setup])
            original = template.read_text(encoding="utf-8")
            runs = timed_builds(self.site, self.runs, lambda index: edit_template(template, original, index))
        finally:
            shutil.rmtree(template.parent)
            newsgen_build(self.site)  # untimed: the next scenario times only its own change
        return self.result("template", runs)


def edit_template(template: Path, original: str, index: int) -> None:
    """Add an HTML comment at the end of the template's last block, so every article page changes.

    Text appended after the final `{% endblock %}` of a child template is
    never rendered (Jinja ignores content outside blocks in a template that
    extends another), so a literal append changes no page: newsgen re-renders
    every article and writes none, which times less than a real edit costs.
    """
    comment = f"<!-- benchmark edit {index} -->\n"
    head, marker, tail = original.rpartition("{% endblock %}")
    template.write_text(f"{head}{comment}{marker}{tail}" if marker else original + comment, encoding="utf-8")


# ---------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------


def bench_peers(site: Path, size: int, runs: int) -> list[Result]:
    """Convert once into a temporary folder, then time cold Hugo and Pelican builds."""
    results = []
    with tempfile.TemporaryDirectory(prefix="newsgen-peers-") as temp:
        log(f"converting the {size}-article corpus for Hugo and Pelican ...")
        sites = peers.convert(site, Path(temp))
        for tool, builder, peer_site in (
            ("hugo", peers.build_hugo, sites.hugo),
            ("pelican", peers.build_pelican, sites.pelican),
        ):
            measured = []
            for _ in range(runs):
                measured.append(builder(peer_site))
                if not measured[-1].ok:
                    break
            if measured[-1].ok:
                results.append(logged(Result.measured(size, tool, "-", "cold", measured)))
            else:
                note = f"FAILED: {last_lines(measured[-1].output, 3)}"
                results.append(logged(Result(size, tool, "-", "cold", note=note)))
    return results


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def one_line(text: str) -> str:
    return " | ".join(line.strip() for line in text.splitlines() if line.strip())


def fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fmt_files(counts: list[int]) -> str:
    """One figure per run, joined by "/" only when the runs differ."""
    return "/".join(str(count) for count in dict.fromkeys(counts)) or "-"


def table(results: list[Result]) -> str:
    header = (
        "size",
        "tool",
        "engine",
        "scenario",
        "median s",
        "min-max s",
        "files written",
        "peak RSS MiB",
        "tree RSS MiB",
        "note",
    )
    rows = [header]
    for r in results:
        spread = "-" if r.min_s is None else f"{r.min_s:.2f}-{r.max_s:.2f}"
        rss = "-" if r.peak_rss_mib is None else f"{r.peak_rss_mib:.0f}"
        tree = "-" if r.tree_rss_mib is None else f"{r.tree_rss_mib:.0f}"
        written = fmt_files(r.files_written)
        rows.append(
            (str(r.size), r.tool, r.engine, r.scenario, fmt_s(r.median_s), spread, written, rss, tree, one_line(r.note))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def ratios(results: list[Result]) -> list[str]:
    """The targets of issue #13, from this run only: cold builds against Hugo and Pelican, the no-change
    rebuild against Hugo's cold build, peak memory against Hugo's, and the one-story builds."""
    lines = []
    found = {(r.size, r.tool, r.engine, r.scenario): r for r in results if r.median_s}
    for (size, tool, engine, scenario), cold in sorted(found.items()):
        if tool != "newsgen" or scenario != "cold":
            continue
        cold_s = cold.median_s
        assert cold_s is not None, "found holds only results with a median"
        hugo, pelican = found.get((size, "hugo", "-", "cold")), found.get((size, "pelican", "-", "cold"))
        no_change, article = found.get((size, tool, engine, "no-change")), found.get((size, tool, engine, "article"))
        new_story, newest = found.get((size, tool, engine, "new-story")), found.get((size, tool, engine, "newest"))
        parts = [f"{size} articles, newsgen engine {engine}:"]
        if hugo and hugo.median_s:
            limit = "1.0x" if engine == "cmark" else "2.0x"
            parts.append(f"cold newsgen/Hugo = {cold_s / hugo.median_s:.1f}x (target <= {limit});")
            if no_change and no_change.median_s:
                parts.append(f"no-change/Hugo cold = {no_change.median_s / hugo.median_s:.2f}x (target <= 0.2x);")
            if cold.peak_rss_mib and hugo.peak_rss_mib and cold.tree_rss_mib:
                parts.append(
                    f"peak RSS newsgen/Hugo = {cold.peak_rss_mib / hugo.peak_rss_mib:.2f}x largest process, "
                    f"{cold.tree_rss_mib / hugo.peak_rss_mib:.2f}x whole tree (target <= 0.3x);"
                )
        if pelican and pelican.median_s:
            parts.append(f"cold Pelican/newsgen = {pelican.median_s / cold_s:.2f}x (target >= 3x);")
        if article and article.median_s:
            parts.append(f"one-article edit {article.median_s:.2f} s (target < 0.5 s);")
        for name, result in (("new story", new_story), ("newest-story edit", newest)):
            if result and result.median_s:
                parts.append(f"{name} {result.median_s:.2f} s (target < 1 s)")
        if len(parts) > 1:  # a --scenarios subset may leave nothing to compare
            lines.append(" ".join(parts))
    return lines


def command_output(command: list[str | Path]) -> str:
    return subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False).stdout.strip()


def newsgen_commit() -> str:
    """HEAD, marked `+dirty` when src/ or templates/ differ from it: newsgen is installed editable, so a
    benchmark measures the working tree, uncommitted edits included."""
    commit = command_output(["git", "-C", REPO, "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", REPO, "status", "--porcelain", "--", "src", "templates"])
    return f"{commit}+dirty" if dirty else commit


def environment_info() -> dict[str, str]:
    info = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "newsgen": command_output([NEWSGEN, "--version"]),
        "newsgen_commit": newsgen_commit(),
        "source_date_epoch": str(int(BUILD_NOW.timestamp())),
        "load_average_at_start": " ".join(f"{load:.2f}" for load in os.getloadavg()),
        "rss": RSS_NOTE,
    }
    return info


def warn_if_busy() -> None:
    """Builds use every core, so anything else running skews the timings; say so up front."""
    load = os.getloadavg()[0]
    if load > 0.5:
        log(f"warning: 1-minute load average is {load:.2f} before starting; other processes will skew timings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument(
        "--engines",
        default="python-markdown,cmark",
        help="comma-separated (default: python-markdown,cmark); `default` = no markdown key",
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated subset of {','.join(SCENARIOS)} (default: all)",
    )
    parser.add_argument("--peers", action="store_true", help="also time cold Hugo and Pelican builds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the results as JSON")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    engines = [engine.strip() for engine in args.engines.split(",") if engine.strip()]
    scenarios = tuple(name.strip() for name in args.scenarios.split(",") if name.strip())
    if args.runs < 1 or not sizes or not engines or not scenarios:
        parser.error("need --runs >= 1, at least one size, one engine and one scenario")
    unknown = sorted(set(scenarios) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")

    compile_newsgen()
    info = environment_info()
    warn_if_busy()
    if args.peers:
        info.update({f"{name}_version": version for name, version in peers.peer_versions().items()})
    results: list[Result] = []
    for size in sizes:
        site = corpus_dir(size, args.seed)
        for engine in engines:
            log(f"newsgen, {size} articles, engine {engine}: {args.runs} runs per scenario")
            results += EngineBench(site, size, engine, args.runs, scenarios).run_all()
        if args.peers:
            results += bench_peers(site, size, args.runs)

    print()
    print(table(results))
    print()
    for line in ratios(results):
        print(line)
    print(f"Wall time: whole process, spawn to exit. {RSS_NOTE}.")
    print(
        f"newsgen {info['newsgen_commit']}; corpora cached in {CACHE_ROOT}; SOURCE_DATE_EPOCH={info['source_date_epoch']}."
    )
    if args.json:
        payload = {
            "environment": info,
            "args": vars(args) | {"json": str(args.json)},
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"Saved {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
