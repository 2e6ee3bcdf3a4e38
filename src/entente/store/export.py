"""Exports in the formats analysts use, and the JSONL import that reads one back.

- ``jsonl``: one line per document (``{"kind": "document", "document": {...}}``, the whole
  model) followed by its records; ``entente import`` rebuilds a store from it.
- ``csv``: a directory of flat tables for spreadsheets (``documents``, ``events``,
  ``assessments``, ``quotes``): actors joined with ``;``, the sentence as a column, no
  JSON; ``excel=True`` writes UTF-8 with a byte-order mark so Excel keeps curly quotes.
- ``parquet``: the same tables with their types (lists, booleans, doubles) and each
  record's JSON.
- ``graphml``: the signed state network (nodes: states; edges: pairs with event count,
  counts per quad class, summed intensity×confidence, assessment balance, a sign, the
  first and last date and the evidence ids) for Gephi or networkx.
- ``gexf``: the same network with time: each tie's score and sign per period (the
  reading at the period's end), so Gephi's timeline plays it; a non-negative weight.
- ``plover``: JSON Lines in the PLOVER data model, one record per event (``id``,
  ``date``, ``event``, ``mode``, ``context``, ``actor``/``recipient`` as lists of
  entities, ``quad_code``, ``event_scale``…), valid against
  ``data/plover_event.schema.json``.

Every event in csv, parquet and plover carries a CAMEO code: the dataset's own for
imported rows, and for text-coded records the most specific code the crosswalk allows
for the type and mode (PLOVER → CAMEO is one-to-many; :func:`entente.coding.cameo.to_cameo`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from entente.model import Document
from entente.store import Store, schema

FORMATS = ("jsonl", "csv", "parquet", "graphml", "gexf", "plover", "gold")
_TABLES = ("documents", "events", "assessments", "quotes")


def export(
    store: Store,
    fmt: str,
    out: Path,
    origin: str = "all",
    excel: bool = False,
    freq: str = "Y",
) -> dict[str, int]:
    """Write the store in ``fmt`` to ``out``. ``origin`` (text, dataset, all) selects the
    events of the csv, parquet, graph and plover exports; ``excel`` (csv) adds a
    byte-order mark; ``freq`` (gexf) is the period of the timeline (M, Q, Y)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "jsonl":
        return export_jsonl(store, out)
    if fmt in ("csv", "parquet"):
        return export_tables(store, out, fmt, origin=origin, excel=excel)
    if fmt == "graphml":
        return export_graphml(store, out, origin=origin)
    if fmt == "gexf":
        return export_gexf(store, out, origin=origin, freq=freq)
    if fmt == "gold":
        return export_gold(store, out)
    return export_plover(store, out, origin=origin)


def _stem(path: str | None, doc_id: str) -> str:
    base = Path(path or "document").name
    base = re.sub(r"\.(txt|md|html?|pdf|jsonl)$", "", base, flags=re.I)
    base = re.sub(r"[^A-Za-z0-9_-]+", "_", base).strip("_")[:60] or "document"
    return f"{base}_{doc_id[:8]}"


def _gold_date(value: Any) -> str | None:
    v = str(value or "")[:10]
    return v if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v) else None


