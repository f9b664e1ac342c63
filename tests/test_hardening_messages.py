"""Issue 25: messages are one line each, and never show a URL's credentials."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import SiteFactory, article, digests, png, run_cli

STORY = {
    "newsgen.yaml": "base_url: https://news.example.org/\n",
    "content/2025-01-16-ferry.md": article("headline: Ferry\ndek: D.\ndate: 2025-01-16"),
}
TOKEN = "ghp_SECRET0123456789"
UNREACHABLE = f"https://x-access-token:{TOKEN}@127.0.0.1:9/o/r.git"  # the discard port: nothing listens


@pytest.mark.parametrize(
    ("destination", "yaml"),
    [
        (f"git+{UNREACHABLE}", ""),
        ("live", f"deploy: {{live: 'git+{UNREACHABLE}'}}\n"),
        (f"git+https://x:{TOKEN}@-host/o/r.git", ""),
        (f"s3://AKIAEXAMPLE:{TOKEN}@site-bucket", ""),
        (f"https://x-access-token:{TOKEN}@github.com/o/r.git", ""),
        ("live", f"deploy: {{live: 'https://x-access-token:{TOKEN}@github.com/o/r.git'}}\n"),
    ],
    ids=["unreachable", "named-unreachable", "refused-remote", "s3-userinfo", "unknown-form", "named-unknown-form"],
)
def test_deploy_never_prints_the_credentials_a_destination_carries(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], destination: str, yaml: str
) -> None:
    site = make_site(dict(STORY))
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    (site / "newsgen.yaml").write_text("base_url: https://news.example.org/\n" + yaml)
    code, out, err = run_cli(["deploy", destination, "--source", str(site)], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert TOKEN not in out + err and "://***@" in err


def test_a_shared_cache_warning_never_prints_the_credentials_its_endpoint_carries(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_MAX_ATTEMPTS", "1"),
    ]:
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    settings = f"cache: s3://team-cache/news\ncache_endpoint_url: http://minio:{TOKEN}@127.0.0.1:9\n"
    site = make_site({**STORY, "newsgen.yaml": "base_url: https://news.example.org/\n" + settings})
    code, out, err = run_cli(["build", "--source", str(site)], capsys)
    warnings = [line for line in err.splitlines() if "cache s3://" in line]
    assert code == 0 and len(warnings) == 1 and "Could not connect" in warnings[0], err
    assert TOKEN not in out + err and "://***@127.0.0.1:9" in warnings[0]


def test_compare_sitemap_never_prints_the_credentials_of_the_old_sitemaps_url(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(dict(STORY))
    old = f"http://editor:{TOKEN}@127.0.0.1:9/sitemap.xml"
    code, out, err = run_cli(["check", "--source", str(site), "--compare-sitemap", old], capsys)
    assert code == 1 and "http:/***@127.0.0.1:9/sitemap.xml:1: error: sitemap: cannot read it" in out
    assert TOKEN not in out + err


def test_serve_on_a_port_that_is_taken_says_so_in_one_line(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(dict(STORY))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run_cli(["serve", "--source", str(site), "--port", str(port)], capsys)
    assert code == 1 and "Serving" not in out
    assert err == f"newsgen: error: cannot serve on 127.0.0.1:{port}: Address already in use\n"


class _FullDisk:
    """A file on a full disk: it opens, and every write fails as the system says it."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *_: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def write(self, _: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("full", ["lock file exists", "lock file can't be made"])
def test_deploy_on_a_full_disk_deploys_or_says_which_file_in_one_line(
    make_site: SiteFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    full: str,
) -> None:
    """The lock names its holder in its file; on a full disk the lock holds all the same, or its file is named."""
    site = make_site(dict(STORY))
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    remote = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)

    def full_disk_open(path: Path, *args: Any, **kwargs: Any) -> Any:
        if full == "lock file can't be made":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return _FullDisk(open(path, *args, **kwargs))

    monkeypatch.setattr("newsgen.engine.output.lock.open", full_disk_open, raising=False)
    code, out, err = run_cli(["deploy", f"git+file://{remote}", "--source", str(site)], capsys)
    if full == "lock file exists":
        assert code == 0 and not err and out.startswith(f"{len(published(site)) + 1} uploaded")  # and .nojekyll
    else:
        assert code == 1 and err == f"newsgen: error: {site / '.build.lock'}: No space left on device\n"


def published(site: Path) -> list[Path]:
    return [path for path in (site / "build").rglob("*") if path.is_file() and not path.name.startswith(".newsgen")]


def test_a_build_on_a_full_disk_names_the_file_it_could_not_write(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write to a full disk fails with "No space left on device" and no file name of its own: the build adds it."""
    site = make_site(dict(STORY))
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    before = digests(site / "build")
    story = site / "content/2025-01-16-ferry.md"
    story.write_text(story.read_text().replace("headline: Ferry", "headline: Ferry returns"))
    real_write_bytes = Path.write_bytes

    def full_disk(path: Path, data: Any) -> int:
        if ".build.new-" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a write() that found no room raises it
        return real_write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    code, _, err = run_cli(["build", "--source", str(site)], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith(f"newsgen: error: {site}/.build.new-") and err.endswith(": No space left on device\n")
    assert digests(site / "build") == before


def test_resizing_images_on_a_full_disk_names_the_copy_it_could_not_write(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    site = make_site(
        {
            **STORY,
            "content/2025-01-17-pier.md": article(
                "headline: Pier\ndek: D.\ndate: 2025-01-17\nimage: {src: /p.png, alt: P}"
            ),
            "static/p.png": png(1600, 900),
        }
    )

    def full_disk(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Image.Image, "save", full_disk)
    code, _, err = run_cli(["build", "--source", str(site), "--jobs", "1"], capsys)
    assert code == 1 and err.count("\n") == 1, err
    assert err.startswith(f"newsgen: error: {site}/.newsgen-cache/") and err.endswith(": No space left on device\n")
