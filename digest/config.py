"""``feeds.yaml``: the settings of a digest, declared once, validated at the door.

Each setting is declared once, as a field of a frozen dataclass made by
:func:`~digest.settings.setting`: its type (the field's), its default, its
check and its help text. That one declaration gives the records the rest of
the code reads (``config.fetch.timeout``, ``source.full_text``), the validation
of feeds.yaml, and the README's reference table (``python -m
digest.settings_table``).

Every problem is reported as one line naming the file, the line and column,
and the key, e.g. ``feeds.yaml:7:5: sources[1].type: must be one of text,
jsonl, rss, atom, jsonfeed, html (got 'xml')``; whatever the file holds (YAML
tags, nesting thousands deep, values no constructor can read), loading it
either gives a :class:`Config` or raises :class:`ConfigError`. Loading reads
feeds.yaml and nothing else: the files a source names are found when the
sources are read (:mod:`digest.files`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from digest.dask_executor import address_problem
from digest.settings import Check, Key, Setting, schema, setting
from digest.urls import web_url

FEED_TYPES = ("rss", "atom", "jsonfeed")  # read with digest.fetch, from a file or a URL
SOURCE_TYPES = ("text", "jsonl", *FEED_TYPES, "html")
URL_TYPES = (*FEED_TYPES, "html")  # types that may name a ``url`` instead of a ``path``
CACHE_FILE = ".digest-cache.sqlite"  # the cache when feeds.yaml does not say
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_DEPTH = 32  # nesting levels; feeds.yaml needs 4, and Python's own recursion ends near 1000
# fetch.allow_private_hosts entries: a name or IPv4 address, or an IPv6 address in brackets,
# each optionally with ":port"; or a bare IPv6 address (two colons at least, no port)
_HOST_ENTRY = re.compile(r"^(?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(?P<port>\d{1,5}))?"
                         r"|[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)$")




class ConfigError(ValueError):
    """``feeds.yaml`` cannot be used; the message is one actionable line."""


# --- checks: each returns a value's problem, or None ---------------------------------

def _at_least(low: float) -> Check:
    def check(v: Any) -> str | None:
        return None if v >= low else f"must be at least {low}"
    return check


def _between(low: int, high: int) -> Check:
    def check(v: Any) -> str | None:
        return None if low <= v <= high else f"must be between {low} and {high}"
    return check


def _keywords(v: Any) -> str | None:
    return None if v and all(isinstance(w, str) and w.strip() for w in v) else (
        "must be a non-empty list of non-empty strings")


def _url(v: Any) -> str | None:
    return None if web_url(v) == v else f"must be an http(s) URL (got {v!r})"


def _file_path(v: Any) -> str | None:
    if not v.strip():
        return "must not be empty"
    return "must not hold control characters" if _CONTROL.search(v) else None


def _cache_path(v: Any) -> str | None:
    return None if v is None else _file_path(v)


def _host(entry: Any) -> str | None:
    """An entry of ``fetch.allow_private_hosts``: ``host``, ``host:port``, ``[v6]:port``."""
    match = _HOST_ENTRY.match(entry.strip()) if isinstance(entry, str) else None
    if not match or (match["port"] and not 0 < int(match["port"]) < 65536):
        return (f"each entry must be a host name or address, optionally with :port,"
                f" such as 192.168.1.20 or intranet.local:8080 (got {entry!r})")
    return None


def _name(v: Any) -> str | None:
    return None if _NAME.match(v) else "must be lowercase letters, digits and dashes"


def _one_of(*values: str) -> Check:
    def check(v: Any) -> str | None:
        return None if v in values else f"must be one of {', '.join(values)} (got {v!r})"
    return check


def _locale(v: Any) -> str | None:
    from babel import Locale, UnknownLocaleError  # Material's own dependency

    try:
        Locale.parse(v)
    except (ValueError, UnknownLocaleError):
        return f"must be a locale such as en_GB or uk_UA (got {v!r})"
    return None


def _timezone(v: Any) -> str | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(v)
    except (ValueError, OSError, ZoneInfoNotFoundError):  # OSError: a name too long for a file
        return f"must be an IANA time zone such as Europe/London (got {v!r})"
    return None


# --- the settings ------------------------------------------------------------------

_RANGE, _IN_RANGE = "1-50", _between(1, 50)  # days and sentences


@dataclass(frozen=True)
class SiteSettings:
    """How the site presents itself (``site:``)."""

    title: str = setting("News digest", help="the site name (replaces site_name in mkdocs.yml)")
    url: str | None = setting(None, kind=(str,), check=_url, shape="http(s) URL",
                              help="the published base URL, e.g. https://news.example.org/"
                                   " (sitemap, absolute links)")
    description: str = setting("", help="shown on the front page and in meta tags")
    language: str = setting("en", help="the site's language; also the theme's interface and"
                                       " search language unless mkdocs.yml sets"
                                       " `theme.language`")
    locale: str = setting("", check=_locale, shape="Babel locale (`en_GB`, `uk_UA`)",
                          shown_default="the language",
                          help='how dates read: "4 March 2026" (en_GB), "March 4, 2026" (en)')
    timezone: str = setting("UTC", check=_timezone, shape="IANA zone (`Europe/London`)",
                            help="the time zone of the build time in the footer")
    days: int = setting(1, check=_IN_RANGE, shape=_RANGE,
                        help="the front page shows the stories of this many latest days")
    images: bool = setting(
        False, help="show the picture a feed gives an item (`media:thumbnail`, an image"
                    " enclosure, JSON Feed `image`; a page's `og:image`): downloaded at build"
                    " time within the `fetch:` limits (at most 2 MB, PNG, JPEG, GIF or WebP"
                    " only) and published with the site, never linked from the publisher;"
                    " needs the `cache`, beside which the pictures are kept")
    keep_days: int = setting(
        0, check=_between(0, 100_000), shape="0 or more days",
        help="publish the article pages of this many latest days, counted back from the"
             " newest article's day (0: all of them); an older article keeps its place in its"
             " topic, the topic's summary, the day pages and the feeds, linked to the"
             " publisher's page instead")


@dataclass(frozen=True)
class FetchSettings:
    """How the digest behaves on the web (``fetch:``); the defaults are polite."""

    user_agent: str = setting(
        "newsdigest/0.1 (static news digest; +https://github.com/newsdigest)",
        help="the User-Agent header of every request")
    timeout: float = setting(20.0, check=_at_least(0.1), shape="seconds, at least 0.1",
                             help="for connect, and for each read")
    total_timeout: float = setting(
        60.0, check=_at_least(0.1), shape="seconds, at least 0.1",
        help="for a whole request (connect, status line, headers, body, every redirect and"
             " retry), so a trickling server is cut")
    max_bytes: int = setting(10_000_000, check=_at_least(1024), shape="bytes, at least 1024",
                             help="per response; feeds and article pages are far smaller")
    max_redirects: int = setting(5, check=_at_least(0), shape="integer, at least 0",
                                 help="redirects followed for one request")
    retries: int = setting(2, check=_at_least(0), shape="integer, at least 0",
                           help="further attempts on 429, 5xx and connection errors")
    backoff: float = setting(1.0, check=_at_least(0), shape="seconds, at least 0",
                             help="wait before the first retry, doubled for each further one")
    max_retry_after: float = setting(120.0, check=_at_least(0), shape="seconds, at least 0",
                                     help="a longer `Retry-After` gives up instead of waiting")
    host_interval: float = setting(1.0, check=_at_least(0), shape="seconds, at least 0",
                                   help="between two requests to one host")
    host_concurrency: int = setting(2, check=_at_least(1), shape="integer, at least 1",
                                    help="requests under way at once to one host")
    max_crawl_delay: float = setting(
        30.0, check=_at_least(0), shape="seconds, at least 0",
        help="a robots.txt `Crawl-delay` is obeyed up to this many seconds (robots.txt is"
             " obeyed for page fetches)")
    concurrency: int = setting(16, check=_at_least(1), shape="integer, at least 1",
                               help="requests under way at once in all")
    teaser_words: int = setting(
        100, check=_at_least(0), shape="integer, at least 0",
        help="feed content shorter than this is a teaser (for `full_text`): WordPress cuts"
             " excerpts at 55 words, and a whole news article is rarely under 100")
    allow_private_hosts: tuple[str, ...] = setting(
        (), each=_host, shape="list of hosts",
        help="hosts on a private network (loopback, LAN, link-local...) that feeds and pages"
             " may come from: names or addresses, each optionally with `:port`, such as"
             " `192.168.1.20` or `intranet.local:8080` (see [Security](#security))")


@dataclass(frozen=True)
class SourceSettings:
    """One entry of ``sources:``; ``priority`` and ``where`` are set by :func:`load_config`."""

    name: str = setting(required=True, check=_name, shape="`[a-z0-9-]`",
                        help="the source's id, used in article ids")
    type: str = setting(required=True, check=_one_of(*SOURCE_TYPES),
                        shape=", ".join(f"`{t}`" for t in SOURCE_TYPES), help="the format")
    path: str = setting("", check=_file_path, shape="glob or file",
                        shown_default="one of path/url",
                        help="files, relative to feeds.yaml: a glob (`text`, `html`) or a file"
                             " (`jsonl`, feeds)")
    url: str = setting("", check=_url, shape="http(s) URL", shown_default="one of path/url",
                       help="a feed or page fetched over HTTP instead of read from `path`"
                            f" ({', '.join(f'`{t}`' for t in URL_TYPES)})")
    title: str = setting("", shown_default="the name",
                         help="the publisher's name on the site; topic names never start or"
                              " end with it (nor with the name)")
    site_url: str = setting("", check=_url, shape="http(s) URL",
                            help="the publisher's home page (OPML `htmlUrl`), for the sources"
                                 " page")
    language: str = setting("", shown_default="the feed's, else the site's",
                            help="the source's language, e.g. `en`")
    include: tuple[str, ...] = setting((), check=_keywords, shape="list of words",
                                       help="keep only items naming one of these (whole words"
                                            " or phrases, any case)")
    exclude: tuple[str, ...] = setting((), check=_keywords, shape="list of words",
                                       help="drop items naming any of these (whole words or"
                                            " phrases, any case)")
    full_text: bool = setting(False, help="feeds: fetch the article page when the item is a"
                                          " teaser (under `fetch.teaser_words` words, or ending"
                                          ' "…" / "Read more")')
    headline_only: str = setting(
        "link", check=_one_of("link", "skip"), shape="`link` or `skip`",
        help="an item with a title and a link but no text of its own (a headline-only feed,"
             " or text that is all the source's template): published as a link to the"
             " original (`link`), or left out and counted in the build report (`skip`)")
    follow_symlinks: bool = setting(
        False, help="read files the `path` glob matches through a symlink that leads out of the"
                    " folder the glob names (skipped and reported otherwise; a path without"
                    " wildcards is read wherever it leads)")
    priority: int = 0  # position in feeds.yaml: lower wins ties when choosing a canonical copy
    where: str = ""  # "feeds.yaml:12:5", for messages

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def location(self) -> str:
        """The URL or the path, as written in feeds.yaml."""
        return self.url or self.path


@dataclass(frozen=True)
class Config:
    """A digest's settings, as :func:`load_config` reads them from feeds.yaml."""

    path: Path  # feeds.yaml itself
    site: SiteSettings = setting(SiteSettings, help="how the site presents itself")
    summary_sentences: int = setting(3, key="summary.sentences", check=_IN_RANGE,
                                     shape=_RANGE, help="sentences per article summary")
    topic_summary_sentences: int = setting(3, key="summary.topic_sentences", check=_IN_RANGE,
                                           shape=_RANGE, help="sentences per topic summary")
    # None (no cache) when built in Python; feeds.yaml without a cache key gets CACHE_FILE
    cache: Path | None = setting(None, kind=(str, type(None)), check=_cache_path,
                                 shape="path or null", shown_default=f"`{CACHE_FILE}`",
                                 help="the SQLite build cache, relative to feeds.yaml; null"
                                      " turns it off")
    executor: str = setting(
        "", check=address_problem, shape="`dask://HOST:PORT`", shown_default="this machine",
        help="a Dask scheduler to run the per-article work (clean, summarise, fingerprint) on,"
             " for backfills (see [Backfills on a cluster](#backfills-on-a-cluster));"
             " `digest build --executor` overrides it")
    fetch: FetchSettings = setting(FetchSettings, help="how the digest behaves on the web")
    # the key must be there (see load_config); left empty or `[]`, the digest has no sources yet
    sources: tuple[SourceSettings, ...] = setting(
        (), kind=(list, type(None)),
        help="in order of priority: earlier sources win ties between copies")

    @property
    def root(self) -> Path:
        return self.path.parent


