"""Choosing the deploy target from the destination and running it."""

from __future__ import annotations

from pathlib import Path

from newsgen.config import SiteConfig
from newsgen.deploy import DeployError, DeployResult, published_files, write_changed_urls
from newsgen.deploy.git import deploy_git
from newsgen.deploy.s3 import deploy_s3


def deploy(
    source_dir: Path,
    build_dir: Path,
    config: SiteConfig,
    destination: str,
    *,
    dry_run: bool = False,
    delete: bool = False,
    endpoint_url: str | None = None,
    branch: str = "gh-pages",
) -> tuple[DeployResult, Path | None]:
    """Publish the build; returns what changed and the file listing the changed URLs (None on a dry run)."""
    target = config.deploy.get(destination, destination)
    files = published_files(build_dir, source_dir)
    if target.startswith("s3://"):
        result = deploy_s3(files, target, endpoint_url, delete, dry_run)
    elif target.startswith("git+"):
        result = deploy_git(files, target, branch, config.cname, dry_run)
    else:
        names = ", ".join(sorted(config.deploy)) or "none in newsgen.yaml"
        raise DeployError(f"{destination}: not s3://…, git+… or a named destination ({names})")
    if dry_run:
        return result, None
    return result, write_changed_urls(source_dir, config, result)
