"""The read-only web API over a store (``entente serve``): FastAPI, served by uvicorn.

Every route is a thin call into the same library the command line uses — the store's
queries (:func:`entente.store.query_page`, :func:`entente.store.show`, …) and the
analysis functions (:mod:`entente.analysis`) — so the CLI, the API and the report read
one query layer; no SQL lives here. Parameters are checked by the same validators as the
CLI options; a bad value answers 422 with the reason, never a 500.

The server keeps the store open while it runs (one connection per server process, a
cursor per request: opening the file for every request cost more than most queries):
read-only, so other readers may open it at the same time, or — started with a token —
for writing, so that it takes analysts' corrections (:mod:`entente.web.writes`) and is
the store's only writer. Either way a writer (``entente code``, ``entente import``) is
told the store is in use until the server stops — DuckDB allows one writing process.
The evidence frame of the analysis routes is cached per store file state, origin and
write generation. Responses carry a strict
Content-Security-Policy, ``X-Content-Type-Options: nosniff`` and no referrer. The
interactive API docs (``/docs``, ``/redoc``) are served from the ``fastapi-offline``
package's own copies of Swagger UI and ReDoc: nothing is fetched from a CDN.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Query

from entente.errors import StoreError, UsageError

if TYPE_CHECKING:
    import pandas as pd
    from fastapi import FastAPI

    from entente.store import Store

API_CSP = "default-src 'none'; frame-ancestors 'none'"
#: the docs pages run Swagger UI / ReDoc from this server, with their inline start-up code
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)


def _fallback(value: Any) -> Any:
    """JSON for what ``json`` does not know: numpy scalars and arrays, dates."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _reply(value: Any, status: int = 200) -> Any:
    """A route's JSON answer, encoded once by the C encoder (FastAPI's own encoder walks
    every value in Python first: most of the time of a large answer)."""
    import json

    from fastapi.responses import Response

    body = json.dumps(_clean(value), ensure_ascii=False, allow_nan=False, default=_fallback,
                      separators=(",", ":"))  # fmt: skip
    return Response(body.encode("utf-8"), status_code=status, media_type="application/json")


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, dates ISO strings, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def create_app(db: Path, token: str | None = None) -> FastAPI:
    """The API application over the store ``db`` (which must exist, at the current
    schema: checked now, so a bad store fails at start-up, not at the first request).

    With ``token`` the server takes analysts' corrections (:mod:`entente.web.writes`):
    it opens the store for writing (migrating it if need be) and is its only writer
    while it runs; without one it is read-only and every write answers 401."""
    from fastapi import Request
    from fastapi.exception_handlers import request_validation_exception_handler
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from fastapi_offline import FastAPIOffline

    import entente
    from entente import options
    from entente.store import ORIGINS, Store
    from entente.web.pages import PAGE_CSP, add_pages, error_page
    from entente.web.writes import Auth, add_writes

    auth = Auth(token)
    if not Path(db).exists():
        raise StoreError(f"{db}: no such store (create one with: entente code FILES --db {db})")
    with Store(db, read_only=not auth.writable, create=False):
        pass
    app = FastAPIOffline(
        title="Entente",
        version=entente.__version__,
        description="Access to an Entente store: documents, coded records with "
        "their evidence, and the signed, time-aware network of states read from them; "
        "with the server's token, analysts' corrections.",
    )

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Any]) -> Any:
        response = await call_next(request)
        docs = request.url.path in ("/docs", "/redoc") or request.url.path.startswith(
            "/static-offline-docs"
        )
        api = request.url.path.startswith("/api/") or request.url.path == "/openapi.json"
        response.headers["Content-Security-Policy"] = (
            DOCS_CSP if docs else API_CSP if api else PAGE_CSP
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def failure(request: Request, status: int, message: str) -> Any:
        """JSON for the API, a page for a page."""
        if request.url.path.startswith("/api/"):
            return JSONResponse(status_code=status, content={"detail": message})
        return error_page(status, message)

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError) -> Any:
        return failure(request, 422, str(exc))

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> Any:
        return failure(request, 503, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, exc)
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return error_page(422, problems or "bad parameters")

    held: list[Store] = []
    lock = threading.Lock()
    write_lock = threading.Lock()
    #: bumped by every write: the evidence frame of the analyses is cached per value
    generation = [0]
    frames: dict[tuple[Any, ...], pd.DataFrame] = {}

    @contextmanager
    def store() -> Iterator[Store]:
        with lock:
            if not held:
                held.append(Store(db, read_only=not auth.writable, create=False))
        view = held[0].cursor()
        try:
            yield view
        finally:
            view.close()

    @contextmanager
    def writer() -> Iterator[Store]:
        """The store for one write; writes go one at a time."""
        with write_lock, store() as s:
            try:
                yield s
            finally:
                generation[0] += 1

    def close_store() -> None:
        with lock:
            while held:
                held.pop().close()

    app.state.close_store = close_store
    app.router.on_shutdown.append(close_store)
    if auth.writable:  # the store is this server's from the start, not from the first request
        with store():
            pass

    def found(get: Callable[[Store, str], Any], key: str, what: str) -> Any:
        """``get(store, key)``, or 404 when there is no such item."""
        from fastapi import HTTPException

        with store() as s:
            out = get(s, key)
        if out is None:
            raise HTTPException(status_code=404, detail=f"{key}: no such {what}")
        return _reply(out)

    def evidence(origin: str) -> pd.DataFrame:
        from entente.analysis import load

        origin = options.choice(origin, "origin", ORIGINS)
        st = Path(db).stat()
        key = (origin, generation[0], st.st_size, st.st_mtime)
        frame = frames.get(key)
        if frame is None:
            from entente.analysis.relations import NetworkIndex

            with store() as s:
                frame = load(s, origin)
            NetworkIndex.of(frame)  # the network at any date from now on: a search per tie
            with lock:
                while len(frames) >= 8:
                    frames.pop(next(iter(frames)))
                frames[key] = frame
        return frame

    def at_day(value: str | None) -> date | None:
        from entente.analysis import parse_at

        return parse_at(value)

    Limit = Query(50, ge=1, le=1000, description="Items per page (at most 1000).")
    Offset = Query(0, ge=0, description="Items to skip.")
    Origin = Query("all", description="text, dataset or all.")

    def records(table: str) -> Callable[..., Any]:
        def route(
            dyad: str | None = Query(None, description="Two codes, e.g. RUS-JPN."),
            actor: str | None = Query(None, description="A state or body on either side."),
            type: str | None = Query(None, description="PLOVER type (events only)."),
            since: str | None = Query(
                None, description="YYYY[-MM[-DD]]: interval ends on or after."
            ),
            until: str | None = Query(
                None, description="YYYY[-MM[-DD]]: interval starts on or before."
            ),
            min_confidence: float | None = Query(None, ge=0, le=1),
            origin: str = Origin,
            limit: int = Limit,
            offset: int = Offset,
        ) -> Any:
            from entente.store import query_page

            with store() as s:
                page = query_page(s, table, limit, offset, dyad=dyad, actor=actor, type=type,
                                  since=since, until=until, min_confidence=min_confidence,
                                  origin=origin)  # fmt: skip
            return _reply(page)

        route.__name__ = f"list_{table}"
        route.__doc__ = f"Stored {table}, filtered as `entente {table}` filters them, paginated."
        return route

    for table in ("events", "assessments", "quotes"):
        app.get(f"/api/{table}", name=table)(records(table))

    @app.get("/api/documents")
    def documents(limit: int = Limit, offset: int = Offset) -> Any:
        """Stored documents (texts and imported dataset files) with their record counts."""
        from entente.store import documents_page

        with store() as s:
            return _reply(documents_page(s, limit, offset))

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: str) -> Any:
        """A document: metadata, notes with their resolved citations, counts."""
        from entente.store import document as get

        return found(get, doc_id, "document")

    @app.get("/api/records/{record_id}")
    def record(record_id: str) -> Any:
        """A record with its evidence (as `entente show`): sentence, paragraph, note,
        citation, rule and score."""
        from entente.store import show

        return found(show, record_id, "record")

    @app.get("/api/relations")
    def relations(
        at: str | None = Query(None, description="YYYY, YYYY-MM or YYYY-MM-DD: the network then."),
        freq: str = Query("Y", description="M, Q or Y: scores per period (without `at`)."),
        dyad: Annotated[list[str] | None, Query(description="Only these pairs (repeat).")] = None,
        origin: str = Origin,
    ) -> Any:
        """Without `at`: dyad scores per period; with `at`: the signed network then."""
        from entente.analysis import dyad_scores, network_at
        from entente.analysis.relations import ties_table

        f = options.freq(freq, "freq")
        pairs = ["-".join(sorted(options.dyad(d, "dyad"))) for d in dyad or []]
        df = evidence(origin)
        if at is not None:
            when = at_day(at)
            rows = ties_table(network_at(df, when))
            if pairs:
                rows = [r for r in rows if r["pair"] in pairs]
            return _reply({"at": when, "ties": rows})
        scores = dyad_scores(df, f)
        if pairs:
            scores = scores[scores["pair"].isin(pairs)]
        return _reply({"freq": f, "scores": scores.to_dict(orient="records")})

    @app.get("/api/triangle")
    def triangle(
        states: str = Query(..., description="Three states, comma-separated: RUS,CHN,JPN."),
        at: str | None = Query(None),
        freq: str | None = Query(None, description="Also the reading per period (M, Q, Y)."),
        origin: str = Origin,
    ) -> Any:
        """Dittmer's type and roles of one triangle at a date (and per period)."""
        from entente.analysis import triangle_at, triangle_history

        names = [x for x in states.split(",") if x.strip()]
        if len(names) != 3:
            raise UsageError(f"states: give exactly three, got {len(names)}")
        x, y, z = (options.state(n.strip(), "states") for n in names)
        if len({x, y, z}) != 3:
            raise UsageError(f"states: three different states, got {x} {y} {z}")
        when = at_day(at)
        df = evidence(origin)
        out = {"at": when, **triangle_at(df, x, y, z, when).to_dict()}
        if freq is not None:
            out["history"] = triangle_history(df, x, y, z, options.freq(freq, "freq"), None, when)
        return _reply(out)

    @app.get("/api/triangles")
    def triangles(
        top: int = Query(10, ge=1, le=200), at: str | None = Query(None), origin: str = Origin
    ) -> Any:
        """The most-evidenced triads whose three ties are signed."""
        from entente.analysis import network_at, top_triads

        when = at_day(at)
        return _reply(
            {
                "at": when,
                "triads": [
                    t.to_dict() for t in top_triads(network_at(evidence(origin), when), top)
                ],
            }
        )

    @app.get("/api/balance")
    def balance(at: str | None = Query(None), origin: str = Origin) -> Any:
        """Structural balance of the signed network at a date."""
        from entente.analysis import balance as bal
        from entente.analysis import network_at

        when = at_day(at)
        return _reply({"at": when, **bal.analyse(network_at(evidence(origin), when)).to_dict()})

    @app.get("/api/whatif")
    def whatif(
        set: str = Query(..., description="A tie and its new sign: JPN-RUS:-1 (or =+1)."),
        at: str | None = Query(None),
        origin: str = Origin,
    ) -> Any:
        """Change one tie: triads whose balance changes and what balance expects."""
        from entente.analysis import balance as bal
        from entente.analysis import network_at

        a, b, value = options.tie_sign(set, "set")
        when = at_day(at)
        return _reply(bal.whatif(network_at(evidence(origin), when), f"{a}-{b}", value))

    @app.get("/api/dependence")
    def dependence(
        a: str = Query(..., description="The leading dyad, e.g. CHN-RUS."),
        b: str = Query(..., description="The following dyad, e.g. JPN-RUS."),
        freq: str = Query("Q"),
        max_lag: int = Query(4, ge=1, le=12),
        origin: str = Origin,
    ) -> Any:
        """Lagged correlation (and a Granger test with enough periods) between two dyads."""
        from entente.analysis.dependence import dependence as dep

        x = "-".join(options.dyad(a, "a"))
        y = "-".join(options.dyad(b, "b"))
        return _reply(dep(evidence(origin), x, y, options.freq(freq, "freq"), max_lag))

    @app.get("/api/network")
    def network(
        at: str | None = Query(
            None, description="YYYY, YYYY-MM or YYYY-MM-DD (default: all evidence)."
        ),
        freq: str = Query("Y", description="Y, Q or M: the periods listed for a time slider."),
        top: int = Query(40, ge=2, le=200, description="The most-evidenced states shown."),
        origin: str = Origin,
    ) -> Any:
        """The signed network at a date for drawing: states placed once from all the
        evidence (positions in [0, 1]², stable across dates), ties at `at` with sign,
        score, records, colour and width, and the periods that hold evidence."""
        from entente.analysis.network_svg import network_view

        f = options.freq(freq, "freq")
        return _reply(network_view(evidence(origin), at_day(at), f, top))

    add_pages(app, store, evidence, auth)
    add_writes(app, auth, writer, store)
    return app


