"""Terminal tables read at 80 and at 120 columns: nothing but prose is cut or wrapped."""

from __future__ import annotations

import io

from rich.console import Console

from entente.tables import RECORD_COLUMNS, Col, layout, render

SENTENCE = (
    "Prime Minister Dmitry Medvedev visited Iturup on August 22, 2015, and Tokyo protested; "
    "Foreign Minister Kishida Fumio postponed a trip to Moscow."
)


def _events() -> list[list[str]]:
    row = {
        "id": "b2270fa486b8f6b4:e15", "date": "2015-08-22", "type": "REJECT", "source": "JPN",
        "target": "RUS", "quad": "verbal conflict", "confidence": "0.72", "intensity": "-4.0",
        "mode": "", "note": "12", "date_source": "explicit", "negated": "False",
        "modality": "asserted", "sentence": SENTENCE,
    }  # fmt: skip
    return [[row[c.key] for c in RECORD_COLUMNS["events"]] for _ in range(3)]


def _print(width: int, **kw: object) -> str:
    out = io.StringIO()
    console = Console(width=width, file=out, color_system=None)
    render(console, "3 events", RECORD_COLUMNS["events"], _events(), **kw)  # type: ignore[arg-type]
    return out.getvalue()


def test_events_at_80_columns_become_cards_with_nothing_cut() -> None:
    text = _print(80, limit=2)
    assert all(len(line.rstrip()) <= 80 for line in text.splitlines())
    assert text.count("b2270fa486b8f6b4:e15") == 2  # two of three rows, ids whole
    for field in ("2015-08-22", "REJECT", "JPN", "RUS"):
        assert field in text
    assert "…" not in text and "┃" not in text
    assert "showing 2 of 3 — use --limit 0 for all" in text
    assert "hidden at this width:" in text and "--wide" in text
    assert "Medvedev visited Iturup" in text and "trip to Moscow." in text  # prose whole


def test_events_at_120_columns_are_a_table_wrapping_only_the_sentence() -> None:
    text = _print(120)
    lines = text.splitlines()
    assert all(len(line.rstrip()) <= 120 for line in lines)
    assert "┃ id" in text and "sentence" in text
    row = next(line for line in lines if "b2270fa486b8f6b4:e15" in line)
    for field in ("2015-08-22", "REJECT", "JPN", "RUS"):
        assert field in row  # on the row's first line, not wrapped
    assert "…" not in text
    assert "showing" not in text  # every row shown


def test_wide_shows_every_column() -> None:
    text = _print(80, wide=True)
    for title in ("date from", "modality", "negated", "conf"):
        assert title in text
    assert "hidden" not in text


def test_layout_drops_the_least_important_columns_first() -> None:
    cols = [Col("id"), Col("a", priority=1), Col("b", priority=2), Col("c", priority=3)]
    rows = [["x" * 20, "y" * 20, "z" * 20, "w" * 20]]
    shown, hidden, cards = layout(cols, rows, 60)
    assert shown == [0, 1] and hidden == [2, 3] and not cards
    shown, hidden, cards = layout(cols, rows, 10)
    assert shown == [0] and cards  # the essential column alone is still too wide
