"""The publishing workflow's steps, simulated locally: what one pushed story costs from `git push` to the bucket.

Run by hand (never by CI or pytest):

    python benchmarks/ci_publish.py [--size 10000] [--stories 3] [--seed 1]

The corpus (run.py's, in /tmp/newsgen-bench/) is committed to a git
repository standing in for the newsroom's. Then, as the workflow in
`.github/workflows/publish.yml` does on every push, each run:

  1. commits one new story to that repository (the push);
  2. clones it into a fresh work folder, always at the same path, as a CI
     runner checks out (new files: new times and inodes, same bytes);
  3. restores build/ and .newsgen-cache/ from the last run's archive, made
     with `tar --posix` as actions/cache makes it;
  4. times `newsgen build` and `newsgen deploy s3://…` to a moto S3 server;
  5. archives build/ and .newsgen-cache/ again for the next run.

The first run has no archive: a whole build and a full upload (the cache's
first day). It prints, per run: build and deploy seconds, pages rendered,
files written, files uploaded. Needs moto[server] and boto3 (the test extras).
"""

from __future__ import annotations

import argparse
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from measure import run_measured
from run import BUILD_NOW, NEWSGEN, build_env, compile_newsgen, corpus_dir

WORK = Path(tempfile.gettempdir()) / "newsgen-ci-publish"
BUCKET = "ci-publish"
GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--stories", type=int, default=3, help="pushes of one new story each, after the first run")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    compile_newsgen()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = build_env() | {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    _make_bucket(endpoint)
    shutil.rmtree(WORK, ignore_errors=True)
    origin, checkout, archive = WORK / "origin", WORK / "checkout", WORK / "cache.tar"
    _make_origin(corpus_dir(args.size, args.seed), origin)
    print(f"{args.size} articles; the workflow's steps, {args.stories + 1} pushes (the first has no cache)")
    print("run  build s  deploy s  pages rendered  files written  files uploaded")
    try:
        for run in range(args.stories + 1):
            if run:
                _push_story(origin, run)
            shutil.rmtree(checkout, ignore_errors=True)
            subprocess.run(["git", "clone", "--quiet", str(origin), str(checkout)], check=True)
            if archive.exists():
                subprocess.run(["tar", "--posix", "-xf", str(archive), "-C", str(checkout)], check=True)
            built = run_measured([NEWSGEN, "build", "--source", checkout], env=env)
            deployed = run_measured(
                [NEWSGEN, "deploy", "--source", checkout, f"s3://{BUCKET}", "--endpoint-url", endpoint], env=env
            )
            if not (built.ok and deployed.ok):
                print(built.output[-2000:], deployed.output[-2000:], sep="\n")
                return 1
            rendered, written = _build_counts(built.output)
            uploaded = _uploaded(deployed.output)
            print(
                f"{run:>3}  {built.seconds:7.2f}  {deployed.seconds:8.2f}  {rendered:>14}  {written:>13}  {uploaded:>14}"
            )
            subprocess.run(
                ["tar", "--posix", "-cf", str(archive), "-C", str(checkout), "build", ".newsgen-cache"], check=True
            )
    finally:
        server.stop()
    return 0


def _make_bucket(endpoint: str) -> None:
    import boto3

    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)


def _make_origin(corpus: Path, origin: Path) -> None:
    """The corpus as the newsroom's repository: its files, without anything a build left."""
    shutil.copytree(corpus, origin, ignore=shutil.ignore_patterns("build", ".newsgen-cache", ".bench-*"))
    subprocess.run(["git", "init", "--quiet", str(origin)], check=True)
    subprocess.run(["git", "-C", str(origin), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(origin), "commit", "--quiet", "-m", "archive"], check=True)


def _push_story(origin: Path, run: int) -> None:
    """One new story, newer than every other, in an existing section and tag of the corpus."""
    newest = sorted((origin / "content").rglob("*.md"))[-1].read_text(encoding="utf-8")
    section = re.search(r"^section: *(.+)$", newest, re.MULTILINE)
    tags = re.search(r"^tags: *(.+)$", newest, re.MULTILINE)
    moment = (BUILD_NOW - timedelta(hours=6) + timedelta(minutes=run)).isoformat()
    story = origin / "content" / "ci-publish" / f"pushed-story-{run}.md"
    story.parent.mkdir(exist_ok=True)
    story.write_text(
        "---\n"
        f'headline: "Pushed story {run}"\n'
        'dek: "A story published through the workflow."\n'
        f"date: {moment}\n"
        "authors: [Bench Reporter]\n"
        f"section: {section.group(1) if section else 'News'}\n"
        f"tags: {tags.group(1) if tags else '[]'}\n"
        "---\n"
        f"The body of pushed story {run}.\n",
        encoding="utf-8",
    )
    subprocess.run(["git", "-C", str(origin), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(origin), "commit", "--quiet", "-m", f"story {run}"], check=True)


def _build_counts(output: str) -> tuple[int, int]:
    found = re.search(r"Built (\d+) pages .*\((\d+) reused from cache, (\d+) files written\)", output)
    if found is None:
        raise SystemExit(f"no summary line in newsgen build's output:\n{output[-2000:]}")
    pages, reused, written = map(int, found.groups())
    return pages - reused, written


def _uploaded(output: str) -> int:
    found = re.search(r"(\d+) uploaded", output)
    if found is None:
        raise SystemExit(f"no summary line in newsgen deploy's output:\n{output[-2000:]}")
    return int(found.group(1))


if __name__ == "__main__":
    sys.exit(main())
