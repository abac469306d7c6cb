"""The year-long archive benchmark (issue 20), run by ``benchmarks/build.py --year``.

Generates, deterministically by seed, a year of scraped-style pages from ten
publishers (fictional names and layouts): every article is made of 3-sentence
paragraphs drawn at run time from the real texts in ``../shared/data`` (nothing
of them is kept in the project), dated over the 365 days ending on ``END``.
Articles come in stories of about 6 (different publishers, spread over up to 4
days) that share two paragraphs, and each page carries furniture: a top line, a
"popular" block of 3 titles, a Related block of 4 other titles (mostly of the
same story) and a footer. Pages are streamed to disk, one file each.

Per size it measures, in a fresh project: a cold ``digest build``, a no-change
build and a daily build after adding 3,000 articles dated the day after the
newest (30% of them continuing stories of the last three weeks); the bytes a
reader downloads for the front page and for a first search; the site on disk.
"""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
END = dt.date(2026, 6, 30)  # the newest day of the generated year; the daily step adds the next
DAYS = 365
DAILY = 3_000
CONTINUING = 0.3  # share of the daily articles that join a story of the last weeks
RECENT_DAYS = 21
GNU_TIME = Path("/usr/bin/time")
BARS = {"cold_s": 15 * 60, "peak_mb": 2048, "daily_s": 3 * 60, "search_kb": 500}

# name, top line, popular header, related header, footer, related block before popular
LAYOUTS: list[tuple[str, str, str, str, str, bool]] = [
    ("lisk-times", "Cookies help us run this site. Accept all | Manage",
     "Most Read", "Related Articles", "© Lisk Times Media. All rights reserved.", False),
    ("vennick-post", "Skip to content", "Trending now", "More from Vennick Post",
     "Vennick Post is published by Northgate News Ltd.", False),
    ("coast-herald", "Subscribe for unlimited access", "Popular", "You might also like",
     "Coast Herald, 4 Quay Street. Registered in Carrowmore.", False),
    ("ardell-echo", "Menu Search Sign in", "Editor's picks", "Read more",
     "Copyright Ardell Echo 2026", False),
    ("kilcarra-news", "Advertisement", "Most popular", "Related stories",
     "Kilcarra News — independent since 1911", False),
    ("brennock-courier", "Log in | Register | Newsletters", "Most shared", "On this story",
     "The Brennock Courier. Tips: newsdesk at our site.", True),
    ("marrow-valley-gazette", "Home > News > Region", "What readers are reading",
     "Related coverage", "Marrow Valley Gazette © 2026 Dunlin Press Group", True),
    ("hollin-daily", "Sign up for our morning briefing", "Top stories", "See also",
     "Hollin Daily | Terms | Privacy | Contact", False),
    ("saltmere-observer", "Support independent journalism — Donate", "Most viewed",
     "Further reading", "Saltmere Observer, founded 1874. All rights reserved.", True),
    ("tarnwick-chronicle", "Weather 14° | Traffic | Sport", "In case you missed it",
     "Read next", "Tarnwick Chronicle is a member of the Regional Press Council.", False),
]


def real_sentences() -> list[list[str]]:
    """The sentences of every real article in the shared data, one list per article."""
    texts: list[list[str]] = []
    for name, field in (("cnndm/dev.jsonl", "article"), ("stories/dev.jsonl", "text")):
        for line in (DATA / name).read_text("utf-8").splitlines():
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", json.loads(line)[field])
                         if 4 <= len(s.split()) <= 60]
            if len(sentences) >= 6:
                texts.append(sentences)
    return texts


@dataclass
class Story:
    shared: tuple[str, str]  # the two paragraphs every article of the story carries
    start: int  # day number, 0 = END - 364
    members: list[int]  # article numbers


