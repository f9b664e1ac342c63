"""Deploying to a git branch (GitHub Pages' gh-pages and the like): the build is the branch's whole tree.

Works in a throwaway repository: fetch the branch, lay the build out as the
new tree, and commit only when the tree differs, so an unchanged site makes
no commit. Runs the `git` program, which knows the user's credentials; the
remote is validated first and always follows `--`, so it is never read as an option.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from newsgen.deploy import DeployError, DeployResult
from newsgen.deploy.gitremote import ALLOWED_PROTOCOLS, validate_remote
from newsgen.redact import redact

_IDENTITY = {
    "GIT_AUTHOR_NAME": "newsgen",
    "GIT_AUTHOR_EMAIL": "newsgen@localhost",
    "GIT_COMMITTER_NAME": "newsgen",
    "GIT_COMMITTER_EMAIL": "newsgen@localhost",
}
_REJECTED = re.compile(r"!\s*\[(?:remote )?rejected\].*\((?P<reason>[^)]*)\)\s*$")
_NO_SPACE = os.strerror(errno.ENOSPC)


def deploy_git(
    files: dict[str, Path],
    destination: str,
    branch: str,
    cname: str | None,
    dry_run: bool,
    approve: Callable[[DeployResult], None],
) -> DeployResult:
    """`approve` sees the plan before the branch changes, and may refuse it."""
    remote = validate_remote(destination.removeprefix("git+"))
    shown = redact(remote)
    with tempfile.TemporaryDirectory(prefix="newsgen-deploy-") as temp:
        work = Path(temp)
        git = _Git(work)
        git.run("init", "-q")
        head = _fetch(git, remote, branch, shown)
        _lay_out(work, files, cname)
        git.run("add", "-A")
        tree = git.run("write-tree")
        remote_files = len(git.run("ls-tree", "-r", "--name-only", head).splitlines()) if head else 0
        result = DeployResult(dry_run=dry_run, remote_files=remote_files)
        changed = _changes(git, head, tree)
        result.uploaded = [path for status, path in changed if status != "D"]
        result.deleted = [path for status, path in changed if status == "D"]
        result.unchanged = len(files) + 1 + bool(cname) - len(result.uploaded)
        if not changed or dry_run:
            return result
        approve(result)
        parents = ["-p", head] if head else []
        commit = git.run("commit-tree", tree, *parents, "-m", f"Publish site ({len(changed)} files changed)")
        git.run("push", "-q", "--", remote, f"{commit}:refs/heads/{branch}", what=f"cannot push to {shown}")
        return result


def _fetch(git: _Git, remote: str, branch: str, shown: str) -> str | None:
    """The branch's current commit, or None when it does not exist yet. `shown` is the remote as messages name it."""
    listing = git.run("ls-remote", "--", remote, f"refs/heads/{branch}", what=f"cannot reach {shown}")
    if not listing:
        return None
    git.run(
        "fetch", "-q", "--depth=1", "--", remote, f"refs/heads/{branch}", what=f"cannot fetch {branch} from {shown}"
    )
    return git.run("rev-parse", "FETCH_HEAD")


def _lay_out(work: Path, files: dict[str, Path], cname: str | None) -> None:
    """The build as the work tree, with GitHub Pages' `.nojekyll` (serve files as they are) and `CNAME`."""
    pages = {".nojekyll": "", **({"CNAME": cname + "\n"} if cname else {})}
    target = work
    try:
        for relative, source in files.items():
            target = work / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for name, text in pages.items():
            target = work / name
            target.write_text(text, encoding="utf-8")
    except OSError as exc:
        full = "; the git deploy copies the site into a temporary folder: set TMPDIR to a disk with room"
        where = exc.filename if exc.filename is not None else target
        raise DeployError(f"{where}: {exc.strerror or exc}{full if exc.errno == errno.ENOSPC else ''}") from None


def _changes(git: _Git, head: str | None, tree: str) -> list[tuple[str, str]]:
    if head is None:
        names = git.run("ls-tree", "-r", "--name-only", tree)
        return [("A", name) for name in names.splitlines()]
    diff = git.run("diff-tree", "-r", "--name-status", "--no-renames", f"{head}^{{tree}}", tree)
    return [(line.split("\t", 1)[0], line.split("\t", 1)[1]) for line in diff.splitlines() if "\t" in line]


def _git_failure(stderr: str) -> str:
    """What went wrong, in one line: a push's rejection reason and what the remote (its hooks) said.

    git names the remote's URL in its messages, credentials and all: they are redacted.
    """
    lines = [redact("".join(ch for ch in line if ch.isprintable()).strip()) for line in stderr.splitlines()]
    said = [line.removeprefix("remote:").strip() for line in lines if line.startswith("remote:")]
    said = [line for line in said if line]
    rejected = next((found["reason"] for line in lines if (found := _REJECTED.search(line))), None)
    fatal = next((line.removeprefix("fatal: ") for line in lines if line.startswith("fatal:")), None)
    others = [line for line in lines if line and not line.startswith("remote:")]
    reason = f"rejected ({rejected})" if rejected else fatal or (others[-1] if others else "no details")
    return reason + (f"; the remote said: {' / '.join(said)}" if said else "")


class _Git:
    def __init__(self, work: Path) -> None:
        self._work = work
        self._env = {**_IDENTITY, **os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ALLOW_PROTOCOL": ALLOWED_PROTOCOLS}

    def run(self, *args: str, what: str = "git failed") -> str:
        done = subprocess.run(["git", *args], cwd=self._work, env=self._env, capture_output=True, text=True)
        if done.returncode != 0:
            where = f" (newsgen's work folder: {self._work})" if _NO_SPACE in done.stderr else ""
            raise DeployError(f"{what}: {_git_failure(done.stderr)}{where}")
        return done.stdout.strip()
