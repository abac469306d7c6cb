"""The site's own interface words (headings, notes, link labels) in the languages the project
translates them into.

Headlines, names and article text stay as published: only what the digest itself says is
here. A language without a translation reads English. To add a language, add its column to
every entry of ``CATALOG``: ``tests/test_site_labels.py`` checks that none is missing and
that each keeps the entry's ``{placeholders}``.
"""

from __future__ import annotations

import string

LANGUAGES = ("en", "uk", "de", "fr", "es")

CATALOG: dict[str, dict[str, str]] = {
    "untitled": {"en": "Untitled", "uk": "Без назви", "de": "Ohne Titel",
                 "fr": "Sans titre", "es": "Sin título"},
    "undated": {"en": "Undated", "uk": "Без дати", "de": "Ohne Datum", "fr": "Sans date",
                "es": "Sin fecha"},
    "in_brief": {"en": "In brief", "uk": "Коротко", "de": "Kurz gefasst", "fr": "En bref",
                 "es": "En resumen"},
    "the_article": {"en": "The article", "uk": "Стаття", "de": "Der Artikel",
                    "fr": "L’article", "es": "El artículo"},
    "pictures": {"en": "Pictures", "uk": "Світлини", "de": "Bilder", "fr": "Images",
                 "es": "Imágenes"},
    "related_articles": {"en": "Related articles", "uk": "Пов’язані статті",
                         "de": "Verwandte Artikel", "fr": "Articles liés",
                         "es": "Artículos relacionados"},
    "also_reported_by": {"en": "Also reported by", "uk": "Також повідомляють",
                         "de": "Auch berichtet von", "fr": "Également rapporté par",
                         "es": "También informan"},
    "adds": {"en": "adds: {text}", "uk": "додає: {text}", "de": "ergänzt: {text}",
             "fr": "ajoute : {text}", "es": "añade: {text}"},
    "original_article": {"en": "Original article", "uk": "Оригінал статті",
                         "de": "Originalartikel", "fr": "Article original",
                         "es": "Artículo original"},
    "topic_line": {"en": "Topic: {topic}", "uk": "Тема: {topic}", "de": "Thema: {topic}",
                   "fr": "Sujet : {topic}", "es": "Tema: {topic}"},
    "tags_line": {"en": "Tags: {tags}", "uk": "Мітки: {tags}", "de": "Schlagwörter: {tags}",
                  "fr": "Mots-clés : {tags}", "es": "Etiquetas: {tags}"},
    "title_from_text": {"en": "(title from the text)", "uk": "(заголовок узято з тексту)",
                        "de": "(Titel aus dem Text)", "fr": "(titre tiré du texte)",
                        "es": "(título tomado del texto)"},
    "no_text": {"en": "The source gives this headline without its text.",
                "uk": "Джерело подає цей заголовок без тексту.",
                "de": "Die Quelle bringt diese Schlagzeile ohne ihren Text.",
                "fr": "La source donne ce titre sans son texte.",
                "es": "La fuente da este titular sin su texto."},
    "read_at_source": {"en": "Read it at the source", "uk": "Читати в джерелі",
                       "de": "Bei der Quelle lesen", "fr": "Le lire à la source",
                       "es": "Leerlo en la fuente"},
    "summary": {"en": "Summary", "uk": "Підсумок", "de": "Zusammenfassung",
                "fr": "Résumé", "es": "Resumen"},
    "timeline": {"en": "Timeline", "uk": "Хронологія", "de": "Chronik", "fr": "Chronologie",
                 "es": "Cronología"},
    "follow_topic": {"en": "Follow this topic", "uk": "Стежити за темою",
                     "de": "Diesem Thema folgen", "fr": "Suivre ce sujet",
                     "es": "Seguir este tema"},
    "follow_digest": {"en": "Follow the digest", "uk": "Стежити за дайджестом",
                      "de": "Dem Digest folgen", "fr": "Suivre le digest",
                      "es": "Seguir el resumen"},
    "newer": {"en": "← Newer", "uk": "← Новіші", "de": "← Neuer", "fr": "← Plus récents",
              "es": "← Más recientes"},
    "older": {"en": "Older →", "uk": "Старіші →", "de": "Älter →", "fr": "Plus anciens →",
              "es": "Más antiguos →"},
    "page_of": {"en": "Page {page} of {pages}", "uk": "Сторінка {page} з {pages}",
                "de": "Seite {page} von {pages}", "fr": "Page {page} sur {pages}",
                "es": "Página {page} de {pages}"},
}

def labels(language: str) -> dict[str, str]:
    """Every interface word in ``language`` (a tag: "uk", "de-AT"), English where the catalog
    has no translation for it."""
    code = language.split("-")[0].lower()
    return {key: texts.get(code) or texts["en"] for key, texts in CATALOG.items()}


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a label is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
