"""The stage commands compose as a shell pipeline over JSON Lines, as the README shows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], stdin: str = "") -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "digest", *args], input=stdin, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def lines(objects: list[dict]) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


def test_clean_dedupe_summarize_group_pipeline() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "samples").glob("*/*.txt"))
    cleaned = run(["clean", *files])
    assert [c["path"] for c in cleaned] == files
    for c in cleaned:
        assert set(c) >= {"path", "title", "standfirst", "date", "byline", "agency", "dateline",
                          "body", "subheads", "captions", "related", "popular"}
        assert c["title"] and c["body"]
        assert len(c["body"]) == len(set(c["body"])), c["path"]  # each paragraph once
    for c in cleaned:
        c["id"] = c["path"]
    deduped = run(["dedupe"], lines(cleaned))
    canonical_ids = {c["id"] for c in deduped}
    copies = [d for d in deduped if d["duplicate_of"]]
    assert copies and all(d["duplicate_of"] in canonical_ids for d in copies)
    summarized = run(["summarize", "-n", "2"], lines(deduped))
    for s in summarized:
        assert 1 <= len(s["summary"]) <= 2
        text = " ".join(s["body"])
        assert all(sentence in text for sentence in s["summary"])
    grouped = run(["group"], lines(summarized))
    topics = {g["topic"] for g in grouped}
    assert 3 <= len(topics) < len(grouped)
    assert all(g["topic_name"] for g in grouped)


def test_summarize_reads_text_or_body() -> None:
    text = ("The council voted to close the old bridge on Friday. Engineers found cracks in two "
            "piers. Repairs will take six months. Buses will replace the trams meanwhile.")
    [a, b] = run(["summarize", "-n", "1"], lines([{"id": "a", "text": text},
                                                  {"id": "b", "body": [text]}]))
    assert a["summary"] == b["summary"] and a["summary"][0] in text


def test_bad_json_line_is_named() -> None:
    result = subprocess.run([sys.executable, "-m", "digest", "summarize"],
                            input='{"id": 1}\n{oops\n', cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "<stdin>:2: not valid JSON" in result.stderr


def test_stage_input_is_made_valid_text_and_the_changes_are_said() -> None:
    """A lone surrogate, ESC and NUL in a stage's JSON Lines input: the output is valid
    UTF-8 without them, and stderr names the line and what was changed."""
    record = {"id": "a", "title": "Ferry\ud800 delayed\u001b[31m", "date": "2026-03-04",
              "body": ["The ferry was delayed by the storm.\u0000", "Crews waited."]}
    result = subprocess.run([sys.executable, "-m", "digest", "summarize", "-n", "1"],
                            input=json.dumps(record) + "\n", cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["title"] == "Ferry\ufffd delayed"
    assert not any(c in result.stdout for c in "\x00\x1b") and "\\u0000" not in result.stdout
    assert "<stdin>:1:" in result.stderr and "lone surrogates" in result.stderr


def test_dedupe_judges_copies_as_the_build_does() -> None:
    # one source's equal text under two titles is a series, not a copy; from two sources it
    # is syndication; more than six days apart it is a recurring post
    text = ("The harbour office opens its doors to visitors on the first Saturday of each month,"
            " with guided walks along the quay and a talk by the harbour master.")
    other = ("The ferry company adds a late sailing on Fridays from May, leaving the north quay"
             " at eleven, after a petition signed by four hundred commuters.")
    records = [{"id": "a", "source": "log", "title": "Open day, March", "text": text,
                "date": "2026-03-01"},
               {"id": "b", "source": "log", "title": "Open day, April", "text": text,
                "date": "2026-03-02"},
               {"id": "c", "source": "wire", "title": "Late ferry", "text": other,
                "date": "2026-03-02"},
               {"id": "d", "source": "desk", "title": "Friday sailing", "text": other,
                "date": "2026-03-03"},
               {"id": "e", "source": "desk", "title": "Friday sailing", "text": other,
                "date": "2026-04-20"}]
    marked = {r["id"]: r["duplicate_of"] for r in run(["dedupe"], lines(records))}
    assert marked["a"] is None and marked["b"] is None  # the series' two posts
    assert marked["e"] is None  # seven weeks later: its own post
    assert {marked["c"], marked["d"]} in ({None, "c"}, {None, "d"})  # syndication: one story


def test_clean_on_several_processes_prints_what_one_prints(tmp_path: Path) -> None:
    # enough files for the pool (CLEAN_SERIAL_BELOW), two folders (furniture per folder),
    # one file that is not text: the same lines, in the order given, either way
    from digest.cli import CLEAN_SERIAL_BELOW

    files = []
    for n in range(CLEAN_SERIAL_BELOW + 20):
        folder = tmp_path / ("north" if n % 2 else "south")
        folder.mkdir(exist_ok=True)
        page = folder / f"{n:03d}.txt"
        page.write_text(
            f"date 2026-03-{1 + n % 28:02d} Quay news\nSubscribe to the newsletter\n"
            f"Ferry number {n} sails again after repairs\n"
            f"The ferry number {n} left the north quay on time this morning, its owners said,"
            " after a winter of repairs to the engine and the hull.\n"
            "Passengers said they were glad to have the crossing back before the summer.\n"
            "Share this story\n", "utf-8")
        files.append(str(page))
    (tmp_path / "south" / "binary.txt").write_bytes(b"\x00\x01" * 400)
    files.insert(7, str(tmp_path / "south" / "binary.txt"))
    one = subprocess.run([sys.executable, "-m", "digest", "clean", "-j", "1", *files],
                         capture_output=True, text=True, timeout=300)
    two = subprocess.run([sys.executable, "-m", "digest", "clean", "-j", "2", *files],
                         capture_output=True, text=True, timeout=300)
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and one.stderr == two.stderr
    paths = [json.loads(line)["path"] for line in two.stdout.splitlines()]
    assert paths == [f for f in files if not f.endswith("binary.txt")]
    assert "binary.txt: skipped" in two.stderr
