"""Queries behind the web app's pages: a document with every record placed in its text,
and a search over sentences and the records coded from them.

Part of the store's query layer (beside :func:`entente.store.query_page`): the pages
call these, never SQL of their own. Every value reaches DuckDB as a bound parameter.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from entente.errors import UsageError
from entente.store import Store, _bound, _check_page, document

#: one record per row, whatever its table: where it sits and what it says, in short
_RECORDS = """
    SELECT doc_id, sentence_index, id, 'event' AS kind, type AS label,
           list_concat(source, target) AS states, source, target, start_char, end_char,
           date_start, date_end
    FROM events WHERE dataset IS NULL
    UNION ALL
    SELECT doc_id, sentence_index, id, 'assessment', polarity, [a, b], [a], [b],
           start_char, end_char, date_start, date_end
    FROM assessments
    UNION ALL
    SELECT doc_id, sentence_index, id, 'quote', 'QUOTE', [country], [country], [],
           start_char, end_char, date_start, date_end
    FROM quotes
"""

#: the most words a search takes (each one is a condition on every sentence)
MAX_WORDS = 12


def document_view(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A document for reading: :func:`entente.store.document` plus its text, sentences
    (index, paragraph, character span), note markers (number, span, whether a note was
    found for it) and its records (id, kind, label, states, sentence, span), ordered by
    position. ``None`` when there is no such document."""
    out = document(store, doc_id)
    if out is None:
        return None
    cur = store.con.cursor()
    try:
        row = cur.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchall()
        out["text"] = row[0][0] or ""
        out["sentence_spans"] = [
            {"index": i, "paragraph": p, "start": s, "end": e}
            for i, p, s, e in cur.execute(
                "SELECT idx, paragraph, start_char, end_char FROM sentences WHERE doc_id = ? "
                "ORDER BY idx",
                [doc_id],
            ).fetchall()
        ]
        out["markers"] = [
            {"number": n, "start": s, "end": e, "linked": bool(linked)}
            for n, s, e, linked in cur.execute(
                "SELECT number, start_char, end_char, linked FROM markers WHERE doc_id = ? "
                "ORDER BY start_char",
                [doc_id],
            ).fetchall()
        ]
        out["records"] = [
            {"id": i, "kind": k, "label": lab, "source": list(src or []),
             "target": list(tgt or []), "sentence": si, "start": s, "end": e}
            for i, k, lab, src, tgt, si, s, e in cur.execute(
                f"SELECT id, kind, label, source, target, sentence_index, start_char, end_char "
                f"FROM ({_RECORDS}) r WHERE doc_id = ? ORDER BY start_char, id",
                [doc_id],
            ).fetchall()
        ]  # fmt: skip
    finally:
        cur.close()
    return out


def _like(word: str) -> str:
    """A word as an ILIKE pattern that matches it anywhere, its wildcards taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(
    store: Store,
    words: str = "",
    state: str | None = None,
    type: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Sentences of stored texts that contain every one of ``words`` (any case, anywhere
    in a word), with the records coded from each. ``state``: a record in the sentence
    involves it, or the sentence names it; ``type``: an event of that PLOVER type was
    coded from it; ``since``/``until``: a record's date interval in the sentence overlaps
    them (the document's date for a sentence without dated records). Without any
    condition, nothing is listed. Paginated as :func:`entente.store.query_page`."""
    from entente import options

    _check_page(limit, offset)
    terms = [w for w in words.split() if w.strip()]
    if len(terms) > MAX_WORDS:
        raise UsageError(f"q: at most {MAX_WORDS} words, got {len(terms)}")
    where: list[str] = []
    params: list[Any] = []
    for term in terms:
        where.append("s.text ILIKE ? ESCAPE '\\'")
        params.append(_like(term))
    if state:
        code = options.state(state, "state")
        where.append(
            "(EXISTS (SELECT 1 FROM recs r WHERE r.doc_id = s.doc_id AND r.sentence_index = s.idx "
            "AND list_contains(r.states, ?)) OR EXISTS (SELECT 1 FROM mentions m "
            "WHERE m.doc_id = s.doc_id AND m.sentence = s.idx AND list_contains(m.countries, ?)))"
        )
        params += [code, code]
    if type:
        where.append(
            "EXISTS (SELECT 1 FROM recs r WHERE r.doc_id = s.doc_id AND r.sentence_index = s.idx "
            "AND r.kind = 'event' AND r.label = ?)"
        )
        params.append(options.event_type(type))
    if since is not None or until is not None:
        lo = _bound(since, "since", end=False) if since is not None else date.min
        hi = _bound(until, "until", end=True) if until is not None else date.max
        where.append(
            "(EXISTS (SELECT 1 FROM recs r WHERE r.doc_id = s.doc_id AND r.sentence_index = s.idx "
            "AND r.date_start IS NOT NULL AND r.date_start <= ? AND coalesce(r.date_end, "
            "r.date_start) >= ?) OR (NOT EXISTS (SELECT 1 FROM recs r WHERE r.doc_id = s.doc_id "
            "AND r.sentence_index = s.idx AND r.date_start IS NOT NULL) "
            "AND TRY_CAST(left(d.date, 10) AS DATE) BETWEEN ? AND ?))"
        )
        params += [hi, lo, lo, hi]
    if not where:
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    base = (
        f"WITH recs AS ({_RECORDS}) SELECT {{cols}} FROM sentences s "
        f"JOIN documents d ON d.id = s.doc_id WHERE d.dataset IS NULL AND {' AND '.join(where)}"
    )
    cur = store.con.cursor()
    try:
        total = int(cur.execute(base.format(cols="count(*)"), params).fetchall()[0][0])
        found = cur.execute(
            base.format(cols="s.doc_id, s.idx, s.text, d.title, d.path, d.date")
            + " ORDER BY d.date NULLS LAST, d.path, s.idx LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        items = []
        for doc_id, idx, text, title, path, when in found:
            recs = cur.execute(
                f"SELECT id, kind, label, source, target FROM ({_RECORDS}) r "
                "WHERE doc_id = ? AND sentence_index = ? ORDER BY start_char, id",
                [doc_id, idx],
            ).fetchall()
            items.append(
                {"doc_id": doc_id, "sentence_index": idx, "sentence": text, "title": title,
                 "path": path, "date": when,
                 "records": [{"id": i, "kind": k, "label": lab, "source": list(a or []),
                              "target": list(b or [])} for i, k, lab, a, b in recs]}
            )  # fmt: skip
    finally:
        cur.close()
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def locate(store: Store, table: str, items: list[dict[str, Any]]) -> None:
    """Add ``doc_id`` and ``sentence_index`` to each item of a :func:`query_page` page of
    ``table`` (for links into the document), in place."""
    if table not in ("events", "assessments", "quotes"):
        raise UsageError(f"{table}: not a table of records")
    ids = [i["id"] for i in items]
    if not ids:
        return
    where = {
        rid: (doc_id, sentence)
        for rid, doc_id, sentence in store.con.execute(
            f"SELECT id, doc_id, sentence_index FROM {table} WHERE list_contains(?, id)", [ids]
        ).fetchall()
    }
    for i in items:
        i["doc_id"], i["sentence_index"] = where.get(i["id"], (None, None))
