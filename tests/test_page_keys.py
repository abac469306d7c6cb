"""Page keys (issue 20): a topic or article page is made again only when what it is made from
changed, so a daily build does not make an archive's unchanged pages; and two digests that
give a page the same key give it the same Markdown."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, copy_project
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from digest.cli import main
from digest.config import Config, load_config
from digest.incremental import dest_of, read_ledger
from digest.pipeline import build_digest
from digest.records import Article, Digest, Topic
from digest.site import article_page, parts, topic_page
from digest.site.context import SiteContext
from digest.site.feeds import FeedWriter
from digest.site.page_keys import article_key, frame_key, topic_feed_key, topic_key


@pytest.fixture(scope="module")
def sample() -> tuple[Digest, Config]:
    config = load_config(ROOT / "feeds.yaml")
    return build_digest(dataclasses.replace(config, cache=None), use_cache=False), config


def pages(ctx: SiteContext) -> dict[str, tuple[str, str]]:
    """Every topic and article page and every topic's feeds: its key and its Markdown (or
    the feeds' text), by the page's name."""
    frame = frame_key(ctx)
    writer = FeedWriter(ctx)
    out = {}
    for topic in ctx.digest.topics:
        markdown = "\n".join(topic_page.render(ctx, topic).values())
        out[f"topic {topic.id}"] = (topic_key(ctx, frame, topic), markdown)
        out[f"feeds {topic.id}"] = (topic_feed_key(writer, frame, topic),
                                    "\n".join(writer.topic_feeds([topic]).values()))
    for article in ctx.digest.articles:
        out[f"article {article.id}"] = (article_key(ctx, frame, article),
                                        article_page.render(ctx, article))
    return out


def _retitled(digest: Digest, config: Config) -> tuple[Digest, Config]:
    """One article of a topic of several gets a new title."""
    topic = next(t for t in digest.topics if len(t.article_ids) > 1)
    target = topic.article_ids[0]
    return dataclasses.replace(digest, articles=tuple(
        dataclasses.replace(a, title="Ferry timetable rewritten overnight")
        if a.id == target else a for a in digest.articles)), config


def _renamed_topic(digest: Digest, config: Config) -> tuple[Digest, Config]:
    topic = digest.topics[0]
    return dataclasses.replace(digest, topics=(
        dataclasses.replace(topic, name="Harbour works, renamed"), *digest.topics[1:])), config


def _new_summary(digest: Digest, config: Config) -> tuple[Digest, Config]:
    """One article's summary is said another way (its first line shows in lists)."""
    target = digest.articles[-1].id
    return dataclasses.replace(digest, articles=tuple(
        dataclasses.replace(a, summary=("Crews worked through the night.", *a.summary[1:]))
        if a.id == target else a for a in digest.articles)), config


def _retagged(digest: Digest, config: Config) -> tuple[Digest, Config]:
    first = digest.articles[0].id
    return dataclasses.replace(digest, tags={**digest.tags,
                                             first: (("kestrel-bay", "Kestrel Bay"),)}), config


def _relabelled_source(digest: Digest, config: Config) -> tuple[Digest, Config]:
    source = config.sources[0]
    return digest, dataclasses.replace(config, sources=(
        dataclasses.replace(source, title="The Renamed Courier"), *config.sources[1:]))


def _other_language(digest: Digest, config: Config) -> tuple[Digest, Config]:
    return digest, dataclasses.replace(config, site=dataclasses.replace(config.site,
                                                                        language="de"))


def _fewer_days_kept(digest: Digest, config: Config) -> tuple[Digest, Config]:
    return digest, dataclasses.replace(config, site=dataclasses.replace(config.site,
                                                                        keep_days=1))


def _article_dropped(digest: Digest, config: Config) -> tuple[Digest, Config]:
    """An article leaves the digest (its topic's pages and the links to it change)."""
    topic = next(t for t in digest.topics if len(t.article_ids) > 2)
    gone = topic.article_ids[-1]
    return dataclasses.replace(
        digest, articles=tuple(a for a in digest.articles if a.id != gone),
        topics=tuple(dataclasses.replace(t, article_ids=tuple(i for i in t.article_ids
                                                              if i != gone))
                     for t in digest.topics)), config


def _article_joins(digest: Digest, config: Config) -> tuple[Digest, Config]:
    """A new article joins the largest topic."""
    topic = max(digest.topics, key=lambda t: len(t.article_ids))
    model = next(a for a in digest.articles if a.id == topic.article_ids[0])
    new = dataclasses.replace(model, id="new/001", title="Ferry crews return to work",
                              related=(), also_in=(), date="2026-03-20")
    return dataclasses.replace(
        digest, articles=(*digest.articles, new),
        topics=tuple(dataclasses.replace(t, article_ids=(*t.article_ids, new.id))
                     if t.id == topic.id else t for t in digest.topics)), config


