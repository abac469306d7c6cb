"""Names, stable ids and timelines of topics."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from unidecode import unidecode

from digest.group.similarity import day_number, word_tokens
from digest.headline import CLAUSE_WORDS
from digest.records import GroupItem
from digest.summarize.sentences import split_sentences
from digest.text import STOP_WORDS, content_words, paragraphs, words

NAME_MAX_WORDS = 14  # longer titles and leads are cut at a phrase boundary...
NAME_LONG_MAX_WORDS = 22  # ...and one with no boundary to cut at is kept whole up to this
SLUG_WORDS = 6  # words of the anchor title kept in the topic id
ID_HASH_CHARS = 10  # hex digits of the anchor article's id hash: unique across 20k+ topics
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def timeline(members: Sequence[int], items: Sequence[GroupItem]) -> list[int]:
    """Members oldest first by date, undated last, ties by article id."""

    def key(i: int) -> tuple[bool, float, str]:
        day = day_number(items[i].date)
        return (day is None, day if day is not None else 0.0, items[i].id)

    return sorted(members, key=key)


def topic_id(anchor: GroupItem) -> str:
    """A file-name-safe id (``[a-z0-9-]``) derived from the topic's oldest article.

    The oldest article of a story stays its oldest when later articles join,
    so the id survives daily rebuilds as the topic grows; the hash of the
    article's id keeps two topics with alike titles apart.
    """
    words = _NOT_SLUG.sub(" ", unidecode(anchor.title).replace("'", "").lower()).split()
    slug = "-".join(words[:SLUG_WORDS])
    digest = hashlib.sha1(anchor.id.encode("utf-8")).hexdigest()[:ID_HASH_CHARS]
    return f"{slug}-{digest}" if slug else f"topic-{digest}"


def centrality(n: int, groups: Sequence[Sequence[int]], left: np.ndarray, right: np.ndarray,
               weight: np.ndarray) -> dict[int, float]:
    """Each node's summed pair probability to the other members of its group.

    The pairs are ``(left[p], right[p])`` with probability ``weight[p]``.
    """
    group_of = np.zeros(n, dtype=np.int64)
    for k, members in enumerate(groups):
        group_of[list(members)] = k
    inside = group_of[left] == group_of[right]
    score = (np.bincount(left[inside], weights=weight[inside], minlength=n)
             + np.bincount(right[inside], weights=weight[inside], minlength=n))
    return dict(enumerate(score.tolist()))


# --- names -------------------------------------------------------------------------------
#
# A topic's name is a member title that reads as a headline, else the lead sentence of the
# most central member cut at a phrase boundary. What is not news is found by structure and by
# statistics over all the items (:func:`naming_rules`), never by lists of one publisher's
# phrases: a kicker ("WATCH:", "Analysis |") is a short leading segment that recurs at the
# start of titles of many stories; a publisher's suffix recurs at their end; a time stamp has
# the shape of one; page furniture ("scroll down for video") is a short line that recurs in
# the titles or texts of unrelated stories.

MIN_NAME_WORDS = 3  # fewer words name a section, a kicker or a stamp, not a story
MIN_CONTENT_WORDS = 2  # ... and so do titles of function words
MIN_PHRASE_WORDS = 5  # a cut nearer the start of a sentence says too little
LEAD_MIN_WORDS = 8  # shorter lines in a text are captions, credits and furniture, not its lead
GOOD_PHRASE_WORDS = 8  # a cut this far in keeps enough: a stronger boundary wins over length
KICKER_MAX_WORDS = 4  # longest leading (or trailing) segment read as a kicker or an affix
FURNITURE_MAX_WORDS = 10  # longest line read as page furniture
LEARN_MIN = 3  # a segment or line recurring in this many stories (distinct remainders) is learnt
SAME_STORY = 0.25  # content-word overlap (Jaccard) at which two items tell one story
STORY_WORDS = 60  # content words of an item's text that say what it is about
FUNCTION_SHARE = 0.3  # a short word in this share of a language's items is a function word
FUNCTION_MIN_ITEMS = 8  # fewer items of a language teach nothing about its function words
FUNCTION_SAMPLE_WORDS = 60  # words of each text read: a language shows in its first lines
FUNCTION_MAX_CHARS = 5  # function words are short: longer frequent words are the news
ENGLISH_SHARE = 0.15  # items whose words are this much English stop words are English
ELLIPSIS = "…"

#: Words a name may be cut before: conjunctions, prepositions and clause openers.
CUT_BEFORE = CLAUSE_WORDS | frozenset(
    ("or", "nor", "so", "yet", "in", "on", "at", "for", "to", "from", "by", "over", "under",
     "into", "against", "during", "between", "than", "via", "per"))
#: What software writes where a title is missing (not a publisher's phrase).
PLACEHOLDERS = frozenset(("untitled", "no title", "title", "none", "null", "undefined", "n a",
                          "nan", "empty", "headline", "untitled document"))

_SEPARATOR = re.compile(r"\s*\|\s*|\s*[:•·](?=\s)\s*|\s+[-–—/]+\s+")
_TIME = re.compile(r"\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?|\d{4}-\d{1,2}-\d{1,2}"
                   r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}", re.IGNORECASE)
_TRAILING = " ,;:|/-–—·•([{“‘«\"'"
_DOTS = re.compile(r"(?:\s*(?:…|\.\.\.+))+$")
# a last word shaped like a title abbreviation ("Dr.", "St."): a headline a sentence
# splitter cut short, not one that ends there
_CUT_AT_ABBREVIATION = re.compile(r"\s[A-Z][a-z]{1,2}\.$")
SUPPORT_PEERS = 50  # the most central members a name's words are looked for in...
SUPPORT_WORDS = 80  # ...in their title and this many first words of their text
# a name whose content words the other members share less than this (mean share) names one
# article's angle (a pun, a quote), not the story: any better-supported name wins over it
WEAK_SUPPORT = 0.2
_OPENERS = {"(": ")", "[": "]", "“": "”", "«": "»"}


def key(text: str) -> str:
    """``text`` as compared with learnt and given strings: its casefolded words, one space
    apart, every number read as ``0`` ("Updated 13:27 CET" -> "updated 0 0 cet"); a key is its
    own key."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("0" if w.isdigit() else w for w in words(folded))


