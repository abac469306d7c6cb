"""Hostile characters and hostile XML at the door (issue 14, items 3 and 6).

A lone surrogate, NUL, ESC, CR or C1 control in any source type is made valid where the
document is made, reported per source and kind with counts, and never reaches an output file
or fails the build; an input that cannot be made text is skipped and reported. An XML entity
declaration is refused whatever the feed's encoding (UTF-32 with or without a byte order mark,
UTF-16, EBCDIC), quickly, while benign feeds in those encodings still parse.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from feed_server import FeedServer
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import load_config
from digest.fetch.feeds import FeedError, parse_feed
from digest.records import Digest, Skipped
from digest.site import markdown as md
from digest.site import report_page
from digest.site.context import SiteContext
from digest.sources import read_sources
from digest.validtext import valid_text

EPOCH = str(int(dt.datetime(2026, 3, 14, 6, 0, tzinfo=dt.UTC).timestamp()))
MKDOCS_YML = "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n"
STORIES = [
    "The harbour board met on Tuesday to discuss the future of the old grain quay. Members "
    "agreed to commission a survey of the quay wall before any sale.",
    "Surveyors will need six weeks to test the stone wall, the council said. The western "
    "footpath closes from Monday and walkers should use the promenade.",
    "Divers began inspecting the foundations at first light, looking for voids behind the "
    "stonework left by a century of tides.",
    "Two developers had offered to buy the site for flats and a marina, but the board said no "
    "offer would be considered before the summer.",
    "Cafe owners on the waterfront wrote to back the cautious plan; trade fell by a third the "
    "last time the quay was fenced off.",
    "The fishermen's co-operative made its own bid to lease the quay, wanting space to land "
    "catches when storms close the outer harbour.",
    "A new ferry timetable adds an early crossing on weekdays and drops the late Sunday boat, "
    "which carried few passengers all winter.",
    "Volunteers repainted the lighthouse gallery railings in bright red after the keeper's "
    "retirement party drew half the village.",
    "The regatta committee moved the sailing races to June because spring gales damaged three "
    "of the marker buoys off the point.",
    "Stallholders at the night market will pay lower pitch fees this year, and the square "
    "gains new lamps powered by solar panels.",
    "The pier lights were restored after a cable fault left the promenade dark for a fortnight "
    "and anglers complained of trips and falls.",
    "Engineers poured concrete into the cracked breakwater at low tide, racing the water that "
    "returns twice a day over the rocks.",
    "The library opened a reading room for tide tables, charts and ship registers donated by "
    "the family of a retired harbour master.",
    "A school choir sang sea shanties at the lifeboat station open day, raising money for a "
    "new inshore boat and its crew training.",
    "Council gardeners planted dune grass along the bay to hold the sand that winter storms "
    "carried onto the coast road last year.",
    "The museum restored a wooden rowing gig found in a barn, and it will race again in the "
    "harbour festival next August.",
    "Bus services to the headland will run every half hour in summer, replacing the hourly "
    "timetable that left visitors waiting.",
    "A seal pup rescued from the slipway was released at the point after three weeks of care "
    "at the marine sanctuary.",
    "The old net loft will become a craft workshop, with rooms for a boat builder, a weaver "
    "and a potter by the autumn.",
]


def story(n: int) -> str:
    """A paragraph of its own for each article, so that none is merged as a duplicate."""
    return STORIES[n % len(STORIES)]


# Control characters and their JSON escapes; a surrogate in a file only as an escape or as
# CESU-8 bytes (a str holding one cannot be written as UTF-8)
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
FORBIDDEN_ESCAPE = re.compile(r"\\u(00[01][0-9a-f]|007f|008[0-9a-f]|009[0-9a-f]|d[89a-f])", re.I)


def build(project: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "digest", "build"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=timeout)


def project_with(tmp_path: Path, sources: str) -> Path:
    (tmp_path / "feeds.yaml").write_text(f"site: {{title: Quay News}}\nsources:\n{sources}",
                                         "utf-8")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def report_of(project: Path) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """build-report.json: skipped inputs by origin, and the notices as (origin, reason)."""
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    return ({s["origin"]: s["reason"] for s in report["skipped"]},
            [(n["origin"], n["reason"]) for n in report["notices"]])


def published_text(site: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((site / "articles").rglob("*.html")))


def assert_no_forbidden_characters(project: Path) -> None:
    """Every page, feed, sitemap and JSON file of the site, and the build report, is strict
    UTF-8 without control characters or surrogates, raw or as JSON escapes."""
    files = [p for p in (project / "site").rglob("*") if p.suffix in (".html", ".xml", ".json")
             and "assets" not in p.parts]
    assert len(files) > 10
    for path in [*files, project / "build-report.json"]:
        text = path.read_bytes().decode("utf-8")  # strict: a surrogate cannot be in UTF-8
        assert not FORBIDDEN.search(text.replace("\r", "").replace("\n", "").replace(
            "\t", "")), path
        assert not FORBIDDEN_ESCAPE.search(text), (path, FORBIDDEN_ESCAPE.search(text))


# --- item 3: every source type, one real build --------------------------------------------

JSON_FEED = (
    '{"version": "https://jsonfeed.org/version/1.1", "title": "Calder", "items": ['
    '{"id": "c1", "title": "Harbour \\ud800 board\\r\\norders survey",'
    ' "url": "https://calder.test/1",'
    ' "date_published": "2026-03-10T09:00:00+00:00",'
    ' "content_text": "' + story(0)
    + '\\r\\n\\r\\nNUL \\u0000 and \\u001b[31mred\\u001b[0m text."},'
    '{"id": "c2", "title": "Ferry timetable changes", "url": "https://calder.test/2",'
    ' "date_published": "2026-03-11T09:00:00+00:00", "content_text": "' + story(1) + '"},'
    '{"id": "c3", "title": "Binary", "url": "https://calder.test/3",'
    ' "date_published": "2026-03-11T09:00:00+00:00", "content_text": "'
    + "\\u0000\\u0001\\u0002" * 200 + '"}]}')

WIRE = "\n".join([
    '{"id": "w1", "title": "Quay \\ud800 survey firm named", "date": "2026-03-12",'
    ' "text": "' + story(2) + '\\r\\nIts \\u0000 chair \\u001b[1mspoke\\u001b[0m.\\rEnd."}',
    '{"id": "w2", "title": "Divers inspect quay wall", "date": "2026-03-12", "text": "'
    + story(3) + '"}',
    "[" * 100_000 + "]" * 100_000,  # nests past any recursion limit
    '{"id": "w\\udfff", "title": "A lone low surrogate in the id", "date": "2026-03-12",'
    ' "text": "' + story(4) + '"}',
    # raw in the strings: a line separator and NEL (not line ends in JSON Lines), a tab, ESC
    '{"id": "w5", "title": "Ferry\u2028crew \x85 strike\x1b called", "date": "2026-03-12",'
    ' "text": "' + story(16) + '\tMore."}',
]) + "\n"

RSS = ('<?xml version="1.0" encoding="utf-8"?>\r\n<rss version="2.0"><channel><title>Courier'
       '</title>\r\n<item><title>Breakwater \x00repairs \x1b[1mbegin\x1b[0m &#27; &#xD800;'
       ' \u0093soon\u0094</title>\r\n<link>https://courier.test/1</link>'
       '<pubDate>Tue, 10 Mar 2026 09:00:00 GMT</pubDate>'
       f'<description>{story(5)}&#13;\r\nMore\x0b text.</description></item>\r\n'
       '<item><title>Regatta moved to June</title><link>https://courier.test/2</link>'
       f'<pubDate>Tue, 10 Mar 2026 10:00:00 GMT</pubDate><description>{story(6)}</description>'
       '</item></channel></rss>\r\n').encode().replace(b"&#xD800;", b"\xed\xa0\x80")

PAGE = ("<html><head><meta charset='utf-8'><title>Night market returns</title></head><body>"
        "<article><h1>Night market returns</h1>\r\n<p>" + story(7) + " \x00\x1b[2J</p>\r\n<p>"
        + story(8) + " \u0085</p><p>" + story(9) + "</p></article></body></html>")


def hostile_project(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    text = (f"date 2026-03-13 Lighthouse \x1b[7mkeeper\x1b[0m retires\r\n\r\n{story(10)}"
            f"\r\n\r\n{story(11)}\r\n")
    (tmp_path / "pages" / "lighthouse.txt").write_text(text, "utf-8", newline="")
    stray_nul = f"date 2026-03-13 Pier lights \x00 restored\n\n{story(12)}\n\n{story(13)}\n"
    (tmp_path / "pages" / "pier.txt").write_text(stray_nul, "utf-8")
    name = os.fsdecode(b"pages/quay-\xff-notes.txt")  # a name that is not UTF-8
    (tmp_path / name).write_text(
        f"date 2026-03-13 Quay notes filed\n\n{story(14)}\n\n{story(15)}\n", "utf-8")
    (tmp_path / "feed.json").write_text(JSON_FEED, "utf-8")
    (tmp_path / "wire.jsonl").write_text(WIRE, "utf-8")
    (tmp_path / "courier.xml").write_bytes(RSS)
    (tmp_path / "market.html").write_text(PAGE, "utf-8", newline="")
    return project_with(tmp_path,
                        "  - {name: calder, type: jsonfeed, path: feed.json}\n"
                        "  - {name: wire, type: jsonl, path: wire.jsonl}\n"
                        "  - {name: courier, type: rss, path: courier.xml}\n"
                        "  - {name: pages, type: text, path: 'pages/*.txt'}\n"
                        "  - {name: market, type: html, path: market.html}\n")


def test_hostile_characters_in_every_source_type_are_made_valid_and_reported(
        tmp_path: Path) -> None:
    project = hostile_project(tmp_path)
    result = build(project)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 3, result.stderr  # built, with skipped inputs
    site = project / "site"
    published = published_text(site)
    for title in ("Harbour \ufffd board orders survey", "Ferry timetable changes",
                  "Quay \ufffd survey firm named", "Divers inspect quay wall",
                  "A lone low surrogate in the id", "Ferry crew \u2026 strike called",
                  "Breakwater repairs begin \ufffd \u201csoon\u201d", "Regatta moved to June",
                  "Lighthouse keeper retires", "Pier lights restored", "Quay notes filed",
                  "Night market returns"):
        assert title in published, title
    assert "[31m" not in published and "[1m" not in published and "[2J" not in published
    assert_no_forbidden_characters(project)

    skipped, notices = report_of(project)
    assert skipped["https://calder.test/3"].startswith("not text: 600 of its")
    assert "RecursionError" in skipped["wire.jsonl:3"]
    assert len(skipped) == 2, skipped
    said = {(origin, reason.split(": ")[1]) for origin, reason in notices
            if ": " in reason}
    for expected in [
            ("feed.json", "lone surrogates replaced with U+FFFD (1 character)"),
            ("feed.json", "CR line ends changed to LF (1 line end)"),
            ("feed.json", "control characters removed (1 character)"),
            ("feed.json", "terminal escape sequences removed (9 characters)"),
            ("wire.jsonl", "lone surrogates replaced with U+FFFD (3 characters)"),
            ("wire.jsonl", "CR line ends changed to LF (2 line ends)"),
            ("wire.jsonl", "control characters removed (2 characters)"),
            ("wire.jsonl", "C1 control characters read as Windows-1252 (mojibake repaired)"
                           " (1 character)"),
            ("wire.jsonl", "terminal escape sequences removed (8 characters)"),
            ("courier.xml", "lone surrogates replaced with U+FFFD (1 character)"),
            ("courier.xml", "control characters removed (3 characters)"),
            ("courier.xml", "terminal escape sequences removed (8 characters)"),
            ("pages/*.txt", "CR line ends changed to LF (5 line ends)"),
            ("pages/*.txt", "terminal escape sequences removed (8 characters)"),
            ("pages/*.txt", "control characters removed (1 character)"),
            ("pages/*.txt", "lone surrogates replaced with U+FFFD (2 characters)"),  # id, origin
            ("market.html", "control characters removed (1 character)"),
            ("market.html", "terminal escape sequences removed (4 characters)"),
            ("market.html", "C1 control characters read as Windows-1252 (mojibake repaired)"
                            " (1 character)")]:
        assert expected in said, (expected, sorted(said))
    by_reason = dict((reason, origin) for origin, reason in notices)
    assert ("2 records: control characters removed (2 characters): wire.jsonl:1, wire.jsonl:5"
            in by_reason)
    assert ("2 records: lone surrogates replaced with U+FFFD (3 characters): wire.jsonl:1,"
            " wire.jsonl:4") in by_reason

    page = (site / "report" / "index.html").read_text("utf-8")
    for heading in ("calder", "wire", "courier", "pages", "market"):
        assert re.search(rf"<h3[^>]*>{heading} \(\d+\)", page), heading
    assert "terminal escape sequences removed" in page


def test_a_record_that_nests_too_deeply_or_holds_a_huge_number_is_skipped(
        tmp_path: Path) -> None:
    (tmp_path / "wire.jsonl").write_text(
        "[" * 100_000 + "]" * 100_000 + "\n"
        + '{"id": "n", "text": "x", "n": ' + "9" * 5000 + "}\n"
        + '{"id": "deep", "text": "' + story(0) + '", "x": ' + "[" * 500 + "]" * 500 + "}\n"
        + '{"id": "ok", "text": "' + story(1) + '"}\n', "utf-8")
    config = load_config(project_with(tmp_path, "  - {name: wire, type: jsonl, path: wire.jsonl}"
                                                "\n") / "feeds.yaml")
    docs, skipped, _ = read_sources(config)
    reasons = {s.origin: s.reason for s in skipped}
    assert [d.id for d in docs] == ["wire/ok"]
    assert "RecursionError" in reasons["wire.jsonl:1"]
    assert "ValueError" in reasons["wire.jsonl:2"]
    assert reasons["wire.jsonl:3"] == "nested deeper than 100 levels"


def test_repairs_of_a_fetched_feed_are_reported_again_when_it_is_not_modified(
        server: FeedServer, tmp_path: Path) -> None:
    body = JSON_FEED.encode()
    server.static("/feed.json", body, "application/feed+json", etag='"v1"')
    (tmp_path / "feeds.yaml").write_text(
        "fetch: {host_interval: 0, retries: 0, allow_private_hosts: ['127.0.0.1']}\n"
        f"sources:\n  - {{name: calder, type: jsonfeed, url: '{server.base}/feed.json'}}\n",
        "utf-8")
    config = load_config(tmp_path / "feeds.yaml")
    first = read_sources(config)
    second = read_sources(config)
    assert [h.status for h in server.hits("/feed.json")] == [200, 304]
    for docs, _, notices in (first, second):
        assert [d.fields["title"] for d in docs] == ["Harbour \ufffd board\norders survey",
                                                     "Ferry timetable changes"]
        assert f"{server.base}/feed.json" in {n.origin for n in notices}
        assert any("1 item: control characters removed (1 character)" in n.reason
                   for n in notices)
    assert first[2] == second[2]
    assert [s.origin for s in first[1]] == ["https://calder.test/3"]  # kept state has no item


# --- the report page ----------------------------------------------------------------------

def test_the_report_groups_entries_by_source_and_reason(tmp_path: Path) -> None:
    config = load_config(project_with(
        tmp_path, "  - {name: wire, type: jsonl, path: wire.jsonl}\n"
                  "  - {name: courier, type: rss, url: 'https://courier.test/rss.xml'}\n")
        / "feeds.yaml")
    broken = tuple(Skipped(f"wire.jsonl:{n}", "not valid JSON (Expecting value)")
                   for n in range(1, 501))
    other = (Skipped("https://courier.test/rss.xml", "failing since today: HTTP 500"),
             Skipped("wire.jsonl:900", "no 'text' or 'body' with content"),
             Skipped("elsewhere.txt", "empty file"))
    digest = Digest((), (), (), other[:1] + broken + other[1:], (), "2026-03-14T06:00:00+00:00")
    page = report_page.render(SiteContext(digest, config)).split("# Build report", 1)[1]
    lines = [line for line in page.splitlines() if line.startswith("- ")]
    assert len(lines) == 4, lines
    # the count first, then the inputs under it: up to LISTED, the rest in build-report.json
    at = page.splitlines().index(f"- {md.text('not valid JSON (Expecting value)')}: 500 inputs")
    under = page.splitlines()[at + 1:at + report_page.LISTED + 2]
    assert under[:3] == ["    - `wire.jsonl:1`", "    - `wire.jsonl:2`", "    - `wire.jsonl:3`"]
    assert under[-1] == f"    - and {500 - report_page.LISTED} more, listed in `build-report.json`"
    headings = [line for line in page.splitlines() if line.startswith("### ")]
    assert headings == ["### wire (501)", "### courier (1)", "### Other inputs (1)"]


# --- the door function --------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF,
                                      blacklist_categories=()), max_size=60)
       | st.lists(st.sampled_from(["\ud800", "\udc00", "\ud83d\ude00", "\r\n", "\r", "\x00",
                                   "\x1b[31m", "\x1b", "\x85", "\x93", "\xe2\x80\x99", "\x7f",
                                   "\ufffe", "a", " ", "\t", "\n", "é"]), max_size=20
                  ).map("".join))
def test_the_door_makes_any_text_valid(text: str) -> None:
    valid, repairs = valid_text(text)
    valid.encode("utf-8")  # strict: no lone surrogate
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", valid)
    assert valid_text(valid) == (valid, {})  # idempotent
    assert bool(repairs) == (valid != text)
    if not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", text):
        assert valid == text  # valid text without controls is left as it is


def test_the_door_repairs_what_it_can_read() -> None:
    assert valid_text("\ud83d\ude00")[0] == "\U0001f600"  # a pair written as two code points
    assert valid_text("it\u00e2\u0080\u0099s \u0093new\u0094")[0] == "it\u2019s \u201cnew\u201d"
    assert valid_text("a\r\nb\rc")[0] == "a\nb\nc"
    assert valid_text("\x1b[1;31mred\x1b[0m")[0] == "red"


# --- item 6: the entity guard, whatever the encoding --------------------------------------

QUADRATIC = ('<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE rss [\n<!ENTITY a "'
             + "x" * 20_000 + '">\n]>\n<rss version="2.0"><channel><title>q</title><item>'
             "<title>t</title><description>" + "&a;" * 20_000
             + "</description></item></channel></rss>\n")
BENIGN = ('<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
          "<title>Visnyk</title><item><title>{title}</title><link>https://visnyk.test/{n}"
          "</link><pubDate>Wed, 11 Mar 2026 09:00:00 GMT</pubDate><description>"
          + "{story} {title}.</description></item></channel></rss>\n")
# (file, codec, declared encoding, byte order mark)
ENCODINGS = [("utf32le", "utf-32-le", "UTF-32", b""),
             ("utf32be", "utf-32-be", "UTF-32", b"\x00\x00\xfe\xff"),
             ("utf32bom", "utf-32-le", "UTF-32", b"\xff\xfe\x00\x00"),
             ("utf16", "utf-16-le", "UTF-16", b"\xff\xfe"),
             ("utf16be", "utf-16-be", "UTF-16", b""),
             ("cp037", "cp037", "IBM037", b""),
             ("cp500", "cp500", "IBM500", b"")]


def test_entity_declarations_are_refused_in_every_encoding(tmp_path: Path) -> None:
    sources = ""
    for n, (name, codec, declared, mark) in enumerate(ENCODINGS):
        (tmp_path / f"bomb-{name}.xml").write_bytes(
            mark + QUADRATIC.format(encoding=declared).encode(codec))
        title = f"Quay story in {declared} {name}"
        (tmp_path / f"fine-{name}.xml").write_bytes(
            mark + BENIGN.format(encoding=declared, title=title, n=n, story=story(n)).encode(codec))
        sources += (f"  - {{name: bomb-{name}, type: rss, path: bomb-{name}.xml}}\n"
                    f"  - {{name: fine-{name}, type: rss, path: fine-{name}.xml}}\n")
    project = project_with(tmp_path, sources)
    started = time.monotonic()
    result = build(project, timeout=60)  # unguarded, each bomb takes 20-30 s and over 1 GB
    assert result.returncode == 3, result.stderr
    skipped, _ = report_of(project)
    assert set(skipped) == {f"bomb-{name}.xml" for name, *_ in ENCODINGS}
    for reason in skipped.values():
        assert "declares XML entities" in reason
    published = published_text(project / "site")
    for name, _, declared, _ in ENCODINGS:
        assert f"Quay story in {declared} {name}" in published
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    assert report["seconds"]["sources"] < 5, report["seconds"]
    assert time.monotonic() - started < 30


def test_no_encoding_trick_hides_an_entity_declaration() -> None:
    bomb = QUADRATIC.replace(' encoding="{encoding}"', "")
    tricks = {
        "utf-7": QUADRATIC.format(encoding="UTF-7").encode("utf-7"),
        "utf-32 undeclared": bomb.encode("utf-32-le"),
        "declared utf-16, written in ASCII": QUADRATIC.format(encoding="UTF-16").encode(),
        "leading white space": b"\n\n  " + QUADRATIC.format(encoding="UTF-8").encode(),
        "NULs between the letters": bomb.replace("<!ENTITY", "<!\x00ENT\x00ITY").encode(),
        "unknown encoding": QUADRATIC.format(encoding="x-no-such-codec").encode(),
    }
    for trick, data in tricks.items():
        started = time.monotonic()
        try:
            parse_feed(data)
        except FeedError as exc:
            assert time.monotonic() - started < 5, trick
            assert "declares XML entities" in str(exc), (trick, exc)
            continue
        raise AssertionError(f"{trick}: parsed a feed that declares an entity")


def test_a_full_text_page_is_made_valid_and_its_repairs_reported(server: FeedServer,
                                                                 tmp_path: Path) -> None:
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>'
           f'<item><title>Breakwater repairs begin</title><link>{server.base}/breakwater</link>'
           "<description>Engineers poured concrete...</description></item>"
           "</channel></rss>").encode()
    page = ("<html><head><meta charset='windows-1252'><title>Breakwater repairs begin</title>"
            "</head><body><article><h1>Breakwater repairs begin</h1>"
            f"<p>{story(11)} \x1b[1mTide\x1b[0m \x93tables\x94 help.</p><p>{story(12)}\x00</p>"
            f"<p>{story(13)}</p></article></body></html>").encode("latin-1")
    server.static("/rss.xml", rss, "application/rss+xml")
    server.static("/breakwater", page, "text/html; charset=windows-1252")
    (tmp_path / "feeds.yaml").write_text(
        "fetch: {host_interval: 0, retries: 0, allow_private_hosts: ['127.0.0.1']}\nsources:\n"
        f"  - {{name: courier, type: rss, url: '{server.base}/rss.xml', full_text: true}}\n",
        "utf-8")
    docs, skipped, notices = read_sources(load_config(tmp_path / "feeds.yaml"))
    assert skipped == []
    [doc] = docs
    body = " ".join(doc.fields["body"])
    assert doc.fields.get("full_text") and "Tide \u201ctables\u201d help." in body
    assert not FORBIDDEN.search(body)
    said = {n.reason for n in notices}
    assert (f"1 item: terminal escape sequences removed (8 characters): {server.base}/breakwater"
            in said), said
    assert f"1 item: control characters removed (1 character): {server.base}/breakwater" in said
