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


def test_every_command_help_gives_an_example_and_true_json_wording() -> None:
    import shlex

    import typer

    from entente.cli import EXAMPLES, app

    cmd = typer.main.get_command(app)
    assert isinstance(cmd, typer.core.TyperGroup)
    assert set(EXAMPLES) == set(cmd.commands)
    for name, sub in cmd.commands.items():
        assert sub.epilog and sub.epilog.startswith("Example: entente " + name)
        opts = {o for p in sub.params for o in getattr(p, "opts", [])}
        for tok in shlex.split(EXAMPLES[name].split(">")[0]):
            if tok.startswith("--"):
                assert tok in opts, (name, tok)  # the example uses real options
        for p in sub.params:
            if "--json" in getattr(p, "opts", []):
                per_doc = "per document" in (p.help or "")
                assert per_doc == (name in ("read", "dates", "actors")), name


def test_relations_dyad_filter_and_plot(tmp_path: Path) -> None:
    from entente import batch
    from entente.store import Store

    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.txt").write_text(
        "Tokyo protests\n\nTOKYO, Sept. 16, 2015 — Japan protested to Russia after a Russian "
        "plane entered its airspace. Japan imposed sanctions on Russia.\n"
    )
    (d / "b.txt").write_text(
        "Beijing and Moscow\n\nMOSCOW, March 22, 2013 — Russia agreed to sell fighter jets "
        "to China. Sino-Russian relations drew closer.\n"
    )
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        batch.run([d], s)
    res = runner.invoke(app, ["relations", "--db", str(db), "--json", "--dyad", "Russia-Japan"])
    assert res.exit_code == 0, res.output
    pairs = {r["pair"] for r in json.loads(res.output)}
    assert pairs == {"JPN-RUS"}
    out = tmp_path / "tl.png"
    res = runner.invoke(
        app, ["relations", "--db", str(db), "--dyad", "CHN-RUS", "--plot", str(out), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert {r["pair"] for r in json.loads(res.stdout)} == {"CHN-RUS"}  # JSON alone on stdout
    assert out.stat().st_size > 2000 and out.with_suffix(".svg").exists()


def test_progress_reports_sentences_and_stays_quiet_when_piped(tmp_path: Path) -> None:
    from entente import batch

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"d{i}.txt").write_text(
            f"Talks {i}\n\nJapan and Russia held talks in Moscow. China protested to Japan.\n"
        )
    calls: list[tuple[int, int, int]] = []
    batch.run([corpus], None, None, 1, None, progress=lambda *a: calls.append(a))
    assert [c[:2] for c in calls] == [(1, 3), (2, 3), (3, 3)]
    assert calls[-1][2] >= 6 and calls[0][2] < calls[-1][2]  # sentences so far
    res = runner.invoke(app, ["code", str(corpus), "--jsonl", str(tmp_path / "o.jsonl")])
    assert res.exit_code == 0, res.output
    # only the closing summary, no progress display
    assert res.output.count("sentences/s") == 1 and "left" not in res.output
    assert "\r" not in res.output and "\x1b[" not in res.output


def test_workers_option_accepts_auto_and_numbers() -> None:
    import pytest as _pytest

    from entente import options
    from entente.errors import UsageError

    assert options.workers("auto") == options.cores() >= 1
    assert options.workers("3") == 3
    for bad in ("0", "-1", "many", "1.5"):
        with _pytest.raises(UsageError, match="--workers"):
            options.workers(bad)
