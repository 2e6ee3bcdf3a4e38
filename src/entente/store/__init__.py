"""The embedded store (DuckDB by default): documents and everything read from them.

Each document is written in one transaction keyed by its id (the hash of its
text): writing the same document again replaces its rows, so re-running is
idempotent and nothing is duplicated.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from entente.errors import StoreError, UsageError
from entente.model import Document
from entente.store import corrections, schema
from entente.store.schema import DOC_TABLES as _DOC_TABLES
from entente.time.interval import interval

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_DB = "entente.duckdb"


class Store:
    """A DuckDB file holding documents and everything coded from them.

    Opening a store migrates it to the current schema (``store/schema.py``).
    """

    def __init__(
        self, path: str | Path = DEFAULT_DB, read_only: bool = False, create: bool = True
    ) -> None:
        """Open (and migrate) the store at ``path``.

        ``read_only=True`` is for commands that only read: the file must exist and be at
        the current schema (a store that needs a migration says which command migrates
        it), and other readers may hold it open at the same time. ``create=False``
        refuses to create a missing file. Problems raise :class:`StoreError` with one
        line saying what to do.
        """
        import duckdb

        self.path = str(path)
        p = Path(path)
        if (read_only or not create) and str(path) != ":memory:" and not p.exists():
            raise StoreError(f"{p}: no such store (create one with: entente code FILES --db {p})")
        if p.exists() and p.is_dir():
            raise StoreError(f"{p}: is a directory, not a store file")
        try:
            limit = memory_limit()
            config: dict[str, str | bool | int | float | list[str]] = (
                {"memory_limit": limit} if limit else {}
            )
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise StoreError(_open_problem(p, exc)) from exc
        try:
            found = schema.version(self.con)
            if read_only:
                if found < schema.CURRENT:
                    raise StoreError(
                        f"{p}: store schema v{found} is older than this Entente's "
                        f"v{schema.CURRENT}; migrate it with: entente migrate --db {p}"
                    )
                if found > schema.CURRENT:
                    raise StoreError(
                        f"{p}: store schema v{found} is newer than this Entente "
                        f"(v{schema.CURRENT}); upgrade Entente"
                    )
            else:
                self.migrated_from = schema.migrate(self.con)
                drop_staging(self.con)
        except StoreError:
            self.con.close()
            raise
        except duckdb.Error as exc:
            self.con.close()
            raise StoreError(f"{p}: cannot use this store: {_first_line(exc)}") from exc

    migrated_from: int = schema.CURRENT

    def cursor(self) -> Store:
        """This store over a new cursor of its connection: for one thread or request of
        a server that keeps the store open (closing it closes the cursor only)."""
        view = object.__new__(Store)
        view.path = self.path
        view.con = self.con.cursor()
        return view

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

    def status(self, doc_id: str, path: str) -> str:
        """``unchanged`` (this text is stored), ``replace`` (the path holds another
        text) or ``new``."""
        if self.has(doc_id):
            return "unchanged"
        if self._scalar(
            "SELECT count(*) FROM documents WHERE path = ? AND dataset IS NULL", [path]
        ):
            return "replace"
        return "new"

    def add(self, doc: Document, records: list[dict[str, Any]] | None = None) -> bool:
        """Store ``doc`` and its coded records in one transaction.

        Returns False when this text is already stored (re-running changes nothing). A
        document whose path is stored with another text replaces the old rows in the
        same transaction, so a reader never sees both or neither.
        """
        return self.add_many([(doc, records or [])])[0]

    def add_many(
        self,
        items: Sequence[tuple[Document, Collection[dict[str, Any]]]],
        replace: bool = True,
        recode: bool = False,
        models: Mapping[str, str] | None = None,
    ) -> list[bool]:
        """Store several documents with their records in one transaction (faster than
        one each; still all-or-nothing for every document); a huge document (more than
        ``STAGE_ROWS`` rows) is written on its own through staging tables, still
        all-or-nothing (:meth:`_add_staged`). Returns, per item, whether it was new.

        ``replace=True`` (coding a file again after it changed): a stored document with
        the same path and another text is removed in the same transaction.
        ``replace=False`` (importing from elsewhere): nothing stored is ever removed; a
        path collision keeps both documents. ``recode=True``: a text already stored is
        stored again with these records (its old rows replaced in the same transaction;
        analysts' corrections of it are applied again). ``models``: documents' model JSON
        by id where the caller already has it (a Dask worker's result), so it is not
        serialised a second time."""
        if not items:
            return []
        con = self.con
        ids = [d.id for d, _ in items]
        stored = {
            r[0]
            for r in con.execute(
                "SELECT id FROM documents WHERE list_contains(?, id)", [ids]
            ).fetchall()
        }
        fresh: list[tuple[Document, Collection[dict[str, Any]]]] = []
        seen: set[str] = set()
        out = []
        for doc, rows in items:
            new = (recode or doc.id not in stored) and doc.id not in seen
            out.append(new)
            if new:
                seen.add(doc.id)
                fresh.append((doc, rows))
        if not fresh:
            return out
        now = datetime.now(UTC).replace(tzinfo=None)
        small = [(d, rows) for d, rows in fresh if _row_count(d, rows) <= STAGE_ROWS]
        if small:
            self._add_direct(small, seen, replace, now, models or {})
        for doc, rows in fresh:
            if _row_count(doc, rows) > STAGE_ROWS:
                self._add_staged(doc, rows, {doc.id}, replace, now, (models or {}).get(doc.id))
        return out

    def _add_direct(
        self,
        fresh: list[tuple[Document, Collection[dict[str, Any]]]],
        seen: set[str],
        replace: bool,
        now: datetime,
        models: Mapping[str, str],
    ) -> None:
        """Every row of ``fresh`` in one transaction."""
        con = self.con
        docs = [d for d, _ in fresh]
        con.execute("BEGIN TRANSACTION")
        try:
            self._replace_old(docs, seen, replace)
            for d in docs:  # one compressed model at a time
                _insert_document(con, d, now, model=models.get(d.id))
            _insert_rows(con, docs, [(d.id, rows) for d, rows in fresh])
            _record_reference(con, docs)
            corrections.reapply(con, [d.id for d in docs])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _add_staged(
        self,
        doc: Document,
        rows: Collection[dict[str, Any]],
        seen: set[str],
        replace: bool,
        now: datetime,
        model: str | None = None,
    ) -> None:
        """A huge document: its rows go first, a chunk per commit, into staging tables
        that no reader looks at, then move to the store in one transaction with the
        document's own row. DuckDB holds the rows of an open transaction uncompressed in
        memory, and a move from a committed table is written straight to disk: so memory
        stays bounded while readers still see the whole document or none of it."""
        con = self.con
        # the coding of this document left hundreds of MB of freed Python objects in
        # the C heap; DuckDB allocates from its own arenas, so hand them back first
        release_freed_memory()
        # the staged rows are committed as they go: under a cap DuckDB writes them out
        # and evicts them instead of caching the whole document (several hundred MB)
        old_cap = None if memory_limit() else self._scalar("SELECT current_setting('memory_limit')")
        if old_cap is not None:
            con.execute(f"SET memory_limit = '{STAGE_MEMORY}'")
        try:
            for table in _STAGED_TABLES:
                con.execute(
                    f"CREATE OR REPLACE TABLE {STAGE_PREFIX}{table} AS SELECT * FROM {table} LIMIT 0"
                )
            # the document's own row first (its text and compressed model are the largest
            # values), then its rows in small chunks
            _insert_document(con, doc, now, prefix=STAGE_PREFIX, model=model)
            _insert_rows(con, [doc], [(doc.id, rows)], prefix=STAGE_PREFIX, chunk=STAGE_BULK_ROWS)
            con.execute("BEGIN TRANSACTION")
            try:
                self._replace_old([doc], seen, replace)
                for table in _STAGED_TABLES:
                    con.execute(f"INSERT INTO {table} SELECT * FROM {STAGE_PREFIX}{table}")
                _record_reference(con, [doc])
                corrections.reapply(con, [doc.id])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            drop_staging(con)
            if old_cap is not None:
                con.execute(f"SET memory_limit = '{old_cap}'")

    def _replace_old(self, docs: list[Document], seen: set[str], replace: bool) -> None:
        """Inside the writing transaction: remove what the new documents replace."""
        con = self.con
        paths = [d.path for d in docs]
        old = [
            r[0]
            for r in con.execute(
                # a file of imported dataset events is never replaced by coding a text
                "SELECT id FROM documents WHERE list_contains(?, path) AND dataset IS NULL",
                [paths],
            ).fetchall()
        ]
        gone = [*old, *seen] if replace else [*seen]
        for table in _DOC_TABLES:
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, doc_id)", [gone])
        con.execute("DELETE FROM documents WHERE list_contains(?, id)", [gone])
        # their corrections stay, waiting for the text again (re-applied when it returns)
        con.execute(
            "UPDATE corrections SET status = 'orphaned' WHERE list_contains(?, doc_id) "
            "AND list_contains(['applied', 'coded'], status)",
            [gone],
        )

    def events(
        self,
        *,
        dyad: str | None = None,
        actor: str | None = None,
        type: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        min_confidence: float | None = None,
        origin: str | None = None,
    ) -> pd.DataFrame:
        """Events as a DataFrame: one row per event, ``source``/``target`` as lists of
        codes, ``date_start``/``date_end`` as datetimes (the date interval), with the
        sentence and citation behind each. Filters as ``entente events``: ``dyad="RUS-JPN"``
        (either direction; names work too), ``actor``, ``type`` (PLOVER, any case),
        ``since``/``until`` (``YYYY[-MM[-DD]]`` or a ``date``; interval overlap),
        ``min_confidence``. Bad values raise :class:`entente.errors.UsageError`."""
        return _frame(
            self, "events", Filters(dyad, actor, type, since, until, min_confidence, origin)
        )

    def assessments(
        self,
        *,
        dyad: str | None = None,
        actor: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        min_confidence: float | None = None,
    ) -> pd.DataFrame:
        """Relation assessments as a DataFrame (``a``, ``b``, ``polarity``, ``trend``,
        ``period``, ``holder``, the date interval, sentence, citation); filters as
        :meth:`events` without ``type``."""
        f = Filters(dyad, actor, None, since, until, min_confidence)
        return _frame(self, "assessments", f)

    def quotes(
        self,
        *,
        actor: str | None = None,
        since: str | date | None = None,
        until: str | date | None = None,
        min_confidence: float | None = None,
    ) -> pd.DataFrame:
        """Quotations as a DataFrame (speaker, their state and person, the quote, the date
        interval of its sentence); filters: ``actor`` (the speaker's state), dates,
        ``min_confidence``."""
        return _frame(self, "quotes", Filters(None, actor, None, since, until, min_confidence))

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


def memory_limit() -> str | None:
    """DuckDB's memory limit for stores: ``ENTENTE_DUCKDB_MEMORY`` (e.g. ``512MB``; past it
    DuckDB spills to disk), else DuckDB's default (80 % of the machine), lowered to
    ``STAGE_MEMORY`` while a huge document is written through staging tables."""
    return os.environ.get("ENTENTE_DUCKDB_MEMORY") or None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _open_problem(path: Path, exc: BaseException) -> str:
    """One line for a store that DuckDB refused to open."""
    text = re.sub(r'"[^"]*"', "", str(exc))  # not the file names: they may say "corrupt"
    m = re.search(r"PID (\d+)", text)
    if "not a valid DuckDB database" in text or "orrupt" in text:
        return f"{path}: not a DuckDB store, or a damaged one ({_first_line(exc)})"
    if re.search(r"(?:Conflicting|set|acquire) lock", text):
        who = f"by PID {m.group(1)}" if m else "by another process"
        served = serve_info(path)
        if served:
            return (f"{path}: the store is held by `entente serve` at {served[0]} (PID "
                    f"{m.group(1) if m else '?'}): read it through that server's API, send "
                    "corrections with `entente correct`, or stop the server")  # fmt: skip
        return f"{path}: the store is in use {who}; close that process or use another --db"
    return f"{path}: cannot open the store: {_first_line(exc)}"


def serve_info_path(path: str | Path) -> Path:
    """Where a running ``entente serve`` that holds the store says so: ``STORE.serve.json``
    (written and read by :mod:`entente.web.remote`)."""
    return Path(f"{path}.serve.json")


def serve_info(path: str | Path) -> tuple[str, int] | None:
    """(address, process id) a server left beside the store, if any."""
    try:
        info = json.loads(serve_info_path(path).read_text("utf-8"))
        return str(info["url"]), int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _days(r: dict[str, Any]) -> tuple[date | None, date | None]:
    """A record's interval: its own ``date_start``/``date_end`` (records written since
    schema v5), else the interval its date value stands for."""
    start, end = r.get("date_start"), r.get("date_end")
    if start or end:
        return (date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None)  # fmt: skip
    return interval(r.get("date"))


#: a document with more rows than this (mentions, sentences, notes, markers, records) is
#: written through staging tables (:meth:`Store._add_staged`)
STAGE_ROWS = 60_000
STAGE_PREFIX = "_staging_"
#: DuckDB's memory cap while a huge document is written (unless ENTENTE_DUCKDB_MEMORY
#: sets one for the store); 128 MB lowers the 20 MB single-line text's peak to 1.45 GB
#: but the final move of its staged rows then runs out of memory
STAGE_MEMORY = "256MB"
#: rows per insert while staging (a huge document's events carry their JSON)
STAGE_BULK_ROWS = 2048
_STAGED_TABLES = ("documents", *_DOC_TABLES)


def _row_count(doc: Document, records: Collection[dict[str, Any]]) -> int:
    return len(doc.mentions) + len(doc.sentences) + len(doc.notes) + len(doc.markers) + len(records)


def release_freed_memory() -> bool:
    """Collect garbage and return the C heap's free pages to the system (glibc's
    ``malloc_trim``), so the memory a huge document's coding freed is not held twice
    while DuckDB, which allocates from its own arenas, stores it. False where the C
    library has no such call (musl, macOS, Windows): nothing to do there."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        trim = None
    if trim is None:
        return False
    trim(0)
    return True


