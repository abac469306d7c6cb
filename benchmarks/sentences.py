#!/usr/bin/env python3
"""Sentence splitters compared: accuracy on hard cases, speed on real articles.

Splitters: ours (``digest.summarize.split_sentences``), NLTK Punkt with
NLTK's English parameters exactly as ``../shared/tools/eval_summaries.py``
loads them (one call per line), and a naive regex (split after ``. ! ?``
followed by white space, and at line breaks).

Accuracy: ``benchmarks/data/sentences.jsonl``, hand-written hard cases
(abbreviations, initials, decimals, quotes, lower-cased news, datelines,
lists, subheads, other languages), each with its gold sentences. A case is
right when the splitter returns exactly the gold sentences; boundary
precision/recall/F1 count the cut positions. Speed: milliseconds per article
over ``../shared/data/cnndm/dev.jsonl`` (300 articles), best of 3 runs.

Usage: python benchmarks/sentences.py [--errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from digest.summarize import split_sentences

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2] / "shared"
CASES = HERE / "data" / "sentences.jsonl"
DEV = SHARED / "data" / "cnndm" / "dev.jsonl"
TOOLS = SHARED / "tools"

Splitter = Callable[[str], list[str]]


def naive_regex(text: str) -> list[str]:
    """Split after . ! ? and white space, and at line breaks."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip())
    return out


def cut_positions(text: str, sentences: list[str]) -> set[int]:
    """Offsets in ``text`` where each sentence after the first begins."""
    cuts, pos = set(), 0
    for i, sentence in enumerate(sentences):
        found = text.find(sentence, pos)
        if found < 0:
            found = pos
        if i:
            cuts.add(found)
        pos = found + len(sentence)
    return cuts


def accuracy(splitter: Splitter, cases: list[dict], errors: bool) -> dict[str, float]:
    """Exact-case accuracy and boundary P/R/F1 of one splitter, plus per-tag misses."""
    right = tp = fp = fn = 0
    missed: Counter[str] = Counter()
    for case in cases:
        got = splitter(case["text"])
        if got == case["sentences"]:
            right += 1
        else:
            missed[case["tag"]] += 1
            if errors:
                print(f"  [{case['tag']}] {got!r}")
        gold = cut_positions(case["text"], case["sentences"])
        pred = cut_positions(case["text"], got)
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"exact": 100 * right / len(cases), "p": 100 * p, "r": 100 * r, "f1": 100 * f1,
            "missed": dict(missed)}


def speed(splitter: Splitter, texts: list[str]) -> tuple[float, float]:
    """(ms per article, best of 3 runs; sentences per article)."""
    best = float("inf")
    count = 0
    for _ in range(3):
        start = time.perf_counter()
        count = sum(len(splitter(t)) for t in texts)
        best = min(best, time.perf_counter() - start)
    return 1000 * best / len(texts), count / len(texts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="print every wrong split")
    args = ap.parse_args()
    if not (TOOLS / "eval_summaries.py").exists() or not DEV.exists():
        sys.exit(f"needs {TOOLS / 'eval_summaries.py'} and {DEV} (the shared data folder)")
    sys.path.insert(0, str(TOOLS))
    import eval_summaries  # noqa: PLC0415 - located at run time

    eval_summaries.punkt_english()
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line]
    texts = [json.loads(line)["article"] for line in DEV.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    splitters: dict[str, Splitter] = {
        "ours (digest.summarize)": split_sentences,
        "NLTK Punkt, English (eval_summaries)": eval_summaries.split_sentences,
        "naive regex": naive_regex,
    }
    print(f"{CASES.name}: {len(cases)} hard cases; speed on {DEV.name}: {len(texts)} articles")
    print("| splitter | cases exact % | boundary P | boundary R | boundary F1 "
          "| ms / article | sentences / article |")
    print("|---|---|---|---|---|---|---|")
    misses = {}
    for name, fn in splitters.items():
        if args.errors:
            print(f"errors of {name}:")
        acc = accuracy(fn, cases, args.errors)
        ms, per = speed(fn, texts)
        misses[name] = acc["missed"]
        print(f"| {name} | {acc['exact']:.1f} | {acc['p']:.1f} | {acc['r']:.1f} | {acc['f1']:.1f} "
              f"| {ms:.3f} | {per:.1f} |")
    print()
    for name, missed in misses.items():
        print(f"misses by tag, {name}: {missed}")


if __name__ == "__main__":
    main()