def export_gold(store: Store, out: Path) -> dict[str, int]:
    """Each document an analyst reviewed (one with a live correction), as the project's
    gold files (``eval/GUIDELINES.md``): ``NAME.txt`` (the stored text) and
    ``NAME.gold.json`` with the corrected events and assessments, each quoting its
    evidence verbatim — ready to check (``python -m entente.evaluate.gold DIR``), to
    complete (genre, episodes, dyad signs) and to add to ``eval/train/``."""
    from entente.store.corrections import reviewed_documents

    out.mkdir(parents=True, exist_ok=True)
    con = store.con
    counts = {"documents": 0, "events": 0, "assessments": 0}
    for doc_id in reviewed_documents(store):
        doc = con.execute(
            "SELECT path, date, text, meta FROM documents WHERE id = ? AND dataset IS NULL",
            [doc_id],
        ).fetchone()
        if doc is None:  # its text is no longer stored: its corrections are orphaned
            continue
        path, when, text, meta = doc
        text = text or ""
        events: list[dict[str, Any]] = []
        seen: set[tuple[Any, ...]] = set()
        for start, end, typ, src, tgt, day, ctx in con.execute(
            "SELECT start_char, end_char, type, list_sort(source), list_sort(target), date, "
            "context_spans FROM events WHERE doc_id = ? ORDER BY start_char, idx",
            [doc_id],
        ).fetchall():
            quote = text[start:end].strip()
            src, tgt = list(src or []), list(tgt or [])
            key = (quote, typ, tuple(src), tuple(tgt))
            if not quote or key in seen or set(src) & set(tgt) or (not tgt and len(src) < 2):
                continue
            seen.add(key)
            ev: dict[str, Any] = {"quote": quote, "source": src, "target": tgt, "type": typ,
                                  "date": _gold_date(day)}  # fmt: skip
            spans = json.loads(ctx) if ctx else []
            if spans:
                ev["context"] = text[spans[0][0] : spans[0][1]].strip()
            events.append(ev)
        assessments = [
            {"quote": text[s:e].strip(), "dyad": [a, b], "polarity": int(p), "trend": t}
            for s, e, a, b, p, t in con.execute(
                "SELECT start_char, end_char, a, b, polarity, trend FROM assessments "
                "WHERE doc_id = ? ORDER BY start_char, idx",
                [doc_id],
            ).fetchall()
            if text[s:e].strip()
        ]
        authors = sorted({r[0] for r in con.execute(
            "SELECT author FROM corrections WHERE doc_id = ?", [doc_id]).fetchall()})  # fmt: skip
        genre = (json.loads(meta) if meta else {}).get("genre")
        gold = {
            "doc_date": _gold_date(when), "genre": genre or "other", "episodes": [],
            "reviewed_by": authors, "source_path": path,
            "events": events, "assessments": assessments, "dyads": {},
        }  # fmt: skip
        stem = _stem(path, doc_id)
        (out / f"{stem}.txt").write_text(text, encoding="utf-8")
        (out / f"{stem}.gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        counts["documents"] += 1
        counts["events"] += len(events)
        counts["assessments"] += len(assessments)
    return counts


def export_jsonl(store: Store, out: Path, fmt: str = "jsonl") -> dict[str, int]:
    """Every text document with its model and records (documents that stand for an
    imported dataset file are left out: their events are re-imported from the file)."""
    counts = {"documents": 0, "records": 0}
    with out.open("w", encoding="utf-8") as fh:
        ids = [
            r[0]
            for r in store.con.execute(
                "SELECT id FROM documents WHERE dataset IS NULL ORDER BY path, id"
            ).fetchall()
        ]
        for doc_id in ids:  # one model in memory at a time
            row = store.con.execute(
                "SELECT model_z, model FROM documents WHERE id = ?", [doc_id]
            ).fetchone()
            model = schema.model_text(row[0], row[1]) if row else None
            fh.write(
                json.dumps({"kind": "document", "document": json.loads(model or "null")},
                           ensure_ascii=False)
                + "\n"
            )  # fmt: skip
            counts["documents"] += 1
            for table in ("events", "assessments", "quotes"):
                for (rec,) in store.con.execute(
                    f"SELECT record FROM {table} WHERE doc_id = ? ORDER BY idx", [doc_id]
                ).fetchall():
                    fh.write(rec if rec.endswith("\n") else rec + "\n")
                    counts["records"] += 1
    return counts


def _record_validator() -> Any:
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("entente.data").joinpath("record.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _problem(validator: Any, obj: Any) -> str | None:
    """Why ``obj`` is not a valid record (the most relevant schema error), or None."""
    import jsonschema

    err = jsonschema.exceptions.best_match(validator.iter_errors(obj))
    if err is None:
        return None
    where = "/".join(str(p) for p in err.absolute_path)
    return f"{where}: {err.message}" if where else err.message


def _document(obj: dict[str, Any]) -> Document:
    d = obj.get("document")
    if not isinstance(d, dict):
        raise ValueError("'document' must be an object")
    for key in ("id", "path", "text", "reader"):
        if not isinstance(d.get(key), str) or not d[key]:
            raise ValueError(f"document field {key!r} is missing or not a non-empty string")
    try:
        return Document.from_dict(d)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"malformed document ({type(exc).__name__}: {exc})") from None


def import_jsonl(store: Store, path: Path) -> dict[str, Any]:
    """Read a JSONL export back, one document at a time (each in its own transaction).

    Documents already stored (the same text) are left as they are; a document whose path
    is taken by another text is added beside it (``path_collisions``), never replacing
    it. Every line is checked — documents for their required fields, records against
    ``record.schema.json`` — and a bad line rejects its document, reported as
    ``FILE:LINE: reason`` in ``errors``, while the rest of the file is imported."""
    counts: dict[str, Any] = {"documents": 0, "skipped": 0, "records": 0, "rejected": 0,
                              "path_collisions": 0, "errors": []}  # fmt: skip
    errors: list[str] = counts["errors"]
    validator = _record_validator()
    current: Document | None = None
    rows: list[dict[str, Any]] = []
    bad = False
    in_document = False  # a document line was seen (valid or not)

    def flush() -> None:
        if not in_document:
            return
        if bad or current is None:
            counts["rejected"] += 1
            return
        if store.status(current.id, current.path) == "replace":
            counts["path_collisions"] += 1
            errors.append(
                f"{path}: note: {current.path} is already stored with another text; both are kept"
            )
        if store.add_many([(current, rows)], replace=False)[0]:
            counts["documents"] += 1
            counts["records"] += len(rows)
        else:
            counts["skipped"] += 1

    try:
        fh = path.open(encoding="utf-8", errors="strict")
        lines = enumerate(fh, start=1)
        while True:
            try:
                lineno, line = next(lines)
            except StopIteration:
                break
            except UnicodeDecodeError as exc:
                raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from None
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: invalid JSON ({exc.msg})")
                bad = True
                continue
            kind = obj.get("kind") if isinstance(obj, dict) else None
            if not isinstance(obj, dict):
                errors.append(f"{where}: a line must be a JSON object, not {type(obj).__name__}")
                bad = True
            elif kind == "document":
                flush()
                current, rows, bad, in_document = None, [], False, True
                try:
                    current = _document(obj)
                except ValueError as exc:
                    errors.append(f"{where}: {exc}")
                    bad = True
            elif kind in ("event", "assessment", "quote"):
                problem = _problem(validator, obj)
                if current is None and not bad:
                    errors.append(f"{where}: record before its document")
                    bad = True
                elif problem is not None:
                    errors.append(f"{where}: invalid {kind} record: {problem}")
                    bad = True
                elif current is not None and obj.get("doc_id") != current.id:
                    errors.append(f"{where}: record of document {obj.get('doc_id')!r} "
                                  f"after document {current.id!r}")  # fmt: skip
                    bad = True
                else:
                    rows.append(obj)
            else:
                errors.append(
                    f"{where}: unknown kind {kind!r} (document, event, assessment or quote)"
                )
                bad = True
        flush()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return counts


#: flat columns per table for spreadsheets (csv): lists joined with ';', no JSON
_FLAT = {
    "documents": "d.id, d.path, d.title, d.date, d.author, d.url, d.reader, d.n_chars, "
    "d.added_at, CASE WHEN d.dataset IS NULL THEN 'text' ELSE 'dataset' END AS origin, d.dataset",
    "events": "e.id, e.doc_id, d.path AS doc_path, e.date, e.date_precision, e.date_start, "
    "e.date_end, e.date_source, e.type, e.mode, e.quad, coalesce(e.cameo, c.cameo) AS cameo, "
    "array_to_string(e.source, ';') AS source, array_to_string(e.target, ';') AS target, "
    "array_to_string(list_transform(CAST(json_extract(e.record, '$.source') AS JSON[]), "
    "lambda a: json_extract_string(a, '$.text')), ';') AS source_text, "
    "array_to_string(list_transform(CAST(json_extract(e.record, '$.target') AS JSON[]), "
    "lambda a: json_extract_string(a, '$.text')), ';') AS target_text, "
    "e.intensity, e.negated, e.modality, e.confidence, e.rule, e.sentence_index, e.note, "
    "json_extract_string(e.record, '$.sentence') AS sentence, "
    "json_extract_string(e.record, '$.citation') AS citation, "
    "CASE WHEN e.dataset IS NULL THEN 'text' ELSE 'dataset' END AS origin, e.dataset, "
    "e.row_id, e.source_url, e.dataset_intensity",
    "assessments": "e.id, e.doc_id, d.path AS doc_path, e.date, e.date_precision, e.date_start, "
    "e.date_end, e.date_source, e.a, e.b, e.polarity, e.trend, e.period, e.holder, e.confidence, "
    "e.rule, e.sentence_index, e.note, json_extract_string(e.record, '$.sentence') AS sentence, "
    "json_extract_string(e.record, '$.citation') AS citation",
    "quotes": "e.id, e.doc_id, d.path AS doc_path, e.date, e.date_start, e.date_end, e.speaker, "
    "e.country, e.person, e.quote, e.attributed, e.confidence, e.rule, e.sentence_index, "
    "json_extract_string(e.record, '$.sentence') AS sentence",
}


def register_cameo(con: Any) -> None:
    """``_ent_type_cameo(type, mode, cameo)``: the CAMEO code of each stored text-coded
    type and mode, for the exports' joins (PLOVER → CAMEO, one-to-many: the most
    specific code the crosswalk allows)."""
    import pandas as pd

    from entente.coding.cameo import to_cameo
    from entente.coding.ontology import EVENT_TYPES

    pairs = con.execute(
        "SELECT DISTINCT type, mode FROM events WHERE cameo IS NULL AND type IS NOT NULL"
    ).fetchall()
    rows = [(t, m, to_cameo(t, m)) for t, m in pairs if t in EVENT_TYPES]
    con.register(
        "_ent_type_cameo", pd.DataFrame(rows, columns=["type", "mode", "cameo"]).astype(object)
    )


_CAMEO_JOIN = (
    " LEFT JOIN _ent_type_cameo c ON c.type = e.type AND c.mode IS NOT DISTINCT FROM e.mode"
)


def export_tables(
    store: Store, out: Path, fmt: str, origin: str = "all", excel: bool = False
) -> dict[str, int]:
    from entente.store import origin_clause

    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    # a cursor of its own: the registered mapping stays off the store's connection
    cur = store.con.cursor()
    register_cameo(cur)
    try:
        for table in _TABLES:
            where = origin_clause(origin, table)
            if table == "documents":
                where = (
                    "TRUE"
                    if origin == "all"
                    else ("d.dataset IS NULL" if origin == "text" else "d.dataset IS NOT NULL")
                )
                sql_flat = (
                    f"SELECT {_FLAT[table]} FROM documents d WHERE {where} ORDER BY d.path, d.id"
                )
                sql_full = f"SELECT * EXCLUDE (model, model_z, text) FROM documents d WHERE {where} ORDER BY d.path, d.id"
            else:
                join = " JOIN documents d ON d.id = e.doc_id" + (
                    _CAMEO_JOIN if table == "events" else ""
                )
                sql_flat = f"SELECT {_FLAT[table]} FROM {table} e{join} WHERE {where} ORDER BY e.doc_id, e.idx"
                extra = ", coalesce(e.cameo, c.cameo) AS cameo_code" if table == "events" else ""
                sql_full = (
                    f"SELECT e.*{extra} FROM {table} e{join} WHERE {where} ORDER BY e.doc_id, e.idx"
                )
            target = out / f"{table}.{fmt}"
            # the path goes to DuckDB as a value, never pasted into SQL
            if fmt == "parquet":
                cur.sql(sql_full).write_parquet(str(target))
            else:
                cur.sql(sql_flat).write_csv(str(target), header=True, sep=",")
                if excel:
                    _add_bom(target)
            rows = cur.execute(f"SELECT count(*) FROM ({sql_flat})").fetchall()
            counts[table] = int(rows[0][0])
    finally:
        cur.close()
    return counts


def _add_bom(path: Path) -> None:
    """Prefix a UTF-8 byte-order mark (streamed: the file may be large)."""
    import shutil

    tmp = path.with_name(path.name + ".bom")
    with path.open("rb") as src, tmp.open("wb") as dst:
        dst.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(src, dst, 1 << 20)
    tmp.replace(path)


#: evidence ids listed on a GraphML edge (the count is always complete)
MAX_EVIDENCE_IDS = 500


def network(store: Store, origin: str = "all") -> Any:
    """The signed state network as a networkx graph (undirected, one edge per pair):
    event counts per quad class, summed intensity × confidence, assessment balance, the
    first and last day of its evidence, the evidence ids, and the score and sign that
    ``entente relations`` gives at the latest date."""
    import networkx as nx

    from entente.actors.reference import reference
    from entente.analysis.evidence import event_weight_sql
    from entente.coding.ontology import QUADS
    from entente.store import origin_clause

    g = nx.Graph()
    ref = reference()
    quads = ", ".join(
        f"count(*) FILTER (WHERE e.quad = '{q}') AS \"{q.replace(' ', '_')}\"" for q in QUADS
    )
    events = store.con.execute(
        f"""SELECT least(s.v, t.v) AS a, greatest(s.v, t.v) AS b, count(*) AS events,
                   round(sum({event_weight_sql("e")}), 3),
                   {quads}, min(e.date_start), max(coalesce(e.date_end, e.date_start)),
                   list(DISTINCT e.id ORDER BY e.id)[1:{MAX_EVIDENCE_IDS}], count(DISTINCT e.id)
            FROM events e, (SELECT unnest(e.source) AS v) s, (SELECT unnest(e.target) AS v) t
            WHERE s.v <> t.v AND NOT e.negated AND e.type IS NOT NULL AND {origin_clause(origin)}
            GROUP BY ALL ORDER BY a, b"""
    ).fetchall()
    assessments = (
        store.con.execute(
            """SELECT least(a, b), greatest(a, b), round(sum(polarity * confidence), 3),
                      min(date_start), max(coalesce(date_end, date_start)), list(id ORDER BY id)
               FROM assessments WHERE a <> b GROUP BY ALL"""
        ).fetchall()
        if origin != "dataset"
        else []
    )

    def node(code: str) -> None:
        if code not in g:
            st = ref.states.get(code)
            g.add_node(code, label=st.name if st else code, kind=st.kind if st else "unknown")

    def edge(a: str, b: str) -> dict[str, Any]:
        node(a)
        node(b)
        if not g.has_edge(a, b):
            g.add_edge(a, b, events=0, weight=0.0, assessments=0.0, first_date="", last_date="",
                       evidence="", evidence_count=0, **{q.replace(" ", "_"): 0 for q in QUADS})  # fmt: skip
        data: dict[str, Any] = g.edges[a, b]
        return data

    def span(e: dict[str, Any], first: Any, last: Any) -> None:
        if first is not None and (not e["first_date"] or str(first) < e["first_date"]):
            e["first_date"] = str(first)
        if last is not None and str(last) > e["last_date"]:
            e["last_date"] = str(last)

    for a, b, n, w, vc, mc, vk, mk, first, last, ids, n_ids in events:
        e = edge(a, b)
        e.update(events=int(n), weight=float(w or 0.0), verbal_cooperation=int(vc),
                 material_cooperation=int(mc), verbal_conflict=int(vk), material_conflict=int(mk),
                 evidence=";".join(ids), evidence_count=int(n_ids))  # fmt: skip
        span(e, first, last)
    for a, b, bal, first, last, ids in assessments:
        e = edge(a, b)
        e["assessments"] = float(bal)
        listed = [x for x in e["evidence"].split(";") if x]
        e["evidence"] = ";".join([*listed, *ids][:MAX_EVIDENCE_IDS])
        e["evidence_count"] += len(ids)
        span(e, first, last)
    # score and sign come from the one function `entente relations` uses
    from entente.analysis.evidence import load
    from entente.analysis.relations import network_at

    ties = network_at(load(store, origin))
    for a, b, e in g.edges(data=True):
        tie = ties.get("-".join(sorted((a, b))))
        e["score"] = round(tie.score, 3) if tie else 0.0
        e["sign"] = tie.sign if tie else 0
    return g


def export_graphml(store: Store, out: Path, origin: str = "all") -> dict[str, int]:
    import networkx as nx

    g = network(store, origin)
    nx.write_graphml(g, out)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


def export_gexf(store: Store, out: Path, origin: str = "all", freq: str = "Y") -> dict[str, int]:
    """The signed network with time for Gephi: for every period (``freq``: M, Q or Y)
    each tie's score and sign at the period's end (``network_at``: evidence on or before
    that day, discounted by age) as dynamic attributes, so Gephi's timeline plays the
    network; ``sign`` is its own attribute and ``weight`` (|score|) is never negative."""
    import networkx as nx
    import pandas as pd

    from entente.analysis.evidence import load
    from entente.analysis.relations import FREQS, network_at

    f = FREQS.get(freq.upper())
    if f is None:
        raise ValueError(f"freq must be M, Q or Y, got {freq!r}")
    static = network(store, origin)
    df = load(store, origin)
    days = df["day"].dropna()
    g = nx.Graph(mode="dynamic", timeformat="date")
    for n, d in static.nodes(data=True):
        g.add_node(n, label=d["label"], kind=d["kind"])
    periods = (
        pd.period_range(days.min(), days.max(), freq=f) if len(days) else pd.PeriodIndex([], freq=f)
    )
    series: dict[tuple[str, str], list[tuple[float, int, str, str]]] = {}
    for p in periods:
        start, end = p.start_time.date(), p.end_time.date()
        for tie in network_at(df, end).values():
            series.setdefault((tie.a, tie.b), []).append(
                (round(tie.score, 3), tie.sign, start.isoformat(), end.isoformat())
            )
    for (a, b), vals in series.items():
        for n in (a, b):
            if n not in g:
                g.add_node(n, label=n, kind="unknown")
        last = vals[-1]
        g.add_edge(
            a, b,
            start=vals[0][2],
            score=[(v[0], v[2], v[3]) for v in vals],
            sign=[(v[1], v[2], v[3]) for v in vals],
            weight=abs(last[0]),
            events=int(static.edges[a, b]["events"]) if static.has_edge(a, b) else 0,
        )  # fmt: skip
    nx.write_gexf(g, out)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "periods": len(periods)}


