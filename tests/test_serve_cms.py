"""The CMS on the real preview: `POST /api/v1` from the preview's own pages only, `/admin/config.yml` pointing at it,
and a saved story on the preview moments later."""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SiteFactory, article
from newsgen.engine import BuildOptions
from newsgen.preview.adminconfig import with_local_backend
from newsgen.preview.hosts import is_loopback_peer
from newsgen.preview.rebuilds import Preview
from newsgen.preview.server import MAX_CMS_BODY, PreviewServer
from serving import ServeProcess

ADMIN_CONFIG = "backend:\n  name: github\n  repo: herald/site\nmedia_folder: static/images\ncollections: []\n"
ADMIN_PAGE = (
    '<!doctype html><html><head><title>CMS</title></head><body><script src="decap-cms.js"></script></body></html>'
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ServeProcess]]:
    site = tmp_path_factory.mktemp("cms") / "site"
    files = {
        "content/2025-01-16-ferry.md": article("headline: Ferry fares frozen\ndek: D.\ndate: 2025-01-16"),
        "static/admin/config.yml": ADMIN_CONFIG,  # as a build with `cms: decap` publishes them
        "static/admin/index.html": ADMIN_PAGE,
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text)
    server = ServeProcess(site)
    yield site, server
    server.stop()


def post(port: int, body: bytes, headers: dict[str, str] | None = None, path: str = "/api/v1") -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    origin = {"Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/json; charset=utf-8"}
    connection.request("POST", path, body=body, headers={**origin, **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, json.loads(data) if response.getheader("Content-Type", "").startswith(
        "application/json"
    ) else data


def action(port: int, name: str, headers: dict[str, str] | None = None, **params: Any) -> tuple[int, Any]:
    return post(port, json.dumps({"action": name, "params": {"branch": "main", **params}}).encode(), headers)


def persist(port: int, path: str, raw: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    options = {"commitMessage": "Create", "useWorkflow": False, "status": ""}
    data_files = [{"slug": "story", "path": path, "raw": raw}]
    return action(port, "persistEntry", headers, dataFiles=data_files, assets=[], options=options)


def test_the_preview_answers_its_own_pages(served: tuple[Path, ServeProcess]) -> None:
    _, server = served
    line = f"Write and edit in the browser at {server.url}admin/\n"
    deadline = time.monotonic() + 10
    while line not in server.output and time.monotonic() < deadline:  # printed just after "Serving"
        time.sleep(0.05)
    assert line in server.output
    assert action(server.port, "info") == (200, {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"})
    assert action(server.port, "info", {"Origin": ""})[0] == 403, "an empty Origin is not ours"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:1"},
        {"Host": "evil.example"},
        {"Host": "rebound.example:0"},
    ],
)
def test_another_origin_or_host_is_refused_and_writes_nothing(
    served: tuple[Path, ServeProcess], headers: dict[str, str]
) -> None:
    site, server = served
    status, answer = persist(
        server.port, "content/2025-01-17-evil.md", article("headline: X\ndate: 2025-01-17"), headers
    )
    assert status == 403 and answer["error"].startswith("Forbidden")
    assert not (site / "content/2025-01-17-evil.md").exists()


def test_requests_that_are_not_json_or_too_large_are_refused_unread(served: tuple[Path, ServeProcess]) -> None:
    _, server = served
    form = {"Content-Type": "text/plain"}  # what a cross-site form may send without asking first
    assert post(server.port, b'{"action": "info"}', form)[0] == 415
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("POST", "/api/v1")
    for name, value in {"Content-Type": "application/json", "Content-Length": str(MAX_CMS_BODY + 1)}.items():
        connection.putheader(name, value)
    connection.endheaders()  # and no body: it is refused before any is read
    response = connection.getresponse()
    assert response.status == 413 and "MB" in json.loads(response.read())["error"]
    connection.close()
    assert post(server.port, b"{}", path="/elsewhere")[0] == 405


def test_a_large_photo_arrives_whole(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    photo = os.urandom(3 * 1024 * 1024)  # several reads from the socket after the head
    upload = {"path": "static/images/big.jpg", "content": base64.b64encode(photo).decode(), "encoding": "base64"}
    status, stored = action(server.port, "persistMedia", asset=upload, options={"commitMessage": "Upload"})
    assert status == 200 and stored["name"] == "big.jpg"
    assert (site / "static/images/big.jpg").read_bytes() == photo


def test_a_body_cut_short_writes_nothing_and_the_preview_lives_on(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    body = json.dumps({"action": "persistMedia", "params": {"asset": {"path": "static/cut.png"}}}).encode()
    head = f"POST /api/v1 HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        connection.sendall(f"{head}Content-Length: {len(body) + 100}\r\n\r\n".encode() + body)
        connection.shutdown(socket.SHUT_WR)
        assert connection.recv(65536).startswith(b"HTTP/1.0 408 ")
    assert not (site / "static/cut.png").exists()
    assert action(server.port, "info")[0] == 200


def test_the_served_cms_config_points_at_the_preview(served: tuple[Path, ServeProcess]) -> None:
    _, server = served
    status, headers, body = server.request("GET", "/admin/config.yml")
    assert status == 200 and "yaml" in headers["content-type"]
    config = yaml.safe_load(body)
    assert config["local_backend"] == {"url": f"{server.url.rstrip('/')}/api/v1", "allowed_hosts": ["127.0.0.1"]}
    assert config["backend"] == {"name": "github", "repo": "herald/site"}, "the production backend stays for Decap"


def test_the_cms_page_gets_no_live_reload(served: tuple[Path, ServeProcess]) -> None:
    _, server = served
    status, body = server.get("/admin/")
    assert status == 200 and body == ADMIN_PAGE.encode(), "a reload would lose the reporter's unsaved work"
    assert b"EventSource" in server.get("/2025/01/16/ferry/")[1]


def test_a_saved_story_is_on_the_preview_moments_later(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    raw = article("headline: Pier reopens after repairs\ndek: D.\ndate: 2025-01-18")
    saved = time.monotonic()
    assert persist(server.port, "content/2025/01/pier.md", raw) == (200, {"message": "entry persisted"}), (
        "in new folders"
    )
    while time.monotonic() - saved < 10:
        status, body = server.get("/2025/01/18/pier/")
        if status == 200:
            break
        time.sleep(0.05)
    seconds = time.monotonic() - saved
    assert b"<h1>Pier reopens after repairs</h1>" in body
    assert seconds < 2.0, f"the story showed {seconds:.2f} s after the save"


def test_a_saved_alert_is_on_the_preview_moments_later(served: tuple[Path, ServeProcess]) -> None:
    _, server = served
    saved = time.monotonic()
    assert (
        persist(server.port, "alerts.yaml", "alerts:\n  - text: Ferry service suspended\n    level: breaking\n")[0]
        == 200
    )
    while time.monotonic() - saved < 10 and b"Ferry service suspended" not in server.get("/alerts.json")[1]:
        time.sleep(0.05)
    seconds = time.monotonic() - saved
    assert b"Ferry service suspended" in server.get("/alerts.json")[1]
    assert seconds < 2.0, f"the alert showed {seconds:.2f} s after the save"


def test_a_rejected_save_shows_newsgens_line(served: tuple[Path, ServeProcess]) -> None:
    site, server = served
    status, answer = persist(server.port, "content/2025-01-19-bad.md", "---\nheadline: Bad\ndate: soon\n---\nBody.\n")
    assert status == 422 and answer["error"].startswith("content/2025-01-19-bad.md:3: date: not a valid date: 'soon'")
    assert not (site / "content/2025-01-19-bad.md").exists()


def test_a_site_without_a_cms_has_no_api(make_site: SiteFactory) -> None:
    site = make_site({"content/2025-01-16-ferry.md": article("headline: Ferry\ndek: D.\ndate: 2025-01-16")})
    preview = Preview(BuildOptions(site, site / "build"))
    preview.rebuild()
    server = PreviewServer(("127.0.0.1", 0), preview)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        status, answer = persist(server.server_address[1], "content/2025-01-17-x.md", article("headline: X"))
        assert status == 404 and "cms: decap" in answer["error"]
        assert not (site / "content/2025-01-17-x.md").exists()
    finally:
        server.shutdown()
        server.server_close()
        preview.close()


def test_only_this_machine_may_save() -> None:
    assert all(map(is_loopback_peer, ["127.0.0.1", "127.8.0.1", "::1", "::ffff:127.0.0.1"]))
    assert not any(map(is_loopback_peer, ["192.168.1.20", "10.0.0.1", "::ffff:10.0.0.1", "fe80::1%eth0", ""]))


@pytest.mark.parametrize(
    ("host", "allowed"),
    [("127.0.0.1:8000", "127.0.0.1"), ("localhost:8000", "localhost"), ("[::1]:8000", "[::1]"), ("[::1]", "[::1]")],
)
def test_local_backend_names_the_host_the_browser_used(host: str, allowed: str) -> None:
    config = yaml.safe_load(with_local_backend(b"backend: {name: github}\nlocal_backend: true\n", host))
    assert config["local_backend"] == {"url": f"http://{host}/api/v1", "allowed_hosts": [allowed]}


def test_a_config_that_is_not_a_mapping_is_served_as_built() -> None:
    assert with_local_backend(b"- a list\n", "127.0.0.1:1") == b"- a list\n"
    assert with_local_backend(b"key: [unclosed\n", "127.0.0.1:1") == b"key: [unclosed\n"
