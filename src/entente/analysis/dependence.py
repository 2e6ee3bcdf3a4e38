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
    scores = dyad_scores(df, freq)
    keys = {_key(x_pair), _key(y_pair)}
    sub = scores[scores["pair"].isin(keys)] if not scores.empty else scores
    if sub.empty:
        return {
            "x": _key(x_pair),
            "y": _key(y_pair),
            "periods": 0,
            "status": "not enough data: no dated evidence for these dyads",
        }
    periods = pd.period_range(
        min(sub["period"]), max(sub["period"]), freq=freq.upper().replace("A", "Y")
    )
    index = [str(p) for p in periods]
    x = series(df, x_pair, freq, index)
    y = series(df, y_pair, freq, index)
    out: dict[str, Any] = {"x": _key(x_pair), "y": _key(y_pair), "freq": freq, "periods": len(index),
                           "x_series": x.round(3).tolist(), "y_series": y.round(3).tolist(), "index": index}  # fmt: skip
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
    if len(index) < MIN_PERIODS or np.std(x.values) == 0 or np.std(y.values) == 0:
        out["granger"] = None
        out["status"] = (
            f"not enough data for a Granger test: {len(index)} periods with variation (need {MIN_PERIODS})"
        )
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
