"""Scoring predicted records against a gold file (format: GUIDE §4, eval/GUIDELINES.md).

The scorer works on plain data (the rows of :func:`entente.coding.records` and the gold
dicts), so it can be tested with hand-made predictions.

Matching. A predicted record *covers* a gold quote when its evidence span contains the
quote, or overlaps at least 70 % of the quote's word tokens.

- **events, dyad level**: a predicted event can match a gold event when it covers the
  gold quote and links one of the same unordered state pairs (source × target, or every
  pair among the participants of a reciprocal act with an empty target). Matching is
  one-to-one (maximum bipartite matching per document): each prediction serves at most
  one gold event, so duplicates count against precision. Precision, recall and F1 follow.
- **events, typed**: the same PLOVER type and, except for the direction-free types
  (CONSULT, COOPERATE, AGREE) and reciprocal gold events, the same direction; a second
  one-to-one matching gives typed recall and typed precision.
- **quad-class accuracy**: among gold events found at the dyad level, the share for
  which a matching predicted event has the same quad class.
- **assessments**: found (covering, same dyad), then polarity and trend right among
  those found.
- **dyad signs**: per document and gold pair, the sign the analysis layer gives the tie
  from the predicted events and assessments of that text (the shipped sign model of
  :mod:`entente.analysis.signs`, or the band rule with ``band``); accuracy over the gold
  pairs that have any evidence, and coverage (the share that have some). The plain band
  rule's accuracy (±1.0 on the summed weight) is reported beside it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from entente.coding.ontology import EVENT_TYPES
from entente.model import state_pairs

DIRECTION_FREE = frozenset({"CONSULT", "COOPERATE", "AGREE"})

_WORD = re.compile(r"\w+")


def _tokens_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in _WORD.finditer(text[start:end])]


def covers(
    span: tuple[int, int],
    quote_span: tuple[int, int],
    text: str,
    toks: list[tuple[int, int]] | None = None,
) -> bool:
    """Whether ``span`` holds the quote, or at least 70 % of its words (``toks``: the
    quote's word spans, when the caller has them)."""
    s, e = span
    qs, qe = quote_span
    if s <= qs and qe <= e:
        return True
    if toks is None:
        toks = _tokens_in(text, qs, qe)
    if not toks:
        return False
    inside = sum(1 for a, b in toks if s <= a and b <= e)
    return inside / len(toks) >= 0.7


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    i = text.find(quote)
    if i < 0:
        norm = " ".join(quote.split())
        i = " ".join(text.split()).find(norm)
        if i < 0:
            return None
        # map back approximately: search the first 30 chars
        j = text.find(quote[:30])
        return (j, j + len(quote)) if j >= 0 else None
    return i, i + len(quote)


def _states(actors: list[dict[str, Any]]) -> set[str]:
    return {a["country"] for a in actors}


@dataclass(slots=True)
class DocScore:
    name: str
    gold_events: int = 0
    pred_events: int = 0
    found_dyad: int = 0
    correct_pred: int = 0
    found_typed: int = 0
    quad_right: int = 0
    gold_assessments: int = 0
    found_assessments: int = 0
    polarity_right: int = 0
    trend_right: int = 0
    gold_dyads: int = 0
    covered_dyads: int = 0
    sign_right: int = 0
    sign_right_band: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)
    wrong_types: list[dict[str, Any]] = field(default_factory=list)
    false_alarms: list[dict[str, Any]] = field(default_factory=list)
    #: per gold dyad: its key, the gold sign, and the predicted evidence's summary
    #: (:meth:`entente.analysis.signs.PairEvidence.to_list`; None without evidence)
    dyads: list[tuple[str, int, list[float] | None]] = field(default_factory=list)


#: the unordered state pairs an event links (kept under its old name here)
pairs = state_pairs


