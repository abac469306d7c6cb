"""Crash safety under SIGKILL: `digest build` beside a plain in-place `mkdocs build`.

The sample project is copied to a scratch folder and built once (the reference
site). Then each builder is started and killed with SIGKILL at the same random
moments within a cold build (seeded, so every run kills at the same times), and
after each kill the site folder is compared with the reference. At the end one
more build must give the reference again. The test suite kills a build three
times (``tests/test_build_safety.py``); this runs the long version:

    python benchmarks/kills.py               # 20 kills per builder
    python benchmarks/kills.py --kills 5

Baseline: ``mkdocs build`` with the same mkdocs.yml, which writes the new site
into the old one in place, as MkDocs does by default.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1773500000"  # 2026-03-14: the same bytes on every build
BUILDERS = {
    "digest build (staged, swapped in)": [sys.executable, "-m", "digest", "build"],
    "mkdocs build (in place, baseline)": [sys.executable, "-m", "mkdocs", "build", "--quiet"],
}


def tree_hash(folder: Path) -> str:
    """One hash of every file's path and bytes under ``folder`` ("" if there is none)."""
    if not folder.is_dir():
        return ""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def fresh_project(parent: Path) -> Path:
    project = parent / "project"
    project.mkdir()
    for name in ("feeds.yaml", "mkdocs.yml"):
        shutil.copy(ROOT / name, project / name)
    for name in ("docs", "samples"):
        shutil.copytree(ROOT / name, project / name)
    return project


def build(command: list[str], project: Path, env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(command, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=900)
    return time.monotonic() - started


def trial(name: str, command: list[str], kills: int, seed: int) -> dict[str, object]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    with tempfile.TemporaryDirectory(prefix="digest-kills-") as scratch:
        project = fresh_project(Path(scratch))
        cache = project / ".digest-cache.sqlite"
        durations = [build(command, project, env)]
        reference = tree_hash(project / "site")
        cache.unlink(missing_ok=True)
        durations.append(build(command, project, env))  # a second cold build for the median
        assert tree_hash(project / "site") == reference, f"{name}: two builds differ"
        cold = statistics.median(durations)
        rng = random.Random(seed)
        intact = 0
        cache.unlink(missing_ok=True)  # the kills hit a cold cache, then a partly filled one
        for _ in range(kills):
            process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.05, cold))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
            intact += tree_hash(project / "site") == reference
        durations.append(build(command, project, env))
        recovered = tree_hash(project / "site") == reference
    return {"builder": name, "kills": kills, "intact": intact, "recovered": recovered,
            "median_s": statistics.median(durations)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs per builder")
    parser.add_argument("--seed", type=int, default=20261124, help="seed of the kill moments")
    args = parser.parse_args()
    rows = [trial(name, command, args.kills, args.seed) for name, command in BUILDERS.items()]
    print(f"{'builder':<36} {'kills':>5} {'site intact after kill':>23} "
          f"{'next build correct':>19} {'median build s':>15}")
    for r in rows:
        print(f"{r['builder']:<36} {r['kills']:>5} {r['intact']:>17}/{r['kills']:<5} "
              f"{'yes' if r['recovered'] else 'NO':>19} {r['median_s']:>15.1f}")
    ours = rows[0]
    if ours["intact"] != ours["kills"] or not ours["recovered"]:
        sys.exit("digest build left a broken site after a kill")


if __name__ == "__main__":
    main()
