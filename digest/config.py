"""``feeds.yaml``: the settings of a digest, declared once, validated at the door.

Every problem is reported as one line naming the file, the line and column,
and the key, e.g. ``feeds.yaml:7:5: sources[1].type: must be one of text,
jsonl, rss, atom, jsonfeed, html (got 'xml')``; whatever the file holds (YAML
tags, nesting thousands deep, values no constructor can read), loading it
either gives a :class:`Config` or raises :class:`ConfigError`. A source whose
files are missing is not fatal: it is returned in :attr:`Config.problems` so
the build goes on with the rest and the build report lists it; so is a file a
glob matches through a symlink that leaves the folder the glob names (unless
the source says ``follow_symlinks: true``).
"""

from __future__ import annotations

import dataclasses
import glob
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from digest.records import Skipped
from digest.urls import web_url

FEED_TYPES = ("rss", "atom", "jsonfeed")  # read with digest.fetch, from a file or a URL
SOURCE_TYPES = ("text", "jsonl", *FEED_TYPES, "html")
URL_TYPES = (*FEED_TYPES, "html")  # types that may name a ``url`` instead of a ``path``
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_DEPTH = 32  # nesting levels; feeds.yaml needs 4, and Python's own recursion ends near 1000
# fetch.allow_private_hosts entries: a name or IPv4 address, or an IPv6 address in brackets,
# each optionally with ":port"; or a bare IPv6 address (two colons at least, no port)
_HOST_ENTRY = re.compile(r"^(?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(?P<port>\d{1,5}))?"
                         r"|[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)$")


FEEDS_ENV = "DIGEST_FEEDS"  # a feeds.yaml path overriding the MkDocs plugin's `feeds` option


class ConfigError(ValueError):
    """``feeds.yaml`` cannot be used; the message is one actionable line."""


@dataclass(frozen=True)
class SiteSettings:
    title: str = "News digest"
    url: str | None = None  # the published base URL, e.g. https://news.example.org/
    description: str = ""
    language: str = "en"
    locale: str = ""  # dates as readers expect them, e.g. "en_GB"; empty: the language
    timezone: str = "UTC"  # an IANA zone ("Europe/London") for the build time shown
    days: int = 1  # the front page shows topics with articles from this many latest days


@dataclass(frozen=True)
class FetchSettings:
    """How the digest behaves on the web (``fetch:`` in feeds.yaml); defaults are polite."""

    user_agent: str = "newsdigest/0.1 (static news digest; +https://github.com/newsdigest)"
    timeout: float = 20.0  # seconds for connect, and for each read
    total_timeout: float = 60.0  # seconds for a whole response, so a trickling server is cut
    max_bytes: int = 10_000_000  # per response; feeds and article pages are far smaller
    max_redirects: int = 5
    retries: int = 2  # further attempts on 429, 5xx and connection errors
    backoff: float = 1.0  # seconds before the first retry, doubled for each further one
    max_retry_after: float = 120.0  # a longer Retry-After gives up instead of waiting
    host_interval: float = 1.0  # seconds between two requests to one host
    host_concurrency: int = 2  # requests under way at once to one host
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay is obeyed up to this many seconds
    concurrency: int = 16  # requests under way at once in all
    # feed content shorter than this is a teaser (for full_text): WordPress cuts excerpts at
    # 55 words, and a whole news article is rarely under 100
    teaser_words: int = 100
    # hosts on a private network (loopback, LAN, link-local...) that feeds and pages may come
    # from: names or addresses, each optionally with ":port". None by default: see README
    allow_private_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceSettings:
    name: str  # short id: lowercase letters, digits, dashes; used in article ids
    type: str  # one of SOURCE_TYPES
    path: str = ""  # a glob (text, html) or a file (jsonl, feeds), relative to feeds.yaml
    title: str = ""  # how the site names the publisher; defaults to the name
    priority: int = 0  # position in feeds.yaml: lower wins ties when choosing a canonical copy
    where: str = ""  # "feeds.yaml:12:5", for messages
    url: str = ""  # feeds and html: fetched over HTTP instead of read from ``path``
    site_url: str = ""  # the publisher's home page (OPML htmlUrl), for the sources page
    language: str = ""  # e.g. "en"; empty: the feed's own, else the site's
    include: tuple[str, ...] = ()  # keep only items naming one of these (case-insensitive)
    exclude: tuple[str, ...] = ()  # drop items naming any of these (case-insensitive)
    full_text: bool = False  # fetch the page of items whose feed content is a teaser
    # read files a glob matches through symlinks that lead out of the folder the glob names
    follow_symlinks: bool = False

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def location(self) -> str:
        """The URL or the path, as written in feeds.yaml."""
        return self.url or self.path


