"""The preview server's pure parts: path resolution, script injection, the error page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsgen.mediatypes import content_type
from newsgen.preview.server import error_page, inject_script, resolve_request


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "out"
    (site / "news/story").mkdir(parents=True)
    (site / "news/story/index.html").write_text("<html><body>story</body></html>")
    (site / "index.html").write_text("home")
    (site / "autores/ليلى-حسن").mkdir(parents=True)
    (site / "autores/ليلى-حسن/index.html").write_text("layla")
    (site / "tags/política").mkdir(parents=True)
    (site / "tags/política/index.html").write_text("politica")
    (site / ".newsgen-build").write_text("marker")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", site / "leak.txt")
    os.symlink(tmp_path, site / "leakdir")
    return site


TRAVERSALS = [
    "/../secret.txt",
    "/news/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2e%2e/etc/passwd",
    "/..%2fsecret.txt",
    "/news%2f..%2f..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/../secret.txt",
    "/leak.txt",
    "/leakdir/secret.txt",
    "/leakdir/",
    "/%00",
    "/index.html%00.txt",
    "/.newsgen-build",
    "secret.txt",
    "/%D9%84%D9%8A%D9%84%D9%89/../../secret.txt",
    "/caf%C3%A9%2f..%2f..%2fsecret.txt",
    "/%E2%80%AE/%2e%2e/secret.txt",
    "/%EF%BC%8E%EF%BC%8E/secret.txt",
    "/‮../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_nothing_outside_the_output_folder_is_served(root: Path, target: str) -> None:
    resolved = resolve_request(root, target)
    assert resolved.file is None and resolved.redirect is None


def test_unicode_paths_are_served_as_browsers_send_them(root: Path) -> None:
    layla = (root / "autores/ليلى-حسن/index.html").resolve()
    assert resolve_request(root, "/autores/%D9%84%D9%8A%D9%84%D9%89-%D8%AD%D8%B3%D9%86/").file == layla
    assert resolve_request(root, "/autores/ليلى-حسن/").file == layla
    encoded = "/autores/%D9%84%D9%8A%D9%84%D9%89-%D8%AD%D8%B3%D9%86"
    assert resolve_request(root, encoded).redirect == encoded + "/"
    politica = (root / "tags/política/index.html").resolve()
    assert resolve_request(root, "/tags/poli%CC%81tica/").file == politica, "an NFD request finds the NFC file"


def test_folders_redirect_to_slash_and_serve_their_index(root: Path) -> None:
    assert resolve_request(root, "/news/story").redirect == "/news/story/"
    assert resolve_request(root, "/news/story?x=1").redirect == "/news/story/?x=1"
    assert resolve_request(root, "/news/story/").file == (root / "news/story/index.html").resolve()
    assert resolve_request(root, "/").file == (root / "index.html").resolve()
    assert resolve_request(root, "/missing/").file is None


def test_redirect_never_points_off_site(root: Path) -> None:
    (root / "evil.com").mkdir()
    assert resolve_request(root, "///evil.com").redirect == "/evil.com/"
    assert resolve_request(root, "//evil.com").redirect is None


def test_script_goes_before_the_last_body_end_with_escaped_attributes() -> None:
    page = b"<html><body><p>&lt;/body&gt;</p></BODY>\n</html>"
    injected = inject_script(page, {"page": 'a"<b>.html', "build": "3"})
    head, tail = injected.split(b"<script ", 1)
    assert head == b"<html><body><p>&lt;/body&gt;</p>"
    assert tail.startswith(b'data-page="a&quot;&lt;b&gt;.html" data-build="3">')
    assert injected.endswith(b"</script>\n</BODY>\n</html>")
    assert b"EventSource" in injected


def test_script_is_appended_when_there_is_no_body_end() -> None:
    assert inject_script(b"<p>fragment</p>", {"page": ""}).startswith(b"<p>fragment</p><script ")


def test_error_page_escapes_problem_text() -> None:
    page = error_page(("content/a.md:3: headline: <script>alert(1)</script>",))
    assert b"<script>alert" not in page and b"content/a.md:3: headline: &lt;script&gt;" in page


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.html", "text/html; charset=utf-8"),
        ("s.css", "text/css; charset=utf-8"),
        ("p.JPG", "image/jpeg"),
        ("f.xml", "application/xml"),
        ("x.unknownext", "application/octet-stream"),
    ],
)
def test_content_types(name: str, expected: str) -> None:
    assert content_type(Path(name)) == expected
