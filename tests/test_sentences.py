"""The sentence splitter: hard news cases, lower-cased text, and its guarantees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.summarize import split_sentences
from digest.summarize.sentences import is_lower_cased, sentence_spans

CASES = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "sentences.jsonl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Sen. Jones. They talked.", ["Mr. Smith met Sen. Jones.", "They talked."]),
        ("gov. jerry brown signed it on jan. 5. it takes effect soon.",
         ["gov. jerry brown signed it on jan. 5.", "it takes effect soon."]),
        ("she moved to the u.s. in 1990. the move changed her.",
         ["she moved to the u.s. in 1990.", "the move changed her."]),
        ("she moved to the u.s. the move changed her.",
         ["she moved to the u.s.", "the move changed her."]),
        ("Michael B. Jordan stars. It opens in August.",
         ["Michael B. Jordan stars.", "It opens in August."]),
        ("The rate rose to 3.5 percent. Shares fell.",
         ["The rate rose to 3.5 percent.", "Shares fell."]),
        ('"Why?" he asked. Nobody answered.', ['"Why?" he asked.', "Nobody answered."]),
        ('"why?" asked the boy. his father was silent.',
         ['"why?" asked the boy.', "his father was silent."]),
        ("' it is over. ' the crowd went quiet.", ["' it is over. '", "the crowd went quiet."]),
        ("he said. ' we won. '", ["he said.", "' we won. '"]),
        ("WASHINGTON — The Senate voted. It passed.",
         ["WASHINGTON — The Senate voted.", "It passed."]),
        ("Key points:\n1. Taxes rise.\n2. Spending falls.",
         ["Key points:", "1. Taxes rise.", "2. Spending falls."]),
        ("Київ зазнав удару. Загинули троє людей.", ["Київ зазнав удару.", "Загинули троє людей."]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_hard_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_paragraphs_never_join() -> None:
    text = "A subhead without a stop\n\nThe body starts here. It goes on"
    assert split_sentences(text) == [
        "A subhead without a stop", "The body starts here.", "It goes on"]


def test_case_detection() -> None:
    assert is_lower_cased("(cnn) the u.s. said so.")
    assert not is_lower_cased("The U.S. said so.")
    assert not is_lower_cased("1234 -- !!")


def test_bundled_hard_cases_mostly_right() -> None:
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line]
    assert len(cases) >= 100
    right = sum(split_sentences(c["text"]) == c["sentences"] for c in cases)
    assert right / len(cases) >= 0.95


_news_text = st.lists(
    st.sampled_from(["Mr.", "u.s.", "3.5", "the", "Kyiv", "said", ".", "?", "!", '"', "'", "—",
                     "\n", "\n\n", " ", "a.m.", "Jan.", "B.", "…", "(cnn)", "word", "It"]),
    max_size=60,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _news_text))
def test_sentences_are_ordered_stripped_substrings(text: str) -> None:
    spans = sentence_spans(text)
    sentences = split_sentences(text)
    assert sentences == [text[a:b] for a, b in spans]
    last = 0
    for (a, b), sentence in zip(spans, sentences, strict=True):
        assert last <= a < b
        last = b
        assert sentence == sentence.strip() and sentence
        assert "\n" not in sentence
    # nothing but white space is lost
    assert "".join("".join(sentences).split()) == "".join(text.split())
