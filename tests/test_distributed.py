"""Dask engine: the same rows as a single-process run, and an idempotent load."""

from __future__ import annotations

from pathlib import Path

import pytest

from entente import batch
from entente.store import Store

pytest.importorskip("distributed")


def test_dask_matches_single_process(tmp_path: Path, examples_dir: Path) -> None:
    from entente.distributed import code_with_dask

    one, dk = tmp_path / "one.duckdb", tmp_path / "dask.duckdb"
    with Store(one) as s:
        batch.run([examples_dir], s)
    with Store(dk) as s:
        t = code_with_dask(
            [examples_dir], s, partitions=3, n_workers=2, shard_dir=tmp_path / "shards"
        )
        assert t.new == s.counts()["documents"] and not t.errors
    assert len(list((tmp_path / "shards").glob("part-*.parquet"))) == 3
    q = "SELECT doc_id, idx, type, source, target, intensity, date, record FROM {} ORDER BY doc_id, idx"
    with Store(one) as a, Store(dk) as b:
        for table in ("events", "assessments", "quotes"):
            assert a.con.execute(q.format(table) if table == "events" else f"SELECT doc_id, idx, record FROM {table} ORDER BY 1, 2").fetchall() == \
                b.con.execute(q.format(table) if table == "events" else f"SELECT doc_id, idx, record FROM {table} ORDER BY 1, 2").fetchall()  # fmt: skip
        assert a.counts() == b.counts()
    with Store(dk) as s:
        again = code_with_dask([examples_dir], s, partitions=2, n_workers=2)
        assert again.new == 0 and again.skipped == s.counts()["documents"]


def test_partitions_follow_the_cluster() -> None:
    from entente.distributed import PARTITIONS_PER_WORKER, partition_count

    assert partition_count(None, 32, 10_000) == 32 * PARTITIONS_PER_WORKER
    assert partition_count(None, 2, 10_000) == 2 * PARTITIONS_PER_WORKER
    assert partition_count(None, 32, 5) == 5  # never more partitions than files
    assert partition_count(7, 32, 10_000) == 7  # --partitions wins
    assert partition_count(None, 0, 0) == 1
