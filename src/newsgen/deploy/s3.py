"""Deploying to S3 and S3-compatible hosts (R2, MinIO, …) with boto3.

A file is uploaded when its MD5 differs from the object's ETag (single-part
uploads, which these are, have the MD5 as ETag), so a second run uploads nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from newsgen.deploy import DeployError, DeployResult, md5_of, os_failure
from newsgen.engine.search import named_by_content
from newsgen.mediatypes import content_type
from newsgen.redact import redact

UPLOAD_THREADS = 8
_SHORT_CACHE = "public, max-age=300"  # pages and feeds change with every story
_LONG_CACHE = "public, max-age=31536000, immutable"  # file names that carry their content's hash
_DEFAULT_CACHE = "public, max-age=86400"
_FINGERPRINT = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9]+$")
_RENDITION = re.compile(r"^img/[0-9a-f]{20}/[^/]+$")  # resized copies: their folder is named by their content
_SHORT_SUFFIXES = {".html", ".xml", ".json", ".txt"}


def cache_control(relative: str) -> str:
    path = PurePosixPath(relative)
    if path.suffix.lower() in _SHORT_SUFFIXES:
        return _SHORT_CACHE
    named_by_bytes = _FINGERPRINT.search(path.name) or _RENDITION.match(relative) or named_by_content(relative)
    return _LONG_CACHE if named_by_bytes else _DEFAULT_CACHE


def parse_destination(destination: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix/")."""
    parts = urlsplit(destination)
    if not parts.netloc:
        raise DeployError(f"{redact(destination)}: name a bucket, as in s3://my-bucket or s3://my-bucket/prefix")
    if "@" in parts.netloc:
        raise DeployError(
            f"{redact(destination)}: an S3 destination carries no credentials; set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) instead"
        )
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


def deploy_s3(
    files: dict[str, Path],
    destination: str,
    endpoint_url: str | None,
    delete: bool,
    dry_run: bool,
    approve: Callable[[DeployResult], None],
) -> DeployResult:
    """`approve` sees the plan before the bucket changes, and may refuse it."""
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        raise DeployError("S3 deploys need boto3: pip install 'newsgen[s3]'") from None
    bucket, prefix = parse_destination(destination)
    client = boto3.client("s3", endpoint_url=endpoint_url)
    try:
        remote = _remote_etags(client, bucket, prefix)
        result = DeployResult(dry_run=dry_run, remote_files=len(remote))
        for relative, path in files.items():
            if remote.get(prefix + relative) == md5_of(path):
                result.unchanged += 1
            else:
                result.uploaded.append(relative)
        if delete:
            result.deleted = sorted(key[len(prefix) :] for key in remote if key[len(prefix) :] not in files)
        if not dry_run:
            approve(result)
            _apply(client, bucket, prefix, files, result)
        return result
    except ClientError as exc:
        raise DeployError(_client_error(exc, bucket)) from None
    except BotoCoreError as exc:
        raise DeployError(redact(f"s3://{bucket}: {exc}")) from None  # names the endpoint, which may carry them


def _remote_etags(client: Any, bucket: str, prefix: str) -> dict[str, str]:
    etags = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            etags[item["Key"]] = item["ETag"].strip('"')
    return etags


def _apply(client: Any, bucket: str, prefix: str, files: dict[str, Path], result: DeployResult) -> None:
    def upload(relative: str) -> None:
        try:
            body = files[relative].read_bytes()
        except OSError as exc:
            raise os_failure(exc, files[relative]) from None
        client.put_object(
            Bucket=bucket,
            Key=prefix + relative,
            Body=body,
            ContentType=content_type(PurePosixPath(relative)),
            CacheControl=cache_control(relative),
        )

    with ThreadPoolExecutor(max_workers=UPLOAD_THREADS) as pool:
        list(pool.map(upload, result.uploaded))  # list(): re-raise the first failure
    for start in range(0, len(result.deleted), 1000):  # the API's batch limit
        batch = [{"Key": prefix + relative} for relative in result.deleted[start : start + 1000]]
        client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})


def _client_error(exc: Any, bucket: str) -> str:
    code = exc.response.get("Error", {}).get("Code", "")
    if code in ("NoSuchBucket", "404"):
        return f"s3://{bucket}: no such bucket"
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "ExpiredToken"):
        return (
            f"s3://{bucket}: the credentials were refused ({code}); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    return f"s3://{bucket}: {code or exc}"
