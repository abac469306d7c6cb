"""How far each source's "Related Articles" lists can be trusted.

A related list is a publisher's claim that two pages belong together, and
publishers make it for many reasons: the same story, the same section, what is
popular, what is new, what they sell. Two things are learnt per source, from
the corpus alone:

* house entries: a page a source names on a large share of its pages with
  lists (a "Most read" or sponsored slot set into every related block) says
  nothing about any one of them, and is no evidence;
* trust: the share of the source's other resolved links whose two articles'
  own words agree (TF-IDF cosine at least ``CORROBORATED``), smoothed towards
  ``PRIOR_TRUST`` for sources with few links. A source whose lists are mostly
  its own story's pages earns a high trust, a source that links at random a
  trust near zero.

A link is evidence only when the text corroborates it as well (see
:func:`digest.group.evidence.pair_table`): trust says how much a corroborated
link of this source adds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from digest.group.links import Link
from digest.records import GroupItem

HOUSE_SHARE = 0.25  # a page named on more than this share of a source's pages with lists...
HOUSE_MIN_PAGES = 4  # ...and on at least this many of them is a house entry
# cosine from which a linked pair's words agree: 98% of same-story links of DEV lie above
# it, 1% of links to unrelated pages (realistic and hostile regimes, benchmarks/group.py)
CORROBORATED = 0.1
PRIOR_TRUST = 0.3  # a source's trust before its links are seen...
PRIOR_LINKS = 10.0  # ...counted as this many links


def _page(link: Link) -> object:
    """What a link names: its resolved articles, or its title when unresolved."""
    return link.targets if link.targets else link.key


def house_entries(items: Sequence[GroupItem], links: Sequence[Link]) -> set[tuple[str, object]]:
    """(source, page) of every page a source names on more than ``HOUSE_SHARE`` of its
    pages with lists (and on at least ``HOUSE_MIN_PAGES``)."""
    with_lists: Counter[str] = Counter()
    naming: dict[tuple[str, object], set[int]] = defaultdict(set)
    seen: set[int] = set()
    for link in links:
        source = items[link.source].source
        if link.source not in seen:
            seen.add(link.source)
            with_lists[source] += 1
        naming[(source, _page(link))].add(link.source)
    return {entry for entry, pages in naming.items()
            if len(pages) >= HOUSE_MIN_PAGES and len(pages) > HOUSE_SHARE * with_lists[entry[0]]}


def without_house_entries(items: Sequence[GroupItem], links: Sequence[Link]) -> list[Link]:
    """The links, less those to a house entry of their source."""
    house = house_entries(items, links)
    if not house:
        return list(links)
    return [link for link in links if (items[link.source].source, _page(link)) not in house]


def source_trust(items: Sequence[GroupItem], links: Sequence[Link],
                 agree: Callable[[int, int], bool]) -> dict[str, float]:
    """Each source's smoothed share of resolved links whose two articles' words agree.

    ``agree(i, j)`` says whether articles ``i`` and ``j`` corroborate each other.
    Sources without resolved links get ``PRIOR_TRUST``.
    """
    agreed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for link in links:
        source = items[link.source].source
        for target in link.targets:
            total[source] += 1
            agreed[source] += agree(link.source, target)
    sources = {item.source for item in items}
    return {s: (agreed[s] + PRIOR_TRUST * PRIOR_LINKS) / (total[s] + PRIOR_LINKS)
            for s in sorted(sources)}
