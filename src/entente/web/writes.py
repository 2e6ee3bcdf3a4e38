"""Analysts' corrections through the server: the API's write routes, the sign-in, and
the forms on the record and document pages.

Writes need the server's token (``entente serve --token-file FILE`` or
``ENTENTE_TOKEN``); a server started without one is read-only and answers every write
with 401. The API takes the token as ``Authorization: Bearer TOKEN`` (a header no other
site can make a browser send). In the browser an analyst signs in once with the token
and a name; the server keeps the session in memory behind an ``HttpOnly``,
``SameSite=Strict`` cookie, and every form carries a CSRF field derived from that
session with a key the server draws at start-up, which a request from another site
cannot know. The corrections themselves are made by :mod:`entente.store.corrections`,
one at a time, through the server's own connection: while it runs, the server is the
store's only writer (``entente correct`` sends its changes here).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote

from fastapi import Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from entente.errors import UsageError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from entente.store import Store

SESSION_COOKIE = "entente_session"
#: the largest form or JSON body a write accepts
MAX_BODY = 16_384
#: sessions kept at once (the oldest go first)
MAX_SESSIONS = 256


class Unauthorised(Exception):
    """A write without a valid token or session (401), or with a bad CSRF field (403)."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


class Auth:
    """The token, the signed-in sessions and their CSRF values."""

    def __init__(self, token: str | None) -> None:
        self.token = token
        self._key = secrets.token_bytes(32)
        self._sessions: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def writable(self) -> bool:
        return self.token is not None

    def token_ok(self, given: str | None) -> bool:
        if self.token is None or not given:
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))

    def bearer(self, request: Request) -> bool:
        head = request.headers.get("authorization", "")
        scheme, _, value = head.partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(value.strip())

    def sign_in(self, author: str) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            while len(self._sessions) >= MAX_SESSIONS:
                self._sessions.pop(next(iter(self._sessions)))
            self._sessions[sid] = author
        return sid

    def sign_out(self, request: Request) -> None:
        sid = request.cookies.get(SESSION_COOKIE)
        with self._lock:
            self._sessions.pop(sid or "", None)

    def author(self, request: Request) -> str | None:
        """The signed-in analyst's name, or None."""
        if not self.writable:
            return None
        sid = request.cookies.get(SESSION_COOKIE)
        with self._lock:
            return self._sessions.get(sid) if sid else None

    def csrf(self, request: Request) -> str | None:
        sid = request.cookies.get(SESSION_COOKIE)
        if not sid or self.author(request) is None:
            return None
        return hmac.new(self._key, sid.encode("utf-8"), hashlib.sha256).hexdigest()

    def page(self, request: Request) -> dict[str, Any]:
        """What a page needs to offer corrections: whether the server takes them, who is
        signed in, and the CSRF value for its forms."""
        return {"writable": self.writable, "author": self.author(request),
                "csrf": self.csrf(request)}  # fmt: skip

    def form_author(self, request: Request, form: dict[str, str]) -> str:
        """The author of a form post: a signed-in session whose CSRF field matches."""
        if not self.writable:
            raise Unauthorised("this server is read-only (started without a token)")
        author = self.author(request)
        if author is None:
            raise Unauthorised("sign in with the server's token to make corrections")
        expected = self.csrf(request) or ""
        if not hmac.compare_digest(form.get("csrf", "").encode(), expected.encode()):
            raise Unauthorised("the form's CSRF field is missing or wrong; reload the page", 403)
        return author


async def _form(request: Request) -> dict[str, str]:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise UsageError("send the form as application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise UsageError(f"the form is larger than {MAX_BODY} bytes")
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[-1] for k, v in parsed.items()}


