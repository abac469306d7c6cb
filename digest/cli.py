"""The command-line door: ``digest build``, ``digest serve`` and one command per stage.

Stage commands read and write JSON Lines, so they compose as a shell pipeline::

    digest clean samples/*/*.txt | digest dedupe | digest summarize -n 3 | digest group
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

import click

from digest.config import ConfigError
from digest.fields import from_fields
from digest.validtext import NotText, change, valid_value

log = logging.getLogger("digest")


def read_jsonl(stream: TextIO) -> Iterator[dict[str, Any]]:
    """Objects from JSON Lines; a bad line stops with its number (stage input is ours)."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"<stdin>:{number}: not valid JSON ({exc.msg})") from None
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, [[[[...]]]]
            raise click.ClickException(f"<stdin>:{number}: not usable JSON"
                                       f" ({type(exc).__name__})") from None
        if not isinstance(obj, dict):
            raise click.ClickException(f"<stdin>:{number}: expected a JSON object")
        repairs: Counter[str] = Counter()
        try:
            obj = valid_value(obj, repairs)
        except NotText as exc:
            raise click.ClickException(f"<stdin>:{number}: {exc}") from None
        if repairs:
            click.echo(f"<stdin>:{number}: "
                       + "; ".join(change(k, n) for k, n in sorted(repairs.items())), err=True)
        yield obj


