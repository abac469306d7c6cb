"""The cache codec rebuilds a record only when every field holds what its annotation says.

A cache file may be crafted: a row that is good JSON and names an allowed record class can
still give it fields of the wrong type (a ``Topic`` whose summary holds strings, a
``Processed`` whose article is a string). Such a row must be :class:`Undecodable` (a miss,
computed again), never a record that makes a later stage fail. Real records round-trip;
crafted ones are refused, field by field; an annotation the codec cannot check is refused
when the codec is made; and a build over a cache whose every row was crafted so is the
same as the build that made the cache.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import sqlite3
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Optional, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.cache_codec import Codec, Undecodable
from digest.clean.furniture import read_page
from digest.clean.template import item_units
from digest.config import load_config
from digest.dedupe import fingerprint
from digest.group import item_features
from digest.per_article import Processed
from digest.pipeline import CACHED_RECORDS, build_digest
from digest.records import Article, Cleaned, Copy, Digest, Topic, TopicSentence

CODEC = Codec(CACHED_RECORDS)

CRANE = ("The old harbour crane lifted its first container in three years on Monday morning.",
         "Dock workers said the repairs had cost less than the port authority feared.")


def crafted(record: Any, **fields: Any) -> Any:
    """A copy of ``record`` with ``fields`` set as given, past any check its constructor
    makes: what a hand-written cache row can hold, written by the codec itself."""
    copy = object.__new__(type(record))
    for f in dataclasses.fields(record):
        object.__setattr__(copy, f.name, fields.get(f.name, getattr(record, f.name)))
    return copy


# --- real records ---------------------------------------------------------------------

def real_records() -> dict[str, Any]:
    """One instance of each cached record class, made the way the pipeline makes them."""
    cleaned = Cleaned(title="Harbour crane back", standfirst="After three years.",
                      date="2026-03-02", byline="A. Writer", body=CRANE, subheads=("Repairs",),
                      subhead_index=(1,), captions=("The crane.",), related=("Ferry late",),
                      popular=("Library",), language="en-GB", title_from_text=False,
                      image="https://quay.example/crane.jpg")
    copy = Copy("other/1", "other", "Crane back", None, "https://other.example/1",
                ("A third paragraph.",))
    article = Article("quay/1", "quay", "quay.xml", cleaned, url="https://quay.example/1",
                      priority=1, summary=CRANE[:1], duplicate_of=None, also_in=(copy,),
                      topic="crane")
    sentence = TopicSentence(CRANE[0], "quay/1")
    return {
        "Processed": Processed(article, fingerprint(CRANE).to_bytes()),
        "Article": article,
        "Cleaned": cleaned,
        "Copy": copy,
        "Topic": Topic("crane", "Harbour crane", ("quay/1", "other/1"), (sentence,),
                       (("quay/1", "Ferry late", "quay/2"),)),
        "TopicSentence": sentence,
        "PageLines": read_page("Quay News\nHome | Sport\n" + "\n".join(CRANE) + "\nShare"),
        "ItemFeatures": item_features("Harbour crane back", " ".join(CRANE)),
        "ItemUnits": item_units("quay/1", "Harbour crane back", CRANE),
    }


def test_every_cached_record_class_has_an_example_here() -> None:
    # a record class added to the allow-list needs its own example in real_records()
    assert {type(r) for r in real_records().values()} == set(CACHED_RECORDS)


@pytest.mark.parametrize("name", sorted(real_records()))
def test_a_real_record_round_trips(name: str) -> None:
    record = real_records()[name]
    assert type(record).__name__ == name
    again = CODEC.decode(CODEC.encode(record))
    assert again == record and type(again) is type(record)
    assert CODEC.decode(CODEC.encode((record, [record]))) == (record, [record])


def test_a_headline_only_result_round_trips() -> None:
    for result in (Processed(None, b"", "no article text recognised"),
                   Processed(Article("quay/2", "quay", "quay.xml", title="Only a title"))):
        assert CODEC.decode(CODEC.encode(result)) == result


# --- crafted records --------------------------------------------------------------------

def wrong_rows() -> dict[str, tuple[Any, str]]:
    """Rows of real records with one field of the wrong type: (value, the field named)."""
    r = real_records()
    article, topic, units = r["Article"], r["Topic"], r["ItemUnits"]
    return {
        "Topic.summary of strings": (crafted(topic, summary=("x",)), "Topic.summary"),
        "Topic.summary a string": (crafted(topic, summary="x"), "Topic.summary"),
        "Topic.summary of Copies": (crafted(topic, summary=(r["Copy"],)), "Topic.summary"),
        "Topic.links too short": (crafted(topic, links=(("a", "b"),)), "Topic.links"),
        "Topic.links with an int": (crafted(topic, links=(("a", "b", 3),)), "Topic.links"),
        "Topic.article_ids None": (crafted(topic, article_ids=None), "Topic.article_ids"),
        "Processed.article a string": (crafted(r["Processed"], article="a string"),
                                       "Processed.article"),
        "Processed.article a Topic": (crafted(r["Processed"], article=topic),
                                      "Processed.article"),
        "Processed.fingerprint a string": (crafted(r["Processed"], fingerprint="00ff"),
                                           "Processed.fingerprint"),
        "Article.cleaned a dict": (crafted(article, cleaned={"title": "T"}), "Article.cleaned"),
        "Article.summary with an int": (crafted(article, summary=("One.", 2)),
                                        "Article.summary"),
        "Article.priority a string": (crafted(article, priority="1"), "Article.priority"),
        "Article.url a tuple": (crafted(article, url=("https://x",)), "Article.url"),
        "Article.also_in of strings": (crafted(article, also_in=("other/1",)),
                                       "Article.also_in"),
        "Cleaned.body a string": (crafted(r["Cleaned"], body="One paragraph"), "Cleaned.body"),
        "Cleaned.subhead_index of strings": (crafted(r["Cleaned"], subhead_index=("1",)),
                                             "Cleaned.subhead_index"),
        "Cleaned.date an int": (crafted(r["Cleaned"], date=20260302), "Cleaned.date"),
        "Cleaned.title_from_text an int": (crafted(r["Cleaned"], title_from_text=1),
                                           "Cleaned.title_from_text"),
        "Cleaned.image a list": (crafted(r["Cleaned"], image=["https://x"]), "Cleaned.image"),
        "Copy.adds with None": (crafted(r["Copy"], adds=("x", None)), "Copy.adds"),
        "Copy.date a list": (crafted(r["Copy"], date=["2026-03-02"]), "Copy.date"),
        "TopicSentence.text None": (crafted(r["TopicSentence"], text=None), "TopicSentence.text"),
        "PageLines.first_prose a string": (crafted(r["PageLines"], first_prose="2"),
                                           "PageLines.first_prose"),
        "PageLines.keys of tuples": (crafted(r["PageLines"], keys=(("k",),)), "PageLines.keys"),
        "ItemFeatures.terms a string": (crafted(r["ItemFeatures"], terms="abc"),
                                        "ItemFeatures.terms"),
        "ItemUnits.keys with an int": (crafted(units, keys=("k", 1)), "ItemUnits.keys"),
        # a bool is not taken for an int (the codec's stated choice)
        "ItemUnits.words with a bool": (crafted(units, words=(True,)), "ItemUnits.words"),
        "ItemUnits.words a frozenset": (crafted(units, words=frozenset({1})), "ItemUnits.words"),
    }


@pytest.mark.parametrize("case", sorted(wrong_rows()))
def test_a_record_with_a_field_of_the_wrong_type_is_undecodable(case: str) -> None:
    value, field = wrong_rows()[case]
    row = CODEC.encode(value)  # the codec writes what it is given: the row is well-formed
    with pytest.raises(Undecodable, match=field.replace(".", r"\.")):
        CODEC.decode(row)
    # as deep inside a row as it may be: a slot's (key, value), a list of records
    for holder in (("slot key", (real_records()["Topic"], value)), [value], {"k": value}):
        with pytest.raises(Undecodable, match=field.replace(".", r"\.")):
            CODEC.decode(CODEC.encode(holder))


# --- what annotations the codec checks -------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Part:
    text: str
    at: int | None = None


@dataclasses.dataclass(frozen=True)
class Sample:
    """A record annotated with every kind of annotation the codec checks."""

    name: str
    count: int
    share: float | None
    words: tuple[str, ...]
    pair: tuple[int, str]
    kind: Literal["a", "b", 3]
    tags: frozenset[str]
    seen: set[int]
    table: dict[str, tuple[int, ...]]
    meta: Mapping[str, Any]
    parts: list[Part]
    first: Optional[Part]  # noqa: UP045 - the typing spellings are checked too
    either: Union[bytes, tuple[Part, ...]]  # noqa: UP007
    extra: Any
    flag: bool


SAMPLE = Sample("n", 2, 0.5, ("a", "b"), (1, "x"), "a", frozenset({"t"}), {1, 2},
                {"k": (1, 2)}, {"m": [1, b"2"]}, [Part("p", 1)], None, b"\x00", ("any", 1),
                True)
SAMPLE_CODEC = Codec([Sample, Part])


def test_every_kind_of_annotation_round_trips() -> None:
    for value in (SAMPLE, dataclasses.replace(SAMPLE, share=3, first=Part("f"), kind=3,
                                              either=(Part("e", None),), extra=Part("x"))):
        again = SAMPLE_CODEC.decode(SAMPLE_CODEC.encode(value))
        assert again == value and type(again.share) is type(value.share)


@pytest.mark.parametrize("field, wrong", [
    ("name", b"n"), ("name", None), ("count", True), ("count", 2.0), ("count", "2"),
    ("share", True), ("share", "0.5"), ("words", ["a"]), ("words", ("a", 1)),
    ("pair", (1,)), ("pair", ("x", 1)), ("pair", (1, "x", 2)), ("kind", "c"), ("kind", True),
    ("kind", 3.0), ("tags", {"t"}), ("tags", frozenset({1})), ("seen", frozenset({1})),
    ("table", {1: (1,)}), ("table", {"k": ("1",)}), ("table", [("k", (1,))]),
    ("meta", {1: 1}), ("meta", (("m", 1),)), ("parts", (Part("p"),)), ("parts", ["p"]),
    ("first", "f"), ("first", SAMPLE), ("either", "b"), ("either", (b"x",)), ("flag", 1),
    ("flag", None),
])
def test_each_kind_of_annotation_refuses_what_does_not_fit(field: str, wrong: Any) -> None:
    with pytest.raises(Undecodable, match=rf"Sample\.{field}\b"):
        SAMPLE_CODEC.decode(SAMPLE_CODEC.encode(crafted(SAMPLE, **{field: wrong})))


def test_a_record_inside_a_record_is_checked_field_by_field() -> None:
    for value in (crafted(SAMPLE, first=crafted(Part("x"), text=1)),
                  crafted(SAMPLE, parts=[Part("p"), crafted(Part("x"), at="2")]),
                  crafted(SAMPLE, extra={"k": (crafted(Part("x"), at=True),)})):
        with pytest.raises(Undecodable, match=r"Part\.(text|at)\b"):
            SAMPLE_CODEC.decode(SAMPLE_CODEC.encode(value))


def test_a_record_field_takes_an_allowed_subclass_and_nothing_off_the_list() -> None:
    @dataclasses.dataclass(frozen=True)
    class Note(Part):
        by: str = ""

    @dataclasses.dataclass(frozen=True)
    class Holder:
        part: Part | None

    @dataclasses.dataclass(frozen=True)
    class Other:
        text: str

    codec = Codec([Holder, Part, Note, Other])
    for value in (Holder(Note("n", 1, "me")), Holder(Part("p")), Holder(None)):
        assert codec.decode(codec.encode(value)) == value
    with pytest.raises(Undecodable, match=r"Holder\.part"):
        codec.decode(codec.encode(crafted(Holder(None), part=Other("p"))))
    # Part on no list: the codec is made, and the field takes None only (no Part is written)
    alone = Codec([Holder])
    assert alone.decode(alone.encode(Holder(None))) == Holder(None)


# --- annotations the codec cannot check ------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Dated:
    title: str
    when: dt.date


@dataclasses.dataclass(frozen=True)
class DatedMany:
    when: tuple[dt.date, ...] | None


@dataclasses.dataclass(frozen=True)
class Sequenced:
    items: Sequence[str]


@dataclasses.dataclass(frozen=True)
class Called:
    run: Callable[[], None]


@dataclasses.dataclass(frozen=True)
class Unresolved:
    later: NotDefinedAnywhere  # type: ignore[name-defined]  # noqa: F821


@pytest.mark.parametrize("cls, field", [
    (Dated, "when"), (DatedMany, "when"), (Sequenced, "items"), (Called, "run"),
    (Unresolved, None),
])
def test_an_annotation_the_codec_cannot_check_fails_when_the_codec_is_made(
        cls: type, field: str | None) -> None:
    with pytest.raises(TypeError, match=cls.__name__) as raised:
        Codec([*CACHED_RECORDS, cls])
    if field is not None:
        assert repr(field) in str(raised.value)


# --- a property: a row decodes exactly when its records fit their annotations -------------

def fits(value: Any, hint: Any) -> bool:
    """Whether ``value`` (as decoded) fits ``hint``: the codec's rule, written plainly."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin is Union or origin is types.UnionType:
        return any(fits(value, arg) for arg in args)
    if origin is Literal:
        return any(type(value) is type(arg) and value == arg for arg in args)
    if origin is tuple:
        if type(value) is not tuple:
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(fits(v, args[0]) for v in value)
        return len(value) == len(args) and all(map(fits, value, args))
    if origin in (list, set, frozenset):
        return type(value) is origin and all(fits(v, args[0]) for v in value)
    if origin in (dict, Mapping):
        return type(value) is dict and all(fits(k, args[0]) and fits(v, args[1])
                                           for k, v in value.items())
    if hint is float:
        return type(value) in (float, int)
    if hint is type(None):
        return value is None
    return type(value) is hint