class Generator:
    """Deterministic pages from the real sentences: paragraph, title and page makers."""

    def __init__(self, sentences: list[list[str]], seed: int) -> None:
        self.sentences = sentences
        self.seed = seed

    def paragraph(self, rng: random.Random) -> str:
        """Three sentences, in order, from a window of six of one real article."""
        text = rng.choice(self.sentences)
        start = rng.randrange(len(text) - 5)
        picked = sorted(rng.sample(range(start, start + 6), 3))
        para = " ".join(text[i] for i in picked)
        return para[:1].upper() + para[1:]

    def title(self, number: int) -> str:
        """The title of article ``number``: the same on every call, unique by its number."""
        rng = random.Random(f"{self.seed}-title-{number}")
        words = self.paragraph(rng).split()[:rng.randint(6, 12)]
        return " ".join(words).rstrip(",.;:") + f" ({number})"

    def page(self, number: int, day: dt.date, layout: int, body: list[str],
             related: list[int], popular: list[int]) -> str:
        name, top, popular_head, related_head, footer, related_first = LAYOUTS[layout]
        related_block = [related_head, *(self.title(k) for k in related)]
        popular_block = [popular_head, *(self.title(k) for k in popular)]
        blocks = [*related_block, *popular_block] if related_first else [
            *popular_block, *related_block]
        lines = [f"date {day.isoformat()} {top}", self.title(number), *body, *blocks, footer]
        return "\n".join(lines) + "\n"


def _day(number: int) -> dt.date:
    return END - dt.timedelta(days=DAYS - 1 - number)


def _write(folder: Path, layout: int, stem: str, text: str) -> None:
    (folder / "corpus" / LAYOUTS[layout][0] / f"{stem}.txt").write_text(text, "utf-8")


def _story_pages(gen: Generator, rng: random.Random, story: Story, numbers: list[int],
                 day_of: dict[int, int], total: int) -> Iterator[tuple[int, int, str]]:
    """(article number, layout, page) for ``numbers`` of ``story``: different publishers."""
    layouts = rng.sample(range(len(LAYOUTS)), len(LAYOUTS))
    for place, number in enumerate(numbers):
        body = [gen.paragraph(rng) for _ in range(rng.randint(3, 8))]
        for para in story.shared:
            body.insert(rng.randint(0, len(body)), para)
        others = [k for k in story.members if k != number]
        related = rng.sample(others, min(3, len(others)))
        while len(related) < 4:
            k = rng.randrange(total)
            if k != number and k not in related:
                related.append(k)
        popular = [rng.randrange(total) for _ in range(3)]
        yield number, layouts[place % len(layouts)], gen.page(
            number, _day(day_of[number]), layouts[place % len(layouts)], body, related, popular)


def make_year(folder: Path, n: int, gen: Generator) -> list[Story]:
    """``n`` articles over the year into ``folder/corpus``; the stories of the last weeks."""
    for name, *_ in LAYOUTS:
        (folder / "corpus" / name).mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{gen.seed}-year-{n}")
    recent: list[Story] = []
    number = 0
    while number < n:
        size = min(rng.randint(3, 9), n - number)
        start = rng.randrange(DAYS)
        story = Story((gen.paragraph(rng), gen.paragraph(rng)), start,
                      list(range(number, number + size)))
        day_of = {k: min(DAYS - 1, start + rng.randint(0, 3)) for k in story.members}
        for k, layout, text in _story_pages(gen, rng, story, story.members, day_of, n):
            _write(folder, layout, f"{k:06d}", text)
        if start >= DAYS - RECENT_DAYS:
            recent.append(story)
        number += size
    return recent


def add_day(folder: Path, n: int, gen: Generator, recent: list[Story]) -> None:
    """``DAILY`` articles dated the day after ``END``: some continue recent stories."""
    rng = random.Random(f"{gen.seed}-day-{n}")
    day = DAYS  # the day after END
    number = n
    joining = int(DAILY * CONTINUING)
    while number < n + joining:
        story = rng.choice(recent)
        size = min(rng.randint(1, 3), n + joining - number)
        new = list(range(number, number + size))
        story.members.extend(new)
        for k, layout, text in _story_pages(gen, rng, story, new, dict.fromkeys(new, day),
                                            n + DAILY):
            _write(folder, layout, f"day-{k:06d}", text)
        number += size
    while number < n + DAILY:
        size = min(rng.randint(3, 9), n + DAILY - number)
        story = Story((gen.paragraph(rng), gen.paragraph(rng)), day,
                      list(range(number, number + size)))
        for k, layout, text in _story_pages(gen, rng, story, story.members,
                                            dict.fromkeys(story.members, day), n + DAILY):
            _write(folder, layout, f"day-{k:06d}", text)
        number += size


def make_project(folder: Path) -> None:
    """feeds.yaml naming the ten text sources, and the repository's mkdocs.yml and docs/."""
    sources = "".join(f"  - {{name: {layout[0]}, type: text, path: corpus/{layout[0]}/*.txt}}\n"
                      for layout in LAYOUTS)
    (folder / "feeds.yaml").write_text(
        "site: {title: Year benchmark digest, url: 'https://bench.example.org/'}\n"
        f"sources:\n{sources}", "utf-8")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs")


