"""`newsgen build --full` trusts nothing it kept: every page is rendered and compared with the bytes on disk."""

from __future__ import annotations

import os

import pytest

from conftest import SiteFactory, article, run_cli


def test_full_repairs_a_file_changed_by_hand_even_with_its_size_and_time_kept(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"content/2025-01-16-ferry.md": article("headline: Ferry fares frozen\ndate: 2025-01-16")})
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    page = site / "build/2025/01/16/ferry/index.html"
    good = page.read_bytes()
    info = page.stat()
    page.write_bytes(good.replace(b"Ferry fares frozen", b"Ferry fares FROZEN"))  # same size
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the same time: only the bytes say
    assert run_cli(["build", "--source", str(site)], capsys)[0] == 0
    assert page.read_bytes() != good, "an ordinary build trusts the manifest"
    code, out, _ = run_cli(["build", "--source", str(site), "--full"], capsys)
    assert code == 0 and page.read_bytes() == good and "1 files written" in out