@dataclass(frozen=True)
class Config:
    path: Path
    site: SiteSettings = field(default_factory=SiteSettings)
    summary_sentences: int = 3
    topic_summary_sentences: int = 3
    cache: Path | None = None
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sources: tuple[SourceSettings, ...] = ()
    problems: tuple[Skipped, ...] = ()  # sources whose path matches no file

    @property
    def root(self) -> Path:
        return self.path.parent

    def files(self, source: SourceSettings) -> list[Path]:
        """The files a source names and that are read, sorted (see :meth:`matched`)."""
        return self.matched(source)[0]

    def matched(self, source: SourceSettings) -> tuple[list[Path], list[Path]]:
        """The files a source's path matches, sorted, each joined to feeds.yaml's folder as
        written (``../`` kept, symlinks not resolved): those to read, and those not read
        because the glob reached them through a symlink (to the file, or to a folder on the
        way) whose real path leaves the folder the glob names, unless the source says
        ``follow_symlinks``. A path written without wildcards names its file itself, and is
        read wherever it leads."""
        # matched relative to feeds.yaml's folder, so they come back as written
        found = sorted(self.root / p for p in glob.glob(source.path, root_dir=self.root,
                                                       recursive=True))
        files = [p for p in found if p.is_file()]
        folder = _glob_folder(source.path)
        if folder is None or source.follow_symlinks:
            return files, []
        real = os.path.realpath(self.root / folder)
        inside: list[Path] = []
        outside: list[Path] = []
        for path in files:
            (inside if _within(os.path.realpath(path), real) else outside).append(path)
        return inside, outside

    def shown(self, path: Path) -> str:
        """A path as the user wrote it: relative to feeds.yaml's folder when written so
        (``../`` kept), else as written; never resolved to where a symlink leads."""
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)


def _glob_folder(pattern: str) -> str | None:
    """The folder a glob names (its parts before the first wildcard); None for a pattern
    without wildcards, which names one file."""
    parts = pattern.replace(os.sep, "/").split("/")
    for i, part in enumerate(parts):
        if glob.has_magic(part):
            return "/".join(parts[:i]) or ("/" if pattern.startswith("/") else ".")
    return None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


# --- the schema -----------------------------------------------------------------

@dataclass(frozen=True)
class _Key:
    kind: type | tuple[type, ...]
    required: bool = False
    check: Callable[[Any], str | None] | None = None  # returns a problem, or None


def _at_least(low: float) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if v >= low else f"must be at least {low}"
    return check


def _keywords(v: Any) -> str | None:
    return None if v and all(isinstance(w, str) and w.strip() for w in v) else (
        "must be a non-empty list of non-empty strings")


def _positive(v: Any) -> str | None:
    return None if 1 <= v <= 50 else "must be between 1 and 50"


def _url(v: Any) -> str | None:
    return None if web_url(v) == v else f"must be an http(s) URL (got {v!r})"


def _file_path(v: Any) -> str | None:
    if not v.strip():
        return "must not be empty"
    return "must not hold control characters" if _CONTROL.search(v) else None


def _cache_path(v: Any) -> str | None:
    return None if v is None else _file_path(v)


def _host_list(v: Any) -> str | None:
    """Entries of ``fetch.allow_private_hosts``: ``host``, ``host:port``, ``[v6]:port``."""
    for entry in v:
        match = _HOST_ENTRY.match(entry.strip()) if isinstance(entry, str) else None
        if not match or (match["port"] and not 0 < int(match["port"]) < 65536):
            return (f"each entry must be a host name or address, optionally with :port,"
                    f" such as 192.168.1.20 or intranet.local:8080 (got {entry!r})")
    return None


