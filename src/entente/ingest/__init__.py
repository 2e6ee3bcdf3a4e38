"""Reading files into documents: ``.txt``, ``.md``, ``.html``, ``.pdf`` and ``.jsonl``.

:func:`read_file` reads one file (a JSONL corpus gives many documents);
:func:`iter_paths` walks files and directories and yields a document or a
:class:`ReadError` for each input, so a batch goes on past a bad file.
"""

from __future__ import annotations

import os
import stat
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
    why = _not_regular(p)
    if why is not None:
        raise ReadError(p, why)
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


def _not_regular(p: Path) -> str | None:
    """Why ``p`` cannot be read as a document file (a FIFO would block forever), or None."""
    try:
        mode = p.stat().st_mode
    except OSError as exc:
        return f"cannot open: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
        else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "not a regular file"
    )  # fmt: skip
    return f"skipped: {kind}, not a document file"


def _walk(root: Path) -> Iterator[Path | ReadError]:
    """Files under ``root`` (sorted, following links); unreadable folders and symlink
    loops come back as :class:`ReadError` instead of vanishing."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            yield ReadError(folder, f"cannot open folder: {exc.strerror or exc}")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            yield ReadError(folder, "skipped: symbolic link loop (folder already walked)")
            continue
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield ReadError(folder, f"cannot list folder: {exc.strerror or exc}")
            continue
        subdirs: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subdirs.append(path)
                continue
            if path.suffix.lower() not in SUPPORTED:
                continue
            if path.name.endswith(".gold.json") or path.stem.upper() in _SKIP_STEMS:
                continue
            if not path.exists():
                yield ReadError(path, "broken symbolic link")
                continue
            why = _not_regular(path)
            yield path if why is None else ReadError(path, why)
        stack.extend(reversed(subdirs))


def _walk_key(item: Path | ReadError) -> tuple[str, ...]:
    return Path(item.path).parts if isinstance(item, ReadError) else item.parts


def expand(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """Files named, and the supported files inside directories named (sorted, recursive;
    README/LICENSE/CHANGELOG files and hidden files inside directories are skipped).
    Anything that cannot be read — a missing or unreadable path, a FIFO or device, an
    unreadable folder, a symlink loop — comes back as a :class:`ReadError` with the
    reason, so a batch reports it and goes on."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(_walk(p), key=_walk_key)
        elif p.exists():
            why = _not_regular(p)
            yield p if why is None else ReadError(p, why)
        elif p.is_symlink():
            yield ReadError(p, "broken symbolic link")
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
