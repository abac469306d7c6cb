"""Tags that help a reader (issue 19): names and subjects, not publishers or page furniture,
and an index that stays usable at thousands of tags. All text here is fictional."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.config import Config, SiteSettings, SourceSettings
from digest.pipeline import decide_tags, tag_publishers
from digest.records import Article, Digest
from digest.site import tag_page
from digest.site.context import SiteContext
from digest.site.paths import relative
from digest.site.tags import Tag, build_tags, candidates, gather, most_used, scan

FILLER = ["Councillors met on Tuesday evening.", "The vote was close.",
          "Residents asked for more buses.", "A report is due next month.",
          "Officials declined to comment further.", "The plan costs less than expected."]


def art(i: int, source: str = "courier", title: str = "", summary: tuple[str, ...] = (),
        **kw: object) -> Article:
    return Article(f"{source}/{i:03d}", source, f"{i}.txt", title=title or f"Story {i}",
                   summary=summary or (FILLER[i % len(FILLER)],), **kw)


def names(articles: list[Article], publishers: list[str] | None = None) -> set[str]:
    return {t.name for t in build_tags(articles, publishers or [])[0]}


# --- publishers are not tags ---------------------------------------------------------------

def test_publisher_names_agencies_and_bylines_are_not_tags() -> None:
    arts = [art(1, title="Harbour Courier Live: ferry fares rise in Kilcarra",
                summary=("The Harbour Courier asked Jonah Okwe about the fares.",),
                agency="Calder Wire", byline="By Mara Velleck in Kilcarra"),
            art(2, title="The Harbour Courier joins ferry talks in Kilcarra",
                summary=("Calder Wire reported that Mara Velleck met Jonah Okwe.",)),
            art(3, source="ledger", title="Kilcarra ferry fares frozen",
                summary=("Jonah Okwe told the Harbour Courier and Calder Wire they were.",))]
    found = names(arts, ["The Harbour Courier"])
    assert "Harbour Courier" not in found and "Harbour Courier Live" not in found
    assert "Calder Wire" not in found and "Mara Velleck" not in found
    assert {"Kilcarra", "Jonah Okwe"} <= found  # a byline's place is still news
    assert "Harbour Courier" in names(arts)  # only because it is a publisher's name


def test_a_source_id_is_not_a_tag_but_does_not_swallow_longer_names() -> None:
    arts = [art(i, source="world", title=f"World Cup squad named, the World says ({i})")
            for i in range(2)]
    found = names(arts, ["world"])
    assert "World Cup" in found and "World" not in found


def test_a_sources_every_page_phrase_is_not_a_tag_without_being_told_its_name() -> None:
    subjects = ["Kilcarra", "Port Ardell", "Dunmarrow", "Vennick", "Saltmarsh", "Brennock"]
    show = [art(i, source="show", title=f"Quayside Hour {100 + i}: talk of {subjects[i]}",
                summary=(f"This week the panel visits {subjects[i]} and {subjects[i - 1]}.",))
            for i in range(6)]
    others = [art(i, source="ledger", summary=(f"Traffic slowed in {s} on the coast road.",))
              for i, s in enumerate(subjects)]
    found = names(show + others)
    assert "Quayside Hour" not in found
    assert set(subjects) <= found


def test_a_subject_a_source_writes_about_often_stays_a_tag() -> None:
    # a town paper names its town in most articles, mid-sentence: that is news, not branding
    local = [art(i, source="ledger", summary=(f"Shops in Vennick reopened after repair {i}.",))
             for i in range(8)]
    other = [art(i, source="courier", summary=("Buses to Vennick were cut back.",))
             for i in range(8)]
    assert "Vennick" in names(local + other)


def test_with_one_source_a_phrase_in_most_of_its_articles_is_furniture() -> None:
    arts = [art(i, source="solo", summary=(f"Read more at Quayside Daily about item {i}.",
                                           "Jonah Okwe spoke." if i < 2 else "It rained."))
            for i in range(6)]
    found = names(arts)
    assert "Quayside Daily" not in found and "Jonah Okwe" in found


def test_repeated_template_text_gives_no_tags() -> None:
    arts = [art(i, standfirst="News and views from the Lisk Valley Network team",
                summary=(FILLER[i],)) for i in range(4)]
    assert "Lisk Valley Network" not in names(arts)
    assert "Lisk Valley Network" in names(arts[:2])  # twice can be one story's two articles


# --- furniture and datelines are not tags --------------------------------------------------

def test_an_all_caps_dateline_or_kicker_is_not_a_tag() -> None:
    arts = [art(1, title="WATCH: ferry runs aground", summary=(
                "KILCARRA — A ferry ran aground on Friday, NATO observers said.",)),
            art(2, title="LIVE | storm updates", summary=(
                "KILCARRA: Winds reached gale force as NATO ships sheltered.",)),
            art(3, title="Analysis: the long wait", summary=("(CALDER WIRE) -- Talks resumed.",))]
    found = names(arts)
    assert found == {"NATO"}  # a short acronym mid-sentence is a name
    assert [(p.text, p.strong) for p in scan("PARIS — Talks resumed in Port Ardell.")] == [
        ("Talks", False), ("Port Ardell", True)]
    assert [p.text for p in scan("Port Ardell — Talks resumed.")] == ["Talks"]


def test_a_dateline_town_counts_where_it_is_written_as_a_name() -> None:
    arts = [art(1, summary=("KILCARRA — Talks resumed.", "Kilcarra is quiet again.")),
            art(2, summary=("Crowds gathered in Kilcarra on the quay.",))]
    assert [(t.name, len(t.article_ids)) for t in build_tags(arts)[0]] == [("Kilcarra", 2)]


def test_headline_case_and_sentence_starts_count_only_for_known_names() -> None:
    arts = [art(1, title="Storm Hits Port Ardell Again As Winds Rise"),
            art(2, summary=("Flooding closed roads around Port Ardell overnight.",)),
            art(3, title="Storm Warning Issued For Coast", summary=("Flooding is likely.",))]
    tags, of = build_tags(arts)
    assert [(t.name, t.article_ids) for t in tags] == [
        ("Port Ardell", ("courier/001", "courier/002"))]
    assert candidates("Storm Hits Port Ardell Again") == []  # Title Case: no name by itself


def test_a_word_written_in_lower_case_elsewhere_is_not_a_name() -> None:
    arts = [art(i, summary=(f"The report reached Police Scotland and the Police on day {i}.",
                            f"Local police said little on day {i}.")) for i in range(3)]
    found = names(arts)
    assert "Police" not in found and "Police Scotland" in found


def test_variants_of_a_name_share_one_tag() -> None:
    arts = [art(1, summary=("Talks in the Carrowmore's council chamber ended.",)),
            art(2, summary=("Officials from CARROWMORE and Carrowmore's mayor met.",)),
            art(3, summary=("Jonah Okwe spoke first.", "Later Okwe left.")),
            art(4, summary=("Supporters cheered Okwe at the quay.", "Jonah Okwe waved."))]
    tags, _ = build_tags(arts)
    assert {(t.name, len(t.article_ids)) for t in tags} == {("Carrowmore", 2), ("Jonah Okwe", 2)}


def test_clitics_abbreviations_and_possessives_do_not_make_names() -> None:
    assert candidates("Later I’m told Dr. Mara Velleck visited Kilcarra's harbour.") == [
        "Mara Velleck", "Kilcarra"]
    assert candidates("Officials met Theresa May in Kenya on Tuesday and Kilcarra Monday.") == [
        "Theresa May", "Kenya", "Kilcarra"]  # a month ends a name, a weekday does not


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_scans_into_words_of_the_text(text: str) -> None:
    for phrase in scan(text):
        assert phrase.words
        for word in phrase.words:
            assert word in text or word in text.replace("’", "'")


# --- determinism ---------------------------------------------------------------------------

WORDS = ["Kilcarra", "Port", "Ardell", "Jonah", "Okwe", "NATO", "PARIS", "the", "met", "in",
         "Storm", "Hits", "police", "Police", "—", ":", ".", "'s", "Vennick", "and"]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]),
                          st.lists(st.sampled_from(WORDS), max_size=12),
                          st.lists(st.sampled_from(WORDS), max_size=12)),
                min_size=1, max_size=14),
       st.randoms(use_true_random=False))
@settings(max_examples=80, deadline=None)
def test_the_same_articles_in_any_order_give_the_same_tags(
        rows: list[tuple[str, list[str], list[str]]], rng: object) -> None:
    arts = [Article(f"{source}/{i}", source, f"{i}.txt", title=" ".join(title),
                    summary=(" ".join(text),)) for i, (source, title, text) in enumerate(rows)]
    shuffled = list(arts)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert build_tags(arts, ["Ardell"]) == build_tags(shuffled, ["Ardell"])


# --- the index -----------------------------------------------------------------------------

def context(articles: list[Article], language: str = "en") -> SiteContext:
    config = Config(path=Path("/nowhere/feeds.yaml"),
                    site=SiteSettings(title="Test digest", language=language),
                    sources=(SourceSettings(name="courier", type="text", path="x"),
                             SourceSettings(name="ledger", type="text", path="x")))
    return SiteContext(Digest(tuple(articles), (),
                              tags=decide_tags(articles, tag_publishers(config))), config)


def made_up_tags(n: int, article_ids: list[str]) -> list[Tag]:
    """``n`` tags with names over many initials (and some over none: digits, Cyrillic)."""
    tags = []
    for i in range(n):
        head = "ABCDEFGHKLMNPRSTVW"[i % 18] if i % 25 else ("Ж" if i % 2 else "4")
        ids = tuple(sorted({article_ids[i % len(article_ids)],
                            article_ids[(i * 7 + 1) % len(article_ids)]}))
        tags.append(Tag(f"tag-{i}", f"{head}orrin {i:04d}", ids))
    return tags


def index_pages(pages: dict[str, str]) -> dict[str, str]:
    return {p: t for p, t in pages.items() if p == "tags/index.md" or p.startswith("tags/index/")}


def target(page: str, href: str) -> str:
    """The source path a relative link on ``page`` leads to."""
    parts = page.split("/")[:-1]
    for part in href.split("#")[0].split("/"):
        if part == "..":
            parts.pop()
        elif part:
            parts.append(part)
    return "/".join(parts) if href.split("#")[0] else page


def test_the_index_of_3000_tags_has_bounded_pages_and_reaches_every_tag() -> None:
    arts = [art(i, source="courier" if i % 3 else "ledger") for i in range(40)]
    ctx = context(arts)
    ctx.tags = made_up_tags(3000, [a.id for a in arts])
    pages = tag_page.render(ctx)
    index = index_pages(pages)
    assert 7 <= len(index) <= 10
    linked: list[str] = []
    for page, text in index.items():
        links = re.findall(r"\]\(([^)]*)\)", text)
        tag_links = [target(page, h) for h in links if re.search(r"(^|/)tag-\d+\.md$", h)]
        a_to_z = text.split("# All tags from A to Z")[-1]
        listed = [target(page, h) for h in re.findall(r"\]\(([^)]*)\)", a_to_z)
                  if re.search(r"(^|/)tag-\d+\.md$", h)]
        assert len(listed) <= tag_page.INDEX_PAGE_SIZE, page
        assert len(tag_links) <= tag_page.INDEX_PAGE_SIZE + tag_page.MOST_USED, page
        linked += listed
        for href in links:  # every link leads to a page of the site, and anchors exist
            if re.search(r"(^|/)tag-\d+\.md$", href):
                continue
            goal = target(page, href)
            assert goal in pages, (page, href)
            if "#" in href:
                assert "{ #" + href.split("#")[1] + " }" in pages[goal], (page, href)
    assert sorted(linked) == sorted(ctx.paths.tag(t.slug) for t in ctx.tags)  # each once
    assert all(ctx.paths.tag(t.slug) in pages for t in ctx.tags)
    first = index["tags/index.md"]
    assert "## Most used" in first and first.index("## Most used") < first.index("A to Z")


def test_a_short_index_is_one_page_a_to_z() -> None:
    arts = [art(1, summary=("Ferries left Kilcarra and Vennick.",)),
            art(2, summary=("Kilcarra and Vennick traded goods.",))]
    ctx = context(arts)
    pages = tag_page.render(ctx)
    assert set(index_pages(pages)) == {"tags/index.md"}
    text = pages["tags/index.md"]
    assert "Most used" not in text and "Page 1" not in text
    assert "[Kilcarra](kilcarra.md) 2" in text and "### K { #letter-4b }" in text
    assert "[K](#letter-4b)" in text
    assert "[all tags](index.md)" in pages["tags/kilcarra.md"]


def test_index_pages_use_the_site_language_and_escape_names() -> None:
    arts = [art(i) for i in range(4)]
    ctx = context(arts, "uk")
    ctx.tags = [Tag(f"t{i}", f"*Bold* [x](javascript:y) {i}", tuple(a.id for a in arts[:2]))
                for i in range(tag_page.INDEX_PAGE_SIZE + 5)]
    pages = index_pages(tag_page.render(ctx))
    assert set(pages) == {"tags/index.md", "tags/index/2.md"}
    assert "# Мітки \\(2\\)" in pages["tags/index/2.md"]
    assert "Найуживаніші" in pages["tags/index.md"]
    assert "Сторінка 2 з 2" in pages["tags/index/2.md"]
    assert "](javascript" not in "".join(pages.values())
    assert relative("tags/index/2.md", "tags/t1.md") == "../t1.md"


def test_most_used_prefers_names_shared_across_sources() -> None:
    one = Tag("one", "Jeff", tuple(f"a/{i}" for i in range(9)))
    many = Tag("many", "Kilcarra", ("a/1", "b/1", "c/1", "d/1"))
    source_of = {**{f"a/{i}": "a" for i in range(9)}, "b/1": "b", "c/1": "c", "d/1": "d"}
    assert most_used([one, many], source_of) == [many, one]
    assert most_used([one, many], dict.fromkeys(source_of, "a")) == [one, many]


# --- an old article's tags stay as they were -----------------------------------------------

def test_an_articles_tags_do_not_move_when_later_articles_mention_its_names() -> None:
    """An article's tags are ranked by what it says, not by how many articles use each tag,
    so its page stays the same when a new day mentions one of its names many more times."""
    x = art(0, title="Harbour deal signed",
            summary=("On Monday the towns of Dunmarrow and Kilcarra signed the deal.",))
    old = [x, *(art(i, source=f"s{i % 3}", title=f"Council meeting {i}",
                    summary=(f"Officials from Dunmarrow met on day {i}.",)) for i in range(1, 6)),
           *(art(i, source=f"s{i % 3}", title=f"Council vote {i}",
                 summary=(f"Officials from Kilcarra met on day {i}.",)) for i in range(6, 9))]
    before = build_tags(old)[1][x.id]
    later = [art(100 + i, source=f"s{i % 3}", title=f"Residents speak {i}",
                 summary=(f"Residents of Kilcarra spoke on day {i}.",)) for i in range(10)]
    after = build_tags([*old, *later])[1][x.id]
    assert [t.name for t in before] == ["Dunmarrow", "Kilcarra"]  # as the article says them
    assert [t.name for t in after] == [t.name for t in before]


# --- the freeze rule (issue 20) --------------------------------------------------------------

def dated(i: int, day: str, summary: str, source: str = "courier") -> Article:
    return art(i, source=source, summary=(summary, FILLER[i % len(FILLER)]), date=day)


def months_of(articles: list[Article]) -> tuple:
    """Every month a period of its own (the default period holds 2,000 articles)."""
    from digest.periods import frozen_periods
    return tuple(frozen_periods((a.date for a in articles), least=1))


def test_a_frozen_articles_tags_stay_as_its_period_decided_them() -> None:
    january = [dated(1, "2026-01-05", "Crews reached Kestrel Bay at dawn."),
               *(dated(i, "2026-01-10", f"The ferry ran {i} minutes late.") for i in range(2, 9))]
    later = [dated(i, f"2026-04-{i - 9:02d}", f"Pilots praised Kestrel Bay on flight {i}.")
             for i in range(10, 13)]
    whole = [*january, *later]
    periods = months_of(whole)
    assert periods and (2026, 1) in periods[0][0]  # January is frozen
    given = decide_tags(whole, [], periods)
    # one January article named it: no tag there, whatever later months say...
    assert "courier/001" not in given
    # ...while over the whole archive a later month's articles would have given it one
    assert [t.name for t in build_tags(whole, [])[1]["courier/001"]] == ["Kestrel Bay"]
    tags, _ = gather(given)
    kestrel = next(t for t in tags if t.name == "Kestrel Bay")
    assert kestrel.article_ids == tuple(a.id for a in later)


def test_frozen_tags_are_kept_in_the_cache_and_come_back_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import digest.pipeline as pipeline
    from digest.cache import Cache
    arts = [dated(i, f"2026-01-{1 + i % 20:02d}", f"Talks in Port Ardell, round {i}.",
                  ("courier", "ledger")[i % 2]) for i in range(8)]
    arts.append(dated(99, "2026-05-01", "Nothing else happened."))
    periods = months_of(arts)
    store = Cache(tmp_path / "cache.sqlite", pipeline.CACHED_RECORDS)
    first = decide_tags(arts, [], periods, store)
    assert first["courier/000"] == (("port-ardell", "Port Ardell"),)
    calls: list[int] = []
    real = pipeline.article_tags

    def counted(members: list[Article], names: tuple[str, ...]) -> dict:
        calls.append(len(members))
        return real(members, names)

    monkeypatch.setattr(pipeline, "article_tags", counted)
    try:
        again = decide_tags(arts, [], periods, store)
    finally:
        store.close()
    assert again == first
    assert calls == [1]  # the open period alone was decided again


def test_a_crafted_cache_row_cannot_name_a_tag_page_out_of_the_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Frozen tags come back from the cache only when each slug is a page name."""
    import digest.pipeline as pipeline
    from digest.cache import Cache
    arts = [dated(i, f"2026-01-{1 + i % 20:02d}", f"Talks in Port Ardell, round {i}.",
                  ("courier", "ledger")[i % 2]) for i in range(8)]
    arts.append(dated(99, "2026-05-01", "Nothing else happened."))
    periods = months_of(arts)
    clean = decide_tags(arts, [], periods)
    store = Cache(tmp_path / "cache.sqlite", pipeline.CACHED_RECORDS)
    real = pipeline.article_tags
    monkeypatch.setattr(pipeline, "article_tags", lambda members, names: {
        a.id: (("../../../etc/owned", "Owned"),) for a in members})
    try:
        decide_tags(arts, [], periods, store)  # the frozen step's crafted row is kept
        monkeypatch.setattr(pipeline, "article_tags", real)
        again = decide_tags(arts, [], periods, store)
    finally:
        store.close()
    assert again == clean


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 150), st.integers(0, 3)), min_size=2, max_size=30),
       st.integers(1, 40))
