"""Seeded synthetic news corpus for build benchmarks: a complete newsgen site of N articles.

Run by hand (never by CI or pytest):

    python benchmarks/corpus.py OUT_DIR --articles N [--seed 1] [--workers 2]

The output is a function of (N, seed) alone: the same bytes on every run, so
timings taken on different days or machines compare like with like. Text is
made from fixed word lists and sentence templates (no external data), shaped
like news copy: 600-900 word bodies with subheads, a list, a pull quote,
external and internal links, and one captioned body image. Every article
passes `newsgen check` with no errors and no warnings, so a benchmark measures
building, not problem reporting.

100,000 articles take about 25 s on 2 cores and 790 MB of disk.
Standard library plus Pillow only (Pillow is already a newsgen dependency).
"""

from __future__ import annotations

import argparse
import bisect
import io
import multiprocessing
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image

# ---------------------------------------------------------------------------
# Fixed vocabulary. Pools (authors, sections, tags, series) never depend on the
# seed, so corpora of different sizes share their taxonomy names.
# ---------------------------------------------------------------------------

NOUNS = """
budget council bridge ferry harbor school district hospital clinic library park market union contract
ordinance permit zoning proposal plan report study survey audit election ballot measure tax levy fee
toll fare route station terminal pier dock warehouse factory plant mill office agency department board
commission committee panel court judge jury lawsuit settlement appeal ruling hearing meeting session vote
mayor governor senator lawmaker official spokesperson director manager chief officer resident neighbor
tenant landlord owner developer builder contractor engineer inspector teacher student parent nurse doctor
patient worker driver captain crew volunteer farmer fisherman shop restaurant bakery brewery theater museum
festival concert season game match team coach player league stadium field arena storm flood tide drought
fire heat wave shoreline marsh river creek bay island coast road highway bridgehead tunnel railway bus
train bike lane sidewalk crosswalk signal housing apartment rent mortgage loan grant fund donation
scholarship program pilot service schedule shift deadline timeline estimate forecast figure number record
decade century week month year morning evening weekend holiday deal agreement partnership merger
startup company firm bank lender investor shareholder price cost wage salary pension benefit policy
rule law bill amendment veto petition protest rally campaign candidate poll debate speech statement letter
email memo document filing application license inspection repair renovation expansion closure opening
""".split()

ADJECTIVES = """
new old local regional federal state municipal public private small large major minor quiet busy early
late final initial annual quarterly monthly weekly temporary permanent costly cheaper modest ambitious
controversial popular unpopular delayed expanded revised updated proposed approved rejected disputed
long-awaited overdue historic aging modern coastal downtown rural suburban northern southern eastern
western independent nonprofit emergency seasonal crowded empty narrow wide steep sharp gradual sudden
unexpected familiar rare careful detailed brief lengthy frank cautious hopeful skeptical divided unanimous
""".split()

VERBS_PAST = """
approved rejected delayed postponed announced proposed expanded reduced cut raised lowered reviewed
questioned defended criticized praised funded financed backed opposed signed vetoed filed appealed
settled reopened closed inspected repaired rebuilt replaced upgraded moved shifted doubled tripled
hired fired promoted suspended launched completed finished started resumed paused tested measured
counted surveyed reported confirmed denied disclosed released published estimated forecast warned
""".split()

VERBS_BASE = """
approve reject delay postpone announce propose expand reduce cut raise lower review question defend
fund back oppose sign file appeal settle reopen close inspect repair rebuild replace upgrade move shift
double hire launch complete finish start resume pause test measure count survey report confirm release
publish estimate
""".split()

ADVERBS = """
quickly slowly quietly publicly narrowly easily barely finally again already still recently formally
""".split()

PLACES = """
Port Calder|Wexby Point|Tidewater|Harbor Heights|Old Mill|Cedar Flats|North Shore|Granite Bay|Lantern Hill|
Saltmarsh|Riverside|Bell Cove|Kestrel Ridge|Fairhaven|Stonebridge|Millbrook|Eastport|Osprey Landing|
Juniper Row|Copper Creek
""".replace("\n", "").split("|")

ORGS = """
City Council|Harbor Commission|School Board|Transit Authority|Water District|Chamber of Commerce|
Planning Department|Parks Department|County Commission|Port Authority|Health Department|Housing Authority|
Fire Department|Police Department|Library Board|Tenants Union|Fishermen's Cooperative|Arts Council|
State Legislature|Coast Guard station
""".replace("\n", "").split("|")

