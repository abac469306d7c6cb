"""``digest serve``: a local preview that is rebuilt, the way ``digest build`` builds,
whenever an input changes.

The preview is a site of its own in ``.digest-preview/site`` beside ``feeds.yaml``: it is
built with the serving address as its URL, so it must not replace the published ``site/``.
It keeps the build's cache and its page reuse (a rebuild renders only the pages whose
inputs changed), and it survives between two ``digest serve`` runs, so a second start is as
quick as a rebuild. A rebuild that fails leaves the last good preview served and says why.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREVIEW_DIR = ".digest-preview"  # beside feeds.yaml; its site/ is what the preview serves
SHOWN_CHANGES = 3  # changed files named in a rebuild's line; the rest are counted


def preview_site(root: Path) -> Path:
    """The folder the preview of the project at ``root`` is built into."""
    return root / PREVIEW_DIR / "site"


@dataclass(frozen=True)
class Watch:
    """A path whose changes rebuild the preview; ``recursive`` takes in its subfolders."""
    path: str
    recursive: bool = True


def source_folder(root: str, pattern: str) -> tuple[str, bool] | None:
    """The folder a source's ``path`` pattern reads from, and whether files below its
    first level can match (a ``**``, or a wildcard in a folder's name). None when the
    folder does not exist."""
    full = os.path.join(root, pattern)
    cut = min((i for i in (full.find(c) for c in "*?[") if i >= 0), default=-1)
    if cut < 0:  # one file, or a folder read as a whole
        folder = full if os.path.isdir(full) else os.path.dirname(full)
        deep = os.path.isdir(full)
    else:
        folder = os.path.dirname(full[:cut] + "x")
        deep = "/" in full[cut:].replace(os.sep, "/")
    return (folder, deep) if folder and os.path.isdir(folder) else None


def watches(root: Path, config_files: Iterable[Path], folders: Iterable[str | None],
            patterns: Iterable[str], avoid: Iterable[Path]) -> list[Watch]:
    """What to watch: the config files, hand-written folders (``docs/``, the theme's
    ``custom_dir``) and the folders sources read, never a folder the builds write
    (``avoid``: the preview, the published site). A watched folder holding one of those
    is watched at its own level, and each of its other subfolders on its own."""
    kept = [p.resolve() for p in avoid]
    found: dict[str, bool] = {}

    def add(path: str, recursive: bool) -> None:
        path = os.path.realpath(path)
        if any(Path(path).is_relative_to(k) for k in kept):
            return
        if recursive and any(k.is_relative_to(path) for k in kept):
            found[path] = found.get(path, False)
            for entry in os.scandir(path):
                if entry.is_dir(follow_symlinks=False):
                    add(entry.path, True)
            return
        found[path] = found.get(path, False) or recursive

    for file in config_files:
        if file.is_file():
            add(str(file), False)
    for folder in folders:
        if folder and os.path.isdir(folder):
            add(folder, True)
    for pattern in patterns:
        place = source_folder(str(root), pattern)
        if place:
            add(*place)
    deep = [Path(p) for p, recursive in found.items() if recursive]
    return [Watch(path, recursive) for path, recursive in sorted(found.items())
            if not any(Path(path) != d and Path(path).is_relative_to(d) for d in deep)]


@dataclass
class Changes:
    """Files changed since the last rebuild, as the watcher reports them (thread-safe).

    ``ignored`` says which paths are the build's own writing (the cache, the preview, hidden
    and editor backup files): they neither count nor start a rebuild. ``wanted`` is called
    once a path that counts has changed.
    """
    ignored: Callable[[str], bool] = lambda path: False
    wanted: Callable[[], None] = lambda: None
    paths: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def dispatch(self, event: object) -> None:  # a watchdog event handler's one method
        if getattr(event, "is_directory", False):
            return
        paths = {os.fsdecode(p) for p in (getattr(event, "src_path", ""),
                                         getattr(event, "dest_path", "")) if p}
        paths = {p for p in paths if not self.ignored(p)}
        if not paths:
            return
        with self.lock:
            self.paths |= paths
        self.wanted()

    def take(self) -> list[str]:
        with self.lock:
            taken, self.paths = sorted(self.paths), set()
        return taken


def written_by_builds(preview: Path, mkdocs_yml: Path) -> list[Path]:
    """The folders builds write, never to be watched: the preview's and the published site
    (``site_dir`` of mkdocs.yml, else ``site``)."""
    from digest.packaged_theme import read_mkdocs_yml

    site_dir = read_mkdocs_yml(str(mkdocs_yml)).get("site_dir")
    published = mkdocs_yml.parent / (site_dir if isinstance(site_dir, str) and site_dir
                                     else "site")
    return [preview.parent, published]


def ignored_paths(root: Path, folders: Iterable[Path], cache: Path | None
                  ) -> Callable[[str], bool]:
    """Which changed paths do not count: anything in the ``folders`` builds write (the
    preview, the published site), the cache file and what is kept beside it under its name
    (journal, lock, pictures), hidden files and folders of the project, and editors'
    backup files."""
    places = [str(p.resolve()) for p in folders]
    kept = str(cache.resolve()) if cache else None
    top = str(root.resolve())

    def ignored(path: str) -> bool:
        path = os.path.realpath(path)
        if any(path == p or path.startswith(p + os.sep) for p in places):
            return True
        if kept and (path == kept or path.startswith((kept + "-", kept + "."))):
            return True
        name = os.path.basename(path)
        parts = Path(os.path.relpath(path, top)).parts if path.startswith(top + os.sep) \
            else (name,)
        return (any(part.startswith(".") for part in parts)
                or name.endswith(("~", ".swp", ".tmp")))

    return ignored


def describe(paths: list[str], root: Path) -> str:
    """A rebuild's cause in a few words: the first changed files, relative to the project."""
    if not paths:
        return "an input changed"
    named = [os.path.relpath(p, root) if Path(p).is_relative_to(root) else p
             for p in paths[:SHOWN_CHANGES]]
    more = len(paths) - len(named)
    return ", ".join(named) + (f" and {more} more" if more > 0 else "") + " changed"


