"""One self-contained HTML report: plots (inline PNG), tables, and a link from every
number to the evidence sentences and citations behind it."""

from __future__ import annotations

import base64
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from entente.analysis import balance as bal
from entente.analysis import plots
from entente.analysis.relations import Tie, network_at
from entente.analysis.triangles import top_triads


def _png(paths: list[Path]) -> str:
    png = next(p for p in paths if p.suffix == ".png")
    return base64.b64encode(png.read_bytes()).decode("ascii")


def _template() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("entente", "templates"),
        autoescape=True,  # every value is escaped: codes and sentences come from input
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    return env.get_template("report.html.j2")


def build(df: pd.DataFrame, at: date | None, title: str = "Entente report") -> str:
    """The report as one HTML page (Jinja2 template ``templates/report.html.j2``, values
    escaped, a Content-Security-Policy that allows no script and no remote load)."""
    ties = network_at(df, at)
    b = bal.analyse(ties)
    triads = top_triads(ties, 8)
    referenced: set[str] = set()
    ctx: dict[str, Any] = {
        "title": title, "at": str(at) if at else None, "n_rows": len(df),
        "n_events": int((df["kind"] == "event").sum()),
        "n_assessments": int((df["kind"] == "assessment").sum()),
        "network_png": None, "triangle_png": None, "timeline_png": None,
    }  # fmt: skip
    ordered = sorted(ties.values(), key=lambda x: (-x.n, x.key))
    for tie in ordered:
        referenced.update(tie.evidence)
    ctx["ties"] = ordered
    ctx["triads"] = [
        {
            "states": tri.states, "type": tri.type, "roles": tri.roles,
            "balanced": tri.balanced, "evidence": tri.evidence,
            "ids": [i for k in tri.signs for i in ties[k].evidence]
            if all(k in ties for k in tri.signs) else [],
        }
        for tri in triads
    ]  # fmt: skip
    d = b.to_dict()
    keys = ("ties", "triads", "balanced_share", "weakly_balanced_share", "triangle_index",
            "frustration_index", "normalised_frustration", "walk_balance")  # fmt: skip
    ctx["balance"] = [(k.replace("_", " "), d[k]) for k in keys]
    ctx["frustrated"] = b.frustrated_ties[:8]
    ctx["pivots"] = b.pivots[:10]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        ctx["network_png"] = _png(plots.network_plot(ties, t / "network"))
        if triads:
            label = f"{'–'.join(triads[0].states)}: {triads[0].type}"
            ctx["triangle_png"] = _png(plots.triangle_diagram(triads[0], t / "triangle", label))
        top_pairs = [x.key for x in sorted(ties.values(), key=lambda x: -x.n)[:4]]
        if top_pairs:
            ctx["timeline_png"] = _png(plots.timeline(df, top_pairs, t / "timeline", "Y", at))
    ev = (
        df[df["id"].isin(referenced)]
        .drop_duplicates("id")
        .sort_values(["day", "id"], na_position="last")
    )
    ctx["evidence"] = [
        {
            "id": r["id"], "label": r["type"] if r["kind"] == "event" else "assessment",
            "date": str(r["date"]), "date_source": r.get("date_source") or "none", "a": r["a"], "b": r["b"], "weight": float(r["weight"]),
            "sentence": str(r["sentence"]),
            "citation": r["citation"] if isinstance(r["citation"], str) else None,
        }
        for _, r in ev.iterrows()
    ]  # fmt: skip
    return str(_template().render(**ctx))


def tie_rows(ties: dict[str, Tie]) -> list[dict[str, Any]]:
    return [{"pair": t.key, "sign": t.sign, "score": t.score, "n": t.n} for t in ties.values()]
