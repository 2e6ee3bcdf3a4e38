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
        # the worker's model JSON is stored as it came, the same as one process writes
        models = "SELECT id, model_z FROM documents ORDER BY id"
        from entente.store.schema import model_text

        assert [(i, model_text(z)) for i, z in a.con.execute(models).fetchall()] == [
            (i, model_text(z)) for i, z in b.con.execute(models).fetchall()
        ]
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


def test_partitions_are_balanced_by_bytes(tmp_path: Path) -> None:
    from entente.distributed import balanced

    sizes = [900, 10, 10, 10, 300, 300, 300, 5, 5, 5, 250, 50]
    paths = []
    for i, n in enumerate(sizes):
        p = tmp_path / f"f{i:02d}.txt"
        p.write_text("x" * n)
        paths.append(str(p))
    groups = balanced(paths, 3)
    assert sorted(p for g in groups for p in g) == sorted(paths)  # each file once
    assert all(g == sorted(g, key=paths.index) for g in groups)  # input order kept
    loads = sorted(sum(Path(p).stat().st_size for p in g) for g in groups)
    assert loads[-1] - loads[0] <= max(sizes[1:])  # the big file alone, the rest evened out
    assert balanced(paths[:2], 5) == [[paths[0]], [paths[1]]]  # never an empty partition


def test_workers_share_no_path_with_the_client(tmp_path: Path, examples_dir: Path) -> None:
    # workers with their own TMPDIR and working directory, as on other hosts: results
    # come back through Dask, nothing is written where the client would have to read it
    from distributed import LocalCluster

    from entente.distributed import code_with_dask

    one, dk = tmp_path / "one.duckdb", tmp_path / "dask.duckdb"
    with Store(one) as s:
        batch.run([examples_dir], s)
    homes = [tmp_path / f"worker{i}" for i in range(2)]
    for h in homes:
        h.mkdir()
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
        env={"TMPDIR": str(homes[0])}, local_directory=str(homes[1]),
    ) as cluster, Store(dk) as s:  # fmt: skip
        t = code_with_dask([examples_dir], s, scheduler=cluster.scheduler_address)
        assert not t.errors and t.new == s.counts()["documents"]
    assert not list(tmp_path.rglob("*.parquet"))
    with Store(one) as a, Store(dk) as b:
        assert a.counts() == b.counts()
        q = "SELECT doc_id, idx, record FROM events ORDER BY 1, 2"
        assert a.con.execute(q).fetchall() == b.con.execute(q).fetchall()


def test_unwritable_shard_directory_fails_before_work(tmp_path: Path, examples_dir: Path) -> None:
    from entente.distributed import code_with_dask
    from entente.ingest import ReadError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with Store(tmp_path / "s.duckdb") as s, pytest.raises(ReadError, match="not writable"):
        code_with_dask([examples_dir], s, shard_dir=blocker / "shards")
