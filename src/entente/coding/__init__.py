"""Coding: events, relation assessments and quotations, each with its evidence.

:func:`code_document` parses only the sentences that can carry an interstate record
(two states among their mentions, or a multi-state mention) with the tagger and
parser (no NER), and returns the three kinds of records; :func:`records` turns them
into the flat rows documented in ``docs/output.md``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from entente.citations.markers import mask
from entente.coding.assessments import code_assessments
from entente.coding.context import ParsedSentence, candidate_sentences, parse_input
from entente.coding.events import EventCoder
from entente.coding.quotes import code_quotes, speaker_dict
from entente.coding.scorer import (
    DocContext,
    candidates,
    context_states,
    fill_probabilities,
    judge,
    load_scorer,
)
from entente.coding.spill import SpilledRows
from entente.model import Assessment, Document, Event, Mention, Quote
from entente.nlp import finish, get_nlp
from entente.time.interval import interval

__all__ = ["CODERS", "Coded", "code_document", "parsed_sentences", "records"]


@dataclass(slots=True)
class Coded:
    events: list[Event] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    parsed_sentences: int = 0


CODERS = ("rules", "hybrid")
#: parsed sentences held (and scored in one batch) at a time
WINDOW = 256


def parsed_sentences(doc: Document, single: bool = False) -> Iterator[ParsedSentence]:
    """The candidate sentences of ``doc``, parsed, with their mentions (with ``single``,
    also the sentences that name one state)."""
    cands = candidate_sentences(doc, single=single)
    if not cands:
        return
    nlp = get_nlp("parse")
    masked = mask(doc.text, doc.markers)
    texts = (parse_input(nlp, masked[s.start : s.end]) for s, _ in cands)
    for (sent, ms), tokens in zip(cands, nlp.pipe(texts, batch_size=64), strict=True):
        finish(tokens)
        yield ParsedSentence(doc=doc, sentence=sent, tokens=tokens, mentions=ms)


def parse_many(docs: Sequence[Document], coder: str | None = None) -> list[list[ParsedSentence]]:
    """The candidate sentences of several documents parsed in one pass, as
    :func:`code_document` with ``coder`` would parse them one document at a time: the
    parser is about a fifth faster on large batches than on one short text's few
    sentences, and its parses and context vectors do not depend on how sentences are
    batched (``tests/test_store.py`` checks). Meant for groups of small documents
    (``batch``): all their parses are held at once."""
    single = _uses_context(coder or default_coder())
    jobs: list[tuple[int, Any, list[Mention], str]] = []
    for k, doc in enumerate(docs):
        cands = candidate_sentences(doc, single=single)
        if cands:
            masked = mask(doc.text, doc.markers)
            jobs.extend((k, sent, ms, masked[sent.start : sent.end]) for sent, ms in cands)
    out: list[list[ParsedSentence]] = [[] for _ in docs]
    if not jobs:
        return out
    nlp = get_nlp("parse")
    texts = (parse_input(nlp, text) for _, _, _, text in jobs)
    for (k, sent, ms, _), tokens in zip(jobs, nlp.pipe(texts, batch_size=64), strict=True):
        finish(tokens)
        out[k].append(ParsedSentence(doc=docs[k], sentence=sent, tokens=tokens, mentions=ms))
    return out


def _uses_context(coder: str) -> bool:
    """Whether ``coder`` looks for partners in other sentences (and so parses the
    sentences that name one state)."""
    scorer = load_scorer() if coder == "hybrid" else None
    return scorer is not None and scorer.add_context <= 1.0


def document_context(doc: Document) -> DocContext:
    """Mentions per sentence, the document's two most mentioned states with their first
    mention (the candidates for implicit partners), and which states are named together
    in which sentences."""
    by_sentence: dict[int, list[Mention]] = {}
    counts: dict[str, int] = {}
    first: dict[str, Mention] = {}
    for m in doc.mentions:
        if m.sentence is None:
            continue
        by_sentence.setdefault(m.sentence, []).append(m)
        for c in m.countries:
            counts[c] = counts.get(c, 0) + 1
            first.setdefault(c, m)
    together: dict[frozenset[str], list[int]] = {}
    for si in sorted(by_sentence):
        states = sorted({c for m in by_sentence[si] for c in m.countries})
        for i, a in enumerate(states):
            for b in states[i + 1 :]:
                together.setdefault(frozenset((a, b)), []).append(si)
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    return DocContext(
        by_sentence=by_sentence,
        main=[(c, first[c]) for c in ranked[:2]],
        rank={c: k for k, c in enumerate(ranked)},
        together=together,
    )


class RecentEvents:
    """The rule events of the last few sentences, the antecedents of "did the same"
    (:meth:`EventCoder._repeat`): events two or more sentences back are forgotten."""

    BACK = 2

    def __init__(self) -> None:
        self._by_sentence: dict[int, list[Event]] = {}

    def before(self, index: int) -> list[Event]:
        """Events of the ``BACK`` sentences before ``index``, nearest last."""
        return [e for k in range(index - self.BACK, index) for e in self._by_sentence.get(k, [])]

    def add(self, index: int, events: list[Event]) -> None:
        self._by_sentence[index] = events
        for k in [k for k in self._by_sentence if k < index - self.BACK]:
            del self._by_sentence[k]


def default_coder() -> str:
    """The coder of this process: ``ENTENTE_CODER`` (set by ``entente code --coder``, and
    inherited by worker processes), else ``hybrid``."""
    return os.environ.get("ENTENTE_CODER", "hybrid")


def code_document(
    doc: Document,
    coder: str | None = None,
    on_events: Callable[[list[Event]], None] | None = None,
    parsed: Sequence[ParsedSentence] | None = None,
) -> Coded:
    """Code ``doc`` (its mentions and anchors must be resolved first).

    ``coder``: ``rules`` (the rule coder alone) or ``hybrid`` (the rules judged and
    completed by the trained scorer, :mod:`entente.coding.scorer`; rules alone when the
    package ships no model). With ``on_events`` the events of each window of sentences
    go to it as they are judged instead of into ``Coded.events`` (:func:`code_records`:
    a huge document never holds all its events as objects). ``parsed``: the document's
    sentences already parsed by :func:`parse_many` with the same coder."""
    coder = coder or default_coder()
    if coder not in CODERS:
        raise ValueError(f"unknown coder {coder!r}; choose one of {', '.join(CODERS)}")
    scorer = load_scorer() if coder == "hybrid" else None
    use_context = _uses_context(coder)
    # the scorer reads each pair's standing in the document, with or without partners
    # from other sentences
    dctx = document_context(doc) if scorer is not None else None
    out = Coded()
    sentences: list[tuple[ParsedSentence, list[Event], list[Any] | None]] = []

    def judge_window() -> None:
        # candidates are scored a window at a time: one numpy batch per window, and a
        # huge document never holds more than WINDOW parses in memory
        if scorer is not None:
            fill_probabilities(scorer, [c for _, _, cs in sentences for c in cs or []])
        judged: list[Event] = []
        for ps, events, cands in sentences:
            if scorer is not None:
                events = judge(ps, events, scorer, cands=cands)
            judged.extend(events)
        sentences.clear()
        if on_events is not None:
            on_events(judged)
        else:
            out.events.extend(judged)

    recent = RecentEvents()
    for ps in parsed_sentences(doc, single=use_context) if parsed is None else parsed:
        out.parsed_sentences += 1
        previous = recent.before(ps.sentence.index)
        rule_coder = EventCoder(ps, previous)
        events = rule_coder.run()
        recent.add(ps.sentence.index, [*events, *rule_coder.acts])
        cands = None
        if scorer is not None:
            ctx = (
                context_states(dctx, ps.sentence.index)
                if use_context and dctx is not None
                else None
            )
            cands = candidates(ps, events, ctx, dctx, previous)
        sentences.append((ps, events, cands))
        if len({c for m in ps.mentions for c in m.countries}) >= 2:
            out.assessments.extend(code_assessments(ps))
        if len(sentences) >= WINDOW:
            judge_window()
    judge_window()
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


def _day(anchor: Any, side: int) -> str | None:
    """The first (``side=0``) or last day of an anchor's interval, ISO."""
    if anchor is None or not anchor.value:
        return None
    given = anchor.begin if side == 0 else anchor.until
    if given:
        return str(given)
    found = interval(anchor.value)[side]
    return found.isoformat() if found else None


