"""Feeds (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.x) to plain feed items.

XML feeds are read with feedparser, but never from the bytes as served: the
document is first decoded here (:func:`xml_text`: byte order mark, else the
first bytes and the XML declaration, per the XML 1.0 autodetection table, so
UTF-32, UTF-16, EBCDIC and any codec Python knows), cleared of the characters
XML forbids, checked, and handed to feedparser as UTF-8 with a declaration
saying so. What is checked is therefore exactly what is parsed, whatever the
encoding: a feed that declares XML entities is refused before parsing, as
defusedxml does. feedparser on its own drops entities that refer to other
entities ("billion laughs") but keeps plain ones, and one 20 kB entity
referenced 20,000 times (an 80 kB feed) took 26 s and 1.1 GB before expat's
amplification limit stopped it; a check on the raw bytes missed the same feed
in UTF-32 or EBCDIC. Feeds have no use for entity declarations. JSON Feed is
read with :mod:`json`. The kind is detected from the content, so a source
typed ``rss`` that serves Atom still works.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import hashlib
import html
import io
import json
import re
import unicodedata
import urllib.parse
import xml.sax
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import feedparser
from feedparser.mixin import _FeedParserMixin

from digest.html_text import html_paragraphs
from digest.validtext import xml_legal

# feedparser's bozo reasons that still leave a faithful parse
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_KNOWN_NAMESPACES: dict[str, str] = _FeedParserMixin.namespaces  # URI -> feedparser's prefix
_PREFIX_USED = re.compile(  # in a tag's name, or an attribute's
    r"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_PREFIX_DECLARED = re.compile(r"\sxmlns:([A-Za-z_][\w.-]*)\s*=")
_ROOT_TAG = re.compile(r"<(?![?!])[A-Za-z_][\w:.-]*")
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
# XML 1.0 appendix F: a byte order mark names the encoding; without one, the first four bytes
# of "<?xm" say which family to read the declaration in (the UTF-32 marks come before UTF-16's,
# whose marks they begin with).
_BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                     (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"))
_FIRST_BYTES = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"))
_EBCDIC_START = "<?xml".encode("cp037")  # the same in every EBCDIC code page Python has
# what a reader skips before the XML declaration: a blank line, white space, stray byte order
# marks (the first bytes are then those of the blank, so the family is found by decoding)
_LEADING = " \t\r\n\ufeff"
_WIDE_FAMILIES = (("utf-32-be", 4), ("utf-32-le", 4), ("utf-16-be", 2), ("utf-16-le", 2),
                  ("cp037", 1))
_DECLARED = re.compile(r"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]{0,40})["']""")
_DECLARATION = re.compile(r"^\s*<\?xml\s[^>]*\?>")
_UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
_HEADER_CHARSET = re.compile(r"""(?:^|;)\s*charset\s*=\s*["']?([A-Za-z][\w.:-]{0,40})""", re.I)
# A document that is not UTF-8 and says nothing of its encoding is read in the likeliest of the
# common legacy single-byte encodings (Western, Cyrillic, Greek, Central European): the first
# whose text looks most like natural text (ties keep Windows-1252, what readers assume).
_LEGACY = ("cp1252", "cp1251", "koi8-r", "iso-8859-7", "cp1253", "cp1250", "iso-8859-2")
_NON_ASCII_WORD = re.compile(rb"[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")
_SAMPLE_WORDS = 5000
# the legacy encodings of the languages whose letters a Western reading also shows as letters
# (as browsers default by locale): a feed that names its language is read in one of them
_CENTRAL = ("cp1250", "iso-8859-2")
_LANGUAGE_ENCODINGS = {
    **dict.fromkeys(("cs", "sk", "pl", "hu", "sl", "hr", "bs", "ro", "sq"), _CENTRAL),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk"), ("cp1251", "koi8-r")),
    "el": ("cp1253", "iso-8859-7"),
}
_WINDOWS_ONLY = re.compile(rb"[\x80-\x9f]")
_DECLARED_LANGUAGE = re.compile(
    rb"<(?:\w+:)?language>\s*([A-Za-z]{2,3})\b|\sxml:lang\s*=\s*[\"']([A-Za-z]{2,3})\b")
