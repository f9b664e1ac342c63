"""A data-only format for article cache entries: JSON laid out by the types of `CachedArticle`'s fields.

Reading a pickle can run any code, so entries that come from other machines
(`shared.py`) are never pickles. A payload here is plain JSON values
placed by the fields' declared types, and reading one builds only the classes
in `_CLASSES` and the value types `_value` names, checking every value against
its field's type: a payload that does not fit is refused (None), never half
used. A dataclass is the list of its fields in order: the cache key covers
newsgen's own code, so whoever wrote an entry had the same fields.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath
from typing import Any, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo

from newsgen.engine.cache.local import CachedArticle
from newsgen.errors import Problem, Severity
from newsgen.models import (
    Article,
    Asset,
    Claim,
    Comment,
    Correction,
    Crop,
    Figure,
    InternalLink,
    Profile,
    RelatedLink,
    Renditions,
    Source,
    Sponsor,
    Term,
    Translation,
)

# Every class a payload can build. A field of any other type fails when a codec is made, before any entry is read.
_CLASSES = frozenset(
    {
        CachedArticle,
        Problem,
        Article,
        Translation,
        Term,
        Profile,
        Figure,
        Source,
        RelatedLink,
        Comment,
        Correction,
        InternalLink,
        Asset,
        Renditions,
        Crop,
        Sponsor,
        Claim,
    }
)
_ENUMS = frozenset({Severity})
_MICROSECOND = timedelta(microseconds=1)

Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]
Codec = tuple[Encode, Decode]


class _Unfit(ValueError):
    """A value that does not fit its field's type, either way."""


class EntryCodec:
    """Cache entries to JSON bytes and back.

    With `site`, paths are written relative to it and read back below this
    machine's copy of the site, so an entry moves between checkouts; an entry
    holding a path outside the site can't be written then.
    """

    def __init__(self, site: Path | None = None) -> None:
        self._site = site
        self._made: dict[object, Codec] = {}
        self._encode, self._decode = self._codec(CachedArticle)

    def encode(self, entry: CachedArticle) -> bytes | None:
        """The payload; None when the entry holds something this format can't give back exactly."""
        try:
            data = self._encode(entry)
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode()
        except (ValueError, RecursionError):  # _Unfit; a file name that is not UTF-8
            return None

    def decode(self, payload: bytes) -> CachedArticle | None:
        """The entry; None when the payload is not JSON or does not fit (a type not listed, a missing field, a date
        Python can't hold…)."""
        try:
            entry: CachedArticle = self._decode(json.loads(payload))
            return entry
        except (ValueError, KeyError, RecursionError, OverflowError):  # _Unfit, JSON, dates, zones, offsets
            return None

    def _codec(self, hint: object) -> Codec:
        made = self._made.get(hint)
        if made is None:
            made = self._dataclass(hint) if hint in _CLASSES else self._value(hint)
            self._made[hint] = made
        return made

    def _dataclass(self, cls: Any) -> Codec:
        encoders: list[Encode] = []
        decoders: list[Decode] = []
        names: list[str] = []

        def encode(value: Any) -> Any:
            if type(value) is not cls:
                raise _Unfit(cls.__name__)
            return [encoder(getattr(value, name)) for encoder, name in zip(encoders, names, strict=True)]

        def decode(value: Any) -> Any:
            if type(value) is not list or len(value) != len(decoders):
                raise _Unfit(cls.__name__)
            return cls(*[decoder(item) for decoder, item in zip(decoders, value, strict=True)])

        self._made[cls] = (encode, decode)  # before its fields: a comment's replies are comments
        hints = get_type_hints(cls)
        for field in fields(cls):
            if field.init:  # Article.fingerprint is computed again from the rest
                encoder, decoder = self._codec(hints[field.name])
                encoders.append(encoder)
                decoders.append(decoder)
                names.append(field.name)
        return encode, decode

    def _value(self, hint: Any) -> Codec:
        if hint in (str, int, bool):
            return _exact(hint)
        if hint is bytes:
            return _encode_bytes, _decode_bytes
        if hint is Path:
            return (_encode_path, _decode_path) if self._site is None else _relative_paths(self._site)
        if hint is datetime:
            return _encode_datetime, _decode_datetime
        if hint in _ENUMS:
            return _enum(hint)
        if hint is object:  # image fingerprints: None, text, numbers and tuples of them
            return _encode_plain, _decode_plain
        origin, args = get_origin(hint), get_args(hint)
        if origin is types.UnionType and len(args) == 2 and type(None) in args:
            return _optional(self._codec(args[0] if args[1] is type(None) else args[1]))
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return _sequence(self._codec(args[0]))
        if origin is tuple:
            return _fixed([self._codec(arg) for arg in args])
        raise TypeError(f"no cache format for {hint!r}: add one to cachecodec.py")


