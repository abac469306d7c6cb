"""The cleaner on publishers and wordings it has never seen: fictional pages only.

Each test fails without the rule it names; the pages are written for these
tests (a made-up publisher, made-up people), in layouts of the kind scraped
pages show, so that a rule keyed to a wording seen elsewhere would not pass.
"""

from __future__ import annotations

from digest.clean import clean_text, learn_furniture

STORIES = [
    ("Ferry timetable cut as fuel costs rise",
     "The island ferry will run two fewer crossings each day from next month, the operator "
     "said on Tuesday, blaming a sharp rise in fuel prices over the winter."),
    ("Council approves new cycle lanes on harbour road",
     "Councillors voted eight to three on Monday night to build protected cycle lanes along "
     "the harbour road, ending a dispute that has run for two years."),
    ("Local bakery wins national bread award",
     "A family bakery in the old town has been named the best small bakery in the country, "
     "beating more than four hundred entries in the annual competition."),
    ("Storm damage closes coastal footpath for weeks",
     "A stretch of the coastal footpath will stay shut for at least six weeks after last "
     "weekend's storm brought down part of the cliff near the lighthouse."),
    ("School roof repairs delayed again by contractor",
     "Pupils at the primary school will spend another term in temporary classrooms after the "
     "contractor fixing the roof asked for more time, parents were told on Friday."),
    ("Fishing fleet reports best catch in a decade",
     "Boats landing at the quay brought in their biggest haul in ten years this season, the "
     "harbour master said, crediting cooler waters and new quotas for the recovery."),
]
NAMES = ["ANA LIMA", "TOMAS BRECK", "IRIS VOLKOV", "OWEN MARSH", "LENA QUIST", "PAVEL DORN"]
SECOND = (
    "Officials said they expected the change to {what} over the next five years, although "
    "opposition members questioned the figures used in the report on {topic}."
)
THIRD = (
    "A further meeting on {topic} is planned for the spring, when the final details are "
    "expected to be published and made available for comment at the library."
)


def _page(k: int, head: str) -> str:
    title, lede = STORIES[k]
    topic = title.split()[0].lower()
    lines = [
        "Home", "Local", "Sport", "Weather",
        head.format(title=title),
        f"{NAMES[k]} | Harbour Correspondent",
        "Wednesday 4 March 2026",
        lede,
        SECOND.format(what=["save money", "cut delays", "add jobs"][k % 3], topic=topic),
        THIRD.format(topic=topic),
        "About us", "Contact", "Careers",
    ]
    return "\n".join(lines) + "\n"


def _source(heads: list[str]) -> list[str]:
    return [_page(k, heads[k % len(heads)]) for k in range(len(STORIES))]


def test_title_affix_learnt_from_the_source_pages() -> None:
    """A site name printed before or after every headline of a source leaves the title."""
    pages = _source(["Tidemark Gazette: {title}", "{title} — Tidemark Gazette"])
    furniture = learn_furniture(pages)
    titles = [clean_text(p, furniture).title for p in pages]
    assert titles == [title for title, _ in STORIES]


def test_title_affix_not_learnt_from_one_page_nor_a_kicker() -> None:
    """A prefix on one page only, or a one-word kicker, stays in the headline."""
    pages = _source(["{title}"])
    pages[0] = pages[0].replace(STORIES[0][0], "Tidemark Gazette: " + STORIES[0][0])
    assert clean_text(pages[0], learn_furniture(pages)).title.startswith("Tidemark Gazette: ")
    kicked = _source(["WATCH: {title}"])
    furniture = learn_furniture(kicked)
    assert clean_text(kicked[1], furniture).title == "WATCH: " + STORIES[1][0]


def test_byline_in_capitals_with_a_role_after_a_bar() -> None:
    """"NAME SURNAME | Role" is a byline although a bar also makes breadcrumbs."""
    pages = _source(["{title}"])
    assert clean_text(pages[0]).byline == "ANA LIMA | Harbour Correspondent"
    assert clean_text(pages[3], learn_furniture(pages)).byline == (
        "OWEN MARSH | Harbour Correspondent"
    )


def test_byline_crediting_with_a_desk() -> None:
    """"With Tidewater Wire News Desk": a credit introduced by "with" is the byline."""
    page = _page(2, "{title}").replace("IRIS VOLKOV | Harbour Correspondent",
                                       "With Tidewater Wire News Desk")
    assert clean_text(page).byline == "With Tidewater Wire News Desk"


def test_author_bio_after_the_article_found_by_the_byline_name() -> None:
    """A closing paragraph naming the byline's author in its first words leaves the body,
    in a wording no vocabulary knows, with a prompt after it."""
    page = _page(0, "{title}").replace(
        "About us\n",
        "Ana Lima has walked the waterfront beat since the canneries closed, and now "
        "writes on shipping, tides and the people who work them.\n"
        "Carry the paper in your pocket: grab it from your phone's store today.\n"
        "About us\n",
    )
    body = clean_text(page).body
    assert not any("waterfront beat" in p for p in body)
    assert body[0].startswith("The island ferry")
    assert len(body) >= 3


def test_paragraph_naming_someone_else_stays() -> None:
    """A closing quote by another person stays: only the byline's own name marks a bio."""
    page = _page(0, "{title}").replace(
        "About us\n",
        "Marta Quell, who chairs the harbour users' group, said the cuts would hurt "
        "island families most and promised to fight them at the next meeting.\n"
        "About us\n",
    )
    assert any(p.startswith("Marta Quell") for p in clean_text(page).body)


def test_numbered_list_ends_at_the_first_unnumbered_line() -> None:
    """After "1. ... 2. ... 3. ..." an unnumbered line is the page going on, not an item."""
    page = _page(1, "{title}").replace(
        "About us\n",
        "Most read\n1. Lifeboat crew rescue two kayakers off the point\n"
        "2. Harbour festival returns with tall ships\n3. Quay car park to charge at night\n"
        "Apologies, replies to this piece have been switched off\nAbout us\n",
    )
    popular = clean_text(page).popular
    assert popular == (
        "Lifeboat crew rescue two kayakers off the point",
        "Harbour festival returns with tall ships",
        "Quay car park to charge at night",
    )
