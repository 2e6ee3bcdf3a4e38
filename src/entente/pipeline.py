"""The reading pipeline: file → document with notes, markers, citations and sentences.

Each stage is a function over :class:`~entente.model.Document`; later stages (actors,
time, coding) plug in after :func:`process`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from entente.citations import attach
from entente.ingest import DEFAULT_MAX_BYTES, ReadError, iter_paths
from entente.ingest.segment import segment
from entente.model import Document


def process(doc: Document) -> Document:
    """Notes and citations, then sentences (markers masked), in place."""
    attach(doc)
    segment(doc)
    return doc


def resolve(
    doc: Document, given_date: str | None = None, keep_historical: bool = False
) -> Document:
    """Time anchors for every sentence, then actor mentions resolved at those dates."""
    from entente.actors import find_mentions
    from entente.time.anchor import anchor_document

    anchor_document(doc, given_date)
    find_mentions(doc, keep_historical=keep_historical)
    return doc


def read(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | ReadError]:
    """Read and process every input; bad inputs come back as :class:`ReadError`."""
    for item in iter_paths(paths, max_bytes=max_bytes):
        if isinstance(item, ReadError):
            yield item
        else:
            yield process(item)


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one single-document file, raising :class:`ReadError` on bad input."""
    items = list(read([path], max_bytes=max_bytes))
    for item in items:
        if isinstance(item, ReadError):
            raise item
    if len(items) != 1:
        raise ReadError(path, f"expected one document, found {len(items)}")
    doc = items[0]
    assert isinstance(doc, Document)
    return doc
