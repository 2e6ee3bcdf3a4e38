"""The hybrid coder's trained scorer: model arithmetic, decisions, explanations, context
partners, and the shipped model file (format, size, reproducibility)."""

from __future__ import annotations

import hashlib
import json
import math
import os
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from entente.coding import code_document, records
from entente.coding.scorer import NONE, BoostModel, LinearModel, Scorer, blend, load_scorer
from entente.pipeline import read_document, resolve

ROOT = Path(__file__).resolve().parents[1]
TYPES = [NONE, "ACCUSE", "CONSULT"]


def _linear(weights: dict[str, list[float]], classes: list[str] = TYPES) -> LinearModel:
    return LinearModel(classes=classes, weights=weights, intercept=[0.0] * len(classes))


def test_linear_model_probabilities_and_explanation() -> None:
    m = _linear({"x": [0.0, 2.0, 0.0], "y": [1.0, 0.0, 0.0]})
    p = m.proba({"x": 1.0})
    assert abs(sum(p.values()) - 1.0) < 1e-9
    assert max(p, key=lambda k: p[k]) == "ACCUSE"
    assert m.proba({"y": 1.0})[NONE] > m.proba({})[NONE]
    top = m.explain({"x": 1.0, "y": 1.0, "unknown": 1.0}, "ACCUSE")
    assert top[0][0] == "x" and top[0][1] > 0 and all(name != "unknown" for name, _ in top)
    assert LinearModel.from_dict(m.to_dict()) == m


def _scorer(types: dict[str, list[float]], direction: dict[str, list[float]]) -> Scorer:
    return Scorer(
        types=_linear(types),
        direction=_linear(direction, ["ab", "ba", "joint"]),
        add=0.5,
        drop=0.9,
        meta={},
        add_context=0.5,
    )


def _hybrid(tmp_path: Path, text: str, scorer: Scorer, monkeypatch: Any) -> list[dict[str, Any]]:
    import entente.coding as coding

    monkeypatch.setattr(coding, "load_scorer", lambda: scorer)
    p = tmp_path / "t.txt"
    p.write_text(text)
    doc = resolve(read_document(p), "2019-05-01")
    return records(doc, code_document(doc, "hybrid"))


