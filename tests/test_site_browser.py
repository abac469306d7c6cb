"""A reader's path through the sample site in real headless Chromium over real HTTP.

Requests to other hosts never leave the machine: the "original article" is
answered by a stub page, everything else outside the site is refused. Each
page kind is screenshotted at desktop and phone size into ``build/screenshots/``
and checked with axe-core (``.ci/run`` installs it with npm).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import absent

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots"
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
STUB = "<!doctype html><title>Original</title><h1>The publisher's page</h1>"


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


@pytest.fixture(scope="module")
def kinds(sample_site: Path) -> dict[str, str]:
    """One URL path of each page kind: front, topic, article, archive day."""
    topic = sorted(p.parent for p in (sample_site / "topics").glob("*/index.html"))[0]
    article = sorted((sample_site / "articles").rglob("index.html"))[0].parent
    day = sorted((sample_site / "archive").glob("20??-??-??/index.html"))[-1].parent
    return {"front": "", **{k: p.relative_to(sample_site).as_posix() + "/"
                            for k, p in (("topic", topic), ("article", article), ("archive", day))}}


def h1(page: object) -> str:
    return page.locator("article h1").first.inner_text().strip()


def test_front_page_to_topic_to_article_to_related(context, site_server: str) -> None:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_server, wait_until="load")
    assert h1(page)
    assert page.locator("text=The digest for").count() == 1

    # front page -> a topic
    topic_link = page.locator('article h2 a[href*="topics/"]').first
    topic_name = topic_link.inner_text().strip()
    topic_link.click()
    page.wait_for_load_state("load")
    assert "/topics/" in page.url
    assert h1(page) == topic_name
    assert page.locator("#timeline").count() == 1

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
        assert page.locator("#in-brief").count() == 1
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
    """A word of one article's summary that few other pages contain, and that article's
    URL path: what a reader who remembers the story would search for."""
    index = json.loads((sample_site / "search" / "search_index.json").read_text("utf-8"))
    docs = index["docs"]
    texts = [(d["location"], re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"]).lower())
             for d in docs]
    for location, text in texts:
        if not location.endswith("#in-brief"):
            continue
        for word in sorted(set(re.findall(r"[a-z]{7,}", text)), key=lambda w: (-len(w), w)):
            if sum(word in t for _, t in texts) <= 2:
                return word, location.split("#")[0]
    raise AssertionError("no article summary was indexed")


def test_search_finds_an_article_by_a_word_of_its_summary(context, site_server: str,
                                                          sample_site: Path) -> None:
    word, location = rare_summary_word(sample_site)
    page = context.new_page()
    page.goto(site_server, wait_until="load")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.keyboard.type(word)
    hit = page.locator(f'.md-search-result__item a[href*="{location}"]').first
    hit.wait_for(timeout=10_000)
    hit.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.lstrip("/").startswith(location)
    assert word in page.locator("#in-brief + ul").inner_text().lower()


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


@pytest.mark.parametrize("kind", ["front", "topic", "article", "archive"])
def test_page_kind_reads_well_on_desktop_and_phone(browser, site_server: str,
                                                   kinds: dict[str, str], kind: str) -> None:
    """Screenshots at both sizes, no sideways scrolling on a phone, and no serious or
    critical axe-core violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    axe = AXE.read_text("utf-8") if AXE.is_file() else None
    url = site_server + kinds[kind]
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        ctx = browser.new_context(viewport=viewport, color_scheme="light",
                                  is_mobile=size == "phone", has_touch=size == "phone")
        ctx.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: r.abort())
        try:
            page = ctx.new_page()
            page.goto(url, wait_until="load")
            page.screenshot(path=str(SHOTS / f"{kind}-{size}.png"))
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px at {size} size"
            if axe and size == "desktop":
                page.add_script_tag(content=axe)
                violations = page.evaluate(AXE_RUN)
                assert violations == [], json.dumps(violations, indent=1)
        finally:
            ctx.close()
    if axe is None:  # screenshots and layout were checked; accessibility was not
        absent("browser", f"{AXE} is missing (npm install --no-save --prefix .ci/node"
                          " axe-core@4; .ci/run installs it)")


@pytest.mark.parametrize("kind", ["front", "topic", "article", "archive"])
def test_a_page_asks_for_nothing_that_is_not_there(context, site_server: str,
                                                   kinds: dict[str, str], kind: str) -> None:
    """No request of a page is answered 404 (or any error), and its feed links, which
    browsers and readers still discover, make the theme fetch no sitemap.xml beside them."""
    page = context.new_page()
    answered: list[tuple[int, str]] = []
    page.on("response", lambda r: answered.append((r.status, r.url)))
    page.goto(site_server + kinds[kind], wait_until="networkidle")
    errors = [(status, url) for status, url in answered if status >= 400]
    assert errors == [], errors
    sitemaps = [url for _, url in answered if urlsplit(url).path.endswith("sitemap.xml")]
    assert sitemaps == [], sitemaps
    feeds = page.evaluate("""() => [...document.querySelectorAll('link')]
        .filter(l => l.relList.contains('alternate')).map(l => l.type)""")
    assert {"application/atom+xml", "application/rss+xml", "application/feed+json"} <= set(feeds)