# --- measuring -----------------------------------------------------------------------------

def run_build(folder: Path) -> dict:
    """One ``digest build``: wall seconds, peak RSS (MB) of its largest process, report."""
    command = [sys.executable, "-m", "digest", "build"]
    gnu = GNU_TIME.is_file()
    if gnu:
        command = [str(GNU_TIME), "-v", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0, 3):
        sys.exit(f"build failed:\n{result.stderr[-3000:]}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    if gnu and found:
        peak_kb = int(found.group(1))
    else:  # the largest child so far: exact only for the first build that sets a new high
        peak_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    report = json.loads((folder / "build-report.json").read_text("utf-8"))
    return {"seconds": seconds, "peak_mb": peak_kb / 1024, "stages": report["seconds"],
            "articles": report["articles"], "topics": report.get("topics"),
            "pages_reused": report.get("pages_reused", 0), "peaks": report.get("peak_mb", {})}


class _Assets(HTMLParser):
    """The files a page loads: stylesheets, scripts and images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.urls.append(a["href"] or "")
        elif tag in ("script", "img") and a.get("src"):
            self.urls.append(a["src"] or "")


def _local(site: Path, page: Path, url: str) -> Path | None:
    """The file of ``site`` a relative or site-absolute ``url`` on ``page`` names, if any."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I):
        return None  # another host: not part of the site's bytes
    url = url.split("#")[0].split("?")[0]
    path = (site / url.lstrip("/")) if url.startswith("/") else (page.parent / url)
    path = path.resolve()
    return path if path.is_file() and path.is_relative_to(site.resolve()) else None


def _sizes(files: list[Path]) -> tuple[int, int]:
    """Raw bytes and gzip-compressed bytes (what a compressing server sends) of ``files``."""
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
    return raw, packed


def front_page_bytes(site: Path) -> tuple[int, int, int]:
    """The front page's HTML plus the CSS, JS and images it references: raw, gzip, files."""
    page = site / "index.html"
    parser = _Assets()
    parser.feed(page.read_text("utf-8"))
    files = [page, *dict.fromkeys(p for u in parser.urls if (p := _local(site, page, u)))]
    return (*_sizes(files), len(files))


COMMON_WORD = "said"  # in most news articles: a first search with the most results to fetch
CHROMIUM = "/usr/bin/chromium"


def search_bytes(site: Path, word: str = COMMON_WORD) -> tuple[int, int, int]:
    """What a reader's first search of a common word fetches, in a real browser (Debian
    chromium): the front page is loaded, search opened, ``word`` typed and the results
    shown; every file asked for after the page had loaded counts (raw, gzip, files)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from busy_site import served

    asked: list[str] = []
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page()
        page.goto(base, wait_until="networkidle")
        page.on("request", lambda r: asked.append(r.url))
        page.locator(".md-search__input").first.click()
        page.keyboard.type(word)
        page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
        page.wait_for_load_state("networkidle")
        browser.close()
    paths = dict.fromkeys(urlsplit(u).path for u in asked)
    files = [f for p in paths if (f := site / p.lstrip("/")).is_file()]
    return (*_sizes(files), len(files))


def disk_usage(site: Path) -> tuple[int, int]:
    """Bytes on disk (allocated blocks, as ``du`` counts) and the number of files."""
    used, count = 0, 0
    for top, _dirs, names in os.walk(site):
        for name in names:
            info = os.lstat(os.path.join(top, name))
            used += info.st_blocks * 512
            count += 1
    return used, count


def measure(n: int, gen: Generator) -> dict:
    """Generate ``n`` articles in a fresh project and run the three builds."""
    with tempfile.TemporaryDirectory(prefix=f"digest-year-{n}-",
                                     ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        make_project(folder)
        start = time.perf_counter()
        recent = make_year(folder, n, gen)
        row: dict = {"n": n, "generate_s": time.perf_counter() - start}
        print(f"{n:,}: generated in {row['generate_s']:.0f} s; cold build…", file=sys.stderr)
        row["cold"] = run_build(folder)
        print(f"{n:,}: cold {row['cold']['seconds']:.0f} s; no-change build…", file=sys.stderr)
        row["same"] = run_build(folder)
        add_day(folder, n, gen, recent)
        print(f"{n:,}: no change {row['same']['seconds']:.0f} s; daily build…", file=sys.stderr)
        row["daily"] = run_build(folder)
        site = folder / "site"
        row["front"] = front_page_bytes(site)
        row["search"] = search_bytes(site)
        row["disk"] = disk_usage(site)
        print(f"{n:,}: daily {row['daily']['seconds']:.0f} s", file=sys.stderr)
        return row


def dry_run(n: int, gen: Generator) -> None:
    """Generation alone (with the daily step): time, peak memory of this process, bytes."""
    with tempfile.TemporaryDirectory(prefix=f"digest-year-gen-{n}-") as tmp:
        folder = Path(tmp)
        make_project(folder)
        start = time.perf_counter()
        recent = make_year(folder, n, gen)
        year_s = time.perf_counter() - start
        add_day(folder, n, gen, recent)
        day_s = time.perf_counter() - start - year_s
        used, files = disk_usage(folder / "corpus")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"generated {n:,} articles in {year_s:.1f} s and the daily {DAILY:,} in "
              f"{day_s:.1f} s: {files:,} files, {used / 1e6:.0f} MB on disk, "
              f"{len(recent)} recent stories; peak RSS of this process {peak:.0f} MB")


def _mark(value: float, bar: float) -> str:
    return "pass" if value <= bar else "FAIL"


def print_table(rows: list[dict]) -> None:
    how = ("GNU time -v, largest single process" if GNU_TIME.is_file()
           else "getrusage RUSAGE_CHILDREN maxrss, largest child")
    print(f"peak RSS: {how}; bytes: raw (gzip -6)\n")
    print("| articles | gen s | cold s | cold peak MB | no change s | daily +3,000 s |"
          " daily peak MB | front page KB | search KB | site on disk MB (files) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        front, search, (used, files) = r["front"], r["search"], r["disk"]
        print(f"| {r['n']:,} | {r['generate_s']:.0f} | {r['cold']['seconds']:.0f} |"
              f" {r['cold']['peak_mb']:.0f} | {r['same']['seconds']:.0f} |"
              f" {r['daily']['seconds']:.0f} | {r['daily']['peak_mb']:.0f} |"
              f" {front[0] / 1024:.0f} ({front[1] / 1024:.0f}), {front[2]} files |"
              f" {search[0] / 1024:.0f} ({search[1] / 1024:.0f}) |"
              f" {used / 1e6:.0f} ({files:,}) |")
    print("\nstage seconds (from build-report.json):")
    for r in rows:
        for label, key in (("cold", "cold"), ("no change", "same"), ("daily", "daily")):
            run = r[key]
            stages = ", ".join(f"{k} {v:.1f}" for k, v in run["stages"].items())
            print(f"  {r['n']:,} {label}: {run['articles']:,} articles, "
                  f"{run['topics']} topics, {run['pages_reused']:,} pages reused; {stages}")
            if run["peaks"]:  # the build process's own peak as each stage ended
                peaks = ", ".join(f"{k} {v}" for k, v in run["peaks"].items())
                print(f"    peak MB of the build process after each stage: {peaks}")
    print("\nbars (set at 100,000 articles; at smaller sizes indicative only):")
    for r in rows:
        peak = max(r[k]["peak_mb"] for k in ("cold", "same", "daily"))
        checks = [("cold ≤ 15 min", r["cold"]["seconds"], BARS["cold_s"], "s"),
                  ("peak ≤ 2 GB", peak, BARS["peak_mb"], "MB"),
                  ("daily +3,000 ≤ 3 min", r["daily"]["seconds"], BARS["daily_s"], "s"),
                  ("search ≤ 500 KB", r["search"][0] / 1024, BARS["search_kb"], "KB")]
        for name, value, bar, unit in checks:
            print(f"  {r['n']:,}: {name}: {value:.0f} {unit} {_mark(value, bar)}")


def main(sizes: list[int], seed: int, generate_only: bool) -> int:
    if not (DATA / "cnndm" / "dev.jsonl").is_file():
        sys.exit(f"needs {DATA} (the shared data beside the checkout)")
    if not generate_only and not Path(CHROMIUM).is_file():
        sys.exit(f"needs {CHROMIUM} (Debian's chromium) to measure a first search")
    if not generate_only and importlib.util.find_spec("playwright") is None:
        # said before the builds, not after an hour of them
        sys.exit("needs playwright to measure a first search: pip install -e '.[bench]'")
    gen = Generator(real_sentences(), seed)
    if generate_only:
        for n in sizes:
            dry_run(n, gen)
        return 0
    print_table([measure(n, gen) for n in sizes])
    return 0
