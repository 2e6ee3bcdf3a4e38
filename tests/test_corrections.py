"""Analysts' corrections: kept in their own table, applied on top of the coded records in
every view, analysis and export, keyed by content so they survive re-coding, listed as
orphaned when their record goes; made from the library, the command line, the API (with
the token) and the pages (signed in, with CSRF); a server that holds the store receives
`entente correct`'s changes; the corrected documents export as gold files."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from entente import batch
from entente.cli import app as cli
from entente.store import Store, query_page
from entente.store import corrections as C
from entente.web import create_app, remote

WIRE = (
    "MOSCOW, March 22, 2015 — Russia agreed to sell fighter jets to China. "
    "Japan protested to Russia after a Russian plane entered its airspace. "
    "China and Japan held talks in Beijing.\n"
)
TOKEN = "s3cret-token-for-tests"
HOSTILE = '<img src=x onerror="alert(1)">'


def _store(tmp: Path, text: str = WIRE) -> tuple[Path, Path]:
    corpus = tmp / "c"
    corpus.mkdir(exist_ok=True)
    (corpus / "wire.txt").write_text(text)
    db = tmp / "s.duckdb"
    with Store(db) as s:
        t = batch.run([corpus], s)
    assert not t.errors
    return db, corpus


def _events(s: Store) -> dict[str, tuple[str, list[str], list[str]]]:
    return {
        i: (t, list(a), list(b))
        for i, t, a, b in s.con.execute("SELECT id, type, source, target FROM events").fetchall()
    }


def _by_type(s: Store, typ: str) -> str:
    return next(i for i, (t, _a, _b) in _events(s).items() if t == typ)


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path, _ = _store(tmp_path)
    with Store(path) as s:
        types = sorted(t for t, _a, _b in _events(s).values())
    assert types == ["ACCUSE", "AGREE", "CONSULT"], types
    return path


def _entente(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the ``entente`` command as a user does (errors end as one line)."""
    import sys

    from entente.cli import main

    capsys.readouterr()
    old, sys.argv = sys.argv, ["entente", *args]
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.argv = old
    out = capsys.readouterr()
    return code, out.out + out.err


def _doc(s: Store) -> str:
    return str(s.con.execute("SELECT id FROM documents").fetchone()[0])


