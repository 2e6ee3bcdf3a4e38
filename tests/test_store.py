"""The store: idempotency, replacement, kill-and-resume, migrations, exports, round trip."""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

import entente
from entente import batch
from entente.cli import app
from entente.errors import StoreError, UsageError
from entente.store import Store, query_rows, schema, show
from entente.store.export import export, import_jsonl

runner = CliRunner()

DOC_A = "Tokyo protests\n\nTOKYO, Sept. 16, 2015 — Japan protested to Russia after a Russian plane entered its airspace. Japan imposed sanctions on Russia.\n"
DOC_B = "Beijing and Moscow\n\nMOSCOW, March 22, 2013 — Russia agreed to sell fighter jets to China. Sino-Russian relations drew closer.\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.txt").write_text(DOC_A)
    (d / "b.txt").write_text(DOC_B)
    return d


def counts(db: Path) -> dict[str, int]:
    with Store(db) as s:
        return s.counts()


def test_code_twice_changes_nothing(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store(db) as s:
        t1 = batch.run([corpus], s)
    first = counts(db)
    assert t1.new == 2 and first["events"] >= 3 and first["documents"] == 2
    with Store(db) as s:
        t2 = batch.run([corpus], s)
    assert t2.new == 0 and t2.skipped == 2
    assert counts(db) == first


def test_changed_document_replaces_its_rows(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store(db) as s:
        batch.run([corpus], s)
    (corpus / "a.txt").write_text(DOC_A.replace("imposed sanctions on", "agreed to talks with"))
    with Store(db) as s:
        t = batch.run([corpus], s)
        assert t.new == 1
        assert s.counts()["documents"] == 2
        types = {
            r[0]
            for r in s.con.execute(
                "SELECT type FROM events WHERE doc_id IN (SELECT id FROM documents WHERE path LIKE '%a.txt')"
            ).fetchall()
        }
    assert "SANCTION" not in types


def test_workers_give_the_same_rows(tmp_path: Path, corpus: Path) -> None:
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    with Store(one) as s:
        batch.run([corpus], s, workers=1)
    with Store(two) as s:
        batch.run([corpus], s, workers=2)
    q = "SELECT doc_id, idx, type, source, target FROM events ORDER BY doc_id, idx"
    with Store(one) as a, Store(two) as b:
        assert a.con.execute(q).fetchall() == b.con.execute(q).fetchall()


def test_queries_and_api(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "x.duckdb"
    with Store(db) as s:
        batch.run([corpus], s)
        cols, rows = query_rows(s, "events", dyad="RUS-JPN", type="SANCTION")
        assert rows and all(dict(zip(cols, r, strict=True))["type"] == "SANCTION" for r in rows)
        _, none = query_rows(s, "events", dyad="JPN-RUS", since="2016")
        assert none == []
        _, in_range = query_rows(s, "events", actor="CHN", since="2013-01", until="2013-12")
        assert in_range
        with pytest.raises(UsageError):
            query_rows(s, "events", dyad="RUS")
    store = entente.open(str(db))
    df = store.events(dyad="RUS-JPN")
    assert len(df) >= 2 and {"id", "type", "sentence", "citation"} <= set(df.columns)
    assert len(store.assessments(actor="CHN")) >= 1
    rec = show(store, df["id"].iloc[0])
    store.close()
    assert rec is not None and rec["record"]["sentence"] in rec["paragraph"]


def test_cli_queries(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "x.duckdb"
    res = runner.invoke(app, ["code", str(corpus), "--db", str(db)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["events", "--db", str(db), "--dyad", "RUS-JPN", "--format", "jsonl"])
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert lines and all({"RUS", "JPN"} == {x["source"], x["target"]} for x in lines)
    res = runner.invoke(app, ["show", lines[0]["id"], "--db", str(db)])
    assert res.exit_code == 0 and '"paragraph"' in res.stdout
    res = runner.invoke(app, ["events", "--db", str(db), "--dyad", "nonsense"])
    assert res.exit_code != 0


def test_exports_open_in_their_readers(tmp_path: Path, corpus: Path) -> None:
    import networkx as nx
    import pyarrow.parquet as pq

    db = tmp_path / "x.duckdb"
    with Store(db) as s:
        batch.run([corpus], s)
        export(s, "parquet", tmp_path / "pq")
        export(s, "csv", tmp_path / "csv")
        export(s, "graphml", tmp_path / "net.graphml")
        export(s, "plover", tmp_path / "plover.json")
        n_events = s.counts()["events"]
    table = pq.read_table(tmp_path / "pq" / "events.parquet")
    assert table.num_rows == n_events
    assert str(table.schema.field("source").type) == "list<element: string>"
    assert str(table.schema.field("intensity").type) == "double"
    assert (tmp_path / "csv" / "events.csv").read_text().startswith("id,doc_id,")
    g = nx.read_graphml(tmp_path / "net.graphml")
    assert g.has_edge("JPN", "RUS") and g.edges["JPN", "RUS"]["sign"] == -1
    assert g.has_edge("CHN", "RUS") and g.edges["CHN", "RUS"]["sign"] == 1
    plover = [json.loads(x) for x in (tmp_path / "plover.json").read_text().splitlines()]
    assert {"id", "date", "event", "actor", "recipient", "quad_code", "event_scale"} <= set(
        plover[0]
    )


def test_jsonl_round_trip_is_lossless(tmp_path: Path, corpus: Path) -> None:
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    with Store(a) as s:
        batch.run([corpus], s)
        export(s, "jsonl", tmp_path / "a.jsonl")
    with Store(b) as s:
        c = import_jsonl(s, tmp_path / "a.jsonl")
        assert c["documents"] == 2
        export(s, "jsonl", tmp_path / "b.jsonl")
        again = import_jsonl(s, tmp_path / "a.jsonl")
        assert again["documents"] == 0 and again["skipped"] == 2
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()
    assert counts(a)["events"] == counts(b)["events"]


@pytest.mark.parametrize("start", list(range(1, schema.CURRENT)))
def test_migrations_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    db = tmp_path / f"v{start}.duckdb"
    con = duckdb.connect(str(db))
    schema.create_at(con, start)
    con.execute(
        "INSERT INTO documents (id, path, title) VALUES ('0123456789abcdef', 'old.txt', 'Old')"
    )
    if start >= 2:
        con.execute(
            "INSERT INTO events (doc_id, idx, type, source, target) VALUES ('0123456789abcdef', 0, 'AGREE', ['RUS'], ['CHN'])"
        )
    con.close()
    with Store(db) as s:
        assert schema.version(s.con) == schema.CURRENT
        assert s.con.execute("SELECT title FROM documents").fetchone() == ("Old",)
        if start == 2:  # v3 gave records stable ids
            assert s.con.execute("SELECT id FROM events").fetchone() == ("0123456789abcdef:e0",)
        if start >= 2:
            assert s.con.execute("SELECT type FROM events").fetchone() == ("AGREE",)
        cols = {
            r[0]
            for r in s.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'documents'"
            ).fetchall()
        }
        assert {"text", "model", "model_z"} <= cols
        ev_cols = {
            r[0]
            for r in s.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'"
            ).fetchall()
        }
        assert "context_spans" in ev_cols  # v4
        assert {"date_start", "date_end", "date_source"} <= ev_cols  # v5


def test_v5_migration_fills_date_intervals(tmp_path: Path) -> None:
    db = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(db))
    schema.create_at(con, 4)
    record = json.dumps(
        {"date": "2015-Q3", "date_precision": "quarter", "date_source": "expression"}
    )
    con.execute(
        "INSERT INTO events (id, doc_id, idx, type, source, target, date, record) VALUES "
        "('d:e0', 'd', 0, 'AGREE', ['RUS'], ['CHN'], '2015-Q3', ?)",
        [record],
    )
    con.close()
    with pytest.raises(StoreError, match="entente migrate"):
        Store(db, read_only=True)  # a reader never migrates; it says how to
    with Store(db) as s:
        row = s.con.execute("SELECT date_start, date_end, date_source FROM events").fetchone()
    assert row is not None
    assert (str(row[0]), str(row[1]), row[2]) == ("2015-07-01", "2015-09-30", "expression")


def test_v7_migration_moves_events_to_the_manuals_scale(tmp_path: Path) -> None:
    """Stored intensities and quad classes move to the PLOVER manual's (SANCTION is
    material conflict, -6), in the columns and in each record's JSON."""
    db = tmp_path / "v6.duckdb"
    con = duckdb.connect(str(db))
    schema.create_at(con, 6)
    rec = json.dumps({"type": "SANCTION", "intensity": -5.0, "quad": "verbal conflict"})
    con.execute(
        "INSERT INTO events (id, doc_id, idx, type, mode, negated, source, target, intensity, "
        "quad, record) VALUES ('d:e0', 'd', 0, 'SANCTION', NULL, false, ['JPN'], ['RUS'], "
        "-5.0, 'verbal conflict', ?), ('d:e1', 'd', 1, 'SANCTION', NULL, true, ['JPN'], "
        "['RUS'], 0.0, 'verbal conflict', ?)",
        [rec, rec],
    )
    con.close()
    with Store(db) as s:
        rows = s.con.execute("SELECT intensity, quad, record FROM events ORDER BY idx").fetchall()
    assert rows[0][:2] == (-6.0, "material conflict") and rows[1][:2] == (0.0, "material conflict")
    assert json.loads(rows[0][2])["intensity"] == -6.0
    assert json.loads(rows[0][2])["quad"] == "material conflict"


def test_kill_and_resume(tmp_path: Path) -> None:
    """SIGKILL a batch half-way: finished documents are whole, none is partial, and a
    second run completes the rest."""
    src = tmp_path / "many"
    src.mkdir()
    for i in range(40):
        (src / f"d{i:02d}.txt").write_text(
            f"Report {i}\n\n" + DOC_A.replace("Sept. 16", f"Sept. {1 + i % 28}") + f" Case {i}.\n"
        )
    db = tmp_path / "k.duckdb"
    exe = shutil.which("entente") or str(Path(sys.executable).parent / "entente")
    proc = subprocess.Popen(
        [exe, "code", str(src), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.3)
        try:
            con = duckdb.connect(str(db), read_only=True)
            stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]  # type: ignore[index]
            con.close()
        except duckdb.Error:
            continue
        if stored >= 3:
            break
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as s:
        docs = s.counts()["documents"]
        per_doc = s.con.execute(
            "SELECT d.id, (SELECT count(*) FROM sentences x WHERE x.doc_id = d.id), (SELECT count(*) FROM events e WHERE e.doc_id = d.id) FROM documents d"
        ).fetchall()
        orphans = s.con.execute(
            "SELECT count(*) FROM events WHERE doc_id NOT IN (SELECT id FROM documents)"
        ).fetchone()[0]  # type: ignore[index]
    assert orphans == 0
    assert all(n_sent > 0 and n_ev > 0 for _, n_sent, n_ev in per_doc)
    with Store(db) as s:
        t = batch.run([src], s)
        assert t.skipped == docs and s.counts()["documents"] == 40


def test_api_examples_type_check(tmp_path: Path) -> None:
    """The Python examples in README.md and docs/api.md pass mypy against the package."""
    import re

    from mypy import api

    root = Path(__file__).resolve().parents[1]
    for doc in ("README.md", "docs/api.md"):
        blocks = re.findall(r"```python\n(.*?)```", (root / doc).read_text(), re.S)
        assert blocks, doc
        src = tmp_path / f"example_{Path(doc).stem}.py"
        src.write_text("\n\n".join(blocks))
        out, err, status = api.run(
            [str(src), "--strict", "--ignore-missing-imports", "--no-incremental",
             "--cache-dir", str(tmp_path / "cache")]
        )  # fmt: skip
        assert status == 0, f"{doc}: {out}{err}"


def test_api_returns_typed_frames(tmp_path: Path, corpus: Path) -> None:
    import pandas as pd

    db = tmp_path / "x.duckdb"
    with Store(db) as s:
        batch.run([corpus], s)
    with entente.open(str(db), read_only=True) as s:
        df = s.events(actor="Russia")
        assert isinstance(df, pd.DataFrame) and len(df)
        assert pd.api.types.is_datetime64_any_dtype(df["date_start"])
        assert all(isinstance(v, list) for v in df["source"])
        assert len(s.events(since=date(2016, 1, 1))) == 0
        assert len(s.assessments()) >= 0 and "speaker" in s.quotes().columns


def test_a_newer_store_is_refused_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "future.duckdb"
    con = duckdb.connect(str(db))
    schema.create_at(con, schema.CURRENT)
    con.execute("UPDATE schema_version SET version = ?", [schema.CURRENT + 1])
    con.close()
    with pytest.raises(StoreError, match="newer than this Entente"):
        Store(db)


def test_v6_migration_compresses_models_and_keeps_them(tmp_path: Path, examples_dir: Path) -> None:
    from entente.coding import code_document, records
    from entente.pipeline import read_document, resolve

    doc = resolve(read_document(sorted(examples_dir.glob("*.txt"))[0]))
    rows = records(doc, code_document(doc))
    db = tmp_path / "v5.duckdb"
    con = duckdb.connect(str(db))
    schema.create_at(con, 5)
    plain = json.dumps(doc.to_dict(), ensure_ascii=False, default=str)
    con.execute(
        "INSERT INTO documents (id, path, model) VALUES (?, ?, ?)", [doc.id, doc.path, plain]
    )
    con.close()
    with Store(db) as s:
        packed, old = s.con.execute("SELECT model_z, model FROM documents").fetchone()
        assert old is None and len(packed) < len(plain.encode()) / 3
        assert schema.model_text(packed) == plain
    # a document stored now: the same JSON, compressed as it is written
    with Store(tmp_path / "new.duckdb") as s:
        s.add_many([(doc, rows)])
        (packed,) = s.con.execute("SELECT model_z FROM documents").fetchone()
        assert schema.model_text(packed) == plain
        from entente.store import show

        shown = show(s, f"{doc.id}:e0")
        assert shown is not None and shown["paragraph"]


def test_json_chunks_equal_the_whole_dump(examples_dir: Path) -> None:
    from entente.pipeline import read_document, resolve

    for path in sorted(examples_dir.glob("*"))[:4]:
        doc = resolve(read_document(path))
        whole = json.dumps(doc.to_dict(), ensure_ascii=False, default=str)
        assert "".join(doc.json_chunks()) == whole, path.name


def _table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    with Store(db) as s:
        for t in schema.DOC_TABLES:
            out[t] = sorted(map(repr, s.con.execute(f"SELECT * FROM {t}").fetchall()))  # type: ignore[arg-type]
        out["documents"] = s.con.execute(
            "SELECT id, path, text FROM documents ORDER BY id"
        ).fetchall()
    return out


def test_rows_of_a_huge_document_wait_on_disk(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document with more rows than SPILL_ROWS keeps them on disk while it is coded
    and stored: the store and the JSONL output get the same rows, in the same order,
    as with the rows in memory, and no temporary file is left behind."""
    import tempfile

    import entente.coding.spill as spill_mod
    from entente.coding.spill import SpilledRows

    rows = SpilledRows(chunk=3)
    rows.extend({"n": k} for k in range(10))
    assert len(rows) == 10 and rows.spilled == 9 and {"n": 9} in rows
    walk = iter(rows)
    assert next(walk) == {"n": 0}
    assert [r["n"] for r in rows] == list(range(10))  # a second walk meanwhile
    assert [r["n"] for r in walk] == list(range(1, 10))
    rows.close()
    assert len(rows) == 1 and list(rows) == [{"n": 9}]

    direct = tmp_path / "direct.duckdb"
    plain = tmp_path / "plain.jsonl"
    with Store(direct) as s, plain.open("w") as fh:
        batch.run([corpus], s, jsonl=fh)
    monkeypatch.setattr(spill_mod, "SPILL_ROWS", 2)
    made: list[str] = []
    real_mkstemp = tempfile.mkstemp

    def mkstemp(*a: object, **k: object) -> tuple[int, str]:
        fd, path = real_mkstemp(*a, **k)  # type: ignore[call-overload]
        made.append(path)
        return fd, path

    monkeypatch.setattr(spill_mod.tempfile, "mkstemp", mkstemp)
    spilled = tmp_path / "spilled.duckdb"
    out = tmp_path / "spilled.jsonl"
    with Store(spilled) as s, out.open("w") as fh:
        batch.run([corpus], s, jsonl=fh)
    assert made, "no document had more than two rows"
    assert out.read_text() == plain.read_text()
    strip = {
        t: [r.replace(str(spilled), "") for r in v]
        for t, v in _table_rows(spilled).items()
        if t != "documents"
    }
    assert strip == {
        t: [r.replace(str(direct), "") for r in v]
        for t, v in _table_rows(direct).items()
        if t != "documents"
    }
    import gc

    gc.collect()
    assert not [p for p in made if Path(p).exists()]


def test_huge_documents_go_through_staging_all_or_nothing(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document with more rows than STAGE_ROWS is written through staging tables (a
    chunk per commit, so memory stays bounded), with the same rows as the direct path,
    idempotently, replacing its old text, and all-or-nothing when the last step fails."""
    import entente.store as store_mod

    direct = tmp_path / "direct.duckdb"
    with Store(direct) as s:
        batch.run([corpus], s)
    monkeypatch.setattr(store_mod, "STAGE_ROWS", 3)
    released: list[bool] = []
    real_release = store_mod.release_freed_memory
    monkeypatch.setattr(store_mod, "release_freed_memory", lambda: released.append(real_release()))
    staged = tmp_path / "staged.duckdb"
    with Store(staged) as s:
        batch.run([corpus], s)
        # the heap a huge document's coding freed goes back before DuckDB stores it
        # (glibc: malloc_trim; elsewhere a no-op that says so)
        assert released and released[0] is (platform.libc_ver()[0] == "glibc")
        tables = {r[0] for r in s.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not any(t.startswith(store_mod.STAGE_PREFIX) for t in tables)
    rows = _table_rows(staged)
    strip = {
        t: [r.replace(str(staged), "") for r in v] for t, v in rows.items() if t != "documents"
    }
    assert strip == {t: v for t, v in _table_rows(direct).items() if t != "documents"}
    assert rows["events"]
    with Store(staged) as s:
        assert batch.run([corpus], s).new == 0
    assert _table_rows(staged) == rows
    # a failure in the final transaction leaves the store as it was, with no staging left
    (corpus / "a.txt").write_text(DOC_A.replace("imposed sanctions on", "agreed to talks with"))

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_mod, "_record_reference", boom)
    with Store(staged) as s:
        t = batch.run([corpus], s)
        assert t.new == 0 and len(t.errors) == 1 and "disk full" in str(t.errors[0])
    assert _table_rows(staged) == rows
    monkeypatch.undo()
    monkeypatch.setattr(store_mod, "STAGE_ROWS", 3)
    with Store(staged) as s:
        assert batch.run([corpus], s).new == 1
    after = _table_rows(staged)
    assert len(after["documents"]) == 2 and after["documents"] != rows["documents"]


def test_grouped_files_give_the_rows_of_one_file_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are coded in groups whose sentences are parsed together; the rows equal
    those of coding each file alone, in the same order, and a group whose joint parse
    fails is coded file by file (nothing lost)."""
    src = Path(__file__).resolve().parents[1] / "eval" / "dev"
    files = sorted(src.glob("*.txt"))[:6]
    assert len(files) == 6
    paths = [str(p) for p in files]
    alone = [batch.code_path(p, None, 10**8) for p in paths]
    together = batch.code_paths(paths, None, 10**8)
    assert together == alone
    assert all(items and items[0][0] == "doc" for items in together)
    assert sum(len(items[0][2]) for items in together) > 20  # the texts have records

    import entente.coding

    def broken(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(entente.coding, "parse_many", broken)
    assert batch.code_paths(paths, None, 10**8) == alone


def test_parse_many_equals_parsing_each_document(tmp_path: Path) -> None:
    """Parses and context vectors do not depend on how sentences are batched."""
    import numpy as np

    from entente.coding import parse_many, parsed_sentences
    from entente.pipeline import read_document, resolve

    src = Path(__file__).resolve().parents[1] / "eval" / "dev"
    docs = [resolve(read_document(p)) for p in sorted(src.glob("*.txt"))[:4]]
    many = parse_many(docs, "hybrid")
    for doc, got in zip(docs, many, strict=True):
        one = list(parsed_sentences(doc, single=True))
        assert [p.sentence.index for p in got] == [p.sentence.index for p in one]
        for a, b in zip(got, one, strict=True):
            assert [(t.head.i, t.dep_, t.tag_, t.lemma_) for t in a.tokens] == [
                (t.head.i, t.dep_, t.tag_, t.lemma_) for t in b.tokens
            ]
            assert np.array_equal(np.asarray(a.tokens.tensor), np.asarray(b.tokens.tensor))
