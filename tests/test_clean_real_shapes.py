"""Shapes of real scraped pages, each on a fictional page written for the test.

Every page here is invented; the shapes (where a comment count sits, how a
blog lays out its head) are what real pages of many publishers share.
"""

from __future__ import annotations

import re

from digest.clean import clean_text, normalize
from digest.clean.lines import NAME_RUN_SHARE, capitalised_share
from digest.clean.region import printed_headline
from digest.clean.units import Unit
from digest.records import Cleaned


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _no_invention(text: str, c: Cleaned) -> None:
    source = _flat(normalize(text))
    for s in [c.title, c.standfirst, *c.body]:
        assert _flat(s) in source, s


ARTICLE = [
    "The lighthouse keepers' cottage on Marrow Point reopened to visitors on Sunday after "
    "a restoration that took four winters and most of the village's savings.",
    "Volunteers stripped the salt-damaged plaster by hand, and a retired joiner rebuilt "
    "the staircase from timber salvaged from the old boathouse.",
    "The trust that owns the cottage says it will open every weekend until October, and "
    "that school groups can book weekday visits through the parish office.",
]


def test_comment_count_beside_the_headline_does_not_end_the_article() -> None:
    text = "\n\n".join(
        [
            "Home",
            "Archive",
            "About",
            "Notes from the coast, its harbours and the people who keep them working, every week.",
            "Keepers' cottage opens its doors again",
            "Posted by Wren Alder on May 4",
            "3 Comments",
            *ARTICLE,
            "3 Comments",
            "gullwatcher says:",
            "Lovely to see it restored, we visited last summer when it was still shut.",
            "tidepool says:",
            "Well done to everyone involved in the work on the cottage.",
        ]
    )
    c = clean_text(text)
    assert list(c.body)[-3:] == ARTICLE  # the count is a link, the comments are left out
    _no_invention(text, c)


def test_article_inside_a_line_of_leftover_markup_is_read() -> None:
    story = [
        "The ferry between Dunmore and the islands will run twice a day from June, the "
        "operator said on Tuesday.",
        "A second boat, idle since the winter storms, has passed its inspection and will "
        "take the afternoon crossing.",
        "Islanders had asked for the extra sailing for years, saying one boat a day kept "
        "visitors away in the busiest months.",
    ]
    line = (
        '<html><head><title>Ferry to run twice daily</title><script type="text/javascript">'
        "var n = 1; function go() { return n; }</script></head><body>"
        '<div id="nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a>'
        '</div><div id="story"><h1>Ferry to run twice daily</h1>'
        + "".join(f"<p>{s}</p>" for s in story)
        + '</div><div id="foot"><a href="/about">About us</a></div></body></html>'
    )
    c = clean_text(line)
    assert list(c.body) == story
    assert c.title == "Ferry to run twice daily"
    assert not any("<" in s or "function" in s for s in [c.title, *c.body])
    _no_invention(line, c)


def test_teasers_below_the_article_past_a_stretch_of_links_are_left_out() -> None:
    teasers = []
    for k, (head, line) in enumerate(
        [
            (
                "Council delays vote on harbour car park",
                "Councillors want a new survey of "
                "parking demand before they decide on the plan, the chair said.",
            ),
            (
                "Rowing club celebrates its centenary",
                "Members past and present gathered on "
                "the slipway for a photograph and a race in borrowed boats.",
            ),
            (
                "School roof repairs finished early",
                "Pupils will return to their classrooms "
                "next week after builders finished the work ahead of schedule.",
            ),
        ]
    ):
        teasers += [head, line, f"{k + 2} hours ago"]
    text = "\n".join(
        [
            "Keepers' cottage opens its doors again",
            "By Wren Alder",
            *ARTICLE,
            "Share",
            "Print",
            "Email",
            "Tags",
            "Heritage",
            "Marrow Point",
            "More news",
            *teasers,
        ]
    )
    c = clean_text(text)
    assert list(c.body) == ARTICLE
    _no_invention(text, c)


def test_markup_with_many_unclosed_comments_is_read_in_linear_time() -> None:
    # a hostile line: a quarter of a million comment openers that never close; before, each
    # opener was scanned to the line's end (minutes); a generous deadline catches a relapse
    import time

    from digest.clean.markup import split_markup

    line = "<p>Harbour news</p><p>Ferry sails</p>" + "<!-- a" * 250_000
    start = time.perf_counter()
    assert split_markup(line) == ["Harbour news", "Ferry sails"]
    assert time.perf_counter() - start < 5


SIDEBAR = [
    "Our weekly letter from the harbour towns, with the tides, the catches and the gossip.",
    "Sign up to get it on Friday mornings along with our pick of the week's best photographs.",
    "We never share your address with anyone, and you can leave the list with one click.",
    "Readers in the valley can also pick up a printed copy at the post office every Saturday.",
    "The printed edition carries the full tide tables and a crossword set by a retired pilot.",
]


