"""Pair evidence: how likely two articles report the same story.

Candidate pairs come from two bounded sources: each article's top text
neighbours and its related links (direct links, and articles naming the same
page). Each pair gets a few features and one log-odds score combining them;
the weights are named, and their defaults come from a logistic fit on the DEV
stories (see ``benchmarks/group.py``, which also cross-validates them by topic).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from digest.group.features import ItemFeatures, features_of
from digest.group.links import Link, popularity_weight
from digest.group.neighbours import neighbour_lists, row_dots, without_common_terms
from digest.group.similarity import NEIGHBOURS, day_number, tfidf_rows, without_source_words
from digest.group.trust import CORROBORATED, source_trust, without_house_entries
from digest.records import GroupItem

MAX_CITERS = 50  # a page named by more articles than this is a hub: no co-citation pairs from it
# terms in more articles than this are left out of the neighbour search (not of the cosines):
# they are most of the similarity product's work; see the benchmark for the effect on quality
SEARCH_MAX_DF = 100
# a pair below this TF-IDF cosine shares (next to) no words: no topic may hold one (see
# SharesNothing); 0.03 and 0.05 score alike on every regime of benchmarks/group.py
SHARED_NOTHING = 0.05
MIN_SHARED = 2  # distinct terms (or names) two articles must share for their cosine to count
DENSE_VETO_CELLS = 2_000_000  # SharesNothing works on dense rows up to this many cells
KNOWN_CROSS_PAIRS = 64  # ...after looking the cross pairs up, when there are this few


@dataclass(frozen=True)
class Weights:
    """Log-odds weights of the pair features (defaults fitted on DEV, see the benchmark).

    Fitted before cosines resting on one shared word were set to 0 (``MIN_SHARED``); the
    refit since (``--refit``: text 14.08, names 7.4, bias -5.1) scores alike on DEV
    (B3-F1 0.972 against 0.974, the same on held-out topics, where each fold fits its own)
    but weighs a day's generic overlap more: end to end it put a football preview and a
    family story of the next day in one topic. These are the more cautious of the two.
    """

    text: float = 10.89  # TF-IDF cosine of title + body
    names: float = 10.88  # TF-IDF cosine of names (capitalised words)
    same_days: float = 4.16  # both dated, at most ``close_days`` apart
    far_apart: float = -1.69  # both dated, more than ``far_days`` apart
    link: float = 1.0  # direct related link, by confidence and inverse target popularity
    cocited: float = -0.25  # shared related titles, by inverse popularity (capped at 2)
    bias: float = -5.64
    close_days: float = 3.0  # same-story articles of DEV are half within 3 days; twins never
    far_days: float = 365.0  # twin events of DEV are mostly more than a year apart
    # share of all dated pairs within close_days in the corpus ``same_days`` was fitted on
    # (DEV: 0.018); a denser corpus (a daily digest) makes closeness weaker evidence
    fitted_close_rate: float = 0.0181


@dataclass(frozen=True)
class PairFeatures:
    """The evidence for one candidate pair (i < j)."""

    text: float
    names: float
    gap_days: float | None
    link: float
    cocited: float


@dataclass(frozen=True)
class SharesNothing:
    """Refuses to join two groups where some article of one shares (next to) no words with
    some article of the other: their TF-IDF cosine is below ``floor``, or they have fewer
    than ``MIN_SHARED`` terms in common.

    Average linkage alone lets a hub that resembles two unrelated stories join them (its
    strong pairs outweigh the absent one); this makes every pair of a topic answer for
    itself. Same-story pairs of DEV all lie above 0.05; see ``benchmarks/group.py``.
    """

    terms: sp.csr_matrix
    floor: float = SHARED_NOTHING
    # the verdicts on the candidate pairs, already known (key i * n + j, i < j): see
    # :meth:`PairTable.shares_nothing`; most merges examined join two of them
    known: Mapping[int, bool] = field(default_factory=dict)

    def __call__(self, a: Sequence[int], b: Sequence[int]) -> bool:
        if len(a) * len(b) <= KNOWN_CROSS_PAIRS:
            n = self.terms.shape[0]
            verdicts = [self.known.get(i * n + j if i < j else j * n + i) for i in a for j in b]
            if None not in verdicts:
                return any(verdicts)
        # the product over the columns the two groups use only, dense while that is small: a
        # product over the whole vocabulary for every merge examined costs more than the
        # clustering itself
        (left, right), used = _entries(self.terms, a, b)
        if len(a) * len(used) + len(b) * len(used) <= DENSE_VETO_CELLS:
            x, y = _dense(left, len(a), len(used)), _dense(right, len(b), len(used))
            if (x @ y.T < self.floor).any():
                return True
            return bool(((x != 0).astype(np.float64) @ (y != 0).astype(np.float64).T
                         < MIN_SHARED).any())
        x_sparse, y_sparse = _sparse(left, len(a), len(used)), _sparse(right, len(b), len(used))
        if ((x_sparse @ y_sparse.T).toarray() < self.floor).any():
            return True
        x_sparse.data[:] = 1.0
        y_sparse.data[:] = 1.0
        return bool(((x_sparse @ y_sparse.T).toarray() < MIN_SHARED).any())


Entries = tuple[np.ndarray, np.ndarray, np.ndarray]  # (row of each entry, column, value)


def _entries(x: sp.csr_matrix, a: Sequence[int], b: Sequence[int]
             ) -> tuple[tuple[Entries, Entries], np.ndarray]:
    """The entries of rows ``a`` and of rows ``b`` of ``x`` (rows numbered from 0 in each,
    columns renumbered to their rank in the columns either uses), and those columns."""
    picked = []
    for rows in (a, b):
        starts, ends = x.indptr[list(rows)], x.indptr[np.asarray(rows) + 1]
        lengths = ends - starts
        take = (np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
                + np.arange(int(lengths.sum())))
        picked.append((np.repeat(np.arange(len(rows)), lengths), x.indices[take], x.data[take]))
    used = np.union1d(picked[0][1], picked[1][1])
    (ra, ca, va), (rb, cb, vb) = picked
    return ((ra, np.searchsorted(used, ca), va), (rb, np.searchsorted(used, cb), vb)), used


def _dense(entries: Entries, height: int, width: int) -> np.ndarray:
    rows, cols, values = entries
    out = np.zeros((height, width))
    out[rows, cols] = values
    return out


def _sparse(entries: Entries, height: int, width: int) -> sp.csr_matrix:
    rows, cols, values = entries
    return sp.csr_matrix((values, (rows, cols)), shape=(height, width))


def link_strengths(n: int, links: Sequence[Link], trust: Callable[[int], float] | None = None,
                   agree: Callable[[int, int], bool] | None = None,
                   ) -> tuple[dict[tuple[int, int], float], dict[tuple[int, int], float]]:
    """Direct-link and co-citation strength of article pairs (keys are (i, j), i < j):
    :func:`direct_strengths` and :func:`cocitations`. Given ``agree``, pairs whose
    articles do not corroborate each other get neither."""
    cocited = cocitations(links)
    if agree is not None:
        cocited = {pair: w for pair, w in cocited.items() if agree(*pair)}
    return direct_strengths(links, trust, agree), cocited


def direct_strengths(links: Sequence[Link], trust: Callable[[int], float] | None = None,
                     agree: Callable[[int, int], bool] | None = None,
                     ) -> dict[tuple[int, int], float]:
    """The best ``confidence x popularity_weight(in-degree of target) x trust(source)`` over
    the links between two articles, in either direction (keys (i, j), i < j); given
    ``agree``, only pairs whose articles corroborate each other."""
    indegree: Counter[int] = Counter(t for link in links for t in link.targets)
    direct: dict[tuple[int, int], float] = {}
    for link in links:
        for t in link.targets:
            pair = (min(link.source, t), max(link.source, t))
            if agree is not None and not agree(*pair):
                continue
            strength = link.confidence * popularity_weight(indegree[t])
            if trust is not None:
                strength *= trust(link.source)
            direct[pair] = max(direct.get(pair, 0.0), strength)
    return direct


def cocitations(links: Sequence[Link]) -> dict[tuple[int, int], float]:
    """The sum, for two articles, over pages both name (resolved or not) of
    ``popularity_weight(citers)`` (keys (i, j), i < j); pages named by more than
    ``MAX_CITERS`` articles give nothing, which bounds the pairs produced."""
    citers: dict[object, set[int]] = defaultdict(set)
    for link in links:
        for t in link.targets:
            citers[("id", t)].add(link.source)
        if not link.targets:
            citers[("key", link.key)].add(link.source)
    cocited: dict[tuple[int, int], float] = defaultdict(float)
    for page in sorted(citers, key=str):
        group = sorted(citers[page])
        if len(group) < 2 or len(group) > MAX_CITERS:
            continue
        w = popularity_weight(len(group))
        for a_pos, a in enumerate(group):
            for b in group[a_pos + 1 :]:
                cocited[(a, b)] += w
    return dict(cocited)


@dataclass(frozen=True)
class PairTable:
    """The evidence for all candidate pairs, as aligned arrays (pairs ``left < right``, sorted).

    ``gap_days`` is NaN where either article is undated; ``terms`` are the
    articles' TF-IDF rows the text cosines come from.
    """

    left: np.ndarray
    right: np.ndarray
    text: np.ndarray
    names: np.ndarray
    gap_days: np.ndarray
    link: np.ndarray
    cocited: np.ndarray
    terms: sp.csr_matrix

    def shares_nothing(self, floor: float = SHARED_NOTHING) -> dict[int, bool]:
        """Each candidate pair's :class:`SharesNothing` verdict by key ``left * n + right``:
        a text cosine below ``floor`` (pairs with fewer than ``MIN_SHARED`` terms in common
        have 0)."""
        n = self.terms.shape[0]
        keys = (self.left * n + self.right).tolist()
        return dict(zip(keys, (self.text < floor).tolist(), strict=True))

    def features(self, p: int) -> PairFeatures:
        """The features of pair number ``p``."""
        gap = float(self.gap_days[p])
        return PairFeatures(float(self.text[p]), float(self.names[p]),
                            None if math.isnan(gap) else gap,
                            float(self.link[p]), float(self.cocited[p]))


def pair_table(items: Sequence[GroupItem], links: Sequence[Link],
               neighbours: int = NEIGHBOURS, features: Sequence[ItemFeatures] | None = None,
               search_max_df: int | None = SEARCH_MAX_DF) -> PairTable:
    """Features of every candidate pair: text neighbours and linked or co-citing articles.

    The number of pairs is at most ``n x neighbours`` plus the link pairs, so
    the cost is linear in the corpus for bounded related lists. Neighbours are
    searched without the terms of more than ``search_max_df`` articles (None:
    with all terms); the text and name cosines of the pairs are exact.
    ``features`` are the items' :func:`item_features`, computed if not given.
    """
    n = len(items)
    feats = features_of(items, features)
    sources = [item.source for item in items]

    def rows(arrays: list[tuple[np.ndarray, np.ndarray]]) -> sp.csr_matrix:
        keys, counts = zip(*arrays, strict=True)
        return tfidf_rows(*without_source_words(keys, counts, sources))

    terms = rows([f.term_arrays() for f in feats]) if n else None
    links = without_house_entries(items, links)
    # every linked or co-citing pair is a candidate; its strength counts once its words agree
    direct, cocited = direct_strengths(links), cocitations(links)
    keys = [_pair_keys(n, direct), _pair_keys(n, cocited)]
    if n >= 2 and terms is not None:
        search = terms if search_max_df is None else without_common_terms(terms, search_max_df)
        scores, near = neighbour_lists(search, neighbours)
        found = scores > 0
        i = np.repeat(np.arange(n), found.sum(axis=1))
        j = near[found]
        keys.append(np.minimum(i, j) * n + np.maximum(i, j))
    ordered = np.sort(np.concatenate(keys))
    unique = ordered[np.diff(ordered, prepend=-1) != 0]  # keys are >= 0
    left, right = unique // max(n, 1), unique % max(n, 1)
    if len(unique):
        names = rows([f.name_arrays() for f in feats])
        text = _if_shared(row_dots(terms, left, right), terms, left, right)
        name = _if_shared(row_dots(names, left, right), names, left, right)
    else:
        text = name = np.zeros(0)

    agreeing = set(unique[text >= CORROBORATED].tolist())

    def agree(i: int, j: int) -> bool:
        """Whether articles ``i`` and ``j`` (either order) are a candidate pair whose words
        corroborate each other."""
        return (i * n + j if i < j else j * n + i) in agreeing

    trust = source_trust(items, links, agree)
    direct = direct_strengths(links, lambda i: trust[items[i].source], agree)
    cocited = {pair: w for pair, w in cocited.items() if agree(*pair)}
    days = np.array([day_number(item.date) for item in items], dtype=np.float64)
    return PairTable(left, right, text, name, np.abs(days[left] - days[right]),
                     _lookup(direct, unique, n), _lookup(cocited, unique, n),
                     terms if terms is not None else sp.csr_matrix((0, 0)))


def _if_shared(cosines: np.ndarray, x: sp.csr_matrix, left: np.ndarray, right: np.ndarray
               ) -> np.ndarray:
    """The pairs' cosines, 0 where the two rows of ``x`` share fewer than ``MIN_SHARED``
    terms: one word in common ("Wednesday", a name in the news) is chance, not a story."""
    present = sp.csr_matrix((np.ones_like(x.data), x.indices, x.indptr), shape=x.shape)
    return np.where(row_dots(present, left, right) >= MIN_SHARED, cosines, 0.0)


def _pair_keys(n: int, pairs: dict[tuple[int, int], float]) -> np.ndarray:
    return np.fromiter((i * n + j for i, j in pairs), dtype=np.int64, count=len(pairs))


def _lookup(values: dict[tuple[int, int], float], keys: np.ndarray, n: int) -> np.ndarray:
    """The values of the pairs with the (sorted) ``keys``, 0 where absent."""
    out = np.zeros(len(keys))
    if values:
        found = np.searchsorted(keys, _pair_keys(n, values))
        out[found] = np.fromiter(values.values(), dtype=np.float64, count=len(values))
    return out


def close_pair_rate(days: Sequence[float | None], close_days: float) -> float:
    """Share of all pairs of dated articles that are at most ``close_days`` apart (O(n log n))."""
    dated = sorted(d for d in days if d is not None)
    m = len(dated)
    if m < 2:
        return 0.0
    close, first = 0, 0
    for i, day in enumerate(dated):
        while day - dated[first] > close_days:
            first += 1
        close += i - first
    return close / (m * (m - 1) / 2)


def same_days_bonus(days: Sequence[float | None], w: Weights) -> float:
    """The log-odds added for a close pair in this corpus, in [0, ``w.same_days``].

    Closeness is evidence in proportion to how rare it is among random pairs:
    where the corpus's close-pair rate exceeds the rate the weight was fitted
    at, the bonus falls by the log of the ratio (Bayes' rule for the prior of
    closeness), reaching 0 in a corpus where most articles share their days;
    it is never raised above the fitted weight.
    """
    rate = close_pair_rate(days, w.close_days)
    if rate <= w.fitted_close_rate or w.fitted_close_rate <= 0:
        return w.same_days
    return min(w.same_days, max(0.0, w.same_days - math.log(rate / w.fitted_close_rate)))


def log_odds(f: PairFeatures, w: Weights, same_days: float | None = None) -> float:
    """The weighted evidence that a pair reports one story (log-odds scale).

    ``same_days`` overrides ``w.same_days`` (see :func:`same_days_bonus`).
    """
    score = w.bias + w.text * f.text + w.names * f.names + w.link * f.link
    score += w.cocited * min(f.cocited, 2.0)
    if f.gap_days is not None:
        if f.gap_days <= w.close_days:
            score += w.same_days if same_days is None else same_days
        elif f.gap_days > w.far_days:
            score += w.far_apart
    return score


def probability(f: PairFeatures, w: Weights, same_days: float | None = None) -> float:
    """:func:`log_odds` as a probability in (0, 1)."""
    z = log_odds(f, w, same_days)
    return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0


def log_odds_all(table: PairTable, w: Weights, same_days: float | None = None) -> np.ndarray:
    """:func:`log_odds` of every pair of the table at once."""
    score = w.bias + w.text * table.text + w.names * table.names + w.link * table.link
    score = score + w.cocited * np.minimum(table.cocited, 2.0)
    gap = table.gap_days
    close = w.same_days if same_days is None else same_days
    with np.errstate(invalid="ignore"):  # NaN gaps (undated) are neither close nor far
        return score + np.where(gap <= w.close_days, close, np.where(gap > w.far_days,
                                                                     w.far_apart, 0.0))


def probabilities(table: PairTable, w: Weights, same_days: float | None = None) -> np.ndarray:
    """:func:`probability` of every pair of the table at once."""
    z = log_odds_all(table, w, same_days)
    with np.errstate(over="ignore"):
        return np.where(z > -30, 1.0 / (1.0 + np.exp(-z)), 0.0)
