"""The group stage end to end: raw scraped pages through clean, dedupe and grouping.

Used by ``benchmarks/group.py``. The pages of ``../shared/data/scraped-gen/docs`` are
laid out one folder per publisher (the manifest says which) in a temporary project,
built with :func:`digest.pipeline.build_digest` as ``digest build`` would, and the topics
are judged two ways:

* unrelated pairs: ``../shared/tools/unrelated_pairs.py`` over the canonical articles'
  gold bodies (copies merged by dedupe count once), as the issue measures it;
* stories: B-cubed against the story labels of the ECB+ articles the pages were made
  from (``../shared/data/stories/dev.jsonl``; each CNN/DailyMail article a story of its
  own): that stories still come together;
* names a reader would reject, by rules written here and not shared with
  :mod:`digest.group.naming` (a check that reuses the code it checks cannot fail):
  empty or a placeholder, ending on a function word (a list written here, and the
  project's stop-word list, by which the issue judges names) or cut with "…", starting or ending
  with a publisher's name, unbalanced quotes or brackets, or no content word of any
  member's title or text.

The data is read where it lies; nothing of it is copied into the project.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from digest.records import Digest
from digest.text import STOP_WORDS

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "data" / "scraped-gen"
SCORER = SHARED / "tools" / "unrelated_pairs.py"
STORIES = SHARED / "data" / "stories" / "dev.jsonl"  # the story labels of the ECB+ pages
DEV_STORIES = SHARED / "data" / "stories" / "dev_related.jsonl"  # the baseline is tuned on it
PLACEHOLDERS = {"untitled", "no title", "topic", "article", "news", "home"}
# English function words, written here for the check (not the project's own list)
FUNCTION_WORDS = set("""
a an the and or but nor so yet of to in on at by for with from into onto over under about
as than that which who whom whose this these those is are was were be been being has have
had do does did will would can could should may might must its his her their our your my
if when while after before since until because though although per via amid against
""".split())
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_PAIRS = [("(", ")"), ("[", "]"), ("“", "”")]


def available() -> bool:
    return (CORPUS / "docs").is_dir() and SCORER.exists() and STORIES.exists()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def publishers() -> list[str]:
    """The corpus's publishers, by the manifest."""
    rows = (json.loads(line) for line in (CORPUS / "manifest.jsonl").read_text("utf-8")
            .splitlines())
    return sorted({row["publisher"] for row in rows})


