"""Pictures from feeds (``site.images``): downloaded at build time, published with the site.

A reader's browser never asks a publisher (or anyone else) for a picture: each
article's picture (:attr:`~digest.records.Cleaned.image`, the URL its feed or page
names) is fetched by the build through the same :class:`~digest.fetch.http.PoliteClient`
every fetch uses (the address policy, the per-host limits, the deadline), with the size
cap lowered to :data:`MAX_BYTES`, and the site serves its own copy.

What is kept is decided by the bytes, never by the server's ``Content-Type``: a PNG,
JPEG, GIF or WebP by its signature, whose width and height are read from its header
(PNG ``IHDR``, the GIF screen descriptor, a JPEG frame header with its EXIF rotation,
WebP ``VP8``/``VP8L``/``VP8X``) and must be sensible (:data:`MIN_SIDE`,
:data:`MAX_SIDE`, :data:`MAX_PIXELS`). Anything else, SVG above all (it can carry
scripts), is refused.

A picture is stored once, by its content (``<first 16 hex digits of its SHA-256>.<ext>``),
in a folder beside the cache file (:func:`image_folder`); the cache file's ``images``
table remembers which URL gave which file, so a daily build asks for new pictures only,
and which URL failed, so a dead one is asked for again only after :data:`RETRY_AFTER`
(a refusal by the address policy costs no request and is not remembered: a change of
``fetch.allow_private_hosts`` counts at once). A stored file is checked against its
name on every build. URLs no build has used for :data:`FORGET_AFTER` are forgotten and
their files deleted.

Every picture left out is one notice in the build report (its URL, the article's
source, the reason); the build goes on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from digest.cache_file import CacheFile
from digest.config import Config
from digest.records import Article, Picture, Skipped

if TYPE_CHECKING:  # httpx is loaded only by a build that downloads pictures
    from digest.fetch.http import PoliteClient

log = logging.getLogger("digest")

MAX_BYTES = 2_000_000  # per picture (or fetch.max_bytes, if lower)
MAX_SIDE = 10_000  # pixels, either side
MIN_SIDE = 16  # pixels, either side: smaller is a tracking pixel or a spacer, not a picture
MAX_PIXELS = 24_000_000  # width times height: what a reader's browser must hold decoded
RETRY_AFTER = dt.timedelta(days=7)  # a URL that failed is asked for again after this
RETRY_UNANSWERED = dt.timedelta(days=1)  # ...or this, when no server answered (time-outs, 5xx)
FORGET_AFTER = dt.timedelta(days=30)  # a URL no build used for this long is forgotten
SITE_FOLDER = "images"  # in the site: images/<name>
ACCEPT = "image/webp, image/jpeg, image/png, image/gif;q=0.9, */*;q=0.1"
LEFT_OUT = "picture left out"  # how each report line about a picture begins
NEEDS_CACHE = "site.images needs the cache (cache: null keeps nothing between builds)"

_NAME = re.compile(r"^[0-9a-f]{16}\.(?:png|jpg|gif|webp)$")
_PART = ".part-"  # a download being written (a crash leaves one behind)
_SCHEMA = """CREATE TABLE IF NOT EXISTS images (
    url TEXT PRIMARY KEY,
    file TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    retry_after TEXT NOT NULL DEFAULT '',
    used_at TEXT NOT NULL DEFAULT ''
);"""


class NotAPicture(ValueError):
    """The bytes are not a picture the site publishes; the message is one report line."""


@dataclass(frozen=True)
class ImageInfo:
    """What the bytes of a picture say: its kind (the file extension) and its size as shown."""

    kind: str  # "png", "jpg", "gif" or "webp"
    width: int
    height: int


# --- the bytes -----------------------------------------------------------------------------

def sniffed(data: bytes) -> ImageInfo:
    """The kind and size of a PNG, JPEG, GIF or WebP, read from its header; raises
    :class:`NotAPicture` for anything else (SVG, HTML, other formats, a damaged header)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(data) < 24 or data[12:16] != b"IHDR":
            raise NotAPicture("a damaged PNG (no IHDR header with its size)")
        return ImageInfo("png", _big(data[16:20]), _big(data[20:24]))
    if data[:6] in (b"GIF87a", b"GIF89a"):
        if len(data) < 10:
            raise NotAPicture("a damaged GIF (too short to give its size)")
        return ImageInfo("gif", _little(data[6:8]), _little(data[8:10]))
    if data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
        return ImageInfo("jpg", width, height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        width, height = _webp_size(data)
        return ImageInfo("webp", width, height)
    raise NotAPicture(_what_else(data))


def checked(data: bytes) -> ImageInfo:
    """:func:`sniffed`, and a size a page can show: :data:`MIN_SIDE` to :data:`MAX_SIDE`
    pixels a side, at most :data:`MAX_PIXELS` in all."""
    info = sniffed(data)
    size = f"{info.width}×{info.height}"
    if min(info.width, info.height) < MIN_SIDE:
        raise NotAPicture(f"{size} pixels: too small to be a picture (a tracking pixel?)")
    if max(info.width, info.height) > MAX_SIDE:
        raise NotAPicture(f"{size} pixels: over {MAX_SIDE:,} pixels a side")
    if info.width * info.height > MAX_PIXELS:
        raise NotAPicture(f"{size} pixels: over {MAX_PIXELS:,} pixels in all")
    return info


def stored_name(data: bytes, info: ImageInfo) -> str:
    """The file name a picture is kept and published under: its content's hash, its kind."""
    return f"{hashlib.sha256(data).hexdigest()[:16]}.{info.kind}"


def _big(b: bytes) -> int:
    return int.from_bytes(b, "big")


def _little(b: bytes) -> int:
    return int.from_bytes(b, "little")


_JPEG_FRAMES = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                          0xCE, 0xCF})  # SOFn: every frame header but DHT, JPG, DAC
_ROTATED = frozenset({5, 6, 7, 8})  # EXIF orientations shown turned a quarter


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height of a JPEG as shown: its frame header's, swapped when its EXIF
    orientation turns it a quarter (browsers apply it)."""
    at, orientation = 2, 1
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            raise NotAPicture("a damaged JPEG (no marker where one belongs)")
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte
            at += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a segment
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # the end, or the scan, before any frame header
            break
        length = _big(data[at + 2:at + 4])
        if length < 2:
            raise NotAPicture("a damaged JPEG (a segment shorter than its own length)")
        segment = data[at + 4:at + 2 + length]
        if marker == 0xE1 and segment.startswith(b"Exif\0\0"):
            orientation = _exif_orientation(segment[6:])
        if marker in _JPEG_FRAMES:
            if len(segment) < 5:
                break
            height, width = _big(segment[1:3]), _big(segment[3:5])
            return (height, width) if orientation in _ROTATED else (width, height)
        at += 2 + length
    raise NotAPicture("a damaged JPEG (no frame header with its size)")


def _exif_orientation(tiff: bytes) -> int:
    """The Orientation (tag 0x0112) of an EXIF block's first directory; 1 when it has none."""
    if tiff[:2] not in (b"II", b"MM") or len(tiff) < 8:
        return 1
    order: Literal["little", "big"] = "little" if tiff[:2] == b"II" else "big"
    start = int.from_bytes(tiff[4:8], order)
    count = int.from_bytes(tiff[start:start + 2], order)
    for n in range(min(count, 1000)):
        entry = tiff[start + 2 + 12 * n:start + 14 + 12 * n]
        if len(entry) < 12:
            break
        if int.from_bytes(entry[:2], order) == 0x0112:
            return int.from_bytes(entry[8:10], order)
    return 1


