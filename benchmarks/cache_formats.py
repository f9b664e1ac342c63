"""Decode time of article cache entries: the local cache's pickles against the shared cache's data-only JSON.

Run by hand (never by CI or pytest) on a cache a build filled:

    python benchmarks/corpus.py /tmp/cc --articles 2000
    python -m newsgen build --source /tmp/cc
    python benchmarks/cache_formats.py /tmp/cc/.newsgen-cache --entries 10000

The entries of `articles.sqlite` are decoded in turn until `--entries`
decodes are done; each time is the best of three runs. Checksums are left
out: both formats carry the same one. Sizes are per entry, and compressed as
the remote store keeps them.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sqlite3
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsgen.engine.cache.codec import EntryCodec


def best_of_three(decode: Callable[[Any], object], payloads: list[Any], count: int) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        for index in range(count):
            decode(payloads[index % len(payloads)])
        runs.append(time.perf_counter() - started)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cache_dir", type=Path, help="a .newsgen-cache folder a build filled")
    parser.add_argument("--entries", type=int, default=10_000, help="decodes to time (default 10,000)")
    args = parser.parse_args()
    with sqlite3.connect(args.cache_dir / "articles.sqlite") as db:
        pickles = [bytes(payload) for (payload,) in db.execute("SELECT payload FROM articles")]
    entries = [pickle.loads(payload) for payload in pickles]
    codec = EntryCodec()
    encoded = [codec.encode(entry) for entry in entries]
    jsons = [payload for payload in encoded if payload is not None]
    assert len(jsons) == len(entries) and [codec.decode(payload) for payload in jsons] == entries
    count = args.entries
    print(f"{len(entries)} entries, {count:,} decodes each")
    unpickled = best_of_three(pickle.loads, pickles, count)
    decoded = best_of_three(codec.decode, jsons, count)
    print(f"pickle decode: {unpickled:.2f} s")
    print(f"JSON decode:   {decoded:.2f} s ({decoded / unpickled:.1f}x pickle)")
    print(f"  of which json.loads alone: {best_of_three(json.loads, jsons, count):.2f} s")
    print(f"pickle encode: {best_of_three(lambda e: pickle.dumps(e, pickle.HIGHEST_PROTOCOL), entries, count):.2f} s")
    print(f"JSON encode:   {best_of_three(codec.encode, entries, count):.2f} s")
    sizes = {
        "pickle": sum(map(len, pickles)),
        "JSON": sum(map(len, jsons)),
        "JSON, zlib": sum(len(zlib.compress(payload)) for payload in jsons),
    }
    print("bytes per entry: " + ", ".join(f"{name} {size / len(entries):,.0f}" for name, size in sizes.items()))


if __name__ == "__main__":
    main()