def drop_staging(con: Any) -> None:
    """Remove staging tables (left by a write that was killed part-way: never read)."""
    for table in _STAGED_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {STAGE_PREFIX}{table}")


def _insert_document(
    con: Any, d: Document, now: datetime, prefix: str = "", model: str | None = None
) -> None:
    """The document's own row; ``model`` is its model JSON when already serialised."""
    # a few rows with large strings: parameters, not a DataFrame (which costs DuckDB
    # several times the text's size in memory)
    con.execute(
        f"INSERT INTO {prefix}documents (id, path, title, date, author, url, reader, text_hash, "
        "n_chars, added_at, meta, text, model_z) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [d.id, d.path, d.title, d.date, d.author, d.url, d.reader, d.id, len(d.text), now,
         json.dumps(d.meta, default=str), d.text, schema.compress_model(d.json_chunks() if model is None else [model])],
    )  # fmt: skip


def _insert_rows(
    con: Any,
    docs: list[Document],
    recs: list[tuple[str, Collection[dict[str, Any]]]],
    prefix: str = "",
    chunk: int | None = None,
) -> None:
    """The rows of ``docs`` and their records into the tables (named with ``prefix``).
    Rows are generated while they are inserted, ``chunk`` (default ``BULK_ROWS``) at a
    time (``_bulk``): a huge document never holds all its rows as lists and DataFrames
    at once."""
    _bulk(
        con, f"{prefix}mentions", _MENTION_COLS, chunk=chunk, rows=
        ([d.id, i, m.sentence, m.start, m.end, m.text, m.countries, m.actors[0].sector,
          m.actors[0].role, m.actors[0].person, m.confidence, m.rule]
         for d in docs for i, m in enumerate(d.mentions)),
    )  # fmt: skip
    _bulk(
        con, f"{prefix}sentences", "doc_id, idx, paragraph, start_char, end_char, text, markers",
        chunk=chunk, rows=
        ([d.id, s.index, s.paragraph, s.start, s.end, s.text, s.markers]
         for d in docs for s in d.sentences),
    )  # fmt: skip
    _bulk(
        con, f"{prefix}notes", "doc_id, number, text, citation, sources", chunk=chunk, rows=
        ([d.id, n.number, n.text, d.citations[n.number].text(),
          json.dumps([_source_dict(x) for x in d.citations[n.number].sources])]
         for d in docs for n in d.notes),
    )  # fmt: skip
    _bulk(
        con, f"{prefix}markers", "doc_id, number, start_char, end_char, style, sentence, linked",
        chunk=chunk, rows=
        ([d.id, m.number, m.start, m.end, m.style, m.sentence, m.linked]
         for d in docs for m in d.markers),
    )  # fmt: skip
    for kind, table, cols in (
        ("event", "events", _EVENT_COLS),
        ("assessment", "assessments", _ASSESS_COLS),
        ("quote", "quotes", _QUOTE_COLS),
    ):
        _bulk(con, f"{prefix}{table}", f"id, {cols}", _record_rows(recs, kind), chunk=chunk)