# --- reading feeds.yaml ------------------------------------------------------------

_YAML_TAGS = "tag:yaml.org,2002:"  # the prefix of YAML's own tags, written "!!" in a file


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, composing nodes only (never objects), at most MAX_DEPTH deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.depth >= MAX_DEPTH:  # before Python's recursion limit, with a position
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep",
                self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _yaml_at(exc: yaml.YAMLError, text: str) -> str:
    """":line:col" of a YAML error, where it knows one."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return f":{mark.line + 1}:{mark.column + 1}"
    position = getattr(exc, "position", None)  # a ReaderError: a character offset
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        column = position - text.rfind("\n", 0, position)
        return f":{line}:{column}"
    return ""


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.character, int):
        return f"the character U+{exc.character:04X} is not allowed in YAML"
    return str(getattr(exc, "problem", None) or getattr(exc, "context", None) or exc)


def _one_line(message: str) -> str:
    """``message`` with any line break or other unprintable character written as an escape."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


class _Reader:
    """Walks the YAML node tree so that every message can name a line and column."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def where(self, node: yaml.Node) -> str:
        m = node.start_mark
        return f"{self.path.name}:{m.line + 1}:{m.column + 1}"

    def fail(self, node: yaml.Node, key: str, problem: str) -> ConfigError:
        return ConfigError(_one_line(f"{self.where(node)}: {key}: {problem}"))

    def mapping(self, node: yaml.Node, keys: dict[str, Key],
                key: str) -> dict[str, tuple[Any, yaml.Node]]:
        """A mapping's keys, each with its value and node: scalars read and checked, mappings
        and lists checked for their kind only (:meth:`values` reads them)."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key or "(top level)", "must be a mapping of keys to values")
        out: dict[str, tuple[Any, yaml.Node]] = {}
        for k_node, v_node in node.value:
            if not isinstance(k_node, yaml.ScalarNode):
                raise self.fail(k_node, key or "(top level)", "keys must be plain names")
            name = k_node.value
            full = f"{key}.{name}" if key else name
            if name not in keys:
                known = ", ".join(keys)
                raise self.fail(k_node, full, f"unknown key (known keys: {known})")
            if name in out:
                raise self.fail(k_node, full, "appears twice")
            out[name] = (self.value(v_node, keys[name], full), v_node)
        for name, spec in keys.items():
            if spec.setting.required and name not in out:
                full = f"{key}.{name}" if key else name
                raise self.fail(node, full, "is required")
        return out

    def values(self, found: dict[str, tuple[Any, yaml.Node]], keys: dict[str, Key],
               key: str) -> dict[str, Any]:
        """What :meth:`mapping` found, as keyword arguments of the dataclass ``keys`` were
        made from, in declaration order: groups and sections read in turn, lists entry by
        entry; a list of sections (``sources``) is left as its node."""
        out: dict[str, Any] = {}
        for name, spec in keys.items():
            if name not in found:
                continue
            value, node = found[name]
            full = f"{key}.{name}" if key else name
            if spec.keys:
                out.update(self.values(self.mapping(node, spec.keys, full), spec.keys, full))
            elif isinstance(node, yaml.MappingNode) and spec.section is not None:
                section_keys = schema(spec.section)
                out[spec.attr] = spec.section(
                    **self.values(self.mapping(node, section_keys, full), section_keys, full))
            elif isinstance(node, yaml.SequenceNode) and spec.section is None:
                out[spec.attr] = self.words(node, spec.setting, full)
            else:
                out[spec.attr] = value
        return out

    def value(self, node: yaml.Node, spec: Key, key: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            value: Any = dict  # checked, then walked by :meth:`values`
        elif isinstance(node, yaml.SequenceNode):
            value = list
        else:
            value = self.scalar(node, key)
        kinds = spec.kinds
        ok = value in kinds if isinstance(value, type) else (
            isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds))
        if not ok:
            want = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
            got = value.__name__ if isinstance(value, type) else type(value).__name__
            raise self.fail(node, key, f"must be {want} (got {got})")
        if spec.setting.check and not isinstance(value, type):
            problem = spec.setting.check(value)
            if problem:
                raise self.fail(node, key, problem)
        return node if isinstance(value, type) else value

    def words(self, node: yaml.SequenceNode, spec: Setting, key: str) -> tuple[str, ...]:
        """A list of text: each entry read and checked (``each``), then the whole (``check``)."""
        values = []
        for i, item in enumerate(node.value):
            value = self.scalar(item, f"{key}[{i}]")
            problem = spec.each(value) if spec.each else None
            if problem:
                raise self.fail(item, f"{key}[{i}]", problem)
            values.append(value)
        problem = spec.check(values) if spec.check else None
        if problem:
            raise self.fail(node, key, problem)
        return tuple(str(v).strip() for v in values)

    def scalar(self, node: yaml.Node, key: str) -> Any:
        """A scalar's value as YAML's safe loader reads it; a tag it cannot read (``!python/
        name:...``, ``!!binary`` on text, ``!!int abc``) is this key's problem."""
        if not isinstance(node, yaml.ScalarNode):
            return None
        if node.tag == f"{_YAML_TAGS}null":  # "key:" with nothing after it cannot round-trip
            return None
        try:
            return yaml.safe_load(yaml.serialize(node))
        # PyYAML's constructors raise ConstructorError, ValueError, KeyError, AttributeError...
        # for a tag that does not fit the value: each is a mistake in this one value
        except Exception:  # noqa: BLE001
            tag = node.tag.replace(_YAML_TAGS, "!!")
            if not tag.startswith("!!"):
                problem = f"the tag {tag} is not allowed (feeds.yaml holds plain values)"
            else:
                problem = f"{node.value[:40]!r} is not a valid {tag}"
            raise self.fail(node, key, problem) from None


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate ``feeds.yaml``; raises :class:`ConfigError` with one line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (create it, or pass --config)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(_one_line(f"{path}: cannot be read ({exc})")) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ConfigError(_one_line(f"{path.name}{_yaml_at(exc, text)}: not valid YAML:"
                                    f" {_yaml_problem(exc)}")) from None
    if root is None:
        raise ConfigError(f"{path.name}: is empty (it needs at least a 'sources' list)")
    r = _Reader(path)
    keys = schema(Config)
    found = r.mapping(root, keys, "")
    if "sources" not in found:
        raise r.fail(root, "sources", "is required (list the sources under it; leave it empty"
                                      " while there are none yet)")
    values = r.values(found, keys, "")
    listed = values.pop("sources")  # its node; None when empty ("sources:" alone)
    seen: dict[str, str] = {}
    sources = tuple(_source(r, node, i, seen) for i, node in enumerate(listed.value if listed
                                                                       else ()))
    cache = values.pop("cache", CACHE_FILE)
    return Config(path=path.resolve(), cache=path.resolve().parent / cache if cache else None,
                  sources=sources, **values)


