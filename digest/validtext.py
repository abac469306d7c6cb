"""Valid text at the door: every string an input delivers, made safe for every output.

:func:`valid_text` is the one door for text from every kind of source (text
files, JSON Lines, RSS, Atom, JSON Feed, extracted pages). Its result

- encodes as UTF-8 strictly: surrogate pairs written as two code points are
  joined into their character, a lone surrogate becomes U+FFFD;
- has no CR: CRLF and a lone CR become LF;
- has no control character but tab and LF: no other C0 control, no DEL, no C1
  control (U+0080-U+009F) and no noncharacter U+FFFE/U+FFFF, so that it is
  also legal in XML 1.0 (the site's Atom and RSS feeds) and YAML;
- is its input unchanged when the input had none of the above, and so
  ``valid_text(valid_text(s)) == valid_text(s)``.

C1 controls in text are nearly always Windows-1252 bytes read as Latin-1, or
UTF-8 read as Latin-1 (mojibake): a string with one is first repaired with
ftfy, which maps them back (``\\x93`` to a curly quote, ``â\\x80\\x99`` to
``’``); any that ftfy cannot place is removed. DEL has no printable meaning in
any encoding a feed uses, so it goes with the C0 controls. ECMA-48 terminal
escape sequences (``ESC [ 31 m``) are removed whole, not only their ESC.

Every change is counted by kind (characters changed), for the build report.
:func:`valid_document` applies the door to every string of a
:class:`RawDocument`, and refuses (:class:`NotText`) what cannot be made text:
binary data read as text, or a record nested past any use. :func:`xml_legal`
is the narrower pass a whole XML feed gets before it is parsed (only what XML
forbids, so that one stray NUL does not make the feed ill-formed), and
:func:`repair_notices` says it all per source, one line per kind of change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import ftfy

from digest.records import RawDocument, Skipped

SURROGATE_PAIRS = "surrogate pairs joined"
LONE_SURROGATES = "lone surrogates replaced with U+FFFD"
LINE_ENDS = "CR line ends changed to LF"
TERMINAL_ESCAPES = "terminal escape sequences removed"
CONTROLS = "control characters removed"
NONCHARACTERS = "noncharacters removed (U+FFFE, U+FFFF, past U+10FFFF)"
MOJIBAKE = "C1 control characters read as Windows-1252 (mojibake repaired)"
UNITS = {SURROGATE_PAIRS: "pair", LINE_ENDS: "line end"}  # the other kinds count characters

# Over this share of a document's characters removed or replaced (controls, lone surrogates,
# noncharacters), it is binary data read as text, not text with strays: random bytes read as
# Windows-1252 lose about 12% (30 of 256 byte values are C0 controls or DEL), while text with
# stray controls loses well under 1%.
MAX_BROKEN_SHARE = 0.05
_BROKEN = (CONTROLS, LONE_SURROGATES, NONCHARACTERS)
MAX_DEPTH = 100  # nesting levels of a structured record; news records use two or three
REPAIRS_FIELD = "text_repairs"  # in a fetched document's fields: kind -> characters changed

Repairs = Counter[str]  # kind of change -> characters (or UNITS) changed

# Everything the door changes; a string without any of these is returned as it is.
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CR = re.compile("\r\n?")
_ESCAPE_SEQUENCE = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]")  # ECMA-48 CSI: ESC [ params final
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_NONCHARACTER = re.compile("[\ufffe\uffff]")
_C1 = re.compile("[\x80-\x9f]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 but tab, LF, CR
_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,8})|0*([0-9]{1,10}));")
# Only what reads C1 controls as Windows-1252 and undoes mojibake; the door counts and does
# the rest itself, and changes nothing else (no HTML unescaping, no normalisation).
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, uncurl_quotes=False,
    fix_latin_ligatures=False, fix_character_width=False, fix_line_breaks=False,
    fix_surrogates=False, remove_control_chars=False, normalization=None, explain=False)


class NotText(ValueError):
    """An input that cannot be made valid text; the message is one line for the report."""


def valid_text(text: str) -> tuple[str, Repairs]:
    """``text`` made valid (see the module's guarantees), and what was changed, by kind."""
    repairs: Repairs = Counter()
    if not _SUSPECT.search(text):
        return text, repairs
    text = _count_sub(_PAIR, _join_pair, text, repairs, SURROGATE_PAIRS)
    text = _count_sub(_SURROGATE, "\ufffd", text, repairs, LONE_SURROGATES)
    text = _count_sub(_CR, "\n", text, repairs, LINE_ENDS)
    text = _count_sub(_ESCAPE_SEQUENCE, "", text, repairs, TERMINAL_ESCAPES)
    text = _count_sub(_CONTROL, "", text, repairs, CONTROLS)
    text = _count_sub(_NONCHARACTER, "", text, repairs, NONCHARACTERS)
    c1 = len(_C1.findall(text))
    if c1:
        repairs[MOJIBAKE] += c1
        text = ftfy.fix_text(text, _FTFY)
        text = _count_sub(_SUSPECT, "", text, repairs, CONTROLS)  # what ftfy could not place
    return text, +repairs


def xml_legal(text: str) -> tuple[str, Repairs]:
    """A decoded XML document without the characters XML 1.0 forbids, and what was changed.

    Lone surrogates become U+FFFD; C0 controls but tab, LF and CR (terminal escape sequences
    whole), and U+FFFE/U+FFFF, are removed, and so are character references (``&#27;``) to
    any of them. Nothing else
    changes: CR is the parser's to normalize, and C1 controls are legal XML, left for
    :func:`valid_text` on each item's strings.
    """
    repairs: Repairs = Counter()
    text = _count_sub(_PAIR, _join_pair, text, repairs, SURROGATE_PAIRS)
    text = _count_sub(_SURROGATE, "\ufffd", text, repairs, LONE_SURROGATES)
    text = _count_sub(_ESCAPE_SEQUENCE, "", text, repairs, TERMINAL_ESCAPES)
    text = _count_sub(_XML_FORBIDDEN, "", text, repairs, CONTROLS)
    text = _count_sub(_NONCHARACTER, "", text, repairs, NONCHARACTERS)
    if "&#" in text:
        text = _CHARACTER_REFERENCE.sub(lambda m: _legal_reference(m, repairs), text)
    return text, +repairs


def valid_value(value: Any, repairs: Repairs, depth: int = 0) -> Any:
    """A JSON-like value (str, list, tuple, mapping, scalars) with every string, keys included,
    made valid; changes are added to ``repairs``. Raises :class:`NotText` past ``MAX_DEPTH``."""
    if isinstance(value, str):
        text, found = valid_text(value)
        repairs.update(found)
        return text
    if depth >= MAX_DEPTH and isinstance(value, (list, tuple, Mapping)):
        raise NotText(f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, (list, tuple)):
        return type(value)(valid_value(v, repairs, depth + 1) for v in value)
    if isinstance(value, Mapping):
        return {valid_value(str(k), repairs, depth + 1): valid_value(v, repairs, depth + 1)
                for k, v in value.items()}
    return value


def valid_document(doc: RawDocument) -> tuple[RawDocument, Repairs]:
    """``doc`` with its id, origin, text and every string of its fields made valid.

    Raises :class:`NotText` when it cannot be: more than ``MAX_BROKEN_SHARE`` of its
    characters had to be removed or replaced (binary data), or its fields nest too deeply.
    """
    repairs: Repairs = Counter()
    doc_id, origin, text = (valid_value(v, repairs) for v in (doc.id, doc.origin, doc.text))
    fields = valid_value(doc.fields, repairs)
    if not repairs:
        return doc, repairs
    broken = sum(repairs[kind] for kind in _BROKEN)
    size = len(doc.text) + _length(doc.fields) + len(doc.id) + len(doc.origin)
    if broken > MAX_BROKEN_SHARE * max(size, 1):
        raise NotText(f"not text: {broken:,} of its {size:,} characters are control characters"
                      " or broken (binary data?)")
    return replace(doc, id=doc_id, origin=origin, text=text, fields=fields), repairs


def made_valid(doc: RawDocument, earlier: Iterable[tuple[str, int]] = ()) -> RawDocument:
    """``doc`` as :func:`valid_document` makes it, with what that changed (and ``earlier``
    changes to what it was made from, such as its page) added to its :data:`REPAIRS_FIELD`:
    for sources whose documents are kept between builds (a feed's items), so that the report
    says it on every build that publishes them."""
    valid, repairs = valid_document(doc)
    repairs.update(dict(earlier))
    if not repairs:
        return valid
    repairs.update(recorded_repairs(valid))
    return replace(valid, fields={**valid.fields, REPAIRS_FIELD: dict(repairs)})


def recorded_repairs(doc: RawDocument) -> Repairs:
    """What :func:`made_valid` recorded in ``doc`` (nothing from a malformed field)."""
    found = doc.fields.get(REPAIRS_FIELD)
    if not isinstance(found, Mapping):
        return Counter()
    return Counter({k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, int)
                    and v > 0})


