"""The promise of incremental builds: after ANY sequence of edits, the output folder holds exactly the bytes of a clean build.

"Incremental" is a build that reuses the cache folder and the output folder of
the build before it, done two ways: `build()` with one long-lived BuildSession
(as a long-running process would) and a long-lived `Preview` (as `newsgen
serve` does). "Clean" is a build into a fresh output folder with a fresh cache
folder. They are compared file by file over the whole output folder (every
file, dotfiles included: relative path -> sha256 of its bytes).

The site is small but uses every way a page can depend on a template: an
`extends` parent (a site `base.html`), a macros file imported by every page
(through that parent), and an include whose name is computed
(`{% include "parts/footer-" ~ kind ~ ".html" %}` in `article.html`).

Templates chosen by front matter (an include whose name is computed from an
article's section, with a fallback list) are in test_dependencies.py. Not
covered, because newsgen does not read one (yet): a data file such as
`authors.yaml` (nothing but `newsgen.yaml`, `content/`, `pages/`, `templates/` and
`static/` is read).

The clock is set for the preview through `SOURCE_DATE_EPOCH` (the preview
builds at `build_now()`), and in `BuildOptions.now` for every other build.

The first test goes through every kind of edit in turn and compares after
each; it reports every step that differs (with the files and a diff excerpt),
not just the first, and after a step that differs it starts the incremental
builds afresh so that each later step is judged on its own. The second test
draws random sequences of the same edits with Hypothesis, comparing after
each edit. `NEWSGEN_HYPOTHESIS_EXAMPLES=500 pytest tests/test_equivalence.py`
tries more sequences, each run new ones (CI runs the same 20 every time) and
shrinks a failure to a minimal sequence (CI does not: it costs many builds).
"""

from __future__ import annotations

import atexit
import difflib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import NOW, article, digests, png
from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.preview import Preview

THEME_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
TAGS = ["Ferries", "Budget", "Weather", "Schools", "Harbor Bridge", "Mañana Market"]
SECTIONS = ["Transport", "City Hall", "Environment"]


def hours(count: float) -> timedelta:
    return timedelta(hours=count)


# ---------------------------------------------------------------------------
# The site
# ---------------------------------------------------------------------------


def _replace_once(text: str, old: str, new: str, where: str) -> str:
    assert text.count(old) == 1, f"{where}: expected {old!r} once in the theme's template; the test needs updating"
    return text.replace(old, new)


def base_html(skip_text: str = "Skip to content") -> str:
    """The theme's base.html, importing the macros file (so every page does) and linking the site's own CSS."""
    text = (THEME_TEMPLATES / "base.html").read_text(encoding="utf-8")
    text = '{% import "_macros.html" as site_macros %}\n' + text
    text = _replace_once(
        text,
        '<link rel="stylesheet" href="/theme/newsgen.css">',
        '<link rel="stylesheet" href="/theme/newsgen.css">\n<link rel="stylesheet" href="/css/site.css">',
        "base.html",
    )
    text = _replace_once(text, "</footer>", "  {{ site_macros.colophon(site.title) }}\n</footer>", "base.html")
    return _replace_once(text, "Skip to content", skip_text, "base.html")


def macros_html(edition: str = "first edition") -> str:
    """The theme's _macros.html and one macro more, used in every page's footer."""
    text = (THEME_TEMPLATES / "_macros.html").read_text(encoding="utf-8")
    return (
        text + '\n{% macro colophon(title) %}\n<p class="colophon">{{ title }}, ' + edition + ".</p>\n{% endmacro %}\n"
    )


def article_html() -> str:
    """The theme's article.html with a footer chosen by a computed include."""
    text = (THEME_TEMPLATES / "article.html").read_text(encoding="utf-8")
    include = (
        '{% set kind = "article" %}\n{% include "parts/footer-" ~ kind ~ ".html" %}\n</article>\n{% if latest_url %}'
    )
    return _replace_once(text, "</article>\n{% if latest_url %}", include, "article.html")


def footer_html(desk: str = "news") -> str:
    return f'<p class="story-footer">Tips to {desk}@ledger.example</p>\n'


def about_page(
    title: str = "About the Ledger", order: int = 1, words: str = "We cover the harbor.", updated: str = ""
) -> str:
    """A standalone page in the footer menu: its words and `updated` take the quick way, its title and order not."""
    extra = f"updated: {updated}\n" if updated else ""
    return article(
        f"title: {title}\ndescription: Who we are.\nmenu: footer\nmenu_order: {order}\n{extra}", f"{words}\n"
    )


def config_yaml(title: str = "The Harbor Ledger", per_page: int = 3) -> str:
    return f"title: {title}\ndescription: News from the harbor.\nbase_url: https://ledger.example/\ntimezone: UTC\nper_page: {per_page}\ncms: decap\n"


def css(margin: int = 0) -> str:
    return f"body {{ margin: {margin}px; }}\n"


def story(headline: str, date: datetime | str, section: str, tags: list[str], extra: str = "") -> str:
    moment = date.isoformat() if isinstance(date, datetime) else date
    return article(
        f"headline: {headline}\ndek: {headline}, in brief.\ndate: '{moment}'\nsection: {section}\n"
        f"tags: [{', '.join(tags)}]\n{extra}",
        f"What happened: {headline.lower()}.\n\n## Background\n\nMore text.\n",
    )


# The window articles: "late" leaves the 48-hour news window at NOW+1h, "embargoed" is published at NOW+5h,
# "scheduled" (dated NOW+7h) is what a --future build shows before its time and lists in news-sitemap.xml from NOW+7h.
LATE, EMBARGOED, SCHEDULED = (
    "content/2025/12/late-shift.md",
    "content/2026/01/embargoed.md",
    "content/2026/01/scheduled.md",
)
BRIDGE_IMAGE = "2025/12/bridge.png"  # beside bridge-inspection.md; see `write_site`