def _webp_size(data: bytes) -> tuple[int, int]:
    """Width and height of a WebP: from its first chunk (lossy, lossless or extended)."""
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        return _little(data[26:28]) & 0x3FFF, _little(data[28:30]) & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = _little(data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return _little(data[24:27]) + 1, _little(data[27:30]) + 1
    raise NotAPicture("a damaged WebP (no VP8, VP8L or VP8X header with its size)")


_MARKUP_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<", re.S)
_SVG = re.compile(rb"<svg[\s>]|<!DOCTYPE\s+svg|^\s*<\?xml", re.I)
_HTML = re.compile(rb"<(?:!DOCTYPE\s+html|html|head|body)[\s>]", re.I)


def _what_else(data: bytes) -> str:
    """Why bytes that are none of the four kinds are refused, in a few words."""
    head = data[:4096]
    if not data:
        return "the server sent no bytes"
    if _MARKUP_START.match(head) and _SVG.search(head):
        return "an SVG or XML document (refused: it can carry scripts)"
    if _MARKUP_START.match(head) and _HTML.search(head):
        return "an HTML page, not a picture"
    return "not a PNG, JPEG, GIF or WebP picture"


# --- where pictures are kept ----------------------------------------------------------

def image_folder(config: Config) -> Path | None:
    """Where the build keeps downloaded pictures: beside the cache file, named after it
    (``.digest-cache.sqlite`` -> ``.digest-cache.sqlite-images/``, which a pattern that
    ignores or saves the cache file's companions takes too); None without a cache."""
    if config.cache is None:
        return None
    return Path(config.cache).with_name(f"{Path(config.cache).name}-images")


def picture_files(config: Config, pictures: Iterable[Picture]) -> dict[str, Path]:
    """Each picture's path in the site (``images/<name>``) and the kept file it is copied
    from; a picture whose path is not one this module makes is left out."""
    folder = image_folder(config)
    out: dict[str, Path] = {}
    for picture in pictures:
        folder_name, _, name = picture.path.partition("/")
        if folder is not None and folder_name == SITE_FOLDER and _NAME.match(name):
            out[picture.path] = folder / name
    return out


def _kept(folder: Path, name: str) -> ImageInfo | None:
    """The picture kept as ``name`` if it is there, is what its name says (its hash) and
    is a picture this module keeps; else None (it is fetched again)."""
    if not _NAME.match(name):
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    try:
        info = checked(data)
    except NotAPicture:
        return None
    return info if stored_name(data, info) == name else None


def _keep(folder: Path, data: bytes, name: str) -> None:
    """Write ``data`` as ``folder/name`` whole or not at all (a temporary file renamed over
    whatever is there)."""
    target = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=_PART)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class _Row(NamedTuple):
    file: str
    error: str
    retry_after: str


