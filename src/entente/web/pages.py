"""The web app's pages: overview, dyad, triangle, documents, records and search.

Pages are rendered on the server with Jinja2 (autoescaping on: stored text, titles and
codes are escaped wherever they land) from the same query layer as the API and the CLI
(:mod:`entente.store`, :mod:`entente.store.browse`, :mod:`entente.analysis`). Charts
and the overview's time slider are drawn in the browser by ``app.js`` with plotly.js,
both served from this server: ``app.js`` and ``app.css`` ship in this package, and
plotly.js is the copy bundled in the ``plotly`` package from PyPI. Nothing is fetched
from elsewhere, and the pages' Content-Security-Policy allows scripts from this server
only (chart data rides in ``application/json`` blocks, which are never executed).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from entente.errors import UsageError

if TYPE_CHECKING:
    import jinja2
    import pandas as pd
    from fastapi import FastAPI

    from entente.store import Store
    from entente.web.writes import Auth

#: pages run only this server's scripts; plotly.js sets inline styles as it draws
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

#: the colours of the four quad classes in charts and badges
QUAD_COLOURS = {
    "verbal cooperation": "#66bb6a",
    "material cooperation": "#1b5e20",
    "verbal conflict": "#ef6c00",
    "material conflict": "#b71c1c",
}


def _static_dir() -> Path:
    return Path(str(resources.files("entente.web").joinpath("static")))


def asset_path(name: str) -> Path | None:
    """The file behind ``/assets/NAME``: this package's own assets, or plotly.js from
    the installed ``plotly`` package. Names outside that list have no file (no path
    from the request ever reaches the file system)."""
    own = {"app.js", "app.css"}
    if name in own:
        return _static_dir() / name
    if name == "plotly.min.js":
        try:
            return Path(str(resources.files("plotly").joinpath("package_data/plotly.min.js")))
        except ModuleNotFoundError:
            return None
    return None


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("entente.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["quad_colours"] = QUAD_COLOURS
    return env


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from ``templates/TEMPLATE`` (autoescaped)."""
    import entente

    html = _env().get_template(template).render(version=entente.__version__, **context)
    return HTMLResponse(html, status_code=status)


def error_page(status: int, message: str) -> HTMLResponse:
    """The page for a bad parameter (422) or a missing item (404)."""
    titles = {401: "Sign-in needed", 403: "Refused", 404: "Not found", 422: "Bad request",
              503: "Store unavailable"}  # fmt: skip
    return render("error.html.j2", status=status, title=titles.get(status, "Error"),
                  message=message, status_code=status)  # fmt: skip


def segments(text: str, view: dict[str, Any]) -> list[dict[str, Any]]:
    """A document's text cut into pieces for reading: each sentence (with the records
    coded from it, so it can be highlighted in place) and the text between, with note
    markers as their own pieces. Pieces never overlap and cover the text in order."""
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for r in view["records"]:
        if r["sentence"] is not None:
            by_sentence.setdefault(int(r["sentence"]), []).append(r)
    markers = sorted(
        (m for m in view["markers"] if m["start"] is not None), key=lambda m: m["start"]
    )
    out: list[dict[str, Any]] = []
    pos = 0

    def plain(upto: int, sentence: int | None, records: list[dict[str, Any]]) -> None:
        """Text from ``pos`` to ``upto`` with the markers inside it split out."""
        nonlocal pos
        while pos < upto:
            m = next((m for m in markers if pos <= m["start"] < upto), None)
            end = m["start"] if m is not None else upto
            if end > pos:
                out.append({"kind": "text", "text": text[pos:end], "sentence": sentence,
                            "records": records})  # fmt: skip
            if m is None:
                pos = upto
                break
            mend = max(m["end"], m["start"] + 1)
            out.append({"kind": "marker", "text": text[m["start"] : mend],
                        "number": m["number"], "linked": m["linked"], "sentence": sentence,
                        "records": records})  # fmt: skip
            markers.remove(m)
            pos = mend

    for s in view["sentence_spans"]:
        start, end = max(s["start"], pos), s["end"]
        if end <= pos:
            continue
        plain(start, None, [])
        out.append({"kind": "open", "sentence": s["index"],
                    "records": by_sentence.get(s["index"], [])})  # fmt: skip
        plain(end, s["index"], by_sentence.get(s["index"], []))
        out.append({"kind": "close", "sentence": s["index"],
                    "records": by_sentence.get(s["index"], [])})  # fmt: skip
    plain(len(text), None, [])
    return out