def write_jsonl(objects: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> None:
    for obj in objects:
        click.echo(json.dumps(obj, ensure_ascii=False))


def _id(obj: dict[str, Any], number: int) -> str:
    """An object's id: ``id``, else ``path`` (what ``digest clean`` writes), else its line."""
    return str(obj.get("id") or obj.get("path") or number)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log each step to stderr.")
@click.version_option(package_name="newsdigest")
def main(verbose: bool) -> None:
    """newsdigest: turn scraped articles and feeds into a browsable news digest site."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--no-furniture", is_flag=True,
              help="Do not learn lines that recur across the files of one folder.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes to clean on (default: all cores); the output is the same.")
def clean(files: tuple[str, ...], no_furniture: bool, jobs: int | None) -> None:
    """Clean scraped article files: one JSON object per file, in the order given."""
    from digest.clean.furniture import learn_from_pages, read_page
    from digest.sources import decode
    from digest.workers import worker_pool

    texts: dict[str, str] = {}
    for name in files:
        try:
            texts[name] = decode(Path(name).read_bytes())
        except (OSError, ValueError) as exc:
            click.echo(f"{name}: skipped: {exc}", err=True)
    names = list(texts)
    jobs = jobs or os.cpu_count() or 1
    with contextlib.ExitStack() as stack:
        run: Callable[..., Iterator[Any]] = map
        if jobs > 1 and len(names) >= CLEAN_SERIAL_BELOW:
            pool = stack.enter_context(worker_pool(jobs))
            chunk = max(1, len(names) // (jobs * 8))

            def run(func: Callable[..., Any], *items: Iterable[Any]) -> Iterator[Any]:
                return pool.map(func, *items, chunksize=chunk)

        furniture: dict[Path, frozenset[str]] = {}
        if not no_furniture:
            folders: dict[Path, list[Any]] = defaultdict(list)
            for name, page in zip(names, run(read_page, texts.values()), strict=True):
                folders[Path(name).parent].append(page)
            furniture = {folder: learn_from_pages(pages) for folder, pages in folders.items()
                         if len(pages) > 1}
        empty: frozenset[str] = frozenset()
        cleaned = run(_clean_file, texts.values(),
                      [furniture.get(Path(name).parent, empty) for name in names])
        for name, result in zip(names, cleaned, strict=True):
            if isinstance(result, str):  # a cleaner bug: named, and the rest goes on
                click.echo(f"{name}: skipped: could not be cleaned ({result})", err=True)
                continue
            click.echo(json.dumps({"path": name, **asdict(result)}, ensure_ascii=False))


CLEAN_SERIAL_BELOW = 200  # files; fewer are cleaned in this process (a pool costs more)


def _clean_file(text: str, furniture: frozenset[str]) -> Any:
    """One page cleaned as the build cleans it (an untitled page titled from its text), or
    the error that defeated the cleaner, as a string."""
    from digest.clean import clean_text
    from digest.headline import with_title_from_text

    try:
        return with_title_from_text(clean_text(text, furniture))
    except Exception as exc:  # reported per file by the caller
        return f"{type(exc).__name__}: {exc}"


@main.command()
def dedupe() -> None:
    """Mark duplicates: adds "duplicate_of" (the canonical id, or null)."""
    from digest.dedupe import Candidate, find_duplicates, fingerprint

    objects = list(read_jsonl(sys.stdin))
    sources = list(dict.fromkeys(str(o.get("source") or "") for o in objects))
    candidates = []
    for i, o in enumerate(objects, start=1):
        article = from_fields(o)
        source = str(o.get("source") or "")
        candidates.append(Candidate(id=_id(o, i), fingerprint=fingerprint(article.body),
                                    date=article.date, priority=sources.index(source),
                                    source=source, title=article.title))
    canonical = find_duplicates(candidates)
    write_jsonl([{**o, "duplicate_of": canonical.get(c.id)}
                 for o, c in zip(objects, candidates, strict=True)])


@main.command()
@click.option("-n", "--sentences", default=3, show_default=True, type=click.IntRange(1, 50),
              help="Sentences per summary.")
def summarize(sentences: int) -> None:
    """Summarise each article: adds "summary" (sentences verbatim from the text)."""
    from digest.summarize import summarize as summarize_text

    write_jsonl({**o, "summary": summarize_text(from_fields(o).text, sentences)}
                for o in read_jsonl(sys.stdin))


@main.command()
def group() -> None:
    """Group articles into topics: adds "topic" (a stable id) and "topic_name"."""
    from digest.group import group_articles
    from digest.records import GroupItem

    objects = list(read_jsonl(sys.stdin))
    items = []
    for i, o in enumerate(objects, start=1):
        article = from_fields(o)
        items.append(GroupItem(id=_id(o, i), title=article.title, text=article.text,
                               date=article.date, related=article.related,
                               source=str(o.get("source") or "")))
    sources = {item.source for item in items if item.source}  # names kept out of topic names
    topic_of = {i: t for t in group_articles(items, publishers=sorted(sources))
                for i in t.article_ids}
    write_jsonl([{**o, "topic": topic_of[item.id].id, "topic_name": topic_of[item.id].name}
                 for o, item in zip(objects, items, strict=True)])


EXIT_SKIPPED = 3  # the site was built, but some inputs were skipped (see the build report)


def _executor_address(ctx: click.Context, param: click.Parameter, value: str | None
                      ) -> str | None:
    """``--executor``, checked at the door (the cluster itself is reached by the build)."""
    from digest.dask_executor import address_problem

    problem = address_problem(value) if value is not None else None
    if problem or value == "":
        raise click.BadParameter(problem or "must not be empty")
    return value


@main.command()
@click.option("--config", "feeds", default="feeds.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="The feeds.yaml to build.")
@click.option("--mkdocs", "mkdocs_file", type=click.Path(dir_okay=False),
              help="MkDocs config (default: mkdocs.yml beside feeds.yaml).")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Output folder.")
@click.option("-j", "--jobs", type=click.IntRange(1), help="Parallel workers (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Process every article again.")
@click.option("--strict", is_flag=True,
              help="Fail, keeping the previous site, on any MkDocs warning or skipped input.")
@click.option("--wait", "wait", type=click.IntRange(0),
              help="Seconds to wait while another build of the same site or cache runs,"
                   " then fail (default 600).")
@click.option("--executor", metavar="dask://HOST:PORT", callback=_executor_address,
              help="Run the per-article work on the Dask cluster of this scheduler, for"
                   " backfills (default: feeds.yaml's executor, else this machine).")
def build(feeds: str, mkdocs_file: str | None, site_dir: str | None, jobs: int | None,
          no_cache: bool, strict: bool, wait: int | None, executor: str | None) -> None:
    """Build the whole site (the same as `mkdocs build` with the digest plugin).

    The new site is built beside the old one and swapped in only when complete.
    One build of a site (and of its cache) runs at a time: a second one waits,
    saying so, for up to --wait seconds, then fails.
    Exit status: 0 built, 3 built but inputs were skipped, 1 failed (2 for usage).
    """
    from digest.lock import LockTimeout, holding

    cfg = _load(feeds, mkdocs_file, site_dir=site_dir, strict=strict, jobs=jobs,
                no_cache=no_cache)
    lock_wait = cfg.plugins["digest"].config.lock_wait if wait is None else wait
    target = Path(cfg.site_dir).resolve()
    try:
        with holding([target], lock_wait, _say):
            line, skipped = _build_locked(cfg, target, lock_wait=lock_wait, no_cache=no_cache,
                                          strict=strict, executor=executor or "")
    except LockTimeout as exc:
        raise click.ClickException(f"{exc} (the site is unchanged)") from None
    click.echo(line, err=True)
    if skipped:
        sys.exit(EXIT_SKIPPED)


def _say(line: str) -> None:
    click.echo(line, err=True)


def _build_locked(cfg: Any, target: Path, *, lock_wait: float, no_cache: bool,
                  strict: bool, executor: str = "") -> tuple[str, bool]:
    """The body of ``digest build`` (and of each ``digest serve`` rebuild), run while this
    process holds the site's lock: the build's one-line summary, and whether inputs were
    skipped."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    from digest.build_run import BuildRequest
    from digest.incremental import read_ledger_and_layout, write_ledger
    from digest.publish import discard, discard_leftovers, staging_dir, swap_in

    discard_leftovers(target)
    staging = staging_dir(target)
    cfg.site_dir = str(staging)
    # pages whose Markdown and layout are unchanged are copied, not rendered again
    previous = target if target.is_dir() and not no_cache else None
    plugin = cfg.plugins["digest"]
    ledger, layout = read_ledger_and_layout(target) if previous else ({}, {})
    plugin.request = BuildRequest(
        site_target=target, previous_site=previous, ledger=ledger, layout=layout,
        progress=_progress_reporter(),
        say=_say, lock_wait=lock_wait, executor=executor)
    try:
        mkdocs_build(cfg)
    except MkDocsException as exc:
        raise click.ClickException(f"{exc} (the previous site is unchanged)") from None
    result = plugin.result
    assert result is not None  # set by the plugin in every build that got this far
    d = result.summary
    # each skipped input was already named on the terminal by the plugin's warning
    if strict and d.skipped:
        discard(staging, target)
        raise click.ClickException(
            f"{len(d.skipped)} inputs skipped (--strict): the previous site is unchanged")
    built = staging.stat().st_ino  # the folder this build made, to check the ledger against
    try:
        swap_in(staging, target)  # raises only while the previous site is still in place
    except OSError as exc:
        raise click.ClickException(f"could not put the new site in place ({exc});"
                                   " the previous site is unchanged") from None
    # only now, and only if the folder there is ours: the ledger must describe the live site
    write_ledger(target, result.page_keys, built, result.layout,
                 {dest: ledger[dest][1] for dest in result.reused if dest in ledger})
    seconds = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    return (f"Built {target}: {d.articles + d.duplicates} articles in,"
            f" {d.duplicates} duplicates merged, {d.articles} published,"
            f" {d.topics} topics, {len(d.skipped)} inputs skipped ({seconds})",
            bool(d.skipped))


def _progress_reporter() -> Callable[[str, int, int], None]:
    """A progress bar on a terminal; a log line every tenth of the way otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: the site renderers fork only alone
        bars: dict[str, tqdm] = {}

        def bar(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                bars[stage] = tqdm(total=total, desc=stage, unit="article", leave=False)
            bars[stage].update(done - bars[stage].n)
            if done >= total:
                bars.pop(stage).close()

        return bar

    step: dict[str, int] = {}

    def lines(stage: str, done: int, total: int) -> None:
        mark = done * 10 // max(total, 1)
        if mark > step.get(stage, 0) or done == total:
            step[stage] = mark
            click.echo(f"{stage}: {done}/{total}", err=True)

    return lines


@main.command()
@click.option("--config", "feeds", default="feeds.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="The feeds.yaml to preview.")
@click.option("--mkdocs", "mkdocs_file", type=click.Path(dir_okay=False),
              help="MkDocs config (default: mkdocs.yml beside feeds.yaml).")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="IP address and port to serve on.")
def serve(feeds: str, mkdocs_file: str | None, dev_addr: str) -> None:
    """Preview the site locally; edits to feeds.yaml, mkdocs.yml, docs/ or a source file
    rebuild it, with the cache and page reuse of `digest build`.

    The preview is built into .digest-preview/site beside feeds.yaml (the published site/
    is left alone) and kept for the next `digest serve`.
    """
    from mkdocs.livereload import LiveReloadServer
    from watchdog.events import FileSystemEventHandler

    from digest.config import load_config
    from digest.lock import LockTimeout, holding
    from digest.preview import (
        Preview,
        Watch,
        ignored_paths,
        preview_site,
        serving_line,
        shown,
        want_rebuild,
        watches,
        written_by_builds,
    )

    host, port = _address(dev_addr)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    mkdocs_path, feeds_path = _paths(feeds, mkdocs_file)
    root = feeds_path.parent
    target = preview_site(root)
    target.parent.mkdir(exist_ok=True)
    inputs: dict[str, Any] = {}

    def build_once() -> str:
        cfg = _load(feeds, mkdocs_file, site_dir=str(target), strict=False, jobs=None,
                    no_cache=False)
        cfg["site_url"] = url  # links and feeds point at the preview, not the published site
        inputs["cfg"] = cfg
        lock_wait = cfg.plugins["digest"].config.lock_wait
        try:
            with holding([target], lock_wait, _say):
                return _build_locked(cfg, target, lock_wait=lock_wait, no_cache=False,
                                     strict=False)[0]
        except LockTimeout as exc:
            raise click.ClickException(str(exc)) from None

    preview = Preview(root, build_once, _say)
    handler = FileSystemEventHandler()
    handler.dispatch = preview.changes.dispatch  # type: ignore[method-assign]
    scheduled: set[Watch] = set()

    def watch_inputs() -> list[Watch]:
        """Watch what the current feeds.yaml and mkdocs.yml read (a source added while
        serving is watched from the rebuild that adds it); the new ones are returned."""
        cfg = inputs.get("cfg")  # None: no build has got as far as MkDocs' config
        try:
            feeds_cfg = load_config(feeds_path)
        except ConfigError:
            return []  # the build has said what is wrong; the watches stay as they are
        written = written_by_builds(target, mkdocs_path)
        cache = feeds_cfg.cache
        preview.changes.ignored = ignored_paths(root, written, cache)
        found = watches(
            root, [feeds_path, mkdocs_path],
            [cfg.docs_dir, getattr(cfg.theme, "custom_dir", None)] if cfg is not None else [],
            [s.path for s in feeds_cfg.sources if s.path],
            avoid=[*written, *([cache] if cache else [])])
        new = [w for w in found if w not in scheduled]
        for watch in new:
            server.observer.schedule(handler, watch.path, recursive=watch.recursive)
            scheduled.add(watch)
        return new

    def rebuild() -> None:
        preview.rebuild()
        new = watch_inputs()
        if new:
            _say(f"Now also watching: {', '.join(shown(new, root))}")

    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(target))

    def error_page(code: int) -> bytes | None:
        page = target / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    preview.first()
    preview.changes.wanted = lambda: want_rebuild(server)
    watched = watch_inputs()
    server.observer.start()
    for line in serving_line(url, watched, root):
        _say(line)
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop is a Ctrl+C too
    try:
        server.serve()
    except KeyboardInterrupt:
        _say("Stopped")
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {host}:{port}: {exc}") from None
    finally:
        server.shutdown()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _address(dev_addr: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) as a host and a port number."""
    host, sep, port = dev_addr.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{dev_addr!r}: give it as HOST:PORT, e.g. 127.0.0.1:8000",
                                 param_hint="--dev-addr")
    return host, int(port)


