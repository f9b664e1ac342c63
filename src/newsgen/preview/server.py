"""`newsgen serve`: the live preview editors keep open while writing.

Serves the preview build over HTTP on loopback, injects the live-reload
script into HTML responses, and streams build events over Server-Sent Events.
Nothing outside the preview's output folder is ever served.
"""

from __future__ import annotations

import html
import json
import re
import signal
import sys
import uuid
import webbrowser
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from types import FrameType
from urllib.parse import quote, unquote, urlsplit

from newsgen.build import BuildOptions
from newsgen.mediatypes import content_type
from newsgen.preview.rebuilds import BuildEvent, Preview
from newsgen.preview.watch import SourceWatcher
from newsgen.urls import NOT_FOUND_URL

EVENTS_PATH = "/__newsgen__/events"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
_KEEPALIVE_SECONDS = 10.0
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Resolved:
    """What a request path maps to: a file to send, a redirect, or nothing."""

    file: Path | None = None
    redirect: str | None = None


def resolve_request(root: Path, target: str) -> Resolved:
    """Map a request target to a file inside `root`, refusing anything that could leave it.

    Any `.` or `..` segment, backslash, NUL or hidden name is refused outright
    rather than normalised; symlinks are resolved and must stay inside `root`.
    """
    split = urlsplit(target)
    path = unquote(split.path)
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return Resolved()
    segments = [segment for segment in path.split("/") if segment]
    if any(segment in (".", "..") or segment.startswith(".") for segment in segments):
        return Resolved()
    real_root = root.resolve()
    candidate = root.joinpath(*segments)
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):
        return Resolved()
    if not real.is_relative_to(real_root):
        return Resolved()
    if real.is_dir():
        if not path.endswith("/"):
            query = f"?{split.query}" if split.query else ""
            return Resolved(redirect="/" + "".join(quote(segment) + "/" for segment in segments) + query)
        real = real / "index.html"
    return Resolved(file=real) if real.is_file() else Resolved()


def inject_script(page: bytes, attributes: dict[str, str]) -> bytes:
    """Put the live-reload script before the last `</body>` (or at the end)."""
    attrs = " ".join(f'data-{name}="{html.escape(value, quote=True)}"' for name, value in attributes.items())
    script = f"<script {attrs}>\n{LIVERELOAD_JS}</script>\n".encode()
    matches = list(_BODY_END.finditer(page))
    at = matches[-1].start() if matches else len(page)
    return page[:at] + script + page[at:]


LIVERELOAD_JS = files("newsgen.preview").joinpath("livereload.js").read_text(encoding="utf-8")


def error_page(problems: tuple[str, ...]) -> bytes:
    """Shown when there has been no good build yet; it recovers by itself."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Build failed | newsgen</title></head>\n'
        f"<body><main><h1>The site could not be built</h1>\n<ul>\n{items}\n</ul>\n"
        "<p>Fix the files above and save; this page reloads by itself.</p></main></body></html>\n"
    ).encode()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview, restrict_hosts: bool) -> None:
        super().__init__(address, PreviewHandler)
        self.preview = preview
        self.instance = uuid.uuid4().hex
        port = self.server_address[1]
        self.allowed_hosts = {f"{host}:{port}" for host in LOOPBACK_HOSTS} if restrict_hosts else None
        self.stopping = False


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "newsgen-preview"

    def do_GET(self) -> None:  # noqa: N802 - http.server's API names
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _method_not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: the terminal is for build output
        pass

    def _respond(self, send_body: bool) -> None:
        host = self.headers.get("Host", "").lower()
        if self.server.allowed_hosts is not None and host not in self.server.allowed_hosts:
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden: unknown Host\n", "text/plain; charset=utf-8", send_body)
            return
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events(host)
            return
        preview = self.server.preview
        preview.wait_until_idle()
        if not preview.has_good_build:
            self._send_html(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(preview.latest.problems), "", send_body)
            return
        root = preview.output_dir
        resolved = resolve_request(root, self.path)
        if resolved.redirect:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", resolved.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, file = HTTPStatus.OK, resolved.file
        if file is None:
            status, file = HTTPStatus.NOT_FOUND, root / NOT_FOUND_URL.lstrip("/")
            if not file.is_file():
                self._send(status, b"Not found\n", "text/plain; charset=utf-8", send_body)
                return
        page = file.relative_to(root).as_posix() if status == HTTPStatus.OK else ""
        body = file.read_bytes()
        if file.suffix == ".html":
            self._send_html(status, body, page, send_body)
        else:
            self._send(status, body, content_type(file), send_body)

    def _send_html(self, status: HTTPStatus, body: bytes, page: str, send_body: bool) -> None:
        latest = self.server.preview.latest
        attributes = {"page": page, "build": str(latest.number), "instance": self.server.instance}
        self._send(status, inject_script(body, attributes), "text/html; charset=utf-8", send_body)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream_events(self, host: str) -> None:
        origin = self.headers.get("Origin")
        if origin is not None and origin.lower() != f"http://{host}":
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden: cross-origin\n", "text/plain; charset=utf-8", True)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.server.preview
        event = preview.latest  # the current state first: a tab opened on a broken build shows it at once
        try:
            self._write_event(event)
            while not self.server.stopping:
                newer = preview.wait_for_event(event.number, _KEEPALIVE_SECONDS)
                if newer.number > event.number:
                    self._write_event(newer)
                    event = newer
                else:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _write_event(self, event: BuildEvent) -> None:
        data = {
            "instance": self.server.instance,
            "number": event.number,
            "changed": event.changed,
            "css_only": event.css_only,
            "problems": event.problems,
            "held": event.held,
        }
        self.wfile.write(f"event: build\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()


def serve(options: BuildOptions, cache_dir: Path | None, host: str, port: int, open_browser: bool) -> int:
    """Build, serve and rebuild on change until Ctrl-C or SIGTERM."""
    preview = Preview(options, cache_dir)
    watcher: SourceWatcher | None = None
    try:
        preview.rebuild()
        server = PreviewServer((host, port), preview, restrict_hosts=host in LOOPBACK_HOSTS)
        if host not in LOOPBACK_HOSTS:
            print(
                f"newsgen: warning: serving on {host}: anyone on your network can read this preview, drafts included",
                file=sys.stderr,
            )
        watcher = SourceWatcher(options.source_dir, preview.rebuild)
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{server.server_address[1]}/"
        print(f"Serving {url} (Ctrl-C to stop)", flush=True)
        if open_browser:
            webbrowser.open(url)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        server.stopping = True
        server.server_close()
        return 0
    finally:
        if watcher is not None:
            watcher.stop()
        preview.close()


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