def site_files() -> dict[str, str | bytes]:
    return {
        "newsgen.yaml": config_yaml(),
        "templates/base.html": base_html(),
        "templates/_macros.html": macros_html(),
        "templates/article.html": article_html(),
        "templates/parts/footer-article.html": footer_html(),
        "static/css/site.css": css(),
        "content/2025/11/2025-11-03-ferry-fares.md": story(
            "Ferry fares frozen",
            "2025-11-03T09:30:00-05:00",
            "Transport",
            ["Ferries", "Budget"],
            "authors: [Ana Ruiz, Ben Cole]\nseries: Council Week\n",
        ),
        "content/2025/12/2025-12-10-bridge-inspection.md": story(
            "Bridge inspection finds rust",
            "2025-12-10T08:00:00Z",
            "Transport",
            ["Harbor Bridge"],
            "author: Ana Ruiz\nimage: {src: bridge.png, alt: The bridge at dawn, caption: Girders, credit: Ana Ruiz}\n",
        ),
        "content/2025/12/budget-vote.md": story(
            "Council passes the budget",
            "2025-12-12T18:00:00Z",
            "City Hall",
            ["Budget"],
            "series: Council Week\nauthor: Ben Cole\n",
        ),
        "content/2025/12/school-closures.md": story(
            "Schools close for the storm", "2025-12-15", "Environment", ["Schools", "Weather"], "author: Dot Li\n"
        ),
        "content/2025/12/storm-warning.md": story(
            "Storm warning for the coast",
            "2025-12-20T06:00:00Z",
            "Environment",
            ["Weather"],
            "authors: [Dot Li, Ana Ruiz]\n",
        ),
        "content/2025/12/council-recap.md": story(
            "Council week in review",
            "2025-12-30T12:00:00Z",
            "City Hall",
            ["Budget", "Harbor Bridge"],
            "series: Council Week\nauthor: Ben Cole\n",
        ),
        LATE: story("Night ferry runs late", NOW - hours(47), "Transport", ["Ferries"], "author: Ana Ruiz\n"),
        "pages/about.md": about_page(),
        "pages/policies/ethics.md": article("title: Ethics\nmenu: header", "We never pay sources.\n"),
        "pages/masthead.md": article("title: Masthead", "Editor: Ana Ruiz.\n"),
        EMBARGOED: story("Mayor to resign", NOW + hours(5), "City Hall", ["Budget"], "author: Ben Cole\n"),
        SCHEDULED: story("Market opens at dawn", NOW + hours(7), "Environment", ["Mañana Market"], "author: Dot Li\n"),
    }


class _SettledImages:
    """`content/` folders holding the site's one file that is not an article (the image beside an article), made ahead.

    A build trusts a file's size and times only once they are 2 s old (two writes closer than that may share a
    timestamp); until then a file in `content/` that is not an article sends every build the whole way, and the quick
    way would go untested. A real site's images are older than that: so these are written ahead, once, and each site
    gets one by a rename, which keeps the image's times.
    """

    AGE_NS = 2_500_000_000

    def __init__(self) -> None:
        self._root: tempfile.TemporaryDirectory[str] | None = None
        self._ready: list[Path] = []
        self._made_at = 0

    def take(self) -> Path:
        if not self._ready:
            self._make(int(os.environ.get("NEWSGEN_HYPOTHESIS_EXAMPLES") or 20) + 12)  # enough for this file's tests
        wait_ns = self._made_at + self.AGE_NS - time.time_ns()
        if wait_ns > 0:
            time.sleep(wait_ns / 1e9)
        return self._ready.pop()

    def _make(self, count: int) -> None:
        if self._root is None:
            self._root = tempfile.TemporaryDirectory(prefix="newsgen-settled-")
            atexit.register(self._root.cleanup)
        image = png(64, 32)
        for _ in range(count):
            content = Path(tempfile.mkdtemp(dir=self._root.name)) / "content"
            (content / "2025/12").mkdir(parents=True)
            (content / BRIDGE_IMAGE).write_bytes(image)
            self._ready.append(content)
        self._made_at = time.time_ns()


SETTLED_IMAGES = _SettledImages()


def write_site(root: Path) -> Path:
    """The site, written now but for the image beside an article, which is older (see `_SettledImages`)."""
    root.mkdir(parents=True)
    settled = SETTLED_IMAGES.take()
    try:
        os.rename(settled, root / "content")
    except OSError:  # another file system: a new image, and builds take the whole way for 2 s
        shutil.copytree(settled, root / "content")
    for name, content in site_files().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def articles(site: Path) -> list[Path]:
    return sorted((site / "content").rglob("*.md"))


# What a "label" edit gives an article, in turn: a label, another, a paywall, a syndicated copy, sponsored, none.
KIND_LINES = [
    "label: opinion\n",
    "label: analysis\n",
    "access: subscribers\ngate: 1\n",
    "canonical: https://wire.example/story/\n",
    "label: sponsored\nsponsor: {name: Acme Ferries}\n",
    "",
]


def set_fields(path: Path, keys: str, lines: str) -> None:
    """The article's lines for `keys` (a regex alternation) replaced by `lines`, after its section; "" removes them."""
    text = re.sub(rf"^(?:{keys}): .*\n", "", path.read_text(encoding="utf-8"), flags=re.M)
    edited, count = re.subn(r"^(section: .*\n)", lambda found: found.group(1) + lines, text, count=1, flags=re.M)
    assert count == 1, f"{path}: no section line"
    path.write_text(edited, encoding="utf-8")


def set_kind(path: Path, lines: str) -> None:
    """The article's label, sponsor, paywall and canonical lines replaced by `lines`."""
    set_fields(path, "label|sponsor|access|gate|canonical", lines)


def set_byline(path: Path, name: str) -> None:
    """The article's byline (`author:` or `authors:`) replaced by one name."""
    set_fields(path, "author|authors", f"author: {name}\n")


def join_series(path: Path, series: str | None) -> None:
    """The article put in `series`, or taken out of any series when None."""
    set_fields(path, "series", f"series: {series}\n" if series else "")


def add_tag(path: Path, tag: str) -> None:
    """`tag` added to the article's tags (a flow list, as `story` writes it)."""
    found = re.search(r"^tags: \[(.*)\]$", path.read_text(encoding="utf-8"), flags=re.M)
    assert found, f"{path}: no tags line"
    set_line(path, "tags", f"[{', '.join([*filter(None, found.group(1).split(', ')), tag])}]")


