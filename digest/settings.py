"""Settings declared once, as fields of frozen dataclasses: type, default, check, help.

:func:`setting` makes a dataclass field that is also a key of a YAML mapping;
what the key accepts follows from the field's type. :func:`schema` gives the
keys of the mapping a dataclass is read from (for the reader in
:mod:`digest.config`), and :func:`settings_reference` one row per key (for the
README's reference table), both from the same fields, so the records, the
validation and the documentation cannot disagree.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Check = Callable[[Any], str | None]  # a value's problem, or None


@dataclass(frozen=True)
class Setting:
    """What one key means and accepts, kept in its field's metadata.

    What the key holds in YAML follows from the field's type: ``str`` text,
    ``int`` an integer, ``float`` any number, ``bool`` true or false,
    ``tuple[str, ...]`` a list of text (each entry stripped), a dataclass a
    mapping of its own settings, a tuple of dataclasses a list of such mappings.
    """

    help: str  # what it means: the "meaning" column of the README's table
    check: Check | None = None  # the value's problem (a list's: the whole list's), or None
    each: Check | None = None  # a list entry's problem, named with the entry's index
    required: bool = False
    key: str = ""  # its place in the file when not the field's name: "summary.sentences"
    kind: tuple[type, ...] = ()  # the YAML values it accepts, when not what the type says
    shape: str = ""  # the README's "type" column, when not the kind's name
    shown_default: str = ""  # the README's "default" column, when not the default itself


def setting(default: Any = dataclasses.MISSING, /, **declared: Any) -> Any:
    """A dataclass field that is a key of the file; ``declared`` are :class:`Setting`'s
    fields. A dataclass given as ``default`` is a section, defaulting to its own defaults."""
    metadata = {"setting": Setting(**declared)}
    if isinstance(default, type):
        return field(default_factory=default, metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Key:
    """One key of a mapping, as the reader and the reference table see it."""

    attr: str  # the dataclass field it fills ("" for a group of keys)
    setting: Setting
    kinds: tuple[type, ...]  # the YAML values it accepts
    default: Any  # the field's default (dataclasses.MISSING when it has none)
    section: type | None = None  # the dataclass its mapping (or each of its entries) reads into
    keys: dict[str, Key] = field(default_factory=dict)  # a group's own keys ("summary")


@functools.cache
def schema(cls: type) -> dict[str, Key]:
    """The keys of the mapping that ``cls`` is read from, in declaration order; fields
    declared without :func:`setting` are not keys."""
    hints = typing.get_type_hints(cls)
    keys: dict[str, Key] = {}
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("setting")
        if spec is None:
            continue
        hint = hints[f.name]
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else (
            f.default)
        key = Key(f.name, spec, spec.kind or _kinds(hint), default, _section(hint))
        group, _, name = spec.key.rpartition(".") if spec.key else ("", "", f.name)
        if group:
            keys.setdefault(group, Key("", Setting(""), (dict,), None)).keys[name] = key
        else:
            keys[name] = key
    return keys


def _kinds(hint: Any) -> tuple[type, ...]:
    """The YAML values a field of this type accepts."""
    if hint is float:
        return (int, float)
    if typing.get_origin(hint) is tuple:
        return (list,)
    if isinstance(hint, types.UnionType):
        return tuple(kind for arg in typing.get_args(hint) for kind in _kinds(arg))
    return (dict,) if dataclasses.is_dataclass(hint) else (hint,)


def _section(hint: Any) -> type | None:
    """The dataclass a mapping or a list of mappings is read into."""
    args = typing.get_args(hint)
    inner = args[0] if typing.get_origin(hint) is tuple and args else hint
    return inner if isinstance(inner, type) and dataclasses.is_dataclass(inner) else None


def settings_reference(cls: type) -> Iterator[tuple[str, str, str, str]]:
    """Every key of the mapping ``cls`` is read from, sections walked in place: its full
    name (``fetch.timeout``, ``sources[].name``), type, default and meaning."""
    yield from _reference(schema(cls), "")


def _reference(keys: dict[str, Key], prefix: str) -> Iterator[tuple[str, str, str, str]]:
    for name, key in keys.items():
        if key.keys:
            yield from _reference(key.keys, f"{prefix}{name}.")
        elif key.section is not None:
            yield from _reference(schema(key.section),
                                  f"{prefix}{name}{'[].' if list in key.kinds else '.'}")
        else:
            spec = key.setting
            yield (f"{prefix}{name}", spec.shape or _kind_name(key.kinds),
                   spec.shown_default or _default_name(key.default, spec.required), spec.help)


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {str: "text", int: "integer", bool: "bool", list: "list of text", dict: "mapping",
             type(None): "null"}
    return "number" if float in kinds else " or ".join(names[k] for k in kinds)


def _default_name(value: Any, required: bool) -> str:
    if required:
        return "required"
    if value is None or value == ():
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    return f"`{value}`" if value else "empty"
