"""Cache values as plain JSON text: nothing read back from a cache row can run code.

A cache file may come from anywhere (a CI cache restore, a shared folder), so
its rows are data, never programs. :class:`Codec` writes None, bool, int,
float, str, bytes, tuples, lists, dicts (any plain keys), sets and frozensets,
and frozen dataclasses of an explicit allow-list, nested at will, as JSON; it
reads them back equal, of the same types. A record is named in a row only by
its class name, looked up in the allow-list given to the codec: no name in a
row is ever imported or called. A record is rebuilt only when each of its
fields holds a value of the type its annotation gives (the class's type hints,
read once, when the codec is made), so a decoded record is as well-typed as one
the pipeline made: a crafted ``Topic`` whose summary holds strings, or a
``Processed`` whose article is a string, is not a record but a miss. Anything
else in a row (not JSON, an unknown tag or class, the wrong number of fields, a
field of the wrong type) makes :meth:`Codec.decode` raise :class:`Undecodable`,
which the cache treats as a miss.

JSON arrays are tuples (the common case in records) and JSON strings, numbers,
booleans and null stand for themselves; every other kind is a one-key object
whose key says what it is.
"""

from __future__ import annotations

import binascii
import collections.abc
import dataclasses
import json
import operator
import types
import typing
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from itertools import chain, product, repeat
from typing import Any, Literal, NamedTuple, Union

_LIST, _DICT, _SET, _FROZENSET, _BYTES, _RECORD = "l", "d", "s", "f", "b", "r"


class Undecodable(ValueError):
    """A row that is not a value this codec wrote (damaged, foreign or crafted)."""


class Codec:
    """Encode and decode cache values; records only of the classes in ``records``, and read
    back only with fields that fit their annotations."""

    def __init__(self, records: Iterable[type] = ()) -> None:
        """The codec for the record classes ``records``.

        TypeError for a class that is not a dataclass, or that has a field whose annotation
        the decoder cannot check a value against (see :func:`_fit_of`): such a record could
        never be trusted when read back, so it is refused here, not when a row is read.
        """
        self.records: dict[str, type] = {}
        self.fields: dict[type, tuple[str, ...]] = {}
        self._values: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
        self._fit: dict[type, Callable[[Sequence[Any]], bool]] = {}  # a record's field values
        self._hints: dict[type, tuple[_Field, ...]] = {}  # what each field must hold
        self._hint_fits: dict[Any, _Fit] = {}  # for fits(), by annotation
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
        allowed = tuple(self.records.values())  # a field may hold any of them: all known first
        for cls in allowed:
            self._hints[cls] = hints = _field_hints(cls, allowed)
            self._fit[cls] = _all_fit(tuple(h.fit for h in hints))

    def fits(self, value: Any, hint: Any) -> bool:
        """Whether a decoded ``value`` is of the type ``hint`` (an annotation, as for a
        record's field, e.g. ``tuple[TopicSentence, ...]``): what a caller checks a whole
        row against when a row may hold more than records. TypeError for a hint the codec
        cannot check."""
        fit = self._hint_fits.get(hint)
        if fit is None:
            fit = self._hint_fits[hint] = _fit_of(hint, tuple(self.records.values()))
        return _fits(fit, value)

    def encode(self, value: Any) -> str:
        """``value`` as JSON text; TypeError for a type the codec does not know.

        Records are written as they are: one whose fields do not fit their annotations is
        written, but never read back (:meth:`decode` refuses it, so it is a miss each time).
        """
        return json.dumps(self._plain(value), ensure_ascii=True, separators=(",", ":"),
                          check_circular=False)

    def decode(self, text: object) -> Any:
        """The value :meth:`encode` made ``text`` from; :class:`Undecodable` for anything else,
        a record with a field that does not fit its annotation included."""
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
        values = [v if type(v) is str else self._value(v) for v in body[1:]]
        if not self._fit[cls](values):  # checked before the class's own code sees them
            raise Undecodable(self._misfit(cls, values))
        return cls(**dict(zip(names, values, strict=True)))  # by name: some take keywords only

    def _misfit(self, cls: type, values: Sequence[Any]) -> str:
        """What is wrong with ``values`` as the fields of a ``cls`` (they do not all fit)."""
        for field, value in zip(self._hints[cls], values, strict=True):
            if not _fits(field.fit, value):
                return (f"{cls.__name__}.{field.name} is to hold {_spelled(field.hint)},"
                        f" not this {type(value).__name__}")
        return f"{cls.__name__}: fields that do not fit"  # (not reached: one fails above)

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


# --- checking decoded fields against their annotations ----------------------------------
#
# Decoded values have exact types (json.loads gives exact str, int, float, bool and None;
# the codec builds exact tuples, lists, dicts, sets, frozensets, bytes and allow-listed
# records), so a field is checked by the exact type of its value, a set lookup, and the
# members of a container by the set of their types where that is enough: both run in C.
# A bool is not taken for an int or a float (JSON keeps ``true`` apart from ``1``, and
# the codec writes a bool back as one), so a row with ``true`` where a count is due is a
# miss; a float field takes an int (JSON writes ``2.0`` as a float, but an int is a fine
# float wherever the pipeline reads one).