def add_correction(path: Path, moment: datetime, text: str) -> None:
    """A correction appended to the article's `corrections` (one line, a flow list: `text` has no comma or colon)."""
    found = re.search(r"^corrections: \[(.*)\]$", path.read_text(encoding="utf-8"), flags=re.M)
    entries = [*([found.group(1)] if found else []), f"{{date: '{moment.isoformat()}', text: {text}}}"]
    set_fields(path, "corrections", f"corrections: [{', '.join(entries)}]\n")


def set_expiry(path: Path, moment: datetime) -> None:
    set_fields(path, "expires", f"expires: '{moment.isoformat()}'\n")


def set_line(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{path}: no {key} line"
    path.write_text(edited, encoding="utf-8")


# ---------------------------------------------------------------------------
# Builds and comparisons
# ---------------------------------------------------------------------------


def differences(incremental: Path, clean: Path) -> str | None:
    """None when both folders hold the same files with the same bytes, else which files differ and how."""
    ours, theirs = digests(incremental), digests(clean)
    if ours == theirs:
        return None
    lines: list[str] = []
    excerpts: list[str] = []
    for name in sorted(ours.keys() | theirs.keys()):
        if name not in theirs:
            lines.append(f"    only in the incremental build: {name}")
        elif name not in ours:
            lines.append(f"    missing from the incremental build: {name}")
        elif ours[name] != theirs[name]:
            lines.append(f"    bytes differ: {name}")
            if len(excerpts) < 3:
                excerpts.append(_excerpt(name, incremental / name, clean / name))
    return "\n".join(lines + excerpts)


def _excerpt(name: str, incremental: Path, clean: Path) -> str:
    try:
        ours, theirs = incremental.read_text(encoding="utf-8"), clean.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return f"    ({name} is binary)"
    diff = list(
        difflib.unified_diff(
            ours.splitlines(), theirs.splitlines(), f"incremental/{name}", f"clean/{name}", n=0, lineterm=""
        )
    )
    shown = diff[:14] + ([f"... {len(diff) - 14} more diff lines"] if len(diff) > 14 else [])
    return "\n".join(f"      {line[:200]}" for line in shown)


def clean_build(site: Path, scratch: Path, clock: datetime, future: bool) -> Path:
    """A build into a fresh output folder with a fresh cache folder."""
    fresh = Path(tempfile.mkdtemp(prefix="clean-", dir=scratch))
    build(BuildOptions(site, fresh / "out", now=clock, future=future), BuildSession(fresh / "cache"))
    return fresh / "out"


@contextmanager
def source_date_epoch() -> Iterator[Callable[[datetime], None]]:
    """Sets the preview's clock (it builds at `build_now()`, which reads SOURCE_DATE_EPOCH); restores the variable after."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")

    def set_clock(moment: datetime) -> None:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))

    try:
        yield set_clock
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


class IncrementalBuilds:
    """Builds that reuse what the build before them left, one of two ways: "build" or "preview"."""

    def __init__(self, way: str, site: Path, scratch: Path, set_clock: Callable[[datetime], None]) -> None:
        self.way, self.site, self.scratch, self._set_clock = way, site, scratch, set_clock
        self._preview: Preview | None = None
        self._preview_future: bool | None = None
        self._generation = 0
        self._start_afresh()

    def _start_afresh(self) -> None:
        """New cache and output folders (after a mismatch, so later steps are judged from a good start)."""
        self.close()
        self._generation += 1
        self._root = self.scratch / f"{self.way}-{self._generation}"
        self._root.mkdir()
        self._session = BuildSession(self._root / "cache")

    def build(self, clock: datetime, future: bool) -> tuple[Path, str | None]:
        """The output folder after an incremental build, and the build's problems (None when it succeeded)."""
        if self.way == "build":
            output = self._root / "out"
            try:
                build(BuildOptions(self.site, output, now=clock, future=future), self._session)
            except Exception as exc:  # noqa: BLE001 - reported with the step
                return output, f"the incremental build failed: {exc!r}"
            return output, None
        if self._preview is None or self._preview_future != future:
            # The preview's options are fixed when it starts: `newsgen serve --future` is a new preview.
            if self._preview is not None:
                self._preview.close()
            self._preview = Preview(
                BuildOptions(self.site, self._root / "unused", now=clock, future=future), self._root / "cache"
            )
            self._preview_future = future
        self._set_clock(clock)
        event = self._preview.rebuild()
        problems = "\n".join(event.problems) or None
        return self._preview.output_dir, problems and f"the preview's rebuild failed:\n{problems}"

    def restart(self, clock: datetime, future: bool) -> None:
        self._start_afresh()
        self.build(clock, future)

    def close(self) -> None:
        if self._preview is not None:
            self._preview.close()
            self._preview = None
            self._preview_future = None


def compare_with_clean(builds: IncrementalBuilds, clock: datetime, future: bool) -> tuple[str | None, Path]:
    """Build incrementally, then cleanly; the differences (None if none) and the clean output folder."""
    output, failed = builds.build(clock, future)
    clean = clean_build(builds.site, builds.scratch, clock, future)
    if failed:
        return failed, clean
    return differences(output, clean), clean


# ---------------------------------------------------------------------------
# 1. Every kind of edit, one after another
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    edit: Callable[[Path], object] = lambda site: None
    clock: datetime | None = None  # the builds' "now" from this step on
    future: bool | None = None  # the builds' --future from this step on
    check: Callable[[Path], None] = lambda clean: None  # that the clean build shows what the step is about


def news_sitemap_lists(clean: Path, path: str) -> bool:
    slug = Path(path).stem
    return f"/{slug}/</loc>".encode() in (clean / "news-sitemap.xml").read_bytes()


def _expect(condition: bool, message: str) -> None:
    assert condition, message


def _write_catalog(site: Path, older: str) -> None:
    (site / "locales").mkdir(exist_ok=True)
    (site / "locales/en.po").write_text(f'msgid "Older stories"\nmsgstr "{older}"\n', encoding="utf-8")


SPANISH_EDITION = "languages:\n  en: {}\n  es: {title: La Gaceta, sections: {transport: Transporte}}\n"


def _set_editions(site: Path, on: bool) -> None:
    """A Spanish edition at /es/ (content/es/) switched on or off in newsgen.yaml, the rest of the settings kept."""
    config = site / "newsgen.yaml"
    text = config.read_text(encoding="utf-8").replace(SPANISH_EDITION, "")
    config.write_text(text + (SPANISH_EDITION if on else ""), encoding="utf-8")


def _spanish_story(site: Path, name: str, date: datetime | str, key: str) -> None:
    """A story of the Spanish edition, a version of every story that shares its translation_key."""
    path = site / f"content/es/{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(story(f"Noticia {name}", date, "Transport", ["Ferries"], f"translation_key: {key}\n"), "utf-8")


def _set_key(path: Path, key: str | None) -> None:
    """The story's translation_key line replaced, or removed when `key` is None."""
    text = re.sub(r"^translation_key: .*\n", "", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(text.replace("headline: ", f"translation_key: {key}\nheadline: ", 1) if key else text, "utf-8")


def _translate_storm_warning(site: Path) -> None:
    _set_key(site / "content/2025/12/storm-warning.md", "storm")
    _spanish_story(site, "tormenta", "2025-12-21T10:00:00Z", "storm")


def _add_article(site: Path) -> None:
    (site / "content/2025/12/ferry-strike.md").write_text(
        story(
            "Ferry crews vote to strike",
            "2025-12-28T15:00:00Z",
            "Transport",
            ["Ferries", "Weather"],
            "author: Ana Ruiz\n",
        ),
        encoding="utf-8",
    )


def _label_and_sponsor(site: Path) -> None:
    set_kind(site / "content/2025/12/school-closures.md", KIND_LINES[0])
    set_kind(site / LATE, KIND_LINES[4])


def _paywall_and_syndicate(site: Path) -> None:
    set_kind(site / "content/2025/12/school-closures.md", KIND_LINES[2])
    set_kind(site / "content/2025/12/storm-warning.md", KIND_LINES[3])


def _add_two_stories(site: Path) -> None:
    """Two stories written before one build: the newest, and one deep in the archive, sharing a tag."""
    (site / "content/2025/12/pier-reopens.md").write_text(
        story("Pier 4 reopens", NOW - hours(3), "Transport", ["Harbor Bridge"], "author: Ben Cole\n"), "utf-8"
    )
    (site / "content/2025/12/dredging.md").write_text(
        story("Dredging starts", "2025-12-05T11:00:00Z", "Environment", ["Harbor Bridge"], "author: Dot Li\n"), "utf-8"
    )


def write_fronts(site: Path, stories: list[Path], clock: datetime, n: int) -> None:
    """fronts.yaml: a lead and top stories for the home page and a section, one pinned for a while, one the site
    doesn't publish (a deleted story's file); every fourth time, no fronts file."""
    path = site / "fronts.yaml"
    if n % 4 == 3:
        path.unlink(missing_ok=True)
        return
    named = [story.relative_to(site / "content").as_posix() for story in stories]
    pick = [named[(n + step * 3) % len(named)] for step in range(3)]
    until = (clock + hours(1 + n % 3)).isoformat()
    path.write_text(
        f"home:\n  lead: {pick[0]}\n  top:\n    - {{story: {pick[1]}, until: '{until}'}}\n    - gone/{n}.md\n"
        f"transport:\n  top: [{pick[2]}]\n",
        encoding="utf-8",
    )


def write_alerts(site: Path, clock: datetime, n: int) -> None:
    """alerts.yaml: a breaking alert until a moment a "clock" edit may pass, and one starting later; every third
    time, none."""
    path = site / "alerts.yaml"
    if n % 3 == 2:
        path.unlink(missing_ok=True)
        return
    until, start = (clock + hours(1 + n % 2)).isoformat(), (clock + hours(2)).isoformat()
    path.write_text(
        f"alerts:\n  - {{text: Bridge closed {n}, level: breaking, until: '{until}'}}\n"
        f"  - {{text: Ferry timetable {n}, url: /ferries/, from: '{start}'}}\n",
        encoding="utf-8",
    )


def _write_embargoed_story(site: Path) -> None:
    (site / EMBARGOED_NEW).write_text(
        story("Pier vote tonight", NOW + hours(3), "City Hall", ["Budget"], "author: Ben Cole\n"), "utf-8"
    )


def scheduled_next(clean: Path) -> str:
    """The next scheduled change the build's schedule file names, as its moment and reason."""
    schedule = json.loads((clean / ".newsgen-schedule.json").read_text(encoding="utf-8"))
    return f"{schedule['next_change']} {schedule['reason']}"


SERIES_PART_ONE = "content/2025/11/2025-11-03-ferry-fares.md"  # the first part of Council Week
# The story that expires: it has the image beside it and, by then, an author of its own.
EXPIRING = "content/2025/12/2025-12-10-bridge-inspection.md"
EMBARGOED_NEW = "content/2026/01/pier-vote.md"  # written at NOW+2h, dated NOW+3h


def _recap_headlines(page: Path) -> list[str]:
    """The headlines of a list page's recaps, in order."""
    return re.findall(r'class="recap-headline"><a href="[^"]*">([^<]*)</a>', page.read_text(encoding="utf-8"))


def _page(clean: Path, url: str) -> bytes:
    return (clean / url.strip("/") / "index.html").read_bytes()


STEPS = [
    Step("first build"),
    Step(
        "edit the target of the computed include: templates/parts/footer-article.html",
        lambda site: (site / "templates/parts/footer-article.html").write_text(
            footer_html("city-desk"), encoding="utf-8"
        ),
        check=lambda clean: _expect(
            b"city-desk@" in (clean / "2025/12/15/school-closures/index.html").read_bytes(), "new footer"
        ),
    ),
    Step(
        "edit the macros file every page imports: templates/_macros.html",
        lambda site: (site / "templates/_macros.html").write_text(macros_html("late edition"), encoding="utf-8"),
        check=lambda clean: _expect(b"late edition" in (clean / "tags/index.html").read_bytes(), "new colophon"),
    ),
    Step(
        "edit the parent every page extends: templates/base.html",
        lambda site: (site / "templates/base.html").write_text(base_html("Skip to the story"), encoding="utf-8"),
        check=lambda clean: _expect(b"Skip to the story" in (clean / "404.html").read_bytes(), "new base"),
    ),
    Step(
        "add a catalog of the site's own: locales/en.po changes the theme's \"Older stories\"",
        lambda site: _write_catalog(site, "Earlier stories"),
        check=lambda clean: _expect(b"Earlier stories" in (clean / "index.html").read_bytes(), "the site's words"),
    ),
    Step(
        "edit it: locales/en.po",
        lambda site: _write_catalog(site, "Stories before these"),
        check=lambda clean: _expect(b"Stories before these" in (clean / "index.html").read_bytes(), "edited words"),
    ),
    Step(
        "edit static CSS: static/css/site.css",
        lambda site: (site / "static/css/site.css").write_text(css(12), encoding="utf-8"),
        check=lambda clean: _expect((clean / "css/site.css").read_text() == css(12), "new CSS"),
    ),
    Step(
        "edit config keys in newsgen.yaml: title and per_page",
        lambda site: (site / "newsgen.yaml").write_text(config_yaml("The Evening Ledger", 2), encoding="utf-8"),
        check=lambda clean: _expect(b"The Evening Ledger" in (clean / "index.html").read_bytes(), "new title"),
    ),
    Step(
        "switch newsgen.yaml to classic pagination and an inline latest-news rail",
        lambda site: (site / "newsgen.yaml").write_text(
            config_yaml("The Evening Ledger", 2) + "pagination: classic\nlatest_rail: inline\n", encoding="utf-8"
        ),
        check=lambda clean: _expect(not (clean / "latest").exists() and (clean / "page/2").is_dir(), "classic, inline"),
    ),
    Step(
        "edit an article's headline",
        lambda site: set_line(site / "content/2025/12/storm-warning.md", "headline", "Storm warning lifted"),
        check=lambda clean: _expect(
            b"Storm warning lifted" in (clean / "2025/12/20/storm-warning/index.html").read_bytes(), "edit"
        ),
    ),
    Step(
        "edit a standalone page's words and updated date",
        lambda site: (site / "pages/about.md").write_text(
            about_page(words="We cover the harbor and the bay.", updated="2025-12-01"), encoding="utf-8"
        ),
        check=lambda clean: _expect(
            b"the harbor and the bay" in (clean / "about/index.html").read_bytes()
            and b"/about/</loc><lastmod>2025-12-01" in (clean / "sitemap.xml").read_bytes(),
            "new words and lastmod",
        ),
    ),
    Step(
        "move a standalone page in the footer menu",
        lambda site: (site / "pages/about.md").write_text(about_page("Who we are", 3), encoding="utf-8"),
        check=lambda clean: _expect(b">Who we are</a>" in (clean / "tags/index.html").read_bytes(), "new menu entry"),
    ),
    Step(
        "add an article",
        _add_article,
        check=lambda clean: _expect((clean / "2025/12/28/ferry-strike/index.html").is_file(), "new article"),
    ),
    Step(
        "add two stories before one build: the newest, and one deep in the archive, sharing a tag",
        _add_two_stories,
        check=lambda clean: _expect(
            b"/2025/12/31/pier-reopens/" in _page(clean, "/") and (clean / "2025/12/05/dredging/index.html").is_file(),
            "the newest leads the front page, the other has its page",
        ),
    ),
    Step(
        "delete an article deep in the archive (a part of a series)",
        lambda site: (site / "content/2025/12/budget-vote.md").unlink(),
        check=lambda clean: _expect(not (clean / "2025/12/12").exists(), "article gone"),
    ),
    Step(
        "change an article's tags",
        lambda site: set_line(site / "content/2025/12/school-closures.md", "tags", "[Schools, Ferries]"),
        check=lambda clean: _expect(
            b"/tags/ferries/" in (clean / "2025/12/15/school-closures/index.html").read_bytes(), "new tag"
        ),
    ),
    Step(
        "give an article a tag no story had",
        lambda site: add_tag(site / "content/2025/12/storm-warning.md", "Coast Guard"),
        check=lambda clean: _expect(b"/storm-warning/" in _page(clean, "/tags/coast-guard/"), "a new tag page"),
    ),
    Step(
        "give an article an author no story had",
        lambda site: set_byline(site / EXPIRING, "Maya Ortiz"),
        check=lambda clean: _expect(
            b"/bridge-inspection/" in _page(clean, "/authors/maya-ortiz/"), "a new author page"
        ),
    ),
    Step(
        "an article joins a series between two of its parts",
        lambda site: join_series(site / "content/2025/12/school-closures.md", "Council Week"),
        check=lambda clean: _expect(
            b'<a href="/2025/12/15/school-closures/" rel="next">' in _page(clean, "/2025/11/03/ferry-fares/"),
            "the part before it names it next",
        ),
    ),
    Step(
        "the series' last part leaves it",
        lambda site: join_series(site / "content/2025/12/council-recap.md", None),
        check=lambda clean: _expect(
            b'rel="next"' not in _page(clean, "/2025/12/15/school-closures/")
            and b"series-box" not in _page(clean, "/2025/12/30/council-recap/"),
            "the part before it is the last, and it has no series box",
        ),
    ),
    Step(
        "correct an article",
        lambda site: add_correction(site / SERIES_PART_ONE, NOW - hours(2), "An earlier version gave the wrong fare"),
        check=lambda clean: _expect(
            b"An earlier version gave the wrong fare" in _page(clean, "/corrections/")
            and b'id="corrections"' in _page(clean, "/2025/11/03/ferry-fares/"),
            "the ledger and the story show it",
        ),
    ),
    Step(
        "label an article, and make another a sponsored one",
        _label_and_sponsor,
        check=lambda clean: _expect(
            (clean / "labels/opinion/index.html").is_file() and not news_sitemap_lists(clean, LATE),
            "an opinion page; the sponsored story left the news sitemap",
        ),
    ),
    Step(
        "paywall an article and make another a syndicated copy",
        _paywall_and_syndicate,
        check=lambda clean: _expect(
            b'class="paywalled"' in (clean / "2025/12/15/school-closures/index.html").read_bytes()
            and b"/storm-warning/" not in (clean / "sitemap.xml").read_bytes(),
            "a paywall; the syndicated copy left the sitemap",
        ),
    ),
    Step(
        "switch on a Spanish edition in newsgen.yaml",
        lambda site: _set_editions(site, True),
        check=lambda clean: _expect((clean / "es/index.html").is_file(), "a Spanish front page"),
    ),
    Step(
        "add a Spanish version of an English story (translation_key on both)",
        _translate_storm_warning,
        check=lambda clean: _expect(
            b'hreflang="es"' in (clean / "2025/12/20/storm-warning/index.html").read_bytes(),
            "the English story names its Spanish version",
        ),
    ),
    Step(
        "edit the Spanish story's headline",
        lambda site: set_line(site / "content/es/tormenta.md", "headline", "Pasa la tormenta"),
        check=lambda clean: _expect(
            b"Pasa la tormenta" in (clean / "es/2025/12/21/tormenta/index.html").read_bytes(), "edit"
        ),
    ),
    Step(
        "take the English story's translation_key away",
        lambda site: _set_key(site / "content/2025/12/storm-warning.md", None),
        check=lambda clean: _expect(
            b'hreflang="es"' not in (clean / "2025/12/20/storm-warning/index.html").read_bytes(), "no versions"
        ),
    ),
    Step(
        "set an article to expire at NOW+30min",
        lambda site: set_expiry(site / EXPIRING, NOW + hours(0.5)),
        check=lambda clean: _expect(
            (clean / "2025/12/10/bridge-inspection/index.html").is_file()
            and scheduled_next(clean) == "2026-01-01T00:30:00+00:00 article expires",
            "still there, its expiry scheduled",
        ),
    ),
    Step(
        "clock NOW -> NOW+45min (future=False): the article expires, and with it its author's only story",
        clock=NOW + hours(0.75),
        check=lambda clean: _expect(
            not (clean / "2025/12/10").exists() and not (clean / "authors/maya-ortiz").exists(), "taken down"
        ),
    ),
    Step(
        "clock NOW+45min -> NOW+2h (future=False): an article dated NOW-47h leaves the 48-hour news window",
        clock=NOW + hours(2),
        check=lambda clean: _expect(not news_sitemap_lists(clean, LATE), "late-shift left the news sitemap"),
    ),
    Step(
        "write a story under embargo until NOW+3h",
        _write_embargoed_story,
        check=lambda clean: _expect(
            not (clean / "2026/01/01/pier-vote").exists()
            and scheduled_next(clean) == "2026-01-01T03:00:00+00:00 embargo lifts",
            "left out, its embargo scheduled",
        ),
    ),
    Step(
        "clock NOW+2h -> NOW+4h (future=False): its embargo lifts and it enters the news window",
        clock=NOW + hours(4),
        check=lambda clean: _expect(
            (clean / "2026/01/01/pier-vote/index.html").is_file() and news_sitemap_lists(clean, EMBARGOED_NEW),
            "published and in the news sitemap",
        ),
    ),
    Step(
        "clock NOW+4h -> NOW+6h (future=False): an embargo (NOW+5h) lifts and the article enters the news window",
        clock=NOW + hours(6),
        check=lambda clean: _expect(
            news_sitemap_lists(clean, EMBARGOED) and (clean / "2026/01/01/embargoed/index.html").is_file(),
            "embargoed is published and in the news sitemap",
        ),
    ),
    Step(
        "editors' front: fronts.yaml leads the home page with an older story, pins another until NOW+7h",
        lambda site: (site / "fronts.yaml").write_text(
            "home:\n  lead: 2025/12/storm-warning.md\n"
            f"  top: [{{story: 2025/12/late-shift.md, until: '{(NOW + hours(7)).isoformat()}'}}]\n",
            encoding="utf-8",
        ),
        check=lambda clean: _expect(
            _recap_headlines(clean / "index.html")[0] == "Storm warning lifted", "the lead leads the front page"
        ),
    ),
    Step(
        "alerts.yaml: a breaking alert until NOW+8h, on the front page and in /alerts.json",
        lambda site: (site / "alerts.yaml").write_text(
            f"- {{text: Bridge closed, level: breaking, until: '{(NOW + hours(8)).isoformat()}'}}\n", encoding="utf-8"
        ),
        check=lambda clean: _expect(
            b"Bridge closed" in (clean / "index.html").read_bytes()
            and json.loads((clean / "alerts.json").read_bytes())["alerts"][0]["text"] == "Bridge closed",
            "the alert is published",
        ),
    ),
    Step(
        "switch to future=True at NOW+6h: an article dated NOW+7h is shown, not yet in the news window",
        future=True,
        check=lambda clean: _expect(
            (clean / "2026/01/01/scheduled/index.html").is_file() and not news_sitemap_lists(clean, SCHEDULED),
            "scheduled is shown but not in the news sitemap",
        ),
    ),
    Step(
        "clock NOW+6h -> NOW+9h (future=True): the article dated NOW+7h enters the news window; pin and alert end",
        clock=NOW + hours(9),
        check=lambda clean: _expect(
            news_sitemap_lists(clean, SCHEDULED)
            and b"Bridge closed" not in (clean / "index.html").read_bytes()
            and _recap_headlines(clean / "index.html")[0] == "Storm warning lifted",
            "a clean build lists scheduled in news-sitemap.xml, the alert is gone, the lead stays",
        ),
    ),
    Step(
        "clock NOW+9h -> NOW+54h (future=True): the article dated NOW+5h leaves the news window",
        clock=NOW + hours(54),
        check=lambda clean: _expect(
            not news_sitemap_lists(clean, EMBARGOED) and news_sitemap_lists(clean, SCHEDULED),
            "embargoed left the news sitemap, scheduled is still in it",
        ),
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("way", ["build", "preview"])
def test_every_kind_of_input_edit_gives_a_clean_builds_bytes(way: str, tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    clock, future = NOW, False
    failures: list[str] = []
    with source_date_epoch() as set_clock:
        builds = IncrementalBuilds(way, site, scratch, set_clock)
        try:
            for number, step in enumerate(STEPS):
                step.edit(site)
                clock = step.clock or clock
                future = step.future if step.future is not None else future
                mismatch, clean = compare_with_clean(builds, clock, future)
                try:
                    step.check(clean)
                except AssertionError as exc:
                    raise AssertionError(
                        f"step {number}, {step.name}: the clean build does not show it: {exc}"
                    ) from None
                shutil.rmtree(clean.parent)
                if mismatch is not None:
                    failures.append(f"step {number}, {step.name} [{way}]:\n{mismatch}")
                    builds.restart(clock, future)  # so each later step is judged on its own
        finally:
            builds.close()
    assert not failures, (
        f"{len(failures)} of {len(STEPS)} steps left an incremental build ({way}) that differs from a clean build:\n\n"
        + "\n\n".join(failures)
    )


# ---------------------------------------------------------------------------
# 2. Random sequences of the same kinds of edits
# ---------------------------------------------------------------------------

EXAMPLES_BY_HAND = os.environ.get("NEWSGEN_HYPOTHESIS_EXAMPLES")
EXAMPLES = int(EXAMPLES_BY_HAND or 20)
CLOCK_STEPS = [1, 2, 3, 5, 24, 46, 49]  # hours
ADDED_OFFSETS = [-49, -47, -25, -2, 1, 2, 4, 30, -24 * 40]  # hours from the clock at the time the article is added

EMBARGO_HOURS = [1, 2, 3, 4]  # how long a story written under embargo waits: CLOCK_STEPS lift it in one or two
AUTHORS = ["Ana Ruiz", "Ben Cole", "Dot Li", "Eve Moss"]
SERIES = ["Harbor Works", "Council Week"]  # a series no story is in yet, and one three stories are in

FILE_EDITS = [
    "footer", "macros", "base", "catalog", "css", "config", "headline", "add", "delete", "tags", "label", "page", "menu",
    "editions", "translate", "key",
    # the newsroom's events (issue #29)
    "batch", "undelete", "author", "newtag", "series", "correction", "expires", "embargo",
    # the editors' desk (issue #23)
    "front", "alert", "photo",
]  # fmt: skip
CLOCK_EDITS = ["clock", "future"]  # half of all edits: the clock moving on, --future switched (no input file changes)
EDITS = st.one_of(
    st.tuples(st.sampled_from(FILE_EDITS), st.integers(0, 99)),
    st.tuples(st.sampled_from(CLOCK_EDITS), st.integers(0, 99)),
)
START_HOURS = [0, 2, 6, 30]  # the first build's clock, from NOW: the site's articles are dated around NOW
# The 20 sequences CI draws hold few file edits (half of all edits move the clock), so a newsroom's day is always
# run too: three stories at once, one under embargo, an expiry, the clock lifting the one and passing the other,
# a story joining a series, a part of it deleted and restored, a correction, a new byline and a new tag.
NEWSROOM_DAY = [
    ("batch", 1), ("embargo", 1), ("expires", 14), ("clock", 1), ("series", 5), ("delete", 2), ("correction", 3),
    ("clock", 0), ("author", 5), ("newtag", 4), ("undelete", 0), ("front", 1), ("alert", 1), ("clock", 1),
    ("front", 2), ("alert", 0), ("photo", 3),
]  # fmt: skip


@dataclass
class RandomSite:
    root: Path
    clock: datetime = NOW
    future: bool = False
    added: int = 0  # stories written, for their file names
    fresh: int = 0  # names no story had before (tags, authors), made
    deleted: list[tuple[Path, str]] = field(default_factory=list)  # for "undelete", the last one first

    def write_story(self, date: datetime, n: int, tags: list[str]) -> None:
        """A new story in content/added/, in one of the site's sections, by an author the site has."""
        self.added += 1
        text = story(
            f"Added story {self.added}", date, SECTIONS[n % len(SECTIONS)], sorted(set(tags)), "author: Eve Moss\n"
        )
        path = self.root / f"content/added/added-{self.added}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def fresh_name(self, kind: str) -> str:
        self.fresh += 1
        return f"{kind} {self.fresh}"

    def apply(self, kind: str, n: int) -> None:
        site, existing = self.root, articles(self.root)
        if kind == "footer":
            (site / "templates/parts/footer-article.html").write_text(footer_html(f"desk{n}"), encoding="utf-8")
        elif kind == "macros":
            (site / "templates/_macros.html").write_text(macros_html(f"edition {n}"), encoding="utf-8")
        elif kind == "base":
            (site / "templates/base.html").write_text(base_html(f"Skip to story {n}"), encoding="utf-8")
        elif kind == "catalog":
            _write_catalog(site, f"Earlier stories {n}")
        elif kind == "css":
            (site / "static/css/site.css").write_text(css(n), encoding="utf-8")
        elif kind == "config":
            (site / "newsgen.yaml").write_text(config_yaml(f"Ledger {n}", 1 + n % 4), encoding="utf-8")
        elif kind == "headline":
            set_line(existing[n % len(existing)], "headline", f"Edited headline {n}")
        elif kind == "add":
            date = self.clock + hours(ADDED_OFFSETS[n % len(ADDED_OFFSETS)])
            self.write_story(date, n, [TAGS[n % len(TAGS)], TAGS[(n // 7) % len(TAGS)]])
        elif kind == "batch":  # before one build: the newest story, one deep in the archive, maybe one more
            shared = TAGS[n % len(TAGS)]
            self.write_story(self.clock - hours(0.5), n, [shared])
            self.write_story(datetime.fromisoformat(f"2025-12-{1 + n % 28:02d}T10:00:00+00:00"), n + 1, [shared])
            if n % 2:
                self.write_story(self.clock - hours(30), n + 2, [TAGS[(n + 1) % len(TAGS)]])
        elif kind == "embargo":  # dated after the clock: left out (unless --future) until a "clock" edit lifts it
            self.write_story(self.clock + hours(EMBARGO_HOURS[n % len(EMBARGO_HOURS)]), n, [TAGS[n % len(TAGS)]])
        elif kind == "delete":  # any story: the newest, one deep in the archive, a part of a series, a translation
            if len(existing) > 2:
                victim = existing[n % len(existing)]
                self.deleted.append((victim, victim.read_text(encoding="utf-8")))
                victim.unlink()
        elif kind == "undelete":  # the story deleted last comes back, as it was
            if self.deleted:
                path, text = self.deleted.pop()
                path.write_text(text, encoding="utf-8")
        elif kind == "author":  # a byline no story had, or another of the site's authors
            set_byline(
                existing[n % len(existing)], self.fresh_name("Stringer") if n % 2 else AUTHORS[n // 2 % len(AUTHORS)]
            )
        elif kind == "newtag":
            add_tag(existing[n % len(existing)], self.fresh_name("Pier"))
        elif kind == "series":  # out of its series, or into a new one or an existing one
            path = existing[n % len(existing)]
            in_series = re.search(r"^series: ", path.read_text(encoding="utf-8"), flags=re.M)
            join_series(path, None if in_series else SERIES[n % len(SERIES)])
        elif kind == "correction":
            add_correction(existing[n % len(existing)], self.clock - hours(n % 6), f"An earlier version erred {n}")
        elif kind == "expires":  # a moment a "clock" edit may pass, or one already past (the story is taken down)
            set_expiry(existing[n % len(existing)], self.clock + hours(1 + n % 4 if n % 3 else -1))
        elif kind == "tags":
            tags = [TAGS[n % len(TAGS)]] + ([TAGS[(n // 3) % len(TAGS)]] if n % 2 else [])
            set_line(existing[n % len(existing)], "tags", f"[{', '.join(sorted(set(tags)))}]")
        elif kind == "label":
            set_kind(existing[n % len(existing)], KIND_LINES[n % len(KIND_LINES)])
        elif kind == "page":  # the quick way, unless a menu edit moved the page before
            updated = f"2025-12-{1 + n % 28:02d}" if n % 2 else ""
            (site / "pages/about.md").write_text(about_page(words=f"Words {n}.", updated=updated), encoding="utf-8")
        elif kind == "menu":  # the whole way: every page shows the menus
            extra = site / "pages/extra.md"
            if n % 3 == 0:
                (site / "pages/about.md").write_text(about_page(order=n % 4), encoding="utf-8")
            elif n % 3 == 1:
                (site / "pages/about.md").write_text(about_page(title=f"About us {n}"), encoding="utf-8")
            elif extra.exists():
                extra.unlink()
            else:
                extra.write_text(article(f"title: Extra {n}\nmenu: header"), encoding="utf-8")
        elif kind == "editions":  # the whole way: every page's edition, URLs and words may move
            _set_editions(site, n % 2 == 0)
        elif kind == "translate":  # a Spanish story, a version of whichever stories share its key
            date = self.clock + hours(ADDED_OFFSETS[n % len(ADDED_OFFSETS)])
            _spanish_story(site, f"es-{n}", date, f"key-{n % 3}")
        elif kind == "key":
            _set_key(existing[n % len(existing)], f"key-{n % 3}" if n % 4 else None)
        elif kind == "photo":  # a story filed with its photo beside it, in a folder of its own (as the CMS files one)
            bundle = site / f"content/filed/story-{n}-{self.added}"
            bundle.mkdir(parents=True)
            (bundle / "photo.png").write_bytes(png(40 + n, 24))
            image = f"image: {{src: photo.png, alt: Photo {n}}}\n"
            date = self.clock - hours(1 + n % 3)
            (bundle / "index.md").write_text(
                story(f"Filed {n} {self.added}", date, SECTIONS[n % 3], [TAGS[n % 6]], image)
            )
            self.added += 1
        elif kind == "front":
            write_fronts(site, existing, self.clock, n)
        elif kind == "alert":
            write_alerts(site, self.clock, n)
        elif kind == "clock":
            self.clock += hours(CLOCK_STEPS[n % len(CLOCK_STEPS)])
        elif kind == "future":
            self.future = not self.future


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES_BY_HAND is None,  # CI runs the same examples every time
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    # Shrinking a failure costs hundreds of builds: only when run by hand.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, *([Phase.shrink] if EXAMPLES_BY_HAND else [])],
)
@example(way="build", start=0, future=False, edits=NEWSROOM_DAY)
@given(
    way=st.sampled_from(["build", "preview"]),
    start=st.sampled_from(START_HOURS),
    future=st.booleans(),
    edits=st.lists(EDITS, min_size=1, max_size=8),
)
def test_random_edit_sequences_match_a_clean_build(
    way: str, start: int, future: bool, edits: list[tuple[str, int]]
) -> None:
    with tempfile.TemporaryDirectory(prefix="newsgen-equivalence-") as scratch_name, source_date_epoch() as set_clock:
        scratch = Path(scratch_name)
        state = RandomSite(write_site(scratch / "site"), NOW + hours(start), future)
        builds = IncrementalBuilds(way, state.root, scratch, set_clock)
        try:
            _, failed = builds.build(state.clock, state.future)
            assert failed is None, f"the first build: {failed}"
            for number, (kind, n) in enumerate(edits, 1):
                state.apply(kind, n)
                mismatch, clean = compare_with_clean(builds, state.clock, state.future)
                shutil.rmtree(clean.parent)
                assert mismatch is None, (
                    f"after edit {number} of {len(edits)} ({kind}, {n}) [{way}, now={state.clock.isoformat()}, future={state.future}], "
                    f"edits {edits[:number]}: the incremental build differs from a clean build:\n{mismatch}"
                )
        finally:
            builds.close()
