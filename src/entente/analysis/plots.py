"""Plots (matplotlib, written as PNG and SVG): dyad timelines, a triangle diagram, and
the signed network."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from entente.analysis.relations import Tie, dyad_scores
from entente.analysis.triangles import Triangle

POS, NEG, NEU = "#2e7d32", "#c62828", "#9e9e9e"


def _save(fig: Any, out: Path) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in (".png", ".svg"):
        p = out.with_suffix(ext)
        fig.savefig(p, dpi=110, bbox_inches="tight")
        paths.append(p)
    plt.close(fig)
    return paths


#: what a dyad score is, on the y-axis of every timeline
SCORE_LABEL = "score\n(Σ intensity × confidence;\n−10…+10 per event)"


def timeline(
    df: pd.DataFrame, pairs: list[str], out: Path, freq: str = "Y", until: date | None = None
) -> list[Path]:
    """Score per period for each pair as bars on a real date axis (a period without
    evidence is a gap, not a missing category), each bar labelled with its number of
    evidence records; nothing after ``until``."""
    scores = dyad_scores(df, freq)
    if not scores.empty:
        starts = [pd.Period(p, freq=freq).start_time for p in scores["period"]]
        ends = [pd.Period(p, freq=freq).end_time for p in scores["period"]]
        scores = scores.assign(start=starts, end=ends)
        if until is not None:
            scores = scores[scores["start"] <= pd.Timestamp(until)]
    fig, axes = plt.subplots(
        len(pairs), 1, figsize=(8, 2.4 * max(1, len(pairs))), squeeze=False, sharex=True
    )
    for ax, pair in zip(axes[:, 0], pairs, strict=True):
        sub = scores[scores["pair"] == pair] if not scores.empty else scores
        if sub.empty:
            ax.text(0.5, 0.5, f"{pair}: no dated evidence", ha="center", va="center",
                    transform=ax.transAxes)  # fmt: skip
            ax.set_yticks([])
            continue
        colors = [POS if v > 0 else NEG if v < 0 else NEU for v in sub["score"]]
        widths = [(e - s).days * 0.8 for s, e in zip(sub["start"], sub["end"], strict=True)]
        centres = [s + (e - s) / 2 for s, e in zip(sub["start"], sub["end"], strict=True)]
        ax.bar(centres, sub["score"], width=widths, color=colors)
        for x, v, n in zip(centres, sub["score"], sub["n"], strict=True):
            ax.annotate(str(n), (x, v), ha="center", va="bottom" if v >= 0 else "top", fontsize=7)
        ax.axhline(0, color="black", linewidth=0.6)
        ax.set_title(f"{pair}: score per period (numbers: evidence records)", fontsize=9)
        ax.set_ylabel(SCORE_LABEL, fontsize=7)
        ax.tick_params(axis="x", labelsize=7)
    if until is not None:
        axes[-1, 0].set_xlim(right=pd.Timestamp(until))
    fig.tight_layout()
    return _save(fig, out)


def triangle_diagram(tri: Triangle, out: Path, title: str | None = None) -> list[Path]:
    fig, ax = plt.subplots(figsize=(4.2, 3.8))
    pts = {
        tri.states[0]: (0.0, 0.0),
        tri.states[1]: (1.0, 0.0),
        tri.states[2]: (0.5, math.sqrt(3) / 2),
    }
    for key, sign in tri.signs.items():
        a, b = key.split("-")
        (x1, y1), (x2, y2) = pts[a], pts[b]
        color = POS if sign > 0 else NEG if sign < 0 else NEU
        ax.plot([x1, x2], [y1, y2], color=color, linewidth=3, linestyle="-" if sign else "--")
        ax.text((x1 + x2) / 2, (y1 + y2) / 2, {1: "+", -1: "−", 0: "0"}[sign], color=color, fontsize=16,
                ha="center", va="center", bbox={"facecolor": "white", "edgecolor": "none"})  # fmt: skip
    for s, (x, y) in pts.items():
        ax.scatter([x], [y], s=900, color="#1565c0", zorder=3)
        ax.text(
            x, y, s, color="white", ha="center", va="center", fontsize=9, zorder=4, weight="bold"
        )
        role = tri.roles.get(s)
        if role:
            ax.text(x, y - 0.13 if y < 0.5 else y + 0.12, role, ha="center", fontsize=9)
    ax.set_title(title or tri.type, fontsize=10)
    ax.set_xlim(-0.3, 1.3)
    ax.set_ylim(-0.3, 1.1)
    ax.set_axis_off()
    return _save(fig, out)


def network_plot(ties: dict[str, Tie], out: Path, title: str = "Signed network") -> list[Path]:
    import networkx as nx

    g = nx.Graph()
    for t in ties.values():
        g.add_edge(t.a, t.b, sign=t.sign, n=t.n, w=abs(t.score) + 0.1)
    fig, ax = plt.subplots(figsize=(7, 6))
    if g.number_of_nodes():
        # layouts do not take negative weights: lay out on |score|, colour by sign
        pos = nx.spring_layout(g, weight="w", seed=3)
        for sign, color, style in ((1, POS, "solid"), (-1, NEG, "solid"), (0, NEU, "dashed")):
            edges = [(a, b) for a, b, d in g.edges(data=True) if d["sign"] == sign]
            widths = [1 + math.log1p(g.edges[a, b]["n"]) for a, b in edges]
            nx.draw_networkx_edges(
                g, pos, edgelist=edges, edge_color=color, style=style, width=widths, ax=ax
            )
        nx.draw_networkx_nodes(g, pos, node_color="#1565c0", node_size=500, ax=ax)
        nx.draw_networkx_labels(g, pos, font_color="white", font_size=8, ax=ax)
    ax.set_title(f"{title} (green +, red −, grey neutral; width: evidence)", fontsize=9)
    ax.set_axis_off()
    return _save(fig, out)
