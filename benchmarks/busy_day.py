"""Busy-day benchmark: the front page of a one-day digest of 2,000+ articles, in a real browser.

Makes a day's news from the real articles in ``../shared/data`` (the ECB+ story set, whose
articles come in stories of 5-16 reports of one event, and the CNN/DailyMail set, each article
a story of its own): every real article is cut into pieces of five sentences, each piece one
article of an invented publisher (eight of them: a story's pieces go to different ones),
titled with the real headline (ECB+) or one of the article's highlights (CNN/DailyMail, whose
lower-cased text gets its sentences' capitals back). All are dated the same day and written
as JSON Lines sources of a ``feeds.yaml`` project in a temporary folder, so the real pipeline
cleans, dedupes, summarises and groups them (its topics are its own), and a real
``mkdocs build`` makes the site; the data is read where it lies, none of it is copied into the
project.

The site is served on 127.0.0.1 and measured in Debian's chromium through Playwright:

- story units wholly in the first screen with headline, gist and source line, on a desktop
  (1366×900) and a phone (390×844, touch): bars ≥ 10 and ≥ 4;
- the front page's height in desktop screens: bar ≤ 4;
- bytes the front page's load transfers (the sum of CDP's ``Network.loadingFinished``
  encodedDataLength, served uncompressed as here; beside it the same bodies gzipped, as most
  hosts send them), and its load time (median of 3 cold loads): bar ≤ 600 KB;
- responses with status ≥ 400 on each kind of page: bar 0;
- whether the search index (``pagefind/``) is asked for at load (bar: no) and once the
  reader opens search (it should be);
- a second build with ``site.language: uk`` (its sources say ``language: en``: the articles
  stay English): ``<html lang>`` and the English interface words on the front, a topic and an
  article page, by the rule of ``tests/busy_site.py`` (the page's chrome: rendered text and
  labels less headlines, gists, links to articles, topics and tags, page titles, subheads,
  prose and the owner's names).

The same project built with the code, ``mkdocs.yml`` and ``docs/`` of commit 66dd459 (the
front page before issue 19's story units: topics with their articles) is the baseline,
measured in the same run; its units are its topics, counted where the topic's ``h2`` and the
summary after it are wholly in the first screen (it had no source count).

    nice python benchmarks/busy_day.py                    # 2,100 articles, with the baseline
    nice python benchmarks/busy_day.py --articles 600 --no-baseline   # a quick look
    nice python benchmarks/busy_day.py --keep /tmp/busy   # keep (and reuse) projects and caches
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STORIES = SHARED / "data" / "stories" / "dev.jsonl"
CNNDM = SHARED / "data" / "cnndm" / "dev.jsonl"
sys.path.insert(0, str(ROOT / "tests"))
import busy_site  # noqa: E402  (the measures the browser tests share)

BASELINE = "66dd459"
DAY = busy_site.DAY
PIECE = 5  # sentences per generated article
PUBLISHERS = [  # invented
    ("quayside-herald", "The Quayside Herald"), ("lantern-daily", "Lantern Daily"),
    ("northmere-gazette", "Northmere Gazette"), ("eastwind-news", "Eastwind News"),
    ("the-tollbridge", "The Tollbridge"), ("morrow-courier", "Morrow Courier"),
    ("sallow-post", "The Sallow Post"), ("wire-seven", "Wire Seven Agency"),
]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
BAR_DESKTOP, BAR_PHONE, BAR_SCREENS, BAR_KB = 10, 4, 4.0, 600
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


# ---------------------------------------------------------------------------------------
# the day's articles

def sentences(text: str) -> list[str]:
    """Sentences of four words or more, each with a capital (CNN/DailyMail is lower-cased)."""
    out = []
    for s in _SENTENCE_END.split(text.strip()):
        if len(s.split()) >= 4:
            s = re.sub(r"\bi\b", "I", s)
            out.append(s[:1].upper() + s[1:])
    return out


def headline(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def pieces(seed: int = 19) -> list[dict[str, Any]]:
    """Every piece the data gives, in the order they are taken: every article's first piece,
    then every second piece, and so on (shuffled within each round), so that ``n`` pieces
    cover as many stories as they can."""
    rng = random.Random(seed)
    found: list[tuple[int, float, dict[str, Any]]] = []
    real: list[tuple[list[str], list[str]]] = []  # (titles, sentences)
    for line in STORIES.read_text("utf-8").splitlines():
        row = json.loads(line)
        real.append(([headline(row["title"])], sentences(row["text"])))
    for line in CNNDM.read_text("utf-8").splitlines():
        row = json.loads(line)
        titles = [headline(h) for h in row["highlights"].splitlines() if len(h.split()) >= 4]
        real.append((titles or [headline(sentences(row["article"])[0])],
                     sentences(row["article"])))
    for j, (titles, text) in enumerate(real):
        for k in range(len(text) // PIECE):
            part = text[k * PIECE:(k + 1) * PIECE]
            found.append((k, rng.random(), {
                "real": j, "k": k, "title": titles[k % len(titles)],
                "body": [" ".join(part[:3]), " ".join(part[3:])]}))
    found.sort(key=lambda f: (f[0], f[1]))
    return [f[2] for f in found]


def write_sources(folder: Path, n: int) -> None:
    """``n`` articles as one JSON Lines file per publisher in ``folder/sources``."""
    chosen = pieces()[:n]
    if len(chosen) < n:
        raise SystemExit(f"the data gives {len(chosen)} articles, not {n}")
    by_source: dict[str, list[str]] = {name: [] for name, _ in PUBLISHERS}
    for i, piece in enumerate(chosen):
        name = PUBLISHERS[(piece["real"] * 3 + piece["k"]) % len(PUBLISHERS)][0]
        by_source[name].append(json.dumps({
            "id": f"{name}-{i:05d}", "title": piece["title"], "date": DAY,
            "url": f"https://{name}.example.org/{DAY}/{i}", "body": piece["body"]}))
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    for name, lines in by_source.items():
        (folder / "sources" / f"{name}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


def feeds_yaml(language: str) -> str:
    sources = "".join(f"  - {{name: {name}, title: {title}, type: jsonl, language: en,"
                      f" path: sources/{name}.jsonl}}\n" for name, title in PUBLISHERS)
    return (f"site:\n  title: Busy Day Digest\n  url: https://busy.example.org/\n"
            f"  language: {language}\n  locale: {'en_GB' if language == 'en' else language}\n"
            f"  days: 1\ncache: .digest-cache.sqlite\nsources:\n{sources}")


def make_project(folder: Path, n: int, language: str, code: Path) -> Path:
    """A project in ``folder`` with ``n`` articles and the ``mkdocs.yml`` and ``docs/`` of
    the checkout at ``code``; an earlier project's sources and cache there are kept when it
    had as many articles."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "articles.txt"
    if not stamp.exists() or stamp.read_text() != str(n):
        shutil.rmtree(folder / "sources", ignore_errors=True)
        write_sources(folder, n)
        stamp.write_text(str(n))
    shutil.copy(code / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.rmtree(folder / "docs", ignore_errors=True)
    shutil.copytree(code / "docs", folder / "docs")
    (folder / "feeds.yaml").write_text(feeds_yaml(language), "utf-8")
    return folder


def build(project: Path, code: Path) -> float:
    """``mkdocs build`` of ``project`` importing the ``digest`` package of ``code``; seconds."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(code)}
    check = subprocess.run([sys.executable, "-c", "import digest; print(digest.__file__)"],
                           env=env, capture_output=True, text=True, cwd=project)
    if not check.stdout.strip().startswith(str(code)):
        raise SystemExit(f"the build would import {check.stdout.strip()}, not {code}")
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"the build of {project} failed:\n{out.stderr[-3000:]}")
    return time.perf_counter() - started


def baseline_code(work: Path) -> Path:
    """The checkout at :data:`BASELINE` (``git archive``: no work tree or branch changes)."""
    folder = work / f"code-{BASELINE}"
    if not (folder / "digest").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE],
                                 capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


# ---------------------------------------------------------------------------------------
# the browser

def context(browser: Any, size: str, base: str) -> Any:
    """A fresh (cold) browser context of ``size``; requests off the site are refused."""
    viewport = busy_site.DESKTOP if size == "desktop" else busy_site.PHONE
    ctx = browser.new_context(viewport=viewport, color_scheme="light",
                              is_mobile=size == "phone", has_touch=size == "phone")
    ctx.route(re.compile(r"^(?!" + re.escape(base) + ")"), lambda r: r.abort())
    ctx.set_default_timeout(30_000)
    return ctx


def page_kinds(browser: Any, base: str, site: Path) -> dict[str, str]:
    """One URL path of each kind of page; the topic and the article are the front page's
    first."""
    ctx = context(browser, "desktop", base)
    page = ctx.new_page()
    page.goto(base, wait_until="load")
    links = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href]')]
        .map(a => new URL(a.href).pathname)""")
    ctx.close()
    topic = next(p for p in links if re.match(r"^/topics/[^/]+/$", p) and "page-" not in p)
    article = next(p for p in links if p.startswith("/articles/"))
    tag = sorted(p.parent.name for p in (site / "tags").glob("*/index.html"))[0]
    return {"front": "", "topic": topic.lstrip("/"), "article": article.lstrip("/"),
            "archive day": f"archive/{DAY}/", "archive month": f"archive/{DAY[:7]}/",
            "tag": f"tags/{tag}/", "tag index": "tags/", "topics index": "topics/",
            "sources": "sources/", "build report": "report/"}


