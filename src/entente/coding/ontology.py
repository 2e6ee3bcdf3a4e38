"""The event ontology in one place: PLOVER types, quad classes, modes, the manual's
conflict–cooperation scores, and the crosswalk to CAMEO.

Everything here follows the PLOVER manual (``data/plover.json`` holds the facts read
from it, with the commit they were read at):

- 16 types and their quad classes (SANCTION and PROTEST are *material* conflict);
- intensities on the manual's conflict–cooperation scale (AID 10, COOPERATE 9.5 …
  ASSAULT −9), per type and, where the manual's table gives one, per mode; the table's
  ACCUSE line reads "3", which its modes (−2 … −3.5) show to mean −3;
- the modes of each type.

The coder's own mode labels are a superset: some are PLOVER modes (``visit``,
``withdraw``, ``expel`` …), others name a PLOVER *context* (``economic``,
``military``) or a distinction the manual makes by type (``visit-cancelled``).
:data:`MODE_MAP` translates each into the manual's mode and contexts; intensities and
exports use the translation, so scores never depend on a label the manual lacks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

VERBAL_COOPERATION = "verbal cooperation"
MATERIAL_COOPERATION = "material cooperation"
VERBAL_CONFLICT = "verbal conflict"
MATERIAL_CONFLICT = "material conflict"
QUADS = (VERBAL_COOPERATION, MATERIAL_COOPERATION, VERBAL_CONFLICT, MATERIAL_CONFLICT)
#: PLOVER's numeric quad codes (the manual's ``quad_code``)
QUAD_CODE = {q: i for i, q in enumerate(QUADS, start=1)}


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: str
    intensity: float
    definition: str
    #: the manual's modes with their score (None: the table gives none; the type's applies)
    modes: dict[str, float | None]


@cache
def _plover() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        files("entente.data").joinpath("plover.json").read_text("utf-8")
    )
    return data


def _types() -> dict[str, EventType]:
    out = {}
    for name, t in _plover()["types"].items():
        modes = {
            m: (None if v.get("score") is None else float(v["score"]))
            for m, v in t["modes"].items()
        }
        out[name] = EventType(name, t["quad"], float(t["score"]), t["definition"], modes)
    return out


EVENT_TYPES: dict[str, EventType] = _types()

#: PLOVER's 19-type names outside the current 16, mapped onto them
LEGACY_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "INVESTIGATE": "ACCUSE",
}

#: the coder's mode labels → (the manual's mode, PLOVER contexts); a label that is
#: already a mode of its type in the manual maps to itself
MODE_MAP: dict[tuple[str, str], tuple[str | None, tuple[str, ...]]] = {
    ("COOPERATE", "military"): (None, ("military",)),
    ("COOPERATE", "economic"): (None, ("economic",)),
    ("AID", "economic"): (None, ("economic",)),
    ("AID", "military"): (None, ("military",)),
    ("SANCTION", "economic"): ("discontinue", ("economic",)),
    ("SANCTION", "diplomatic"): ("discontinue", ("diplomatic",)),
    # a called-off visit: the manual codes cancelled meetings as REJECT (mode meet);
    # the coder files some as SANCTION, which keeps SANCTION's score
    ("SANCTION", "visit-cancelled"): ("discontinue", ("diplomatic",)),
    ("REJECT", "visit-cancelled"): ("meet", ("diplomatic",)),
    ("MOBILIZE", "air"): ("weapons", ("military",)),
    ("MOBILIZE", "naval"): ("weapons", ("military",)),
    ("ACCUSE", "diplomatic-protest"): ("disapprove", ("diplomatic",)),
    ("CONSULT", "mediate"): ("third-party", ()),
}

#: relation scores down-weight REQUEST (appeals and demands mix; its scale value is 0
#: in the manual, so this matters only for its modes)
SCORE_WEIGHT = {"REQUEST": 0.3}


def quad(event_type: str) -> str:
    return EVENT_TYPES[event_type].quad


def plover_mode(event_type: str, mode: str | None) -> tuple[str | None, tuple[str, ...]]:
    """The manual's mode and the contexts for a coder mode label."""
    if not mode:
        return None, ()
    if (event_type, mode) in MODE_MAP:
        return MODE_MAP[(event_type, mode)]
    t = EVENT_TYPES.get(event_type)
    if t is not None and mode in t.modes:
        return mode, ()
    contexts = set(_plover().get("contexts", []))
    return None, ((mode,) if mode in contexts else ())


def intensity(event_type: str, mode: str | None = None, negated: bool = False) -> float:
    """The manual's conflict–cooperation score of a type (and mode); a negated event
    scores 0."""
    if negated:
        return 0.0
    t = EVENT_TYPES[event_type]
    pmode, _ = plover_mode(event_type, mode)
    score = t.modes.get(pmode) if pmode else None
    return t.intensity if score is None else score


def scale_rows() -> list[tuple[str, str | None, str, float]]:
    """(type, manual mode or None, quad, score) for every type and scored mode: the
    table SQL joins to give imported rows their intensity."""
    rows: list[tuple[str, str | None, str, float]] = []
    for t in EVENT_TYPES.values():
        rows.append((t.name, None, t.quad, t.intensity))
        for m, s in t.modes.items():
            rows.append((t.name, m, t.quad, t.intensity if s is None else s))
    return rows
