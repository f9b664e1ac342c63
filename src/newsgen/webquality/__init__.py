"""`newsgen check --web-quality`: a built site's pages in a real browser, for newsrooms that change the theme.

One page of each kind is served on loopback and opened in headless Chromium
at a phone's and a desktop's width: a page wider than the screen, console
errors, and axe-core's accessibility violations (when axe-core is installed)
are errors; so are images without width and height and a lazy first image,
and the Nu HTML checker's errors (when vnu.jar and Java are there). A local
photo without `srcset` is a warning. Each problem is a `Problem`, so it is
reported, counted and graded exactly as `newsgen check` reports its own.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsgen.engine.output.lock import output_lock
from newsgen.engine.output.write import MARKER
from newsgen.errors import Problem, Severity
from newsgen.webquality.browser import WIDTHS, BrowserFinding, BrowserMissing, inspect
from newsgen.webquality.images import image_findings
from newsgen.webquality.sample import Page, pick_pages
from newsgen.webquality.server import serving
from newsgen.webquality.validator import HtmlError, ValidatorFailed, validate

AXE_VARIABLE, AXE_FILE = "NEWSGEN_AXE_JS", Path("node_modules/axe-core/axe.min.js")
VNU_VARIABLE, VNU_FILE = "NEWSGEN_VNU_JAR", Path("node_modules/vnu-jar/build/dist/vnu.jar")


class CannotCheck(Exception):
    """The check can't run at all (no build, no Playwright, no Chromium); the message says what to do."""


@dataclass(frozen=True)
class WebQualityReport:
    problems: list[Problem]
    pages: list[Page]
    skipped: list[str]  # one line per check that could not run, saying how to enable it
    seconds: float

    def summary(self) -> str:
        kinds = ", ".join(page.kind for page in self.pages)
        widths = " and ".join(str(width) for width in WIDTHS)
        return f"Checked {len(self.pages)} pages ({kinds}) at {widths} px wide in {self.seconds:.1f} s"


def check_web_quality(build_dir: Path, permalinks: Mapping[str, str], tool_folders: Sequence[Path]) -> WebQualityReport:
    """Check one page of each kind in `build_dir`; axe-core and vnu.jar are looked for in `tool_folders`."""
    started = time.monotonic()
    if not (build_dir / MARKER).is_file():
        raise CannotCheck(f"{build_dir}: no newsgen build here; build the site first (newsgen build)")
    try:
        import playwright.async_api  # noqa: F401 - here only to say what is missing before anything starts
    except ImportError:
        raise CannotCheck("--web-quality needs Playwright: pip install 'newsgen[web-quality]'") from None
    skipped: list[str] = []
    axe, why = _tool(AXE_VARIABLE, AXE_FILE, tool_folders)
    if axe is None:
        skipped.append(f"accessibility check (axe-core) skipped: {why}; npm install axe-core, or set {AXE_VARIABLE}")
    jar, why = _tool(VNU_VARIABLE, VNU_FILE, tool_folders)
    java = shutil.which("java")
    if jar is None:
        skipped.append(f"HTML validation (vnu.jar) skipped: {why}; npm install vnu-jar, or set {VNU_VARIABLE}")
    elif java is None:
        skipped.append("HTML validation (vnu.jar) skipped: no java; install a Java runtime (default-jre-headless)")
    with output_lock(build_dir):  # never a folder a build is writing
        pages = pick_pages(build_dir, permalinks)
        problems = [problem for page in pages for problem in _image_problems(page)]
        with serving(build_dir) as base_url:
            axe_script = axe.read_text(encoding="utf-8") if axe else None
            validating = (java, jar) if java and jar else None
            found, html_errors, failure = asyncio.run(_browse(base_url, pages, axe_script, validating))
    if failure:
        skipped.append(f"HTML validation (vnu.jar) skipped: the checker failed: {failure}")
    problems += _browser_problems(found)
    problems += [Problem(error.file, error.line, "html", error.message, code="html") for error in html_errors]
    return WebQualityReport(sorted(problems), pages, skipped, time.monotonic() - started)


async def _browse(
    base_url: str, pages: list[Page], axe_script: str | None, validating: tuple[str, Path] | None
) -> tuple[list[BrowserFinding], list[HtmlError], str | None]:
    """The browser's findings and the validator's errors, the validator running while the browser works."""
    validation = asyncio.create_task(validate(*validating, [p.file for p in pages])) if validating else None
    try:
        found = await inspect(base_url, pages, axe_script)
    except BrowserMissing as exc:
        if validation:
            validation.cancel()
        raise CannotCheck(str(exc)) from None
    if validation is None:
        return found, [], None
    try:
        return found, await validation, None
    except ValidatorFailed as exc:
        return found, [], str(exc)


def _tool(variable: str, relative: Path, folders: Sequence[Path]) -> tuple[Path | None, str]:
    """The file `variable` names, else the first `folder/relative`; or None and why."""
    named = os.environ.get(variable)
    if named:
        return (Path(named), "") if Path(named).is_file() else (None, f"{variable}={named} is not a file")
    found = next((folder / relative for folder in folders if (folder / relative).is_file()), None)
    return found, "" if found else f"no {relative}"


def _image_problems(page: Page) -> list[Problem]:
    html = page.file.read_text(encoding="utf-8", errors="replace")
    # "Latest news" is shown under an article, out of view: its first image is rightly lazy.
    return [
        Problem(page.file, finding.line, "img", finding.message, finding.severity, finding.code)
        for finding in image_findings(html, lazy_first=page.kind == "latest")
    ]


def _browser_problems(found: list[BrowserFinding]) -> list[Problem]:
    """One problem per finding; one seen at every width is one line without a width."""
    widths: defaultdict[tuple[Path, str, str], list[int]] = defaultdict(list)
    for finding in found:
        widths[(finding.page.file, finding.code, finding.message)].append(finding.width)
    problems = []
    for (file, code, message), seen in widths.items():
        fields = [code] if set(seen) == set(WIDTHS) else [f"{width}px: {code}" for width in sorted(set(seen))]
        problems += [Problem(file, 1, field, message, Severity.ERROR, code) for field in fields]
    return problems
