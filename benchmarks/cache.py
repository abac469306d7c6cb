"""Cache benchmark: the time to write and read back every value one build caches.

Builds a generated corpus of N scraped articles (the generator of
``benchmarks/build.py``, real paragraphs from ``../shared/data``) once with
``digest build``, then times, in this process, reading every row of the
resulting ``.digest-cache.sqlite`` (``Cache.get_many``, decoding each value)
and writing them all again into a new file (``Cache.put_many``): the cache's
share of a no-change rebuild and of a cold build. Prints rows, file size and
the median seconds of ``--runs`` repetitions.

Measured (December 2026, 2 shared cores), pickled rows before the JSON codec and
JSON rows after: 10,000 articles, 34,856 rows: read all 0.67 s -> 0.90 s, write all
0.99 s -> 1.16 s, file 140 -> 146 MB; 2,000 articles: read 0.10 s -> 0.19 s, write
0.17 s -> 0.25 s. A no-change ``digest build`` of 2,000 articles took the same time
either way (median wall 4.6 s; pipeline and pages stages 1.64 s both).

    nice python benchmarks/cache.py                 # 2,000 articles, 5 runs
    nice python benchmarks/cache.py --size 10000
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from digest.cache import Cache
from digest.pipeline import CACHED_RECORDS

HERE = Path(__file__).resolve().parent


def _build_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_build", HERE / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(cache_file: Path, scratch: Path, runs: int) -> dict[str, float]:
    with Cache(cache_file, CACHED_RECORDS) as cache:
        keys = [k for (k,) in cache.db.execute("SELECT key FROM results")]
    reads, writes = [], []
    values: dict[str, Any] = {}
    for run in range(runs):
        with Cache(cache_file, CACHED_RECORDS) as cache:
            start = time.perf_counter()
            values = cache.get_many(keys)
            reads.append(time.perf_counter() - start)
        target = scratch / f"copy-{run}.sqlite"
        with Cache(target, CACHED_RECORDS) as copy:
            start = time.perf_counter()
            copy.put_many(values)
            writes.append(time.perf_counter() - start)
    return {"rows": len(keys), "decoded": len(values), "read_s": statistics.median(reads),
            "write_s": statistics.median(writes),
            "mb": cache_file.stat().st_size / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=2_000, help="articles in the corpus")
    parser.add_argument("--runs", type=int, default=5, help="repetitions; medians shown")
    args = parser.parse_args()
    bench = _build_module()
    if not (bench.SHARED / "data" / "cnndm" / "dev.jsonl").is_file():
        sys.exit(f"needs {bench.SHARED}/data (the shared data beside the checkout)")
    with tempfile.TemporaryDirectory(prefix="digest-cache-bench-",
                                     ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        bench.make_project(folder, args.size, bench.real_paragraphs())
        result = subprocess.run([sys.executable, "-m", "digest", "build"], cwd=folder,
                                capture_output=True, text=True, env=dict(os.environ))
        if result.returncode not in (0, 3):
            sys.exit(f"build failed:\n{result.stderr[-3000:]}")
        m = measure(folder / ".digest-cache.sqlite", folder, args.runs)
    print(f"{args.size:,} articles: {m['rows']:,} rows ({m['decoded']:,} decoded),"
          f" file {m['mb']:.1f} MB; read all {m['read_s']:.3f} s"
          f" ({1e6 * m['read_s'] / max(m['rows'], 1):.0f} us/row),"
          f" write all {m['write_s']:.3f} s ({1e6 * m['write_s'] / max(m['rows'], 1):.0f} us/row)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