def test_prose_above_the_printed_headline_is_the_sites_not_the_articles() -> None:
    # Window title first, a newsletter box of sentences, then the headline again,
    # the byline and the article: the box is not the article's opening.
    text = "\n\n".join(
        [
            "Keepers' cottage opens its doors again | Coast Notes",
            "Home",
            "News",
            *SIDEBAR,
            "Keepers' cottage opens its doors again",
            "By Wren Alder",
            *ARTICLE,
        ]
    )
    c = clean_text(text)
    assert list(c.body) == ARTICLE
    assert c.title.startswith("Keepers' cottage opens its doors again")
    _no_invention(text, c)


def test_a_title_copy_in_a_list_of_links_is_no_anchor() -> None:
    # The same headline in a "latest posts" list, with no prose under it, moves nothing.
    text = "\n\n".join(
        [
            "Keepers' cottage opens its doors again | Coast Notes",
            "Keepers' cottage opens its doors again",
            "By Wren Alder",
            *ARTICLE,
            "Latest posts",
            "Keepers' cottage opens its doors again",
            "Ferry timetable changes for the summer",
            "A new bench for the harbour wall",
            "Tide tables for June are out",
            "Gull chicks hatch on the breakwater",
            "The boathouse roof is mended",
            "Parish council meets on Tuesday",
            "Spring clean of the dunes this weekend",
            "Coastguard open day in July",
        ]
    )
    assert list(clean_text(text).body) == ARTICLE


def test_article_that_opens_the_page_is_not_cut_at_its_own_second_copy() -> None:
    text = "\n".join([*ARTICLE, "Keepers' cottage", *ARTICLE]) + "\n"
    assert list(clean_text(text).body) == ARTICLE


def test_a_single_paragraph_article_is_not_taken_for_its_head() -> None:
    # One paragraph under the headline, then tools and a list of dated teasers:
    # the date further down does not make the article's only paragraph a standfirst.
    text = "\n".join(
        [
            "Keepers' cottage opens its doors again -- Coast Notes",
            "Menu",
            "Keepers' cottage opens its doors again",
            "By Wren Alder, May 4",
            ARTICLE[0],
            "Share",
            "Email this",
            "Print",
            "Leave a comment",
            "Save",
            "May 3, 2031",
            "The harbour master's open day drew more visitors than any year since the war.",
        ]
    )
    c = clean_text(text)
    assert list(c.body) == [ARTICLE[0]]
    _no_invention(text, c)


def test_lines_a_paragraph_introduces_with_a_colon_stay_in_the_body() -> None:
    items = [
        "Cottage kitchen and pantry",
        "The lamp room under the lantern",
        "Keepers' logbooks from 1890 to 1952",
    ]
    closing = "Tickets cost four pounds for adults and are free for children under twelve."
    text = "\n\n".join(
        [
            ARTICLE[0],
            "Visitors can see these rooms on the guided tour of the whole cottage:",
            *items,
            closing,
        ]
    )
    c = clean_text(text)
    assert list(c.body) == [
        ARTICLE[0],
        "Visitors can see these rooms on the guided tour of the whole cottage:",
        *items,
        closing,
    ]
    # Without the introducing colon, such lines are subheads or headlines, not body.
    text2 = text.replace("whole cottage:", "whole cottage.")
    assert not set(items) & set(clean_text(text2).body)


def test_a_long_run_of_capitalised_names_is_not_a_paragraph() -> None:
    months = " ".join(f"{m} 2031 ({n})" for n, m in enumerate(
        ["December", "November", "October", "September", "August", "July", "June",
         "May", "April", "March", "February", "January"], start=3))
    text = "\n\n".join([*ARTICLE, "Archive " + months])
    c = clean_text(text)
    assert list(c.body) == ARTICLE
    assert capitalised_share(ARTICLE[0]) < NAME_RUN_SHARE <= capitalised_share("Archive " + months)


def test_title_is_the_printed_headline_not_the_window_title_with_the_site() -> None:
    for window in (
        "Keepers' cottage opens its doors again | Coast Notes",
        "Coast Notes: Keepers' cottage opens its doors again",
        "Keepers' cottage opens its doors again « Coast Notes",
    ):
        text = "\n\n".join(
            [window, "Home", "About", "Keepers' cottage opens its doors again", "By Wren Alder",
             *ARTICLE]
        )
        c = clean_text(text)
        assert c.title == "Keepers' cottage opens its doors again", window
        assert list(c.body) == ARTICLE
    # A kicker the window title puts before the headline stays with it.
    text = "\n\n".join(
        ["WATCH: Keepers' cottage opens its doors again", "Home",
         "Keepers' cottage opens its doors again", "By Wren Alder", *ARTICLE]
    )
    assert clean_text(text).title == "WATCH: Keepers' cottage opens its doors again"


