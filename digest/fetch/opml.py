"""OPML: the feed lists readers exchange. Import into feeds.yaml; export the site's sources.

Import edits feeds.yaml as text, appending new entries at the end of the
``sources`` list in the file's own indentation, so comments, order and
formatting of everything already there are kept byte for byte. One bad
outline is left out (or its title cleaned) with a line saying so, never the
whole import; the new file replaces the old one in one rename, with the old
one's mode, and leaves no temporary file behind.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import glob
import json
import os
import re
import secrets
import stat
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeET
import yaml
from defusedxml import DefusedXmlException
from unidecode import unidecode

from digest.config import FEED_TYPES, Config
from digest.urls import web_url

NAME_LENGTH = 40  # longest generated source name; ids and URLs stay readable


class OpmlError(ValueError):
    """The OPML file or feeds.yaml cannot be used; the message is one line."""


@dataclass(frozen=True)
class OpmlFeed:
    """One feed of an OPML file (an ``outline`` with an ``xmlUrl``)."""

    xml_url: str
    title: str = ""
    html_url: str = ""
    type: str = "rss"  # one of digest.config.FEED_TYPES
    notes: tuple[str, ...] = ()  # what was changed to use the entry, one line each


@dataclass(frozen=True)
class Subscriptions:
    """What an OPML file offers: the usable feeds, and the outlines left out, each with why."""

    feeds: tuple[OpmlFeed, ...]
    left_out: tuple[str, ...] = ()


def read_opml(data: bytes) -> list[OpmlFeed]:
    """The usable feeds of an OPML document in document order (see :func:`read_subscriptions`)."""
    return list(read_subscriptions(data).feeds)


def read_subscriptions(data: bytes) -> Subscriptions:
    """The feeds of an OPML document in document order (nested folders flattened).

    Parsed with defusedxml: entity declarations and external references are
    refused. One bad outline never spoils the rest: a feed whose ``xmlUrl`` is
    not an http(s) URL (:func:`digest.urls.web_url`) is left out with a line
    saying so; control characters in a title are removed and a ``htmlUrl``
    that is not http(s) is dropped, each noted on the feed.
    """
    try:
        root = SafeET.fromstring(data)
    except (ET.ParseError, DefusedXmlException) as exc:
        raise OpmlError(f"not a usable OPML file: {exc}") from None
    if root.tag != "opml":
        raise OpmlError(f"not an OPML file: the root element is <{root.tag}>")
    feeds: list[OpmlFeed] = []
    left_out: list[str] = []
    for outline in root.iter("outline"):
        written = outline.get("xmlUrl") or outline.get("xmlurl") or ""
        if not written.strip():  # a folder, or a link that is not a feed
            continue
        url = web_url(written)
        if url is None:
            left_out.append(f"skipped {written!r}: not an http(s) URL")
            continue
        kind = (outline.get("type") or "rss").lower()
        if "json" in kind or urlsplit(url).path.endswith(".json"):
            kind = "jsonfeed"  # OPML has no type for JSON Feed; readers write "rss"
        else:
            kind = "atom" if kind == "atom" else "rss"
        notes = []
        title, dropped = clean_title(outline.get("title") or outline.get("text") or "")
        if dropped:
            notes.append(f"{url}: removed {dropped} control character"
                         f"{'s' if dropped > 1 else ''} from the title")
        html_url = (outline.get("htmlUrl") or "").strip()
        if html_url and web_url(html_url) is None:
            notes.append(f"{url}: dropped its htmlUrl {html_url!r}: not an http(s) URL")
            html_url = ""
        feeds.append(OpmlFeed(url, title, html_url, kind, tuple(notes)))
    return Subscriptions(tuple(feeds), tuple(left_out))


# C0 controls but tab, LF and CR (which XML turns into spaces anyway), DEL and C1 (U+0085,
# NEL, included: YAML would read it as a line break): no feed's name needs one
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_title(value: str) -> tuple[str, int]:
    """A feed title without control characters, spaces collapsed; and how many were removed."""
    kept, dropped = _CONTROL.subn("", value)
    return " ".join(kept.split()), dropped


def opml_document(config: Config, created: dt.datetime | None = None) -> str:
    """OPML 2.0 listing every feed source of ``config`` that has a URL, in feeds.yaml order."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = f"{config.site.title}: sources"
    when = created or dt.datetime.now(dt.UTC)
    ET.SubElement(head, "dateCreated").text = email.utils.format_datetime(when)
    body = ET.SubElement(root, "body")
    for source in config.sources:
        if source.type not in FEED_TYPES:
            continue
        xml_url = web_url(source.url)
        if xml_url is None:  # feeds.yaml checks it too: one policy for every output
            continue
        # OPML 2.0 says type="rss" for every subscription, whatever the feed's format
        attrs = {"type": "rss", "text": source.label, "title": source.label, "xmlUrl": xml_url}
        if web_url(source.site_url):
            attrs["htmlUrl"] = source.site_url
        if source.language:
            attrs["language"] = source.language
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def source_name(title: str, url: str, taken: Iterable[str]) -> str:
    """A new source name from a feed's title (else its host), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", unidecode(title).lower()).strip("-")[:NAME_LENGTH]
    if not base:
        host = urlsplit(url).hostname or "feed"
        base = re.sub(r"[^a-z0-9]+", "-", host.removeprefix("www.").lower()).strip("-")
    base = base.strip("-") or "feed"
    used = set(taken)
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base}-{n}"
    return name


def add_feeds(text: str, feeds: Sequence[OpmlFeed]) -> tuple[str, list[str], list[OpmlFeed]]:
    """feeds.yaml ``text`` with ``feeds`` appended to its sources list.

    Returns the new text, the names given to the added feeds, and the feeds left
    out because a source (or an earlier OPML entry) already has their URL.
    Everything already in the text is kept as it was, comments included.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise OpmlError(f"feeds.yaml is not valid YAML: {exc}") from None
    seq = _sources_node(root)
    names: set[str] = set()
    urls: set[str] = set()
    for item in seq.value if isinstance(seq, yaml.SequenceNode) else ():
        if isinstance(item, yaml.MappingNode):
            for k, v in item.value:
                if k.value == "name" and isinstance(v, yaml.ScalarNode):
                    names.add(v.value)
                if k.value == "url" and isinstance(v, yaml.ScalarNode):
                    urls.add(v.value)
    added: list[str] = []
    left_out: list[OpmlFeed] = []
    entries: list[list[tuple[str, str]]] = []
    for feed in feeds:
        if feed.xml_url in urls:
            left_out.append(feed)
            continue
        name = source_name(feed.title, feed.xml_url, names)
        names.add(name)
        urls.add(feed.xml_url)
        added.append(name)
        entry = [("name", name)]
        if feed.title:
            entry.append(("title", feed.title))
        entry += [("type", feed.type), ("url", feed.xml_url)]
        if feed.html_url and re.match(r"^https?://[^\s/]+", feed.html_url):
            entry.append(("site_url", feed.html_url))
        entries.append(entry)
    if not entries:
        return text, added, left_out
    lines = text.splitlines(keepends=True)
    if not isinstance(seq, yaml.SequenceNode) or not seq.value:
        # "sources: []" or "sources:" alone: rewritten as a block list under its key
        tail = text[seq.end_mark.index:]
        block = "".join(_entry(e, "  ", 2) for e in entries)
        return (text[:seq.start_mark.index].rstrip(" ") + "\n" + block
                + tail.removeprefix("\n"), added, left_out)
    if seq.flow_style:
        raise OpmlError("feeds.yaml: 'sources' is a [flow] list; write it as a block list"
                        " ('- name: ...' lines) to import into it")
    first = seq.value[0]
    dash_line = lines[first.start_mark.line]
    indent = dash_line[:len(dash_line) - len(dash_line.lstrip(" "))]
    offset = max(2, first.start_mark.column - len(indent))
    at = _end_of_last_item(lines, seq.value[-1].start_mark.line, len(indent))
    if at > 0 and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    block = "".join(_entry(e, indent, offset) for e in entries)
    return "".join(lines[:at]) + block + "".join(lines[at:]), added, left_out


