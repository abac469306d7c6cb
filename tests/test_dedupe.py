"""Tests for digest.dedupe: fingerprints, duplicate groups, canonical choice, adds."""

from __future__ import annotations

import json
import pickle
import random

import numpy as np
import pytest
from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.dedupe import (
    Candidate,
    Fingerprint,
    MatchSettings,
    choose_canonical,
    copy_adds,
    find_duplicates,
    fingerprint,
)
from digest.dedupe.adds import paragraph_coverage
from digest.dedupe.candidates import (
    datasketch_lsh_pairs,
    lsh_pairs,
    shared_value_mask,
    signature_matrix,
)
from digest.dedupe.canonical import connected_groups

_VOCAB_RNG = random.Random(0)
VOCAB = [
    "".join(_VOCAB_RNG.choice("bcdfghklmnprstvz") + _VOCAB_RNG.choice("aeiou") for _ in range(3))
    for _ in range(3000)
]


def sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(VOCAB) for _ in range(n)).capitalize() + "."


def story(seed: int, paragraphs: int = 6) -> tuple[str, ...]:
    rng = random.Random(seed)
    return tuple(" ".join(sentence(rng) for _ in range(3)) for _ in range(paragraphs))


def edited(body: tuple[str, ...], seed: int, share: float = 0.015) -> tuple[str, ...]:
    """A syndicated copy: a few words dropped or replaced, punctuation changed."""
    rng = random.Random(seed)
    out = []
    for para in body:
        toks = para.split()
        toks = [rng.choice(VOCAB) if rng.random() < share else t for t in toks]
        out.append(" ".join(toks).replace(".", " ;").upper())
    return tuple(out)


def cand(id_: str, body: tuple[str, ...], date: str | None = "2024-01-01", priority: int = 0):
    return Candidate(id_, fingerprint(body), date, priority)


# ---------------------------------------------------------------- fingerprint


def test_fingerprint_is_compact_deterministic_and_round_trips() -> None:
    body = story(1)
    fp = fingerprint(body)
    assert fp == fingerprint(list(body))
    data = fp.to_bytes()
    assert len(data) < 600
    assert Fingerprint.from_bytes(data) == fp
    assert pickle.loads(pickle.dumps(fp)) == fp
    assert fp.num_perm == 128 and fp.words == sum(len(p.split()) for p in body)


def test_from_bytes_rejects_foreign_bytes() -> None:
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(b"not a fingerprint")
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(fingerprint(story(1)).to_bytes()[:-3])


def test_body_hash_ignores_case_punctuation_and_paragraph_breaks() -> None:
    body = story(2)
    reflowed = (" ".join(body).upper().replace(".", "!"),)
    assert fingerprint(body).body_hash == fingerprint(reflowed).body_hash
    assert fingerprint(body).body_hash != fingerprint(body[:-1]).body_hash


@given(st.lists(st.text(alphabet="abcdé xyzЖк,.'’\n", max_size=80), max_size=5))
def test_fingerprint_round_trips_and_ignores_paragraph_breaks(body: list[str]) -> None:
    fp = fingerprint(body)
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    assert fingerprint([" ".join(body)]) == fp


def test_fingerprints_of_other_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        signature_matrix([fingerprint(story(1)), fingerprint(story(1), shingle_words=3)])


def test_no_candidates_no_duplicates() -> None:
    assert find_duplicates([]) == {}
    assert find_duplicates([cand("only", story(1))]) == {}


def test_empty_body_has_no_shingles_and_matches_nothing() -> None:
    assert fingerprint([]).shingles == 0
    assert find_duplicates([cand("a", ()), cand("b", ()), cand("c", ("",))]) == {}


# ---------------------------------------------------------------- find_duplicates


def test_exact_and_syndicated_copies_join_the_fullest_most_recent() -> None:
    original = story(3)
    cands = [
        cand("orig", original, "2024-01-01"),
        cand("same", original, "2024-01-02"),
        cand("synd", edited(original, 1), "2024-01-03"),
        cand("other", story(4), "2024-01-03"),
    ]
    dupes = find_duplicates(cands)
    # All three are equally full (within tolerance): the most recent wins.
    assert dupes == {"orig": "synd", "same": "synd"}


def test_breaking_stub_is_contained_in_its_later_version() -> None:
    late = story(5, paragraphs=9)
    stub = late[:3]  # Jaccard about 0.3: containment, not similarity, finds it
    dupes = find_duplicates([cand("stub", stub, "2024-03-02"), cand("late", late, "2024-03-01")])
    assert dupes == {"stub": "late"}  # the fullest wins over the more recent


