#!/usr/bin/env python3
"""Our summariser beside LEAD-3, sumy and the oracle, in one run of eval_summaries.

Runs ``../shared/tools/eval_summaries.py``'s ``evaluate`` on
``../shared/data/cnndm/dev.jsonl`` (or the file given) with these systems,
interleaved article by article so machine noise lands on all alike:

  digest.summarize         ours: directed position-aware centrality (default)
  ours: lead over units    our splitter and non-sentence filter, first n kept
  ours: centrality only    our units, undirected centrality without position
  lead3 textrank lexrank lsa luhn oracle   the harness's built-ins

then prints the table and checks the bar of issue 5: ROUGE-1, ROUGE-2 and
ROUGE-Lsum of ``digest.summarize`` all above lead3's, and at least 5x faster
per article than sumy's LexRank (sentence splitting included).

Usage: python benchmarks/summarize.py [DATA.jsonl] [--n 3] [--limit K] [--quick]
(--quick leaves out the slow sumy systems except LexRank, and the oracle.)
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
TOOLS = SHARED / "tools"
DEV = SHARED / "data" / "cnndm" / "dev.jsonl"
DETERMINISTIC_ENV = {"PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1",
                     "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _reexec_deterministic() -> None:
    """Run under the environment eval_summaries.py itself insists on."""
    if all(os.environ.get(k) == v for k, v in DETERMINISTIC_ENV.items()):
        return
    env = {**os.environ, **DETERMINISTIC_ENV}
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(DEV), help="JSON Lines: id, article, highlights")
    ap.add_argument("--n", type=int, default=3, help="sentences per summary")
    ap.add_argument("--limit", type=int, default=0, help="first K articles only")
    ap.add_argument("--quick", action="store_true", help="only lead3 and lexrank as baselines")
    args = ap.parse_args()
    if not (TOOLS / "eval_summaries.py").exists():
        sys.exit(f"needs {TOOLS / 'eval_summaries.py'} (the shared tools folder is absent)")
    if not Path(args.data).exists():
        sys.exit(f"needs {args.data} (the shared data folder is absent)")
    _reexec_deterministic()
    sys.path.insert(0, str(TOOLS))
    import eval_summaries  # noqa: PLC0415 - located at run time

    from digest.summarize import CentralityRanker, LeadRanker, summarize

    records = eval_summaries.load_jsonl(args.data)
    if args.limit:
        records = records[: args.limit]
    builtins = eval_summaries.builtin_systems()
    wanted = ("lead3", "lexrank") if args.quick else tuple(builtins)
    systems = {
        "digest.summarize": summarize,
        "ours: lead over units": partial(summarize, ranker=LeadRanker()),
        "ours: centrality only": partial(summarize, ranker=CentralityRanker()),
        **{name: builtins[name] for name in wanted},
    }
    results = eval_summaries.evaluate(records, systems, n=args.n)
    print(f"{args.data}: {len(records)} articles, n={args.n}, rouge-score F1 x100, "
          f"use_stemmer=True, [95% bootstrap CI]")
    print(eval_summaries.format_table(results))
    rows = {r["system"]: r for r in results}
    ours, lead = rows["digest.summarize"], rows["lead3"]
    margins = {m: ours[m] - lead[m] for m in eval_summaries.METRICS}
    beats = all(v > 0 for v in margins.values())
    print()
    print("bar, ROUGE above lead3: " + ", ".join(f"{m} {v:+.2f}" for m, v in margins.items())
          + (" -- met" if beats else " -- NOT met"))
    speedup = rows["lexrank"]["sec_per_100"] / ours["sec_per_100"]
    print(f"bar, >= 5x faster than sumy LexRank: {speedup:.1f}x"
          + (" -- met" if speedup >= 5 else " -- NOT met"))


if __name__ == "__main__":
    main()
