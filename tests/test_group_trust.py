"""Links as evidence only when the text agrees: house lists, per-source trust, quoted
headlines, and no chaining of unrelated stories through a hub."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.group import evidence, group_articles, pair_evidence
from digest.group.cluster import MERGE_AT, DateGuard, average_linkage
from digest.group.evidence import (
    MIN_SHARED,
    SHARED_NOTHING,
    PairTable,
    SharesNothing,
    link_strengths,
    pair_table,
)
from digest.group.features import own_text
from digest.group.links import (
    Link,
    TitleIndex,
    popularity_weight,
    quote_keys,
    quoted_pages,
    resolve_links,
)
from digest.group.similarity import without_source_words
from digest.group.trust import PRIOR_TRUST, house_entries, source_trust, without_house_entries
from digest.records import GroupItem

QUAKE = ("A strong earthquake shook the fictional port of Varnholm on Monday, cracking the "
         "harbour wall and closing the ferry terminal, the Varnholm coastguard said.")
QUAKE_2 = ("Engineers inspected the cracked harbour wall in Varnholm after Monday's earthquake; "
           "the ferry terminal stays closed while the coastguard surveys the port.")
CHOIR = ("The Ellerby youth choir won the regional singing contest on Saturday with a programme "
         "of folk songs, its conductor Mira Tollan told the audience in Ellerby hall.")
CHOIR_2 = ("Mira Tollan's youth choir from Ellerby took first prize at the regional singing "
           "contest, singing folk songs before a full hall on Saturday evening.")
BAKERY = ("A bakery in Dunmere has baked a loaf two metres long to mark its centenary, and "
          "will share slices with customers at the town market on Friday.")


def by_pair(table: PairTable, column: np.ndarray) -> dict[tuple[int, int], float]:
    """A column of a pair table by (left, right)."""
    pairs = zip(table.left.tolist(), table.right.tolist(), strict=True)
    return dict(zip(pairs, column.tolist(), strict=True))


def item(i: str, title: str, text: str, related: tuple[str, ...] = (), source: str = "s",
         date: str | None = None) -> GroupItem:
    return GroupItem(i, title, text, date, related, source)


# --- the date guard ----------------------------------------------------------------------

def test_a_tight_group_stays_apart_from_one_mostly_dated_far_from_it() -> None:
    tight, mostly_far = [0.0, 1.0, 2.0], [1.0, 400.0, 401.0, 402.0]
    assert DateGuard().blocks(tight, mostly_far)  # one stray article nearby is not enough
    assert not DateGuard(near_share=0.0).blocks(tight, mostly_far)  # the old rule let it in
    assert not DateGuard().blocks(tight, [1.0, 2.0, 3.0, 400.0])  # mostly near: may merge


# --- no chaining through a hub -------------------------------------------------------------

def test_a_hub_alike_to_two_stories_does_not_join_them() -> None:
    # article 2 resembles both 0 and 1 (two words in common with each), which share no word
    terms = sp.csr_matrix(np.array([[0.7071, 0.7071, 0.0, 0.0], [0.0, 0.0, 0.7071, 0.7071],
                                    [0.5, 0.5, 0.5, 0.5]]))
    edges = {(0, 2): 0.9, (1, 2): 0.9}
    # average linkage alone: (0.9 + 0) / 2 = 0.45 >= MERGE_AT joins all three
    assert average_linkage(3, edges, MERGE_AT) == [[0, 1, 2]]
    groups = average_linkage(3, edges, MERGE_AT, veto=SharesNothing(terms))
    assert sorted(map(len, groups)) == [1, 2]
    assert [0, 1] not in groups and [0, 1, 2] not in groups


def test_one_word_in_common_is_chance_not_a_story() -> None:
    terms = sp.csr_matrix(np.array([[0.8, 0.6, 0.0, 0.0], [0.6, 0.6, 0.53, 0.0],
                                    [0.6, 0.0, 0.0, 0.8]]))
    assert not SharesNothing(terms)([0], [1])  # two words in common
    assert SharesNothing(terms)([1], [2])  # one word: cosine 0.36, and still no story
    assert SharesNothing(terms)([0], [2])  # cosine 0.48 on one word
    # in the evidence, a pair alike by one word only has no text or name similarity
    short = [item("p", "Bridge closed", "The Tallow bridge was closed on Wednesday."),
             item("q", "Choir sings", "The choir sang in Ellerby on Wednesday."),
             item("r", "Ferry fares", "Ferry fares in Varnholm rose on Friday."),
             item("s", "Bakery loaf", "Dunmere bakery baked a long loaf on Friday.")]
    table, _ = pair_evidence(short)
    assert table.text.max(initial=0.0) == 0.0 and table.names.max(initial=0.0) == 0.0
    assert len({t.article_ids for t in group_articles(short)}) == 4


# --- house lists and trust --------------------------------------------------------------

def house_corpus() -> list[GroupItem]:
    """Eight pages of source "h" that all list the bakery page (a house slot), two of which
    also list their own story's page."""
    items = [item("bakery", "Dunmere bakery bakes a two-metre loaf", BAKERY, source="other")]
    for k in range(8):
        own = ("Varnholm quake cracks harbour wall",) if k < 2 else ()
        items.append(item(f"h{k}", f"Page {k} of source h", f"{QUAKE_2} Page {k}.",
                          ("Dunmere bakery bakes a two-metre loaf", *own), source="h"))
    items.append(item("quake", "Varnholm quake cracks harbour wall", QUAKE, source="other"))
    return items


