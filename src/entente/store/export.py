"""Exports in the formats analysts use, and the JSONL import that reads one back.

- ``jsonl``: one line per document (``{"kind": "document", "document": {...}}``, the whole
  model) followed by its records; ``entente import`` rebuilds a store from it.
- ``csv`` / ``parquet``: a directory with ``documents``, ``events``, ``assessments`` and
  ``quotes`` tables (Parquet keeps types: lists, booleans, doubles).
- ``graphml``: the signed state network (nodes: states; edges: pairs with event count,
  counts per quad class, summed intensity×confidence, assessment balance, and a sign)
  for Gephi or networkx.
- ``plover``: PLOVER-style JSON, one object per event and source–target pair, with the
  PLOVER/POLECAT field names (``event_type``, ``mode``, ``context``, ``source_actor``…).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from entente.model import Document
from entente.store import Store, schema

FORMATS = ("jsonl", "csv", "parquet", "graphml", "plover")
_TABLES = ("documents", "events", "assessments", "quotes")


def export(store: Store, fmt: str, out: Path) -> dict[str, int]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return {"jsonl": export_jsonl, "csv": export_tables, "parquet": export_tables, "graphml": export_graphml,
            "plover": export_plover}[fmt](store, out, fmt)  # fmt: skip


def export_jsonl(store: Store, out: Path, fmt: str = "jsonl") -> dict[str, int]:
    counts = {"documents": 0, "records": 0}
    with out.open("w", encoding="utf-8") as fh:
        ids = [
            r[0] for r in store.con.execute("SELECT id FROM documents ORDER BY path, id").fetchall()
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


def export_tables(store: Store, out: Path, fmt: str) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in _TABLES:
        cols = "* EXCLUDE (model, model_z, text)" if table == "documents" else "*"
        target = out / f"{table}.{fmt}"
        # the path goes to DuckDB as a value, never pasted into SQL
        cur = store.con.cursor()
        rel = cur.sql(f"SELECT {cols} FROM {table} ORDER BY 1")
        if fmt == "parquet":
            rel.write_parquet(str(target))
        else:
            rel.write_csv(str(target), header=True, sep=",")
        cur.close()
        counts[table] = int(store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]
    return counts


def network(store: Store) -> Any:
    """The signed state network as a networkx graph (undirected, one edge per pair)."""
    import networkx as nx

    from entente.actors.reference import reference
    from entente.coding.ontology import SCORE_WEIGHT

    g = nx.Graph()
    ref = reference()
    rows = store.con.execute(
        "SELECT source, target, type, quad, intensity, confidence FROM events WHERE NOT negated"
    ).fetchall()
    for src, tgt, etype, quad, inten, conf in rows:
        for s in src:
            for t in tgt:
                if s == t:
                    continue
                for node in (s, t):
                    if node not in g:
                        st = ref.states.get(node)
                        g.add_node(
                            node, label=st.name if st else node, kind=st.kind if st else "unknown"
                        )
                if not g.has_edge(s, t):
                    g.add_edge(s, t, events=0, weight=0.0, assessments=0.0, **{q.replace(" ", "_"): 0 for q in
                               ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")})  # fmt: skip
                e = g.edges[s, t]
                e["events"] += 1
                e["weight"] += float(inten) * float(conf) * SCORE_WEIGHT.get(etype, 1.0)
                e[quad.replace(" ", "_")] += 1
    for a, b, pol, conf in store.con.execute(
        "SELECT a, b, polarity, confidence FROM assessments"
    ).fetchall():
        if a == b:
            continue
        for node in (a, b):
            if node not in g:
                st = ref.states.get(node)
                g.add_node(node, label=st.name if st else node, kind=st.kind if st else "unknown")
        if not g.has_edge(a, b):
            g.add_edge(a, b, events=0, weight=0.0, assessments=0.0, verbal_cooperation=0, material_cooperation=0,
                       verbal_conflict=0, material_conflict=0)  # fmt: skip
        g.edges[a, b]["assessments"] += float(pol) * float(conf)
    # score and sign come from the one function `entente relations` uses
    from entente.analysis.evidence import load
    from entente.analysis.relations import network_at

    ties = network_at(load(store))
    for a, b, e in g.edges(data=True):
        tie = ties.get("-".join(sorted((a, b))))
        e["score"] = tie.score if tie else 0.0
        e["sign"] = tie.sign if tie else 0
        e["weight"] = round(e["weight"], 3)
        e["assessments"] = round(e["assessments"], 3)
    return g


def export_graphml(store: Store, out: Path, fmt: str = "graphml") -> dict[str, int]:
    import networkx as nx

    g = network(store)
    nx.write_graphml(g, out)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


def export_plover(store: Store, out: Path, fmt: str = "plover") -> dict[str, int]:
    items = []
    for event_id, rec, url in store.con.execute(
        "SELECT e.id, e.record, d.url FROM events e JOIN documents d ON d.id = e.doc_id ORDER BY e.id"
    ).fetchall():
        r = json.loads(rec)
        for s in r["source"]:
            for t in r["target"]:
                items.append({
                    "event_id": f"{event_id}:{s['country']}-{t['country']}", "event_date": r["date"],
                    "date_precision": r["date_precision"], "event_type": r["type"], "mode": r["mode"],
                    "context": [], "quad_class": r["quad"], "event_intensity": r["intensity"],
                    "source_actor": s["text"], "source_country": s["country"], "source_sector": s["sector"],
                    "target_actor": t["text"], "target_country": t["country"], "target_sector": t["sector"],
                    "negated": r["negated"], "modality": r["modality"], "event_text": r["sentence"],
                    "story_id": r["doc_id"], "story_path": r["doc_path"], "url": url,
                    "citation": r["citation"], "confidence": r["confidence"], "coder": "entente",
                })  # fmt: skip
    out.write_text(json.dumps(items, ensure_ascii=False, indent=1), "utf-8")
    return {"events": len(items)}
