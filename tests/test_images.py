"""Pictures from feeds (``site.images``): found in the feed, downloaded at build time from
127.0.0.1 only, judged by their bytes, kept once by content, published with the site.

Every picture here is written by the test itself (PNG, JPEG, GIF and WebP headers by hand),
and every server is a loopback one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import sqlite3
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import copy_project
from feed_server import FeedServer, Reply, running_server
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.cache_codec import Codec, Undecodable
from digest.config import Config, load_config
from digest.dedupe import fingerprint
from digest.fetch.addresses import refusal
from digest.fetch.feeds import parse_feed
from digest.fetch.fulltext import extract_article
from digest.fetch.images import (
    FORGET_AFTER,
    LEFT_OUT,
    MAX_BYTES,
    NEEDS_CACHE,
    RETRY_AFTER,
    NotAPicture,
    article_pictures,
    checked,
    image_folder,
    picture_files,
    sniffed,
    stored_name,
)
from digest.fields import from_fields
from digest.per_article import clean_document
from digest.pipeline import CACHED_RECORDS, build_digest, merge_duplicates
from digest.records import Article, Cleaned, Picture, RawDocument
from digest.site.pictures import article_picture, picture_html, picture_src

# --- pictures, written by hand ------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, shade: int = 0, pixels: bool = True) -> bytes:
    """A greyscale PNG of one ``shade``; without ``pixels``, its header alone."""
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height)) if pixels else b""
    body = _chunk(b"IDAT", zlib.compress(rows)) if pixels else b""
    return b"\x89PNG\r\n\x1a\n" + header + body + _chunk(b"IEND", b"")


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0) + b";"


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """A JPEG's segments up to its frame header (with an EXIF orientation if given), then
    an empty scan."""
    jfif = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    out = b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(jfif) + 2) + jfif
    if orientation is not None:
        tiff = (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
                + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0))
        exif = b"Exif\x00\x00" + tiff
        out += b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    table = bytes(17) + bytes(12)  # a Huffman table segment before the frame, to be skipped
    out += b"\xff\xc4" + struct.pack(">H", len(table) + 2) + table
    out += b"\xff\xff"  # a fill byte before a marker
    out += b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    out += b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00" + b"\x00" + b"\xff\xd9"
    return out


def webp(width: int, height: int, kind: str = "VP8 ") -> bytes:
    if kind == "VP8 ":
        payload = b"\x10\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
    elif kind == "VP8L":
        payload = b"\x2f" + struct.pack("<I", ((height - 1) << 14) | (width - 1))
    else:
        payload = (b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little")
                   + (height - 1).to_bytes(3, "little"))
    chunk = kind.encode() + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
       b'<script>alert(1)</script></svg>')
HTML = b"<!DOCTYPE html><html><head><title>Not found</title></head><body>gone</body></html>"


# --- the bytes ------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "kind", "size"), [
    (png(40, 30), "png", (40, 30)),
    (gif(320, 200), "gif", (320, 200)),
    (jpeg(640, 480), "jpg", (640, 480)),
    (jpeg(640, 480, orientation=1), "jpg", (640, 480)),
    (jpeg(640, 480, orientation=6), "jpg", (480, 640)),  # shown turned: the size as shown
    (webp(300, 150), "webp", (300, 150)),
    (webp(300, 150, "VP8L"), "webp", (300, 150)),
    (webp(3000, 1500, "VP8X"), "webp", (3000, 1500)),
])
def test_each_kind_gives_its_size_from_its_header(data: bytes, kind: str,
                                                  size: tuple[int, int]) -> None:
    info = sniffed(data)
    assert (info.kind, info.width, info.height) == (kind, *size)
    assert checked(data) == info


@given(st.integers(1, 16383), st.integers(1, 16383), st.sampled_from(["png", "gif", "jpeg",
                                                                       "VP8 ", "VP8L", "VP8X"]))
def test_any_size_is_read_back(width: int, height: int, kind: str) -> None:
    data = {"png": lambda: png(width, height, pixels=False), "gif": lambda: gif(width, height),
            "jpeg": lambda: jpeg(width, height)}.get(kind, lambda: webp(width, height, kind))()
    info = sniffed(data)
    assert (info.width, info.height) == (width, height)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"\xff\xd8\xff", b"RIFF\0\0\0\0WEBP",
                        b"RIFF\0\0\0\0WEBPVP8X", b"<svg", b"\xff\xd8\xff\xe1\x00\x20Exif\0\0MM"]),
       st.binary(max_size=200))
def test_any_bytes_are_a_size_or_a_refusal_never_a_crash(start: bytes, rest: bytes) -> None:
    try:
        info = sniffed(start + rest)
    except NotAPicture as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert info.kind in ("png", "gif", "jpg", "webp") and info.width >= 0 and info.height >= 0


@pytest.mark.parametrize(("data", "reason"), [
    (SVG, "SVG"),
    (b"\xef\xbb\xbf  <svg viewBox='0 0 1 1'><script>x()</script></svg>", "SVG"),
    (HTML, "HTML page"),
    (b"", "no bytes"),
    (b"BM\x36\x00\x00\x00", "not a PNG, JPEG, GIF or WebP"),
    (b"\x00\x00\x00\x1cftypavif", "not a PNG, JPEG, GIF or WebP"),
    (png(40, 30)[:20], "damaged PNG"),
    (jpeg(40, 30)[:30], "damaged JPEG"),
    (b"RIFF\x04\x00\x00\x00WEBPVP8 ", "damaged WebP"),
])
def test_what_is_not_a_picture_is_refused_by_its_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(NotAPicture, match=reason):
        checked(data)


@pytest.mark.parametrize(("data", "reason"), [
    (png(20_000, 100, pixels=False), "over 10,000 pixels a side"),
    (webp(10_001, 16, "VP8X"), "over 10,000 pixels a side"),
    (png(9_000, 9_000, pixels=False), "pixels in all"),
    (gif(1, 1), "too small"),
    (jpeg(0, 480), "too small"),
])
def test_absurd_sizes_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(NotAPicture, match=reason):
        checked(data)


def test_a_picture_is_named_by_its_content() -> None:
    one, other = png(40, 30, 1), png(40, 30, 2)
    assert stored_name(one, checked(one)) == hashlib.sha256(one).hexdigest()[:16] + ".png"
    assert stored_name(one, checked(one)) != stored_name(other, checked(other))
    assert stored_name(jpeg(40, 30), checked(jpeg(40, 30))).endswith(".jpg")


# --- found in feeds ---------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>Quay</title><link>https://quay.example/</link>
<item><title>Thumbnail</title><link>https://quay.example/a</link><guid>a</guid>
  <media:thumbnail url="/pics/a.jpg" width="120" height="80"/>
  <media:content url="https://quay.example/pics/a-big.jpg" medium="image"/></item>
<item><title>Enclosure</title><link>https://quay.example/b</link><guid>b</guid>
  <enclosure url="https://quay.example/b.mp3" type="audio/mpeg" length="10"/>
  <enclosure url="https://quay.example/b.png" type="image/png" length="10"/></item>
<item><title>Media content</title><link>https://quay.example/c</link><guid>c</guid>
  <media:content url="https://quay.example/c.mp4" type="video/mp4"/>
  <media:content url="https://quay.example/c.webp" type="image/webp"/></item>
<item><title>Script</title><link>https://quay.example/d</link><guid>d</guid>
  <media:thumbnail url="javascript:alert(1)"/>
  <enclosure url="data:image/png;base64,AAAA" type="image/png"/></item>
<item><title>None</title><link>https://quay.example/e</link><guid>e</guid></item>
</channel></rss>"""


