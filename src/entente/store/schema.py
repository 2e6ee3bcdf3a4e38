"""Store schema, its version history and forward migrations.

Every schema the project ever shipped is kept here (``HISTORY``) so that the tests can
build a store at each earlier version and migrate it forward. ``migrate`` runs the
steps from the store's version to ``CURRENT`` inside one transaction.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from typing import Any

from entente.errors import StoreError

CURRENT = 8

V1 = """
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
CREATE TABLE IF NOT EXISTS markers (
    doc_id VARCHAR, number INTEGER, start_char INTEGER, end_char INTEGER, style VARCHAR,
    sentence INTEGER, linked BOOLEAN);
"""

#: v2 added the record tables
V2_ADD = """
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
"""

#: v3 keeps the whole document (text and model) for evidence and lossless export,
#: gives records stable ids, and adds mentions and the reference actors used
V3_ADD = """
ALTER TABLE documents ADD COLUMN IF NOT EXISTS text VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS model JSON;
ALTER TABLE events ADD COLUMN IF NOT EXISTS id VARCHAR;
ALTER TABLE assessments ADD COLUMN IF NOT EXISTS id VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS id VARCHAR;
UPDATE events SET id = doc_id || ':e' || idx WHERE id IS NULL;
UPDATE assessments SET id = doc_id || ':a' || idx WHERE id IS NULL;
UPDATE quotes SET id = doc_id || ':q' || idx WHERE id IS NULL;
CREATE TABLE IF NOT EXISTS mentions (
    doc_id VARCHAR, idx INTEGER, sentence INTEGER, start_char INTEGER, end_char INTEGER,
    text VARCHAR, countries VARCHAR[], sector VARCHAR, role VARCHAR, person VARCHAR,
    confidence DOUBLE, rule VARCHAR, PRIMARY KEY (doc_id, idx));
CREATE TABLE IF NOT EXISTS actors_used (
    code VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR);
CREATE TABLE IF NOT EXISTS officials_used (
    id VARCHAR PRIMARY KEY, name VARCHAR, country VARCHAR, terms JSON);
"""

#: v4 adds the spans of the other sentences an event cites (a partner named earlier)
V4_ADD = """
ALTER TABLE events ADD COLUMN IF NOT EXISTS context_spans JSON;
"""

#: v5 stores every record's time as an interval of days (``date_start``, ``date_end``),
#: says where the date came from (``date_source``), and gives quotations their date
V5_ADD = """
ALTER TABLE events ADD COLUMN IF NOT EXISTS date_start DATE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS date_end DATE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS date_source VARCHAR;
ALTER TABLE assessments ADD COLUMN IF NOT EXISTS date_precision VARCHAR;
ALTER TABLE assessments ADD COLUMN IF NOT EXISTS date_start DATE;
ALTER TABLE assessments ADD COLUMN IF NOT EXISTS date_end DATE;
ALTER TABLE assessments ADD COLUMN IF NOT EXISTS date_source VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS date VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS date_precision VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS date_start DATE;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS date_end DATE;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS date_source VARCHAR;
"""


#: v6 keeps each document's model compressed (``model_z``, zlib): a 20 MB text's model
#: is 200 MB of JSON, which DuckDB had to hold, parse and check in one piece
V6_ADD = """
ALTER TABLE documents ADD COLUMN IF NOT EXISTS model_z BLOB;
"""


#: v7 takes events from published datasets (GDELT, ICEWS, POLECAT) beside text-coded
#: ones: provenance (``dataset``, the dataset's own ``row_id``, ``source_url``), the
#: dataset's ``cameo`` code and its own intensity; a document row stands for each
#: imported file (``documents.dataset``). Stored intensities and quad classes move to
#: the PLOVER manual's scale.
V7_ADD = """
ALTER TABLE documents ADD COLUMN IF NOT EXISTS dataset VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dataset VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS row_id VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS source_url VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS cameo VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS dataset_intensity DOUBLE;
"""


#: v8 keeps analysts' corrections (``corrections``: who, when, what, and the content key
#: of the record each one corrects) and marks the event rows a correction changed or added
V8_ADD = """
CREATE TABLE IF NOT EXISTS corrections (
    id VARCHAR PRIMARY KEY, doc_id VARCHAR NOT NULL, action VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, start_char INTEGER, end_char INTEGER, sentence_index INTEGER,
    key_label VARCHAR, key_source VARCHAR[], key_target VARCHAR[], type VARCHAR,
    source VARCHAR[], target VARCHAR[], date VARCHAR, note VARCHAR, author VARCHAR,
    created_at TIMESTAMP, status VARCHAR, record_id VARCHAR, original JSON,
    replaces VARCHAR);
ALTER TABLE events ADD COLUMN IF NOT EXISTS correction VARCHAR;
"""


def _v7_rescale(con: Any) -> None:
    """Stored text-coded events onto the manual's scale (intensity and quad class, in
    the columns and in each record's JSON)."""
    from entente.coding.ontology import EVENT_TYPES, intensity, quad

    keys = con.execute("SELECT DISTINCT type, mode, negated FROM events").fetchall()
    rows = [
        (t, m, bool(n), intensity(t, m, bool(n)), quad(t)) for t, m, n in keys if t in EVENT_TYPES
    ]
    if not rows:
        return
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["type", "mode", "negated", "intensity", "quad"])
    con.register("_entente_v7", frame)
    try:
        con.execute(
            "UPDATE events SET intensity = f.intensity, quad = f.quad, "
            "record = json_merge_patch(record, json_object('intensity', f.intensity, 'quad', f.quad)) "
            "FROM _entente_v7 f WHERE events.type = f.type AND events.mode IS NOT DISTINCT FROM f.mode "
            "AND events.negated IS NOT DISTINCT FROM f.negated"
        )
    finally:
        con.unregister("_entente_v7")


