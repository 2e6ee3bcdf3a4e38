"""Rows of a huge document kept on disk while it is coded and stored.

A 20 MB text gives some 150,000 records; as Python dicts they take about as much memory
as the document itself. :class:`SpilledRows` collects rows, writes them to an anonymous
temporary file a chunk at a time (pickle frames), and reads them back a chunk at a time
whenever they are iterated: the store, the JSONL writer and the counters each walk the
rows once or a few times, in order, and never need them all at once.

Only for rows that stay in the process that made them (the file is not shared): the
worker pools and Dask send rows as plain lists.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Collection, Iterable, Iterator
from typing import IO, Any

#: rows held in memory before a chunk goes to disk
SPILL_ROWS = 4096


class SpilledRows(Collection[dict[str, Any]]):
    """Row dicts, in order, mostly on disk: ``len()``, repeated iteration, ``append``
    and ``extend`` (no indexing)."""

    def __init__(self, chunk: int | None = None) -> None:
        self.chunk = chunk or SPILL_ROWS
        self._tail: list[dict[str, Any]] = []
        self._file: IO[bytes] | None = None
        self._path: str | None = None
        self._frames = 0
        self._on_disk = 0

    def append(self, row: dict[str, Any]) -> None:
        self._tail.append(row)
        if len(self._tail) >= self.chunk:
            self._spill()

    def extend(self, rows: Iterable[dict[str, Any]]) -> None:
        for r in rows:
            self.append(r)

    def _spill(self) -> None:
        if self._file is None:
            fd, self._path = tempfile.mkstemp(prefix="entente-rows-", suffix=".pickle")
            self._file = os.fdopen(fd, "wb")
        pickle.dump(self._tail, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._frames += 1
        self._on_disk += len(self._tail)
        self._tail = []

    @property
    def spilled(self) -> int:
        """How many rows are on disk."""
        return self._on_disk

    def __len__(self) -> int:
        return self._on_disk + len(self._tail)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __contains__(self, row: object) -> bool:
        return any(r == row for r in self)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self._file is not None and self._path is not None:
            self._file.flush()
            # each walk reads through its own handle, so walks may be interleaved
            with open(self._path, "rb") as fh:
                for _ in range(self._frames):
                    yield from pickle.load(fh)
        yield from self._tail

    def close(self) -> None:
        """Delete the file now (it also goes when the object is collected)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._path)
            self._path = None
        self._frames = self._on_disk = 0

    def __del__(self) -> None:
        # never raise from a finaliser (at interpreter exit module globals may be gone)
        with contextlib.suppress(Exception):
            self.close()