def test_headline_printed_with_a_comment_count_after_it_is_found() -> None:
    window = "Keepers' cottage on Marrow Point opens its doors again"
    text = "\n\n".join(
        [window, "Home", *SIDEBAR, f"{window} 12 Comments", *ARTICLE]
    )
    c = clean_text(text)
    assert c.title == window
    assert list(c.body) == ARTICLE
    # A window title of a site's name alone ("Coast Notes") anchors nothing.
    text = "\n\n".join(["Coast Notes", "Home", *ARTICLE, "Coast Notes Marketplace", *SIDEBAR])
    assert list(clean_text(text).body)[:3] == ARTICLE


def test_a_wrapped_line_inside_the_window_titles_sentence_is_no_headline() -> None:
    # The first line is a sentence-long title; a hard-wrapped line below holds a piece
    # of it that runs on into words on both sides: not a printed headline.
    first = ("The council closed the old bridge to all traffic on Tuesday after engineers "
             "found cracks in two of its main supports")
    texts = [
        (first, "short"),
        ("Photo: Jane Doe", "caption"),
        ("HARBOURTOWN: The council closed the old bridge to all traffic", "short"),
        ("the old bridge to all traffic on Tuesday after engineers found", "short"),
        (ARTICLE[0], "prose"),
    ]
    units = [Unit(text, kind=kind) for text, kind in texts]
    assert printed_headline(units, [4]) is None
    # The same line standing alone, or set off by a mark, is the headline.
    units[3] = Unit("The council closed the old bridge to all traffic", kind="short")
    units[0] = Unit("The council closed the old bridge to all traffic | Coast Notes", kind="short")
    assert printed_headline(units, [4]) == (3, 4, units[3].text)


def test_a_list_the_article_introduces_does_not_split_it() -> None:
    # Ingredients under "Ingredients:" are short lines without an end; the method
    # below them is still the article's, not a new block of the page.
    items = [f"{n} cups of {thing}" for n, thing in
             enumerate(["flour", "oats", "milk", "sugar", "raisins", "water", "salt"], start=1)]
    method = [
        "Mix the flour and oats in a large bowl, then pour in the milk a little at a time "
        "while you stir, so that no lumps are left at the bottom.",
        "Bake the loaf for forty minutes in a hot oven, and let it cool on a rack for an hour "
        "before you cut it, or the middle will still be soft.",
    ]
    text = "\n".join([*ARTICLE, "Ingredients:", *items, *method])
    c = clean_text(text)
    assert list(c.body)[-2:] == method
    assert c.body[0] == ARTICLE[0]


def test_window_title_found_under_a_sentence_and_when_it_reads_like_a_prompt() -> None:
    # A promotion sentence right under the window title, and a title whose words a
    # prompt might use ("Home ..."), still leave the printed headline the anchor.
    for window, headline in (
        ("Keepers' cottage opens its doors again", "Keepers' cottage opens its doors again"),
        ("Home prices rise again | Vale Post", "Home prices rise again"),
    ):
        text = "\n\n".join(
            [window, SIDEBAR[0], "Menu", *SIDEBAR[1:], headline, "By Wren Alder", *ARTICLE]
        )
        c = clean_text(text)
        assert list(c.body) == ARTICLE, window
        assert c.title == headline


def test_a_sites_web_address_after_the_title_is_left_out() -> None:
    from digest.clean.titles import strip_title_affixes

    assert strip_title_affixes("Bridge to close for repairs - Example.com", frozenset()) == (
        "Bridge to close for repairs"
    )
    assert strip_title_affixes("Bridge vote results | news.example.co.uk", frozenset()) == (
        "Bridge vote results"
    )
    for kept in ("Bridge fund reaches - 6.0", "Release notes - version 2.0", "Bridge - a.com"):
        assert strip_title_affixes(kept, frozenset()) == kept


def test_kicker_title_is_printed_text_when_the_cases_differ() -> None:
    # The window title and the printed headline differ in case: the title is the
    # window's own text, so that nothing returned is text the page does not hold.
    text = "\n\n".join(
        ["WATCH: keepers' cottage opens its doors again | Coast Notes", "Home",
         "Keepers' Cottage Opens Its Doors Again", "By Wren Alder", *ARTICLE]
    )
    c = clean_text(text)
    assert c.title == "WATCH: keepers' cottage opens its doors again"
    _no_invention(text, c)


def test_a_caption_set_into_a_wrapped_paragraph_stays_out_of_the_body() -> None:
    # Hard-wrapped text with a photo's caption and credit between two of its lines:
    # the caption is not rejoined into the paragraph, so it leaves the body.
    caption = "Keepers pictured on Sunday. Photo by Jane Doe / Coast Agency"
    text = "\n\n".join(
        [
            ARTICLE[0],
            f"{caption}\nThe trust that owns the cottage says it will open every weekend.",
            ARTICLE[1],
            ARTICLE[2],
        ]
    )
    c = clean_text(text)
    assert not any("Photo by" in p for p in c.body)
    assert caption in c.captions
    _no_invention(text, c)