def _paths(feeds: str, mkdocs_file: str | None) -> tuple[Path, Path]:
    from digest.config import load_config

    feeds_path = Path(feeds).resolve()
    try:
        load_config(feeds_path)  # validate at the door, before MkDocs starts
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    mkdocs_path = Path(mkdocs_file) if mkdocs_file else feeds_path.parent / "mkdocs.yml"
    if not mkdocs_path.is_file():
        raise click.ClickException(f"{mkdocs_path}: no such file (the MkDocs config to use)")
    return mkdocs_path, feeds_path


def _load(feeds: str, mkdocs_file: str | None, *, site_dir: str | None, strict: bool,
          jobs: int | None, no_cache: bool) -> Any:
    from mkdocs.config import load_config as load_mkdocs

    mkdocs_path, feeds_path = _paths(feeds, mkdocs_file)
    extra = {"site_dir": str(Path(site_dir).resolve())} if site_dir else {}
    cfg = load_mkdocs(config_file=str(mkdocs_path), strict=strict, **extra)
    if "digest" not in cfg.plugins:
        raise click.ClickException(f"{mkdocs_path}: add 'digest' to its plugins list")
    options = cfg.plugins["digest"].config
    options.feeds = str(feeds_path)
    if jobs:
        options.jobs = jobs
    if no_cache:
        options.cache = False
    return cfg