def well_typed(value: Any) -> bool:
    """Whether every record anywhere in ``value`` has fields that fit their annotations."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = typing.get_type_hints(type(value))
        return all(fits(getattr(value, f.name), hints[f.name]) and well_typed(
            getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return all(well_typed(k) and well_typed(v) for k, v in value.items())
    if isinstance(value, tuple | list | set | frozenset):
        return all(well_typed(v) for v in value)
    return True


SCALARS = st.one_of(st.text(max_size=5), st.integers(-3, 3), st.floats(allow_nan=False),
                    st.booleans(), st.none(), st.binary(max_size=3), st.sampled_from(["a", 3]))


def _anything(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(children, max_size=3).map(tuple), st.lists(children, max_size=3),
                     st.frozensets(SCALARS, max_size=3), st.sets(SCALARS, max_size=3),
                     st.dictionaries(SCALARS, children, max_size=2),
                     st.builds(lambda t, a: crafted(Part(""), text=t, at=a), children, children))


ANYTHING = st.recursive(SCALARS, _anything, max_leaves=6)
FIELDS = [f.name for f in dataclasses.fields(Sample)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), ANYTHING, max_size=3))
def test_a_row_decodes_exactly_when_its_records_fit(spoiled: dict[str, Any]) -> None:
    value = crafted(SAMPLE, **spoiled)
    row = SAMPLE_CODEC.encode(value)
    if well_typed(value):
        assert SAMPLE_CODEC.decode(row) == value
    else:
        with pytest.raises(Undecodable):
            SAMPLE_CODEC.decode(row)


# --- a build over a cache whose every row was crafted ------------------------------------

FEED_ITEMS = [
    ("Harbour crane back in service after repairs", list(CRANE)),
    ("Repaired harbour crane lifts first container",
     ["The harbour crane, repaired over the winter, lifted its first container on Monday.",
      "The port authority said the crane repairs cost less than it had feared."]),
    ("Night ferry timetable changes next month",
     ["From next month the night ferry will leave the north quay twenty minutes later.",
      "Commuters asked for the ferry timetable change in a petition signed by four hundred"
      " people."]),
    ("Night ferry to leave north quay later",
     ["The night ferry will leave the north quay twenty minutes later from next month.",
      "A petition from commuters, signed by four hundred people, asked for the later ferry."]),
    ("Library opens on Sundays",
     ["The town library will open on Sundays from noon, the council decided after a long"
      " debate about staff hours and heating costs in the winter.",
      "Volunteers will run a reading hour for children on the first Sunday of each month."]),
]
PAGES = [
    "Quay News\nHome | Sport | Weather\ndate 2026-03-02 Library opens on Sundays\n"
    + "\n".join(FEED_ITEMS[4][1]) + "\nShare this story\n",
    "Quay News\nHome | Sport | Weather\ndate 2026-03-03 Market hall roof repaired\n"
    "Roofers replaced forty slates on the market hall after the storm, and the Saturday"
    " market returns to its usual place this weekend.\nTraders said the repairs were done"
    " quickly and that no stall had to close.\nShare this story\n",
]


def news_project(folder: Path) -> Path:
    """A fictional feed of related stories (topics) and scraped pages (page lines), one page
    a copy of a feed item (a duplicate, kept as "also in"), built with a cache."""
    entries = []
    for n, (title, paragraphs) in enumerate(FEED_ITEMS):
        content = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        entries.append(f"<item><title>{html.escape(title)}</title>"
                       f"<link>https://quay.example/{n}</link>"
                       f"<pubDate>0{1 + n % 3} Mar 2026 08:00:00 GMT</pubDate>"
                       f"<description>{html.escape(content)}</description></item>")
    (folder / "quay.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Quay</title>'
        "<link>https://quay.example/</link>" + "".join(entries) + "</channel></rss>", "utf-8")
    (folder / "pages").mkdir()
    for n, page in enumerate(PAGES):
        (folder / "pages" / f"{n}.txt").write_text(page, "utf-8")
    (folder / "feeds.yaml").write_text(
        "cache: .digest-cache.sqlite\nsources:\n"
        "  - {name: quay, type: rss, path: quay.xml}\n"
        "  - {name: pages, type: text, path: pages/*.txt}\n", "utf-8")
    return folder / "feeds.yaml"


def wrong(value: Any) -> Any:
    """A value of another type than ``value``, as a crafted row would hold."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if value is None:
        return 0
    if dataclasses.is_dataclass(value):
        return "a string"
    if isinstance(value, tuple):
        return tuple(wrong(v) for v in value) or (None,)
    return None


