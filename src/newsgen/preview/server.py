"""`newsgen serve`: the live preview editors keep open while writing.

Serves the preview build over HTTP on loopback, injects the live-reload
script into HTML responses, and streams build events over Server-Sent Events.
Nothing outside the preview's output folder is ever served. Whatever a client
sends, it gets an answer or a closed connection, never a traceback: request
lines and heads have size limits (414, 431) and a deadline, and threads are few.
It also answers the CMS at `POST /api/v1` (`cmsapi.py`), from this machine and
the preview's own pages only, and serves `/admin/config.yml` pointing it there.
"""

from __future__ import annotations

import html
import io
import json
import re
import signal
import sys
import threading
import time
import unicodedata
import uuid
import webbrowser
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.resources import files
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from newsgen.engine import BuildOptions
from newsgen.mediatypes import content_type
from newsgen.preview.adminconfig import ADMIN_DIR, CMS_API_PATH, CONFIG_PATH, YAML_TYPE, with_local_backend
from newsgen.preview.cmsapi import Answer, LocalBackend
from newsgen.preview.connections import Arrival, Reception, Workers
from newsgen.preview.hosts import is_loopback_peer, is_own_host, is_own_origin, machine_names
from newsgen.preview.rebuilds import BuildEvent, Preview
from newsgen.preview.scheduled import SCHEDULED_PATH, scheduled_page
from newsgen.preview.watch import SourceWatcher
from newsgen.urls import NOT_FOUND_URL

EVENTS_PATH = "/__newsgen__/events"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
_KEEPALIVE_SECONDS = 10.0
MAX_REQUEST_LINE = 4096  # bytes; a preview's URLs are site paths, far shorter
MAX_HEAD = 32768  # bytes of request line and headers: room for many cookies (localhost shares them across ports)
HEAD_TIMEOUT = 10.0  # seconds from connecting to the end of the request head
_SEND_TIMEOUT = 10.0  # seconds a send may wait on a client that stopped reading
PAGE_WORKERS = 8  # threads for pages, always free of event streams
MAX_EVENT_STREAMS = 32  # open tabs; beyond them the stream is refused with 503
MAX_CMS_BODY = 64 * 1024 * 1024  # bytes of one CMS request: a large photo, base64-encoded, with room to spare
BODY_TIMEOUT = 60.0  # seconds to receive a CMS request's body once its head has arrived
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Resolved:
    """What a request path maps to: a file to send, a redirect, or nothing."""

    file: Path | None = None
    redirect: str | None = None


def send_redirect(handler: BaseHTTPRequestHandler, location: str) -> None:
    """A permanent redirect with no body, as a static host answers `/about` with `/about/`."""
    handler.send_response(HTTPStatus.MOVED_PERMANENTLY)
    handler.send_header("Location", location)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def resolve_request(root: Path, target: str) -> Resolved:
    """Map a request target to a file inside `root`, refusing anything that could leave it.

    Any `.` or `..` segment, backslash, NUL or hidden name is refused outright
    rather than normalised; symlinks are resolved and must stay inside `root`.
    """
    split = urlsplit(target)
    path = unicodedata.normalize("NFC", unquote(split.path))  # files are written in NFC (urls.output_path)
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        return Resolved()
    segments = [segment for segment in path.split("/") if segment]
    if any(segment in (".", "..") or segment.startswith(".") for segment in segments):
        return Resolved()
    real_root = root.resolve()
    candidate = root.joinpath(*segments)
    try:
        real = candidate.resolve()
        if not real.is_relative_to(real_root):
            return Resolved()
        if real.is_dir():
            if not path.endswith("/"):
                query = f"?{split.query}" if split.query else ""
                return Resolved(redirect="/" + "".join(quote(segment) + "/" for segment in segments) + query)
            real = real / "index.html"
        return Resolved(file=real) if real.is_file() else Resolved()
    except (OSError, RuntimeError):  # a name longer than the file system allows, a symlink loop
        return Resolved()


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


