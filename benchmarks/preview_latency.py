"""Edit-to-visible latency of `newsgen serve` on the sample site, in real headless Chromium.

Copies the sample site to a temporary folder, serves it, opens one article in
Chromium, then repeatedly rewrites that article's headline and times how long
the open tab takes to show it. Run by hand:

    python benchmarks/preview_latency.py [--runs 20]
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

ARTICLE = "content/2026/11/2026-11-20-ferry-fares-frozen.md"
ARTICLE_URL = "2026/11/20/ferry-fares-frozen/"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        for name in ("content", "templates", "static", "newsgen.yaml"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
        article = site / ARTICLE
        original = article.read_text(encoding="utf-8")
        server = ServeProcess(site)
        samples = []
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=FLAGS)
                page = browser.new_page()
                page.goto(server.url + ARTICLE_URL)
                page.wait_for_timeout(300)
                for run in range(args.runs):
                    headline = f"Ferry fares frozen, edit {run}"
                    text = re.sub(r"^headline: .*$", f'headline: "{headline}"', original, count=1, flags=re.MULTILINE)
                    started = time.perf_counter()
                    article.write_text(text, encoding="utf-8")
                    page.wait_for_function(f"document.querySelector('h1').textContent === {headline!r}", timeout=10_000, polling="raf")
                    samples.append((time.perf_counter() - started) * 1000)
                    page.wait_for_timeout(150)
                browser.close()
        finally:
            server.stop()
    print(f"edit-to-visible over {len(samples)} edits: median {statistics.median(samples):.0f} ms, "
          f"min {min(samples):.0f} ms, max {max(samples):.0f} ms")


if __name__ == "__main__":
    main()
