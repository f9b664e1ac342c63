"""A real `newsgen serve` in a subprocess, and a Server-Sent Events reader for it."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any


class ServeProcess:
    def __init__(self, site: Path, *args: str, startup_seconds: float = 30) -> None:
        self.temp_dir = site.parent / "server-tmp"  # where the preview builds, so tests can see it cleaned up
        self.temp_dir.mkdir(exist_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "SOURCE_DATE_EPOCH": "1796169600", "TMPDIR": str(self.temp_dir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsgen", "serve", "--source", str(site), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.output: list[str] = []
        threading.Thread(target=self._collect, args=(self.process.stderr,), daemon=True).start()
        self.url = self._wait_for_url(startup_seconds)
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def _collect(self, stream: Any) -> None:
        for line in stream:
            self.output.append(line)

    def _wait_for_url(self, seconds: float) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            self.output.append(line)
            found = re.search(r"Serving (http://\S+)", line)
            if found:
                threading.Thread(target=self._collect, args=(self.process.stdout,), daemon=True).start()
                return found.group(1)
            if not line and self.process.poll() is not None:
                break
        raise AssertionError("server did not start:\n" + "".join(self.output))

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body

    def get(self, path: str) -> tuple[int, bytes]:
        status, _, body = self.request("GET", path)
        return status, body

    def stop(self) -> float:
        """SIGTERM, then the seconds it took to exit."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        return time.monotonic() - started


class EventStream:
    """Reads `event: build` messages from the preview into a queue."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("GET", "/__newsgen__/events", headers=headers or {})
        self.response = self.connection.getresponse()
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        if self.response.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        data = ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("data: "):
                    data = line[6:]
                elif line == "" and data:
                    self.events.put(json.loads(data))
                    data = ""
        except (OSError, ValueError):
            return

    def next(self, timeout: float = 10) -> dict[str, Any]:
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        self.connection.close()
