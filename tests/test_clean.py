"""Tests for the clean stage: structure recovery, repeats, furniture, robustness."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import shared_path
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.clean import clean_text, learn_furniture, normalize
from digest.clean.dates import find_date
from digest.clean.repeats import collapse_repeats
from digest.records import Cleaned


def _flat(text: str) -> str:
    return " ".join(text.split())


def _all_strings(c: Cleaned) -> list[str]:
    out = [c.title, c.standfirst, c.byline, c.agency, c.dateline]
    for seq in (c.body, c.subheads, c.captions, c.related, c.popular):
        out.extend(seq)
    return [s for s in out if s]


def assert_no_invention(text: str, c: Cleaned) -> None:
    source = _flat(normalize(text))
    for s in _all_strings(c):
        assert _flat(s) in source, s


PAGE = """date 2024-03-02 Harbour scene at dawn. Photo: Jane Doe/Agency
Skip to main content
Subscribe now
Port strike ends after three weeks
By Ana Lima, Labour Correspondent
Lisbon — Dock workers voted on Saturday to end a three-week strike at the port.
The union said the agreement raises wages by six per cent over two years and limits night shifts.
Shipping lines said it would take several days to clear the backlog of vessels waiting offshore.
READ MORE: Container rates climb as ports clog across Europe
Pay deal
Port officials estimated the strike had cost the regional economy more than 40 million euros.
Workers are expected to return to their posts on Monday morning, the union said.
Share this article
Most Read
Heatwave warning issued for the south
Council approves new tram line
Related Articles
Dock union rejects first pay offer
Ports brace for longer strike
© 2024 Harbour Media Ltd. All rights reserved.
"""


def test_inline_page_structure() -> None:
    c = clean_text(PAGE)
    assert c.title == "Port strike ends after three weeks"
    assert c.date == "2024-03-02"
    assert c.byline == "By Ana Lima, Labour Correspondent"
    assert c.dateline == "Lisbon —"
    assert c.body[0].startswith("Lisbon — Dock workers voted on Saturday")
    assert len(c.body) == 5
    assert c.subheads == ("Pay deal",)
    assert c.body[c.subhead_index[0]].startswith("Port officials estimated")
    assert c.related == (
        "Container rates climb as ports clog across Europe",
        "Dock union rejects first pay offer",
        "Ports brace for longer strike",
    )
    assert c.popular == ("Heatwave warning issued for the south", "Council approves new tram line")
    assert c.captions and "Photo: Jane Doe/Agency" in c.captions[0]
    joined = " ".join(c.body)
    for furniture in ("Subscribe", "Share this", "Most Read", "rights reserved", "READ MORE"):
        assert furniture not in joined
    assert_no_invention(PAGE, c)


def test_body_captured_twice_appears_once_and_fuller_copy_wins() -> None:
    para = [
        "The council voted on Tuesday to close the old bridge to all traffic from next month.",
        "Engineers found cracks in two of the main supports during a routine inspection last week.",
        "A replacement bridge is expected to open in the spring of next year, officials said.",
    ]
    teaser = para[1][:60]
    text = "\n".join([*para, teaser, "Bridge to close", *para]) + "\n"
    c = clean_text(text)
    assert list(c.body) == para
    assert collapse_repeats(["a short one here.", "a short one here. and more words follow"]) == [1]


def test_mid_file_title_and_standfirst_before_second_copy() -> None:
    body = [
        "Rescue teams reached the village on Sunday after a landslide cut the only road in.",
        "Residents said the rain had fallen without a break for four days before the hillside gave way.",  # noqa: E501
        "The regional governor promised emergency funds and temporary housing for those affected.",
    ]
    text = "\n".join(
        [
            *body,
            "Landslide cuts off mountain village",
            "Rescuers reach residents after four days",
            *body,
        ]
    )
    c = clean_text(text)
    assert c.title == "Landslide cuts off mountain village"
    assert c.standfirst == "Rescuers reach residents after four days"
    assert list(c.body) == body


def test_hard_wrapped_paragraphs_are_rejoined_and_spaces_repaired() -> None:
    text = (
        "date 2023-05-01\n\nWrapped story title here\n\n"
        "The committee published its findings on Monday after a year\u00a0of hearings\n"
        "in which more than two hundred witnesses gave evidence about the\n"
        "collapse of the company.\n\n"
        "Its chair said the report should be read by every board in the country.\n"
    )
    c = clean_text(text)
    assert c.body[0] == (
        "The committee published its findings on Monday after a year of hearings in which more "
        "than two hundred witnesses gave evidence about the collapse of the company."
    )
    assert_no_invention(text, c)


def test_mojibake_is_repaired_and_curly_quotes_kept() -> None:
    text = "The minister said it was \u201cnot acceptable\u201d and that the plan would go ahead next year anyway.\n"  # noqa: E501
    broken = text.encode("utf-8").decode("latin-1")
    assert normalize(broken).strip() == text.strip()
    assert "\u201c" in clean_text(broken).body[0]


def test_dates_are_read_in_many_formats() -> None:
    assert find_date("Published: 19.10.2021") == "2021-10-19"
    assert find_date("First published on Tue 2 Jul 2013 08.49 GMT") == "2013-07-02"
    assert find_date("July 2, 2013") == "2013-07-02"
    assert find_date("2004-07-29T20:23:00Z") == "2004-07-29"
    assert find_date("31/02/2020") is None
    c = clean_text(
        "Some title of a story\nPublished: 19.10.2021\n"
        + "A sentence of body text that runs on for long enough to count. " * 2
    )
    assert c.date == "2021-10-19"


def test_furniture_learnt_across_files_is_removed() -> None:
    prompt = "Our reporters are out there for you, every day of the year."
    pages = [
        f"date 2024-01-{i + 1:02d}\nStory number {i} gets a title\n"
        f"Story {i} opens with a sentence that is long enough to be article text, said officials.\n"
        f"{prompt}\nIt ends with another sentence of reasonable length about story {i} today.\n"
        for i in range(12)
    ]
    furniture = learn_furniture(pages)
    assert " ".join(prompt.casefold().split()) in furniture
    alone = clean_text(pages[0])
    learnt = clean_text(pages[0], furniture)
    assert prompt in alone.body
    assert prompt not in learnt.body
    assert len(learnt.body) == 2


_SHARED_PROSE = [
    "The regional water board confirmed on Thursday that the reservoir at Kelder Moor had fallen "
    "to its lowest level since records began, and that a hosepipe ban would follow within days.",
    "Engineers said the dry winter, the warmest on record, left the moorland catchment unable to "
    "refill the reservoir, and that pumping from the river had reached its licensed limit.",
    "Farmers in the valley said they had already begun moving cattle to higher ground where "
    "springs were still running, and asked the board to publish its drought plan in full.",
]
_FOOTER = "The Kelder Gazette, 4 Quay Street, Vennick VN1 2AB"
_PROMPT = "Our reporters are out there for you, every day of the year."


def _copy_page(i: int) -> str:
    """One re-scrape of a story: the shared paragraphs, a line of its own, the footer."""
    return (
        f"date 2024-02-{i + 1:02d}\nReservoir falls to record low\n"
        + "\n".join(_SHARED_PROSE)
        + f"\nThis copy was captured on day {i + 1} of the drought, the board said.\n"
        + f"{_FOOTER}\n"
    )


def test_furniture_learning_keeps_prose_shared_by_copies_of_one_story() -> None:
    pages = [_copy_page(i) for i in range(6)]
    furniture = learn_furniture(pages)
    assert " ".join(_FOOTER.casefold().split()) in furniture
    for page in pages:
        c = clean_text(page, furniture)
        assert c.title == "Reservoir falls to record low"
        for para in _SHARED_PROSE:
            assert para in c.body
        assert all(_FOOTER not in p for p in c.body)
        assert_no_invention(page, c)


def test_sentence_shaped_prompt_is_learnt_across_distinct_stories_only() -> None:
    copies = [_copy_page(i) + _PROMPT + "\n" for i in range(6)]
    assert " ".join(_PROMPT.casefold().split()) not in learn_furniture(copies)
    others = [
        f"date 2024-03-{i + 1:02d}\nStory number {i} gets a title\n"
        f"Story {i} opens with a sentence that is long enough to be article text, said officials.\n"
        f"{_PROMPT}\n"
        for i in range(10)
    ]
    furniture = learn_furniture(copies + others)
    assert " ".join(_PROMPT.casefold().split()) in furniture
    c = clean_text(copies[0], furniture)
    assert _PROMPT not in c.body and all(p in c.body for p in _SHARED_PROSE)


def test_seed_file_acceptance() -> None:
    text = shared_path("seeds", "000_75db7eb93d97bef5.txt").read_text(encoding="utf-8")
    c = clean_text(text)
    assert c.title == "Biden allows Ukraine to use US missiles to strike inside Russia"
    assert c.date == "2024-11-17"
    assert c.standfirst.startswith("Biden administration had been reluctant")
    assert c.agency == "Reuters"
    # The body once; the dateline is read into its field and stays in the text as printed.
    assert c.dateline == "Washington —"
    assert c.body[0].startswith("Washington — President Joe Biden")
    assert len(c.body) == len(set(c.body)) == 22
    assert [re.sub(r"[‘’'\"“”]", "", s) for s in c.subheads] == ["Too late"]
    assert c.subheads == ("\u2018Too late\u2019",)
    assert c.related[0] == "Zelensky calls for end of war amid Russian advances"
    assert len(c.related) == 9
    assert c.related[1] == "EU warns against isolationism in US"
    assert c.related[-1] == "Putin signs mutual defence treaty with North Korea"
    joined = " ".join(c.body)
    for boiler in (
        "like to comment",
        "Comment Policy",
        "Sign up",
        "Most Read",
        "Related Articles",
        "Arena Holdings",
        "Picture:",
    ):
        assert boiler not in joined
    assert c.captions and c.captions[0].endswith("Picture: REUTERS/KEVIN LAMARQUE")
    assert_no_invention(text, c)


SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# One headline per publisher of the bundled corpus, as printed on the page.
SAMPLE_TITLES = dict(
    [
        (
            "carrowmore-standard/007-viaduct-cracks-2023-report.txt",
            "Lisk Viaduct cracks were flagged in 2023 report, documents show",
        ),
        (
            "harbour-courier/001-seven-libraries-face-closure.txt",
            "Seven libraries face closure under Carrowmore budget plan",
        ),
        (
            "meridian-ledger/003-kilcarra-battery-water.txt",
            "Kilcarra battery plant promises 1,200 jobs, but what about the water?",
        ),
        (
            "portovyi-visnyk/001-zerno-na-rejdi.txt",
            "Судна із зерном застрягли на рейді Порт-Ардела через страйк докерів",
        ),
    ]
)


def _sample_folders() -> dict[Path, list[Path]]:
    return {d: sorted(d.glob("*.txt")) for d in sorted(SAMPLES.iterdir()) if d.is_dir()}


def test_every_sample_file_has_a_title_and_a_body() -> None:
    folders = _sample_folders()
    assert sum(len(files) for files in folders.values()) >= 40
    for files in folders.values():
        texts = [p.read_text(encoding="utf-8") for p in files]
        furniture = learn_furniture(texts)
        for path, text in zip(files, texts, strict=True):
            c = clean_text(text, furniture)
            name = f"{path.parent.name}/{path.name}"
            assert c.body, name
            assert c.title and c.title not in c.body, name
            assert c.title not in (c.byline, c.standfirst), name
            assert c.date and c.date.startswith("2026-03"), name
            if name in SAMPLE_TITLES:
                assert c.title == SAMPLE_TITLES[name]
            assert_no_invention(text, c)


def test_hard_wrapped_page_with_unwrapped_head_is_rejoined() -> None:
    head = "Section\nA headline for the wrapped page\nBy Jo Bloggs | Mar 12, 2026 06:30\n\n"
    paras = [
        "Engineers warned three years ago that one of the stone piers of the\n"
        "viaduct needed closer monitoring, according to documents seen by the\n"
        "paper, raising questions about why the problem was not tackled.",
        "The report, running to 212 pages, rated the viaduct's overall\n"
        "condition as fair but recommended that the pier be monitored.",
    ]
    tail = "\nYou might also like\nViaduct shut after cracks found\nRepairs could take months\n"
    text = head + "\n\n".join(paras) + "\n" + tail
    c = clean_text(text)
    assert c.title == "A headline for the wrapped page"
    assert c.byline == "By Jo Bloggs"
    assert list(c.body) == [" ".join(p.split("\n")) for p in paras]
    assert c.related == ("Viaduct shut after cracks found", "Repairs could take months")


def render(c: Cleaned) -> str:
    """A cleaned article printed back as a plain page: head, then body with subheads."""
    head = [c.title, c.standfirst, c.byline]
    body: list[str] = []
    for k, para in enumerate(c.body):
        body.extend(s for s, at in zip(c.subheads, c.subhead_index, strict=True) if at == k)
        body.append(para)
    return "\n\n".join([*(x for x in head if x), *body]) + "\n"


def assert_fixed_point(c: Cleaned) -> None:
    """Cleaning the printed result again gives the same article (issue 9: idempotent)."""
    again = clean_text(render(c))
    assert again.title == c.title
    assert again.body == c.body
    assert again.subheads == c.subheads


def test_cleaning_is_idempotent_on_the_sample_corpus() -> None:
    for files in _sample_folders().values():
        for path in files:
            c = clean_text(path.read_text(encoding="utf-8"))
            assert_fixed_point(c)


_WORDS = st.sampled_from(
    "council harbour minister river voters bridge said officials would the a of in on "
    "week plan rain strike union talks years ago people report court police".split()
)
_SENTENCE = st.lists(_WORDS, min_size=10, max_size=30).map(
    lambda ws: " ".join(ws).capitalize() + "."
)


@settings(max_examples=60, deadline=None)
@given(
    title=st.lists(_WORDS, min_size=4, max_size=10).map(lambda ws: " ".join(ws).capitalize()),
    paras=st.lists(_SENTENCE, min_size=1, max_size=8, unique=True),
    furniture=st.lists(
        st.sampled_from(["Subscribe now", "Most Read", "Share this article", "Advertisement"]),
        max_size=3,
    ),
)
def test_cleaning_is_idempotent_on_its_own_output(
    title: str, paras: list[str], furniture: list[str]
) -> None:
    text = "\n".join(["date 2024-05-01", title, "By Jo Bloggs", *paras, *furniture])
    c = clean_text(text)
    assert_no_invention(text, c)
    assert_fixed_point(c)


def test_headline_with_a_navigation_word_and_comments_section() -> None:
    paras = [
        "Café owners on the waterfront have written to back the board's cautious plan.",
        "They say trade fell by a third the last time the quay was fenced off.",
        "Their letter asks for the footpath to reopen at weekends during the works.",
    ]
    comments = [
        "12 responses to “Café owners back quay plan”",
        "harbourwatch says:",
        "About time somebody listened to the people who actually work on the quay.",
        "mariner77 says:",
        "The footpath should never have been closed in the first place, it is a disgrace.",
    ]
    text = "\n".join(["date 2026-03-11 Café owners back quay plan", *paras, *comments])
    c = clean_text(text)
    assert c.title == "Café owners back quay plan"
    assert list(c.body) == paras  # every paragraph of a short article kept, no comments
    assert_no_invention(text, c)


# ---- robustness --------------------------------------------------------------

_lines = st.lists(
    st.one_of(
        st.text(max_size=120),
        st.sampled_from(
            [
                "",
                "Related Articles",
                "Most Read",
                "date 2024-01-01 Caption. Picture: AP/X",
                "By Jo Bloggs",
                "READ MORE: A headline here",
                "A sentence that is long enough to be a paragraph of body text.",
                "1. numbered item",
                "Short Subhead",
                "\u00a0",
                "Ã©tÃ©",
                "\x00\x01",
                " | ",
            ]
        ),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lines)
def test_never_crashes_and_never_invents_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    c = clean_text(text)
    assert isinstance(c, Cleaned)
    assert_no_invention(text, c)
    assert len(c.subheads) == len(c.subhead_index)
    assert all(0 <= i < max(len(c.body), 1) for i in c.subhead_index)


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    c = clean_text(text)
    assert_no_invention(text, c)
    assert c.date is None or re.fullmatch(r"\d{4}-\d\d-\d\d", c.date)


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=2000))
def test_binary_looking_input(data: bytes) -> None:
    text = data.decode("latin-1")
    assert_no_invention(text, clean_text(text))


def test_empty_and_huge_inputs() -> None:
    assert clean_text("") == Cleaned()
    assert clean_text("\n\n  \n") == Cleaned()
    huge = "word " * 200_000
    c = clean_text(huge)
    assert_no_invention(huge, c)
    c = clean_text(None)  # type: ignore[arg-type]
    assert c == Cleaned()


NEVER_CRASH = ("test_never_crashes_and_never_invents_text", "test_arbitrary_text",
               "test_binary_looking_input", "test_empty_and_huge_inputs")


def test_the_never_crash_properties_can_fail(tmp_path: Path) -> None:
    """With the cleaner's worker replaced by one that raises IndexError, every never-crash
    test above fails: nothing between them and the cleaner swallows the error."""
    (tmp_path / "mutant_cleaner.py").write_text(
        "import digest.clean\n\n\n"
        "def raises(*args, **kwargs):\n"
        "    raise IndexError('mutant cleaner')\n\n\n"
        "def pytest_configure(config):\n"
        "    digest.clean.clean_page = raises\n", "utf-8")
    tests = Path(__file__).resolve()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "mutant_cleaner",
         *(f"{tests}::{name}" for name in NEVER_CRASH)],
        cwd=tests.parents[1], capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(tmp_path), os.environ.get("PYTHONPATH", "")]))})
    assert f"{len(NEVER_CRASH)} failed" in result.stdout, result.stdout[-2000:]
    assert "mutant cleaner" in result.stdout
