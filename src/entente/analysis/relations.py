"""Dyad scores per period and the signed network at a date.

**Period scores** (``dyad_scores``): per pair and period (month ``M``, quarter ``Q``,
year ``Y``): the summed weight, the number of records, the mean weight per record (so
a busy dyad does not outscore a quiet one by volume alone), counts per quad class and
the evidence ids; optionally smoothed with an exponential moving average.

**Signed network at a date** (``network_at``): for each pair, the evidence dated on or
before the date, each weight discounted by its age with a half-life (default two years),
summed, each kind (events, assessments) and direction (for, against) kept apart as a
:class:`~entente.analysis.signs.PairEvidence`. The tie's sign (+1, −1, or 0 for neutral
or mixed) is the shipped sign model's reading of that summary
(:mod:`entente.analysis.signs`: learned from annotated texts, the same one `entente eval`
scores), or with ``band`` the plain rule: +1 above ``band``, −1 below ``-band``, 0
inside it. A tie needs at least ``min_evidence`` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

import pandas as pd

from entente.analysis.signs import PairEvidence, tie_sign

HALF_LIFE_YEARS = 2.0
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
    #: the summary the sign was read from (None for a tie built by hand)
    parts: PairEvidence | None = None

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
    band: float | None = None,
    min_evidence: int = MIN_EVIDENCE,
    since: date | None = None,
) -> dict[str, Tie]:
    """The signed network on ``at`` (None: all evidence, no discount).

    When the frame has been arranged (:meth:`NetworkIndex.of`, as a server does for the
    frame it keeps), the network at any date costs a binary search per pair; otherwise
    the frame is read once, directly."""
    index = NetworkIndex.cached(df, half_life_years)
    if index is not None:
        return index.network(at, band, min_evidence, since)
    return _network_direct(df, at, half_life_years, band, min_evidence, since)


def _network_direct(
    df: pd.DataFrame,
    at: date | None,
    half_life_years: float,
    band: float | None,
    min_evidence: int,
    since: date | None,
) -> dict[str, Tie]:
    d = discounted(df, at, half_life_years, since)
    return {t.key: _signed(t, band, min_evidence) for t in _pair_sums(d, "w")}


def _components(d: pd.DataFrame, weight: str) -> Any:
    """Per row of ``d``, its ``weight`` split into the :class:`PairEvidence` parts:
    columns events for, events against, assessments for, assessments against, events,
    assessments (a row counts 1 in its kind's count)."""
    import numpy as np

    w = d[weight].to_numpy(dtype=float)
    if "kind" in d.columns:
        is_ass = (d["kind"] == "assessment").to_numpy(dtype=bool)
    else:  # a frame of events only
        is_ass = np.zeros(len(w), dtype=bool)
    is_ev = ~is_ass
    pos, neg = np.where(w > 0, w, 0.0), np.where(w < 0, -w, 0.0)
    return np.column_stack(
        (pos * is_ev, neg * is_ev, pos * is_ass, neg * is_ass, is_ev.astype(float),
         is_ass.astype(float))
    )  # fmt: skip


def _parts(v: Any) -> PairEvidence:
    return PairEvidence(
        float(v[0]), float(v[1]), float(v[2]), float(v[3]), round(float(v[4])), round(float(v[5]))
    )


def _pair_sums(d: pd.DataFrame, weight: str) -> list[Tie]:
    """Each pair's summed ``weight`` (unrounded, unsigned), count, evidence ids and
    summary (:class:`PairEvidence`).

    One sort, then each pair is a run of rows: exact sums (math.fsum: the same score
    whatever the rows' order), evidence ids (sorted, distinct) by slicing; a groupby with a
    Python function per pair cost ten times more."""
    import math

    if d.empty:
        return []
    d = d.sort_values(["a", "b", "id"], kind="stable")
    a = d["a"].to_numpy(dtype=object)
    b = d["b"].to_numpy(dtype=object)
    ids = d["id"].to_numpy(dtype=object)
    w = d[weight].to_numpy(dtype=float)
    comp = _components(d, weight)
    return [
        Tie(a=str(a[start]), b=str(b[start]), score=math.fsum(w[start:end].tolist()), sign=0,
            n=end - start, evidence=list(dict.fromkeys(ids[start:end].tolist())),
            parts=_parts([math.fsum(c) for c in comp[start:end].T.tolist()]))
        for start, end in _runs(a, b)
    ]  # fmt: skip


def _signed(t: Tie, band: float | None, min_evidence: int) -> Tie:
    """``t`` with its sign (:func:`entente.analysis.signs.tie_sign` of its summary: the
    shipped model, or the band rule with ``band``; 0 with fewer than ``min_evidence``
    records) and its score rounded for reading."""
    sign = 0
    if t.n >= min_evidence:
        parts = (
            t.parts
            if t.parts is not None
            else PairEvidence(max(t.score, 0.0), max(-t.score, 0.0), 0.0, 0.0, t.n, 0)
        )
        sign = tie_sign(parts, band)
    return Tie(a=t.a, b=t.b, score=round(t.score, 3), sign=sign, n=t.n,
               evidence=list(t.evidence), parts=t.parts)  # fmt: skip


class NetworkIndex:
    """An evidence frame arranged for the network at any date: each pair's rows sorted by
    day (then id), with running sums of each weight and of its parts (:func:`_components`;
    counts unscaled) scaled by ``2 ** (day / half-life)`` (relative to the pair's last day). A tie's discounted score on ``at`` is then the
    running sum up to ``at`` times ``2 ** (-(at - last day) / half-life)``, the same sum
    the discount defines; evidence ids are listed by date."""

    _cache: ClassVar[dict[int, tuple[Any, NetworkIndex]]] = {}

    def __init__(self, df: pd.DataFrame, half_life_years: float = HALF_LIFE_YEARS) -> None:
        import numpy as np

        self.half_life_days = half_life_years * 365.25
        self.rows = len(df)
        # all evidence, undiscounted (``at`` None): exact sums, ids sorted
        self.everything = {t.key: t for t in _pair_sums(df, "weight")}
        # dated evidence, for the network at a date
        dated = df.dropna(subset=["day"]) if len(df) else df
        self.pairs: list[tuple[str, str]] = []
        self.days: list[Any] = []
        self.cum: list[Any] = []
        self.last: list[int] = []
        self.ids: list[Any] = []
        if len(dated):
            d = dated.assign(_d=(dated["day"] - pd.Timestamp(0)).dt.days).sort_values(
                ["a", "b", "_d", "id"], kind="stable"
            )
            a, b = d["a"].to_numpy(dtype=object), d["b"].to_numpy(dtype=object)
            days = d["_d"].to_numpy(dtype=np.int64)
            ids, w = d["id"].to_numpy(dtype=object), d["weight"].to_numpy(dtype=float)
            # the weight, then its parts (counts undiscounted), as running sums
            cols = np.column_stack((w, _components(d, "weight")))
            for s0, e0 in _runs(a, b):
                last = int(days[e0 - 1])
                scale = np.exp2((days[s0:e0] - last) / self.half_life_days)
                scaled = cols[s0:e0] * scale[:, None]
                scaled[:, 5:] = cols[s0:e0, 5:]
                self.pairs.append((str(a[s0]), str(b[s0])))
                self.days.append(days[s0:e0])
                self.cum.append(np.vstack((np.zeros((1, 7)), np.cumsum(scaled, axis=0))))
                self.last.append(last)
                self.ids.append(ids[s0:e0])

    @classmethod
    def cached(
        cls, df: pd.DataFrame, half_life_years: float = HALF_LIFE_YEARS
    ) -> NetworkIndex | None:
        """The index :meth:`of` built for ``df``, if there is one."""
        if half_life_years != HALF_LIFE_YEARS:
            return None
        hit = cls._cache.get(id(df))
        if hit is not None and hit[0]() is df and hit[1].rows == len(df):
            return hit[1]
        return None

    @classmethod
    def of(cls, df: pd.DataFrame) -> NetworkIndex:
        """The index of ``df``, built now (or found), kept while ``df`` lives: every
        later :func:`network_at` of ``df`` uses it. For a frame read many times."""
        import weakref

        hit = cls.cached(df)
        if hit is not None:
            return hit
        index = cls(df)
        for key, (ref, _) in list(cls._cache.items()):
            if ref() is None:
                del cls._cache[key]
        cls._cache[id(df)] = (weakref.ref(df), index)
        return index

    def network(
        self,
        at: date | None = None,
        band: float | None = None,
        min_evidence: int = MIN_EVIDENCE,
        since: date | None = None,
        only: set[str] | None = None,
    ) -> dict[str, Tie]:
        """The network on ``at`` (the ties in ``only``, pair keys ``A-B``, if given)."""
        import numpy as np

        if at is None:
            return {
                key: _signed(t, band, min_evidence)
                for key, t in self.everything.items()
                if only is None or key in only
            }
        ties: dict[str, Tie] = {}
        epoch = date(1970, 1, 1)
        day = (at - epoch).days
        first = (since - epoch).days if since is not None else None
        for (a, b), days, cum, last, ids in zip(
            self.pairs, self.days, self.cum, self.last, self.ids, strict=True
        ):
            if only is not None and f"{a}-{b}" not in only:
                continue
            k = int(np.searchsorted(days, day, side="right"))
            j = int(np.searchsorted(days, first, side="left")) if first is not None else 0
            if k <= j:
                continue
            sums = cum[k] - cum[j]
            sums[:5] *= np.exp2((last - day) / self.half_life_days)
            ev = list(dict.fromkeys(ids[j:k].tolist()))
            tie = Tie(a=a, b=b, score=float(sums[0]), sign=0, n=k - j, evidence=ev,
                      parts=_parts(sums[1:]))  # fmt: skip
            ties[tie.key] = _signed(tie, band, min_evidence)
        return ties


def _runs(a: Any, b: Any) -> list[tuple[int, int]]:
    """(start, end) of each run of equal (a, b) in two sorted object arrays."""
    import numpy as np

    if not len(a):
        return []
    cut = np.flatnonzero((a[1:] != a[:-1]) | (b[1:] != b[:-1])) + 1
    starts = np.concatenate(([0], cut)).tolist()
    ends = np.concatenate((cut, [len(a)])).tolist()
    return list(zip(starts, ends, strict=True))


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
    """One row per tie, most evidenced first: its score and sign, and what the sign was
    read from (``for``/``against``: the weight of the cooperative events and favourable
    assessments, and of the others, discounted like the score)."""
    rows = []
    for t in sorted(ties.values(), key=lambda t: (-t.n, t.key)):
        row: dict[str, Any] = {"pair": t.key, "score": t.score, "sign": t.sign, "n": t.n}
        if t.parts is not None:
            row["for"] = round(t.parts.events_for + t.parts.assessments_for, 3)
            row["against"] = round(t.parts.events_against + t.parts.assessments_against, 3)
        row["evidence"] = t.evidence
        rows.append(row)
    return rows
