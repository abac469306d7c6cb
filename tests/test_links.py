"""A link checker over the built sample site: what a crawler or a feed reader would notice.

Every internal link, stylesheet, script and image resolves to a file in the
site; every feed is well-formed XML (or JSON) and every entry links to a page
that exists; the sitemap lists absolute URLs under ``site_url``.
"""

from __future__ import annotations

import json
import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = yaml.safe_load((ROOT / "feeds.yaml").read_text("utf-8"))["site"]["url"]
ATOM = "{http://www.w3.org/2005/Atom}"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        for key in ("href", "src"):
            if found.get(key) and not (tag == "link" and found.get("rel") in (
                    "canonical", "preconnect", "dns-prefetch")):
                self.targets.append(found[key] or "")


def local_file(site: Path, url_path: str) -> Path:
    """The file a server would answer for a site path (a folder answers with index.html)."""
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def from_site_url(site: Path, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return local_file(site, "/" + url[len(SITE_URL):])


def test_no_broken_internal_link(sample_site: Path) -> None:
    broken: list[tuple[str, str]] = []
    checked = 0
    for page in sorted(sample_site.rglob("*.html")):
        parser = Links()
        parser.feed(page.read_text("utf-8"))
        here = "/" + page.relative_to(sample_site).parent.as_posix() + "/"
        for target in parser.targets:
            parts = urlsplit(target)
            if parts.scheme in ("http", "https"):
                if target.startswith(SITE_URL):
                    assert from_site_url(sample_site, target.split("#")[0]).exists(), target
                continue
            if parts.scheme or not (parts.path or parts.fragment):
                continue
            if not parts.path:
                continue  # same-page anchors: the theme's own
            resolved = posixpath.normpath(posixpath.join(here, parts.path))
            resolved += "/" if parts.path.endswith("/") else ""
            checked += 1
            if not local_file(sample_site, resolved).exists():
                broken.append((str(page.relative_to(sample_site)), target))
    assert broken == []
    assert checked > 1000


def test_sitemap_lists_every_page_with_absolute_urls(sample_site: Path) -> None:
    sitemap = ET.parse(sample_site / "sitemap.xml").getroot()
    locs = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith(SITE_URL) for loc in locs)
    for loc in locs:
        assert from_site_url(sample_site, loc).is_file(), loc
    articles = list((sample_site / "articles").rglob("index.html"))
    assert sum("/articles/" in loc for loc in locs) == len(articles)


def feed_links(path: Path) -> list[str]:
    """The page each entry of a feed links to."""
    if path.suffix == ".json":
        feed = json.loads(path.read_text("utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        return [item["url"] for item in feed["items"]]
    root = ET.parse(path).getroot()
    if root.tag == f"{ATOM}feed":
        return [link.get("href", "") for entry in root.iter(f"{ATOM}entry")
                for link in entry.iter(f"{ATOM}link")
                if link.get("rel", "alternate") == "alternate"]
    assert root.tag == "rss"
    return [item.findtext("link") or "" for item in root.iter("item")]


def test_every_feed_is_valid_and_links_to_existing_pages(sample_site: Path) -> None:
    feeds = sorted([*sample_site.rglob("atom.xml"), *sample_site.rglob("rss.xml"),
                    *sample_site.rglob("feed.json")])
    topics = [p for p in (sample_site / "topics").iterdir() if (p / "index.html").is_file()]
    assert len(feeds) == 3 * (1 + len(topics))  # the whole digest and each topic
    entries = 0
    for feed in feeds:
        links = feed_links(feed)
        assert links, feed
        for link in links:
            assert from_site_url(sample_site, link).is_file(), (feed, link)
        entries += len(links)
    assert entries >= 3 * 50


def test_pages_link_their_feeds_in_the_head(sample_site: Path) -> None:
    front = (sample_site / "index.html").read_text("utf-8")
    head = front.split("</head>", 1)[0]
    for kind, name in (("application/atom+xml", "atom.xml"), ("application/rss+xml", "rss.xml"),
                       ("application/feed+json", "feed.json")):
        assert f'type="{kind}"' in head and f'href="{name}"' in head
    topic = next(p for p in (sample_site / "topics").glob("*/index.html"))
    assert 'href="atom.xml"' in topic.read_text("utf-8").split("</head>", 1)[0]