ROLES = """
spokesperson|city engineer|budget director|council member|board chair|union steward|shop owner|
longtime resident|school principal|harbor master|project manager|county clerk|public defender|
civil engineer|nurse practitioner|head coach|museum curator|bus driver|ferry captain|planning director
""".replace("\n", "").split("|")

FIRST_NAMES = """
Renata Oren Priya Hollis Bettina Tomás Marisol Ines Ruben Marta Keiko Dmitri Amara Luca Nadia Soren
Esther Idris Yara Callum Fatima Anders Lucía Kwame Hana Mateo Ingrid Omar Leila Felix Rosa Tobias
Zainab Emil Paloma Jonah Mei Viktor Aisha Declan
""".split()

LAST_NAMES = """
Szabo Palacek Lindqvist Crane Sorensen Ibarra Okafor Corrigan Delgado Moreau Tanaka Volkov Mensah
Ferraro Haddad Nilsen Abrams Rahman Ortega MacLeod Siddiqui Lund Navarro Boateng Kimura Cruz Berg
Yilmaz Sadeghi Weber Castillo Ward Qureshi Brandt Vega Osei Huang Petrov Diallo Byrne
""".split()

SECTIONS = ["City Hall", "Politics", "Business", "Education", "Environment", "Health", "Sports", "Culture"]
SERIES = ["Council Week recap", "Harbor Bridge rebuild", "Storm season", "Schools in focus", "The housing squeeze"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

AUTHOR_COUNT = 40
TAG_COUNT = 300
SERIES_SHARE = 0.10
COMMENT_SHARE = 0.30
IMAGE_POOL = 50  # lead images and, separately, body images
IMAGE_SIZE = (64, 36)
WORDS_MIN, WORDS_MAX = 600, 900
EST = timezone(timedelta(hours=-5))
FIRST_DATE = datetime(2022, 11, 1, 6, 0, tzinfo=EST)
LAST_DATE = datetime(2026, 11, 1, 0, 0, tzinfo=EST)  # exclusive: every article is dated before this
MAX_HEADLINE = 110

AUTHORS = [f"{first} {last}" for first, last in zip(FIRST_NAMES, LAST_NAMES, strict=False)][:AUTHOR_COUNT]
PEOPLE = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES[:10]]  # quoted sources, commenters

SITE_CONFIG = """\
title: Bench Gazette
description: A synthetic news site for build benchmarks
base_url: https://bench.example.org/
language: en
timezone: America/New_York
per_page: 10
"""


# ---------------------------------------------------------------------------
# Pools
# ---------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lowercase ASCII-ish slug; our vocabulary is ASCII apart from a few accents we strip."""
    text = text.lower().replace("á", "a").replace("í", "i").replace("é", "e").replace("ó", "o").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def tag_pool() -> list[str]:
    """300 tag names with distinct slugs, most popular first (the Zipf rank is the list index)."""
    rng = random.Random(0)
    tags: list[str] = []
    seen: set[str] = set()
    candidates = [*PLACES, *(org.replace("'s", "s") for org in ORGS)]
    while len(tags) < TAG_COUNT:
        name = candidates.pop(0) if candidates else f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}".title()
        if slugify(name) not in seen:
            seen.add(slugify(name))
            tags.append(name)
    rng.shuffle(tags)
    return tags


def zipf_cum_weights(count: int) -> list[float]:
    """Cumulative 1/rank weights: a few tags on many articles, a long tail on few."""
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank
        cumulative.append(total)
    return cumulative


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


