"""Issue 17, deploy: mass deletion needs consent, git remotes cannot smuggle options, an interrupted deploy's
URLs are still purged, and a rejected push or a full disk says what happened and where."""

from __future__ import annotations

import errno
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

import test_deploy
from conftest import SiteFactory, article, run_cli
from newsgen.deploy import DeployError
from newsgen.deploy.gitremote import validate_remote
from newsgen.engine.search import named_by_content
from test_deploy import S3Client, git, keys

boto3 = pytest.importorskip("boto3")

# test_deploy's fixtures: a built site with a CNAME and named destinations, and moto's S3 server over HTTP.
built_site, s3, s3_endpoint = test_deploy.built_site, test_deploy.s3, test_deploy.s3_endpoint


def built_files(site: Path) -> set[str]:
    build = site / "build"
    return {p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file()} - {
        ".newsgen-build",
        ".newsgen-schedule.json",
    }


def test_delete_refuses_to_remove_more_than_the_limit_without_allow_mass_delete(
    built_site: Path, s3: S3Client, s3_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["deploy", "s3://site-bucket/news", "--source", str(built_site), "--endpoint-url", s3_endpoint]
    assert run_cli(args, capsys)[0] == 0
    client: Any = s3
    for number in range(60):  # a build that lost most of its articles, seen from the bucket
        client.put_object(Bucket="site-bucket", Key=f"news/old/{number}/index.html", Body=b"old")
    remote = len(keys(s3))
    assert remote > 60 and 60 > max(50, remote // 10)

    code, out, err = run_cli([*args, "--delete"], capsys)
    assert code == 1 and err.count("\n") == 1 and "--allow-mass-delete" in err
    assert f"60 of the {remote} files" in err
    assert len(keys(s3, "news/old/")) == 60, "nothing was deleted"

    code, out, err = run_cli([*args, "--delete", "--dry-run"], capsys)
    assert code == 0, err
    assert "60 would be deleted" in out and "--allow-mass-delete" in out.splitlines()[-1]
    assert len(keys(s3, "news/old/")) == 60

    code, out, err = run_cli([*args, "--delete", "--allow-mass-delete"], capsys)
    assert code == 0, err
    assert out.startswith("0 uploaded") and ", 60 deleted" in out and keys(s3, "news/old/") == set()


def test_git_deploy_refuses_to_empty_the_branch_without_allow_mass_delete(
    built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "pages.git"
    git("init", "-q", "--bare", str(remote))
    destination = ["deploy", f"git+file://{remote}", "--source", str(built_site)]
    assert run_cli(destination, capsys)[0] == 0
    clone = tmp_path / "clone"
    git("clone", "-q", "--branch", "gh-pages", str(remote), str(clone))
    for number in range(60):
        (clone / f"old-{number}.html").write_text("old")
    git("add", "-A", cwd=clone)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "old pages", cwd=clone)
    git("push", "-q", "origin", "gh-pages", cwd=clone)
    before = git("--git-dir", str(remote), "rev-parse", "gh-pages")

    code, _, err = run_cli(destination, capsys)
    assert code == 1 and err.count("\n") == 1 and "--allow-mass-delete" in err
    assert git("--git-dir", str(remote), "rev-parse", "gh-pages") == before
    code, out, err = run_cli([*destination, "--allow-mass-delete"], capsys)
    assert code == 0 and ", 60 deleted" in out, err


def test_git_remote_cannot_carry_options(
    make_site: SiteFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    site = make_site(
        {
            "newsgen.yaml": f"base_url: https://news.example.org/\ndeploy: {{evil: 'git+--upload-pack=touch {marker};false'}}\n",
            "content/a.md": article("headline: A\ndek: D.\ndate: 2025-01-01"),
        }
    )
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    for destination in (
        f"git+--upload-pack=touch {marker};false",
        "evil",
        f"git+ext::sh -c touch% {marker}",
        f"git+-oProxyCommand=touch {marker}:x",
    ):
        code, _, err = run_cli(["deploy", destination, "--source", str(site), "--dry-run"], capsys)
        assert code == 1 and err.startswith("newsgen: error: ") and err.count("\n") == 1, (destination, err)
        assert not marker.exists(), f"{destination} ran a command"


@pytest.mark.parametrize(
    "remote",
    [
        "ssh://git@github.com/org/site.git",
        "ssh://git@host.example:2222/srv/site.git",
        "https://github.com/org/site.git",
        "file:///srv/site.git",
        "git@github.com:org/site.git",
        "deploy.example.org:site.git",
        "git@[2001:db8::1]:site.git",
    ],
)
def test_ordinary_git_remotes_are_accepted(remote: str) -> None:
    validate_remote(remote)


@pytest.mark.parametrize(
    "remote",
    [
        "--upload-pack=touch /tmp/x;false",
        "-oProxyCommand=x:y",
        "ext::sh -c touch% /tmp/x",
        "fd::17",
        "http://example.org/site.git",
        "ftp://example.org/site.git",
        "/srv/site.git",
        "ssh://-oProxyCommand=x/site.git",
        "ssh://git@-host/site.git",
        "https:///site.git",
        "git@github.com:org/site.git\n--upload-pack=x",
        "",
    ],
)
def test_other_git_remotes_are_refused(remote: str) -> None:
    with pytest.raises(DeployError):
        validate_remote(remote)


def test_an_interrupted_s3_deploy_still_purges_what_it_sent(
    built_site: Path,
    s3: S3Client,
    s3_endpoint: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_client = boto3.client
    sent: list[str] = []
    lock = threading.Lock()

    def killed_after_five_uploads(*args: Any, **kwargs: Any) -> Any:
        client = make_client(*args, **kwargs)
        put_object = client.put_object

        def put(**request: Any) -> Any:
            with lock:
                if len(sent) == 5:
                    raise KeyboardInterrupt  # Ctrl-C, or the CI runner's kill, halfway through
                sent.append(request["Key"])
            return put_object(**request)

        client.put_object = put
        return client

    args = ["deploy", "s3://site-bucket", "--source", str(built_site), "--endpoint-url", s3_endpoint]
    monkeypatch.setattr(boto3, "client", killed_after_five_uploads)
    with pytest.raises(KeyboardInterrupt):
        run_cli(args, capsys)
    assert len(keys(s3)) == 5
    monkeypatch.setattr(boto3, "client", make_client)

    code, out, err = run_cli(args, capsys)
    assert code == 0, err
    files = built_files(built_site)
    assert out.startswith(f"{len(files) - 5} uploaded, 5 unchanged")
    urls = set((built_site / ".newsgen-cache/changed-urls.txt").read_text().split())
    for key in (key for key in sent if not named_by_content(key)):  # the search index's hashed parts need none
        page = key.removesuffix("index.html")
        assert f"https://news.example.org/{page}" in urls, f"{key} was sent by the killed run and never purged"
    assert len(urls) == len([name for name in files if not named_by_content(name)])

    code, out, _ = run_cli(args, capsys)
    assert code == 0 and out.startswith("0 uploaded")
    assert (built_site / ".newsgen-cache/changed-urls.txt").read_text() == "", "a completed deploy clears the list"


def test_a_rejected_push_shows_the_remote_hook_message(
    built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "pages.git"
    git("init", "-q", "--bare", str(remote))
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'Publishing is frozen until the 6 pm edition closes.' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, _, err = run_cli(["deploy", f"git+file://{remote}", "--source", str(built_site)], capsys)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "Publishing is frozen until the 6 pm edition closes." in err
    assert "pre-receive hook declined" in err


def test_a_full_disk_names_the_path(
    built_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = tmp_path / "pages.git"
    git("init", "-q", "--bare", str(remote))

    def full_disk(source: Any, target: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a failed write reports it: no file name

    monkeypatch.setattr(shutil, "copyfile", full_disk)
    code, _, err = run_cli(["deploy", f"git+file://{remote}", "--source", str(built_site)], capsys)
    assert code == 1 and err.count("\n") == 1
    assert "newsgen-deploy-" in err and "No space left on device" in err and "[Errno" not in err