def test_fix_wrong_and_add_reach_every_view(db: Path, tmp_path: Path) -> None:
    from entente.analysis import load, network_at
    from entente.store.export import export

    with Store(db) as s:
        agree, accuse = _by_type(s, "AGREE"), _by_type(s, "ACCUSE")
        fixed = C.correct(s, C.Change("fix", "ann", record_id=agree, type="sanction",
                                      note="the sale was blocked"))  # fmt: skip
        assert fixed["status"] == "applied" and fixed["record_id"] == agree
        gone = C.correct(s, C.Change("wrong", "ann", record_id=accuse))
        added = C.correct(s, C.Change("add", "bob", doc_id=_doc(s), sentence=1, type="THREATEN",
                                      source=["Russia"], target=["JPN"], date="2015-03"))  # fmt: skip
        assert gone["status"] == added["status"] == "applied"
        ev = _events(s)
        assert ev[agree] == ("SANCTION", ["RUS"], ["CHN"])
        assert accuse not in ev
        assert ev[added["record_id"]] == ("THREATEN", ["RUS"], ["JPN"])
        # the query layer (CLI, API, pages) and the analyses read the corrected rows
        page = query_page(s, "events", 50, 0, dyad="RUS-CHN")
        assert [e["type"] for e in page["items"]] == ["SANCTION"]
        ties = network_at(load(s, "all"), None)
        assert ties["CHN-RUS"].sign == -1  # an agreement became a sanction
        rec = json.loads(
            s.con.execute("SELECT record FROM events WHERE id = ?", [agree]).fetchone()[0]
        )
        assert rec["correction"]["author"] == "ann" and rec["rule"] != "analyst"
        assert rec["correction"]["note"] == "the sale was blocked"
        new = json.loads(
            s.con.execute(
                "SELECT record FROM events WHERE id = ?", [added["record_id"]]
            ).fetchone()[0]
        )
        assert new["rule"] == "analyst" and new["date_start"] == "2015-03-01"
        assert new["sentence"].startswith("Japan protested")
        export(s, "plover", tmp_path / "p.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert sorted(x["event"][0] for x in lines) == ["CONSULT", "SANCTION", "THREATEN"]


def test_the_same_correction_twice_changes_nothing(db: Path) -> None:
    with Store(db) as s:
        agree = _by_type(s, "AGREE")
        a = C.correct(s, C.Change("fix", "ann", record_id=agree, type="SUPPORT"))
        doc = _doc(s)
        add = C.Change("add", "ann", doc_id=doc, sentence=2, type="AGREE", source=["CHN", "JPN"])
        b1, b2 = C.correct(s, add), C.correct(s, add)
        assert b1["id"] == b2["id"]
        assert len(C.corrections(s)) == 2
        assert sum(1 for t, _a, _b in _events(s).values() if t == "AGREE") == 1
        assert a["status"] == "applied"


def test_corrections_survive_recoding_and_orphans_are_listed(db: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    with Store(db) as s:
        agree, accuse = _by_type(s, "AGREE"), _by_type(s, "ACCUSE")
        C.correct(s, C.Change("fix", "ann", record_id=agree, type="SUPPORT"))
        C.correct(s, C.Change("wrong", "ann", record_id=accuse))
        add = C.correct(s, C.Change("add", "ann", doc_id=_doc(s), sentence=1, type="THREATEN",
                                    source=["RUS"], target=["JPN"]))  # fmt: skip
        before = _events(s)
        # coded again (a new Entente version, say): same rows, corrections applied again
        t = batch.run([corpus], s, recode=True)
        assert t.new == 1
        assert _events(s) == before
        assert {c["status"] for c in C.corrections(s)} == {"applied"}
        # the text changes: the old text's corrections wait, orphaned
        (corpus / "wire.txt").write_text(WIRE.replace("Beijing", "Shanghai") + "More.\n")
        batch.run([corpus], s)
        orphans = C.corrections(s, status="orphaned")
        assert len(orphans) == 3
        assert all(c["doc_id"] != _doc(s) for c in orphans)
        assert add["record_id"] not in _events(s)


def test_an_addition_the_coder_now_makes_is_not_doubled(db: Path) -> None:
    with Store(db) as s:
        consult = _by_type(s, "CONSULT")
        _, src, tgt = _events(s)[consult]
        c = C.correct(
            s, C.Change("add", "ann", doc_id=_doc(s), sentence=2, type="CONSULT", source=src,
                        target=tgt),
        )  # fmt: skip
        assert c["status"] == "coded" and c["record_id"] == consult
        assert len(_events(s)) == 3


def test_withdraw_and_supersede_restore_what_the_coder_said(db: Path) -> None:
    with Store(db) as s:
        agree = _by_type(s, "AGREE")
        first = C.correct(s, C.Change("fix", "ann", record_id=agree, type="SUPPORT"))
        second = C.correct(s, C.Change("fix", "bob", record_id=agree, target=["JPN"]))
        # the second builds on the first, keyed to what the coder said
        assert _events(s)[agree] == ("SUPPORT", ["RUS"], ["JPN"])
        states = {c["id"]: c["status"] for c in C.corrections(s)}
        assert states == {first["id"]: "superseded", second["id"]: "applied"}
        assert second["key_label"] == "AGREE" and second["replaces"] == first["id"]
        C.withdraw(s, second["id"])
        assert _events(s)[agree] == ("AGREE", ["RUS"], ["CHN"])
        wrong = C.correct(s, C.Change("wrong", "ann", record_id=agree))
        assert agree not in _events(s)
        C.withdraw(s, wrong["id"])
        assert _events(s)[agree] == ("AGREE", ["RUS"], ["CHN"])
        with pytest.raises(C.UsageError, match="already withdrawn"):
            C.withdraw(s, wrong["id"])
        added = C.correct(s, C.Change("add", "ann", doc_id=_doc(s), sentence=0, type="ASSAULT",
                                      source=["RUS"], target=["CHN"]))  # fmt: skip
        refixed = C.correct(s, C.Change("fix", "ann", record_id=added["record_id"],
                                        type="COERCE"))  # fmt: skip
        assert refixed["action"] == "add" and _events(s)[refixed["record_id"]][0] == "COERCE"
        assert added["record_id"] not in _events(s)
        C.correct(s, C.Change("wrong", "ann", record_id=refixed["record_id"]))
        assert len(_events(s)) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (C.Change("fix", "ann", record_id="nope:e0", type="SUPPORT"), "no such record"),
        (C.Change("fix", "ann", record_id="x", type="SUPPORT"), "not a record id"),
        (C.Change("fix", "ann", record_id="a:e0"), "give a new type"),
        (C.Change("fix", "ann", record_id="a:e0", type="FRIENDLY"), "type"),
        (C.Change("fix", "ann", record_id="a:e0", source=["Atlantis"]), "Atlantis"),
        (C.Change("fix", "ann", record_id="a:e0", date="March"), "date"),
        (C.Change("wrong", "", record_id="a:e0"), "author"),
        (C.Change("undo", "ann", record_id="a:e0"), "action"),
        (
            C.Change(
                "add",
                "ann",
                doc_id="nope",
                sentence=0,
                type="AGREE",
                source=["RUS"],
                target=["CHN"],
            ),
            "no such document",
        ),
        (
            C.Change(
                "add",
                "ann",
                doc_id="DOC",
                sentence=99,
                type="AGREE",
                source=["RUS"],
                target=["CHN"],
            ),
            "no sentence 99",
        ),
        (
            C.Change(
                "add", "ann", doc_id="DOC", sentence=0, type="AGREE", source=["RUS"], target=["RUS"]
            ),
            "both sides",
        ),
        (
            C.Change("add", "ann", doc_id="DOC", sentence=0, type="AGREE", source=["RUS"]),
            "two or more",
        ),
    ],
)
def test_bad_corrections_say_why_and_change_nothing(
    db: Path, change: C.Change, message: str
) -> None:
    with Store(db) as s:
        if change.doc_id == "DOC":
            change.doc_id = _doc(s)
        before = _events(s)
        with pytest.raises(C.UsageError, match=message):
            C.correct(s, change)
        assert _events(s) == before and C.corrections(s) == []