def test_a_new_day_never_changes_a_frozen_articles_tags(
        plan: list[tuple[int, int]], more: int) -> None:
    """Articles over five months naming a few places; a later day adds ``more`` articles:
    every article of a period frozen before it keeps its tags, and each tag lists exactly
    the articles given it."""
    import datetime as dt

    places = ["Kestrel Bay", "Port Ardell", "Dunmarrow", "Vennick"]
    start = dt.date(2026, 1, 1)
    old = [dated(i, (start + dt.timedelta(days=d)).isoformat(),
                 f"Talks opened in {places[p]} at {i} o'clock.", ("courier", "ledger")[i % 2])
           for i, (d, p) in enumerate(plan)]
    newest = start + dt.timedelta(days=200)
    new = [dated(1000 + k, newest.isoformat(), f"Crowds of {k} gathered in {places[k % 4]}.",
                 ("courier", "ledger")[k % 2]) for k in range(more)]
    before_periods = months_of(old)
    after_periods = months_of([*old, *new])
    before = decide_tags(old, [], before_periods)
    after = decide_tags([*old, *new], [], after_periods)
    for months, cutoff in before_periods:
        assert (months, cutoff) in after_periods
        for a in old:
            if (int(a.date[:4]), int(a.date[5:7])) in months:
                assert after.get(a.id) == before.get(a.id)
    tags, of_article = gather(after)
    assert {t.slug: set(t.article_ids) for t in tags} == {
        slug: {i for i, pairs in after.items() if slug in dict(pairs)}
        for slug in {s for pairs in after.values() for s, _ in pairs}}
    assert {i: [(t.slug, t.name) for t in own] for i, own in of_article.items()} == {
        i: list(pairs) for i, pairs in after.items()}
