"""Issue 16, item 9: an item without a title is titled from its own text (its first sentence,
cut at a phrase boundary to a headline's length, never ending on a function word), marked so
on the record and on its page; no "Untitled" page, no topic of all the untitled items.

The build is a real ``digest build`` process (MkDocs and the Material theme) of a small
fictional RSS file written in ``tmp_path``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.cache_codec import Codec
from digest.fields import from_fields
from digest.headline import (
    ELLIPSIS,
    FUNCTION_WORDS,
    LIMIT,
    first_sentence,
    headline,
    with_title_from_text,
)
from digest.per_article import clean_document, process
from digest.records import Article, Cleaned, RawDocument
from digest.summarize import split_sentences

LONG = ("Officials in the northern province said on Tuesday that the river had burst its banks, "
        "forcing thousands of residents to leave their homes in the middle of the night. "
        "Rescue teams arrived by boat.")


def last_word(title: str) -> str:
    return title.removesuffix(ELLIPSIS).rsplit(" ", 1)[-1].lower()


# --- the rule --------------------------------------------------------------------------------

def test_a_short_first_sentence_is_kept_whole_without_its_full_stop() -> None:
    assert headline("The ferry sails again. It was repaired over the winter.") == \
        "The ferry sails again"
    assert headline("Who pays for the new bridge? Nobody knows yet.") == \
        "Who pays for the new bridge?"
    assert headline("Fed raises rates in the U.S.") == "Fed raises rates in the U.S."
    # kept whole even when it ends on a function word: it is the writer's sentence
    assert headline("Here is what we know about.") == "Here is what we know about"


def test_a_long_first_sentence_is_cut_at_a_phrase_boundary() -> None:
    title = headline(LONG)
    assert title == ("Officials in the northern province said on Tuesday that the river had "
                     "burst its banks…")
    assert len(title) <= LIMIT + 1
    # a dash or a semicolon is a phrase boundary too
    dash = ("The council approved the budget for the new harbour wall on Monday night - a vote "
            "that ends two years of argument between the town and the port authority.")
    assert headline(dash) == ("The council approved the budget for the new harbour wall on "
                              "Monday night…")
    semi = ("Ticket prices for the island ferry will rise by a tenth from April; the operator "
            "blames the price of fuel and the cost of the new terminal at the quay.")
    assert headline(semi) == ("Ticket prices for the island ferry will rise by a tenth from "
                              "April…")


def test_without_punctuation_it_cuts_before_a_clause_or_at_a_word() -> None:
    clause = ("Engineers replaced the cable of the old crane on the east pier of the harbour "
              "while barges waited outside the breakwater for the tide to turn in the evening")
    assert headline(clause) == ("Engineers replaced the cable of the old crane on the east "
                                "pier of the harbour…")
    words = ("A new report from the independent agency responsible for monitoring the quality "
             "of drinking water in the region of the valley found nothing wrong with it")
    title = headline(words)
    assert title == ("A new report from the independent agency responsible for monitoring the "
                     "quality…")


def test_a_cut_headline_never_ends_on_a_function_word() -> None:
    texts = [
        "The mayor of the town said that the plans for the harbour were approved by all of "
        "the members of the council and the board of the port in the morning of the day.",
        "Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les "
        "agriculteurs touchés par la sécheresse dans le sud de la France.",
        "Die Regierung hat am Dienstag eine neue Reihe von Maßnahmen zur Unterstützung der "
        "Landwirte im Süden des Landes angekündigt und will sie bald umsetzen.",
    ]
    for text in texts:
        title = headline(text)
        assert title.endswith(ELLIPSIS) and len(title) <= LIMIT + 1, title
        word = last_word(title)
        assert word not in FUNCTION_WORDS, title
        assert not (len(word) <= 2 and word.isalpha()), title  # a generic short word
    assert headline(texts[1]) == ("Le gouvernement a annoncé mardi une nouvelle série de "
                                  "mesures pour soutenir…")


def test_scripts_without_spaces_are_cut_at_a_width() -> None:
    chinese = ("中国国家统计局周二公布的数据显示今年前三季度全国居民人均可支配收入同比名义增长"
               "百分之六点三扣除价格因素实际增长百分之五点九增速比上半年加快零点一个百分点")
    title = headline(chinese)
    assert title.endswith(ELLIPSIS)
    body = title.removesuffix(ELLIPSIS)
    assert chinese.startswith(body)
    assert 30 <= len(body) <= LIMIT // 2  # wide characters count twice
    # a comma in a long enough head is a phrase boundary
    with_comma = ("港口管理局周二宣布东码头的起重机已经修复完毕并重新投入使用，"
                  "驳船从本周起可以再次在东码头卸货，港务长表示冬季期间码头将延长开放时间以便"
                  "渔船停靠")
    assert headline(with_comma) == "港口管理局周二宣布东码头的起重机已经修复完毕并重新投入使用…"
    assert headline("渡轮恢复航行。") == "渡轮恢复航行"


def test_a_wrapped_first_paragraph_reads_as_one_line() -> None:
    wrapped = ("The crane on the east pier was repaired by the harbour crew on Tuesday, after\n"
               "engineers spent three days replacing the winch cable and testing the brakes.\n\n"
               "Barges can unload again.")
    assert headline(wrapped) == ("The crane on the east pier was repaired by the harbour crew "
                                 "on Tuesday…")
    assert headline("Here are the results:\n\nOne, two.") == "Here are the results"


def test_no_text_gives_no_headline() -> None:
    assert headline("") == ""
    assert headline(" \n\t ") == ""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.sampled_from(list("abc de fgh, the of; and - — .?!\n\tÉé中文，。 (x) ")),
               max_size=400),
       st.integers(min_value=10, max_value=120))
def test_a_headline_is_a_prefix_of_the_first_sentence(text: str, limit: int) -> None:
    title = headline(text, limit)
    if not text.strip():
        assert title == ""
        return
    assert title
    assert len(title) <= limit + 1
    first = first_sentence(text)
    assert first and " ".join(text.split()).startswith(first)  # the text's own start
    if not re.search(r"\n\s*\n", text.strip()):  # one paragraph: its lines joined
        assert first == split_sentences(" ".join(text.split()))[0]
    body = title.removesuffix(ELLIPSIS) if len(title) > 1 else title
    assert first.startswith(" ".join(body.split())), (title, first)


# --- the record ------------------------------------------------------------------------------

def test_every_source_type_gets_the_same_marked_title() -> None:
    fields = {"text": LONG}
    from_jsonl = clean_document(RawDocument("s/1", "s", "a.jsonl:1", fields=fields))
    assert from_jsonl.title == headline(LONG) and from_jsonl.title_from_text
    scraped = clean_document(RawDocument("s/2", "s", "a.txt", text=LONG + "\n\nMore text here."))
    assert scraped.title and scraped.title_from_text
    assert "Untitled" not in scraped.title
    titled = clean_document(RawDocument("s/3", "s", "a.jsonl:3",
                                        fields={"title": "Flood in the north", "text": LONG}))
    assert titled.title == "Flood in the north" and not titled.title_from_text
    article = process(RawDocument("s/1", "s", "a.jsonl:1", fields=fields), frozenset(), 2).article
    assert article is not None and article.title == headline(LONG) and article.title_from_text
    # marked once: a titled record keeps its title; the mark survives JSON Lines
    assert with_title_from_text(from_jsonl) is from_jsonl
    assert from_fields({"title": from_jsonl.title, "title_from_text": True,
                        "text": LONG}).title_from_text
    assert not from_fields({"title_from_text": True, "text": LONG}).title_from_text


def test_the_mark_round_trips_through_the_cache_codec() -> None:
    codec = Codec([Article, Cleaned])
    article = Article("s/1", "s", "a", Cleaned(title="T", body=("B.",), title_from_text=True))
    again = codec.decode(codec.encode(article))
    assert again == article and again.title_from_text


# --- a real build ----------------------------------------------------------------------------

UNTITLED_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
<channel>
<title>Quayside Notes</title>
<link>https://quayside.example.org/</link>
<description>Notes from a fictional harbour town.</description>
<item>
<link>https://quayside.example.org/crane</link>
<pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate>
<description>The crane on the east pier was repaired by the harbour crew on Tuesday, after
engineers spent three days replacing the winch cable and testing the brakes. Barges can now
unload at the east pier again, the harbour master said.</description>
</item>
<item>
<link>https://quayside.example.org/library</link>
<pubDate>Tue, 03 Mar 2026 09:00:00 GMT</pubDate>
<description>The town library opened a reading room for visiting sailors. It holds charts,
newspapers in nine languages and a kettle. Volunteers will keep it open every evening
through the winter.</description>
</item>
<item>
<link>https://quayside.example.org/regatta</link>
<pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>
<description>The regatta committee chose a shorter course that stays inside the breakwater
&amp; &lt;b&gt;away&lt;/b&gt; from the rocks where two yachts ran aground in last year's storm.
Skippers had asked for calmer water. The first race starts at the lighthouse buoy.</description>
</item>
</channel>
</rss>
"""

