"""Cutting the evidence graph into stories.

Two methods over the same sparse weighted graph (nodes are articles, edge
weights are pair probabilities):

* :func:`average_linkage` — agglomerative clustering with average linkage,
  where a pair without an edge counts as probability 0: two groups merge only
  while their articles agree *on average*, so one hub or one noisy link cannot
  chain two stories. Local: its decisions do not depend on the corpus size.
* :func:`louvain` — networkx Louvain communities, per connected component.

Both are deterministic and return groups of node indices.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

TIGHT_DAYS = 7.0  # a group whose dated articles all fall within this many days is one event...
TIGHT_MIN_DATED = 3  # ...once it has at least this many dated articles
APART_DAYS = 30.0  # ...and does not absorb a group dated only further than this from its span
# ...nor a group most of whose dated articles (more than this share) lie further than that
NEAR_SHARE = 0.5  # (CV by topic on DEV, 4 link regimes: 0.34-0.67 score alike, 0 lower)
MERGE_AT = 0.35  # mean pair probability to merge two groups (DEV B3-F1 >= 0.983 over 0.25-0.35)
LOUVAIN_RESOLUTION = 1.0


@dataclass(frozen=True)
class DateGuard:
    """Keeps a one-event group from absorbing articles dated well away from it.

    A group is *tight* when it has at least ``min_dated`` dated articles all
    within ``tight_days``; a tight group is never merged with a group that has
    dated articles of which none, or fewer than the share ``near_share``, lie within
    ``apart_days`` of its span. This is what separates twin events (another
    earthquake, another Oscars host) when their text agrees, also when a stray
    article of the other event happens to fall near this one; groups without
    that much date evidence are unaffected.
    """

    tight_days: float = TIGHT_DAYS
    min_dated: int = TIGHT_MIN_DATED
    apart_days: float = APART_DAYS
    near_share: float = NEAR_SHARE

    def blocks(self, a: Sequence[float], b: Sequence[float]) -> bool:
        """Whether groups with the sorted dated days ``a`` and ``b`` must stay apart."""
        for one, other in ((a, b), (b, a)):
            if len(one) < self.min_dated or not other or one[-1] - one[0] > self.tight_days:
                continue
            lo = bisect.bisect_left(other, one[0] - self.apart_days)
            hi = bisect.bisect_right(other, one[-1] + self.apart_days)
            if hi - lo < self.near_share * len(other) or hi == lo:
                return True
        return False


Veto = Callable[[Sequence[int], Sequence[int]], bool]


def average_linkage(n: int, edges: Mapping[tuple[int, int], float],
                    merge_at: float = MERGE_AT, days: Sequence[float | None] | None = None,
                    guard: DateGuard | None = None, veto: Veto | None = None) -> list[list[int]]:
    """Groups of ``range(n)`` by average linkage over the sparse ``edges``.

    Guarantees: every node is in exactly one group; two groups are merged only
    if the mean edge weight over all their cross pairs (absent edges count 0)
    is at least ``merge_at``, given ``days`` and a ``guard`` the guard does not
    block them, and ``veto`` (called with the two groups' members) does not
    refuse them; merges are done best first, ties by the smaller group ids, so
    the result does not depend on dict order. A refused pair of groups is
    examined again when either changes.
    """
    dated: dict[int, list[float]] = {}
    for i in range(n):
        day = days[i] if days is not None else None
        dated[i] = [day] if day is not None else []
    size = {i: 1 for i in range(n)}
    total: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), w in edges.items():
        if i == j or w <= 0:
            continue
        total[i][j] = total[i].get(j, 0.0) + w
        total[j][i] = total[j].get(i, 0.0) + w
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    heap = [(-w, a, b) for a in range(n) for b, w in total[a].items() if a < b and w >= merge_at]
    heapq.heapify(heap)
    while heap:
        neg_mean, a, b = heapq.heappop(heap)
        if a not in size or b not in size or b not in total[a]:
            continue
        if abs(total[a][b] / (size[a] * size[b]) + neg_mean) > 1e-12:
            continue  # stale entry: the groups changed since it was pushed
        if guard is not None and guard.blocks(dated[a], dated[b]):
            continue  # re-examined if either group changes
        if veto is not None and veto(members[a], members[b]):
            continue
        # merge b into a (a is the smaller id, so group ids stay minimal)
        for c, w in total.pop(b).items():
            total[c].pop(b, None)
            if c == a:
                continue
            total[a][c] = total[a].get(c, 0.0) + w
            total[c][a] = total[a][c]
        total[a].pop(b, None)
        size[a] += size.pop(b)
        dated[a] = sorted(dated[a] + dated.pop(b))
        members[a].extend(members.pop(b))
        pair_size = size[a]
        for c, w in total[a].items():  # the new group's means (the old entries go stale)
            mean = w / (pair_size * size[c])
            if mean >= merge_at:
                heapq.heappush(heap, (-mean, a, c) if a < c else (-mean, c, a))
    return sorted(sorted(group) for group in members.values())


def louvain(n: int, edges: Mapping[tuple[int, int], float], min_weight: float = 0.5,
            resolution: float = LOUVAIN_RESOLUTION, seed: int = 0) -> list[list[int]]:
    """Louvain communities (networkx) of each connected component of the edges >= ``min_weight``.

    Guarantees: every node in exactly one group; deterministic for a given seed.
    """
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from((i, j, w) for (i, j), w in sorted(edges.items())
                                  if w >= min_weight and i != j)
    groups: list[list[int]] = []
    for component in sorted(nx.connected_components(graph), key=min):
        if len(component) <= 2:
            groups.append(sorted(component))
            continue
        sub = graph.subgraph(sorted(component))
        for community in nx.community.louvain_communities(sub, weight="weight",
                                                          resolution=resolution, seed=seed):
            groups.append(sorted(community))
    return sorted(groups)


def labels_of(n: int, groups: Iterable[list[int]]) -> list[int]:
    """Group number of each node, for scoring."""
    labels = [0] * n
    for k, group in enumerate(groups):
        for i in group:
            labels[i] = k
    return labels
