"""Time `check --compare-sitemap`'s reading of an old site's sitemap, by its number of URLs.

Run by hand (never by CI or pytest):

    python benchmarks/old_sitemap.py --sizes 20000,50000,200000

Each size is written as one sitemap of that many URLs, and as a Hugo-style
index (`sitemap.xml` listing `/en/sitemap.xml` and `/fr/sitemap.xml`, the
parts sharing its file name) of two halves. Each time is the best of three.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from newsgen.read.oldsitemap import sitemap_paths

_URLSET = '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{}</urlset>\n'
_INDEX = (
    '<?xml version="1.0"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{}</sitemapindex>\n'
)


def urlset(prefix: str, count: int) -> str:
    return _URLSET.format(
        "".join(f"<url><loc>https://old.example.org{prefix}/story-{n}/</loc></url>\n" for n in range(count))
    )


def best_of_three(where: Path) -> tuple[float, int]:
    runs, found = [], 0
    for _ in range(3):
        started = time.perf_counter()
        found = len(sitemap_paths(str(where))[0])
        runs.append(time.perf_counter() - started)
    return min(runs), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default="20000,50000", help="URLs per sitemap, comma-separated (default 20000,50000)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for size in map(int, args.sizes.split(",")):
            flat = Path(scratch, f"flat-{size}", "sitemap.xml")
            flat.parent.mkdir()
            flat.write_text(urlset("", size))
            index = Path(scratch, f"index-{size}", "sitemap.xml")
            for language in ("en", "fr"):
                (index.parent / language).mkdir(parents=True)
                (index.parent / language / "sitemap.xml").write_text(urlset(f"/{language}", size // 2))
            entries = "".join(
                f"<sitemap><loc>https://old.example.org/{code}/sitemap.xml</loc></sitemap>\n" for code in ("en", "fr")
            )
            index.write_text(_INDEX.format(entries))
            for name, where in (("one sitemap", flat), ("an index of two", index)):
                seconds, found = best_of_three(where)
                print(f"{size:>8,} URLs, {name}: {seconds:.2f} s ({found:,} URLs found)")


if __name__ == "__main__":
    main()