def test_scorer_adds_an_event_the_rules_missed_and_says_why(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # "kept company with" is in no lexicon: the rules find nothing, the scorer adds it
    scorer = _scorer(
        {"bias": [3.0, 0.0, 0.0], "t=keep": [0.0, 0.0, 6.0]},
        {"rbs=up0:nsubj": [0.0, 4.0, 0.0]},
    )
    rows = _hybrid(tmp_path, "Japan kept company with India at the summit.", scorer, monkeypatch)
    evs = [r for r in rows if r["kind"] == "event"]
    assert len(evs) == 1
    ev = evs[0]
    assert ev["type"] == "CONSULT" and ev["rule"].startswith("scorer")
    assert [a["country"] for a in ev["source"]] == ["JPN"]  # the subject (b) acts: "ba"
    assert [a["country"] for a in ev["target"]] == ["IND"]
    assert ev["why"]["score"] > 0.5 and ev["why"]["features"][0][0] == "t=keep"
    schema = json.loads(resources.files("entente.data").joinpath("record.schema.json").read_text())
    jsonschema.validate(ev, schema)


def test_an_act_told_by_two_linked_words_is_coded_once(tmp_path: Path, monkeypatch: Any) -> None:
    """A trigger that heads or depends on one already carrying an event for the same
    pair restates that act ("decided to keep company with"); conjuncts are two acts."""
    scorer = _scorer({"bias": [0.0, 0.0, 4.0], "t=keep": [0.0, 0.0, 1.0]}, {})
    one = _hybrid(tmp_path, "Japan decided to keep company with India.", scorer, monkeypatch)
    evs = [r for r in one if r["kind"] == "event"]
    assert [(e["type"], e["rule"]) for e in evs] == [("CONSULT", "scorer:keep")]
    two = _hybrid(tmp_path, "Japan met India and traded with India.", scorer, monkeypatch)
    assert sorted(r["rule"].split(":")[-1] for r in two if r["kind"] == "event") == [
        "meet",
        "trade",
    ]


def test_scorer_drops_a_rule_event_it_judges_empty(tmp_path: Path, monkeypatch: Any) -> None:
    text = "Japan imposed sanctions on Russia."
    keep = _scorer({"bias": [1.0, 0.0, 0.0], "rule_here": [-2.0, 0.0, 0.0]}, {})
    drop = _scorer({"bias": [1.0, 0.0, 0.0], "rule_here": [10.0, 0.0, 0.0]}, {})
    assert [
        r["type"] for r in _hybrid(tmp_path, text, keep, monkeypatch) if r["kind"] == "event"
    ] == ["SANCTION"]
    assert [r for r in _hybrid(tmp_path, text, drop, monkeypatch) if r["kind"] == "event"] == []


def test_partner_from_an_earlier_sentence_cites_it(tmp_path: Path, monkeypatch: Any) -> None:
    scorer = _scorer(
        {"bias": [4.0, 0.0, 0.0], "c:bias": [4.0, 0.0, 0.0], "ctx_from=prev1": [0.0, 12.0, 0.0]},
        {"c:in_a=up0:nsubj": [5.0, 0.0, 0.0], "c:in_b=up0:nsubj": [0.0, 5.0, 0.0]},
    )
    text = "Seoul published the report on Monday.\n\nPyongyang denounced it as a fabrication."
    rows = _hybrid(tmp_path, text, scorer, monkeypatch)
    evs = [r for r in rows if r["kind"] == "event"]
    assert len(evs) == 1
    ev = evs[0]
    assert ev["type"] == "ACCUSE" and ev["rule"].startswith("scorer_context")
    assert [a["country"] for a in ev["source"]] == ["PRK"]
    assert [a["country"] for a in ev["target"]] == ["KOR"]
    ((s, e),) = ev["context_spans"]
    assert text[s:e] == "Seoul published the report on Monday."


def test_shipped_model() -> None:
    scorer = load_scorer()
    if scorer is None:
        pytest.skip("no scorer.json shipped")
    path = Path(str(resources.files("entente.data").joinpath("scorer.json")))
    assert path.stat().st_size < 20 * 1024 * 1024
    assert scorer.types.classes[0] == NONE and len(scorer.types.classes) == 17
    assert set(scorer.direction.classes) == {"ab", "ba", "joint"}
    assert 0 < scorer.add <= 1.01 and 0 < scorer.drop <= 1.01
    assert scorer.meta["trained_on"]["dir"] == "eval/train"


def _same_model_up_to_rounding(built: dict[str, Any], kept: dict[str, Any]) -> list[str]:
    """What differs between two scorer files beyond floating point: another feature set,
    weights more than 0.25 apart (or 0.01 on average), chosen-on
    figures more than 0.01 apart; thresholds more than one step of the search apart. Empty when they are the same model."""
    wrong = []
    # the threshold search may tip to a neighbouring setting of equal merit
    apart = [
        k
        for k, v in kept["thresholds"].items()
        if ((v is None or built["thresholds"][k] is None) and v != built["thresholds"][k])
        or (
            v is not None
            and built["thresholds"][k] is not None
            and abs(built["thresholds"][k] - v) > 0.1
        )
    ]
    if apart:
        wrong.append(f"thresholds {built['thresholds']} != {kept['thresholds']}")
    for part in ("types", "direction", "kinds"):
        a, b = built[part]["weights"], kept[part]["weights"]
        if set(a) != set(b):
            wrong.append(f"{part}: {len(set(a) ^ set(b))} features in one file only")
            continue
        gaps = [abs(x - y) for k in a for x, y in zip(a[k], b[k], strict=True)]
        if max(gaps) > 0.25 or sum(gaps) / len(gaps) > 0.01:
            wrong.append(f"{part}: weights up to {max(gaps):.4f} apart")
    if ("boost" in built) != ("boost" in kept):
        wrong.append("boosted trees in one file only")
    elif "boost" in kept:
        # the trees see only binary features, which the kernels do not change: the same
        # splits, leaf values within rounding
        a, b = built["boost"], kept["boost"]
        if (
            a["features"] != b["features"]
            or a["weight"] != b["weight"]
            or any(
                (x["f"], x["p"], x["a"]) != (y["f"], y["p"], y["a"])
                for x, y in zip(a["trees"], b["trees"], strict=False)
            )
            or len(a["trees"]) != len(b["trees"])
        ):
            wrong.append("boost: other trees")
        elif any(
            abs(u - w) > 1e-3
            for x, y in zip(a["trees"], b["trees"], strict=True)
            for u, w in zip(x["v"], y["v"], strict=True)
        ):
            wrong.append("boost: leaf values apart")
    for k, v in kept["meta"]["chosen_on"].items():
        if abs(built["meta"]["chosen_on"][k] - v) > max(0.01, 0.01 * abs(v)):
            wrong.append(f"chosen_on {k}: {built['meta']['chosen_on'][k]} != {v}")
    return wrong


@pytest.mark.skipif(os.environ.get("ENTENTE_SKIP_TRAIN") == "1", reason="ENTENTE_SKIP_TRAIN=1 set")
def test_boosted_trees_give_lightgbms_own_scores(monkeypatch: Any) -> None:
    """The trees converted from a LightGBM model and walked with numpy give the
    library's own raw scores (up to the leaves' rounding), splits on features that are
    mostly absent included (LightGBM may send an absent feature either way)."""
    lgb = pytest.importorskip("lightgbm")
    import numpy as np
    import scipy.sparse as sp

    from entente.evaluate import train as T

    rng = np.random.default_rng(0)
    n, k = 3000, 40
    dense = (rng.random((n, k)) < np.linspace(0.02, 0.5, k)).astype(np.float32)
    logit = dense[:, :6] @ np.array([2.0, -1.5, 1.0, 3.0, -2.0, 1.5]) - 1.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    params = {"objective": "binary", "num_leaves": 15, "min_data_in_leaf": 5, "seed": 0,
              "deterministic": True, "num_threads": 1, "verbose": -1}  # fmt: skip
    booster = lgb.train(params, lgb.Dataset(sp.csr_matrix(dense), label=y), num_boost_round=30)
    names = [f"f={j}" for j in range(k)]
    model = T.boost_of(booster.dump_model(), names)
    assert model.features == sorted(set(model.features)) and len(model.trees) == 30
    feats = [{names[j]: 1.0 for j in np.flatnonzero(row)} for row in dense[:500]]
    mine = model.raw_many(feats)
    theirs = booster.predict(sp.csr_matrix(dense[:500]), raw_score=True)
    assert np.abs(mine - theirs).max() < 1e-4
    # a feature the trees never split on changes nothing; blocks give the same scores
    assert np.allclose(model.raw_many([{**f, "unseen": 1.0} for f in feats[:50]]), mine[:50])
    monkeypatch.setattr(BoostModel, "BLOCK", 7)
    assert np.allclose(model.raw_many(feats[:50]), mine[:50])
    again = BoostModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert np.allclose(again.raw_many(feats[:50]), mine[:50])


def test_multiclass_trees_give_lightgbms_own_probabilities() -> None:
    """Trees for the type of an event: tree t counts for class t mod k, as in LightGBM."""
    lgb = pytest.importorskip("lightgbm")
    import numpy as np
    import scipy.sparse as sp

    from entente.evaluate import train as T

    rng = np.random.default_rng(1)
    n, k = 2000, 30
    dense = (rng.random((n, k)) < 0.2).astype(np.float32)
    y = np.where(dense[:, 0] > 0, 0, np.where(dense[:, 1] > 0, 1, 2))
    y = np.where(rng.random(n) < 0.1, rng.integers(0, 3, n), y)
    params = {"objective": "multiclass", "num_class": 3, "num_leaves": 7, "seed": 0,
              "deterministic": True, "num_threads": 1, "verbose": -1}  # fmt: skip
    booster = lgb.train(params, lgb.Dataset(sp.csr_matrix(dense), label=y), num_boost_round=20)
    names = [f"f={j}" for j in range(k)]
    model = T.boost_of(booster.dump_model(), names)
    model.classes = ["AGREE", "ACCUSE", "CONSULT"]
    feats = [{names[j]: 1.0 for j in np.flatnonzero(row)} for row in dense[:300]]
    mine = np.array([[p[c] for c in model.classes] for p in model.proba_many(feats)])
    theirs = booster.predict(sp.csr_matrix(dense[:300]))
    assert np.abs(mine - theirs).max() < 1e-4
    assert BoostModel.from_dict(model.to_dict()).classes == model.classes


def test_a_tree_without_a_split_is_its_leaf() -> None:
    model = BoostModel(
        features=["x"],
        trees=[{"f": [], "p": [], "a": [], "v": [0.5]},
               {"f": [0], "p": [~1], "a": [~0], "v": [-1.0, 2.0]}],
        weight=0.5,
    )  # fmt: skip
    assert list(model.raw_many([{}, {"x": 1.0}])) == [-0.5, 2.5]


def test_the_blend_moves_the_probability_of_an_event_and_keeps_the_types_shares() -> None:
    probs = {NONE: 0.6, "ACCUSE": 0.3, "CONSULT": 0.1}
    out = blend(probs, 0.9, 0.5)
    assert out[NONE] == pytest.approx(1 - (0.5 * 0.9 + 0.5 * 0.4))
    assert out["ACCUSE"] / out["CONSULT"] == pytest.approx(3.0)
    assert sum(out.values()) == pytest.approx(1.0)
    assert blend(probs, 0.9, 0.0) == pytest.approx(probs)
    # no event at all in the type model: the trees' probability is shared evenly
    sure = blend({NONE: 1.0, "ACCUSE": 0.0, "CONSULT": 0.0}, 0.8, 0.5)
    assert sure["ACCUSE"] == pytest.approx(0.2) and sure[NONE] == pytest.approx(0.6)


def test_a_scorer_with_trees_blends_them_and_says_so(tmp_path: Path, monkeypatch: Any) -> None:
    """With trees, a candidate's probability of an event is the blend, and the events
    the scorer judges carry the trees' own probability in ``why``."""

    def run(leaf: float) -> list[dict[str, Any]]:
        scorer = _scorer(
            {"bias": [3.0, 0.0, 0.0], "t=keep": [0.0, 0.0, 6.0]},
            {"rbs=up0:nsubj": [0.0, 4.0, 0.0]},
        )
        scorer.boost = BoostModel(
            features=["t=keep"],
            trees=[{"f": [0], "p": [~1], "a": [~0], "v": [-3.0, leaf]}],
            weight=0.5,
        )
        text = "Japan kept company with India at the summit."
        return [r for r in _hybrid(tmp_path, text, scorer, monkeypatch) if r["kind"] == "event"]

    events = run(3.0)
    assert len(events) == 1 and events[0]["type"] == "CONSULT"
    assert events[0]["why"]["trees"] == pytest.approx(1 / (1 + math.exp(-3.0)), abs=1e-3)
    schema = json.loads(resources.files("entente.data").joinpath("record.schema.json").read_text())
    jsonschema.validate(events[0], schema)
    # the type model alone would add it (P(event) 0.95); trees that doubt it halve that
    assert run(-6.0) == []


def test_trees_are_not_asked_where_the_type_model_sees_no_chance(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Below BOOST_FLOOR the type model's probability stands: sure trees add nothing."""
    from entente.coding.scorer import BOOST_FLOOR

    def run(bias: float) -> list[dict[str, Any]]:
        scorer = _scorer({"bias": [bias, 0.0, 0.0], "t=keep": [0.0, 0.0, 0.5]}, {})
        scorer.boost = BoostModel(
            features=["t=keep"],
            trees=[{"f": [0], "p": [~1], "a": [~0], "v": [-3.0, 12.0]}],
            weight=0.9,
        )
        text = "Japan kept company with India at the summit."
        return [r for r in _hybrid(tmp_path, text, scorer, monkeypatch) if r["kind"] == "event"]

    assert 1 / (1 + 2 * math.exp(8.0) / math.exp(0.5)) < BOOST_FLOOR
    assert run(8.0) == []  # P(event) about 0.0007: the trees are not asked
    assert len(run(2.0)) == 1  # about 0.2: asked, and sure


def test_make_train_rebuilds_the_shipped_model(tmp_path: Path) -> None:
    """Training is deterministic: the same data gives the same files (the shipped scorer
    and sign model), byte for byte on a machine whose numeric kernels (BLIS's and
    numpy's BLAS, recorded in the file) are the ones that built them. On other kernels
    the last bits of the parser's vectors and of the solver's sums differ, so the rebuilt
    files must hold the same model up to that: the same features and thresholds, weights
    within rounding of the fit, the same chosen-on figures and sign model."""
    pytest.importorskip("sklearn")
    from entente.evaluate.train import train
    from entente.nlp import kernels

    shipped = resources.files("entente.data").joinpath("scorer.json")
    if not shipped.is_file():
        pytest.skip("no scorer.json shipped")
    out = tmp_path / "scorer.json"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        train(Path("eval/train"), Path("eval/dev"), out, seed=0)
    finally:
        os.chdir(cwd)
    import lightgbm
    import numpy
    import scipy
    import sklearn
    import statsmodels

    signs = resources.files("entente.data").joinpath("signs.json")
    kept_model = json.loads(shipped.read_text("utf-8"))
    if kept_model["meta"].get("kernels") == kernels():
        for built, kept in ((out, shipped), (tmp_path / "signs.json", signs)):
            assert (
                hashlib.sha256(built.read_bytes()).hexdigest()
                == hashlib.sha256(kept.read_bytes()).hexdigest()
            ), (
                f"the rebuilt {built.name} differs from the shipped one: run `make train` "
                "after changing training data, rules or features; the fit also depends on "
                f"the pinned versions (here scikit-learn {sklearn.__version__}, numpy "
                f"{numpy.__version__}, scipy {scipy.__version__}, statsmodels "
                f"{statsmodels.__version__}, lightgbm {lightgbm.__version__}; see "
                "pyproject.toml's train extra)"
            )
        return
    built_model = json.loads(out.read_text("utf-8"))
    wrong = _same_model_up_to_rounding(built_model, kept_model)
    assert not wrong, (
        f"built on kernels {kernels()}, shipped from {kept_model['meta'].get('kernels')}: "
        + "; ".join(wrong)
    )
    a = json.loads((tmp_path / "signs.json").read_text("utf-8"))
    b = json.loads(signs.read_text("utf-8"))
    assert a["features"] == b["features"]
    assert (
        max(abs(x - y) for x, y in zip(a["coef"] + a["cuts"], b["coef"] + b["cuts"], strict=True))
        < 0.3
    )
    assert abs(a["meta"]["out_of_fold_accuracy"] - b["meta"]["out_of_fold_accuracy"]) < 0.01


def test_rebuild_tolerance_tells_another_model_from_rounding() -> None:
    """The cross-kernel comparison passes a copy with weights moved in the last decimal
    and fails another threshold, a dropped feature or weights that moved."""
    import copy

    kept = json.loads(resources.files("entente.data").joinpath("scorer.json").read_text("utf-8"))
    near = copy.deepcopy(kept)
    for row in near["types"]["weights"].values():
        row[0] += 0.0003
    assert _same_model_up_to_rounding(near, kept) == []
    other = copy.deepcopy(kept)
    other["thresholds"]["add"] += 0.2
    assert any("thresholds" in w for w in _same_model_up_to_rounding(other, kept))
    fewer = copy.deepcopy(kept)
    fewer["kinds"]["weights"].pop(next(iter(fewer["kinds"]["weights"])))
    assert any("kinds" in w for w in _same_model_up_to_rounding(fewer, kept))
    moved = copy.deepcopy(kept)
    for row in moved["direction"]["weights"].values():
        row[1] += 0.05
    assert any("direction" in w for w in _same_model_up_to_rounding(moved, kept))
    if "boost" in kept:
        leaves = copy.deepcopy(kept)
        leaves["boost"]["trees"][0]["v"][0] += 0.01
        assert any("boost" in w for w in _same_model_up_to_rounding(leaves, kept))
        split = copy.deepcopy(kept)
        tree = next(t for t in split["boost"]["trees"] if t["f"])
        tree["p"][0], tree["a"][0] = tree["a"][0], tree["p"][0]
        assert any("boost" in w for w in _same_model_up_to_rounding(split, kept))


def _document_context(tmp_path: Path, paragraphs: list[str]) -> Any:
    from entente.coding import document_context

    p = tmp_path / "t.txt"
    p.write_text("\n\n".join(paragraphs))
    return document_context(resolve(read_document(p), "2019-05-01"))


def test_context_states_say_what_the_document_says_about_each_pair(tmp_path: Path) -> None:
    from entente.coding.scorer import context_states

    dc = _document_context(
        tmp_path,
        [
            "Japan and Russia held talks in Moscow in March.",
            "Russia and Japan met again in Tokyo in April.",
            "China stayed away from both meetings.",
            "In May Russia cancelled the third round.",
        ],
    )
    assert dc.together[frozenset(("JPN", "RUS"))] == [0, 1]
    assert [c for c, _ in dc.main] == ["RUS", "JPN"]  # RUS named four times
    ctx = {cs.state: cs for cs in context_states(dc, 3)}
    assert ctx["CHN"].origin == "prev1" and ctx["JPN"].origin == "prev2"
    assert ctx["JPN"].together["RUS"] == (2, 2)  # twice together, last two sentences back
    assert ctx["CHN"].together["RUS"] == (0, 99)
    assert ctx["JPN"].main == frozenset({"RUS", "JPN"})
    assert "RUS" not in ctx  # the sentence names Russia: no partner of its own


def test_a_state_the_sentence_names_takes_no_partners_place(tmp_path: Path) -> None:
    """The partners from context are at most MAX_CONTEXT: the sentence's own state,
    named just before, does not take the place of one."""
    from entente.coding.scorer import MAX_CONTEXT, context_states

    dc = _document_context(
        tmp_path,
        [
            "India and Russia signed a deal in March.",
            "Russia, China and Brazil held talks in April.",
            "In May Russia cancelled the third round.",
        ],
    )
    states = [cs.state for cs in context_states(dc, 2)]
    assert MAX_CONTEXT == 3 and states == ["BRA", "CHN", "IND"]


def test_a_pair_in_the_sentence_carries_its_standing_in_the_document(tmp_path: Path) -> None:
    from entente.coding import document_context
    from entente.coding.scorer import _document_pair_features

    p = tmp_path / "t.txt"
    p.write_text(
        "Japan and Russia held talks in Moscow in March.\n\n"
        "Russia and Japan met again in Tokyo in April.\n\n"
        "China and Russia signed a gas deal in May."
    )
    dc = document_context(resolve(read_document(p), "2019-05-01"))
    main = _document_pair_features(dc, 1, "JPN", "RUS")
    assert {"dp_n=2-3", "dp_before=1", "dp_ranks=01", "dp_main", "dp_at=1-2"} <= set(main)
    side = _document_pair_features(dc, 2, "CHN", "RUS")
    assert "dp_n=1" in side and "dp_before=0" in side and "dp_main" not in side


def test_a_second_event_for_a_linked_pair_needs_the_stricter_threshold() -> None:
    from types import SimpleNamespace

    from entente.coding.scorer import _second_events

    def cand(a: str, b: str) -> Any:
        return SimpleNamespace(a=a, b=b)

    jr, cr, cj = cand("JPN", "RUS"), cand("CHN", "RUS"), cand("CHN", "JPN")
    new = [(jr, "CONSULT", "joint", 0.5), (jr, "AGREE", "ab", 0.42), (cr, "ACCUSE", "ab", 0.35)]
    # the pair's most probable event passes at add; its second needs add_more
    assert [x[1] for x in _second_events([], new, 0.45)] == ["CONSULT", "ACCUSE"]
    assert [x[1] for x in _second_events([], new, 0.4)] == ["CONSULT", "AGREE", "ACCUSE"]
    # a kept rule event already links the pair: the first new one is a second event
    rule = SimpleNamespace(source_states=["CHN"], target_states=["JPN"])
    assert _second_events([rule], [(cj, "SUPPORT", "ab", 0.38)], 0.45) == []


def test_a_speech_verb_does_not_repeat_the_event_it_reports(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # the scorer is sure of an ACCUSE at "said" too, but the sentence already has that
    # ACCUSE between the same pair at "condemned": one event
    scorer = _scorer(
        {"bias": [3.0, 0.0, 0.0], "rule_here": [-6.0, 0.0, 0.0], "t=say": [0.0, 9.0, 0.0]}, {}
    )
    text = "Japan condemned Russia on Monday, the foreign minister said."
    evs = [r for r in _hybrid(tmp_path, text, scorer, monkeypatch) if r["kind"] == "event"]
    assert [(e["type"], e["rule"].split(":")[0]) for e in evs] == [("ACCUSE", "verb_active")]


def test_a_venue_is_no_party_where_the_rules_found_the_parties(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # the scorer would pair anything at "met" (CONSULT); the rules found Colombia and
    # Venezuela meeting, so Quito, after "in", is where they met, not a third party
    scorer = _scorer(
        {"bias": [3.0, 0.0, 0.0], "rule_here": [-6.0, 0.0, 0.0], "t=meet": [0.0, 0.0, 9.0]}, {}
    )
    text = "Colombia and Venezuela met in Quito on Friday."
    evs = [r for r in _hybrid(tmp_path, text, scorer, monkeypatch) if r["kind"] == "event"]
    pairs = {frozenset(a["country"] for a in e["source"] + e["target"]) for e in evs}
    assert pairs == {frozenset({"COL", "VEN"})}


def test_a_venue_is_no_party_where_the_sentence_names_two_parties(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # no rule fires at "exchanged views", yet the scorer would pair anything there: with
    # two parties named, Vienna after "in" is where, not with whom
    scorer = _scorer({"bias": [3.0, 0.0, 0.0], "t=exchange": [0.0, 0.0, 9.0]}, {})
    text = "Chinese and Russian diplomats exchanged views in Vienna on Friday."
    evs = [r for r in _hybrid(tmp_path, text, scorer, monkeypatch) if r["kind"] == "event"]
    pairs = {frozenset(a["country"] for a in e["source"] + e["target"]) for e in evs}
    assert pairs == {frozenset({"CHN", "RUS"})}


def test_a_verb_outside_the_lexicon_takes_the_class_of_the_event_it_governs(
    tmp_path: Path,
) -> None:
    from entente.coding import parsed_sentences
    from entente.coding.scorer import _lex_class, _trigger_features

    p = tmp_path / "t.txt"
    p.write_text(
        "Venezuela began supplying Cuba with crude oil. Uzbekistan paid a state visit to "
        "Tajikistan."
    )
    doc = resolve(read_document(p), "2018-01-01")
    for ps, (verb, word, cls) in zip(
        parsed_sentences(doc, single=True),
        [("began", "supplying", "AID"), ("paid", "visit", "CONSULT")],
        strict=True,
    ):
        v = next(t for t in ps.tokens if t.lower_ == verb)
        w = next(t for t in ps.tokens if t.lower_ == word)
        assert _lex_class(v) is None and _lex_class(w) == cls
        f = _trigger_features(ps, v)
        assert f.get(f"tc={cls}") == 1.0 and f.get("tc_from_comp") == 1.0
    # a lexicon verb keeps its own class
    f = _trigger_features(ps, w)
    assert "tc_from_comp" not in f


def test_parallel_fits_and_threshold_search_equal_the_one_process_run(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Training fits the models in forked workers; every fit is single-threaded with a
    fixed seed, so the models, and the grid and thresholds chosen with them, are the same
    as in one process (which the byte-for-byte rebuild relies on, whatever the build
    machine's cores; the texts scored in worker shards: the one-or-two-workers test)."""
    pytest.importorskip("sklearn")
    from entente.evaluate import find_pairs
    from entente.evaluate import train as T

    found = sorted(find_pairs(ROOT / "eval" / "train"))[:9]
    for t, g in found:
        for p in (t, g):
            (tmp_path / p.name).write_bytes(p.read_bytes())
    items = T.load_items(tmp_path)
    ds = T.dataset_of(items)
    groups = [[0, 1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]]

    def run() -> tuple[Any, Any]:
        models = T.fit_many(ds, groups, seed=0)
        evaluators = [
            (
                T.scorer_of(m),
                items[6:] if k else items[:3],
            )
            for k, m in enumerate(models)
        ]
        return models, T.choose_thresholds(evaluators)

    monkeypatch.setenv("ENTENTE_TRAIN_JOBS", "1")
    one = run()
    monkeypatch.setenv("ENTENTE_TRAIN_JOBS", "2")
    two = run()
    for m1, m2 in zip(one[0], two[0], strict=True):
        assert [m and m.to_dict() for m in m1] == [m and m.to_dict() for m in m2]
    assert one[0][0][0].to_dict() != one[0][1][0].to_dict()  # the groups differ
    assert one[1] == two[1]


def test_a_fit_sees_only_the_features_of_its_own_texts(tmp_path: Path) -> None:
    """Each fit keeps the features seen at least MIN_COUNT times in its own instances, as
    a vectoriser fitted on those instances alone would."""
    pytest.importorskip("sklearn")
    from entente.evaluate import train as T

    ds = T.Dataset(
        type_x=[{"a": 1.0, "x": 1.0}, {"a": 1.0, "x": 1.0}, {"b": 1.0}, {"b": 1.0, "y": 1.0}],
        type_y=[NONE, NONE, "ACCUSE", "ACCUSE"],
        dir_rows=[2, 3],
        dir_y=["ab", "ba"],
        text_of=[0, 0, 1, 1],
    )
    ds.type_x += [{"x": 1.0}, {"y": 1.0}]
    ds.type_y += [NONE, "ACCUSE"]
    ds.text_of += [2, 2]
    ((types, _d, kinds, boost, _kb),) = T.fit_many(ds, [[0, 1]])
    assert {"a", "b", "x"} <= set(types.weights) and "y" not in types.weights
    # the events of these texts are all ACCUSE: nothing for the kind model to learn
    assert kinds.classes == ["ACCUSE"] and not kinds.weights
    assert boost is None  # no feature seen BOOST_MIN_COUNT times: no trees
    ((types, _d, _k, _b, _kb),) = T.fit_many(ds, [[0, 1, 2]])
    assert "y" in types.weights


def test_a_fit_through_the_vectors_directions_is_a_model_of_the_vector_itself() -> None:
    """The context vector is fitted through its first singular directions; the weights
    mapped back to the vector's own numbers give the same scores as the fit on the
    coordinates (what the coder computes is what was fitted)."""
    pytest.importorskip("sklearn")
    import numpy as np
    import scipy.sparse as sp

    from entente.evaluate import train as T

    rng = np.random.default_rng(0)
    n, size = 60, 8
    vecs = rng.normal(size=(n, size))
    names = np.asarray(["a", "b", *(f"v{k}" for k in range(size))], dtype=object)
    sparse = rng.integers(0, 2, size=(n, 2)).astype(float)
    vecs[:5] = 0.0  # instances without a vector stay at zero
    matrix = sp.csr_matrix(np.hstack([sparse, vecs]))
    projected, new_names, directions = T.project_vectors(matrix, names)
    dims = min(T.VECTOR_DIMS, size)
    assert directions.shape == (dims, size)
    assert list(new_names) == ["a", "b", *(f"v~{k}" for k in range(dims))]
    assert np.allclose(projected[:5, 2:].toarray(), 0.0)
    # any weights on the coordinates equal the mapped weights on the vector
    coef = rng.normal(size=(3, projected.shape[1]))
    plain_names, plain_coef, raw = T._unproject(new_names, coef, directions)
    assert list(plain_names) == ["a", "b"]
    full = np.hstack([plain_coef, np.stack([raw[f"v{i}"] for i in range(size)], axis=1)])
    assert np.allclose(matrix.toarray() @ full.T, projected.toarray() @ coef.T)


def _copy_texts(dest: Path, src: Path, n: int, start: int = 0) -> None:
    from entente.evaluate import find_pairs

    dest.mkdir(parents=True, exist_ok=True)
    for t, g in sorted(find_pairs(src))[start : start + n]:
        for p in (t, g):
            (dest / p.name).write_bytes(p.read_bytes())


def test_the_threshold_search_cache_scores_each_setting_as_a_fresh_run(tmp_path: Path) -> None:
    """A text is judged once per distinct set of decisions across settings; its score at
    each setting equals the score computed at that setting alone."""
    from entente.evaluate import train as T

    _copy_texts(tmp_path, ROOT / "eval" / "train", 6)
    items = T.load_items(tmp_path)
    scorer = load_scorer()
    assert scorer is not None
    settings = [(0.3, 0.8, T.OFF, 0.3, T.OFF), (0.35, 0.8, T.OFF, 0.35, T.OFF),
                (0.3, 0.95, 0.35, 0.45, 0.5), (0.7, T.OFF, T.OFF, 0.7, T.OFF),
                (0.3, 0.8, T.OFF, 0.3, 0.0), (0.3, 0.8, T.OFF, 0.3, T.OFF)]  # fmt: skip
    together = T.grid_scores(scorer, items, settings[:5])
    sizes = [len(it.scored) for it in items]
    together.update(T.grid_scores(scorer, items, settings[5:]))
    assert [len(it.scored) for it in items] == sizes  # a setting seen before: no new work
    for setting in settings:
        T.reset_probabilities(items)
        assert T.grid_scores(scorer, items, [setting])[setting] == together[setting]
    # the settings differ in what they code, retyping included
    assert together[settings[0]] != together[settings[3]]
    # (retyping every kept rule event may leave these six texts' scores as they were,
    # but not the decisions the cache keys them by)
    assert any(T._decisions(it, settings[0]) != T._decisions(it, settings[4]) for it in items)


def test_merged_worker_datasets_equal_the_one_process_dataset(tmp_path: Path) -> None:
    """Workers vectorise their own texts (every second one); the merge puts rows, columns
    and direction rows back as one vectoriser over all texts in order would."""
    import numpy as np

    from entente.evaluate import train as T

    _copy_texts(tmp_path, ROOT / "eval" / "train", 5)
    items = T.load_items(tmp_path)
    whole = T.dataset_of(items)
    whole.vectorise()
    parts = []
    for k in range(2):
        part = T.dataset_of(items[k::2], list(range(len(items)))[k::2])
        part.vectorise()
        parts.append(part)
    merged = T.merge_datasets(parts)
    assert list(merged.names) == list(whole.names)
    assert (merged.matrix != whole.matrix).nnz == 0
    assert np.array_equal(merged.matrix.getnnz(axis=0), whole.matrix.getnnz(axis=0))
    assert merged.type_y == whole.type_y and merged.text_of == whole.text_of
    assert merged.dir_rows == whole.dir_rows and merged.dir_y == whole.dir_y
    assert merged.stats == whole.stats


def test_training_gives_the_same_file_with_one_worker_or_two(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Texts are loaded and scored in worker processes (:class:`Shards`); the model file
    does not depend on how many."""
    pytest.importorskip("sklearn")
    from entente.evaluate import train as T

    _copy_texts(tmp_path / "train", ROOT / "eval" / "train", 9)
    _copy_texts(tmp_path / "dev", ROOT / "eval" / "dev", 3)
    out = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("ENTENTE_TRAIN_JOBS", jobs)
        path = tmp_path / f"scorer{jobs}.json"
        T.train(tmp_path / "train", tmp_path / "dev", path, seed=0, folds=3)
        out.append(path.read_bytes())
    assert out[0] == out[1]
    model = json.loads(out[0])
    assert model["meta"]["trained_on"]["files"] == 9 and model["meta"]["dev"]["gold"] > 0


def test_a_new_event_takes_its_type_from_the_kind_model_when_there_is_one() -> None:
    """The kind model (trained on events only) chooses a new event's type; a model file
    without one falls back to the type model's most probable type other than none."""
    from entente.coding.scorer import Candidate, event_type

    types = LinearModel.from_dict(
        {"classes": [NONE, "ACCUSE", "AGREE"], "intercept": [2.0, 1.0, 0.0],
         "weights": {"t=vow": [0.0, 0.0, 0.5]}}
    )  # fmt: skip
    kinds = LinearModel.from_dict(
        {"classes": ["ACCUSE", "AGREE"], "intercept": [0.0, 0.0],
         "weights": {"t=vow": [-1.0, 1.0]}}
    )  # fmt: skip
    cand = Candidate(1, "CHN", "RUS", [], [], [], {"t=vow": 1.0})
    without = Scorer(types=types, direction=types, add=0.5, drop=0.9, meta={})
    assert event_type(without, cand) == "ACCUSE"
    with_kinds = Scorer(types=types, direction=types, add=0.5, drop=0.9, meta={}, kinds=kinds)
    assert event_type(with_kinds, cand) == "AGREE"
    # the shipped model has one, and it knows all 16 types
    shipped = load_scorer()
    assert shipped is not None and shipped.kinds is not None
    assert len(shipped.kinds.classes) == 16 and NONE not in shipped.kinds.classes


def test_a_kept_rule_event_is_retyped_only_when_the_scorer_is_sure_of_another_type() -> None:
    from entente.coding.ontology import intensity, quad
    from entente.coding.scorer import _retyped, type_share
    from entente.model import Event, Evidence

    ev = Event(
        source=[], target=[], type="AGREE", evidence=Evidence("d", 0, 0, 5, "truce"),
        mode="settle", quad=quad("AGREE"), intensity=intensity("AGREE"), rule="verb:agree",
    )  # fmt: skip
    probs = {"NONE": 0.2, "CONCEDE": 0.6, "AGREE": 0.2}
    assert type_share(probs) == ("CONCEDE", pytest.approx(0.75))
    assert _retyped(ev, probs, 0.8) is ev  # not sure enough
    assert _retyped(ev, probs, 1.01) is ev  # the step is off
    new = _retyped(ev, probs, 0.7)
    assert new is not ev and ev.type == "AGREE"  # a copy: the rule's event is untouched
    assert (new.type, new.mode, new.quad) == ("CONCEDE", None, quad("CONCEDE"))
    assert new.intensity == intensity("CONCEDE") and new.rule == ev.rule
    # the scorer agreeing with the rule changes nothing
    assert _retyped(ev, {"NONE": 0.1, "AGREE": 0.9}, 0.5) is ev


def test_a_verb_that_names_a_place_is_no_trigger(tmp_path: Path) -> None:
    """ "The islands, which China calls the Diaoyu": a place's name, no verdict on a
    state; "called Japan's purchase a farce" stays a trigger."""
    from entente.coding import parsed_sentences
    from entente.coding.scorer import triggers

    p = tmp_path / "t.txt"
    p.write_text(
        "Japan detained a trawler near the islands, which China calls the Diaoyu. "
        "China called Japan's purchase a farce."
    )
    doc = resolve(read_document(p), "2012-09-20")
    place, verdict = parsed_sentences(doc, single=True)
    assert "call" not in {t.lemma_ for t in triggers(place)}
    assert "detain" in {t.lemma_ for t in triggers(place)}
    assert "call" in {t.lemma_ for t in triggers(verdict)}


def test_a_long_list_is_one_step_from_its_verb(tmp_path: Path) -> None:
    """Every pair of a list of signatories is a candidate at "signed" (each conjunct
    after the first was one parse step further away, and the last ones fell out of
    reach)."""
    from entente.coding import parsed_sentences
    from entente.coding.scorer import candidates

    def parsed(text: str) -> Any:
        p = tmp_path / "t.txt"
        p.write_text(text)
        return next(iter(parsed_sentences(resolve(read_document(p), "2022-05-24"), single=True)))

    signed = parsed(
        "The declaration was signed by Georgia, Armenia, Azerbaijan, Kazakhstan, Moldova, "
        "Belarus and Ukraine."
    )
    at_signed = {
        frozenset((c.a, c.b))
        for c in candidates(signed, [])
        if signed.tokens[c.trigger].lemma_ == "sign"
    }
    assert len(at_signed) == 21  # 7 states, every pair


def test_a_candidate_says_whose_act_each_mention_names(tmp_path: Path) -> None:
    """A state named by a modifier carries the noun it modifies and its actor's sector:
    "American companies" (company, BUS) and "the Vietnamese market" (market) are no
    state acting; "Russian troops" (troop, MIL) are."""
    from entente.coding import parsed_sentences
    from entente.coding.scorer import candidates

    p = tmp_path / "t.txt"
    p.write_text(
        "American companies entered the Vietnamese market. Russian troops entered Ukraine."
    )
    market, war = parsed_sentences(resolve(read_document(p), "2022-05-24"), single=True)
    (c,) = [c for c in candidates(market, []) if market.tokens[c.trigger].lemma_ == "enter"]
    assert (c.a, c.b) == ("USA", "VNM")
    assert {"kan=company", "kas=BUS", "kbn=market"} <= set(c.features)
    (c,) = [c for c in candidates(war, []) if war.tokens[c.trigger].lemma_ == "enter"]
    assert {"kan=troop", "kas=MIL", "kbs=-"} <= set(c.features)


def test_a_trigger_says_how_it_stands_to_the_pairs_rule_event(tmp_path: Path) -> None:
    """A trigger without a rule event for a pair the rules linked at another trigger
    carries how the two triggers are joined and whether its class is the other event's
    type: a conjunct of the same class is a second act ("suspended trade … and closed
    its ports"), the verb under "agreed to" the same act told again."""
    from entente.coding import parsed_sentences
    from entente.coding.events import EventCoder
    from entente.coding.scorer import candidates

    p = tmp_path / "t.txt"
    p.write_text(
        "China suspended trade with Japan and closed its ports to Japanese ships. "
        "Russia agreed to hold talks with Japan."
    )
    ports, talks = parsed_sentences(resolve(read_document(p), "2022-05-24"), single=True)

    def at(ps: Any, lemma: str) -> set[str]:
        evs = EventCoder(ps, []).run()
        (c,) = [c for c in candidates(ps, evs) if ps.tokens[c.trigger].lemma_ == lemma]
        return {k for k in c.features if k.startswith("rule_other_link")}

    assert at(ports, "close") == {"rule_other_link=conj", "rule_other_link=conj|same"}
    assert at(ports, "suspend") == set()  # the rule event's own trigger
    assert "rule_other_link=head" in at(talks, "hold")
    assert "rule_other_link=anc" in at(talks, "talk")


def test_a_candidate_knows_what_the_sentences_before_told_of_its_pair(tmp_path: Path) -> None:
    """The rule events and one-sided acts of the sentences just before are features of
    a pair: an event between the two and its type, an act of one of them alone."""
    from entente.coding import RecentEvents, parsed_sentences
    from entente.coding.events import EventCoder
    from entente.coding.scorer import candidates

    p = tmp_path / "t.txt"
    p.write_text(
        "China imposed sanctions on Japan. Russia mobilised its reserves. "
        "Japan protested to China and warned Russia."
    )
    recent = RecentEvents()
    cands = []
    for ps in parsed_sentences(resolve(read_document(p), "2022-05-24"), single=True):
        previous = recent.before(ps.sentence.index)
        coder = EventCoder(ps, previous)
        evs = coder.run()
        recent.add(ps.sentence.index, [*evs, *coder.acts])
        cands = candidates(ps, evs, previous=previous)
    (c,) = [c for c in cands if (c.a, c.b) == ("CHN", "JPN")][:1]
    assert {"prev_pair", "prev_pair_type=SANCTION"} <= set(c.features)
    (r,) = [c for c in cands if (c.a, c.b) == ("JPN", "RUS")][:1]
    assert "prev_pair" not in r.features
    assert "prev_act_b" in r.features  # Russia mobilised, with no other party


def test_a_transcripts_question_and_answer_labels_are_features(tmp_path: Path) -> None:
    """A sentence under a journalist's "Q:" label (events there are often only asked
    about) and one under a named speaker's label carry which it is, on the label's own
    paragraph or on those that follow it."""
    from entente.coding import parsed_sentences
    from entente.coding.scorer import candidates

    p = tmp_path / "t.txt"
    p.write_text(
        "Press briefing\n\nQ (Kyodo): Yesterday the DPRK fired missiles toward Japan.\n\n"
        "Spokesperson: China urges the DPRK and Japan to show restraint.\n\n"
        "Japan protested to the DPRK."
    )
    labels = [
        sorted({k for c in candidates(ps, []) for k in c.features if k.startswith("plabel")})
        for ps in parsed_sentences(resolve(read_document(p), "2022-05-24"), single=True)
        if len({c for m in ps.mentions for c in m.countries}) >= 2
    ]
    # the answer runs on in the paragraph after its label; with or without a rule event
    assert labels == [
        ["plabel=question", "plabel=question|rule=n"],
        ["plabel=speaker", "plabel=speaker|rule=n"],
        ["plabel=speaker|rule=n", "plabel_before=speaker"],
    ]
    p.write_text(
        "Written answers\n\nAnswered on 6 March 2023 by Steve Baker, Minister of State:\n\n"
        "The Commission opened proceedings against the United Kingdom, and Ireland "
        "welcomed it."
    )
    (ps,) = [
        ps
        for ps in parsed_sentences(resolve(read_document(p), "2023-03-06"), single=True)
        if len({c for m in ps.mentions for c in m.countries}) >= 2
    ]
    assert "plabel_before=speaker" in {k for c in candidates(ps, []) for k in c.features}


def test_a_parliamentary_question_is_a_question() -> None:
    """ "Asked by …:" and a question's own "To ask the Secretary of State …" are a
    question's words; "Answered on … by …:" a speaker's."""
    from entente.coding.scorer import _paragraph_label

    assert _paragraph_label("Asked by Claire Hanna (Belfast South) (SDLP):") == "question"
    assert _paragraph_label("To ask the Secretary of State, what the status is.") == "question"
    assert _paragraph_label("Answered on 6 March 2023 by Steve Baker, Minister:") == "speaker"
    assert _paragraph_label("Spokesperson: China urges restraint.") == "speaker"
    assert _paragraph_label("PRESENTER: Minister, the ambassador said so.") == "question"
    assert _paragraph_label("China urged restraint.") is None
