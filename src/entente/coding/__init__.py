"""Coding: events, relation assessments and quotations, each with its evidence.

:func:`code_document` parses only the sentences that can carry an interstate record
(two states among their mentions, or a multi-state mention) with the tagger and
parser (no NER), and returns the three kinds of records; :func:`records` turns them
into the flat rows documented in ``docs/output.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from entente.citations.markers import mask
from entente.coding.assessments import code_assessments
from entente.coding.context import ParsedSentence, candidate_sentences
from entente.coding.events import EventCoder
from entente.coding.quotes import code_quotes, speaker_dict
from entente.model import Assessment, Document, Event, Mention, Quote
from entente.nlp import finish, get_nlp

__all__ = ["Coded", "code_document", "records"]


@dataclass(slots=True)
class Coded:
    events: list[Event] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    parsed_sentences: int = 0


def code_document(doc: Document) -> Coded:
    """Code ``doc`` (its mentions and anchors must be resolved first)."""
    cands = candidate_sentences(doc)
    out = Coded(parsed_sentences=len(cands))
    if cands:
        nlp = get_nlp("parse")
        masked = mask(doc.text, doc.markers)
        texts = (masked[s.start : s.end] for s, _ in cands)
        for (sent, ms), tokens in zip(cands, nlp.pipe(texts, batch_size=64), strict=True):
            finish(tokens)
            ps = ParsedSentence(doc=doc, sentence=sent, tokens=tokens, mentions=ms)
            out.events.extend(EventCoder(ps).run())
            out.assessments.extend(code_assessments(ps))
    out.quotes = code_quotes(doc)
    return out


def _actor_rows(states: list[str], mentions: list[Mention]) -> list[dict[str, Any]]:
    rows = []
    for c in states:
        m = next((m for m in mentions if c in m.countries), None)
        a = next((a for a in m.actors if a.country == c), None) if m else None
        rows.append(
            {
                "text": m.text if m else None,
                "country": c,
                "sector": a.sector if a else None,
                "person": a.person if a else None,
            }
        )
    return rows


def records(doc: Document, coded: Coded) -> list[dict[str, Any]]:
    """Flat JSON-ready rows, one per record (schema: ``entente/data/record.schema.json``)."""
    rows: list[dict[str, Any]] = []
    anchors = doc.anchors

    def base(kind: str, ev: Any, conf: float, rule: str) -> dict[str, Any]:
        a = anchors[ev.sentence] if ev.sentence < len(anchors) else None
        return {
            "kind": kind, "doc_id": doc.id, "doc_path": doc.path, "sentence": ev.text,
            "sentence_index": ev.sentence, "span": [ev.start, ev.end],
            "date": a.value if a else None, "date_precision": a.precision if a else None,
            "date_source": a.source if a else None, "note": ev.note, "citation": ev.citation,
            "confidence": conf, "rule": rule,
        }  # fmt: skip

    for e in coded.events:
        row = base("event", e.evidence, e.confidence, e.rule)
        row.update({
            "source": _actor_rows(e.source_states, e.source), "target": _actor_rows(e.target_states, e.target),
            "type": e.type, "mode": e.mode, "quad": e.quad, "intensity": e.intensity,
            "negated": e.negated, "modality": e.modality,
        })  # fmt: skip
        rows.append(row)
    for a in coded.assessments:
        row = base("assessment", a.evidence, a.confidence, a.rule)
        row.update(
            {
                "dyad": list(a.dyad),
                "polarity": a.polarity,
                "trend": a.trend,
                "period": a.period,
                "holder": a.holder,
            }
        )
        rows.append(row)
    for q in coded.quotes:
        row = base("quote", q.evidence, q.confidence, q.rule)
        row.update(
            {"speaker": speaker_dict(q.speaker), "quote": q.quote, "attributed": q.attributed}
        )
        rows.append(row)
    return rows
