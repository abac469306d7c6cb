"""Operator mistakes and accidents around a build: two builds at once, a damaged or crafted
cache file, a deleter that cannot start, a build killed under its workers.

Each test drives real ``digest build`` processes (or the real cache file) and asserts
the safe outcome: the site complete and live, the bad file named and set aside, no code
run from the cache, no process left behind.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import pickle
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import copy_project, tree_hash

import digest.cache
from digest.cache import Cache
from digest.cache_codec import Codec, Undecodable
from digest.config import load_config
from digest.fetch.ingest import source_states
from digest.fetch.validators import FetchStore, SourceState
from digest.incremental import read_ledger, write_ledger
from digest.lock import holding
from digest.pipeline import CACHED_RECORDS, build_digest
from digest.records import Article, Copy, RawDocument, Topic, TopicSentence

EPOCH = "1773500000"  # 2026-03-14: builds are reproducible with SOURCE_DATE_EPOCH
CACHE = ".digest-cache.sqlite"


def env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def digest_build(project: Path, *args: str, timeout: float = 300
                 ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digest", "build", *args], cwd=project,
                          env=env(), capture_output=True, text=True, timeout=timeout)


WORDS = ("harbour quay survey council ferry storm tide pier crane barge lifeboat crew market "
         "school bridge road rail tram budget vote mayor clinic library festival regatta "
         "museum river flood wall stone trawler catch lease plan report inquiry").split()


def text_project(folder: Path, articles: int, paragraphs: int = 3) -> Path:
    """A project of ``articles`` scraped pages, each its own words (no two alike)."""
    pages = folder / "pages"
    pages.mkdir(parents=True)
    for i in range(articles):
        words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(12)]
        lines = [f"date 2026-03-{1 + i % 13:02d} Report {i} on the {words[0]} and {words[1]}"]
        for p in range(paragraphs):
            lines.append(f"Item {i}.{p}: the {words[p % 12]} {words[(p + 1) % 12]} was discussed"
                         f" at length by the {words[(p + 2) % 12]} committee on day {p}. The"
                         f" {words[(p + 3) % 12]} board said the {words[(p + 4) % 12]} would"
                         f" be reviewed again before the {words[(p + 5) % 12]} season.")
        (pages / f"{i:04d}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "feeds.yaml").write_text(
        "site: {title: Quay News, url: 'https://quay.example.org/'}\nsources:\n"
        "  - {name: pages, type: text, path: pages/*.txt}\n",
        "utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", "utf-8")
    (folder / "docs").mkdir()
    return folder


# --- 5. two builds at once ---------------------------------------------------------------

def site_problems(site: Path) -> list[str]:
    """What a reader or a link checker would notice: pages the sitemap or the ledger name
    that are missing, and pages the sitemap does not list."""
    problems = []
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    listed = {urlsplit(loc).path.removeprefix("/")
              for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)}
    for url in listed:
        if not (site / url / "index.html").is_file() and not (site / url).is_file():
            problems.append(f"sitemap lists {url}, which is missing")
    for page in site.rglob("index.html"):
        url = page.parent.relative_to(site).as_posix() + "/"
        if url == "./":
            url = ""
        if url not in listed:
            problems.append(f"{url} is not in the sitemap")
    for dest in read_ledger(site):
        if not (site / dest).is_file():
            problems.append(f"the ledger lists {dest}, which is missing")
    return problems


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_two_builds_at_once_leave_a_complete_site(tmp_path: Path) -> None:
    project = text_project(tmp_path, 30)
    builds = [subprocess.Popen([sys.executable, "-m", "digest", "build"], cwd=project, env=env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    errors = [b.communicate(timeout=300)[1] for b in builds]
    # (one of them usually says it waits for the other: shown, not timed, in the next test)
    assert [b.returncode for b in builds] == [0, 0], errors
    site, full = project / "site", project / "full"
    assert digest_build(project, "--no-cache", "--site-dir", "full").returncode == 0
    assert pages(site) == pages(full)  # every page is there
    assert site_problems(site) == []
    assert read_ledger(site)  # the next build may reuse pages: the ledger is this site's
    assert digest_build(project).returncode == 0  # incremental, trusting the ledger
    assert tree_hash(site) == tree_hash(full)
    assert not list(project.glob("*.lock")) and not list(project.glob(".*.lock"))


HOLD_LOCK = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from digest.lock import holding
    with holding([Path(sys.argv[1])], wait=0):
        print("held", flush=True)
        time.sleep(120)
""")


