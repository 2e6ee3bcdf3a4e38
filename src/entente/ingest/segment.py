"""Sentence segmentation of the body, with note markers masked out.

Markers are replaced by spaces before spaCy sees the text ("closer.8 Then" would
otherwise be one token and one sentence); offsets stay those of the document.
Titles and headings are one sentence each; notes are not segmented.

Cost stays linear in the length of the text, whatever its shape: a paragraph longer
than ``CHUNK`` characters (a whole file on one line) goes to spaCy in pieces cut at a
sentence end or, failing that, at a space; a "sentence" longer than ``MAX_SENTENCE``
characters (a list with no full stop, a table flattened into one line) is cut at spaces
too, so no later stage ever sees a span of unbounded length.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING

from entente.citations.markers import mask
from entente.model import Document, NoteMarker, Paragraph, Sentence
from entente.nlp import get_nlp

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

_SKIP = ("note", "notes_heading")
#: paragraphs are handed to spaCy in pieces of at most this many characters
CHUNK = 20_000
#: no sentence is longer than this many characters
MAX_SENTENCE = 2_000
#: characters handed to spaCy in one batch (the network's activations grow with the
#: batch: 32 pieces of ``CHUNK`` characters peaked at 200 MB more than 4 do)
BATCH_CHARS = 80_000


def _cut(
    text: str, start: int, end: int, limit: int, ends: tuple[str, ...]
) -> list[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``limit`` characters, each cut after the
    last of ``ends`` in its second half, else at the last space, else hard."""
    out: list[tuple[int, int]] = []
    while end - start > limit:
        window = text[start : start + limit]
        cut = max((window.rfind(m) + len(m) for m in ends), default=0)
        if cut < limit // 2:
            cut = window.rfind(" ") + 1
        if cut < limit // 2:
            cut = limit
        out.append((start, start + cut))
        start += cut
    out.append((start, end))
    return out


def _pieces(masked: str, p: Paragraph) -> list[tuple[int, int]]:
    return _cut(masked, p.start, p.end, CHUNK, (". ", "? ", "! ", ".\n"))


def _batches(pieces: list[tuple[int, int, int]]) -> Iterator[list[tuple[int, int, int]]]:
    """``pieces`` in runs of at most 32 and of at most ``BATCH_CHARS`` characters (one
    piece at least)."""
    batch: list[tuple[int, int, int]] = []
    size = 0
    for piece in pieces:
        n = piece[2] - piece[1]
        if batch and (len(batch) >= 32 or size + n > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += n
    if batch:
        yield batch


def _parse(
    nlp: Language, masked: str, pieces: list[tuple[int, int, int]]
) -> Iterator[tuple[tuple[int, int, int], Doc]]:
    for batch in _batches(pieces):
        texts = [masked[s:e] for _, s, e in batch]
        yield from zip(batch, nlp.pipe(texts, batch_size=len(texts)), strict=True)


def segment(doc: Document) -> Document:
    """Fill ``doc.sentences`` and give each marker its sentence (in place)."""
    masked = mask(doc.text, doc.markers)
    nlp = get_nlp("sentences")
    paras = [p for p in doc.paragraphs if p.kind not in _SKIP]
    to_parse = [p for p in paras if p.kind in ("body", "blockquote")]
    pieces = [(p.index, s, e) for p in to_parse for s, e in _pieces(masked, p)]
    # only the sentence offsets are kept from each parse: a huge document never holds
    # more than one batch of spaCy docs
    parsed: dict[int, list[tuple[int, int]]] = {}
    for (index, base, _), sdoc in _parse(nlp, masked, pieces):
        found = parsed.setdefault(index, [])
        for sent in sdoc.sents:
            chunk = sent.text
            lead = len(chunk) - len(chunk.lstrip())
            s = base + sent.start_char + lead
            e = base + sent.start_char + len(chunk.rstrip())
            if e > s:
                found.append((s, e))
    sentences: list[Sentence] = []
    by_start = sorted(doc.markers, key=lambda m: m.start)  # once, for every paragraph
    for p in paras:
        spans: list[tuple[int, int]] = parsed.get(p.index, [(p.start, p.end)])
        spans = _split_at_markers(doc, _rejoin_closers(masked, spans), by_start)
        spans = [
            piece for s, e in spans for piece in _cut(masked, s, e, MAX_SENTENCE, ("; ", ", "))
        ]
        spans = [(s, e) for s, e in (_strip(doc.text, s, e) for s, e in spans) if e > s]
        for s, e in spans:
            sentences.append(
                Sentence(
                    index=len(sentences), paragraph=p.index, start=s, end=e, text=doc.text[s:e]
                )
            )
    _attach_markers(doc, sentences)
    doc.sentences = sentences
    return doc


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


_CLOSERS = "\u201d\u2019\"')]"


def _rejoin_closers(masked: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A sentence may not start with a closing quote or a note marker: they end the
    previous sentence (``reluctantly.”15 Alternatively`` splits after the 15)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            k = s
            while k < e and (masked[k] in _CLOSERS or masked[k] == " "):
                k += 1
            if k > s and masked[s] in _CLOSERS:
                ps, _ = out[-1]
                cut = k
                while cut > s and masked[cut - 1] == " ":
                    cut -= 1
                out[-1] = (ps, cut)
                if k >= e:
                    continue
                s = k
        out.append((s, e))
    return out


_FINAL = (".", "?", "!", "\u201d", '"', "\u2019")


def _split_at_markers(
    doc: Document, spans: list[tuple[int, int]], markers: list[NoteMarker]
) -> list[tuple[int, int]]:
    """A note marker after sentence-final punctuation and before a capital letter ends a
    sentence, whatever the statistical splitter decided (``said “no.”5 Then ...``)."""
    if not markers:
        return spans
    starts = [m.start for m in markers]
    out: list[tuple[int, int]] = []
    for s, e in spans:
        cut = s
        # only the markers inside the span: a single-line text has thousands of each
        for mk in markers[bisect_right(starts, s) : bisect_left(starts, e)]:
            if not (cut < mk.start and mk.end < e):
                continue
            before = doc.text[cut : mk.start].rstrip()
            after = doc.text[mk.end : e]
            rest = after.lstrip()
            if before.endswith(_FINAL) and rest[:1].isupper() and len(after) > len(rest):
                out.append((cut, mk.end))
                cut = mk.end + (len(after) - len(rest))
        out.append((cut, e))
    return out


def _attach_markers(doc: Document, sentences: list[Sentence]) -> None:
    if not doc.markers:
        return
    j = 0
    for mk in doc.markers:
        while j < len(sentences) and sentences[j].end < mk.start:
            j += 1
        cand = None
        if j < len(sentences) and sentences[j].start <= mk.start:
            cand = j
        elif j > 0:
            cand = j - 1  # glued after the sentence's end, e.g. ".8"
        if cand is None:
            continue
        sent = sentences[cand]
        if mk.end > sent.end:
            gap = doc.text[sent.end : mk.start]
            if gap.strip():
                continue
            sent.end = mk.end
            sent.text = doc.text[sent.start : sent.end]
        mk.sentence = sent.index
        sent.markers.append(mk.number)
