"""Page paths: stable, unique, readable and unable to leave the output folder."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from digest.records import Article, Topic
from digest.site.paths import SLUG_MAX, SitePaths, relative, slugify

SAFE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@given(st.text(max_size=3000))
def test_slugs_are_safe_for_any_title(title: str) -> None:
    slug = slugify(title)
    assert SAFE.match(slug)
    assert len(slug) <= SLUG_MAX


def test_slugs_are_readable() -> None:
    assert slugify("Biden allows Ukraine to use US missiles") == (
        "biden-allows-ukraine-to-use-us-missiles")
    assert slugify("Київ готується до зими") == "kiyiv-gotuietsia-do-zimi"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("!!!") == "article"
    assert slugify("Zelensky’s plan, Kyiv's reply") == "zelenskys-plan-kyivs-reply"


def test_paths_are_unique_and_stable_whatever_the_order() -> None:
    articles = [Article(id=f"s/{i}", source="s", origin="x", title="Same title",
                        date="2026-03-04") for i in range(3)]
    articles.append(Article(id="s/x", source="s", origin="x", title="../../x" * 300, date=None))
    one = SitePaths(articles, [Topic("storm-1", "Storm", ("s/0",))])
    two = SitePaths(list(reversed(articles)), [])
    paths = [one.article(a.id) for a in articles]
    assert paths == [two.article(a.id) for a in articles]
    assert len(set(paths)) == 4
    assert paths[:3] == ["articles/2026-03-04/same-title.md", "articles/2026-03-04/same-title-2.md",
                         "articles/2026-03-04/same-title-3.md"]
    assert paths[3].startswith("articles/undated/x-x-x") and ".." not in paths[3]
    assert one.topic("storm-1") == "topics/storm-1.md"


def test_relative_links() -> None:
    assert relative("index.md", "topics/a.md") == "topics/a.md"
    assert relative("articles/2026-03-04/a.md", "topics/b.md") == "../../topics/b.md"