def front_load(browser: Any, base: str) -> dict[str, Any]:
    """One cold load of the front page on a desktop: bytes, requests, time, search index."""
    ctx = context(browser, "desktop", base)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    encoded: list[float] = []
    cdp.on("Network.loadingFinished", lambda e: encoded.append(e["encodedDataLength"]))
    bodies: list[Any] = []
    page.on("response", lambda r: bodies.append(r))
    page.goto(base, wait_until="networkidle")
    page.wait_for_timeout(500)
    load_ms = page.evaluate(
        "performance.getEntriesByType('navigation')[0].loadEventEnd")
    zipped = 0
    for response in bodies:
        with contextlib.suppress(Exception):  # a response without a body (a redirect)
            zipped += len(gzip.compress(response.body(), 6))
    index_at_load = any("/pagefind/" in r.url for r in bodies)
    ctx.close()
    return {"bytes": sum(encoded), "gzip": zipped, "requests": len(bodies), "ms": load_ms,
            "index_at_load": index_at_load}


def search_on_open(browser: Any, base: str) -> bool:
    """Whether opening search (a click in the search field) asks for the search index."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ctx = context(browser, "desktop", base)
    page = ctx.new_page()
    page.goto(base, wait_until="networkidle")
    try:
        with page.expect_request(re.compile(r"/pagefind/shards\.json"), timeout=10_000):
            page.locator("label.md-search__icon, .md-search__input").first.click()
            page.wait_for_timeout(200)
        asked = True
    except PlaywrightTimeout:  # the request did not come
        asked = False
    ctx.close()
    return asked


def errors_by_kind(browser: Any, base: str, kinds: dict[str, str]) -> dict[str, list[str]]:
    """Responses with status ≥ 400 on each kind of page."""
    ctx = context(browser, "desktop", base)
    found: dict[str, list[str]] = {}
    for kind, path in kinds.items():
        page = ctx.new_page()
        bad: list[str] = []
        page.on("response", lambda r, bad=bad: bad.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)
        page.goto(base + path, wait_until="networkidle")
        found[kind] = bad
        page.close()
    ctx.close()
    return found


def layout(browser: Any, base: str, baseline: bool) -> dict[str, float]:
    out: dict[str, float] = {}
    for size in ("desktop", "phone"):
        ctx = context(browser, size, base)
        page = ctx.new_page()
        page.goto(base, wait_until="networkidle")
        out[f"units {size}"] = busy_site.complete_units(page, baseline)
        if size == "desktop":
            out["screens"] = busy_site.screens_tall(page)
        out[f"overflow {size}"] = busy_site.sideways_overflow(page)
        ctx.close()
    return out


def measure(browser: Any, site: Path, baseline: bool, loads: int) -> dict[str, Any]:
    with busy_site.served(site) as base:
        row: dict[str, Any] = layout(browser, base, baseline)
        runs = [front_load(browser, base) for _ in range(loads)]
        for key in ("bytes", "gzip", "requests", "ms"):
            row[key] = statistics.median(r[key] for r in runs)
        row["index_at_load"] = any(r["index_at_load"] for r in runs)
        row["index_on_open"] = search_on_open(browser, base)
        row["errors"] = errors_by_kind(browser, base, page_kinds(browser, base, site))
    return row


def language_check(browser: Any, site: Path, project: Path) -> dict[str, Any]:
    """``<html lang>`` and the English interface words on the front, topic and article pages
    of a ``uk`` build."""
    labels = busy_site.english_labels("uk", project / "mkdocs.yml")
    names = busy_site.owner_names(project)
    out: dict[str, Any] = {}
    with busy_site.served(site) as base:
        kinds = page_kinds(browser, base, site)
        ctx = context(browser, "desktop", base)
        page = ctx.new_page()
        for kind in ("front", "topic", "article"):
            page.goto(base + kinds[kind], wait_until="networkidle")
            lang = page.evaluate("document.documentElement.lang")
            english = sorted(set(busy_site.english_on_page(page, labels, names)))
            out[kind] = (lang, english)
        ctx.close()
    return out


# ---------------------------------------------------------------------------------------

def table(rows: dict[str, dict[str, Any]]) -> list[str]:
    names = list(rows)
    lines = ["| measure | bar | " + " | ".join(names) + " |",
             "|---|---|" + "---:|" * len(names)]

    def line(label: str, bar: str, cell: Any) -> None:
        lines.append(f"| {label} | {bar} | " + " | ".join(cell(rows[n]) for n in names) + " |")

    line("units in first screen, desktop 1366×900", f"≥ {BAR_DESKTOP}",
         lambda r: f"{r['units desktop']:.0f}")
    line("units in first screen, phone 390×844", f"≥ {BAR_PHONE}",
         lambda r: f"{r['units phone']:.0f}")
    line("front page height, desktop screens", f"≤ {BAR_SCREENS:g}",
         lambda r: f"{r['screens']:.1f}")
    line("front page load, KB transferred (median)", f"≤ {BAR_KB}",
         lambda r: f"{r['bytes'] / 1000:,.0f}")
    line("  the same gzipped, KB", "", lambda r: f"{r['gzip'] / 1000:,.0f}")
    line("  requests", "", lambda r: f"{r['requests']:.0f}")
    line("  load event, ms (median)", "", lambda r: f"{r['ms']:,.0f}")
    line("sideways scroll on phone, px", "0", lambda r: f"{r['overflow phone']:.0f}")
    line("responses ≥ 400 (10 page kinds)", "0",
         lambda r: str(sum(len(v) for v in r["errors"].values())))
    line("search index asked for at load", "no",
         lambda r: "yes" if r["index_at_load"] else "no")
    line("search index asked for on opening search", "yes",
         lambda r: "yes" if r["index_on_open"] else "at load" if r["index_at_load"] else "no")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=2100)
    parser.add_argument("--no-baseline", action="store_true",
                        help=f"skip the build at {BASELINE}")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and leave it (its sources and caches are reused)")
    parser.add_argument("--loads", type=int, default=3, help="cold front page loads (median)")
    args = parser.parse_args()
    for path in (STORIES, CNNDM, Path(CHROMIUM)):
        if not path.exists():
            raise SystemExit(f"{path} is missing")
    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="busy-day-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        builds = {"now": (make_project(work / "now-en", args.articles, "en", ROOT), ROOT)}
        if not args.no_baseline:
            code = baseline_code(work)
            builds[BASELINE] = (make_project(work / "base-en", args.articles, "en", code), code)
        for name, (project, code) in builds.items():
            print(f"building {name}: {build(project, code):.0f} s", file=sys.stderr)
        uk = make_project(work / "now-uk", args.articles, "uk", ROOT)
        cache = work / "now-en" / ".digest-cache.sqlite"
        if cache.exists() and not (uk / cache.name).exists():
            shutil.copy(cache, uk / cache.name)  # the articles' results are the same
        print(f"building now, uk: {build(uk, ROOT):.0f} s", file=sys.stderr)
        report = json.loads((work / "now-en" / "build-report.json").read_text("utf-8"))

        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=CHROMIUM_ARGS)
            rows = {name: measure(browser, project / "site", name == BASELINE, args.loads)
                    for name, (project, _) in builds.items()}
            languages = language_check(browser, uk / "site", uk)
            browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"{args.articles:,} articles of {DAY} from {len(PUBLISHERS)} sources: "
          f"{report['articles']:,} published, {report['duplicates']:,} copies merged, "
          f"{report['topics']:,} topics\n")
    print("\n".join(table(rows)))
    if BASELINE in rows:
        print(f"\n({BASELINE}'s units are its topics: an h2 and the summary after it wholly in "
              "the first screen; it had no source count)")
    for name, row in rows.items():
        for kind, bad in row["errors"].items():
            for entry in bad[:3]:
                print(f"{name}, {kind}: {entry}")
    print("\nsite.language: uk (lang, English interface words; bar: uk, none)")
    for kind, (lang, english) in languages.items():
        why = " (the article's own: its source says language: en)" if (
            kind == "article" and lang == "en") else ""
        print(f"  {kind}: lang={lang!r}{why}, {len(english)} English" + "".join(
            f"\n    {e}" for e in english[:12]))
    now = rows["now"]
    failed = [what for what, bad in (
        ("desktop units", now["units desktop"] < BAR_DESKTOP),
        ("phone units", now["units phone"] < BAR_PHONE),
        ("height", now["screens"] > BAR_SCREENS),
        ("bytes", now["bytes"] > BAR_KB * 1000),
        ("errors", any(now["errors"].values())),
        ("search index at load", now["index_at_load"]),
        ("search index on opening search", not now["index_on_open"]),
        ("uk", any(lang != "uk" or english for lang, english in languages.values())),
    ) if bad]
    print("\nbars: " + ("all met" if not failed else "NOT met: " + ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
