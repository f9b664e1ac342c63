"""Choosing the deploy target from the destination and running it."""

from __future__ import annotations

from pathlib import Path

from newsgen.config import SiteConfig
from newsgen.deploy import DeployError, DeployResult, published_files
from newsgen.deploy.git import deploy_git
from newsgen.deploy.purge import PurgeList
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
    allow_mass_delete: bool = False,
) -> tuple[DeployResult, Path | None]:
    """Publish the build; returns what changed and the file listing the changed URLs (None on a dry run)."""
    target = config.deploy.get(destination, destination)
    files = published_files(build_dir, source_dir)
    purge = PurgeList(source_dir, config.base_url, target)

    def approve(plan: DeployResult) -> None:
        """Between planning and the first change at the destination."""
        if plan.mass_delete and not allow_mass_delete:
            raise DeployError(
                f"{target}: refusing to delete {plan.mass_delete_text()}; "
                "check the build (did it lose its articles?), or pass --allow-mass-delete"
            )
        purge.add(plan)

    if target.startswith("s3://"):
        result = deploy_s3(files, target, endpoint_url, delete, dry_run, approve)
    elif target.startswith("git+"):
        result = deploy_git(files, target, branch, config.cname, dry_run, approve)
    else:
        names = ", ".join(sorted(config.deploy)) or "none in newsgen.yaml"
        raise DeployError(f"{destination}: not s3://…, git+… or a named destination ({names})")
    if dry_run:
        return result, None
    return result, purge.complete(result)
