"""The remote store of the article cache: objects in an S3-compatible bucket (`cache: s3://bucket/prefix`).

A store that can't be reached or refuses (no credentials, no bucket, a
timeout) costs speed, never a build: its first failure turns it off for the
rest of the build with one warning line, and the local cache carries on.
Short timeouts and a single retry keep a dead endpoint from stalling a build.
An object is its name and payload compressed, behind a checksum: one that
does not match (a truncated copy, a hand edit, another program's object), is
larger than any entry, or was copied under another name is refused
(`Untrusted`), never read whole. An S3 PUT is atomic, so no reader ever sees
half an object under its name.
boto3 is imported only when a build first needs the store.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import zlib
from typing import Any
from urllib.parse import urlsplit

from newsgen.errors import one_line
from newsgen.redact import redact

THREADS = 16  # requests at a time: each mostly waits on the network
_MAGIC = b"newsgen-cache-entry-2\n"
_CHECKSUM_SIZE = 16
# Far above any entry (a body is at most 1 MB): a larger one is not newsgen's. Caps what one request may cost
# before anything of it is checked, `THREADS` at a time.
_MAX_PAYLOAD = 16 << 20
_MAX_OBJECT = 4 << 20  # compressed
_MISSING = frozenset({"NoSuchKey", "404"})


class Untrusted(ValueError):
    """An object, or the entry in it, that is not what newsgen would have stored under its name: it is ignored."""


class RemoteStore:
    """Payloads by name under `s3://bucket/prefix/`; safe to use from many threads at once."""

    def __init__(self, url: str, endpoint_url: str | None = None) -> None:
        parts = urlsplit(url)
        prefix = parts.path.strip("/")
        self.url = url
        self._bucket = parts.netloc
        self._prefix = f"{prefix}/" if prefix else ""
        self._endpoint_url = endpoint_url
        self._lock = threading.Lock()
        self._client: Any = None
        self._errors: tuple[type[Exception], ...] = ()
        self.working = True  # until the first failure

    def get(self, name: str) -> bytes | None:
        """The payload stored under `name`; None when there is none or the store is off.

        Raises `Untrusted` for an object that is too large, corrupt, or not the one written under this name.
        """
        client = self._connect()
        if client is None:
            return None
        try:
            response = client.get_object(Bucket=self._bucket, Key=self._prefix + name)
            try:
                if response.get("ContentLength", 0) > _MAX_OBJECT:
                    raise Untrusted(f"larger than {_MAX_OBJECT >> 20} MB")
                data = response["Body"].read(_MAX_OBJECT + 1)  # the length given may be false
            finally:
                response["Body"].close()
        except self._errors as exc:
            if _error_code(exc) not in _MISSING:
                self._fail(exc)
            return None
        if len(data) > _MAX_OBJECT:
            raise Untrusted(f"larger than {_MAX_OBJECT >> 20} MB")
        return _unpack(name, data)

    def put(self, name: str, payload: bytes) -> None:
        """Store `payload` under `name`, replacing what was there; a failure turns the store off."""
        client = self._connect()
        if client is None:
            return
        try:
            packed = _pack(name, payload)
            if len(payload) <= _MAX_PAYLOAD and len(packed) <= _MAX_OBJECT:  # one no build would take is not sent
                client.put_object(Bucket=self._bucket, Key=self._prefix + name, Body=packed)
        except self._errors as exc:
            self._fail(exc)

    def _connect(self) -> Any:
        """The S3 client, made on first use; None once the store is off."""
        with self._lock:
            if self.working and self._client is None:
                self._client = self._make_client()
            return self._client if self.working else None

    def _make_client(self) -> Any:
        try:
            import boto3
            from botocore.config import Config
            from botocore.exceptions import BotoCoreError, ClientError
        except ImportError:
            self._turn_off("needs boto3: pip install 'newsgen[s3]'")
            return None
        self._errors = (BotoCoreError, ClientError)
        config = Config(
            connect_timeout=2,
            read_timeout=5,
            retries={"total_max_attempts": 2, "mode": "standard"},
            max_pool_connections=THREADS,
        )
        try:
            return boto3.session.Session().client("s3", endpoint_url=self._endpoint_url, config=config)
        except (BotoCoreError, ValueError) as exc:  # a malformed AWS_ENDPOINT_URL, an unknown profile
            self._turn_off(str(exc))
            return None

    def _fail(self, exc: Exception) -> None:
        with self._lock:
            if self.working:
                self._turn_off(str(exc))

    def _turn_off(self, reason: str) -> None:
        """Called with the lock held: the first failure of a build warns, the ones in flight with it are quiet."""
        self.working = False
        message = f"newsgen: warning: cache {self.url}: {reason}; this build uses the local cache only"
        print(one_line(redact(message)), file=sys.stderr)  # the store's URL or its endpoint may carry credentials


def _error_code(exc: Exception) -> str:
    response: dict[str, Any] = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _pack(name: str, payload: bytes) -> bytes:
    """The object: the name it is stored under goes inside the checksum, so a copy under another name is refused."""
    body = zlib.compress(name.encode() + b"\n" + payload)
    return _MAGIC + hashlib.blake2b(body, digest_size=_CHECKSUM_SIZE).digest() + body


def _unpack(name: str, data: bytes) -> bytes:
    """The payload of an object; `Untrusted` when it is not one of ours, was changed or was written under another name."""
    start = len(_MAGIC) + _CHECKSUM_SIZE
    checksum, body = data[len(_MAGIC) : start], data[start:]
    if not data.startswith(_MAGIC) or hashlib.blake2b(body, digest_size=_CHECKSUM_SIZE).digest() != checksum:
        raise Untrusted("not an entry newsgen wrote, or changed since (its checksum does not match)")
    head = name.encode() + b"\n"
    inflate = zlib.decompressobj()
    try:
        content = inflate.decompress(body, len(head) + _MAX_PAYLOAD)
    except zlib.error as exc:
        raise Untrusted("not an entry newsgen wrote (it does not decompress)") from exc
    if not inflate.eof and len(content) > _MAX_PAYLOAD:
        raise Untrusted(f"larger than {_MAX_PAYLOAD >> 20} MB once decompressed")
    if not inflate.eof or inflate.unused_data:
        raise Untrusted("not an entry newsgen wrote (its data does not end where it should)")
    if not content.startswith(head):
        raise Untrusted("written under another name: a copy of another article's entry")
    return content[len(head) :]
