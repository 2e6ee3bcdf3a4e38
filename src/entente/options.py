"""Checking what users type: state codes, event types, periods, dates and choices.

One set of checks for the command line, the Python API and the web API, applied before
any work starts. Each raises :class:`entente.errors.UsageError` naming the option, the
value and what is allowed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from functools import cache

from entente.errors import UsageError

#: --freq values: pandas period aliases, and the words people type for them
FREQS = {"M": "M", "MONTH": "M", "MONTHLY": "M", "Q": "Q", "QUARTER": "Q", "QUARTERLY": "Q",
         "Y": "Y", "A": "Y", "YEAR": "Y", "YEARLY": "Y", "ANNUAL": "Y"}  # fmt: skip

_DATE = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")
_SLASHED = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")


def choice(value: str, option: str, choices: Iterable[str]) -> str:
    """``value`` if it is one of ``choices`` (any case), else a usage error listing them."""
    allowed = list(choices)
    for c in allowed:
        if value.lower() == c.lower():
            return c
    raise UsageError(f"{option} {value!r}: choose one of {', '.join(allowed)}")


def cores() -> int:
    """The CPU cores this process may use (its affinity, where the system tells)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def workers(value: str, option: str = "--workers") -> int:
    """``auto`` (the cores this process may use) or a whole number of at least 1."""
    if value.strip().lower() == "auto":
        return cores()
    if value.strip().isdigit() and int(value) >= 1:
        return int(value)
    raise UsageError(f"{option} {value!r}: give a whole number of at least 1, or auto")


def freq(value: str, option: str = "--freq") -> str:
    """A period: ``M``, ``Q`` or ``Y`` (also month, quarter, year)."""
    out = FREQS.get(value.strip().upper())
    if out is None:
        raise UsageError(f"{option} {value!r}: choose M (month), Q (quarter) or Y (year)")
    return out


def event_type(value: str, option: str = "--type") -> str:
    """A PLOVER event type, any case."""
    from entente.coding.ontology import EVENT_TYPES

    up = value.strip().upper()
    if up == "DEMAND":  # the name older PLOVER drafts used for REQUEST
        up = "REQUEST"
    if up not in EVENT_TYPES:
        raise UsageError(f"{option} {value!r}: not a PLOVER event type; choose one of "
                         f"{', '.join(EVENT_TYPES)}")  # fmt: skip
    return up


@cache
def _names() -> dict[str, str]:
    """Lower-case names and forms of every state and body → its code."""
    from entente.actors.reference import ascii_fold, reference

    out: dict[str, str] = {}
    for code, entry in reference().states.items():
        for form in [entry.name, *entry.forms.get("names", [])]:
            for key in (form.lower(), ascii_fold(form).lower()):
                out.setdefault(key, code)
                if key.startswith("the "):
                    out.setdefault(key[4:], code)
    return out


def state(value: str, option: str) -> str:
    """A state or body code (``RUS``), or a name the reference data knows (``Russia``)."""
    from entente.actors.reference import reference

    raw = value.strip()
    states = reference().states
    if raw.upper() in states:
        return raw.upper()
    code = _names().get(raw.lower())
    if code is not None:
        return code
    raise UsageError(
        f"{option} {value!r}: not a known state code or name (codes as in states.json, "
        "e.g. RUS, CHN, JPN, USA; names such as Russia also work)"
    )


def dyad(value: str, option: str = "--dyad") -> tuple[str, str]:
    """Two states joined by ``-`` (``RUS-JPN``, ``Russia-Japan``)."""
    parts = [p.strip() for p in value.replace("–", "-").split("-") if p.strip()]
    if len(parts) != 2:
        raise UsageError(f"{option} {value!r}: give two states joined by '-', e.g. RUS-JPN")
    a, b = (state(p, option) for p in parts)
    if a == b:
        raise UsageError(f"{option} {value!r}: the two states must differ")
    return a, b


def day_bound(value: str, option: str, end: bool = False) -> date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first day of that period (or the
    last, with ``end=True``). Impossible dates, words such as "yesterday" and ambiguous
    forms such as ``03/04/2015`` are refused."""
    raw = value.strip()
    if _SLASHED.fullmatch(raw):
        raise UsageError(f"{option} {value!r}: ambiguous (day/month or month/day?); "
                         "write it as YYYY-MM-DD")  # fmt: skip
    m = _DATE.fullmatch(raw)
    if m is None:
        raise UsageError(f"{option} {value!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
    y = int(m["y"])
    try:
        if m["m"] is None:
            return date(y, 12, 31) if end else date(y, 1, 1)
        mo = int(m["m"])
        if m["d"] is None:
            if not 1 <= mo <= 12:
                raise ValueError(f"month {mo} out of range")
            return date(y, mo, calendar.monthrange(y, mo)[1]) if end else date(y, mo, 1)
        return date(y, mo, int(m["d"]))
    except ValueError as exc:
        raise UsageError(f"{option} {value!r}: not a real date ({exc})") from None


def tie_sign(value: str, option: str = "--set") -> tuple[str, str, int]:
    """``JPN-RUS=+1`` or ``JPN-RUS:-1`` → the two states and the sign (−1, 0 or +1)."""
    sep = "=" if "=" in value else ":" if ":" in value else None
    if sep is None:
        raise UsageError(f"{option} {value!r}: give a tie and a sign, e.g. JPN-RUS=+1")
    pair, sign = value.rsplit(sep, 1)
    a, b = dyad(pair, option)
    try:
        n = int(sign.strip())
    except ValueError:
        n = 2
    if n not in (-1, 0, 1):
        raise UsageError(f"{option} {value!r}: the sign must be -1, 0 or +1")
    return a, b, n
