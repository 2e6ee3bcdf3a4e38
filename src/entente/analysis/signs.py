"""The sign of a tie (+1 amity, −1 enmity, 0 mixed or neutral) from its evidence.

A tie's evidence is summarised as a :class:`PairEvidence`: the summed weight of its
cooperative and of its conflictual events kept apart, the same for assessments, and how
many records of each kind there are. Summing everything into one score and cutting it
with a band (the rule :func:`band_sign` keeps) loses what matters to a reader: a dyad
with one summit and three protests is not "slightly negative", and an author's closing
judgement outweighs a string of routine meetings.

The **learned sign model** (:class:`SignModel`, shipped as ``data/signs.json``) is an
ordinal logistic regression over scale-free features of that summary (the balance
of each kind of evidence, and how much there is, on a log scale), trained by
``make train`` on the *out-of-fold* predictions of the hybrid coder for the training
texts against the annotators' per-text dyad signs (eval/GUIDELINES.md §8): the
evidence it learns from is the coder's, errors included, not the gold events. The
evaluation's dyad signs and the network's ties (:func:`entente.analysis.network_at`)
both use it, so the figure `entente eval` reports is the one the analysis layer acts on.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from entente.coding.ontology import SCORE_WEIGHT

#: an assessment weighs polarity × confidence × this (an author's judgement about a
#: relationship summarises many events)
ASSESSMENT_WEIGHT = 3.0
#: the band of the plain rule: a summed score within ±BAND is neutral
BAND = 1.0
SIGNS = (-1, 0, 1)
FORMAT = "entente-signs/2"


def event_weight(row: dict[str, Any]) -> float:
    """An event record's weight: intensity × confidence, REQUEST down-weighted
    (``SCORE_WEIGHT``), a negated event 0 (the same as the store's SQL,
    :func:`entente.analysis.evidence.event_weight_sql`)."""
    if row.get("negated"):
        return 0.0
    return float(row["intensity"]) * float(row["confidence"]) * SCORE_WEIGHT.get(row["type"], 1.0)


def assessment_weight(row: dict[str, Any]) -> float:
    return float(row["polarity"]) * float(row["confidence"]) * ASSESSMENT_WEIGHT


@dataclass(slots=True)
class PairEvidence:
    """What a tie's evidence sums to, each kind and direction apart (weights already
    discounted by age where the caller discounts)."""

    events_for: float = 0.0
    events_against: float = 0.0
    assessments_for: float = 0.0
    assessments_against: float = 0.0
    events: int = 0
    assessments: int = 0

    def add(self, kind: str, weight: float) -> None:
        if kind == "assessment":
            self.assessments += 1
            if weight > 0:
                self.assessments_for += weight
            else:
                self.assessments_against -= weight
        else:
            self.events += 1
            if weight > 0:
                self.events_for += weight
            else:
                self.events_against -= weight

    @property
    def score(self) -> float:
        """The plain summed score."""
        return (
            self.events_for - self.events_against + self.assessments_for - self.assessments_against
        )

    @property
    def weight(self) -> float:
        """All the evidence's weight, for and against."""
        return (
            self.events_for + self.events_against + self.assessments_for + self.assessments_against
        )

    @property
    def n(self) -> int:
        return self.events + self.assessments

    def to_list(self) -> list[float]:
        return [
            self.events_for, self.events_against, self.assessments_for,
            self.assessments_against, float(self.events), float(self.assessments),
        ]  # fmt: skip

    @classmethod
    def from_list(cls, v: list[float]) -> PairEvidence:
        return cls(v[0], v[1], v[2], v[3], int(v[4]), int(v[5]))


def pair_evidence(rows: list[dict[str, Any]]) -> dict[str, PairEvidence]:
    """Per undirected state pair ("AAA-BBB", alphabetical) of coded records (the rows of
    :func:`entente.coding.records`), the summary of its evidence: every pair of an
    event's source and target states (every pair among the actors of a reciprocal act),
    and every assessment's dyad."""
    from entente.model import state_pairs

    out: dict[str, PairEvidence] = {}
    for r in rows:
        if r["kind"] == "event":
            w = event_weight(r)
            src = {a["country"] for a in r["source"]}
            tgt = {a["country"] for a in r["target"]}
            for pair in state_pairs(src, tgt):
                out.setdefault("-".join(sorted(pair)), PairEvidence()).add("event", w)
        elif r["kind"] == "assessment" and len(set(r["dyad"])) == 2:
            key = "-".join(sorted(r["dyad"]))
            out.setdefault(key, PairEvidence()).add("assessment", assessment_weight(r))
    return out


