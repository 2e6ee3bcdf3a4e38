"""Analysts' corrections: records marked wrong, events fixed, events the coder missed.

A correction lives in its own table (``corrections``) with who made it and when, and is
applied on top of the coded records *in the store itself*: a record marked wrong leaves
its table, a fixed event is rewritten (its record JSON says which correction changed it
and keeps the rule that first found it), an added event is a new row whose rule is
``analyst``. So every reader — the CLI's lists, the API, the web pages, the analyses,
the report and every export — sees the corrected store without a rule of its own.

Corrections are keyed by content, never by a record's position: the document (its id is
the hash of its text), the record's character span, and what the coder said (type, or
polarity, and the sorted codes on each side). When a document is coded again (``entente
code --recode``, or a new version of the text at the same path) its rows are replaced and
every correction of that text is applied again in the same transaction; one whose record
the coder no longer produces is kept and marked ``orphaned`` (listed by ``entente
correct list --status orphaned``) until the record comes back or the analyst withdraws it.
An added event the coder now finds by itself is marked ``coded`` and not added twice.

Statuses: ``applied``, ``orphaned``, ``coded`` (an addition the coder makes itself),
``superseded`` (a later correction of the same record replaced it) and ``withdrawn``
(undone: the record is as the coder left it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from entente.errors import UsageError

ACTIONS = ("wrong", "fix", "add")
STATUSES = ("applied", "orphaned", "coded", "superseded", "withdrawn")
#: a correction in one of these states still acts on the store
LIVE = ("applied", "orphaned", "coded")

_TABLES = {"event": "events", "assessment": "assessments", "quote": "quotes"}
_LETTER = {"e": "event", "a": "assessment", "q": "quote"}
#: how each table's row gives the content key (label, sorted source, sorted target)
_KEY_SQL = {
    "events": ("type", "list_sort(source)", "list_sort(target)"),
    "assessments": ("CAST(polarity AS VARCHAR)", "[a]", "[b]"),
    "quotes": ("'QUOTE'", "[coalesce(country, '')]", "CAST([] AS VARCHAR[])"),
}
_COLUMNS = (
    "id, doc_id, action, kind, start_char, end_char, sentence_index, key_label, key_source, "
    "key_target, type, source, target, date, note, author, created_at, status, record_id, "
    "original, replaces"
)
#: the most characters of a note an analyst may attach
MAX_NOTE = 2000


@dataclass(slots=True)
class Change:
    """What an analyst asks for. ``action``: ``wrong`` (with ``record_id``), ``fix``
    (``record_id`` and any of ``type``, ``source``, ``target``, ``date``) or ``add``
    (``doc_id``, ``sentence`` and ``type``, ``source``, ``target``, optionally ``date``)."""

    action: str
    author: str
    record_id: str | None = None
    doc_id: str | None = None
    sentence: int | None = None
    type: str | None = None
    source: list[str] | None = None
    target: list[str] | None = None
    date: str | None = None
    note: str | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _codes(values: list[str] | None, option: str) -> list[str] | None:
    from entente import options

    if values is None:
        return None
    out: list[str] = []
    for v in values:
        for part in str(v).replace("+", ",").split(","):
            if part.strip():
                code = options.state(part, option)
                if code not in out:
                    out.append(code)
    return sorted(out)


def _date_value(value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (checked), or None."""
    from entente.time.interval import interval

    if value is None or not str(value).strip():
        return None
    v = str(value).strip()
    parts = v.split("-")
    ok = (
        1 <= len(parts) <= 3
        and all(p.isdigit() for p in parts)
        and len(parts[0]) == 4
        and all(len(p) == 2 for p in parts[1:])
    )
    if not ok or interval(v)[0] is None:
        raise UsageError(f"date {value!r}: give YYYY, YYYY-MM or YYYY-MM-DD")
    return v