def export_plover(store: Store, out: Path, origin: str = "all") -> dict[str, int]:
    """JSON Lines in the PLOVER data model (the manual's "Data Fields"), one record per
    event: ``id``, ``date`` (first day; ``enddate`` when the interval is longer),
    ``actor`` and ``recipient`` (entities: ``entity_text``, ``code``, ``sector``),
    ``event`` and ``mode`` (lists, the manual's names), ``context``, ``quad_code``
    (1–4), ``event_scale`` (the manual's score), ``event_text``, ``coder``, and the
    provenance under ``entente`` (origin, dataset and row id, CAMEO code, confidence,
    document, citation, rule). Negated events are left out (PLOVER codes none);
    undated ones keep ``date`` null. Streams: one event in memory at a time."""
    from entente.coding.ontology import QUAD_CODE, plover_mode
    from entente.store import origin_clause

    cur = store.con.cursor()
    register_cameo(cur)
    n = 0
    try:
        res = cur.execute(
            f"""SELECT e.id, e.record, e.type, e.mode, e.quad, e.intensity, e.date_start,
                       e.date_end, coalesce(e.cameo, c.cameo), e.dataset, e.row_id,
                       e.source_url, e.dataset_intensity, e.confidence, e.rule, d.path, d.url
                FROM events e JOIN documents d ON d.id = e.doc_id{_CAMEO_JOIN}
                WHERE NOT e.negated AND e.type IS NOT NULL AND {origin_clause(origin)}
                ORDER BY e.doc_id, e.idx"""
        )
        with out.open("w", encoding="utf-8") as fh:
            while batch := res.fetchmany(4096):
                for (rid, rec, etype, mode, quad, inten, start, end, cameo, dataset, row_id,
                     url, ds_int, conf, rule, path, doc_url) in batch:  # fmt: skip
                    r = json.loads(rec)
                    pmode, contexts = plover_mode(etype, mode)
                    if dataset:  # a dataset row: its own mode (already the manual's) and contexts
                        pmode, contexts = mode, tuple(r.get("context") or ())
                    item = {
                        "id": rid,
                        "date": start.isoformat() if start else None,
                        "actor": [_entity(a) for a in r.get("source", [])],
                        "recipient": [_entity(a) for a in r.get("target", [])],
                        "event": [etype],
                        "mode": [pmode] if pmode else None,
                        "context": list(contexts) or None,
                        "quad_code": QUAD_CODE.get(quad),
                        "event_scale": inten,
                        "event_text": [r["sentence"]] if r.get("sentence") else None,
                        "coder": dataset or "entente",
                        "entente": {
                            "origin": "dataset" if dataset else "text", "dataset": dataset,
                            "row_id": row_id, "source_url": url or doc_url, "cameo": cameo,
                            "dataset_intensity": ds_int, "confidence": conf, "rule": rule,
                            "document": path, "citation": r.get("citation"),
                            "modality": r.get("modality"), "coder_mode": mode,
                        },
                    }  # fmt: skip
                    if end and start and end != start:
                        item["enddate"] = end.isoformat()
                    fh.write(json.dumps(item, ensure_ascii=False) + "\n")
                    n += 1
    finally:
        cur.close()
    return {"events": n}


def _entity(a: dict[str, Any]) -> dict[str, Any]:
    """A record's actor as a PLOVER entity object."""
    return {"entity_text": a.get("text"), "code": a.get("country"), "sector": a.get("sector")}