def _record_rows(
    items: list[tuple[str, Collection[dict[str, Any]]]], kind: str
) -> Iterator[list[Any]]:
    """The table rows of the records of one kind, generated one at a time (each holds
    the record's JSON)."""
    letter = kind[0]
    for doc_id, records in items:
        n = 0
        for r in records:
            if r["kind"] != kind:
                continue
            yield record_row(r, f"{doc_id}:{letter}{n}", doc_id, n)
            n += 1


def record_row(r: dict[str, Any], rid: str, doc_id: str, n: int) -> list[Any]:
    """The row of record ``r`` (the columns ``id`` then ``_EVENT_COLS``,
    ``_ASSESS_COLS`` or ``_QUOTE_COLS`` for its kind)."""
    kind = r["kind"]
    common = [r.get("sentence_index"), r["span"][0], r["span"][1]]
    when = [*_days(r), r.get("date_source")]
    blob = json.dumps(r, ensure_ascii=False)
    if kind == "event":
        return [rid, doc_id, n, r["type"], r["quad"], r["mode"], [a["country"] for a in r["source"]],
                [a["country"] for a in r["target"]], r["intensity"], r["negated"], r["modality"], r["date"],
                r["date_precision"], *common, r["note"], r["confidence"], r["rule"], blob,
                json.dumps(r["context_spans"]) if r.get("context_spans") else None, *when]  # fmt: skip
    if kind == "assessment":
        return [rid, doc_id, n, r["dyad"][0], r["dyad"][1], r["polarity"], r["trend"], r["period"],
                r["holder"], r["date"], *common, r["note"], r["confidence"], r["rule"], blob,
                r.get("date_precision"), *when]  # fmt: skip
    sp = r.get("speaker") or {}
    return [rid, doc_id, n, sp.get("text"), sp.get("country"), sp.get("person"), r["quote"],
            r["attributed"], *common, r["confidence"], r["rule"], blob,
            r.get("date"), r.get("date_precision"), *when]  # fmt: skip