_DB_ENV = "ENTENTE_SERVE_DB"


def app_from_env() -> FastAPI:
    """The application over the store named by ``ENTENTE_SERVE_DB`` (for uvicorn's worker
    processes, which import the application rather than receive it)."""
    return create_app(Path(os.environ[_DB_ENV]))


def serve(
    db: Path, host: str = "127.0.0.1", port: int = 8000, workers: int = 1, token: str | None = None
) -> None:
    """Run the web app and API with uvicorn until interrupted; ``workers`` processes
    (each holds the store open read-only). With ``token``, one process that takes
    corrections and is the store's writer; it leaves ``DB.serve.json`` beside the store
    while it runs, so ``entente correct`` can send changes through it."""
    import uvicorn

    from entente.web import remote

    if token is not None and workers > 1:
        raise UsageError("--workers: a server that takes corrections runs as one process")
    if workers <= 1:
        app = create_app(db, token)
        if token is not None:
            shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            remote.write_info(db, f"http://{shown}:{port}")
            # on shutdown, before uvicorn hands a SIGTERM back to the process
            app.router.on_shutdown.append(lambda: remote.remove_info(db))
        try:
            uvicorn.run(app, host=host, port=port, log_level="info")
        finally:
            if token is not None:
                remote.remove_info(db)
        return
    create_app(db)  # check the store now: a bad one fails here, not in every worker
    os.environ[_DB_ENV] = str(Path(db).resolve())
    uvicorn.run("entente.web:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="info")  # fmt: skip