_NONE = type(None)
_TUPLE = frozenset({tuple})
_ITERABLE = frozenset({tuple, list, set, frozenset})  # containers iterated for their members
_PLAIN: dict[Any, frozenset[type]] = {
    str: frozenset({str}), bytes: frozenset({bytes}), bool: frozenset({bool}),
    int: frozenset({int}), float: frozenset({float, int}), _NONE: frozenset({_NONE}),
    None: frozenset({_NONE}), tuple: _TUPLE, list: frozenset({list}), set: frozenset({set}),
    frozenset: frozenset({frozenset}), dict: frozenset({dict}),
    collections.abc.Mapping: frozenset({dict}),  # a decoded mapping is always a dict
}


class _Fit(NamedTuple):
    """The values that fit one annotation: those whose exact type is one of ``types`` (None:
    any type) and, when ``inner`` is given, for which ``inner`` is true (it looks inside a
    container). ``inner`` is only ever called on a value whose type is one of ``types``.
    ``members``, when given, says what ``inner`` checks: that the exact type of each member
    of the container is one of ``members`` (so fields alike can be checked at one go);
    ``shapes``, when given, that the value is a tuple whose members' exact types, in
    order, are one of ``shapes`` (so a container of such tuples can check them at one go).
    """

    types: frozenset[type] | None
    inner: Callable[[Any], bool] | None = None
    members: frozenset[type] | None = None
    shapes: frozenset[tuple[type, ...]] | None = None


_ANY = _Fit(None)


class _Field(NamedTuple):
    """One field of a record class: its name, its annotation, and the values that fit it."""

    name: str
    hint: Any
    fit: _Fit