_MENTION_COLS = "doc_id, idx, sentence, start_char, end_char, text, countries, sector, role, person, confidence, rule"

#: rows handed to DuckDB per insert: bounds the DataFrame built for each
BULK_ROWS = 8192


def _bulk(
    con: Any, table: str, columns: str, rows: Iterable[list[Any]], chunk: int | None = None
) -> None:
    """Insert many rows through DataFrames (DuckDB's executemany is slow), ``chunk``
    (default ``BULK_ROWS``) at a time, so a huge document never holds a DataFrame, nor a
    list, of all its rows."""
    import pandas as pd

    names = [c.strip() for c in columns.split(",")]
    sql = f"INSERT INTO {table} ({columns}) SELECT {', '.join(names)} FROM _entente_bulk"
    it = iter(rows)
    while part := list(islice(it, chunk or BULK_ROWS)):
        frame = pd.DataFrame(part, columns=names)
        con.register("_entente_bulk", frame)
        try:
            con.execute(sql)
        finally:
            con.unregister("_entente_bulk")


_EVENT_COLS = (
    "doc_id, idx, type, quad, mode, source, target, intensity, negated, modality, date, "
    "date_precision, sentence_index, start_char, end_char, note, confidence, rule, record, "
    "context_spans, date_start, date_end, date_source"
)
_ASSESS_COLS = (
    "doc_id, idx, a, b, polarity, trend, period, holder, date, sentence_index, start_char, "
    "end_char, note, confidence, rule, record, date_precision, date_start, date_end, date_source"
)
_QUOTE_COLS = (
    "doc_id, idx, speaker, country, person, quote, attributed, sentence_index, start_char, "
    "end_char, confidence, rule, record, date, date_precision, date_start, date_end, date_source"
)