def test_source_priority_breaks_ties() -> None:
    body = story(6)
    dupes = find_duplicates([cand("b", body, priority=2), cand("a", body, priority=1)])
    assert dupes == {"b": "a"}


def test_stories_sharing_only_site_furniture_are_not_duplicates() -> None:
    rng = random.Random(7)
    furniture = tuple(sentence(rng, 12) for _ in range(3))
    # 60 short briefs from one site: most of every page is the same furniture.
    cands = [cand(f"brief{i}", (sentence(random.Random(100 + i), 20),) + furniture)
             for i in range(60)]
    assert find_duplicates(cands) == {}


def test_independent_reports_of_one_event_are_not_duplicates() -> None:
    rng = random.Random(8)
    names = ["zelenskyy", "kyiv", "missile", "washington", "russia", "strike", "biden"]
    reports = []
    for k in range(2):
        paras = []
        for _ in range(5):
            toks = [rng.choice(VOCAB) for _ in range(30)]
            for pos in rng.sample(range(30), 6):
                toks[pos] = rng.choice(names)
            paras.append(" ".join(toks))
        reports.append(cand(f"r{k}", tuple(paras)))
    assert find_duplicates(reports) == {}


def test_short_bodies_are_never_matched() -> None:
    brief = ("Polls open at eight.",)
    assert find_duplicates([cand("a", brief), cand("b", brief)]) == {}


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        find_duplicates([cand("a", story(1)), cand("a", story(2))])


def test_bands_must_fit_the_signature() -> None:
    with pytest.raises(ValueError):
        find_duplicates([cand("a", story(1)), cand("b", story(1))],
                        MatchSettings(bands=100, rows=2))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_result_is_a_forest_of_depth_one_and_order_free(stories: list[int], rnd) -> None:
    cands = []
    for k, s in enumerate(stories):
        body = edited(story(s), seed=k) if k % 2 else story(s)
        cands.append(cand(f"d{k}", body, f"2024-01-{1 + k % 7:02d}", priority=k % 3))  # a week
    dupes = find_duplicates(cands)
    assert not set(dupes) & set(dupes.values())
    for dup, canon in dupes.items():
        assert stories[int(dup[1:])] == stories[int(canon[1:])]
    # every copy of a story is found
    for s in set(stories):
        members = {f"d{k}" for k, t in enumerate(stories) if t == s}
        assert len({dupes.get(m, m) for m in members}) == 1
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert find_duplicates(shuffled) == dupes


@pytest.mark.parametrize("bands,rows", [(64, 2), (32, 4), (20, 3)])
def test_banding_finds_the_pairs_datasketch_minhashlsh_finds(bands: int, rows: int) -> None:
    bodies = []
    for s in range(40):
        base = story(s % 13, paragraphs=3 + s % 5)
        bodies.append(edited(base, s, share=0.02 * (s % 4)) if s % 3 else base[: 1 + s % 4])
    sig = signature_matrix([fingerprint(b) for b in bodies])
    eligible = np.array([s % 7 != 0 for s in range(40)])
    ms = MatchSettings(bands=bands, rows=rows, max_bucket=5)
    ours = lsh_pairs(np.ascontiguousarray(sig.T), eligible, ms)
    assert len(ours) > 10
    assert np.array_equal(ours, datasketch_lsh_pairs(sig, eligible, ms))


def test_shared_values_are_those_held_by_more_than_max_shared_rows() -> None:
    by_permutation = np.array([[1, 1, 1, 2], [5, 6, 7, 7]], dtype=np.uint32)
    assert shared_value_mask(by_permutation, 2).tolist() == [[True, True, True, False],
                                                             [False, False, False, False]]
    assert not shared_value_mask(by_permutation, 3).any()


def test_connected_groups_join_chains() -> None:
    assert connected_groups(6, [(0, 1), (4, 1), (2, 3)]) == [[0, 1, 4], [2, 3]]


@given(st.permutations(range(5)))
def test_canonical_choice_ignores_order(order: list[int]) -> None:
    full, stub = story(9), story(9)[:2]
    group = [
        cand("stub", stub, "2024-05-09"),
        cand("old", full, "2024-05-01"),
        cand("new-low", full, "2024-05-03", priority=1),
        cand("new-high", full, "2024-05-03", priority=0),
        cand("undated", full, None),
    ]
    assert choose_canonical([group[i] for i in order]).id == "new-high"


# ---------------------------------------------------------------- copy_adds


def test_copy_adds_finds_new_paragraphs_and_ignores_edits() -> None:
    canonical = story(10)
    extra = sentence(random.Random(11), 25)
    copy = edited(canonical[:3], 2) + (extra,) + canonical[3:]
    assert copy_adds(canonical, copy) == (extra,)


