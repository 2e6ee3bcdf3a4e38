"""Trust: nothing lost, nothing injected, bad input reported in one line, options
checked, dates as intervals (issue 12). Each test reproduces a failure seen before."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from entente import batch, cli
from entente.analysis.report import build
from entente.cli import app
from entente.errors import StoreError, UsageError
from entente.ingest import ReadError, expand, read_bytes
from entente.ingest.segment import MAX_SENTENCE
from entente.ingest.text import decode
from entente.options import day_bound, dyad, event_type, freq, state, tie_sign
from entente.pipeline import read_document, resolve
from entente.store import Store, query_rows
from entente.store.export import export, import_jsonl
from entente.time.interval import interval

runner = CliRunner()

DOC_A = (
    "Tokyo protests\n\nTOKYO, Sept. 16, 2015 — Japan protested to Russia after a Russian "
    "plane entered its airspace. Japan imposed sanctions on Russia.\n"
)
DOC_B = (
    "Beijing and Moscow\n\nMOSCOW, March 22, 2013 — Russia agreed to sell fighter jets to "
    "China. Sino-Russian relations drew closer.\n"
)


@pytest.fixture()
def coded(tmp_path: Path) -> Path:
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.txt").write_text(DOC_A)
    (d / "b.txt").write_text(DOC_B)
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        batch.run([d], s)
    return db


# -- data loss and injection ---------------------------------------------------------


def test_import_never_deletes_a_document_with_the_same_path(tmp_path: Path, coded: Path) -> None:
    dump = tmp_path / "a.jsonl"
    with Store(coded) as s:
        export(s, "jsonl", dump)
    other = tmp_path / "other.duckdb"
    changed = tmp_path / "corpus" / "a.txt"
    changed.write_text(DOC_A.replace("Sept. 16", "Sept. 17"))
    with Store(other) as s:
        batch.run([changed], s)
        before = s.counts()["documents"]
        counts = import_jsonl(s, dump)
        paths = [r[0] for r in s.con.execute("SELECT path FROM documents").fetchall()]
    assert counts["path_collisions"] == 1 and counts["documents"] == 2
    assert before == 1 and paths.count(str(changed)) == 2  # both texts kept


@pytest.mark.parametrize("name", ["it's", "x'; COPY documents TO 'LEAK"])
def test_export_paths_are_never_sql(tmp_path: Path, coded: Path, name: str) -> None:
    out = tmp_path / name.replace("LEAK", str(tmp_path / "leak.csv"))
    out.parent.mkdir(parents=True, exist_ok=True)
    with Store(coded, read_only=True) as s:
        counts = export(s, "csv", out)
    assert counts["events"] > 0 and (out / "events.csv").exists()
    assert not (tmp_path / "leak.csv").exists()


def test_report_escapes_everything_and_forbids_scripts() -> None:
    evil = "<img src=x onerror=alert(1)>"
    rows = [
        {"id": f"d:e{i}", "kind": "event", "a": evil, "b": "RUS", "source": evil, "target": "RUS",
         "day": pd.Timestamp(2015, 1, 1 + i), "date": "2015-01-0" + str(1 + i), "type": "<b>X</b>",
         "quad": "verbal conflict", "weight": -2.0, "doc_id": "d", "sentence": "<script>x</script>",
         "citation": None, "date_source": "expression"}
        for i in range(3)
    ]  # fmt: skip
    page = build(pd.DataFrame(rows), date(2015, 12, 31), title="<i>t</i>")
    assert "<img src=x" not in page and "<script>x" not in page and "<b>X</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_one_bad_document_costs_no_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import entente.coding as coding

    d = tmp_path / "c"
    d.mkdir()
    (d / "a_good.txt").write_text(DOC_A)
    (d / "b_bad.txt").write_text(DOC_B)
    real = coding.code_document

    def flaky(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "Moscow" in doc.text:
            raise RuntimeError("boom")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(coding, "code_document", flaky)
    monkeypatch.setenv("ENTENTE_LOG_DIR", str(tmp_path / "logs"))
    with Store(tmp_path / "x.duckdb") as s:
        totals = batch.run([d], s)
        docs = s.counts()["documents"]
    assert docs == 1 and totals.new == 1
    assert len(totals.errors) == 1 and "b_bad.txt" in totals.errors[0].path
    assert "internal error (RuntimeError: boom)" in totals.errors[0].reason
    assert list((tmp_path / "logs").glob("*.log"))


def test_store_write_failure_is_isolated(tmp_path: Path) -> None:
    good = resolve(read_document_text(tmp_path, "g.txt", DOC_A))
    bad = resolve(read_document_text(tmp_path, "b.txt", DOC_B))
    rows_bad = [{"kind": "event"}]  # malformed: the store refuses it
    totals = batch.Totals()
    with Store(tmp_path / "x.duckdb") as s:
        batch.store_each(s, [(good, []), (bad, rows_bad)], totals)
        assert s.counts()["documents"] == 1
    assert totals.new == 1 and len(totals.errors) == 1


def read_document_text(tmp_path: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    p = tmp_path / name
    p.write_text(text)
    return read_document(p)


# -- bad input: a clear line, the rest still read --------------------------------------


def test_fifo_is_skipped_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "ok.txt").write_text(DOC_A)
    items = list(expand([tmp_path, fifo]))
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [Path(i) for i in items if not isinstance(i, ReadError)] == [tmp_path / "ok.txt"]
    assert len(errors) == 2 and all("FIFO" in e.reason for e in errors)


def test_symlink_loop_and_broken_link_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(DOC_A)
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    items = list(expand([root]))
    reasons = [i.reason for i in items if isinstance(i, ReadError)]
    assert any("loop" in r for r in reasons) and any("broken" in r for r in reasons)
    assert sum(1 for i in items if not isinstance(i, ReadError)) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(DOC_A)
    locked.chmod(0)
    try:
        items = list(expand([tmp_path]))
    finally:
        locked.chmod(0o755)
    assert any(isinstance(i, ReadError) and "locked" in i.path for i in items)


def test_bracketed_file_names_survive_the_error_list(tmp_path: Path) -> None:
    missing = tmp_path / "report [draft].txt"
    res = runner.invoke(app, ["read", str(missing)])
    assert res.exit_code == 1
    assert "report [draft].txt" in res.output


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Talks in Genève resumed between the délégations of France and Russia.", "cp1252"),
        ("Gespräche in Zürich über Grenzübergänge und Maßnahmen.", "cp1252"),
        ("Переговоры в Женеве возобновились во вторник между делегациями.", "cp1251"),
        ("東京で日本とロシアの会談が行われた。外務省は声明を発表した。", "shift_jis"),
        ("Talks in Geneva resumed on Tuesday.", "utf-16"),
    ],
)
def test_encodings_decode_to_the_right_letters(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), "x.txt") == text


def test_deeply_nested_html_falls_back_to_plain_text() -> None:
    html = (
        "<html><body>" + "<div>" * 2500 + "<p>Russia and Japan held talks in Moscow.</p>"
        + "</div>" * 2500 + "</body></html>"
    )  # fmt: skip
    (doc,) = read_bytes(html.encode(), "deep.html")
    assert not isinstance(doc, ReadError)
    assert "Russia and Japan held talks in Moscow." in doc.text


def test_a_single_huge_line_is_cut_into_bounded_sentences(tmp_path: Path) -> None:
    words = " ".join(["Russia and Japan discussed fishing quotas"] * 3000)  # no full stop
    p = tmp_path / "one_line.txt"
    p.write_text(words + "\n")
    doc = resolve(read_document(p))
    assert doc.sentences and max(s.end - s.start for s in doc.sentences) <= MAX_SENTENCE
    covered = sum(len(s.text.split()) for s in doc.sentences)
    assert covered == len(words.split())  # nothing lost at the cuts


def test_malformed_jsonl_lines_are_reported_and_the_rest_imported(
    tmp_path: Path, coded: Path
) -> None:
    good = tmp_path / "good.jsonl"
    with Store(coded, read_only=True) as s:
        export(s, "jsonl", good)
    lines = good.read_text().splitlines()
    docs = [i for i, ln in enumerate(lines) if json.loads(ln)["kind"] == "document"]
    first_doc = lines[docs[0] : docs[1]]
    second_doc = lines[docs[1] :]
    rec = next(json.loads(ln) for ln in second_doc if json.loads(ln)["kind"] == "event")
    no_span = {k: v for k, v in rec.items() if k != "span"}
    str_source = {**rec, "source": "RUS"}
    # a bad line rejects the document it belongs to (nothing is half-imported)
    bad = [
        '{"kind": "document", "document": {"text": "x"}}', "[1, 2]", "42",
        *second_doc[:1], json.dumps(no_span), json.dumps(str_source),
    ]  # fmt: skip
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([*first_doc, *bad]) + "\n")
    with Store(tmp_path / "new.duckdb") as s:
        counts = import_jsonl(s, mixed)
        stored = s.counts()["documents"]
    errors = counts["errors"]
    assert stored == 1 and counts["documents"] == 1 and counts["rejected"] >= 2
    n = len(first_doc)
    assert f"mixed.jsonl:{n + 2}: a line must be a JSON object" in "\n".join(errors)
    assert f"mixed.jsonl:{n + 3}:" in "\n".join(errors)
    assert any("document field" in e for e in errors)
    assert any("span" in e for e in errors) and any("source" in e for e in errors)


# -- never a traceback ---------------------------------------------------------------


def _main(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["entente", *argv])
    monkeypatch.setattr(cli, "_DEBUG", False)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    return int(exc.value.code or 0)


def test_read_commands_never_create_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.duckdb"
    for argv in (["show", "x:e0"], ["export", str(tmp_path / "o.jsonl")], ["events"]):
        assert _main([*argv, "--db", str(missing)], monkeypatch) == 1
        assert "no such store" in capsys.readouterr().err
    assert not missing.exists()


def test_corrupt_and_locked_stores_get_one_line(
    tmp_path: Path, coded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database" * 500)
    assert _main(["events", "--db", str(junk)], monkeypatch) == 1
    err = capsys.readouterr().err
    assert "not a DuckDB store" in err and "Traceback" not in err
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(coded)!r}); time.sleep(30)",
        ]
    )
    try:
        time.sleep(2.0)
        with pytest.raises(StoreError, match=f"in use by PID {holder.pid}"):
            Store(coded)
    finally:
        holder.kill()
        holder.wait()


def test_unwritable_output_is_bad_input_not_a_bug(
    tmp_path: Path, coded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no" / "such" / "dir" / "r.html"
    assert _main(["report", "--db", str(coded), "--out", str(out)], monkeypatch) == 1
    err = capsys.readouterr().err
    assert "No such file or directory" in err and err.count("\n") == 1


def test_internal_errors_exit_3_with_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], coded: Path
) -> None:
    import entente.analysis as analysis

    def broken(store, origin=None):  # type: ignore[no-untyped-def]
        raise KeyError("a bug")

    monkeypatch.setattr(analysis, "load", broken)
    monkeypatch.setenv("ENTENTE_LOG_DIR", str(tmp_path / "logs"))
    assert _main(["balance", "--db", str(coded)], monkeypatch) == 3
    err = capsys.readouterr().err
    logs = list((tmp_path / "logs").glob("*.log"))
    assert "internal error" in err and len(logs) == 1 and "Traceback" not in err
    assert "KeyError" in logs[0].read_text()


@pytest.mark.parametrize(
    "argv",
    [
        ["events", "--since", "2015-13"],
        ["events", "--since", "2015-02-30"],
        ["events", "--until", "yesterday"],
        ["events", "--since", "03/04/2015"],
        ["events", "--type", "HUG"],
        ["events", "--dyad", "RUS-XXX"],
        ["events", "--format", "xml"],
        ["quotes", "--type", "ACCUSE"],
        ["relations", "--freq", "W"],
        ["triangle", "RUS", "CHN", "XXX"],
        ["whatif", "--set", "JPN-RUS=+5"],
        ["dependence", "CHN-RUS", "JPN"],
        ["export", "out.x", "--format", "xlsx"],
        ["code", "x.txt", "--workers", "0"],
        ["events", "--min-confidence", "2"],
        ["frobnicate"],
        ["balance", "--at", "2015-13"],
        ["report", "--at", "soon"],
    ],
)
def test_bad_options_exit_2_before_work(
    argv: list[str],
    coded: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _main([*argv, "--db", str(coded)], monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_options_are_checked_before_the_store_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing.duckdb")
    for argv in (["events", "--since", "2015-13"], ["balance", "--at", "x"],
                 ["triangle", "RUS", "CHN", "XXX"], ["relations", "--freq", "W"]):  # fmt: skip
        assert _main([*argv, "--db", missing], monkeypatch) == 2, argv
    assert "no such store" not in capsys.readouterr().err


def test_option_checks_accept_what_people_type() -> None:
    assert state("Russia", "--actor") == "RUS" and state("jpn", "--actor") == "JPN"
    assert dyad("Russia-Japan") == ("RUS", "JPN")
    assert event_type("accuse") == "ACCUSE" and event_type("demand") == "REQUEST"
    assert freq("quarter") == "Q" and tie_sign("JPN-RUS:-1") == ("JPN", "RUS", -1)
    assert day_bound("2016-02", "--until", end=True) == date(2016, 2, 29)
    with pytest.raises(UsageError, match="choose"):
        event_type("HUG")


def test_quotes_take_date_filters(coded: Path) -> None:
    with Store(coded, read_only=True) as s:
        cols, _ = query_rows(s, "quotes", since="2015")
    assert "date_start" in cols


# -- dates as intervals --------------------------------------------------------------


def test_intervals_of_every_precision() -> None:
    assert interval("2015-09-30") == (date(2015, 9, 30), date(2015, 9, 30))
    assert interval("2015-23") == (date(2015, 9, 1), date(2015, 11, 30))  # autumn
    assert interval("2015-24") == (date(2015, 12, 1), date(2016, 2, 29))  # winter
    assert interval("2015-35") == (date(2015, 7, 1), date(2015, 9, 30))  # Q3
    assert interval("2015-40") == (date(2015, 1, 1), date(2015, 6, 30))  # first half
    assert interval("2015-W40") == (date(2015, 9, 28), date(2015, 10, 4))
    assert interval("199X") == (date(1990, 1, 1), date(1999, 12, 31))
    assert interval("2005/..") == (date(2005, 1, 1), None)
    assert interval("2015-08/2015-10") == (date(2015, 8, 1), date(2015, 10, 31))
    assert interval("nonsense") == (None, None)


def test_date_values_are_valid_edtf() -> None:
    edtf = pytest.importorskip("edtf")
    from entente.time.grammar import find_dates

    text = (
        "In the third quarter of 2015 and the first half of 2016, in the fall of 2014, "
        "in the 1990s, from August to October 2015, and on September 30, 2015."
    )
    values = [d.value for d in find_dates(text) if d.value]
    assert {"2015-35", "2016-40", "2014-23", "199X", "2015-09-30"} <= set(values)
    for v in values:
        edtf.parse_edtf(v)  # raises on anything EDTF cannot read


def test_since_and_until_select_by_overlap(tmp_path: Path) -> None:
    text = (
        "Autumn talks\n\nIn the fall of 2015, Japan and Russia held talks in Moscow. "
        "In September 2015, Japan protested to Russia.\n"
    )
    p = tmp_path / "f.txt"
    p.write_text(text)
    with Store(tmp_path / "x.duckdb") as s:
        batch.run([p], s)
        ids = {r[0]: r for r in query_rows(s, "events")[1]}
        oct_ = {r[0] for r in query_rows(s, "events", since="2015-10")[1]}
        until_oct = {r[0] for r in query_rows(s, "events", until="2015-10")[1]}
        sep_only = {r[0] for r in query_rows(s, "events", until="2015-09-15")[1]}
        after = {r[0] for r in query_rows(s, "events", since="2015-12")[1]}
    assert len(ids) >= 2
    # the autumn interval overlaps October and reaches back into September
    assert oct_ and oct_ <= set(ids) and until_oct == set(ids)
    assert sep_only == set(ids) and not after


def test_since_a_year_never_dates_an_event(tmp_path: Path) -> None:
    p = tmp_path / "since.txt"
    p.write_text(
        "Wire\n\nMOSCOW, March 3, 2015 — Russia, which has sought closer ties with China "
        "since 2005, signed a gas deal with China.\n"
    )
    doc = resolve(read_document(p))
    assert all(a.value != "2005/.." for a in doc.anchors)


def test_guessed_document_dates_stay_out_of_time_series() -> None:
    from entente.analysis import dyad_scores

    rows = [
        {"id": f"d:e{i}", "kind": "event", "a": "JPN", "b": "RUS", "source": "JPN", "target": "RUS",
         "day": pd.Timestamp(2015, 11, 17), "date": "2015-11-17", "type": "ACCUSE",
         "quad": "verbal conflict", "weight": -2.0, "doc_id": "d", "sentence": "s", "citation": None,
         "date_source": "document-guessed" if i else "expression"}
        for i in range(5)
    ]  # fmt: skip
    df = pd.DataFrame(rows)
    assert int(dyad_scores(df, "Y")["n"].sum()) == 1
    assert int(dyad_scores(df, "Y", include_guessed=True)["n"].sum()) == 5


# -- workers die with their parent ---------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")
def test_killing_code_with_workers_kills_the_workers(tmp_path: Path) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(60):
        (src / f"d{i:02d}.txt").write_text(
            DOC_A.replace("Sept. 16", f"Sept. {1 + i % 28}") + f" Case {i}.\n"
        )
    exe = shutil.which("entente") or str(Path(sys.executable).parent / "entente")
    proc = subprocess.Popen(
        [exe, "code", str(src), "--db", str(tmp_path / "k.duckdb"), "--workers", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers: list[int] = []
    deadline = time.time() + 90
    while time.time() < deadline and proc.poll() is None and len(workers) < 2:
        time.sleep(0.3)
        workers = _children(proc.pid)
    assert proc.poll() is None and len(workers) >= 2, "workers never started"
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers)
