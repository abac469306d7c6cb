"""Tests of topic names: headlines from member titles or the central lead, without kickers,
publishers' names, stamps or page furniture. All sample text is made up for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.group.naming import (
    NAME_LONG_MAX_WORDS,
    NAME_MAX_WORDS,
    NameRules,
    function_words,
    key,
    learn_affixes,
    learn_furniture,
    naming_rules,
    shorten,
    title_name,
    topic_name,
)
from digest.records import GroupItem
from digest.text import STOP_WORDS, words

PUBLISHERS = ("Metro Pulse", "harbour-courier", "The Harbour Courier")
RULES = NameRules(publishers=frozenset(PUBLISHERS))

LEAD = ("A lighthouse keeper on Gull Rock rescued three kayakers on Sunday after their boats "
        "overturned in a sudden squall off the northern cape.")
LEAD_NAME = "A lighthouse keeper on Gull Rock rescued three kayakers on Sunday"


def item(i: str, title: str, text: str = "", date: str | None = "2031-05-04",
         source: str = "") -> GroupItem:
    return GroupItem(i, title, text, date, (), source)


def name_of(*titles: str, text: str = LEAD, rules: NameRules = RULES) -> str:
    """The name of a topic of one article per title, all with ``text``; the first most
    central."""
    items = [item(f"a{k}", t, text) for k, t in enumerate(titles)]
    score = {k: float(len(titles) - k) for k in range(len(titles))}
    return topic_name(range(len(items)), items, score, rules)


def last_word(name: str) -> str:
    return words(name)[-1]


# --- titles that name the story --------------------------------------------------------------

def test_a_clean_title_is_the_name_as_it_is() -> None:
    assert name_of("Ferry fares rise in Carrowmore", text="") == "Ferry fares rise in Carrowmore"


def test_the_default_rules_keep_the_old_call_working() -> None:
    items = [item("a", "Gull Rock keeper rescues three kayakers", LEAD)]
    assert topic_name([0], items, {0: 0.0}) == "Gull Rock keeper rescues three kayakers"


@pytest.mark.parametrize("title", [
    "Metro Pulse: Gull Rock keeper rescues three kayakers",
    "Gull Rock keeper rescues three kayakers - The Harbour Courier",
    "Gull Rock keeper rescues three kayakers | Harbour Courier",
    "Harbour-Courier | Gull Rock keeper rescues three kayakers",
])
def test_a_publishers_prefix_or_suffix_is_cut_off(title: str) -> None:
    assert name_of(title) == "Gull Rock keeper rescues three kayakers"


@pytest.mark.parametrize("title", [
    "Untitled", "", "   ", "untitled", "Updated 13:27 CET", "5 hours ago", "BREAKING NEWS",
    "Metro Pulse", "The Harbour Courier", "Rescue", "WATCH", "12.05.2031",
])
def test_a_poor_title_gives_way_to_the_lead_cut_at_a_phrase_boundary(title: str) -> None:
    assert name_of(title) == LEAD_NAME


def test_a_clean_title_wins_over_a_more_central_one_with_a_kicker() -> None:
    assert name_of("EXCLUSIVE: Kayakers saved near Gull Rock",
                   "Keeper rescues kayakers off the cape") == "Keeper rescues kayakers off the cape"


def test_an_unlearnt_all_caps_kicker_is_cut_off_when_no_title_is_clean() -> None:
    assert name_of("EXCLUSIVE: Kayakers saved near Gull Rock") == "Kayakers saved near Gull Rock"


def test_a_short_acronym_before_a_colon_is_kept() -> None:
    assert name_of("EU: Ferry subsidy rules change") == "EU: Ferry subsidy rules change"


def test_a_long_title_is_cut_at_a_phrase_boundary_without_an_ellipsis() -> None:
    title = ("Jane Oduya returned to Carrowmore Rovers in 2029 for a second spell at the club "
             "after three seasons abroad")
    name = name_of(title)
    assert name == "Jane Oduya returned to Carrowmore Rovers in 2029 for a second spell"
    assert not name.endswith("…")


def test_a_title_its_source_cut_does_not_end_on_a_function_word() -> None:
    name = name_of("Second Base: Carrowmore in Fine Shape for", "Rovers beat Meridian 3-1")
    assert name == "Rovers beat Meridian 3-1"  # the whole title is preferred
    alone = name_of("Second Base: Carrowmore in Fine Shape for")
    assert alone == "Second Base: Carrowmore in Fine Shape"


def test_a_title_cut_with_dots_loses_them() -> None:
    assert name_of("Keeper rescues kayakers off Gull Rock as squall...") == (
        "Keeper rescues kayakers off Gull Rock")


def test_the_lead_passes_over_stamps_and_short_furniture_lines() -> None:
    text = f"Updated 13:27 CET\n\nScroll down for video\n\n{LEAD}"
    assert name_of("Untitled", text=text) == LEAD_NAME


def test_the_lead_that_names_the_story_is_used_when_every_title_is_poor() -> None:
    other = ("Harbour pilots say the cape has seen four capsized boats since April, "
             "more than in any spring on record.")
    echo = ("The three kayakers rescued by the Gull Rock lighthouse keeper on Sunday were "
            "named by the coastguard.")
    items = [item("a", "Untitled", other), item("b", "Untitled", LEAD),
             item("c", "Untitled", echo)]
    # the other articles share the words of b's lead, not of a's: b names the story...
    assert topic_name([0, 1, 2], items, {0: 0.9, 1: 0.2, 2: 0.2}, RULES) == LEAD_NAME
    # ...and where their words are shared alike, the more central article's lead is used
    twins = [item("a", "Untitled", LEAD), item("b", "Untitled", LEAD.replace("Sunday", "Monday"))]
    assert topic_name([0, 1], twins, {0: 0.2, 1: 0.9}, RULES).endswith("on Monday")
    assert topic_name([0, 1], twins, {0: 0.9, 1: 0.2}, RULES).endswith("on Sunday")


def test_a_title_the_other_articles_do_not_echo_gives_way_to_one_they_do() -> None:
    pun = "A steady hand in rough water"
    plain = "Gull Rock lighthouse keeper rescues three kayakers"
    texts = [LEAD, LEAD.replace("Sunday", "Sunday morning"),
             "Three kayakers were rescued off Gull Rock by the lighthouse keeper on Sunday."]
    items = [item("a", pun, texts[0]), item("b", "Untitled", texts[1]),
             item("c", plain + "…", texts[2])]
    # the pun is a clean title and the most central, but names no part of the story
    assert topic_name([0, 1, 2], items, {0: 0.9, 1: 0.5, 2: 0.1}, RULES) != pun


def test_a_lead_dateline_in_capitals_is_cut_off() -> None:
    text = "GULL ROCK — " + LEAD
    assert name_of("Untitled", text=text) == LEAD_NAME


def test_a_topic_with_no_words_at_all_still_has_a_name() -> None:
    name = name_of("Untitled", "", text="")
    assert name and name.casefold() != "untitled"


# --- cutting ------------------------------------------------------------------------------

def test_shorten_prefers_a_comma_to_a_longer_cut_before_a_stop_word() -> None:
    text = ("Rescuers on Gull Rock, working through the night in heavy rain, brought the "
            "three kayakers ashore before the tide turned at dawn")
    assert shorten(text, RULES) == "Rescuers on Gull Rock, working through the night in heavy rain"


def test_shorten_keeps_a_long_title_with_no_boundary_whole_and_marks_a_longer_cut() -> None:
    text = " ".join(f"Word{k}" for k in range(NAME_LONG_MAX_WORDS))
    assert shorten(text, RULES) == text  # no phrase to cut at: whole rather than cut
    text = " ".join(f"Word{k}" for k in range(30))
    assert shorten(text, RULES) == " ".join(f"Word{k}" for k in range(NAME_MAX_WORDS)) + "…"


# --- learning from the items ----------------------------------------------------------------

STORIES = [
    ("Ferry fares rise again in Carrowmore",
     "Ticket prices on the Carrowmore ferry climb by a fifth from June, the operator announced."),
    ("Meridian council approves new library",
     "Councillors in Meridian voted to build a library beside the old tram depot."),
    ("Rovers sign goalkeeper from Calder",
     "Carrowmore Rovers completed the signing of a young goalkeeper from Calder Athletic."),
    ("Storm closes coastal road near Gull Rock",
     "Engineers shut the coastal road after waves undermined a section of the sea wall."),
]


def test_kickers_recurring_before_different_titles_are_learnt_and_cut() -> None:
    items = [item(f"k{k}", f"Analysis | {t}", x) for k, (t, x) in enumerate(STORIES)]
    rules = naming_rules(items, PUBLISHERS)
    assert "analysis" in rules.kickers
    assert topic_name([1], items, {1: 1.0}, rules) == "Meridian council approves new library"
    assert topic_name([1], items, {1: 1.0}) == "Analysis | Meridian council approves new library"


def test_a_segment_seen_before_one_title_only_is_no_kicker() -> None:
    items = [item(f"k{k}", "Quayside: Ferry fares rise", x) for k, (_, x) in enumerate(STORIES)]
    assert learn_affixes(items) == frozenset()


def test_trailing_affixes_are_learnt() -> None:
    items = [item(f"k{k}", f"{t} - Calder Evening Post", x) for k, (t, x) in enumerate(STORIES)]
    assert key("Calder Evening Post") in learn_affixes(items)


def test_lines_recurring_across_unrelated_stories_are_furniture() -> None:
    items = [item(f"f{k}", t, f"{x}\n\nTap here to watch the clip\n\nMore words follow.")
             for k, (t, x) in enumerate(STORIES)]
    items.append(item("f9", "Tap here to watch the clip", LEAD))
    rules = naming_rules(items)
    assert "tap here to watch the clip" in rules.furniture
    assert topic_name([4], items, {4: 1.0}, rules) == LEAD_NAME


def test_a_headline_copied_by_many_sources_of_one_story_is_not_furniture() -> None:
    wording = [LEAD, LEAD.replace("Sunday", "Sunday evening"), "Three kayakers were rescued "
               "on Sunday by a lighthouse keeper on Gull Rock after a squall overturned them."]
    items = [item(f"c{k}", "Keeper saves three kayakers", text, source=f"s{k}")
             for k, text in enumerate(wording)]
    assert learn_furniture(items) == frozenset()


def test_time_stamps_recurring_with_other_numbers_are_learnt_by_shape() -> None:
    items = [item(f"t{k}", f"{t} | {k + 2} hrs since", x) for k, (t, x) in enumerate(STORIES)]
    assert key("7 hrs since") in naming_rules(items).kickers


FUNCTION = ["la", "de", "ne", "ko"]  # made-up function words of a made-up language


def foreign(k: int) -> GroupItem:
    """An item in a made-up language whose function words are ``FUNCTION``."""
    content = [f"zorvak{k}", f"melin{k}", f"tarosh{k}", f"quenda{k}", f"vilmar{k}"]
    text = " ".join(w for pair in zip(content, FUNCTION + ["ko"], strict=True) for w in pair)
    return item(f"x{k}", f"Zorvak{k} melin{k}", text + ".")


def test_function_words_of_other_languages_are_learnt_from_the_items() -> None:
    items = [foreign(k) for k in range(10)]
    assert set(FUNCTION) <= function_words(items)
    assert not any(w.startswith(("zorvak", "melin")) for w in function_words(items))


def test_english_items_teach_no_function_words() -> None:
    items = [item(f"e{k}", t, x) for k, (t, x) in enumerate(STORIES * 3)]
    assert function_words(items) == frozenset()


def test_a_name_in_another_language_does_not_end_on_a_learnt_function_word() -> None:
    items = [foreign(k) for k in range(10)]
    rules = naming_rules(items)
    long_title = " ".join(f"Pelvar{k} {FUNCTION[k % 4]}" for k in range(12))
    level, name = title_name(long_title, rules)
    assert name and last_word(name) not in set(FUNCTION)
    assert last_word(title_name(long_title, NameRules())[1]) in set(FUNCTION)  # learnt, not given


def test_the_rules_do_not_depend_on_the_order_of_the_items() -> None:
    items = [item(f"k{k}", f"Analysis | {t}", x) for k, (t, x) in enumerate(STORIES)]
    items += [foreign(k) for k in range(9)]
    assert naming_rules(items, PUBLISHERS) == naming_rules(items[::-1], PUBLISHERS[::-1])


def test_given_strings_are_compared_by_their_key() -> None:
    rules = NameRules(publishers=frozenset({"The METRO pulse"}), kickers=frozenset({"WATCH"}))
    assert rules.publishers == {"the metro pulse", "metro pulse"}
    assert rules.kickers == {"watch"}


# --- properties -------------------------------------------------------------------------------

TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120) | \
    st.lists(st.sampled_from(["the", "for", "Untitled", "Metro", "Pulse", "Rock", ":", "|", "-",
                              "13:27", "5", "hours", "ago", "WATCH", "kayakers", ",", "…",
                              "\n\n", "Harbour", "Courier", "a", "keeper", "."]),
             max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=3),
       st.lists(st.sampled_from(["Metro Pulse", "The Harbour Courier", "Rock", "a keeper"]),
                max_size=2))
def test_any_topic_has_a_headline_shaped_name(articles: list[tuple[str, str]],
                                              publishers: list[str]) -> None:
    items = [item(f"p{k}", t, x) for k, (t, x) in enumerate(articles)]
    rules = naming_rules(items, publishers)
    name = topic_name(range(len(items)), items, {0: 1.0}, rules)
    assert name.strip() and words(name)
    assert key(name) not in ("untitled", "")
    assert last_word(name) not in STOP_WORDS
    assert len(name.split()) <= NAME_LONG_MAX_WORDS
    for publisher in publishers:
        assert not key(name).startswith(key(publisher) + " ") and key(name) != key(publisher)
    assert name == topic_name(range(len(items))[::-1], items, {0: 1.0}, rules)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_shorten_keeps_a_head_of_the_text_that_ends_on_no_stop_word(text: str) -> None:
    cut = shorten(text, RULES)
    if cut:
        assert " ".join(text.split()).startswith(cut.removesuffix("…"))
        assert last_word(cut) not in STOP_WORDS
        assert len(cut.split()) <= NAME_LONG_MAX_WORDS


def test_a_title_cut_inside_a_quotation_does_not_leave_it_open() -> None:
    # cut by its source inside the quoted words: the name never ends with a quote left open
    cut = 'Folk singer wins award for the album "Lanterns over the…'
    name = name_of(cut, text=LEAD)
    assert name.count('"') % 2 == 0 and "“" not in name
    assert name.startswith("Folk singer wins award") or name.startswith("A lighthouse keeper")
    long_quote = ('Carrowmore mayor says the new harbour wall is "the best thing to happen to '
                  'this town in a hundred years and more"')
    named = name_of(long_quote, text=LEAD)
    assert named.count('"') % 2 == 0


def test_a_title_ending_on_an_abbreviation_was_cut_and_gives_way() -> None:
    # a sentence splitter stopped at "Dr.": the title lost its subject's name
    cut = "News that the council may appoint Dr."
    full = "Council to appoint Dr. Ines Farrow as harbour medical officer"
    text = ("The council is expected to appoint Dr. Ines Farrow as the harbour's medical "
            "officer, officials said on Monday.")
    assert name_of(cut, full, text=text) == full
    assert title_name(cut, RULES)[0] > title_name(full, RULES)[0]


def test_a_title_ending_on_a_stop_word_is_cut_at_a_phrase_boundary_not_mid_phrase() -> None:
    # "years" is on the project's stop-word list: the name ends before "after 96 years",
    # not on a dangling "after 96"
    name = name_of("Quayside bakery to close its doors after 96 years", text="")
    assert name == "Quayside bakery to close its doors"
