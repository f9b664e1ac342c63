"""`newsgen deploy --purge cloudfront:ID` against moto's server over HTTP: one invalidation naming exactly the
changed URLs, none when nothing changed, and the URLs pending until CloudFront has accepted them."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Protocol

import pytest

import test_deploy
from conftest import run_cli
from newsgen.deploy import DeployResult
from newsgen.deploy.cloudfront import plan
from newsgen.deploy.purge import PurgeList
from newsgen.engine.search import named_by_content
from test_deploy import S3Client, free_port, keys

boto3 = pytest.importorskip("boto3")

# test_deploy's fixtures: a built site deploying to s3://site-bucket, and moto's server (which speaks CloudFront too).
built_site, s3, s3_endpoint = test_deploy.built_site, test_deploy.s3, test_deploy.s3_endpoint
FERRY = "build/2025/01/16/ferry/index.html"


class CloudFrontClient(Protocol):
    """The calls these tests make on boto3's CloudFront client (replies are plain dicts)."""

    def create_distribution(self, *, DistributionConfig: dict[str, Any]) -> dict[str, Any]: ...
    def list_invalidations(self, *, DistributionId: str) -> dict[str, Any]: ...
    def get_invalidation(self, *, DistributionId: str, Id: str) -> dict[str, Any]: ...


