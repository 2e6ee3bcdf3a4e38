"""Month names and small calendar helpers shared by the date grammar."""

from __future__ import annotations

import calendar as _cal

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    _full = _cal.month_name[_i].lower()
    MONTHS[_full] = _i
    MONTHS[_full[:3]] = _i
MONTHS["sept"] = 9

#: regex alternation of month names, longest first, optional abbreviation dot
MONTH_RE = (
    r"(?:" + "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True)) + r")\.?"
)


def month_number(word: str) -> int | None:
    """1–12 for a month name or abbreviation (``Sept.``), else None."""
    return MONTHS.get(word.lower().rstrip("."))


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _cal.monthrange(year, month)[1]


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"
