"""Tags: the names (people, places, bodies, things) that several articles share.

Where a name comes from
    A candidate is a run of capitalised words in an article's title, standfirst or
    summary sentences. A run is a name by its own writing (*strong*) only in
    sentence-case text, mid-sentence, of at most :data:`MAX_WORDS` words, and not
    shouted. Every other run is *weak*: it counts only for the names that some
    article writes strongly, matched longest first. So "Flooding" opening a sentence
    is grammar while a lone "Dunmarrow" there is a name, and a Title Case headline
    ("Storm Hits Port Ardell Again") still yields "Port Ardell". Weak are: a lone
    word opening a sentence; the runs of a Title Case or shouted text; runs longer
    than :data:`MAX_WORDS`; capitals beyond a short acronym (a word in capitals of
    more than :data:`ACRONYM` letters, or two such words: "BREAKING NEWS"); a kicker
    before a colon opening a text ("Analysis:"). A dateline or kicker opening a
    text counts not at all: up to a dash, pipe or colon when it starts with a word
    in capitals ("PARIS —", "ROME:", "(WIRE) --", "WATCH:", "BBC News -"), or up to a
    dash after at most :data:`_DATELINE_WORDS` capitalised words ("Port Ardell —").
    Nor does an abbreviation before a full stop ("Dr."). A one-word name written in
    lower case at least as often as capitalised mid-sentence is a common word ("Day",
    "Police"). "the", possessives, clitics and elisions are trimmed, so a name's
    variants of case, possessive and article share one tag (its slug).

What is not a tag
    Publishers are not news. A phrase that is a publisher's name (a source's title,
    the site's title, an article's agency) or begins or ends with one ("Courier
    Live"), or that is a source's id or a person of a byline, is dropped. So is what a
    source says on every page, found by statistics that hold for any publisher: a
    text the source repeats word for word in :data:`TEMPLATE_REPEATS` of its articles
    says nothing of any one of them. A phrase that a source (of at least
    :data:`SOURCE_MIN` articles) sets at the very start or end of its titles (or of
    its standfirsts) in at least :data:`SOURCE_SHARE` of its articles, and
    :data:`SOURCE_RATIO` times as often as the other sources name it at all, is its
    branding there ("Giant Show 214: ..."): those places do not count, while the
    phrase still counts where it stands in the source's sentences, so a subject the
    source writes about often (its town, its field) stays a tag. Where those places
    hold at least :data:`SOURCE_OWN` of the source's mentions of it, the phrase is the
    source's own name, and no tag anywhere. With a single source there is nothing to
    compare: a phrase in at least :data:`SOURCE_MOST` of its articles picks none out.

Tags
    A name becomes a tag when at least :data:`MIN_ARTICLES` articles name it. A
    one-word name joins the longer tag it ends that stands in at least half of its
    articles too, and in more of them than any other such tag ("Okwe" joins "Jonah
    Okwe"; "Washington" stays apart from "George Washington"). Each article keeps its
    :data:`PER_ARTICLE` strongest tags (a title naming it 3, a standfirst or summary
    sentence 1), ties going to tags that span more sources. :func:`most_used` ranks
    tags for a reader: the more articles a source gives a tag, the less each counts,
    so a name that ties sources together comes before one that a single source
    repeats. Deterministic: the same articles in any order give the same tags.

The freeze rule
    Every statistic above is over the articles it is given, so one new day could
    give an old article a tag (a second article names it) or take one away (a name
    turns common, a source's branding is learnt). So tags are decided by the freeze
    rule of :mod:`digest.periods` (:func:`digest.pipeline.decide_tags`, over
    :func:`article_tags`): a frozen period's articles keep the tags decided over
    its step's articles, and only the open period's are decided again, over the
    open period's articles. :func:`gather` makes the digest's tags of what each
    article was given: a tag's page lists every article any step gave it.
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from digest.records import Article
from digest.site.paths import free_slug, slugify
from digest.text import STOP_WORDS

MIN_ARTICLES = 2  # a tag shared by fewer articles links nothing together
PER_ARTICLE = 4  # tags shown on an article; more reads as noise
MAX_WORDS = 4  # longer capitalised runs are headline case, not names
ACRONYM = 5  # letters of a word in capitals that can still be an acronym ("NATO")
SOURCE_MIN = 5  # articles of a source before its own phrases can be told by statistics
SOURCE_SHARE = 0.3  # share of them with a phrase at one field's edge: its furniture there...
SOURCE_RATIO = 4.0  # ...when at least this many times rarer in other sources' articles
SOURCE_OWN = 0.8  # ...and in that share of its mentions there: the source's own name
SOURCE_MOST = 0.5  # the only source: a phrase in this share of its articles is furniture
TEMPLATE_REPEATS = 3  # articles of one source holding one text word for word: its template
WEIGHTS = {"title": 3, "standfirst": 1, "summary": 1}  # a name's weight by where it stands
EDGE_FIELDS = ("title", "standfirst")  # where a page's furniture can stand (not sentences)

_TOKEN = re.compile(r"[^\W\d_][^\W_]*(?:['’\-][^\W_]+)*|[.!?:;,\"“”()|/·•—–-]")
_SENTENCE_END = set(".!?:;\"“”(")
_PUNCTUATION = set(".!?:;,\"“”()|/·•—–-")  # a name never runs across these
# weekday and month names are capitalised in English but name no story
_WEEKDAYS = frozenset(n.lower() for n in calendar.day_name)
_CALENDAR = _WEEKDAYS | {n.lower() for n in calendar.month_name if n}
# trimmed from a name's ends: function words ("the Hague"), but not "new" ("New Orleans");
# calendar words from its start ("April Talks"), but only weekdays from its end ("Kenya
# Tuesday": "Theresa May" keeps May)
_FUNCTION_WORDS = STOP_WORDS - {"new"}
_LEADING = _FUNCTION_WORDS | _CALENDAR
_TRAILING = _FUNCTION_WORDS | _WEEKDAYS
_POSSESSIVE = ("'s", "’s")
_CLITIC = re.compile(r"['’](?:m|re|ve|ll|d|t)$", re.IGNORECASE)  # I'm, we're, don't
_ELIDED = re.compile(r"^[^\W\d_]{1,2}['’](?=[^\W\d_])")  # l'Europe, d'Italia: "Europe"
# a text's lead up to a dash, pipe or colon: a dateline or kicker when it opens in capitals
_DASH_LEAD = re.compile(r"^[\s(\[]*([^—–|:]{2,60}?)\s*(—|–|--|\s-\s|\||:\s)\s*")
_DASHES = ("—", "–", "--")
_COLON_LEAD = re.compile(r"^\s*([^:.!?\"“”]{2,50}?)\s*:\s+(?=\S)")
_LEAD_WORDS = 6  # a longer lead is a sentence, not a dateline
_DATELINE_WORDS = 3  # a place's words before a dash opening a text: "Port Ardell — ..."
_KICKER_WORDS = 4  # a longer text before a colon is a sentence, not a kicker
_SLUG_CACHE = 200_000  # phrases whose slugs are remembered (the least used go first)


@dataclass(frozen=True)
class Tag:
    slug: str  # the tag page's name: [a-z0-9-]
    name: str  # the phrase as most articles write it
    article_ids: tuple[str, ...]  # sorted by id


@dataclass(frozen=True)
class Phrase:
    """A run of capitalised words of one text: ``strong`` when a name by its own writing;
    ``first`` and ``last`` when it opens or closes the text."""

    words: tuple[str, ...]
    strong: bool
    first: bool
    last: bool

    @property
    def text(self) -> str:
        return " ".join(self.words)


# --- reading one text ----------------------------------------------------------------------

@functools.lru_cache(maxsize=_SLUG_CACHE)
def _slug(phrase: str) -> str:
    """``slugify``, remembered: a corpus repeats its names thousands of times."""
    return slugify(phrase, "")


def _is_caps(word: str) -> bool:
    return word.isupper() and sum(ch.isalpha() for ch in word) >= 2


def _capital(token: str) -> bool:
    return token[0].isupper() and token not in _PUNCTUATION and not _CLITIC.search(token)


def _trim_possessive(word: str) -> str:
    for mark in _POSSESSIVE:
        if word.endswith(mark) and len(word) > len(mark) + 1:
            return word[:-len(mark)]
    return word


def _lead(text: str) -> tuple[list[str], str]:
    """A text's kicker words (weak) and the rest; a dateline is cut off with no words."""
    dash = _DASH_LEAD.match(text)
    if dash:
        words = [w for w in _TOKEN.findall(dash.group(1)) if w not in _PUNCTUATION]
        if words and len(words) <= _LEAD_WORDS and (_is_caps(words[0]) or (
                dash.group(2).strip() in _DASHES and len(words) <= _DATELINE_WORDS
                and all(w[0].isupper() for w in words))):
            return [], text[dash.end():]
    colon = _COLON_LEAD.match(text)
    if colon:
        words = [w for w in _TOKEN.findall(colon.group(1)) if w not in _PUNCTUATION]
        if 0 < len(words) <= _KICKER_WORDS:
            return words, text[colon.end():]
    return [], text


