"""Property tests: readers on arbitrary input return documents or raise ReadError."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entente.citations import find_markers, parse_source
from entente.ingest import ReadError, read_bytes
from entente.model import Document
from entente.time.grammar import find_dates

SUFFIXES = [".txt", ".md", ".html", ".pdf", ".jsonl"]


def _check(items: list[Document | ReadError]) -> None:
    for item in items:
        assert isinstance(item, Document | ReadError)
        if isinstance(item, Document):
            assert item.text.strip()
            for p in item.paragraphs:
                assert 0 <= p.start <= p.end <= len(item.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_readers_on_arbitrary_bytes(data: bytes, suffix: str) -> None:
    try:
        _check(read_bytes(data, f"fuzz{suffix}"))
    except ReadError as err:
        assert err.path.startswith("fuzz") and err.reason


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=1500), suffix=st.sampled_from(SUFFIXES))
def test_readers_on_arbitrary_text(text: str, suffix: str) -> None:
    try:
        _check(read_bytes(text.encode("utf-8"), f"fuzz{suffix}"))
    except ReadError as err:
        assert err.reason


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_markers_and_dates_never_crash(text: str) -> None:
    for m in find_markers(text, set(range(1, 30))):
        assert 0 <= m.start < m.end <= len(text)
    for d in find_dates(text):
        assert text[d.start : d.end] == d.text
    parse_source(text)


ENCODINGS = ["utf-8", "utf-16", "cp1252", "cp1251", "shift_jis", "latin-1", "cp1250"]


@settings(max_examples=120, deadline=None)
@given(text=st.text(max_size=800), encoding=st.sampled_from(ENCODINGS))
def test_readers_on_text_in_any_encoding(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="ignore")
    try:
        _check(read_bytes(data, "fuzz.txt"))
    except ReadError as err:
        assert err.reason


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["kind", "document", "doc_id", "span", "source", "text", "path", "id"]),
            inner | st.sampled_from(["document", "event", "quote", "assessment"]),
            max_size=5,
        )
    ),
    max_leaves=12,
)
_JUNK = _JSON.map(lambda v: json.dumps(v)) | st.text(max_size=60).filter(lambda t: "\n" not in t)


def _good_blocks() -> list[list[str]]:
    """Two small documents with records, as an export writes them (built once)."""
    global _GOOD
    if _GOOD is None:
        import tempfile

        from entente import batch
        from entente.store import Store
        from entente.store.export import export

        tmp = Path(tempfile.mkdtemp())
        (tmp / "a.txt").write_text(
            "Talks\n\nMOSCOW, May 5, 2015 — Russia and China signed a gas deal.\n"
        )
        (tmp / "b.txt").write_text(
            "Protest\n\nTOKYO, May 6, 2015 — Japan protested to Russia over the islands.\n"
        )
        with Store(tmp / "s.duckdb") as s:
            batch.run([tmp], s)
            export(s, "jsonl", tmp / "all.jsonl")
        lines = (tmp / "all.jsonl").read_text().splitlines()
        starts = [i for i, ln in enumerate(lines) if json.loads(ln)["kind"] == "document"]
        _GOOD = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    return _GOOD


_GOOD: list[list[str]] | None = None


def _is_document_line(line: str) -> bool:
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and obj.get("kind") == "document"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=st.lists(st.one_of(st.sampled_from([0, 1]), _JUNK), min_size=1, max_size=8))
def test_import_on_arbitrary_lines(plan: list[int | str], tmp_path_factory: Any) -> None:
    """Random JSONL lines among good documents: no traceback, every good document whose
    block is not broken by a bad line is stored, and nothing else."""
    from entente.store import Store
    from entente.store.export import import_jsonl

    good = _good_blocks()
    lines: list[str] = []
    block_ends: list[tuple[int, int]] = []  # (good block index, line after it)
    for item in plan:
        if isinstance(item, int):
            lines.extend(good[item])
            block_ends.append((item, len(lines)))
        else:
            lines.append(item)
    expected = set()
    for idx, end in block_ends:
        if end == len(lines) or lines[end] in (g[0] for g in good) or _is_document_line(lines[end]):
            expected.add(idx)
    tmp = tmp_path_factory.mktemp("imp")
    path = tmp / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with Store(tmp / "x.duckdb") as s:
        counts = import_jsonl(s, path)
        stored = {r[0] for r in s.con.execute("SELECT id FROM documents").fetchall()}
    ids = {json.loads(good[i][0])["document"]["id"] for i in expected}
    assert ids <= stored
    assert stored <= {json.loads(g[0])["document"]["id"] for g in good}
    assert isinstance(counts["errors"], list)


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(max_size=60),
    name=st.sampled_from(["Crimea", "the Golan", "Kurils", "Nagorno-Karabakh", "Dokdo"]),
    after=st.text(max_size=60),
)
def test_territory_spans_are_whole_names(before: str, name: str, after: str) -> None:
    """Every disputed territory found is a whole name of the table at the span given;
    a name glued to a letter or a hyphen on either side is not one."""
    from entente.actors.places import find_territories

    text = before + name + after
    for s, e, found, territory in find_territories(text):
        assert text[s:e] == found
        assert s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_-")
        assert e == len(text) or not (text[e].isalnum() or text[e] in "_-")
        assert territory.claimants
