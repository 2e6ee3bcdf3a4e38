"""The embedded store (DuckDB by default): documents and everything read from them.

Each document is written in one transaction keyed by its id (the hash of its
text): writing the same document again replaces its rows, so re-running is
idempotent and nothing is duplicated.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from entente.model import Document

DEFAULT_DB = "entente.duckdb"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY, path VARCHAR, title VARCHAR, date VARCHAR, author VARCHAR,
    url VARCHAR, reader VARCHAR, text_hash VARCHAR, n_chars INTEGER, added_at TIMESTAMP,
    meta JSON);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR, idx INTEGER, paragraph INTEGER, start_char INTEGER, end_char INTEGER,
    text VARCHAR, markers INTEGER[], PRIMARY KEY (doc_id, idx));
CREATE TABLE IF NOT EXISTS notes (
    doc_id VARCHAR, number INTEGER, text VARCHAR, citation VARCHAR, sources JSON,
    PRIMARY KEY (doc_id, number));
CREATE TABLE IF NOT EXISTS events (
    doc_id VARCHAR, idx INTEGER, type VARCHAR, quad VARCHAR, mode VARCHAR,
    source VARCHAR[], target VARCHAR[], intensity DOUBLE, negated BOOLEAN, modality VARCHAR,
    date VARCHAR, date_precision VARCHAR, sentence_index INTEGER, start_char INTEGER,
    end_char INTEGER, note INTEGER, confidence DOUBLE, rule VARCHAR, record JSON,
    PRIMARY KEY (doc_id, idx));
CREATE TABLE IF NOT EXISTS assessments (
    doc_id VARCHAR, idx INTEGER, a VARCHAR, b VARCHAR, polarity INTEGER, trend VARCHAR,
    period VARCHAR, holder VARCHAR, date VARCHAR, sentence_index INTEGER, start_char INTEGER,
    end_char INTEGER, note INTEGER, confidence DOUBLE, rule VARCHAR, record JSON,
    PRIMARY KEY (doc_id, idx));
CREATE TABLE IF NOT EXISTS quotes (
    doc_id VARCHAR, idx INTEGER, speaker VARCHAR, country VARCHAR, person VARCHAR,
    quote VARCHAR, attributed BOOLEAN, sentence_index INTEGER, start_char INTEGER,
    end_char INTEGER, confidence DOUBLE, rule VARCHAR, record JSON, PRIMARY KEY (doc_id, idx));
CREATE TABLE IF NOT EXISTS markers (
    doc_id VARCHAR, number INTEGER, start_char INTEGER, end_char INTEGER, style VARCHAR,
    sentence INTEGER, linked BOOLEAN);
"""


