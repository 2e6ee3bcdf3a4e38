"""One self-contained HTML report: plots (inline PNG), tables, and a link from every
number to the evidence sentences and citations behind it."""

from __future__ import annotations

import base64
import math
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from entente.analysis import balance as bal
from entente.analysis import network_svg, plots
from entente.analysis.relations import Tie, discounted, network_at
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


#: a note marker run onto the end of a word or sentence ("countries.35", "Tokyo35")
_MARKER = re.compile(r"(?<=[^\s\d])(\d{1,3})(?=[\s)\]]|$)")


def sentence_parts(sentence: str, note: Any) -> list[tuple[str, bool]]:
    """The sentence as (text, is_marker) parts: the record's note number where it is run
    onto a word ("countries.35") becomes a marker the template writes as a superscript
    linked to the citation. Nothing else is touched (years and counts stay text)."""
    if note is None or (isinstance(note, float) and math.isnan(note)):
        return [(sentence, False)]
    number = str(int(note))
    parts: list[tuple[str, bool]] = []
    last = 0
    for m in _MARKER.finditer(sentence):
        if m.group(1) != number:
            continue
        parts.append((sentence[last : m.start()], False))
        parts.append((number, True))
        last = m.end()
    parts.append((sentence[last:], False))
    return [p for p in parts if p[0]]


def _clean(value: Any) -> Any:
    """NaN and NaT (missing in a DataFrame) as None, for the template."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value


def build(
    df: pd.DataFrame,
    at: date | None,
    title: str = "Entente report",
    dyads: list[str] | None = None,
) -> str:
    """The report as one HTML page, from one Jinja2 template per section
    (``templates/report.html.j2`` and the ``section_*.html.j2`` it includes; values
    escaped, a Content-Security-Policy that allows no script and no remote load). The
    network is inline SVG (:mod:`entente.analysis.network_svg`); the other figures are
    inline PNG; evidence cards name the document, date and sentence number. ``dyads``
    ("JPN-RUS") choose the timelines (default: the four best evidenced pairs)."""
    ties = network_at(df, at)
    b = bal.analyse(ties)
    triads = top_triads(ties, 8)
    ctx: dict[str, Any] = {
        "title": title, "at": str(at) if at else None, "n_rows": len(df),
        "n_events": int((df["kind"] == "event").sum()),
        "n_assessments": int((df["kind"] == "assessment").sum()),
        "triangle_png": None, "timeline_png": None,
    }  # fmt: skip
    ordered = sorted(ties.values(), key=lambda x: (-x.n, x.key))
    referenced = {i for tie in ties.values() for i in tie.evidence}
    ev = (
        df[df["id"].isin(referenced)]
        .drop_duplicates("id")
        .sort_values(["day", "id"], na_position="last")
    )
    # short, unambiguous labels: the document's number in this report and the record's
    # own number in it ("3:e12"); the evidence section lists the documents by number
    doc_no: dict[str, int] = {}
    label: dict[str, str] = {}
    for rid, doc_id in zip(ev["id"], ev["doc_id"], strict=True):
        n = doc_no.setdefault(str(doc_id), len(doc_no) + 1)
        label[str(rid)] = f"{n}:{str(rid).rsplit(':', 1)[-1]}"
    ctx["label"] = label
    # each record's share of its tie's score (a record with several actor pairs on one
    # tie counts each): the shares add up to the score
    shares: dict[str, dict[str, float]] = {}
    for (x, y, rid), w in discounted(df, at).groupby(["a", "b", "id"])["w"].sum().items():
        shares.setdefault(f"{x}-{y}", {})[str(rid)] = float(w)
    ctx["ties"] = [
        {
            "key": t.key, "sign": t.sign, "score": t.score, "n": t.n,
            "weights": sorted(shares.get(t.key, {}).items(), key=lambda kv: (-abs(kv[1]), kv[0])),
        }
        for t in ordered
    ]  # fmt: skip
    ctx["net"] = network_svg.draw(ties)
    ctx["triads"] = [
        {
            "states": tri.states, "type": tri.type, "roles": tri.roles,
            "balanced": tri.balanced, "evidence": tri.evidence,
            "ties": [(k, ties[k].sign, ties[k].score) for k in tri.signs if k in ties],
        }
        for tri in triads
    ]  # fmt: skip
    d = b.to_dict()
    keys = ("ties", "triads", "balanced_share", "weakly_balanced_share", "triangle_index",
            "frustration_index", "normalised_frustration", "walk_balance")  # fmt: skip
    ctx["balance"] = [(k.replace("_", " "), d[k]) for k in keys]
    ctx["frustrated"] = [f for f in b.frustrated_ties[:8] if f["pair"] in ties]
    ctx["pivots"] = b.pivots[:10]
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        if triads:
            when = f" at {at}" if at else ""
            caption = f"{'–'.join(triads[0].states)}: {triads[0].type}{when}"
            ctx["triangle_png"] = _png(
                plots.triangle_diagram(triads[0], t / "triangle", caption, ties=ties)
            )
        top_pairs = dyads or [x.key for x in sorted(ties.values(), key=lambda x: -x.n)[:4]]
        if top_pairs:
            ctx["timeline_png"] = _png(plots.timeline(df, top_pairs, t / "timeline", "Y", at))
    titles: dict[str, str] = {}
    cards = []
    for _, r in ev.iterrows():
        citation = _clean(r.get("citation"))
        cards.append({
            "id": r["id"], "label": r["type"] if r["kind"] == "event" else "assessment",
            "date": str(_clean(r["date"]) or "undated"), "date_source": _clean(r.get("date_source")) or "none",
            "a": r["a"], "b": r["b"], "weight": float(r["weight"]),
            "title": _clean(r.get("title")) or _clean(r.get("doc_id")) or "",
            "sentence_index": None if (si := _clean(r.get("sentence_index"))) is None else int(si),
            "parts": sentence_parts(str(_clean(r["sentence"]) or ""), _clean(r.get("note"))),
            "citation": citation if isinstance(citation, str) else None,
            "doc": doc_no.get(str(r["doc_id"])),
        })  # fmt: skip
        titles.setdefault(str(r["doc_id"]), cards[-1]["title"])
    ctx["evidence"] = cards
    ctx["documents"] = [(n, titles.get(d, d)) for d, n in doc_no.items()]
    return str(_template().render(**ctx))


def tie_rows(ties: dict[str, Tie]) -> list[dict[str, Any]]:
    return [{"pair": t.key, "sign": t.sign, "score": t.score, "n": t.n} for t in ties.values()]
