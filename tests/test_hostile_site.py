"""Hostile inputs against the site and operator mistakes: script URLs published nowhere, a tag
named "index", symlinks out of a source folder, server paths in the public report, and OPML
imports that one bad title cannot spoil (issue 14, items 9 to 12)."""

from __future__ import annotations

import html
import json
import os
import re
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_build_safety import EPOCH, STORIES

from digest.cli import main
from digest.config import Config, ConfigError, SiteSettings, SourceSettings, load_config
from digest.fetch.opml import clean_title, opml_document, read_subscriptions
from digest.files import matched_files, path_problems, shown_path, source_files
from digest.sources import read_sources
from digest.urls import web_url

# every disguise of a script or data URL a feed or a JSON line can carry; each names a marker
# ("hostile-N") that must not reach any file of the site, in any form
HOSTILE_URLS = [
    "javascript:alert('hostile-1')",
    " JaVaScRiPt:alert('hostile-2')",
    "data:text/html,<script>alert('hostile-3')</script>",
    "vbscript:msgbox('hostile-4')",
    "java\tscript:alert('hostile-5')",
    "\x01javascript:alert('hostile-6')",
    "DATA:text/html;base64,aG9zdGlsZS03",  # base64 of "hostile-7"
]
_SCHEMES = re.compile(r"(?i)\b(java\s*script|vb\s*script|data)\s*:")
_MARKERS = re.compile(r"hostile-\d|aG9zdGlsZS03")
GOOD_URL = "https://news.example.org/quay/board-orders-survey"
# bodies with nothing in common, so that no two of these inputs are merged as copies
WIRE = [
    ["Lifeboat volunteers rehearsed a cliff rescue below the lighthouse at dawn.",
     "Two climbers played the casualties and were winched to the top in forty minutes."],
    ["The ferry timetable for spring adds an early crossing on weekdays from April.",
     "Commuters had petitioned the operator for a sailing before seven o'clock."],
    ["Bakers in the old market hall will open on Sundays through the summer months.",
     "Stallholders voted narrowly for the change after a long and lively meeting."],
    ["A storm drain under Mill Lane collapsed overnight, closing the road to traffic.",
     "Engineers expect repairs to take a fortnight while a diversion is signposted."],
    ["Schoolchildren planted four hundred oak saplings along the river embankment.",
     "The trees replace an avenue of elms lost to disease in the nineteen seventies."],
    ["The town band celebrated its centenary with a concert on the promenade.",
     "Former members travelled from as far away as Canada to play one last march."],
    ["Allotment holders reported a record crop of pumpkins after the wet summer.",
     "The heaviest weighed ninety kilograms and needed a wheelbarrow to move."],
]
SECRET = ["Wage offers for the negotiators are set out in the annex of this memo.",
          "Do not circulate beyond the finance committee until the board has met."]
DRAFT = ["This draft about the lighthouse keeper's pension is not ready to publish.",
         "Figures in the second section still need checking against the ledger."]


@pytest.mark.parametrize("url", [*HOSTILE_URLS, "java\nscript:alert(1)", "&#106;avascript:x",
                                 "javascript&#58;alert(1)", "https:no-host", "//x.org/a",
                                 "/relative/path", "ftp://x.org/f", "http://[::1", "", "https://",
                                 "https://x.org/a\x85b", "https://x.org/\u2028javascript:x"])
def test_url_policy_refuses_everything_but_http_urls_naming_a_host(url: str) -> None:
    assert web_url(url) is None


@pytest.mark.parametrize(("url", "kept"), [
    (GOOD_URL, GOOD_URL), ("HTTP://X.ORG/A", "HTTP://X.ORG/A"),
    ("  https://x.org/a b\n", "https://x.org/a b"), ("http://[::1]:8080/p", "http://[::1]:8080/p")])
def test_url_policy_keeps_http_urls_as_written(url: str, kept: str) -> None:
    assert web_url(url) == kept


