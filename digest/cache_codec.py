"""Cache values as plain JSON text: nothing read back from a cache row can run code.

A cache file may come from anywhere (a CI cache restore, a shared folder), so
its rows are data, never programs. :class:`Codec` writes None, bool, int,
float, str, bytes, tuples, lists, dicts (any plain keys), sets and frozensets,
and frozen dataclasses of an explicit allow-list, nested at will, as JSON; it
reads them back equal, of the same types. A record is named in a row only by
its class name, looked up in the allow-list given to the codec: no name in a
row is ever imported or called. Anything else in a row (not JSON, an unknown
tag or class, fields that do not fit) makes :meth:`Codec.decode` raise
:class:`Undecodable`, which the cache treats as a miss.

JSON arrays are tuples (the common case in records) and JSON strings, numbers,
booleans and null stand for themselves; every other kind is a one-key object
whose key says what it is.
"""

from __future__ import annotations

import binascii
import dataclasses
import json
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_LIST, _DICT, _SET, _FROZENSET, _BYTES, _RECORD = "l", "d", "s", "f", "b", "r"


class Undecodable(ValueError):
    """A row that is not a value this codec wrote (damaged, foreign or crafted)."""


class Codec:
    """Encode and decode cache values; records only of the classes in ``records``."""

    def __init__(self, records: Iterable[type] = ()) -> None:
        self.records: dict[str, type] = {}
        self.fields: dict[type, tuple[str, ...]] = {}
        self._values: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
        for cls in records:
            if not (dataclasses.is_dataclass(cls) and isinstance(cls, type)):
                raise TypeError(f"{cls!r} is not a dataclass")
            if self.records.get(cls.__name__, cls) is not cls:
                raise ValueError(f"two record classes named {cls.__name__}")
            fields = dataclasses.fields(cls)
            if not all(f.init for f in fields):  # rebuilt from its fields, in order
                raise TypeError(f"{cls.__name__} has fields its constructor does not take")
            self.records[cls.__name__] = cls
            self.fields[cls] = names = tuple(f.name for f in fields)
            self._values[cls] = _getter(names)

    def encode(self, value: Any) -> str:
        """``value`` as JSON text; TypeError for a type the codec does not know."""
        return json.dumps(self._plain(value), ensure_ascii=True, separators=(",", ":"),
                          check_circular=False)

    def decode(self, text: object) -> Any:
        """The value :meth:`encode` made ``text`` from; :class:`Undecodable` for anything else."""
        if not isinstance(text, str):  # e.g. a pickle left by an older version: never loaded
            raise Undecodable(f"not JSON text but {type(text).__name__}")
        try:
            return self._value(json.loads(text))
        except Undecodable:
            raise
        except (ValueError, TypeError, KeyError, IndexError, RecursionError,
                binascii.Error) as exc:
            raise Undecodable(f"{type(exc).__name__}: {exc}") from None

    def _plain(self, value: Any) -> Any:
        """``value`` as what ``json.dumps`` writes without loss."""
        # strings are most of a record: they skip the call (the same below, in _value)
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            return value
        if kind is tuple:
            return [v if type(v) is str else self._plain(v) for v in value]
        if kind is list:
            return {_LIST: [v if type(v) is str else self._plain(v) for v in value]}
        if kind is bytes:
            return {_BYTES: binascii.b2a_base64(value, newline=False).decode("ascii")}
        values = self._values.get(kind)
        if values is not None:
            return {_RECORD: [kind.__name__, *[v if type(v) is str else self._plain(v)
                                               for v in values(value)]]}
        if isinstance(value, Mapping):
            return {_DICT: [[self._plain(k), self._plain(v)] for k, v in value.items()]}
        if kind is frozenset or kind is set:
            # sorted by the JSON of each member, so equal sets give equal rows
            items = sorted((self._plain(v) for v in value), key=_canonical)
            return {_FROZENSET if kind is frozenset else _SET: items}
        raise TypeError(f"cannot cache a {kind.__qualname__}: not plain data or an allowed record")

    def _value(self, plain: Any) -> Any:
        """The value a parsed JSON value stands for."""
        kind = type(plain)
        if kind is list:
            return tuple([v if type(v) is str else self._value(v) for v in plain])
        if kind is dict:
            return self._tagged(plain)
        return plain

    def _tagged(self, obj: dict[str, Any]) -> Any:
        if len(obj) != 1:
            raise Undecodable("an object that is not one tagged value")
        [(tag, body)] = obj.items()
        if tag == _BYTES:
            return binascii.a2b_base64(body, strict_mode=True)
        if type(body) is not list:
            raise Undecodable(f"tag {tag!r} without a list")
        if tag == _LIST:
            return [self._value(v) for v in body]
        if tag == _DICT:
            return {self._key(k): self._value(v) for k, v in body}
        if tag == _FROZENSET:
            return frozenset(self._key(v) for v in body)
        if tag == _SET:
            return {self._key(v) for v in body}
        if tag == _RECORD:
            return self._record(body)
        raise Undecodable(f"unknown tag {tag!r}")

    def _record(self, body: list[Any]) -> Any:
        if not body or type(body[0]) is not str:
            raise Undecodable("a record without a class name")
        cls = self.records.get(body[0])  # only the allow-list: a name in a row imports nothing
        if cls is None:
            raise Undecodable(f"record class {body[0]!r} is not allowed")
        names = self.fields[cls]
        if len(body) != len(names) + 1:
            raise Undecodable(f"{body[0]}: {len(body) - 1} fields, expected {len(names)}")
        return cls(**{name: v if type(v) is str else self._value(v)  # by name: some take
                      for name, v in zip(names, body[1:], strict=True)})  # keywords only

    def _key(self, plain: Any) -> Any:
        """A value fit to be a dict key or set member."""
        value = self._value(plain)
        hash(value)  # a list or dict here is damage: TypeError, caught as undecodable
        return value


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the values of the attributes ``names`` of an object, as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)  # one C call for all fields
    return lambda obj: tuple(getattr(obj, n) for n in names)


def _canonical(plain: Any) -> str:
    return json.dumps(plain, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
