"""The event ontology in one place: PLOVER/POLECAT types, quad classes, the CAMEO
root-code crosswalk, and Goldstein-style intensities.

Types and quad classes follow the PLOVER codebook as revised for POLECAT (16 types).
Intensities sit on the Goldstein (1992) cooperation–conflict scale (−10 … +10); the
value per type is the mean of the Goldstein weights of the CAMEO root codes it
gathers, rounded, and a mode can move it (an arms transfer is more cooperative than
a trade talk; a cancelled visit is milder than broken-off relations).
"""

from __future__ import annotations

from dataclasses import dataclass

VERBAL_COOPERATION = "verbal cooperation"
MATERIAL_COOPERATION = "material cooperation"
VERBAL_CONFLICT = "verbal conflict"
MATERIAL_CONFLICT = "material conflict"


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: str
    intensity: float
    cameo: tuple[str, ...]
    definition: str


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in [
        EventType("AGREE", VERBAL_COOPERATION, 4.5, ("05", "06"), "agree to, sign, settle; announced deals"),
        EventType("CONSULT", VERBAL_COOPERATION, 2.5, ("04",), "meet, visit, talk, negotiate"),
        EventType("SUPPORT", VERBAL_COOPERATION, 3.5, ("05",), "praise, endorse, defend verbally"),
        EventType("CONCEDE", VERBAL_COOPERATION, 5.0, ("08",), "yield, ease sanctions, allow"),
        EventType("COOPERATE", MATERIAL_COOPERATION, 6.0, ("06",), "trade, arms transfers, joint exercises, intelligence sharing"),
        EventType("AID", MATERIAL_COOPERATION, 7.0, ("07",), "economic, military, humanitarian aid"),
        EventType("RETREAT", MATERIAL_COOPERATION, 4.0, ("08",), "withdraw, release, demobilise"),
        EventType("REQUEST", VERBAL_CONFLICT, -1.0, ("02", "10"), "ask, appeal, urge, demand"),
        EventType("ACCUSE", VERBAL_CONFLICT, -3.0, ("11",), "criticise, condemn, blame, denounce, protest formally"),
        EventType("REJECT", VERBAL_CONFLICT, -4.0, ("12",), "refuse, reject, veto"),
        EventType("THREATEN", VERBAL_CONFLICT, -6.0, ("13",), "threaten, warn of force or sanctions"),
        EventType("PROTEST", MATERIAL_CONFLICT, -6.5, ("14",), "street demonstrations, strikes"),
        EventType("SANCTION", VERBAL_CONFLICT, -5.0, ("16",), "sanctions, cut or downgrade ties, cancel or postpone visits, boycotts"),
        EventType("MOBILIZE", MATERIAL_CONFLICT, -7.0, ("15",), "build-ups, deployments, alerts, incursions, shows of force"),
        EventType("COERCE", MATERIAL_CONFLICT, -8.0, ("17",), "seize, annex, arrest, expel, blockade, cyber operations"),
        EventType("ASSAULT", MATERIAL_CONFLICT, -9.5, ("18", "19", "20"), "use of force"),
    ]
}  # fmt: skip

#: PLOVER's 19-type names outside the POLECAT 16, mapped onto ours
LEGACY_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "FIGHT": "ASSAULT",
    "INVESTIGATE": "ACCUSE",
}

#: CAMEO root codes (01–20) → our type, for users mapping to CAMEO/ICEWS/GDELT
CAMEO_ROOTS = {
    "01": "CONSULT",  # make public statement
    "02": "REQUEST",  # appeal
    "03": "AGREE",  # express intent to cooperate
    "04": "CONSULT",
    "05": "SUPPORT",  # engage in diplomatic cooperation
    "06": "COOPERATE",
    "07": "AID",
    "08": "CONCEDE",  # yield
    "09": "ACCUSE",  # investigate
    "10": "REQUEST",  # demand
    "11": "ACCUSE",  # disapprove
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",  # exhibit force posture
    "16": "SANCTION",  # reduce relations
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",  # fight
    "20": "ASSAULT",  # unconventional mass violence
}

#: intensity shifts per mode
MODE_INTENSITY = {
    ("COOPERATE", "military"): 7.5,
    ("COOPERATE", "economic"): 5.5,
    ("SANCTION", "visit-cancelled"): -4.0,
    ("SANCTION", "economic"): -5.5,
    ("SANCTION", "diplomatic"): -6.0,
    ("CONSULT", "visit"): 3.0,
    ("AID", "military"): 8.0,
    ("MOBILIZE", "air"): -6.5,
    ("MOBILIZE", "naval"): -6.5,
    ("ACCUSE", "diplomatic-protest"): -3.5,
}

#: the sign REQUEST carries in relation scores is small (appeals and demands mix)
SCORE_WEIGHT = {"REQUEST": 0.3}


def quad(event_type: str) -> str:
    return EVENT_TYPES[event_type].quad


def intensity(event_type: str, mode: str | None = None, negated: bool = False) -> float:
    """Goldstein-style intensity of a type (and mode); a negated event scores 0."""
    if negated:
        return 0.0
    return MODE_INTENSITY.get((event_type, mode or ""), EVENT_TYPES[event_type].intensity)


def cameo_root(event_type: str) -> str:
    """The first CAMEO root code of a type."""
    return EVENT_TYPES[event_type].cameo[0]
