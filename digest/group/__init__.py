"""The group stage: articles into topics (stories), each with a name, an id and a timeline.

Evidence between two articles combines their "Related Articles" links
(resolved to corpus articles, weighted by inverse popularity), text
similarity (TF-IDF of title and body), shared names, and date agreement;
average-linkage clustering over the sparse evidence graph, with a date guard
that keeps twin events apart, cuts it into topics. A link counts only where
the two articles' own words agree, scaled by how often its source's lists do
(:mod:`digest.group.trust`; a house list on most of a source's pages counts
not at all); a headline or lead of another page quoted inside a body is not
the article's words; and no topic holds two articles that share no words, so
a hub alike to two stories cannot join them. See ``benchmarks/group.py`` for
the measurements behind the defaults.

The per-article part of the work, :func:`item_features`, depends on one
article only: a caller may compute it elsewhere (in worker processes, from a
cache) and pass it in; the result is the same as when it is computed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from digest.group.cluster import MERGE_AT, DateGuard, average_linkage
from digest.group.evidence import (
    PairTable,
    SharesNothing,
    Weights,
    pair_table,
    probabilities,
    same_days_bonus,
)
from digest.group.features import ItemFeatures, features_of, item_features, unquoted_features
from digest.group.links import Link, TitleIndex, quoted_pages, resolve_links
from digest.group.naming import centrality, naming_rules, timeline, topic_id, topic_name
from digest.group.similarity import NEIGHBOURS, day_number
from digest.records import GroupItem, Topic

__all__ = ["DateGuard", "ItemFeatures", "Weights", "group_articles", "group_indices",
           "item_features", "pair_evidence"]

# pairs less likely than this are left out of clustering: each changes a group mean by at
# most this much (absent pairs count 0), far below the margins merges are decided by
NEGLIGIBLE = 0.01


def _canonical_order(items: Sequence[GroupItem]) -> list[int]:
    """Indices of the items sorted by content, so that the grouping ignores the input order."""
    return sorted(range(len(items)), key=lambda i: (
        items[i].id, items[i].title, items[i].text, items[i].date is None, items[i].date or "",
        items[i].related, items[i].source))


class Grouping(NamedTuple):
    """What one grouping run finds, by item index."""

    groups: list[list[int]]
    left: np.ndarray  # candidate pairs (left < right) ...
    right: np.ndarray
    prob: np.ndarray  # ... and their probabilities
    links: list[tuple[int, str, int]]  # (item, related title, item it resolved to)


def pair_evidence(items: Sequence[GroupItem], neighbours: int = NEIGHBOURS,
                  features: Sequence[ItemFeatures] | None = None,
                  ) -> tuple[PairTable, list[Link]]:
    """The evidence grouping weighs, for every candidate pair, and the items' resolved links.

    Related titles are resolved against the items' titles and leads; a later paragraph
    that repeats another item's headline or lead is left out of the text evidence
    (:func:`~digest.group.features.unquoted_features`); :func:`pair_table` does the rest.
    """
    feats = features_of(items, features)
    index = TitleIndex(items, [(f.title_key, f.lead_key) for f in feats])
    links = resolve_links(items, index=index)
    feats = unquoted_features(items, feats,
                              quoted_pages(items, [f.quote_keys for f in feats], index))
    return pair_table(items, links, neighbours, feats), links


def _pairs(items: Sequence[GroupItem], weights: Weights, merge_at: float, neighbours: int,
           guard: DateGuard | None, features: Sequence[ItemFeatures] | None) -> Grouping:
    """The grouping of the items in their canonical order."""
    table, links = pair_evidence(items, neighbours, features)
    days = [day_number(item.date) for item in items]  # (pair_table has them as gaps only)
    prob = probabilities(table, weights, same_days_bonus(days, weights))
    strong = prob >= NEGLIGIBLE
    edges = dict(zip(zip(table.left[strong].tolist(), table.right[strong].tolist(), strict=True),
                     prob[strong].tolist(), strict=True))
    veto = SharesNothing(table.terms, known=table.shares_nothing())
    groups = average_linkage(len(items), edges, merge_at, days, guard, veto)
    resolved = [(link.source, title, target) for link in links
                for title in link.titles for target in link.targets]
    return Grouping(groups, table.left, table.right, prob, resolved)


def _grouping(items: Sequence[GroupItem], weights: Weights | None, merge_at: float,
              neighbours: int, guard: DateGuard | None,
              features: Sequence[ItemFeatures] | None) -> Grouping:
    """The grouping in the items' own indices, whatever their order."""
    order = _canonical_order(items)
    given = None
    if features is not None:
        aligned = features_of(items, features)
        given = [aligned[i] for i in order]
    found = _pairs([items[i] for i in order], weights or Weights(), merge_at, neighbours, guard,
                   given)
    back = np.asarray(order, dtype=np.int64)
    groups = sorted(sorted(int(back[i]) for i in group) for group in found.groups)
    left, right = back[found.left], back[found.right]
    links = [(order[source], title, order[target]) for source, title, target in found.links]
    return Grouping(groups, np.minimum(left, right), np.maximum(left, right), found.prob, links)


