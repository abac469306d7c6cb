"""Tag benchmark: do the tags name news, or publishers and page furniture? (issue 19)

Builds tags over real articles from ``../shared/data`` with the tag code before issue 19
("before": commit 66dd459, loaded with ``git show 66dd459:digest/site/tags.py``) and with
the working tree's ("after"), and prints per corpus:

- ``tags``: how many;
- ``pub@20`` / ``pub@50``: the share of the first 20 / 50 tags a reader sees that are a
  publisher: the tag, letters only, equals or contains a publisher name taken from the
  data's own source fields ("the" dropped; a host name gives its registered label,
  ``blogs.wsj.com`` -> "wsj");
- ``caps@50``: the share that are written in capitals and are not an acronym (longer
  than 5 letters, or the same word is written capitalised in mixed case in the corpus:
  a dateline or kicker such as "PARIS", "WATCH");
- ``1src@20`` / ``1src@50``: the share whose articles all come from one source (corpora
  of several sources): phrases that tie nothing across publishers;
- ``pages`` / ``links``: tag index pages, and the most tag links on one of them.

"The first tags a reader sees" is the index's order: before, the single list (most
articles first); after, the "Most used" section (:func:`digest.site.tags.most_used`).
"after, no names" passes no publisher names to ``build_tags``: what statistics alone
leave. Thresholds are tuned on half of the sources of each corpus (split by a hash of
the source id) and reported on the other, held-out half.

Corpora (read in place, never copied into the project): ``scraped-gen`` (7 invented
publishers' pages of real text) and ``real/portal`` (4 real sites) through the real
pipeline; ``feeds-real`` (real feeds of about 60 publishers, podcasts and blogs among
them) through the pipeline; ``stories`` (ECB+ articles, source = web domain) as
articles directly (the lead three sentences as summary); and the bundled fictional
``samples`` project. Then ``build_tags`` is timed on the 10,000 generated articles of
``benchmarks/site.py``, and the index is paged for 20,000 made-up tags.

    nice python benchmarks/tags.py           # about a minute; 20 s once the pipelines ran
    nice python benchmarks/tags.py --fresh   # run the pipelines again

The pipelines' articles are kept in the temporary folder, by the commit checked out, so
a rerun measures only the tag code (``--fresh`` runs them again).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pickle
import random
import re
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = Path(tempfile.gettempdir()) / "newsdigest-bench-tags"  # + the commit checked out
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
GRID = {"SOURCE_SHARE": (0.2, 0.3, 0.5), "SOURCE_OWN": (0.6, 0.8, 0.95)}


@dataclass
class Corpus:
    name: str
    articles: list  # digest.records.Article
    titles: list[str]  # what feeds.yaml would give build_tags: the sources' titles
    publishers: list[str]  # publisher names for the check, from the data's fields


# --- corpora ------------------------------------------------------------------------------

def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def host_label(host: str) -> str:
    """The registered label of a host name: ``blogs.wsj.com`` -> "wsj"."""
    labels = [p for p in host.lower().split(".") if p and p != "www"]
    while len(labels) > 1 and (len(labels[-1]) <= 3 or labels[-1] in ("co", "com")):
        labels = labels[:-1]
    return labels[-1] if labels else host


def cache_file(name: str) -> Path:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "none"
    return CACHE / f"{name}-{commit}.pickle"


def pipeline(name: str, sources: list[tuple[str, str, str, list[Path]]], keep: bool) -> list:
    """The articles of a real build over ``sources`` (id, title, type, files)."""
    cached = cache_file(name)
    if keep and cached.exists():
        return pickle.loads(cached.read_bytes())  # written by this script, below
    from digest.config import load_config
    from digest.pipeline import build_digest

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lines = ["site: {title: Bench, url: 'https://bench.example/'}", "cache: null",
                 "sources:"]
        for source, title, kind, files in sources:
            if kind == "text":
                folder = root / source
                folder.mkdir()
                for i, f in enumerate(files):
                    (folder / f"{i:04d}.txt").symlink_to(f)
                where = f"path: {source}/*.txt, follow_symlinks: true"
            else:
                where = f"path: {json.dumps(str(files[0]))}"
            lines.append(f"  - {{name: {source}, title: {json.dumps(title)}, type: {kind},"
                         f" {where}}}")
        (root / "feeds.yaml").write_text("\n".join(lines) + "\n", "utf-8")
        articles = list(build_digest(load_config(root / "feeds.yaml"), use_cache=False).articles)
    if keep:
        CACHE.mkdir(exist_ok=True)
        cached.write_bytes(pickle.dumps(articles))
    return articles


def scraped_gen(keep: bool) -> Corpus:
    manifest = [json.loads(line) for line in (DATA / "scraped-gen" / "manifest.jsonl").open()]
    by_publisher: dict[str, list[Path]] = {}
    agencies = set()
    for item in manifest:
        by_publisher.setdefault(item["publisher"], []).append(
            DATA / "scraped-gen" / "docs" / f"{item['doc_id']}.txt")
        gold = json.loads((DATA / "scraped-gen" / "gold" / f"{item['doc_id']}.json").read_text())
        if gold.get("agency"):
            agencies.add(gold["agency"])
    sources = [(slug(p), p, "text", files) for p, files in sorted(by_publisher.items())]
    return Corpus("scraped-gen", pipeline("gen", sources, keep), sorted(by_publisher),
                  sorted(by_publisher) + sorted(agencies))


def portal(keep: bool) -> Corpus:
    sources = []
    for site in sorted((DATA / "real" / "portal").iterdir()):
        files = sorted(p for p in site.glob("*.txt") if not p.name.endswith(".gold.txt"))
        sources.append((slug(site.name), site.name.split("_")[0], "text", files))
    return Corpus("real/portal", pipeline("portal", sources, keep), [s[1] for s in sources],
                  [host_label(s[1]) for s in sources])


def feeds_real(keep: bool) -> Corpus:
    folder = DATA / "feeds-real"
    inventory = json.loads((folder / "inventory.json").read_text("utf-8"))
    sources = []
    for f in sorted(folder.iterdir()):
        if f.name in ("README.md", "inventory.json") or f.name.startswith("derived__"):
            continue  # derived__ files are re-encoded copies of other feeds
        title = (inventory.get(f.name) or {}).get("title") or f.stem.split("__")[-1]
        kind = "jsonfeed" if f.suffix == ".json" else "rss"
        sources.append((f"{slug(title)[:30]}-{len(sources)}", title, kind, [f]))
    return Corpus("feeds-real", pipeline("feeds", sources, keep), [s[1] for s in sources],
                  [s[1] for s in sources])


def stories() -> Corpus:
    from digest.records import Article

    articles = []
    domains = set()
    for line in (DATA / "stories" / "dev.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        source = record["source"] or f"unknown-{record['id']}"
        if record["source"]:
            domains.add(record["source"])
        lead = [s for s in _SENTENCE.split(record["text"]) if s.strip()][:3]
        articles.append(Article(record["id"], slug(source), "stories", title=record["title"],
                                summary=tuple(lead)))
    return Corpus("stories", articles, sorted(domains), sorted(host_label(d) for d in domains))


def samples(keep: bool) -> Corpus:
    from digest.config import load_config

    config = load_config(ROOT / "feeds.yaml")
    titles = [config.site.title, *(s.label for s in config.sources)]
    cached = cache_file("samples")
    if keep and cached.exists():
        articles = pickle.loads(cached.read_bytes())  # written by this script, below
    else:
        from dataclasses import replace

        from digest.pipeline import build_digest

        articles = list(build_digest(replace(config, cache=None), use_cache=False).articles)
        if keep:
            CACHE.mkdir(exist_ok=True)
            cached.write_bytes(pickle.dumps(articles))
    return Corpus("samples (ours)", articles, titles, titles)


# --- the checks ---------------------------------------------------------------------------

def compact(text: str) -> str:
    words = re.findall(r"[^\W_]+", text.casefold())
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


def is_publisher(name: str, publishers: list[str]) -> bool:
    tag = compact(name)
    return any(p and (p == tag or (len(p) >= 3 and p in tag)) for p in map(compact, publishers))


def mixed_case_words(articles: list) -> set[str]:
    words = set()
    for a in articles:
        for text in (a.title, a.standfirst, *a.summary):
            words.update(w for w in re.findall(r"[^\W\d_]+", text)
                         if w[0].isupper() and not w.isupper())
    return {w.casefold() for w in words}


def is_caps(name: str, mixed: set[str]) -> bool:
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 or not name.isupper():
        return False
    return len(letters) > 5 or all(w.casefold() in mixed for w in re.findall(r"[^\W\d_]+", name))


def figures(tags: list, corpus: Corpus, mixed: set[str], index: tuple[int, int]) -> dict:
    source_of = {a.id: a.source for a in corpus.articles}
    several = len(set(source_of.values())) > 1

    def share(check: Callable[[object], bool], k: int) -> str:
        top = tags[:k]
        return f"{sum(map(check, top)) / len(top):.0%}" if top else "-"

    def pub(t: object) -> bool:
        return is_publisher(t.name, corpus.publishers)  # type: ignore[attr-defined]

    def caps(t: object) -> bool:
        return is_caps(t.name, mixed)  # type: ignore[attr-defined]

    def one(t: object) -> bool:
        return several and len({source_of[i] for i in t.article_ids}) == 1  # type: ignore

    return {"tags": len(tags), "pub@20": share(pub, 20), "pub@50": share(pub, 50),
            "caps@50": share(caps, 50), "1src@20": share(one, 20), "1src@50": share(one, 50),
            "pages": index[0], "links": index[1]}


# --- running old and new code -------------------------------------------------------------

BEFORE = "66dd459"  # the last commit with the tags before issue 19


def module_before(path: str, name: str) -> types.ModuleType:
    """Our own module ``path`` as it was at :data:`BEFORE`."""
    source = subprocess.run(["git", "show", f"{BEFORE}:{path}"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType(name)
    module.__file__ = f"{BEFORE}:{path}"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # our own code, earlier
    return module


def context(articles: list, titles: list[str]) -> object:
    from digest.config import Config, SiteSettings, SourceSettings
    from digest.records import Digest
    from digest.site.context import SiteContext

    sources = tuple(SourceSettings(name=s, type="text", path="x")
                    for s in sorted({a.source for a in articles}))
    config = Config(path=Path("/nowhere/feeds.yaml"),
                    site=SiteSettings(title=titles[0] if titles else "Bench"), sources=sources)
    return SiteContext(Digest(tuple(articles), ()), config)


def index_size(pages: dict[str, str]) -> tuple[int, int]:
    index = {p: text for p, text in pages.items()
             if p == "tags/index.md" or p.startswith("tags/index/")}
    return len(index), max((text.count("](") for text in index.values()), default=0)


@contextmanager
def thresholds(**values: float) -> Iterator[None]:
    import digest.site.tags as tags

    old = {k: getattr(tags, k) for k in values}
    for k, v in values.items():
        setattr(tags, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(tags, k, v)


def after(corpus: Corpus, names: bool, with_index: bool = True) -> dict:
    from digest.site import tag_page
    from digest.site.tags import build_tags, most_used

    titles = corpus.titles if names else []
    tags, _ = build_tags(corpus.articles, titles)
    ranked = most_used(tags, {a.id: a.source for a in corpus.articles})
    index = (0, 0)
    if with_index:
        ctx = context(corpus.articles, titles)
        ctx.tags = tags  # type: ignore[attr-defined]
        index = index_size(tag_page.render_index(ctx))  # type: ignore[arg-type]
    return figures(ranked, corpus, mixed_case_words(corpus.articles), index)


def before(corpus: Corpus, old_tags: types.ModuleType, old_page: types.ModuleType) -> dict:
    tags, _ = old_tags.build_tags(corpus.articles)
    ctx = context(corpus.articles, corpus.titles)
    ctx.tags = tags  # type: ignore[attr-defined]
    return figures(tags, corpus, mixed_case_words(corpus.articles),
                   index_size(old_page.render(ctx)))


def half(corpus: Corpus, held_out: bool) -> Corpus:
    def side(source: str) -> bool:
        return hashlib.sha1(source.encode()).digest()[0] % 2 == 1

    kept = [a for a in corpus.articles if side(a.source) == held_out]
    return Corpus(f"{corpus.name} ({'held out' if held_out else 'tuning'})", kept,
                  corpus.titles, corpus.publishers)


def table(rows: list[tuple[str, str, dict]]) -> None:
    keys = ["tags", "pub@20", "pub@50", "caps@50", "1src@20", "1src@50", "pages", "links"]
    print(f"{'corpus':30} {'code':16} " + " ".join(f"{k:>7}" for k in keys))
    for corpus, code, f in rows:
        print(f"{corpus:30} {code:16} " + " ".join(f"{f[k]!s:>7}" for k in keys))


def measured(corpus: Corpus) -> bool:
    """Corpora of real data with sources enough to split (not the bundled samples)."""
    return "ours" not in corpus.name and len({a.source for a in corpus.articles}) >= 4


def tune(corpora: list[Corpus]) -> dict[str, float]:
    """The grid's thresholds that leave the fewest publishers in the first 50 tags of the
    tuning halves (names withheld), then the most tags."""
    import itertools

    results = []
    halves = [half(c, False) for c in corpora if measured(c)]
    for values in itertools.product(*GRID.values()):
        chosen = dict(zip(GRID, values, strict=True))
        with thresholds(**chosen):
            found = [after(h, names=False, with_index=False) for h in halves]
        pub = sum(float(f["pub@50"].rstrip("%")) for f in found) / len(found)
        tags = sum(f["tags"] for f in found)
        results.append((pub, -tags, values))
        print("  " + ", ".join(f"{k}={v}" for k, v in chosen.items())
              + f": pub@50 {pub:.1f}% (mean), {tags} tags")
    best = min(results)[2]
    return dict(zip(GRID, best, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh", action="store_true", help="run the pipelines again")
    args = parser.parse_args()
    keep = not args.fresh
    sys.path.insert(0, str(ROOT))
    import digest.site.tags as tags_now

    old_tags = module_before("digest/site/tags.py", "tags_before")
    old_page = module_before("digest/site/tag_page.py", "tag_page_before")
    started = time.perf_counter()
    corpora = [scraped_gen(keep), portal(keep), feeds_real(keep), stories(), samples(keep)]
    print(f"corpora read in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{c.name} {len(c.articles)} articles, "
                      f"{len({a.source for a in c.articles})} sources" for c in corpora))
    rows = []
    for c in corpora:
        rows += [(c.name, "before", before(c, old_tags, old_page)),
                 (c.name, "after", after(c, names=True)),
                 (c.name, "after, no names", after(c, names=False))]
    table(rows)
    print("\nthresholds tuned on the tuning halves (names withheld):")
    chosen = tune(corpora)
    current = {k: getattr(tags_now, k) for k in GRID}
    print(f"best on the tuning halves: {chosen}; in the code: {current}")
    rows = []
    for c in corpora:
        if not measured(c):
            continue
        held = half(c, True)
        rows.append((held.name, "before", before(held, old_tags, old_page)))
        rows.append((held.name, "after, no names", after(held, names=False)))
        if chosen != current:
            with thresholds(**chosen):
                rows.append((held.name, "tuned, no names", after(held, names=False)))
    print()
    table(rows)
    timing(old_tags)


def timing(old_tags: types.ModuleType) -> None:
    from digest.site import tag_page
    from digest.site.tags import Tag, build_tags

    spec = importlib.util.spec_from_file_location("site_bench", ROOT / "benchmarks" / "site.py")
    assert spec and spec.loader
    site_bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(site_bench)
    generated = site_bench.generate(10_000)
    articles = list(generated.articles)
    print()
    for code, run in (("before", old_tags.build_tags), ("after", build_tags)):
        started = time.perf_counter()
        tags, _ = run(articles)
        print(f"build_tags on {len(articles):,} generated articles, {code}: "
              f"{time.perf_counter() - started:.2f} s, {len(tags)} tags")
    rng = random.Random(3)
    syllables = ["ka", "lo", "mir", "den", "sa", "vel", "tor", "an", "bri", "el", "ost"]
    made_up = [Tag(f"t{i}", " ".join("".join(rng.choice(syllables) for _ in range(3)).title()
                                     for _ in range(rng.choice((1, 2)))),
                   tuple(a.id for a in rng.sample(articles, rng.randint(2, 6))))
               for i in range(20_000)]
    ctx = context(articles, ["Bench"])
    ctx.tags = made_up  # type: ignore[attr-defined]
    started = time.perf_counter()
    pages = tag_page.render_index(ctx)  # type: ignore[arg-type]
    count, links = index_size(pages)
    largest = max(len(p.encode()) for p in pages.values())
    print(f"tag index of {len(made_up):,} made-up tags: {count} pages, at most {links} links"
          f" and {largest / 1024:.0f} KB a page, {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
