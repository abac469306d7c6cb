"""Daily-build benchmark: cold build, no-change rebuild, rebuild with 10 new articles.

Generates scraped-style corpora of N articles (default 10,000 and 20,000) from
the real article texts in ``../shared/data`` (CNN/DailyMail DEV and the ECB+
story set): each article is made of paragraphs drawn from several real
articles, so articles are distinct (no accidental duplicates), and each page
carries furniture (prompts, list headers, a Related Articles block naming
other generated titles, a footer) in one of five publishers' layouts.

For each size it runs rounds of three ``digest build``s in a fresh project —
cold (no cache, no site), again with no change, again after adding 10 new
files — and prints the median wall time of each kind over the rounds, every
run's time, peak memory (largest single process, from getrusage, over all
runs) and the per-stage times of the median run from the build report. Bars
(issue 9): no-change ≤ 15% of cold, 10 new ≤ 25% of cold, peak < 2 GB,
time(20k)/time(10k) ≤ 2.3. The machine is shared: run it under ``nice``.

    nice python benchmarks/build.py                       # 10,000 and 20,000, 3 rounds
    nice python benchmarks/build.py --sizes 2000 --runs 1  # a quick look

``--year`` runs the year-long archive benchmark instead (issue 20; see
``benchmarks/year_archive.py``): ten publishers, stories of about 6 articles,
dates over 365 days, then a daily step of 3,000 articles; cold, no-change and
daily build times, peak memory, front page and first-search bytes, site size.

    nice python benchmarks/build.py --year                      # 10,000 and 30,000
    nice python benchmarks/build.py --year --sizes 100000       # the size the bars are for
    nice python benchmarks/build.py --year --generate-only --sizes 100000  # generator alone
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
LAYOUTS = [
    ("lisk-times", "Cookies help us run this site. Accept all | Manage",
     "Most Read", "Related Articles", "© Lisk Times Media. All rights reserved."),
    ("vennick-post", "Skip to content", "Trending now", "More from Vennick Post",
     "Vennick Post is published by Northgate News Ltd."),
    ("coast-herald", "Subscribe for unlimited access", "Popular", "You might also like",
     "Coast Herald, 4 Quay Street. Registered in Carrowmore."),
    ("ardell-echo", "Menu Search Sign in", "Editor's picks", "Read more",
     "Copyright Ardell Echo 2026"),
    ("kilcarra-news", "Advertisement", "Most popular", "Related stories",
     "Kilcarra News — independent since 1911"),
]


def real_paragraphs() -> list[str]:
    """Paragraph-sized runs of real sentences from the shared data."""
    paragraphs: list[str] = []
    for name, field in (("cnndm/dev.jsonl", "article"), ("stories/dev.jsonl", "text")):
        for line in (SHARED / "data" / name).read_text("utf-8").splitlines():
            text = json.loads(line)[field]
            sentences = re.split(r"(?<=[.!?])\s+", text)
            for i in range(0, len(sentences) - 2, 3):
                para = " ".join(sentences[i:i + 3])
                if 20 <= len(para.split()) <= 120:
                    paragraphs.append(para[:1].upper() + para[1:])
    return paragraphs


def make_article(i: int, rng: random.Random, paragraphs: list[str], titles: list[str]) -> str:
    name, top, popular, related, footer = LAYOUTS[i % len(LAYOUTS)]
    body = rng.sample(paragraphs, rng.randint(5, 10))
    day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    lines = [f"date {day} {top}", titles[i], *body, popular,
             *rng.sample(titles, 3), related, *rng.sample(titles, 5), footer]
    return "\n".join(lines) + "\n"


def make_project(folder: Path, n: int, paragraphs: list[str]) -> None:
    rng = random.Random(n)
    titles = [" ".join(rng.sample(paragraphs, 1)[0].split()[:rng.randint(6, 12)]).rstrip(",.;:")
              + f" ({i})" for i in range(n + 10)]
    for name, *_ in LAYOUTS:
        (folder / "corpus" / name).mkdir(parents=True)
    for i in range(n):
        name = LAYOUTS[i % len(LAYOUTS)][0]
        (folder / "corpus" / name / f"{i:06d}.txt").write_text(
            make_article(i, rng, paragraphs, titles), "utf-8")
    sources = "".join(f"  - {{name: {name}, type: text, path: corpus/{name}/*.txt}}\n"
                      for name, *_ in LAYOUTS)
    (folder / "feeds.yaml").write_text(
        f"site: {{title: Benchmark digest, url: 'https://bench.example.org/'}}\nsources:\n{sources}",
        "utf-8")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs")
    (folder / "titles.json").write_text(json.dumps(titles[n:]), "utf-8")


def add_new(folder: Path, n: int, paragraphs: list[str], batch: int = 0) -> None:
    """Ten new articles (named by ``batch``), dated after the rest, in every publisher."""
    rng = random.Random(-n - batch)
    titles = json.loads((folder / "titles.json").read_text("utf-8"))
    for k, title in enumerate(titles):
        name = LAYOUTS[k % len(LAYOUTS)][0]
        body = rng.sample(paragraphs, 6)
        text = "\n".join([f"date 2025-12-31 {LAYOUTS[k % 5][1]}", f"{title} ({batch})",
                          *body]) + "\n"
        (folder / "corpus" / name / f"new-{batch}-{k:02d}.txt").write_text(text, "utf-8")


def reset(folder: Path) -> None:
    """Back to the generated corpus with no cache and no site: the next build is cold."""
    for path in folder.glob("corpus/*/new-*.txt"):
        path.unlink()
    for path in [folder / "site", *folder.glob(".site*"), *folder.glob(".digest-cache*")]:
        if path.is_dir():  # a discarded site may be being deleted by a build's child process
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


def run_build(folder: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "digest", "build"], cwd=folder,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 3):
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    report = json.loads((folder / "build-report.json").read_text("utf-8"))
    return {"seconds": seconds, "peak_mb": peak / 1024, "stages": report["seconds"],
            "articles": report["articles"]}


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time, with the largest peak memory of all the runs."""
    chosen = dict(sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2])
    chosen["peak_mb"] = max(r["peak_mb"] for r in runs)
    chosen["all"] = [r["seconds"] for r in runs]
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="articles (default 10,000 and 20,000; with --year 10,000 and 30,000)")
    parser.add_argument("--runs", type=int, default=3, help="rounds per size; medians shown")
    parser.add_argument("--year", action="store_true", help="the year-long archive benchmark")
    parser.add_argument("--seed", type=int, default=20, help="--year: generator seed")
    parser.add_argument("--generate-only", action="store_true",
                        help="--year: time the generator alone, build nothing")
    args = parser.parse_args()
    if args.year:
        import year_archive  # beside this file
        return year_archive.main(args.sizes or [10_000, 30_000], args.seed, args.generate_only)
    args.sizes = args.sizes or [10_000, 20_000]
    if not (SHARED / "data" / "cnndm" / "dev.jsonl").is_file():
        sys.exit(f"needs {SHARED}/data (the shared data beside the checkout)")
    paragraphs = real_paragraphs()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"digest-bench-{n}-",
                                         ignore_cleanup_errors=True) as tmp:
            folder = Path(tmp)
            make_project(folder, n, paragraphs)
            rounds: dict[str, list[dict]] = {"cold": [], "no change": [], "10 new": []}
            for r in range(args.runs):
                reset(folder)
                rounds["cold"].append(run_build(folder))
                rounds["no change"].append(run_build(folder))
                add_new(folder, n, paragraphs, r)
                rounds["10 new"].append(run_build(folder))
                print(f"{n}, round {r + 1}: " + ", ".join(
                    f"{label} {runs[-1]['seconds']:.1f}s" for label, runs in rounds.items()),
                    file=sys.stderr)
            rows.append((n, {label: median_run(runs) for label, runs in rounds.items()}))
    print("| articles | run | median s | runs s | % of cold | peak MB | published |"
          " stage seconds (median run) |")
    print("|---:|---|---:|---|---:|---:|---:|---|")
    for n, runs in rows:
        cold = runs["cold"]["seconds"]
        for label, run in runs.items():
            stages = ", ".join(f"{k} {v:.1f}" for k, v in run["stages"].items())
            every = " / ".join(f"{s:.1f}" for s in run["all"])
            print(f"| {n:,} | {label} | {run['seconds']:.1f} | {every} | "
                  f"{100 * run['seconds'] / cold:.0f}% | {run['peak_mb']:.0f} | "
                  f"{run['articles']:,} | {stages} |")
    print("\nbars: no change <= 15% of cold, 10 new <= 25%, peak < 2048 MB")
    if len(rows) >= 2:
        (n1, r1), (n2, r2) = rows[0], rows[-1]
        ratio = r2["cold"]["seconds"] / r1["cold"]["seconds"]
        print(f"cold time({n2:,}) / time({n1:,}) = {ratio:.2f} (bar <= 2.3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