def test_rss_pictures_from_thumbnails_image_content_and_image_enclosures() -> None:
    feed = parse_feed(RSS.encode(), "https://quay.example/feed.xml")
    assert {i.title: i.image for i in feed.items} == {
        "Thumbnail": "https://quay.example/pics/a.jpg",  # resolved against the feed's address
        "Enclosure": "https://quay.example/b.png",
        "Media content": "https://quay.example/c.webp",
        "Script": "",
        "None": ""}


def test_atom_image_enclosure_and_json_feed_image() -> None:
    atom = parse_feed(b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
        <title>Q</title><id>q</id><updated>2026-03-02T09:00:00Z</updated>
        <entry><title>A</title><id>a</id><updated>2026-03-02T09:00:00Z</updated>
        <link href="https://quay.example/a"/>
        <link rel="enclosure" type="image/jpeg" href="https://quay.example/a.jpg"/></entry>
        </feed>""", "https://quay.example/atom.xml")
    assert [i.image for i in atom.items] == ["https://quay.example/a.jpg"]
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "Q",
           "home_page_url": "https://quay.example/",
           "items": [{"id": "1", "url": "/1", "content_text": "x", "image": "img/1.png"},
                     {"id": "2", "content_text": "x", "banner_image": "https://cdn.example/2.gif"},
                     {"id": "3", "content_text": "x", "image": "ftp://quay.example/3.png"},
                     {"id": "4", "content_text": "x", "image": ["not", "a", "string"]}]}
    items = parse_feed(json.dumps(doc).encode()).items
    assert [i.image for i in items] == ["https://quay.example/img/1.png",
                                        "https://cdn.example/2.gif", "", ""]


def page(image: str) -> bytes:
    words = " ".join(["The harbour crane lifted its first container in three years."] * 8)
    return (f'<html><head><title>Crane</title><meta property="og:image" content="{image}">'
            f"</head><body><article><h1>Crane</h1><p>{words}</p><p>{words}</p></article>"
            "</body></html>").encode()


def test_a_page_gives_its_og_image_resolved_against_its_address() -> None:
    found = extract_article(page("/pics/crane.jpg"), "https://quay.example/news/crane")
    assert found is not None and found.image == "https://quay.example/pics/crane.jpg"
    hostile = extract_article(page("javascript:alert(1)"), "https://quay.example/news/crane")
    assert hostile is not None and hostile.image == ""
    doc = RawDocument("q/crane", "q", "https://quay.example/news/crane",
                      text=found.as_scraped_text(), fields={"image": found.image})
    assert clean_document(doc).image == "https://quay.example/pics/crane.jpg"


def test_the_picture_is_carried_onto_the_article_record() -> None:
    assert from_fields({"title": "T", "image": " https://quay.example/a.jpg "}).image == (
        "https://quay.example/a.jpg")
    assert from_fields({"title": "T", "image": "javascript:alert(1)"}).image == ""
    assert from_fields({"title": "T", "image": 3}).image == ""
    article = Article("q/1", "q", "o", title="T", image="https://quay.example/a.jpg")
    assert article.image == article.cleaned.image == "https://quay.example/a.jpg"


def test_the_cache_codec_keeps_the_picture_and_refuses_rows_of_the_previous_shape() -> None:
    codec = Codec(CACHED_RECORDS)
    cleaned = Cleaned(title="T", body=("One.",), image="https://quay.example/a.jpg")
    assert codec.decode(codec.encode(cleaned)) == cleaned
    row = json.loads(codec.encode(cleaned))
    row["r"] = row["r"][:-1]  # a Cleaned written before it had a picture: one field fewer
    with pytest.raises(Undecodable, match="expected"):
        codec.decode(json.dumps(row))
    row = json.loads(codec.encode(cleaned))
    row["r"][-1] = 7
    with pytest.raises(Undecodable, match="Cleaned.image"):
        codec.decode(json.dumps(row))


def test_a_canonical_article_keeps_a_picture_only_a_copy_had() -> None:
    body = tuple(f"Paragraph {i} about the harbour crane and its long repair, which the port"
                 f" authority says cost less than feared ({i})." for i in range(6))
    first = Article("a/1", "a", "o1", title="Crane back", body=body, priority=0)
    second = Article("b/1", "b", "o2", title="Crane back", body=body, priority=1,
                     image="https://b.example/crane.jpg")
    third = Article("c/1", "c", "o3", title="Crane back", body=body, priority=2,
                    image="https://c.example/crane.jpg")
    prints = {a.id: fingerprint(body).to_bytes() for a in (first, second, third)}
    kept, duplicates = merge_duplicates([first, second, third], prints)
    assert [a.id for a in kept] == ["a/1"] and len(duplicates) == 2
    assert kept[0].image == "https://b.example/crane.jpg"  # the copy of the earlier source
    own = dataclasses.replace(first, cleaned=dataclasses.replace(
        first.cleaned, image="https://a.example/own.jpg"))
    kept, _ = merge_duplicates([own, second, third], prints)
    assert kept[0].image == "https://a.example/own.jpg"


# --- downloaded at build time -------------------------------------------------------------

FAST = {"timeout": 0.5, "total_timeout": 3, "retries": 0, "backoff": 0.05,
        "host_interval": 0, "allow_private_hosts": ["127.0.0.1"]}


def make_config(tmp_path: Path, images: bool = True, sources: str = "", cache: str = "cache.sqlite",
                **fetch: object) -> Config:
    settings = "".join(f"  {k}: {json.dumps(v)}\n" for k, v in {**FAST, **fetch}.items())
    sources = sources or "  - name: quay\n    type: text\n    path: 'none/*.txt'\n"
    path = tmp_path / "feeds.yaml"
    path.write_text(f"site:\n  images: {str(images).lower()}\ncache: {cache}\n"
                    f"fetch:\n{settings}sources:\n{sources}", "utf-8")
    return load_config(path)


def article(n: int, url: str, source: str = "quay") -> Article:
    return Article(f"{source}/{n}", source, f"o{n}", title=f"Story {n}", body=("Text.",),
                   image=url)


def serve(server: FeedServer, path: str, body: bytes, content_type: str = "image/png") -> str:
    server.routes[path] = lambda h: Reply(200, body, {"Content-Type": content_type})
    return server.base + path


def test_with_the_setting_off_nothing_is_downloaded(server: FeedServer, tmp_path: Path) -> None:
    url = serve(server, "/a.png", png(40, 30))
    config = make_config(tmp_path, images=False)
    assert config.site.images is False
    assert load_config(_without_images(tmp_path)).site.images is False  # the default
    assert article_pictures(config, [article(1, url)]) == ({}, [])
    assert server.log == []
    assert not image_folder(config).exists()  # type: ignore[union-attr]


def _without_images(tmp_path: Path) -> Path:
    path = tmp_path / "plain.yaml"
    path.write_text("sources:\n  - name: quay\n    type: text\n    path: 'none/*.txt'\n", "utf-8")
    return path


def test_pictures_are_downloaded_once_and_kept_by_content(server: FeedServer,
                                                          tmp_path: Path) -> None:
    urls = [serve(server, "/a.png", png(40, 30, 1)),
            serve(server, "/b.jpg", jpeg(640, 480, orientation=6), "image/jpeg"),
            serve(server, "/c.webp", webp(300, 150), "image/webp"),
            serve(server, "/d", gif(320, 200), "application/octet-stream"),  # bytes decide
            serve(server, "/same.png", png(40, 30, 1))]  # another URL, the same picture
    config = make_config(tmp_path)
    articles = [article(i, url) for i, url in enumerate(urls)] + [article(9, urls[0])]
    pictures, notices = article_pictures(config, articles)
    assert notices == []
    assert {k: (p.width, p.height) for k, p in pictures.items()} == {
        "quay/0": (40, 30), "quay/1": (480, 640), "quay/2": (300, 150), "quay/3": (320, 200),
        "quay/4": (40, 30), "quay/9": (40, 30)}
    assert pictures["quay/0"] == pictures["quay/4"] == pictures["quay/9"]
    name = hashlib.sha256(png(40, 30, 1)).hexdigest()[:16] + ".png"
    assert pictures["quay/0"].path == f"images/{name}"
    assert [h.path for h in server.log].count("/a.png") == 1  # one request per URL
    folder = image_folder(config)
    assert folder is not None and folder.name == "cache.sqlite-images"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        {p.path.split("/")[1] for p in pictures.values()})
    assert all(h.headers["accept"].startswith("image/") for h in server.log)
    files = picture_files(config, pictures.values())
    assert files[f"images/{name}"].read_bytes() == png(40, 30, 1)
    # the next build asks for nothing, and gives the same pictures
    server.log.clear()
    again, notices = article_pictures(config, articles)
    assert (again, notices) == (pictures, [])
    assert server.log == []


def test_a_kept_file_that_is_gone_or_changed_is_fetched_again(server: FeedServer,
                                                              tmp_path: Path) -> None:
    url = serve(server, "/a.png", png(40, 30))
    config = make_config(tmp_path)
    pictures, _ = article_pictures(config, [article(1, url)])
    [kept] = picture_files(config, pictures.values()).values()
    kept.write_bytes(SVG)  # whatever a restored cache folder holds, the name must be its hash
    again, notices = article_pictures(config, [article(1, url)])
    assert again == pictures and notices == [] and kept.read_bytes() == png(40, 30)
    kept.write_bytes(png(50, 50))  # a picture, but not the one its name is the hash of
    assert article_pictures(config, [article(1, url)])[0] == pictures
    assert kept.read_bytes() == png(40, 30)
    kept.write_bytes(png(40, 30)[:-1] + b"!")  # the same size, one byte changed
    assert article_pictures(config, [article(1, url)])[0] == pictures
    assert kept.read_bytes() == png(40, 30)
    kept.unlink()
    assert article_pictures(config, [article(1, url)])[0] == pictures and kept.is_file()
    assert len(server.hits("/a.png")) == 5


def test_a_crafted_cache_row_cannot_name_another_file(server: FeedServer,
                                                      tmp_path: Path) -> None:
    url = serve(server, "/a.png", png(40, 30))
    config = make_config(tmp_path)
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(50, 50))
    article_pictures(config, [article(1, url)])
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:
        db.execute("UPDATE images SET file = ?", ("../secret.png",))
    pictures, _ = article_pictures(config, [article(1, url)])
    assert pictures["quay/1"].path.startswith("images/") and (pictures["quay/1"].width == 40)
    assert picture_files(config, [Picture("images/../secret.png", 50, 50)]) == {}
    assert secret.exists()


@pytest.mark.parametrize(("body", "content_type", "reason"), [
    (SVG, "image/svg+xml", "SVG"),
    (SVG, "image/png", "SVG"),  # whatever the server calls it
    (HTML, "image/jpeg", "HTML page"),
    (png(40, 30) + bytes(MAX_BYTES), "image/png", "over the 2,000,000 byte limit"),
    (png(20_000, 20, pixels=False), "image/png", "over 10,000 pixels a side"),
    (gif(1, 1), "image/gif", "too small"),
])
def test_what_is_not_a_sensible_picture_is_left_out_with_a_report_line(
        server: FeedServer, tmp_path: Path, body: bytes, content_type: str, reason: str) -> None:
    good = serve(server, "/good.png", png(40, 30))
    bad = serve(server, "/bad", body, content_type)
    config = make_config(tmp_path)
    pictures, notices = article_pictures(config, [article(1, good), article(2, bad, "wire")])
    assert list(pictures) == ["quay/1"]  # the build goes on
    [notice] = notices
    assert (notice.origin, notice.source) == (bad, "wire")
    assert notice.reason.startswith(f"{LEFT_OUT}: ") and reason in notice.reason
    assert "\n" not in notice.reason
    folder = image_folder(config)
    assert folder is not None and len(list(folder.iterdir())) == 1  # nothing of it kept


def test_a_failure_is_remembered_for_a_while(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/gone.png"] = lambda h: Reply(404, b"not found")
    url = server.base + "/gone.png"
    config = make_config(tmp_path)
    day = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)

    def build(at: dt.datetime) -> list[str]:
        _, notices = article_pictures(config, [article(1, url)], now=lambda: at.isoformat())
        return [n.reason for n in notices]

    first = build(day)
    assert first == [f"{LEFT_OUT}: HTTP 404 Not Found"]
    assert build(day + dt.timedelta(days=1)) == first  # said again, not asked again
    assert len(server.hits("/gone.png")) == 1
    build(day + RETRY_AFTER + dt.timedelta(hours=1))
    assert len(server.hits("/gone.png")) == 2
    with sqlite3.connect(tmp_path / "cache.sqlite") as db:  # a crafted "never again"
        db.execute("UPDATE images SET retry_after = '9999-01-01T00:00:00+00:00'")
    build(day + RETRY_AFTER + dt.timedelta(hours=2))
    assert len(server.hits("/gone.png")) == 3


def test_unused_pictures_are_forgotten_and_their_files_deleted(server: FeedServer,
                                                               tmp_path: Path) -> None:
    old, new = serve(server, "/old.png", png(40, 30, 1)), serve(server, "/new.png", png(40, 30, 2))
    config = make_config(tmp_path)
    day = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    first, _ = article_pictures(config, [article(1, old)], now=lambda: day.isoformat())
    [old_file] = picture_files(config, first.values()).values()
    (old_file.parent / "notes.txt").write_text("the user's own", "utf-8")
    later = day + dt.timedelta(days=5)
    article_pictures(config, [article(2, new)], now=lambda: later.isoformat())
    assert old_file.exists()  # not used this build, but not for long
    latest = day + FORGET_AFTER + dt.timedelta(days=1)
    second, _ = article_pictures(config, [article(2, new)], now=lambda: latest.isoformat())
    assert not old_file.exists()
    assert (old_file.parent / "notes.txt").exists()  # only files made here are deleted
    assert all(f.exists() for f in picture_files(config, second.values()).values())


def test_the_address_policy_refuses_private_addresses() -> None:
    # judged as a function: nothing connects to these
    for address in ("10.1.2.3", "192.168.0.10", "169.254.169.254", "127.0.0.1", "::1",
                    "fd00::1", "::ffff:10.0.0.1"):
        assert refusal(address, 80, address, ()) is not None, address
    assert refusal("93.184.216.34", 443, "pictures.example.org", ()) is None


def test_a_picture_on_a_host_not_allowed_is_refused_before_any_request(
        server: FeedServer, tmp_path: Path) -> None:
    url = serve(server, "/a.png", png(40, 30))
    config = make_config(tmp_path, allow_private_hosts=[])
    pictures, [notice] = article_pictures(config, [article(1, url)])
    assert pictures == {} and server.log == []
    assert "refused: 127.0.0.1 is a loopback address" in notice.reason
    # not remembered: allowing the host counts at once
    pictures, notices = article_pictures(make_config(tmp_path), [article(1, url)])
    assert list(pictures) == ["quay/1"] and notices == []


def test_without_a_cache_the_build_says_pictures_need_one(server: FeedServer,
                                                          tmp_path: Path) -> None:
    url = serve(server, "/a.png", png(40, 30))
    config = make_config(tmp_path, cache="null")
    pictures, [notice] = article_pictures(config, [article(1, url)])
    assert pictures == {} and notice.reason == NEEDS_CACHE and server.log == []


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>Quay Courier</title><link>{base}/</link><language>en</language>
<item><title>Harbour crane lifts again</title><link>{base}/crane</link><guid>crane</guid>
  <pubDate>Mon, 02 Mar 2026 09:30:00 GMT</pubDate>
  <media:thumbnail url="{base}/pics/crane.png"/>
  <description>The old harbour crane lifted its first container in three years on Monday.
  Dock workers said the repairs had cost less than the port authority had feared, and the
  crane will work every weekday from now on.</description></item>
<item><title>Ferry timetable changes for spring</title><link>{base}/ferry</link><guid>ferry</guid>
  <pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate>
  <enclosure url="{base}/pics/ferry.svg" type="image/png" length="10"/>
  <description>The ferry will sail twice more each day from April, the operator said on
  Monday, after a winter in which the crossings were often full by the early afternoon.
  </description></item>
</channel></rss>"""


def feed_project(server: FeedServer, folder: Path) -> None:
    server.static("/feed.xml", FEED.format(base=server.base).encode(), "application/rss+xml")
    serve(server, "/pics/crane.png", png(64, 48, 7))
    serve(server, "/pics/ferry.svg", SVG, "image/png")
    (folder / "feeds.yaml").write_text(
        "site:\n  title: Quay\n  language: en\n  images: true\n"
        "fetch:\n" + "".join(f"  {k}: {json.dumps(v)}\n" for k, v in FAST.items()) +
        f"sources:\n  - name: courier\n    type: rss\n    url: {server.base}/feed.xml\n",
        "utf-8")


def test_a_build_maps_articles_to_their_pictures_and_reports_the_rest(
        server: FeedServer, tmp_path: Path) -> None:
    feed_project(server, tmp_path)
    config = load_config(tmp_path / "feeds.yaml")
    digest = build_digest(config, jobs=1, now=lambda: dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
    by_title = {a.title: a for a in digest.articles}
    crane = by_title["Harbour crane lifts again"]
    assert crane.image == f"{server.base}/pics/crane.png"
    assert digest.pictures == {crane.id: Picture(
        "images/" + stored_name(png(64, 48, 7), checked(png(64, 48, 7))), 64, 48)}
    [note] = [n for n in digest.notices if n.reason.startswith(LEFT_OUT)]
    assert note.origin == f"{server.base}/pics/ferry.svg" and note.source == "courier"
    assert "SVG" in note.reason


# --- on pages -------------------------------------------------------------------------------

def test_picture_markup_is_escaped_sized_and_lazy() -> None:
    markup = picture_html("../../images/0123456789abcdef.jpg", 640, 480,
                          'Crane "lifted" <script>[x](javascript:y)', "thumb lead")
    assert markup.startswith('<img src="../../images/0123456789abcdef.jpg" width="640"'
                             ' height="480" alt="Crane &#34;lifted&#34; &#60;script&#62;')
    assert 'loading="lazy" decoding="async" class="thumb lead">' in markup
    assert "<script" not in markup and "javascript:" not in markup and "[x]" not in markup
    assert 'class=' not in picture_html("images/0123456789abcdef.png", 1, 1, "", "")


@pytest.mark.parametrize("src", [
    "https://quay.example/images/0123456789abcdef.jpg",
    "//quay.example/images/0123456789abcdef.jpg",
    "/images/0123456789abcdef.jpg", "data:image/png;base64,AAAA", "javascript:alert(1)",
    "images/../secret/0123456789abcdef.jpg", "images/0123456789abcdef.svg",
    "images/0123456789abcdef.jpg?x=1", "pics/0123456789abcdef.jpg", "images/crane.jpg",
    "images/0123456789abcdef.jpg\" onerror=\"x",
])
def test_picture_markup_refuses_any_other_address(src: str) -> None:
    with pytest.raises(ValueError, match="picture the site publishes"):
        picture_html(src, 10, 10, "", "")


@pytest.mark.parametrize(("width", "height", "css_class"), [
    (0, 10, ""), (10, 10_001, ""), (True, 10, ""), (10, 10, 'x" onload="y'), (10, 10, "a<b")])
def test_picture_markup_refuses_odd_sizes_and_classes(width: int, height: int,
                                                      css_class: str) -> None:
    with pytest.raises(ValueError):
        picture_html("images/0123456789abcdef.jpg", width, height, "", css_class)


def test_a_picture_is_addressed_from_the_page_it_is_on() -> None:
    picture = Picture("images/0123456789abcdef.png", 40, 30)
    assert picture_src(picture, "index.md") == "images/0123456789abcdef.png"
    assert picture_src(picture, "topics/crane.md") == "../../images/0123456789abcdef.png"
    assert picture_src(picture, "articles/2026-03-02/crane.md") == (
        "../../../images/0123456789abcdef.png")
    pictures = {"q/1": picture}
    assert article_picture(pictures, "q/2", "index.md") == ""
    assert 'src="images/0123456789abcdef.png" width="40" height="30"' in article_picture(
        pictures, "q/1", "index.md", "Crane")


# --- a real site ------------------------------------------------------------------------------

_EXTERNAL = re.compile(r"""<(?:img|source|image)\b[^>]*?\s(?:src|srcset|href)\s*=\s*["']?\s*"""
                       r"""(?:[a-z][a-z0-9+.-]*:|//)""", re.I)


@pytest.mark.slow
def test_the_built_site_publishes_its_own_copy_and_links_no_picture_elsewhere(
        tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with running_server() as server:
        feed_project(server, project)
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"],
                                cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    name = stored_name(png(64, 48, 7), checked(png(64, 48, 7)))
    assert (site / "images" / name).read_bytes() == png(64, 48, 7)
    assert [p.name for p in (site / "images").iterdir()] == [name]  # the SVG is not there
    pages = list(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        text = page.read_text("utf-8")
        assert not _EXTERNAL.search(text), page
        assert "/pics/crane.png" not in text, page  # nor the publisher's picture URL
    report = json.loads((project / "build-report.json").read_text("utf-8"))
    assert [n["origin"] for n in report["notices"] if n["reason"].startswith(LEFT_OUT)] == [
        f"{server.base}/pics/ferry.svg"]