def repair_notices(where: str, noun: str, changed: Iterable[tuple[str, Mapping[str, int]]],
                   examples: int = 3) -> list[Skipped]:
    """One notice per kind of change for one source: how many of its inputs (``noun``:
    "item", "file"...), how many characters, and a few of their origins."""
    inputs: dict[str, list[str]] = {}
    characters: Repairs = Counter()
    for origin, repairs in changed:
        for kind, count in repairs.items():
            inputs.setdefault(kind, []).append(origin)
            characters[kind] += count
    notices = []
    for kind, origins in inputs.items():
        shown = ", ".join(origins[:examples]) + (", ..." if len(origins) > examples else "")
        notices.append(Skipped(where, f"{_count(len(origins), noun)}:"
                                      f" {change(kind, characters[kind])}: {shown}"))
    return notices


def change(kind: str, count: int) -> str:
    """A kind of change and its count as the report says it: "control characters removed
    (12 characters)"."""
    return f"{kind} ({_count(count, UNITS.get(kind, 'character'))})"


def _count_sub(pattern: re.Pattern[str], new: Any, text: str, repairs: Repairs,
               kind: str) -> str:
    """``pattern.sub`` that adds what it changed to ``repairs[kind]``: characters, or for the
    kinds counted in units of their own (:data:`UNITS`), matches."""
    matches = pattern.findall(text)
    if matches:
        text = pattern.sub(new, text)
        repairs[kind] += len(matches) if kind in UNITS else sum(len(m) for m in matches)
    return text


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun if n == 1 else noun + 's'}"


def _legal_reference(match: re.Match[str], repairs: Repairs) -> str:
    """A character reference as it is if XML allows its character; else U+FFFD's for a
    surrogate, nothing for any other, counted in ``repairs``."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or (
            0x10000 <= code <= 0x10FFFF):
        return match.group()
    if 0xD800 <= code <= 0xDFFF:
        repairs[LONE_SURROGATES] += 1
        return "&#xFFFD;"
    repairs[CONTROLS if code < 0x20 else NONCHARACTERS] += 1
    return ""


def _join_pair(match: re.Match[str]) -> str:
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _length(value: Any) -> int:
    """Characters in every string of a JSON-like value (a nesting check has been done)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return sum(_length(v) for v in value)
    if isinstance(value, Mapping):
        return sum(len(str(k)) + _length(v) for k, v in value.items())
    return 0