def _keys(strings: Iterable[str]) -> frozenset[str]:
    return frozenset(k for k in map(key, strings) if k)


@dataclass(frozen=True)
class NameRules:
    """What :func:`topic_name` leaves out of names, and the words a name does not end on.

    Strings are compared by :func:`key` (casefolded words, numbers as ``0``), so any spelling
    may be given: ``publishers`` (feed names and titles, learnt title affixes; a leading "The"
    is optional), ``kickers`` (leading or trailing title segments that are not news: learnt
    kickers and affixes), ``furniture`` (whole lines that are not news: learnt stamps and
    instructions to the reader), ``stop_words`` (words a name never ends on).
    """

    publishers: frozenset[str] = frozenset()
    stop_words: frozenset[str] = STOP_WORDS
    kickers: frozenset[str] = frozenset()
    furniture: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        publishers = _keys(self.publishers)
        publishers |= {p[4:] for p in publishers if p.startswith("the ") and len(p) > 4}
        object.__setattr__(self, "publishers", frozenset(publishers))
        object.__setattr__(self, "kickers", _keys(self.kickers))
        object.__setattr__(self, "furniture", _keys(self.furniture))
        object.__setattr__(self, "stop_words", frozenset(w.casefold() for w in self.stop_words))


def naming_rules(items: Sequence[GroupItem], publishers: Iterable[str] = (),
                 stop_words: frozenset[str] | None = None) -> NameRules:
    """The rules for naming the topics of ``items``, learnt from all of them.

    Learnt: kickers and affixes (short leading or trailing title segments, set off by a
    separator, before or after at least ``LEARN_MIN`` different remainders), furniture (short
    title segments or text lines in at least ``LEARN_MIN`` unrelated stories) and the function
    words of languages other than English (short words in ``FUNCTION_SHARE`` of a script's
    non-English items), added to ``stop_words`` (``STOP_WORDS`` if not given).
    Deterministic: the rules do not depend on the order of the items.
    """
    stops = (STOP_WORDS if stop_words is None else stop_words) | function_words(items)
    return NameRules(publishers=frozenset(publishers), stop_words=frozenset(stops),
                     kickers=learn_affixes(items), furniture=learn_furniture(items))