def _tokens(text: str) -> list[str]:
    out = []
    for token in _TOKEN.findall(text):
        elided = _ELIDED.match(token)
        if elided and token[0].islower():
            token = token[elided.end():]
        out.append(token)
    return out


def _headline_case(tokens: list[str]) -> bool:
    """Title Case (every longer word capitalised) or shouted (half in capitals): such
    capitals say nothing of names."""
    long = [t for t in tokens if len(t) >= 3 and t[0].isalpha() and t.lower() not in STOP_WORDS]
    if len(long) < 3:
        return False
    caps = sum(1 for t in long if _is_caps(t))
    return all(t[0].isupper() for t in long) or caps * 2 >= len(long)


def scan(text: str) -> list[Phrase]:
    """The capitalised runs of ``text``, strong and weak (see the module docstring)."""
    return read(text)[0]


def candidates(text: str) -> list[str]:
    """The phrases of ``text`` that are names by their own writing."""
    return [p.text for p in scan(text) if p.strong]


def read(text: str) -> tuple[list[Phrase], list[str]]:
    """The capitalised runs of ``text``, and its other words as written in lower case
    (folded, stop words left out)."""
    kicker, rest = _lead(text)
    found: list[Phrase] = []
    if kicker:
        found.append(Phrase(tuple(_trim_possessive(w) for w in kicker), False, True, False))
    tokens = _tokens(rest)
    words = [i for i, t in enumerate(tokens) if t not in _PUNCTUATION]
    if not words:
        return found, []
    lower = [_trim_possessive(t).casefold() for t in tokens
             if t[0].islower() and t.lower() not in STOP_WORDS]
    first_word, last_word = words[0], words[-1]
    headline = _headline_case(tokens)
    run: list[str] = []
    run_start = 0
    run_at_start = at_start = True
    skip = False

    def close(end: int) -> None:
        _close(run, run_at_start, headline, run_start == first_word, end == last_word, found)

    for i, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        capital = _capital(token)
        if (capital and not run and len(token) <= 3 and token[1:].islower()
                and i + 2 < len(tokens) and tokens[i + 1] == "." and _capital(tokens[i + 2])):
            skip = True  # "Dr. Okwe": an abbreviation, and no sentence ends at its stop
            at_start = False
            continue
        if capital:
            if not run:
                run_start, run_at_start = i, at_start
            at_start = False
            trimmed = _trim_possessive(token)
            run.append(trimmed)
            if trimmed is not token:  # a possessive ends a name: "Ardell's Old Town"
                close(i)
                run = []
            continue
        close(i - 1)
        run = []
        at_start = token in _SENTENCE_END or (at_start and not token[0].isalpha())
    close(last_word)
    return found, lower


