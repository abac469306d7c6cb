"""The group stage: articles into topics (stories), each with a name, an id and a timeline.

Evidence between two articles combines their "Related Articles" links
(resolved to corpus articles, weighted by inverse popularity), text
similarity (TF-IDF of title and body), shared names, and date agreement;
average-linkage clustering over the sparse evidence graph, with a date guard
that keeps twin events apart, cuts it into topics. See ``benchmarks/group.py``
for the measurements behind the defaults.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.group.cluster import MERGE_AT, DateGuard, average_linkage
from digest.group.evidence import Weights, pair_features, probability, same_days_bonus
from digest.group.links import resolve_links
from digest.group.naming import centrality, timeline, topic_id, topic_name
from digest.group.similarity import NEIGHBOURS, day_number
from digest.records import GroupItem, Topic

__all__ = ["DateGuard", "Weights", "group_articles", "group_indices"]


def group_indices(items: Sequence[GroupItem], weights: Weights | None = None,
                  merge_at: float = MERGE_AT, neighbours: int = NEIGHBOURS,
                  guard: DateGuard | None = DateGuard(),  # noqa: B008 (frozen, immutable)
                  ) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Groups of item indices and the pair probabilities they were cut from.

    Every index is in exactly one group; groups and their members are sorted.
    """
    weights = weights or Weights()
    links = resolve_links(items)
    features = pair_features(items, links, neighbours)
    days = [day_number(item.date) for item in items]
    bonus = same_days_bonus(days, weights)
    edges = {pair: probability(f, weights, bonus) for pair, f in features.items()}
    return average_linkage(len(items), edges, merge_at, days, guard), edges


def group_articles(items: Sequence[GroupItem]) -> list[Topic]:
    """The topics of the items: each item in exactly one topic (singletons allowed).

    A topic's ``article_ids`` are its timeline (oldest first, undated last,
    ties by id); its ``id`` is derived from its oldest article, so it stays
    when the topic gains newer articles, and is safe as a file name; its
    ``name`` is the most central member's title. Topics come largest first,
    ties by id. Deterministic for a given input order and content.
    """
    if not items:
        return []
    groups, edges = group_indices(items)
    score = centrality(groups, edges)
    topics: list[Topic] = []
    for members in groups:
        order = timeline(members, items)
        topics.append(Topic(
            id=topic_id(items[order[0]]),
            name=topic_name(members, items, score),
            article_ids=tuple(items[i].id for i in order),
        ))
    topics.sort(key=lambda t: (-len(t.article_ids), t.id))
    return topics
