"""The errors a user sees, and where the traceback of a bug goes.

Every failure reaches the user as one line — what went wrong, with which file or
option, and what to do — and an exit status that says whose fault it was:

- ``1`` (:class:`InputError`): bad input — a file that cannot be read, a corrupt or
  missing store, a store locked by another process;
- ``2`` (:class:`UsageError`): bad usage — an option value that is not allowed
  (the choices are listed in the message);
- ``3``: an internal error, i.e. a bug. The line names a log file holding the
  traceback (:func:`log_traceback`), so a catch-all never hides a bug; ``--debug``
  prints the traceback instead.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path


class EntenteError(Exception):
    """An error with a message meant for the user and an exit status."""

    exit_code = 1


class InputError(EntenteError):
    """Bad input: a file, a store or a record that cannot be used as it is."""

    exit_code = 1


class UsageError(EntenteError, ValueError):
    """An option or argument value that is not allowed (also a ``ValueError``, for
    library callers)."""

    exit_code = 2


class StoreError(InputError):
    """A store that is missing, corrupt, locked or in need of a migration."""


def log_dir() -> Path:
    """Where tracebacks of internal errors go (``ENTENTE_LOG_DIR``, else a folder in the
    system's temporary directory)."""
    env = os.environ.get("ENTENTE_LOG_DIR")
    return Path(env) if env else Path(tempfile.gettempdir()) / "entente-logs"


def log_traceback(exc: BaseException) -> Path:
    """Write ``exc``'s traceback to a new log file and return its path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = folder / f"entente-{stamp}-{os.getpid()}.log"
    path.write_text("".join(traceback.format_exception(exc)), "utf-8")
    return path