def test_a_page_on_most_of_a_sources_lists_is_a_house_entry_and_no_evidence() -> None:
    items = house_corpus()
    links = resolve_links(items)
    house = house_entries(items, links)
    assert ("h", (0,)) in house  # the bakery page, named on all 8 of h's pages
    assert all(entry[1] != (9,) for entry in house)  # the quake page, on 2 of 8: a real link
    kept = without_house_entries(items, links)
    assert {link.targets for link in kept} == {(9,)}
    topics = group_articles(items)
    bakery = next(t for t in topics if "bakery" in t.article_ids)
    assert bakery.article_ids == ("bakery",)
    # the site still shows the publisher's own list, house slot included
    shown = {(a, b) for t in topics for a, _, b in t.links}
    assert ("h3", "bakery") in shown


def test_trust_is_the_share_of_a_sources_links_its_text_agrees_with() -> None:
    items = [item(str(k), f"t{k}", "x", source="honest" if k < 20 else "random")
             for k in range(40)]
    links = [Link(k, f"k{k}", ((k + 1) % 40,), 1.0, "exact") for k in range(40)]
    trust = source_trust(items + [item("n", "n", "x", source="silent")], links,
                         lambda i, j: i < 20)
    assert trust["honest"] > 0.75 > PRIOR_TRUST > trust["random"]
    assert trust["silent"] == PRIOR_TRUST


def test_links_between_articles_whose_words_disagree_carry_no_strength() -> None:
    links = [Link(0, "b", (1,), 1.0, "exact"), Link(2, "b", (1,), 1.0, "exact")]
    direct, cocited = link_strengths(3, links)
    assert direct and cocited
    direct, cocited = link_strengths(3, links, agree=lambda i, j: False)
    assert direct == {} and cocited == {}
    full, _ = link_strengths(3, links)
    halved, _ = link_strengths(3, links, trust=lambda source: 0.5)
    assert halved[(0, 1)] == full[(0, 1)] / 2


def test_an_unrelated_related_link_does_not_join_two_stories_but_a_corroborated_one_does(
        ) -> None:
    items = [item("q1", "Varnholm quake cracks harbour wall", QUAKE,
                  ("Ellerby choir wins singing contest",), source="a"),
             item("c1", "Ellerby choir wins singing contest", CHOIR, source="b"),
             item("c2", "Tollan's choir takes first prize", CHOIR_2,
                  ("Ellerby choir wins singing contest",), source="a"),
             item("q2", "Engineers inspect Varnholm harbour", QUAKE_2, source="b")]
    table, _ = pair_evidence(items)
    link = by_pair(table, table.link)
    assert link.get((0, 1), 0.0) == 0.0  # quake -> choir: the words disagree
    assert link[(1, 2)] > 0.0  # choir -> choir: they agree
    topics = {frozenset(t.article_ids) for t in group_articles(items)}
    assert frozenset({"c1", "c2"}) in topics
    assert not any({"q1", "c1"} <= t for t in topics)


