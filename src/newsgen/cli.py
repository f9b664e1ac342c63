"""Command line: parse arguments, call the pipeline, print. No logic of its own."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .build import BuildOptions, build
from .errors import ContentError
from .write import OutputError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def package_version() -> str:
    try:
        return version("newsgen")
    except PackageNotFoundError:  # running from a checkout without installing
        return "0+unknown"


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsgen", description="Build a news website from Markdown articles.")
    parser.add_argument("--version", action="version", version=f"newsgen {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="build the site into the output folder")
    build_parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR", help="site folder (default: .)")
    build_parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: SOURCE/build)")
    build_parser.add_argument("--drafts", action="store_true", help="include articles with draft: true")
    build_parser.add_argument("--future", action="store_true", help="include embargoed (future-dated) articles")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if not args.source.is_dir():
        print(f"newsgen: error: --source {args.source}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    options = BuildOptions(
        source_dir=args.source,
        output_dir=args.output if args.output is not None else args.source / "build",
        drafts=args.drafts,
        future=args.future,
    )
    try:
        result = build(options)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        errors = exc.error_count
        print(f"Build failed: {errors} error{'s' if errors != 1 else ''}; the previous build was left as it was.", file=sys.stderr)
        return EXIT_CONTENT
    except (OutputError, OSError) as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    print(result.summary())
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