def every_field_wrong(record: Any) -> Any:
    return crafted(record, **{f.name: wrong(getattr(record, f.name))
                              for f in dataclasses.fields(record)})


def nested_fields_wrong(record: Any) -> Any:
    """The record with strings for the records it holds (a Topic's summary ``("x",)``), the
    rest left right; a record that holds none, with its last field of the wrong type."""
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if dataclasses.is_dataclass(value):
            fields[f.name] = "a string"
        elif isinstance(value, tuple) and any(dataclasses.is_dataclass(v) for v in value):
            fields[f.name] = tuple("x" for _ in value)
    if isinstance(record, Topic):
        fields["summary"] = ("x",)
    if not fields:
        last = dataclasses.fields(record)[-1].name
        fields[last] = wrong(getattr(record, last))
    return crafted(record, **fields)


def one_topic(record: Any) -> Any:
    """The same crafted Topic, whose summary holds a string, in place of every record."""
    return crafted(Topic("t", "Topic", ("x",)), summary=("x",))


def each_record(value: Any, change: Callable[[Any], Any]) -> Any:
    """``value`` with every record in it, at any depth outside records, changed."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return change(value)
    if isinstance(value, tuple):
        return tuple(each_record(v, change) for v in value)
    if isinstance(value, list):
        return [each_record(v, change) for v in value]
    if isinstance(value, dict):
        return {k: each_record(v, change) for k, v in value.items()}
    return value


def same(a: Digest, b: Digest) -> None:
    assert a.articles == b.articles
    assert a.topics == b.topics
    assert a.duplicates == b.duplicates
    assert (a.skipped, a.notices) == (b.skipped, b.notices)


@pytest.mark.parametrize("change", [every_field_wrong, nested_fields_wrong, one_topic])
def test_a_build_over_crafted_rows_computes_them_again(tmp_path: Path,
                                                       change: Callable[[Any], Any]) -> None:
    config = news_project(tmp_path)
    first = build_digest(load_config(config), jobs=1)
    assert first.topics and any(t.summary for t in first.topics)
    assert any(a.also_in for a in first.articles)
    with sqlite3.connect(tmp_path / ".digest-cache.sqlite") as db:
        rows = db.execute("SELECT key, value FROM results").fetchall()
        # rows of plain values (a page's furniture lookups: bytes) hold no record to craft
        rows = [(k, v) for k, v in rows if records_in(CODEC.decode(v))]
        kinds = {type(r).__name__ for _, v in rows for r in records_in(CODEC.decode(v))}
        assert {"Processed", "Article", "Cleaned", "Topic", "TopicSentence", "PageLines",
                "ItemFeatures", "ItemUnits"} <= kinds  # (copies are made after the cache)
        craft = [(CODEC.encode(each_record(CODEC.decode(v), change)), k) for k, v in rows]
        assert all(c != v for (c, _), (_, v) in zip(craft, rows, strict=True))
        db.executemany("UPDATE results SET value = ? WHERE key = ?", craft)
    again = build_digest(load_config(config), jobs=1)
    same(again, first)
    same(build_digest(load_config(config), jobs=1), first)  # the rows written again are good
    for text, _ in craft:  # every crafted row was refused as a whole
        with pytest.raises(Undecodable):
            CODEC.decode(text)


def records_in(value: Any) -> list[Any]:
    """Every record in ``value``, at any depth."""
    found: list[Any] = []

    def keep(record: Any) -> Any:
        found.append(record)
        for f in dataclasses.fields(record):
            found.extend(records_in(getattr(record, f.name)))
        return record

    each_record(value, keep)
    return found


def test_a_build_over_rows_of_the_wrong_shape_computes_them_again(tmp_path: Path) -> None:
    """Rows that decode (plain values, no record in them) but are not what the step keeps:
    a topic summary of strings, a topics slot of strings, per-article rows of numbers. The
    store checks each against the step's annotation and computes it again."""
    config = news_project(tmp_path)
    first = build_digest(load_config(config), jobs=1)
    with sqlite3.connect(tmp_path / ".digest-cache.sqlite") as db:
        rows = db.execute("SELECT key, value FROM results").fetchall()

        def plain(value: Any) -> Any:
            if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) \
                    and isinstance(value[1], tuple | list):  # a slot: (key, value)
                return (value[0], tuple("x" for _ in value[1]))
            return tuple("x" for _ in value) if isinstance(value, tuple) else 7

        craft = [(CODEC.encode(plain(CODEC.decode(v))), k) for k, v in rows]
        db.executemany("UPDATE results SET value = ? WHERE key = ?", craft)
    same(build_digest(load_config(config), jobs=1), first)
    assert CODEC.fits((TopicSentence("a", "b"),), tuple[TopicSentence, ...])
    assert not CODEC.fits(("x",), tuple[TopicSentence, ...])