def _sources_node(root: yaml.Node | None) -> yaml.SequenceNode | yaml.ScalarNode:
    """The ``sources`` list, or the null of a ``sources:`` with nothing (but comments) under it."""
    if not isinstance(root, yaml.MappingNode):
        raise OpmlError("feeds.yaml has no top-level mapping with a 'sources' list")
    for key, value in root.value:
        if key.value == "sources":
            if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
                return value
            if not isinstance(value, yaml.SequenceNode):
                raise OpmlError("feeds.yaml: 'sources' is not a list")
            return value
    raise OpmlError("feeds.yaml has no 'sources' list")


def _end_of_last_item(lines: list[str], start: int, dash_indent: int) -> int:
    """The index of the line after the last content line of the item starting at ``start``."""
    end = start + 1
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(lines[i]) - len(lines[i].lstrip(" ")) <= dash_indent:
            break
        end = i + 1
    return end


def _entry(pairs: list[tuple[str, str]], indent: str, offset: int) -> str:
    lead = indent + "-" + " " * (offset - 1)
    pad = indent + " " * offset
    return "".join(f"{lead if i == 0 else pad}{k}: {_scalar(v)}\n"
                   for i, (k, v) in enumerate(pairs))


def _scalar(value: str) -> str:
    """A string as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if re.fullmatch(r"[^\W_](?:[\w./:?=&%+~@'-]| (?=\S))*", value):
        try:
            if yaml.safe_load(value) == value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


# --- writing feeds.yaml ------------------------------------------------------------------

def _staged_name(target: Path, pid: int) -> str:
    return f".{target.name}.import-{pid}-{secrets.token_hex(4)}.tmp"


def _leftovers(target: Path) -> Iterator[Path]:
    """Temporary files of earlier imports into ``target`` whose process is gone (killed)."""
    pattern = re.compile(re.escape(f".{target.name}.import-") + r"(\d+)-[0-9a-f]+\.tmp")
    for path in target.parent.glob(f".{glob.escape(target.name)}.import-*.tmp"):
        match = pattern.fullmatch(path.name)
        if match and not _running(int(match.group(1))):
            yield path


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


@contextmanager
def staged_feeds_file(path: Path, text: str) -> Iterator[Path]:
    """``text`` in a new file beside ``path`` (its real target, if ``path`` is a symlink),
    ready to be checked and then moved over it with :func:`os.replace`.

    The file is named ``.feeds.yaml.import-<pid>-<random>.tmp``, so it is recognisably
    ours; it has the mode of the file it will replace (and its owner and group where the
    system allows); it is removed when the block ends without moving it, whatever ends it
    (an error or Ctrl-C); and the leftovers of earlier imports that were killed are
    removed first.
    """
    target = path.resolve()
    for leftover in _leftovers(target):
        leftover.unlink(missing_ok=True)
    old = target.stat()
    staged = target.parent / _staged_name(target, os.getpid())
    try:
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                with suppress(PermissionError):  # only root may give a file away
                    os.fchown(out.fileno(), old.st_uid, old.st_gid)
            os.fchmod(out.fileno(), stat.S_IMODE(old.st_mode))  # after chown, which clears setuid
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        yield staged
    finally:
        staged.unlink(missing_ok=True)