def _name(v: Any) -> str | None:
    return None if _NAME.match(v) else "must be lowercase letters, digits and dashes"


def _source_type(v: Any) -> str | None:
    if v in SOURCE_TYPES:
        return None
    return f"must be one of {', '.join(SOURCE_TYPES)} (got {v!r})"


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


_SITE = {
    "title": _Key(str),
    "url": _Key(str, check=_url),
    "description": _Key(str),
    "language": _Key(str),
    "locale": _Key(str, check=_locale),
    "timezone": _Key(str, check=_timezone),
    "days": _Key(int, check=_positive),
}
_SUMMARY = {"sentences": _Key(int, check=_positive), "topic_sentences": _Key(int, check=_positive)}
_SOURCE = {
    "name": _Key(str, required=True, check=_name),
    "type": _Key(str, required=True, check=_source_type),
    "path": _Key(str, check=_file_path),
    "url": _Key(str, check=_url),
    "title": _Key(str),
    "site_url": _Key(str, check=_url),
    "language": _Key(str),
    "include": _Key(list),
    "exclude": _Key(list),
    "full_text": _Key(bool),
    "follow_symlinks": _Key(bool),
}
_FETCH = {
    "user_agent": _Key(str),
    "timeout": _Key((int, float), check=_at_least(0.1)),
    "total_timeout": _Key((int, float), check=_at_least(0.1)),
    "max_bytes": _Key(int, check=_at_least(1024)),
    "max_redirects": _Key(int, check=_at_least(0)),
    "retries": _Key(int, check=_at_least(0)),
    "backoff": _Key((int, float), check=_at_least(0)),
    "max_retry_after": _Key((int, float), check=_at_least(0)),
    "host_interval": _Key((int, float), check=_at_least(0)),
    "host_concurrency": _Key(int, check=_at_least(1)),
    "max_crawl_delay": _Key((int, float), check=_at_least(0)),
    "concurrency": _Key(int, check=_at_least(1)),
    "teaser_words": _Key(int, check=_at_least(0)),
    "allow_private_hosts": _Key(list),
}
_TOP = {"site": _Key(dict), "summary": _Key(dict),
        "cache": _Key((str, type(None)), check=_cache_path),
        "fetch": _Key(dict), "sources": _Key(list, required=True)}


_YAML_TAGS = "tag:yaml.org,2002:"  # the prefix of YAML's own tags, written "!!" in a file


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, composing nodes only (never objects), at most MAX_DEPTH deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.depth >= MAX_DEPTH:  # before Python's recursion limit, with a position
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep",
                self.peek_event().start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
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

    def mapping(self, node: yaml.Node, schema: dict[str, _Key], key: str) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, key or "(top level)", "must be a mapping of keys to values")
        out: dict[str, Any] = {}
        for k_node, v_node in node.value:
            if not isinstance(k_node, yaml.ScalarNode):
                raise self.fail(k_node, key or "(top level)", "keys must be plain names")
            name = k_node.value
            full = f"{key}.{name}" if key else name
            if name not in schema:
                known = ", ".join(schema)
                raise self.fail(k_node, full, f"unknown key (known keys: {known})")
            if name in out:
                raise self.fail(k_node, full, "appears twice")
            out[name] = (self.value(v_node, schema[name], full), v_node)
        for name, spec in schema.items():
            if spec.required and name not in out:
                full = f"{key}.{name}" if key else name
                raise self.fail(node, full, "is required")
        return out

    def value(self, node: yaml.Node, spec: _Key, key: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            value: Any = dict  # checked, then walked by the caller with its own schema
        elif isinstance(node, yaml.SequenceNode):
            value = list
        else:
            value = self.scalar(node, key)
        kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
        ok = value in kinds if isinstance(value, type) else (
            isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds))
        if not ok:
            want = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
            got = value.__name__ if isinstance(value, type) else type(value).__name__
            raise self.fail(node, key, f"must be {want} (got {got})")
        if spec.check and not isinstance(value, type):
            problem = spec.check(value)
            if problem:
                raise self.fail(node, key, problem)
        return node if isinstance(value, type) else value

    def scalar(self, node: yaml.Node, key: str) -> Any:
        """A scalar's value as YAML's safe loader reads it; a tag it cannot read (``!python/
        name:...``, ``!!binary`` on text, ``!!int abc``) is this key's problem."""
        if not isinstance(node, yaml.ScalarNode):
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
    top = r.mapping(root, _TOP, "")
    site = SiteSettings(**{k: v for k, (v, _) in r.mapping(top["site"][0], _SITE, "site").items()}
                        ) if "site" in top else SiteSettings()
    summary = r.mapping(top["summary"][0], _SUMMARY, "summary") if "summary" in top else {}
    fetch = _fetch(r, top["fetch"][0]) if "fetch" in top else FetchSettings()
    cache_value = top["cache"][0] if "cache" in top else ".digest-cache.sqlite"
    sources: list[SourceSettings] = []
    seen: dict[str, str] = {}
    for i, node in enumerate(top["sources"][0].value):
        key = f"sources[{i}]"
        fields = r.mapping(node, _SOURCE, key)
        name = fields["name"][0]
        if name in seen:
            raise r.fail(fields["name"][1], f"{key}.name",
                         f"{name!r} is already used by the source at {seen[name]}")
        seen[name] = r.where(node)
        sources.append(_source(r, node, fields, key, i))
    config = Config(
        path=path.resolve(),
        site=site,
        summary_sentences=summary.get("sentences", (3, None))[0],
        topic_summary_sentences=summary.get("topic_sentences", (3, None))[0],
        cache=(path.resolve().parent / cache_value) if cache_value else None,
        fetch=fetch,
        sources=tuple(sources),
    )
    return dataclasses.replace(config, problems=tuple(
        problem for s in config.sources if s.path for problem in _path_problems(config, s)))