def test_gold_export_of_reviewed_documents(db: Path, tmp_path: Path) -> None:
    from entente.evaluate import evaluate_dir
    from entente.evaluate.gold import check_dir
    from entente.store.export import export

    out = tmp_path / "gold"
    with Store(db) as s:
        assert export(s, "gold", out) == {"documents": 0, "events": 0, "assessments": 0}
        C.correct(s, C.Change("fix", "ann", record_id=_by_type(s, "AGREE"), type="SUPPORT"))
        counts = export(s, "gold", out)
    assert counts["documents"] == 1 and counts["events"] == 3
    assert check_dir(out) == {}
    gold = json.loads(next(out.glob("*.gold.json")).read_text())
    assert gold["reviewed_by"] == ["ann"] and gold["doc_date"] == "2015-03-22"
    assert {e["type"] for e in gold["events"]} == {"SUPPORT", "ACCUSE", "CONSULT"}
    summary, _ = evaluate_dir(out, coder="rules")
    assert summary["events"]["gold"] == 3


def test_command_line(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runner = CliRunner()
    with Store(db, read_only=True) as s:
        agree, doc = _by_type(s, "AGREE"), _doc(s)
    r = runner.invoke(cli, ["correct", "fix", agree, "--db", str(db), "--type", "support",
                            "--target", "Japan", "--author", "ann"])  # fmt: skip
    assert r.exit_code == 0, r.output
    made = json.loads(r.stdout.strip().splitlines()[-1])
    assert made["status"] == "applied" and made["target"] == ["JPN"]
    r = runner.invoke(cli, ["correct", "add", doc, "1", "--db", str(db), "--type", "threaten",
                            "--source", "RUS", "--target", "JPN"])  # fmt: skip
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["correct", "list", "--db", str(db), "--format", "jsonl"])
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["action"] for x in rows] == ["fix", "add"] and rows[0]["author"] == "ann"
    r = runner.invoke(cli, ["correct", "list", "--db", str(db)])
    assert r.exit_code == 0 and "applied" in r.stdout
    code, said = _entente(["correct", "fix", "nope:e1", "--db", str(db), "--type", "AGREE"], capsys)
    assert code != 0 and "no such record" in said and "Traceback" not in said
    r = runner.invoke(cli, ["correct", "withdraw", made["id"], "--db", str(db)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["code", str(tmp_path / "c"), "--db", str(db), "--recode",
                            "--workers", "1"])  # fmt: skip
    assert r.exit_code == 0, r.output
    with Store(db, read_only=True) as s:
        assert _events(s)[agree][0] == "AGREE"
        assert sum(1 for t, _a, _b in _events(s).values() if t == "THREATEN") == 1
    out = tmp_path / "gold"
    r = runner.invoke(cli, ["export", str(out), "--format", "gold", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert len(list(out.glob("*.gold.json"))) == 1


# ---------------------------------------------------------------- the server


def _client(db: Path, token: str | None) -> TestClient:
    return TestClient(create_app(db, token), raise_server_exceptions=False)


def test_a_server_without_a_token_refuses_every_write(db: Path) -> None:
    c = _client(db, None)
    with Store(db, read_only=True) as s:
        agree = _by_type(s, "AGREE")
    body = {"action": "wrong", "record_id": agree}
    assert c.post("/api/corrections", json=body).status_code == 401
    assert (
        c.post("/api/corrections", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    ).status_code == 401
    assert c.post("/api/corrections/cabc/withdraw").status_code == 401
    assert c.post("/signin", data={"token": TOKEN, "author": "x"}).status_code == 401
    assert c.post("/corrections", data={**body, "csrf": "x"}).status_code == 401
    page = c.get(f"/records/{agree}").text
    assert "Correct this record" not in page and "read-only" in page
    assert c.get("/api/corrections").json()["total"] == 0


def test_api_writes_need_the_token_and_reach_the_analyses(db: Path) -> None:
    c = _client(db, TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    rid = c.get("/api/events", params={"type": "AGREE"}).json()["items"][0]["id"]
    before = c.get("/api/relations", params={"at": "2015-12"}).json()
    sign = {t["pair"]: t["sign"] for t in before["ties"]}
    assert sign["CHN-RUS"] == 1
    body = {"action": "fix", "record_id": rid, "type": "SANCTION", "author": "ann"}
    assert c.post("/api/corrections", json=body).status_code == 401
    bad = {"Authorization": "Bearer wrong"}
    assert c.post("/api/corrections", json=body, headers=bad).status_code == 401
    r = c.post("/api/corrections", json=body, headers=auth)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["author"] == "ann" and made["status"] == "applied"
    after = c.get("/api/relations", params={"at": "2015-12"}).json()
    assert {t["pair"]: t["sign"] for t in after["ties"]}["CHN-RUS"] == -1
    assert c.get(f"/api/records/{rid}").json()["record"]["type"] == "SANCTION"
    listed = c.get("/api/corrections", params={"status": "applied"}).json()
    assert [x["id"] for x in listed["items"]] == [made["id"]]
    r = c.post(f"/api/corrections/{made['id']}/withdraw", headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert c.get(f"/api/records/{rid}").json()["record"]["type"] == "AGREE"


@pytest.mark.parametrize(
    "body",
    [
        {"action": "fix", "record_id": "x' OR 1=1 --", "type": "AGREE"},
        {"action": "fix", "record_id": "RID", "type": "AGREE'; DROP TABLE events; --"},
        {"action": "fix", "record_id": "RID", "source": ["RUS'); DELETE FROM events; --"]},
        {
            "action": "add",
            "doc_id": "x' OR '1'='1",
            "sentence": 0,
            "type": "AGREE",
            "source": ["RUS"],
            "target": ["CHN"],
        },
        {
            "action": "add",
            "doc_id": "DOC",
            "sentence": "0 OR 1=1",
            "type": "AGREE",
            "source": ["RUS"],
            "target": ["CHN"],
        },
        {"action": "wrong", "record_id": "RID", "evil": 1},
        {"action": "fix", "record_id": "RID", "date": "2015-13-45"},
        {"action": "fix", "record_id": "RID", "source": {"a": 1}},
        ["not", "an", "object"],
    ],
)
def test_hostile_bodies_get_422_and_change_nothing(db: Path, body: Any) -> None:
    c = _client(db, TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    items = c.get("/api/events").json()["items"]
    if isinstance(body, dict):
        body = {k: (items[0]["id"] if v == "RID" else v) for k, v in body.items()}
        if body.get("doc_id") == "DOC":
            body["doc_id"] = c.get("/api/documents").json()["items"][0]["id"]
    r = c.post("/api/corrections", json=body, headers=auth)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]
    assert c.get("/api/events").json()["items"] == items
    assert c.get("/api/corrections").json()["total"] == 0


def test_oversized_body_is_refused(db: Path) -> None:
    c = _client(db, TOKEN)
    r = c.post(
        "/api/corrections",
        content=b'{"note": "' + b"x" * 20_000 + b'"}',
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert r.status_code == 422


def _csrf(page: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert m, "no CSRF field on the page"
    return m.group(1)


def test_pages_sign_in_check_csrf_and_escape_notes(db: Path) -> None:
    c = _client(db, TOKEN)
    rid = c.get("/api/events", params={"type": "AGREE"}).json()["items"][0]["id"]
    page = c.get(f"/records/{rid}").text
    assert "signin-to-correct" in page and "fix-form" not in page
    r = c.post("/signin", data={"token": "wrong", "author": "ann"})
    assert r.status_code == 401 and "not this server" in r.text
    r = c.post("/signin", data={"token": TOKEN, "author": "ann", "next": "//evil.example/"},
               follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = c.get(f"/records/{rid}").text
    token = _csrf(page)
    form = {"action": "fix", "record_id": rid, "type": "SUPPORT", "note": HOSTILE}
    # without the CSRF field, or with another, the form is refused
    assert c.post("/corrections", data=form).status_code == 403
    assert c.post("/corrections", data={**form, "csrf": "0" * 64}).status_code == 403
    r = c.post("/corrections", data={**form, "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/records/{rid}"
    page = c.get(f"/records/{rid}").text
    assert 'id="corrected"' in page and "SUPPORT" in page
    assert HOSTILE not in page and "&lt;img" in page
    listing = c.get("/corrections").text
    assert HOSTILE not in listing and "ann" in listing
    # another client (no session) cannot use the form even with a copied CSRF value
    other = _client(db, TOKEN)
    assert other.post("/corrections", data={**form, "csrf": token}).status_code == 401


@pytest.fixture()
def live(db: Path) -> Iterator[str]:
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, TOKEN), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    url = f"http://127.0.0.1:{port}"
    remote.write_info(db, url)
    yield url
    remote.remove_info(db)
    server.should_exit = True
    thread.join(timeout=10)


def test_correct_goes_through_the_server_that_holds_the_store(
    db: Path,
    live: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import urllib.request

    runner = CliRunner()
    with urllib.request.urlopen(f"{live}/api/events?type=AGREE") as resp:
        rid = json.loads(resp.read())["items"][0]["id"]
    monkeypatch.delenv(remote.TOKEN_ENV, raising=False)
    code, said = _entente(["correct", "wrong", rid, "--db", str(db)], capsys)
    assert code != 0 and "token" in said and live in said
    bad = tmp_path / "bad.token"
    bad.write_text("nope\n")
    args = ["correct", "wrong", rid, "--db", str(db), "--token-file", str(bad)]
    code, said = _entente(args, capsys)
    assert code != 0 and "refused the token" in said
    monkeypatch.setenv(remote.TOKEN_ENV, TOKEN)
    r = runner.invoke(cli, ["correct", "wrong", rid, "--db", str(db), "--author", "ann"])
    assert r.exit_code == 0, r.output
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(f"{live}/api/records/{rid}")
    assert gone.value.code == 404


def test_a_store_held_by_another_writer_is_reported_busy(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); "
         "time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code, said = _entente(["correct", "wrong", "x:e0", "--db", str(db)], capsys)
        assert code != 0
        assert "in use" in said and "entente serve" in said
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    from pagecheck import chrome

    with chrome(request.param) as d:
        yield d


def test_an_analyst_corrects_in_the_browser(browser: Any, live: str) -> None:
    """Sign in with the token, fix an event from its page and see the record and the
    dyad change; pick a sentence in the document and add a missed event; withdraw it."""
    import urllib.request

    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from pagecheck import fits, no_errors, ready

    with urllib.request.urlopen(f"{live}/api/events?type=AGREE") as resp:
        item = json.loads(resp.read())["items"][0]
    rid, doc = item["id"], item["id"].rsplit(":", 1)[0]
    d = browser
    d.get(f"{live}/records/{rid}")
    ready(d)
    assert not d.find_elements(By.ID, "fix-form")
    d.find_element(By.ID, "signin-to-correct").click()
    WebDriverWait(d, 10).until(lambda d: "/signin" in d.current_url)
    d.find_element(By.ID, "signin-author").send_keys("Ann Analyst")
    d.find_element(By.ID, "signin-token").send_keys(TOKEN)
    d.find_element(By.ID, "signin-submit").click()
    WebDriverWait(d, 10).until(lambda d: d.current_url.endswith(f"/records/{rid}"))
    ready(d)
    fits(d)
    Select(d.find_element(By.ID, "fix-type")).select_by_value("SANCTION")
    d.find_element(By.ID, "fix-submit").click()
    WebDriverWait(d, 10).until(lambda d: d.find_elements(By.ID, "corrected"))
    assert "Ann Analyst" in d.find_element(By.ID, "corrected").text
    assert "SANCTION" in d.find_element(By.CSS_SELECTOR, "p.lead").text
    # the dyad's evidence list now shows the sanction
    d.get(f"{live}/dyad/CHN-RUS")
    ready(d)
    assert "SANCTION" in d.find_element(By.ID, "events").text
    # add a missed event: click the second sentence, fill the form
    d.get(f"{live}/documents/{doc}")
    ready(d)
    sentence = d.find_element(By.ID, "s2")
    d.execute_script("arguments[0].scrollIntoView()", sentence)
    sentence.click()
    assert d.find_element(By.ID, "add-sentence").get_attribute("value") == "2"
    Select(d.find_element(By.ID, "add-type")).select_by_value("COOPERATE")
    d.find_element(By.ID, "add-source").send_keys("CHN")
    d.find_element(By.ID, "add-target").send_keys("JPN")
    submit = d.find_element(By.ID, "add-submit")
    d.execute_script("arguments[0].scrollIntoView()", submit)
    submit.click()
    WebDriverWait(d, 10).until(lambda d: "/records/" in d.current_url and ":ec" in d.current_url)
    ready(d)
    assert "COOPERATE" in d.find_element(By.CSS_SELECTOR, "p.lead").text
    # withdraw it from the document page: the record goes
    d.get(f"{live}/documents/{doc}")
    ready(d)
    assert "COOPERATE" in d.find_element(By.ID, "text").text
    button = d.find_elements(By.CSS_SELECTOR, "ul.corrections button.withdraw")[-1]
    d.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    # while the page reloads Chromium may report the old node as "not in the document"
    # (a plain WebDriverException) rather than stale
    WebDriverWait(
        d, 10, ignored_exceptions=[StaleElementReferenceException, WebDriverException]
    ).until(lambda d: "COOPERATE" not in d.find_element(By.ID, "text").text)
    fits(d)
    no_errors(d)