async def _json(request: Request) -> dict[str, Any]:
    import json

    body = await request.body()
    if len(body) > MAX_BODY:
        raise UsageError(f"the body is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body or b"{}")
    except ValueError as exc:
        raise UsageError(f"the body is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError("the body must be a JSON object")
    return data


def _codes(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [p.strip() for p in value.replace("+", ",").split(",") if p.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise UsageError("source/target: a list of codes or a comma-separated string")


def change_from(data: dict[str, Any], author: str) -> Any:
    """A :class:`~entente.store.corrections.Change` from an API body or a form."""
    from entente.store.corrections import Change

    allowed = {"action", "record_id", "doc_id", "sentence", "type", "source", "target", "date",
               "note", "author", "csrf"}  # fmt: skip
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise UsageError(f"unknown field(s): {', '.join(unknown)}")
    sentence = data.get("sentence")
    if sentence not in (None, ""):
        try:
            sentence = int(sentence)
        except (TypeError, ValueError) as exc:
            raise UsageError(f"sentence {sentence!r}: give the sentence's index") from exc
    else:
        sentence = None

    def text(key: str) -> str | None:
        v = data.get(key)
        if v is None or v == "":
            return None
        if not isinstance(v, str):
            raise UsageError(f"{key}: give a string")
        return v

    def codes(key: str) -> list[str] | None:
        """A side's codes; a blank field leaves it as it is (None), except that an added
        event's blank target makes it a joint act ([])."""
        v = data.get(key)
        if v is None or v == "":
            return [] if key == "target" and data.get("action") == "add" else None
        return _codes(v)

    return Change(
        action=str(data.get("action") or ""), author=author, record_id=text("record_id"),
        doc_id=text("doc_id"), sentence=sentence, type=text("type"), source=codes("source"),
        target=codes("target"), date=text("date"), note=text("note"),
    )  # fmt: skip


def add_writes(
    app: FastAPI,
    auth: Auth,
    writer: Callable[[], AbstractContextManager[Store]],
    store: Callable[[], AbstractContextManager[Store]],
) -> None:
    """The write routes: ``writer()`` gives the store for one write (one at a time)."""
    from entente.store import corrections as C
    from entente.web.pages import error_page, render

    @app.exception_handler(Unauthorised)
    async def _unauthorised(request: Request, exc: Unauthorised) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse(status_code=exc.status, content={"detail": str(exc)},
                                headers={"WWW-Authenticate": "Bearer"})  # fmt: skip
        return error_page(exc.status, str(exc))

    def api_author(request: Request, data: dict[str, Any]) -> str:
        if not auth.writable:
            raise Unauthorised("this server is read-only (started without a token)")
        if not auth.bearer(request):
            raise Unauthorised("give the server's token: Authorization: Bearer TOKEN")
        author = data.pop("author", None)
        if not isinstance(author, str) or not author.strip():
            author = "api"
        return author

    @app.get("/api/corrections")
    def list_corrections(
        doc_id: str | None = Query(None, description="One document's corrections."),
        status: str | None = Query(
            None, description="applied, orphaned, coded, superseded, withdrawn."
        ),
        limit: int = Query(50, ge=1, le=1000),
        offset: int = Query(0, ge=0),
    ) -> Any:
        """Analysts' corrections, oldest first: who, when, what, and whether each still
        applies (``orphaned``: its record is no longer coded)."""
        from entente.web import _reply

        with store() as s:
            rows = C.corrections(s, doc_id, status)
        return _reply({"total": len(rows), "limit": limit, "offset": offset,
                       "items": rows[offset : offset + limit]})  # fmt: skip

    @app.post("/api/corrections", status_code=201)
    async def make_correction(request: Request) -> Any:
        """Make a correction (needs the token as ``Authorization: Bearer``). Body:
        ``{"action": "wrong", "record_id": ...}``, ``{"action": "fix", "record_id": ...,
        "type"/"source"/"target"/"date": ...}`` or ``{"action": "add", "doc_id": ...,
        "sentence": N, "type": ..., "source": [...], "target": [...]}``, with ``author``
        and ``note``."""
        from entente.web import _reply

        data = await _json(request)
        author = api_author(request, data)
        change = change_from(data, author)
        with writer() as s:
            return _reply(C.correct(s, change), 201)

    @app.post("/api/corrections/{correction_id}/withdraw")
    async def withdraw_correction(correction_id: str, request: Request) -> Any:
        """Undo a correction (needs the token)."""
        from entente.web import _reply

        api_author(request, {})
        with writer() as s:
            return _reply(C.withdraw(s, correction_id))

    def safe_next(value: str | None, default: str = "/") -> str:
        if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
            return default
        return value

    @app.get("/signin", include_in_schema=False)
    def signin_page(request: Request, next: str | None = Query(None)) -> Any:
        return render("signin.html.j2", title="Sign in", next=safe_next(next),
                      auth=auth.page(request))  # fmt: skip

    @app.post("/signin", include_in_schema=False)
    async def signin(request: Request) -> Any:
        form = await _form(request)
        if not auth.writable:
            raise Unauthorised("this server is read-only (started without a token)")
        if not auth.token_ok(form.get("token")):
            return render("signin.html.j2", status=401, title="Sign in",
                          next=safe_next(form.get("next")), auth=auth.page(request),
                          error="That is not this server's token.")  # fmt: skip
        name = (form.get("author") or "").strip()
        if not name or len(name) > 100:
            raise UsageError("author: give your name (1-100 characters)")
        sid = auth.sign_in(name)
        resp = RedirectResponse(safe_next(form.get("next")), status_code=303)
        resp.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", path="/")
        return resp

    @app.post("/signout", include_in_schema=False)
    async def signout(request: Request) -> Any:
        form = await _form(request)
        auth.form_author(request, form)
        auth.sign_out(request)
        resp = RedirectResponse("/", status_code=303)
        resp.delete_cookie(SESSION_COOKIE, path="/")
        return resp

    @app.post("/corrections", include_in_schema=False)
    async def correct_form(request: Request) -> Any:
        """A correction from the record or the document page."""
        form = await _form(request)
        author = auth.form_author(request, form)
        form.pop("csrf", None)
        back = safe_next(form.pop("next", None))
        change = change_from(form, author)
        with writer() as s:
            c = C.correct(s, change)
        if c["status"] == "withdrawn" or change.action == "wrong":
            return RedirectResponse(back, status_code=303)
        rid = c.get("record_id")
        return RedirectResponse(f"/records/{quote(rid, safe=':')}" if rid else back,
                                status_code=303)  # fmt: skip

    @app.post("/corrections/{correction_id}/withdraw", include_in_schema=False)
    async def withdraw_form(correction_id: str, request: Request) -> Any:
        form = await _form(request)
        auth.form_author(request, form)
        with writer() as s:
            C.withdraw(s, correction_id)
        return RedirectResponse(safe_next(form.get("next")), status_code=303)

    @app.get("/corrections", include_in_schema=False)
    def corrections_page(
        request: Request,
        status: str | None = Query(None),
        doc_id: str | None = Query(None),
    ) -> Any:
        with store() as s:
            rows = C.corrections(s, doc_id, status or None)
        return render("corrections.html.j2", title="Corrections", rows=rows,
                      selected=status or "", statuses=C.STATUSES, auth=auth.page(request))  # fmt: skip
