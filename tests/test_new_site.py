"""``digest new``: a project of one's own in one command, which builds before it has a source
(issue 21); and a digest with no sources, or no articles, says so on its pages."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_site_pages import config

from digest.cli import main
from digest.config import FEED_TYPES, SOURCE_TYPES, URL_TYPES, load_config
from digest.new_site import STARTER_FILES, starter_file
from digest.records import Digest
from digest.site import render_site
from digest.site.labels import CATALOG

STARTER = Path(__file__).resolve().parents[1] / "digest" / "starter"
# a commented line of YAML: "# key: value", "#   key: value", "# - key: value"
COMMENTED = re.compile(r"^(?P<indent>\s*)# (?P<yaml>\s*(?:- )?[a-z_]+:(?:\s.*)?)$")
NETWORK = "(network)"  # how feeds.yaml marks an example that is fetched over the web


def new(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", str(folder), *args])
    return result.exit_code, result.output


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digest", "build", *args], cwd=project,
                          capture_output=True, text=True, timeout=300)


def page_text(html_file: Path) -> str:
    """The words of a built page's content (the theme's header and navigation left out),
    tags and spacing dropped."""
    html = html_file.read_text("utf-8")
    content = html.split('<article class="md-content__inner', 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", content).split())


def plain(label: str) -> str:
    """A catalog sentence as a reader sees it: Markdown code marks dropped."""
    return label.replace("`", "")


# --- the starter files --------------------------------------------------------------------

def test_new_writes_every_starter_file_and_says_what_next(tmp_path: Path) -> None:
    folder = tmp_path / "my digest" / "here"  # made, parents and all
    code, output = new(folder)
    assert code == 0, output
    for source, target in STARTER_FILES:
        assert (folder / target).read_bytes() == starter_file(source).read_bytes(), target
        assert f"wrote {folder / target}" in output
    assert (folder / ".gitignore").is_file()
    assert (folder / ".github" / "workflows" / "digest.yml").is_file()
    assert f"cd '{folder}'" in output  # quoted: the name has a space
    for step in ("feeds.yaml", "digest import-opml", "digest serve", "digest build"):
        assert step in output


def test_every_file_of_the_starter_folder_is_written() -> None:
    packaged = {p.relative_to(STARTER).as_posix() for p in STARTER.rglob("*") if p.is_file()}
    assert packaged == {source for source, _ in STARTER_FILES}
    assert not any(name.startswith(".") for name in packaged)  # dotfiles are mapped


@pytest.mark.parametrize("present", ["notes.txt", ".git/HEAD"])
def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path, present: str) -> None:
    (tmp_path / present).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / present).write_text("mine\n", encoding="utf-8")
    code, output = new(tmp_path)
    assert code == 1
    assert output.strip().splitlines() == [f"Error: {tmp_path} is not empty (--force adds"
                                           " only the starter files it lacks)"]
    assert not (tmp_path / "feeds.yaml").exists()


def test_new_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    code, output = new(tmp_path / "taken")
    assert code == 1 and "is a file, not a folder" in output


def test_force_writes_only_what_is_missing_and_names_what_it_left(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text("sources: []\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "about.md").write_text("# Mine\n", encoding="utf-8")
    code, output = new(tmp_path, "--force")
    assert code == 0, output
    assert (tmp_path / "feeds.yaml").read_text("utf-8") == "sources: []\n"
    assert (tmp_path / "docs" / "about.md").read_text("utf-8") == "# Mine\n"
    assert "left alone (already there): feeds.yaml, docs/about.md" in output
    assert (tmp_path / "mkdocs.yml").is_file() and (tmp_path / ".gitignore").is_file()
    assert f"wrote {tmp_path / 'feeds.yaml'}" not in output


def test_the_mkdocs_yml_is_the_minimal_one() -> None:
    import yaml

    written = yaml.safe_load(starter_file("mkdocs.yml").read_text("utf-8"))
    assert written == {"site_name": "My digest", "theme": {"name": "material"},
                       "plugins": ["search", "digest"]}


def test_the_gitignore_covers_what_a_build_writes() -> None:
    lines = {line for line in starter_file("gitignore").read_text("utf-8").splitlines()
             if line and not line.startswith("#")}
    assert lines >= {"/site/", "/.digest-preview/", "/.digest-cache.sqlite*",
                     "/build-report.json", "/.site.*", "*.lock"}


def test_the_workflow_installs_the_package_and_publishes_daily() -> None:
    import yaml

    text = starter_file("workflow-digest.yml").read_text("utf-8")
    flow = yaml.safe_load(text)
    triggers = flow[True]  # YAML 1.1 reads the key "on" as true
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    steps = flow["jobs"]["build"]["steps"]
    runs = "\n".join(str(step.get("run", "")) for step in steps)
    uses = [step.get("uses", "") for step in steps + flow["jobs"]["deploy"]["steps"]]
    assert "pip install newsdigest" in runs and "install ." not in runs
    assert "digest build || [ $? -eq 3 ]" in runs
    assert any(u.startswith("actions/cache@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "git URL" in text  # the install step says another way to name the package


# --- the commented examples of feeds.yaml --------------------------------------------------

@dataclass(frozen=True)
class Example:
    description: str  # the comment line above it
    commented: tuple[str, ...]  # its lines as feeds.yaml holds them
    lines: tuple[str, ...]  # uncommented, at the list's indentation

    @property
    def yaml(self) -> str:
        return "\n".join(self.lines) + "\n"


def examples(text: str) -> list[Example]:
    """The commented entries under ``sources:``, each with the comment that says what it is."""
    found: list[Example] = []
    lines = text.split("sources:\n", 1)[1].splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("  # - "):
            continue
        body = [line]
        for nxt in lines[i + 1:]:
            if not nxt.startswith("  #   "):
                break
            body.append(nxt)
        description = next(p for p in reversed(lines[:i]) if p.strip())
        found.append(Example(description.strip(), tuple(body),
                             tuple(uncomment(b) for b in body)))
    return found


def uncomment(line: str) -> str:
    match = COMMENTED.match(line)
    assert match, line
    return match["indent"] + match["yaml"]


def uncommented(text: str) -> str:
    """``text`` with every commented line of YAML made live."""
    return "\n".join(uncomment(line) if COMMENTED.match(line) else line
                     for line in text.splitlines()) + "\n"


STARTER_FEEDS = starter_file("feeds.yaml").read_text("utf-8")


def test_the_starter_feeds_yaml_has_no_sources_yet(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(STARTER_FEEDS, encoding="utf-8")
    loaded = load_config(path)
    assert loaded.sources == ()
    assert loaded.site.title == "My digest" and loaded.site.language == "en"


def test_there_is_an_example_of_every_kind_of_source_each_valid(tmp_path: Path) -> None:
    found = examples(STARTER_FEEDS)
    kinds = set()
    for example in found:
        path = tmp_path / "feeds.yaml"
        path.write_text(f"sources:\n{example.yaml}", encoding="utf-8")
        [source] = load_config(path).sources  # one entry, valid on its own
        kinds.add((source.type, "url" if source.url else "path"))
        assert example.description.startswith("# ") and len(example.description) < 100
        assert (NETWORK in example.description) == bool(source.url), example.description
    assert {kind for kind, _ in kinds} == set(SOURCE_TYPES)
    assert {(kind, "url") for kind in URL_TYPES} <= kinds
    assert any(kind in FEED_TYPES and how == "path" for kind, how in kinds)
    assert ("html", "path") in kinds


def test_everything_commented_in_feeds_yaml_is_valid_at_once(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(uncommented(STARTER_FEEDS), encoding="utf-8")
    loaded = load_config(path)
    assert len(loaded.sources) == len(examples(STARTER_FEEDS))
    assert loaded.site.url and loaded.site.url.startswith("https://example.org/")
    assert loaded.site.locale and loaded.summary_sentences == 3
    hosts = {re.sub(r"^https://([^/]+)/.*$", r"\1", s.url) for s in loaded.sources if s.url}
    assert all(h.endswith((".example.org", ".example.com")) or h in ("example.org",
               "example.com") for h in hosts), hosts


def test_an_opml_import_lands_in_the_starter_sources_list(tmp_path: Path) -> None:
    from digest.fetch.opml import OpmlFeed, add_feeds

    text, added, _ = add_feeds(STARTER_FEEDS, [OpmlFeed("https://lake.example.org/rss",
                                                        "Lakeside Post")])
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    assert [s.name for s in load_config(path).sources] == added == ["lakeside-post"]
    assert len(examples(text)) == len(examples(STARTER_FEEDS))  # the examples stay


# --- pages of a digest without sources, or without articles --------------------------------

def test_pages_say_there_are_no_sources_or_no_articles_and_feeds_stay_valid() -> None:
    from digest.config import SourceSettings

    empty = Digest((), (), built="2026-03-05T00:00:00+00:00")
    none = render_site(empty, config(), "https://t.example/")
    assert CATALOG["no_sources"]["en"] in none.pages["index.md"]
    assert CATALOG["no_articles"]["en"] not in none.pages["index.md"]
    assert CATALOG["no_sources"]["en"] in none.pages["sources.md"]
    assert "| --- |" not in none.pages["sources.md"]  # no table without a row
    assert CATALOG["no_topics"]["en"] in none.pages["topics/index.md"]
    assert none.search == []
    for name, content in none.files.items():
        if name.endswith(".xml"):
            ET.fromstring(content)
        elif name.endswith(".json"):
            assert json.loads(content)["items"] == []
    source = SourceSettings(name="quiet", type="rss", url="https://quiet.example.org/rss")
    with_source = dataclasses.replace(config(), sources=(source,))
    some = render_site(empty, with_source, "https://t.example/")
    assert CATALOG["no_articles"]["en"] in some.pages["index.md"]
    assert CATALOG["no_sources"]["en"] not in some.pages["index.md"]


# --- building the new project ---------------------------------------------------------------

RSS = """\
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Parish Bulletin</title>
  <link>https://bulletin.example.org/</link>
  <description>News from a fictional parish</description>
  <language>en</language>
  <item>
    <title>Village hall roof repaired before the winter fair</title>
    <link>https://bulletin.example.org/2026/03/hall-roof</link>
    <guid>https://bulletin.example.org/2026/03/hall-roof</guid>
    <pubDate>Wed, 04 Mar 2026 07:15:00 GMT</pubDate>
    <description>Volunteers finished mending the village hall roof on Monday, two weeks
    ahead of the winter fair. The parish council paid for the slates from its repair fund.
    The fair committee said stalls can now be booked for the main hall again.</description>
  </item>
  <item>
    <title>New timetable for the valley bus starts in April</title>
    <link>https://bulletin.example.org/2026/03/valley-bus</link>
    <guid>https://bulletin.example.org/2026/03/valley-bus</guid>
    <pubDate>Wed, 04 Mar 2026 08:30:00 GMT</pubDate>
    <description>The valley bus will run every forty minutes from the first of April,
    the operator announced. Evening services on Fridays will return after a year away.
    Riders asked for the change at two public meetings last autumn.</description>
  </item>
