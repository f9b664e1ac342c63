"""Issue 25, files a page names: each is read only when it is the site's to publish, bounded, and without blocking.

Items 3 (unbounded reads: /dev/zero, a FIFO), 4 (links to hidden files), 8
(image bombs and the memory of resizing), 15 (an image that can't be decoded)
and the low item of a static file with a line break in its name.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import textwrap
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from conftest import SiteFactory, article, run_cli
from newsgen.read.safeopen import RefusedFile, read_site_file

GOOD = article("headline: Good story\ndek: All is well.\ndate: 2025-01-10\n")


def story(body: str, front_matter: str = "") -> str:
    return article(f"headline: Harbour\ndek: Boats.\ndate: 2025-01-10\n{front_matter}", body)


def jpeg(width: int, height: int) -> bytes:
    buffer = BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares `width` x `height` pixels, with a few bytes of image data: a bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def limited_check(
    site: Path, *args: str, memory: int = 2 << 30, seconds: float = 30
) -> subprocess.CompletedProcess[str]:
    """`newsgen check` in a child process with at most `memory` bytes of address space: an unbounded read (the
    code before this fix) ends in a MemoryError or the timeout, never in this machine's memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "newsgen", "check", "--source", ".", *args],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=seconds,
        preexec_fn=limit,  # noqa: PLW1509 - the child runs only newsgen
        check=False,
    )


def problem_lines(text: str, prefix: str = "content/") -> list[str]:
    return [line for line in text.splitlines() if line.startswith(prefix)]


# Item 3: reading a "file" is unbounded.


def test_a_body_image_naming_dev_zero_is_one_line_not_a_memory_error(make_site: SiteFactory) -> None:
    climb = "../" * 12
    site = make_site({"content/bad.md": story(f"Text.\n\n![a]({climb}dev/zero)\n"), "content/2025-01-10-good.md": GOOD})
    done = limited_check(site)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert done.returncode == 1
    [line] = problem_lines(done.stdout)
    assert line.startswith("content/bad.md:8: error: body: image '../") and "dev/zero" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_beside_an_article_is_one_line_not_a_hang(make_site: SiteFactory) -> None:
    site = make_site({"content/x/bad.md": story("Text.\n\n![A pipe](pipe.jpg)\n"), "content/2025-01-10-good.md": GOOD})
    os.mkfifo(site / "content/x/pipe.jpg")
    done = limited_check(site, seconds=20)  # the code before this fix waited for a writer for ever
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert problem_lines(done.stdout) == [
        "content/x/bad.md:8: error: body: image 'pipe.jpg': pipe.jpg is a FIFO, not a regular file; it is not read"
    ]


def test_the_safe_open_helper_reads_only_regular_files_of_the_site_under_the_limit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / ".git").mkdir()
    (site / ".git/config").write_text("token")
    (site / "static/photo.jpg").write_bytes(b"12345")
    (site / "static/config").symlink_to("../.git/config")
    (site / "static/zero").symlink_to("/dev/zero")
    assert read_site_file(site, site / "static/photo.jpg") == b"12345"
    refusals = {
        "static/config": "is hidden ('.git' in its path)",
        "static/zero": "is outside the site",
        ".git/config": "is hidden ('.git' in its path)",
        "static": "is a folder, not a regular file",
        "static/missing.jpg": "can't be read (No such file or directory)",
    }
    for name, reason in refusals.items():
        with pytest.raises(RefusedFile) as refused:
            read_site_file(site, site / name)
        assert refused.value.reason.startswith(reason) and "\n" not in str(refused.value)
    with pytest.raises(RefusedFile, match=r"is 5 bytes, over the limit of 4"):
        read_site_file(site, site / "static/photo.jpg", limit=4)


# Item 4: links under static/ to hidden files and newsgen's own folders.


