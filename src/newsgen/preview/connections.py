"""The preview's connections: held without a thread until a request head has arrived, then handled by a few workers.

A thread per connection let 50 slow clients and 500 idle sockets hold 556
threads. Here one thread watches every connection that has not yet sent a whole
request head, each with a deadline, so an idle socket or a client sending its
head a byte at a time (slow loris) costs a buffer, not a thread. A worker gets
the whole head at once and never waits on the client for a page (GET and HEAD
have no body); only the CMS's `POST /api/v1`, from the preview's own pages on
this machine, has its body read by the worker, with a deadline.
"""

from __future__ import annotations

import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_LINGER_SECONDS = 2.0


@dataclass(frozen=True)
class Arrival:
    """A connection whose request head has arrived, or grown past the limit (`complete` is then False)."""

    sock: socket.socket
    address: Any  # as socket.accept() gives it
    head: bytes
    complete: bool


@dataclass
class _Waiting:
    address: Any
    deadline: float
    head: bytearray = field(default_factory=bytearray)
    lingering: bool = False  # answered: what the client still sends is read and dropped until it closes


class Reception:
    """One thread holding every connection until its request head is whole, over `limit` bytes, or late."""

    def __init__(self, dispatch: Callable[[Arrival], None], limit: int, timeout: float) -> None:
        self._dispatch = dispatch
        self._limit = limit
        self._timeout = timeout
        self._selector = selectors.DefaultSelector()
        self._waiting: dict[socket.socket, _Waiting] = {}
        self._incoming: queue.SimpleQueue[tuple[socket.socket, _Waiting]] = queue.SimpleQueue()
        self._wake, self._waker = socket.socketpair()
        self._wake.setblocking(False)
        self._selector.register(self._wake, selectors.EVENT_READ, None)
        self._stopping = False
        threading.Thread(target=self._run, name="newsgen-preview-reception", daemon=True).start()

    def admit(self, sock: socket.socket, address: Any) -> None:
        """A newly accepted connection: wait for its request head."""
        self._hand_over(sock, _Waiting(address, time.monotonic() + self._timeout))

    def linger(self, sock: socket.socket) -> None:
        """An answered connection: end it without a reset.

        Closing a socket that still holds unread bytes (the rest of an oversized
        request) resets the connection, and the client may lose the answer; so
        the reading side stays open, dropping what comes, until the client closes.
        """
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            sock.close()
            return
        self._hand_over(sock, _Waiting(None, time.monotonic() + _LINGER_SECONDS, lingering=True))

    def stop(self) -> None:
        self._stopping = True
        try:
            self._waker.send(b"\0")
        except OSError:  # already stopped
            pass

    def _hand_over(self, sock: socket.socket, waiting: _Waiting) -> None:
        """Only the reception thread touches the selector; others queue and wake it."""
        self._incoming.put((sock, waiting))
        try:
            self._waker.send(b"\0")
        except OSError:  # stopped
            sock.close()

    def _run(self) -> None:
        while not self._stopping:
            deadlines = [waiting.deadline for waiting in self._waiting.values()]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            for key, _ in self._selector.select(timeout):
                if key.data is None:
                    self._take_incoming()
                else:
                    self._read(key.data)
            now = time.monotonic()
            for sock in [sock for sock, waiting in self._waiting.items() if waiting.deadline <= now]:
                self._close(sock)
        for sock in list(self._waiting):
            self._close(sock)
        self._wake.close()
        self._waker.close()
        self._selector.close()

    def _take_incoming(self) -> None:
        try:
            while self._wake.recv(4096):
                pass
        except BlockingIOError:
            pass
        while not self._incoming.empty():
            sock, waiting = self._incoming.get()
            sock.setblocking(False)
            self._waiting[sock] = waiting
            self._selector.register(sock, selectors.EVENT_READ, sock)

    def _read(self, sock: socket.socket) -> None:
        waiting = self._waiting[sock]
        try:
            chunk = sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._close(sock)
            return
        if waiting.lingering:
            return
        searched = max(0, len(waiting.head) - 3)
        waiting.head += chunk
        ends = [waiting.head.find(end, searched) for end in (b"\r\n\r\n", b"\n\n")]
        complete = any(0 <= end < self._limit for end in ends)
        if complete or len(waiting.head) >= self._limit:
            self._selector.unregister(sock)
            del self._waiting[sock]
            sock.setblocking(True)
            self._dispatch(Arrival(sock, waiting.address, bytes(waiting.head), complete))

    def _close(self, sock: socket.socket) -> None:
        self._selector.unregister(sock)
        del self._waiting[sock]
        sock.close()


class Workers:
    """At most `size` daemon threads (Ctrl-C never waits for one), started only when none is free."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._tasks: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0

    def submit(self, task: Callable[[], None]) -> None:
        with self._lock:
            if self._idle:
                self._idle -= 1  # that thread takes this task
            elif self._threads < self._size:
                self._threads += 1
                threading.Thread(target=self._work, name=f"newsgen-preview-{self._threads}", daemon=True).start()
        self._tasks.put(task)

    def _work(self) -> None:
        while True:
            self._tasks.get()()
            with self._lock:
                self._idle += 1
