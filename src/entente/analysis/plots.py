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


def _save(fig: Any, out: Path, dpi: int = 110) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext in (".png", ".svg"):
        p = out.with_suffix(ext)
        fig.savefig(p, dpi=dpi, bbox_inches="tight")
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


def triangle_diagram(
    tri: Triangle, out: Path, title: str | None = None, ties: dict[str, Tie] | None = None
) -> list[Path]:
    """The triad's three ties (sign and, given ``ties``, score) and each state's role,
    at a resolution that prints sharply (200 dpi)."""
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
        mark = {1: "+", -1: "−", 0: "0"}[sign]
        if ties is not None and key in ties:
            mark = f"{mark} {ties[key].score:+.2f}"
        ax.text((x1 + x2) / 2, (y1 + y2) / 2, mark, color=color, fontsize=12 if ties else 16,
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
    return _save(fig, out, dpi=200)


def network_plot(ties: dict[str, Tie], out: Path, title: str = "Signed network") -> list[Path]:
    """The signed network with the report's layout (friends near, foes apart, label boxes
    that never overlap: :func:`entente.analysis.network_svg.draw`) and a legend."""
    from matplotlib.lines import Line2D

    from entente.analysis.network_svg import draw

    drawing = draw(ties)
    fig, ax = plt.subplots(figsize=(drawing.width / 100, drawing.height / 100))
    for e in drawing.edges:
        ax.plot([e.x1, e.x2], [e.y1, e.y2], color=e.color, linewidth=e.width,
                linestyle="--" if e.dashed else "-", zorder=1, solid_capstyle="round")  # fmt: skip
    for n in drawing.nodes:
        ax.text(n.x, n.y, n.code, ha="center", va="center", color="white", fontsize=9, zorder=3,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#1565c0", "edgecolor": "none"})  # fmt: skip
    ax.set_xlim(0, drawing.width)
    ax.set_ylim(drawing.height, 0)  # the drawing's y grows downwards
    handles = [
        Line2D([0], [0], color=POS, linewidth=3, label="+ friendly"),
        Line2D([0], [0], color=NEG, linewidth=3, label="− hostile"),
        Line2D([0], [0], color=NEU, linewidth=3, linestyle="--", label="0 neutral"),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False, ncol=3,
              bbox_to_anchor=(0, -0.08))  # fmt: skip
    ax.set_title(f"{title} (friends near, foes apart; line width: evidence)", fontsize=9)
    ax.set_axis_off()
    return _save(fig, out)
