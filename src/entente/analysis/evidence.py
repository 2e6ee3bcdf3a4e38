"""Evidence rows for analysis: every event (one row per source–target pair) and every
assessment, with a weight and a day, read from the store into a DataFrame.

Weights (documented choice, see docs/analysis.md):

- an event weighs ``intensity × confidence``, REQUEST × 0.3 (appeals and demands mix),
  negated events 0;
- an assessment weighs ``polarity × confidence × ASSESSMENT_WEIGHT`` (3.0: an author's
  judgement about a relationship summarises many events).

The day of a record is the first day of its date interval ("2015-23" = fall 2015 →
2015-09-01; "2015-Q3" → 2015-07-01; "199X" → 1990-01-01; "2010/2011" → 2010-01-01).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from entente.coding.ontology import SCORE_WEIGHT

ASSESSMENT_WEIGHT = 3.0
_SEASON_START = {"21": 3, "22": 6, "23": 9, "24": 12}


def first_day(value: str | None) -> date | None:
    """The first day of a stored date value (ISO / EDTF at any precision)."""
    if not value:
        return None
    v = value.split("/")[0]
    if v in ("", ".."):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})-(\d{2})", v)
    if m:
        mm = m[2]
        if mm in _SEASON_START:
            return date(int(m[1]), _SEASON_START[mm], 1)
        if 1 <= int(mm) <= 12:
            return date(int(m[1]), int(mm), 1)
        return None
    m = re.fullmatch(r"(\d{4})-Q([1-4])", v)
    if m:
        return date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1)
    m = re.fullmatch(r"(\d{4})-H([12])", v)
    if m:
        return date(int(m[1]), 1 if m[2] == "1" else 7, 1)
    m = re.fullmatch(r"(\d{4})-W(\d{2})", v)
    if m:
        return date.fromisocalendar(int(m[1]), int(m[2]), 1)
    m = re.fullmatch(r"(\d{4})", v)
    if m:
        return date(int(m[1]), 1, 1)
    m = re.fullmatch(r"(\d{3})X", v)
    if m:
        return date(int(m[1]) * 10, 1, 1)
    m = re.fullmatch(r"(\d{2})XX", v)
    if m:
        return date(int(m[1]) * 100 + 1, 1, 1)
    return None


COLUMNS = [
    "id",
    "kind",
    "a",
    "b",
    "source",
    "target",
    "day",
    "date",
    "type",
    "quad",
    "weight",
    "doc_id",
    "sentence",
    "citation",
]


def load(store: Any) -> pd.DataFrame:
    """All evidence in ``store`` as rows: one per event actor pair and per assessment.

    ``a``/``b`` are the pair in alphabetical order; ``source``/``target`` keep the
    direction (``None`` for assessments).
    """
    rows: list[dict[str, Any]] = []
    for rid, src, tgt, etype, quad, inten, conf, neg, dval, doc_id, sent, cit in store.con.execute(
        "SELECT id, source, target, type, quad, intensity, confidence, negated, date, doc_id, "
        "json_extract_string(record, '$.sentence'), json_extract_string(record, '$.citation') FROM events"
    ).fetchall():
        w = 0.0 if neg else float(inten) * float(conf) * SCORE_WEIGHT.get(etype, 1.0)
        for s in src:
            for t in tgt:
                if s == t:
                    continue
                a, b = sorted((s, t))
                rows.append({"id": rid, "kind": "event", "a": a, "b": b, "source": s, "target": t,
                             "day": first_day(dval), "date": dval, "type": etype, "quad": quad, "weight": w,
                             "doc_id": doc_id, "sentence": sent, "citation": cit})  # fmt: skip
    for rid, a, b, pol, conf, dval, period, doc_id, sent, cit in store.con.execute(
        "SELECT id, a, b, polarity, confidence, date, period, doc_id, json_extract_string(record, '$.sentence'), "
        "json_extract_string(record, '$.citation') FROM assessments"
    ).fetchall():
        if a == b:
            continue
        rows.append({"id": rid, "kind": "assessment", "a": a, "b": b, "source": None, "target": None,
                     "day": first_day(period) or first_day(dval), "date": period or dval, "type": "ASSESSMENT",
                     "quad": None, "weight": float(pol) * float(conf) * ASSESSMENT_WEIGHT,
                     "doc_id": doc_id, "sentence": sent, "citation": cit})  # fmt: skip
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["day"] = pd.to_datetime(df["day"])
    return df
