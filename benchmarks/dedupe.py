#!/usr/bin/env python3
"""Benchmark the dedupe stage on the generated scraped corpus, and at scale.

    python benchmarks/dedupe.py [--bodies clean|gold|raw] [--sizes 1000 10000 50000]
                                [--repeats 3] [--sweep] [--sweep-size 20000]

Reads ../shared/data/scraped-gen (docs/, gold/, clusters.json) and scores with
../shared/tools/score_scraped.py, both located relative to this file. Prints

1. pairwise duplicate precision/recall, overall and by relation pair, for
   newsdigest's dedupe and for the README's baseline (datasketch MinHashLSH,
   Jaccard threshold 0.5, no containment), on bodies from the raw files
   cleaned by digest.clean (``--bodies clean``, the default: learn_furniture
   over all files, then clean_text), the gold bodies, or the raw lines; "HN fp"
   counts false pairs with a hard negative (original_short), "FP" all false
   pairs; the same through score_scraped.py;
2. the margins behind the thresholds (an all-pairs analysis of the corpus);
3. copy_adds against the paragraphs updates are known to add;
4. with ``--sweep``, precision/recall with one parameter changed at a time,
   on the corpus replicated to ``--sweep-size`` (replicas re-draw the MinHash
   noise);
5. time and peak memory at each size in ``--sizes``: the corpus is replicated
   with a different vocabulary per replica (every word gets a replica tag, so
   replicas are distinct stories with the same copy structure) and perturbed
   (a share of paragraphs loses one word per copy). Fingerprinting (serial,
   one process) and find_duplicates are timed separately, medians of
   ``--repeats`` runs; peak memory is the peak RSS of a fresh process that
   loads and cleans the corpus, holds the replicated bodies, fingerprints and
   deduplicates them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "data" / "scraped-gen"
SCORER = SHARED / "tools" / "score_scraped.py"
PERTURB_SHARE = 0.05  # share of paragraphs that lose one word in a replicated copy

# ---------------------------------------------------------------- data


def require_data() -> None:
    missing = [p for p in (CORPUS / "docs", CORPUS / "gold", CORPUS / "clusters.json", SCORER)
               if not p.exists()]
    if missing:
        sys.exit("benchmarks/dedupe.py needs the shared data: missing "
                 + ", ".join(str(p) for p in missing))


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_scraped", SCORER)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _clean_one(args: tuple[str, frozenset[str]]) -> tuple[tuple[str, ...], str | None, str]:
    from digest.clean import clean_text

    text, furniture = args
    cleaned = clean_text(text, furniture)
    return cleaned.body, cleaned.date, cleaned.title


def load_docs(bodies: str) -> list[dict]:
    """One dict per doc: id, body (paragraphs), date, title, publisher (the source), cluster,
    relation."""
    clusters = json.loads((CORPUS / "clusters.json").read_text(encoding="utf-8"))
    publisher = {r["doc_id"]: r["publisher"] for r in map(json.loads, (
        CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines())}
    relation = {d["doc_id"]: d["relation"] for ds in clusters["clusters"].values() for d in ds}
    paths = sorted((CORPUS / "docs").glob("*.txt"))
    docs = []
    for path in paths:
        gold = json.loads((CORPUS / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        docs.append({"id": path.stem, "body": tuple(gold["body"]), "date": gold["date"],
                     "title": gold["title"] or "", "publisher": publisher[path.stem],
                     "cluster": clusters["doc_cluster"][path.stem],
                     "relation": relation[path.stem], "path": path})
    if bodies == "raw":
        for d in docs:
            lines = d["path"].read_text(encoding="utf-8").splitlines()
            d["body"] = tuple(line for line in lines if line.strip())
            d["date"], d["title"] = None, ""
    elif bodies == "clean":
        from digest.clean import learn_furniture

        texts = [d["path"].read_text(encoding="utf-8") for d in docs]
        furniture = learn_furniture(texts)
        with ProcessPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(_clean_one, [(t, furniture) for t in texts], chunksize=16))
        for d, (body, date, title) in zip(docs, results, strict=True):
            d["body"], d["date"], d["title"] = tuple(body), date, title
    for d in docs:
        d.pop("path")
    return docs


# ---------------------------------------------------------------- scoring


def pair_scores(docs: list[dict], predicted: dict[str, str]) -> dict:
    """Pairwise precision/recall of predicted groups against the gold clusters,
    recall by relation pair, and false pairs that involve a hard negative."""
    def pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for doc, group in assign.items():
            groups[group].append(doc)
        out = set()
        for members in groups.values():
            members.sort()
            out.update((a, b) for k, a in enumerate(members) for b in members[k + 1 :])
        return out

    gold = pairs({d["id"]: d["cluster"] for d in docs})
    pred = pairs({d["id"]: predicted.get(d["id"], d["id"]) for d in docs})
    relation = {d["id"]: d["relation"] for d in docs}
    tp = len(gold & pred)
    by_rel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a, b in gold:
        key = "/".join(sorted({relation[a], relation[b]}))
        by_rel[key][1] += 1
        by_rel[key][0] += (a, b) in pred
    updates = [v for k, v in by_rel.items() if "update" in k]
    false = pred - gold
    return {
        "p": tp / len(pred) if pred else 1.0,
        "r": tp / len(gold) if gold else 1.0,
        "update_r": sum(v[0] for v in updates) / max(1, sum(v[1] for v in updates)),
        "by_rel": {k: v[0] / v[1] for k, v in sorted(by_rel.items())},
        "hard_negative_fp": sum(1 for a, b in false
                                if "original_short" in (relation[a], relation[b])),
        "gold_pairs": len(gold), "pred_pairs": len(pred), "false_pairs": len(false),
    }


_FINGERPRINTS: dict[tuple, list] = {}


def run_newsdigest(docs: list[dict], **settings) -> dict[str, str]:
    """Our dedupe with the given settings (fingerprints cached per corpus and
    fingerprint settings within one benchmark run)."""
    from digest.dedupe import Candidate, MatchSettings, find_duplicates, fingerprint

    fp_settings = {k: settings.pop(k) for k in ("shingle_words", "num_perm") if k in settings}
    key = (id(docs), len(docs), tuple(sorted(fp_settings.items())))
    if key not in _FINGERPRINTS:
        _FINGERPRINTS[key] = [fingerprint(d["body"], **fp_settings) for d in docs]
    cands = [Candidate(d["id"], fp, d["date"], source=d["publisher"], title=d["title"])
             for d, fp in zip(docs, _FINGERPRINTS[key], strict=True)]
    return find_duplicates(cands, MatchSettings(**settings))


def run_baseline(docs: list[dict], threshold: float = 0.5) -> dict[str, str]:
    """The README's baseline: datasketch MinHashLSH over word 5-grams,
    128 permutations, Jaccard threshold 0.5, groups joined transitively."""
    from datasketch import MinHash, MinHashLSH

    from digest.dedupe.canonical import connected_groups
    from digest.text import words

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = []
    for i, d in enumerate(docs):
        toks = words(" ".join(d["body"]))
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(toks[k : k + 5]).encode() for k in range(max(1, len(toks) - 4))])
        lsh.insert(i, m)
        hashes.append(m)
    pairs = [(i, j) for i, m in enumerate(hashes) for j in lsh.query(m) if i < j]
    out = {}
    for group in connected_groups(len(docs), pairs):
        for i in group[1:]:
            out[docs[i]["id"]] = docs[group[0]]["id"]
    return out


SHORT = {"exact_body": "exact", "original_short": "short", "original": "orig",
         "syndicated": "synd", "update_early": "early", "update_late": "late"}


def _short(relation: str) -> str:
    return "/".join(SHORT.get(part, part) for part in relation.split("/"))


def print_quality(rows: list[tuple[str, dict]]) -> None:
    rels = sorted({k for _, s in rows for k in s["by_rel"]})
    print("recall by relation pair: " + ", ".join(_short(r) for r in rels))
    print(f"{'method':34s} {'P':>6s} {'R':>6s} {'R upd':>6s} {'HN fp':>5s} {'FP':>4s}  "
          + " ".join(f"{_short(r)[:11]:>11s}" for r in rels))
    for name, s in rows:
        print(f"{name:34s} {s['p']:6.3f} {s['r']:6.3f} {s['update_r']:6.3f} "
              f"{s['hard_negative_fp']:5d} {s['false_pairs']:4d}  "
              + " ".join(f"{s['by_rel'].get(r, float('nan')):11.3f}" for r in rels))


def print_canonical(docs: list[dict], predicted: dict[str, str]) -> None:
    """How the canonical rule chose in groups holding an update pair."""
    relation = {d["id"]: d["relation"] for d in docs}
    groups: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        groups[predicted.get(d["id"], d["id"])].append(d["id"])
    with_update = [(c, m) for c, m in groups.items()
                   if {"update_early", "update_late"} <= {relation[x] for x in m}]
    stub = sum(relation[c] == "update_early" for c, _ in with_update)
    late = sum(relation[c] == "update_late" for c, _ in with_update)
    print(f"\ncanonical rule: of {len(with_update)} groups with an update pair, the stub is "
          f"canonical in {stub}, the late version in {late}, another full copy in "
          f"{len(with_update) - stub - late}")


def print_margins(docs: list[dict]) -> None:
    """How close distinct stories come to the thresholds, and copies to missing
    them: an all-pairs analysis of the corpus (benchmark only; the stage
    compares LSH candidates only)."""
    import numpy as np

    from digest.dedupe import MatchSettings, fingerprint
    from digest.dedupe.candidates import score_pairs, shared_value_mask, signature_matrix

    ms = MatchSettings()
    fps = [fingerprint(d["body"]) for d in docs]
    sig = signature_matrix(fps)
    left, right = np.triu_indices(len(docs), k=1)
    scores = score_pairs(np.stack([left, right], axis=1), sig,
                         np.array([f.shingles for f in fps], dtype=float),
                         shared_value_mask(np.ascontiguousarray(sig.T), ms.max_shared).T)
    cluster = np.array([d["cluster"] for d in docs])
    n_words = np.array([f.words for f in fps])
    big = (n_words[left] >= ms.min_words) & (n_words[right] >= ms.min_words)
    copy = (cluster[left] == cluster[right]) & big
    distinct = (cluster[left] != cluster[right]) & big
    floor = scores.jaccard >= ms.min_containment_jaccard
    jq = np.quantile(scores.jaccard[copy], [0.01, 0.05])
    cq = np.quantile(scores.containment[copy & floor], [0.01, 0.05])
    print("margins (all pairs of the corpus, bodies of >= min_words words):")
    print(f"  distinct stories: max Jaccard {scores.jaccard[distinct].max():.3f}, "
          f"max containment {scores.containment[distinct].max():.3f}, "
          f"max containment with Jaccard >= {ms.min_containment_jaccard} "
          f"{scores.containment[distinct & floor].max():.3f}")
    print(f"  copies: Jaccard 1%/5% quantiles {jq[0]:.3f}/{jq[1]:.3f}, containment "
          f"{cq[0]:.3f}/{cq[1]:.3f}; min Jaccard of update pairs "
          f"{_update_min(docs, left, right, copy, scores.jaccard):.3f}")
    print(f"  thresholds: Jaccard {ms.jaccard_threshold}, containment "
          f"{ms.containment_threshold} with Jaccard >= {ms.min_containment_jaccard}\n")


def _update_min(docs, left, right, copy, jaccard) -> float:
    import numpy as np

    early = np.array([d["relation"] == "update_early" for d in docs])
    late = np.array([d["relation"] == "update_late" for d in docs])
    pair = copy & ((early[left] & late[right]) | (late[left] & early[right]))
    return float(jaccard[pair].min()) if pair.any() else float("nan")


def print_adds(docs: list[dict]) -> None:
    """copy_adds against what is known of each copy: on gold bodies, the
    paragraphs an update's late version adds to its stub are additions;
    a syndicated copy's (edited) paragraphs are not."""
    import numpy as np

    from digest.dedupe import copy_adds
    from digest.dedupe.adds import NOVELTY_THRESHOLD, paragraph_coverage

    gold = {}
    for d in docs:
        path = CORPUS / "gold" / f"{d['id']}.json"
        gold[d["id"]] = json.loads(path.read_text(encoding="utf-8"))
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        by_cluster[d["cluster"]].append(d["id"])
    new_cov, old_cov, found, true_new, flagged = [], [], 0, 0, 0
    edited_paras = edited_flagged = 0
    for members in by_cluster.values():
        rel = {m: gold[m]["relation"] for m in members}
        early = [m for m in members if rel[m] == "update_early"]
        late = [m for m in members if rel[m] == "update_late"]
        original = [m for m in members if rel[m] == "original"]
        for e, la in zip(early, late, strict=False):
            stub, full = gold[e]["body"], gold[la]["body"]
            known = {" ".join(p.split()).casefold() for p in stub}
            truth = [p for p in full if " ".join(p.split()).casefold() not in known]
            adds = copy_adds(stub, full)
            cov = paragraph_coverage(stub, full)
            new_cov += [c for p, c in zip(full, cov, strict=True) if p in truth]
            old_cov += [c for p, c in zip(full, cov, strict=True) if p not in truth]
            true_new += len(truth)
            flagged += len(adds)
            found += len(set(adds) & set(truth))
        for o in original:
            for m in members:
                if rel[m] == "syndicated":
                    body = gold[m]["body"]
                    edited_paras += len(body)
                    edited_flagged += len(copy_adds(gold[o]["body"], body))
                    old_cov += paragraph_coverage(gold[o]["body"], body)
    print(f"copy_adds (gold bodies; novelty threshold {NOVELTY_THRESHOLD}):")
    print(f"  paragraphs an update adds to its stub: {true_new}, found {found} "
          f"(recall {found / max(1, true_new):.3f}), flagged {flagged} "
          f"(precision {found / max(1, flagged):.3f})")
    print(f"  syndicated copies' paragraphs flagged as additions to the original: "
          f"{edited_flagged} of {edited_paras}")
    print(f"  coverage of added paragraphs: max {max(new_cov):.2f}, 99% quantile "
          f"{np.quantile(new_cov, 0.99):.2f}; of kept or edited paragraphs: 1% quantile "
          f"{np.quantile(old_cov, 0.01):.2f}, min {min(old_cov):.2f}\n")