# non-ASCII characters natural text has that are neither letters nor rare symbols
_COMMON_MARKS = frozenset("\u00a0«»„“”‘’‚–—…•·№°©®™€§¿¡ºª")
# JSON Feed 1.0 and 1.1 say https; feeds written with http exist and are the same format
_JSON_FEED_VERSION = re.compile(r"https?://jsonfeed\.org/version/", re.IGNORECASE)
_LOOKS_LIKE_HTML = re.compile(r"</\w+>|&#?\w+;")  # feedparser's test (a close tag, an entity)


class FeedError(ValueError):
    """The content is not a usable feed; the message is one line for the build report."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, as plain values."""

    key: str  # the entry's own id (guid), else its link, else title and date
    title: str
    url: str = ""
    date: str | None = None  # ISO 8601 with its time zone, e.g. 2026-03-02T09:30:00+00:00
    byline: str = ""
    body: tuple[str, ...] = ()  # paragraphs of the feed's content (or summary)
    related: tuple[str, ...] = ()  # titles (or URLs) of the entry's rel="related" links
    language: str = ""
    image: str = ""  # the picture the feed gives the entry (an http(s) URL), if any


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its own title, home page and language, and its items in feed order."""

    title: str
    site_url: str
    language: str
    items: tuple[FeedItem, ...]
    repairs: tuple[tuple[str, int], ...] = ()  # characters XML forbids, removed before parsing
    guessed_encoding: str = ""  # the legacy encoding the feed was read in, by a guess


def parse_feed(data: bytes, base_url: str = "", strict: bool = True,
               content_type: str = "") -> Feed:
    """Parse feed bytes; raises :class:`FeedError` for anything that is not a feed.

    ``content_type`` is the HTTP ``Content-Type`` the feed was served with, if any: its
    ``charset`` is the XML document's encoding (see :func:`xml_text`). With ``strict``, XML
    that is not well-formed is an error (a truncated or broken feed would otherwise replace
    the last good items with a few); undeclared HTML entities such as ``&nbsp;`` and
    undeclared namespace prefixes are tolerated.
    """
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return parse_json_feed(data, base_url)
    decoded, guessed = decoded_xml(data, header_charset(content_type))
    text, repairs = xml_legal(decoded)
    refuse_entity_declarations(text)
    document = _DECLARATION.sub("", text, count=1).lstrip()
    parsed = _feedparser(document, base_url)
    home = _absolute(str(parsed.feed.get("link") or ""), "") or next(
        (_absolute(str(link.get("href") or ""), "") for link in parsed.feed.get("links") or []
         if link.get("rel") == "self" and _absolute(str(link.get("href") or ""), "")), "")
    if not base_url and home and ("xml:base" in document or any(
            not _absolute(str(e.get("link") or ""), "") for e in parsed.entries)):
        # a file has no address of its own: its relative links are the feed's site's (else
        # its rel="self" address's), read again with that base, which also keeps one item's
        # xml:base out of the next item (feedparser restores no empty base)
        parsed = _feedparser(document, home)
    if not parsed.get("version"):
        if re.search(r"<html[\s>]", document[:4096], re.IGNORECASE):
            raise FeedError("not a feed: the server sent an HTML page")
        reason = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed structure"
        raise FeedError(f"not a feed: {_one_line(reason)}")
    problem = parsed.get("bozo_exception")
    if strict and parsed.get("bozo") and not isinstance(problem, _BENIGN) and not (
            isinstance(problem, xml.sax.SAXParseException) and "undefined entity" in str(problem)):
        raise FeedError(f"not well-formed XML: {_one_line(problem)}")
    info = parsed.feed
    language = str(info.get("language") or "")
    base = base_url or home  # feedparser resolves links, not media:thumbnail URLs
    items = distinct_keys(_xml_item(e, language, base) for e in parsed.entries)
    return Feed(_text(info.get("title_detail") or info.get("title")),
                str(info.get("link") or ""), language, items, tuple(repairs.items()), guessed)


def _feedparser(document: str, base_url: str) -> Any:
    """feedparser's reading of ``document``; a namespace prefix it uses without declaring
    (``content:``, ``itunes:``: a slip the lenient readers read past) is declared first, so
    that the rest of the document is still checked for being well-formed."""
    parsed = _parse(document, base_url)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXParseException) and "unbound prefix" in str(problem):
        parsed = _parse(declared_prefixes(document), base_url)
    return parsed


def _parse(document: str, base_url: str) -> Any:
    return feedparser.parse(io.BytesIO(f"{_UTF8_DECLARATION}\n{document}".encode()),
                            response_headers={"content-location": base_url},
                            sanitize_html=True, resolve_relative_uris=True)


def declared_prefixes(document: str) -> str:
    """``document`` with each namespace prefix it uses but never declares declared on its
    root element: by the namespace feedparser knows by that prefix, else a placeholder."""
    used = {a or b for a, b in _PREFIX_USED.findall(document)} - {"xml", "xmlns"}
    missing = sorted(used - set(_PREFIX_DECLARED.findall(document)))
    root = _ROOT_TAG.search(document)
    if not missing or root is None:
        return document
    known: dict[str, str] = {}
    for uri, prefix in _KNOWN_NAMESPACES.items():
        known.setdefault(prefix, uri)
    declarations = "".join(
        f' xmlns:{p}="{html.escape(known.get(p, f"urn:x-undeclared:{p}"))}"' for p in missing)
    return document[:root.end()] + declarations + document[root.end():]


def header_charset(content_type: str) -> str | None:
    """The ``charset`` parameter of an HTTP ``Content-Type``, if Python knows it; else None."""
    match = _HEADER_CHARSET.search(content_type or "")
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1)).name
    except LookupError:
        return None


def xml_text(data: bytes, charset: str | None = None) -> str:
    """An XML document's bytes as text, without its byte order mark or the blanks (white space,
    a blank line, stray byte order marks) some publishers put before ``<?xml``; never raises.

    The encoding is the byte order mark's; else, by the first bytes (or by the blanks before
    ``<?xml``, read in each family), UTF-32 or UTF-16 without a mark; else ``charset``, the
    HTTP header's (RFC 7303: it wins over the declaration), if it writes ASCII as ASCII and
    the document decodes in it (and, for a single-byte one, is not UTF-8 with non-ASCII text:
    a server's default charset on a UTF-8 feed); else the declared one (read in ASCII, or in
    EBCDIC when the document starts with EBCDIC "<?xm" or blanks) if Python knows it and it
    is of that family; else UTF-8 (also CESU-8, whose surrogates
    :func:`~digest.validtext.xml_legal` then joins or replaces); else, with no declaration to
    go by, the legacy single-byte encoding in which the text reads most like natural text
    (:func:`likely_legacy_encoding`). Undecodable bytes of a UTF-16/32 or EBCDIC document
    become U+FFFD.
    """
    return decoded_xml(data, charset)[0]


def decoded_xml(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """:func:`xml_text`, and the legacy encoding it had to guess the document was in ("" when
    a byte order mark, the first bytes, the HTTP charset, the declaration or valid UTF-8 said
    which it was)."""
    text = _decoded(data, charset)
    if text is not None:
        return text.lstrip(_LEADING), ""
    guessed = likely_legacy_encoding(data)
    return data.decode(guessed, errors="replace").lstrip(_LEADING), guessed


def _decoded(data: bytes, charset: str | None = None) -> str | None:
    """``data`` decoded as :func:`xml_text` says, blanks before the declaration kept; None
    for a document that declares nothing and is not UTF-8 (only a guess can read it)."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return _decode(data[len(mark):], encoding)
    family = _family_after_blanks(data)
    if family and family != "cp037":
        return _decode(data, family)
    for start, encoding in _FIRST_BYTES:
        if data.startswith(start):
            return _decode(data, encoding)
    if charset and not (family or data.startswith(_EBCDIC_START[:4])):
        served = _served(data, charset)
        if served is not None:
            return served
    if family or data.startswith(_EBCDIC_START[:4]):
        return _decode(data, _declared(data[:256].decode("cp037"), _EBCDIC_START) or "cp037")
    declared = _declared(data[:256].decode("latin-1"), b"<?xml")
    if declared and codecs.lookup(declared).name != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # mislabelled: most often UTF-8 declared as Latin-1 or the reverse
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None


