"""Issue 16, items 5 and 6: what a source repeats on its items (its template) is learned from
the source's items, this build's and those remembered from earlier builds, and left out of
bodies and summaries; it is no evidence that two posts are copies. Fictional feeds written in
``tmp_path``, read as ``path:`` sources by the real pipeline."""

from __future__ import annotations

import html
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from digest.cache import Cache, NoCache
from digest.clean.template import (
    ItemUnits,
    item_units,
    learn_template,
    trailing_sentence,
    unit_key,
    without_template,
)
from digest.config import load_config
from digest.pipeline import CACHED_RECORDS, build_digest
from digest.records import Cleaned

STORIES = [
    ("Harbour crane back in service",
     "The old harbour crane lifted its first container in three years on Monday morning."
     " Dock workers said the repairs had cost less than the port authority feared."),
    ("Night ferry timetable changes",
     "From next month the night ferry will leave the north quay twenty minutes later."
     " Commuters asked for the change in a petition signed by four hundred people."),
    ("Library opens on Sundays",
     "The town library will open on Sundays from noon, the council decided after a long"
     " debate about staff hours and heating costs in the winter."),
    ("Cycle lane on Mill Road finished",
     "Builders finished the cycle lane on Mill Road two weeks ahead of schedule, and the"
     " temporary lights at the bridge were taken down on Friday."),
    ("School choir wins regional prize",
     "The primary school choir won the regional prize with a song written by two of its"
     " pupils about the fishing boats that leave before dawn."),
    ("Market hall roof repaired",
     "Roofers replaced forty slates on the market hall after the storm, and the Saturday"
     " market returns to its usual place this weekend."),
    ("Lifeboat crew trains new volunteers",
     "Six new volunteers joined the lifeboat crew this spring and will train every Tuesday"
     " evening until they can go out on call in the autumn."),
    ("Allotment waiting list shrinks",
     "The waiting list for allotments fell by half after the council opened forty new plots"
     " on the field behind the old railway station."),
]
FOOTER = "Continue reading…"
THANKS = ("Thank you for reading the Brackwater Bulletin by feed. If you would like to see the"
          " whole site, with its photographs and its archive of older stories, or write to us"
          " about anything you read here, you will find every address on the contact page.")


def rss(items: list[tuple[str, list[str]]], day: int = 1) -> str:
    """An RSS 2.0 feed of (title, paragraphs) items, each with its own link and a date."""
    entries = []
    for n, (title, paragraphs) in enumerate(items):
        content = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        slug = "-".join(title.lower().split())
        entries.append(
            f"<item><title>{html.escape(title)}</title>"
            f"<link>https://bulletin.example/{slug}</link>"
            f"<pubDate>{day + n % 2:02d} Mar 2026 08:00:00 GMT</pubDate>"
            f"<description>{html.escape(content)}</description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<title>Brackwater Bulletin</title><link>https://bulletin.example/</link>"
            + "".join(entries) + "</channel></rss>")


def project(tmp_path: Path, feed: str, cache: bool = False) -> Path:
    (tmp_path / "bulletin.xml").write_text(feed, "utf-8")
    (tmp_path / "feeds.yaml").write_text(
        f"cache: {'.digest-cache.sqlite' if cache else 'null'}\n"
        "sources:\n  - {name: bulletin, type: rss, path: bulletin.xml}\n", "utf-8")
    return tmp_path / "feeds.yaml"


def units(items: list[tuple[str, list[str]]]) -> list[ItemUnits]:
    return [item_units(str(n), title, body) for n, (title, body) in enumerate(items)]


# --- learning -----------------------------------------------------------------------------

def test_a_line_on_three_different_stories_is_template_and_leaves_bodies_and_summaries(
        tmp_path: Path) -> None:
    items = [(t, [text, FOOTER]) for t, text in STORIES[:3]]
    digest = build_digest(load_config(project(tmp_path, rss(items))), jobs=1)
    assert len(digest.articles) == 3
    for article in digest.articles:
        assert FOOTER not in article.body and FOOTER not in " ".join(article.summary)
        assert article.body  # the story's own text stays
    notice = [n for n in digest.notices if "template" in n.reason]
    assert len(notice) == 1 and notice[0].origin == "bulletin.xml"
    assert notice[0].reason.startswith("3 items:") and "Continue reading" in notice[0].reason


