"""The one error type every reader raises for bad input."""

from __future__ import annotations

from pathlib import Path

from entente.errors import InputError


class ReadError(InputError):
    """A file (or one line of a JSONL corpus) that cannot be read as a document.

    ``path`` names the file (with ``:LINE`` for a JSONL line) and ``reason`` says why.
    """

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
