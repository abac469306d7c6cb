"""Content-Encoding undone as the body streams, in bounded memory, for every layer.

:func:`decoded` turns the raw chunks of a response into its decoded bytes lazily: each
layer (``gzip``, ``x-gzip``, ``deflate`` with or without its zlib wrapper, in any
number up to :data:`MAX_LAYERS`, ``identity`` ignored) hands at most :data:`PIECE`
bytes at a time to the next, and no layer may put out more than ``limit`` bytes in
all. So a response of a few kilobytes that would inflate to gigabytes (``gzip, gzip``)
costs at most ``limit`` bytes of work per layer and a few pieces of memory, and stops
with :class:`ContentError`. Data after the end of a compressed stream is ignored
without being decompressed. Encodings we do not ask for (``br``, ``zstd``,
``compress``...) are refused by name, not passed on as if decoded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

PIECE = 64 * 1024  # bytes a layer puts out per step
# gzip inside gzip is legal but pointless; a long list is only a way to multiply work
MAX_LAYERS = 3
_GZIP_WBITS = zlib.MAX_WBITS | 16
_WBITS = {"gzip": _GZIP_WBITS, "x-gzip": _GZIP_WBITS, "deflate": None}  # None: sniffed


class ContentError(Exception):
    """The body cannot be decoded within the limits; the message is one report line."""


class _Layer:
    """One encoding undone incrementally, counting what it puts out."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit = name, limit
        wbits = _WBITS[name]
        self.inflater = zlib.decompressobj(wbits) if wbits is not None else None
        self.head = b""  # deflate: the first bytes, kept until the wrapper is known
        self.produced = 0

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``data``, each at most :data:`PIECE` bytes, as they are asked for."""
        if self.inflater is None:
            self.head += data
            if len(self.head) < 2:
                return
            data, self.head = self.head, b""
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS if _zlib_header(data)
                                               else -zlib.MAX_WBITS)
        inflater = self.inflater
        while not inflater.eof:
            try:
                piece = inflater.decompress(data, PIECE)
            except zlib.error as exc:
                raise ContentError(f"broken {self.name} data: {exc}") from None
            data = inflater.unconsumed_tail
            self.produced += len(piece)
            if self.produced > self.limit:
                raise ContentError(f"response is over the {self.limit:,} byte limit once"
                                   f" decoded ({self.name})")
            if piece:
                yield piece
            if not data and len(piece) < PIECE:
                return  # all it can give for now: wait for more input

    def finish(self) -> Iterator[bytes]:
        """What is left once the input ends (a deflate body shorter than two bytes)."""
        if self.inflater is None and self.head:
            self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            head, self.head = self.head, b""
            yield from self.feed(head)


def _zlib_header(data: bytes) -> bool:
    """Whether deflate data starts with the zlib wrapper (RFC 1950) rather than raw deflate."""
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


def layers(content_encoding: str) -> tuple[str, ...]:
    """The encodings to undo, in the order to undo them (the last one applied first)."""
    names = [n.strip().lower() for n in content_encoding.split(",")]
    names = [n for n in names if n and n != "identity"]
    unknown = [n for n in names if n not in _WBITS]
    if unknown:
        raise ContentError(f"unsupported Content-Encoding {unknown[0]!r}"
                           " (newsdigest asks for gzip or deflate)")
    if len(names) > MAX_LAYERS:
        raise ContentError(f"Content-Encoding has {len(names)} layers; at most {MAX_LAYERS}"
                           " are decoded")
    return tuple(reversed(names))


def decoded(raw: Iterable[bytes], content_encoding: str, limit: int) -> Iterator[bytes]:
    """The decoded body of ``raw`` chunks sent with ``content_encoding``; lazily, bounded.

    Raises :class:`ContentError` for an unknown encoding, broken data, or a layer that
    puts out more than ``limit`` bytes.
    """
    chain = [_Layer(name, limit) for name in layers(content_encoding)]

    def through(i: int, data: bytes) -> Iterator[bytes]:
        if i == len(chain):
            yield data
            return
        for piece in chain[i].feed(data):
            yield from through(i + 1, piece)

    for chunk in raw:
        yield from through(0, chunk)
    for i, layer in enumerate(chain):
        for piece in layer.finish():
            yield from through(i + 1, piece)