EXPECTED = [
    "The crane on the east pier was repaired by the harbour crew on Tuesday…",
    "The town library opened a reading room for visiting sailors",
    "The regatta committee chose a shorter course that stays inside the breakwater &amp; away…",
]


def test_a_build_of_untitled_items_titles_each_from_its_text(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text(
        "site: {title: Quay Digest, url: 'https://quay.example.org/'}\n"
        "sources:\n  - {name: notes, type: rss, path: feed.xml}\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", "utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "feed.xml").write_text(UNTITLED_RSS, "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-m", "digest", "build"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    pages = {p: p.read_text("utf-8") for p in (site / "articles").rglob("index.html")}
    headings = sorted(h for page in pages.values() for h in re.findall(r">([^<>]*)</h1>", page))
    assert headings == sorted(EXPECTED)
    for page in pages.values():
        # the note, escaped like any text, right under the headline
        assert re.search(r"</h1>\s*<p><em>\(title from the text\)</em></p>", page)
    # no "Untitled" page, topic name or topic address (search index and feeds included)
    for path in [*site.rglob("*.html"), *site.rglob("*.json"), *site.rglob("*.xml")]:
        assert "untitled" not in path.read_text("utf-8").lower(), path
    topics = [p for p in (site / "topics").rglob("index.html") if p.parent != site / "topics"]
    linked = [set(re.findall(r'href="[./]*articles/([^"]+)"', topic.read_text("utf-8")))
              for topic in topics]
    assert linked and all(linked)
    assert all(len(ids) < 3 for ids in linked)  # no topic of all the untitled items
    report = json.loads((tmp_path / "build-report.json").read_text("utf-8"))
    assert report["built"]