def typed_match(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """Same PLOVER type and, except for the direction-free types, the same direction."""
    if pred["type"] != gold["type"]:
        return False
    ps, pt = _states(pred["source"]), _states(pred["target"])
    gs, gt = set(gold["source"]), set(gold["target"])
    if gold["type"] in DIRECTION_FREE or not gt:
        return bool(pairs(ps, pt) & pairs(gs, gt))
    return bool(ps & gs) and bool(pt & gt)


def _assign(edges: dict[tuple[int, int], float], n_gold: int, n_pred: int) -> list[tuple[int, int]]:
    """One-to-one matching of gold to predicted events with the most edges (ties broken by
    the larger weight): each prediction serves at most one gold event."""
    if not edges:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    cost = np.zeros((n_gold, n_pred))
    for (g, p), w in edges.items():
        cost[g, p] = -(1000.0 + w)
    rows, cols = linear_sum_assignment(cost)
    return [(int(g), int(p)) for g, p in zip(rows, cols, strict=True) if (g, p) in edges]


def score_document(
    name: str,
    text: str,
    gold: dict[str, Any],
    rows: list[dict[str, Any]],
    band: float | None = None,
) -> DocScore:
    """The scores of one text's predicted ``rows`` against its gold; dyad signs by the
    shipped sign model, or by the band rule when ``band`` is given."""
    sc = DocScore(name=name)
    events = [r for r in rows if r["kind"] == "event"]
    assessments = [r for r in rows if r["kind"] == "assessment"]
    gold_events = list(gold.get("events", []))
    sc.pred_events = len(events)
    sc.gold_events = len(gold_events)
    dyad_edges: dict[tuple[int, int], float] = {}
    typed_edges: dict[tuple[int, int], float] = {}
    event_pairs = [pairs(_states(r["source"]), _states(r["target"])) for r in events]
    for gi, g in enumerate(gold_events):
        qs = quote_span(text, g["quote"])
        if qs is None:
            continue
        gp = pairs(g["source"], g["target"])
        qtoks = _tokens_in(text, *qs)
        for pi, r in enumerate(events):
            if not event_pairs[pi] & gp:
                continue
            if not covers((r["span"][0], r["span"][1]), qs, text, qtoks):
                continue
            same_quad = EVENT_TYPES[r["type"]].quad == EVENT_TYPES[g["type"]].quad
            is_typed = typed_match(r, g)
            dyad_edges[(gi, pi)] = 2.0 * is_typed + same_quad
            if is_typed:
                typed_edges[(gi, pi)] = 1.0
    dyad = _assign(dyad_edges, len(gold_events), len(events))
    typed = _assign(typed_edges, len(gold_events), len(events))
    sc.found_dyad = sc.correct_pred = len(dyad)
    sc.found_typed = len(typed)
    matched_gold = {g for g, _ in dyad}
    matched_pred = {p for _, p in dyad}
    for gi, pi in dyad:
        g, r = gold_events[gi], events[pi]
        sc.quad_right += EVENT_TYPES[g["type"]].quad == EVENT_TYPES[r["type"]].quad
        sc.confusion[(g["type"], r["type"])] += 1
        if g["type"] != r["type"]:
            sc.wrong_types.append({
                "doc": name, "quote": g["quote"], "gold": g["type"], "predicted": r["type"],
                "source": g["source"], "target": g["target"], "rule": r["rule"],
            })  # fmt: skip
    for gi, g in enumerate(gold_events):
        if gi not in matched_gold:
            sc.misses.append(
                {
                    "doc": name,
                    "quote": g["quote"],
                    "type": g["type"],
                    "source": g["source"],
                    "target": g["target"],
                }
            )
    for i, r in enumerate(events):
        if i not in matched_pred:
            sc.false_alarms.append({
                "doc": name, "sentence": r["sentence"], "type": r["type"],
                "source": sorted(_states(r["source"])), "target": sorted(_states(r["target"])), "rule": r["rule"],
            })  # fmt: skip
    for g in gold.get("assessments", []):
        sc.gold_assessments += 1
        qs = quote_span(text, g["quote"])
        dyad = sorted(g["dyad"])
        hit = None
        for r in assessments:
            if (
                qs is not None
                and covers((r["span"][0], r["span"][1]), qs, text)
                and sorted(r["dyad"]) == dyad
            ):
                hit = r
                break
        if hit is not None:
            sc.found_assessments += 1
            sc.polarity_right += hit["polarity"] == g["polarity"]
            sc.trend_right += hit["trend"] == g.get("trend")
    from entente.analysis.signs import BAND, band_sign, pair_evidence, tie_sign

    sums = pair_evidence(rows)
    for key, sign in gold.get("dyads", {}).items():
        sc.gold_dyads += 1
        ev = sums.get(key)
        sc.dyads.append((key, sign, ev.to_list() if ev is not None else None))
        if ev is not None:
            sc.covered_dyads += 1
            sc.sign_right += tie_sign(ev, band) == sign
            sc.sign_right_band += band_sign(ev.score, BAND) == sign
    return sc


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else 0.0


def summarise(scores: list[DocScore]) -> dict[str, Any]:
    tot = DocScore(name="all")
    for s in scores:
        for f in ("gold_events", "pred_events", "found_dyad", "correct_pred", "found_typed", "quad_right",
                  "gold_assessments", "found_assessments", "polarity_right", "trend_right", "gold_dyads",
                  "covered_dyads", "sign_right", "sign_right_band"):  # fmt: skip
            setattr(tot, f, getattr(tot, f) + getattr(s, f))
        tot.confusion.update(s.confusion)
    p = _ratio(tot.correct_pred, tot.pred_events)
    r = _ratio(tot.found_dyad, tot.gold_events)
    f1 = round(2 * p * r / (p + r), 3) if p + r else 0.0
    return {
        "documents": len(scores),
        "events": {
            "gold": tot.gold_events, "predicted": tot.pred_events,
            "dyad_precision": p, "dyad_recall": r, "dyad_f1": f1,
            "typed_recall": _ratio(tot.found_typed, tot.gold_events),
            "typed_precision": _ratio(tot.found_typed, tot.pred_events),
            "quad_accuracy": _ratio(tot.quad_right, tot.found_dyad),
            "confusion": {f"{g}->{pr}": n for (g, pr), n in sorted(tot.confusion.items())},
        },
        "assessments": {
            "gold": tot.gold_assessments, "found": tot.found_assessments,
            "recall": _ratio(tot.found_assessments, tot.gold_assessments),
            "polarity_accuracy": _ratio(tot.polarity_right, tot.found_assessments),
            "trend_accuracy": _ratio(tot.trend_right, tot.found_assessments),
        },
        "dyads": {
            "gold": tot.gold_dyads, "covered": tot.covered_dyads,
            "coverage": _ratio(tot.covered_dyads, tot.gold_dyads),
            "sign_accuracy": _ratio(tot.sign_right, tot.covered_dyads),
            "band_sign_accuracy": _ratio(tot.sign_right_band, tot.covered_dyads),
        },
    }  # fmt: skip
