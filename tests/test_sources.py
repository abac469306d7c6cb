"""Ingest: every input becomes a document or a skipped entry with its reason."""

from __future__ import annotations

import json
from pathlib import Path

from digest.config import load_config
from digest.sources import decode, read_sources


def make(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "good.txt").write_text("date 2026-03-02 Storm closes harbour\nBody.", "utf-8")
    (pages / "latin.txt").write_bytes("date 2026-03-02 Caf\xe9 reopens".encode("cp1252"))
    (pages / "utf16.txt").write_bytes("date 2026-03-02 Ferry".encode("utf-16"))
    (pages / "empty.txt").write_text("  \n", "utf-8")
    (pages / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    lines = [json.dumps({"id": "w1", "title": "Wire one", "body": ["One.", "Two."]}),
             "{not json",
             json.dumps(["a list"]),
             json.dumps({"id": "w2", "title": "No text"}),
             json.dumps({"id": "w1", "title": "Same id again", "text": "Again."})]
    (tmp_path / "wire.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "sources:\n"
        "  - {name: pages, type: text, path: pages/*.txt}\n"
        "  - {name: wire, type: jsonl, path: wire.jsonl}\n"
        "  - {name: gone, type: text, path: missing/*.txt}\n", "utf-8")
    return feeds


def test_documents_and_skipped_inputs(tmp_path: Path) -> None:
    docs, skipped, _ = read_sources(load_config(make(tmp_path)))
    assert [d.id for d in docs] == ["pages/good", "pages/latin", "pages/utf16", "wire/w1"]
    assert docs[1].text == "date 2026-03-02 Café reopens"
    assert docs[2].text == "date 2026-03-02 Ferry"
    assert docs[3].fields["body"] == ["One.", "Two."]
    assert docs[3].origin == "wire.jsonl:1"
    reasons = {s.origin: s.reason for s in skipped}
    assert reasons["pages/empty.txt"] == "empty file"
    assert "binary" in reasons["pages/binary.txt"]
    assert reasons["wire.jsonl:2"].startswith("not valid JSON")
    assert reasons["wire.jsonl:3"] == "not a JSON object"
    assert "no 'text' or 'body'" in reasons["wire.jsonl:4"]
    assert "duplicate id 'wire/w1'" in reasons["wire.jsonl:5"]
    assert any("missing/*.txt" in r and o.startswith("feeds.yaml:4:") for o, r in reasons.items())
    assert len(skipped) == 7


def test_decode_prefers_utf8_and_keeps_curly_quotes() -> None:
    assert decode("“Quoted” – café".encode()) == "“Quoted” – café"
    assert decode(b"\xef\xbb\xbfBOM") == "BOM"
