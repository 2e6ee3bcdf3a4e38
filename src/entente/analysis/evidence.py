"""Evidence rows for analysis: every event (one row per source–target pair) and every
assessment, with a weight and a day, read from the store into a DataFrame.

Weights (documented choice, see docs/analysis.md):

- an event weighs ``intensity × confidence``, REQUEST × 0.3 (appeals and demands mix),
  negated events 0;
- an assessment weighs ``polarity × confidence × ASSESSMENT_WEIGHT`` (3.0: an author's
  judgement about a relationship summarises many events).

The day of a record is the first day of its date interval ("2015-23" = fall 2015 →
2015-09-01; "2015-35" (Q3) → 2015-07-01; "199X" → 1990-01-01; "2010/2011" → 2010-01-01).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from entente.analysis.signs import ASSESSMENT_WEIGHT
from entente.coding.ontology import SCORE_WEIGHT
from entente.time.interval import interval


def first_day(value: str | None) -> date | None:
    """The first day of a stored date value (ISO / EDTF at any precision)."""
    return interval(value)[0]


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
    "date_source",
    "title",
    "sentence_index",
    "note",
]


def event_weight_sql(alias: str = "e") -> str:
    """SQL for an event's weight, as the analysis reads it: intensity × confidence,
    REQUEST down-weighted (``SCORE_WEIGHT``), negated events 0."""
    factor = " ".join(f"WHEN '{t}' THEN {w}" for t, w in SCORE_WEIGHT.items())
    return (
        f"CASE WHEN {alias}.negated THEN 0.0 ELSE {alias}.intensity * {alias}.confidence "
        f"* (CASE {alias}.type {factor} ELSE 1.0 END) END"
    )


def load(store: Any, origin: str | None = None) -> pd.DataFrame:
    """All evidence in ``store`` as rows: one per event actor pair and per assessment.

    ``a``/``b`` are the pair in alphabetical order; ``source``/``target`` keep the
    direction (``None`` for assessments). ``day`` is the first day of the record's
    interval; ``date_source`` says where it came from (``document-guessed``: only the
    document's date, itself guessed from the latest date in the text — such rows count
    in readings at a date but stay out of time series, see
    :func:`entente.analysis.relations.dyad_scores`).

    ``origin``: ``text`` (coded from documents), ``dataset`` (imported from GDELT,
    ICEWS or POLECAT) or ``all`` (the default). Imported rows without a PLOVER type
    (CAMEO public statements) and actors that are not states stay out.
    """
    from entente.store import origin_clause

    rows: list[dict[str, Any]] = []

    def day(start: Any, value: str | None, source: str | None) -> Any:
        return start if start is not None else first_day(value)

    titles = dict(store.con.execute("SELECT id, coalesce(title, path) FROM documents").fetchall())
    # events: one row per source x target pair, built by DuckDB (millions of imported
    # rows never become Python objects one by one)
    events = store.con.execute(
        f"""SELECT e.id, 'event' AS kind, least(s.v, t.v) AS a, greatest(s.v, t.v) AS b,
               s.v AS source, t.v AS target, e.date_start AS day, e.date, e.type, e.quad,
               {event_weight_sql("e")} AS weight,
               e.doc_id, json_extract_string(e.record, '$.sentence') AS sentence,
               json_extract_string(e.record, '$.citation') AS citation, e.date_source,
               coalesce(d.title, d.path) AS title, e.sentence_index::DOUBLE AS sentence_index,
               e.note::DOUBLE AS note
           FROM events e JOIN documents d ON d.id = e.doc_id,
                (SELECT unnest(e.source) AS v, generate_subscripts(e.source, 1) AS i) s,
                (SELECT unnest(e.target) AS v, generate_subscripts(e.target, 1) AS i) t
           WHERE s.v <> t.v AND e.type IS NOT NULL AND {origin_clause(origin)}
           ORDER BY e.rowid, s.i, t.i"""
    ).df()
    for (rid, a, b, pol, conf, dval, period, doc_id, sent, cit, start, dsrc, sidx,
         note) in store.con.execute(
        "SELECT id, a, b, polarity, confidence, date, period, doc_id, json_extract_string(record, '$.sentence'), "
        "json_extract_string(record, '$.citation'), date_start, date_source, sentence_index, note "
        "FROM assessments"
    ).fetchall():  # fmt: skip
        if a == b:
            continue
        when = first_day(period) if period else day(start, dval, dsrc)
        rows.append({"id": rid, "kind": "assessment", "a": a, "b": b, "source": None, "target": None,
                     "day": when, "date": period or dval, "type": "ASSESSMENT",
                     "quad": None, "weight": float(pol) * float(conf) * ASSESSMENT_WEIGHT,
                     "doc_id": doc_id, "sentence": sent, "citation": cit,
                     "date_source": "period" if period else dsrc, "title": titles.get(doc_id),
                     "sentence_index": sidx, "note": note})  # fmt: skip
    assessments = pd.DataFrame(rows, columns=COLUMNS)
    if origin == "dataset":
        assessments = assessments.iloc[0:0]
    parts = [p for p in (events, assessments) if len(p)]
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    df = df[COLUMNS]
    df["day"] = pd.to_datetime(df["day"])
    for col in ("note", "sentence_index"):  # NaN, never pandas' NA, for a missing value
        df[col] = df[col].astype("float64")
    return df