def _close(run: list[str], at_start: bool, headline: bool, first: bool, last: bool,
           found: list[Phrase]) -> None:
    words = list(run)
    while words and words[0].lower() in _LEADING:
        words = words[1:]
        at_start = False
    while words and words[-1].lower() in _TRAILING:
        words = words[:-1]
        last = False
    if (not words or all(len(w) < 2 for w in words)
            or (len(words) == 1 and words[0].lower() in _CALENDAR)):
        return
    caps = [w for w in words if _is_caps(w)]
    shouted = len(caps) >= 2 or any(len(w) > ACRONYM for w in caps)
    strong = not (headline or shouted or len(words) > MAX_WORDS
                  or (len(words) == 1 and at_start))
    found.append(Phrase(tuple(words), strong, first, last))


def _resolve(phrase: Phrase, names: set[str]) -> list[tuple[str, bool]]:
    """The longest known names in a weak run, left to right, not overlapping; each with
    whether it opens or closes its text."""
    words = phrase.words
    out = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_WORDS), i, -1):
            text = " ".join(words[i:j])
            if _slug(text) in names:
                out.append((text, (phrase.first and i == 0) or (phrase.last and j == len(words))))
                i = j
                break
        else:
            i += 1
    return out


# --- the whole digest ----------------------------------------------------------------------

