"""Command line: parse arguments, call the pipeline, print. No logic of its own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgen.engine import BuildOptions, BuildSession, build
from newsgen.engine.output.lock import LockTimeout, output_lock
from newsgen.engine.output.status import CACHE_DIR, record_failure
from newsgen.engine.output.write import OutputError
from newsgen.errors import ContentError, Problem, Severity
from newsgen.options import default_jobs
from newsgen.read.files import CONTENT_DIR
from newsgen.report import FORMATS, collapse_repeats, format_problems

if TYPE_CHECKING:
    from newsgen.config import SiteConfig

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_HELD = 0, 1, 2, 3  # 3: built, with articles held back


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # reading package metadata costs every build 15 ms

    try:
        return version("newsgen")
    except PackageNotFoundError:  # running from a checkout without installing
        return "0+unknown"


class _VersionAction(argparse.Action):
    """`--version`, looking the version up only when asked."""

    def __init__(self, option_strings: list[str], dest: str) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"newsgen {package_version()}")
        parser.exit()


# One example a command's --help ends with (the tests parse each one, so they stay valid).
EXAMPLES = {
    "newsgen": "newsgen init harbor-ledger && cd harbor-ledger && newsgen serve",
    "build": "newsgen build --keep-going",
    "check": "newsgen check --strict --format github",
    "new": "newsgen new 'Pier 4 reopens after storm repairs' --section 'City Hall' --tags 'Waterfront,Storm Recovery'",
    "init": "newsgen init harbor-ledger",
    "deploy": "newsgen deploy s3://ledger-site --delete --purge cloudfront:E2EXAMPLE123",
    "serve": "newsgen serve --drafts --open",
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen", description="Build a news website from Markdown articles.", **_example("newsgen")
    )
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser("build", help="build the site into the output folder", **_example("build"))
    _add_site_options(build_parser)
    build_parser.add_argument("--output", type=Path, metavar="DIR", help="output folder (default: SOURCE/build)")
    build_parser.add_argument(
        "--cache-dir", type=Path, metavar="DIR", help="cache folder (default: SOURCE/.newsgen-cache)"
    )
    build_parser.add_argument("--no-cache", action="store_true", help="read every article again and rewrite every file")
    build_parser.add_argument(
        "--jobs", type=_positive, default=default_jobs(), metavar="N", help="processes to use (default: all cores)"
    )
    build_parser.add_argument(
        "--full",
        action="store_true",
        help="render every page and compare it with the file on disk, trusting nothing kept; repairs files changed by hand",
    )
    build_parser.add_argument(
        "--keep-going",
        action="store_true",
        help="publish every article without errors; hold back the others (exit status 3); also keep_going: true",
    )
    build_parser.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even when under half the articles of the last build remain (refused otherwise)",
    )
    build_parser.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="the address this copy is published at, instead of newsgen.yaml's base_url (a preview's own host)",
    )
    build_parser.add_argument(
        "--noindex",
        action="store_true",
        help="keep this copy out of search engines: every page noindex, robots.txt disallowing every crawler",
    )
    check_parser = commands.add_parser(
        "check", help="check the site as a build would, without writing it", **_example("check")
    )
    _add_site_options(check_parser)
    check_parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    check_parser.add_argument(
        "--compare-sitemap",
        metavar="FILE",
        help="the old site's sitemap.xml (a file, or a URL on this machine): list its URLs this site no longer has",
    )
    check_parser.add_argument(
        "--web-quality",
        action="store_true",
        help="instead, open one built page of each kind in headless Chromium at 390 and 1280 px: overflow, images,"
        " console errors, and axe-core and the Nu HTML checker when installed (pip install 'newsgen[web-quality]')",
    )
    check_parser.add_argument(
        "--output", type=Path, metavar="DIR", help="build folder --web-quality checks (default: SOURCE/build)"
    )
    new_parser = commands.add_parser("new", help="start a new article in content/YYYY/MM/", **_example("new"))
    new_parser.add_argument("headline")
    new_parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR", help="site folder (default: .)")
    new_parser.add_argument("--section")
    new_parser.add_argument("--tags", help="comma-separated, e.g. 'Harbor Bridge,Ferries'")
    new_parser.add_argument("--series")
    new_parser.add_argument("--date", help="YYYY-MM-DD or ISO 8601 date-time (default: now)")
    new_parser.add_argument("--edition", metavar="CODE", help="a language edition of languages: (content/CODE/...)")
    init_parser = commands.add_parser("init", help="create a new site", **_example("init"))
    init_parser.add_argument("folder", type=Path)
    deploy_parser = commands.add_parser(
        "deploy", help="publish the last build to s3://… or git+…", **_example("deploy")
    )
    deploy_parser.add_argument(
        "destination", help="s3://bucket[/prefix], git+<remote URL>, or a name from newsgen.yaml"
    )
    deploy_parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR", help="site folder (default: .)")
    deploy_parser.add_argument("--output", type=Path, metavar="DIR", help="build folder (default: SOURCE/build)")
    deploy_parser.add_argument("--dry-run", action="store_true", help="print what would change; change nothing")
    deploy_parser.add_argument("--delete", action="store_true", help="remove remote files the build no longer has (S3)")
    deploy_parser.add_argument(
        "--allow-mass-delete",
        action="store_true",
        help="delete more than the larger of 50 files and 10%% of the destination's (refused otherwise)",
    )
    deploy_parser.add_argument("--endpoint-url", help="S3-compatible endpoint (R2, MinIO, …)")
    deploy_parser.add_argument("--branch", default="gh-pages", help="branch for git destinations (default: gh-pages)")
    deploy_parser.add_argument(
        "--purge",
        metavar="cloudfront:DISTRIBUTION_ID",
        help="after the deploy, create one CloudFront invalidation for the URLs it changed",
    )
    serve_parser = commands.add_parser(
        "serve", help="preview the site, rebuilding and reloading on every save", **_example("serve")
    )
    _add_site_options(serve_parser)
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on; 0 picks a free one (default: 8000)"
    )
    serve_parser.add_argument("--open", action="store_true", help="open the site in a web browser")
    return parser


def _example(command: str) -> dict[str, Any]:
    """The parser settings that end a command's --help with its example, kept on one line as written."""
    return {"epilog": f"example:\n  {EXAMPLES[command]}", "formatter_class": argparse.RawDescriptionHelpFormatter}


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _base_url(text: str) -> str:
    from newsgen.config import base_url_problem

    if problem := base_url_problem(text):
        raise argparse.ArgumentTypeError(problem)
    return text.rstrip("/") + "/"


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("."), metavar="DIR", help="site folder (default: .)")
    parser.add_argument("--drafts", action="store_true", help="include articles with draft: true")
    parser.add_argument("--future", action="store_true", help="include embargoed (future-dated) articles")


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "init":
        return _init(args)
    if not args.source.is_dir():
        print(f"newsgen: error: --source {args.source}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    if args.command in ("build", "check", "serve") and not (args.source / CONTENT_DIR).is_dir():
        print(
            f"newsgen: error: {args.source / CONTENT_DIR}: no such folder; a site keeps its articles there"
            " (`newsgen init FOLDER` makes a new site)",
            file=sys.stderr,
        )
        if args.command == "build":  # deploy must not publish the build before as if it were current
            _record_failure(args.output or args.source / "build")
        return EXIT_USAGE
    if args.command == "serve":
        return _serve(args)
    if args.command == "check":
        return _check(args)
    if args.command == "new":
        return _new(args)
    if args.command == "deploy":
        return _deploy(args)
    options = BuildOptions(
        source_dir=args.source,
        output_dir=args.output if args.output is not None else args.source / "build",
        drafts=args.drafts,
        future=args.future,
        jobs=args.jobs,
        progress=True,
        full=args.full,
        keep_going=args.keep_going,
        allow_shrink=args.allow_shrink,
        base_url=args.base_url,
        noindex=args.noindex,
    )
    cache_dir = None if args.no_cache else (args.cache_dir or args.source / CACHE_DIR)
    try:
        result = build(options, BuildSession(cache_dir))  # records its outcome for deploy
    except ContentError as exc:
        for problem in collapse_repeats(exc.problems, _listed_codes(args.source)):
            print(problem.format(), file=sys.stderr)
        errors = exc.error_count
        print(
            f"Build failed: {errors} error{'s' if errors != 1 else ''}; the previous build was left as it was.",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    except (OutputError, OSError) as exc:
        print(f"newsgen: error: {_describe(exc)}", file=sys.stderr)
        return EXIT_CONTENT
    from newsgen.config import load_config

    config = load_config(args.source)[0]
    for warning in collapse_repeats(result.warnings, config.warn):
        print(warning.format(), file=sys.stderr)
    if args.base_url is None:
        _warn_of_example_base_url(args.source, config)
    print(result.summary())
    return EXIT_HELD if result.held else EXIT_OK


def _record_failure(output_dir: Path) -> None:
    try:
        record_failure(output_dir)
    except OSError as exc:  # the lock's wait timed out, a read-only folder
        print(f"newsgen: error: {_describe(exc)}", file=sys.stderr)


def _warn_of_example_base_url(source: Path, config: SiteConfig) -> None:
    """Build and deploy say so while `base_url` is an example domain (check counts it among its warnings)."""
    from newsgen.config import example_base_url

    placeholder = example_base_url(source, config)
    if placeholder is not None:
        print(placeholder.format(), file=sys.stderr)


def _deploy(args: argparse.Namespace) -> int:
    from newsgen.config import load_config
    from newsgen.deploy import DeployError
    from newsgen.deploy.cloudfront import distribution_id
    from newsgen.deploy.publish import deploy

    try:
        cloudfront = None if args.purge is None else distribution_id(args.purge)
    except ValueError as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    config, problems = load_config(args.source)
    if _print_errors(problems):
        return EXIT_CONTENT
    _warn_of_example_base_url(args.source, config)
    build_dir = args.output if args.output is not None else args.source / "build"
    try:
        with output_lock(build_dir):  # never a folder a build is writing
            result, changed_urls, invalidation = deploy(
                args.source,
                build_dir,
                config,
                args.destination,
                dry_run=args.dry_run,
                delete=args.delete,
                endpoint_url=args.endpoint_url,
                branch=args.branch,
                allow_mass_delete=args.allow_mass_delete,
                cloudfront=cloudfront,
            )
    except DeployError as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:  # the lock waited too long, or its file can't be made (a full disk)
        print(f"newsgen: error: {_describe(exc)}", file=sys.stderr)
        return EXIT_CONTENT
    if args.dry_run:
        for path in result.uploaded:
            print(f"upload {path}")
        for path in result.deleted:
            print(f"delete {path}")
        for path in invalidation.paths if invalidation else ():
            print(f"invalidate {path}")
    print(result.summary())
    if changed_urls is not None:
        print(f"Changed URLs: {changed_urls}")
    if invalidation is not None:
        print(invalidation.summary())
    return EXIT_OK


def _print_errors(problems: list[Problem]) -> bool:
    errors = [p for p in problems if p.severity is Severity.ERROR]
    for problem in errors:
        print(problem.format(), file=sys.stderr)
    return bool(errors)


def _new(args: argparse.Namespace) -> int:
    from newsgen.config import load_config
    from newsgen.scaffold import ScaffoldError, new_article

    config, problems = load_config(args.source)
    if _print_errors(problems):
        return EXIT_CONTENT
    tags = [tag.strip() for tag in args.tags.split(",") if tag.strip()] if args.tags else []
    try:
        path = new_article(
            args.source, config, args.headline, args.section, tags, args.series, args.date, edition=args.edition
        )
    except ScaffoldError as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    print(path)
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from newsgen.scaffold import ScaffoldError, init_site

    try:
        init_site(args.folder)
    except (ScaffoldError, OSError) as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Created a new site in {args.folder}. Next: cd {args.folder} && newsgen serve")
    return EXIT_OK


def _describe(exc: OutputError | OSError) -> str:
    """An operating-system error as one line that names its file: `build/x.html: No space left on device`."""
    if not isinstance(exc, OSError) or not exc.filename:
        return str(exc)
    return f"{exc.filename}: {exc.strerror or exc}"


def _listed_codes(source: Path) -> tuple[str, ...]:
    """The warning codes the site wants listed file by file (`warn:` in newsgen.yaml) even when they repeat."""
    from newsgen.config import load_config

    return load_config(source)[0].warn


def _site_options(args: argparse.Namespace) -> BuildOptions:
    """Options for commands that read the site but do not write build/ (check, serve)."""
    return BuildOptions(
        source_dir=args.source, output_dir=args.source / "build", drafts=args.drafts, future=args.future
    )


def _check(args: argparse.Namespace) -> int:
    if args.web_quality:
        return _web_quality(args)
    from newsgen.config import example_base_url, load_config
    from newsgen.engine.check import check

    try:
        with output_lock(args.source / "build"):  # it fills the article cache the build after it reads
            problems = check(_site_options(args), args.source / CACHE_DIR, args.compare_sitemap)
        placeholder = example_base_url(args.source, load_config(args.source)[0])
        problems = sorted([*problems, placeholder]) if placeholder else problems
    except LockTimeout as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    sys.stdout.write(format_problems(problems, args.format, each=None if args.strict else _listed_codes(args.source)))
    failing = [p for p in problems if args.strict or p.severity is Severity.ERROR]
    return EXIT_CONTENT if failing else EXIT_OK


def _web_quality(args: argparse.Namespace) -> int:
    from newsgen.config import load_config
    from newsgen.webquality import CannotCheck, check_web_quality

    if args.compare_sitemap:
        print("newsgen: error: --compare-sitemap checks the content; run it without --web-quality", file=sys.stderr)
        return EXIT_USAGE
    config, problems = load_config(args.source)
    if _print_errors(problems):
        return EXIT_CONTENT
    build_dir = args.output if args.output is not None else args.source / "build"
    try:
        report = check_web_quality(build_dir, config.permalinks, [Path.cwd(), args.source])
    except CannotCheck as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except LockTimeout as exc:
        print(f"newsgen: error: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    for line in report.skipped:
        print(f"newsgen: note: {line}", file=sys.stderr)
    sys.stdout.write(format_problems(report.problems, args.format, each=None))
    sys.stdout.flush()  # the summary comes last in a log that mixes both streams
    print(report.summary(), file=sys.stderr)
    failing = [p for p in report.problems if args.strict or p.severity is Severity.ERROR]
    return EXIT_CONTENT if failing else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from newsgen.preview.server import serve  # each command imports what only it needs, so `newsgen build` starts fast

    options = _site_options(args)
    try:
        return serve(options, args.source / CACHE_DIR, args.host, args.port, args.open)
    except KeyboardInterrupt:  # Ctrl-C before the server was up
        return 130
    except OSError as exc:  # port in use, address not available
        print(f"newsgen: error: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_CONTENT


if __name__ == "__main__":
    sys.exit(main())