@main.command("import-opml")
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--config", "feeds", default="feeds.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="The feeds.yaml to add the feeds to.")
@click.option("--dry-run", is_flag=True, help="Print the new feeds.yaml instead of writing it.")
def import_opml(opml_file: str, feeds: str, dry_run: bool) -> None:
    """Add the feeds of an OPML file to feeds.yaml (comments and order kept)."""
    from digest.config import load_config
    from digest.fetch.opml import OpmlError, add_feeds, read_subscriptions, staged_feeds_file

    path = Path(feeds)
    try:
        text = path.read_text(encoding="utf-8")
        found = read_subscriptions(Path(opml_file).read_bytes())
        new_text, added, left_out = add_feeds(text, found.feeds)
    except (OSError, OpmlError) as exc:
        raise click.ClickException(str(exc)) from None
    for line in (*found.left_out, *(n for f in found.feeds if f not in left_out for n in f.notes)):
        click.echo(line, err=True)
    # the result is validated like any feeds.yaml before it replaces the file
    try:
        with staged_feeds_file(path, new_text) as staged:
            try:
                load_config(staged)
            except ConfigError as exc:
                problem = str(exc).replace(staged.name, path.name)
                raise click.ClickException(f"the imported feeds.yaml would not be valid:"
                                           f" {problem}") from None
            if dry_run:
                click.echo(new_text, nl=False)
            else:
                os.replace(staged, path.resolve())
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot be written ({exc})") from None
    for feed in left_out:
        click.echo(f"already in {path.name}: {feed.xml_url}", err=True)
    click.echo(f"{'would add' if dry_run else 'added'} {len(added)} feeds"
               + (f": {', '.join(added)}" if added else ""), err=True)


@main.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Write into a folder that is not empty: only the starter files it lacks,"
                   " leaving the others as they are.")
def new(folder: Path, force: bool) -> None:
    """Start a digest of your own in FOLDER (made if missing): feeds.yaml with commented
    examples of every kind of source, mkdocs.yml, an about page, a .gitignore and a
    GitHub workflow that publishes the site every day. It builds as it is."""
    from digest.new_site import FolderNotEmpty, create_site, next_steps

    try:
        site = create_site(folder, force=force)
    except FolderNotEmpty as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{folder}: cannot be written ({exc})") from None
    for name in site.written:
        click.echo(f"wrote {folder / name}")
    if site.kept:
        click.echo(f"left alone (already there): {', '.join(site.kept)}")
    click.echo("")
    for line in next_steps(str(folder)):
        click.echo(line)
