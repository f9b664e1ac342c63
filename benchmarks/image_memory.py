"""Peak memory of resizing one very large lead photo: what one worker costs for a camera's full-size JPEG.

Run by hand (never by CI or pytest):

    python benchmarks/image_memory.py [--size 13000] [--format jpeg]

Writes a site of one article whose lead photo is a `--size` x `--size` image
(noise, so the decoder works as on a photo) into
/tmp/newsgen-bench/image-memory-SIZE-FORMAT/, then runs a cold
`newsgen build --jobs 1` (build/ and .newsgen-cache/ deleted first) and
prints its seconds and peak RSS. A JPEG is decoded reduced (body/pixels.py),
so its peak stays far below the 3 bytes a pixel a whole decode costs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import RSS_NOTE, run_measured
from run import NEWSGEN, build_env, compile_newsgen


def make_site(site: Path, size: int, image_format: str) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # the benchmark makes the very image newsgen's limit is about
    (site / "content").mkdir(parents=True)
    (site / "static/images").mkdir(parents=True)
    tile = Image.effect_noise((1000, 1000), 40).convert("RGB")
    photo = Image.new("RGB", (size, size))
    for left in range(0, size, 1000):
        for top in range(0, size, 1000):
            photo.paste(tile, (left, top))
    suffix = "jpg" if image_format == "jpeg" else image_format
    photo.save(site / f"static/images/lead.{suffix}", image_format.upper())
    (site / "content/story.md").write_text(
        "---\nheadline: A large photo\ndate: 2025-01-01\n"
        f"image: {{src: /images/lead.{suffix}, alt: A large photo, credit: Bench}}\n---\nBody.\n",
        encoding="utf-8",
    )
    (site / "newsgen.yaml").write_text("title: Large photo\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=13000)
    parser.add_argument("--format", choices=("jpeg", "png"), default="jpeg")
    parser.add_argument("--make-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    site = Path(tempfile.gettempdir()) / "newsgen-bench" / f"image-memory-{args.size}-{args.format}"
    if args.make_only:
        make_site(site, args.size, args.format)
        return 0
    compile_newsgen()
    if not (site / "content").is_dir():  # in a child: a build forked from this process would count its photo
        options = ["--size", str(args.size), "--format", args.format, "--make-only"]
        subprocess.run([sys.executable, __file__, *options], check=True)
    shutil.rmtree(site / "build", ignore_errors=True)
    shutil.rmtree(site / ".newsgen-cache", ignore_errors=True)
    run = run_measured([NEWSGEN, "build", "--source", site, "--jobs", "1"], env=build_env())
    if not run.ok:
        sys.exit(run.output[-2000:])
    print(f"one {args.size}x{args.size} {args.format} lead photo, cold build, --jobs 1")
    print(f"  {run.seconds:6.2f} s, peak RSS {run.peak_rss_mib:7.0f} MiB, tree RSS {run.tree_rss_mib:7.0f} MiB")
    print(f"  ({RSS_NOTE})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
