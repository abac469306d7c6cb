"""The group stage end to end: raw scraped pages through clean, dedupe and grouping.

Used by ``benchmarks/group.py``. The pages of ``../shared/data/scraped-gen/docs`` are
laid out one folder per publisher (the manifest says which) in a temporary project,
built with :func:`digest.pipeline.build_digest` as ``digest build`` would, and the topics
are judged two ways:

* unrelated pairs: ``../shared/tools/unrelated_pairs.py`` over the canonical articles'
  gold bodies (copies merged by dedupe count once), as the issue measures it;
* names a reader would reject, by rules written here and not shared with
  :mod:`digest.group.naming` (a check that reuses the code it checks cannot fail):
  empty or a placeholder, ending on a stop word or cut with "…", starting or ending
  with a publisher's name, unbalanced quotes or brackets, or no content word of any
  member's title or text.

The data is read where it lies; nothing of it is copied into the project.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from digest.records import Digest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "data" / "scraped-gen"
SCORER = SHARED / "tools" / "unrelated_pairs.py"
PLACEHOLDERS = {"untitled", "no title", "topic", "article", "news", "home"}
# English function words, written here for the check (not the project's own list)
FUNCTION_WORDS = set("""
a an the and or but nor so yet of to in on at by for with from into onto over under about
as than that which who whom whose this these those is are was were be been being has have
had do does did will would can could should may might must its his her their our your my
if when while after before since until because though although per via amid against
""".split())
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PAIRS = [("(", ")"), ("[", "]"), ("“", "”")]


def available() -> bool:
    return (CORPUS / "docs").is_dir() and SCORER.exists()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def lay_out(folder: Path) -> tuple[Path, dict[str, str]]:
    """A project in ``folder`` whose sources are the corpus's publishers, one folder each;
    returns its feeds.yaml and each source's title by name."""
    entries = []
    titles: dict[str, str] = {}
    by_publisher: dict[str, list[str]] = defaultdict(list)
    for line in (CORPUS / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        by_publisher[row["publisher"]].append(row["doc_id"])
    for publisher in sorted(by_publisher):
        name = _slug(publisher)
        titles[name] = publisher
        (folder / name).mkdir(parents=True)
        for doc in by_publisher[publisher]:
            shutil.copyfile(CORPUS / "docs" / f"{doc}.txt", folder / name / f"{doc}.txt")
        entries.append(f"  - {{name: {name}, title: {json.dumps(publisher)}, type: text, "
                       f"path: {name}/*.txt}}\n")
    feeds = folder / "feeds.yaml"
    feeds.write_text("cache: null\nsources:\n" + "".join(entries), "utf-8")
    return feeds, titles


def build(jobs: int = 2) -> tuple[Digest, dict[str, str]]:
    """The digest of the whole corpus, built as ``digest build`` builds it (no cache)."""
    from digest.config import load_config
    from digest.pipeline import build_digest

    with tempfile.TemporaryDirectory(prefix="group-e2e-") as tmp:
        feeds, titles = lay_out(Path(tmp))
        return build_digest(load_config(feeds), use_cache=False, jobs=jobs), titles


def unrelated(digest: Digest) -> dict[str, Any]:
    """unrelated_pairs.py's figures over the canonical articles' gold bodies."""
    with tempfile.TemporaryDirectory(prefix="group-e2e-score-") as tmp:
        texts, pred = Path(tmp) / "texts.jsonl", Path(tmp) / "pred.jsonl"
        with texts.open("w", encoding="utf-8") as t, pred.open("w", encoding="utf-8") as p:
            for a in digest.articles:
                doc = Path(a.origin).stem
                gold = json.loads((CORPUS / "gold" / f"{doc}.json").read_text("utf-8"))
                t.write(json.dumps({"id": doc, "text": "\n\n".join(gold["body"])}) + "\n")
                p.write(json.dumps({"id": doc, "topic": a.topic}) + "\n")
        out = subprocess.run([sys.executable, str(SCORER), str(texts), str(pred), "--json"],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)


def name_problems(name: str, member_texts: list[str], publishers: list[str]) -> list[str]:
    """Why a reader would reject ``name`` as a topic's headline (empty when they would not)."""
    problems = []
    words = [w.lower() for w in _WORD.findall(name)]
    if not words or name.strip().lower() in PLACEHOLDERS:
        return ["empty or placeholder"]
    if words[-1] in FUNCTION_WORDS:
        problems.append(f"ends on {words[-1]!r}")
    if name.rstrip().endswith(("…", "...")):
        problems.append("cut with an ellipsis")
    folded = " ".join(name.casefold().split())
    for publisher in publishers:
        p = " ".join(publisher.casefold().split())
        if p and (folded.startswith(p) or folded.endswith(p)):
            problems.append(f"carries the publisher {publisher!r}")
    for left, right in _PAIRS:
        if name.count(left) != name.count(right):
            problems.append(f"unbalanced {left}{right}")
    if name.count('"') % 2:
        problems.append('unbalanced "')
    content = {w for w in words if w not in FUNCTION_WORDS and len(w) > 2}
    seen = {w.lower() for text in member_texts for w in _WORD.findall(text)}
    if content and not content & seen:
        problems.append("no word of its articles")
    return problems


def rejected_names(digest: Digest, titles: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(name, problems) of every topic whose name a reader would reject."""
    by_id = {a.id: a for a in digest.articles}
    publishers = sorted({*titles, *titles.values()})
    out = []
    for topic in digest.topics:
        members = [by_id[i] for i in topic.article_ids if i in by_id]
        texts = [f"{a.title}\n{a.text}" for a in members]
        problems = name_problems(topic.name, texts, publishers)
        if problems:
            out.append((topic.name, problems))
    return out


def report(jobs: int = 2) -> list[str]:
    """The end-to-end figures as lines of Markdown."""
    digest, titles = build(jobs)
    scores = unrelated(digest)
    bad = rejected_names(digest, titles)
    sizes = Counter(len(t.article_ids) for t in digest.topics)
    lines = [
        f"End to end over {CORPUS.name}: {len(digest.articles)} canonical articles "
        f"({len(digest.duplicates)} copies merged), {len(digest.topics)} topics, "
        f"{scores['multi_article_topics']} with 2+ articles (largest "
        f"{max(sizes) if sizes else 0}).",
        "",
        "| measure | ours | bar (issue 18) |",
        "|---|---|---|",
        f"| multi-article topics holding an unrelated pair | "
        f"{scores['topics_with_unrelated_pair']:.1%} | <= 2% |",
        f"| articles sitting in such a topic | {scores['articles_in_such_topics']:.1%} "
        f"| <= 3% |",
        f"| topic names a reader would reject | {len(bad)} of {len(digest.topics)} | 0 |",
    ]
    if bad:
        lines += ["", "Rejected names:"]
        lines += [f"- {name!r}: {', '.join(problems)}" for name, problems in bad]
    return lines


if __name__ == "__main__":
    if not available():
        sys.exit(f"need {CORPUS / 'docs'} and {SCORER}")
    print("\n".join(report()))
