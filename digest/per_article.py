"""Per-article work: clean, summarise and fingerprint one document, over many processes.

:func:`process` is pure and never raises for a document, so it can run in any
process and its result can be cached by the document's content.
:func:`map_documents` runs it over documents in order, on a process pool whose
workers die with the build (:func:`~digest.workers.die_with_parent`), or in this
process when there are too few documents for a pool to pay; the results do not
depend on where they ran.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace

from digest.clean import clean_text
from digest.clean.furniture import furniture_key
from digest.clean.template import item_units, without_template
from digest.clean.units import read_units
from digest.dedupe import fingerprint
from digest.fields import from_fields, image_of, language_of
from digest.headline import with_title_from_text
from digest.records import Article, Cleaned, RawDocument
from digest.summarize import summarize
from digest.urls import web_url
from digest.workers import worker_pool

SERIAL_BELOW = 24  # documents; fewer than this run in-process (a pool costs more than it saves)
LOOKUP_BYTES = 8  # the digest of one furniture key in a document's lookups

Progress = Callable[[str, int, int], None]  # (stage, done, total)
NO_TEXT = "no article text recognised"
NO_HEADLINE = "no text of its own, and no title and link to list it by"


@dataclass(frozen=True)
class Processed:
    """The per-article results: what the cache keeps for one document."""

    article: Article | None  # without a body: a headline only (a title and a link)
    fingerprint: bytes = b""  # none for a headline only
    problem: str = ""  # why the document gave no article


def clean_document(doc: RawDocument, furniture: frozenset[str] = frozenset()) -> Cleaned:
    """Clean one document: scraped text through the cleaner (with the language its fields
    give: a fetched page's) without the lines its source repeats (``furniture``: learned
    furniture lines), structured fields as given without the source's template
    (``furniture``: learned template units, :mod:`digest.clean.template`). Either way, a
    document without a title is titled from its own text, and marked so
    (:mod:`digest.headline`)."""
    if doc.text:
        cleaned = clean_text(doc.text, furniture)
        language = language_of(doc.fields)
        if language:
            cleaned = replace(cleaned, language=language)
        if image_of(doc.fields):  # a fetched page's og:image
            cleaned = replace(cleaned, image=image_of(doc.fields))
    else:
        cleaned, _ = without_template(from_fields(doc.fields), furniture)
    return with_title_from_text(cleaned)


def process(doc: RawDocument, furniture: frozenset[str], sentences: int) -> Processed:
    """Clean, summarise and fingerprint one document. Pure; safe to run in any process.

    Never raises for a document: one that defeats a stage (a bug, met on input nobody
    foresaw) gives no article and a problem naming the error, which the build report
    lists under that document, and the build goes on.
    """
    try:
        return _process(doc, furniture, sentences)
    except ImportError:
        raise  # a broken install, not a bad document: the door says it once
    except Exception as exc:  # reported per document, never swallowed
        error = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return Processed(None, problem=f"could not be processed ({error}); please report this")


def _process(doc: RawDocument, furniture: frozenset[str], sentences: int) -> Processed:
    cleaned = clean_document(doc, furniture)
    url = doc.fields.get("url")
    url = url if isinstance(url, str) else None
    if not cleaned.body:
        if doc.text or not cleaned.title or not web_url(url):
            return Processed(None, problem=NO_TEXT if doc.text else NO_HEADLINE)
        # a headline only: an article without text, whose build decides to list it or not
        return Processed(Article(doc.id, doc.source, doc.origin, cleaned, url=url,
                                 priority=doc.priority))
    article = Article(doc.id, doc.source, doc.origin, cleaned, url=url, priority=doc.priority,
                      summary=tuple(summarize(cleaned.text, sentences)))
    return Processed(article, fingerprint(cleaned.body).to_bytes())


def _process_many(batch: Sequence[tuple[RawDocument, frozenset[str]]],
                  sentences: int) -> list[Processed]:
    return [process(doc, furniture, sentences) for doc, furniture in batch]


def lookup_digest(key: str) -> bytes:
    """A furniture key as :func:`furniture_lookups` records it."""
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                           digest_size=LOOKUP_BYTES).digest()


def furniture_lookups(doc: RawDocument) -> bytes:
    """Every furniture key cleaning ``doc`` can look up, as sorted digests in one value.

    Cleaning asks its source's furniture about nothing else: a scraped page about the key
    of each of its units (:func:`digest.clean.units.classify`; the units are read here as
    the cleaner reads them, and taking out link lists only marks units, so a unit taken
    into a list is counted too), a structured item about each of its template units
    (:func:`digest.clean.template.without_template`). The title's learnt affixes are
    looked up as well; :func:`own_furniture` gives every document all of them.
    """
    if doc.text:
        keys = {furniture_key(u.text) for u in read_units(doc.text).units}
    else:
        fields = from_fields(doc.fields)
        keys = set(item_units("", fields.title, fields.body).keys)
    return b"".join(sorted(lookup_digest(k) for k in keys))


def own_furniture(lookups: bytes, furniture: Mapping[bytes, str],
                  always: frozenset[str] = frozenset()) -> frozenset[str]:
    """The part of a source's furniture (``furniture``: its entries by
    :func:`lookup_digest`) cleaning one document can meet, given the document's
    :func:`furniture_lookups`, and ``always`` (the title affixes).

    Cleaning with it gives what cleaning with the whole furniture gives, so a document's
    result depends on it alone: a source's new page that adds furniture this document
    never shows leaves its cached result valid.
    """
    found = {furniture[d] for i in range(0, len(lookups), LOOKUP_BYTES)
             if (d := lookups[i:i + LOOKUP_BYTES]) in furniture}
    return frozenset(found) | always


def map_documents(docs: Sequence[RawDocument], furniture: Sequence[frozenset[str]],
                  sentences: int, executor: Executor | None = None,
                  jobs: int | None = None, progress: Progress | None = None) -> list[Processed]:
    """:func:`process` over ``docs``, each with its furniture (``furniture[i]``: its
    source's, or the part :func:`own_furniture` gives), in order, on an executor (a process
    pool by default).

    The result does not depend on the executor or the number of jobs.
    """
    work = list(zip(docs, furniture, strict=True))
    run = functools.partial(_process_many, sentences=sentences)
    jobs = jobs or os.cpu_count() or 1
    serial = executor is None and (jobs == 1 or len(work) < SERIAL_BELOW)
    size = 1 if serial else max(1, min(64, len(work) // (jobs * 4) or 1))
    batches = [work[i:i + size] for i in range(0, len(work), size)]
    out: list[Processed] = []

    def collect(parts: Iterable[list[Processed]]) -> list[Processed]:
        for part in parts:
            out.extend(part)
            if progress:
                progress("clean+summarize", len(out), len(work))
        return out

    if serial:
        return collect(map(run, batches))
    if executor is not None:
        return collect(executor.map(run, batches))
    with worker_pool(jobs) as pool:  # workers die with the build
        return collect(pool.map(run, batches))