@dataclass
class Preview:
    """The rebuild side of the preview: ``build`` builds the site once and returns the
    build's one-line summary; ``say`` prints a line for the user."""
    root: Path
    build: Callable[[], str]
    say: Callable[[str], None]
    changes: Changes = field(default_factory=Changes)
    built: bool = False  # whether a build has ever succeeded (there is a site to serve)

    def first(self) -> None:
        """The build before serving; a failure is said, and the last preview is served."""
        self.say(f"Building the preview in {os.path.relpath(preview_site(self.root))} ...")
        self._run()
        self.changes.take()  # what the first build wrote or read is not a change

    def rebuild(self) -> None:
        """What the server calls once the watched files have stopped changing."""
        self.say(f"{describe(self.changes.take(), self.root)}: rebuilding ...")
        self._run()

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            line = self.build()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - the preview goes on serving
            message = str(exc) or type(exc).__name__
            kept = "the last good preview is still served" if self.built else "nothing to serve yet"
            self.say(f"Build failed: {message} ({kept}; fix it and save to try again)")
            return
        self.built = True
        self.say(f"{line}")
        self.say(f"Preview ready in {time.perf_counter() - start:.1f} s;"
                 " open pages reload by themselves")


def shown(watched: Iterable[Watch], root: Path) -> list[str]:
    """Watched paths as a user reads them: relative to the project where inside it."""
    return sorted({os.path.relpath(w.path, root) if Path(w.path).is_relative_to(root)
                   else w.path for w in watched})


def serving_line(url: str, watched: list[Watch], root: Path) -> Iterator[str]:
    """What ``digest serve`` says once it listens."""
    names = shown(watched, root)
    more = f" and {len(names) - 6} more" if len(names) > 6 else ""
    yield f"Serving the preview on {url} (Ctrl+C stops)"
    yield f"Rebuilt when these change: {', '.join(names[:6])}{more}"


def want_rebuild(server: Any) -> None:
    """Ask MkDocs' live-reload server for a rebuild, as its own watcher does: it waits
    until changes stop for a tenth of a second, builds, then reloads the open pages. (Its
    own watcher cannot be told which paths to ignore; MkDocs is pinned below 1.7.)"""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()
