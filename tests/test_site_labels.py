"""The catalog of the site's interface words: every word in every language, and pages that
use them."""

from __future__ import annotations

import pytest

from digest.site.labels import CATALOG, LANGUAGES, labels, placeholders


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
