"""`--purge cloudfront:ID`: one CloudFront invalidation for the URLs a deploy changed.

CloudFront caches a page under the path the reader asked for, and readers (and old
links) ask for both `/a/b/` and `/a/b/index.html`, so a page is invalidated under both.
Over MAX_PATHS paths, one wildcard for the site's path stands in for them: CloudFront
allows 3000 explicit paths in progress per distribution and charges for each.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import quote, unquote, urlsplit

from newsgen.deploy import DeployError

PURGE_PREFIX = "cloudfront:"
MAX_PATHS = 1000
_DISTRIBUTION_ID = re.compile(r"[A-Z0-9]+")
# CloudFront matches paths as sent: encode non-ASCII and unsafe characters (space, %, quotes, brackets), keep the rest,
# but for `*`: a wildcard to CloudFront (a prefix at the end of a path, an invalid path anywhere else).
_KEEP = "/!$&'()+,;=:@"


def distribution_id(purge: str) -> str:
    """`cloudfront:E2QWRUHAPOMQZL` -> `E2QWRUHAPOMQZL`; a ValueError saying what is expected otherwise."""
    found = purge.removeprefix(PURGE_PREFIX)
    if not purge.startswith(PURGE_PREFIX) or not _DISTRIBUTION_ID.fullmatch(found):
        raise ValueError(
            f"--purge {purge!r}: expected cloudfront:DISTRIBUTION_ID, the distribution's ID "
            "in uppercase letters and digits (as in cloudfront:E2QWRUHAPOMQZL)"
        )
    return found


@dataclass(frozen=True)
class Invalidation:
    """The paths to invalidate on one distribution; `id` is set once CloudFront has created it."""

    distribution: str
    paths: tuple[str, ...]
    changed: int  # paths that changed: more than len(paths) when a wildcard stands for them
    id: str | None = None

    def summary(self) -> str:
        if len(self.paths) < self.changed:
            what = f"{self.paths[0]} ({self.changed} paths changed, more than {MAX_PATHS})"
        else:
            what = f"{self.changed} path{'s' if self.changed != 1 else ''}"
        if self.id is None:
            return f"CloudFront {self.distribution}: would invalidate {what}"
        return f"CloudFront {self.distribution}: invalidation {self.id} for {what}"


def plan(distribution: str, urls: Iterable[str], base_url: str) -> Invalidation:
    """The invalidation for absolute URLs of the site at `base_url`."""
    paths = sorted({path for url in urls for path in _paths(url)})
    if len(paths) > MAX_PATHS:
        site = quote(unquote(urlsplit(base_url).path.rstrip("/")), safe=_KEEP)
        return Invalidation(distribution, (f"{site}/*",), len(paths))
    return Invalidation(distribution, tuple(paths), len(paths))


def create(planned: Invalidation, change_set: str) -> Invalidation:
    """Create the invalidation; on failure, one line naming the distribution.

    The CallerReference digests the change set (see PurgeList.change_set) and the paths: CloudFront
    answers a retry of the same batch, botocore's or the next deploy's after a lost reply, with the
    invalidation it already made instead of a second one.
    """
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise DeployError("CloudFront purges need boto3: pip install 'newsgen[s3]'") from None
    reference = hashlib.sha256("\n".join([change_set, *planned.paths]).encode()).hexdigest()
    batch = {"Paths": {"Quantity": len(planned.paths), "Items": list(planned.paths)}, "CallerReference": reference}
    try:
        reply = boto3.client("cloudfront").create_invalidation(
            DistributionId=planned.distribution, InvalidationBatch=batch
        )
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code, message = error.get("Code", "refused"), error.get("Message")
        reason = f"{code}: {message}" if message else code
    except BotoCoreError as exc:
        reason = str(exc)
    else:
        return replace(planned, id=reply["Invalidation"]["Id"])
    raise DeployError(
        f"{PURGE_PREFIX}{planned.distribution}: no invalidation was created ({' '.join(reason.split())}); "
        "the site is published, and its changed URLs stay pending for the next deploy to purge"
    )


def _paths(url: str) -> tuple[str, ...]:
    path = quote(unquote(urlsplit(url).path or "/"), safe=_KEEP)  # encoded once, whether it came encoded or not
    return (path, f"{path}index.html") if path.endswith("/") else (path,)