def group_indices(items: Sequence[GroupItem], weights: Weights | None = None,
                  merge_at: float = MERGE_AT, neighbours: int = NEIGHBOURS,
                  guard: DateGuard | None = DateGuard(),  # noqa: B008 (frozen, immutable)
                  features: Sequence[ItemFeatures] | None = None,
                  ) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Groups of item indices and the pair probabilities they were cut from.

    The probabilities are those of all candidate pairs ``(i, j)``, ``i < j``;
    pairs below ``NEGLIGIBLE`` are left out of the clustering. Every index is
    in exactly one group; groups and their members are sorted.
    The grouping does not depend on the order of the items. ``features`` are
    the items' :func:`item_features` (aligned with ``items``), computed if not
    given.
    """
    groups, left, right, prob, _ = _grouping(items, weights, merge_at, neighbours, guard,
                                             features)
    return groups, dict(zip(zip(left.tolist(), right.tolist(), strict=True), prob.tolist(),
                            strict=True))


def group_articles(items: Sequence[GroupItem],
                   features: Sequence[ItemFeatures] | None = None,
                   publishers: Iterable[str] = ()) -> list[Topic]:
    """The topics of the items: each item in exactly one topic (singletons allowed).

    A topic's ``article_ids`` are its timeline (oldest first, undated last,
    ties by id); its ``id`` is derived from its oldest article, so it stays
    when the topic gains newer articles, and is safe as a file name; its
    ``name`` reads as a headline (:func:`~digest.group.naming.topic_name`: a
    member's title, else the most central lead, without ``publishers``' names
    or what :func:`~digest.group.naming.naming_rules` learns is furniture).
    Topics come largest first, ties by id. Deterministic: the same items give
    the same topics in any order. ``features`` are the items'
    :func:`item_features` (aligned with ``items``), computed if not given; the
    topics are the same either way.
    A topic's ``links`` are its articles' related titles that resolved to
    other articles (:mod:`digest.group.links`), sorted: the site links them.
    """
    if not items:
        return []
    groups, left, right, prob, resolved = _grouping(items, None, MERGE_AT, NEIGHBOURS,
                                                    DateGuard(), features)
    score = centrality(len(items), groups, left, right, prob)
    rules = naming_rules(items, publishers)
    links_of: dict[int, list[tuple[str, str, str]]] = {}
    for source, title, target in resolved:
        links_of.setdefault(source, []).append((items[source].id, title, items[target].id))
    topics: list[Topic] = []
    for members in groups:
        order = timeline(members, items)
        topics.append(Topic(
            id=topic_id(items[order[0]]),
            name=topic_name(members, items, score, rules),
            article_ids=tuple(items[i].id for i in order),
            links=tuple(sorted(link for i in members for link in links_of.get(i, ()))),
        ))
    topics.sort(key=lambda t: (-len(t.article_ids), t.id))
    return topics
