"""Deploying to a git branch (GitHub Pages' gh-pages and the like): the build is the branch's whole tree.

Works in a throwaway repository: fetch the branch, lay the build out as the
new tree, and commit only when the tree differs, so an unchanged site makes
no commit. Runs the `git` program, which knows the user's credentials.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from newsgen.deploy import DeployError, DeployResult

_IDENTITY = {
    "GIT_AUTHOR_NAME": "newsgen",
    "GIT_AUTHOR_EMAIL": "newsgen@localhost",
    "GIT_COMMITTER_NAME": "newsgen",
    "GIT_COMMITTER_EMAIL": "newsgen@localhost",
}


def deploy_git(files: dict[str, Path], destination: str, branch: str, cname: str | None, dry_run: bool) -> DeployResult:
    remote = destination.removeprefix("git+")
    with tempfile.TemporaryDirectory(prefix="newsgen-deploy-") as temp:
        work = Path(temp)
        git = _Git(work)
        git.run("init", "-q")
        head = _fetch(git, remote, branch)
        for relative, path in files.items():
            target = work / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        (work / ".nojekyll").write_bytes(b"")  # GitHub Pages: serve the files as they are
        if cname:
            (work / "CNAME").write_text(cname + "\n", encoding="utf-8")
        git.run("add", "-A")
        tree = git.run("write-tree")
        result = DeployResult(dry_run=dry_run)
        changed = _changes(git, head, tree)
        result.uploaded = [path for status, path in changed if status != "D"]
        result.deleted = [path for status, path in changed if status == "D"]
        result.unchanged = len(files) + 1 + bool(cname) - len(result.uploaded)
        if not changed or dry_run:
            return result
        parents = ["-p", head] if head else []
        commit = git.run("commit-tree", tree, *parents, "-m", f"Publish site ({len(changed)} files changed)")
        git.run("push", "-q", remote, f"{commit}:refs/heads/{branch}", what=f"cannot push to {remote}")
        return result


def _fetch(git: _Git, remote: str, branch: str) -> str | None:
    """The branch's current commit, or None when it does not exist yet."""
    listing = git.run("ls-remote", remote, f"refs/heads/{branch}", what=f"cannot reach {remote}")
    if not listing:
        return None
    git.run("fetch", "-q", "--depth=1", remote, f"refs/heads/{branch}", what=f"cannot fetch {branch} from {remote}")
    return git.run("rev-parse", "FETCH_HEAD")


def _changes(git: _Git, head: str | None, tree: str) -> list[tuple[str, str]]:
    if head is None:
        names = git.run("ls-tree", "-r", "--name-only", tree)
        return [("A", name) for name in names.splitlines()]
    diff = git.run("diff-tree", "-r", "--name-status", "--no-renames", f"{head}^{{tree}}", tree)
    return [(line.split("\t", 1)[0], line.split("\t", 1)[1]) for line in diff.splitlines() if "\t" in line]


class _Git:
    def __init__(self, work: Path) -> None:
        self._work = work
        self._env = {**_IDENTITY, **os.environ, "GIT_TERMINAL_PROMPT": "0"}

    def run(self, *args: str, what: str = "git failed") -> str:
        done = subprocess.run(["git", *args], cwd=self._work, env=self._env, capture_output=True, text=True)
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or ["no details"]
            detail = next((line for line in lines if line.startswith("fatal:")), lines[-1]).removeprefix("fatal: ")
            raise DeployError(f"{what}: {detail}")
        return done.stdout.strip()