def band_sign(score: float, band: float = BAND) -> int:
    """+1 above ``band``, −1 below ``-band``, 0 within it."""
    return 1 if score > band else (-1 if score < -band else 0)


FEATURES = (
    "event_balance", "assessment_balance", "overall_balance",
    "log_events_for", "log_events_against", "log_assessments_for", "log_assessments_against",
)  # fmt: skip


def features(e: PairEvidence) -> list[float]:
    """The model's inputs: each kind's balance ((for − against) / (for + against + 1),
    in (−1, 1) whatever the volume), the overall one, and each sum on a log scale."""
    ev = (e.events_for - e.events_against) / (e.events_for + e.events_against + 1.0)
    pos = e.assessments_for + e.events_for
    neg = e.assessments_against + e.events_against
    asv = (e.assessments_for - e.assessments_against) / (
        e.assessments_for + e.assessments_against + 1.0
    )
    return [
        ev, asv, (pos - neg) / (pos + neg + 1.0),
        math.log1p(e.events_for), math.log1p(e.events_against),
        math.log1p(e.assessments_for), math.log1p(e.assessments_against),
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class SignModel:
    """An ordinal (cumulative-logit) regression over :func:`features`, standardised by
    ``mean``/``scale``: one score ``s = coef · x``, and the ordered signs ``classes``
    split by the increasing ``cuts`` (one fewer than the classes), so that
    P(sign ≤ classes[k]) = σ(cuts[k] − s). The signs are ordered, and so is the model:
    a feature's weight pushes every tie the same way, towards amity or towards enmity,
    whatever the tie's other evidence."""

    classes: tuple[int, ...]
    coef: tuple[float, ...]
    cuts: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    meta: dict[str, Any]

    def score(self, e: PairEvidence) -> float:
        """The tie's position on the model's enmity–amity scale."""
        x = [(v - m) / s for v, m, s in zip(features(e), self.mean, self.scale, strict=True)]
        return sum(w * v for w, v in zip(self.coef, x, strict=True))

    def probabilities(self, e: PairEvidence) -> dict[int, float]:
        s = self.score(e)
        below = [0.0, *(_sigmoid(c - s) for c in self.cuts), 1.0]
        return {c: below[k + 1] - below[k] for k, c in enumerate(self.classes)}

    def sign(self, e: PairEvidence) -> int:
        """The most probable sign (ties: the more negative); 0 when the evidence weighs
        nothing (none, or only negated events and appeals of no intensity): the model's
        prior alone is no reading of a tie."""
        if e.weight <= 0:
            return 0
        p = self.probabilities(e)
        return max(self.classes, key=lambda c: (p[c], -c))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "features": list(FEATURES), "classes": list(self.classes),
            "coef": list(self.coef), "cuts": list(self.cuts),
            "mean": list(self.mean), "scale": list(self.scale), "meta": self.meta,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SignModel:
        if d.get("format") != FORMAT or list(d.get("features", [])) != list(FEATURES):
            raise ValueError(f"not an {FORMAT} model with features {FEATURES}")
        classes = tuple(int(c) for c in d["classes"])
        cuts = tuple(float(v) for v in d["cuts"])
        if len(cuts) != len(classes) - 1 or list(cuts) != sorted(cuts):
            raise ValueError(f"{FORMAT}: needs {len(classes) - 1} increasing cuts, got {cuts}")
        return cls(
            classes=classes,
            coef=tuple(float(v) for v in d["coef"]),
            cuts=cuts,
            mean=tuple(float(v) for v in d["mean"]),
            scale=tuple(float(v) for v in d["scale"]),
            meta=dict(d.get("meta", {})),
        )


def _sigmoid(v: float) -> float:
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    ev = math.exp(v)
    return ev / (1.0 + ev)


@cache
def shipped_model() -> SignModel | None:
    """The sign model shipped in the package (``data/signs.json``), or None without one."""
    f = resources.files("entente.data").joinpath("signs.json")
    if not f.is_file():
        return None
    return SignModel.from_dict(json.loads(f.read_text("utf-8")))


def tie_sign(e: PairEvidence, band: float | None = None) -> int:
    """A tie's sign: the band rule when ``band`` is given (or no model is shipped),
    otherwise the shipped sign model."""
    model = shipped_model() if band is None else None
    if model is None:
        return band_sign(e.score, BAND if band is None else band)
    return model.sign(e)