def _path_problems(config: Config, source: SourceSettings) -> list[Skipped]:
    """A source path that matches no file; files it matches that are not read (symlinks out
    of the folder its glob names), each named as written, relative to feeds.yaml."""
    files, outside = config.matched(source)
    folder = _glob_folder(source.path)
    problems = [Skipped(config.shown(path), f"symlink to a file outside {folder}; set"
                        f" follow_symlinks: true on the source to read it") for path in outside]
    if not files and not outside:
        problems.append(Skipped(source.where, f"sources[{source.priority}].path:"
                                              f" {source.path!r} matches no file"))
    return problems


def _fetch(r: _Reader, node: yaml.Node) -> FetchSettings:
    """The ``fetch:`` mapping, with its list of private hosts checked entry by entry."""
    fields = r.mapping(node, _FETCH, "fetch")
    values = {k: v for k, (v, _) in fields.items()}
    if "allow_private_hosts" in fields:
        seq = fields["allow_private_hosts"][1]
        hosts = []
        for i, item in enumerate(seq.value):
            value = r.scalar(item, f"fetch.allow_private_hosts[{i}]")
            problem = _host_list([value])
            if problem:
                raise r.fail(item, f"fetch.allow_private_hosts[{i}]", problem)
            hosts.append(str(value).strip())
        values["allow_private_hosts"] = tuple(hosts)
    return FetchSettings(**values)


def _source(r: _Reader, node: yaml.Node, fields: dict[str, Any], key: str,
            i: int) -> SourceSettings:
    """One ``sources[i]`` entry, with the checks that span several of its keys."""
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
    words: dict[str, tuple[str, ...]] = {}
    for name in ("include", "exclude"):
        if name in fields:
            seq = fields[name][0]
            values = [r.scalar(n, f"{key}.{name}[{j}]") for j, n in enumerate(seq.value)]
            problem = _keywords(values)
            if problem:
                raise r.fail(seq, f"{key}.{name}", problem)
            words[name] = tuple(v.strip() for v in values)

    def get(name: str, default: Any) -> Any:
        return fields[name][0] if name in fields else default

    location = fields["path" if "path" in fields else "url"][1]
    return SourceSettings(
        name=fields["name"][0], type=kind, path=get("path", ""), url=get("url", ""),
        title=get("title", ""), site_url=get("site_url", ""), language=get("language", ""),
        include=words.get("include", ()), exclude=words.get("exclude", ()),
        full_text=get("full_text", False), follow_symlinks=get("follow_symlinks", False),
        priority=i, where=r.where(location))