# --- headlines quoted inside a body --------------------------------------------------------

ROOF = ("The roof of Ellerby hall will be repaired before the regional contest season, the "
        "hall's owners told an audience of residents on Saturday.")
ROOF_2 = ("Builders will replace the slates and the lead flashing of the hall roof, which has "
          "leaked since the winter storms, the owners of Ellerby hall said.")


def test_a_later_paragraph_repeating_another_pages_lead_is_not_the_articles_words() -> None:
    # the roof story shares some words with the choir's lead it quotes, so the quote is
    # no outsider (see own_text): only matching it to the choir page takes it out
    quoting = item("q", "Ellerby hall roof to be repaired", f"{ROOF}\n\n{ROOF_2}\n\n{CHOIR}")
    items = [quoting, item("c", "Ellerby choir wins singing contest", CHOIR),
             item("b", "Dunmere bakery bakes a two-metre loaf", BAKERY),
             item("r", "Slates for the hall roof arrive", ROOF_2.replace("will", "began to")),
             item("t", "Tollan's choir takes first prize", CHOIR_2)]
    assert CHOIR in own_text(quoting.title, quoting.text)
    keys = [quote_keys(i.text) for i in items]
    assert [k for k, _ in keys[0]] == [1, 2]
    quotes = quoted_pages(items, keys, TitleIndex(items))
    assert [(q.source, q.paragraph, q.targets) for q in quotes] == [(0, 2, (1,))]
    raw_table = pair_table(items, resolve_links(items), neighbours=4)
    own_table, _ = pair_evidence(items, neighbours=4)
    raw = by_pair(raw_table, raw_table.text)[(0, 1)]
    own = by_pair(own_table, own_table.text).get((0, 1), 0.0)
    assert own < raw / 2  # read with the quote, the two look far more alike than they are


def test_a_paragraph_sharing_nothing_with_its_article_is_left_out_of_its_evidence() -> None:
    text = f"{QUAKE}\n\n{QUAKE_2}\n\n{CHOIR}"  # a choir's lead left in a quake story
    own = own_text("Varnholm quake cracks harbour wall", text)
    assert own == f"{QUAKE}\n\n{QUAKE_2}"
    assert own_text("Varnholm quake", QUAKE) == QUAKE  # one paragraph: nothing to compare
    items = [item("q", "Varnholm quake cracks harbour wall", text),
             item("c", "Ellerby choir wins singing contest", CHOIR)]
    table, _ = pair_evidence(items)
    assert by_pair(table, table.text).get((0, 1), 0.0) < 0.05
    assert len(group_articles(items)) == 2


# --- a source's own words ----------------------------------------------------------------

def test_words_in_most_of_one_sources_articles_are_that_source_not_a_story() -> None:
    keys = [np.array([1, 7, 99]), np.array([2, 99]), np.array([3, 8, 99]), np.array([4, 99]),
            np.array([5, 99]), np.array([6, 99]), np.array([7, 99]), np.array([8, 99])]
    counts = [np.ones(len(k), dtype=np.uint32) for k in keys]
    sources = ["s"] * 6 + ["t"] * 2
    kept, kept_counts = without_source_words(keys, counts, sources)
    assert all(99 not in k for k in kept[:6])  # in all six of s's articles: s talking
    assert all(99 in k for k in kept[6:])  # t has too few articles to tell
    assert kept[0].tolist() == [1, 7] and len(kept_counts[0]) == 2
    boards = ["Gull Rock", "Tallow bridge", "Dunmere bakery", "Varnholm ferry",
              "Ellerby choir", "Carrowmore market", "Quay road", "Harbour lights"]
    topics_of = ["lighthouse keeper painted the tower white",
                 "engineers closed the span for repairs",
                 "bakers sold a long loaf in slices",
                 "timetable adds an early crossing",
                 "singers rehearse folk songs weekly",
                 "stallholders moved under the arcade",
                 "roadworks narrow the lane near the quay",
                 "lamps along the promenade were replaced"]
    items = [item(f"r{k}", f"{board}: {what}",
                  f"{board} {what}. Posted to the community board by member{k}; reply with "
                  "a link, vote, comment or share with neighbours", source="board",
                  date="2031-05-04")
             for k, (board, what) in enumerate(zip(boards, topics_of, strict=True))]
    # other sources' articles, so that the board's words are not in most of the corpus
    others = [item(f"n{k}", f"{a} {b}", f"The {a} of {c} {b} on {d}.", source="news",
                   date="2031-05-04")
              for k, (a, b, c, d) in enumerate(zip(
                  "orchard tannery mill kiln forge dairy abbey granary tollhouse wharf".split(),
                  "reopens flooded sold rebuilt burned expands closes listed restored moved"
                  .split(),
                  "Ashby Brill Corran Dove Eske Fenn Garth Holm Ince Jarrow".split(),
                  "Monday Tuesday Wednesday Thursday Friday Saturday Sunday noon dusk dawn"
                  .split(), strict=True))]
    topics = group_articles([*items, *others])
    assert not any(len(t.article_ids) > 1 and t.article_ids[0].startswith("r") for t in topics)


