"""The read-only web API: every route, pagination, 422 for bad parameters (never a
500), hostile input, security headers, self-hosted docs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from entente import batch
from entente.store import Store
from entente.store.datasets import import_dataset
from entente.web import create_app

DATA = Path(__file__).parent / "data" / "datasets"
DOC = (
    "Moscow and Beijing\n\nMOSCOW, March 22, 2013 — Russia agreed to sell fighter jets to "
    "China. Japan protested to Russia after a Russian plane entered its airspace.\n"
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    tmp = tmp_path_factory.mktemp("web")
    corpus = tmp / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(DOC)
    db = tmp / "w.duckdb"
    with Store(db) as s:
        batch.run([corpus], s)
        import_dataset(s, DATA / "gdelt_sample.export.CSV")
    return TestClient(create_app(db), raise_server_exceptions=False)


def test_lists_paginate_and_filter(client: TestClient) -> None:
    r = client.get("/api/events", params={"limit": 5})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] > 5 and len(page["items"]) == 5 and page["offset"] == 0
    r2 = client.get("/api/events", params={"limit": 5, "offset": 5}).json()
    assert {e["id"] for e in r2["items"]}.isdisjoint({e["id"] for e in page["items"]})
    text = client.get("/api/events", params={"origin": "text", "limit": 1000}).json()
    assert text["items"] and all(e["origin"] == "text" for e in text["items"])
    rus = client.get("/api/events", params={"dyad": "Russia-China"}).json()
    assert rus["items"] and all(
        {"RUS", "CHN"} <= set(e["source"].split("+") + e["target"].split("+")) for e in rus["items"]
    )
    assert client.get("/api/assessments").status_code == 200
    assert client.get("/api/quotes").status_code == 200


def test_documents_records_and_their_evidence(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    assert docs["total"] == 2 and {d["origin"] for d in docs["items"]} == {"text", "dataset"}
    text = next(d for d in docs["items"] if d["origin"] == "text")
    one = client.get(f"/api/documents/{text['id']}").json()
    assert one["events"] > 0 and one["sentences"] > 0 and "notes" in one
    ev = client.get("/api/events", params={"origin": "text"}).json()["items"][0]
    rec = client.get(f"/api/records/{ev['id']}").json()
    assert rec["record"]["sentence"] and rec["document"]["path"]
    imported = client.get("/api/records/gdelt:1163425671").json()
    assert imported["why"]["imported"] == "gdelt"
    assert client.get("/api/records/nope:e1").status_code == 404
    assert client.get("/api/documents/nope").status_code == 404


def test_analysis_routes(client: TestClient) -> None:
    rel = client.get("/api/relations", params={"freq": "Y"}).json()
    assert rel["freq"] == "Y" and rel["scores"]
    net = client.get("/api/relations", params={"at": "2024", "dyad": "CHN-RUS"}).json()
    assert net["at"] == "2024-12-31" and [t["pair"] for t in net["ties"]] == ["CHN-RUS"]
    tri = client.get("/api/triangle", params={"states": "RUS,CHN,JPN", "at": "2024"}).json()
    assert tri["type"] and set(tri["states"]) == {"RUS", "CHN", "JPN"}
    assert "triads" in client.get("/api/triangles", params={"top": 3}).json()
    assert "frustration" in str(client.get("/api/balance").json())
    w = client.get("/api/whatif", params={"set": "JPN-RUS:-1"})
    assert w.status_code == 200 and w.json()["set"]
    d = client.get("/api/dependence", params={"a": "CHN-RUS", "b": "JPN-RUS", "freq": "Y"})
    assert d.status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/events", {"limit": 5000}),
        ("/api/events", {"offset": -1}),
        ("/api/events", {"limit": "abc"}),
        ("/api/events", {"dyad": "RUS"}),
        ("/api/events", {"type": "HUG"}),
        ("/api/events", {"since": "last year"}),
        ("/api/events", {"origin": "both"}),
        ("/api/events", {"actor": "'; DROP TABLE events; --"}),
        ("/api/events", {"dyad": "RUS-CHN' OR '1'='1"}),
        ("/api/assessments", {"type": "SANCTION"}),
        ("/api/relations", {"freq": "W"}),
        ("/api/relations", {"at": "2015-13"}),
        ("/api/triangle", {"states": "RUS,CHN"}),
        ("/api/triangle", {"states": "RUS,RUS,JPN"}),
        ("/api/triangle", {}),
        ("/api/whatif", {"set": "JPN-RUS:+5"}),
        ("/api/dependence", {"a": "CHN-RUS", "b": "JPN", "freq": "Q"}),
        ("/api/triangles", {"top": 0}),
    ],
)
def test_bad_parameters_get_422_with_a_reason(
    client: TestClient, path: str, params: dict[str, object]
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.json()["detail"]
    # the store is untouched by hostile values
    assert client.get("/api/events").json()["total"] > 0


def test_headers_docs_and_no_traversal(client: TestClient) -> None:
    r = client.get("/api/events")
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    schema = client.get("/openapi.json").json()
    assert {"/api/events", "/api/relations", "/api/triangle", "/api/whatif"} <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text
    assert (
        "http" not in docs.text.split("swagger-ui-bundle.js")[0].rsplit('"', 1)[-1]
    )  # local asset
    asset = client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000
    for bad in (
        "/static-offline-docs/../../../../etc/passwd",
        "/static-offline-docs/%2e%2e/%2e%2e/etc/passwd",
    ):
        assert client.get(bad).status_code == 404


def test_a_missing_store_fails_at_start(tmp_path: Path) -> None:
    from entente.errors import StoreError

    with pytest.raises(StoreError, match="no such store"):
        create_app(tmp_path / "missing.duckdb")