@pytest.fixture
def cloudfront(s3: S3Client, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> CloudFrontClient:
    """botocore takes CloudFront's endpoint from AWS_ENDPOINT_URL_CLOUDFRONT, as newsgen's deploy will."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFRONT", s3_endpoint)
    client: CloudFrontClient = boto3.client("cloudfront")
    return client


@pytest.fixture
def distribution(cloudfront: CloudFrontClient) -> str:
    """A new distribution in front of the bucket, so each test sees only its own invalidations."""
    origin = {
        "Id": "site",
        "DomainName": "site-bucket.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    config = {
        "CallerReference": secrets.token_hex(8),
        "Comment": "",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [origin]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
    return str(cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"])


def invalidations(client: CloudFrontClient, distribution: str) -> list[tuple[list[str], str]]:
    """(paths, CallerReference) of each invalidation on the distribution, oldest first."""
    listed = client.list_invalidations(DistributionId=distribution)["InvalidationList"].get("Items", [])
    batches = [
        client.get_invalidation(DistributionId=distribution, Id=item["Id"])["Invalidation"]["InvalidationBatch"]
        for item in sorted(listed, key=lambda item: item["CreateTime"])
    ]
    return [(batch["Paths"]["Items"], batch["CallerReference"]) for batch in batches]


def published(site: Path) -> list[str]:
    """Every file a deploy publishes, relative to the build folder."""
    build = site / "build"
    files = [p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file()]
    return [name for name in files if name not in (".newsgen-build", ".newsgen-schedule.json")]


def every_path(site: Path) -> list[str]:
    """The CloudFront paths of every published file (but the search index's parts named by their bytes, which are
    never purged): a page under its folder URL and its index.html."""
    paths = {f"/{name}" for name in published(site) if not named_by_content(name)}
    return sorted(paths | {path.removesuffix("index.html") for path in paths if path.endswith("/index.html")})


def edit(site: Path, text: str) -> None:
    """Change one article's page in the build, as a rebuild after a correction would."""
    page = site / FERRY
    page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")


def deploy_args(site: Path, endpoint: str, distribution: str) -> list[str]:
    return [
        "deploy",
        "s3://site-bucket",
        "--source",
        str(site),
        "--endpoint-url",
        endpoint,
        "--purge",
        f"cloudfront:{distribution}",
    ]


def test_the_invalidation_names_exactly_the_changed_urls(
    built_site: Path,
    cloudfront: CloudFrontClient,
    distribution: str,
    s3_endpoint: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = deploy_args(built_site, s3_endpoint, distribution)
    code, out, err = run_cli(args, capsys)
    assert code == 0, err
    [(paths, _)] = invalidations(cloudfront, distribution)
    assert paths == every_path(built_site) and "/" in paths and "/index.html" in paths
    assert out.splitlines()[-1].startswith(f"CloudFront {distribution}: invalidation ")
    assert out.splitlines()[-1].endswith(f" for {len(paths)} paths")

    edit(built_site, "<!-- corrected -->")
    code, out, err = run_cli(args, capsys)
    assert code == 0 and out.startswith("1 uploaded"), err
    second = invalidations(cloudfront, distribution)[1][0]
    assert second == ["/2025/01/16/ferry/", "/2025/01/16/ferry/index.html"]
    assert (
        built_site / ".newsgen-cache/changed-urls.txt"
    ).read_text() == "https://news.example.org/2025/01/16/ferry/\n"


def test_an_unchanged_deploy_creates_no_invalidation(
    built_site: Path,
    cloudfront: CloudFrontClient,
    distribution: str,
    s3_endpoint: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = deploy_args(built_site, s3_endpoint, distribution)
    assert run_cli(args, capsys)[0] == 0
    code, out, err = run_cli(args, capsys)
    assert code == 0 and out.startswith("0 uploaded"), err
    assert "CloudFront" not in out
    assert len(invalidations(cloudfront, distribution)) == 1


@pytest.mark.parametrize("failure", ["no such distribution", "unreachable"])
def test_a_failed_purge_keeps_the_urls_pending_for_the_next_deploy(
    failure: str,
    built_site: Path,
    s3: S3Client,
    cloudfront: CloudFrontClient,
    distribution: str,
    s3_endpoint: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if failure == "unreachable":
        monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFRONT", f"http://127.0.0.1:{free_port()}")
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        failing, reason = distribution, "(Could not connect to the endpoint URL"
    else:
        failing, reason = "ENOSUCHDIST0", "(NoSuchDistribution: "
    code, _, err = run_cli(deploy_args(built_site, s3_endpoint, failing), capsys)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"newsgen: error: cloudfront:{failing}: no invalidation was created {reason}")
    assert err.endswith("; the site is published, and its changed URLs stay pending for the next deploy to purge\n")
    assert len(keys(s3)) == len(published(built_site))

    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFRONT", s3_endpoint)
    edit(built_site, "<!-- corrected -->")
    code, out, err = run_cli(deploy_args(built_site, s3_endpoint, distribution), capsys)
    assert code == 0 and out.startswith("1 uploaded"), err
    [(paths, _)] = invalidations(cloudfront, distribution)
    assert paths == every_path(built_site), "the failed run's URLs are purged with this one's"
    assert not list((built_site / ".newsgen-cache").glob("pending-purge-*")), "nothing is left pending"


def test_a_retried_purge_reuses_its_caller_reference_and_a_new_change_set_gets_a_new_one(
    built_site: Path,
    cloudfront: CloudFrontClient,
    distribution: str,
    s3_endpoint: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from botocore.exceptions import ReadTimeoutError

    make_client = boto3.client

    def reply_lost(service: str, *args: Any, **kwargs: Any) -> Any:
        client = make_client(service, *args, **kwargs)
        if service != "cloudfront":
            return client
        create_invalidation = client.create_invalidation

        def create(**request: Any) -> Any:
            create_invalidation(**request)  # CloudFront makes it; the reply never arrives
            raise ReadTimeoutError(endpoint_url="https://cloudfront.amazonaws.com")

        client.create_invalidation = create
        return client

    args = deploy_args(built_site, s3_endpoint, distribution)
    monkeypatch.setattr(boto3, "client", reply_lost)
    code, _, err = run_cli(args, capsys)
    assert code == 1 and "Read timeout" in err
    monkeypatch.setattr(boto3, "client", make_client)
    assert run_cli(args, capsys)[0] == 0
    (lost, first), (retried, again) = invalidations(cloudfront, distribution)
    assert retried == lost and again == first, "CloudFront answers a repeated CallerReference with the first one"

    edit(built_site, "<!-- corrected -->")
    assert run_cli(args, capsys)[0] == 0
    edit(built_site, "<!-- corrected again -->")
    assert run_cli(args, capsys)[0] == 0
    (paths, reference), (same_paths, new_reference) = invalidations(cloudfront, distribution)[2:]
    assert paths == same_paths and reference != new_reference, "the same URLs changing again are purged again"


def test_a_dry_run_prints_the_paths_and_calls_nothing(
    built_site: Path,
    cloudfront: CloudFrontClient,
    distribution: str,
    s3_endpoint: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli([*deploy_args(built_site, s3_endpoint, distribution), "--dry-run"], capsys)
    assert code == 0, err
    paths = every_path(built_site)
    assert [line.removeprefix("invalidate ") for line in out.splitlines() if line.startswith("invalidate ")] == paths
    assert out.splitlines()[-1] == f"CloudFront {distribution}: would invalidate {len(paths)} paths"
    assert invalidations(cloudfront, distribution) == []
    assert not list((built_site / ".newsgen-cache").glob("pending-purge-*"))


@pytest.mark.parametrize(
    "purge",
    [
        "cloudfront:e2qwruhapomqzl",
        "cloudfront:",
        "cloudfront:E2QW-RUHAPOMQZL",
        "cloudfront:E2QW\nRUHAPOMQZL",
        "E2QWRUHAPOMQZL",
        "fastly:E2QWRUHAPOMQZL",
    ],
)
def test_a_bad_distribution_id_is_one_error_line(
    purge: str, built_site: Path, s3: S3Client, s3_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["deploy", "s3://site-bucket", "--source", str(built_site), "--endpoint-url", s3_endpoint]
    code, out, err = run_cli([*args, "--purge", purge], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"newsgen: error: --purge {purge!r}: expected cloudfront:DISTRIBUTION_ID")
    assert keys(s3) == set(), "nothing is deployed"


def test_pages_are_invalidated_under_both_urls_and_many_paths_become_one_wildcard() -> None:
    site = "https://example.org/news/"
    small = plan("E1", [site, f"{site}a b/é.html", f"{site}feed.xml", f"{site}world/"], site)
    assert small.paths == (
        "/news/",
        "/news/a%20b/%C3%A9.html",
        "/news/feed.xml",
        "/news/index.html",
        "/news/world/",
        "/news/world/index.html",
    )
    assert len(plan("E1", [f"{site}{n}/" for n in range(500)], site).paths) == 1000, "up to the limit, every path"
    many = plan("E1", [f"{site}{n}/" for n in range(501)], site)
    assert many.paths == ("/news/*",) and many.changed == 1002
    assert many.summary() == "CloudFront E1: would invalidate /news/* (1002 paths changed, more than 1000)"
    assert plan("E1", ["https://example.org/"] * 600, "https://example.org").paths == ("/", "/index.html")


def test_unicode_paths_are_percent_encoded_once_from_the_changed_files_to_the_invalidation(tmp_path: Path) -> None:
    base = "https://example.org/news/"
    changed = DeployResult(uploaded=["autores/ليلى/index.html", "tags/política/feed.xml", "a b.txt"])
    urls = PurgeList(tmp_path, base, "s3://bucket").urls(changed)
    assert urls == [
        "https://example.org/news/a%20b.txt",
        "https://example.org/news/autores/%D9%84%D9%8A%D9%84%D9%89/",
        "https://example.org/news/tags/pol%C3%ADtica/feed.xml",
    ]
    assert plan("E1", urls, base).paths == (
        "/news/a%20b.txt",
        "/news/autores/%D9%84%D9%8A%D9%84%D9%89/",
        "/news/autores/%D9%84%D9%8A%D9%84%D9%89/index.html",
        "/news/tags/pol%C3%ADtica/feed.xml",
    )


def test_a_star_in_a_file_name_is_a_character_not_a_wildcard(tmp_path: Path) -> None:
    """CloudFront reads `*` as a wildcard: at a path's end it would purge every file of that prefix, elsewhere it makes
    the whole invalidation invalid. In a published file's name it is encoded."""
    base = "https://example.org/ne*ws/"
    changed = DeployResult(uploaded=["files/a*b/notes.txt", "files/star*", "files/two**.txt"])
    urls = PurgeList(tmp_path, base, "s3://bucket").urls(changed)
    assert plan("E1", urls, base).paths == (
        "/ne%2Aws/files/a%2Ab/notes.txt",
        "/ne%2Aws/files/star%2A",
        "/ne%2Aws/files/two%2A%2A.txt",
    )
    assert plan("E1", [f"{base}{n}/" for n in range(501)], base).paths == ("/ne%2Aws/*",), "the one wildcard stays"
