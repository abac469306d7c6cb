"""`digest build` on bad input and under SIGKILL: nothing lost silently, no half sites."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project, tree_hash

EPOCH = "1773500000"  # 2026-03-14: builds are reproducible with SOURCE_DATE_EPOCH


def digest_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run([sys.executable, "-m", "digest", "build", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)


STORIES = {
    1: ["The harbour board met on Tuesday to discuss the future of the old grain quay.",
        "Members agreed to commission a survey of the quay wall before any sale.",
        "\"We owe it to the town to know what we are selling,\" said chair Maren Tolley."],
    2: ["Surveyors will need six weeks to test the stone wall of the grain quay.",
        "The work will close the western footpath from Monday, the council said.",
        "Walkers are asked to use the promenade instead until the end of April."],
    3: ["Divers began inspecting the foundations of the quay wall at first light.",
        "They are looking for voids behind the stonework left by a century of tides.",
        "A crane barge is moored alongside to lift loose blocks if any are found."],
    4: ["Talks on selling the grain quay have been paused until the survey reports.",
        "Two developers had offered to buy the site for flats and a marina.",
        "The board said no offer would be considered before the summer."],
    5: ["Café owners on the waterfront have written to back the board's cautious plan.",
        "They say trade fell by a third the last time the quay was fenced off.",
        "Their letter asks for the footpath to reopen at weekends during the works."],
    6: ["The fishermen's co-operative has made its own bid to lease the quay.",
        "It wants space to land catches when storms close the outer harbour.",
        "Its secretary, Hal Brannock, said the co-op could raise the money by June."],
}


def article(date: str, title: str, story: int) -> str:
    """A small scraped page: the date line, then three paragraphs of its own."""
    first = f"date {date} {title}" if date else title
    return "\n".join([first, *STORIES[story]]) + "\n"


def bad_input_project(tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    pages.mkdir()
    good = {
        "good.txt": article("2026-03-10", "Board orders survey of grain quay", 1),
        "no-date.txt": article("", "Quay survey to take six weeks", 2),
        "future.txt": article("2099-01-01", "Quay wall survey begins", 3),
        "epoch.txt": article("1970-01-01", "Grain quay sale on hold", 4),
    }
    for name, text in good.items():
        (pages / name).write_text(text, encoding="utf-8")
    latin = article("2026-03-11", "Café owners back quay plan", 5)
    (pages / "latin1.txt").write_bytes(latin.encode("latin-1"))
    utf16 = article("2026-03-12", "Fishermen's co-op bids for quay", 6)
    (pages / "utf16.txt").write_bytes(utf16.encode("utf-16"))
    (pages / "empty.txt").write_bytes(b"")
    (pages / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with (pages / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # a 50 MB file, sparse on disk
    records = [
        {"id": "w1", "title": "Quay survey firm named", "date": "2026-03-13",
         "body": ["The board named the survey firm on Friday.", "Work starts next week."]},
        {"id": "w1", "title": "Same id again", "date": "2026-03-13", "body": ["Text."]},
    ]
    (tmp_path / "wire.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records) + "{broken\n", encoding="utf-8")
    (tmp_path / "feeds.yaml").write_text(
        "site: {title: Quay News}\n"
        "sources:\n"
        "  - {name: pages, type: text, path: pages/*.txt}\n"
        "  - {name: wire, type: jsonl, path: wire.jsonl}\n"
        "  - {name: gone, type: text, path: missing-folder/*.txt}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, digest]\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_bad_input_is_reported_and_good_input_is_published(tmp_path: Path) -> None:
    project = bad_input_project(tmp_path)
    result = digest_build(project)
    assert result.returncode == 3, result.stderr  # built, with skipped inputs
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    skipped = {s["origin"]: s["reason"] for s in report["skipped"]}
    assert skipped["pages/empty.txt"] == "empty file"
    assert "binary" in skipped["pages/binary.txt"]
    assert "limit" in skipped["pages/huge.txt"]
    assert "duplicate id" in skipped["wire.jsonl:2"]
    assert "not valid JSON" in skipped["wire.jsonl:3"]
    assert any(o.startswith("feeds.yaml:5:") and "missing-folder" in r for o, r in skipped.items())
    assert len(skipped) == 6
    for origin in skipped:
        assert f"skipped {origin}" in result.stderr
    notices = {n["origin"]: n["reason"] for n in report["notices"]}
    assert "no date" in notices["pages/no-date.txt"]
    assert "implausible" in notices["pages/future.txt"]
    assert "implausible" in notices["pages/epoch.txt"]
    site = project / "site"
    published = {p.parent.name for p in (site / "articles").rglob("index.html")}
    assert {"board-orders-survey-of-grain-quay", "quay-survey-to-take-six-weeks",
            "quay-wall-survey-begins", "grain-quay-sale-on-hold", "cafe-owners-back-quay-plan",
            "fishermens-co-op-bids-for-quay", "quay-survey-firm-named"} <= published
    report_page = (site / "report" / "index.html").read_text("utf-8")
    for origin, reason in skipped.items():
        assert origin in report_page and reason.split(":")[0] in report_page
    for origin in notices:
        assert origin in report_page
    assert "report/" in (site / "sources" / "index.html").read_text("utf-8")


def test_strict_keeps_the_previous_site(tmp_path: Path) -> None:
    project = bad_input_project(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous", encoding="utf-8")
    result = digest_build(project, "--strict")
    assert result.returncode == 1
    assert "previous site is unchanged" in result.stderr
    assert (project / "site" / "index.html").read_text("utf-8") == "previous"


def test_malformed_feeds_yaml_names_line_and_column(tmp_path: Path) -> None:
    project = bad_input_project(tmp_path)
    (project / "feeds.yaml").write_text("sources:\n  - {name: a, type: text\n", "utf-8")
    result = digest_build(project)
    assert result.returncode == 1
    [line] = [x for x in result.stderr.splitlines() if "feeds.yaml" in x]
    assert "feeds.yaml:3:1: not valid YAML" in line


KILL_AT = (0.15, 0.5, 0.85)  # fractions of a cold build: reading, rendering, publishing


def test_killed_builds_leave_the_old_site_and_the_next_build_is_clean(tmp_path: Path) -> None:
    """A few SIGKILLs spread over a cold build (benchmarks/kills.py kills it 20 times)."""
    project = copy_project(tmp_path)
    started = time.monotonic()
    assert digest_build(project).returncode == 0
    duration = time.monotonic() - started
    reference = tree_hash(project / "site")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    for fraction in KILL_AT:
        (project / ".digest-cache.sqlite").unlink(missing_ok=True)  # each kill hits a cold build
        process = subprocess.Popen([sys.executable, "-m", "digest", "build"], cwd=project,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(fraction * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert tree_hash(project / "site") == reference, f"killed at {fraction:.0%} of a build"
    assert digest_build(project).returncode == 0
    assert tree_hash(project / "site") == reference


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jobs_do_not_change_the_site(tmp_path: Path, jobs: str) -> None:
    project = copy_project(tmp_path)
    assert digest_build(project, "--no-cache", "--jobs", jobs).returncode == 0
    one = tree_hash(project / "site")
    assert digest_build(project, "--no-cache", "--jobs", "2").returncode == 0
    assert tree_hash(project / "site") == one


def test_incremental_rebuild_equals_a_full_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert digest_build(project).returncode == 0
    assert digest_build(project).returncode == 0
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    assert report["pages_reused"] > report["articles"]  # articles, topics, tags, archives
    # a source changes: its article, and every page listing it, is rendered again
    page = next(p for p in sorted((project / "samples").glob("*/*.txt")))
    lines = page.read_text("utf-8").splitlines()
    lines.insert(3, "Harbour officials said on Friday the figures would be checked again.")
    page.write_text("\n".join(lines) + "\n", "utf-8")
    (project / "samples" / "harbour-courier" / "900-new.txt").write_text(
        "date 2026-03-14 Lifeboat crew honoured for night rescue off Gullrock\n"
        "The crew of the Port Ardell lifeboat were honoured on Saturday for a night rescue.\n"
        "Four fishermen were lifted from a sinking trawler in a force nine gale in January.\n"
        "\"They went out when nobody else could,\" the harbour master said at the ceremony.\n",
        "utf-8")
    assert digest_build(project).returncode == 0
    incremental = tree_hash(project / "site")
    assert digest_build(project, "--no-cache", "--site-dir", "full").returncode == 0
    assert tree_hash(project / "full") == incremental


def test_a_changed_layout_makes_every_page_again_and_says_what_changed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    # the site's own theme overrides (custom_dir), beside mkdocs.yml
    override = project / "overrides" / "partials" / "copyright.html"
    override.parent.mkdir(parents=True)
    override.write_text("<div class=\"md-copyright\">Quay News</div>\n", "utf-8")
    mkdocs = project / "mkdocs.yml"
    text = mkdocs.read_text("utf-8")
    assert "  name: material\n" in text
    mkdocs.write_text(text.replace("  name: material\n",
                                   "  name: material\n  custom_dir: overrides\n"), "utf-8")
    assert digest_build(project).returncode == 0
    same = digest_build(project)
    assert same.returncode == 0 and "made again" not in same.stderr
    override.write_text(override.read_text("utf-8") + "\n{# a theme change #}\n", "utf-8")
    changed = digest_build(project)
    assert changed.returncode == 0
    assert "theme overrides: changed since the last build, so every page is made again" \
        in changed.stderr.splitlines()
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    assert report["pages_reused"] == 0


def test_replaced_sites_are_deleted_off_the_critical_path(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert digest_build(project).returncode == 0
    # a site discarded by a build whose machine stopped before its child finished
    leftover = project / ".site.discarded-stopped"
    (leftover / "articles").mkdir(parents=True)
    (leftover / "articles" / "index.html").write_text("old", "utf-8")
    # and the Markdown spool of a build killed before it could delete it
    spool = project / ".site.markdown-killed"
    (spool / "articles").mkdir(parents=True)
    (spool / "articles" / "a.md").write_text("# old", "utf-8")
    assert digest_build(project).returncode == 0
    assert (project / "site" / "index.html").is_file()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        left = [p.name for p in project.iterdir() if p.name.startswith(".site.")
                and p.name != ".site.pages.json"]
        if not left:
            break
        time.sleep(0.2)
    assert left == []  # the replaced site and the leftover are gone; no staging folder stays


def test_each_build_of_one_plugin_instance_starts_clean(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs may run several builds through one plugin instance (``digest serve``): what
    one build was asked and what it made never reach the next."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from digest.build_run import BuildRequest, BuildResult
    from digest.incremental import read_ledger, write_ledger
    from digest.plugin import DigestPlugin

    assert not [name for name, value in vars(DigestPlugin).items() if not name.startswith("__")
                and isinstance(value, (dict, list, set))]  # no state shared by all instances
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (tmp_path / "pages").mkdir()
    for story in (1, 2, 3):
        (tmp_path / "pages" / f"{story}.txt").write_text(
            article(f"2026-03-1{story}", f"Quay story {story}", story), "utf-8")
    (tmp_path / "feeds.yaml").write_text(
        "site: {title: Quay News}\nsources:\n  - {name: pages, type: text, path: pages/*.txt}\n",
        "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [search, {digest: {jobs: 1}}]\n", "utf-8")
    (tmp_path / "docs").mkdir()
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = cfg.plugins["digest"]

    def built_into(folder: str, request: BuildRequest | None) -> BuildResult:
        cfg.site_dir = str(tmp_path / folder)
        plugin.request = request
        build(cfg)
        assert plugin.result is not None
        return plugin.result

    first = built_into("first", None)
    write_ledger(tmp_path / "first", first.page_keys)
    reusing = built_into("second", BuildRequest(previous_site=tmp_path / "first",
                                                ledger=read_ledger(tmp_path / "first")))
    assert reusing.reused and reusing.pages_reused > 0
    plain = built_into("third", None)
    assert plain is not reusing and plain.reused == () and plain.pages_reused == 0
    assert plain.page_keys == first.page_keys and plain.summary == first.summary
    assert tree_hash(tmp_path / "third") == tree_hash(tmp_path / "first")


def test_a_build_cut_short_gives_its_locks_back_at_the_next_build(tmp_path: Path) -> None:
    """A build stopped between on_pre_build and its end without on_post_build or
    on_build_error (Ctrl-C under ``digest serve``): the next build of that plugin instance
    lets the first one's locks go, so another process may build the site again."""
    from mkdocs.config import load_config

    from digest import lock

    (tmp_path / "feeds.yaml").write_text(
        "sources:\n  - {name: pages, type: text, path: pages/*.txt}\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme: {name: material}\nplugins: [{digest: {jobs: 1}}]\n", "utf-8")
    (tmp_path / "docs").mkdir()
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = cfg.plugins["digest"]
    site_lock = lock.lock_file(Path(cfg.site_dir).resolve())
    plugin.on_config(cfg)
    plugin.on_pre_build(config=cfg)
    assert site_lock in lock._held  # this process holds the site's lock
    # what an exception's traceback does: keep the cut-short build's state alive (otherwise
    # dropping it would close its lock context by garbage collection, and hide the bug)
    cut_short = plugin._run
    plugin.on_config(cfg)  # the next build starts; the cut-short one never ended
    assert site_lock not in lock._held and not site_lock.exists()
    assert cut_short is not plugin._run
