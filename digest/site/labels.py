"""The site's own interface words (headings, notes, link labels) in the languages the project
translates them into.

Headlines, names and article text stay as published: only what the digest itself says is
here. A language without a translation reads English. To add a language, add its column to
every entry of ``CATALOG``: ``tests/test_site_labels.py`` checks that none is missing and
that each keeps the entry's ``{placeholders}``.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable

from babel import Locale

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
    "digest": {"en": "The digest", "uk": "Дайджест", "de": "Der Digest", "fr": "Le digest",
               "es": "El resumen"},
    "digest_for": {"en": "The digest for {day}", "uk": "Дайджест за {day}",
                   "de": "Der Digest vom {day}", "fr": "Le digest du {day}",
                   "es": "El resumen del {day}"},
    "digest_for_days": {"en": "The digest for {first} – {last}",
                        "uk": "Дайджест за {first} – {last}",
                        "de": "Der Digest vom {first} – {last}",
                        "fr": "Le digest du {first} au {last}",
                        "es": "El resumen del {first} al {last}"},
    "all_topics": {"en": "All topics", "uk": "Усі теми", "de": "Alle Themen",
                   "fr": "Tous les sujets", "es": "Todos los temas"},
    "archive_link": {"en": "archive", "uk": "архів", "de": "Archiv", "fr": "archives",
                     "es": "archivo"},
    "no_dates": {"en": "No article of this digest gives a date.",
                 "uk": "Жодна стаття цього дайджесту не має дати.",
                 "de": "Kein Artikel dieses Digests nennt ein Datum.",
                 "fr": "Aucun article de ce digest n’indique de date.",
                 "es": "Ningún artículo de este resumen indica una fecha."},
    "no_articles": {"en": "No articles yet: add sources to `feeds.yaml` and build again.",
                    "uk": "Статей ще немає: додайте джерела у `feeds.yaml` і зберіть знову.",
                    "de": "Noch keine Artikel: Quellen in `feeds.yaml` eintragen und neu "
                          "bauen.",
                    "fr": "Pas encore d’articles : ajoutez des sources à `feeds.yaml` et "
                          "reconstruisez.",
                    "es": "Aún no hay artículos: añada fuentes en `feeds.yaml` y vuelva a "
                          "construir."},
    "more_topics": {"en": "More topics", "uk": "Інші теми", "de": "Weitere Themen",
                    "fr": "Autres sujets", "es": "Más temas"},
    "earlier": {"en": "Earlier", "uk": "Раніше", "de": "Früher", "fr": "Plus tôt",
                "es": "Antes"},
    "nav_today": {"en": "Today", "uk": "Сьогодні", "de": "Heute", "fr": "Aujourd’hui",
                  "es": "Hoy"},
    "nav_topics": {"en": "Topics", "uk": "Теми", "de": "Themen", "fr": "Sujets",
                   "es": "Temas"},
    "nav_archive": {"en": "Archive", "uk": "Архів", "de": "Archiv", "fr": "Archives",
                    "es": "Archivo"},
    "nav_sources": {"en": "Sources", "uk": "Джерела", "de": "Quellen", "fr": "Sources",
                    "es": "Fuentes"},
    "nav_about": {"en": "About", "uk": "Про сайт", "de": "Über", "fr": "À propos",
                  "es": "Acerca de"},
    "no_dated_articles": {"en": "No article has a date yet, so there are no days or months "
                                "to browse.",
                          "uk": "Жодна стаття ще не має дати, тож днів і місяців для "
                                "перегляду немає.",
                          "de": "Noch kein Artikel hat ein Datum, daher gibt es keine Tage "
                                "oder Monate zum Blättern.",
                          "fr": "Aucun article n’a encore de date : pas de jours ni de mois "
                                "à parcourir.",
                          "es": "Ningún artículo tiene fecha todavía, así que no hay días ni "
                                "meses que recorrer."},
    "browse_by_tag": {"en": "Browse by tag", "uk": "Перегляд за мітками",
                      "de": "Nach Schlagwort blättern", "fr": "Parcourir par mot-clé",
                      "es": "Explorar por etiqueta"},
    "all_tags": {"en": "all tags", "uk": "усі мітки", "de": "alle Schlagwörter",
                 "fr": "tous les mots-clés", "es": "todas las etiquetas"},
    "tags_title": {"en": "Tags", "uk": "Мітки", "de": "Schlagwörter", "fr": "Mots-clés",
                   "es": "Etiquetas"},
    "tags_intro": {"en": "Names and places that several articles share.",
                   "uk": "Імена й місця, спільні для кількох статей.",
                   "de": "Namen und Orte, die mehrere Artikel teilen.",
                   "fr": "Noms et lieux que partagent plusieurs articles.",
                   "es": "Nombres y lugares que comparten varios artículos."},
    "in_the_archive": {"en": "{older} in the {archive}", "uk": "{older} в {archive}",
                       "de": "{older} im {archive}", "fr": "{older} dans les {archive}",
                       "es": "{older} en el {archive}"},
    "topics_page": {"en": "Topics ({page})", "uk": "Теми ({page})", "de": "Themen ({page})",
                    "fr": "Sujets ({page})", "es": "Temas ({page})"},
    "bigger_topics": {"en": "← Bigger topics", "uk": "← Більші теми",
                      "de": "← Größere Themen", "fr": "← Sujets plus larges",
                      "es": "← Temas más amplios"},
    "smaller_topics": {"en": "Smaller topics →", "uk": "Менші теми →",
                       "de": "Kleinere Themen →", "fr": "Sujets plus restreints →",
                       "es": "Temas más pequeños →"},
    "latest_on": {"en": "latest {day}", "uk": "останнє {day}", "de": "zuletzt {day}",
                  "fr": "dernier le {day}", "es": "último el {day}"},
    "undated_lower": {"en": "undated", "uk": "без дати", "de": "ohne Datum",
                      "fr": "sans date", "es": "sin fecha"},
    "previous_day": {"en": "The day before: {day}", "uk": "Попередній день: {day}",
                     "de": "Der Tag davor: {day}", "fr": "La veille : {day}",
                     "es": "El día anterior: {day}"},
}

# Counted words, by the language's plural category (Unicode CLDR, as Babel gives it); a
# language lists the categories it uses, and "other" always.
PLURALS: dict[str, dict[str, dict[str, str]]] = {
    "articles": {
        "en": {"one": "{n} article", "other": "{n} articles"},
        "uk": {"one": "{n} стаття", "few": "{n} статті", "many": "{n} статей",
               "other": "{n} статті"},
        "de": {"one": "{n} Artikel", "other": "{n} Artikel"},
        "fr": {"one": "{n} article", "many": "{n} d’articles", "other": "{n} articles"},
        "es": {"one": "{n} artículo", "many": "{n} de artículos", "other": "{n} artículos"},
    },
    "older_articles": {
        "en": {"one": "{n} older article", "other": "{n} older articles"},
        "uk": {"one": "ще {n} давніша стаття", "few": "ще {n} давніші статті",
               "many": "ще {n} давніших статей", "other": "ще {n} давніші статті"},
        "de": {"one": "{n} älterer Artikel", "other": "{n} ältere Artikel"},
        "fr": {"one": "{n} article plus ancien", "many": "{n} d’articles plus anciens",
               "other": "{n} articles plus anciens"},
        "es": {"one": "{n} artículo anterior", "many": "{n} de artículos anteriores",
               "other": "{n} artículos anteriores"},
    },
    "more_articles": {
        "en": {"one": "{n} more article", "other": "{n} more articles"},
        "uk": {"one": "ще {n} стаття", "few": "ще {n} статті", "many": "ще {n} статей",
               "other": "ще {n} статті"},
        "de": {"one": "{n} weiterer Artikel", "other": "{n} weitere Artikel"},
        "fr": {"one": "{n} autre article", "many": "{n} d’autres articles",
               "other": "{n} autres articles"},
        "es": {"one": "{n} artículo más", "many": "{n} de artículos más",
               "other": "{n} artículos más"},
    },
}


def counted(key: str, count: int, language: str) -> str:
    """``count`` of a counted word of ``PLURALS`` in ``language`` (English where it has none):
    "1 article", "5 статей"."""
    code = language.split("-")[0].lower()
    if code not in PLURALS[key]:
        code = "en"
    forms = PLURALS[key][code]
    return (forms.get(_plural_rule(code)(count)) or forms["other"]).format(n=count)


@functools.cache
def _plural_rule(code: str) -> Callable[[int], str]:
    """The language's CLDR plural rule (a number -> "one", "few", "many"...): parsed once, as
    a site counts thousands of lists."""
    return Locale.parse(code).plural_form


NAV_KEYS = ("nav_today", "nav_topics", "nav_archive", "nav_sources", "nav_about")


def labels(language: str) -> dict[str, str]:
    """Every interface word in ``language`` (a tag: "uk", "de-AT"), English where the catalog
    has no translation for it."""
    code = language.split("-")[0].lower()
    return {key: texts.get(code) or texts["en"] for key, texts in CATALOG.items()}


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a label is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