def as_a_browser_reads(url: str) -> str:
    """The URL a browser follows (WHATWG URL parsing): C0 controls and spaces stripped from
    the ends, tabs and newlines removed everywhere."""
    return re.sub("[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))


@given(st.lists(st.sampled_from(["", " ", "\t", "\n", "\x00", "\x85", "\u2028", "java", "JaVa",
                                 "script", "data", "http", "HTTPS", "s", ":", "//", "/", "x.org",
                                 "&#58;", "&colon;", "%3A", "@", "[", "]"]), max_size=12))
def test_any_url_the_policy_keeps_is_http_to_a_browser_too(pieces: list[str]) -> None:
    url = web_url("".join(pieces))
    if url is not None:
        assert as_a_browser_reads(url).lower().startswith(("http://", "https://"))
        assert url == as_a_browser_reads(url) and urlsplit(url).hostname


# --- one real build over hostile inputs ----------------------------------------------------

def page(date: str, title: str, story: int | list[str]) -> str:
    body = STORIES[story] if isinstance(story, int) else story
    return "\n".join([f"date {date} {title}", *body]) + "\n"


def rss_item(title: str, link: str, story: int, day: int) -> str:
    link = html.escape(link).replace("\t", "&#x09;")
    body = " ".join(STORIES[story])
    return (f"<item><title>{title}</title><link>{link}</link><guid>item-{day}</guid>"
            f"<pubDate>{day:02d} Mar 2026 09:00:00 +0000</pubDate>"
            f"<description>{html.escape(body)}</description></item>")


def hostile_project(tmp_path: Path) -> Path:
    """A project whose inputs carry script URLs, share the tag "Index", and reach outside their
    folders through symlinks and ``../``."""
    project = tmp_path / "project"
    pages = project / "pages"
    (pages / "store").mkdir(parents=True)
    outside = tmp_path / "outside"  # beside the project: never named in feeds.yaml
    outside.mkdir()
    (outside / "secret.txt").write_text(page("2026-03-09", "Private memo about wages", SECRET),
                                        "utf-8")
    (project / "private").mkdir()
    (project / "private" / "draft.txt").write_text(page("2026-03-09", "Unpublished draft",
                                                        DRAFT), "utf-8")
    (pages / "board.txt").write_text(page("2026-03-10", "Traders watch the Index", 2), "utf-8")
    (pages / "store" / "quay.txt").write_text(
        page("2026-03-11", "Quay survey lifts the Index", 3), "utf-8")
    (pages / "quay.txt").symlink_to(Path("store") / "quay.txt")  # within the folder: read
    (pages / "leak.txt").symlink_to(outside / "secret.txt")  # out of the project
    (pages / "draft.txt").symlink_to(Path("..") / "private" / "draft.txt")  # out of pages/
    elsewhere = tmp_path / "elsewhere"  # named in feeds.yaml with ../: the user's choice
    elsewhere.mkdir()
    (elsewhere / "divers.txt").write_text(page("2026-03-12", "Divers inspect quay wall", 4),
                                          "utf-8")
    (elsewhere / "empty.txt").write_bytes(b"")  # skipped: its origin is shown in the report
    linked = project / "linked"
    linked.mkdir()
    (outside / "undated.txt").write_text("Fishermen bid to lease the quay\n"
                                         + "\n".join(STORIES[6]) + "\n", "utf-8")
    (linked / "undated.txt").symlink_to(outside / "undated.txt")  # follow_symlinks: true

    items = [rss_item("Board orders survey of grain quay", url, 1, 10 + i)
             for i, url in enumerate(HOSTILE_URLS[:5])]
    items.append(rss_item("Harbour board orders a survey", GOOD_URL, 5, 9))
    (project / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Courier'
        "</title><link>https://courier.example.org/</link>" + "".join(items)
        + "</channel></rss>", "utf-8")
    # the wire repeats the feed's first story (a copy with its own script URL) and has its own
    records = [{"id": f"w{i}", "title": f"Wire story {i}", "date": f"2026-03-0{1 + i}",
                "url": url, "body": WIRE[i]} for i, url in enumerate(HOSTILE_URLS)]
    records.append({"id": "copy", "title": "Board orders survey of grain quay",
                    "date": "2026-03-10", "url": HOSTILE_URLS[0], "body": STORIES[1]})
    (project / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    (project / "feeds.yaml").write_text(
        "site: {title: Quay News, url: 'https://digest.example.org/'}\n"
        "sources:\n"
        "  - {name: courier, type: rss, path: feed.xml}\n"
        "  - {name: wire, type: jsonl, path: wire.jsonl}\n"
        "  - {name: pages, type: text, path: pages/*.txt}\n"
        "  - {name: away, type: text, path: ../elsewhere/*.txt}\n"
        "  - {name: linked, type: text, path: linked/*.txt, follow_symlinks: true}\n", "utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", "utf-8")
    (project / "docs").mkdir()
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile project built once with ``digest build``; returns the project folder."""
    project = hostile_project(tmp_path_factory.mktemp("hostile"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run([sys.executable, "-m", "digest", "build"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr  # built, with skipped inputs
    return project


def site_files(site: Path) -> dict[Path, str]:
    return {p: p.read_bytes().decode("utf-8", "replace") for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


def test_no_file_of_the_site_publishes_a_script_or_data_url(built: Path) -> None:
    files = site_files(built / "site")
    for path, text in files.items():
        assert not _MARKERS.search(text), path
        # the theme's and Pagefind's own scripts name these schemes in their code; every
        # page, feed, OPML, sitemap and search list we write must not, even entity-encoded
        parts = path.relative_to(built / "site").parts
        if "assets" not in parts and not (parts[0] == "pagefind" and path.suffix == ".js"):
            assert not _SCHEMES.search(html.unescape(text)), (path, _SCHEMES.search(
                html.unescape(text)))
    feed = json.loads(files[built / "site" / "feed.json"])
    assert [i["external_url"] for i in feed["items"] if "external_url" in i] == [GOOD_URL]
    good = next(p for p in files if "harbour-board-orders-a-survey" in str(p))
    assert f'href="{GOOD_URL}"' in files[good]  # a normal link is still published
    assert "Original article" not in files[built / "site" / "articles" / "2026-03-01"
                                           / "wire-story-0" / "index.html"]


def test_a_tag_named_index_leaves_the_tag_index_in_place(built: Path) -> None:
    site = built / "site"
    index = (site / "tags" / "index.html").read_text("utf-8")
    assert "<h1" in index and ">Tags</h1>" in index  # still the index of all tags
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', index.split(">Tags</h1>")[1])
    assert ("index-tag/", "Index") in links
    tag_page = (site / "tags" / "index-tag" / "index.html").read_text("utf-8")
    assert ">Index</h1>" in tag_page and "Traders watch the Index" in tag_page
    atom = ET.parse(site / "atom.xml").getroot()
    terms = {c.get("term") for c in atom.iter("{http://www.w3.org/2005/Atom}category")}
    assert "index-tag" in terms and "index" not in terms


def test_symlinks_out_of_a_source_folder_are_skipped_and_reported(built: Path) -> None:
    report = json.loads((built / "build-report.json").read_text("utf-8"))
    skipped = {s["origin"]: s["reason"] for s in report["skipped"]}
    for origin, folder in (("pages/leak.txt", "pages"), ("pages/draft.txt", "pages")):
        assert skipped[origin] == (f"symlink to a file outside {folder}; set follow_symlinks:"
                                   " true on the source to read it")
    articles = {p.parent.name for p in (built / "site" / "articles").rglob("index.html")}
    assert "private-memo-about-wages" not in articles and "unpublished-draft" not in articles
    # a symlink within the folder, a ../ path written in feeds.yaml, and a source that
    # follows symlinks are read
    assert {"quay-survey-lifts-the-index", "divers-inspect-quay-wall",
            "fishermen-bid-to-lease-the-quay"} <= articles
    assert not any("secret" in o or "undated" in o for o in skipped)


def test_only_globs_are_held_to_their_folder(tmp_path: Path) -> None:
    """A symlinked folder a ``**`` glob walks into is refused like a symlinked file; a file
    named without wildcards, and a folder named by an absolute path, are the user's choice."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / "pages" / "deep").mkdir(parents=True)
    (outside / "sub").mkdir(parents=True)
    (outside / "sub" / "x.txt").write_text("x", "utf-8")
    (outside / "notes.txt").write_text("n", "utf-8")
    (project / "pages" / "deep" / "ok.txt").write_text("ok", "utf-8")
    (project / "pages" / "linked").symlink_to(outside / "sub")
    (project / "notes.txt").symlink_to(outside / "notes.txt")
    (project / "feeds.yaml").write_text(
        "sources:\n  - {name: a, type: text, path: 'pages/**/*.txt'}\n"
        "  - {name: b, type: text, path: notes.txt}\n"
        f"  - {{name: c, type: text, path: '{outside}/*/*.txt'}}\n", "utf-8")
    config = load_config(project / "feeds.yaml")
    a, b, c = config.sources
    root = config.root
    assert matched_files(root, a) == ([root / "pages/deep/ok.txt"],
                                      [root / "pages/linked/x.txt"])
    assert source_files(root, b) == [root / "notes.txt"]
    assert source_files(root, c) == [outside / "sub" / "x.txt"]
    assert [(p.origin, p.reason.split(";")[0]) for p in path_problems(root, config.sources)] == [
        ("pages/linked/x.txt", "symlink to a file outside pages")]
    assert shown_path(root, root / ".." / "outside" / "notes.txt") == "../outside/notes.txt"
    assert shown_path(root, outside / "sub" / "x.txt") == f"{outside}/sub/x.txt"  # as written


def test_the_public_report_shows_paths_relative_to_the_project(built: Path) -> None:
    report = json.loads((built / "build-report.json").read_text("utf-8"))
    origins = {s["origin"] for s in (*report["skipped"], *report["notices"])}
    assert {"../elsewhere/empty.txt", "linked/undated.txt", "pages/leak.txt"} <= origins
    prefixes = {str(built.parent), str(built.parent.resolve())}
    shown = [*site_files(built / "site").items(),
             (built / "build-report.json", (built / "build-report.json").read_text("utf-8"))]
    for path, text in shown:
        assert not any(p in text for p in prefixes), path
    report_page = (built / "site" / "report" / "index.html").read_text("utf-8")
    assert "../elsewhere/empty.txt" in report_page and "linked/undated.txt" in report_page


def test_feed_items_are_never_named_by_a_script_url(tmp_path: Path) -> None:
    """An item's link names it in the build report (when it is undated, refused...) only if
    it is an http(s) URL; otherwise the feed file and the item's id do."""
    items = "".join(rss_item(f"Story {i}", url, i + 1, i + 1).replace(
        f"<pubDate>{i + 1:02d} Mar 2026 09:00:00 +0000</pubDate>", "")  # undated: a notice
        for i, url in enumerate([HOSTILE_URLS[0], HOSTILE_URLS[2], GOOD_URL]))
    (tmp_path / "feed.xml").write_text(f'<rss version="2.0"><channel><title>C</title>{items}'
                                       "</channel></rss>", "utf-8")
    (tmp_path / "feeds.yaml").write_text("sources: [{name: c, type: rss, path: feed.xml}]\n",
                                         "utf-8")
    docs, skipped, _ = read_sources(load_config(tmp_path / "feeds.yaml"))
    assert skipped == []
    assert sorted(d.origin for d in docs) == ["feed.xml#item-1", "feed.xml#item-2", GOOD_URL]


@pytest.mark.parametrize(("text", "key"), [
    (f"site: {{url: {json.dumps(HOSTILE_URLS[1])}}}\nsources: []\n", "site.url"),
    ("sources: [{name: a, type: rss, url: 'https://x.org/f', site_url: 'javascript:x()'}]\n",
     "sources[0].site_url"),
    ('sources: [{name: a, type: rss, url: "java\\tscript:x()"}]\n', "sources[0].url"),
    ('sources: [{name: a, type: rss, url: " https://x.org/f"}]\n', "sources[0].url")])
def test_feeds_yaml_refuses_script_urls_where_it_takes_a_url(tmp_path: Path, text: str,
                                                             key: str) -> None:
    (tmp_path / "feeds.yaml").write_text(text, "utf-8")
    with pytest.raises(ConfigError, match=re.escape(key) + ": must be an http"):
        load_config(tmp_path / "feeds.yaml")


def test_opml_export_leaves_out_urls_the_policy_refuses() -> None:
    config = Config(path=Path("/x/feeds.yaml"), site=SiteSettings(title="T"), sources=(
        SourceSettings("a", "rss", url=HOSTILE_URLS[0]),
        SourceSettings("b", "rss", url="https://b.example/feed", site_url=HOSTILE_URLS[2])))
    outlines = list(ET.fromstring(opml_document(config)).iter("outline"))
    assert [o.attrib for o in outlines] == [
        {"type": "rss", "text": "b", "title": "b", "xmlUrl": "https://b.example/feed"}]


# --- digest import-opml ------------------------------------------------------------------

FEEDS = "# my feeds\nsources:\n  - name: local\n    type: text\n    path: pages/*.txt\n"


def opml(*outlines: tuple[str, str, str]) -> bytes:
    """An OPML document of (title, xmlUrl, htmlUrl) outlines; attribute values are written
    with character references, so any character XML allows can be in them."""
    def attr(value: str) -> str:
        return "".join(c if c.isalnum() or c in " :/.-_" else f"&#{ord(c)};" for c in value)
    body = "".join(f'<outline type="rss" text="{attr(t)}" xmlUrl="{attr(x)}"'
                   + (f' htmlUrl="{attr(h)}"' if h else "") + "/>" for t, x, h in outlines)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'.encode()


def import_into(tmp_path: Path, data: bytes, *args: str) -> tuple[int, str, str]:
    (tmp_path / "pages").mkdir(exist_ok=True)
    (tmp_path / "pages" / "a.txt").write_text(page("2026-03-10", "Quay news", 1), "utf-8")
    (tmp_path / "subs.opml").write_bytes(data)
    result = CliRunner().invoke(main, ["import-opml", str(tmp_path / "subs.opml"), "--config",
                                       str(tmp_path / "feeds.yaml"), *args])
    return result.exit_code, result.stdout, result.stderr


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".feeds.yaml.import-")
                  or p.suffix == ".tmp" or re.fullmatch(r"tmp\w+\.yaml", p.name))