def _source(r: _Reader, node: yaml.Node, i: int, seen: dict[str, str]) -> SourceSettings:
    """One ``sources[i]`` entry, with the checks that span several of its keys; ``seen``
    holds the names of the entries before it, and where they are."""
    key = f"sources[{i}]"
    keys = schema(SourceSettings)
    fields = r.mapping(node, keys, key)
    name = fields["name"][0]
    if name in seen:
        raise r.fail(fields["name"][1], f"{key}.name",
                     f"{name!r} is already used by the source at {seen[name]}")
    seen[name] = r.where(node)
    kind = fields["type"][0]
    if "path" in fields and "url" in fields:
        raise r.fail(fields["url"][1], f"{key}.url", "give either path or url, not both")
    if "path" not in fields and "url" not in fields:
        wanted = "path or url" if kind in URL_TYPES else "path"
        raise r.fail(node, f"{key}.{'path' if kind not in URL_TYPES else 'url'}",
                     f"is required (give {wanted})")
    if "url" in fields and kind not in URL_TYPES:
        raise r.fail(fields["url"][1], f"{key}.url",
                     f"only {', '.join(URL_TYPES)} sources can be fetched from a URL")
    if "follow_symlinks" in fields and "path" not in fields:
        raise r.fail(fields["follow_symlinks"][1], f"{key}.follow_symlinks",
                     "only applies to sources read from a path")
    if "full_text" in fields and kind not in FEED_TYPES:
        raise r.fail(fields["full_text"][1], f"{key}.full_text",
                     f"only applies to {', '.join(FEED_TYPES)} sources")
    location = fields["path" if "path" in fields else "url"][1]
    return SourceSettings(**r.values(fields, keys, key), priority=i, where=r.where(location))