def _texts(article: Article) -> list[tuple[str, str]]:
    return [("title", article.title), ("standfirst", article.standfirst),
            *(("summary", s) for s in article.summary)]


Mention = tuple[str, str, bool]  # a name's slug, the field it stands in, at the field's edge


def build_tags(articles: Iterable[Article], publishers: Iterable[str] = ()
               ) -> tuple[list[Tag], dict[str, list[Tag]]]:
    """Every tag (most articles first, then by name) and each article's tags (strongest
    first). ``publishers`` are names that are never tags, nor begin or end one (the site's
    and the sources' titles); the articles' source ids, agencies and bylines are not tags
    either. Deterministic: the same articles give the same tags in any order."""
    ordered = sorted(articles, key=lambda a: a.id)
    source_of = {a.id: a.source for a in ordered}
    repeats: Counter[tuple[str, str]] = Counter()
    for a in ordered:
        repeats.update({(a.source, text) for _, text in _texts(a) if text})
    found: dict[str, list[tuple[str, Phrase]]] = {}
    common: Counter[str] = Counter()  # words written in lower case
    spellings: dict[str, Counter[str]] = defaultdict(Counter)  # each name's strong spellings
    for a in ordered:
        phrases: list[tuple[str, Phrase]] = []
        for field, text in _texts(a):
            if text and repeats[(a.source, text)] < TEMPLATE_REPEATS:
                runs, lower = read(text)
                common.update(lower)
                phrases += [(field, p) for p in runs]
        for _, p in phrases:
            if p.strong:
                spellings[_slug(p.text)][p.text] += 1
        found[a.id] = phrases
    names = {s for s, spelt in spellings.items() if s and not _common_word(spelt, common)}
    mentions: dict[str, list[Mention]] = {}
    for article_id, phrases in found.items():
        mentions[article_id] = [
            (_slug(text), field, edge) for field, p in phrases
            for text, edge in ([(p.text, p.first or p.last)] if p.strong else _resolve(p, names))
            if _slug(text) in names]
    furniture, own = _source_furniture(mentions, source_of)
    exact, affix = _publisher_slugs(ordered, publishers)
    affix |= own
    weights: dict[str, Counter[str]] = {}  # article -> name -> weight
    for article_id, said in mentions.items():
        by_slug: Counter[str] = Counter()
        for slug, field, edge in said:
            if not (edge and (source_of[article_id], slug, field) in furniture):
                by_slug[slug] += WEIGHTS[field]
        weights[article_id] = by_slug
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, by_slug in weights.items():
        for slug in by_slug:
            members[slug].append(article_id)
    kept = _merge_surnames({s: ids for s, ids in members.items()
                            if len(ids) >= MIN_ARTICLES and s not in exact
                            and not _affixed(s, affix)}, weights)
    page_slug = {s: free_slug(s, kept) for s in kept}
    tags = {s: Tag(page_slug[s], min(spellings[s].items(), key=lambda kv: (-kv[1], kv[0]))[0],
                   tuple(ids)) for s, ids in kept.items()}
    # an article's own tags are ranked by what the article says (its weight for each, then
    # the first mention), never by counts over the archive, so that an old article's page
    # does not change when new articles mention its names
    of_article: dict[str, list[Tag]] = {}
    for article_id, by_slug in weights.items():
        first = {slug: n for n, (slug, _, _) in reversed(list(enumerate(mentions[article_id])))}
        ranked = sorted((s for s in by_slug if s in tags),
                        key=lambda s: (-by_slug[s], first.get(s, len(first)), s))
        of_article[article_id] = [tags[s] for s in ranked[:PER_ARTICLE]]
    return (sorted(tags.values(), key=lambda t: (-len(t.article_ids), t.name.casefold(), t.slug)),
            of_article)


