"""Shared text tools."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from digest.text import normalize_title, paragraphs


def test_paragraphs_split_on_blank_lines_even_with_spaces() -> None:
    assert paragraphs("One.\n \nTwo\nlines.\n\n\n  Three.  ") == ["One.", "Two\nlines.", "Three."]


@given(st.text())
def test_paragraphs_are_stripped_non_empty_pieces_of_the_text(text: str) -> None:
    for p in paragraphs(text):
        assert p and p == p.strip() and p in text


def test_titles_agree_across_case_and_punctuation() -> None:
    assert normalize_title("Biden’s  US-missiles: to strike!") == normalize_title(
        "bidens us missiles to strike")
