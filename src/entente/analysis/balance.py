"""Structural balance of a signed graph, frustration, pivots and what-if scenarios.

Measures (for the nonzero ties only):

- share of balanced triads (sign product +; Heider, Cartwright & Harary 1956) and of
  weakly balanced ones (also − − −; Davis 1967);
- triangle index ½(1 + tr A³ / tr |A|³);
- frustration (line) index L: the fewest sign flips that make the graph balanced, found
  as the 2-colouring of the nodes that disagrees with the fewest ties. Exact by
  exhaustive search up to ``EXACT_MAX_NODES`` nodes per connected component (vectorised
  over all colourings); above that a documented heuristic (best of repeated greedy
  single-node moves from random starts) gives an upper bound. Normalised 1 − 2L/m;
- walk-based balance tr e^A / tr e^|A| (Estrada & Benzi 2014), from the eigenvalues.

``most frustrated ties`` are the ties whose sign disagrees with the best colouring (the
flips that would restore balance), ranked by the number of unbalanced triads they sit
in. ``pivots`` are states with positive ties to two states that are hostile to each
other. ``whatif`` fixes one tie and finds the colouring of least frustration that
agrees with it: its sign for each other tie is balance theory's expectation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

EXACT_MAX_NODES = 18


@dataclass(slots=True)
class Balance:
    nodes: list[str]
    edges: dict[tuple[str, str], int]
    triads: int = 0
    balanced: int = 0
    weakly_balanced: int = 0
    triangle_index: float | None = None
    frustration: int = 0
    frustration_exact: bool = True
    normalised: float | None = None
    walk_balance: float | None = None
    colouring: dict[str, int] = field(default_factory=dict)
    frustrated_ties: list[dict[str, Any]] = field(default_factory=list)
    pivots: list[dict[str, Any]] = field(default_factory=list)
    unbalanced_triads: list[list[str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": len(self.nodes), "ties": len(self.edges), "triads": self.triads,
            "balanced_share": round(self.balanced / self.triads, 3) if self.triads else None,
            "weakly_balanced_share": round(self.weakly_balanced / self.triads, 3) if self.triads else None,
            "triangle_index": self.triangle_index, "frustration_index": self.frustration,
            "frustration_exact": self.frustration_exact, "normalised_frustration": self.normalised,
            "walk_balance": self.walk_balance, "colouring": self.colouring,
            "most_frustrated_ties": self.frustrated_ties, "pivots": self.pivots,
            "unbalanced_triads": self.unbalanced_triads,
        }  # fmt: skip


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def signed_edges(ties: dict[str, Any]) -> dict[tuple[str, str], int]:
    return {_key(t.a, t.b): t.sign for t in ties.values() if t.sign != 0}


def _components(nodes: list[str], edges: dict[tuple[str, str], int]) -> list[list[str]]:
    adj: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    seen: set[str] = set()
    comps = []
    for n in nodes:
        if n in seen:
            continue
        stack, comp = [n], []
        seen.add(n)
        while stack:
            x = stack.pop()
            comp.append(x)
            for y in adj[x] - seen:
                seen.add(y)
                stack.append(y)
        comps.append(sorted(comp))
    return comps


def _cost(col: dict[str, int], edges: dict[tuple[str, str], int]) -> int:
    return sum(1 for (a, b), s in edges.items() if col[a] * col[b] != s)


def _exact(
    comp: list[str], edges: dict[tuple[str, str], int], fixed: tuple[tuple[str, str], int] | None
) -> dict[str, int]:
    n = len(comp)
    if n == 1:
        return {comp[0]: 1}
    idx = {s: i for i, s in enumerate(comp)}
    # node 0 fixed to +1 (a colouring and its negation are equivalent)
    codes = np.arange(2 ** (n - 1), dtype=np.int64)
    bits = ((codes[:, None] >> np.arange(n - 1)) & 1).astype(np.int8)
    cols = np.concatenate([np.ones((len(codes), 1), dtype=np.int8), 1 - 2 * bits], axis=1)
    cost = np.zeros(len(codes), dtype=np.int32)
    for (a, b), s in edges.items():
        if a in idx and b in idx:
            cost += (cols[:, idx[a]] * cols[:, idx[b]] != s).astype(np.int32)
    if fixed is not None:
        (fa, fb), fs = fixed
        if fa in idx and fb in idx:
            cost[cols[:, idx[fa]] * cols[:, idx[fb]] != fs] = np.iinfo(np.int32).max
    best = int(np.argmin(cost))
    return {s: int(cols[best, idx[s]]) for s in comp}


def _heuristic(
    comp: list[str],
    edges: dict[tuple[str, str], int],
    fixed: tuple[tuple[str, str], int] | None,
    restarts: int = 50,
) -> dict[str, int]:
    rng = random.Random(7)
    local = {k: v for k, v in edges.items() if k[0] in comp}
    best: dict[str, int] | None = None
    best_cost = None

    def total(col: dict[str, int]) -> int:
        c = _cost(col, local)
        if fixed is not None:
            (fa, fb), fs = fixed
            if fa in col and fb in col and col[fa] * col[fb] != fs:
                c += 10**6
        return c

    for _ in range(restarts):
        col = {s: rng.choice((-1, 1)) for s in comp}
        improved = True
        cur = total(col)
        while improved:
            improved = False
            for s in comp:
                col[s] = -col[s]
                c = total(col)
                if c < cur:
                    cur, improved = c, True
                else:
                    col[s] = -col[s]
        if best_cost is None or cur < best_cost:
            best, best_cost = dict(col), cur
    assert best is not None
    return best


def best_colouring(
    nodes: list[str],
    edges: dict[tuple[str, str], int],
    fixed: tuple[tuple[str, str], int] | None = None,
) -> tuple[dict[str, int], bool]:
    """The 2-colouring with the fewest disagreeing ties (and whether it is exact)."""
    col: dict[str, int] = {}
    exact = True
    for comp in _components(nodes, edges):
        if len(comp) <= EXACT_MAX_NODES:
            col.update(_exact(comp, edges, fixed))
        else:
            exact = False
            col.update(_heuristic(comp, edges, fixed))
    return col, exact


def analyse(ties: dict[str, Any]) -> Balance:
    edges = signed_edges(ties)
    nodes = sorted({s for e in edges for s in e})
    bal = Balance(nodes=nodes, edges=edges)
    if not edges:
        return bal
    unb_count: dict[tuple[str, str], int] = dict.fromkeys(edges, 0)
    for x, y, z in combinations(nodes, 3):
        k1, k2, k3 = _key(x, y), _key(x, z), _key(y, z)
        if k1 in edges and k2 in edges and k3 in edges:
            bal.triads += 1
            prod = edges[k1] * edges[k2] * edges[k3]
            if prod > 0:
                bal.balanced += 1
                bal.weakly_balanced += 1
            else:
                if edges[k1] + edges[k2] + edges[k3] == -3:
                    bal.weakly_balanced += 1
                bal.unbalanced_triads.append([x, y, z])
                for k in (k1, k2, k3):
                    unb_count[k] += 1
    idx = {s: i for i, s in enumerate(nodes)}
    a = np.zeros((len(nodes), len(nodes)))
    for (p, q), s in edges.items():
        a[idx[p], idx[q]] = a[idx[q], idx[p]] = s
    a3 = float(np.trace(np.linalg.matrix_power(a, 3)))
    abs3 = float(np.trace(np.linalg.matrix_power(np.abs(a), 3)))
    bal.triangle_index = round(0.5 * (1 + a3 / abs3), 4) if abs3 else None
    ev = np.linalg.eigvalsh(a)
    ev_abs = np.linalg.eigvalsh(np.abs(a))
    bal.walk_balance = round(float(np.exp(ev).sum() / np.exp(ev_abs).sum()), 4)
    col, exact = best_colouring(nodes, edges)
    bal.colouring = col
    bal.frustration_exact = exact
    bal.frustration = _cost(col, edges)
    bal.normalised = round(1 - 2 * bal.frustration / len(edges), 4)
    flips = [k for k, s in edges.items() if col[k[0]] * col[k[1]] != s]
    bal.frustrated_ties = sorted(
        (
            {"pair": f"{p}-{q}", "sign": edges[(p, q)], "unbalanced_triads": unb_count[(p, q)]}
            for p, q in flips
        ),
        key=lambda d: (-d["unbalanced_triads"], d["pair"]),
    )
    for st in nodes:
        friends = sorted(o for o in nodes if o != st and edges.get(_key(st, o)) == 1)
        for p, q in combinations(friends, 2):
            if edges.get(_key(p, q)) == -1:
                bal.pivots.append({"state": st, "between": [p, q]})
    return bal


def _frustration(edges: dict[tuple[str, str], int]) -> int:
    if not edges:
        return 0
    col, _ = best_colouring(sorted({s for e in edges for s in e}), edges)
    return _cost(col, edges)


def whatif(ties: dict[str, Any], pair: str, sign: int) -> dict[str, Any]:
    """Set one tie and report the triads whose balance changes and balance theory's
    expectation for the other ties (the least-frustrated colouring agreeing with it).
    Each expectation says its ``basis``: ``flip`` (a signed tie balance would reverse),
    ``triad`` (an unsigned pair closed by ``triads`` third states signed with both), or
    ``partition`` (an unsigned pair that no triad constrains: only the two-camp split of
    the whole network speaks for it, a guess)."""
    parts = pair.upper().replace("–", "-").split("-")
    if len(parts) != 2 or sign not in (-1, 0, 1):
        raise ValueError("--set takes AAA-BBB=+1, -1 or 0")
    k = _key(parts[0], parts[1])
    before = signed_edges(ties)
    after = dict(before)
    if sign == 0:
        after.pop(k, None)
    else:
        after[k] = sign
    nodes = sorted({s for e in after for s in e} | set(k))

    def triad_state(edges: dict[tuple[str, str], int], x: str, y: str, z: str) -> str | None:
        ks = [_key(x, y), _key(x, z), _key(y, z)]
        if not all(kk in edges for kk in ks):
            return None
        return "balanced" if edges[ks[0]] * edges[ks[1]] * edges[ks[2]] > 0 else "unbalanced"

    changed = []
    for z in nodes:
        if z in k:
            continue
        x, y = k
        b0, b1 = triad_state(before, x, y, z), triad_state(after, x, y, z)
        if b0 != b1:
            changed.append(
                {
                    "triad": sorted((x, y, z)),
                    "before": b0 or "incomplete",
                    "after": b1 or "incomplete",
                }
            )
    expected = []
    if sign != 0:
        col, _ = best_colouring(nodes, after, fixed=(k, sign))
        for e, s in sorted(after.items()):
            if e == k:
                continue
            exp = col[e[0]] * col[e[1]]
            if exp != s:
                expected.append({"pair": f"{e[0]}-{e[1]}", "now": s, "expected": exp,
                                 "basis": "flip", "triads": 0})  # fmt: skip
        # ties not yet signed between states of one connected component: "triad" when a
        # third state signed with both closes a triad that implies the sign, "partition"
        # when nothing but the two-camp split of the whole network speaks for it
        neighbours: dict[str, set[str]] = {}
        for x, y in after:
            neighbours.setdefault(x, set()).add(y)
            neighbours.setdefault(y, set()).add(x)
        comp_of = {n: i for i, comp in enumerate(_components(nodes, after)) for n in comp}
        for x, y in combinations(sorted({n for e in after for n in e}), 2):
            kk = _key(x, y)
            if kk not in after and kk != k and comp_of[x] == comp_of[y]:
                common = neighbours.get(x, set()) & neighbours.get(y, set())
                expected.append({"pair": f"{x}-{y}", "now": 0, "expected": col[x] * col[y],
                                 "basis": "triad" if common else "partition",
                                 "triads": len(common)})  # fmt: skip
    return {
        "set": f"{k[0]}-{k[1]}", "from": before.get(k, 0), "to": sign,
        "triads_changed": changed, "expected_ties": expected,
        "frustration_before": _frustration(before),
        "frustration_after": _frustration(after),
    }  # fmt: skip