def _v6_compress(con: Any) -> None:
    """Move every stored model into ``model_z``, one document at a time."""
    ids = [r[0] for r in con.execute("SELECT id FROM documents WHERE model IS NOT NULL").fetchall()]
    for doc_id in ids:
        row = con.execute("SELECT model FROM documents WHERE id = ?", [doc_id]).fetchone()
        packed = compress_model([str(row[0])])
        con.execute("UPDATE documents SET model_z = ?, model = NULL WHERE id = ?", [packed, doc_id])


def compress_model(chunks: Iterable[str]) -> bytes:
    """A document's model JSON, given in pieces, as the bytes stored in ``model_z``."""
    z = zlib.compressobj(1)
    out: list[bytes] = []
    buf: list[str] = []
    size = 0
    for chunk in chunks:
        buf.append(chunk)
        size += len(chunk)
        if size >= 1 << 20:
            out.append(z.compress("".join(buf).encode("utf-8")))
            buf, size = [], 0
    out.append(z.compress("".join(buf).encode("utf-8")))
    out.append(z.flush())
    return b"".join(out)


def model_text(packed: bytes | None, plain: str | None = None) -> str | None:
    """The model JSON of a stored document (``model_z``, or a pre-v6 ``model``)."""
    if packed is not None:
        return zlib.decompress(packed).decode("utf-8")
    return plain


def _v5_backfill(con: Any) -> None:
    """Fill the v5 columns of records stored before v5 from their JSON and date value."""
    from entente.time.interval import interval

    for table in ("events", "assessments", "quotes"):
        rows = con.execute(
            f"SELECT id, json_extract_string(record, '$.date'), "
            f"json_extract_string(record, '$.date_precision'), "
            f"json_extract_string(record, '$.date_source') FROM {table}"
        ).fetchall()
        if not rows:
            continue
        import pandas as pd

        frame = pd.DataFrame(
            [(i, v, p, src, *interval(v)) for i, v, p, src in rows],
            columns=["id", "date", "prec", "src", "start", "end"],
        )
        frame["start"] = pd.to_datetime(frame["start"])
        frame["end"] = pd.to_datetime(frame["end"])
        con.register("_entente_v5", frame)
        try:
            con.execute(
                f"UPDATE {table} SET date = f.date, date_precision = f.prec, "
                f"date_source = f.src, date_start = CAST(f.start AS DATE), "
                f'date_end = CAST(f."end" AS DATE) FROM _entente_v5 f WHERE {table}.id = f.id'
            )
        finally:
            con.unregister("_entente_v5")


HISTORY = {
    1: V1,
    2: V1 + V2_ADD,
    3: V1 + V2_ADD + V3_ADD,
    4: V1 + V2_ADD + V3_ADD + V4_ADD,
    5: V1 + V2_ADD + V3_ADD + V4_ADD + V5_ADD,
    6: V1 + V2_ADD + V3_ADD + V4_ADD + V5_ADD + V6_ADD,
    7: V1 + V2_ADD + V3_ADD + V4_ADD + V5_ADD + V6_ADD + V7_ADD,
    8: V1 + V2_ADD + V3_ADD + V4_ADD + V5_ADD + V6_ADD + V7_ADD + V8_ADD,
}
#: each step is SQL, optionally followed by a Python function run in the same transaction
MIGRATIONS: dict[int, tuple[str, Callable[[Any], None] | None]] = {
    1: (V2_ADD, None), 2: (V3_ADD, None), 3: (V4_ADD, None), 4: (V5_ADD, _v5_backfill),
    5: (V6_ADD, _v6_compress), 6: (V7_ADD, _v7_rescale),
    7: (V8_ADD, None),
}  # fmt: skip

#: tables whose rows belong to one document
DOC_TABLES = ("sentences", "notes", "markers", "events", "assessments", "quotes", "mentions")


def version(con: Any) -> int:
    tables = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    if "schema_version" not in tables:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def create_at(con: Any, v: int) -> None:
    """Create an empty store at schema version ``v`` (for tests and fresh files)."""
    con.execute(HISTORY[v])
    con.execute("DELETE FROM schema_version")
    con.execute("INSERT INTO schema_version VALUES (?)", [v])


def migrate(con: Any) -> int:
    """Bring the store to ``CURRENT``; return the version it started at."""
    start = version(con)
    if start == 0:
        create_at(con, CURRENT)
        return 0
    if start > CURRENT:
        raise StoreError(
            f"store schema v{start} is newer than this Entente (v{CURRENT}); upgrade Entente"
        )
    if start == CURRENT:
        return start
    con.execute("BEGIN TRANSACTION")
    try:
        for v in range(start, CURRENT):
            sql, backfill = MIGRATIONS[v]
            con.execute(sql)
            if backfill is not None:
                backfill(con)
        con.execute("DELETE FROM schema_version")
        con.execute("INSERT INTO schema_version VALUES (?)", [CURRENT])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return start
