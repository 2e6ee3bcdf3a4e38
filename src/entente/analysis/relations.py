"""Dyad scores per period and the signed network at a date.

**Period scores** (``dyad_scores``): per pair and period (month ``M``, quarter ``Q``,
year ``Y``): the summed weight, the number of records, the mean weight per record (so
a busy dyad does not outscore a quiet one by volume alone), counts per quad class and
the evidence ids; optionally smoothed with an exponential moving average.

**Signed network at a date** (``network_at``): for each pair, the evidence dated on or
before the date, each weight discounted by its age with a half-life (default two years),
summed. The tie's sign is +1 above ``band``, −1 below ``-band``, and 0 (neutral or
mixed) inside it; a tie needs at least ``min_evidence`` records. These thresholds are our
own documented choice: no published rule turns event scores into signs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

HALF_LIFE_YEARS = 2.0
BAND = 1.0
MIN_EVIDENCE = 1
FREQS = {"M": "M", "Q": "Q", "Y": "Y", "A": "Y"}


@dataclass(slots=True)
class Tie:
    a: str
    b: str
    score: float
    sign: int
    n: int
    evidence: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.a}-{self.b}"


def dyad_scores(
    df: pd.DataFrame,
    freq: str = "Y",
    smoothing: float | None = None,
    directed: bool = False,
    include_guessed: bool = False,
) -> pd.DataFrame:
    """One row per pair and period with score, n, mean, quad counts and evidence ids.

    Records dated only by a guessed document date (``date_source`` ``document-guessed``)
    are left out unless ``include_guessed``: they would pile up as a spike on the one
    day the guess names."""
    f = FREQS.get(freq.upper())
    if f is None:
        raise ValueError(f"--freq must be M, Q or Y, got {freq!r}")
    d = df.dropna(subset=["day"])
    if not include_guessed and "date_source" in d.columns:
        d = d[d["date_source"] != "document-guessed"]
    d = d.copy()
    if d.empty:
        return pd.DataFrame(columns=["pair", "period", "score", "n", "mean", "evidence"])
    d["period"] = d["day"].dt.to_period(f).astype(str)
    if directed:
        d = d[d["kind"] == "event"].copy()
        d["pair"] = d["source"] + "->" + d["target"]
    else:
        d["pair"] = d["a"] + "-" + d["b"]
    for q in ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict"):
        d[q] = (d["quad"] == q).astype(int)
    g = d.groupby(["pair", "period"], sort=True)
    out = g.agg(
        score=("weight", "sum"), n=("weight", "size"), mean=("weight", "mean"),
        verbal_cooperation=("verbal cooperation", "sum"), material_cooperation=("material cooperation", "sum"),
        verbal_conflict=("verbal conflict", "sum"), material_conflict=("material conflict", "sum"),
        assessments=("kind", lambda s: int((s == "assessment").sum())),
        evidence=("id", lambda s: sorted(set(s))),
    ).reset_index()  # fmt: skip
    if smoothing:
        out["smoothed"] = out.groupby("pair")["score"].transform(
            lambda s: s.ewm(alpha=smoothing).mean()
        )
    out["score"] = out["score"].round(3)
    out["mean"] = out["mean"].round(3)
    return out


def discounted(
    df: pd.DataFrame,
    at: date | None = None,
    half_life_years: float = HALF_LIFE_YEARS,
    since: date | None = None,
) -> pd.DataFrame:
    """The evidence rows that count on ``at`` (all, undiscounted, for None), with ``w``:
    each row's weight discounted by its age at ``at``. A tie's score is the sum of ``w``."""
    d = df
    if at is None:
        return d.assign(w=d["weight"])
    ts = pd.Timestamp(at)
    d = d.dropna(subset=["day"])
    d = d[d["day"] <= ts]
    if since is not None:
        d = d[d["day"] >= pd.Timestamp(since)]
    age_years = (ts - d["day"]).dt.days / 365.25
    return d.assign(w=d["weight"] * (0.5 ** (age_years / half_life_years)))


def network_at(
    df: pd.DataFrame,
    at: date | None = None,
    half_life_years: float = HALF_LIFE_YEARS,
    band: float = BAND,
    min_evidence: int = MIN_EVIDENCE,
    since: date | None = None,
) -> dict[str, Tie]:
    """The signed network on ``at`` (None: all evidence, no discount)."""
    import math

    import numpy as np

    d = discounted(df, at, half_life_years, since)
    ties: dict[str, Tie] = {}
    if d.empty:
        return ties
    # one sort, then each pair is a run of rows: exact sums (math.fsum: the same score
    # whatever the rows' order), evidence ids (sorted, distinct) by slicing; a groupby
    # with a Python function per pair cost ten times more
    d = d.sort_values(["a", "b", "id"], kind="stable")
    a = d["a"].to_numpy(dtype=object)
    b = d["b"].to_numpy(dtype=object)
    ids = d["id"].to_numpy(dtype=object)
    w = d["w"].to_numpy(dtype=float)
    cut = np.flatnonzero((a[1:] != a[:-1]) | (b[1:] != b[:-1])) + 1
    starts = np.concatenate(([0], cut))
    ends = np.concatenate((cut, [len(a)]))
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        n = end - start
        score = math.fsum(w[start:end].tolist())
        sign = 0
        if n >= min_evidence:
            sign = 1 if score > band else (-1 if score < -band else 0)
        tie = Tie(
            a=str(a[start]),
            b=str(b[start]),
            score=round(score, 3),
            sign=sign,
            n=n,
            evidence=list(dict.fromkeys(ids[start:end].tolist())),
        )
        ties[tie.key] = tie
    return ties


def tie(ties: dict[str, Tie], x: str, y: str) -> Tie | None:
    a, b = sorted((x, y))
    return ties.get(f"{a}-{b}")


def parse_at(value: str | None) -> date | None:
    """``--at`` accepts YYYY, YYYY-MM or YYYY-MM-DD and means the end of that period
    (checked by :func:`entente.options.day_bound`; a bad value raises ``UsageError``,
    a ``ValueError``)."""
    from entente.options import day_bound

    return None if not value else day_bound(value, "--at", end=True)


def ties_table(ties: dict[str, Tie]) -> list[dict[str, Any]]:
    return [
        {"pair": t.key, "score": t.score, "sign": t.sign, "n": t.n, "evidence": t.evidence}
        for t in sorted(ties.values(), key=lambda t: (-t.n, t.key))
    ]
