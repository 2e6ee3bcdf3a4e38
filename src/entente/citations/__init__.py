"""Notes and citations: the notes section, note markers in the body, ``Ibid.`` chains.

:func:`attach` fills ``doc.notes``, ``doc.markers``, ``doc.citations`` and
``doc.body_end`` for a document a reader produced.
"""

from __future__ import annotations

from entente.citations.markers import find_markers, mask
from entente.citations.notes import parse_notes, parse_source
from entente.citations.resolve import citation_for, resolve_notes
from entente.model import Document

__all__ = ["attach", "find_markers", "mask", "parse_source"]


def attach(doc: Document) -> Document:
    """Find notes, markers and citations in ``doc`` (in place) and return it."""
    doc.notes = parse_notes(doc)
    resolve_notes(doc.notes)
    by_number = {n.number: n for n in doc.notes}
    doc.markers = find_markers(doc.body, set(by_number))
    doc.citations = {n.number: citation_for(n, by_number) for n in doc.notes}
    return doc
