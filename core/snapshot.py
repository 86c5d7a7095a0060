"""Stage outputs as JSON, for the stage cache: frozen records, tuples, lists, dicts and scalars.

A pickle runs whatever code it names when it is loaded, so a file planted in the cache folder
would run at the next import. JSON holds data only, and `loads` builds nothing but the record
types its caller names: anything else in an entry makes it unreadable (`SnapshotError`), and the
cache computes the stage again.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

_RECORD, _TUPLE, _DICT = "@r", "@t", "@d"
_SCALARS = frozenset({bool, int, float, str})    # exactly these: a subclass could be anything


class SnapshotError(ValueError):
    """An entry `loads` will not rebuild (never shown to a user: the cache computes it again)."""


def dumps(value: object) -> bytes:
    return json.dumps(_plain(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(blob: bytes, types: Mapping[str, type]) -> Any:
    """The value `dumps` wrote, its records rebuilt as the classes of `types` (by class name)."""
    try:
        plain = json.loads(blob.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SnapshotError(f"not JSON: {exc}") from exc
    return _value(plain, types)


def _plain(value: object) -> object:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {_TUPLE: [item if item is None or type(item) in _SCALARS else _plain(item) for item in value]}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {_DICT: [[_plain(key), _plain(item)] for key, item in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [getattr(value, name) for name in _field_names(type(value))]
        return {_RECORD: type(value).__name__,
                "v": [field if field is None or type(field) in _SCALARS else _plain(field) for field in fields]}
    raise TypeError(f"a stage output holds a {type(value).__name__}, which the cache cannot store")


def _value(plain: object, types: Mapping[str, type]) -> Any:
    if plain is None or isinstance(plain, (bool, int, float, str)):
        return plain
    if isinstance(plain, list):
        return [item if item is None or type(item) in _SCALARS else _value(item, types) for item in plain]
    if not isinstance(plain, dict) or len(plain) not in (1, 2):
        raise SnapshotError("an object the cache never writes")
    if _TUPLE in plain and isinstance(plain[_TUPLE], list):
        return tuple(item if item is None or type(item) in _SCALARS else _value(item, types) for item in plain[_TUPLE])
    if _DICT in plain and isinstance(plain[_DICT], list):
        pairs = plain[_DICT]
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
            raise SnapshotError("a malformed mapping")
        try:
            return {_value(key, types): _value(item, types) for key, item in pairs}
        except TypeError as exc:    # a key that cannot be one (a list)
            raise SnapshotError(f"a malformed mapping: {exc}") from exc
    name, values = plain.get(_RECORD), plain.get("v")
    cls = types.get(name) if isinstance(name, str) else None
    if cls is None or not isinstance(values, list):
        raise SnapshotError(f"a record of no known type ({name!r})")
    names = _field_names(cls)
    if len(values) != len(names):
        raise SnapshotError(f"a {name} of {len(values)} fields, not {len(names)}")
    try:
        return cls(**{field: item if item is None or type(item) in _SCALARS else _value(item, types)
                      for field, item in zip(names, values, strict=True)})
    except TypeError as exc:
        raise SnapshotError(f"a {name} that cannot be built: {exc}") from exc


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls) if field.init)
