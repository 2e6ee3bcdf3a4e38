"""Property tests: readers on arbitrary input return documents or raise ReadError."""

from __future__ import annotations

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
