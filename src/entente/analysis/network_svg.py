"""The signed network as an SVG drawing for the HTML report.

Layout: friends near, foes apart. Each pair of states gets a target distance by the sign
of its tie (``+`` close, ``−`` far, neutral between; untied pairs in between as well) and
a weighted stress layout places the states to honour those distances, ties far above
untied pairs (so a hostile tie pushes its states apart instead of pulling them together
as a spring layout on |score| would). Labels are boxes that never
overlap: after the layout, overlapping boxes are pushed apart until none intersect.

The drawing is data for a template (``templates/network.svg.j2``): nodes with their box,
edges with colour, width and a link to the tie's evidence, and a legend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from entente.analysis.relations import Tie

#: target distances of the layout, by tie sign
DISTANCE = {1: 1.0, 0: 1.9, -1: 3.2}
UNTIED = 2.2
#: how much an untied pair's distance counts beside a tie's (1 and more)
UNTIED_WEIGHT = 0.05
#: at most this many states are drawn (those with the most evidence)
MAX_NODES = 40
#: label box: width per character and padding, height (pixels of the drawing)
CHAR_W = 8.0
PAD_W = 14.0
BOX_H = 22.0
GAP = 4.0
MARGIN = 30.0
POS, NEG, NEU = "#2e7d32", "#c62828", "#757575"


@dataclass(slots=True)
class Node:
    code: str
    x: float
    y: float
    w: float
    h: float = BOX_H
    records: int = 0

    @property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom)."""
        return (self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)


@dataclass(slots=True)
class Edge:
    key: str
    x1: float
    y1: float
    x2: float
    y2: float
    sign: int
    score: float
    n: int
    color: str
    width: float
    dashed: bool


@dataclass(slots=True)
class Drawing:
    width: float
    height: float
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    dropped: int = 0  # states left out beyond MAX_NODES


def overlaps(a: Node, b: Node, gap: float = 0.0) -> bool:
    al, at, ar, ab = a.box
    bl, bt, br, bb = b.box
    return al < br + gap and bl < ar + gap and at < bb + gap and bt < ab + gap


def _separate(nodes: list[Node], width: float, height: float) -> tuple[float, float]:
    """Push overlapping label boxes apart (along the line between their centres, or
    sideways when they coincide); the canvas grows when they cannot fit."""
    for _round in range(12):
        for _ in range(400):
            moved = False
            for i, a in enumerate(nodes):
                for b in nodes[i + 1 :]:
                    if not overlaps(a, b, GAP):
                        continue
                    dx, dy = b.x - a.x, b.y - a.y
                    if abs(dx) < 1e-6 and abs(dy) < 1e-6:
                        dx, dy = 1.0, 0.3
                    # the smaller push that clears the boxes: horizontal or vertical
                    need_x = (a.w + b.w) / 2 + GAP - abs(dx)
                    need_y = (a.h + b.h) / 2 + GAP - abs(dy)
                    if need_x < need_y:
                        s = math.copysign(need_x / 2 + 0.5, dx)
                        a.x -= s
                        b.x += s
                    else:
                        s = math.copysign(need_y / 2 + 0.5, dy)
                        a.y -= s
                        b.y += s
                    moved = True
            for n in nodes:
                n.x = min(max(n.x, MARGIN + n.w / 2), width - MARGIN - n.w / 2)
                n.y = min(max(n.y, MARGIN + n.h / 2), height - MARGIN - n.h / 2)
            if not moved:
                return width, height
        # no room: a larger canvas, positions scaled with it
        for n in nodes:
            n.x *= 1.25
            n.y *= 1.25
        width, height = width * 1.25, height * 1.25
    return width, height


def _stress_layout(states: list[str], ties: list[Tie]) -> dict[str, tuple[float, float]]:
    """Positions that honour each pair's target distance (:data:`DISTANCE` by the tie's
    sign, :data:`UNTIED` for pairs with no tie), weighing tied pairs (the more evidence,
    the more) far above untied ones: weighted stress minimised by gradient steps from a
    circle, deterministic. Unlike an energy layout that weighs pairs by 1/d², a hostile
    tie is held at its long distance as firmly as a friendly one at its short one."""
    import numpy as np

    n = len(states)
    if n == 1:
        return {states[0]: (0.0, 0.0)}
    index = {s: i for i, s in enumerate(states)}
    target = np.full((n, n), UNTIED)
    weight = np.full((n, n), UNTIED_WEIGHT)
    for t in ties:
        i, j = index[t.a], index[t.b]
        target[i, j] = target[j, i] = DISTANCE[t.sign]
        weight[i, j] = weight[j, i] = 1.0 + 0.3 * math.log1p(t.n)
    np.fill_diagonal(weight, 0.0)
    np.fill_diagonal(target, 0.0)
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    x = np.stack([np.cos(angle), np.sin(angle)], axis=1) * (n / (2 * np.pi)) * 1.2
    step = 0.05 / max(1.0, float(weight.sum(axis=1).max()) / 4)
    for _ in range(1500):
        diff = x[:, None, :] - x[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2)) + np.eye(n)
        coef = weight * (dist - target) / dist
        grad = (coef[:, :, None] * diff).sum(axis=1)
        x -= step * 2 * grad
    return {s: (float(x[i, 0]), float(x[i, 1])) for s, i in index.items()}