def test_two_items_sharing_a_line_prove_nothing() -> None:
    items = [(t, [text, FOOTER]) for t, text in STORIES[:2]]
    assert learn_template(units(items)) == frozenset()


def test_a_prompt_glued_to_the_last_paragraph_is_cut_from_it() -> None:
    items = [(t, [f"{text} Read the full story on our site."]) for t, text in STORIES[:4]]
    template = learn_template(units(items))
    title, body = items[0]
    cleaned, removed = without_template(Cleaned(title=title, body=tuple(body)), template)
    assert removed == ("Read the full story on our site.",)
    assert cleaned.body == (STORIES[0][1],)


def test_the_items_own_title_is_masked_so_a_footer_naming_it_recurs() -> None:
    items = [(t, [text, f"The post {t} appeared first on Brackwater Bulletin."])
             for t, text in STORIES[:3]]
    template = learn_template(units(items))
    for title, body in items:
        cleaned, removed = without_template(Cleaned(title=title, body=tuple(body)), template)
        assert cleaned.body == (body[0],) and len(removed) == 1


def test_a_body_that_is_its_title_is_not_template() -> None:
    # commit logs and link blogs repeat the title as the text: masked, nothing is left
    items = [(t, [t]) for t, _ in STORIES]
    assert learn_template(units(items)) == frozenset()
    assert unit_key(STORIES[0][0], STORIES[0][0]) == ""


def test_versions_of_one_story_keep_the_text_they_share() -> None:
    # three versions of one story (each adds a paragraph) and one other story: the shared
    # paragraph is in three items, but they tell one story, so it is text, not template
    lead = STORIES[0][1]
    items = [(STORIES[0][0], [lead]),
             (STORIES[0][0] + ": more", [lead, "The crane will work two shifts from May."]),
             (STORIES[0][0] + ": update", [lead, "The crane will work two shifts from May.",
                                            "A second crane is planned for next year."]),
             (STORIES[1][0], [STORIES[1][1]])]
    assert learn_template(units(items)) == frozenset()


def test_a_long_paragraph_is_template_on_most_items_not_on_a_few() -> None:
    intro = ("In this series we look at one building of the old town each week, who built it,"
             " what it was for and what became of it, with photographs from the town archive"
             " and from readers who sent us their own.")
    on_a_few = [(t, [intro, text]) if n < 3 else (t, [text]) for n, (t, text) in
                enumerate(STORIES)]
    assert learn_template(units(on_a_few)) == frozenset()  # 3 of 8: a series' introduction
    on_most = [(t, [text, THANKS]) if n < 5 else (t, [text]) for n, (t, text) in
               enumerate(STORIES)]
    template = learn_template(units(on_most))  # 5 of 8: boilerplate
    assert unit_key(THANKS) in template
    title, body = on_most[0]
    assert without_template(Cleaned(title=title, body=tuple(body)), template)[0].body == \
        (body[0],)


def test_truncation_marks_read_as_an_ellipsis_and_lone_marks_go() -> None:
    for mark in ("[...]", "[…]", "(...)", "[. . .]"):
        cleaned, removed = without_template(
            Cleaned(title="t", body=("First paragraph.", f"Radiant floor heating throughou {mark}",
                                     )), frozenset())
        assert cleaned.body == ("First paragraph.", "Radiant floor heating throughou…")
        assert removed == ()
    cleaned, _ = without_template(Cleaned(title="t", body=("Text of the story.", "[...]", "—")),
                                  frozenset())
    assert cleaned.body == ("Text of the story.",)
    # an elision inside a quote, before the end, is the writer's
    quote = "“We will build it [...] and it will last,” she said. The work starts in May."
    assert without_template(Cleaned(title="t", body=(quote,)), frozenset())[0].body == (quote,)