def _exact(kind: type) -> Codec:
    def same(value: Any) -> Any:
        if type(value) is not kind:  # not isinstance: True is not an int here
            raise _Unfit(kind.__name__)
        return value

    return same, same


def _encode_bytes(value: Any) -> str:
    if type(value) is not bytes:
        raise _Unfit("bytes")
    return value.decode("latin-1")  # one character per byte: exact for any bytes, and a body's HTML stays text


def _decode_bytes(value: Any) -> bytes:
    if type(value) is not str:
        raise _Unfit("bytes")
    return value.encode("latin-1")


def _encode_path(value: Any) -> str:
    if not isinstance(value, Path):
        raise _Unfit("Path")
    return str(value)


def _decode_path(value: Any) -> Path:
    if type(value) is not str:
        raise _Unfit("Path")
    return Path(value)


def _relative_paths(site: Path) -> Codec:
    def encode(value: Any) -> str:
        if not isinstance(value, Path) or not value.is_relative_to(site):
            raise _Unfit("a path in the site")
        return value.relative_to(site).as_posix()

    def decode(value: Any) -> Path:
        if type(value) is not str:
            raise _Unfit("a path in the site")
        path = site.joinpath(*PurePosixPath(value).parts)
        if ".." in path.relative_to(site).parts:  # relative_to raises for an absolute path
            raise _Unfit("a path in the site")
        return path

    return encode, decode


def _encode_datetime(value: Any) -> list[Any]:
    if type(value) is not datetime:
        raise _Unfit("datetime")
    zone = value.tzinfo
    offset = value.utcoffset()
    if zone is None:
        written: str | int | None = None
    elif type(zone) is ZoneInfo and zone.key is not None:
        written = zone.key
    elif type(zone) is timezone and offset is not None and repr(timezone(offset)) == repr(zone):  # no custom name
        written = offset // _MICROSECOND
    else:
        raise _Unfit("datetime")
    moment = (value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond)
    return [*moment, value.fold, written]


def _decode_datetime(value: Any) -> datetime:
    if type(value) is not list or len(value) != 9 or any(type(part) is not int for part in value[:8]):
        raise _Unfit("datetime")
    year, month, day, hour, minute, second, microsecond, fold, written = value
    if written is None:
        zone: ZoneInfo | timezone | None = None
    elif type(written) is str:
        zone = ZoneInfo(written)
    elif type(written) is int:
        zone = timezone(written * _MICROSECOND)
    else:
        raise _Unfit("datetime")
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=zone, fold=fold)


def _enum(kind: Any) -> Codec:
    def encode(value: Any) -> Any:
        if type(value) is not kind:
            raise _Unfit(kind.__name__)
        return value.value

    def decode(value: Any) -> Any:
        if type(value) is not str:
            raise _Unfit(kind.__name__)
        return kind(value)

    return encode, decode


def _encode_plain(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is tuple:
        return [_encode_plain(item) for item in value]
    raise _Unfit("a fingerprint")


def _decode_plain(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is list:
        return tuple(_decode_plain(item) for item in value)
    raise _Unfit("a fingerprint")


def _optional(inner: Codec) -> Codec:
    encode, decode = inner

    def encode_or_none(value: Any) -> Any:
        return None if value is None else encode(value)

    def decode_or_none(value: Any) -> Any:
        return None if value is None else decode(value)

    return encode_or_none, decode_or_none


def _sequence(inner: Codec) -> Codec:
    encode, decode = inner

    def encode_all(value: Any) -> list[Any]:
        if type(value) is not tuple:
            raise _Unfit("tuple")
        return [encode(item) for item in value]

    def decode_all(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _Unfit("tuple")
        return tuple([decode(item) for item in value])

    return encode_all, decode_all


def _fixed(parts: list[Codec]) -> Codec:
    def encode(value: Any) -> list[Any]:
        if type(value) is not tuple or len(value) != len(parts):
            raise _Unfit("tuple")
        return [part[0](item) for part, item in zip(parts, value, strict=True)]

    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list or len(value) != len(parts):
            raise _Unfit("tuple")
        return tuple([part[1](item) for part, item in zip(parts, value, strict=True)])

    return encode, decode