def draw(ties: dict[str, Tie], width: float = 720.0, height: float = 520.0) -> Drawing:
    """The drawing of ``ties``: a signed layout with non-overlapping labels."""
    records: dict[str, int] = {}
    for t in ties.values():
        for s in (t.a, t.b):
            records[s] = records.get(s, 0) + t.n
    ranked = sorted(records, key=lambda s: (-records[s], s))
    kept = set(ranked[:MAX_NODES])
    shown = [t for t in ties.values() if t.a in kept and t.b in kept]
    states = sorted(kept)
    out = Drawing(width=width, height=height, dropped=len(ranked) - len(kept))
    if not states:
        return out
    coords = _stress_layout(states, shown)
    xs = [c[0] for c in coords.values()]
    ys = [c[1] for c in coords.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    inner_w, inner_h = width - 2 * MARGIN - 80, height - 2 * MARGIN - 40
    for s in states:
        x, y = coords[s]
        out.nodes.append(
            Node(
                code=s,
                x=MARGIN + 40 + (x - min(xs)) / span_x * inner_w,
                y=MARGIN + 20 + (y - min(ys)) / span_y * inner_h,
                w=CHAR_W * len(s) + PAD_W,
                records=records[s],
            )
        )
    out.width, out.height = _separate(out.nodes, width, height)
    at = {n.code: n for n in out.nodes}
    for t in sorted(shown, key=lambda t: (t.n, t.key)):  # the best evidenced on top
        na, nb = at[t.a], at[t.b]
        color = POS if t.sign > 0 else NEG if t.sign < 0 else NEU
        out.edges.append(
            Edge(
                key=t.key, x1=round(na.x, 1), y1=round(na.y, 1), x2=round(nb.x, 1), y2=round(nb.y, 1),
                sign=t.sign, score=t.score, n=t.n, color=color,
                width=round(1.0 + 1.6 * math.log1p(t.n), 2), dashed=t.sign == 0,
            )
        )  # fmt: skip
    for n in out.nodes:
        n.x, n.y = round(n.x, 1), round(n.y, 1)
    return out


def network_view(
    df: Any, at: date | None, freq: str = "Y", limit: int = MAX_NODES
) -> dict[str, Any]:
    """The signed network at ``at`` for an interactive view that steps through time:
    ``nodes`` (code, records, position in [0, 1]²) placed once from all the evidence, so
    a state keeps its place from one date to the next; ``edges`` at ``at`` among them
    (pair, sign, score, records, colour, width); ``periods``: the ends of the ``freq``
    periods (``Y``, ``Q`` or ``M``) that hold evidence, first to last, for a slider."""
    import pandas as pd

    from entente.analysis.relations import network_at

    everything = network_at(df, None)
    records: dict[str, int] = {}
    for t in everything.values():
        for s in (t.a, t.b):
            records[s] = records.get(s, 0) + t.n
    kept = sorted(sorted(records, key=lambda s: (-records[s], s))[:limit])
    coords = (
        _stress_layout(kept, [t for t in everything.values() if t.a in kept and t.b in kept])
        if kept
        else {}
    )
    xs = [c[0] for c in coords.values()] or [0.0]
    ys = [c[1] for c in coords.values()] or [0.0]
    sx, sy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    nodes = [
        {"code": s, "records": records[s],
         "x": round((coords[s][0] - min(xs)) / sx, 4), "y": round((coords[s][1] - min(ys)) / sy, 4)}
        for s in kept
    ]  # fmt: skip
    shown = set(kept)
    edges = []
    for t in sorted(network_at(df, at).values(), key=lambda t: (t.n, t.key)):
        if t.a in shown and t.b in shown:
            color = POS if t.sign > 0 else NEG if t.sign < 0 else NEU
            edges.append(
                {"pair": t.key, "a": t.a, "b": t.b, "sign": t.sign, "score": t.score, "n": t.n,
                 "color": color, "width": round(1.0 + 1.6 * math.log1p(t.n), 2)}
            )  # fmt: skip
    days = (
        pd.to_datetime(df["day"]).dropna() if "day" in df else pd.Series([], dtype="datetime64[ns]")
    )
    periods: list[dict[str, str]] = []
    if not days.empty:
        for p in pd.period_range(days.min(), days.max(), freq=freq):
            periods.append({"label": str(p), "end": p.end_time.date().isoformat()})
    return {"at": at, "freq": freq, "nodes": nodes, "edges": edges, "periods": periods,
            "dropped": max(0, len(records) - len(kept))}  # fmt: skip