Given = tuple[tuple[str, str], ...]  # an article's tags: (tag page slug, name), strongest first


def article_tags(articles: Iterable[Article], publishers: Iterable[str] = ()
                 ) -> dict[str, Given]:
    """Each article's tags by :func:`build_tags`, as plain pairs (what the pipeline decides
    and keeps, :func:`digest.pipeline.decide_tags`); articles without tags are left out."""
    _, of_article = build_tags(articles, publishers)
    return {i: tuple((t.slug, t.name) for t in given)
            for i, given in of_article.items() if given}


def gather(given: Mapping[str, Given]) -> tuple[list[Tag], dict[str, list[Tag]]]:
    """The tags of a digest from each article's (decided by periods, so an article of a
    frozen period keeps what its period gave it): every tag, most articles first, then by
    name, listing every article given it, and each article's tags under the names it was
    given. A tag's own name is the one most of its articles were given, ties by name."""
    members: dict[str, list[str]] = defaultdict(list)
    spelt: dict[str, Counter[str]] = defaultdict(Counter)
    for article_id, pairs in given.items():
        for slug, name in pairs:
            members[slug].append(article_id)
            spelt[slug][name] += 1
    ids = {slug: tuple(sorted(found)) for slug, found in members.items()}
    tags = [Tag(slug, min(spelt[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0], ids[slug])
            for slug in members]
    of_article = {i: [Tag(slug, name, ids[slug]) for slug, name in pairs]
                  for i, pairs in given.items()}
    return (sorted(tags, key=lambda t: (-len(t.article_ids), t.name.casefold(), t.slug)),
            of_article)


def most_used(tags: Iterable[Tag], source_of: Mapping[str, str]) -> list[Tag]:
    """``tags`` for a reader, most used first: each source's articles count as the square
    root of their number, so a name several sources share outranks one that a single
    source repeats (with one source, this is simply most articles first)."""
    def weight(tag: Tag) -> float:
        per_source = Counter(source_of.get(i, "") for i in tag.article_ids)
        return sum(math.sqrt(n) for n in per_source.values())

    return sorted(tags, key=lambda t: (-weight(t), -len(t.article_ids), t.name.casefold(),
                                       t.slug))


def _common_word(spellings: Counter[str], common: Counter[str]) -> bool:
    """A one-word name written in lower case at least as often as capitalised mid-sentence
    is a common word ("Day", "Police"); a word in capitals is an acronym either way."""
    top = min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if " " in top or _is_caps(top):
        return False
    return common[top.casefold()] >= sum(spellings.values())


def _name_slugs(name: str) -> set[str]:
    """A publisher's name as slugs: itself, without "the", its capitalised runs, and the
    labels of a host name ("bbc.co.uk" -> "bbc")."""
    slugs = {_slug(name), *(_slug(p.text) for p in scan(name))}
    words = name.split()
    if len(words) > 1 and words[0].lower() == "the":
        slugs.add(_slug(" ".join(words[1:])))
    if "." in name and len(words) == 1:
        slugs |= {_slug(label) for label in name.lower().split(".")[:-1]
                  if len(label) >= 3 and label != "www"}
    slugs.discard("")
    return slugs


def _publisher_slugs(articles: list[Article], publishers: Iterable[str]
                     ) -> tuple[set[str], set[str]]:
    """Slugs that name a publisher: those no tag may be (source ids, and the people and
    agencies of bylines, names of two words or more: "Jane Doe in Kyiv" keeps Kyiv), and
    those no tag may be, begin or end with (the given names and agencies; a given name
    that is only a source's id, as a source without a title is labelled, is of the first
    kind: a source named "world" leaves "World Cup" alone)."""
    exact = {_slug(a.source) for a in articles}
    affix: set[str] = set()
    for name in {*publishers, *(a.agency for a in articles)} - {""}:
        affix |= _name_slugs(name) - exact
    for byline in {a.byline for a in articles} - {""}:
        exact.add(_slug(byline))
        exact |= {_slug(p.text) for p in scan(byline) if len(p.words) >= 2}
    exact.discard("")
    return exact, affix


def _affixed(slug: str, names: set[str]) -> bool:
    """``slug`` is one of ``names``, or begins or ends with one (as whole words)."""
    if slug in names:
        return True
    parts = slug.split("-")
    return any("-".join(parts[:k]) in names or "-".join(parts[k:]) in names
               for k in range(1, len(parts)))


def _source_furniture(mentions: dict[str, list[Mention]], source_of: dict[str, str]
                      ) -> tuple[set[tuple[str, str, str]], set[str]]:
    """The places (source, name, field) where a source sets a phrase as furniture, and
    the phrases that are a source's own wherever they stand (see the module docstring)."""
    size: Counter[str] = Counter(source_of.values())
    total = sum(size.values())
    named: dict[str, Counter[str]] = defaultdict(Counter)  # name -> source -> articles
    at_edge: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # -> field -> articles
    said_by: Counter[tuple[str, str]] = Counter()  # (source, name) -> mentions
    for article_id, said in mentions.items():
        source = source_of[article_id]
        for slug in {m[0] for m in said}:
            named[slug][source] += 1
        for slug, field in {(m[0], m[1]) for m in said if m[2]}:
            at_edge[(slug, source)][field] += 1
        said_by.update((source, m[0]) for m in said)
    places: set[tuple[str, str, str]] = set()
    for slug, by_source in named.items():
        overall = sum(by_source.values())
        for source, count in by_source.items():
            n = size[source]
            if n < SOURCE_MIN:
                continue
            others = total - n
            elsewhere = (overall - count) / others if others else 0.0
            for field, edge in at_edge.get((slug, source), Counter()).items():
                if (field in EDGE_FIELDS and edge >= SOURCE_SHARE * n
                        and elsewhere * SOURCE_RATIO <= edge / n):
                    places.add((source, slug, field))
    furnished: Counter[tuple[str, str]] = Counter()
    for article_id, said in mentions.items():
        source = source_of[article_id]
        furnished.update((source, slug) for slug, field, edge in said
                         if edge and (source, slug, field) in places)
    own = {slug for (source, slug), n in furnished.items()
           if n >= SOURCE_OWN * said_by[(source, slug)]}
    if len(size) == 1:
        own |= {slug for slug, by_source in named.items()
                if total >= SOURCE_MIN and sum(by_source.values()) >= SOURCE_MOST * total}
    return places, own


def _merge_surnames(kept: dict[str, list[str]], weights: dict[str, Counter[str]]
                    ) -> dict[str, list[str]]:
    """One-word names joined to the longer name they end ("Okwe" -> "Jonah Okwe") that
    stands in at least half of their articles, and in more than any other such name does;
    ``weights`` follow."""
    ending: dict[str, list[str]] = defaultdict(list)
    for slug in sorted(kept):
        parts = slug.split("-")
        if len(parts) > 1:
            ending[parts[-1]].append(slug)
    merged = dict(kept)
    for slug in sorted(kept):
        if "-" in slug or slug not in ending:
            continue
        ids = kept[slug]
        together = sorted(((sum(1 for i in ids if full in weights[i]), full)
                           for full in ending[slug]), reverse=True)
        (most, full), runner_up = together[0], together[1][0] if len(together) > 1 else 0
        if most * 2 < len(ids) or most == runner_up:
            continue
        for article_id in ids:
            weights[article_id][full] += weights[article_id].pop(slug)
        merged[full] = sorted({*merged[full], *ids})
        del merged[slug]
    return merged
