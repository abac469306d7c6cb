"""Leave-two-publishers-out figures for the clean stage on the generated corpus.

    python benchmarks/clean_folds.py [--json OUT.json] [--show-fails PUBLISHER]

Furniture (and title affixes) are learnt per publisher, as the build learns
them per source. Each fold holds two publishers out; the fold's figures are
those of its held-out publishers only, so a rule tuned while looking at the
other five is judged on pages it was not tuned on. Prints per publisher and
per fold: title exact, byline exact, related F1, body token F1 and the
boilerplate kinds' leak rates into the body (worst kind first).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from digest.clean import clean_text, learn_furniture

SHARED = Path(__file__).resolve().parents[2] / "shared"
GEN = SHARED / "data" / "scraped-gen"
SCORER = SHARED / "tools" / "score_scraped.py"

# Held-out pairs (alphabetical publishers, paired in order; the last pairs round).
FOLDS = [
    ("Coastline Herald", "Harbour Post-Gazette"),
    ("Metro Pulse", "Prairie Sentinel"),
    ("Riverside Daily Ledger", "The Lantern Review"),
    ("The Northgate Courier", "Coastline Herald"),
]
KINDS = ("author_bio", "disclaimer", "app", "inline_related", "related_block", "title_suffix")


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_scraped", SCORER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions() -> tuple[dict[str, str], dict[str, dict]]:
    """Each doc's publisher and the cleaner's output, furniture learnt per publisher."""
    publisher = {}
    for line in (GEN / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            publisher[row["doc_id"]] = row["publisher"]
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted((GEN / "docs").glob("*.txt")):
        texts[publisher[path.stem]][path.stem] = path.read_text(encoding="utf-8")
    preds = {}
    for docs in texts.values():
        furniture = learn_furniture(docs.values())
        for doc_id, text in docs.items():
            preds[doc_id] = {"doc_id": doc_id, **asdict(clean_text(text, furniture))}
    return publisher, preds


def score_subset(scorer, doc_ids: list[str], preds: dict[str, dict]) -> dict:
    """The scorer's figures over ``doc_ids`` only (a corpus directory of their gold)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "gold").mkdir()
        for d in doc_ids:
            (out / "gold" / f"{d}.json").symlink_to(GEN / "gold" / f"{d}.json")
        pred = out / "pred.jsonl"
        with pred.open("w", encoding="utf-8") as f:
            for d in doc_ids:
                f.write(json.dumps(preds[d], ensure_ascii=False) + "\n")
        return scorer.score(out, pred)


def row(res: dict) -> dict[str, float]:
    leaks = res["boilerplate_leak_rate"]
    worst = max(leaks.items(), key=lambda kv: kv[1], default=("-", 0.0))
    out = {
        "title": res["title_exact_norm"],
        "byline": res["byline_exact_norm"],
        "rel_f1": res["related_set"]["f1"],
        "body_f1": res["body_token_micro"]["f1"],
        "max_leak": worst[1],
    }
    out.update({k: leaks.get(k, 0.0) for k in KINDS})
    out["worst"] = worst[0]  # type: ignore[assignment]
    return out


def fmt(name: str, r: dict) -> str:
    cells = " ".join(f"{r[k]:.3f}" for k in ("title", "byline", "rel_f1", "body_f1", "max_leak"))
    kinds = " ".join(f"{r[k]:.3f}" for k in KINDS)
    return f"{name:28s} {cells}  {kinds}  {r['worst']}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--show-fails", metavar="PUBLISHER",
                    help="print title/byline misses of one publisher (never a held-out one)")
    a = ap.parse_args(argv)
    scorer = load_scorer()
    publisher, preds = predictions()
    by_pub: dict[str, list[str]] = defaultdict(list)
    for d, p in publisher.items():
        by_pub[p].append(d)
    header = f"{'':28s} title byline rel_f1 body_f1 maxleak  " + " ".join(k[:5] for k in KINDS)
    figures: dict[str, dict] = {}
    print(header)
    for pub in sorted(by_pub):
        figures[pub] = row(score_subset(scorer, by_pub[pub], preds))
        print(fmt(pub, figures[pub]))
    for a_pub, b_pub in FOLDS:
        name = f"fold out {a_pub.split()[-1]}+{b_pub.split()[-1]}"
        figures[name] = row(score_subset(scorer, by_pub[a_pub] + by_pub[b_pub], preds))
        print(fmt(name, figures[name]))
    figures["all"] = row(score_subset(scorer, list(publisher), preds))
    print(fmt("all (per-publisher furniture)", figures["all"]))
    if a.show_fails:
        for d in sorted(by_pub[a.show_fails]):
            g = json.loads((GEN / "gold" / f"{d}.json").read_text(encoding="utf-8"))
            p = preds[d]
            if scorer.norm_key(p["title"]) != scorer.norm_key(g["title"]):
                print(f"TITLE {d}: {p['title']!r} != {g['title']!r}")
            if g.get("byline") and scorer.norm_key(p["byline"]) != scorer.norm_key(g["byline"]):
                print(f"BYLINE {d}: {p['byline']!r} != {g['byline']!r}")
    if a.json:
        Path(a.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
