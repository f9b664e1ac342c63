"""What the Markdown shortcut saves: article bodies converted with it, and with every part on Python-Markdown's own code.

Run by hand (never by CI or pytest):

    python benchmarks/markdown_shortcut.py CORPUS_DIR [--articles 500] [--runs 3]

CORPUS_DIR is a site made by benchmarks/corpus.py. Prints the parts of the
shortcut that fall back on the installed Python-Markdown (none under the
pinned versions), then the median time to convert the bodies each way and
checks that both give the same HTML.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from newsgen.body import pymarkdown


def _bodies(corpus: Path, count: int) -> list[str]:
    files = sorted((corpus / "content").rglob("*.md"))[:count]
    return [text.split("\n---\n", 1)[1] for text in (file.read_text(encoding="utf-8") for file in files)]


def _time(bodies: list[str], runs: int) -> tuple[float, list[str]]:
    md = pymarkdown.make_markdown(lambda root: None, lambda html: html)
    times, html = [], []
    for _ in range(runs):
        started = time.perf_counter()
        html = [md.reset().convert(body) for body in bodies]
        times.append(time.perf_counter() - started)
    return statistics.median(times), html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bodies = _bodies(args.corpus, args.articles)
    fallbacks = pymarkdown.fallbacks(pymarkdown.make_markdown(lambda root: None, lambda html: html))
    print("falls back:", ", ".join(fallbacks) or "nothing")
    shortcut, shortcut_html = _time(bodies, args.runs)
    verified, pymarkdown._VERIFIED_CODE = pymarkdown._VERIFIED_CODE, frozenset()
    try:
        plain, plain_html = _time(bodies, args.runs)
    finally:
        pymarkdown._VERIFIED_CODE = verified
    print(f"{len(bodies)} bodies: shortcut {shortcut:.2f} s, Python-Markdown's own code {plain:.2f} s")
    print("same HTML:", shortcut_html == plain_html)


if __name__ == "__main__":
    main()
