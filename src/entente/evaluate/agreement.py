"""Inter-annotator agreement: a second annotator's gold files scored against the first's.

The second annotation (``eval/agreement``: the same texts, annotated independently) is
turned into predictions — each event placed on the sentence that holds its quote, as
the coder's records are — and scored with the same one-to-one matching as the coder
(:func:`entente.evaluate.scorer.score_document`). F1 is symmetric under one-to-one
matching, so it does not matter which annotator counts as gold; precision and recall
swap.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from entente.evaluate.scorer import quote_span, score_document, summarise


def _rows(
    text: str, sentences: list[tuple[int, int]], gold: dict[str, Any]
) -> list[dict[str, Any]]:
    rows = []
    for g in gold.get("events", []):
        qs = quote_span(text, g["quote"])
        if qs is None:
            continue
        s, e = next(((a, b) for a, b in sentences if a <= qs[0] < b), qs)
        rows.append({
            "kind": "event", "span": [s, e], "sentence": text[s:e], "type": g["type"],
            "source": [{"country": c} for c in g["source"]],
            "target": [{"country": c} for c in g["target"]],
            "intensity": 0.0, "confidence": 1.0, "rule": "annotator",
        })  # fmt: skip
    for a in gold.get("assessments", []):
        qs = quote_span(text, a["quote"])
        if qs is None:
            continue
        s, e = next(((x, y) for x, y in sentences if x <= qs[0] < y), qs)
        rows.append({"kind": "assessment", "span": [s, e], "dyad": a["dyad"],
                     "polarity": a["polarity"], "trend": a.get("trend"), "confidence": 1.0})  # fmt: skip
    return rows


def agreement(first: Path, second: Path) -> dict[str, Any]:
    """Agreement over the texts of ``second`` that ``first`` also annotated."""
    from entente.evaluate import _load_gold, find_pairs
    from entente.pipeline import read_document

    scores = []
    for text_path, gold_path in find_pairs(second):
        other = first / gold_path.name
        if not other.exists():
            continue
        doc = read_document(text_path)
        sentences = [(s.start, s.end) for s in doc.sentences]
        rows = _rows(doc.text, sentences, json.loads(gold_path.read_text("utf-8")))
        scores.append(score_document(text_path.name, doc.text, _load_gold(other), rows))
    out = summarise(scores)
    e = out["events"]
    tp, tr = e["typed_precision"], e["typed_recall"]
    e["typed_f1"] = round(2 * tp * tr / (tp + tr), 3) if tp + tr else 0.0
    return out