def _record_reference(con: Any, docs: list[Document]) -> None:
    """Keep the reference actors and officials the documents' mentions used."""
    from entente.actors.reference import reference

    ref = reference()
    codes = {a.country for doc in docs for m in doc.mentions for a in m.actors}
    people = {a.person for doc in docs for m in doc.mentions for a in m.actors if a.person}
    have = {r[0] for r in con.execute("SELECT code FROM actors_used").fetchall()}
    rows = [
        [c, ref.states[c].name, ref.states[c].kind] for c in sorted(codes - have) if c in ref.states
    ]
    _bulk(con, "actors_used", "code, name, kind", rows)
    have = {r[0] for r in con.execute("SELECT id FROM officials_used").fetchall()}
    for pid in sorted(people - have):
        off = ref.officials.get(pid)
        if off is not None:
            terms = [
                {
                    "country": t.country,
                    "role": t.role,
                    "title": t.title,
                    "start": t.start,
                    "end": t.end,
                }
                for t in off.terms
            ]
            con.execute(
                "INSERT OR IGNORE INTO officials_used VALUES (?, ?, ?, ?)",
                [pid, off.name, off.country, json.dumps(terms)],
            )


def _source_dict(src: Any) -> dict[str, Any]:
    return {
        "kind": src.kind, "authors": src.authors, "title": src.title, "outlet": src.outlet,
        "date": src.date, "pages": src.pages, "url": src.url,
        "refers_to": list(src.refers_to) if src.refers_to else None, "text": src.text,
    }  # fmt: skip