CHANGES: dict[str, Callable[[Digest, Config], tuple[Digest, Config]]] = {
    "an article's title": _retitled, "a topic's name": _renamed_topic,
    "an article's summary": _new_summary, "an article's tags": _retagged,
    "a source's label": _relabelled_source, "the site's language": _other_language,
    "the days kept": _fewer_days_kept, "an article left out": _article_dropped,
    "an article joins a topic": _article_joins,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_page_whose_key_is_unchanged_is_unchanged(
        sample: tuple[Digest, Config], change: str) -> None:
    digest, config = sample
    before = pages(SiteContext(digest, config))
    after = pages(SiteContext(*CHANGES[change](digest, config)))
    changed_markdown = {name for name in before.keys() & after.keys()
                        if before[name][1] != after[name][1]}
    assert changed_markdown, "the change must change some page, or it tests nothing"
    for name in before.keys() & after.keys():
        if before[name][0] == after[name][0]:
            assert before[name][1] == after[name][1], f"{name}: same key, other Markdown"


def test_feeds_whose_key_is_unchanged_are_unchanged_at_another_address(
        sample: tuple[Digest, Config]) -> None:
    digest, config = sample
    before = pages(SiteContext(digest, config, "https://news.example.org/"))
    after = pages(SiteContext(digest, config, "https://daily.example.net/"))
    feeds = [name for name in before if name.startswith("feeds ")]
    assert all(before[name][1] != after[name][1] for name in feeds)
    assert all(before[name][0] != after[name][0] for name in feeds)


def test_a_local_change_leaves_other_pages_keys_alone(sample: tuple[Digest, Config]) -> None:
    digest, config = sample
    before = pages(SiteContext(digest, config))
    after = pages(SiteContext(*_retitled(digest, config)))
    same = [name for name in before if before[name][0] == after[name][0]]
    assert len(same) >= len(before) // 2  # most pages are not about that article


def test_pages_the_previous_site_holds_are_not_made(
        sample: tuple[Digest, Config], tmp_path: Path) -> None:
    digest, config = sample
    ctx = SiteContext(digest, config)
    made = parts.Parts(ctx, parts.FeedWriter(ctx), tmp_path / "all")
    everything = {**made.render(parts.Parts.TOPIC_PAGES, 0, len(digest.topics)),
                  **made.render(parts.Parts.ARTICLE_PAGES, 0, len(digest.articles))}
    assert len(list((tmp_path / "all").rglob("*.md"))) == len(everything)
    feeds = made.render(parts.Parts.TOPIC_FEEDS, 0, len(digest.topics))
    assert {p.relative_to(tmp_path / "all").as_posix()
            for p in (tmp_path / "all").rglob("*") if p.is_file()} == {*everything, *feeds}
    kept_src = sorted(everything)[::2]

    def kept(src: str, key: str) -> bool:
        return src in kept_src and everything[src] == key

    again = parts.Parts(ctx, parts.FeedWriter(ctx), tmp_path / "some", kept)
    keys = {**again.render(parts.Parts.TOPIC_PAGES, 0, len(digest.topics)),
            **again.render(parts.Parts.ARTICLE_PAGES, 0, len(digest.articles))}
    assert keys == everything
    written = {p.relative_to(tmp_path / "some").as_posix()
               for p in (tmp_path / "some").rglob("*.md")}
    # an article page is made unless kept; a topic's pages are made whole unless all kept
    expected = {src for a in digest.articles
                if (src := ctx.paths.article(a.id)) not in kept_src}
    for t in digest.topics:
        srcs = topic_page.page_paths(ctx, t)
        if not all(src in kept_src for src in srcs):
            expected |= set(srcs)
    assert written == expected and 0 < len(written) < len(everything)


def test_a_topic_gaining_an_article_leaves_its_older_articles_pages_alone(
        sample: tuple[Digest, Config]) -> None:
    digest, config = sample
    before = pages(SiteContext(digest, config))
    changed, _ = _article_joins(digest, config)
    after = pages(SiteContext(changed, config))
    topic = max(digest.topics, key=lambda t: len(t.article_ids))
    assert before[f"topic {topic.id}"][0] != after[f"topic {topic.id}"][0]
    for article_id in topic.article_ids:  # no old page links the new article
        assert before[f"article {article_id}"][0] == after[f"article {article_id}"][0]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_dest_of_is_where_mkdocs_writes_a_page(directory_urls: bool) -> None:
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": "docs", "site_dir": "site",
                      "use_directory_urls": directory_urls})
    for src in ["index.md", "topics/index.md", "articles/2026-03-04/ferry-fares.md",
                "topics/abc-123/page-2.md", "sources.md", "tags/index/2.md"]:
        made = File(src, "docs", "site", directory_urls)
        assert dest_of(src, directory_urls) == made.dest_uri, src


def test_a_second_build_makes_no_page_it_keeps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample built twice: the second build makes no topic or article page and no
    topic feed, and the site is the same."""
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--config", str(project / "feeds.yaml")]).exit_code == 0
    first = {p.relative_to(project / "site").as_posix(): p.read_bytes()
             for p in (project / "site").rglob("*") if p.is_file()}
    made: list[str] = []
    real_article, real_topic = article_page.render, topic_page.render

    def article(ctx: SiteContext, a: Article) -> str:
        made.append(a.id)
        return real_article(ctx, a)

    def topic(ctx: SiteContext, t: Topic) -> dict[str, str]:
        made.append(t.id)
        return real_topic(ctx, t)

    real_feeds = FeedWriter.topic_feeds

    def feeds(writer: FeedWriter, topics: list[Topic]) -> dict[str, str]:
        made.extend(f"feeds {t.id}" for t in topics)
        return real_feeds(writer, topics)

    monkeypatch.setattr(article_page, "render", article)
    monkeypatch.setattr(topic_page, "render", topic)
    monkeypatch.setattr(FeedWriter, "topic_feeds", feeds)
    assert runner.invoke(main, ["build", "--config", str(project / "feeds.yaml")]).exit_code == 0
    assert made == []
    second = {p.relative_to(project / "site").as_posix(): p.read_bytes()
              for p in (project / "site").rglob("*") if p.is_file()}
    assert second == first
    # the ledger carries a linked page's time over unread: it must be the file's own, or
    # the third build would make the page again
    ledger = read_ledger(project / "site")
    assert len(ledger) > 100
    assert {dest: (project / "site" / dest).stat().st_mtime_ns for dest in ledger} == {
        dest: entry[1] for dest, entry in ledger.items()}
