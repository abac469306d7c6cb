"""A reader's path through the sample site in real headless Chromium over real HTTP.

Requests to other hosts never leave the machine: the "original article" is
answered by a stub page, everything else outside the site is refused. Each
page kind is screenshotted at desktop and phone size into ``build/screenshots/``
and checked with axe-core (``.ci/run`` installs it with npm). A fictional busy
day (``busy_site.fictional_project``: made-up words, six sources) is built with
real MkDocs to check that the front page shows a screenful of stories, and built
again in Ukrainian to check that no English interface word is left.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from busy_site import (
    DAY,
    DESKTOP,
    PHONE,
    complete_units,
    english_in,
    english_labels,
    english_on_page,
    fictional_project,
    material_labels,
    owner_names,
    screens_tall,
    served,
    sideways_overflow,
)
from conftest import absent
from hypothesis import given, settings
from hypothesis import strategies as st
from test_site_language import built, with_language

from digest.site.labels import CATALOG, PLURALS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots"
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
STUB = "<!doctype html><title>Original</title><h1>The publisher's page</h1>"
SEARCH_INDEX = "pagefind/shards.json"  # the first thing opening search asks for
KINDS = ["front", "topic", "article", "archive day", "archive month", "archive index",
         "topics index", "tag", "tag index", "sources", "build report"]


@pytest.fixture()
def context(browser, site_server: str) -> Iterator[object]:
    """A browser context that serves the site and stubs every other host."""
    ctx = browser.new_context(viewport=DESKTOP, color_scheme="light")
    local = urlsplit(site_server).netloc

    def route(r: object) -> None:
        url = urlsplit(r.request.url)
        if url.netloc == local:
            r.continue_()
        elif r.request.resource_type == "document":
            r.fulfill(status=200, content_type="text/html", body=STUB)
        else:
            r.abort()

    ctx.route("**/*", route)
    ctx.set_default_timeout(10_000)
    try:
        yield ctx
    finally:
        ctx.close()


def sized_context(browser: object, size: str) -> object:
    """A fresh context of desktop or phone size (a phone is mobile and touch) that refuses
    every request off this machine."""
    ctx = browser.new_context(viewport=DESKTOP if size == "desktop" else PHONE,
                              color_scheme="light", is_mobile=size == "phone",
                              has_touch=size == "phone")
    ctx.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda r: r.abort())
    ctx.set_default_timeout(10_000)
    return ctx


def url_path(site: Path, index: Path) -> str:
    return index.parent.relative_to(site).as_posix() + "/"


@pytest.fixture(scope="module")
def kinds(sample_site: Path) -> dict[str, str]:
    """One URL path of each page kind."""
    first = {name: sorted((sample_site / name).glob(pattern))
             for name, pattern in (("topics", "*/index.html"), ("articles", "*/*/index.html"),
                                   ("tags", "*/index.html"))}
    days = sorted((sample_site / "archive").glob("20??-??-??/index.html"))
    months = sorted((sample_site / "archive").glob("20??-??/index.html"))
    found = {"front": "", "topic": url_path(sample_site, first["topics"][0]),
             "article": url_path(sample_site, first["articles"][0]),
             "archive day": url_path(sample_site, days[-1]),
             "archive month": url_path(sample_site, months[-1]),
             "archive index": "archive/", "topics index": "topics/",
             "tag": url_path(sample_site, first["tags"][0]), "tag index": "tags/",
             "sources": "sources/", "build report": "report/"}
    assert set(found) == set(KINDS)
    for path in found.values():
        assert (sample_site / path / "index.html").is_file(), path
    return found


def h1(page: object) -> str:
    return page.locator("article h1").first.inner_text().strip()


def test_front_page_to_topic_to_article_to_related(context, site_server: str) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_server, wait_until="load")
    assert h1(page)
    assert page.locator("text=The digest for").count() == 1

    # front page: a story several sources carry; its headline -> the article
    unit = page.locator("article.digest-story").filter(
        has=page.locator("a.digest-story__sources")).first
    headline = unit.locator(".digest-story__headline a")
    title = headline.inner_text().strip()
    count = unit.locator("a.digest-story__sources").inner_text().strip()
    assert re.fullmatch(r"\d+ sources", count) and int(count.split()[0]) >= 2, count
    assert unit.locator(".digest-story__gist").inner_text().strip()
    assert unit.locator(".digest-story__meta time[datetime]").count() == 1
    headline.click()
    page.wait_for_load_state("load")
    assert "/articles/" in page.url
    assert h1(page) == title
    assert page.locator('article a[href*="topics/"]').count() >= 1
    page.go_back(wait_until="load")

    # "N sources" -> the story's topic page, which lists that article
    page.locator("article.digest-story").filter(has_text=title).first.locator(
        "a.digest-story__sources").click()
    page.wait_for_load_state("load")
    assert "/topics/" in page.url
    assert page.locator("#timeline").count() == 1
    assert page.locator("article a[href*='articles/']").filter(has_text=title).count() >= 1
    topic_name = h1(page)

    # topic -> its articles, each with its summary and its topic; back to the topic
    links = page.locator('article li a[href*="articles/"]')
    related = page.locator("h2#related-articles + ul a")
    for i in range(min(links.count(), 8)):
        article_link = links.nth(i)
        article_title = article_link.inner_text().strip()
        article_link.click()
        page.wait_for_load_state("load")
        assert "/articles/" in page.url
        assert h1(page) == article_title
        assert page.locator('article a[href*="topics/"]').count() >= 1
        if related.count():
            break
        page.go_back(wait_until="load")
        assert h1(page) == topic_name

    # article -> a related article inside the site
    related = related.first
    related_title = related.inner_text().strip()
    related.click()
    page.wait_for_load_state("load")
    assert h1(page) == related_title
    assert errors == []


def test_article_to_original_and_back(context, site_server: str, sample_site: Path) -> None:
    with_link = next(p for p in sorted((sample_site / "articles").rglob("index.html"))
                     if "Original article" in p.read_text("utf-8"))
    page = context.new_page()
    page.goto(site_server + with_link.parent.relative_to(sample_site).as_posix() + "/")
    title = h1(page)
    link = page.get_by_role("link", name="Original article")
    href = link.get_attribute("href")
    assert href and href.startswith("https://")
    link.click()
    page.wait_for_load_state("load")
    assert page.url == href
    assert page.locator("h1").inner_text() == "The publisher's page"
    page.go_back(wait_until="load")
    assert h1(page) == title


def rare_summary_word(sample_site: Path) -> tuple[str, str]:
    """A word of one article's summary (its page's description) that few other articles'
    titles or descriptions contain, and that article's URL path: what a reader who
    remembers the story would search for."""
    texts: list[tuple[str, str]] = []
    for page in sorted((sample_site / "articles").rglob("index.html")):
        found = re.search(r'<meta property="og:description" content="([^"]*)"',
                          page.read_text("utf-8"))
        if found:
            location = page.parent.relative_to(sample_site).as_posix() + "/"
            texts.append((location, html.unescape(found.group(1)).lower()))
    for location, text in texts:
        for word in sorted(set(re.findall(r"[a-z]{7,}", text)), key=lambda w: (-len(w), w)):
            if sum(word in t for _, t in texts) <= 2:
                return word, location
    raise AssertionError("no article has a description")


def test_search_finds_an_article_by_a_word_of_its_summary(context, site_server: str,
                                                          sample_site: Path) -> None:
    """The search index is asked for only once the reader opens search, and then finds an
    article by a word of its summary; nothing of the index is fetched at load."""
    word, location = rare_summary_word(sample_site)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(site_server, wait_until="networkidle")
    assert not [u for u in asked if "/pagefind/" in u], "asked for at load"
    with page.expect_request(lambda r: r.url.endswith(SEARCH_INDEX)):
        page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type(word)
    hit = page.locator(f'.md-search-result__item a[href*="{location}"]').first
    hit.wait_for(timeout=10_000)
    hit.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.lstrip("/").startswith(location)
    assert word in page.locator("article.md-content__inner").inner_text().lower()


def test_on_a_phone_the_search_icon_asks_for_the_index(browser, site_server: str) -> None:
    """A phone shows search as an icon (the search toggle, not the field): tapping it asks
    for the index, which the page did not load."""
    ctx = sized_context(browser, "phone")
    try:
        page = ctx.new_page()
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url))
        page.goto(site_server, wait_until="networkidle")
        assert not [u for u in asked if u.endswith(SEARCH_INDEX)]
        with page.expect_request(lambda r: r.url.endswith(SEARCH_INDEX)):
            page.locator('label.md-header__button[for="__search"]:visible').first.tap()
    finally:
        ctx.close()


def test_tabbing_past_the_search_field_leaves_the_page_clear(context, site_server: str) -> None:
    """A keyboard reader who tabs into the search field and on past it is not left with the
    page greyed behind a search overlay."""
    page = context.new_page()
    page.goto(site_server, wait_until="networkidle")
    overlay = "getComputedStyle(document.querySelector('.md-search__overlay')).opacity"
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('md-search__input')"):
            break
    else:
        raise AssertionError("the search field is not reachable with Tab")
    page.keyboard.type("harbour")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.wait_for_function(f"Number({overlay}) === 0")
    assert page.evaluate("document.getElementById('__search').checked") is False


def test_dark_mode_toggles_and_stays(context, site_server: str) -> None:
    page = context.new_page()
    page.goto(site_server, wait_until="load")
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    assert scheme == "default"
    page.locator('form[data-md-component="palette"] label:visible').first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.reload(wait_until="load")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    page.locator('form[data-md-component="palette"] label:visible').first.click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")


AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""


@pytest.mark.parametrize("kind", KINDS)
def test_page_kind_reads_well_and_asks_for_nothing_missing(
        browser, site_server: str, kinds: dict[str, str], kind: str) -> None:
    """At desktop and phone size: a screenshot, no sideways scrolling, no serious or critical
    axe-core violation; no request answered 404 (or any error); no sitemap.xml asked for
    beside the feed links (which browsers and readers still discover); and no search index
    until the reader opens search."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    axe = AXE.read_text("utf-8") if AXE.is_file() else None
    url = site_server + kinds[kind]
    for size in ("desktop", "phone"):
        ctx = sized_context(browser, size)
        try:
            page = ctx.new_page()
            answered: list[tuple[int, str]] = []
            page.on("response", lambda r, answered=answered: answered.append((r.status, r.url)))
            page.goto(url, wait_until="networkidle")
            page.screenshot(path=str(SHOTS / f"{kind.replace(' ', '-')}-{size}.png"))
            overflow = sideways_overflow(page)
            assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px at {size} size"
            errors = [(status, u) for status, u in answered if status >= 400]
            assert errors == [], errors
            paths = [urlsplit(u).path for _, u in answered]
            assert not [p for p in paths if p.endswith("sitemap.xml")], paths
            assert not [p for p in paths if p.endswith(SEARCH_INDEX)], f"{kind}: at load"
            if size == "desktop":
                feeds = page.evaluate("""() => [...document.querySelectorAll('link')]
                    .filter(l => l.relList.contains('alternate')).map(l => l.type)""")
                assert {"application/atom+xml", "application/rss+xml",
                        "application/feed+json"} <= set(feeds)
            if axe:
                page.add_script_tag(content=axe)
                violations = page.evaluate(AXE_RUN)
                assert violations == [], f"{size}: " + json.dumps(violations, indent=1)
        finally:
            ctx.close()
    if axe is None:  # screenshots, layout and requests were checked; accessibility was not
        absent("browser", f"{AXE} is missing (npm install --no-save --prefix .ci/node"
                          " axe-core@4; .ci/run installs it)")