class Store:
    """A DuckDB file holding documents, sentences, notes and markers."""

    def __init__(self, path: str | Path = DEFAULT_DB) -> None:
        import duckdb

        self.path = str(path)
        self.con = duckdb.connect(self.path)
        self.con.execute(_SCHEMA)
        if not self._scalar("SELECT count(*) FROM schema_version"):
            self.con.execute("INSERT INTO schema_version VALUES (?)", [SCHEMA_VERSION])

    def _scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        row = self.con.execute(sql, params or []).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, doc_id: str) -> bool:
        row = self.con.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone()
        return row is not None

    def add(self, doc: Document, records: list[dict[str, Any]] | None = None) -> bool:
        """Store ``doc`` (and its coded records) in one transaction; return False when
        it was already stored, so re-running on the same input changes nothing."""
        if self.has(doc.id):
            return False
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for table in _DOC_TABLES:
                con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc.id])
            con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc.id, doc.path, doc.title, doc.date, doc.author, doc.url, doc.reader, doc.id,
                 len(doc.text), datetime.now(UTC).replace(tzinfo=None), json.dumps(doc.meta)],
            )  # fmt: skip
            if doc.sentences:
                con.executemany(
                    "INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        [doc.id, s.index, s.paragraph, s.start, s.end, s.text, s.markers]
                        for s in doc.sentences
                    ],
                )
            if doc.notes:
                con.executemany(
                    "INSERT INTO notes VALUES (?, ?, ?, ?, ?)",
                    [
                        [doc.id, n.number, n.text, doc.citations[n.number].text(),
                         json.dumps([_source_dict(s) for s in doc.citations[n.number].sources])]
                        for n in doc.notes
                    ],
                )  # fmt: skip
            if doc.markers:
                con.executemany(
                    "INSERT INTO markers VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        [doc.id, m.number, m.start, m.end, m.style, m.sentence, m.linked]
                        for m in doc.markers
                    ],
                )
            if records:
                _insert_records(con, doc.id, records)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return True

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", *_DOC_TABLES):
            out[table] = int(self._scalar(f"SELECT count(*) FROM {table}"))
        return out

    def events_per_dyad(self, limit: int = 10) -> list[tuple[str, int, float]]:
        """(dyad, events, mean intensity), most evidenced first; direction ignored."""
        rows = self.con.execute(
            """SELECT least(s, t) || '-' || greatest(s, t) AS dyad, count(*) AS n, avg(intensity)
               FROM (SELECT unnest(source) AS s, target, intensity FROM events)
               CROSS JOIN LATERAL (SELECT unnest(target) AS t)
               WHERE s <> t GROUP BY dyad ORDER BY n DESC, dyad LIMIT ?""",
            [limit],
        ).fetchall()
        return [(str(r[0]), int(r[1]), float(r[2])) for r in rows]

    def documents(self) -> list[dict[str, Any]]:
        cur = self.con.execute(
            """SELECT d.id, d.path, d.title, d.date, d.reader,
                      (SELECT count(*) FROM sentences s WHERE s.doc_id = d.id) AS sentences,
                      (SELECT count(*) FROM notes n WHERE n.doc_id = d.id) AS notes,
                      (SELECT count(*) FROM markers m WHERE m.doc_id = d.id AND m.linked) AS linked
               FROM documents d ORDER BY d.path"""
        )
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


_DOC_TABLES = ("sentences", "notes", "markers", "events", "assessments", "quotes")


def _insert_records(con: Any, doc_id: str, records: list[dict[str, Any]]) -> None:
    ev: list[list[Any]] = []
    asm: list[list[Any]] = []
    qt: list[list[Any]] = []
    for r in records:
        common = [r.get("sentence_index"), r["span"][0], r["span"][1]]
        blob = json.dumps(r, ensure_ascii=False)
        if r["kind"] == "event":
            ev.append([doc_id, len(ev), r["type"], r["quad"], r["mode"], [a["country"] for a in r["source"]],
                       [a["country"] for a in r["target"]], r["intensity"], r["negated"], r["modality"], r["date"],
                       r["date_precision"], *common, r["note"], r["confidence"], r["rule"], blob])  # fmt: skip
        elif r["kind"] == "assessment":
            asm.append([doc_id, len(asm), r["dyad"][0], r["dyad"][1], r["polarity"], r["trend"], r["period"],
                        r["holder"], r["date"], *common, r["note"], r["confidence"], r["rule"], blob])  # fmt: skip
        else:
            sp = r.get("speaker") or {}
            qt.append([doc_id, len(qt), sp.get("text"), sp.get("country"), sp.get("person"), r["quote"],
                       r["attributed"], *common, r["confidence"], r["rule"], blob])  # fmt: skip
    if ev:
        con.executemany(f"INSERT INTO events VALUES ({', '.join(['?'] * 19)})", ev)
    if asm:
        con.executemany(f"INSERT INTO assessments VALUES ({', '.join(['?'] * 16)})", asm)
    if qt:
        con.executemany(f"INSERT INTO quotes VALUES ({', '.join(['?'] * 13)})", qt)


def _source_dict(src: Any) -> dict[str, Any]:
    return {
        "kind": src.kind, "authors": src.authors, "title": src.title, "outlet": src.outlet,
        "date": src.date, "pages": src.pages, "url": src.url,
        "refers_to": list(src.refers_to) if src.refers_to else None, "text": src.text,
    }  # fmt: skip