def test_trailing_sentence() -> None:
    assert trailing_sentence("One thing. Two things! Continue reading →") == "Continue reading →"
    assert trailing_sentence("Only one sentence here.") == ""
    assert trailing_sentence("A teaser that stops… Continue reading") == "Continue reading"


@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=6), st.text(max_size=20),
       st.lists(st.text(max_size=30), max_size=4))
def test_leaving_template_out_only_removes_text(body: list[str], title: str,
                                                others: list[str]) -> None:
    template = frozenset(unit_key(t, title) for t in others + body[:1])
    cleaned, _ = without_template(Cleaned(title=title, body=tuple(body)), template)
    source = "\n".join(body)
    for paragraph in cleaned.body:
        assert paragraph.removesuffix("…").rstrip() in source or paragraph in source
    assert len(cleaned.body) <= len(body)


# --- history ------------------------------------------------------------------------------

def test_a_small_feed_learns_its_template_from_the_items_of_earlier_builds(
        tmp_path: Path) -> None:
    # two items a day: no day alone proves the footer, the second day's build with the
    # first day's items remembered does
    first = [(t, [text, FOOTER]) for t, text in STORIES[:2]]
    second = [(t, [text, FOOTER]) for t, text in STORIES[2:4]]
    config = project(tmp_path, rss(first), cache=True)
    day1 = build_digest(load_config(config), jobs=1)
    assert all(FOOTER in a.body for a in day1.articles)
    project(tmp_path, rss(second, day=3), cache=True)
    day2 = build_digest(load_config(config), jobs=1)
    assert len(day2.articles) == 2
    assert all(FOOTER not in a.body and a.body for a in day2.articles)
    # without a cache there is no history: the same second day keeps the footer
    (tmp_path / "none").mkdir()
    alone = build_digest(load_config(project(tmp_path / "none", rss(second, day=3))), jobs=1)
    assert all(FOOTER in a.body for a in alone.articles)


def test_the_store_remembers_the_latest_items_of_each_group(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite", CACHED_RECORDS) as cache:
        a = [(f"a{n}", ItemUnits(f"a{n}", ("k",), (1,))) for n in range(4)]
        assert len(cache.recent("template history", "one", a, 5)) == 4
        b = [(f"b{n}", ItemUnits(f"b{n}", ("k",), (1,))) for n in range(3)]
        got = cache.recent("template history", "one", b, 5)
        # this build's three, then the two most recent of the remembered
        assert [u.id for u in got] == ["b0", "b1", "b2", "a2", "a3"]
        assert cache.recent("template history", "other", [], 5) == []  # groups apart
        again = cache.recent("template history", "one", b[:1], 5)  # b0 seen again: not twice
        assert [u.id for u in again] == ["b0", "a2", "a3", "b1", "b2"]
    assert NoCache().recent("template history", "one", a, 5) == [u for _, u in a]


def test_a_damaged_history_is_ignored(tmp_path: Path) -> None:
    items = [(t, [text, FOOTER]) for t, text in STORIES[:3]]
    config = project(tmp_path, rss(items), cache=True)
    build_digest(load_config(config), jobs=1)
    with Cache(tmp_path / ".digest-cache.sqlite", CACHED_RECORDS) as cache:
        rows = cache.db.execute("SELECT key FROM results WHERE key LIKE 'recent:%'").fetchall()
        assert rows
        for (key,) in rows:  # well-formed JSON, wrong shapes: keys and words disagree
            cache.put_many({key: (("x", ItemUnits("x", ("a", "b"), (1,))), ("y", 5))})
    digest = build_digest(load_config(config), jobs=1)
    assert all(FOOTER not in a.body for a in digest.articles)


def test_a_paragraph_of_a_million_spaces_is_read_in_linear_time() -> None:
    # a JSON Lines record's paragraph keeps its spaces; the closing-mark check once scanned
    # a run of them from each of its positions (40,000 spaces: 13 s); a generous deadline
    import time

    body = ("A story in two words " + " " * 1_000_000 + "and more [...]",)
    start = time.perf_counter()
    cleaned, _ = without_template(Cleaned(title="t", body=body), frozenset({"x"}))
    assert time.perf_counter() - start < 5
    assert cleaned.body[0].endswith("and more…")
