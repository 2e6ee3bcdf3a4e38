"""Published event data in and out: GDELT, ICEWS and POLECAT imports (sample files in
their published layouts, tests/data/datasets), a mixed store, PLOVER, GEXF and CSV."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from entente import batch
from entente.analysis import load
from entente.cli import app
from entente.coding.cameo import normalise, to_cameo, to_plover
from entente.errors import InputError
from entente.store import Store
from entente.store.datasets import detect, first_line, import_dataset
from entente.store.export import export

DATA = Path(__file__).parent / "data" / "datasets"
EXPECTED = json.loads((DATA / "expected.json").read_text())
runner = CliRunner()

DOC = (
    "Moscow and Beijing\n\nMOSCOW, March 22, 2013 — Russia agreed to sell fighter jets to "
    "China. Japan protested to Russia after a Russian plane entered its airspace.\n"
)


def events(db: Path, where: str = "TRUE") -> dict[str, dict[str, Any]]:
    with Store(db, read_only=True) as s:
        rows = s.con.execute(
            f"SELECT id, type, mode, quad, source, target, date, intensity, cameo, dataset, "
            f"row_id, record FROM events WHERE {where}"
        ).fetchall()
    return {
        r[0]: dict(zip(["id", "type", "mode", "quad", "source", "target", "date", "intensity",
                        "cameo", "dataset", "row_id"], r[:11], strict=True)) | {"record": json.loads(r[11])}
        for r in rows
    }  # fmt: skip


@pytest.mark.parametrize(
    ("name", "dataset"),
    [("gdelt_sample.export.CSV", "gdelt"), ("icews_sample.tab", "icews"),
     ("polecat_sample.txt", "polecat")],
)  # fmt: skip
def test_samples_import_with_right_counts_dates_and_ids(
    tmp_path: Path, name: str, dataset: str
) -> None:
    db = tmp_path / "d.duckdb"
    assert detect(first_line(DATA / name)) == dataset
    with Store(db) as s:
        c = import_dataset(s, DATA / name)
    exp = EXPECTED[name]
    assert c["rows"] == exp["rows"] and c["imported"] == exp["rows"] and c["rejected"] == 0
    got = events(db)
    assert len(got) == exp["rows"]
    by_row = {e["row_id"].split("@")[0]: e for e in got.values()}
    for e in exp["events"]:
        assert by_row[e["id"]]["date"] == e["date"]
        assert by_row[e["id"]]["dataset"] == dataset


def test_gdelt_rows_map_by_the_crosswalk_corrected_by_the_manual(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    with Store(db) as s:
        c = import_dataset(s, DATA / "gdelt_sample.export.CSV", "gdelt")
    assert c["untyped"] == 1  # CAMEO 010, a public statement: kept, no PLOVER type
    got = {e["cameo"]: e for e in events(db).values()}
    assert got["010"]["type"] is None
    assert got["020"]["type"] == "REQUEST"  # appeals
    # the crosswalk says COERCE; the manual codes international sanctions as SANCTION
    assert (got["163"]["type"], got["163"]["mode"]) == ("SANCTION", "discontinue")
    assert got["163"]["quad"] == "material conflict" and got["163"]["intensity"] == -6.0
    assert (got["163"]["source"], got["163"]["target"]) == (["USA"], ["RUS"])
    assert got["0831"]["type"] == "CONCEDE"
    assert got["190"]["type"] == "ASSAULT" and got["190"]["intensity"] == -9.0
    rec = got["163"]["record"]
    assert rec["origin"] == "dataset" and rec["dataset_intensity"] == -8.0
    assert rec["source_url"].startswith("http")


def test_countries_by_name_and_non_state_actors(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    with Store(db) as s:
        import_dataset(s, DATA / "icews_sample.tab")
        import_dataset(s, DATA / "polecat_sample.txt")
    got = events(db)
    icews = [e for e in got.values() if e["dataset"] == "icews"]
    # "Russian Federation" → RUS
    assert any("RUS" in e["target"] for e in icews)
    # a protester is not the state: kept with its sector, no state on that side
    protest = next(e for e in icews if e["type"] == "PROTEST")
    assert protest["source"] == [] and protest["record"]["source"][0]["sector"] == "OPP"
    # POLECAT lists several recipients separated by ';'
    multi = [e for e in got.values() if len(e["target"]) > 1 or len(e["record"]["target"]) > 1]
    assert multi
    # the analysis reads no tie from a side without a state
    with Store(db, read_only=True) as s:
        df = load(s)
    assert protest["id"] not in set(df["id"])


def test_reimport_adds_nothing_and_zip_is_the_same_file(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    with Store(db) as s:
        first = import_dataset(s, DATA / "gdelt_sample.export.CSV")
        again = import_dataset(s, DATA / "gdelt_sample.export.CSV")
        zipped = import_dataset(s, DATA / "gdelt_sample.export.CSV.zip")
        n = s.con.execute("SELECT count(*) FROM events").fetchone()[0]
    assert first["imported"] == 24 and again.get("already") and n == 24
    # another file (the zip) with the same event ids: every row skipped and counted
    assert zipped["imported"] == 0 and zipped["duplicates"] == 24


def test_malformed_rows_are_reported_and_the_rest_imported(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    res = runner.invoke(app, ["import", str(DATA / "gdelt_bad.export.CSV"), "--db", str(db)])
    assert res.exit_code == 1
    out = " ".join(res.output.split())
    assert (
        "gdelt_bad.export.CSV:2: expected 61 (GDELT 2.0) or 57/58 (GDELT 1.0) tab-separated columns, found 45"
        in out
    )
    assert "gdelt_bad.export.CSV:5: not a date: 2024O317" in out
    assert len(events(db)) == 4


def test_unknown_layout_says_so(tmp_path: Path) -> None:
    f = tmp_path / "x.tsv"
    f.write_text("a\tb\tc\n1\t2\t3\n")
    with Store(tmp_path / "d.duckdb") as s, pytest.raises(InputError, match="--from"):
        import_dataset(s, f)
    res = runner.invoke(app, ["import", str(f), "--db", str(tmp_path / "e.duckdb")])
    assert res.exit_code != 0 and "--from" in res.output + str(res.exception)
    res = runner.invoke(
        app, ["import", str(f), "--from", "cameo", "--db", str(tmp_path / "e.duckdb")]
    )
    assert res.exit_code != 0 and "gdelt" in res.output + str(res.exception)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.text(alphabet=st.characters(blacklist_characters="\t\r\n\x1f", blacklist_categories=("Cs",)), max_size=6),
                 min_size=1, max_size=64),
        min_size=1, max_size=8,
    )
)  # fmt: skip
def test_any_lines_are_imported_or_rejected_never_a_crash(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    f = tmp_path / "h.export.CSV"
    good = (DATA / "gdelt_sample.export.CSV").read_text().splitlines()[0]
    f.write_text(good + "\n" + "\n".join("\t".join(r) for r in rows) + "\n", "utf-8")
    db = tmp_path / "h.duckdb"
    if db.exists():
        db.unlink()
    with Store(db) as s:
        c = import_dataset(s, f, "gdelt")
    assert c["imported"] + c["duplicates"] + c["rejected"] == c["rows"]
    assert c["imported"] >= 1


def mixed_store(tmp_path: Path, *files: str) -> Path:
    """A store with one coded text and the named sample files imported."""
    db = tmp_path / "m.duckdb"
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(DOC)
    with Store(db) as s:
        batch.run([corpus], s)
        for name in files:
            import_dataset(s, DATA / name)
    return db


def test_mixed_store_reads_both_and_origin_selects(tmp_path: Path) -> None:
    db = mixed_store(tmp_path, "gdelt_sample.export.CSV")
    with Store(db, read_only=True) as s:
        both, text, data = load(s), load(s, "text"), load(s, "dataset")
    assert set(both["id"]) == set(text["id"]) | set(data["id"])
    assert text["id"].str.startswith("gdelt:").sum() == 0 and len(text) > 0
    assert data["id"].str.startswith("gdelt:").all() and len(data) > 0
    res = runner.invoke(app, ["relations", "--db", str(db), "--origin", "dataset", "--json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl"])
    origins = {json.loads(line)["origin"] for line in res.stdout.splitlines()}
    assert origins == {"text", "dataset"}
    res = runner.invoke(app, ["balance", "--db", str(db), "--origin", "nope"])
    assert res.exit_code != 0 and "--origin" in res.output + str(res.exception)


def test_coding_a_text_never_replaces_an_imported_file(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    f = tmp_path / "same.txt"
    f.write_text((DATA / "gdelt_sample.export.CSV").read_text())
    with Store(db) as s:
        import_dataset(s, f, "gdelt")
    f.write_text(DOC)  # the same path, now a text
    with Store(db) as s:
        batch.run([f], s)
        n = s.con.execute("SELECT count(*) FROM events WHERE dataset = 'gdelt'").fetchone()[0]
    assert n == 24


def test_exports_plover_gexf_csv(tmp_path: Path) -> None:
    db = mixed_store(tmp_path, "gdelt_sample.export.CSV", "polecat_sample.txt")
    with Store(db, read_only=True) as s:
        export(s, "plover", tmp_path / "e.plover.jsonl")
        export(s, "gexf", tmp_path / "n.gexf", freq="M")
        export(s, "csv", tmp_path / "csv", excel=True)
        export(s, "graphml", tmp_path / "n.graphml")
        typed = s.con.execute(
            "SELECT count(*) FROM events WHERE type IS NOT NULL AND NOT negated"
        ).fetchone()[0]
    schema = json.loads(
        resources.files("entente.data").joinpath("plover_event.schema.json").read_text()
    )
    v = jsonschema.Draft202012Validator(schema)
    lines = [json.loads(x) for x in (tmp_path / "e.plover.jsonl").read_text().splitlines()]
    assert len(lines) == typed  # one record per event, not per actor pair
    for item in lines:
        v.validate(item)
        assert item["entente"]["cameo"]  # a CAMEO code on every record
    text = [x for x in lines if x["entente"]["origin"] == "text"]
    assert text and all(x["event_text"] for x in text)
    sanction = next(x for x in lines if x["entente"]["cameo"] == "163")
    assert sanction["event"] == ["SANCTION"] and sanction["quad_code"] == 4
    # GEXF: time attributes Gephi's timeline plays
    g = nx.read_gexf(tmp_path / "n.gexf")
    assert g.graph["mode"] == "dynamic"
    e = g.edges["CHN", "RUS"]
    assert isinstance(e["score"], list) and len(e["score"][0]) == 3 and e["weight"] >= 0
    assert {s for s, _, _ in e["sign"]} <= {-1, 0, 1}
    # CSV for spreadsheets: a byte-order mark, flat columns, no JSON, no list brackets
    raw = (tmp_path / "csv" / "events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    import csv

    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert "record" not in rows[0] and {"sentence", "cameo", "origin", "source"} <= set(rows[0])
    assert all(r["cameo"] for r in rows if r["type"])
    assert not any(r["source"].startswith("[") for r in rows)
    gm = nx.read_graphml(tmp_path / "n.graphml")
    assert gm.edges["CHN", "RUS"]["first_date"] and gm.edges["CHN", "RUS"]["evidence"]


def test_cameo_crosswalk_both_ways() -> None:
    assert normalise("42") == "042" and normalise("231") == "0231" and normalise("20") == "20"
    assert to_plover("163") == ("SANCTION", "discontinue")
    assert to_plover("0231")[0] == "REQUEST"
    assert to_plover("01") == (None, None)
    assert to_cameo("SANCTION", "economic") == "163"  # the coder's label → manual mode → code
    assert to_cameo("CONSULT") is not None


def test_a_zip_of_monthly_files_imports_each(tmp_path: Path) -> None:
    import zipfile

    lines = (DATA / "polecat_sample.txt").read_text().splitlines()
    z = tmp_path / "ngecEventsDV-2024.txt.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("ngecEventsDV-2024-Jan.txt", "\n".join(lines[:11]) + "\n")
        zf.writestr("ngecEventsDV-2024-Feb.txt", "\n".join([lines[0], *lines[11:]]) + "\n")
    with Store(tmp_path / "d.duckdb") as s:
        c = import_dataset(s, z)
        docs = s.con.execute("SELECT path FROM documents ORDER BY path").fetchall()
    assert c["imported"] == 20 and c["rows"] == 20
    assert [d[0].rsplit("!", 1)[1] for d in docs] == [
        "ngecEventsDV-2024-Feb.txt",
        "ngecEventsDV-2024-Jan.txt",
    ]


def test_gdelt_1_daily_files_read_too(tmp_path: Path) -> None:
    """GDELT 1.0 shares the first 35 columns; its geography blocks lack ADM2 (57
    columns, 58 with SOURCEURL last)."""
    rows = []
    for line in (DATA / "gdelt_sample.export.CSV").read_text().splitlines()[:5]:
        c = line.split("\t")
        geo = [x for b in (c[35:43], c[43:51], c[51:59]) for x in (b[:4] + b[5:])]
        rows.append("\t".join(c[:35] + geo + [c[59], c[60]]))
    f = tmp_path / "20130401.export.CSV"
    f.write_text("\n".join(rows) + "\n")
    assert detect(first_line(f)) == "gdelt"
    with Store(tmp_path / "d.duckdb") as s:
        c = import_dataset(s, f)
        url = s.con.execute("SELECT source_url FROM events LIMIT 1").fetchone()[0]
    assert c["imported"] == 5 and c["rejected"] == 0 and url.startswith("http")
