"""A reader's path through the sample site in real headless Chromium over real HTTP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_front_page_to_topic_to_article_to_related(browser, site_server: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(site_server, wait_until="load")
        assert page.locator("article h1").first.inner_text().strip()
        assert page.locator("text=The digest for").count() == 1

        # front page -> a topic
        topic_link = page.locator('article h2 a[href*="topics/"]').first
        topic_name = topic_link.inner_text().strip()
        topic_link.click()
        page.wait_for_load_state("load")
        assert "/topics/" in page.url
        assert page.locator("article h1").inner_text().strip() == topic_name
        assert page.locator("#timeline").count() == 1

        # topic -> an article
        article_link = page.locator('article li a[href*="articles/"]').first
        article_title = article_link.inner_text().strip()
        article_link.click()
        page.wait_for_load_state("load")
        assert "/articles/" in page.url
        assert page.locator("article h1").inner_text().strip() == article_title
        assert page.locator("#in-brief").count() == 1
        assert page.locator("article li").count() >= 1

        # article -> its topic, and -> a related article inside the site
        assert page.locator('article a[href*="topics/"]').count() >= 1
        related = page.locator('h2#related-articles + ul a[href*="articles/"]').first
        related_title = related.inner_text().strip()
        related.click()
        page.wait_for_load_state("load")
        assert "/articles/" in page.url
        assert page.locator("article h1").inner_text().strip() == related_title

        # search works in the browser: the index loads and answers
        page.goto(site_server, wait_until="load")
        page.locator("label.md-search__icon, .md-search__input").first.click()
        page.keyboard.type(topic_name.split()[0])
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert errors == []
    finally:
        page.close()