# ---------------------------------------------------------------- scale

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _tag(replica: int) -> str:
    letters = ""
    while True:
        replica, digit = divmod(replica, 26)
        letters += chr(ord("a") + digit)
        if replica == 0:
            return "q" + letters


def replicate(docs: list[dict], size: int, seed: int = 7) -> list[dict]:
    """``size`` docs: the corpus, then replicas in another vocabulary each,
    a share ``PERTURB_SHARE`` of each copy's paragraphs missing one word."""
    rng = random.Random(seed)
    out: list[dict] = []
    replica = 0
    while len(out) < size:
        tag = _tag(replica)
        for d in docs:
            if len(out) == size:
                break
            body = []
            for para in d["body"]:
                text = para if replica == 0 else _WORD.sub(rf"\g<0>{tag}", para)
                if replica and rng.random() < PERTURB_SHARE:
                    toks = text.split()
                    if len(toks) > 1:
                        del toks[rng.randrange(len(toks))]
                        text = " ".join(toks)
                body.append(text)
            out.append({**d, "id": f"{d['id']}#{replica}", "body": tuple(body),
                        "cluster": f"{d['cluster']}#{replica}"})
        replica += 1
    return out


def scale_worker(bodies: str, size: int, repeats: int) -> None:
    """Run in a fresh process: print one JSON line of timings for ``size`` docs.

    Wall and CPU time are both kept: on a shared machine CPU time is the
    steadier measure of how the cost grows."""
    from digest.dedupe import Candidate, find_duplicates, fingerprint

    docs = replicate(load_docs(bodies), size)
    fp_wall, fp_cpu, dd_wall, dd_cpu = [], [], [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        fps = [fingerprint(d["body"]) for d in docs]
        fp_wall.append(time.perf_counter() - wall)
        fp_cpu.append(time.process_time() - cpu)
    cands = [Candidate(d["id"], fp, d["date"], source=d["publisher"], title=d["title"])
             for d, fp in zip(docs, fps, strict=True)]
    for _ in range(max(5, repeats)):  # cheap: a few more runs steady the median
        wall, cpu = time.perf_counter(), time.process_time()
        predicted = find_duplicates(cands)
        dd_wall.append(time.perf_counter() - wall)
        dd_cpu.append(time.process_time() - cpu)
    scores = pair_scores(docs, predicted)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The same LSH candidates through datasketch's MinHashLSH index, once, for comparison.
    import numpy as np

    from digest.dedupe import MatchSettings
    from digest.dedupe.candidates import datasketch_lsh_pairs, signature_matrix

    start = time.perf_counter()
    datasketch_lsh_pairs(signature_matrix(fps), np.ones(len(fps), dtype=bool), MatchSettings())
    datasketch_s = time.perf_counter() - start
    print(json.dumps({
        "size": size,
        "fingerprint_s": statistics.median(fp_wall), "fingerprint_cpu": statistics.median(fp_cpu),
        "dedupe_s": statistics.median(dd_wall), "dedupe_cpu": statistics.median(dd_cpu),
        "datasketch_s": datasketch_s, "peak_mb": peak_mb,
        "fp_bytes": statistics.mean(len(fp.to_bytes()) for fp in fps),
        "p": scores["p"], "r": scores["r"], "update_r": scores["update_r"],
        "hard_negative_fp": scores["hard_negative_fp"],
    }))


def print_scale(bodies: str, sizes: list[int], repeats: int) -> None:
    rows = []
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--bodies", bodies, "--scale-worker", str(size),
             "--repeats", str(repeats)], capture_output=True, text=True, check=False)
        if out.returncode:
            sys.exit(f"scale run at {size} failed:\n{out.stderr}")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("time: medians of --repeats runs (find_duplicates: at least 5) in one process, "
          "wall (CPU); peak RSS: the whole "
          "process (cleaning, bodies, fingerprints, dedupe);\ndatasketch index: the same LSH "
          "candidates through datasketch MinHashLSH (one run, wall), for comparison")
    print(f"{'articles':>9s} {'fingerprint s':>15s} {'find_duplicates s':>17s} "
          f"{'peak RSS MB':>11s} {'bytes/fp':>8s} {'P':>6s} {'R':>6s} {'R upd':>6s} "
          f"{'HN fp':>5s} {'datasketch index s':>18s}")
    for r in rows:
        fp = f"{r['fingerprint_s']:.2f} ({r['fingerprint_cpu']:.2f})"
        dd = f"{r['dedupe_s']:.2f} ({r['dedupe_cpu']:.2f})"
        print(f"{r['size']:9d} {fp:>15s} {dd:>17s} "
              f"{r['peak_mb']:11.0f} {r['fp_bytes']:8.0f} {r['p']:6.3f} {r['r']:6.3f} "
              f"{r['update_r']:6.3f} {r['hard_negative_fp']:5d} {r['datasketch_s']:18.2f}")
    by_size = {r["size"]: r for r in rows}
    if 10000 in by_size and 50000 in by_size:
        big, small = by_size[50000], by_size[10000]
        for label, key in (("wall", "_s"), ("CPU", "_cpu")):
            dd = big["dedupe" + key] / small["dedupe" + key]
            fp = big["fingerprint" + key] / small["fingerprint" + key]
            both = ((big["dedupe" + key] + big["fingerprint" + key])
                    / (small["dedupe" + key] + small["fingerprint" + key]))
            print(f"time(50k)/time(10k), {label}: find_duplicates {dd:.2f}, "
                  f"fingerprint {fp:.2f}, both {both:.2f}")


