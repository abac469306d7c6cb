"""Tags: the key phrases (names of people, places, bodies) that several articles share.

A candidate phrase is a run of capitalised words in an article's title,
standfirst or summary (a sentence's first word alone does not count: it is
capitalised by grammar, not by name). A candidate becomes a tag only when at
least :data:`MIN_ARTICLES` articles name it, so every tag page links articles
together; each article keeps its :data:`PER_ARTICLE` strongest tags.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from digest.records import Article
from digest.site.paths import free_slug, slugify
from digest.text import STOP_WORDS

MIN_ARTICLES = 2  # a tag shared by fewer articles links nothing together
PER_ARTICLE = 4  # tags shown on an article; more reads as noise
MAX_WORDS = 4  # longer capitalised runs are headline case, not names
_TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:['’\-][^\W_]+)*|[.!?:;,\"“”()]")
_SENTENCE_END = set(".!?:;\"“”(")
# weekday and month names are capitalised in English but name no story
_CALENDAR = frozenset(n.lower() for n in (*calendar.day_name, *calendar.month_name) if n)


@dataclass(frozen=True)
class Tag:
    slug: str  # the tag page's name: [a-z0-9-]
    name: str  # the phrase as most articles write it
    article_ids: tuple[str, ...]  # sorted by id


def scan(text: str) -> list[tuple[str, bool]]:
    """Runs of capitalised words in ``text`` (up to MAX_WORDS, not only stop words), each
    with whether it is a lone word at a sentence's start (a name only if written
    capitalised elsewhere too)."""
    found: list[tuple[str, bool]] = []
    run: list[str] = []
    run_at_start = False
    at_start = True
    for token in [*_TOKEN.findall(text), "."]:
        capital = token[0].isupper() and token not in _SENTENCE_END
        if capital and len(run) < MAX_WORDS:
            if not run:
                run_at_start = at_start
            run.append(token)
        else:
            _close(run, run_at_start, found)
            run = [token] if capital else []
            run_at_start = at_start
        at_start = token in _SENTENCE_END or (at_start and not token[0].isalpha())
    return found


def candidates(text: str) -> list[str]:
    """The phrases of ``text`` that are names by their own writing (see :func:`scan`)."""
    return [phrase for phrase, lone_initial in scan(text) if not lone_initial]


def _close(run: list[str], at_start: bool, found: list[tuple[str, bool]]) -> None:
    if run and run[-1][-2:] in ("'s", "’s"):  # "Carrowmore's budget" names Carrowmore
        run = [*run[:-1], run[-1][:-2]]
    while run and run[0].lower() in STOP_WORDS:
        run = run[1:]
        at_start = False
    while run and run[-1].lower() in STOP_WORDS:
        run = run[:-1]
    if not run or (len(run) == 1 and run[0].lower() in _CALENDAR) or all(
            len(w) < 2 for w in run):
        return
    found.append((" ".join(run), len(run) == 1 and at_start))


def article_phrases(article: Article) -> tuple[Counter[str], Counter[str]]:
    """Candidate phrases of one article, weighted (title 3, standfirst and summary 1): the
    names, and the lone sentence-initial words."""
    named: Counter[str] = Counter()
    lone: Counter[str] = Counter()
    for text, weight in ((article.title, 3), (article.standfirst, 1),
                         *((s, 1) for s in article.summary)):
        for phrase, lone_initial in scan(text):
            (lone if lone_initial else named)[phrase] += weight
    return named, lone


def build_tags(articles: Iterable[Article]) -> tuple[list[Tag], dict[str, list[Tag]]]:
    """Every tag (most articles first, then by name) and each article's tags (strongest
    first). Deterministic: the same articles give the same tags in any order."""
    phrases = {a.id: article_phrases(a) for a in sorted(articles, key=lambda a: a.id)}
    names = {slugify(p, "") for named, _ in phrases.values() for p in named}
    per_article: dict[str, Counter[str]] = {}
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article_id, (named, lone) in phrases.items():
        by_slug: Counter[str] = Counter()
        for phrase, weight in (*named.items(), *lone.items()):
            slug = slugify(phrase, "")
            if slug and slug in names:
                by_slug[slug] += weight
                spellings[slug][phrase] += 1
        per_article[article_id] = by_slug
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, by_slug in per_article.items():
        for slug in by_slug:
            members[slug].append(article_id)
    kept = {s: ids for s, ids in members.items() if len(ids) >= MIN_ARTICLES}
    # a reserved slug ("index") would overwrite the tag index: its page gets another name
    page_slug = {s: free_slug(s, kept) for s in kept}
    tags = {s: Tag(page_slug[s], min(spellings[s].items(), key=lambda kv: (-kv[1], kv[0]))[0],
                   tuple(ids))
            for s, ids in kept.items()}
    of_article: dict[str, list[Tag]] = {}
    for article_id, by_slug in per_article.items():
        ranked = sorted((s for s in by_slug if s in tags),
                        key=lambda s: (-by_slug[s], -len(tags[s].article_ids), s))
        of_article[article_id] = [tags[s] for s in ranked[:PER_ARTICLE]]
    ordered = sorted(tags.values(), key=lambda t: (-len(t.article_ids), t.name.casefold(), t.slug))
    return ordered, of_article
