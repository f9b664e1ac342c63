"""Edit-to-visible latency of `newsgen serve`, in real headless Chromium.

Copies the sample site (or, with --corpus N, generates a synthetic corpus of
N articles with benchmarks/corpus.py) to a temporary folder, serves it, opens
one article in Chromium, then repeatedly rewrites that article's headline and
times how long the open tab takes to show it. Run by hand:

    python benchmarks/preview_latency.py [--runs 20] [--corpus 10000]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from serving import ServeProcess  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402
from newsgen.webquality.browser import FLAGS as CHROMIUM_FLAGS  # noqa: E402

ARTICLE = "content/2026/11/2026-11-20-ferry-fares-frozen.md"
ARTICLE_URL = "2026/11/20/ferry-fares-frozen/"
FLAGS = ["--no-sandbox", *CHROMIUM_FLAGS]  # root in a container: no sandbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--corpus", type=int, metavar="N", help="a generated corpus of N articles instead of the sample site"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        if args.corpus:
            corpus.main([str(site), "--articles", str(args.corpus)])
            article, url = middle_article(site)
        else:
            for name in ("content", "templates", "static", "newsgen.yaml"):
                source = REPO / name
                (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
            article, url = site / ARTICLE, ARTICLE_URL
        original = article.read_text(encoding="utf-8")
        started = time.perf_counter()
        server = ServeProcess(site, startup_seconds=1800)
        print(f"preview up in {time.perf_counter() - started:.1f} s (the first, whole build)")
        samples = []
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=FLAGS)
                page = browser.new_page()
                page.goto(server.url + url)
                page.wait_for_timeout(300)
                for run in range(args.runs):
                    headline = f"Edited headline number {run}"
                    text = re.sub(r"^headline: .*$", f'headline: "{headline}"', original, count=1, flags=re.MULTILINE)
                    started = time.perf_counter()
                    article.write_text(text, encoding="utf-8")
                    page.wait_for_function(
                        f"document.querySelector('h1').textContent === {headline!r}", timeout=10_000, polling="raf"
                    )
                    samples.append((time.perf_counter() - started) * 1000)
                    page.wait_for_timeout(150)
                browser.close()
        except Exception:
            print("".join(server.output[-20:]), file=sys.stderr)  # what the preview said before it went wrong
            raise
        finally:
            server.stop()
    print(
        f"edit-to-visible over {len(samples)} edits: median {statistics.median(samples):.0f} ms, "
        f"min {min(samples):.0f} ms, max {max(samples):.0f} ms"
    )


def middle_article(site: Path) -> tuple[Path, str]:
    """An article from the middle of a generated corpus, and its URL (the default permalink pattern)."""
    files = sorted((site / "content").rglob("*.md"))
    article = files[len(files) // 2]
    date = re.search(r"^date: (\d{4})-(\d{2})-(\d{2})", article.read_text(encoding="utf-8"), re.MULTILINE)
    assert date is not None, article
    return article, f"{date[1]}/{date[2]}/{date[3]}/{article.stem}/"


if __name__ == "__main__":
    main()
