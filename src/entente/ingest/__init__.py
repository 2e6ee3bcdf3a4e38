"""Reading files into documents: ``.txt``, ``.md``, ``.html``, ``.pdf`` and ``.jsonl``.

:func:`read_file` reads one file (a JSONL corpus gives many documents);
:func:`iter_paths` walks files and directories and yields a document or a
:class:`ReadError` for each input, so a batch goes on past a bad file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from entente.ingest.errors import ReadError
from entente.ingest.readers import READERS, SUPPORTED, read_jsonl, reader_for, split_paragraphs
from entente.model import Document

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: files a directory walk leaves out (a folder's own description, not a document)
_SKIP_STEMS = {"README", "LICENSE", "CHANGELOG"}

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED",
    "ReadError",
    "iter_paths",
    "read_bytes",
    "read_file",
    "split_paragraphs",
]


def read_bytes(
    data: bytes, path: str | Path, suffix: str | None = None
) -> list[Document | ReadError]:
    """Read ``data`` as the format given by ``suffix`` (default: the path's suffix)."""
    p = Path(path)
    ext = (suffix or p.suffix).lower()
    if ext == ".jsonl":
        return list(read_jsonl(data, str(p)))
    if ext not in READERS:
        reader_for(p.with_suffix(ext) if ext else p)
    return [READERS[ext](data, str(p))]


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document | ReadError]:
    """Read one file. Raises :class:`ReadError` when the whole file is unusable; for a
    JSONL corpus, bad lines come back as :class:`ReadError` items in the list."""
    p = Path(path)
    reader_for(p)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReadError(p, f"cannot open: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise ReadError(
            p, f"file is {size:,} bytes, larger than the --max-bytes limit of {max_bytes:,}"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(p, f"cannot read: {exc.strerror or exc}") from exc
    return read_bytes(data, p)


def expand(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """Files named, and the supported files inside directories named (sorted, recursive;
    README/LICENSE/CHANGELOG files and hidden files inside directories are skipped)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED and not f.name.startswith("."):
                    if f.name.endswith(".gold.json") or f.stem.upper() in _SKIP_STEMS:
                        continue
                    yield f
        elif p.exists():
            yield p
        else:
            yield ReadError(p, "no such file or directory")


def iter_paths(
    paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | ReadError]:
    """Yield a document or a :class:`ReadError` for every input; never stops on bad input."""
    for item in expand(paths):
        if isinstance(item, ReadError):
            yield item
            continue
        try:
            yield from read_file(item, max_bytes=max_bytes)
        except ReadError as err:
            yield err
