from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from entente.cli import app

runner = CliRunner()


def test_help_lists_commands() -> None:
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    assert "read" in res.output and "demo" in res.output


def test_read_json_and_bad_file_exit_code(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nJapan and Russia met in Moscow on May 6, 2016.\n")
    (tmp_path / "b.txt").write_bytes(b"")
    res = runner.invoke(app, ["read", "--json", str(tmp_path)])
    assert res.exit_code == 1
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == 1 and rows[0]["sentences"] == 2  # title + one body sentence
    assert "b.txt" in res.output and "empty" in res.output


def test_demo_is_idempotent(tmp_path: Path, examples_dir: Path) -> None:
    from entente.store import Store

    db = tmp_path / "demo.duckdb"
    first = runner.invoke(app, ["demo", "--db", str(db), "--examples", str(examples_dir)])
    assert first.exit_code == 0, first.output
    with Store(db) as store:
        counts = store.counts()
    assert counts["documents"] >= 8
    second = runner.invoke(
        app, ["demo", "--db", str(db), "--examples", str(examples_dir)], env={"COLUMNS": "300"}
    )
    assert second.exit_code == 0
    assert "0 new document(s)" in second.output
    with Store(db) as store:
        assert store.counts() == counts