def _served(data: bytes, charset: str) -> str | None:
    """``data`` in the HTTP header's ``charset``, or None if that cannot be its encoding."""
    try:
        if "<?xml".encode(charset) != b"<?xml":
            return None  # UTF-16/32 or EBCDIC named for a document whose first bytes are ASCII
        if codecs.lookup(charset).name != "utf-8" and _is_utf8_text(data):
            return None
        return data.decode(charset, "surrogatepass" if charset.startswith("utf") else "strict")
    except (LookupError, UnicodeError):
        return None


def _is_utf8_text(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 with some non-ASCII text (which legacy text almost
    never is by chance)."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def likely_legacy_encoding(data: bytes) -> str:
    """The legacy single-byte encoding (:data:`_LEGACY`) in which ``data``'s non-ASCII words
    read most like natural text; Windows-1252 unless another reads better. A document that
    names its language (``<language>``, ``xml:lang``) of a script or alphabet with legacy
    encodings of its own is read in the likeliest of those: Czech read as Windows-1252 shows
    letters too (ø for ř), which no score of shapes tells apart."""
    words = b" ".join(m.group() for _, m in zip(range(_SAMPLE_WORDS),
                                                 _NON_ASCII_WORD.finditer(data), strict=False))
    named = _DECLARED_LANGUAGE.search(data[:65536])
    language = (named.group(1) or named.group(2)).decode().lower() if named else ""
    candidates: tuple[str, ...] = _LANGUAGE_ENCODINGS.get(language, _LEGACY)
    if candidates == _CENTRAL and words and not _WINDOWS_ONLY.search(words):
        # Windows-1250 puts letters these languages use often (š ž ś ź ť) at 0x80-0x9F,
        # where ISO 8859-2 has none: text without such bytes is in ISO 8859-2
        candidates = ("iso-8859-2",)
    best, best_score = candidates[0], float("-inf")
    for encoding in candidates:
        try:
            text = words.decode(encoding)
        except UnicodeDecodeError:
            continue  # a byte this encoding does not have
        score = _naturalness(text)
        if encoding == "cp1252":
            # another reading must be clearly better: Western and Central European letters
            # both look like letters, and only symbols or case tell them apart
            score += max(2, sum(1 for c in text if not c.isascii()) // 10)
        if score > best_score:
            best, best_score = encoding, score
    return best


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split(" ", 1)[0]


def _naturalness(text: str) -> int:
    """How much ``text`` (words with non-ASCII characters) looks like natural text: its
    non-ASCII letters are of one script, mostly lower case, upper case only at a word's start,
    Cyrillic or Greek letters not inside ASCII words, accented Latin letters not whole words;
    C1 controls and rare symbols count against it."""
    wide = [c for c in text if ord(c) > 127 and c.isalpha()]
    scripts: dict[str, int] = {}
    for char in wide:
        scripts[_script(char)] = scripts.get(_script(char), 0) + 1
    main = max(scripts, key=lambda k: scripts[k]) if scripts else "LATIN"
    upper = sum(1 for c in wide if c.isupper())
    score = -2 * max(0, upper - (len(wide) - upper))
    for word in text.split(" "):
        letters = [c for c in word if c.isalpha()]
        ascii_letters = sum(1 for c in letters if c.isascii())
        whole = ascii_letters == 0 and len(letters) >= 3
        previous = ""
        for char in word:
            if char.isupper() and previous.islower() and not (char + previous).isascii():
                score -= 3
            previous = char
            if char.isascii():
                continue
            if char in _COMMON_MARKS:
                score += 1
            elif char.isalpha():
                script = _script(char)
                score += 1 if script == main else -2
                if (ascii_letters if script != "LATIN" else whole):
                    score -= 2  # Cyrillic inside an ASCII word; a word of accented letters
            elif "\x80" <= char <= "\x9f" or char == "\ufffd":
                score -= 5
            else:
                score -= 1
    return score


def _family_after_blanks(data: bytes) -> str | None:
    """The UTF-32, UTF-16 or EBCDIC encoding in which ``data`` reads as blanks (white space,
    byte order marks) and then ``<?xml``, if it starts with a blank in one of them."""
    if data[:1] == b"<":
        return None
    for encoding, unit in _WIDE_FAMILIES:
        head = data[:unit * 64]
        text = head[:len(head) - len(head) % unit].decode(encoding, errors="replace")
        if text[:1] in _LEADING and text.lstrip(_LEADING).startswith("<?xml"):
            return encoding
    return None


def _declared(head: str, family_start: bytes) -> str | None:
    """The encoding the XML declaration in ``head`` names, if Python knows it and it writes
    ``<?xml`` as ``family_start`` (the family the first bytes showed); else None."""
    match = _DECLARED.match(head)
    if not match:
        return None
    try:
        if "<?xml".encode(match.group(1)) == family_start:
            return match.group(1)
    except (LookupError, UnicodeError):
        pass
    return None


def _decode(data: bytes, encoding: str) -> str:
    """``data`` in ``encoding``, lone surrogates kept for the caller to replace; UTF-8 that is
    not valid is read in the likeliest legacy encoding, other undecodable bytes become U+FFFD."""
    try:
        return data.decode(encoding, "surrogatepass" if encoding.startswith("utf") else "strict")
    except UnicodeDecodeError:
        if encoding == "utf-8":
            return data.decode(likely_legacy_encoding(data), errors="replace")
        return data.decode(encoding, errors="replace")


def refuse_entity_declarations(text: str) -> None:
    """Raise :class:`FeedError` if the (decoded) document declares any XML entity."""
    if _ENTITY_DECLARATION.search(text):
        raise FeedError("the feed declares XML entities, which are refused (entity expansion)")


def parse_json_feed(data: bytes, base_url: str = "") -> Feed:
    """A JSON Feed (https://jsonfeed.org/version/1.1, also 1.0, with ``http:`` too).

    Relative item URLs are resolved against ``base_url`` (where the feed was fetched), else
    the feed's ``home_page_url``.
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"), strict=False)  # raw controls: the door's
    except (ValueError, RecursionError) as exc:  # also a 5,000-digit number, [[[[...]]]]
        raise FeedError(f"not valid JSON: {_one_line(exc)}") from None
    if not isinstance(doc, dict):
        raise FeedError("not a JSON Feed: the document is not a JSON object")
    version = doc.get("version")
    if not (isinstance(version, str) and _JSON_FEED_VERSION.match(version.strip())):
        raise FeedError("not a JSON Feed: no jsonfeed.org version" if version is None else
                        f"not a JSON Feed: unknown version {_one_line(version)[:80]!r}")
    if not isinstance(doc.get("items"), list):
        raise FeedError("not a JSON Feed: no items list")
    language = _str(doc.get("language"))
    home = _str(doc.get("home_page_url"))
    base = base_url or _absolute(home, "")  # relative item URLs: the document's, else home's
    items = []
    for entry in doc["items"]:
        if not isinstance(entry, dict):
            continue
        markup = _str(entry.get("content_html"))
        body = (html_paragraphs(markup) if markup
                else text_paragraphs(_str(entry.get("content_text"))))
        if not body:
            body = text_paragraphs(_str(entry.get("summary")))
        found = entry.get("authors")
        authors: list[Any] = found if isinstance(found, list) else [entry.get("author")]
        byline = ", ".join(_str(a.get("name")) for a in authors
                           if isinstance(a, dict) and _str(a.get("name")))
        given = _str(entry.get("url")) or _str(entry.get("external_url"))
        url = _absolute(given, base) or given
        title = _str(entry.get("title"))
        date = _iso(_str(entry.get("date_published")) or _str(entry.get("date_modified")))
        image = next((found for found in (_absolute(_str(entry.get(k)), base)
                                           for k in ("image", "banner_image")) if found), "")
        items.append(FeedItem(
            key=_str(entry.get("id")) or url or _content_key(title, date, body), title=title,
            url=url,
            date=date, byline=byline, body=tuple(body),
            language=_str(entry.get("language")) or language, image=image))
    return Feed(_str(doc.get("title")), home, language, distinct_keys(items))


def item_id(key: str) -> str:
    """A short, stable, path-safe id for an item key (a guid or URL)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def word_count(paragraphs: Iterable[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def text_paragraphs(text: str) -> list[str]:
    """Plain text split on blank lines (or on lines, if it has no blank line)."""
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.splitlines()
    return [" ".join(p.split()) for p in parts if p.strip()]


# --- helpers ---------------------------------------------------------------------------

def _xml_item(entry: Mapping[str, Any], feed_language: str, base: str = "") -> FeedItem:
    contents = [c for c in entry.get("content") or [] if c.get("value")]
    detail = max(contents, key=lambda c: len(c["value"])) if contents else (
        entry.get("summary_detail") or {"value": entry.get("summary", ""), "type": "text/html"})
    body = _paragraphs(detail)
    date = _entry_date(entry)
    related = tuple(dict.fromkeys(
        str(link.get("title") or link.get("href") or "").strip()
        for link in entry.get("links") or [] if link.get("rel") == "related"
        and (link.get("title") or link.get("href"))))
    url = str(entry.get("link") or "")
    title = _text(_title_detail(entry))
    key = str(entry.get("id") or url or _content_key(title, date, body))
    language = str((entry.get("title_detail") or {}).get("language") or feed_language or "")
    return FeedItem(key=key, title=title, url=url, date=date, byline=str(entry.get("author") or ""),
                    body=tuple(body), related=related, language=language,
                    image=entry_image(entry, base))


def entry_image(entry: Mapping[str, Any], base: str = "") -> str:
    """The picture an RSS or Atom entry gives, as an absolute http(s) URL ("" if none): its
    first ``media:thumbnail``, else its first ``media:content`` that is an image (``medium``
    or ``type`` says so), else its first enclosure of an image type (RSS ``<enclosure>``,
    Atom ``rel="enclosure"``). What the URL leads to is judged when it is downloaded."""
    def listed(key: str) -> list[Mapping[str, Any]]:
        value = entry.get(key)
        return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []

    candidates = [str(t.get("url") or "") for t in listed("media_thumbnail")]
    candidates += [str(c.get("url") or "") for c in listed("media_content")
                   if str(c.get("medium") or "").lower() == "image"
                   or str(c.get("type") or "").lower().startswith("image/")]
    candidates += [str(e.get("href") or "") for e in listed("enclosures")
                   if str(e.get("type") or "").lower().startswith("image/")]
    return next((url for url in (_absolute(c.strip(), base) for c in candidates) if url), "")


def _title_detail(entry: Mapping[str, Any]) -> Mapping[str, Any] | str:
    """The entry's own title with its type. feedparser keeps the item-level ``<title>`` as
    ``title`` but lets a deeper one (``<author><title>Developer Advocate</title>``, even an
    empty one) overwrite ``title_detail``; then the type is guessed as feedparser does."""
    title = str(entry.get("title") or "")
    detail = entry.get("title_detail")
    if isinstance(detail, Mapping) and str(detail.get("value") or "") == title:
        return detail
    return {"value": title, "type": "text/html" if _LOOKS_LIKE_HTML.search(title) else "text/plain"}


def distinct_keys(items: Iterable[FeedItem]) -> tuple[FeedItem, ...]:
    """The items, each that repeats an earlier item's key (a guid or link two posts share by
    the publisher's slip) with different content keyed by that content as well, so both are
    read; an item equal to an earlier one keeps the key, and is reported as a duplicate."""
    out: list[FeedItem] = []
    seen: dict[str, FeedItem] = {}
    for item in items:
        first = seen.get(item.key)
        if first is not None and (first.title, first.date, first.body) != (
                item.title, item.date, item.body):
            item = replace(item, key=f"{item.key}|{_content_key(item.title, item.date, item.body)}")
        seen.setdefault(item.key, item)
        out.append(item)
    return tuple(out)


def _content_key(title: str, date: str | None, body: Iterable[str]) -> str:
    """A key for an item with no id and no link: its title and date; with no title, its date
    and a hash of its text (the same item keeps it from build to build; items that differ
    in text do not share it)."""
    if title:
        return f"{title}|{date}"
    text = "\n".join(body)
    return f"|{date or ''}|{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


def _absolute(url: str, base: str) -> str:
    """``url`` resolved against ``base``; "" if the result is not an http(s) URL."""
    if not url:
        return ""
    try:
        joined = urllib.parse.urljoin(base, url) if base else url
    except ValueError:
        return ""
    return joined if urllib.parse.urlsplit(joined).scheme.lower() in ("http", "https") else ""


def _entry_date(entry: Mapping[str, Any]) -> str | None:
    """The entry's date in its own time zone (feedparser's parsed dates are in UTC)."""
    raw = str(entry.get("published") or entry.get("updated") or "").strip()
    if raw:
        try:
            when = email.utils.parsedate_to_datetime(raw)  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            when = None
        if when is None:
            try:
                when = dt.datetime.fromisoformat(raw.replace("z", "Z"))  # Atom: RFC 3339
            except ValueError:
                when = None
        if when is not None:
            return (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).isoformat()
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    year, month, day, hour, minute, second = stamp[:6]
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC).isoformat()


def _paragraphs(detail: Mapping[str, Any]) -> list[str]:
    value = str(detail.get("value") or "")
    if "html" in str(detail.get("type") or "text/html"):
        return html_paragraphs(value)
    return text_paragraphs(value)


def _text(detail: Any) -> str:
    if isinstance(detail, Mapping):
        return " ".join(_paragraphs(detail))
    return " ".join(str(detail or "").split())


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _iso(value: str) -> str | None:
    """An RFC 3339 date as ISO 8601; None if it cannot be read."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _one_line(value: object) -> str:
    return " ".join(str(value).split())[:300]