def test_control_characters_in_one_title_do_not_stop_the_import(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS, "utf-8")
    data = opml(("Harbour\x85Courier", "https://a.example/rss", ""),
                ("Valley\x7f Echo\x9b", "https://b.example/rss", "javascript:alert(1)"),
                ("Tabbed\tand\nbroken", "https://c.example/rss", "https://c.example/"),
                ("Script feed", "javascript:alert(2)", ""),
                ("Plain", "https://d.example/rss", ""))
    code, _, err = import_into(tmp_path, data)
    assert code == 0, err
    config = load_config(feeds)
    titles = {s.url: s.title for s in config.sources if s.url}
    assert titles == {"https://a.example/rss": "HarbourCourier",
                      "https://b.example/rss": "Valley Echo",
                      "https://c.example/rss": "Tabbed and broken",
                      "https://d.example/rss": "Plain"}
    assert "https://a.example/rss: removed 1 control character from the title" in err
    assert "https://b.example/rss: removed 2 control characters from the title" in err
    assert "https://b.example/rss: dropped its htmlUrl 'javascript:alert(1)'" in err
    assert "skipped 'javascript:alert(2)': not an http(s) URL" in err
    assert "added 4 feeds" in err
    assert not any(s.site_url.startswith("javascript") for s in config.sources)
    assert "c.example" not in err  # tabs and newlines are spaces in XML: nothing to say


