"""Training the candidate scorer (``make train`` / ``entente train``).

Data: ``eval/train`` only (gold files in the format of ``eval/GUIDELINES.md``). Each
training text goes through the same pipeline as at coding time (read, actors, dates,
parse of the candidate sentences, rule coder); every unordered pair of states in a
parsed sentence is an instance whose label is the PLOVER type of the gold event linking
that pair in that sentence, or ``NONE``; the events with a label also train the
direction model (first → second, second → first, reciprocal).

Thresholds: the two decision thresholds of :func:`entente.coding.scorer.judge` are
chosen on ``eval/dev`` (never on ``eval/test``), maximising the mean of the dyad-level
and the typed F1 among the settings whose dyad precision is at least
``MIN_PRECISION``.

Reproducibility: a fixed seed, one BLAS thread, weights rounded to ``DIGITS`` decimals
and a canonical JSON layout make the model file the same bytes on every run with the
same data and library versions; ``tests/test_train.py`` checks the shipped file's hash.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from entente.coding.scorer import DIRECTIONS, NONE, LinearModel, Scorer, candidates
from entente.evaluate.scorer import pairs, quote_span

DIGITS = 4
MIN_COUNT = 2
C_TYPES = 0.5
C_DIRECTION = 0.5
MIN_PRECISION = 0.75
CONTEXT_GAIN = 0.01
ADD_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9, 1.01)
DROP_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
CONTEXT_GRID = ADD_GRID


@dataclass(slots=True)
class Dataset:
    type_x: list[dict[str, float]] = field(default_factory=list)
    type_y: list[str] = field(default_factory=list)
    dir_x: list[dict[str, float]] = field(default_factory=list)
    dir_y: list[str] = field(default_factory=list)
    stats: Counter[str] = field(default_factory=Counter)


@dataclass(slots=True)
class GoldEvent:
    start: int
    end: int
    pairs: set[frozenset[str]]
    type: str
    source: list[str]
    target: list[str]

    def direction(self, a: str, b: str) -> str:
        if not self.target:
            return "joint"
        return "ab" if a in self.source and b in self.target else "ba"


def gold_by_sentence(
    text: str, gold: dict[str, Any], sentences: list[tuple[int, int, int]]
) -> tuple[dict[int, list[GoldEvent]], int]:
    """The gold events of each sentence (by the start of their quote), and how many
    could not be placed."""
    out: dict[int, list[GoldEvent]] = {}
    lost = 0
    for g in gold.get("events", []):
        qs = quote_span(text, g["quote"])
        idx = None if qs is None else next((i for i, s, e in sentences if s <= qs[0] < e), None)
        if qs is None or idx is None:
            lost += 1
            continue
        out.setdefault(idx, []).append(
            GoldEvent(qs[0], qs[1], pairs(g["source"], g["target"]), g["type"],
                      list(g["source"]), list(g["target"]))
        )  # fmt: skip
    return out, lost


def trigger_labels(
    ps: Any, golds: list[GoldEvent], cands: list[Any]
) -> dict[tuple[int, frozenset[str]], tuple[str, str]]:
    """(trigger token, pair) → (type, direction): each gold event goes to the candidate
    trigger inside its quote that is highest in the parse (its predicate)."""
    base = ps.sentence.start
    by_pair: dict[frozenset[str], list[int]] = {}
    for c in cands:
        by_pair.setdefault(frozenset((c.a, c.b)), []).append(c.trigger)
    depth = {t.i: len(list(t.ancestors)) for t in ps.tokens}
    labels: dict[tuple[int, frozenset[str]], tuple[str, str]] = {}
    for g in golds:
        for pair in g.pairs:
            inside = [
                i for i in dict.fromkeys(by_pair.get(pair, []))
                if g.start <= base + ps.tokens[i].idx < g.end
            ]  # fmt: skip
            if not inside:
                continue
            best = min(inside, key=lambda i: (depth[i], i))
            a, b = sorted(pair)
            labels.setdefault((best, pair), (g.type, g.direction(a, b)))
    return labels


def build_dataset(gold_dir: Path) -> Dataset:
    """Instances and labels for every candidate pair of every text in ``gold_dir``."""
    from rich.progress import track

    from entente.coding import document_context, parsed_sentences
    from entente.coding.events import EventCoder
    from entente.coding.scorer import context_states
    from entente.evaluate import _load_gold, find_pairs
    from entente.pipeline import read_document, resolve

    ds = Dataset()
    for text_path, gold_path in track(list(find_pairs(gold_dir)), description="features"):
        gold = _load_gold(gold_path)
        doc = resolve(read_document(text_path))
        spans = [(s.index, s.start, s.end) for s in doc.sentences]
        golds, lost = gold_by_sentence(doc.text, gold, spans)
        ds.stats["gold_events"] += len(gold.get("events", []))
        ds.stats["gold_unplaced"] += lost
        ds.stats["gold_pairs"] += sum(len(g.pairs) for gs in golds.values() for g in gs)
        by_sentence, main = document_context(doc)
        for ps in parsed_sentences(doc, single=True):
            rule_events = EventCoder(ps).run()
            ctx = context_states(by_sentence, main, ps.sentence.index)
            cands = candidates(ps, rule_events, ctx)
            labels = trigger_labels(ps, golds.get(ps.sentence.index, []), cands)
            ds.stats["gold_pairs_reached"] += len(labels)
            for cand in cands:
                label = labels.get((cand.trigger, frozenset((cand.a, cand.b))))
                full = cand.full_features()
                ds.type_x.append(full)
                ds.type_y.append(label[0] if label else NONE)
                if label:
                    ds.dir_x.append(full)
                    ds.dir_y.append(label[1])
    ds.stats["instances"] = len(ds.type_y)
    ds.stats["positives"] = sum(1 for y in ds.type_y if y != NONE)
    return ds


def _fit(
    xs: list[dict[str, float]], ys: list[str], c: float, seed: int, classes: list[str]
) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    counts: Counter[str] = Counter(k for x in xs for k in x)
    keep = [{k: v for k, v in x.items() if counts[k] >= MIN_COUNT} for x in xs]
    vec = DictVectorizer(sort=True)
    mat = vec.fit_transform(keep)
    with threadpool_limits(limits=1):
        clf = LogisticRegression(C=c, max_iter=5000, random_state=seed, tol=1e-6)
        clf.fit(mat, ys)
    fitted = [str(x) for x in clf.classes_]
    coef = clf.coef_
    intercept = clf.intercept_
    if len(fitted) == 2:  # binary: one row of weights for the second class
        coef = [[-w for w in coef[0]], list(coef[0])]
        intercept = [-intercept[0], intercept[0]]
    order = [fitted.index(c) for c in classes if c in fitted]
    names = vec.get_feature_names_out()
    weights: dict[str, list[float]] = {}
    for j, name in enumerate(names):
        row = [round(float(coef[k][j]), DIGITS) for k in order]
        if any(abs(w) > 0 for w in row):
            weights[str(name)] = row
    return LinearModel(
        classes=[fitted[k] for k in order],
        weights=weights,
        intercept=[round(float(intercept[k]), DIGITS) for k in order],
    )


def fit(ds: Dataset, seed: int = 0) -> tuple[LinearModel, LinearModel]:
    from entente.coding.ontology import EVENT_TYPES

    type_classes = [NONE, *EVENT_TYPES]
    types = _fit(ds.type_x, ds.type_y, C_TYPES, seed, type_classes)
    direction = _fit(ds.dir_x, ds.dir_y, C_DIRECTION, seed, list(DIRECTIONS))
    return types, direction


def choose_thresholds(
    scorer: Scorer, dev_dir: Path
) -> tuple[float, float, float, dict[str, Any], list[dict[str, Any]]]:
    """The (add, drop) pair that scores best on ``dev_dir`` without partners from other
    sentences, then the threshold for those partners; the summary at the chosen point
    and the whole grid."""
    from entente.coding import Coded, document_context, parsed_sentences, records
    from entente.coding.assessments import code_assessments
    from entente.coding.events import EventCoder
    from entente.coding.quotes import code_quotes
    from entente.coding.scorer import context_states, judge
    from entente.evaluate import _load_gold, find_pairs
    from entente.evaluate.scorer import score_document, summarise
    from entente.pipeline import read_document, resolve

    cache = []
    for text_path, gold_path in find_pairs(dev_dir):
        gold = _load_gold(gold_path)
        doc = resolve(read_document(text_path))
        by_sentence, main = document_context(doc)
        sents = []
        for ps in parsed_sentences(doc, single=True):
            evs = EventCoder(ps).run()
            ctx = context_states(by_sentence, main, ps.sentence.index)
            cands = candidates(ps, evs, ctx)
            plain = [c for c in cands if c.context_state is None]
            two = len({c for m in ps.mentions for c in m.countries}) >= 2
            sents.append((ps, evs, plain, cands, code_assessments(ps) if two else []))
        cache.append((text_path.name, doc, gold, sents, code_quotes(doc)))

    def run(add: float, drop: float, add_context: float) -> dict[str, Any]:
        scores = []
        for name, doc, gold, sents, quotes in cache:
            coded = Coded(quotes=quotes)
            for ps, evs, plain, cands, ass in sents:
                use = cands if add_context <= 1.0 else plain
                coded.events.extend(
                    judge(ps, list(evs), scorer, add=add, drop=drop, add_context=add_context,
                          cands=use)
                )  # fmt: skip
                coded.assessments.extend(ass)
            scores.append(score_document(name, doc.text, gold, records(doc, coded)))
        return dict(summarise(scores)["events"])

    def objective(s: dict[str, Any]) -> float:
        tp, tr = float(s["typed_precision"]), float(s["typed_recall"])
        typed_f1 = 2 * tp * tr / (tp + tr) if tp + tr else 0.0
        feasible = float(s["dyad_precision"]) >= MIN_PRECISION
        return (float(s["dyad_f1"]) + typed_f1) / 2 + (1.0 if feasible else 0.0)

    grid: list[dict[str, Any]] = []
    best: tuple[float, float, float, float, dict[str, Any]] | None = None
    for add in ADD_GRID:
        for drop in DROP_GRID:
            s = run(add, drop, 1.01)
            grid.append({"add": add, "drop": drop, "add_context": 1.01, **s})
            if best is None or objective(s) > best[0]:
                best = (objective(s), add, drop, 1.01, s)
    assert best is not None
    _, add, drop, _, _ = best
    for add_context in CONTEXT_GRID:
        s = run(add, drop, add_context)
        grid.append({"add": add, "drop": drop, "add_context": add_context, **s})
        # partners from other sentences cost a parse of every one-state sentence
        # (about 50 % more parsing): they must earn CONTEXT_GAIN on dev to be switched on
        if objective(s) > best[0] + CONTEXT_GAIN:
            best = (objective(s), add, drop, add_context, s)
    for row in grid:
        row.pop("confusion", None)
    return best[1], best[2], best[3], best[4], grid


def train(train_dir: Path, dev_dir: Path | None, out: Path, seed: int = 0) -> dict[str, Any]:
    """Build the dataset, fit both models, choose thresholds, write ``out``."""
    ds = build_dataset(train_dir)
    types, direction = fit(ds, seed)
    scorer = Scorer(types=types, direction=direction, add=0.5, drop=0.9, meta={})
    dev_summary: dict[str, Any] = {}
    if dev_dir is not None:
        add, drop, add_context, dev_summary, _ = choose_thresholds(scorer, dev_dir)
        scorer.add, scorer.drop, scorer.add_context = add, drop, add_context
    files = sorted(p.name for p in train_dir.glob("*.gold.json"))
    digest = hashlib.sha256()
    for name in files:
        digest.update((train_dir / name).read_bytes())
    meta = {
        "trained_on": {"dir": train_dir.as_posix(), "files": len(files),
                       "gold_sha256": digest.hexdigest()},
        "instances": ds.stats["instances"], "positives": ds.stats["positives"],
        "gold_events": ds.stats["gold_events"], "gold_pairs": ds.stats["gold_pairs"],
        "gold_pairs_reached": ds.stats["gold_pairs_reached"],
        "seed": seed, "context_gain": CONTEXT_GAIN, "c_types": C_TYPES, "c_direction": C_DIRECTION, "min_count": MIN_COUNT,
        "dev": {k: v for k, v in dev_summary.items() if k != "confusion"},
    }  # fmt: skip
    model = {
        "format": "entente-scorer/1",
        "meta": meta,
        "thresholds": {"add": scorer.add, "drop": scorer.drop, "add_context": scorer.add_context},
        "types": types.to_dict(),
        "direction": direction.to_dict(),
    }
    out.write_text(dump(model), "utf-8")
    return meta


def _dump_linear(m: dict[str, Any]) -> str:
    rows = ",\n".join(
        f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'))}"
        for k, v in sorted(m["weights"].items())
    )
    head = json.dumps(
        {"classes": m["classes"], "intercept": m["intercept"]}, separators=(",", ":")
    )[:-1]
    return f'{head},"weights":{{\n{rows}\n}}}}'


def dump(model: dict[str, Any]) -> str:
    """Canonical JSON: sorted keys, one feature's weights per line."""
    parts = []
    for key in sorted(model):
        value = model[key]
        if key in ("types", "direction"):
            parts.append(f"{json.dumps(key)}:{_dump_linear(value)}")
        else:
            parts.append(f"{json.dumps(key)}:{json.dumps(value, sort_keys=True)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m entente.evaluate.train", description=__doc__)
    ap.add_argument("--train", type=Path, default=Path("eval/train"))
    ap.add_argument("--dev", type=Path, default=Path("eval/dev"))
    ap.add_argument("--out", type=Path, default=Path("src/entente/data/scorer.json"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    meta = train(args.train, args.dev, args.out, args.seed)
    print(json.dumps(meta, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