class ImageStore:
    """The ``images`` table of the cache file: per URL, the kept file or the last error and
    when to ask again, and when a build last used it."""

    def __init__(self, path: Path) -> None:
        self.file = CacheFile(path, _SCHEMA)

    def load(self, urls: Sequence[str]) -> dict[str, _Row]:
        def read(db: sqlite3.Connection) -> dict[str, _Row]:
            found: dict[str, _Row] = {}
            for start in range(0, len(urls), 500):
                batch = list(urls[start:start + 500])
                for url, file, error, retry_after in db.execute(
                        "SELECT url, file, error, retry_after FROM images WHERE url IN"
                        f" ({','.join('?' * len(batch))})", batch):
                    if all(isinstance(v, str) for v in (url, file, error, retry_after)):
                        found[url] = _Row(file, error, retry_after)
            return found

        return self.file.guarded(read, {})

    def save(self, rows: Mapping[str, _Row], used: Iterable[str], now: str) -> None:
        """Write ``rows`` (new results), mark ``used`` as used ``now``, forget URLs unused for
        :data:`FORGET_AFTER`."""
        forget = _iso(_parsed(now) - FORGET_AFTER)

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.executemany("INSERT OR REPLACE INTO images (url, file, error, retry_after,"
                               " used_at) VALUES (?, ?, ?, ?, ?)",
                               [(url, *row, now) for url, row in rows.items()])
                db.executemany("UPDATE images SET used_at = ? WHERE url = ?",
                               [(now, url) for url in used])
                db.execute("DELETE FROM images WHERE used_at < ?", (forget,))
            return True

        if not self.file.guarded(write, False):  # the file was damaged: write to the new one
            self.file.guarded(write, False)

    def files(self) -> set[str]:
        """Every file name a URL is remembered by."""
        return self.file.guarded(lambda db: {
            row[0] for row in db.execute("SELECT file FROM images WHERE file != ''")
            if isinstance(row[0], str)}, set())

    def close(self) -> None:
        self.file.close()


# --- the build step ---------------------------------------------------------------------

def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class _Outcome(NamedTuple):
    file: str = ""  # the kept file's name
    info: ImageInfo | None = None  # its kind and size
    error: str = ""  # why there is none
    retry: dt.timedelta | None = None  # how long the error is remembered; None: not at all


