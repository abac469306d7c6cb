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
    "no_sources": {"en": "This digest has no sources yet: add one to the `sources:` list in"
                          " `feeds.yaml` and build again.",
                   "uk": "У цього дайджесту ще немає джерел: додайте джерело до списку"
                         " `sources:` у `feeds.yaml` і зберіть знову.",
                   "de": "Dieser Digest hat noch keine Quellen: eine Quelle in die Liste"
                         " `sources:` in `feeds.yaml` eintragen und neu bauen.",
                   "fr": "Ce digest n’a pas encore de sources : ajoutez-en une à la liste"
                         " `sources:` de `feeds.yaml` et reconstruisez.",
                   "es": "Este resumen aún no tiene fuentes: añada una a la lista `sources:`"
                         " de `feeds.yaml` y vuelva a construir."},
    "no_articles": {"en": "No articles yet: the sources of this digest have given none so far.",
                    "uk": "Статей ще немає: джерела цього дайджесту поки не дали жодної.",
                    "de": "Noch keine Artikel: die Quellen dieses Digests haben bisher keine"
                          " geliefert.",
                    "fr": "Pas encore d’articles : les sources de ce digest n’en ont fourni"
                          " aucun pour l’instant.",
                    "es": "Aún no hay artículos: las fuentes de este resumen todavía no han"
                          " dado ninguno."},
    "no_topics": {"en": "No topics yet.", "uk": "Тем ще немає.", "de": "Noch keine Themen.",
                  "fr": "Pas encore de sujets.", "es": "Aún no hay temas."},
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
    "dark_mode": {"en": "Dark mode", "uk": "Темна тема", "de": "Dunkler Modus",
                  "fr": "Mode sombre", "es": "Modo oscuro"},
    "light_mode": {"en": "Light mode", "uk": "Світла тема", "de": "Heller Modus",
                   "fr": "Mode clair", "es": "Modo claro"},
    "footer_built": {"en": "Built {when} from", "uk": "Зібрано {when} з",
                     "de": "Erstellt {when} aus",
                     "fr": "Construit le {when} à partir de", "es": "Compilado el {when} con"},
    "footer_built_alone": {"en": "Built {when}", "uk": "Зібрано {when}",
                           "de": "Erstellt {when}", "fr": "Construit le {when}",
                           "es": "Compilado el {when}"},
    "footer_news": {"en": "News from", "uk": "Новини з", "de": "Nachrichten von",
                    "fr": "Nouvelles de", "es": "Noticias de"},
    "footer_follow": {"en": "Follow:", "uk": "Стежити:", "de": "Folgen:", "fr": "Suivre :",
                      "es": "Seguir:"},
    "footer_made_with": {"en": "Made with newsdigest and",
                         "uk": "Зроблено за допомогою newsdigest і",
                         "de": "Erstellt mit newsdigest und", "fr": "Fait avec newsdigest et",
                         "es": "Hecho con newsdigest y"},
    "footer_more_sources": {"en": "{sources} and {n} more", "uk": "{sources} та ще {n}",
                            "de": "{sources} und {n} weitere", "fr": "{sources} et {n} autres",
                            "es": "{sources} y {n} más"},
    "search_more": {"en": "More results", "uk": "Більше результатів",
                    "de": "Weitere Ergebnisse", "fr": "Plus de résultats",
                    "es": "Más resultados"},
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
    # the sources page and the build report
    "col_source": {"en": "Source", "uk": "Джерело", "de": "Quelle", "fr": "Source",
                   "es": "Fuente"},
    "col_type": {"en": "Type", "uk": "Тип", "de": "Art", "fr": "Type", "es": "Tipo"},
    "col_articles": {"en": "Articles", "uk": "Статті", "de": "Artikel", "fr": "Articles",
                     "es": "Artículos"},
    "col_duplicates": {"en": "Duplicates merged", "uk": "Об’єднано копій",
                       "de": "Zusammengeführte Kopien", "fr": "Doublons fusionnés",
                       "es": "Duplicados fusionados"},
    "col_skipped": {"en": "Skipped inputs", "uk": "Пропущені входи",
                    "de": "Übersprungene Eingaben", "fr": "Entrées ignorées",
                    "es": "Entradas omitidas"},
    "col_latest": {"en": "Latest article", "uk": "Найновіша стаття", "de": "Neuester Artikel",
                   "fr": "Dernier article", "es": "Artículo más reciente"},
    "opml_link": {"en": "All feed sources as OPML", "uk": "Усі стрічки джерел в OPML",
                  "de": "Alle Feed-Quellen als OPML", "fr": "Toutes les sources de flux en OPML",
                  "es": "Todas las fuentes de feeds en OPML"},
    "build_report": {"en": "Build report", "uk": "Звіт про збірку", "de": "Build-Bericht",
                     "fr": "Rapport de construction", "es": "Informe de compilación"},
    "every_skipped": {"en": "Every skipped input and why", "uk": "Кожен пропущений вхід і чому",
                      "de": "Jede übersprungene Eingabe und warum",
                      "fr": "Chaque entrée ignorée et pourquoi",
                      "es": "Cada entrada omitida y por qué"},
    "built_at": {"en": "Built {when}: {summary}", "uk": "Зібрано {when}: {summary}",
                 "de": "Erstellt {when}: {summary}", "fr": "Construit le {when} : {summary}",
                 "es": "Compilado el {when}: {summary}"},
    "unknown": {"en": "Unknown", "uk": "Невідомо", "de": "Unbekannt", "fr": "Inconnu",
                "es": "Desconocido"},
    "skipped_inputs": {"en": "Skipped inputs", "uk": "Пропущені входи",
                       "de": "Übersprungene Eingaben", "fr": "Entrées ignorées",
                       "es": "Entradas omitidas"},
    "nothing_skipped": {"en": "Nothing was skipped.", "uk": "Нічого не пропущено.",
                        "de": "Nichts wurde übersprungen.", "fr": "Rien n’a été ignoré.",
                        "es": "No se omitió nada."},
    "kept_with_note": {"en": "Kept with a note", "uk": "Збережено з приміткою",
                       "de": "Mit Hinweis behalten", "fr": "Gardé avec une note",
                       "es": "Conservado con una nota"},
    "more_listed": {"en": "and {n} more, listed in {file}", "uk": "і ще {n}, перелічені в {file}",
                    "de": "und {n} weitere, aufgeführt in {file}",
                    "fr": "et {n} de plus, listés dans {file}",
                    "es": "y {n} más, enumerados en {file}"},
    # the tag index (tag_page.py)
    "tags_most_used": {"en": "Most used", "uk": "Найуживаніші", "de": "Am häufigsten",
                       "fr": "Les plus utilisés", "es": "Los más usados"},
    "tags_a_to_z": {"en": "All tags from A to Z", "uk": "Усі мітки за абеткою",
                    "de": "Alle Schlagwörter von A bis Z", "fr": "Tous les mots-clés de A à Z",
                    "es": "Todas las etiquetas de la A a la Z"},
    "tags_page": {"en": "Tags ({page})", "uk": "Мітки ({page})", "de": "Schlagwörter ({page})",
                  "fr": "Mots-clés ({page})", "es": "Etiquetas ({page})"},
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
    "sources": {
        "en": {"one": "{n} source", "other": "{n} sources"},
        "uk": {"one": "{n} джерело", "few": "{n} джерела", "many": "{n} джерел",
               "other": "{n} джерела"},
        "de": {"one": "{n} Quelle", "other": "{n} Quellen"},
        "fr": {"one": "{n} source", "many": "{n} de sources", "other": "{n} sources"},
        "es": {"one": "{n} fuente", "many": "{n} de fuentes", "other": "{n} fuentes"},
    },
    "all_stories": {
        "en": {"one": "{n} story of the day →", "other": "All {n} stories of the day →"},
        "uk": {"one": "Усі {n} сюжет дня →", "few": "Усі {n} сюжети дня →",
               "many": "Усі {n} сюжетів дня →", "other": "Усі {n} сюжету дня →"},
        "de": {"one": "{n} Meldung des Tages →", "other": "Alle {n} Meldungen des Tages →"},
        "fr": {"one": "{n} sujet du jour →", "many": "Les {n} de sujets du jour →",
               "other": "Les {n} sujets du jour →"},
        "es": {"one": "{n} noticia del día →", "many": "Las {n} de noticias del día →",
               "other": "Las {n} noticias del día →"},
    },
    "published": {
        "en": {"one": "{n} article published", "other": "{n} articles published"},
        "uk": {"one": "опубліковано {n} статтю", "few": "опубліковано {n} статті",
               "many": "опубліковано {n} статей", "other": "опубліковано {n} статті"},
        "de": {"one": "{n} Artikel veröffentlicht", "other": "{n} Artikel veröffentlicht"},
        "fr": {"one": "{n} article publié", "many": "{n} d’articles publiés",
               "other": "{n} articles publiés"},
        "es": {"one": "{n} artículo publicado", "many": "{n} de artículos publicados",
               "other": "{n} artículos publicados"},
    },
    "merged": {
        "en": {"one": "{n} duplicate merged", "other": "{n} duplicates merged"},
        "uk": {"one": "{n} копію об’єднано", "few": "{n} копії об’єднано",
               "many": "{n} копій об’єднано", "other": "{n} копії об’єднано"},
        "de": {"one": "{n} Kopie zusammengeführt", "other": "{n} Kopien zusammengeführt"},
        "fr": {"one": "{n} doublon fusionné", "many": "{n} de doublons fusionnés",
               "other": "{n} doublons fusionnés"},
        "es": {"one": "{n} duplicado fusionado", "many": "{n} de duplicados fusionados",
               "other": "{n} duplicados fusionados"},
    },
    "topics": {
        "en": {"one": "{n} topic", "other": "{n} topics"},
        "uk": {"one": "{n} тема", "few": "{n} теми", "many": "{n} тем", "other": "{n} теми"},
        "de": {"one": "{n} Thema", "other": "{n} Themen"},
        "fr": {"one": "{n} sujet", "many": "{n} de sujets", "other": "{n} sujets"},
        "es": {"one": "{n} tema", "many": "{n} de temas", "other": "{n} temas"},
    },
    "skipped": {
        "en": {"one": "{n} input skipped", "other": "{n} inputs skipped"},
        "uk": {"one": "{n} вхід пропущено", "few": "{n} входи пропущено",
               "many": "{n} входів пропущено", "other": "{n} входу пропущено"},
        "de": {"one": "{n} Eingabe übersprungen", "other": "{n} Eingaben übersprungen"},
        "fr": {"one": "{n} entrée ignorée", "many": "{n} d’entrées ignorées",
               "other": "{n} entrées ignorées"},
        "es": {"one": "{n} entrada omitida", "many": "{n} de entradas omitidas",
               "other": "{n} entradas omitidas"},
    },
    "noted": {
        "en": {"one": "{n} kept with a note", "other": "{n} kept with a note"},
        "uk": {"one": "{n} збережено з приміткою", "other": "{n} збережено з приміткою"},
        "de": {"one": "{n} mit Hinweis behalten", "other": "{n} mit Hinweis behalten"},
        "fr": {"one": "{n} gardé avec une note", "other": "{n} gardés avec une note"},
        "es": {"one": "{n} conservado con una nota", "other": "{n} conservados con una nota"},
    },
    "inputs": {
        "en": {"one": "{n} input", "other": "{n} inputs"},
        "uk": {"one": "{n} вхід", "few": "{n} входи", "many": "{n} входів", "other": "{n} входу"},
        "de": {"one": "{n} Eingabe", "other": "{n} Eingaben"},
        "fr": {"one": "{n} entrée", "many": "{n} d’entrées", "other": "{n} entrées"},
        "es": {"one": "{n} entrada", "many": "{n} de entradas", "other": "{n} entradas"},
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
THEME_KEYS = ("dark_mode", "light_mode")  # the sample mkdocs.yml's palette toggle names


def labels(language: str) -> dict[str, str]:
    """Every interface word in ``language`` (a tag: "uk", "de-AT"), English where the catalog
    has no translation for it."""
    code = language.split("-")[0].lower()
    return {key: texts.get(code) or texts["en"] for key, texts in CATALOG.items()}


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a label is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
