"""Decap CMS's local-backend protocol (what `decap-server` answers in its `local_fs` mode), on the site's own files.

Decap sends `POST /api/v1` with `{"action": ..., "params": {...}}` and reads
JSON back; an error is `{"error": message}` with a 4xx or 5xx status, and Decap
shows the message. Paths are relative to the site; file contents travel as
UTF-8 text (entries) or base64 (media). Only `publish_mode: simple` is offered:
a save writes the file, which the preview's watcher then rebuilds.

Every path goes through `confine.py`; an article or page newsgen would reject
is not written, and the error is newsgen's own lines (`savecheck.py`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path, PurePosixPath
from typing import Any

from newsgen.preview.cmsfiles import delete_file, list_files, move_file, read_confined, write_file
from newsgen.preview.confine import RefusedPath, site_file
from newsgen.preview.savecheck import save_problems
from newsgen.read.files import is_article_name

MAX_DEPTH = 100  # folder levels an entry listing descends, as decap-server allows


class BadRequest(ValueError):
    """A request the protocol does not allow; the message is shown to the editor."""


@dataclass(frozen=True)
class Answer:
    status: HTTPStatus
    body: Any  # JSON-serialisable

    def encode(self) -> bytes:
        return json.dumps(self.body).encode("ascii")  # escaped: a label sent back may hold half a surrogate pair


class LocalBackend:
    """Answers one protocol request at a time for the site at `site_root`."""

    def __init__(self, site_root: Path) -> None:
        self.site_root = site_root.resolve()
        self._actions: dict[str, Callable[[dict[str, Any]], Any]] = {
            "info": self._info,
            "entriesByFolder": self._entries_by_folder,
            "entriesByFiles": self._entries_by_files,
            "getEntry": self._get_entry,
            "persistEntry": self._persist_entry,
            "getMedia": self._get_media,
            "getMediaFile": self._get_media_file,
            "persistMedia": self._persist_media,
            "deleteFile": self._delete_file,
            "deleteFiles": self._delete_files,
            "getDeployPreview": lambda params: None,  # the preview itself is the deploy preview
        }

    def answer(self, body: bytes) -> Answer:
        """The answer to one request body: never an exception, whatever the body holds."""
        try:
            request = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            return _error(HTTPStatus.BAD_REQUEST, "the request is not JSON")
        if not isinstance(request, dict):
            return _error(HTTPStatus.UNPROCESSABLE_ENTITY, "the request is not a JSON object")
        action = request.get("action")
        handler = self._actions.get(action) if isinstance(action, str) else None
        if handler is None:
            return _error(HTTPStatus.UNPROCESSABLE_ENTITY, f"Unknown action {_shown(action)}")
        params = request.get("params", {})
        try:
            if not isinstance(params, dict):
                raise BadRequest("params is not an object")
            return Answer(HTTPStatus.OK, handler(params))
        except (BadRequest, RefusedPath) as exc:
            return _error(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
        except OSError as exc:  # a full disk, a file that can't be read: said in one line, naming it
            return _error(HTTPStatus.INTERNAL_SERVER_ERROR, self._failure(exc))

    def _failure(self, exc: OSError) -> str:
        reason = exc.strerror or exc.__class__.__name__
        if exc.filename is None:
            return reason
        path = Path(exc.filename)
        return f"{path.relative_to(self.site_root) if path.is_relative_to(self.site_root) else path.name}: {reason}"

    def _info(self, params: dict[str, Any]) -> Any:
        return {"repo": self.site_root.name, "publish_modes": ["simple"], "type": "local_fs"}

    def _entries_by_folder(self, params: dict[str, Any]) -> Any:
        folder, extension, depth = _text(params, "folder"), _text(params, "extension"), params.get("depth")
        if not isinstance(depth, int) or isinstance(depth, bool):
            raise BadRequest("depth is not a number")
        found = list_files(self.site_root, folder, extension, min(depth, MAX_DEPTH))
        return [self._entry(name, real, None) for name, real in found]

    def _entries_by_files(self, params: dict[str, Any]) -> Any:
        files = params.get("files")
        if not isinstance(files, list) or not all(isinstance(file, dict) for file in files):
            raise BadRequest("files is not a list of objects")
        reals = [site_file(self.site_root, file.get("path")) for file in files]  # all checked before any is read
        return [self._entry(file["path"], real, file.get("label")) for file, real in zip(files, reals, strict=True)]

    def _get_entry(self, params: dict[str, Any]) -> Any:
        path = _text(params, "path")
        return self._entry(path, site_file(self.site_root, path), None)

    def _entry(self, path: str, real: Path, label: Any) -> dict[str, Any]:
        """An entry as decap-server gives it: its text and a content hash, or nulls when it can't be read."""
        file: dict[str, Any] = {"path": path, "label": label} if label is not None else {"path": path}
        try:
            content = read_confined(real)
        except OSError:
            return {"data": None, "file": {**file, "id": None}}
        return {"data": content.decode("utf-8", "replace"), "file": {**file, "id": _digest(content)}}

    def _persist_entry(self, params: dict[str, Any]) -> Any:
        """Write an entry's files and the media it brought, unless newsgen would reject one of them."""
        data_files = params.get("dataFiles", [params.get("entry")])
        assets = params.get("assets", [])
        if not isinstance(data_files, list) or not data_files or not all(isinstance(f, dict) for f in data_files):
            raise BadRequest("dataFiles is not a list of objects")
        if not isinstance(assets, list) or not all(isinstance(asset, dict) for asset in assets):
            raise BadRequest("assets is not a list of objects")
        olds = [_text(data_file, "path") for data_file in data_files]
        moves = all(data_file.get("newPath") for data_file in data_files)  # as decap-server: all move, or none
        news = [_text(data_file, "newPath") for data_file in data_files] if moves else olds
        writes = [(path, _utf8(_text(data_file, "raw"))) for path, data_file in zip(news, data_files, strict=True)]
        media = [(_text(asset, "path"), _media_bytes(asset)) for asset in assets]
        for path in [*olds, *news, *(path for path, _ in media)]:
            site_file(self.site_root, path)  # every path is checked before anything is written
        replaced = {path: self._current(path) for path, _ in media}
        for path, content in media:  # first: the story may show an image it brought
            write_file(self.site_root, path, content)
        problems = [
            line for path, raw in writes for line in save_problems(self.site_root, site_file(self.site_root, path), raw)
        ]
        if problems:
            self._restore(replaced)  # a refused save leaves nothing behind; Decap sends the media again next time
            raise BadRequest("\n".join(problems))
        for path, raw in writes:
            write_file(self.site_root, path, raw)
        for old, new in zip(olds, news, strict=True):
            if site_file(self.site_root, old) != site_file(self.site_root, new):
                self._move_rest(old, new)
        return {"message": "entry persisted"}

    def _current(self, path: str) -> bytes | None:
        """What the file at `path` holds now; None if there is none."""
        real = site_file(self.site_root, path)
        return real.read_bytes() if real.is_file() else None

    def _restore(self, files: dict[str, bytes | None]) -> None:
        for path, content in files.items():
            if content is None:
                delete_file(self.site_root, path)
            else:
                write_file(self.site_root, path, content)

    def _move_rest(self, old: str, new: str) -> None:
        """After an entry was saved under a new name, drop its old file; a bundle's other files follow it.

        A bundle is a folder holding one story (`post/index.md`) and its images.
        Unlike decap-server, a folder holding other stories is never moved.
        """
        delete_file(self.site_root, old)
        old_folder, new_folder = PurePosixPath(old).parent, PurePosixPath(new).parent
        if PurePosixPath(old).stem != "index" or old_folder == new_folder or len(old_folder.parts) < 2:
            return
        rest = [name for name, _ in list_files(self.site_root, str(old_folder), "", MAX_DEPTH)]
        if any(is_article_name(name) for name in rest):
            return
        for name in rest:
            move_file(self.site_root, name, str(new_folder / PurePosixPath(name).relative_to(old_folder)))

    def _get_media(self, params: dict[str, Any]) -> Any:
        found = list_files(self.site_root, _text(params, "mediaFolder"), "", 1)
        return [self._media_file(name, real) for name, real in found]

    def _get_media_file(self, params: dict[str, Any]) -> Any:
        path = _text(params, "path")
        return self._media_file(path, site_file(self.site_root, path))

    def _persist_media(self, params: dict[str, Any]) -> Any:
        asset = params.get("asset")
        if not isinstance(asset, dict):
            raise BadRequest("asset is not an object")
        path = _text(asset, "path")
        write_file(self.site_root, path, _media_bytes(asset))
        return self._media_file(path, site_file(self.site_root, path))

    def _media_file(self, path: str, real: Path) -> dict[str, Any]:
        content = read_confined(real)
        return {
            "id": _digest(content),
            "content": base64.b64encode(content).decode("ascii"),
            "encoding": "base64",
            "path": path,
            "name": PurePosixPath(path).name,
        }

    def _delete_file(self, params: dict[str, Any]) -> Any:
        path = _text(params, "path")
        delete_file(self.site_root, path)
        return {"message": f"deleted file {path}"}

    def _delete_files(self, params: dict[str, Any]) -> Any:
        paths = params.get("paths")
        if not isinstance(paths, list) or not paths:
            raise BadRequest("paths is not a list of paths")
        for path in paths:
            site_file(self.site_root, path)  # all or none
        for path in paths:
            delete_file(self.site_root, path)
        return {"message": f"deleted files {', '.join(paths)}"}


def _text(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if not isinstance(value, str):
        raise BadRequest(f"{key} is not a string")
    return value


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:  # JSON can carry half a surrogate pair, which no file can hold
        raise BadRequest("the entry's text is not valid Unicode") from exc


def _media_bytes(asset: dict[str, Any]) -> bytes:
    if asset.get("encoding") != "base64":
        raise BadRequest("media must be sent as base64")
    try:
        return base64.b64decode(_text(asset, "content"), validate=True)
    except binascii.Error as exc:
        raise BadRequest("media content is not base64") from exc


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _shown(value: object) -> str:
    return json.dumps(value)[:80]


def _error(status: HTTPStatus, message: str) -> Answer:
    return Answer(status, {"error": message})
