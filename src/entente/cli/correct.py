"""``entente correct``: analysts' corrections from the command line.

Each command writes to the store itself, or — while ``entente serve`` holds the store
for writing — sends the change through the running server with the token."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from entente.cli import DbOpt, console, err_console

app = typer.Typer(
    name="correct",
    help="Correct coded records: mark one wrong, fix an event, add a missed event, list or "
    "withdraw corrections. Corrections survive re-coding (entente code --recode).",
    no_args_is_help=True,
)

StoreOpt = Annotated[
    Path,
    typer.Option(
        "--db", help="DuckDB store to correct (through `entente serve` when one holds it)."
    ),
]
AuthorOpt = Annotated[
    str | None,
    typer.Option("--author", help="Who makes the correction (default: $ENTENTE_AUTHOR or $USER)."),
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why (kept with the correction).")]
TokenFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--token-file",
        help="The server's token (else $ENTENTE_TOKEN): used only when a running "
        "`entente serve` holds the store.",
    ),
]
TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER type, any case.")]
SourceOpt = Annotated[
    str | None, typer.Option("--source", help="Codes or names, comma-separated: RUS or RUS,BLR.")
]
TargetOpt = Annotated[
    str | None,
    typer.Option("--target", help="Codes or names, comma-separated ('' for a joint act)."),
]
DateOpt = Annotated[str | None, typer.Option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD.")]


def _author(value: str | None) -> str:
    if value:
        return value
    return os.environ.get("ENTENTE_AUTHOR") or os.environ.get("USER") or getpass.getuser()


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [p.strip() for p in value.split(",") if p.strip()]


def _write(db: Path, token_file: Path | None, payload: dict[str, Any]) -> dict[str, Any]:
    """Apply one correction (``payload``: the API's body) to ``db``, or through the
    server that holds it."""
    from entente.errors import StoreError
    from entente.store import Store
    from entente.store import corrections as C
    from entente.web import remote

    url = remote.server_for(db)
    if url is not None:
        token = remote.read_token(token_file)
        if payload.get("action") == "withdraw":
            return remote.send(url, f"/api/corrections/{payload['id']}/withdraw", {}, token)
        return remote.send(url, "/api/corrections", payload, token)
    try:
        store = Store(db, create=False)
    except StoreError as exc:
        raise StoreError(f"{exc} (no running `entente serve` holds it for corrections)") from exc
    with store:
        if payload.get("action") == "withdraw":
            return C.withdraw(store, payload["id"])
        return C.correct(store, C.Change(**payload))


def _done(c: dict[str, Any]) -> None:
    rec = c.get("record_id") or "-"
    err_console.print(f"correction {c['id']}: {c['action']} {rec} — {c['status']}")
    sys.stdout.write(json.dumps(c, ensure_ascii=False, default=str) + "\n")


@app.command(epilog="Example: entente correct wrong a167f6510d01b1e4:e3 --note 'a forecast'")
def wrong(
    record_id: Annotated[str, typer.Argument(help="The record, e.g. a167f6510d01b1e4:e3.")],
    db: StoreOpt = Path("entente.duckdb"),
    author: AuthorOpt = None,
    note: NoteOpt = None,
    token_file: TokenFileOpt = None,
) -> None:
    """Mark a record (event, assessment or quotation) wrong: it leaves every view,
    analysis and export."""
    _done(_write(db, token_file, {"action": "wrong", "record_id": record_id,
                                  "author": _author(author), "note": note}))  # fmt: skip


@app.command(epilog="Example: entente correct fix a167f6510d01b1e4:e3 --type SANCTION --target JPN")
def fix(
    record_id: Annotated[str, typer.Argument(help="The event, e.g. a167f6510d01b1e4:e3.")],
    db: StoreOpt = Path("entente.duckdb"),
    type_: TypeOpt = None,
    source: SourceOpt = None,
    target: TargetOpt = None,
    date: DateOpt = None,
    author: AuthorOpt = None,
    note: NoteOpt = None,
    token_file: TokenFileOpt = None,
) -> None:
    """Fix an event's type, actors, direction (swap --source and --target) or date."""
    _done(_write(db, token_file, {
        "action": "fix", "record_id": record_id, "type": type_, "source": _split(source),
        "target": _split(target), "date": date, "author": _author(author), "note": note,
    }))  # fmt: skip


@app.command(
    epilog="Example: entente correct add a167f6510d01b1e4 4 --type ACCUSE --source JPN --target RUS"
)
def add(
    doc_id: Annotated[
        str,
        typer.Argument(
            help="The document's id: a record id's part before ':' (also on the "
            "document's page and in /api/documents)."
        ),
    ],
    sentence: Annotated[
        int,
        typer.Argument(
            help="The sentence's index in the document (a record's sentence_index in "
            "`entente show`; the #sN anchors of the document page).",
            min=0,
        ),
    ],
    type_: Annotated[str, typer.Option("--type", help="PLOVER type, any case.")],
    source: Annotated[str, typer.Option("--source", help="Codes or names, comma-separated.")],
    db: StoreOpt = Path("entente.duckdb"),
    target: TargetOpt = None,
    date: DateOpt = None,
    author: AuthorOpt = None,
    note: NoteOpt = None,
    token_file: TokenFileOpt = None,
) -> None:
    """Add an event the coder missed, with the sentence that says it."""
    _done(_write(db, token_file, {
        "action": "add", "doc_id": doc_id, "sentence": sentence, "type": type_,
        "source": _split(source), "target": _split(target) or [], "date": date,
        "author": _author(author), "note": note,
    }))  # fmt: skip


@app.command(epilog="Example: entente correct withdraw c3f1a9e0b2d4c6e8a")
def withdraw(
    correction_id: Annotated[str, typer.Argument(help="The correction's id.")],
    db: StoreOpt = Path("entente.duckdb"),
    token_file: TokenFileOpt = None,
) -> None:
    """Undo a correction: the record is as the coder left it again."""
    _done(_write(db, token_file, {"action": "withdraw", "id": correction_id}))


@app.command(name="list", epilog="Example: entente correct list --status orphaned")
def list_cmd(
    db: DbOpt = Path("entente.duckdb"),
    doc: Annotated[str | None, typer.Option("--doc", help="One document's corrections.")] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="applied, orphaned (its record is no longer coded), coded, superseded or "
            "withdrawn.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """List corrections, oldest first (who, when, what, and whether each still applies)."""
    from rich.table import Table

    from entente import options
    from entente.store import Store
    from entente.store import corrections as C

    fmt = options.choice(fmt, "--format", ("table", "jsonl"))
    with Store(db, read_only=True) as store:
        rows = C.corrections(store, doc, status)
    if fmt == "jsonl":
        for c in rows:
            sys.stdout.write(json.dumps(c, ensure_ascii=False, default=str) + "\n")
        return
    table = Table(title=f"{len(rows)} corrections")
    for col in ("id", "when", "author", "action", "record", "was", "now", "status"):
        table.add_column(col)
    for c in rows:
        was = f"{c['key_label'] or ''} {'+'.join(c['key_source'] or [])}>{'+'.join(c['key_target'] or [])}"
        now = " ".join(
            x for x in (c["type"], "+".join(c["source"] or []) + (">" + "+".join(c["target"] or [])
                        if c["source"] else ""), c["date"]) if x
        )  # fmt: skip
        table.add_row(c["id"], str(c["created_at"])[:16], c["author"], c["action"],
                      c["record_id"] or "", was.strip() if c["action"] != "add" else "",
                      now, c["status"])  # fmt: skip
    console.print(table)