class PreviewServer(HTTPServer):
    """Accepts on the main thread; `Reception` waits for request heads, `Workers` answer them."""

    request_queue_size = 128  # connections the OS holds before accept()

    def __init__(self, address: tuple[str, int], preview: Preview, head_timeout: float = HEAD_TIMEOUT) -> None:
        self._workers = Workers(PAGE_WORKERS + MAX_EVENT_STREAMS)
        self._reception = Reception(self._dispatch, MAX_HEAD, head_timeout)  # first: a failed bind closes it
        super().__init__(address, PreviewHandler)
        self.preview = preview
        self.instance = uuid.uuid4().hex
        self.names = machine_names(address[0])  # what `Host` may name, with an IP address (see hosts.py)
        self.cms = LocalBackend(preview.source_dir)
        self.stopping = False
        self.event_streams = threading.BoundedSemaphore(MAX_EVENT_STREAMS)

    def process_request(self, request: Any, client_address: Any) -> None:
        self._reception.admit(request, client_address)

    def _dispatch(self, arrival: Arrival) -> None:
        self._workers.submit(lambda: self._answer(arrival))

    def _answer(self, arrival: Arrival) -> None:
        try:
            request: Any = arrival  # PreviewHandler.setup() reads it; socketserver's types expect a socket
            PreviewHandler(request, arrival.address, self)
        except Exception:
            self.handle_error(arrival, arrival.address)
        self._reception.linger(arrival.sock)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away or stalled is no news; anything else is a newsgen bug, said in one line."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            print(f"newsgen: error: a preview request failed: {error!r}", file=sys.stderr)

    def server_close(self) -> None:
        super().server_close()
        self._reception.stop()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    request: Arrival
    raw_requestline: bytes  # set by BaseHTTPRequestHandler.handle_one_request
    server_version = "newsgen-preview"

    def setup(self) -> None:
        """Read the head `Reception` collected; write to the socket, giving up on a client that stops reading."""
        self.connection = self.request.sock
        self.connection.settimeout(_SEND_TIMEOUT)
        self.rfile = io.BytesIO(self.request.head)
        self.wfile = self.connection.makefile("wb")

    def parse_request(self) -> bool:
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            return self._refuse(HTTPStatus.REQUEST_URI_TOO_LONG)
        if not self.request.complete:
            return self._refuse(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
        return super().parse_request()

    def _refuse(self, status: HTTPStatus) -> bool:
        self.requestline, self.request_version, self.command = "", self.protocol_version, ""
        self.send_error(status)
        return False

    def do_GET(self) -> None:  # noqa: N802 - http.server's API names
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _method_not_allowed(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed  # noqa: N815

    def do_POST(self) -> None:  # noqa: N802
        if urlsplit(self.path).path != CMS_API_PATH:
            self._method_not_allowed()
            return
        self._send_answer(self._cms_answer())

    def _cms_answer(self) -> Answer:
        """The CMS's request answered, or refused before its body is read: only the preview's own pages, on this
        machine, may change the site, and only a site that publishes a CMS (`/admin/config.yml`)."""
        refusal = self._foreign_refusal()
        if refusal is not None:
            return Answer(HTTPStatus.FORBIDDEN, {"error": refusal})
        if not (self.server.preview.output_dir / CONFIG_PATH).is_file():  # no CMS, nothing to answer
            return Answer(HTTPStatus.NOT_FOUND, {"error": "this site has no CMS: add `cms: decap` to newsgen.yaml"})
        if not is_loopback_peer(self.client_address[0]):
            return Answer(HTTPStatus.FORBIDDEN, {"error": "the CMS saves only from the machine running newsgen serve"})
        if self.headers.get_content_type() != "application/json":
            return Answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send JSON (Content-Type: application/json)"})
        length = self.headers.get("Content-Length", "")
        if not (length.isascii() and length.isdigit()):
            return Answer(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length is required"})
        if int(length) > MAX_CMS_BODY:
            message = f"the request is over {MAX_CMS_BODY // 1024 // 1024} MB; upload a smaller file"
            return Answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": message})
        body = self._read_body(int(length))
        if body is None:
            return Answer(HTTPStatus.REQUEST_TIMEOUT, {"error": "the request did not arrive in time"})
        return self.server.cms.answer(body)

    def _read_body(self, length: int) -> bytes | None:
        """The request body: what came with the head, then the rest from the socket, within `BODY_TIMEOUT`."""
        body = bytearray(self.rfile.read(length))
        deadline = time.monotonic() + BODY_TIMEOUT
        try:
            while len(body) < length:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.connection.settimeout(min(left, _SEND_TIMEOUT))
                chunk = self.connection.recv(min(1024 * 1024, length - len(body)))
                if not chunk:
                    return None
                body += chunk
        except TimeoutError:
            return None
        finally:
            self.connection.settimeout(_SEND_TIMEOUT)
        return bytes(body)

    def _send_answer(self, answer: Answer) -> None:
        self._send(answer.status, answer.encode(), "application/json; charset=utf-8", True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: the terminal is for build output
        pass

    def _foreign_refusal(self) -> str | None:
        """Why a request is not the preview's own (another `Host` or `Origin`, see hosts.py), or None."""
        host = self.headers.get("Host", "")
        if not is_own_host(host, self.server.names, self.server.server_address[1]):
            return "Forbidden: unknown Host"
        if not is_own_origin(self.headers.get("Origin"), host):
            return "Forbidden: cross-origin"
        return None

    def _respond(self, send_body: bool) -> None:
        refusal = self._foreign_refusal()
        if refusal is not None:
            self._send(HTTPStatus.FORBIDDEN, f"{refusal}\n".encode(), "text/plain; charset=utf-8", send_body)
            return
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events(send_body)
            return
        if urlsplit(self.path).path == SCHEDULED_PATH:
            self._send_html(HTTPStatus.OK, scheduled_page(self.server.preview.scheduled()), "", send_body)
            return
        preview = self.server.preview
        preview.wait_until_idle()
        if not preview.has_good_build:
            self._send_html(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(preview.latest.problems), "", send_body)
            return
        root = preview.output_dir
        resolved = resolve_request(root, self.path)
        if resolved.redirect:
            send_redirect(self, resolved.redirect)
            return
        status, file = HTTPStatus.OK, resolved.file
        if file is None:
            status, file = HTTPStatus.NOT_FOUND, root / NOT_FOUND_URL.lstrip("/")
            if not file.is_file():
                self._send(status, b"Not found\n", "text/plain; charset=utf-8", send_body)
                return
        page = file.relative_to(root).as_posix() if status == HTTPStatus.OK else ""
        body = file.read_bytes()
        if page == CONFIG_PATH:
            self._send(status, with_local_backend(body, self.headers["Host"]), YAML_TYPE, send_body)
        elif page.startswith(f"{ADMIN_DIR}/") and (root / CONFIG_PATH).is_file():
            self._send(status, body, content_type(file), send_body)  # the CMS: a reload would lose an unsaved edit
        elif file.suffix == ".html":
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

    def _stream_events(self, send_body: bool) -> None:
        if not send_body:  # HEAD: the headers a stream would have, and no stream
            self._start_stream()
            return
        if not self.server.event_streams.acquire(blocking=False):
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"Too many open previews\n", "text/plain; charset=utf-8", True)
            return
        try:
            self._start_stream()
            self._follow_builds()
        finally:
            self.server.event_streams.release()

    def _start_stream(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _follow_builds(self) -> None:
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
        except OSError:  # the tab closed, or stopped reading
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
        server = PreviewServer((host, port), preview)
        if host not in LOOPBACK_HOSTS:
            print(
                f"newsgen: warning: serving on {host}: anyone on your network can read this preview, drafts included"
                " (open it by this machine's name or IP address: other names are refused)",
                file=sys.stderr,
            )
        watcher = SourceWatcher(options.source_dir, preview.rebuild)
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{server.server_address[1]}/"
        print(f"Serving {url} (Ctrl-C to stop)", flush=True)
        print(f"Stories scheduled to go live: {url}{SCHEDULED_PATH.lstrip('/')}", flush=True)
        if (preview.output_dir / CONFIG_PATH).is_file():
            print(f"Write and edit in the browser at {url}{ADMIN_DIR}/", flush=True)
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
