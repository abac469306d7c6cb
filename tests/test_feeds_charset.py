"""Feeds whose encoding is given only by the HTTP ``Content-Type`` charset, or by nothing at
all: legacy single-byte feeds without an XML declaration (fictional text)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from feed_server import FeedServer

from digest.config import load_config
from digest.fetch.feeds import likely_legacy_encoding, parse_feed
from digest.sources import read_sources

RUSSIAN = ("Паромная переправа на остров Ветряный закрыта до понедельника",
           "Жители острова запасаются хлебом и свечами: шторм оборвал провода у причала.")
GREEK = ("Το λιμάνι της Πετρόπολης έκλεισε για τρεις ημέρες",
         "Οι ψαράδες είναι ανήσυχοι, γιατί η καταιγίδα έσπασε τον παλιό μόλο.")
POLISH = ("Prom do Żurawiej Wyspy nie pływa",
          "Mieszkańcy czekają na poprawę pogody, powiedział sołtys; łódź stoi przy molo.")
FRENCH = ("Le traversier de Gravelais reprendra après la tempête",
          "« Enfin », a déclaré la mairie, qui prévoit une fête sur le quai à l'été.")
CZECH = ("Přístav v Kamenné Lhotě zůstane zavřený",
         "Bouře poškodila molo, řekl starosta; oprava potrvá až do čtvrtka.")


def rss(title: str, body: str, declaration: str = "") -> str:
    return (f"{declaration}<rss version=\"2.0\"><channel><title>{title[:12]}</title>"
            "<link>https://harbour.example/</link>"
            f"<item><title>{title}</title><link>https://harbour.example/1</link>"
            f"<description>{body}</description></item></channel></rss>\n")


def config(tmp_path: Path, source: str) -> object:
    path = tmp_path / "feeds.yaml"
    path.write_text("fetch: {allow_private_hosts: [\"127.0.0.1\"], host_interval: 0,"
                    f" retries: 0}}\nsources:\n  - name: harbour\n    type: rss\n{source}",
                    "utf-8")
    return load_config(path)


def fetched(server: FeedServer, tmp_path: Path, data: bytes, content_type: str) -> list:
    server.static("/feed.xml", data, content_type)
    docs, skipped, _ = read_sources(config(tmp_path, f"    url: {server.base}/feed.xml\n"))
    assert skipped == []
    return docs


def read_as_file(tmp_path: Path, data: bytes) -> list:
    (tmp_path / "feed.xml").write_bytes(data)
    docs, skipped, _ = read_sources(config(tmp_path, "    path: feed.xml\n"))
    assert skipped == []
    return docs


def text_of(docs: list) -> tuple[str, str]:
    [doc] = docs
    return doc.fields["title"], " ".join(doc.fields["body"])


# --- over HTTP: the header's charset -------------------------------------------------------

@pytest.mark.parametrize(("text", "encoding", "charset"), [
    (RUSSIAN, "cp1251", "windows-1251"),
    (RUSSIAN, "koi8-r", "KOI8-R"),
    (GREEK, "iso-8859-7", "iso-8859-7"),
    (CZECH, "cp1250", "windows-1250"),  # reads as Latin letters in Windows-1252 too
])
def test_the_header_charset_reads_a_feed_without_a_declaration(
        server: FeedServer, tmp_path: Path, text: tuple[str, str], encoding: str,
        charset: str) -> None:
    data = rss(*text).encode(encoding)
    docs = fetched(server, tmp_path, data, f"application/rss+xml; charset={charset}")
    assert text_of(docs) == text


def test_the_header_charset_wins_over_the_declaration(server: FeedServer,
                                                      tmp_path: Path) -> None:
    # RFC 7303: the charset parameter of the media type is authoritative
    data = rss(*RUSSIAN, '<?xml version="1.0" encoding="iso-8859-1"?>\n').encode("cp1251")
    docs = fetched(server, tmp_path, data, 'application/rss+xml; charset="Windows-1251"')
    assert text_of(docs) == RUSSIAN


def test_a_byte_order_mark_wins_over_the_header(server: FeedServer, tmp_path: Path) -> None:
    data = codecs.BOM_UTF8 + rss(*GREEK).encode("utf-8")
    docs = fetched(server, tmp_path, data, "application/rss+xml; charset=windows-1251")
    assert text_of(docs) == GREEK


def test_a_utf8_feed_under_a_servers_default_latin1_charset_stays_utf8(
        server: FeedServer, tmp_path: Path) -> None:
    data = rss(*FRENCH).encode("utf-8")
    docs = fetched(server, tmp_path, data, "text/xml; charset=ISO-8859-1")
    assert text_of(docs) == FRENCH


def test_a_charset_python_does_not_know_is_ignored(server: FeedServer, tmp_path: Path) -> None:
    data = rss(*FRENCH, '<?xml version="1.0" encoding="utf-8"?>').encode("utf-8")
    docs = fetched(server, tmp_path, data, "application/rss+xml; charset=x-no-such-thing")
    assert text_of(docs) == FRENCH


# --- no charset anywhere: the encoding is detected -------------------------------------------

@pytest.mark.parametrize(("text", "encoding"), [
    (RUSSIAN, "cp1251"), (RUSSIAN, "koi8-r"), (GREEK, "iso-8859-7"), (GREEK, "cp1253"),
    (POLISH, "cp1250"), (POLISH, "iso-8859-2"), (FRENCH, "cp1252")])
def test_a_legacy_feed_without_any_declaration_is_read_in_its_likely_encoding(
        server: FeedServer, tmp_path: Path, text: tuple[str, str], encoding: str) -> None:
    data = rss(*text).encode(encoding)
    assert text_of(read_as_file(tmp_path, data)) == text
    assert text_of(fetched(server, tmp_path, data, "application/rss+xml")) == text


def test_detection_keeps_windows_1252_for_western_text_and_ignores_ascii() -> None:
    assert likely_legacy_encoding("Café, naïve façade — “quoted” … 3 €".encode("cp1252")) \
        == "cp1252"
    assert likely_legacy_encoding(b"plain ASCII only") == "cp1252"
    assert likely_legacy_encoding("Шторм".encode("cp1251")) == "cp1251"


def test_parse_feed_takes_the_content_type() -> None:
    data = rss(*RUSSIAN).encode("koi8-r")
    feed = parse_feed(data, "https://harbour.example/feed.xml",
                      content_type="application/rss+xml; charset=koi8-r")
    assert (feed.items[0].title, feed.items[0].body[0]) == RUSSIAN


def test_the_report_says_when_the_encoding_was_guessed(server: FeedServer,
                                                       tmp_path: Path) -> None:
    data = rss(*RUSSIAN).encode("cp1251")
    (tmp_path / "feed.xml").write_bytes(data)
    _, _, notices = read_sources(config(tmp_path, "    path: feed.xml\n"))
    assert [n.reason for n in notices] == [
        "no encoding declared (no byte order mark, XML declaration or HTTP charset) and not"
        " UTF-8: read as cp1251, the encoding its words read most naturally in"]
    assert notices[0].origin == "feed.xml" and notices[0].source == "harbour"
    # said by the server, or declared: nothing was guessed, nothing to say
    server.static("/feed.xml", data, "application/rss+xml; charset=windows-1251")
    _, _, notices = read_sources(config(tmp_path, f"    url: {server.base}/feed.xml\n"))
    assert notices == []
    declared = rss(*RUSSIAN, '<?xml version="1.0" encoding="windows-1251"?>').encode("cp1251")
    (tmp_path / "feed.xml").write_bytes(declared)
    assert read_sources(config(tmp_path, "    path: feed.xml\n"))[2] == []


@pytest.mark.parametrize(("text", "encoding", "language"), [
    (CZECH, "cp1250", "cs"), (CZECH, "iso-8859-2", "cs"), (POLISH, "iso-8859-2", "pl-PL"),
    (RUSSIAN, "koi8-r", "ru"), (GREEK, "iso-8859-7", "el")])
def test_a_feed_naming_its_language_is_read_in_that_languages_encodings(
        tmp_path: Path, text: tuple[str, str], encoding: str, language: str) -> None:
    # Czech in Windows-1250 read as Windows-1252 shows letters too ("Pøístav"): the shapes
    # alone cannot tell, the language the feed names can
    data = rss(*text).replace("<channel>", f"<channel><language>{language}</language>")
    assert text_of(read_as_file(tmp_path, data.encode(encoding))) == text