def test_copy_adds_tolerates_merged_paragraphs() -> None:
    canonical = story(12)
    merged = (canonical[0] + " " + canonical[1],) + canonical[2:]
    assert copy_adds(canonical, merged) == ()
    assert min(paragraph_coverage(canonical, merged)) > 0.9


@given(st.lists(st.text(max_size=60), max_size=6), st.lists(st.text(max_size=60), max_size=6))
def test_copy_adds_is_a_subsequence_of_the_copy(canonical: list[str], copy: list[str]) -> None:
    adds = copy_adds(canonical, copy)
    it = iter(copy)
    assert all(any(a == c for c in it) for a in adds)
    assert copy_adds(copy, copy) == ()


# ---------------------------------------------------------------- shared corpus


def test_gold_bodies_of_the_generated_corpus_meet_the_bar() -> None:
    corpus = shared_path("data", "scraped-gen")
    clusters = json.loads((corpus / "clusters.json").read_text(encoding="utf-8"))
    gold_cluster = clusters["doc_cluster"]
    cands = []
    for path in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        cands.append(Candidate(path.stem, fingerprint(gold["body"]), gold["date"]))
    dupes = find_duplicates(cands)
    predicted = {c.id: dupes.get(c.id, c.id) for c in cands}

    def pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
        by_group: dict[str, list[str]] = {}
        for doc, group in assign.items():
            by_group.setdefault(group, []).append(doc)
        return {(a, b) for ds in by_group.values() for a in ds for b in ds if a < b}

    gold, pred = pairs(gold_cluster), pairs(predicted)
    assert len(gold & pred) / len(pred) >= 0.99
    assert len(gold & pred) / len(gold) >= 0.97


# ---------------------------------------------------------------- issue 16, item 5


def test_copies_more_than_a_few_days_apart_are_a_sources_recurring_posts() -> None:
    body = story(71)
    near = [Candidate("a", fingerprint(body), "2024-03-01"),
            Candidate("b", fingerprint(body), "2024-03-07")]
    assert find_duplicates(near) == {"a": "b"}  # six days: an update, a late syndication
    far = [Candidate("a", fingerprint(body), "2024-03-01"),
           Candidate("b", fingerprint(edited(body, 2)), "2024-05-19")]
    assert find_duplicates(far) == {}  # two months: next version's sunset notice
    undated = [Candidate("a", fingerprint(body), None),
               Candidate("b", fingerprint(body), "2024-05-19")]
    assert find_duplicates(undated) == {"a": "b"}  # no date, no evidence against


def test_one_sources_equal_bodies_under_different_titles_are_a_series() -> None:
    body = story(72)
    series = [Candidate(n, fingerprint(body), "2024-03-01", source="blog", title=t)
              for n, t in (("a", "Quote #17"), ("b", "Quote #18"), ("c", "quote #17"))]
    # a and c: one title (case aside), copies; b: the next post of the series
    assert find_duplicates(series) == {"c": "a"} or find_duplicates(series) == {"a": "c"}
    # the same bodies from two sources, retitled: syndication, copies
    syndicated = [Candidate("a", fingerprint(body), "2024-03-01", source="one", title="X"),
                  Candidate("b", fingerprint(body), "2024-03-01", source="two", title="Y")]
    assert len(find_duplicates(syndicated)) == 1
    # one source, an edited body under a new title: an update, a copy
    update = [Candidate("a", fingerprint(body), "2024-03-01", source="blog", title="X"),
              Candidate("b", fingerprint(body + story(73, 2)), "2024-03-01", source="blog",
                        title="X, and more")]
    assert find_duplicates(update) == {"a": "b"}


def test_equal_bodies_chain_past_a_refused_neighbour() -> None:
    # in input order the series post stands between the two copies: they still merge
    body = story(74)
    cands = [Candidate("p1", fingerprint(body), "2024-03-01", source="s", title="One"),
             Candidate("p2", fingerprint(body), "2024-03-01", source="s", title="Two"),
             Candidate("p3", fingerprint(body), "2024-03-02", source="s", title="One")]
    dupes = find_duplicates(cands)
    assert set(dupes) | set(dupes.values()) == {"p1", "p3"}


def test_web_addresses_are_not_story_text() -> None:
    body = story(75)
    with_link = (*body, "https://social.example/@writer/113778884376882225")
    assert fingerprint(with_link).body_hash == fingerprint(body).body_hash
    assert fingerprint((*body, "see www.example.org/a/b?c=1")).body_hash == \
        fingerprint((*body, "see")).body_hash
    assert fingerprint((*body, "mail me@example.org")).body_hash != fingerprint(body).body_hash