# ---------------------------------------------------------------------------------------
# a busy day, and the same day in Ukrainian

LABELS = english_labels("uk")
UKRAINIAN = [*(texts["uk"] for texts in CATALOG.values()),
             *(text for forms in PLURALS.values() for text in forms["uk"].values()),
             *material_labels("uk").values()]


def filled(text: str) -> str:
    return re.sub(r"\{[^}]*\}|#", "7", text)


def test_the_english_word_rule_finds_every_english_label_and_no_ukrainian_one() -> None:
    assert len(LABELS) > 50
    for label in LABELS:
        assert english_in([filled(label.english)], [label]), label
    assert english_in([filled(t) for t in UKRAINIAN], LABELS) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(UKRAINIAN), min_size=1, max_size=4),
       st.sampled_from(LABELS), st.integers(min_value=0, max_value=4))
def test_an_english_label_among_ukrainian_words_is_found(ukrainian: list[str], label: object,
                                                         at: int) -> None:
    words = [filled(t) for t in ukrainian]
    words.insert(min(at, len(words)), filled(label.english))
    found = english_in([" ".join(words)], LABELS)
    assert any(f"{label.where} " in f for f in found), found
    owner = filled(label.english)  # the same words as an owner's name are not interface
    assert english_in([" ".join(words)], [label], names=[owner]) == []