def test_links_to_hidden_files_and_newsgens_own_folders_are_never_published(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(
        {
            "content/2025-01-10-good.md": GOOD,
            ".git/config": "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
            ".env": "API_KEY=secret\n",
            ".newsgen-cache/articles.sqlite": "pickles",
            "static/public.txt": "fine\n",
        }
    )
    for name, target in {
        "x.txt": "../.git/config",
        "env.txt": "../.env",
        "cache": "../.newsgen-cache",
        "git": "../.git",
        "pickles.txt": "../.newsgen-cache/articles.sqlite",
        "again.txt": "public.txt",
    }.items():
        (site / "static" / name).symlink_to(target)
    monkeypatch.chdir(site)
    code, _, err = run_cli(["build", "--source", "."], capsys)
    assert code == 0, err
    published = {path.relative_to(site / "build").as_posix() for path in (site / "build").rglob("*")}
    assert {"public.txt", "again.txt"} <= published
    assert not {"x.txt", "env.txt", "cache", "git", "pickles.txt"} & {name.split("/")[0] for name in published}
    warned = sorted(line.split(":")[0] for line in problem_lines(err, "static/") if "not followed" in line)
    assert warned == ["static/cache", "static/env.txt", "static/git", "static/pickles.txt", "static/x.txt"]


def test_a_hidden_image_beside_an_article_is_not_published(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/x/bad.md": story("Text.\n\n![A photo](.private.jpg)\n"), ".private": ""})
    (site / "content/x/.private.jpg").write_bytes(jpeg(40, 30))
    monkeypatch.chdir(site)
    code, out, _ = run_cli(["check", "--source", "."], capsys)
    assert code == 1
    assert [line for line in out.splitlines() if "private" in line] == [
        "content/x/bad.md:8: error: body: image '.private.jpg': .private.jpg is hidden ('.private.jpg' in its path);"
        " hidden files are never read or published"
    ]


# Item 8: image bombs.


def test_an_image_bomb_is_one_line_and_keep_going_publishes_the_rest(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = "image: {src: /images/bomb.png, alt: A bomb}\n"
    site = make_site(
        {
            "content/bad.md": story("Text.\n", lead),
            "content/x/body.md": story("Text.\n\n![A bomb](bomb.png)\n"),
            "content/x/bomb.png": png_header(20000, 20000),
            "content/2025-01-10-good.md": GOOD,
            "static/images/bomb.png": png_header(20000, 20000),
        }
    )
    monkeypatch.chdir(site)
    code, _, err = run_cli(["build", "--source", ".", "--keep-going"], capsys)
    assert code == 3 and "Traceback" not in err and "DecompressionBomb" not in err
    limit = "is 20,000×20,000 pixels, over the limit of 200,000,000; scale it down before publishing it"
    assert f"content/bad.md:5: image.src: bomb.png {limit}" in err
    assert f"content/x/body.md:8: body: image 'bomb.png': bomb.png {limit}" in err
    assert (site / "build/2025/01/10/good/index.html").is_file()


@pytest.mark.slow
def test_resizing_a_13000_pixel_square_jpeg_stays_within_a_few_hundred_mb(tmp_path: Path) -> None:
    """The copies of a lead photo at the issue's size are made under a memory limit a whole decode (507 MB) breaks."""
    Image.new("RGB", (13000, 13000), (20, 90, 140)).save(tmp_path / "lead.jpg", "JPEG")
    script = textwrap.dedent(
        f"""
        import resource
        from pathlib import Path
        from PIL import Image, ImageOps
        from newsgen.body.renditions import ImageSettings, plan_renditions, with_crops
        from newsgen.engine import imaging

        source = Path({str(tmp_path / "lead.jpg")!r})
        settings = ImageSettings(formats=())
        copies = with_crops(plan_renditions(source, "d", (13000, 13000), "JPEG", settings), None)
        size = int(Path("/proc/self/status").read_text().split("VmSize:")[1].split()[0]) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size + (300 << 20), size + (300 << 20)))
        print(imaging._make(copies, Path({str(tmp_path / "images")!r})))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "None", done.stdout + done.stderr
    with Image.open(next((tmp_path / "images").rglob("1280.jpg"))) as copy:
        assert copy.size == (1280, 1280)


# Item 15: an image Pillow can't decode.


def test_an_image_that_cannot_be_decoded_is_published_as_it_is_with_a_warning(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = jpeg(1500, 1000)[:2000]  # the header says 1500 x 1000; the pixels stop early
    site = make_site(
        {
            "content/2025-01-10-harbour.md": story("Text.\n\n![The harbour](/images/wide.jpg)\n"),
            "static/images/wide.jpg": broken,
        }
    )
    monkeypatch.chdir(site)
    for keep_going in ([], ["--keep-going"]):
        code, _, err = run_cli(["build", "--source", ".", *keep_going], capsys)
        assert code == 0, err
        [line] = [line for line in err.splitlines() if "wide.jpg" in line]
        assert line.startswith("content/2025-01-10-harbour.md:8: warning: body: image '/images/wide.jpg': wide.jpg")
        assert "can't be decoded (image file is truncated" in line and "without resized copies" in line
        assert (site / "build/images/wide.jpg").read_bytes() == broken
        html = (site / "build/2025/01/10/harbour/index.html").read_text()
        assert 'src="/images/wide.jpg"' in html and "srcset" not in html
    code, out, _ = run_cli(["check", "--source", ".", "--strict"], capsys)
    assert code == 1 and "can't be decoded" in out


# Low: a static file with a line break in its name.


def test_a_static_file_with_a_line_break_in_its_name_is_not_published(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/2025-01-10-good.md": GOOD, "static/a\nb.txt": "x", "static/ab.txt": "y"})
    monkeypatch.chdir(site)
    code, _, err = run_cli(["build", "--source", "."], capsys)
    assert code == 0
    assert sorted(path.name for path in (site / "build").glob("*b.txt")) == ["ab.txt"]
    assert "static/a\\nb.txt:1: warning: file: its name holds a line break or control character" in err


def test_a_loop_of_links_under_static_is_one_warning_not_a_traceback(
    make_site: SiteFactory, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/2025-01-10-good.md": GOOD, "static/ab.txt": "y"})
    (site / "static/loop").symlink_to("loop")  # found by the safe-open fuzz test: pathlib raises RuntimeError
    monkeypatch.chdir(site)
    code, _, err = run_cli(["build", "--source", "."], capsys)
    assert code == 0 and "Traceback" not in err
    assert "static/loop:1: warning: file: symlink loop; skipped" in err and (site / "build/ab.txt").is_file()