def _bound(value: str | date, option: str, end: bool) -> date:
    if isinstance(value, date):
        return value
    from entente.options import day_bound

    return day_bound(value, option, end=end)


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters every record query takes (CLI, Python API, web API)."""

    dyad: str | None = None
    actor: str | None = None
    type: str | None = None
    since: str | date | None = None
    until: str | date | None = None
    min_confidence: float | None = None
    #: text (coded from documents), dataset (imported from GDELT, ICEWS, POLECAT) or all
    origin: str | None = None


ORIGINS = ("text", "dataset", "all")


def origin_clause(origin: str | None, table: str = "events", alias: str = "e") -> str:
    """SQL condition (no parameters) keeping the records of one origin."""
    from entente import options

    if origin is None:
        return "TRUE"
    origin = options.choice(origin, "--origin", ORIGINS)
    if origin == "all":
        return "TRUE"
    if table != "events":  # assessments and quotes come from texts only
        return "TRUE" if origin == "text" else "FALSE"
    return f"{alias}.dataset IS {'' if origin == 'text' else 'NOT '}NULL"


def check_filters(table: str, **filters: Any) -> None:
    """Check filter values before any work (raises :class:`UsageError`)."""
    _filters(table, Filters(**filters))


def _filters(table: str, f: Filters) -> tuple[str, list[Any]]:
    dyad, actor, type, since, until = f.dyad, f.actor, f.type, f.since, f.until
    min_confidence = f.min_confidence
    where: list[str] = []
    params: list[Any] = []
    if table == "events":
        src, tgt = "source", "target"
        both = "list_concat(source, target)"
    elif table == "assessments":
        src, tgt = "[a]", "[b]"
        both = "[a, b]"
    else:
        src = tgt = both = "[country]"
    from entente import options

    if dyad:
        x, y = options.dyad(dyad)
        where.append(
            f"((list_contains({src}, ?) AND list_contains({tgt}, ?)) OR (list_contains({src}, ?) AND list_contains({tgt}, ?)))"
        )
        params += [x, y, y, x]
    if actor:
        where.append(f"list_contains({both}, ?)")
        params.append(options.state(actor, "--actor"))
    if type:
        if table != "events":
            raise UsageError(f"--type applies to events only, not to {table}")
        where.append("type = ?")
        params.append(options.event_type(type))
    # a record belongs to [since, until] when its interval overlaps it; an undated
    # record belongs to no period
    if since is not None or until is not None:
        where.append("(e.date_start IS NOT NULL OR e.date_end IS NOT NULL)")
    if since is not None:
        where.append("(e.date_end IS NULL OR e.date_end >= ?)")
        params.append(_bound(since, "--since", end=False))
    if until is not None:
        where.append("(e.date_start IS NULL OR e.date_start <= ?)")
        params.append(_bound(until, "--until", end=True))
    if min_confidence is not None:
        where.append("e.confidence >= ?")
        params.append(min_confidence)
    if f.origin is not None and (clause := origin_clause(f.origin, table)) != "TRUE":
        where.append(clause)
    return (" WHERE " + " AND ".join(where)) if where else "", params


_QUERY_COLUMNS = {
    "events": "e.id, e.date, e.date_start, e.date_end, e.date_source, e.type, e.mode, e.quad, array_to_string(e.source, '+') AS source, "
    "array_to_string(e.target, '+') AS target, e.intensity, e.negated, e.modality, e.confidence, "
    "e.note, e.rule, d.path AS doc_path, json_extract_string(e.record, '$.sentence') AS sentence, "
    "json_extract_string(e.record, '$.citation') AS citation, "
    "CASE WHEN e.dataset IS NULL THEN 'text' ELSE 'dataset' END AS origin, e.dataset, e.row_id, "
    "e.source_url, e.cameo",
    "assessments": "e.id, e.date, e.date_start, e.date_end, e.date_source, e.a, e.b, e.polarity, e.trend, e.period, e.holder, e.confidence, "
    "e.note, e.rule, d.path AS doc_path, json_extract_string(e.record, '$.sentence') AS sentence",
    "quotes": "e.id, e.date, e.date_start, e.date_end, e.date_source, e.speaker, e.country, e.person, e.quote, e.attributed, e.confidence, e.rule, "
    "d.path AS doc_path, json_extract_string(e.record, '$.sentence') AS sentence",
}


def _query(store: Store, table: str, **filters: Any) -> Any:
    where, params = _filters(table, Filters(**filters))
    order = "e.date_start NULLS LAST, e.id"
    sql = f"SELECT {_QUERY_COLUMNS[table]} FROM (SELECT * FROM {table}) e JOIN documents d ON d.id = e.doc_id{where} ORDER BY {order}"
    return store.con.execute(sql, params)


_FRAME_COLUMNS = {
    "events": "e.id, e.doc_id, d.path AS doc_path, e.date, e.date_precision, e.date_start, "
    "e.date_end, e.date_source, e.type, e.mode, e.quad, e.source, e.target, e.intensity, "
    "e.negated, e.modality, e.confidence, e.note, e.rule, "
    "json_extract_string(e.record, '$.sentence') AS sentence, "
    "json_extract_string(e.record, '$.citation') AS citation, "
    "CASE WHEN e.dataset IS NULL THEN 'text' ELSE 'dataset' END AS origin, e.dataset, e.row_id, "
    "e.source_url, e.cameo",
    "assessments": "e.id, e.doc_id, d.path AS doc_path, e.date, e.date_start, e.date_end, "
    "e.date_source, e.a, e.b, e.polarity, e.trend, e.period, e.holder, e.confidence, e.note, "
    "e.rule, json_extract_string(e.record, '$.sentence') AS sentence, "
    "json_extract_string(e.record, '$.citation') AS citation",
    "quotes": "e.id, e.doc_id, d.path AS doc_path, e.date, e.date_start, e.date_end, "
    "e.date_source, e.speaker, e.country, e.person, e.quote, e.attributed, e.confidence, "
    "e.rule, json_extract_string(e.record, '$.sentence') AS sentence",
}


def _frame(store: Store, table: str, f: Filters) -> pd.DataFrame:
    import pandas as pd

    where, params = _filters(table, f)
    sql = (
        f"SELECT {_FRAME_COLUMNS[table]} FROM {table} e JOIN documents d ON d.id = e.doc_id"
        f"{where} ORDER BY e.date_start NULLS LAST, e.id"
    )
    df: pd.DataFrame = store.con.cursor().execute(sql, params).df()
    for col in ("date_start", "date_end"):
        df[col] = pd.to_datetime(df[col])
    for col in ("source", "target"):
        if col in df.columns:
            df[col] = [list(v) if v is not None else [] for v in df[col]]
    return df


#: the most rows one page of a paginated query returns (web API)
MAX_PAGE = 1000


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE:
        raise UsageError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise UsageError(f"offset must be 0 or more, got {offset}")


def query_page(
    store: Store, table: str, limit: int = 50, offset: int = 0, **filters: Any
) -> dict[str, Any]:
    """One page of ``table`` with filters, as ``entente events`` selects them: ``total``
    (all matching rows), ``limit``, ``offset`` and ``items`` (dicts). ``limit`` must be
    1–``MAX_PAGE`` and ``offset`` ≥ 0 (:class:`UsageError` otherwise)."""
    _check_page(limit, offset)
    where, params = _filters(table, Filters(**filters))
    order = "ORDER BY e.date_start NULLS LAST, e.id"
    # the filters read the record table only: count there, and choose the page there
    # before the document is joined and the sentence read out of each record's JSON (so
    # that is done for the page's rows, not for every row that matches)
    page = f"SELECT * FROM {table} e{where} {order} LIMIT ? OFFSET ?"
    cur = store.con.cursor()
    try:
        total = int(cur.execute(f"SELECT count(*) FROM {table} e{where}", params).fetchall()[0][0])
        res = cur.execute(
            f"SELECT {_QUERY_COLUMNS[table]} FROM ({page}) e JOIN documents d ON d.id = e.doc_id "
            f"{order}",
            [*params, limit, offset],
        )
        cols = [c[0] for c in res.description]
        items = [dict(zip(cols, row, strict=True)) for row in res.fetchall()]
    finally:
        cur.close()
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def documents_page(store: Store, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """One page of the stored documents (text documents and imported dataset files) with
    their record counts."""
    _check_page(limit, offset)
    cur = store.con.cursor()
    try:
        total = int(cur.execute("SELECT count(*) FROM documents").fetchall()[0][0])
        res = cur.execute(
            """SELECT d.id, d.path, d.title, d.date, d.reader, d.url, d.n_chars,
                      CASE WHEN d.dataset IS NULL THEN 'text' ELSE 'dataset' END AS origin,
                      d.dataset,
                      (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events,
                      (SELECT count(*) FROM assessments a WHERE a.doc_id = d.id) AS assessments,
                      (SELECT count(*) FROM quotes q WHERE q.doc_id = d.id) AS quotes
               FROM documents d ORDER BY d.path, d.id LIMIT ? OFFSET ?""",
            [limit, offset],
        )
        cols = [c[0] for c in res.description]
        items = [dict(zip(cols, row, strict=True)) for row in res.fetchall()]
    finally:
        cur.close()
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A document's metadata, its notes with their resolved citations, and its counts."""
    cur = store.con.cursor()
    try:
        row = cur.execute(
            "SELECT id, path, title, date, author, url, reader, n_chars, added_at, dataset, meta "
            "FROM documents WHERE id = ?",
            [doc_id],
        ).fetchall()
        if not row:
            return None
        keys = ["id", "path", "title", "date", "author", "url", "reader", "n_chars", "added_at",
                "dataset", "meta"]  # fmt: skip
        out: dict[str, Any] = dict(zip(keys, row[0], strict=True))
        out["meta"] = json.loads(out["meta"]) if out["meta"] else None
        out["origin"] = "text" if out["dataset"] is None else "dataset"
        out["notes"] = [
            {"number": n, "text": t, "citation": c, "sources": json.loads(src) if src else []}
            for n, t, c, src in cur.execute(
                "SELECT number, text, citation, sources FROM notes WHERE doc_id = ? ORDER BY number",
                [doc_id],
            ).fetchall()
        ]
        for table in ("sentences", "events", "assessments", "quotes"):
            out[table] = int(
                cur.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", [doc_id]).fetchall()[
                    0
                ][0]
            )
    finally:
        cur.close()
    return out


