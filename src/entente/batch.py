"""Batch coding: files → coded rows → store/JSONL, in one process or several.

With ``workers > 1`` the files are coded in worker processes (each loads the spaCy
model once) and the parent process is the only writer, so every document still lands
in one transaction. Documents whose text is already stored are not coded again, which
makes an interrupted batch resumable: run the same command again and it finishes the
rest. Writes are grouped, ``WRITE_BATCH`` whole documents per transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from entente.ingest import DEFAULT_MAX_BYTES, ReadError, expand
from entente.model import Document

#: documents written per transaction (each transaction holds whole documents only)
WRITE_BATCH = 16


@dataclass(slots=True)
class Totals:
    documents: int = 0
    new: int = 0
    skipped: int = 0
    sentences: int = 0
    parsed: int = 0
    event: int = 0
    assessment: int = 0
    quote: int = 0
    errors: list[ReadError] = field(default_factory=list)


def input_files(paths: Iterable[str | Path], totals: Totals) -> list[str]:
    """The files to code (directories expanded); missing inputs go to ``totals.errors``.
    On a remote Dask cluster, give paths its workers can read."""
    inputs: list[str] = []
    for item in expand(paths):
        if isinstance(item, ReadError):
            totals.errors.append(item)
        else:
            inputs.append(str(item))
    return inputs


def code_path(
    path: str,
    given_date: str | None,
    max_bytes: int,
    known: frozenset[str] = frozenset(),
    as_dict: bool = True,
) -> list[tuple[str, Any, Any]]:
    """Read and code one file. Returns ``("doc", doc_dict, rows)``, ``("known", id, path)``
    for texts already stored, or ``("error", path, reason)`` items (picklable). With
    ``as_dict=False`` (one process) the document itself is returned, not a copy."""
    from entente.coding import code_records
    from entente.pipeline import read, resolve

    out: list[tuple[str, Any, Any]] = []
    try:
        items = list(read([path], max_bytes=max_bytes))
    except Exception as exc:  # a bug in a reader must not cost the other files
        return [("error", path, _failure("could not be read", exc))]
    for item in items:
        if isinstance(item, ReadError):
            out.append(("error", item.path, item.reason))
            continue
        if item.id in known:
            out.append(("known", item.id, item.path))
            continue
        try:
            resolve(item, given_date)
            # rows that stay in this process may wait on disk (a huge document)
            rows, parsed = code_records(item, spill=not as_dict)
        except Exception as exc:  # one document's failure never costs another
            out.append(("error", item.path, _failure("could not be coded", exc)))
            continue
        item.meta["parsed_sentences"] = parsed
        out.append(("doc", item.to_dict() if as_dict else item, rows))
    return out


def _failure(what: str, exc: Exception) -> str:
    """The reason line for a document that failed inside Entente (a bug), with the log
    file that holds the traceback."""
    from entente.errors import log_traceback

    log = log_traceback(exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{what}: internal error ({type(exc).__name__}: {first[:200]}); traceback in {log}"


def store_each(
    store: Any,
    items: Sequence[tuple[Document, Collection[dict[str, Any]]]],
    totals: Totals,
    recode: bool = False,
    models: Mapping[str, str] | None = None,
) -> None:
    """Write ``items`` in one transaction; if that fails, write them one by one so a
    document the store refuses costs no other (it is reported in ``totals.errors``).
    ``models``: documents' model JSON by id, where already serialised."""
    try:
        totals.new += sum(store.add_many(items, recode=recode, models=models))
        return
    except Exception as exc:
        if len(items) == 1:
            totals.errors.append(ReadError(items[0][0].path, _failure("could not be stored", exc)))
            return
    for doc, rows in items:
        try:
            totals.new += sum(store.add_many([(doc, rows)], recode=recode, models=models))
        except Exception as exc:
            totals.errors.append(ReadError(doc.path, _failure("could not be stored", exc)))


def _die_with_parent() -> None:
    """Ask Linux to end this worker when its parent dies (a killed ``entente code``
    must not leave workers coding for minutes)."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _init_worker(model: str) -> None:
    from entente import nlp

    _die_with_parent()
    nlp.set_model(model)


def run(
    paths: Iterable[str | Path],
    store: Any = None,
    jsonl: IO[str] | None = None,
    workers: int = 1,
    given_date: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Callable[[int, int, int], None] | None = None,
    recode: bool = False,
) -> Totals:
    """Code every input; write to ``store`` (an :class:`entente.store.Store`) and/or
    ``jsonl``. ``progress(done, total, sentences)`` is called after each file, with the
    sentences read so far. Texts already stored are skipped unless ``recode`` (then
    they are coded again and replace their old rows; corrections are applied again)."""
    from entente import nlp

    totals = Totals()
    inputs = input_files(paths, totals)
    known: frozenset[str] = frozenset()
    if store is not None and not recode:
        known = frozenset(r[0] for r in store.con.execute("SELECT id FROM documents").fetchall())

    pending: list[tuple[Document, Collection[dict[str, Any]]]] = []

    def flush() -> None:
        if store is not None and pending:
            store_each(store, pending, totals, recode)
        pending.clear()

    def consume(results: list[tuple[str, Any, Any]]) -> None:
        for kind, a, b in results:
            if kind == "error":
                totals.errors.append(ReadError(a, b))
                continue
            totals.documents += 1
            if kind == "known":
                totals.skipped += 1
                continue
            doc = a if isinstance(a, Document) else Document.from_dict(a)
            rows: Collection[dict[str, Any]] = b
            totals.sentences += len(doc.sentences)
            totals.parsed += int(doc.meta.get("parsed_sentences", 0))
            for r in rows:
                setattr(totals, r["kind"], getattr(totals, r["kind"]) + 1)
            if store is not None:
                pending.append((doc, rows))
                if len(pending) >= WRITE_BATCH:
                    flush()
            if jsonl is not None:
                for r in rows:
                    jsonl.write(json.dumps(r, ensure_ascii=False) + "\n")

    total = len(inputs)
    workers = min(workers, total)  # a process per file at most: each loads the model
    try:
        if workers <= 1 or total <= 1:
            for i, path in enumerate(inputs, start=1):
                consume(code_path(path, given_date, max_bytes, known, as_dict=False))
                if progress:
                    progress(i, total, totals.sentences)
        else:
            with ProcessPoolExecutor(
                max_workers=workers, initializer=_init_worker, initargs=(nlp.model_name(),)
            ) as pool:
                futures = pool.map(
                    code_path, inputs, [given_date] * total, [max_bytes] * total, [known] * total
                )
                for i, results in enumerate(futures, start=1):
                    consume(results)
                    if progress:
                        progress(i, total, totals.sentences)
    finally:
        flush()  # documents coded before an interruption are kept
    return totals
