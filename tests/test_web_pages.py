"""The web app's pages: rendered as a person would read them (every page, links that
land, notes that open their citation), attacked as an attacker would (stored text that
carries markup, hostile parameters, paths out of the assets), and driven in Debian's
real headless Chromium through Selenium and chromium-driver at 1280 and 390 px.

Without chromium and chromedriver the browser tests skip loudly (``make test`` installs
them with apt when run as root); under ``CI=true`` they fail instead."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from entente import batch
from entente.store import Store
from entente.web import create_app
from entente.web.pages import segments
from pagecheck import chrome, fits, no_errors, ready

HOSTILE = '<img src=x onerror="alert(1)">'
ESSAY = (
    f"Abe and Putin {HOSTILE}\n\n"
    "TOKYO, May 2, 2013 — Japan and Russia agreed to resume talks on a peace treaty.1 "
    f"Russia protested to Japan over joint drills {HOSTILE} near the islands.2\n\n"
    "In November 2013 Japan held its first two-plus-two meeting with Russia in Tokyo.3 "
    "China criticised Japan for the visit to the shrine.\n\n"
    "Notes\n\n"
    "1. Naomi Fairbanks, “Abe’s Russia Gamble,” Northeast Asia Bulletin, May 2, 2013.\n\n"
    "2. Ibid.\n\n"
    f"3. Kenji Arakawa, “Two Plus Two {HOSTILE},” Tokyo Policy Review, November 4, 2013.\n"
)
WIRE = (
    "Moscow and Beijing\n\nMOSCOW, March 22, 2015 — Russia agreed to sell fighter jets to "
    "China. Japan protested to Russia after a Russian plane entered its airspace.\n"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("pages")
    corpus = tmp / "c"
    corpus.mkdir()
    (corpus / "essay.txt").write_text(ESSAY)
    (corpus / "wire.txt").write_text(WIRE)
    path = tmp / "p.duckdb"
    with Store(path) as s:
        t = batch.run([corpus], s)
    assert not t.errors and t.event >= 3
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db), raise_server_exceptions=False)


def _essay_id(client: TestClient) -> str:
    docs = client.get("/api/documents").json()["items"]
    return next(d["id"] for d in docs if d["path"].endswith("essay.txt"))


PAGES = [
    "/",
    "/dyad/JPN-RUS",
    "/dyad/Russia-Japan?type=accuse&freq=Y",
    "/triangle?states=RUS,CHN,JPN",
    "/triangle?states=JPN,RUS,CHN&at=2014&freq=Q",
    "/documents",
    "/search?q=talks",
    "/search?state=JPN&type=ACCUSE&since=2013&until=2013",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_its_policy(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert '<meta name="viewport"' in r.text
    # nothing is loaded from another host
    assert not re.search(r'(src|href)="(https?:)?//', r.text)


def test_stored_markup_is_escaped_on_every_page(client: TestClient) -> None:
    doc_id = _essay_id(client)
    events = client.get("/api/events", params={"limit": 1000}).json()["items"]
    urls = [
        f"/documents/{doc_id}", "/documents", "/dyad/JPN-RUS", "/search?q=drills",
        *[f"/records/{e['id']}" for e in events],
    ]  # fmt: skip
    seen = 0
    for url in urls:
        html = client.get(url).text
        assert HOSTILE not in html and "<img" not in html, url
        seen += html.count("&lt;img src=x onerror=")
    assert seen >= 3  # the text is shown, as text


def test_document_page_places_records_and_notes(client: TestClient) -> None:
    doc_id = _essay_id(client)
    html = client.get(f"/documents/{doc_id}").text
    # every record of the document is linked from where its sentence stands
    ids = {e["id"] for e in client.get("/api/events", params={"limit": 1000}).json()["items"]}
    mine = {i for i in ids if i.startswith(doc_id)}
    assert mine and all(f'href="/records/{i.replace(":", "%3A")}"' in html for i in mine)
    assert html.count('class="sentence coded"') >= 2
    # markers link to notes; the Ibid. note shows what it resolves to
    for n in (1, 2, 3):
        assert f'href="#note-{n}"' in html and f'id="note-{n}"' in html
    note2 = html.split('id="note-2"', 1)[1].split("</li>", 1)[0]
    assert "Ibid." in note2 and "Resolves to" in note2 and "Fairbanks" in note2
    # links within the app all land
    for href in set(re.findall(r'href="(/(?:records|documents|dyad)/[^"#]+)', html)):
        assert client.get(href).status_code == 200, href


def test_segments_cover_the_text_in_order() -> None:
    text = "One two.1 Three four. Five."
    view = {
        "sentence_spans": [
            {"index": 0, "start": 0, "end": 9},
            {"index": 1, "start": 10, "end": 21},
            {"index": 2, "start": 22, "end": 27},
        ],
        "markers": [{"number": 1, "start": 8, "end": 9, "linked": True}],
        "records": [{"id": "d:e0", "sentence": 1, "label": "AGREE", "source": [], "target": []}],
    }
    pieces = segments(text, view)
    rebuilt = "".join(p.get("text", "") for p in pieces if p["kind"] in ("text", "marker"))
    assert rebuilt == text
    assert [p["number"] for p in pieces if p["kind"] == "marker"] == [1]
    opened = [p for p in pieces if p["kind"] == "open"]
    assert [p["sentence"] for p in opened] == [0, 1, 2]
    assert [len(p["records"]) for p in opened] == [0, 1, 0]


def test_dyad_page_lists_evidence_and_filters_by_type(client: TestClient) -> None:
    html = client.get("/dyad/RUS-JPN").text
    assert 'id="chart-data"' in html and 'type="application/json"' in html
    assert html.count('class="evidence"') >= 2
    only = client.get("/dyad/RUS-JPN", params={"type": "accuse"}).text
    types = re.findall(r'<span class="badge" data-quad="[^"]+">([A-Z]+)</span>', only)
    assert types and set(types) == {"ACCUSE"}


def test_search_finds_words_states_types_and_dates(client: TestClient) -> None:
    assert ">1 sentence<" in client.get("/search", params={"q": "two-plus-two"}).text
    # wildcards and quotes are taken literally, never as SQL
    for q in ("%", "_", "' OR 1=1 --", "\\", "talks%'; DROP TABLE events; --"):
        r = client.get("/search", params={"q": q})
        assert r.status_code == 200 and ">0 sentences<" in r.text, q
    assert client.get("/api/events").json()["total"] > 0
    r = client.get("/search", params={"state": "CHN", "since": "2015", "until": "2015"})
    assert "fighter jets" in r.text and "shrine" not in r.text


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/dyad/XXX-RUS", 422),
        ("/dyad/RUS-JPN?type=HUG", 422),
        ("/dyad/RUS-JPN?limit=100000", 422),
        ("/triangle?states=RUS,CHN", 422),
        ("/triangle?states=RUS,RUS,CHN", 422),
        ("/triangle?at=2015-13", 422),
        ("/search?since=yesterday", 422),
        ("/search?q=" + "a%20" * 40, 422),
        ("/documents/nope", 404),
        ("/records/nope:e0", 404),
        ("/?freq=W", 422),
        ("/assets/..%2F..%2Fpyproject.toml", 404),
        ("/assets/%2Fetc%2Fpasswd", 404),
        ("/assets/app.py", 404),
    ],
)
def test_bad_parameters_get_a_page_not_a_traceback(
    client: TestClient, url: str, status: int
) -> None:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:300])
    if not url.startswith("/assets"):
        assert 'class="error"' in r.text and "Traceback" not in r.text


def test_assets_come_from_the_packages(client: TestClient) -> None:
    js = client.get("/assets/plotly.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert len(js.content) > 1_000_000  # the real plotly.js, bundled in the plotly package
    app_js = client.get("/assets/app.js").text
    assert "innerHTML" not in app_js  # stored text is set as text only
    assert client.get("/assets/app.css").status_code == 200


def test_network_route_keeps_positions_across_dates(client: TestClient) -> None:
    a = client.get("/api/network", params={"at": "2013"}).json()
    b = client.get("/api/network", params={"at": "2015-06"}).json()
    assert a["nodes"] == b["nodes"] and a["periods"] == b["periods"]
    assert [p["label"] for p in a["periods"]] == ["2013", "2014", "2015"]
    assert {e["pair"] for e in b["edges"]} >= {"CHN-RUS"}
    assert all(0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in a["nodes"])
    assert client.get("/api/network", params={"freq": "W"}).status_code == 422


# ---------------------------------------------------------------- real browser


@pytest.fixture(scope="module")
def live(db: Path) -> Iterator[str]:
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def browser(request: pytest.FixtureRequest) -> Iterator[Any]:
    with chrome(request.param) as d:
        yield d


def test_overview_slider_and_a_tie_to_its_evidence(browser: Any, live: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser
    d.get(live + "/")
    ready(d)
    net = d.find_element(By.ID, "network")
    label = d.find_element(By.ID, "at-label")
    assert label.text == "2015" and int(net.get_attribute("data-edges")) >= 2
    assert d.find_elements(By.CSS_SELECTOR, "#network svg .scatterlayer .trace")
    # move the slider back to the first year: the network is redrawn for 2013
    slider = d.find_element(By.ID, "at-slider")
    d.execute_script(
        "arguments[0].value = 0; arguments[0].dispatchEvent(new Event('input'))", slider
    )
    WebDriverWait(d, 20).until(lambda d: label.text == "2013")
    WebDriverWait(d, 20).until(lambda d: net.get_attribute("data-at") == "2013-12-31")
    assert "CHN-RUS" not in d.find_element(By.ID, "ties").text  # said in 2015 only
    fits(d)
    # click a tie: its dyad page, with the chart drawn and the evidence listed
    tie = d.find_element(By.CSS_SELECTOR, "#ties a")
    pair = tie.text
    d.execute_script("arguments[0].scrollIntoView()", tie)
    tie.click()
    WebDriverWait(d, 20).until(lambda d: "/dyad/" in d.current_url)
    ready(d)
    assert pair.split("-")[0] in d.find_element(By.TAG_NAME, "h1").text
    assert d.find_elements(By.CSS_SELECTOR, "#dyad-chart svg .scatterlayer .trace")
    assert d.find_elements(By.CSS_SELECTOR, "#events li.evidence mark")
    fits(d)
    no_errors(d)


def test_document_note_marker_opens_its_citation(
    browser: Any, live: str, client: TestClient
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser
    d.get(f"{live}/documents/{_essay_id(client)}")
    ready(d)
    marker = d.find_element(By.CSS_SELECTOR, 'a.marker[data-note="2"]')
    d.execute_script("arguments[0].scrollIntoView()", marker)
    marker.click()
    WebDriverWait(d, 10).until(lambda d: d.current_url.endswith("#note-2"))
    note = d.find_element(By.ID, "note-2")
    assert d.execute_script("return document.querySelector(':target') === arguments[0]", note)
    assert "Fairbanks" in note.text and "Ibid." in note.text
    # the hostile title is shown as text and never ran
    assert HOSTILE in d.find_element(By.TAG_NAME, "h1").text
    assert not d.find_elements(By.CSS_SELECTOR, "main img")
    fits(d)
    no_errors(d)