def query_rows(store: Store, table: str, **filters: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows for ``table`` with filters (for the CLI)."""
    cur = _query(store, table, **filters)
    cols = [c[0] for c in cur.description]
    return cols, cur.fetchall()


def show(store: Store, record_id: str) -> dict[str, Any] | None:
    """A record with its full evidence: the sentence in its paragraph, the note and the
    resolved citation, and the document's metadata."""
    table = {"e": "events", "a": "assessments", "q": "quotes"}.get(record_id.rsplit(":", 1)[-1][:1])
    if record_id.split(":", 1)[0] in ("gdelt", "icews", "polecat"):
        table = "events"  # an imported event: DATASET:ROW_ID
    if table is None:
        return None
    row = store.con.execute(
        f"SELECT record, doc_id FROM {table} WHERE id = ?", [record_id]
    ).fetchone()
    if row is None:
        return None
    record = json.loads(row[0])
    doc = store.con.execute(
        "SELECT path, title, date, url, model_z, model FROM documents WHERE id = ?", [row[1]]
    ).fetchone()
    out: dict[str, Any] = {"id": record_id, "record": record}
    if doc is not None:
        out["document"] = {"path": doc[0], "title": doc[1], "date": doc[2], "url": doc[3]}
        text = schema.model_text(doc[4], doc[5])
        if text:
            model = Document.from_dict(json.loads(text))
            s, e = record["span"]
            para = next((p for p in model.paragraphs if p.start <= s and e <= p.end + 5), None)
            if para is not None:
                out["paragraph"] = model.text[para.start : para.end]
            if record.get("note") is not None:
                n = next((x for x in model.notes if x.number == record["note"]), None)
                out["note_text"] = n.text if n else None
            if record.get("context_spans"):
                # an implicit partner named in another sentence: cite that sentence too
                out["context_sentences"] = [model.text[a:b] for a, b in record["context_spans"]]
    if record.get("origin") == "dataset":
        out["why"] = {"imported": record.get("dataset"), "row_id": record.get("row_id"),
                      "line": record.get("line"), "cameo": record.get("cameo"),
                      "source_url": record.get("source_url")}  # fmt: skip
    elif record.get("kind") == "event":
        why = record.get("why")
        out["why"] = {
            "rule": record.get("rule"),
            "confidence": record.get("confidence"),
            **(why or {"scorer": "not judged (rules alone)"}),
        }
    return out
