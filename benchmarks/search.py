"""Search quality on the bundled sample: the digest's Pagefind search against the theme's.

Builds the sample site twice, with this checkout and with the last commit that used
Material's own search (``BEFORE``, checked out in a temporary git worktree), serves
each on 127.0.0.1 and, in Debian chromium, types queries into the search box and
reads the result links in the order shown. Queries are made from each published
article (not its copies): its title's two rarest words, and the rarest word of its
description (the summary line pages carry in ``og:description``), rarity counted over
all articles' titles and descriptions. It prints hit@1 and hit@10 (the article's page
among the first one / ten results) per kind of query, for both, and the bytes a
first search fetched.

    nice python benchmarks/search.py
"""

from __future__ import annotations

import html
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from busy_site import served  # noqa: E402  (a loopback server for a built site)

BEFORE = "4a6dcfe"  # Material's search (lunr over every page's searchable text)
CHROMIUM = "/usr/bin/chromium"
WORD = re.compile(r"[^\W\d_]{4,}")


# mkdocs with the project's own ``digest`` package: an editable install's import hook
# would otherwise give every folder this checkout's code
OWN_CODE = ("import sys; sys.path.insert(0, '.'); sys.meta_path[:] = [f for f in sys.meta_path"
            " if '__editable__' not in getattr(f, '__module__', '') + repr(f)];"
            " from mkdocs.__main__ import cli; cli()")


def build(project: Path) -> Path:
    subprocess.run([sys.executable, "-c", OWN_CODE, "build", "--quiet"], cwd=project,
                   check=True, capture_output=True, timeout=900)
    return project / "site"


def articles(site: Path) -> list[tuple[str, str, str]]:
    """(URL path, title, description) of every article page of the site."""
    out = []
    for page in sorted((site / "articles").rglob("index.html")):
        text = page.read_text("utf-8")
        title = re.search(r'<meta property="og:title" content="([^"]*)"', text)
        description = re.search(r'<meta property="og:description" content="([^"]*)"', text)
        if title and description:
            out.append(("/" + page.parent.relative_to(site).as_posix() + "/",
                        html.unescape(title.group(1)), html.unescape(description.group(1))))
    return out


def queries(pages: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(kind, query, expected path): the title's two rarest words, the description's
    rarest word."""
    seen: Counter[str] = Counter()
    for _, title, description in pages:
        seen.update(set(WORD.findall(f"{title} {description}".lower())))
    out = []
    for path, title, description in pages:
        words = sorted(set(WORD.findall(title.lower())), key=lambda w: (seen[w], w))
        if len(words) >= 2:
            out.append(("title words", " ".join(words[:2]), path))
        words = sorted(set(WORD.findall(description.lower())) - set(WORD.findall(
            title.lower())), key=lambda w: (seen[w], w))
        if words:
            out.append(("summary word", words[0], path))
    return out


def ask(page: Any, query: str) -> list[str]:
    """The result links' paths the search box shows for ``query``, in order."""
    field = page.locator(".md-search__input").first
    field.fill("")
    page.wait_for_timeout(300)
    field.type(query)  # keystrokes: the theme's search reads keyup, not input events
    page.wait_for_timeout(1200)
    return [urlsplit(h).path for h in page.eval_on_selector_all(
        ".md-search-result__link", "links => links.map(a => a.href)")]


def measure(site: Path, asked: list[tuple[str, str, str]]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    hits: dict[str, list[tuple[bool, bool]]] = {}
    fetched: list[str] = []
    with served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(base, wait_until="networkidle")
        page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
        page.locator(".md-search__input").first.click()
        for kind, query, path in asked:
            shown = ask(page, query)[:10]
            hits.setdefault(kind, []).append((shown[:1] == [path], path in shown))
        browser.close()
    first = sum((site / p.lstrip("/")).stat().st_size for p in dict.fromkeys(fetched)
                if (site / p.lstrip("/")).is_file())
    return {"hits": hits, "fetched_kb": first / 1024}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="digest-search-bench-") as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), BEFORE], cwd=ROOT,
                       check=True, capture_output=True)
        try:
            sites = {"ours (Pagefind)": build(ROOT), f"theme search ({BEFORE})": build(before)}
            asked = queries(articles(sites["ours (Pagefind)"]))
            rows = {name: measure(site, asked) for name, site in sites.items()}
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT,
                           check=False, capture_output=True)
    kinds = sorted({kind for kind, _, _ in asked})
    print(f"{len(asked)} queries over the sample's articles\n")
    print("| search | " + " | ".join(f"{k}: hit@1 | {k}: hit@10" for k in kinds)
          + " | fetched by all queries (KB) |")
    print("|---|" + "---|---|" * len(kinds) + "---|")
    for name, row in rows.items():
        cells = []
        for kind in kinds:
            got = row["hits"].get(kind, [])
            cells += [f"{statistics.mean(h for h, _ in got):.0%}",
                      f"{statistics.mean(h for _, h in got):.0%}"]
        print(f"| {name} | " + " | ".join(cells) + f" | {row['fetched_kb']:.0f} |")


if __name__ == "__main__":
    main()
