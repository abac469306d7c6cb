"""The catalog of the site's interface words: every word in every language, and pages that
use them."""

from __future__ import annotations

import pytest

from digest.site.labels import CATALOG, LANGUAGES, PLURALS, counted, labels, placeholders


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_label_is_in_every_language_with_the_same_placeholders(key: str) -> None:
    texts = CATALOG[key]
    assert set(texts) == set(LANGUAGES), f"{key}: missing {set(LANGUAGES) - set(texts)}"
    for language, text in texts.items():
        assert text.strip(), (key, language)
        assert placeholders(text) == placeholders(texts["en"]), (key, language)
        assert text.format(**{name: "x" for name in placeholders(text)})  # it fills


def test_a_language_reads_its_words_and_one_without_them_reads_english() -> None:
    assert labels("uk")["in_brief"] == CATALOG["in_brief"]["uk"]
    assert labels("de-AT")["timeline"] == CATALOG["timeline"]["de"]
    assert labels("xx") == {key: texts["en"] for key, texts in CATALOG.items()}
    translated = labels("fr")
    assert sum(translated[k] != CATALOG[k]["en"] for k in CATALOG) > len(CATALOG) // 2


@pytest.mark.parametrize("key", sorted(PLURALS))
def test_every_counted_word_is_in_every_language_with_its_other_form(key: str) -> None:
    assert set(PLURALS[key]) == set(LANGUAGES)
    for language, forms in PLURALS[key].items():
        assert "other" in forms, (key, language)
        assert all(placeholders(text) == {"n"} for text in forms.values()), (key, language)


def test_counts_take_the_languages_plural_forms() -> None:
    assert [counted("articles", n, "en") for n in (1, 2)] == ["1 article", "2 articles"]
    assert [counted("articles", n, "uk") for n in (1, 3, 5, 21)] == [
        "1 стаття", "3 статті", "5 статей", "21 стаття"]
    assert counted("articles", 2, "xx") == "2 articles"
