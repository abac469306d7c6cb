"""Feed shapes real publishers write that a reader must still read right (issue 16): an author
with a nested ``<title>``, blanks before ``<?xml``, JSON Feed versions written with ``http:``,
items with no id, link or title, and relative links in feeds read from files. Every fixture is
fictional, of the same shape as a real feed that showed the problem."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from digest.fetch.feeds import FeedError, item_id, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def _read(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


# --- 3: the item's own <title>, not its author's job title ---------------------------------
# feedparser keeps the item's <title> as ``title`` but, once an <image> nested in the item
# (here in an Open Graph block) resets its title guard, lets the author's <title> replace
# ``title_detail``, the one with the type

def test_an_authors_nested_title_does_not_replace_the_items_title_in_rss() -> None:
    feed = parse_feed(_read("author-title.rss"))
    assert [i.title for i in feed.items] == [
        "Rebuilding the tide gauge pipeline", "Buoy telemetry, one year on",  # not "", nor
        "Harbour & Quay: what changed"]                                     # "Developer Advocate"
    assert [i.byline for i in feed.items[:2]] == ["Orla Penhallow", "The Tidewater team"]


def test_an_authors_nested_title_does_not_replace_the_items_title_in_atom() -> None:
    feed = parse_feed(_read("author-title.atom"))
    # after the title (feedparser's title_detail taken over) and before it; markup of a
    # type="html" title is still read as markup, not shown as text
    assert [i.title for i in feed.items] == ["Scaling the ferry timetable",
                                             "Lighthouse logs in one place"]


# --- 4: blanks before the XML declaration ----------------------------------------------------

def _blank_variants() -> dict[str, bytes]:
    rss = _read("blank-line.rss")
    assert rss.startswith(b"\n<?xml")
    body = rss.lstrip()

    def wide(encoding: str, lead: str) -> bytes:
        text = body.decode().replace('encoding="UTF-8"', f'encoding="{encoding}"')
        return (lead + text).encode(encoding)

    return {
        "a blank line": rss,
        "white space": b" \t\r\n\r\n" + body,
        "a byte order mark, then a blank line": codecs.BOM_UTF8 + rss,
        "a blank line, then a byte order mark": b"\n" + codecs.BOM_UTF8 + body,
        "two byte order marks": codecs.BOM_UTF8 * 2 + body,
        "UTF-16LE without a mark, a blank line first": wide("utf-16-le", "\n"),
        "UTF-16BE without a mark, blank lines first": wide("utf-16-be", "\r\n\r\n"),
        "UTF-16 with a mark, then a blank line": codecs.BOM_UTF16_LE + wide("utf-16-le", "\n"),
        "UTF-32LE without a mark, a blank line first": wide("utf-32-le", "\n"),
        "EBCDIC, a blank line first": wide("cp037", "\n"),
    }


@pytest.mark.parametrize("shape", list(_blank_variants()))
def test_blanks_before_the_xml_declaration_do_not_refuse_the_feed(shape: str) -> None:
    feed = parse_feed(_blank_variants()[shape])
    assert feed.title == "Brackwater Gazette"
    assert [i.title for i in feed.items] == ["Café on the quay reopens", "Ferry fares frozen"]


def test_blanks_before_the_declaration_do_not_let_entity_declarations_through() -> None:
    body = _read("blank-line.rss").lstrip().replace(
        b"<rss", b'<!DOCTYPE rss [<!ENTITY cafe "Caf&#233;">]>\n<rss', 1)
    for lead in (b"\n\n", codecs.BOM_UTF8 + b"\n", b"\n" + codecs.BOM_UTF8, b" \t"):
        with pytest.raises(FeedError, match="declares XML entities"):
            parse_feed(lead + body)
    wide = "\n".encode("utf-16-le") + body.decode().replace("UTF-8", "UTF-16").encode("utf-16-le")
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(wide)


# --- 7: JSON Feed versions with http: --------------------------------------------------------

def test_a_json_feed_whose_version_says_http_is_read() -> None:
    feed = parse_feed(_read("jsonfeed-http.json"))
    assert feed.title == "Pebble Cove Journal"
    assert [i.title for i in feed.items] == ["The seawall survey is out", "Rock pool walks return"]


@pytest.mark.parametrize(("version", "reason"), [
    ('"https://example.org/feed-format/7"', "unknown version 'https://example.org/feed-format/7'"),
    ('"http://jsonfeed.org/"', "unknown version 'http://jsonfeed.org/'"),
    ("2", "unknown version '2'"),
    (None, "no jsonfeed.org version"),
])
def test_a_json_feed_of_an_unknown_version_is_refused_saying_so(version: str | None,
                                                                 reason: str) -> None:
    declared = f'"version": {version}, ' if version else ""
    with pytest.raises(FeedError, match="^not a JSON Feed: " + reason.replace(".", r"\.")):
        parse_feed(f'{{{declared}"title": "Pebble Cove Journal", "items": []}}'.encode())


# --- 8: items with no id, link or title -------------------------------------------------------

def test_items_without_id_link_or_title_get_distinct_stable_ids() -> None:
    items = parse_feed(_read("no-ids.rss")).items
    assert len(items) == 3
    ids = [item_id(i.key) for i in items]
    assert len(set(ids)) == 3  # were all "|None", two lost as "duplicate id"
    again = parse_feed(_read("no-ids.rss").replace(b"Short notes", b"Brief notes")).items
    assert [item_id(i.key) for i in again] == ids  # stable from build to build
    edited = parse_feed(_read("no-ids.rss").replace(b"three of them", b"four of them")).items
    assert [item_id(i.key) for i in edited][1:] == ids[1:]


def test_json_feed_items_without_id_url_or_title_get_distinct_ids() -> None:
    doc = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "Marram", "items": ['
           b'{"content_text": "Sand lizards on the south dune."},'
           b'{"content_text": "The boardwalk is closed until Friday."}]}')
    assert len({i.key for i in parse_feed(doc).items}) == 2


# --- 10: relative links of feeds read from files ---------------------------------------------

def test_relative_links_use_the_items_xml_base_else_the_feeds_link() -> None:
    feed = parse_feed(_read("xml-base.rss"))  # a path: source, no address of its own
    assert [i.url for i in feed.items] == [
        "https://archive.shingle.example/2025/storm-beach.html",  # its own xml:base
        "https://shingle.example/weekly/groynes.html",  # not the first item's xml:base
        "https://shingle.example/colonies/terns.html"]


def test_over_http_the_documents_address_stays_the_base() -> None:
    feed = parse_feed(_read("xml-base.rss"), "https://feeds.shingle.example/weekly.xml")
    assert [i.url for i in feed.items] == [
        "https://archive.shingle.example/2025/storm-beach.html",
        "https://feeds.shingle.example/groynes.html",
        "https://feeds.shingle.example/colonies/terns.html"]


def test_a_relative_alternate_link_resolves_against_the_feeds_self_link() -> None:
    feed = parse_feed(_read("relative-alternate.atom"))
    assert [i.url for i in feed.items] == ["https://quayside.example/notebook/2026/03/02/nets"]


def test_json_feed_relative_urls_use_home_page_url_or_the_documents_address() -> None:
    assert [i.url for i in parse_feed(_read("jsonfeed-http.json")).items] == [
        "https://pebblecove.example/journal/2026/03/seawall",
        "https://pebblecove.example/journal/2026/03/rockpools"]
    fetched = parse_feed(_read("jsonfeed-http.json"), "https://cdn.pebblecove.example/j/feed.json")
    assert fetched.items[0].url == "https://cdn.pebblecove.example/j/2026/03/seawall"


# --- slips the lenient readers read: an undeclared prefix, a guid two posts share ------------

_PODCAST = """<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" version="2.0"><channel>
<title>Harbour Hour</title><link>https://hour.example/</link>
<item><title>Episode 3: the tide mill</title><guid>https://hour.example/3</guid>
<content:encoded>&lt;p&gt;We visit the tide mill and its new wheel.&lt;/p&gt;</content:encoded>
</item>
<item><title>Episode 2: rope makers</title><guid>https://hour.example/2</guid>
<description>Two rope makers explain how a mooring line is laid.</description></item>
</channel></rss>"""


def test_a_namespace_prefix_used_without_its_declaration_is_read() -> None:
    # content: is never declared; the items are whole, so the feed is read as readers read it
    feed = parse_feed(_PODCAST.encode())
    assert [i.title for i in feed.items] == ["Episode 3: the tide mill", "Episode 2: rope makers"]
    assert feed.items[0].body == ("We visit the tide mill and its new wheel.",)
    # a feed cut short is still refused (its last good items are kept instead)
    with pytest.raises(FeedError, match="not well-formed"):
        parse_feed(_PODCAST.encode()[: _PODCAST.index("<item><title>Episode 2")])


def test_posts_sharing_a_guid_are_both_read_and_a_repeated_post_is_one() -> None:
    item = ("<item><title>{}</title><guid>https://log.example/2026/03/02#a1</guid>"
            "<description>{}</description></item>")
    posts = [item.format("Tide mill", "The wheel turns again."),
             item.format("", "A second note, posted under the first one's address."),
             item.format("Tide mill", "The wheel turns again.")]
    rss = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Log</title>'
           f"<link>https://log.example/</link>{''.join(posts)}</channel></rss>").encode()
    keys = [i.key for i in parse_feed(rss).items]
    assert keys[0] == keys[2] == "https://log.example/2026/03/02#a1"  # the same post twice
    assert keys[1] != keys[0] and keys[1].startswith(keys[0])  # another post: its own key
    assert keys == [i.key for i in parse_feed(rss).items]  # stable from build to build
