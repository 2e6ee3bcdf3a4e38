"""Dependence of one tie on another: lagged correlation and a Granger test.

Series are the per-period scores of two dyads (periods without evidence count 0). The
lagged correlation at lag k pairs ``x[t - k]`` with ``y[t]``. The Granger test
(statsmodels, F test on the sum of squared residuals) asks whether past values of x help
predict y beyond y's own past; it runs only with at least ``MIN_PERIODS`` periods and
says so honestly otherwise (also when fewer than ``MIN_ACTIVE`` periods of either series
have any evidence: a series of zeros tests nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from entente.analysis.relations import dyad_scores

MIN_PERIODS = 12
MIN_ACTIVE = 8


def _key(pair: str) -> str:
    a, b = sorted(p.strip().upper() for p in pair.replace("–", "-").split("-"))
    return f"{a}-{b}"


def series(df: pd.DataFrame, pair: str, freq: str, index: list[str]) -> pd.Series:
    scores = dyad_scores(df, freq)
    s = (
        scores[scores["pair"] == _key(pair)].set_index("period")["score"]
        if not scores.empty
        else pd.Series(dtype=float)
    )
    return s.reindex(index, fill_value=0.0).astype(float)


def dependence(
    df: pd.DataFrame, x_pair: str, y_pair: str, freq: str = "Q", max_lag: int = 4
) -> dict[str, Any]:
    """Lagged correlations and, when the data allow, a Granger test of ``x_pair`` leading
    ``y_pair``, over the span where both dyads have evidence only (never zero-filled back
    to years in which one of them was silent)."""
    scores = dyad_scores(df, freq)
    xk, yk = _key(x_pair), _key(y_pair)
    out: dict[str, Any] = {"x": xk, "y": yk, "freq": freq}
    active: dict[str, list[str]] = {}
    for k in (xk, yk):
        sub = scores[scores["pair"] == k] if not scores.empty else scores
        active[k] = sorted(str(p) for p in sub["period"]) if not sub.empty else []
    if not active[xk] or not active[yk]:
        missing = " and ".join(k for k in (xk, yk) if not active[k])
        out.update(periods=0, status=f"not enough data: no dated evidence for {missing}")
        return out
    f = freq.upper().replace("A", "Y")
    start = max(active[xk][0], active[yk][0])
    end = min(active[xk][-1], active[yk][-1])
    if start > end:
        out.update(periods=0, status=(
            f"not enough data: the two dyads have evidence in periods that do not overlap "
            f"({xk} {active[xk][0]}–{active[xk][-1]}, {yk} {active[yk][0]}–{active[yk][-1]})"
        ))  # fmt: skip
        return out
    index = [str(p) for p in pd.period_range(start, end, freq=f)]
    n_x = sum(1 for p in active[xk] if start <= p <= end)
    n_y = sum(1 for p in active[yk] if start <= p <= end)
    x = series(df, x_pair, freq, index)
    y = series(df, y_pair, freq, index)
    out.update({
        "span": [start, end], "periods": len(index), "active_x": n_x, "active_y": n_y,
        "x_series": x.round(3).tolist(), "y_series": y.round(3).tolist(), "index": index,
        "note": "series compared only over the span where both dyads have evidence; periods "
                "without evidence inside it count 0",
    })  # fmt: skip
    corr: list[dict[str, Any]] = []
    for lag in range(0, max_lag + 1):
        if len(index) - lag < 3:
            break
        xs, ys = x.values[: len(index) - lag], y.values[lag:]
        if np.std(xs) == 0 or np.std(ys) == 0:
            corr.append({"lag": lag, "r": None})
        else:
            corr.append({"lag": lag, "r": round(float(np.corrcoef(xs, ys)[0, 1]), 3)})
    out["lagged_correlation"] = corr
    problems = []
    if len(index) < MIN_PERIODS:
        problems.append(f"{len(index)} shared periods (need {MIN_PERIODS})")
    if min(n_x, n_y) < MIN_ACTIVE:
        problems.append(
            f"{n_x} and {n_y} periods with evidence in the shared span (need {MIN_ACTIVE} each)"
        )
    if not problems and (np.std(x.values) == 0 or np.std(y.values) == 0):
        problems.append("a series without variation")
    if problems:
        out["granger"] = None
        out["status"] = "not enough data for a Granger test: " + "; ".join(problems)
        return out
    from statsmodels.tsa.stattools import grangercausalitytests

    lags = min(max_lag, max(1, len(index) // 4))
    res = grangercausalitytests(np.column_stack([y.values, x.values]), maxlag=lags)
    out["granger"] = [
        {
            "lag": k,
            "F": round(float(v[0]["ssr_ftest"][0]), 3),
            "p": round(float(v[0]["ssr_ftest"][1]), 4),
        }
        for k, v in res.items()
    ]
    out["status"] = "ok"
    return out
