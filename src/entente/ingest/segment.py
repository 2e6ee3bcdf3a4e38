"""Sentence segmentation of the body, with note markers masked out.

Markers are replaced by spaces before spaCy sees the text ("closer.8 Then" would
otherwise be one token and one sentence); offsets stay those of the document.
Titles and headings are one sentence each; notes are not segmented.
"""

from __future__ import annotations

from entente.citations.markers import mask
from entente.model import Document, Sentence
from entente.nlp import get_nlp

_SKIP = ("note", "notes_heading")


def segment(doc: Document) -> Document:
    """Fill ``doc.sentences`` and give each marker its sentence (in place)."""
    masked = mask(doc.text, doc.markers)
    nlp = get_nlp("sentences")
    paras = [p for p in doc.paragraphs if p.kind not in _SKIP]
    to_parse = [p for p in paras if p.kind in ("body", "blockquote")]
    parsed = dict(
        zip(
            (p.index for p in to_parse),
            nlp.pipe((masked[p.start : p.end] for p in to_parse), batch_size=64),
            strict=True,
        )
    )
    sentences: list[Sentence] = []
    for p in paras:
        spans: list[tuple[int, int]] = []
        if p.index in parsed:
            for sent in parsed[p.index].sents:
                chunk = sent.text
                lead = len(chunk) - len(chunk.lstrip())
                s = p.start + sent.start_char + lead
                e = p.start + sent.start_char + len(chunk.rstrip())
                if e > s:
                    spans.append((s, e))
        else:
            spans.append((p.start, p.end))
        spans = _split_at_markers(doc, _rejoin_closers(masked, spans))
        for s, e in spans:
            sentences.append(
                Sentence(
                    index=len(sentences), paragraph=p.index, start=s, end=e, text=doc.text[s:e]
                )
            )
    _attach_markers(doc, sentences)
    doc.sentences = sentences
    return doc


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


def _split_at_markers(doc: Document, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A note marker after sentence-final punctuation and before a capital letter ends a
    sentence, whatever the statistical splitter decided (``said “no.”5 Then ...``)."""
    if not doc.markers:
        return spans
    out: list[tuple[int, int]] = []
    for s, e in spans:
        cut = s
        for mk in doc.markers:
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
