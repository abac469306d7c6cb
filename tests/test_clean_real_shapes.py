"""Shapes of real scraped pages, each on a fictional page written for the test.

Every page here is invented; the shapes (where a comment count sits, how a
blog lays out its head) are what real pages of many publishers share.
"""

from __future__ import annotations

import re

from digest.clean import clean_text, normalize
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
