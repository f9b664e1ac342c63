"""What the image pipeline costs: cold builds with and without resized copies, and a one-story edit.

Run by hand (never by CI or pytest):

    python benchmarks/images.py [--articles 200] [--width 1600] [--runs 1]

Writes a site of N articles, each with its own lead photo (a JPEG of
`--width` x 2/3 of it, with noise, so encoders work as on a real photo), into
/tmp/newsgen-bench/images-N-W/, then times whole `newsgen build` processes:

  cold, images: false   build/ and .newsgen-cache/ deleted first
  cold, images on       the same, with the default widths and formats
  warm, images on       build/ deleted, .newsgen-cache/ kept (a CI runner with the cache restored)
  one-story edit        a headline changed, images on

and prints the seconds, and the pipeline's cost per photo.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from measure import run_measured
from run import NEWSGEN, build_env, compile_newsgen


def make_site(site: Path, articles: int, width: int) -> None:
    from PIL import Image

    height = width * 2 // 3
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    (site / "content").mkdir(parents=True)
    (site / "static/images").mkdir(parents=True)
    for number in range(articles):
        noise = Image.effect_noise((width, height), 40 + number % 30).convert("RGB")
        Image.blend(base, noise, 0.35).save(site / f"static/images/photo-{number}.jpg", quality=88)
        (site / f"content/story-{number}.md").write_text(
            "---\n"
            f"headline: Story {number}\n"
            f"date: 2025-01-01T{number % 24:02d}:{number % 60:02d}:00Z\n"
            "section: News\n"
            f"image: {{src: /images/photo-{number}.jpg, alt: Photo {number}}}\n"
            "---\n"
            f"Body of story {number}.\n",
            encoding="utf-8",
        )


def timed(site: Path, runs: int, before: str) -> float:
    seconds = []
    for _ in range(runs):
        if before in ("cold", "warm"):
            shutil.rmtree(site / "build", ignore_errors=True)
        if before == "cold":
            shutil.rmtree(site / ".newsgen-cache", ignore_errors=True)
        if before == "edit":
            story = site / "content/story-0.md"
            story.write_text(story.read_text(encoding="utf-8").replace("headline: Story", "headline: Edited story", 1))
        run = run_measured([NEWSGEN, "build", "--source", site], env=build_env())
        if not run.ok:
            sys.exit(run.output[-2000:])
        seconds.append(run.seconds)
        if before == "edit":
            story.write_text(story.read_text(encoding="utf-8").replace("Edited story", "Story", 1))
            run_measured([NEWSGEN, "build", "--source", site], env=build_env())
    return statistics.median(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    compile_newsgen()
    site = Path(tempfile.gettempdir()) / "newsgen-bench" / f"images-{args.articles}-{args.width}"
    if not (site / "content").is_dir():
        make_site(site, args.articles, args.width)
    config = site / "newsgen.yaml"
    config.write_text("title: Images\nimages: false\n", encoding="utf-8")
    off = timed(site, args.runs, "cold")
    config.write_text("title: Images\n", encoding="utf-8")
    on = timed(site, args.runs, "cold")
    warm = timed(site, args.runs, "warm")
    edit = timed(site, args.runs, "edit")
    print(f"{args.articles} articles, one {args.width}px photo each; median of {args.runs} run(s)")
    print(f"  cold, images: false  {off:7.2f} s")
    print(
        f"  cold, images on      {on:7.2f} s  ({on / off:.1f}x; {(on - off) / args.articles * 1000:.0f} ms per photo)"
    )
    print(f"  warm cache           {warm:7.2f} s")
    print(f"  one-story edit       {edit:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