def article_pictures(config: Config, articles: Sequence[Article],
                     client: PoliteClient | None = None,
                     now: Callable[[], str] = utc_now) -> tuple[dict[str, Picture], list[Skipped]]:
    """Each article's picture by article id, and a notice for each picture left out.

    Nothing at all (no request, no file) unless ``site.images`` is on. ``client`` (a test's)
    replaces the one made from ``fetch:`` with the picture size cap. Never raises for a
    picture's failure.
    """
    wanted = [a for a in articles if a.image] if config.site.images else []
    if not wanted:
        return {}, []
    folder = image_folder(config)
    if folder is None or config.cache is None:
        return {}, [Skipped(config.path.name, NEEDS_CACHE)]
    try:
        store = ImageStore(Path(config.cache))
    except sqlite3.Error as exc:  # the build goes on, without pictures
        log.warning("%s: cannot be used for pictures (%s)", config.cache, exc)
        return {}, [Skipped(config.path.name, f"{LEFT_OUT}: the cache file cannot be used"
                                              f" ({exc})")]
    try:
        outcomes = _outcomes(folder, store, list(dict.fromkeys(a.image for a in wanted)),
                             config, client, now())
        for stale in _unkept(folder, store.files() | {o.file for o in outcomes.values()}):
            with contextlib.suppress(OSError):
                stale.unlink()
    finally:
        store.close()
    pictures: dict[str, Picture] = {}
    notices: list[Skipped] = []
    for article in wanted:
        outcome = outcomes[article.image]
        if outcome.info is not None:
            pictures[article.id] = Picture(f"{SITE_FOLDER}/{outcome.file}", outcome.info.width,
                                           outcome.info.height)
        else:
            notices.append(Skipped(article.image, f"{LEFT_OUT}: {outcome.error}",
                                   article.source))
    log.info("pictures: %d of %d articles have one", len(pictures), len(wanted))
    return pictures, notices


def _outcomes(folder: Path, store: ImageStore, urls: list[str], config: Config,
              client: PoliteClient | None, stamp: str) -> dict[str, _Outcome]:
    """What each URL gives this build: its kept file (checked), a remembered error, or what
    fetching it gives now (then remembered)."""
    known = store.load(urls)
    moment = _parsed(stamp)
    outcomes: dict[str, _Outcome] = {}
    todo: list[str] = []
    for url in urls:
        row = known.get(url)
        info = _kept(folder, row.file) if row is not None and row.file else None
        if row is not None and info is not None:
            outcomes[url] = _Outcome(row.file, info)
        elif (row is not None and not row.file and row.error
              and moment < _parsed(row.retry_after) <= moment + RETRY_AFTER):
            outcomes[url] = _Outcome(error=" ".join(row.error.split())[:300])
        else:
            todo.append(url)
    fetched = _fetched(folder, todo, config, client) if todo else {}
    outcomes.update(fetched)
    rows = {url: _Row(o.file, o.error, _iso(moment + o.retry) if o.retry else "")
            for url, o in fetched.items() if o.file or o.retry}
    store.save(rows, [u for u in urls if u not in rows], stamp)
    return outcomes


def _fetched(folder: Path, urls: list[str], config: Config, client: PoliteClient | None
             ) -> dict[str, _Outcome]:
    """Each URL downloaded (concurrently, within the ``fetch:`` limits) and kept."""
    from digest.fetch.http import PoliteClient

    settings = replace(config.fetch, max_bytes=min(config.fetch.max_bytes, MAX_BYTES))
    own = client is None
    client = client or PoliteClient(settings)
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(settings.concurrency, len(urls)))
                                ) as pool:
            return dict(zip(urls, pool.map(lambda u: _download(client, folder, u), urls),
                            strict=True))
    finally:
        if own:
            client.close()


def _download(client: PoliteClient, folder: Path, url: str) -> _Outcome:
    """Fetch one picture and keep it; never raises for the picture's failure."""
    from digest.fetch.http import FetchError, RefusedFetch

    try:
        response = client.get(url, accept=ACCEPT)
        info = checked(response.body)
        name = stored_name(response.body, info)
        _keep(folder, response.body, name)
    except RefusedFetch as exc:  # no request was made: asked again as soon as allowed
        return _Outcome(error=str(exc))
    except FetchError as exc:
        answered = exc.status is not None and exc.status < 500
        return _Outcome(error=str(exc), retry=RETRY_AFTER if answered else RETRY_UNANSWERED)
    except NotAPicture as exc:
        return _Outcome(error=str(exc), retry=RETRY_AFTER)
    except OSError as exc:  # the folder: not the picture's fault, tried again next build
        return _Outcome(error=f"cannot be kept in {folder} ({exc})")
    return _Outcome(name, info)


def _unkept(folder: Path, kept: set[str]) -> list[Path]:
    """The files in ``folder`` this module made that no remembered URL keeps: pictures
    forgotten, downloads a crash left half-written."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    return [p for p in entries if (p.name.startswith(_PART) or _NAME.match(p.name))
            and p.name not in kept and p.is_file()]


def _parsed(stamp: str) -> dt.datetime:
    """An ISO time (an aware one; a naive one is UTC); the earliest time if it cannot be
    read (a remembered time from a damaged or foreign cache: the URL is simply due)."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")