def lay_out(folder: Path, leave_out: str = "") -> tuple[Path, dict[str, str]]:
    """A project in ``folder`` whose sources are the corpus's publishers (but ``leave_out``),
    one folder each; returns its feeds.yaml and each source's title by name."""
    entries = []
    titles: dict[str, str] = {}
    by_publisher: dict[str, list[str]] = defaultdict(list)
    for line in (CORPUS / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        by_publisher[row["publisher"]].append(row["doc_id"])
    for publisher in sorted(by_publisher):
        if publisher == leave_out:
            continue
        name = _slug(publisher)
        titles[name] = publisher
        (folder / name).mkdir(parents=True)
        for doc in by_publisher[publisher]:
            shutil.copyfile(CORPUS / "docs" / f"{doc}.txt", folder / name / f"{doc}.txt")
        entries.append(f"  - {{name: {name}, title: {json.dumps(publisher)}, type: text, "
                       f"path: {name}/*.txt}}\n")
    feeds = folder / "feeds.yaml"
    feeds.write_text("cache: null\nsources:\n" + "".join(entries), "utf-8")
    return feeds, titles


def build(jobs: int = 2, leave_out: str = "") -> tuple[Digest, dict[str, str]]:
    """The digest of the corpus (without the publisher ``leave_out``), built as ``digest
    build`` builds it (no cache)."""
    from digest.config import load_config
    from digest.pipeline import build_digest

    with tempfile.TemporaryDirectory(prefix="group-e2e-") as tmp:
        feeds, titles = lay_out(Path(tmp), leave_out)
        return build_digest(load_config(feeds), use_cache=False, jobs=jobs), titles


def _eval_clusters() -> Any:
    if str(SCORER.parent) not in sys.path:
        sys.path.insert(0, str(SCORER.parent))
    import eval_clusters

    return eval_clusters


def unrelated(digest: Digest, topic_of: dict[str, str]) -> dict[str, Any]:
    """unrelated_pairs.py's figures for the topics ``topic_of`` (article id -> topic) of the
    canonical articles, over their gold bodies."""
    with tempfile.TemporaryDirectory(prefix="group-e2e-score-") as tmp:
        texts, pred = Path(tmp) / "texts.jsonl", Path(tmp) / "pred.jsonl"
        with texts.open("w", encoding="utf-8") as t, pred.open("w", encoding="utf-8") as p:
            for a in digest.articles:
                doc = Path(a.origin).stem
                gold = json.loads((CORPUS / "gold" / f"{doc}.json").read_text("utf-8"))
                t.write(json.dumps({"id": doc, "text": "\n\n".join(gold["body"])}) + "\n")
                p.write(json.dumps({"id": doc, "topic": topic_of[a.id]}) + "\n")
        out = subprocess.run([sys.executable, str(SCORER), str(texts), str(pred), "--json"],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)


def story_scores(digest: Digest, topic_of: dict[str, str]) -> dict[str, Any]:
    """B-cubed and pair scores of the topics against the stories the pages were made from:
    the ECB+ articles' story labels (``../stories/dev.jsonl``), each CNN/DailyMail article
    its own story; copies merged by dedupe count once, as canonical articles."""
    ec = _eval_clusters()
    story_of = {r["id"]: r["story"] for r in ec.load_jsonl(str(STORIES))}
    source_of = {}
    for line in (CORPUS / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        source_of[row["doc_id"]] = row["internal_id"].rsplit("__", 1)[0]
    gold = []
    for a in digest.articles:
        origin = source_of[Path(a.origin).stem]
        gold.append(story_of.get(origin, origin))
    return ec.evaluate(gold, [topic_of[a.id] for a in digest.articles])


def tfidf_baseline(digest: Digest) -> dict[str, str]:
    """The baseline's topics of the same canonical articles: eval_clusters.py's TF-IDF
    agglomerative clustering of title + text, its threshold tuned on the labelled DEV
    stories (realistic links, which it does not use)."""
    ec = _eval_clusters()
    threshold, _ = ec.tune_threshold(ec.load_jsonl(str(DEV_STORIES)), "title+text")
    dist = ec._tfidf_distance([f"{a.title}\n{a.text}" for a in digest.articles])
    labels = ec.agglomerative_labels(dist, threshold)
    return {a.id: f"baseline-{label}" for a, label in zip(digest.articles, labels, strict=True)}


def name_problems(name: str, member_texts: list[str], publishers: list[str]) -> list[str]:
    """Why a reader would reject ``name`` as a topic's headline (empty when they would not)."""
    problems = []
    words = [w.lower() for w in _WORD.findall(name)]
    if not words or name.strip().lower() in PLACEHOLDERS:
        return ["empty or placeholder"]
    if words[-1] in FUNCTION_WORDS or words[-1] in STOP_WORDS:  # the issue's own list too
        problems.append(f"ends on {words[-1]!r}")
    if name.rstrip().endswith(("…", "...")):
        problems.append("cut with an ellipsis")
    folded = " ".join(name.casefold().split())
    for publisher in publishers:
        p = " ".join(publisher.casefold().split())
        if p and (folded.startswith(p) or folded.endswith(p)):
            problems.append(f"carries the publisher {publisher!r}")
    for left, right in _PAIRS:
        if name.count(left) != name.count(right):
            problems.append(f"unbalanced {left}{right}")
    if name.count('"') % 2:
        problems.append('unbalanced "')
    content = {w for w in words if w not in FUNCTION_WORDS and len(w) > 2}
    seen = {w.lower() for text in member_texts for w in _WORD.findall(text)}
    if content and not content & seen:
        problems.append("no word of its articles")
    return problems


def rejected_names(digest: Digest, titles: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(name, problems) of every topic whose name a reader would reject."""
    by_id = {a.id: a for a in digest.articles}
    publishers = sorted({*titles, *titles.values()})
    out = []
    for topic in digest.topics:
        members = [by_id[i] for i in topic.article_ids if i in by_id]
        texts = [f"{a.title}\n{a.text}" for a in members]
        problems = name_problems(topic.name, texts, publishers)
        if problems:
            out.append((topic.name, problems))
    return out


def report(jobs: int = 2) -> list[str]:
    """The end-to-end figures, ours beside the TF-IDF baseline, as lines of Markdown."""
    digest, titles = build(jobs)
    ours = {a.id: a.topic or a.id for a in digest.articles}
    bad = rejected_names(digest, titles)
    sizes = Counter(len(t.article_ids) for t in digest.topics)
    lines = [
        f"End to end over {CORPUS.name}: {len(digest.articles)} canonical articles "
        f"({len(digest.duplicates)} copies merged); ours: {len(digest.topics)} topics "
        f"(largest {max(sizes) if sizes else 0}). Bars of issue 18: <= 2% of multi-article "
        "topics hold an unrelated pair, <= 3% of articles sit in one, no rejected name.",
        "",
        "| topics by | multi-article topics | holding an unrelated pair | articles in one "
        "| B3 P / R / F1 against the pages' stories | names a reader would reject |",
        "|---|---|---|---|---|---|",
    ]
    rows = [("ours (clean, dedupe, group as `digest build`)", ours, f"{len(bad)} of "
             f"{len(digest.topics)}"),
            ("TF-IDF title+text, agglomerative, tuned on DEV (baseline)",
             tfidf_baseline(digest), "(no names)")]
    for label, topic_of, names in rows:
        pairs = unrelated(digest, topic_of)
        story = story_scores(digest, topic_of)
        lines.append(f"| {label} | {pairs['multi_article_topics']} "
                     f"| {pairs['topics_with_unrelated_pair']:.1%} "
                     f"| {pairs['articles_in_such_topics']:.1%} | {story['bcubed_p']:.3f} / "
                     f"{story['bcubed_r']:.3f} / {story['bcubed_f1']:.3f} | {names} |")
    lines += ["", "Rejected names:" if bad else "Rejected names: none."]
    lines += [f"- {name!r}: {', '.join(problems)}" for name, problems in bad]
    return lines


def folds(jobs: int = 2) -> list[str]:
    """The same figures with each publisher left out in turn: nothing here is fitted on this
    corpus, and no one publisher's pages may be what the figures rest on."""
    lines = ["| left out | articles | multi-article topics | holding an unrelated pair "
             "| articles in one | B3 F1 | rejected names |", "|---|---|---|---|---|---|---|"]
    shares = []
    for publisher in publishers():
        digest, titles = build(jobs, publisher)
        topic_of = {a.id: a.topic or a.id for a in digest.articles}
        pairs = unrelated(digest, topic_of)
        story = story_scores(digest, topic_of)
        shares.append(pairs["topics_with_unrelated_pair"])
        lines.append(f"| {publisher} | {len(digest.articles)} | "
                     f"{pairs['multi_article_topics']} "
                     f"| {pairs['topics_with_unrelated_pair']:.1%} "
                     f"| {pairs['articles_in_such_topics']:.1%} | {story['bcubed_f1']:.3f} "
                     f"| {len(rejected_names(digest, titles))} |")
    shares.sort()
    lines.append(f"\nmedian over folds: {shares[len(shares) // 2]:.1%} of multi-article topics "
                 f"hold an unrelated pair (worst {shares[-1]:.1%})")
    return lines


if __name__ == "__main__":
    if not available():
        sys.exit(f"need {CORPUS / 'docs'} and {SCORER}")
    print("\n".join(report()))
    print()
    print("\n".join(folds()))