def _segments(title: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of ``title`` between separators (" | ", ": ", " - ")."""
    spans, start = [], 0
    for m in _SEPARATOR.finditer(title):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(title):
        spans.append((start, len(title)))
    return spans


def learn_affixes(items: Sequence[GroupItem]) -> frozenset[str]:
    """Keys of short leading or trailing title segments seen before or after at least
    ``LEARN_MIN`` different remainders: kickers ("WATCH:") and publishers' suffixes."""
    rests: dict[str, set[str]] = {}
    for item in items:
        title = " ".join(item.title.split())
        spans = _segments(title)
        if len(spans) < 2:
            continue
        for part, rest in ((spans[0], title[spans[1][0]:]), (spans[-1], title[:spans[-2][1]])):
            segment = key(title[part[0]:part[1]])
            if segment and len(segment.split()) <= KICKER_MAX_WORDS:
                rests.setdefault(segment, set()).add(key(rest))
    return frozenset(k for k, seen in rests.items() if len(seen) >= LEARN_MIN)


def _story_words(item: GroupItem, line: str) -> frozenset[str]:
    """Content words an item's title and text begin with, without the words of ``line``."""
    own = set(words(line))
    found = [w for w in content_words(f"{item.title}\n{item.text}") if w not in own]
    return frozenset(found[:STORY_WORDS])


def _stories(members: Sequence[GroupItem], line: str, enough: int = LEARN_MIN) -> int:
    """How many different stories the items tell (counted up to ``enough``), judged by their
    content words: an item joins the first story whose first item it overlaps by
    ``SAME_STORY``; items with no words but ``line``'s are one story (copies of a title-only
    item)."""
    firsts: list[frozenset[str]] = []
    blank = False
    for item in sorted(members, key=lambda x: (x.id, x.title, x.text)):
        mine = _story_words(item, line)
        if not mine:
            blank = True
        elif not any(len(mine & f) >= SAME_STORY * len(mine | f) for f in firsts):
            firsts.append(mine)
        if len(firsts) + blank >= enough:
            break
    return len(firsts) + blank


def _lines(item: GroupItem) -> set[str]:
    """The short lines of an item that could be furniture: its title, the title's segments,
    and the text's lines of at most ``FURNITURE_MAX_WORDS`` words."""
    title = " ".join(item.title.split())
    found = {title} | {title[a:b] for a, b in _segments(title)}
    found |= {line for line in item.text.splitlines()
              if 0 < len(line.split()) <= FURNITURE_MAX_WORDS}
    return {k for k in map(key, found) if k}


def learn_furniture(items: Sequence[GroupItem]) -> frozenset[str]:
    """Keys of short lines (titles, title segments, text lines) found in at least
    ``LEARN_MIN`` different stories: page furniture, stamps, placeholders. A headline copied
    by many sources is one story, and so not furniture."""
    holders: dict[str, list[GroupItem]] = {}
    for item in items:
        for line in _lines(item):
            holders.setdefault(line, []).append(item)
    return frozenset(line for line, found in holders.items()
                     if len(found) >= LEARN_MIN and _stories(found, line) >= LEARN_MIN)


def _script(text: str) -> str:
    """The script of the first letter of ``text`` ("LATIN", "CYRILLIC"...); "" if none."""
    for ch in text:
        if ch.isalpha():
            return unicodedata.name(ch, "?").split()[0]
    return ""


def function_words(items: Sequence[GroupItem]) -> frozenset[str]:
    """Short words found in ``FUNCTION_SHARE`` of the non-English items of one script (with
    at least ``FUNCTION_MIN_ITEMS`` of them): the function words of their language(s). Each
    item is read by its title and first ``FUNCTION_SAMPLE_WORDS`` words."""
    found: dict[str, list[set[str]]] = {}
    for item in items:
        lead = item.text.split(maxsplit=FUNCTION_SAMPLE_WORDS)[:FUNCTION_SAMPLE_WORDS]
        tokens = word_tokens(f"{item.title}\n{' '.join(lead)}")
        if not tokens or sum(t in STOP_WORDS for t in tokens) >= ENGLISH_SHARE * len(tokens):
            continue
        found.setdefault(_script(" ".join(tokens)), []).append(set(tokens))
    learnt: set[str] = set()
    for vocabularies in found.values():
        if len(vocabularies) < FUNCTION_MIN_ITEMS:
            continue
        share = Counter(w for v in vocabularies for w in v)
        learnt |= {w for w, n in share.items() if n >= FUNCTION_SHARE * len(vocabularies)
                   and len(w) <= FUNCTION_MAX_CHARS and not any(c.isdigit() for c in w)}
    return frozenset(learnt)


# --- judging and cutting a candidate name ---------------------------------------------------

def _is_stamp(segment: str) -> bool:
    """Whether ``segment`` has the shape of a time stamp: a time or date with at most three
    other words ("Updated 13:27 CET"), or a number with at most two lower-case words
    ("5 hours ago")."""
    tokens = segment.split()
    if len(tokens) > 4:  # (a headline: neither shape)
        return False
    if _TIME.search(segment):
        return True
    numbers = [t for t in tokens if any(c.isdigit() for c in t)]
    rest = [t for t in tokens if t not in numbers]
    return len(numbers) == 1 and len(tokens) <= 3 and all(t == t.lower() for t in rest)


def _is_publisher(text: str, rules: NameRules) -> bool:
    return key(text) in rules.publishers


def _publisher_prefix(text: str, rules: NameRules) -> bool:
    """Whether ``text`` begins (or ends) with the words of a publisher's name."""
    k = key(text)
    return any(k == p or k.startswith(p + " ") or k.endswith(" " + p) for p in rules.publishers)


def _is_caps_kicker(segment: str, longest: int = 5) -> bool:
    """An all-capitals segment of at most ``KICKER_MAX_WORDS`` words with a word of
    ``longest`` letters or more ("WATCH", "BREAKING NEWS"; in a title "US" or "NATO" may be
    names, in a lead a dateline is one of any length)."""
    tokens = segment.split()
    if len(tokens) > KICKER_MAX_WORDS:
        return False
    letters = [c for c in segment if c.isalpha()]
    return (bool(letters) and all(c.isupper() for c in letters)
            and any(sum(c.isalpha() for c in w) >= longest for w in tokens))


def _not_news(segment: str, rules: NameRules) -> bool:
    """Whether a title segment is furniture: empty, a placeholder, a learnt kicker, affix or
    furniture line, a publisher's name, or a time stamp."""
    k = key(segment)
    return (not k or k in PLACEHOLDERS or k in rules.kickers or k in rules.furniture
            or k in rules.publishers or _is_stamp(segment))


def _last_word(text: str) -> str:
    found = words(text)
    return found[-1] if found else ""


def _tidy(text: str, rules: NameRules) -> str:
    """``text`` without trailing separators, dots and stop words (a name never ends on one);
    "" if nothing else is left."""
    text = " ".join(text.split())
    while True:
        before = text
        text = _DOTS.sub("", text).rstrip(_TRAILING)
        last = _last_word(text)
        if last in rules.stop_words:
            head, _, tail = text.rpartition(" ")
            text = head if words(tail) and words(tail)[-1] == last else text
            if text == before:  # one word, or the stop word glued to others ("x/the")
                return ""
        if text == before:
            return text if words(text) else ""


def _balanced(text: str) -> bool:
    """No bracket or quotation left open (straight double quotes come in pairs)."""
    return (all(text.count(o) <= text.count(c) for o, c in _OPENERS.items())
            and text.count('"') % 2 == 0)


def _strength(tokens: Sequence[str], k: int, rules: NameRules) -> int:
    """How good a boundary lies before ``tokens[k]``: 2 after a comma, semicolon, colon or
    before a dash; 1 before a conjunction or preposition; 0 before another stop word; -1 none."""
    following = words(tokens[k])
    if tokens[k - 1][-1] in ",;:，；：،" or tokens[k] in ("-", "–", "—"):
        return 2
    if following and following[0] in CUT_BEFORE:
        return 1
    return 0 if following and following[0] in rules.stop_words else -1


def shorten(text: str, rules: NameRules, limit: int = NAME_MAX_WORDS) -> str:
    """``text`` (one sentence or title) in at most ``limit`` words.

    A longer text is cut at the phrase boundary that keeps most (after a comma, before a
    dash, a conjunction or a preposition; one at least ``GOOD_PHRASE_WORDS`` in preferred,
    stronger boundaries first), never nearer the start than ``MIN_PHRASE_WORDS`` words, and
    with no "…"; when there is none, a text of at most ``NAME_LONG_MAX_WORDS`` words is kept
    whole, and only a longer one is cut at a word and marked "…". Never ends on one of
    ``rules.stop_words``; "" if ``text`` has nothing else.
    """
    tokens = text.split()
    if len(tokens) <= limit:
        return _tidy(text, rules)
    best: tuple[bool, int, int] | None = None
    for k in range(min(MIN_PHRASE_WORDS, limit), limit + 1):
        strength = _strength(tokens, k, rules)
        head = " ".join(tokens[:k]).rstrip(_TRAILING)
        if (strength >= 0 and head and _last_word(head) not in rules.stop_words
                and words(head) and _balanced(head)):
            rank = (k >= GOOD_PHRASE_WORDS, strength, k)
            best = rank if best is None or rank > best else best
    if best is not None:
        return _tidy(" ".join(tokens[:best[2]]), rules)
    if len(tokens) <= NAME_LONG_MAX_WORDS and _balanced(text):
        return _tidy(text, rules)  # a long headline reads better than one cut mid-phrase
    head = _tidy(" ".join(tokens[:limit]), rules)
    return head + ELLIPSIS if head else ""


def _phrase_head(text: str, rules: NameRules) -> str:
    """``text`` up to its last phrase boundary (as :func:`shorten` finds them) that leaves
    ``MIN_NAME_WORDS`` words or more; ``text`` itself if there is none."""
    tokens = text.split()
    for k in range(len(tokens) - 1, MIN_NAME_WORDS - 1, -1):
        head = " ".join(tokens[:k]).rstrip(_TRAILING)
        if (_strength(tokens, k, rules) >= 1 and _last_word(head) not in rules.stop_words
                and _balanced(head)):
            return head
    return text


def _headline_like(name: str, rules: NameRules) -> bool:
    """Whether ``name`` names a story: ``MIN_NAME_WORDS`` words or more, of which
    ``MIN_CONTENT_WORDS`` are neither stop words nor numbers, not all capitals."""
    found = words(name)
    content = [w for w in found if w not in rules.stop_words and not w.isdigit() and len(w) > 1]
    return (len(name.split()) >= MIN_NAME_WORDS and len(content) >= MIN_CONTENT_WORDS
            and not _is_caps_kicker(name))


def _final(name: str, rules: NameRules) -> str:
    """``name`` if it may be a topic's name, else "": it has a word, is no placeholder, learnt
    furniture or publisher, does not begin or end with a publisher's name, does not end on a
    stop word, leaves no bracket or quotation open, and has at most
    ``NAME_LONG_MAX_WORDS`` words."""
    k = key(name)
    if (not words(name) or k in PLACEHOLDERS or k in rules.furniture or not _balanced(name)
            or _publisher_prefix(name, rules) or len(name.split()) > NAME_LONG_MAX_WORDS):
        return ""
    return name if _last_word(name) not in rules.stop_words else ""


# --- candidates ------------------------------------------------------------------------------

CLEAN, STRIPPED, CUT, LEAD, SHORT = range(5)  # how good a candidate is, best first


def title_name(title: str, rules: NameRules) -> tuple[int, str]:
    """A name made from one title and how good it is (``CLEAN`` ... ``SHORT``); ``(SHORT,
    "")`` when the title has nothing to name a story with.

    Leading and trailing segments that are not news (:func:`_not_news`, and an unlearnt
    all-capitals kicker) are cut off while a segment is left; a title the source cut ("…",
    or ending on a stop word) or longer than ``NAME_MAX_WORDS`` words is cut at a phrase
    boundary by :func:`shorten`.
    """
    text = " ".join(title.split())
    if not text or key(text) in PLACEHOLDERS or key(text) in rules.furniture:
        return SHORT, ""
    spans = _segments(text)
    if not spans:
        return SHORT, ""
    first, last = 0, len(spans) - 1
    while first < last and (_not_news(text[slice(*spans[first])], rules)
                            or _is_caps_kicker(text[slice(*spans[first])])):
        first += 1
    while last > first and _not_news(text[slice(*spans[last])], rules):
        last -= 1
    core = text[spans[first][0]:spans[last][1]]
    if _not_news(core, rules) or _is_caps_kicker(core):
        return SHORT, ""
    cut_by_source = (bool(_DOTS.search(core)) or _last_word(core) in rules.stop_words
                     or bool(_CUT_AT_ABBREVIATION.search(core)))
    if _DOTS.search(core):  # its last phrase may be cut short
        core = _phrase_head(_DOTS.sub("", core), rules)
    elif _CUT_AT_ABBREVIATION.search(core):  # the word after the abbreviation is missing
        core = _phrase_head(core.rsplit(" ", 1)[0], rules)
    elif _last_word(core) in rules.stop_words:  # "... after 96 years": end on a phrase
        core = _phrase_head(core, rules)
    name = _final(shorten(core, rules), rules)
    if not name:
        return SHORT, ""
    if not _headline_like(name, rules):
        return SHORT, name
    if cut_by_source or len(core.split()) > NAME_MAX_WORDS:
        return CUT, name
    return (STRIPPED if (first, last) != (0, len(spans) - 1) else CLEAN), name


def lead_name(text: str, rules: NameRules) -> str:
    """A name from the lead of an article's text: its first sentence of ``LEAD_MIN_WORDS``
    words or more (else its first sentence) that reads as a headline once its leading kicker
    or dateline segment is cut off (furniture lines and stamps are passed over), cut at a
    phrase boundary by :func:`shorten`; "" if none."""
    sentences = [sentence for paragraph in paragraphs(text) if key(paragraph) not in
                 rules.furniture for sentence in split_sentences(" ".join(paragraph.split()))]
    full = [s for s in sentences if len(s.split()) >= LEAD_MIN_WORDS]
    for sentence in full or sentences:
        spans = _segments(sentence)
        while len(spans) > 1 and (_not_news(sentence[slice(*spans[0])], rules)
                                  or _is_caps_kicker(sentence[slice(*spans[0])], 2)):
            spans = spans[1:]
        if not spans:
            continue
        body = sentence[spans[0][0]:]
        if key(body) in rules.furniture or _is_stamp(body):
            continue
        body = body.rstrip(".。!")
        if _last_word(body) in rules.stop_words:
            body = _phrase_head(body, rules)
        name = _final(shorten(body, rules), rules)
        if name and _headline_like(name, rules):
            return name
    return ""


def _salvage(item: GroupItem, rules: NameRules) -> str:
    """The first words of an item's title, else of its text, that are not stop words, not a
    publisher's name and no placeholder: a last resort; "" if there are none."""
    for text in (item.title, item.text):
        kept = [t for t in text.split() if words(t) and words(t)[-1] not in rules.stop_words]
        while kept and _publisher_prefix(" ".join(kept[:1]), rules):
            kept = kept[1:]
        name = _final(" ".join(kept[:NAME_MAX_WORDS]), rules)
        if name:
            return name
    return ""


def _headline_words(item: GroupItem) -> frozenset[str]:
    """The words of an item's title and the first ``SUPPORT_WORDS`` words of its text."""
    return frozenset(words(item.title)) | frozenset(words(" ".join(
        item.text.split()[:SUPPORT_WORDS])))


def _support(name: str, own: int, vocabulary: Mapping[int, frozenset[str]],
             rules: NameRules) -> float:
    """How well ``name`` (from member ``own``) names the whole topic: the mean share of its
    content words found in each other member's title and lead (``vocabulary``). A headline
    whose words the other articles share names the story; a pun or a quote does not."""
    content = {w for w in words(name) if w not in rules.stop_words and len(w) > 1}
    others = [v for i, v in vocabulary.items() if i != own]
    if not content or not others:
        return 0.0
    return sum(len(content & v) for v in others) / (len(content) * len(others))


def topic_name(members: Sequence[int], items: Sequence[GroupItem],
               score: Mapping[int, float], rules: NameRules = NameRules()) -> str:  # noqa: B008
    """A headline naming the topic: a member's title, else the most central lead.

    Candidates, best first: titles that are clean headlines; titles once a kicker,
    publisher's name, stamp or furniture segment is cut off; titles cut at a phrase boundary
    (too long, or cut by their source); the lead sentence of an article, cut at a phrase
    boundary (:func:`lead_name`); titles too short to name a story. A name whose words the
    other members hardly share (:func:`_support` below ``WEAK_SUPPORT``: one article's pun
    or quote) comes after all others. Within one kind the name whose words the other
    members share most wins (it names the story, not one article's angle on it), then the
    more central member (``score``, see :func:`centrality`), then the older
    (:func:`timeline`).

    Guaranteed: non-empty; at most ``NAME_MAX_WORDS`` words, or ``NAME_LONG_MAX_WORDS`` for
    a title with no phrase boundary to cut at (plus "…" after a cut no phrase
    boundary allowed); never a placeholder ("Untitled"), never ending on one of
    ``rules.stop_words``, never beginning or ending with one of ``rules.publishers``;
    deterministic. Pass :func:`naming_rules` of all the items to leave out what they show to
    be kickers, affixes and furniture, and publishers' names.
    """
    order = timeline(members, items)
    rank = {i: r for r, i in enumerate(order)}
    peers = sorted(members, key=lambda i: (-score.get(i, 0.0), rank[i]))[:SUPPORT_PEERS]
    vocabulary = {i: _headline_words(items[i]) for i in peers}
    others = len(peers) > 1
    found: list[tuple[bool, int, float, float, int, str]] = []
    for i in members:
        level, name = title_name(items[i].title, rules)
        lead = lead_name(items[i].text, rules) if level > CUT else ""
        for kind, text in ((level, name), (LEAD, lead)):
            if text:
                support = _support(text, i, vocabulary, rules)
                tier = CLEAN if kind == STRIPPED else kind
                found.append((others and support < WEAK_SUPPORT, tier, -support,
                              -score.get(i, 0.0), rank[i], text))
    if found:
        return min(found)[5]
    for i in order:
        salvaged = _salvage(items[i], rules)
        if salvaged:
            return salvaged
    ids = "\n".join(sorted(items[i].id for i in members))
    return "Story " + hashlib.sha1(ids.encode("utf-8")).hexdigest()[:ID_HASH_CHARS]