def test_a_second_build_waits_then_fails_in_one_line_and_a_killed_holder_frees_the_lock(
        tmp_path: Path) -> None:
    project = text_project(tmp_path, 3)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(project / "site")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        blocked = digest_build(project, "--wait", "1")
        assert blocked.returncode == 1
        site = project / "site"
        assert f"another build of {site} is running (pid {holder.pid}); waiting up to 1 s" \
            in blocked.stderr
        [error] = [line for line in blocked.stderr.splitlines() if line.startswith("Error:")]
        assert f"(pid {holder.pid})" in error and "gave up after waiting 1 s" in error
        assert not site.exists() and not (project / ".site.building").exists()
    finally:
        holder.send_signal(signal.SIGKILL)  # the kernel lets go of its lock: nothing stale
        holder.wait(timeout=10)
    with holding([project / "site"], wait=0):  # free at once, though its file was left
        assert (project / ".site.lock").is_file()
    assert not (project / ".site.lock").exists()


def test_a_plain_mkdocs_build_waits_for_the_cache_too(tmp_path: Path) -> None:
    project = text_project(tmp_path, 3)
    (project / "mkdocs.yml").write_text("site_name: x\ntheme: {name: material}\n"
                                        "plugins: [search, {digest: {lock_wait: 1}}]\n", "utf-8")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the previous site", "utf-8")
    cache = project / CACHE
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(cache)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        blocked = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                                 env=env(), capture_output=True, text=True, timeout=300)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    assert blocked.returncode == 1
    assert f"another build of {cache} is running (pid {holder.pid}); waiting up to 1 s" \
        in blocked.stderr
    assert "gave up after waiting 1 s" in blocked.stderr
    assert (project / "site" / "index.html").read_text("utf-8") == "the previous site"


def test_a_ledger_is_trusted_only_beside_the_folder_it_describes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("page a", "utf-8")
    (site / "index.html").write_text("front", "utf-8")
    keys = {"a/index.html": "key-a", "index.html": "key-front"}
    write_ledger(site, keys, site.stat().st_ino)
    assert set(read_ledger(site)) == set(keys)
    # another folder at the same path, with the same files and times (a second build's site)
    os.rename(site, tmp_path / "elsewhere")
    (site / "a").mkdir(parents=True)
    for name in ("a/index.html", "index.html"):
        (site / name).write_bytes((tmp_path / "elsewhere" / name).read_bytes())
        os.utime(site / name, ns=(0, (tmp_path / "elsewhere" / name).stat().st_mtime_ns))
    assert read_ledger(site) == {}
    # the ledger's own folder, once something else has added a file to its top level
    site.rename(tmp_path / "other")
    (tmp_path / "elsewhere").rename(site)
    assert set(read_ledger(site)) == set(keys)
    (site / "stray.html").write_text("added by hand", "utf-8")
    assert read_ledger(site) == {}


