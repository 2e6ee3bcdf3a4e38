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
#: files coded together (:func:`code_paths`): the candidate sentences of their short
#: documents are parsed in one batch, which the parser runs faster
GROUP_FILES = 8
#: the text a group parses at once, in characters; a longer document is parsed on its
#: own, a window of sentences at a time
GROUP_CHARS = 100_000


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
    return code_paths([path], given_date, max_bytes, known, as_dict)[0]


def code_paths(
    paths: Sequence[str],
    given_date: str | None,
    max_bytes: int,
    known: frozenset[str] = frozenset(),
    as_dict: bool = True,
) -> list[list[tuple[str, Any, Any]]]:
    """:func:`code_path` for each of ``paths`` (one list of items per path, in order).
    The documents are read and resolved first; then the candidate sentences of up to
    ``GROUP_CHARS`` of text at a time are parsed together
    (:func:`entente.coding.parse_many`) and each document is coded from its parses — the
    same rows as one document at a time. If a group's parse fails, its documents are
    coded one by one, so one document's failure still costs no other."""
    from entente.pipeline import read, resolve

    out: list[list[tuple[str, Any, Any]]] = []
    todo: list[tuple[list[tuple[str, Any, Any]], int, Document]] = []
    for path in paths:
        mine: list[tuple[str, Any, Any]] = []
        out.append(mine)
        try:
            items = list(read([path], max_bytes=max_bytes))
        except Exception as exc:  # a bug in a reader must not cost the other files
            mine.append(("error", path, _failure("could not be read", exc)))
            continue
        for item in items:
            if isinstance(item, ReadError):
                mine.append(("error", item.path, item.reason))
                continue
            if item.id in known:
                mine.append(("known", item.id, item.path))
                continue
            try:
                resolve(item, given_date)
            except Exception as exc:  # one document's failure never costs another
                mine.append(("error", item.path, _failure("could not be coded", exc)))
                continue
            mine.append(("pending", None, None))  # filled in below, in this place
            todo.append((mine, len(mine) - 1, item))
    group: list[tuple[list[tuple[str, Any, Any]], int, Document]] = []
    size = 0
    for entry in todo:
        doc = entry[2]
        if len(doc.text) > GROUP_CHARS:
            _code_group([entry], as_dict, together=False)
            continue
        if group and size + len(doc.text) > GROUP_CHARS:
            _code_group(group, as_dict)
            group, size = [], 0
        group.append(entry)
        size += len(doc.text)
    if group:
        _code_group(group, as_dict)
    return out


def _code_group(
    group: list[tuple[list[tuple[str, Any, Any]], int, Document]],
    as_dict: bool,
    together: bool = True,
) -> None:
    """Code the documents of ``group``, parsed together when ``together``; each result
    goes to its place in its path's list."""
    from entente.coding import code_records, parse_many

    parses: list[Any] = [None] * len(group)
    if together and len(group) > 1:
        try:
            parses = list(parse_many([doc for _, _, doc in group]))
        except Exception:  # each document is then parsed again on its own
            parses = [None] * len(group)
    for (mine, slot, item), parsed in zip(group, parses, strict=True):
        try:
            # rows that stay in this process may wait on disk (a huge document)
            rows, n = code_records(item, spill=not as_dict, parsed=parsed)
        except Exception as exc:  # one document's failure never costs another
            mine[slot] = ("error", item.path, _failure("could not be coded", exc))
            continue
        item.meta["parsed_sentences"] = n
        mine[slot] = ("doc", item.to_dict() if as_dict else item, rows)


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
    # files go in groups (their short documents are parsed together); with workers,
    # small enough groups that every worker gets several
    per = GROUP_FILES if workers <= 1 else max(1, min(GROUP_FILES, total // (workers * 4)))
    groups = [inputs[i : i + per] for i in range(0, total, per)]
    done = 0
    try:
        if workers <= 1 or total <= 1:
            for group in groups:
                for results in code_paths(group, given_date, max_bytes, known, as_dict=False):
                    consume(results)
                    done += 1
                    if progress:
                        progress(done, total, totals.sentences)
        else:
            with ProcessPoolExecutor(
                max_workers=workers, initializer=_init_worker, initargs=(nlp.model_name(),)
            ) as pool:
                n = len(groups)
                futures = pool.map(
                    code_paths, groups, [given_date] * n, [max_bytes] * n, [known] * n
                )
                for per_path in futures:
                    for results in per_path:
                        consume(results)
                        done += 1
                        if progress:
                            progress(done, total, totals.sentences)
    finally:
        flush()  # documents coded before an interruption are kept
    return totals
