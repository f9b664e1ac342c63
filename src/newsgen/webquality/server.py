"""The built site served on loopback as a static host serves it, for the browser checks to load.

Pages must be loaded over HTTP, not from `file://`: root-relative links,
the theme's scripts and `/latest/` only work from the root of an origin.
It binds 127.0.0.1 on a free port, answers GET and HEAD only, and maps
paths with the preview's rules, so nothing outside the folder is served.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsgen.mediatypes import content_type
from newsgen.preview.server import resolve_request, send_redirect
from newsgen.urls import NOT_FOUND_URL


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """The base URL (no trailing slash) of `folder`, served from a thread until the block ends."""
    server = _StaticServer(("127.0.0.1", 0), _StaticHandler, folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _StaticServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], root: Path) -> None:
        super().__init__(address, handler)
        self.root = root


class _StaticHandler(BaseHTTPRequestHandler):
    server: _StaticServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's API names
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: the terminal is for the check's findings

    def _respond(self, send_body: bool) -> None:
        root = self.server.root
        resolved = resolve_request(root, self.path)
        if resolved.redirect:
            send_redirect(self, resolved.redirect)
            return
        status, file = HTTPStatus.OK, resolved.file
        if file is None:  # as a static host does: the site's own 404 page, with its status
            status, file = HTTPStatus.NOT_FOUND, root / NOT_FOUND_URL.lstrip("/")
        body = file.read_bytes() if file.is_file() else b"Not found\n"
        self.send_response(status)
        self.send_header("Content-Type", content_type(file) if file.is_file() else "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)
