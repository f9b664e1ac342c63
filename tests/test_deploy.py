"""`newsgen deploy` against a real local git repository and moto's S3 server over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from conftest import SiteFactory, article, png, run_cli
from newsgen.engine.search import SEARCH_FOLDER

boto3 = pytest.importorskip("boto3")


class S3Client(Protocol):
    """The calls these tests make on boto3's S3 client (boto3 ships no type hints; replies are plain dicts)."""

    def list_buckets(self) -> dict[str, Any]: ...
    def list_objects_v2(self, *, Bucket: str, Prefix: str = "") -> dict[str, Any]: ...
    def head_object(self, *, Bucket: str, Key: str) -> dict[str, Any]: ...
    def create_bucket(self, *, Bucket: str) -> dict[str, Any]: ...
    def delete_bucket(self, *, Bucket: str) -> dict[str, Any]: ...
    def delete_object(self, *, Bucket: str, Key: str) -> dict[str, Any]: ...


@pytest.fixture
def built_site(make_site: SiteFactory, capsys: pytest.CaptureFixture[str]) -> Path:
    site = make_site(
        {
            "newsgen.yaml": "base_url: https://news.example.org/\ncname: news.example.org\n"
            "deploy: {pages: 'git+file:///nowhere', production: 's3://site-bucket'}\n",
            "content/2025-01-16-ferry.md": article(
                "headline: Ferry\ndek: D.\ndate: 2025-01-16\nimage: {src: /p.png, alt: P}"
            ),
            "static/p.png": png(40, 20),
            "content/2025-01-17-bridge.md": article("headline: Bridge\ndek: D.\ndate: 2025-01-17"),
        }
    )
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    return site


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_git_deploy_push_no_change_change_and_cname(
    built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "pages.git"
    git("init", "-q", "--bare", str(remote))
    destination = f"git+file://{remote}"
    code, out, err = run_cli(["deploy", destination, "--source", str(built_site)], capsys)
    assert code == 0, err
    files = set(git("--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert {"index.html", "2025/01/16/ferry/index.html", ".nojekyll", "CNAME", "feed.xml"} <= files
    assert ".newsgen-build" not in files and ".newsgen-schedule.json" not in files
    assert git("--git-dir", str(remote), "show", "gh-pages:CNAME") == "news.example.org\n"
    first = git("--git-dir", str(remote), "rev-parse", "gh-pages")

    code, out, _ = run_cli(["deploy", destination, "--source", str(built_site)], capsys)
    assert code == 0 and out.startswith("0 uploaded")
    assert git("--git-dir", str(remote), "rev-parse", "gh-pages") == first, "no commit when nothing changed"

    (built_site / "content/2025-01-17-bridge.md").unlink()
    assert run_cli(["build", "--source", str(built_site)], capsys)[0] == 0
    code, out, _ = run_cli(["deploy", destination, "--source", str(built_site), "--branch", "gh-pages"], capsys)
    after = set(git("--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages").split())
    deleted = files - after  # the story's page, and the search index's parts that held it
    assert {name for name in deleted if not name.startswith(SEARCH_FOLDER)} == {"2025/01/17/bridge/index.html"}
    assert code == 0 and out.splitlines()[0].endswith(f", {len(deleted)} deleted")
    assert "2025/01/16/ferry/index.html" in after
    assert git("--git-dir", str(remote), "rev-parse", "gh-pages^") == first
    urls = (built_site / ".newsgen-cache/changed-urls.txt").read_text().split()
    assert "https://news.example.org/2025/01/17/bridge/" in urls and "https://news.example.org/" in urls


def test_git_deploy_to_unreachable_remote_is_one_line(
    built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["deploy", f"git+file://{tmp_path}/missing.git", "--source", str(built_site)], capsys)
    assert code == 1 and err.startswith("newsgen: error: cannot reach") and err.count("\n") == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_moto(**env: str) -> tuple[subprocess.Popen[bytes], str]:
    """moto's standalone S3 server on loopback, spoken to over real HTTP."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server, endpoint = start_moto()
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3Client:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client: S3Client = boto3.client("s3", endpoint_url=s3_endpoint)
    for bucket in client.list_buckets()["Buckets"]:
        for item in client.list_objects_v2(Bucket=bucket["Name"]).get("Contents", []):
            client.delete_object(Bucket=bucket["Name"], Key=item["Key"])
        client.delete_bucket(Bucket=bucket["Name"])
    client.create_bucket(Bucket="site-bucket")
    return client


def keys(client: S3Client, prefix: str = "") -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket="site-bucket", Prefix=prefix).get("Contents", [])}


def test_s3_deploy_uploads_everything_then_nothing_then_deletes(
    built_site: Path, s3: S3Client, s3_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["deploy", "s3://site-bucket/news", "--source", str(built_site), "--endpoint-url", s3_endpoint]
    code, out, err = run_cli(args, capsys)
    assert code == 0, err
    local = {p.relative_to(built_site / "build").as_posix() for p in (built_site / "build").rglob("*") if p.is_file()}
    local -= {".newsgen-build", ".newsgen-schedule.json"}
    assert keys(s3) == {f"news/{name}" for name in local}
    assert out.startswith(f"{len(local)} uploaded, 0 unchanged, 0 deleted")
    head = s3.head_object(Bucket="site-bucket", Key="news/index.html")
    assert head["ContentType"] == "text/html; charset=utf-8" and head["CacheControl"] == "public, max-age=300"
    assert (
        s3.head_object(Bucket="site-bucket", Key="news/theme/newsgen.css")["ContentType"] == "text/css; charset=utf-8"
    )
    assert (
        s3.head_object(Bucket="site-bucket", Key="news/feed.xml")["ContentType"] == "application/rss+xml; charset=utf-8"
    )
    copy = sorted(name for name in local if name.startswith("img/") and name.endswith(".webp"))[0]
    head = s3.head_object(Bucket="site-bucket", Key=f"news/{copy}")
    assert head["ContentType"] == "image/webp" and head["CacheControl"] == "public, max-age=31536000, immutable"

    code, out, _ = run_cli(args, capsys)
    assert code == 0 and out.startswith(f"0 uploaded, {len(local)} unchanged, 0 deleted")

    (built_site / "content/2025-01-17-bridge.md").unlink()
    assert run_cli(["build", "--source", str(built_site)], capsys)[0] == 0
    code, out, _ = run_cli([*args, "--dry-run", "--delete"], capsys)
    assert code == 0 and "delete 2025/01/17/bridge/index.html" in out and "would be deleted" in out
    assert "news/2025/01/17/bridge/index.html" in keys(s3), "a dry run changes nothing"
    code, out, _ = run_cli(args, capsys)
    assert "news/2025/01/17/bridge/index.html" in keys(s3), "without --delete nothing is removed"
    code, out, _ = run_cli([*args, "--delete"], capsys)
    assert code == 0 and "news/2025/01/17/bridge/index.html" not in keys(s3)
    assert "news/2025/01/16/ferry/index.html" in keys(s3)


def test_named_destination_and_missing_bucket(
    built_site: Path, s3: S3Client, s3_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        ["deploy", "production", "--source", str(built_site), "--endpoint-url", s3_endpoint], capsys
    )
    assert code == 0, err
    assert "index.html" in keys(s3)
    code, _, err = run_cli(
        ["deploy", "s3://no-such-bucket", "--source", str(built_site), "--endpoint-url", s3_endpoint], capsys
    )
    assert code == 1 and err == "newsgen: error: s3://no-such-bucket: no such bucket\n"


def test_refuses_missing_failed_or_empty_builds(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    site = make_site({"content/a.md": article("headline: A\ndek: D.\ndate: 2025-01-01")})
    code, _, err = run_cli(["deploy", "s3://site-bucket", "--source", str(site)], capsys)
    assert code == 1 and "run newsgen build first" in err
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    (site / "content/a.md").write_text("broken")
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 1
    code, _, err = run_cli(["deploy", "s3://site-bucket", "--source", str(site)], capsys)
    assert code == 1 and "the last newsgen build failed" in err
    empty = tmp_path / "empty-build"
    empty.mkdir()
    (empty / ".newsgen-build").write_text("x")
    code, _, err = run_cli(["deploy", "s3://site-bucket", "--source", str(site), "--output", str(empty)], capsys)
    assert code == 1 and "the build is empty" in err


def test_bad_credentials_are_one_line(
    built_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, endpoint = start_moto(INITIAL_NO_AUTH_ACTION_COUNT="0")  # this server checks access keys
    try:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        code, _, err = run_cli(
            ["deploy", "s3://site-bucket", "--source", str(built_site), "--endpoint-url", endpoint], capsys
        )
        assert code == 1 and "Traceback" not in err
        assert (
            err
            == "newsgen: error: s3://site-bucket: the credentials were refused (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_unreachable_endpoint_is_one_line(
    built_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    endpoint = f"http://127.0.0.1:{free_port()}"
    code, _, err = run_cli(
        ["deploy", "s3://site-bucket", "--source", str(built_site), "--endpoint-url", endpoint], capsys
    )
    assert code == 1 and err.startswith("newsgen: error: s3://site-bucket: Could not connect") and err.count("\n") == 1


def test_s3_keys_of_a_unicode_site_are_its_decoded_paths_and_a_second_deploy_uploads_nothing(
    make_site: SiteFactory, s3: S3Client, s3_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(
        {
            "newsgen.yaml": "base_url: https://news.example.org/\nslugs: unicode\n",
            "content/2025-01-16-أخبار.md": article("headline: أخبار\ndek: D.\ndate: 2025-01-16\nauthors: [ليلى حسن]"),
            "static/صور/شعار.png": png(40, 20),
        }
    )
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    args = ["deploy", "s3://site-bucket", "--source", str(site), "--endpoint-url", s3_endpoint]
    code, out, err = run_cli(args, capsys)
    assert code == 0, err
    uploaded = keys(s3)
    assert {"2025/01/16/أخبار/index.html", "authors/ليلى-حسن/index.html", "صور/شعار.png"} <= uploaded
    assert all(unicodedata.is_normalized("NFC", key) and "%" not in key for key in uploaded)
    head = s3.head_object(Bucket="site-bucket", Key="authors/ليلى-حسن/index.html")
    assert head["ContentType"] == "text/html; charset=utf-8"
    assert s3.head_object(Bucket="site-bucket", Key="صور/شعار.png")["ContentType"] == "image/png"
    code, out, _ = run_cli(args, capsys)
    assert code == 0 and out.startswith(f"0 uploaded, {len(uploaded)} unchanged, 0 deleted")