def test_clean_title_drops_c0_c1_and_del_and_collapses_spaces() -> None:
    assert clean_title("\x00A\x1b[31m\x7fB\x80\x85\x9f  C\t\nD ") == ("A[31mB C D", 6)
    assert clean_title("Київ — Вісник") == ("Київ — Вісник", 0)
    found = read_subscriptions(opml(("x\x85y", "https://x.org/f", "")))
    assert found.feeds[0].title == "xy" and found.feeds[0].notes


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664], ids=oct)
def test_the_new_feeds_yaml_keeps_the_old_mode_and_leaves_no_temporary_file(
        tmp_path: Path, mode: int) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS, "utf-8")
    feeds.chmod(mode)
    code, _, err = import_into(tmp_path, opml(("A", "https://a.example/rss", "")))
    assert code == 0, err
    assert "https://a.example/rss" in feeds.read_text("utf-8")
    assert stat.S_IMODE(feeds.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


def test_import_through_a_symlinked_feeds_yaml_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(FEEDS, "utf-8")
    (tmp_path / "feeds.yaml").symlink_to(real.name)
    code, _, err = import_into(tmp_path, opml(("A", "https://a.example/rss", "")))
    assert code == 0, err
    assert (tmp_path / "feeds.yaml").is_symlink() and "a.example" in real.read_text("utf-8")


def test_ctrl_c_during_an_import_leaves_no_temporary_file(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS, "utf-8")
    seen: list[str] = []

    def interrupted(path: Path) -> None:
        seen.append(Path(path).name)
        raise KeyboardInterrupt

    monkeypatch.setattr("digest.config.load_config", interrupted)
    code, _, _ = import_into(tmp_path, opml(("A", "https://a.example/rss", "")))
    assert code != 0 and seen and seen[0].startswith(".feeds.yaml.import-")
    assert feeds.read_text("utf-8") == FEEDS
    assert leftovers(tmp_path) == []


def test_a_killed_import_leaves_a_file_the_next_import_removes(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(FEEDS, "utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "subs.opml").write_bytes(opml(("A", "https://a.example/rss", "")))
    # an import stopped by SIGKILL while its temporary file exists: it cannot clean up
    stopper = ("import os, sys, digest.config\n"
               "def killed(path):\n"
               "    print(path, flush=True)\n"
               "    os.kill(os.getpid(), 9)\n"
               "digest.config.load_config = killed\n"
               "from digest.cli import main\n"
               "main(['import-opml', sys.argv[1], '--config', sys.argv[2]])\n")
    killed = subprocess.run([sys.executable, "-c", stopper, str(tmp_path / "subs.opml"),
                             str(feeds)], capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9
    left = Path(killed.stdout.strip())
    assert left.is_file() and left.name.startswith(".feeds.yaml.import-")
    assert left.name.endswith(".tmp") and left.parent == tmp_path.resolve()
    assert feeds.read_text("utf-8") == FEEDS
    code, _, err = import_into(tmp_path, opml(("B", "https://b.example/rss", "")))
    assert code == 0, err
    assert leftovers(tmp_path) == []
    assert "https://b.example/rss" in feeds.read_text("utf-8")