</channel>
</rss>
"""


def test_a_new_project_builds_then_shows_the_articles_of_a_source_added(
        tmp_path: Path) -> None:
    project = tmp_path / "digest"
    assert new(project)[0] == 0
    first = build(project, "--strict")  # --strict: any MkDocs warning fails the build
    assert first.returncode == 0, first.stderr
    front = page_text(project / "site" / "index.html")
    assert plain(CATALOG["no_sources"]["en"]) in front
    # the footer names no sources it does not have: "Built <time>.", not "Built <time> from."
    html = (project / "site" / "index.html").read_text("utf-8")
    footer = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("digest-footer"):]).split())
    assert re.match(r'digest-footer">\s*Built [^.]*\. Follow:', footer), footer[:200]
    assert " from." not in footer[:200]
    assert (project / "site" / "about" / "index.html").is_file()
    # the saved-feed example, uncommented, and its file
    feeds = project / "feeds.yaml"
    [saved] = [e for e in examples(feeds.read_text("utf-8")) if "path: feeds/" in e.yaml]
    text = feeds.read_text("utf-8")
    feeds.write_text(text.replace("\n".join(saved.commented), "\n".join(saved.lines)),
                     encoding="utf-8")
    assert len(load_config(feeds).sources) == 1
    path = next(line.split("path: ")[1] for line in saved.lines if "path: " in line)
    (project / path).parent.mkdir(parents=True)
    (project / path).write_text(RSS, encoding="utf-8")
    second = build(project, "--strict")
    assert second.returncode == 0, second.stderr
    front = page_text(project / "site" / "index.html")
    assert plain(CATALOG["no_sources"]["en"]) not in front
    assert "Village hall roof repaired before the winter fair" in front
    assert "New timetable for the valley bus starts in April" in front
    assert "Parish Bulletin" in page_text(project / "site" / "sources" / "index.html")
