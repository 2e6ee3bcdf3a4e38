"""CAMEO ↔ PLOVER, from ``data/cameo_plover.json``: the PLOVER project's published
crosswalk (``CAMEO2PLOVER-2021.txt``; its repository, path and commit are recorded in
the file), corrected where it contradicts the PLOVER manual, which wins. Every
correction is listed in the file's ``deviations`` and in ``docs/datasets.md`` (e.g.
CAMEO 163, sanctions, is SANCTION ``discontinue`` by the manual, not COERCE; CAMEO 01,
public statements, has no PLOVER type; CAMEO 02, appeals, is REQUEST).

PLOVER → CAMEO is one-to-many: :func:`to_cameo` gives the most specific single code
the crosswalk allows for a type and mode (the mode's code, else the type's catch-all).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        files("entente.data").joinpath("cameo_plover.json").read_text("utf-8")
    )
    return data


def to_plover_table() -> list[tuple[str, str | None, str | None]]:
    """(CAMEO code, PLOVER type or None, the manual's mode or None), every code."""
    return [(code, v.get("type"), v.get("mode")) for code, v in _data()["codes"].items()]


def normalise(code: str) -> str:
    """A CAMEO code with the leading zero a spreadsheet may have dropped ("42" → "042",
    "231" → "0231"); roots are 01–20 and three-digit codes stop at 204."""
    code = code.strip()
    if not code.isdigit():
        return code
    n = int(code)
    if len(code) == 1:
        return code.zfill(2)
    if len(code) == 2 and n > 20:
        return code.zfill(3)
    if len(code) == 3 and n > 204:
        return code.zfill(4)
    return code


def to_plover(code: str) -> tuple[str | None, str | None]:
    """The PLOVER type and mode of a CAMEO code (its own entry, else its parent's)."""
    codes = _data()["codes"]
    code = normalise(code)
    for key in (code, code[:3], code[:2]):
        if key in codes:
            return codes[key].get("type"), codes[key].get("mode")
    return None, None


def to_cameo(event_type: str, mode: str | None = None) -> str | None:
    """The most specific CAMEO code for a PLOVER type and (coder) mode."""
    from entente.coding.ontology import plover_mode

    entry = _data()["plover_to_cameo"].get(event_type)
    if not isinstance(entry, dict):
        return None
    pmode, _ = plover_mode(event_type, mode)
    if pmode and pmode in entry.get("modes", {}):
        return str(entry["modes"][pmode])
    return str(entry.get("unspecified") or entry.get("default")) if entry else None


def mode_cameo_rows() -> list[tuple[str, str | None, str | None]]:
    """(type, manual mode or None, CAMEO code) for SQL joins at export."""
    rows: list[tuple[str, str | None, str | None]] = []
    for etype, entry in _data()["plover_to_cameo"].items():
        if not isinstance(entry, dict):
            continue
        rows.append((etype, None, entry.get("unspecified") or entry.get("default")))
        for m, code in entry.get("modes", {}).items():
            rows.append((etype, m, code))
    return rows