class _Everything:
    """A container that holds every type: the top-level type check of an ``Any`` field."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERYTHING = _Everything()


def _fits(fit: _Fit, value: Any) -> bool:
    """Whether ``value`` fits ``fit``."""
    return ((fit.types is None or type(value) in fit.types)
            and (fit.inner is None or fit.inner(value)))


def _field_hints(cls: type, records: tuple[type, ...]) -> tuple[_Field, ...]:
    """The fields of the dataclass ``cls`` with what each must hold, from its type hints;
    TypeError, naming the class and the field, for an annotation :func:`_fit_of` cannot
    check (or annotations that do not resolve)."""
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError, AttributeError, SyntaxError) as exc:
        raise TypeError(f"the field annotations of record class {cls.__name__} do not"
                        f" resolve: {exc}") from exc
    fields = []
    for f in dataclasses.fields(cls):
        try:
            fields.append(_Field(f.name, hints[f.name], _fit_of(hints[f.name], records)))
        except TypeError as exc:
            raise TypeError(f"record class {cls.__name__}, field {f.name!r}: {exc}") from None
    return tuple(fields)


def _fit_of(hint: Any, records: tuple[type, ...]) -> _Fit:
    """The values a decoded field annotated ``hint`` may hold.

    Understood: ``Any`` and ``object`` (anything); str, bytes, bool, int (a bool is not one),
    float (an int is one), None; unions (``X | None``, ``Optional``, ``Union``);
    ``Literal``; ``tuple[X, ...]`` and fixed ``tuple[X, Y]``; ``list[X]``, ``set[X]``,
    ``frozenset[X]``; ``dict[K, V]`` and ``Mapping[K, V]``; the bare containers (of
    anything); and record classes, which take a decoded record of that class or of an
    allow-listed subclass of it (a class on no allow-list takes none: the codec never
    writes one). Anything else is a TypeError.
    """
    if hint is Any or hint is object:
        return _ANY
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union or origin is types.UnionType:
        return _union([_fit_of(arg, records) for arg in args])
    if origin is Literal:
        return _literal(args)
    if origin is tuple:
        return _tuple_fit(hint, args, records)
    if origin in (list, set, frozenset):
        return _container(_PLAIN[origin], _fit_of(args[0], records) if args else _ANY)
    if origin is dict or origin is collections.abc.Mapping:
        return _mapping_fit(args, records)
    if origin is None and (hint is None or isinstance(hint, type)):
        if hint in _PLAIN:
            return _Fit(_PLAIN[hint])
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return _record_fit(hint, records)
    raise TypeError(f"the cache codec cannot check a value against {_spelled(hint)}")


def _record_fit(cls: type, records: tuple[type, ...]) -> _Fit:
    """The decoded records that fit a field annotated with the record class ``cls``: those of
    ``cls`` and of its subclasses on the allow-list ``records``. They were checked field by
    field when they were rebuilt, so their class is all there is left to check."""
    return _Fit(frozenset(c for c in records if issubclass(c, cls)))


def _union(fits: list[_Fit]) -> _Fit:
    """The values that fit any of ``fits``."""
    shallow: set[type] = set()  # types that fit by themselves
    deep: list[_Fit] = []  # fits that look inside their values
    for fit in fits:
        if fit.types is None:
            return _ANY
        if fit.inner is None:
            shallow.update(fit.types)
        else:
            deep.append(fit)
    only = frozenset(shallow)
    every = only.union(*[fit.types for fit in deep if fit.types is not None])
    if not deep:
        return _Fit(only)
    return _Fit(every, lambda value: type(value) in only or any(_fits(f, value) for f in deep))


def _literal(values: tuple[Any, ...]) -> _Fit:
    """The values equal to one of ``values`` and of its type (``True`` is not ``1``)."""
    pairs = frozenset((type(v), v) for v in values)
    return _Fit(frozenset(type(v) for v in values), lambda value: (type(value), value) in pairs)


def _tuple_fit(hint: Any, args: tuple[Any, ...], records: tuple[type, ...]) -> _Fit:
    """The tuples that fit ``tuple[X, ...]``, a fixed ``tuple[X, Y]`` or a bare ``Tuple``."""
    if len(args) == 2 and args[1] is Ellipsis:
        return _container(_TUPLE, _fit_of(args[0], records))
    if not args and hint is typing.Tuple:  # noqa: UP006 - the bare alias, compared
        return _Fit(_TUPLE)  # of anything (tuple[()] has no args either: the empty tuple)
    if args == ((),):  # how some versions spell the empty tuple
        args = ()
    fits = tuple(_fit_of(arg, records) for arg in args)
    shapes = _shapes(fits)
    if shapes is not None:  # one lookup of the members' types: (str, str, str)
        return _Fit(_TUPLE, lambda value: tuple(map(type, value)) in shapes, shapes=shapes)
    check, length = _all_fit(fits), len(fits)
    return _Fit(_TUPLE, lambda value: len(value) == length and check(value))


def _shapes(fits: tuple[_Fit, ...], most: int = 64) -> frozenset[tuple[type, ...]] | None:
    """Every sequence of exact types that fits ``fits`` position by position, when each
    position is checked by type alone and there are at most ``most`` of them; else None."""
    count = 1
    for fit in fits:
        if fit.types is None or fit.inner is not None:
            return None
        count *= len(fit.types)
    if count > most:
        return None
    return frozenset(product(*[fit.types for fit in fits if fit.types is not None]))


def _mapping_fit(args: tuple[Any, ...], records: tuple[type, ...]) -> _Fit:
    """The dicts that fit ``dict[K, V]`` or ``Mapping[K, V]`` (of anything without args)."""
    keys = _each(_fit_of(args[0], records)) if args else None
    values = _each(_fit_of(args[1], records)) if args else None
    if keys is None and values is None:
        return _Fit(_PLAIN[dict])
    return _Fit(_PLAIN[dict], lambda value: ((keys is None or keys(value))
                                             and (values is None or values(value.values()))))


def _container(kinds: frozenset[type], member: _Fit) -> _Fit:
    """The containers of one of the types ``kinds`` whose members all fit ``member``."""
    plain = member.types if member.inner is None else None  # members checked by type alone
    return _Fit(kinds, _each(member), plain)


def _each(fit: _Fit) -> Callable[[Iterable[Any]], bool] | None:
    """A check that every member of an iterable fits ``fit``; None when anything does."""
    if fit.types is None:
        return None
    allowed, shapes = fit.types, fit.shapes
    if fit.inner is None:  # the set of member types, all in C
        return lambda members: allowed.issuperset(map(type, members))
    if shapes is not None:  # tuples of plain types: each member's types, in C too
        return lambda members: (allowed.issuperset(map(type, members)) and shapes.issuperset(
            map(tuple, map(map, repeat(type), members))))
    return lambda members: all(_fits(fit, member) for member in members)


def _all_fit(fits: tuple[_Fit, ...]) -> Callable[[Sequence[Any]], bool]:
    """A check that ``values[i]`` fits ``fits[i]``, for a sequence of ``len(fits)`` values."""
    tops: tuple[Container[type], ...] = tuple(
        _EVERYTHING if fit.types is None else fit.types for fit in fits)
    alike: dict[frozenset[type], list[int]] = {}  # containers whose members fit by type
    deep: list[tuple[int, Callable[[Any], bool]]] = []  # the other containers
    for i, fit in enumerate(fits):
        if fit.members is not None and fit.types is not None and fit.types <= _ITERABLE:
            alike.setdefault(fit.members, []).append(i)
        elif fit.inner is not None:
            deep.append((i, fit.inner))
    grouped = tuple((members, _picker(at)) for members, at in alike.items())
    contains = operator.contains

    def check(values: Sequence[Any]) -> bool:
        if not all(map(contains, tops, map(type, values))):  # every value's own type
            return False
        for members, pick in grouped:  # the members of all alike containers at one go
            if not members.issuperset(map(type, chain.from_iterable(pick(values)))):
                return False
        return not deep or all(inner(values[i]) for i, inner in deep)  # the other containers

    return check


def _picker(at: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function giving the items at the positions ``at`` of a sequence, as a tuple."""
    if len(at) > 1:
        return operator.itemgetter(*at)
    [only] = at
    return lambda values: (values[only],)


def _spelled(hint: Any) -> str:
    """An annotation as it is written (``str``, ``tuple[str, ...]``)."""
    return hint.__qualname__ if isinstance(hint, type) else str(hint)