def check(change: Change) -> Change:
    """``change`` with its values checked and normalised (codes, type, date), or a
    :class:`UsageError` naming the problem."""
    from entente import options

    if change.action not in ACTIONS:
        raise UsageError(f"action {change.action!r}: one of {', '.join(ACTIONS)}")
    author = (change.author or "").strip()
    if not author or len(author) > 100:
        raise UsageError("author: give who makes the correction (1-100 characters)")
    note = (change.note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise UsageError(f"note: at most {MAX_NOTE} characters")
    out = Change(
        action=change.action, author=author, record_id=change.record_id, doc_id=change.doc_id,
        sentence=change.sentence,
        type=options.event_type(change.type, "type") if change.type else None,
        source=_codes(change.source, "source"), target=_codes(change.target, "target"),
        date=_date_value(change.date), note=note,
    )  # fmt: skip
    if out.action in ("wrong", "fix") and not out.record_id:
        raise UsageError(f"{out.action}: name the record (its id, e.g. DOC:e3)")
    if out.action == "fix" and not any(
        (out.type, out.source is not None, out.target is not None, out.date)
    ):
        raise UsageError("fix: give a new type, source, target or date")
    if out.action == "add":
        if not out.doc_id or out.sentence is None:
            raise UsageError("add: name the document and the sentence (its index)")
        if not out.type or not out.source:
            raise UsageError("add: give the event's type and source")
    if out.source is not None and not out.source:
        raise UsageError("source: give at least one state")
    return out


def _actors_ok(kind: str, source: list[str], target: list[str]) -> None:
    if kind != "event":
        return
    if set(source) & set(target):
        raise UsageError("the same state on both sides of the event")
    if not target and len(source) < 2:
        raise UsageError("an event with no target needs two or more states in source")


def _key_of_row(table: str, row_id: str, con: Any) -> tuple[Any, ...] | None:
    label, src, tgt = _KEY_SQL[table]
    extra = ", correction" if table == "events" else ", NULL"
    row: tuple[Any, ...] | None = con.execute(
        f"SELECT doc_id, idx, start_char, end_char, sentence_index, {label}, {src}, {tgt}, "
        f"record{extra} FROM {table} WHERE id = ?",
        [row_id],
    ).fetchone()
    return row


def _find(con: Any, c: dict[str, Any]) -> tuple[str, int, str] | None:
    """(id, idx, record JSON) of the coded row a correction's key names, or None."""
    table = _TABLES[c["kind"]]
    label, src, tgt = _KEY_SQL[table]
    free = " AND correction IS NULL" if table == "events" else ""
    row = con.execute(
        f"SELECT id, idx, record FROM {table} WHERE doc_id = ? AND start_char = ? AND "
        f"end_char = ? AND {label} = ? AND {src} = ? AND {tgt} = ?{free} ORDER BY idx LIMIT 1",
        [c["doc_id"], c["start_char"], c["end_char"], c["key_label"],
         list(c["key_source"] or []), list(c["key_target"] or [])],
    ).fetchone()  # fmt: skip
    return None if row is None else (str(row[0]), int(row[1]), str(row[2]))


def _insert(con: Any, record: dict[str, Any], rid: str, doc_id: str, idx: int) -> None:
    from entente.store import _ASSESS_COLS, _EVENT_COLS, _QUOTE_COLS, record_row

    kind = record["kind"]
    cols = {"event": _EVENT_COLS, "assessment": _ASSESS_COLS, "quote": _QUOTE_COLS}[kind]
    values = record_row(record, rid, doc_id, idx)
    names = f"id, {cols}"
    marks = ", ".join("?" for _ in values)
    con.execute(f"INSERT INTO {_TABLES[kind]} ({names}) VALUES ({marks})", values)
    if kind == "event" and record.get("correction"):
        con.execute(
            "UPDATE events SET correction = ? WHERE id = ?", [record["correction"]["id"], rid]
        )


def _actor(code: str, old: list[dict[str, Any]]) -> dict[str, Any]:
    """The actor dict for ``code``: the coder's own when it named that state, else the
    state itself."""
    from entente.actors.reference import reference

    for a in old:
        if a.get("country") == code:
            return dict(a)
    state = reference().states.get(code)
    name = getattr(state, "name", None) or code
    return {"text": name, "country": code, "sector": None, "person": None}


def _dated(record: dict[str, Any], value: str, source: str) -> None:
    from entente.time.interval import interval

    start, end = interval(value)
    record["date"] = value
    record["date_precision"] = {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]
    record["date_start"] = start.isoformat() if start else None
    record["date_end"] = end.isoformat() if end else None
    record["date_source"] = source


def _stamp(c: dict[str, Any]) -> dict[str, Any]:
    created = c["created_at"]
    return {
        "id": c["id"], "action": c["action"], "author": c["author"],
        "at": created.isoformat(timespec="seconds") if isinstance(created, datetime) else created,
        "note": c["note"],
    }  # fmt: skip


def _fixed(original: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    """The record ``original`` as correction ``c`` fixes it."""
    from entente.coding.ontology import intensity, quad

    r: dict[str, Any] = json.loads(json.dumps(original))
    if c["type"] and c["type"] != r["type"]:
        r["type"] = c["type"]
        r["mode"] = None
    r["quad"] = quad(r["type"])
    r["intensity"] = intensity(r["type"], r.get("mode"), bool(r.get("negated")))
    if c["source"] is not None:
        r["source"] = [_actor(x, original["source"] + original["target"]) for x in c["source"]]
    if c["target"] is not None:
        r["target"] = [_actor(x, original["source"] + original["target"]) for x in c["target"]]
    if c["date"]:
        _dated(r, c["date"], "analyst")
    r["confidence"] = 1.0
    r["correction"] = _stamp(c)
    return r


def _added(con: Any, c: dict[str, Any]) -> dict[str, Any]:
    """The record of an event an analyst adds."""
    from entente.coding.ontology import intensity, quad

    sent = con.execute(
        "SELECT s.text, s.start_char, s.end_char, d.path, d.date FROM sentences s "
        "JOIN documents d ON d.id = s.doc_id WHERE s.doc_id = ? AND s.idx = ?",
        [c["doc_id"], c["sentence_index"]],
    ).fetchone()
    text, start, end, path, doc_date = sent
    r: dict[str, Any] = {
        "kind": "event", "doc_id": c["doc_id"], "doc_path": path, "sentence": text,
        "sentence_index": c["sentence_index"], "span": [start, end], "date": None,
        "date_precision": None, "date_start": None, "date_end": None, "date_source": None,
        "note": None, "citation": None, "confidence": 1.0, "rule": "analyst",
        "source": [_actor(x, []) for x in c["source"]],
        "target": [_actor(x, []) for x in c["target"] or []],
        "type": c["type"], "mode": None, "quad": quad(c["type"]),
        "intensity": intensity(c["type"]), "negated": False, "modality": "asserted",
    }  # fmt: skip
    if c["date"]:
        _dated(r, c["date"], "analyst")
    elif doc_date and _is_date(str(doc_date)[:10]):
        _dated(r, str(doc_date)[:10], "document")
    r["correction"] = _stamp(c)
    return r


def _is_date(value: str) -> bool:
    try:
        return _date_value(value) is not None
    except UsageError:
        return False


def _apply(con: Any, c: dict[str, Any]) -> str:
    """Apply one live correction to the store's rows; returns its new status (and
    records what it acted on)."""
    table = _TABLES[c["kind"]]
    if c["action"] == "add":
        found = _find(con, {**c, "key_label": c["type"], "key_source": c["source"],
                            "key_target": c["target"] or []})  # fmt: skip
        if found is not None:
            status, rid, original = "coded", found[0], None
        else:
            idx = int(con.execute(
                "SELECT coalesce(max(idx), -1) + 1 FROM events WHERE doc_id = ?", [c["doc_id"]]
            ).fetchone()[0])  # fmt: skip
            rid = f"{c['doc_id']}:ec{c['id'][1:9]}"
            _insert(con, _added(con, c), rid, c["doc_id"], idx)
            status, original = "applied", None
    else:
        hit = _find(con, c)
        if hit is None:
            status, rid, original = "orphaned", c["record_id"], c["original"]
        else:
            rid, idx, blob = hit
            record = json.loads(blob)
            original = json.dumps({"id": rid, "idx": idx, "record": record}, ensure_ascii=False)
            con.execute(f"DELETE FROM {table} WHERE id = ?", [rid])
            if c["action"] == "fix":
                _insert(con, _fixed(record, c), rid, c["doc_id"], idx)
            status = "applied"
    con.execute(
        "UPDATE corrections SET status = ?, record_id = ?, original = ? WHERE id = ?",
        [status, rid, original, c["id"]],
    )
    return status


def _rows(con: Any, where: str, params: list[Any]) -> list[dict[str, Any]]:
    res = con.execute(f"SELECT {_COLUMNS} FROM corrections WHERE {where} ORDER BY created_at, id",
                      params)  # fmt: skip
    cols = [d[0] for d in res.description]
    out = []
    for row in res.fetchall():
        c = dict(zip(cols, row, strict=True))
        for k in ("key_source", "key_target", "source", "target"):
            c[k] = list(c[k]) if c[k] is not None else None
        out.append(c)
    return out


def reapply(con: Any, doc_ids: list[str]) -> None:
    """Inside the transaction that stored ``doc_ids`` afresh: apply every live
    correction of those texts again, oldest first."""
    if not doc_ids:
        return
    live = _rows(con, "list_contains(?, doc_id) AND list_contains(?, status)",
                 [doc_ids, list(LIVE)])  # fmt: skip
    for c in live:
        _apply(con, c)


def _restore(con: Any, c: dict[str, Any]) -> None:
    """Undo what an applied correction did to the rows."""
    table = _TABLES[c["kind"]]
    if c["action"] == "add":
        con.execute("DELETE FROM events WHERE correction = ?", [c["id"]])
        return
    if c["original"] is None:
        return
    orig = json.loads(c["original"])
    con.execute(f"DELETE FROM {table} WHERE id = ?", [orig["id"]])
    _insert(con, orig["record"], orig["id"], c["doc_id"], int(orig["idx"]))


def _transaction(con: Any) -> Any:
    from contextlib import contextmanager

    @contextmanager
    def run() -> Any:
        con.execute("BEGIN TRANSACTION")
        try:
            yield
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    return run()


def _cid(values: list[Any]) -> str:
    return "c" + hashlib.sha1(json.dumps(values, default=str).encode()).hexdigest()[:15]


def correct(store: Any, change: Change) -> dict[str, Any]:
    """Record ``change`` and apply it, in one transaction; returns the correction as
    :func:`corrections` lists it. Making the same correction twice changes nothing."""
    change = check(change)
    con = store.con
    with _transaction(con):
        cid = _add(con, change) if change.action == "add" else _change(con, change)
    return corrections(store, cid=cid)[0]


def _add(con: Any, ch: Change) -> str:
    doc = con.execute("SELECT 1 FROM documents WHERE id = ? AND dataset IS NULL",
                      [ch.doc_id]).fetchone()  # fmt: skip
    if doc is None:
        raise UsageError(f"{ch.doc_id}: no such document (of the stored texts)")
    sent = con.execute("SELECT start_char, end_char FROM sentences WHERE doc_id = ? AND idx = ?",
                       [ch.doc_id, ch.sentence]).fetchone()  # fmt: skip
    if sent is None:
        raise UsageError(f"{ch.doc_id}: no sentence {ch.sentence}")
    target = ch.target or []
    assert ch.type is not None and ch.source is not None
    _actors_ok("event", ch.source, target)
    cid = _cid([ch.doc_id, "add", ch.sentence, ch.type, ch.source, target, ch.date])
    if con.execute("SELECT 1 FROM corrections WHERE id = ? AND list_contains(?, status)",
                   [cid, list(LIVE)]).fetchone():  # fmt: skip
        return cid
    con.execute("DELETE FROM corrections WHERE id = ?", [cid])  # a withdrawn twin
    _store(con, cid, ch, "event", sent[0], sent[1], ch.sentence, None, None, None, target)
    _apply(con, _rows(con, "id = ?", [cid])[0])
    return cid


def _store(
    con: Any, cid: str, ch: Change, kind: str, start: int, end: int, sentence: int | None,
    label: str | None, key_source: list[str] | None, key_target: list[str] | None,
    target: list[str] | None, replaces: str | None = None, record_id: str | None = None,
) -> None:  # fmt: skip
    con.execute(
        f"INSERT INTO corrections ({_COLUMNS}) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [cid, ch.doc_id, ch.action, kind, start, end, sentence, label, key_source, key_target,
         ch.type, ch.source, target, ch.date, ch.note, ch.author, _now(), "orphaned",
         record_id, None, replaces],
    )  # fmt: skip


def _change(con: Any, ch: Change) -> str:
    rid = str(ch.record_id)
    kind = _LETTER.get(rid.rsplit(":", 1)[-1][:1])
    if kind is None or ":" not in rid:
        raise UsageError(f"{rid}: not a record id (DOC:e3, DOC:a0, DOC:q1)")
    table = _TABLES[kind]
    row = _key_of_row(table, rid, con)
    if row is None:
        raise UsageError(f"{rid}: no such record")
    doc_id, _idx, start, end, sentence, label, ksrc, ktgt, blob, prev_id = row
    ds = con.execute("SELECT dataset FROM documents WHERE id = ?", [doc_id]).fetchone()
    if ds is not None and ds[0] is not None:
        raise UsageError(f"{rid}: an imported dataset event; only coded records take corrections")
    if ch.action == "fix" and kind != "event":
        raise UsageError(f"{rid}: only events can be fixed; mark an {kind} wrong instead")
    ch.doc_id = doc_id
    record = json.loads(blob)
    prev = _rows(con, "id = ?", [prev_id])[0] if prev_id else None
    replaces = None
    if prev is not None:
        # the record was already corrected: the new correction replaces that one
        _restore(con, prev)
        con.execute("UPDATE corrections SET status = 'superseded' WHERE id = ?", [prev["id"]])
        replaces = prev["id"]
        if prev["action"] == "add":
            if ch.action == "wrong":
                con.execute("UPDATE corrections SET status = 'withdrawn' WHERE id = ?",
                            [prev["id"]])  # fmt: skip
                return str(prev["id"])
            merged = Change(
                action="add", author=ch.author, doc_id=doc_id, sentence=prev["sentence_index"],
                type=ch.type or prev["type"],
                source=ch.source if ch.source is not None else prev["source"],
                target=ch.target if ch.target is not None else prev["target"],
                date=ch.date or prev["date"], note=ch.note or prev["note"],
            )  # fmt: skip
            return _add(con, merged)
        label, ksrc, ktgt = prev["key_label"], prev["key_source"], prev["key_target"]
        record = json.loads(prev["original"])["record"] if prev["original"] else record
        if ch.action == "fix":
            ch = Change(
                action="fix", author=ch.author, record_id=rid, doc_id=doc_id,
                type=ch.type or prev["type"],
                source=ch.source if ch.source is not None else prev["source"],
                target=ch.target if ch.target is not None else prev["target"],
                date=ch.date or prev["date"], note=ch.note or prev["note"],
            )  # fmt: skip
    if ch.action == "fix":
        src = ch.source if ch.source is not None else sorted(a["country"] for a in record["source"])
        tgt = ch.target if ch.target is not None else sorted(a["country"] for a in record["target"])
        _actors_ok("event", src, tgt)
        if (
            (ch.type or record["type"]) == record["type"]
            and src == sorted(ksrc)
            and tgt == sorted(ktgt)
            and not ch.date
        ):
            raise UsageError(f"{rid}: the fix changes nothing")
    cid = _cid([doc_id, ch.action, kind, start, end, label, list(ksrc), list(ktgt), ch.type,
                ch.source, ch.target, ch.date])  # fmt: skip
    if con.execute("SELECT 1 FROM corrections WHERE id = ?", [cid]).fetchone():
        con.execute("DELETE FROM corrections WHERE id = ?", [cid])
    _store(con, cid, ch, kind, start, end, sentence, label, list(ksrc), list(ktgt), ch.target,
           replaces=replaces, record_id=rid)  # fmt: skip
    _apply(con, _rows(con, "id = ?", [cid])[0])
    return cid


def withdraw(store: Any, correction_id: str) -> dict[str, Any]:
    """Undo a correction: the record is as the coder left it (an added event goes)."""
    con = store.con
    found = _rows(con, "id = ?", [correction_id])
    if not found:
        raise UsageError(f"{correction_id}: no such correction")
    c = found[0]
    if c["status"] in ("superseded", "withdrawn"):
        raise UsageError(f"{correction_id}: already {c['status']}")
    with _transaction(con):
        if c["status"] == "applied":
            _restore(con, c)
        con.execute("UPDATE corrections SET status = 'withdrawn' WHERE id = ?", [c["id"]])
    return corrections(store, cid=correction_id)[0]


def corrections(
    store: Any, doc_id: str | None = None, status: str | None = None, cid: str | None = None
) -> list[dict[str, Any]]:
    """The corrections (of one document, in one status, or the one ``cid``), oldest
    first, as plain dicts (``original`` left out)."""
    where, params = ["TRUE"], []
    if cid:
        where.append("id = ?")
        params.append(cid)
    if doc_id:
        where.append("doc_id = ?")
        params.append(doc_id)
    if status:
        if status not in STATUSES:
            raise UsageError(f"status {status!r}: one of {', '.join(STATUSES)}")
        where.append("status = ?")
        params.append(status)
    out = []
    for c in _rows(store.con, " AND ".join(where), params):
        c.pop("original", None)
        out.append(c)
    return out


def reviewed_documents(store: Any) -> list[str]:
    """Ids of the documents an analyst has corrected (a live correction)."""
    rows = store.con.execute(
        "SELECT DISTINCT doc_id FROM corrections WHERE list_contains(?, status) ORDER BY doc_id",
        [list(LIVE)],
    ).fetchall()
    return [str(r[0]) for r in rows]
