"""The Nu HTML checker (vnu.jar, the W3C's validator) on the pages checked, run beside the browser."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

TIME_LIMIT = 300.0  # seconds; it checks a page in milliseconds once Java has started


class ValidatorFailed(Exception):
    """The checker did not run or gave no report; the message says why in one line."""


@dataclass(frozen=True)
class HtmlError:
    file: Path
    line: int
    message: str


async def validate(java: str, jar: Path, files: list[Path]) -> list[HtmlError]:
    """The checker's errors (not its warnings) in `files`, with their lines."""
    by_url = {file.resolve().as_posix(): file for file in files}
    process = await asyncio.create_subprocess_exec(
        java,
        "-jar",
        str(jar),
        "--errors-only",
        "--format",
        "json",
        "--stdout",
        *by_url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), TIME_LIMIT)
    except TimeoutError:
        raise ValidatorFailed(f"no answer in {TIME_LIMIT:.0f} s") from None
    finally:  # also when cancelled: the browser could not start
        if process.returncode is None:
            process.kill()
            await process.wait()
    try:
        messages = json.loads(out)["messages"]
    except (ValueError, KeyError, TypeError):
        lines = err.decode(errors="replace").strip().splitlines() or [f"exit status {process.returncode}"]
        raise ValidatorFailed(lines[0]) from None
    errors = []
    for message in messages:
        file = by_url.get(unquote(urlsplit(str(message.get("url", ""))).path))
        if message.get("type") != "error" or file is None:
            raise ValidatorFailed(str(message.get("message", message)))
        errors.append(HtmlError(file, int(message.get("lastLine", 1)), str(message["message"])))
    return errors