# ---------------------------------------------------------------- main


SWEEP = [
    {},
    {"shingle_words": 3}, {"shingle_words": 4}, {"shingle_words": 7},
    {"num_perm": 64, "bands": 16}, {"num_perm": 256, "bands": 64},
    {"bands": 21, "rows": 6}, {"bands": 42, "rows": 3}, {"bands": 64, "rows": 2},
    {"jaccard_threshold": 0.35}, {"jaccard_threshold": 0.45},
    {"containment_threshold": 0.65}, {"containment_threshold": 0.75},
    {"min_containment_jaccard": 0.1}, {"min_containment_jaccard": 0.3},
    {"max_shared": 10}, {"max_shared": 1_000_000}, {"min_words": 5}, {"min_words": 30},
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bodies", choices=("clean", "gold", "raw"), default="clean")
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 50000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--sweep-size", type=int, default=20000)
    ap.add_argument("--scale-worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    require_data()
    if args.scale_worker:
        scale_worker(args.bodies, args.scale_worker, args.repeats)
        return 0
    if args.bodies == "clean" and importlib.util.find_spec("digest.clean") is None:
        sys.exit("digest.clean is not importable yet: run with --bodies gold or raw")
    start = time.perf_counter()
    docs = load_docs(args.bodies)
    print(f"{len(docs)} docs, bodies: {args.bodies} "
          f"(loaded in {time.perf_counter() - start:.1f} s)\n")
    scorer = load_scorer()
    ours = run_newsdigest(docs)
    tool = scorer.score_clusters(CORPUS, {d: {"cluster": c} for d, c in
                                          ((d["id"], ours.get(d["id"], d["id"])) for d in docs)})
    rows = [("newsdigest dedupe", pair_scores(docs, ours)),
            ("baseline: MinHashLSH J>=0.5", pair_scores(docs, run_baseline(docs)))]
    print_quality(rows)
    print_canonical(docs, ours)
    print()
    print_margins(docs)
    print(f"\nscore_scraped.py dedup_pairs for newsdigest: p={tool['p']:.3f} r={tool['r']:.3f} "
          f"f1={tool['f1']:.3f} gold_pairs={tool['gold_pairs']} pred_pairs={tool['pred_pairs']}")
    print(f"  recall_by_relation {tool['recall_by_relation']}\n")
    print_adds(docs)
    if args.sweep:
        # Replicas re-draw every MinHash (new words, new hashes), so the sweep
        # also sees the estimator's noise near the thresholds, not one draw.
        sweep_docs = replicate(docs, args.sweep_size)
        print(f"\nparameter sweep on {len(sweep_docs)} replicated docs "
              "(one parameter changed from the defaults per row):")
        sweep_rows = []
        for params in SWEEP:
            name = " ".join(f"{k}={v}" for k, v in params.items()) or "defaults"
            scores = pair_scores(sweep_docs, run_newsdigest(sweep_docs, **params))
            sweep_rows.append((name, scores))
        print_quality(sweep_rows)
    if args.sizes:
        print_scale(args.bodies, args.sizes, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
