"""Terminal tables that read at any width.

Every column is declared once with a priority and whether it holds prose. At the
terminal's width the renderer keeps the columns that fit, dropping the least important
first; codes, dates, identifiers and numbers are never cut or wrapped, only prose (a
sentence, a quotation, a title) wraps. When even the essential columns leave the prose
too little room, each row becomes a card: its fields on one line (wrapped between fields,
never inside one), the prose beneath. ``wide=True`` shows every column at its natural
width. A table that shows fewer rows than it has says so, and names the columns it hid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

#: the narrowest a prose column may be before rows become cards
PROSE_MIN = 30

#: the columns of ``entente events / assessments / quotes`` (keys as the store names them)
RECORD_COLUMNS: dict[str, tuple[Col, ...]] = {}
#: what Rich's default box adds per column (padding and a rule) and once per table
PER_COLUMN = 3
PER_TABLE = 1


@dataclass(frozen=True, slots=True)
class Col:
    key: str
    header: str | None = None
    #: 0: always shown; larger numbers give way first when the width is short
    priority: int = 0
    #: prose wraps; every other column keeps its full width
    prose: bool = False
    justify: Literal["left", "right", "center"] = "left"

    @property
    def title(self) -> str:
        return self.header if self.header is not None else self.key.replace("_", " ")


def _cell(v: Any) -> str:
    return "" if v is None else str(v)


def layout(
    cols: Sequence[Col], rows: Sequence[Sequence[str]], width: int, wide: bool = False
) -> tuple[list[int], list[int], bool]:
    """Which columns to show, which were hidden, and whether the rows are cards."""
    need = [
        max([cell_len(c.title), *(cell_len(r[i]) for r in rows)]) if not c.prose else PROSE_MIN
        for i, c in enumerate(cols)
    ]
    shown = list(range(len(cols)))
    if wide:
        return shown, [], False

    def total(ix: list[int]) -> int:
        return sum(need[i] for i in ix) + PER_COLUMN * len(ix) + PER_TABLE

    while total(shown) > width:
        optional = [i for i in shown if cols[i].priority > 0]
        if not optional:
            break
        shown.remove(max(optional, key=lambda i: (cols[i].priority, i)))
    hidden = [i for i in range(len(cols)) if i not in shown]
    return shown, hidden, total(shown) > width


def render(
    console: Console,
    title: str,
    cols: Sequence[Col],
    records: Sequence[Sequence[Any]],
    *,
    wide: bool = False,
    limit: int | None = None,
    total: int | None = None,
) -> None:
    """Print ``records`` (one value per column, in ``cols`` order) as a table that fits
    ``console``'s width, or as cards; ``limit`` rows at most (None or 0: all)."""
    total = len(records) if total is None else total
    rows = [[_cell(v) for v in r] for r in (records[:limit] if limit else records)]
    shown, hidden, cards = layout(cols, rows, console.width, wide)
    notes = []
    if len(rows) < total:
        notes.append(f"showing {len(rows)} of {total} — use --limit 0 for all")
    if hidden:
        notes.append(
            f"hidden at this width: {', '.join(cols[i].title for i in hidden)} — use --wide"
        )
    caption = "; ".join(notes) or None
    if cards:
        console.print(Text(title, style="bold"))
        for r in rows:
            _card(console, [cols[i] for i in shown], [r[i] for i in shown])
        if caption:
            console.print(Text(caption, style="dim"))
        return
    t = Table(title=title, caption=caption)
    for i in shown:
        c = cols[i]
        if c.prose:
            t.add_column(c.title, overflow="fold", min_width=min(PROSE_MIN, console.width))
        else:
            t.add_column(c.title, no_wrap=True, justify=c.justify)
    for r in rows:
        t.add_row(*[r[i] for i in shown])
    if wide:
        need = sum(max([cell_len(cols[i].title), *(cell_len(r[i]) for r in rows)]) for i in shown)
        before = console.width
        console.width = max(before, need + PER_COLUMN * len(shown) + PER_TABLE)
        try:
            console.print(t)
        finally:
            console.width = before
    else:
        console.print(t)


def _card(console: Console, cols: list[Col], values: list[str]) -> None:
    """One row as a card: ``field value`` pairs on lines no wider than the console
    (broken between pairs only), then each prose value, indented and wrapped."""
    width = console.width
    line = ""
    for c, v in zip(cols, values, strict=True):
        if c.prose or not v:
            continue
        part = v if c.priority == 0 and c.key in ("id", "pair", "dyad") else f"{c.title} {v}"
        if line and cell_len(line) + 2 + cell_len(part) > width:
            console.print(Text(line), soft_wrap=True)
            line = "  " + part
        else:
            line = f"{line}  {part}" if line else part
    if line:
        console.print(Text(line), soft_wrap=True)
    for c, v in zip(cols, values, strict=True):
        if c.prose and v:
            console.print(Padding(Text(v, overflow="fold"), (0, 0, 0, 4)))
    console.print()


RECORD_COLUMNS.update({
    "events": (
        Col("id"), Col("date"), Col("type"), Col("source"), Col("target"),
        Col("quad", priority=1), Col("confidence", "conf", priority=1, justify="right"),
        Col("intensity", "int", priority=2, justify="right"), Col("mode", priority=3),
        Col("note", priority=3, justify="right"), Col("date_source", "date from", priority=4),
        Col("negated", priority=4), Col("modality", priority=4), Col("sentence", prose=True),
    ),
    "assessments": (
        Col("id"), Col("date"), Col("a"), Col("b"), Col("polarity"), Col("trend", priority=1),
        Col("confidence", "conf", priority=1, justify="right"), Col("period", priority=2),
        Col("holder", priority=2), Col("note", priority=3, justify="right"),
        Col("date_source", "date from", priority=4), Col("sentence", prose=True),
    ),
    "quotes": (
        Col("id"), Col("date"), Col("country"), Col("speaker", priority=1),
        Col("person", priority=2), Col("confidence", "conf", priority=2, justify="right"),
        Col("attributed", priority=3), Col("date_source", "date from", priority=4),
        Col("quote", prose=True),
    ),
})  # fmt: skip


def record_value(key: str, v: Any) -> str:
    """A stored value as a table shows it: confidences to two places, intensities signed."""
    if v is None:
        return ""
    if key == "confidence" and isinstance(v, float):
        return f"{v:.2f}"
    if key == "intensity" and isinstance(v, float):
        return f"{v:+.1f}"
    return str(v)
