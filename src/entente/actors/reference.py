"""Reference data: states, international bodies, sector terms and officials.

The JSON files under ``entente/data/`` are versioned with the package and loaded once
per process (:func:`reference`). Officials carry dated terms so that a name resolves
to the post its holder had on the statement's date.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

#: roles whose holders are defence officials are MIL, as in CAMEO
_MIL_ROLES = {"defence_minister", "deputy_defence_minister", "military_commander"}


@dataclass(frozen=True, slots=True)
class Term:
    country: str
    role: str
    title: str
    sector: str
    start: str
    end: str | None
    acting: bool = False
    approx: bool = False

    def covers(self, day: str) -> bool:
        """Whether the term includes ``day`` (ISO, any precision: compared as a prefix range)."""
        end = self.end or "9999-12-31"
        return self.start[: len(day)] <= day <= end[: len(day)]


@dataclass(slots=True)
class Official:
    id: str
    name: str
    country: str
    given: str
    family: str
    family_first: bool
    aliases: list[str]
    terms: list[Term]

    def term_at(self, day: str | None) -> tuple[Term | None, bool]:
        """The term in force on ``day`` (or the latest term) and whether it covers ``day``."""
        if not self.terms:
            return None, False
        if day:
            inside = [t for t in self.terms if t.covers(day)]
            if inside:
                rank = {"head_of_state": 0, "head_of_government": 1}
                return sorted(inside, key=lambda t: rank.get(t.role, 2))[0], True
            # out of office: the most senior post held, the latest on a tie
            return min(
                self.terms, key=lambda t: (_ROLE_RANK.get(t.role, 9), -_year(t.start))
            ), False
        return self.terms[-1], False


_ROLE_RANK = {
    "head_of_state": 0, "head_of_government": 1, "foreign_minister": 2, "defence_minister": 3,
    "igo_head": 3, "deputy_head_of_state": 4, "deputy_head_of_government": 5, "party_leader": 5,
    "legislature_speaker": 6, "security_adviser": 6, "chief_of_staff": 7, "military_commander": 7,
}  # fmt: skip


def _year(s: str) -> int:
    return int(s[:4])


@dataclass(slots=True)
class StateEntry:
    code: str
    name: str
    status: str
    successor: str | None
    kind: str  # "state" or "body"
    forms: dict[str, list[str]] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    #: a body's kind in bodies.json (alliance, regional, economic, global, judicial, forum)
    body_kind: str | None = None


@dataclass(slots=True)
class Reference:
    states: dict[str, StateEntry]
    officials: dict[str, Official]
    titles: dict[str, tuple[str, str]]
    sector_nouns: dict[str, str]
    organisations: list[dict[str, Any]]
    versions: dict[str, str]
    _by_country: dict[str, list[Official]] | None = None

    def holders(self, country: str, role: str, day: str | None) -> list[Official]:
        """Officials holding ``role`` for ``country`` on ``day``."""
        if self._by_country is None:  # index once: a scan of ~4,000 officials per call
            index: dict[str, list[Official]] = {}
            for off in self.officials.values():
                for c in dict.fromkeys(t.country for t in off.terms):
                    index.setdefault(c, []).append(off)
            self._by_country = index
        out = []
        for off in self._by_country.get(country, []):
            for t in off.terms:
                if t.country == country and t.role == role and (day is None or t.covers(day)):
                    out.append(off)
                    break
        return out


def _load(name: str) -> Any:
    return json.loads(resources.files("entente.data").joinpath(name).read_text("utf-8"))


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_GIVEN_SWAPS = [("ei", "ey"), ("ey", "ei"), ("iy", "y"), ("y", "i"), ("i", "y"), ("ii", "y")]


def given_variants(given: str) -> set[str]:
    """Transliteration variants of a given name: Sergei/Sergey, Dmitry/Dmitri/Dmitriy."""
    out = {given}
    for a, b in _GIVEN_SWAPS:
        if given.endswith(a) and len(given) > 3:
            out.add(given[: -len(a)] + b)
    if given.endswith(("y", "i")) and len(given) > 3:
        out.add(given[:-1] + "iy")
    return out


#: the titles of monarchs, who are named by title and given name ("King Salman", "Emir
#: Tamim"), and the forms the title takes
_ROYAL_TITLES = (
    (re.compile(r"\bking\b", re.I), ("King",)),
    (re.compile(r"\bqueen\b", re.I), ("Queen",)),
    (re.compile(r"\bemperor\b", re.I), ("Emperor",)),
    (re.compile(r"\bsultan\b", re.I), ("Sultan",)),
    (re.compile(r"\b(?:emir|amir)\b", re.I), ("Emir", "Amir", "Sheikh")),
)
#: ("Crown Prince Mohammed" is left to the title before the full name: as a form of its
#: own it would cut "Crown Prince Mohammed bin Salman" in two)


def _royal_forms(off: Official) -> set[str]:
    """ "King Salman" for Salman bin Abdulaziz: the title held and the given name."""
    given = (off.given or off.name).split()[0] if (off.given or off.name) else ""
    if len(given) < 3 or not given[:1].isupper():
        return set()
    out: set[str] = set()
    for t in off.terms:
        for rx, forms in _ROYAL_TITLES:
            if rx.search(t.title):
                out.update(f"{f} {given}" for f in forms)
    return out


def name_forms(off: Official) -> set[str]:
    """Every full-name form that refers to ``off``."""
    forms = {off.name, *off.aliases}
    forms |= _royal_forms(off)
    if off.given and off.family:
        for g in given_variants(off.given):
            forms.add(f"{g} {off.family}")
            forms.add(f"{off.family} {g}")
    more = set()
    for f in forms:
        folded = ascii_fold(f)
        more.add(folded)
        if "-" in f and re.search(r"[A-Z][a-z]+-[a-z]", f):  # Korean given names: Jae-in
            more.add(re.sub(r"(?<=[a-z])-(?=[a-z])", " ", f))
            more.add(re.sub(r"(?<=[a-z])-(?=[a-z])", "", f))
    forms |= more
    return {f for f in forms if len(f) >= 4 and " " in f}


@cache
def reference() -> Reference:
    """Load every reference file once."""
    states: dict[str, StateEntry] = {}
    sdata = _load("states.json")
    for s in sdata["states"]:
        states[s["code"]] = StateEntry(
            code=s["code"],
            name=s["name"],
            status=s.get("status", "member"),
            successor=s.get("successor"),
            kind="state",
            forms={
                k: list(s.get(k, []))
                for k in ("names", "adjectives", "demonyms", "combining", "capitals", "seats")
            },
        )
    bdata = _load("bodies.json")
    for b in bdata["bodies"]:
        states[b["code"]] = StateEntry(
            code=b["code"],
            name=b["name"],
            status="body",
            successor=None,
            kind="body",
            forms={
                "names": list(b.get("names", [])),
                "adjectives": list(b.get("adjectives", [])),
                "seats": list(b.get("seats", [])),
            },
            members=list(b.get("members", [])),
            body_kind=b.get("kind"),
        )
    officials: dict[str, Official] = {}
    off_dir = resources.files("entente.data").joinpath("officials")
    versions = {"states": sdata.get("version", "?"), "bodies": bdata.get("version", "?")}
    for entry in sorted(off_dir.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text("utf-8"))
        country = data["country"]
        versions[f"officials/{country}"] = data.get("version", "?")
        for o in data["officials"]:
            terms = [
                Term(
                    country=t.get("country", country),
                    role=t["role"],
                    title=t.get("title", t["role"]),
                    sector="MIL" if t["role"] in _MIL_ROLES else t.get("sector", "GOV"),
                    start=str(t["start"]),
                    end=str(t["end"]) if t.get("end") else None,
                    acting=bool(t.get("acting", False)),
                    approx=bool(t.get("approx", False)),
                )
                for t in o.get("terms", [])
            ]
            officials[o["id"]] = Official(
                id=o["id"],
                name=o["name"],
                country=country,
                given=o.get("given", ""),
                family=o.get("family", ""),
                family_first=bool(o.get("family_first", False)),
                aliases=list(o.get("aliases", [])),
                terms=terms,
            )
    sectors = _load("sectors.json")
    versions["sectors"] = sectors.get("version", "?")
    return Reference(
        states=states,
        officials=officials,
        titles={k.lower(): (v[0], v[1]) for k, v in sectors["titles"].items()},
        sector_nouns={k.lower(): v for k, v in sectors["bodies"].items()},
        organisations=list(sectors["organisations"]),
        versions=versions,
    )
