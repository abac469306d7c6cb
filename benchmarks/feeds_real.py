"""Real-feed benchmark: every feed of ``../shared/data/feeds-real`` read as a new user would.

For each feed file it runs the pipeline (``build_digest``, no cache) twice: once with the
file as a ``path:`` source and once fetched over HTTP from a server on 127.0.0.1 (with the
``Content-Type`` charset a server would send for the one feed that declares none), and
prints, per feed and way: items in the feed and with text (from the corpus's
``inventory.json``), articles published with text, headlines published as links (no text of
their own), merged as copies, false copies (a copy whose link differs from its canonical
article's), inputs skipped with their reasons, crashes, title errors (a published title that
differs from the item's own ``<title>``, entities decoded; where items share a link, each
of their titles counts once), mojibake (a title or paragraph that ftfy would re-decode, or a
U+FFFD) and furniture left (published articles holding, in body or summary, a paragraph that
at least half of the feed's published articles hold word for word).
Then one real ``digest build`` of all the feeds together: cold and no-change wall time,
and the largest topics with their first titles, so that mixed topics show. And the
fetching of all of them with the polite defaults (1 s between two requests to one host):
from one loopback address, then spread over eight (127.0.0.2 to 127.0.0.9, listed in
``fetch.allow_private_hosts``) so that they look like eight publishers, whose feeds must
be fetched concurrently.

The corpus is research data, read in place and never copied into the project. Loopback
only: the HTTP server listens on 127.0.0.1, which the generated ``feeds.yaml`` allows.

    python benchmarks/feeds_real.py                 # all feeds, both ways, then all together
    python benchmarks/feeds_real.py --only nnw__    # feeds whose file name starts so
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import ftfy

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "feeds-real"
# what a server would say of the one feed that declares no encoding (see the corpus README)
CHARSETS = {"derived__iconv-no-xml-decl.xml": "windows-1251"}
_SPACE = re.compile(r"\s+")


def feed_files(only: str) -> list[Path]:
    return sorted(p for p in CORPUS.iterdir()
                  if p.suffix in (".xml", ".json", ".rss", ".atom", ".rdf")
                  and p.name != "inventory.json" and p.name.startswith(only))


def gold_titles(path: Path) -> dict[str, list[str]]:
    """Each item's own titles by its link: the item's direct ``title`` child in no namespace
    or the RSS 1.0 / Atom one (not ``itunes:title`` or ``media:title``, which may differ), or
    a JSON Feed item's ``title``. A link several items share keeps all their titles; items
    without a link are not in it."""
    data = path.read_bytes()
    out: dict[str, list[str]] = {}
    if path.suffix == ".json":
        try:
            for item in json.loads(data.decode("utf-8-sig")).get("items", []):
                if item.get("url") and item.get("title"):
                    out.setdefault(item["url"], []).append(_plain(item["title"]))
        except (ValueError, AttributeError):
            pass
        return out
    from defusedxml import ElementTree as SafeTree  # research data is still untrusted XML

    from digest.fetch.feeds import xml_text

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", xml_text(data).lstrip())
    try:
        root = SafeTree.fromstring(text.encode("utf-8"))
    except Exception:  # not well-formed, or refused (DTDs): no gold titles for it
        return out
    for node in root.iter():
        if _local(node.tag) not in ("item", "entry"):
            continue
        title = link = ""
        for child in node:
            if child.tag in _TITLE_TAGS and not title:
                title = "".join(child.itertext())
            elif child.tag in _LINK_TAGS and not link.strip():
                link = child.get("href") or (child.text or "")
        if link.strip() and title.strip():
            out.setdefault(link.strip(), []).append(_plain(title))
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_NAMESPACES = ("", "{http://purl.org/rss/1.0/}", "{http://www.w3.org/2005/Atom}",
               "{http://my.netscape.com/rdf/simple/0.9/}")
_TITLE_TAGS = {ns + "title" for ns in _NAMESPACES}
_LINK_TAGS = {ns + "link" for ns in _NAMESPACES}


def title_errors(articles: Any, gold: dict[str, list[str]]) -> tuple[int, int]:
    """(judged, wrong): published titles of titled items whose link has gold titles (an
    untitled item sharing a titled one's link is not judged); where several items share a
    link, each gold title can be matched once."""
    left = {link: Counter(titles) for link, titles in gold.items()}
    judged = wrong = 0
    for article in articles:
        if article.url not in left or article.title_from_text:
            continue
        judged += 1
        title = _plain(article.title)
        if left[article.url][title] > 0:
            left[article.url][title] -= 1
        else:
            wrong += 1
    return judged, wrong


def _plain(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip()


def is_mojibake(text: str) -> bool:
    """Text ftfy would re-decode (its encoding fix only: not quotes, widths or ligatures)."""
    return "\ufffd" in text or ftfy.fix_encoding(text) != text


def project(folder: Path, sources: list[str], extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feeds.yaml").write_text(
        "cache: null\nfetch: {host_interval: 0, retries: 0, allow_private_hosts: [127.0.0.1]}\n"
        + extra + "sources:\n" + "".join(sources), "utf-8")
    return folder / "feeds.yaml"


def source_entry(i: int, path: Path, url: str = "") -> str:
    kind = "jsonfeed" if path.suffix == ".json" else "rss"
    where = f"url: {url}" if url else f"path: {json.dumps(str(path))}"
    return f"  - {{name: feed-{i}, type: {kind}, {where}}}\n"


def measure(feeds_yaml: Path, gold: dict[str, list[str]]) -> dict[str, Any]:
    from digest.config import load_config
    from digest.pipeline import build_digest

    try:
        digest = build_digest(load_config(feeds_yaml), use_cache=False, jobs=1)
    except Exception:  # a crash is what this benchmark counts
        return {"crash": traceback.format_exc(limit=1).strip().splitlines()[-1]}
    urls = {a.id: a.url for a in digest.articles}
    false_copies = sum(1 for d in digest.duplicates
                       if d.url and urls.get(d.duplicate_of or "") not in (None, d.url))
    everything = (*digest.articles, *digest.duplicates)
    titled, wrong = title_errors(everything, gold)
    mojibake = sum(1 for a in everything
                   if any(is_mojibake(t) for t in (a.title, *a.body)))
    with_text = [a for a in digest.articles if a.body]
    return {"published": len(with_text), "links": len(digest.articles) - len(with_text),
            "merged": len(digest.duplicates), "repeated": repeated(with_text),
            "false": false_copies, "skipped": Counter(s.reason[:60] for s in digest.skipped),
            "titled": titled, "title_errors": wrong, "mojibake": mojibake, "crash": ""}


def repeated(articles: list[Any]) -> int:
    """Published articles whose body or summary holds a paragraph that at least 3 and at least
    half of the feed's published articles hold, word for word (case and spacing aside): the
    feed's furniture left in, judged apart from the build's own rule."""
    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    held = Counter(k for a in articles for k in {key(p) for p in a.body})
    common = {k for k, n in held.items() if n >= max(3, len(articles) / 2)}
    return sum(1 for a in articles
               if common & {key(p) for p in a.body}
               or any(c in key(s) for s in a.summary for c in common))


class _Handler(SimpleHTTPRequestHandler):
    def guess_type(self, path: str | Any) -> str:
        name = Path(str(path)).name
        base = "application/feed+json" if name.endswith(".json") else "application/rss+xml"
        return f"{base}; charset={CHARSETS[name]}" if name in CHARSETS else base

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def row(name: str, way: str, inventory: dict[str, Any], m: dict[str, Any]) -> str:
    if m["crash"]:
        return (f"| {name} | {way} | {inventory.get('n', '?')} | | | | | | CRASH {m['crash']}"
                " | | | |")
    skipped = "; ".join(f"{n}× {r}" for r, n in m["skipped"].most_common(2))
    return (f"| {name} | {way} | {inventory.get('n', '?')} | {inventory.get('with_text', '?')}"
            f" | {m['published']} | {m['links']} | {m['merged']} | {m['false']} | {skipped} |"
            f" {m['title_errors']}/{m['titled']} | {m['mojibake']} | {m['repeated']} |")


def together(files: list[Path], work: Path) -> list[str]:
    """One real ``digest build`` of every feed: cold, then with no change; biggest topics."""
    folder = work / "all"
    project(folder, [source_entry(i, p) for i, p in enumerate(files)])
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", folder / "docs")
    text = (folder / "feeds.yaml").read_text("utf-8").replace("cache: null",
                                                              "cache: .digest-cache.sqlite")
    (folder / "feeds.yaml").write_text(text, "utf-8")
    out = []
    for run in ("cold", "no change"):
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "digest", "build"], cwd=folder,
                                capture_output=True, text=True, timeout=1800)
        out.append(f"all {len(files)} feeds together, {run}: {time.perf_counter() - start:.1f} s,"
                   f" exit {result.returncode}; {result.stderr.strip().splitlines()[-1][:160]}")
    from digest.config import load_config
    from digest.pipeline import build_digest

    digest = build_digest(load_config(folder / "feeds.yaml"), jobs=1)
    titles = {a.id: a.title for a in digest.articles}
    for topic in sorted(digest.topics, key=lambda t: -len(t.article_ids))[:5]:
        first = "; ".join(titles[i][:50] for i in topic.article_ids[:3])
        out.append(f"topic {topic.name!r}: {len(topic.article_ids)} articles: {first}")
    return out


def over_hosts(files: list[Path], work: Path, hosts: int) -> str:
    """Fetch every feed (read_sources, cache cold then warm) with the default per-host
    interval, the feeds spread over ``hosts`` loopback addresses from 127.0.0.2."""
    from digest.config import load_config
    from digest.sources import read_sources

    servers = []
    for h in range(hosts):
        server = ThreadingHTTPServer((f"127.0.0.{2 + h}", 0),
                                     partial(_Handler, directory=str(CORPUS)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    addresses = [f"127.0.0.{2 + h}:{s.server_address[1]}" for h, s in enumerate(servers)]
    entries = [source_entry(i, p, f"http://{addresses[i % hosts]}/{p.name}")
               for i, p in enumerate(files)]
    folder = work / f"hosts-{hosts}"
    feeds = project(folder, entries)
    text = feeds.read_text("utf-8").replace(
        "cache: null\nfetch: {host_interval: 0, retries: 0, allow_private_hosts: [127.0.0.1]}",
        f"cache: cache.sqlite\nfetch: {{retries: 0, allow_private_hosts: {addresses}}}")
    feeds.write_text(text, "utf-8")
    config = load_config(feeds)
    times = []
    for _ in ("cold", "warm"):
        start = time.perf_counter()
        read_sources(config)
        times.append(time.perf_counter() - start)
    for server in servers:
        server.shutdown()
    return (f"fetch {len(files)} feeds from {hosts} loopback host(s), 1 s per-host interval:"
            f" cold {times[0]:.1f} s, warm (304s) {times[1]:.1f} s")


def summary_line(totals: Counter[str]) -> str:
    kept = totals["published"] + totals["merged"]
    return (f"{totals['builds']} builds, {totals['crashes']} crashed; items with text"
            f" {totals['with_text']}, published or merged {kept}"
            f" ({kept / max(totals['with_text'], 1):.1%}); false copies {totals['false']};"
            f" title errors {totals['title_errors']} of {totals['titled']} titled"
            f" ({1 - totals['title_errors'] / max(totals['titled'], 1):.1%} right);"
            f" items with mojibake {totals['mojibake']}; headlines published as links"
            f" {totals['links']}; articles with the feed's furniture left"
            f" {totals['repeated']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="feeds whose file name starts with this")
    parser.add_argument("--no-together", action="store_true", help="skip the combined build")
    args = parser.parse_args()
    files = feed_files(args.only)
    inventory = json.loads((CORPUS / "inventory.json").read_text("utf-8"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(CORPUS)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    folds: dict[str, Counter[str]] = {}
    print("| feed | way | items | with text | published | links | merged | false copies |"
          " skipped (top reasons) | title errors | mojibake | furniture left |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for i, path in enumerate(files):
            gold = gold_titles(path)
            for way, url in (("path", ""), ("http", f"{base}/{path.name}")):
                feeds = project(work / f"{i}-{way}", [source_entry(i, path, url)])
                m = measure(feeds, gold)
                print(row(path.name, way, inventory.get(path.name, {}), m), flush=True)
                fold = folds.setdefault(path.name.split("__", 1)[0], Counter())
                fold["builds"] += 1
                fold["crashes"] += bool(m["crash"])
                if not m["crash"]:
                    fold["with_text"] += inventory.get(path.name, {}).get("with_text", 0)
                    for key in ("published", "links", "merged", "false", "titled",
                                "title_errors", "mojibake", "repeated"):
                        fold[key] += m[key]
        print()
        # each corpus (the prefix: where its feeds came from) apart, as leave-one-out folds:
        # the thresholds are rules of thumb, fitted to none of them, and each corpus must
        # hold the bars on its own
        for name, fold in sorted(folds.items()):
            print(f"{name}: {summary_line(fold)}")
        print(f"all: {summary_line(sum(folds.values(), Counter()))}")
        if not args.no_together:
            for line in together(files, work):
                print(line)
            for hosts in (1, 8):
                print(over_hosts(files, work, hosts))
    server.shutdown()


if __name__ == "__main__":
    main()
