"""Strategic triangles (Dittmer 1981; unit veto 1987) and the roles in them.

For three states with signed ties (+ amity, − enmity):

=================  =======  =========================================================
type               signs    roles
=================  =======  =========================================================
ménage à trois     + + +    friend, friend, friend
romantic triangle  + + −    pivot (the state with two + ties), wing, wing
stable marriage    + − −    partner, partner (the + pair), outcast
unit veto          − − −    foe, foe, foe
incomplete         any 0    none (a tie is neutral, mixed or unknown)
=================  =======  =========================================================

Roles rank by advantage (Wu Yu-shan 1996): pivot > friend > partner > wing > foe >
outcast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from entente.analysis.relations import Tie, tie

ROLE_RANK = {"pivot": 0, "friend": 1, "partner": 2, "wing": 3, "foe": 4, "outcast": 5}
TYPES = {3: "ménage à trois", 1: "romantic triangle", -1: "stable marriage", -3: "unit veto"}


@dataclass(slots=True)
class Triangle:
    states: tuple[str, str, str]
    type: str
    signs: dict[str, int]
    roles: dict[str, str] = field(default_factory=dict)
    balanced: bool | None = None
    evidence: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"states": list(self.states), "type": self.type, "signs": self.signs, "roles": self.roles,
                "balanced": self.balanced, "evidence": self.evidence}  # fmt: skip


def classify(x: str, y: str, z: str, signs: dict[frozenset[str], int]) -> Triangle:
    """Type and roles of the triangle x–y–z given the signs of its three ties."""
    pairs = [(x, y), (x, z), (y, z)]
    s = {f"{min(p)}-{max(p)}": signs.get(frozenset(p), 0) for p in pairs}
    tri = Triangle(states=(x, y, z), type="incomplete", signs=s)
    values = [signs.get(frozenset(p), 0) for p in pairs]
    if 0 in values:
        return tri
    total = sum(values)
    tri.type = TYPES[total]
    tri.balanced = values[0] * values[1] * values[2] > 0
    plus = {n: sum(1 for p in pairs if n in p and signs[frozenset(p)] > 0) for n in (x, y, z)}
    if total == 3:
        tri.roles = dict.fromkeys((x, y, z), "friend")
    elif total == -3:
        tri.roles = dict.fromkeys((x, y, z), "foe")
    elif total == 1:
        tri.roles = {n: ("pivot" if plus[n] == 2 else "wing") for n in (x, y, z)}
    else:
        tri.roles = {n: ("partner" if plus[n] == 1 else "outcast") for n in (x, y, z)}
    return tri


def triangle_from_ties(x: str, y: str, z: str, ties: dict[str, Tie]) -> Triangle:
    signs: dict[frozenset[str], int] = {}
    evidence = 0
    for p, q in ((x, y), (x, z), (y, z)):
        t = tie(ties, p, q)
        signs[frozenset((p, q))] = t.sign if t else 0
        evidence += t.n if t else 0
    tri = classify(x, y, z, signs)
    tri.evidence = evidence
    return tri


def three_ties(df: Any, x: str, y: str, z: str) -> Any:
    """The evidence on the three ties of a triangle only (a triangle's reading needs no
    other tie, and the whole network costs a hundred times more)."""
    mask = None
    for p, q in (sorted((x, y)), sorted((x, z)), sorted((y, z))):
        one = (df["a"] == p) & (df["b"] == q)
        mask = one if mask is None else mask | one
    return df[mask]


def triangle_at(df: Any, x: str, y: str, z: str, at: date | None = None) -> Triangle:
    """The triangle's reading on ``at`` (None: all evidence) from the evidence frame."""
    from entente.analysis.relations import NetworkIndex, network_at

    index = NetworkIndex.cached(df)
    if index is not None:  # a frame a server keeps: its three ties at once
        keys = {"-".join(sorted(p)) for p in ((x, y), (x, z), (y, z))}
        return triangle_from_ties(x, y, z, index.network(at, only=keys))
    return triangle_from_ties(x, y, z, network_at(three_ties(df, x, y, z), at))


def top_triads(ties: dict[str, Tie], n: int = 10, complete_only: bool = True) -> list[Triangle]:
    """The most-evidenced triads: three states whose three ties all have evidence."""
    nodes = sorted({s for t in ties.values() for s in (t.a, t.b)})
    adj = {s: set() for s in nodes}  # type: dict[str, set[str]]
    for t in ties.values():
        adj[t.a].add(t.b)
        adj[t.b].add(t.a)
    out = []
    for x, y, z in combinations(nodes, 3):
        if y in adj[x] and z in adj[x] and z in adj[y]:
            tri = triangle_from_ties(x, y, z, ties)
            if complete_only and tri.type == "incomplete":
                continue
            out.append(tri)
    out.sort(key=lambda t: (-t.evidence, t.states))
    return out[:n]


def triangle_history(
    df: Any, x: str, y: str, z: str, freq: str,
    since: date | None = None, until: date | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """The triangle's reading at the end of each period, as runs.

    Periods run from ``since`` (default: the first dated evidence on any of the three
    ties) to ``until`` (default: the last). Consecutive periods with the same reading
    (type, signs, roles) form one run, which says how many records on the three ties are
    dated inside it (``new_evidence``); incomplete readings run together whatever their
    partial signs, split only where evidence starts or stops, so a stretch where nothing
    was said is one run, however long (the run keeps its first period's signs). Rows: ``from``, ``to`` (periods), ``periods``, the reading
    (:meth:`Triangle.to_dict`) and ``new_evidence``."""
    import pandas as pd

    from entente.analysis.relations import network_at

    mine = three_ties(df, x, y, z)
    days = mine["day"].dropna()
    if days.empty and since is None:
        return []
    start = pd.Timestamp(since if since is not None else days.min())
    end = pd.Timestamp(until if until is not None else (days.max() if not days.empty else start))
    if end < start:
        return []
    stamps = pd.to_datetime(days)
    runs: list[dict[str, Any]] = []
    for p in pd.period_range(start, end, freq=freq):
        reading = triangle_from_ties(x, y, z, network_at(mine, p.end_time.date())).to_dict()
        new = int(((stamps >= p.start_time) & (stamps <= p.end_time)).sum())
        if reading["type"] == "incomplete":
            # nothing to tell but the evidence: quiet stretches form one run, apart from
            # the periods where something was said (whatever the partial signs)
            same = bool(runs) and runs[-1]["type"] == "incomplete" and (
                runs[-1]["new_evidence"] > 0) == (new > 0)  # fmt: skip
        else:
            same = bool(runs) and all(runs[-1][k] == reading[k] for k in ("type", "signs", "roles"))
        if same:
            runs[-1]["to"] = str(p)
            runs[-1]["periods"] += 1
            runs[-1]["new_evidence"] += new
        else:
            runs.append(
                {"from": str(p), "to": str(p), "periods": 1, **reading, "new_evidence": new}
            )
    return runs