def code_records(
    doc: Document,
    coder: str | None = None,
    spill: bool = False,
    parsed: Sequence[ParsedSentence] | None = None,
) -> tuple[Collection[dict[str, Any]], int]:
    """:func:`records` of :func:`code_document`, the same rows in the same order, and the
    number of parsed sentences; events become rows a window at a time, so the Event
    objects of a huge document are never all alive beside its rows. With ``spill`` the
    rows of a huge document wait on disk (:class:`~entente.coding.spill.SpilledRows`,
    for rows that stay in this process); a list otherwise. ``parsed``: as for
    :func:`code_document`."""
    rows: list[dict[str, Any]] | SpilledRows = SpilledRows() if spill else []
    coded = code_document(
        doc, coder, on_events=lambda evs: rows.extend(_rows(doc, evs)), parsed=parsed
    )
    rows.extend(records(doc, coded))
    if isinstance(rows, SpilledRows) and not rows.spilled:
        return list(rows), coded.parsed_sentences  # a small document: a plain list
    return rows, coded.parsed_sentences


def records(doc: Document, coded: Coded) -> list[dict[str, Any]]:
    """Flat JSON-ready rows, one per record (schema: ``entente/data/record.schema.json``)."""
    return _rows(doc, coded.events, coded.assessments, coded.quotes)


def _rows(
    doc: Document,
    events: Sequence[Event],
    assessments: Sequence[Assessment] = (),
    quotes: Sequence[Quote] = (),
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    anchors = doc.anchors

    def base(kind: str, ev: Any, conf: float, rule: str) -> dict[str, Any]:
        a = anchors[ev.sentence] if ev.sentence < len(anchors) else None
        return {
            "kind": kind, "doc_id": doc.id, "doc_path": doc.path, "sentence": ev.text,
            "sentence_index": ev.sentence, "span": [ev.start, ev.end],
            "date": a.value if a else None, "date_precision": a.precision if a else None,
            "date_start": _day(a, 0), "date_end": _day(a, 1),
            "date_source": a.source if a else None, "note": ev.note, "citation": ev.citation,
            "confidence": conf, "rule": rule,
        }  # fmt: skip

    for e in events:
        row = base("event", e.evidence, e.confidence, e.rule)
        row.update({
            "source": _actor_rows(e.source_states, e.source), "target": _actor_rows(e.target_states, e.target),
            "type": e.type, "mode": e.mode, "quad": e.quad, "intensity": e.intensity,
            "negated": e.negated, "modality": e.modality,
        })  # fmt: skip
        if e.why is not None:
            row["why"] = e.why
        if e.context_spans:
            row["context_spans"] = e.context_spans
        rows.append(row)
    for a in assessments:
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
    for q in quotes:
        row = base("quote", q.evidence, q.confidence, q.rule)
        row.update(
            {"speaker": speaker_dict(q.speaker), "quote": q.quote, "attributed": q.attributed}
        )
        rows.append(row)
    return rows