def test_trust_counts_links_in_either_direction() -> None:
    # the honest source links from later articles to earlier ones (source index > target):
    # its links agree with their texts all the same
    items = [item("q1", "Varnholm quake cracks harbour wall", QUAKE, source="wire"),
             item("c1", "Ellerby choir wins singing contest", CHOIR, source="wire"),
             item("q2", "Engineers inspect Varnholm harbour", QUAKE_2,
                  ("Varnholm quake cracks harbour wall",), source="honest"),
             item("c2", "Tollan's choir takes first prize", CHOIR_2,
                  ("Ellerby choir wins singing contest",), source="honest")]
    table, links = pair_evidence(items)
    text = by_pair(table, table.text)
    trust = source_trust(items, links, lambda i, j: text.get((min(i, j), max(i, j)), 0.0) >= 0.1)
    assert trust["honest"] > PRIOR_TRUST
    link = by_pair(table, table.link)
    # each link's strength is its confidence and popularity weight times that trust
    assert link[(0, 2)] == pytest.approx(popularity_weight(1) * trust["honest"])
    assert link[(1, 3)] == pytest.approx(popularity_weight(1) * trust["honest"])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 6))
def test_the_veto_equals_the_plain_product_dense_or_sparse(seed: int, m: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    dense = rng.random((m + k, 12)) * (rng.random((m + k, 12)) < 0.3)
    dense[rng.integers(0, m + k)] = 0.0  # an article with no words shares nothing
    terms = sp.csr_matrix(dense)
    a, b = list(range(m)), list(range(m, m + k))
    cross = dense[a] @ dense[b].T
    shared = (dense[a] != 0).astype(float) @ (dense[b] != 0).astype(float).T
    expected = bool((cross < SHARED_NOTHING).any() or (shared < MIN_SHARED).any())
    assert SharesNothing(terms)(a, b) == expected
    assert SharesNothing(terms)(b, a) == expected
    with_sparse = evidence.DENSE_VETO_CELLS
    try:
        evidence.DENSE_VETO_CELLS = 0
        assert SharesNothing(terms)(a, b) == expected
    finally:
        evidence.DENSE_VETO_CELLS = with_sparse


def test_the_verdicts_known_from_the_pair_table_equal_the_computed_ones() -> None:
    items = [item("q1", "Varnholm quake cracks harbour wall", QUAKE),
             item("q2", "Engineers inspect Varnholm harbour", QUAKE_2),
             item("c1", "Ellerby choir wins singing contest", CHOIR),
             item("c2", "Tollan's choir takes first prize", CHOIR_2),
             item("b", "Dunmere bakery bakes a two-metre loaf", BAKERY),
             item("r", "Ellerby hall roof to be repaired", f"{ROOF}\n\n{ROOF_2}")]
    table, _ = pair_evidence(items)
    known = table.shares_nothing()
    assert known  # the table has candidate pairs...
    computed, looked_up = SharesNothing(table.terms), SharesNothing(table.terms, known=known)
    for i in range(len(items)):
        for j in range(len(items)):
            if i != j:
                assert looked_up([i], [j]) == computed([i], [j]), (i, j)
    assert looked_up([0, 1], [2, 3]) == computed([0, 1], [2, 3])
