"""Date values as intervals of days.

Every stored date value — ISO 8601 at day, month or year precision, or an EDTF form
(ISO 8601-2: seasons ``-21``…``-24``, quarters ``-33``…``-36``, halves ``-40``/``-41``,
decades ``199X``, centuries ``19XX``, ranges ``A/B``, open ends ``..``) — stands for an
interval ``[start, end]`` of days. ISO weeks (``2015-W40``), which EDTF has no form
for, are read too. :func:`interval` gives the interval; filters select records whose
interval overlaps the one asked for.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

#: EDTF sub-year groupings: code → (first month, last month); winter runs into the next year
_GROUPS = {
    21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 2),
    33: (1, 3), 34: (4, 6), 35: (7, 9), 36: (10, 12),
    40: (1, 6), 41: (7, 12),
}  # fmt: skip
_LEGACY = re.compile(r"(\d{4})-([QH])([1-4])")


def _last(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _one(v: str) -> tuple[date, date] | None:
    v = v.strip().lstrip("~?").rstrip("~?%")
    legacy = _LEGACY.fullmatch(v)
    if legacy:  # stores written before EDTF quarters and halves: 2015-Q3, 2015-H1
        n = int(legacy[3])
        v = f"{legacy[1]}-{32 + n if legacy[2] == 'Q' else 39 + n}"
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", v):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", v):
            y, code = int(m[1]), int(m[2])
            if 1 <= code <= 12:
                return date(y, code, 1), _last(y, code)
            if code in _GROUPS:
                m1, m2 = _GROUPS[code]
                return date(y, m1, 1), _last(y + 1 if m2 < m1 else y, m2)
            return None
        if m := re.fullmatch(r"(\d{4})", v):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(\d{3})X", v):
            return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31)
        if m := re.fullmatch(r"(\d{2})XX", v):
            return date(int(m[1]) * 100, 1, 1), date(int(m[1]) * 100 + 99, 12, 31)
    except ValueError:
        return None
    return None


def interval(value: str | None) -> tuple[date | None, date | None]:
    """The first and last day of a date value; ``(None, None)`` when there is none or it
    cannot be read; an open end (``2005/..``) is ``None`` on that side."""
    if not value:
        return None, None
    if "/" in value:
        left, right = value.split("/", 1)
        a = _one(left) if left not in ("", "..") else None
        b = _one(right) if right not in ("", "..") else None
        return (a[0] if a else None), (b[1] if b else None)
    one = _one(value)
    return (one[0], one[1]) if one else (None, None)