def test_a_ledger_records_linked_pages_by_the_time_given(tmp_path: Path) -> None:
    """A page linked from the previous site is recorded with the time read there; a page
    made by the build with its own; a page neither there nor given is left out."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "made.html").write_text("made", "utf-8")
    (site / "linked.html").write_text("linked", "utf-8")
    write_ledger(site, {"made.html": "k1", "linked.html": "k2", "gone.html": "k3"},
                 site.stat().st_ino, kept={"linked.html": 12345})
    assert read_ledger(site) == {"made.html": ["k1", (site / "made.html").stat().st_mtime_ns],
                                 "linked.html": ["k2", 12345]}


def test_a_ledger_is_not_written_for_a_folder_the_build_did_not_make(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("front", "utf-8")
    write_ledger(site, {"index.html": "k"}, site.stat().st_ino)
    other = tmp_path / "made-by-this-build"
    other.mkdir()
    write_ledger(site, {"index.html": "k2"}, other.stat().st_ino)  # another build swapped in
    assert read_ledger(site) == {}
    assert not (tmp_path / ".site.pages.json").exists()


# --- 7. a damaged cache file --------------------------------------------------------------

def real_cache(project: Path) -> bytes:
    """The cache file of a real build of ``project`` (its WAL checkpointed into it)."""
    assert digest_build(project).returncode == 0
    with sqlite3.connect(project / CACHE) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return (project / CACHE).read_bytes()


def damaged(kind: str, good: bytes) -> bytes:
    if kind == "garbage":
        return bytes((i * 37 + 11) % 256 for i in range(8192))
    if kind == "truncated":
        return good[:len(good) // 2]
    page_size = int.from_bytes(good[16:18], "big")
    bad = bytearray(good)  # page 2, the results table's root: an impossible page type
    bad[page_size:page_size + 12] = b"\xff" * 12
    return bytes(bad)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, str]:
    """A small project built once: its folder, its cache file's bytes, its site's hash."""
    project = text_project(tmp_path_factory.mktemp("built"), 6)
    good = real_cache(project)
    return project, good, tree_hash(project / "site")


@pytest.mark.parametrize("kind", ["garbage", "truncated", "bad page"])
def test_a_damaged_cache_file_is_set_aside_and_the_build_succeeds(
        tmp_path: Path, kind: str, built: tuple[Path, bytes, str]) -> None:
    source, good, reference = built
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    for suffix in ("-wal", "-shm"):
        (project / f"{CACHE}{suffix}").unlink(missing_ok=True)
    (project / CACHE).write_bytes(damaged(kind, good))
    result = digest_build(project)
    assert result.returncode == 0, result.stderr
    [warning] = [line for line in result.stderr.splitlines() if "damaged cache file" in line]
    assert str(project / CACHE) in warning
    [aside] = project.glob(f"{CACHE}.broken-*")
    assert not aside.name.endswith(("-wal", "-shm")) and aside.name in warning
    assert aside.read_bytes() == damaged(kind, good)  # kept as it was, for a look
    with sqlite3.connect(project / CACHE) as db:  # a new, sound cache, filled by the build
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] > 0
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    assert any(n["origin"] == CACHE and aside.name in n["reason"] for n in report["notices"])
    if kind == "bad page":  # and the next build uses the new file, quietly
        again = digest_build(project)
        assert again.returncode == 0 and "damaged cache file" not in again.stderr
        assert tree_hash(project / "site") == reference  # the site as before the damage
        assert len(list(project.glob(f"{CACHE}.broken-*"))) == 1


def test_fetch_state_survives_a_damaged_cache_file(tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / CACHE
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"not really" * 400)
    with FetchStore(path) as store:  # opened on garbage: set aside, a new file made
        store.save("news", SourceState("http://127.0.0.1/feed", items=(
            RawDocument("news/1", "news", "http://127.0.0.1/1", "text"),)))
        assert store.load("news", "http://127.0.0.1/feed") is not None
    assert any("damaged cache file" in r.getMessage() and str(path) in r.getMessage()
               for r in caplog.records)
    assert len(list(tmp_path.glob(f"{CACHE}.broken-*"))) == 1
    # the sources page reads the same file (nothing is fetched): garbage there is set aside
    # too, never a traceback
    (tmp_path / "feeds.yaml").write_text(
        "site: {title: T}\nfetch: {allow_private_hosts: ['127.0.0.1']}\nsources:\n"
        "  - {name: news, type: rss, url: 'http://127.0.0.1:9/rss.xml'}\n", "utf-8")
    path.write_bytes(b"\x00garbage" * 1000)
    assert source_states(load_config(tmp_path / "feeds.yaml")) == {}
    assert len(list(tmp_path.glob(f"{CACHE}.broken-*"))) == 2


def test_damage_that_shows_while_the_cache_is_open_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / CACHE
    with Cache(path) as cache:
        cache.put_many({f"k{i}": "x" * 3000 for i in range(50)})
        cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = cache.db.execute("PRAGMA page_size").fetchone()[0]
        with path.open("r+b") as f:  # someone else's write lands in the middle of the file
            f.seek(page_size)
            f.write(b"\xff" * 12)
        cache.db.execute("PRAGMA cache_size=0")  # SQLite reads the page again
        assert cache.get_many(["k1", "k7"]) == {}  # a miss, and a new file behind it
        assert cache.set_aside is not None and cache.set_aside.is_file()
        cache.put_many({"k1": "y"})
        assert cache.get_many(["k1"]) == {"k1": "y"}


# --- 8. no pickles in the cache -----------------------------------------------------------

def shape(value: Any) -> Any:
    """The value with every container's type spelled out: equal shapes, equal types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value), tuple(shape(getattr(value, f.name))
                                   for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return (dict, sorted((repr(shape(k)), shape(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value), tuple(shape(v) for v in value))
    if isinstance(value, set | frozenset):
        return (type(value), sorted(repr(shape(v)) for v in value))
    return (type(value), value)


def test_every_value_the_build_caches_round_trips_as_json(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    project = copy_project(tmp_path)
    config = load_config(project / "feeds.yaml")
    stored: dict[str, Any] = {}
    real_put = Cache.put_many

    def keep(self: Cache, items: dict[str, Any]) -> None:
        stored.update(items)
        real_put(self, items)

    monkeypatch.setattr(Cache, "put_many", keep)
    build_digest(config, jobs=1)
    codec = Codec(CACHED_RECORDS)
    kinds = set()
    for key, value in stored.items():
        text = codec.encode(value)
        json.loads(text)  # plain JSON
        assert shape(codec.decode(text)) == shape(value), key
        inner = value[1] if key.startswith("slot:") else value
        first = inner[0] if isinstance(inner, list | tuple) and inner else inner
        kinds.add(type(first).__name__)
    # per article, furniture lines, group features, topics (a slot), topic summaries
    assert {"Processed", "PageLines", "ItemFeatures", "Topic", "TopicSentence"} <= kinds
    assert config.cache is not None
    with Cache(config.cache, CACHED_RECORDS) as cache:  # and read back from the file
        rows = dict(cache.db.execute("SELECT key, value FROM results"))
        assert all(isinstance(v, str) for v in rows.values())
        assert shape(cache.get_many(list(stored))) == shape(stored)


@dataclasses.dataclass(frozen=True)
class OneField:
    only: tuple[Any, ...]


def test_the_codec_keeps_every_plain_type() -> None:
    article = Article("a/1", "a", "a.txt", title="Title \ud800 kept", body=("One.", "Two."),
                      also_in=(Copy("b/1", "b", "T", None, None, ("Extra.",)),),
                      summary=("One.",))
    value = {
        "records": [article, Topic("t", "Name", ("a/1",), (TopicSentence("One.", "a/1"),))],
        1: (None, True, False, 0, -7, 2**70, 1.5, -math.inf, "", "é\x00\n"),
        (1, "k"): frozenset({("x", 1), ("y", 2)}),
        frozenset({1, 2}): {3, 4},
        "bytes": (b"", bytes(range(256))),
        "nested": [[(), []], {}],
    }
    codec = Codec((*CACHED_RECORDS, OneField))
    assert shape(codec.decode(codec.encode(value))) == shape(value)
    one = OneField(("a", b"b"))
    assert shape(codec.decode(codec.encode([one]))) == shape([one])
    assert codec.encode({"s": {2, 1}}) == codec.encode({"s": {1, 2}})
    with pytest.raises(TypeError):
        Codec().encode(article)  # a record not on the allow-list is never written


@pytest.mark.parametrize("row", [
    b"\x80\x05N.",  # a pickle (of None)
    '{"r": ["system", "touch /tmp/x"]}',  # a class that is not on the allow-list
    '{"r": ["os.system", "x"]}',
    '{"r": ["TopicSentence", "only one field"]}',
    '{"r": ["TopicSentence", "a", "b", "c"]}',
    '{"zz": []}',
    '{"b": "not base64!"}',
    '{"d": [[{"l": [1]}, 2]]}',  # an unhashable key
    '{"a": 1, "b": 2}',
    "[" * 100_000,
    "not json",
])
def test_rows_the_codec_did_not_write_are_undecodable(row: object) -> None:
    with pytest.raises(Undecodable):
        Codec(CACHED_RECORDS).decode(row)


class RunsCode:
    """Pickles to a call that creates ``marker``: what a crafted cache row would hold."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def test_a_cache_row_holding_a_pickle_runs_nothing(tmp_path: Path) -> None:
    project = text_project(tmp_path, 6)
    assert digest_build(project).returncode == 0
    reference = tree_hash(project / "site")
    marker = tmp_path / "ran-code"
    payload = pickle.dumps(RunsCode(marker))
    pickle.loads(payload)  # the payload does run code when unpickled
    assert marker.exists()
    marker.unlink()
    with sqlite3.connect(project / CACHE) as db:  # every row a build reads, and the slots
        db.execute("UPDATE results SET value = ?", (payload,))
        db.execute("INSERT OR REPLACE INTO results (key, value, version) VALUES (?, ?, ?)",
                   ("slot:topics", payload, digest.cache.code_version()))
    result = subprocess.run([sys.executable, "-m", "digest", "-v", "build"], cwd=project,
                            env=env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert "per-article stages: 0 cached, 6 processed" in result.stderr  # each row a miss
    assert tree_hash(project / "site") == reference


# --- 14. the deleter cannot start after the swap ---------------------------------------

NO_DELETER = textwrap.dedent("""
    import subprocess, sys
    real = subprocess.Popen
    def refuse(args, *a, **k):
        if any("rmtree" in str(x) for x in args):
            raise OSError(11, "Resource temporarily unavailable")
        return real(args, *a, **k)
    subprocess.Popen = refuse
    sys.argv = ["digest", *sys.argv[1:]]
    from digest.__main__ import run
    run()
""")


def test_a_deleter_that_cannot_start_after_the_swap_only_warns(tmp_path: Path) -> None:
    project = text_project(tmp_path, 4)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", "utf-8")
    result = subprocess.run([sys.executable, "-c", NO_DELETER, "build"], cwd=project, env=env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "could not start deleting" in result.stderr
    assert "previous site" not in result.stderr.replace("could not start deleting", "")
    assert "Traceback" not in result.stderr
    assert "Quay News" in (site / "index.html").read_text("utf-8")  # the new site is live
    [left] = project.glob(".site.discarded-*")  # the old one, left for the next build
    assert (left / "index.html").read_text("utf-8") == "the previous site"
    assert digest_build(project).returncode == 0
    deadline = time.monotonic() + 20
    while left.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left.exists()


NO_RENAME = textwrap.dedent("""
    import sys
    import digest.publish as publish
    def refuse(folder, site_dir):
        raise PermissionError(13, "Permission denied", str(folder))
    publish.discard = refuse
    sys.argv = ["digest", *sys.argv[1:]]
    from digest.__main__ import run
    run()
""")


def test_a_replaced_site_that_cannot_be_moved_aside_only_warns(tmp_path: Path) -> None:
    project = text_project(tmp_path, 4)
    assert digest_build(project).returncode == 0
    (project / "pages" / "0000.txt").unlink()
    result = subprocess.run([sys.executable, "-c", NO_RENAME, "build"], cwd=project, env=env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    [line] = [x for x in result.stderr.splitlines() if "could not be moved aside" in x]
    assert "the new site is live" in line and ".site.building" in line
    assert "Report 0 " not in (project / "site" / "index.html").read_text("utf-8")
    again = digest_build(project)  # the next build clears the left folder away
    assert again.returncode == 0, again.stderr


# --- 15. workers die with their build ------------------------------------------------

def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only an absent init may leave it unreaped


def wait_until_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while (left := {p for p in pids if alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@needs_proc
def test_pool_workers_die_when_the_build_is_killed(tmp_path: Path) -> None:
    project = text_project(tmp_path, 400, paragraphs=12)
    build = subprocess.Popen([sys.executable, "-m", "digest", "build", "-j", "2"], cwd=project,
                             env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers |= children(build.pid)
            time.sleep(0.01)
        assert len(workers) >= 2, "the build ended before its pool started"
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
    assert wait_until_gone(workers, 10) == set()


POOL = textwrap.dedent("""
    import multiprocessing, os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    import digest.workers as workers
    if sys.argv[1] == "watchdog":  # where the kernel cannot be asked to
        workers._kernel_kills_orphans = lambda: False
    def pid(_):
        time.sleep(0.2)
        return os.getpid()
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"),
                             initializer=workers.die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        print(" ".join(map(str, set(pool.map(pid, range(8))))), flush=True)
        time.sleep(120)
""")


@needs_proc
@pytest.mark.parametrize("how", ["prctl", "watchdog"])
def test_forked_workers_die_with_their_parent(how: str) -> None:
    parent = subprocess.Popen([sys.executable, "-c", POOL, how], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert parent.stdout is not None
        workers = {int(p) for p in parent.stdout.readline().split()}
        assert workers and all(alive(p) for p in workers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
    assert wait_until_gone(workers, 10) == set()