def _period_end(label: str) -> str:
    import pandas as pd

    return str(pd.Period(label).end_time.date())


def add_pages(
    app: FastAPI,
    store: Callable[[], AbstractContextManager[Store]],
    evidence: Callable[[str], pd.DataFrame],
    auth: Auth,
) -> None:
    """Add the pages and the assets to ``app``; ``store()`` opens the store,
    ``evidence(origin)`` gives the (cached) evidence frame of the analyses, ``auth``
    says whether the pages offer corrections (and to whom)."""
    from entente import options
    from entente.store import corrections as C

    @app.get("/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Any:
        path = asset_path(name)
        if path is None or not path.is_file():
            return error_page(404, f"{name}: no such asset")
        media = "text/javascript" if name.endswith(".js") else "text/css"
        return FileResponse(path, media_type=media, headers={"Cache-Control": "max-age=3600"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(
        freq: str = Query("Y", description="Y, Q or M: the slider's step."),
        origin: str = Query("all"),
    ) -> Any:
        f = options.freq(freq, "freq")
        o = options.choice(origin, "origin", ("text", "dataset", "all"))
        with store() as s:
            counts = s.counts()
        return render("overview.html.j2", title="Overview", freq=f, origin=o, counts=counts)

    @app.get("/dyad/{pair}", response_class=HTMLResponse, include_in_schema=False)
    def dyad(
        pair: str,
        type: str | None = Query(None),
        freq: str = Query("Q"),
        origin: str = Query("all"),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> Any:
        from entente.analysis import dyad_scores
        from entente.store import query_page
        from entente.store.browse import locate

        a, b = options.dyad(pair, "pair")
        key = "-".join(sorted((a, b)))
        f = options.freq(freq, "freq")
        t = options.event_type(type) if type else None
        scores = dyad_scores(evidence(origin), f)
        mine = scores[scores["pair"] == key]
        series = {
            "x": [_period_end(p) for p in mine["period"]],
            "score": [float(v) for v in mine["score"]],
            "n": [int(v) for v in mine["n"]],
        }
        with store() as s:
            events = query_page(s, "events", limit, offset, dyad=key, type=t, origin=origin)
            points = query_page(s, "events", 1000, 0, dyad=key, origin=origin)
            assessments: dict[str, Any] = {"items": [], "total": 0}
            if t is None and offset == 0:  # beside the first page of all events
                assessments = query_page(s, "assessments", limit, 0, dyad=key)
            locate(s, "events", events["items"])
            locate(s, "assessments", assessments["items"])
        chart = {
            "pair": key,
            "series": series,
            "events": [
                {"x": str(e["date_start"]), "y": e["intensity"], "quad": e["quad"],
                 "type": e["type"], "id": e["id"]}
                for e in points["items"] if e["date_start"] is not None
            ],
            "colours": QUAD_COLOURS,
        }  # fmt: skip
        return render(
            "dyad.html.j2", title=f"{key}", pair=key, a=a, b=b, type=t, freq=f, origin=origin,
            events=events, assessments=assessments, chart=chart, types=_types(),
        )  # fmt: skip

    @app.get("/triangle", response_class=HTMLResponse, include_in_schema=False)
    def triangle(
        states: str = Query("RUS,CHN,JPN"),
        at: str | None = Query(None),
        freq: str = Query("Y"),
        origin: str = Query("all"),
    ) -> Any:
        from entente.analysis import network_at, parse_at, triangle_from_ties, triangle_history
        from entente.analysis.relations import tie
        from entente.analysis.triangles import three_ties

        names = [x.strip() for x in states.split(",") if x.strip()]
        if len(names) != 3:
            raise UsageError(f"states: give exactly three, got {len(names)}")
        x, y, z = (options.state(n, "states") for n in names)
        if len({x, y, z}) != 3:
            raise UsageError(f"states: three different states, got {x} {y} {z}")
        f = options.freq(freq, "freq")
        when = parse_at(at)
        df = evidence(origin)
        ties = network_at(three_ties(df, x, y, z), when)
        reading = triangle_from_ties(x, y, z, ties).to_dict()
        history = triangle_history(df, x, y, z, f, None, when)
        legs = []
        for p, q in ((x, y), (x, z), (y, z)):
            t_ = tie(ties, p, q)
            legs.append({"pair": "-".join(sorted((p, q))), "score": t_.score if t_ else None,
                         "sign": t_.sign if t_ else None, "n": t_.n if t_ else 0,
                         "evidence": t_.evidence[:8] if t_ else []})  # fmt: skip
        return render(
            "triangle.html.j2", title=f"{x}–{y}–{z}", states=f"{x},{y},{z}", at=at or "",
            freq=f, origin=origin, reading=reading, history=history, legs=legs,
        )  # fmt: skip

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents(limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)) -> Any:
        from entente.store import documents_page

        with store() as s:
            page = documents_page(s, limit, offset)
        return render("documents.html.j2", title="Documents", page=page)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document(doc_id: str, request: Request) -> Any:
        from entente.store.browse import document_view

        with store() as s:
            view = document_view(s, doc_id)
            fixes = C.corrections(s, doc_id) if view is not None else []
        if view is None:
            return error_page(404, f"{doc_id}: no such document")
        return render("document.html.j2", title=view.get("title") or view["path"], doc=view,
                      pieces=segments(view["text"], view), corrections=fixes, types=_types(),
                      auth=auth.page(request), here=f"/documents/{doc_id}")  # fmt: skip

    @app.get("/records/{record_id}", response_class=HTMLResponse, include_in_schema=False)
    def record(record_id: str, request: Request) -> Any:
        from entente.store import show

        doc_id = record_id.rsplit(":", 1)[0]
        with store() as s:
            out = show(s, record_id)
            fixes = [c for c in C.corrections(s, doc_id) if c["record_id"] == record_id]
        if out is None:
            gone = [c for c in fixes if c["action"] == "wrong" and c["status"] == "applied"]
            if not gone:
                return error_page(404, f"{record_id}: no such record")
            return render("removed.html.j2", title=record_id, record_id=record_id,
                          correction=gone[-1], doc_id=doc_id, auth=auth.page(request),
                          here=f"/documents/{doc_id}")  # fmt: skip
        dataset = out["record"].get("origin") == "dataset"
        return render("record.html.j2", title=record_id, rec=out,
                      doc_id=None if dataset else doc_id, corrections=fixes, types=_types(),
                      auth=auth.page(request), here=f"/records/{record_id}")  # fmt: skip

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(
        q: str = Query("", max_length=500),
        state: str | None = Query(None),
        type: str | None = Query(None),
        since: str | None = Query(None),
        until: str | None = Query(None),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> Any:
        from entente.store.browse import search as find

        with store() as s:
            page = find(s, q, state or None, type or None, since or None, until or None,
                        limit, offset)  # fmt: skip
        return render(
            "search.html.j2", title="Search", q=q, state=state or "", type=type or "",
            since=since or "", until=until or "", page=page, types=_types(),
        )  # fmt: skip


def _types() -> list[str]:
    from entente.coding.ontology import EVENT_TYPES

    return sorted(EVENT_TYPES)
