"""Batch coding on Dask: partitions of files coded on workers, loaded as they complete.

``code_with_dask`` splits the inputs into ``partitions`` (groups of file paths of about
equal bytes, one task each: a few large partitions cost far less than one task per file,
and equal ones finish together), codes each partition on
a worker (the spaCy model is loaded once per worker process and cached) into one Parquet
table (``doc`` JSON and ``records`` JSON per document) that comes back as the task's
result — no directory shared between workers and client is needed, so workers on other
hosts work — or, with ``shard_dir``, is written there. The client loads each partition
as soon as it completes, whole documents per transaction, skipping texts already
stored, so the load is idempotent, a killed client resumes without loss or duplicates,
and the results equal a single-process run.

Without ``scheduler`` a ``LocalCluster`` is started on this machine; with an address
(``tcp://host:8786``) the work runs on that cluster (see docs/scale.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from entente.batch import GROUP_FILES, WRITE_BATCH, Totals, code_paths, input_files, store_each
from entente.ingest import DEFAULT_MAX_BYTES, ReadError
from entente.model import Document


def _code_partition(
    paths: list[str],
    shard_dir: str | None,
    given_date: str | None,
    max_bytes: int,
    known: frozenset[str],
) -> list[dict[str, Any]]:
    """Code one partition on a worker. Its documents and records come back as Parquet
    bytes in the task's result (no path shared with the client is needed), or, with
    ``shard_dir``, as a shard written there."""
    import hashlib
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    docs, recs, errors = [], [], []
    for k in range(0, len(paths), GROUP_FILES):
        for kind, a, b in (
            item
            for per_path in code_paths(paths[k : k + GROUP_FILES], given_date, max_bytes, known)
            for item in per_path
        ):
            if kind == "doc":
                docs.append(json.dumps(a, ensure_ascii=False))
                recs.append(json.dumps(b, ensure_ascii=False))
            elif kind == "error":
                errors.append({"path": a, "reason": b})
            else:
                errors.append({"path": b, "known": a})
    if not paths:
        return []
    table = pa.table({"doc": pa.array(docs, pa.string()), "records": pa.array(recs, pa.string())})
    if shard_dir is None:
        buf = io.BytesIO()
        pq.write_table(table, buf)
        return [{"parquet": buf.getvalue(), "documents": len(docs)}, *errors]
    name = hashlib.sha1("\n".join(paths).encode()).hexdigest()[:16]
    shard = Path(shard_dir) / f"part-{name}.parquet"
    pq.write_table(table, shard)
    return [{"shard": str(shard), "documents": len(docs)}, *errors]


#: default partitions per worker: enough to balance uneven files, few enough that each
#: task's start (loading the model once per partition) stays small
PARTITIONS_PER_WORKER = 4


def partition_count(partitions: int | None, workers: int, inputs: int) -> int:
    """``partitions`` if given, else ``PARTITIONS_PER_WORKER`` per worker; never more
    than there are input files, never fewer than one."""
    wanted = partitions or max(1, workers) * PARTITIONS_PER_WORKER
    return max(1, min(wanted, inputs or 1))


def balanced(paths: list[str], n: int) -> list[list[str]]:
    """``paths`` in ``n`` groups of about equal bytes (largest file first, each to the
    lightest group), each group in input order: partitions that take about as long, so
    no worker codes the last one alone while the others wait (a split by file count left
    a sixth of a run to one worker)."""
    import os

    def size(p: str) -> int:
        try:
            return os.path.getsize(p)
        except OSError:
            return 0

    groups: list[list[int]] = [[] for _ in range(max(1, n))]
    load = [0] * len(groups)
    for i in sorted(range(len(paths)), key=lambda i: (-size(paths[i]), i)):
        g = min(range(len(groups)), key=lambda k: (load[k], k))
        groups[g].append(i)
        load[g] += max(size(paths[i]), 1)
    return [[paths[i] for i in sorted(g)] for g in groups if g]


def _worker_count(client: Any) -> int:
    """The workers the scheduler reports now (0 when it cannot say)."""
    try:
        return len(client.scheduler_info().get("workers", {}))
    except Exception:  # an old or unreachable scheduler: use the default
        return 0


def code_with_dask(
    paths: Iterable[str | Path],
    store: Any,
    scheduler: str | None = None,
    partitions: int | None = None,
    given_date: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    shard_dir: str | Path | None = None,
    n_workers: int = 2,
) -> Totals:
    """Code ``paths`` on Dask and load the results into ``store`` as each partition
    completes (whole documents per transaction: a killed client loses nothing stored and
    a rerun skips what is there). Results travel through Dask unless ``shard_dir`` names
    a directory that every worker and this process can reach."""
    from distributed import Client, LocalCluster, as_completed

    totals = Totals()
    inputs = input_files(paths, totals)
    known = frozenset(r[0] for r in store.con.execute("SELECT id FROM documents").fetchall())
    shards = None if shard_dir is None else str(shard_dir)
    if shards is not None:
        _check_writable(Path(shards))
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
        with client:
            nparts = partition_count(partitions, _worker_count(client) or n_workers, len(inputs))
            futures = [
                client.submit(_code_partition, group, shards, given_date, max_bytes, known,
                              pure=False)
                for group in balanced(inputs, nparts)
            ]  # fmt: skip
            for future in as_completed(futures):
                _load_result(future.result(), store, totals)
                future.release()
    finally:
        if cluster is not None:
            cluster.close()
    return totals


def _check_writable(directory: Path) -> None:
    """Fail before any work when the shard directory cannot be written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".entente-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ReadError(directory, f"shard directory not writable: {exc.strerror or exc}") from exc


def _load_result(result: list[dict[str, Any]], store: Any, totals: Totals) -> None:
    """Load one partition's result: its Parquet (bytes or shard), errors, known texts."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for r in result:
        if "parquet" in r:
            load_table(pq.read_table(pa.BufferReader(r["parquet"])), store, totals)
        elif "shard" in r:
            load_shards([r["shard"]], store, totals)
        elif "reason" in r:
            totals.errors.append(ReadError(r["path"], r["reason"]))
        elif "known" in r:
            totals.documents += 1
            totals.skipped += 1


def load_shards(shards: list[str], store: Any, totals: Totals | None = None) -> Totals:
    """Load Parquet shards into the store (idempotent: stored texts are skipped)."""
    import pyarrow.parquet as pq

    totals = totals or Totals()
    for shard in shards:
        load_table(pq.read_table(shard), store, totals)
    return totals


def load_table(table: Any, store: Any, totals: Totals) -> Totals:
    """Load one partition's table (``doc`` and ``records`` JSON per document)."""
    batch: list[tuple[Document, list[dict[str, Any]]]] = []
    models: dict[str, str] = {}  # the worker serialised each model once: kept, not redone
    for doc_json, rec_json in zip(
        table.column("doc").to_pylist(), table.column("records").to_pylist(), strict=True
    ):
        doc = Document.from_dict(json.loads(doc_json))
        models[doc.id] = doc_json
        rows: list[dict[str, Any]] = json.loads(rec_json)
        totals.documents += 1
        totals.sentences += len(doc.sentences)
        totals.parsed += int(doc.meta.get("parsed_sentences", 0))
        for r in rows:
            setattr(totals, r["kind"], getattr(totals, r["kind"]) + 1)
        batch.append((doc, rows))
    for i in range(0, len(batch), WRITE_BATCH):
        chunk = batch[i : i + WRITE_BATCH]
        before = totals.new
        store_each(store, chunk, totals, models=models)
        totals.skipped += len(chunk) - (totals.new - before)
    return totals