class Writer:
    """Sentence and paragraph maker over one seeded Random, so its output depends only on that seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people = PEOPLE
        self.authors = AUTHORS

    def pick(self, words: list[str]) -> str:
        return words[int(self.rng.random() * len(words))]  # faster than rng.choice, same determinism

    def noun_phrase(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"the {self.pick(ADJECTIVES)} {self.pick(NOUNS)}"
        return f"the {self.pick(NOUNS)} {self.pick(NOUNS)}"

    def money(self) -> str:
        return f"${2 + int(self.rng.random() * 480)} million"

    def amount(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return self.money()
        return f"{rng.randint(3, 950):,} {plural(self.pick(NOUNS))}"

    def sentence(self) -> str:
        """One sentence from a handful of news-copy shapes (attribution, numbers, quotes, clauses)."""
        rng, pick, np = self.rng, self.pick, self.noun_phrase
        shape = int(rng.random() * 8)
        if shape == 0:
            text = f"{np()} {pick(VERBS_PAST)} {np()} in {pick(PLACES)} on {pick(DAYS)}"
        elif shape == 1:
            text = (
                f"{pick(self.people)}, a {pick(ROLES)} with the {pick(ORGS)}, said {np()} would "
                f"{pick(VERBS_BASE)} {np()} by {pick(MONTHS)}"
            )
        elif shape == 2:
            quote = f"{np()} {pick(VERBS_PAST)} {np()}, and {np()} is {pick(ADJECTIVES)}"
            return f'"{quote[0].upper()}{quote[1:]}," {pick(self.people)} said.'
        elif shape == 3:
            text = f"the {pick(ORGS)} {pick(ADVERBS)} {pick(VERBS_PAST)} a {self.money()} plan for {np()}"
        elif shape == 4:
            text = (
                f"after {np()} was {pick(VERBS_PAST)} last {pick(MONTHS)}, {np()} {pick(VERBS_PAST)} {np()} and {np()}"
            )
        elif shape == 5:
            text = f"{pick(PLACES)}'s {pick(NOUNS)} {pick(NOUNS)} has {pick(VERBS_PAST)} {self.amount()} since {2010 + int(rng.random() * 15)}"
        elif shape == 6:
            text = (
                f"officials said {np()} could {pick(VERBS_BASE)} {np()}, though {np()} remains "
                f"{pick(ADJECTIVES)} and {pick(ADJECTIVES)}"
            )
        else:
            text = f"{np()} {pick(VERBS_PAST)} {np()} of {np()} for {self.amount()}"
        return f"{text[0].upper()}{text[1:]}."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def headline(self) -> str:
        rng, pick = self.rng, self.pick
        shape = int(rng.random() * 4)
        if shape == 0:
            text = f"{pick(ORGS)} {pick(VERBS_PAST)} {pick(ADJECTIVES)} {pick(NOUNS)} plan for {pick(PLACES)}"
        elif shape == 1:
            text = (
                f"{pick(PLACES)} {pick(NOUNS)} {pick(NOUNS)} {pick(VERBS_PAST)} after {pick(ADJECTIVES)} {pick(NOUNS)}"
            )
        elif shape == 2:
            text = f"{pick(ADJECTIVES).capitalize()} {pick(NOUNS)} {pick(VERBS_PAST)} as {pick(ORGS)} weighs {self.money()} {pick(NOUNS)}"
        else:
            text = f"What the {pick(ADJECTIVES)} {pick(NOUNS)} means for {pick(PLACES)} {plural(pick(NOUNS))}"
        return text[:1].upper() + text[1:]

    def dek(self) -> str:
        """One sentence without double quotes: it goes into a double-quoted YAML string."""
        text = f"{self.noun_phrase()} {self.pick(VERBS_PAST)} {self.noun_phrase()} in {self.pick(PLACES)}, {self.noun_phrase()} {self.pick(ADVERBS)} said."
        return text[0].upper() + text[1:]

    def short(self, words: int) -> str:
        """A few plain words (alt text, captions, list items, link text)."""
        return " ".join(self.pick(ADJECTIVES if i % 2 == 0 else NOUNS) for i in range(words))


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stub:
    """What other articles need to know about one article (for internal links) before bodies exist."""

    date: datetime
    headline: str
    slug: str

    @property
    def url(self) -> str:
        return f"/{self.date:%Y/%m/%d}/{self.slug}/"

    @property
    def path(self) -> str:
        return f"content/{self.date:%Y/%m}/{self.slug}.md"


def make_stubs(count: int, seed: int) -> list[Stub]:
    """Dates evenly spread (with jitter) over four years, oldest first; slugs unique site-wide.

    Made in one sequential pass before any body, because bodies link to other
    articles' URLs and slugs must be deduplicated across the whole corpus.
    """
    writer = Writer(random.Random(seed))
    span = (LAST_DATE - FIRST_DATE).total_seconds() / 60
    step = span / count
    stubs: list[Stub] = []
    used: set[str] = set()
    for index in range(count):
        minutes = int(index * step + writer.rng.random() * step * 0.9)
        date = FIRST_DATE + timedelta(minutes=minutes)
        headline = writer.headline()[:MAX_HEADLINE].rstrip()
        base = "-".join(slugify(headline).split("-")[:7])
        slug, suffix = base, 2
        while slug in used:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        used.add(slug)
        stubs.append(Stub(date, headline, slug))
    return stubs


def words(text: str) -> int:
    return text.count(" ") + 1


def plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def q(text: str) -> str:
    """A double-quoted YAML scalar; generated text never contains a double quote or backslash."""
    return f'"{text}"'


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class ArticleMaker:
    """Front matter and body for each stub.

    Each article draws from its own Random seeded by (seed, index), so an
    article's text does not depend on which process made it or in what order:
    the corpus can be generated in parallel and still be byte-identical.
    """

    def __init__(self, seed: int, stubs: list[Stub]) -> None:
        self.seed = seed
        self.stubs = stubs
        self.tags = tag_pool()
        self.tag_weights = zipf_cum_weights(len(self.tags))
        self.rng = random.Random()
        self.w = Writer(self.rng)

    def choose_tags(self) -> list[str]:
        wanted = 2 + int(self.rng.random() * 4)
        top = self.tag_weights[-1]
        chosen: list[str] = []
        while len(chosen) < wanted:
            tag = self.tags[bisect.bisect(self.tag_weights, self.rng.random() * top)]
            if tag not in chosen:
                chosen.append(tag)
        return chosen

    def front_matter(self, index: int, stub: Stub) -> list[str]:
        rng, w = self.rng, self.w
        authors = [w.pick(w.authors)]
        if rng.random() < 0.3:
            second = w.pick(w.authors)
            if second != authors[0]:
                authors.append(second)
        lines = [
            "---",
            f"headline: {q(stub.headline)}",
            f"dek: {q(w.dek())}",
            f"date: {iso(stub.date)}",
            f"authors: [{', '.join(authors)}]",
            f"section: {w.pick(SECTIONS)}",
            f"tags: [{', '.join(self.choose_tags())}]",
        ]
        if rng.random() < SERIES_SHARE:
            lines.append(f"series: {w.pick(SERIES)}")
        lines += [
            "image:",
            f"  src: /images/lead-{index % IMAGE_POOL}.jpg",
            f"  alt: {q('Illustration of ' + w.short(5))}",
            f"  caption: {q(w.sentence().replace(chr(34), ''))}",
            f"  credit: {q(w.pick(w.authors) + ' / Bench Gazette')}",
            "captions:",
            f"  {q(self.body_image(index))}:",
            f"    caption: {q(w.short(6).capitalize() + '.')}",
            f"    credit: {q(w.pick(w.people))}",
        ]
        if rng.random() < COMMENT_SHARE:
            lines += self.comments(stub.date)
        lines.append("---")
        return lines

    def comments(self, after: datetime) -> list[str]:
        """1-3 comments, some with replies, each dated after what it answers."""
        rng, w = self.rng, self.w
        lines = ["comments:"]
        for _ in range(1 + int(rng.random() * 3)):
            when = after + timedelta(minutes=20 + int(rng.random() * 2000))
            lines += [
                f"  - author: {q(w.pick(w.people))}",
                f"    date: {iso(when)}",
                f"    body: {q(w.sentence().replace(chr(34), ''))}",
            ]
            replies = int(rng.random() * 3) - 1
            if replies > 0:
                lines.append("    replies:")
                for _ in range(replies):
                    when += timedelta(minutes=5 + int(rng.random() * 300))
                    lines += [
                        f"      - author: {q(w.pick(w.people))}",
                        f"        date: {iso(when)}",
                        f"        body: {q(w.sentence().replace(chr(34), ''))}",
                    ]
        return lines

    @staticmethod
    def body_image(index: int) -> str:
        return f"/images/body-{index % IMAGE_POOL}.jpg"

    def link(self, index: int) -> str:
        """A sentence holding one link: external to example.org, or internal to another article."""
        w, rng = self.w, self.rng
        if rng.random() < 0.6:
            url = f"https://example.org/{w.pick(NOUNS)}/{w.pick(NOUNS)}-{w.pick(NOUNS)}"
            return f"The {w.pick(ORGS)} published [{w.short(3)}]({url}) on {w.pick(DAYS)}."
        other = int(rng.random() * (len(self.stubs) - 1))
        other += other >= index  # never the article itself
        target = self.stubs[other]
        return f"[Earlier coverage]({target.url}) described {w.noun_phrase()} in detail."

    def body(self, index: int) -> list[str]:
        """Blocks of Markdown: intro, image, 2-4 subhead sections with a list and a blockquote, links.

        Paragraphs are added until the body reaches its word target (600-900, counted as whitespace
        separated tokens of the Markdown), so article length does not depend on sentence shapes.
        """
        rng, w = self.rng, self.w
        heads = 2 + int(rng.random() * 3)
        bullets = "\n".join(f"- {w.sentence()}" for _ in range(3 + int(rng.random() * 3)))
        quote = f"> {w.sentence()} {w.sentence()}"
        links = [self.link(index) for _ in range(2 + int(rng.random() * 2))]
        used = words(bullets) + words(quote) + sum(map(words, links)) + heads * 4 + 6
        target = WORDS_MIN + 40 + int(rng.random() * (WORDS_MAX - WORDS_MIN - 80))
        texts: list[str] = []
        while used < target - 35 or len(texts) < heads + 2:  # stop near the target, not a paragraph past it
            texts.append(w.paragraph(4 + int(rng.random() * 3)))
            used += words(texts[-1])
        for link in links:  # one link at the end of a random paragraph
            spot = int(rng.random() * len(texts))
            texts[spot] += " " + link
        blocks = texts[:2]
        blocks.append(f"![{w.short(4).capitalize()}]({self.body_image(index)})")
        rest = texts[2:]
        per_head = len(rest) // heads
        list_at, quote_at = int(rng.random() * heads), int(rng.random() * heads)
        for head in range(heads):
            blocks.append(f"## {w.short(3).capitalize()}")
            blocks += rest[head * per_head : (head + 1) * per_head] if head < heads - 1 else rest[head * per_head :]
            if head == list_at:
                blocks.append(bullets)
            if head == quote_at:
                blocks.append(quote)
        return blocks

    def article(self, index: int) -> str:
        self.rng.seed(f"{self.seed}:{index}")
        stub = self.stubs[index]
        return "\n".join(self.front_matter(index, stub)) + "\n\n" + "\n\n".join(self.body(index)) + "\n"


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def colour(rng: random.Random) -> tuple[int, int, int]:
    return (int(rng.random() * 256), int(rng.random() * 256), int(rng.random() * 256))


def jpeg_bytes(rng: random.Random) -> bytes:
    """A tiny real JPEG: two colour bands, so it is a valid image with non-trivial content."""
    width, height = IMAGE_SIZE
    image = Image.new("RGB", IMAGE_SIZE, colour(rng))
    image.paste(Image.new("RGB", (width, height // 3), colour(rng)), (0, height // 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def write_images(site: Path, seed: int) -> None:
    folder = site / "static" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed * 7919 + 1)
    for kind in ("lead", "body"):
        for index in range(IMAGE_POOL):
            (folder / f"{kind}-{index}.jpg").write_bytes(jpeg_bytes(rng))


def generate(site: Path, articles: int, seed: int = 1, workers: int = 2) -> None:
    """Write the whole site into `site` (created if needed). Same (articles, seed) -> same bytes.

    Articles are made and written by `workers` forked processes: creating a
    file costs ~0.3 ms of kernel time here, about as much as making its text,
    and both halves scale with cores.
    """
    if articles < 2:
        raise ValueError("need at least 2 articles (internal links point to other articles)")
    global _MAKER, _SITE
    _MAKER, _SITE = ArticleMaker(seed, make_stubs(articles, seed)), site
    site.mkdir(parents=True, exist_ok=True)
    (site / "newsgen.yaml").write_text(SITE_CONFIG, encoding="utf-8")
    write_images(site, seed)
    for folder in sorted({(site / stub.path).parent for stub in _MAKER.stubs}):
        folder.mkdir(parents=True, exist_ok=True)
    chunks = [range(start, min(start + CHUNK, articles)) for start in range(0, articles, CHUNK)]
    if workers <= 1 or len(chunks) == 1:
        for chunk in chunks:
            _write_chunk(chunk)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for _ in pool.imap_unordered(_write_chunk, chunks):
            pass


CHUNK = 500
_MAKER: ArticleMaker | None = None  # set before forking, inherited by the workers
_SITE = Path()


def _write_chunk(indexes: range) -> None:
    assert _MAKER is not None
    for index in indexes:
        (_SITE / _MAKER.stubs[index].path).write_text(_MAKER.article(index), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--articles", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes (output is the same)")
    args = parser.parse_args(argv)
    if (args.out_dir / "content").exists():
        print(f"{args.out_dir}/content already exists; pick an empty folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    generate(args.out_dir, args.articles, args.seed, args.workers)
    print(f"Wrote {args.articles} articles to {args.out_dir} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
