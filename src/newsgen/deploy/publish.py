"""Choosing the deploy target from the destination and running it."""

from __future__ import annotations

from pathlib import Path

from newsgen.config import SiteConfig
from newsgen.deploy import DeployError, DeployResult, published_files
from newsgen.deploy.cloudfront import Invalidation, create, plan
from newsgen.deploy.git import deploy_git
from newsgen.deploy.purge import PurgeList
from newsgen.deploy.s3 import deploy_s3
from newsgen.redact import redact


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
    cloudfront: str | None = None,
) -> tuple[DeployResult, Path | None, Invalidation | None]:
    """Publish the build, then purge the `cloudfront` distribution ID of the changed URLs when given.

    Returns what changed, the file listing the changed URLs (None on a dry run), and the
    invalidation (planned on a dry run; None when nothing is to be purged).
    """
    target = config.deploy.get(destination, destination)
    files = published_files(build_dir)
    purge = PurgeList(source_dir, config.base_url, target)

    def approve(plan: DeployResult) -> None:
        """Between planning and the first change at the destination."""
        if plan.mass_delete and not allow_mass_delete:
            raise DeployError(
                f"{redact(target)}: refusing to delete {plan.mass_delete_text()}; "
                "check the build (did it lose its articles?), or pass --allow-mass-delete"
            )
        purge.add(plan)

    if target.startswith("s3://"):
        result = deploy_s3(files, target, endpoint_url, delete, dry_run, approve)
    elif target.startswith("git+"):
        result = deploy_git(files, target, branch, config.cname, dry_run, approve)
    else:
        names = ", ".join(sorted(config.deploy)) or "none in newsgen.yaml"
        raise DeployError(f"{redact(destination)}: not s3://…, git+… or a named destination ({names})")
    invalidation = None
    if cloudfront is not None and (urls := purge.urls(result)):
        invalidation = plan(cloudfront, urls, config.base_url)
    if dry_run:
        return result, None, invalidation
    if invalidation is not None:  # before complete(): when it fails, the URLs stay pending for the next deploy
        invalidation = create(invalidation, purge.change_set())
    return result, purge.complete(result), invalidation