@pytest.fixture(scope="module")
def busy_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fictional day of about 120 articles from six sources, 34 stories, built."""
    project = fictional_project(tmp_path_factory.mktemp("busy") / "project")
    built(project)
    return project


@pytest.fixture(scope="module")
def busy_uk_project(tmp_path_factory: pytest.TempPathFactory, busy_project: Path) -> Path:
    """The same day with ``site.language: uk`` (its cache copied: the articles are the
    same)."""
    project = tmp_path_factory.mktemp("busy-uk") / "project"
    shutil.copytree(busy_project, project, ignore=shutil.ignore_patterns("site"))
    built(with_language(project, "uk"))
    return project


def test_a_busy_front_page_fills_the_first_screen_with_whole_stories(
        browser, busy_project: Path) -> None:
    """Ten whole story units (headline, gist, source line) in the first desktop screen, four
    on a phone, the page no taller than four desktop screens; 30 units at most, then the
    rest of the day one click away."""
    with served(busy_project / "site") as base:
        for size, least in (("desktop", 10), ("phone", 4)):
            ctx = sized_context(browser, size)
            try:
                page = ctx.new_page()
                page.goto(base, wait_until="networkidle")
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"busy-front-{size}.png"))
                units = page.locator("article.digest-story")
                assert 10 < units.count() <= 30
                assert complete_units(page) >= least, size
                if size == "desktop":
                    assert screens_tall(page) <= 4
                    more = page.locator("a.digest-more")
                    assert more.count() == 1
                    assert (more.get_attribute("href") or "").rstrip("/").endswith(
                        f"archive/{DAY}")
            finally:
                ctx.close()


def test_a_ukrainian_site_shows_no_english_interface_word(
        browser, busy_project: Path, busy_uk_project: Path) -> None:
    """``<html lang="uk">`` and no English interface word (``busy_site``'s rule) on the front
    page, a topic and an article of the ``uk`` build; the same rule finds English words on
    the English build (the check can fail)."""
    labels = english_labels("uk", busy_uk_project / "mkdocs.yml")
    names = owner_names(busy_uk_project)
    with served(busy_project / "site") as base:
        ctx = sized_context(browser, "desktop")
        page = ctx.new_page()
        page.goto(base, wait_until="networkidle")
        assert english_on_page(page, labels, names)
        ctx.close()
    with served(busy_uk_project / "site") as base:
        ctx = sized_context(browser, "desktop")
        try:
            page = ctx.new_page()
            page.goto(base, wait_until="networkidle")
            unit = page.locator("article.digest-story").filter(
                has=page.locator("a.digest-story__sources")).first
            pages = {"front": base,
                     "article": unit.locator(".digest-story__headline a").get_attribute("href"),
                     "topic": unit.locator("a.digest-story__sources").get_attribute("href")}
            for kind, href in pages.items():
                page.goto(base + href if kind != "front" else base, wait_until="networkidle")
                assert page.evaluate("document.documentElement.lang") == "uk", kind
                assert english_on_page(page, labels, names) == [], kind
        finally:
            ctx.close()
