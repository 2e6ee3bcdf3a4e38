"""Talking to a running ``entente serve`` from the command line.

DuckDB lets one process write a store. While ``entente serve --token-file`` runs, the
server is that writer: it leaves ``STORE.serve.json`` beside the store (its address and
process id; removed when it stops), and ``entente correct`` sends its change through the
server's API with the token instead of opening the store itself.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from entente.errors import StoreError, UsageError
from entente.store import serve_info, serve_info_path

#: the environment variable that holds the token for writes
TOKEN_ENV = "ENTENTE_TOKEN"


def write_info(db: str | Path, url: str) -> Path:
    path = serve_info_path(db)
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    return path


def remove_info(db: str | Path) -> None:
    info = serve_info(db)
    if info is not None and info[1] == os.getpid():
        serve_info_path(db).unlink(missing_ok=True)


def server_for(db: str | Path) -> str | None:
    """The address of the server that holds ``db`` for writing, if one is running."""
    info = serve_info(db)
    if info is None:
        return None
    url, pid = info
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return url


def read_token(token_file: Path | None) -> str | None:
    """The token from ``token_file`` (first line) or ``ENTENTE_TOKEN``; None if neither."""
    if token_file is not None:
        try:
            token = token_file.read_text("utf-8").strip().splitlines()
        except OSError as exc:
            raise UsageError(f"{token_file}: cannot read the token file ({exc.strerror})") from exc
        if not token or not token[0].strip():
            raise UsageError(f"{token_file}: the token file is empty")
        return token[0].strip()
    value = os.environ.get(TOKEN_ENV, "").strip()
    return value or None


def send(url: str, path: str, payload: dict[str, Any], token: str | None) -> dict[str, Any]:
    """POST ``payload`` as JSON to the server's ``path`` with the token; the answer's
    JSON, or a :class:`UsageError` / :class:`StoreError` saying why not."""
    if not token:
        raise UsageError(
            f"the store is held by the server at {url}; give its token "
            f"({TOKEN_ENV} or --token-file) to send the correction through it"
        )
    req = urllib.request.Request(
        url.rstrip("/") + path,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return dict(json.loads(resp.read().decode("utf-8")))
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read().decode("utf-8")).get("detail")
        except ValueError:
            detail = exc.reason
        if exc.code == 401:
            raise UsageError(f"the server at {url} refused the token") from exc
        if exc.code in (404, 422):
            raise UsageError(str(detail)) from exc
        raise StoreError(f"the server at {url} answered {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(
            f"the store is busy and the server at {url} does not answer ({exc})"
        ) from exc
