"""Training the candidate scorer (``make train`` / ``entente train``).

Data: ``eval/train`` only (gold files in the format of ``eval/GUIDELINES.md``). Each
training text goes through the same pipeline as at coding time (read, actors, dates,
parse of the candidate sentences, rule coder); every unordered pair of states in a
parsed sentence is an instance whose label is the PLOVER type of the gold event linking
that pair in that sentence, or ``NONE``; the events with a label also train the
direction model (first → second, second → first, reciprocal) and the kind model (the
type of an event, given that there is one); boosted trees (LightGBM) learn event or not
from the same binary features, blended into the type model's probability of an event.

Thresholds: the three decision thresholds of :func:`entente.coding.scorer.judge` (add
a candidate, drop a rule event, add a partner from another sentence) are chosen on texts
the scoring model never saw, pooled: ``eval/dev`` scored by the final model, and every
training text scored by a model fitted on the other ``FOLDS - 1`` folds (out-of-fold
predictions). ``eval/test`` is never read. The objective is the mean of the dyad-level
and the typed F1 among the settings whose dyad precision is at least ``MIN_PRECISION``.
Dev alone proved a poor judge: its texts are cleaner than real ones (rules-only F1 0.58
on dev against 0.38 out-of-fold on train), so thresholds chosen there were too strict
for the texts the coder meets.

Reproducibility: thinc's BLIS backend for the parses, a fixed seed, one BLAS thread, weights rounded to ``DIGITS`` decimals
and a canonical JSON layout make the model file the same bytes on every run with the
same data and library versions; ``tests/test_scorer.py`` checks the shipped file's hash.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from entente.coding.scorer import (
    DIRECTIONS,
    NONE,
    BoostModel,
    LinearModel,
    Scorer,
    candidates,
    type_share,
)
from entente.evaluate.scorer import pairs, quote_span

if TYPE_CHECKING:
    from entente.analysis.signs import SignModel

DIGITS = 4
MIN_COUNT = 2
#: the label of a candidate left out of training
IGNORE = "IGNORE"
C_TYPES = 0.5
C_DIRECTION = 0.5
C_KINDS = 0.5
#: the solver's stopping tolerance
TOL = 1e-4
MIN_PRECISION = 0.6
CONTEXT_GAIN = 0.01
FOLDS = 3
OFF = 1.01  # a threshold no probability reaches: the step is off
ADD_GRID = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)
DROP_GRID = (0.8, 0.9, 0.95, OFF)
CONTEXT_GRID = (0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
#: how much surer than ``add`` a second event between a pair the sentence already links
#: may have to be (as sure: the settings before it)
MORE_GRID = (0.1, 0.15, 0.2, 0.3)
#: how sure the scorer must be of another type to retype a rule event (chosen last)
RETYPE_GRID = (0.5, 0.6, 0.7, 0.8, OFF)
#: the trigger's context vector (``VECTOR_SIZE`` numbers) is fitted through its first
#: ``VECTOR_DIMS`` singular directions on the training instances, and the weights are
#: mapped back to the vector's own numbers (:func:`project_vectors`)
VECTOR_DIMS = 32
#: the folds of the sign model's cross-validated accuracy (reported in its meta)
SIGN_CV = 5
#: the boosted trees for "is there an event" (LightGBM, binary): rounds, learning rate,
#: leaves per tree, fewest instances in a leaf, share of the features each tree sees,
#: share of the instances each tree sees; features seen in at least ``BOOST_MIN_COUNT``
#: instances (the context vector is left to the linear model). Chosen on the training
#: texts' 3 folds by instance-level F1 (event or not) of the blend: the trees alone
#: 0.661, the type model alone 0.649, blended 0.667 at ``BOOST_WEIGHT``
BOOST_TREES = 150
BOOST_RATE = 0.13
BOOST_LEAVES = 127
BOOST_MIN_LEAF = 10
BOOST_FEATURES = 0.3
BOOST_BAGGING = 0.8
BOOST_MIN_COUNT = 5
#: the boosted trees' share of the probability of an event (the type model's: the rest)
BOOST_WEIGHT = 0.6
#: the boosted trees for the type of an event (multiclass, on the instances with an
#: event): rounds, rate, leaves; their share of the blend with the kind model. On the
#: training texts' 3 folds the kind model's accuracy was 0.728, the trees' 0.708, the
#: blend's 0.734 with 60 rounds at rate 0.2 (0.735 with 150 at 0.1, which cost 2.5 times
#: as much to code with; 300 rounds or 31 leaves no better)
KINDS_TREES = 60
KINDS_RATE = 0.2
KINDS_LEAVES = 15
KINDS_WEIGHT = 0.4
#: decimals of the trees' leaf values in the model file
LEAF_DIGITS = 6


@dataclass(slots=True)
class Dataset:
    type_x: list[dict[str, float]] = field(default_factory=list)
    type_y: list[str] = field(default_factory=list)
    #: the instances with an event (rows of ``type_x``) train the direction model
    dir_rows: list[int] = field(default_factory=list)
    dir_y: list[str] = field(default_factory=list)
    #: the text (index into the items) of each instance: folds split by text
    text_of: list[int] = field(default_factory=list)
    stats: Counter[str] = field(default_factory=Counter)
    #: ``type_x`` as a sparse matrix, and its column names (:meth:`vectorise`)
    matrix: Any = None
    names: Any = None

    def vectorise(self) -> None:
        """Fill ``matrix`` and ``names`` from ``type_x`` (sorted feature names; the
        dictionaries are let go)."""
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer

        if self.matrix is not None:
            return
        vec = DictVectorizer(sort=True)
        self.matrix = vec.fit_transform(self.type_x).tocsr()
        self.names = np.asarray(vec.get_feature_names_out())
        self.type_x = []


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
    trigger inside its quote that is highest in the parse (its predicate); the quote's
    other candidate triggers for the pair are labelled :data:`IGNORE`."""
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
            if labels.get((best, pair), (IGNORE,))[0] == IGNORE:
                labels[(best, pair)] = (g.type, g.direction(a, b))
            # the quote's other triggers are neither the event nor "no event": a
            # prediction there covers the same quote, so they are left out of training
            for i in inside:
                labels.setdefault((i, pair), (IGNORE, ""))
    return labels


def successor_codes(gold: dict[str, Any]) -> dict[str, Any]:
    """The gold with historical states written as their successors (SUN → RUS), as the
    coder writes them by default: otherwise a Soviet act in an essay would teach the
    scorer that the candidate "Moscow … Washington" is no event, and the sign model
    would find no evidence for the dyad "SUN-USA"."""
    from entente.actors.reference import reference

    states = reference().states

    def code(c: str) -> str:
        st = states.get(c)
        return st.successor if st is not None and st.successor else c

    events = [
        {**e, "source": [code(c) for c in e["source"]], "target": [code(c) for c in e["target"]]}
        for e in gold.get("events", [])
    ]
    assessments = [{**a, "dyad": [code(c) for c in a["dyad"]]} for a in gold.get("assessments", [])]
    # a dyad's sign is read from the evidence between the successors ("SUN-USA" is
    # scored as "RUS-USA"); one that merges into a pair already listed, or into a state
    # with itself ("DDR-DEU"), is left out: its evidence cannot be told apart
    signs: dict[str, list[int]] = {}
    for key, sign in gold.get("dyads", {}).items():
        pair = sorted({code(c) for c in key.split("-")})
        signs.setdefault("-".join(pair) if len(pair) == 2 else "", []).append(sign)
    dyads = {k: v[0] for k, v in signs.items() if k and len(v) == 1}
    return {**gold, "events": events, "assessments": assessments, "dyads": dyads}


@dataclass(slots=True)
class DocItems:
    """One annotated text run through the coding pipeline once: per parsed sentence its
    rule events, candidates, candidate labels and assessments; reused for fitting,
    out-of-fold scoring and threshold choice."""

    name: str
    doc: Any
    gold: dict[str, Any]
    sentences: list[tuple[Any, list[Any], list[Any], dict[Any, tuple[str, str]], list[Any]]]
    quotes: list[Any]
    stats: Counter[str]
    #: while a scorer's probabilities are filled in: its candidates' probabilities as
    #: arrays (:func:`_decisions`), each sentence's events and the text's score for each
    #: set of decisions (:func:`_document_score`)
    arrays: Any = None
    scored: dict[Any, Any] = field(default_factory=dict)


def document_items(text_path: Path, gold_path: Path) -> DocItems:
    """Read, resolve and parse one annotated text; candidates with their gold labels."""
    from entente.coding import RecentEvents, document_context, parsed_sentences
    from entente.coding.assessments import code_assessments
    from entente.coding.events import EventCoder
    from entente.coding.quotes import code_quotes
    from entente.coding.scorer import context_states
    from entente.evaluate import _load_gold
    from entente.pipeline import read_document, resolve

    gold = successor_codes(_load_gold(gold_path))
    doc = resolve(read_document(text_path))
    spans = [(s.index, s.start, s.end) for s in doc.sentences]
    golds, lost = gold_by_sentence(doc.text, gold, spans)
    stats: Counter[str] = Counter()
    stats["gold_events"] += len(gold.get("events", []))
    stats["gold_unplaced"] += lost
    stats["gold_pairs"] += sum(len(g.pairs) for gs in golds.values() for g in gs)
    dctx = document_context(doc)
    sents = []
    recent = RecentEvents()
    for ps in parsed_sentences(doc, single=True):
        previous = recent.before(ps.sentence.index)
        coder = EventCoder(ps, previous)
        rule_events = coder.run()
        recent.add(ps.sentence.index, [*rule_events, *coder.acts])
        ctx = context_states(dctx, ps.sentence.index)
        cands = candidates(ps, rule_events, ctx, dctx, previous)
        labels = trigger_labels(ps, golds.get(ps.sentence.index, []), cands)
        stats["gold_pairs_reached"] += sum(1 for v in labels.values() if v[0] != IGNORE)
        two = len({c for m in ps.mentions for c in m.countries}) >= 2
        sents.append((ps, rule_events, cands, labels, code_assessments(ps) if two else []))
    return DocItems(text_path.name, doc, gold, sents, code_quotes(doc), stats)


def load_items(gold_dir: Path, what: str = "features") -> list[DocItems]:
    """:func:`document_items` for every annotated text of ``gold_dir``."""
    from rich.progress import track

    from entente.evaluate import find_pairs

    found = list(find_pairs(gold_dir))
    return [document_items(t, g) for t, g in track(found, description=what)]


def dataset_of(items: list[DocItems], texts: list[int] | None = None) -> Dataset:
    """Instances and labels for every candidate pair of ``items`` (the text of each
    instance: its item's place in ``items``, or its number in ``texts``)."""
    ds = Dataset()
    for k, it in enumerate(items):
        ds.stats.update(it.stats)
        for _ps, _evs, cands, labels, _ass in it.sentences:
            for cand in cands:
                label = labels.get((cand.trigger, frozenset((cand.a, cand.b))))
                if label and label[0] == IGNORE:
                    continue
                if label:
                    ds.dir_rows.append(len(ds.type_x))
                    ds.dir_y.append(label[1])
                ds.type_x.append(cand.full_features())
                ds.type_y.append(label[0] if label else NONE)
                ds.text_of.append(k if texts is None else texts[k])
    ds.stats["instances"] = len(ds.type_y)
    ds.stats["positives"] = sum(1 for y in ds.type_y if y != NONE)
    return ds


def merge_datasets(parts: list[Dataset]) -> Dataset:
    """One dataset from vectorised parts (:meth:`Dataset.vectorise`) whose texts
    interleave: rows in the order of their texts (a text's rows in their own order),
    columns the sorted union of the parts' features, so the matrix is the one
    :meth:`Dataset.vectorise` gives the whole dataset built in one process."""
    import numpy as np
    from scipy import sparse

    names = np.unique(np.concatenate([p.names for p in parts])) if parts else np.asarray([])
    mats: list[Any] = []
    texts: list[int] = []
    ys: list[str] = []
    dirs: list[tuple[int, str]] = []
    offset = 0
    for p in parts:
        m = p.matrix.tocsr()
        cols = np.searchsorted(names, p.names)[m.indices] if m.nnz else m.indices
        mats.append(sparse.csr_matrix((m.data, cols, m.indptr), shape=(m.shape[0], len(names))))
        texts.extend(p.text_of)
        ys.extend(p.type_y)
        dirs.extend((offset + r, y) for r, y in zip(p.dir_rows, p.dir_y, strict=True))
        offset += m.shape[0]
    order = np.argsort(np.asarray(texts, dtype=int), kind="stable")
    place = np.empty(len(order), dtype=int)
    place[order] = np.arange(len(order))
    ds = Dataset()
    ds.matrix = sparse.vstack(mats, format="csr")[order] if mats else None
    ds.names = names
    ds.type_y = [ys[r] for r in order]
    ds.text_of = [texts[r] for r in order]
    for row, y in sorted((int(place[r]), y) for r, y in dirs):
        ds.dir_rows.append(row)
        ds.dir_y.append(y)
    for p in parts:
        ds.stats.update(p.stats)
    return ds


#: one text to load: its number (training texts first, then dev), its text and gold
#: files, and its evaluator (the fold whose model never saw it; ``folds`` for dev)
Entry = tuple[int, Path, Path, int]


class _Shard:
    """The texts one worker holds: loaded once, turned into training instances, then
    scored by their evaluators' models at any number of threshold settings."""

    def __init__(self, entries: list[Entry], train_texts: int) -> None:
        self.entries = entries
        self.train_texts = train_texts
        self.items: list[DocItems] = []
        self.scorers: list[Scorer] = []

    @classmethod
    def of(cls, evaluators: list[tuple[Scorer, list[DocItems]]]) -> _Shard:
        """A shard of texts already loaded: evaluator ``k`` is ``evaluators[k]``'s scorer,
        its texts numbered in order."""
        from entente.coding.scorer import fill_probabilities

        shard = cls([], 0)
        for k, (scorer, items) in enumerate(evaluators):
            reset_probabilities(items)
            fill_probabilities(scorer, [c for it in items for s in it.sentences for c in s[2]])
            for it in items:
                shard.entries.append((len(shard.items), Path(it.name), Path(it.name), k))
                shard.items.append(it)
                shard.scorers.append(scorer)
        return shard

    def load(self, tick: Any) -> Dataset:
        import gc

        for _g, text, gold, _ev in self.entries:
            self.items.append(document_items(text, gold))
            # what the texts hold stays to the end: out of the collector's way, or every
            # full collection walks all of it again (one busy text took 8 times as long
            # after 500 others as alone)
            gc.freeze()
            tick()
        train = [k for k, (g, *_rest) in enumerate(self.entries) if g < self.train_texts]
        ds = dataset_of([self.items[k] for k in train], [self.entries[k][0] for k in train])
        ds.vectorise()
        return ds

    def set_models(self, models: list[Models]) -> None:
        """Evaluator ``k``'s models are ``models[k]``."""
        from entente.coding.scorer import fill_probabilities

        scorers = [scorer_of(m) for m in models]
        reset_probabilities(self.items)
        self.scorers = [scorers[ev] for _g, _t, _gp, ev in self.entries]
        for scorer, it in zip(self.scorers, self.items, strict=True):
            fill_probabilities(scorer, [c for s in it.sentences for c in s[2]])

    def score(self, settings: list[Setting]) -> list[list[tuple[int, int, Any]]]:
        """Per setting, each text's (evaluator, number, score)."""
        return [
            [
                (ev, g, _document_score(scorer, it, setting))
                for (g, _t, _gp, ev), scorer, it in zip(
                    self.entries, self.scorers, self.items, strict=True
                )
            ]
            for setting in settings
        ]


def _serve(conn: Any, shard: _Shard) -> None:
    """A worker process's loop: answer (method, arguments) messages until told to stop;
    ``load`` reports each text done."""
    import traceback

    from threadpoolctl import threadpool_limits

    try:
        while True:
            method, args = conn.recv()
            if method is None:
                break
            if method == "load":
                args = (lambda: conn.send(("tick", None)),)
            with threadpool_limits(limits=1):  # one core each: the workers share them
                conn.send(("ok", getattr(shard, method)(*args)))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


class Shards:
    """The training and dev texts, shared out among :func:`fit_jobs` forked worker
    processes (every ``jobs``-th text to each) that read, resolve and parse them, build
    their training instances, and later score them at threshold settings; the parent
    holds only the merged instances. The result does not depend on the number of
    workers: texts keep their numbers, and everything pooled is put back in order. With
    one core (or ``ENTENTE_TRAIN_JOBS=1``) the one shard lives in this process."""

    def __init__(self, train_dir: Path, dev_dir: Path | None, folds: int) -> None:
        import multiprocessing

        from entente.evaluate import find_pairs

        train = list(find_pairs(train_dir))
        dev = list(find_pairs(dev_dir)) if dev_dir is not None else []
        self.train_texts = len(train)
        entries: list[Entry] = [(g, t, gp, g % folds) for g, (t, gp) in enumerate(train)]
        entries += [(len(train) + j, t, gp, folds) for j, (t, gp) in enumerate(dev)]
        self.total = len(entries)
        jobs = max(1, min(fit_jobs(), len(entries)))
        if "fork" not in multiprocessing.get_all_start_methods():
            jobs = 1
        self.local: _Shard | None = None
        self.conns: list[Any] = []
        self.procs: list[Any] = []
        if jobs == 1:
            self.local = _Shard(entries, self.train_texts)
            return
        from entente.actors.mentions import _lexicon as mention_lexicon
        from entente.coding.lexicon import lexicon
        from entente.nlp import get_nlp

        get_nlp("parse")  # loaded once, before the fork: the workers share them
        lexicon()
        mention_lexicon()
        ctx = multiprocessing.get_context("fork")
        for k in range(jobs):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child, _Shard(entries[k::jobs], len(train))))
            proc.start()
            child.close()
            self.conns.append(parent)
            self.procs.append(proc)

    def __enter__(self) -> Shards:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for conn in self.conns:
            with contextlib.suppress(BrokenPipeError, OSError):
                conn.send((None, ()))
        for proc in self.procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
        self.conns, self.procs = [], []

    def _gather(self, tick: Any = None) -> list[Any]:
        """Every worker's answer, in worker order. Progress ticks are read as they come
        from any worker: a worker whose ticks went unread would block on a full pipe."""
        from multiprocessing.connection import wait

        answers: dict[int, Any] = {}
        while len(answers) < len(self.conns):
            for ready in wait([c for k, c in enumerate(self.conns) if k not in answers]):
                k = self.conns.index(ready)
                kind, value = self.conns[k].recv()
                if kind == "tick":
                    if tick is not None:
                        tick()
                elif kind == "error":
                    raise RuntimeError(f"training worker {k} failed:\n{value}")
                else:
                    answers[k] = value
        return [answers[k] for k in range(len(self.conns))]

    def load(self) -> Dataset:
        """Every text loaded; the training instances, merged in text order."""
        from rich.progress import Progress

        with Progress(transient=False) as bar:
            task = bar.add_task("texts", total=self.total)

            def tick() -> None:
                bar.advance(task)

            if self.local is not None:
                return merge_datasets([self.local.load(tick)])
            for conn in self.conns:
                conn.send(("load", ()))
            return merge_datasets(self._gather(tick))

    def call(self, method: str, *args: Any) -> list[Any]:
        """``method(*args)`` on every shard; their answers in shard order."""
        if self.local is not None:
            return [getattr(self.local, method)(*args)]
        for conn in self.conns:
            conn.send((method, args))
        return self._gather()

    def pooled(self, settings: list[Setting]) -> dict[Setting, list[Any]]:
        """Per setting, every text's score in the order (evaluator, number)."""
        return _pool(settings, self.call("score", settings))


def _pool(
    settings: list[Setting], parts: list[list[list[tuple[int, int, Any]]]]
) -> dict[Setting, list[Any]]:
    """Shards' answers to ``score``, pooled: per setting, every text's score in the
    order (evaluator, number), whichever shard scored it."""
    return {
        setting: [x[2] for x in sorted((y for p in parts for y in p[n]), key=lambda y: y[:2])]
        for n, setting in enumerate(settings)
    }


def build_dataset(gold_dir: Path) -> Dataset:
    """Instances and labels for every candidate pair of every text in ``gold_dir``."""
    return dataset_of(load_items(gold_dir))


@dataclass(slots=True)
class Task:
    """One model to fit: rows of the shared feature matrix, their labels, the classes."""

    rows: list[int]
    ys: list[str]
    c: float
    classes: list[str]
    #: "linear" (a logistic regression), "boost" (trees: event or not) or "boost_kinds"
    #: (trees: the type of an event)
    kind: str = "linear"


#: the shared feature matrix and its column names while fitting (inherited by forked
#: worker processes, so the matrix is never copied or pickled)
_SHARED: dict[str, Any] = {}


def _fit_task(task: Task, seed: int) -> LinearModel | BoostModel | None:
    """Fit one model on its rows of the shared matrix. Columns are the features seen in
    at least ``MIN_COUNT`` of the task's instances: the same design matrix as a
    vectoriser fitted on those instances alone."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    if task.kind in ("boost", "boost_kinds"):
        return _fit_boost(task, seed)
    if len(set(task.ys)) < 2:  # nothing to learn (a small set's events all of one kind)
        only = [c for c in task.classes if c in set(task.ys)]
        return LinearModel(classes=only, weights={}, intercept=[0.0] * len(only))
    mat = _SHARED["matrix"][np.asarray(task.rows)]
    keep = np.flatnonzero(mat.getnnz(axis=0) >= MIN_COUNT)
    directions = _SHARED.get("directions")
    mat = mat[:, keep]
    mat.sort_indices()
    names = _SHARED["names"][keep]
    ys = task.ys
    with threadpool_limits(limits=1):
        clf = LogisticRegression(C=task.c, max_iter=5000, random_state=seed, tol=TOL)
        clf.fit(mat, ys)
    fitted = [str(x) for x in clf.classes_]
    coef = clf.coef_
    intercept = clf.intercept_
    if len(fitted) == 2:  # binary: one row of weights for the second class
        coef = [[-w for w in coef[0]], list(coef[0])]
        intercept = [-intercept[0], intercept[0]]
    order = [fitted.index(c) for c in task.classes if c in fitted]
    coef = np.asarray(coef, dtype=float)
    raw: dict[str, Any] = {}
    if directions is not None:
        names, coef, raw = _unproject(names, coef, directions)
    weights: dict[str, list[float]] = {}
    for j, name in enumerate(names):
        row = [round(float(coef[k][j]), DIGITS) for k in order]
        if any(abs(w) > 0 for w in row):
            weights[str(name)] = row
    for name, column in raw.items():  # the context vector's own numbers
        row = [round(float(column[k]), DIGITS) for k in order]
        if any(abs(w) > 0 for w in row):
            weights[name] = row
    return LinearModel(
        classes=[fitted[k] for k in order],
        weights=weights,
        intercept=[round(float(intercept[k]), DIGITS) for k in order],
    )


def _fit_boost(task: Task, seed: int) -> BoostModel | None:
    """Boosted trees (LightGBM, one thread, deterministic) on the task's rows of the
    shared matrix, its binary columns seen in at least ``BOOST_MIN_COUNT`` of them: event
    or not (``kind`` "boost"), or the type of an event ("boost_kinds"); converted to a
    :class:`BoostModel`. None when the rows hold only one label or no such column."""
    import lightgbm as lgb
    import numpy as np

    kinds = task.kind == "boost_kinds"
    classes = [c for c in task.classes if c in set(task.ys)] if kinds else []
    y = np.asarray([classes.index(c) for c in task.ys] if kinds else
                   [0 if c == NONE else 1 for c in task.ys])  # fmt: skip
    if len(set(y.tolist())) < 2:
        return None
    mat = _SHARED["matrix"][np.asarray(task.rows)]
    keep = np.flatnonzero((mat.getnnz(axis=0) >= BOOST_MIN_COUNT) & _SHARED["binary"])
    if not len(keep):
        return None
    mat = mat[:, keep].astype(np.float32)
    params = {
        "objective": "binary", "learning_rate": BOOST_RATE, "num_leaves": BOOST_LEAVES,
        "min_data_in_leaf": BOOST_MIN_LEAF, "feature_fraction": BOOST_FEATURES,
        "bagging_fraction": BOOST_BAGGING, "bagging_freq": 1, "seed": seed,
        "deterministic": True, "force_row_wise": True, "num_threads": 1, "verbose": -1,
    }  # fmt: skip
    rounds = BOOST_TREES
    if kinds:
        params.update(objective="multiclass", num_class=len(classes),
                      learning_rate=KINDS_RATE, num_leaves=KINDS_LEAVES)  # fmt: skip
        rounds = KINDS_TREES
    data = lgb.Dataset(mat, label=y, params={"verbose": -1, "num_threads": 1})
    booster = lgb.train(params, data, num_boost_round=rounds)
    model = boost_of(booster.dump_model(), [str(n) for n in _SHARED["names"][keep]])
    if kinds:
        model.classes, model.weight = classes, KINDS_WEIGHT
    return model


def _projected(name: str) -> bool:
    """A column of :func:`project_vectors` (``v~3``, ``c:v~3``)."""
    prefix, tilde, number = name.partition("v~")
    return bool(tilde) and number.isdigit() and prefix in ("", "c:")


def boost_of(dumped: dict[str, Any], columns: list[str]) -> BoostModel:
    """A :class:`BoostModel` of a LightGBM model (``Booster.dump_model()``) fitted on
    binary columns named ``columns``: each split resolved to where a candidate goes
    with its feature (value 1) and without it (value 0), features renumbered among
    those the trees use."""
    used = sorted({columns[n["split_feature"]] for t in dumped["tree_info"]
                   for n in _splits(t["tree_structure"])})  # fmt: skip
    index = {name: i for i, name in enumerate(used)}
    trees: list[dict[str, list[Any]]] = []
    for info in dumped["tree_info"]:
        root = info["tree_structure"]
        splits = list(_splits(root))
        order = {id(n): k for k, n in enumerate(splits)}
        tree: dict[str, list[Any]] = {"f": [], "p": [], "a": [], "v": []}
        leaves = list(_leaves(root))
        leaf_no = {id(n): k for k, n in enumerate(leaves)}

        def ref(node: dict[str, Any]) -> int:
            return order[id(node)] if "split_feature" in node else ~leaf_no[id(node)]  # noqa: B023

        for n in splits:
            if n["decision_type"] != "<=":
                raise ValueError(f"unexpected split {n['decision_type']!r}")
            thr = float(n["threshold"])
            zero_missing = n.get("missing_type") == "Zero"
            left, right = ref(n["left_child"]), ref(n["right_child"])
            zero_left = n.get("default_left", True) if zero_missing else thr >= 0.0
            tree["f"].append(index[columns[n["split_feature"]]])
            tree["p"].append(left if thr >= 1.0 else right)
            tree["a"].append(left if zero_left else right)
        tree["v"] = [round(float(x["leaf_value"]), LEAF_DIGITS) for x in leaves]
        trees.append(tree)
    return BoostModel(features=used, trees=trees, weight=BOOST_WEIGHT)


def _splits(node: dict[str, Any]) -> Any:
    """A tree's splits, depth first (the root first)."""
    if "split_feature" in node:
        yield node
        yield from _splits(node["left_child"])
        yield from _splits(node["right_child"])


def _leaves(node: dict[str, Any]) -> Any:
    """A tree's leaves, left to right."""
    if "split_feature" in node:
        yield from _leaves(node["left_child"])
        yield from _leaves(node["right_child"])
    else:
        yield node


def _run_task(args: tuple[Task, int]) -> LinearModel | BoostModel | None:
    return _fit_task(*args)


def fit_jobs() -> int:
    """Worker processes for fitting: ``ENTENTE_TRAIN_JOBS``, else the cores this process
    may use (at most 4: each worker holds its own copy of a model's arrays)."""
    import os

    from entente.options import cores

    given = os.environ.get("ENTENTE_TRAIN_JOBS", "").strip()
    if given.isdigit() and int(given) >= 1:
        return int(given)
    return min(4, cores())


def pool_map(fn: Any, args: list[Any]) -> list[Any]:
    """``[fn(a) for a in args]``, in :func:`fit_jobs` forked worker processes where the
    machine has more than one core (the workers inherit ``_SHARED``; nothing large is
    pickled), else in this process. Results come back in the order of ``args``."""
    import multiprocessing

    jobs = min(fit_jobs(), len(args))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(a) for a in args]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(fn, args, chunksize=1)


#: the models fitted for one group of texts: the type model (no event or a type), the
#: direction model, the kind model (the type, given an event), the boosted trees for
#: event or not and those for the type of an event (None: the linear model alone)
Models = tuple[LinearModel, LinearModel, LinearModel, BoostModel | None, BoostModel | None]


def scorer_of(models: Models) -> Scorer:
    """A scorer of ``models`` at provisional thresholds."""
    types, direction, kinds, boost, kinds_boost = models
    return Scorer(
        types=types,
        direction=direction,
        kinds=kinds if kinds.classes else None,
        boost=boost,
        kinds_boost=kinds_boost if kinds.classes else None,
        add=0.5,
        drop=0.9,
        meta={},
    )


_VECTOR_NAME = re.compile(r"^((?:c:)?)v(\d+)$")


def project_vectors(matrix: Any, names: Any) -> tuple[Any, Any, Any]:
    """The design matrix with each context-vector block (``v0`` … and ``c:v0`` …)
    replaced by its coordinates on the first ``VECTOR_DIMS`` right singular vectors of
    all the instances' vectors (uncentred, so a missing vector stays zero), named ``v~0``
    … and ``c:v~0`` …; the names; the directions (``VECTOR_DIMS`` × ``VECTOR_SIZE``,
    rounded to ``DIGITS``, each signed so that its largest entry is positive).

    A linear model on the coordinates is a linear model on the vector itself (weights
    ``directions.T @ w``, :func:`_unproject`): the shipped file and the coder do not
    change, and the fits cost a third less (the vector is most of the matrix's
    non-zeros), with the same held-out log-loss on one fold (0.3544)."""
    import numpy as np
    import scipy.sparse as sp
    from threadpoolctl import threadpool_limits

    blocks: dict[str, list[tuple[int, int]]] = {}
    for j, name in enumerate(names):
        m = _VECTOR_NAME.match(str(name))
        if m:
            blocks.setdefault(m.group(1), []).append((int(m.group(2)), j))
    if not blocks:
        return matrix, names, None
    size = max(k for cols in blocks.values() for k, _j in cols) + 1
    dense = {}
    for prefix, cols in blocks.items():
        block = np.zeros((matrix.shape[0], size))
        idx = [j for _k, j in cols]
        block[:, [k for k, _j in cols]] = matrix[:, idx].toarray()
        dense[prefix] = block
    rows = np.vstack([b[np.flatnonzero(np.abs(b).sum(axis=1) > 0)] for b in dense.values()])
    with threadpool_limits(limits=1):
        _u, _s, vt = np.linalg.svd(rows, full_matrices=False)
    directions = vt[: min(VECTOR_DIMS, vt.shape[0])]
    flip = np.sign(directions[np.arange(len(directions)), np.abs(directions).argmax(axis=1)])
    directions = np.round(directions * flip[:, None], DIGITS)
    is_vector = np.zeros(len(names), dtype=bool)
    for cols in blocks.values():
        is_vector[[j for _k, j in cols]] = True
    others = np.flatnonzero(~is_vector)
    parts = [matrix[:, others]]
    new_names = [str(n) for n in np.asarray(names)[others]]
    for prefix in sorted(dense):
        parts.append(sp.csr_matrix(dense[prefix] @ directions.T))
        new_names += [f"{prefix}v~{k}" for k in range(len(directions))]
    return sp.hstack(parts).tocsr(), np.asarray(new_names, dtype=object), directions


def _unproject(names: Any, coef: Any, directions: Any) -> tuple[Any, Any, dict[str, Any]]:
    """The fitted columns other than the projected ones, their weights, and for each
    number of the context vector its weights (``directions.T @ w``) by name."""
    import numpy as np

    projected: dict[str, dict[int, int]] = {}
    plain: list[int] = []
    for j, name in enumerate(names):
        if _projected(str(name)):
            prefix, _, number = str(name).partition("v~")
            projected.setdefault(prefix, {})[int(number)] = j
        else:
            plain.append(j)
    raw: dict[str, Any] = {}
    for prefix, cols in projected.items():
        w = np.zeros((coef.shape[0], directions.shape[0]))
        for d, j in cols.items():
            w[:, d] = coef[:, j]
        full = w @ directions  # classes × vector size
        for i in range(directions.shape[1]):
            raw[f"{prefix}v{i}"] = full[:, i]
    return np.asarray(names, dtype=object)[plain], coef[:, plain], raw


def fit_many(ds: Dataset, groups: list[list[int]], seed: int = 0) -> list[Models]:
    """The type, direction and kind models for each group of texts (indices into the
    items behind ``ds``), fitted in parallel worker processes where the machine has more
    than one core. Each fit is single-threaded with a fixed seed, so the models are the same
    whichever process fits them."""
    import numpy as np

    from entente.coding.ontology import EVENT_TYPES

    type_classes = [NONE, *EVENT_TYPES]
    ds.vectorise()
    _SHARED["matrix"], _SHARED["names"], _SHARED["directions"] = project_vectors(
        ds.matrix, ds.names
    )
    # the binary columns (the trees' features), worked out once for all the fits
    _SHARED["binary"] = np.asarray([not _projected(str(n)) for n in _SHARED["names"]])
    text_of = np.asarray(ds.text_of)
    dir_rows = np.asarray(ds.dir_rows, dtype=int)
    tasks: list[Task] = []
    for group in groups:
        inside = np.isin(text_of, np.asarray(group))
        rows = np.flatnonzero(inside)
        tasks.append(
            Task([int(r) for r in rows], [ds.type_y[r] for r in rows], C_TYPES, type_classes)
        )
        d = [k for k, r in enumerate(dir_rows) if inside[r]]
        tasks.append(
            Task(
                [int(dir_rows[k]) for k in d],
                [ds.dir_y[k] for k in d],
                C_DIRECTION,
                list(DIRECTIONS),
            )
        )
        tasks.append(
            Task(
                [int(dir_rows[k]) for k in d],
                [ds.type_y[dir_rows[k]] for k in d],
                C_KINDS,
                list(EVENT_TYPES),
            )
        )
        tasks.append(
            Task([int(r) for r in rows], [ds.type_y[r] for r in rows], 0.0, [], kind="boost")
        )
        tasks.append(
            Task(
                [int(dir_rows[k]) for k in d],
                [ds.type_y[dir_rows[k]] for k in d],
                0.0,
                list(EVENT_TYPES),
                kind="boost_kinds",
            )
        )
    # the trees first (the slowest), then largest first, so the small direction fits
    # fill the gaps
    order = sorted(
        range(len(tasks)),
        key=lambda k: (not tasks[k].kind.startswith("boost"), -len(tasks[k].rows)),
    )
    try:
        done = pool_map(_run_task, [(tasks[k], seed) for k in order])
    finally:
        _SHARED.clear()
    models: dict[int, Any] = dict(zip(order, done, strict=True))
    return [
        (models[5 * g], models[5 * g + 1], models[5 * g + 2], models[5 * g + 3], models[5 * g + 4])
        for g in range(len(groups))
    ]


def fit(ds: Dataset, seed: int = 0) -> Models:
    """The type, direction and kind models fitted on all of ``ds``."""
    return fit_many(ds, [sorted(set(ds.text_of))], seed)[0]


def reset_probabilities(items: list[DocItems]) -> None:
    """Forget candidate probabilities (they belong to the scorer that computed them)."""
    for it in items:
        it.arrays = None
        it.scored.clear()
        for _ps, _evs, cands, _labels, _ass in it.sentences:
            for c in cands:
                c.probs = c.kind_probs = None


#: a threshold setting: add, drop, add_context, add_more
Setting = tuple[float, float, float, float, float]


def grid_scores(
    scorer: Scorer, items: list[DocItems], settings: list[Setting]
) -> dict[Setting, list[Any]]:
    """Per-document scores of the hybrid coder on ``items`` at each (add, drop,
    add_context, add_more, retype) setting (add_context above 1: no partners from other
    sentences). Candidates cache their probabilities: call :func:`reset_probabilities`
    before scoring the same items with another scorer."""
    from entente.coding.scorer import fill_probabilities

    fill_probabilities(scorer, [c for it in items for s in it.sentences for c in s[2]])
    out: dict[Setting, list[Any]] = {}
    for setting in settings:
        out[setting] = [_document_score(scorer, it, setting) for it in items]
    return out


def _decisions(it: DocItems, setting: Setting) -> list[bytes]:
    """What :func:`entente.coding.scorer.judge` decides in each sentence of ``it`` at
    ``setting``, as keys: every comparison of a candidate's probability with a threshold
    (the only way the thresholds reach its output). A sentence with the same key at two
    settings is coded the same way at both, and so is a text whose sentences all are
    (:func:`_document_score`)."""
    import numpy as np

    if it.arrays is None:
        rule_pn, rule_share, score, is_ctx, bounds = [], [], [], [], [(0, 0)]
        for _ps, _evs, cands, _labels, _ass in it.sentences:
            for c in cands:
                assert c.probs is not None
                p_none = c.probs.get(NONE, 0.0)
                if c.rule_events:
                    rule_pn.append(p_none)
                    rule_share.append(type_share(c.probs)[1])
                else:
                    score.append(1 - p_none)
                    is_ctx.append(c.context_state is not None)
            bounds.append((len(rule_pn), len(score)))
        it.arrays = (
            np.asarray(rule_pn, dtype=float),
            np.asarray(rule_share, dtype=float),
            np.asarray(score, dtype=float),
            np.asarray(is_ctx, dtype=bool),
            bounds,
        )
    rule_pn_a, rule_share_a, score_a, is_ctx_a, bounds = it.arrays
    add, drop, add_context, add_more, retype = setting
    kept = rule_pn_a < drop
    sure = rule_share_a >= retype
    low = score_a < np.where(is_ctx_a, add_context, add)
    unsure = score_a < add_more
    ctx = b"c" if add_context <= 1.0 else b"-"
    return [
        ctx
        + kept[r0:r1].tobytes()
        + sure[r0:r1].tobytes()
        + b"|"
        + low[s0:s1].tobytes()
        + unsure[s0:s1].tobytes()
        for (r0, s0), (r1, s1) in itertools.pairwise(bounds)
    ]


def _document_score(scorer: Scorer, it: DocItems, setting: Setting) -> Any:
    """The score of the hybrid coder on one text at one setting (the candidates'
    probabilities filled in). Each sentence is judged once per distinct set of its
    decisions, and the text scored once per distinct set of all of them: threshold
    search costs what the settings change, not what they leave alone."""
    from entente.analysis.signs import BAND
    from entente.coding import Coded, records
    from entente.coding.scorer import judge
    from entente.evaluate.scorer import score_document

    keys = _decisions(it, setting)
    doc_key = b"/".join(keys)
    hit = it.scored.get(doc_key)
    if hit is not None:
        return hit
    add, drop, add_context, add_more, retype = setting
    coded = Coded(quotes=it.quotes)
    for k, (ps, evs, cands, _labels, ass) in enumerate(it.sentences):
        judged = it.scored.get((k, keys[k]))
        if judged is None:
            use = cands if add_context <= 1.0 else [c for c in cands if c.context_state is None]
            judged = it.scored[(k, keys[k])] = judge(
                ps, list(evs), scorer, add=add, drop=drop, add_context=add_context,
                cands=use, explain=False, add_more=add_more, retype=retype,
            )  # fmt: skip
        coded.events.extend(judged)
        coded.assessments.extend(ass)
    # dyad signs by the band rule: what training reports must not depend on the sign
    # model shipped before it
    rows = records(it.doc, coded)
    hit = it.scored[doc_key] = score_document(it.name, it.doc.text, it.gold, rows, band=BAND)
    return hit


def objective(s: dict[str, Any]) -> float:
    """Mean of dyad F1 and typed F1; settings under ``MIN_PRECISION`` rank below all others."""
    tp, tr = float(s["typed_precision"]), float(s["typed_recall"])
    typed_f1 = 2 * tp * tr / (tp + tr) if tp + tr else 0.0
    feasible = float(s["dyad_precision"]) >= MIN_PRECISION
    return (float(s["dyad_f1"]) + typed_f1) / 2 + (1.0 if feasible else 0.0)


def choose_thresholds(
    evaluators: list[tuple[Scorer, list[DocItems]]],
) -> tuple[Setting, dict[str, Any], list[dict[str, Any]]]:
    """:func:`search_thresholds` over ``evaluators`` already loaded in this process
    (each a scorer and the texts it never saw), scored here as one shard."""
    shard = _Shard.of(evaluators)
    return search_thresholds(lambda settings: _pool(settings, [shard.score(settings)]))


def search_thresholds(
    pooled: Any,
) -> tuple[Setting, dict[str, Any], list[dict[str, Any]]]:
    """The setting with the best :func:`objective` over the texts that ``pooled`` (a
    list of settings → per setting, every text's score) scores with models that never
    saw them: first (add, drop) without partners from other sentences, then the
    threshold for those partners, which must gain ``CONTEXT_GAIN`` (they cost a parse of
    every one-state sentence; the add threshold is chosen again beside them, within one
    step), then how much surer a second event between a pair already linked in the
    sentence must be (``MORE_GRID``, add again within one step), then how sure of
    another type the scorer must be to retype a rule event it keeps (``RETYPE_GRID``).
    Returns the setting (add, drop, add_context, add_more, retype), the pooled summary
    there, the grid. Each text
    is coded and scored once per distinct set of decisions (:func:`_document_score`),
    not once per setting."""

    def near(add: float) -> list[float]:
        return [a for a in ADD_GRID if abs(a - add) <= 0.051]

    grid: list[dict[str, Any]] = []
    best: tuple[float, Setting, dict[str, Any]] | None = None

    def consider(settings: list[Setting], floor: float = float("-inf")) -> None:
        """Score ``settings``; one beats the best so far if it also beats ``floor``."""
        nonlocal best
        for setting, docs in pooled(settings).items():
            s = _pooled_summary(docs)
            add, drop, ctx, more, retype = setting
            grid.append({"add": add, "drop": drop, "add_context": ctx, "add_more": more,
                         "retype": retype, **s})  # fmt: skip
            if best is None or objective(s) > max(best[0], floor):
                best = (objective(s), setting, s)

    consider(settings_grid())
    assert best is not None
    first = best
    # partners from other sentences add recall: the best add threshold with them may
    # be a step stricter than without them
    _, (add0, drop0, _, _, _), _ = first
    consider(
        [(a, drop0, c, a, OFF) for a in near(add0) for c in CONTEXT_GRID],
        floor=first[0] + CONTEXT_GAIN,
    )
    _, (add1, drop1, ctx1, _, _), _ = best
    consider([(a, drop1, ctx1, round(a + m, 2), OFF) for a in near(add1) for m in MORE_GRID])
    # last, whether the scorer may change the type of the rule events it keeps
    _, (add2, drop2, ctx2, more2, _), _ = best
    consider([(add2, drop2, ctx2, more2, r) for r in RETYPE_GRID])
    for row in grid:
        row.pop("confusion", None)
    return best[1], best[2], grid


def fit_signs(
    train_dyads: list[tuple[int, list[float]]],
    dev_dyads: list[tuple[int, list[float]]],
    seed: int = 0,
) -> SignModel:
    """The sign model (:mod:`entente.analysis.signs`) fitted on ``train_dyads``: each a
    gold sign and the summary of the evidence the coder found for that pair in its text
    (:meth:`PairEvidence.to_list`), scored by a model that never saw the text. It is an
    ordinal logit (statsmodels' ``OrderedModel``, maximum likelihood); ``meta`` records
    its ``SIGN_CV``-fold cross-validated accuracy on the same dyads and its accuracy on
    ``dev_dyads``, each beside the plain band rule's."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    from entente.analysis.signs import BAND, SIGNS, PairEvidence, band_sign, features

    # a dyad whose evidence weighs nothing is signed 0 whatever the model says
    # (SignModel.sign): it teaches the model nothing and is scored as 0
    weighed = [(s, v) for s, v in train_dyads if PairEvidence.from_list(v).weight > 0]
    x = np.asarray([features(PairEvidence.from_list(v)) for _s, v in weighed], dtype=float).reshape(
        len(weighed), -1
    )
    y = np.asarray([s for s, _v in weighed], dtype=int)
    unweighed_right = sum(
        1 for s, v in train_dyads if s == 0 and PairEvidence.from_list(v).weight <= 0
    )
    mean = x.mean(axis=0) if len(x) else np.zeros(x.shape[1])
    scale = x.std(axis=0) if len(x) else np.ones(x.shape[1])
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    counts = np.bincount(y + 1, minlength=3) if len(y) else np.zeros(3, dtype=int)
    n_folds = min(SIGN_CV, int(min((c for c in counts if c), default=0)))
    right = unweighed_right
    if n_folds >= 2 and np.count_nonzero(counts) >= 2:
        folds = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
        for fit_rows, held in folds.split(z, y):
            part = _ordinal_fit(z[fit_rows], y[fit_rows], mean, scale)
            right += sum(
                1 for i in held if part.sign(PairEvidence.from_list(weighed[i][1])) == y[i]
            )
    model = _ordinal_fit(z, y, mean, scale)

    def accuracy(dyads: list[tuple[int, list[float]]], how: Any) -> float:
        if not dyads:
            return 0.0
        right = sum(1 for s, v in dyads if how(PairEvidence.from_list(v)) == s)
        return round(right / len(dyads), 4)

    meta = {
        "model": "ordinal logit", "classes_seen": [c for c, n in zip(SIGNS, counts, strict=True) if n],
        "out_of_fold_accuracy": round(right / len(train_dyads), 4) if train_dyads else 0.0,
        "out_of_fold_dyads": len(train_dyads), "dev_dyads": len(dev_dyads), "folds": n_folds,
        "out_of_fold_band_accuracy": accuracy(train_dyads, lambda e: band_sign(e.score, BAND)),
        "dev_accuracy": accuracy(dev_dyads, model.sign),
        "dev_band_accuracy": accuracy(dev_dyads, lambda e: band_sign(e.score, BAND)),
        "seed": seed,
    }  # fmt: skip
    return dataclasses.replace(model, meta=meta)


def _ordinal_fit(z: Any, y: Any, mean: Any, scale: Any) -> SignModel:
    """An ordinal logit of the signs ``y`` on the standardised features ``z``, as a
    :class:`SignModel` (weights rounded to ``DIGITS``). A feature that does not vary in
    ``z`` gets weight 0 (the model cannot take a constant); with fewer than two signs
    seen there is nothing to order, and the model puts every tie in the one seen (or
    0, when none)."""
    import warnings

    import numpy as np
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from threadpoolctl import threadpool_limits

    from entente.analysis.signs import SIGNS, SignModel

    seen = sorted({int(v) for v in y}) or [0]
    coef = np.zeros(z.shape[1])
    if len(seen) < 2:
        # one class: cuts far either side of a zero score pick it
        k = SIGNS.index(seen[0])
        classes: tuple[int, ...] = SIGNS
        cuts = [(-50.0 if i < k else 50.0) for i in range(len(SIGNS) - 1)]
    else:
        varies = [j for j in range(z.shape[1]) if np.ptp(z[:, j]) > 0]
        with threadpool_limits(limits=1), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # hasconst=False: on a handful of dyads the features can sum to a constant,
            # which the model would refuse; the fit is then merely not unique
            model = OrderedModel(
                np.searchsorted(seen, y), z[:, varies], distr="logit", hasconst=False
            )
            fitted = model.fit(method="bfgs", maxiter=5000, disp=False)
        params = np.asarray(fitted.params, dtype=float)
        coef[varies] = params[: len(varies)]
        classes = tuple(seen)
        cuts = [round(float(c), DIGITS) for c in model.transform_threshold_params(params)[1:-1]]
        for i in range(1, len(cuts)):  # rounding must keep them increasing
            cuts[i] = max(cuts[i], cuts[i - 1])
    return SignModel(
        classes=classes,
        coef=tuple(round(float(w), DIGITS) for w in coef),
        cuts=tuple(cuts),
        mean=tuple(round(float(v), DIGITS) for v in mean),
        scale=tuple(round(float(v), DIGITS) for v in scale),
        meta={},
    )


def _pooled_summary(docs: list[Any]) -> dict[str, Any]:
    """The event summary of texts' scores, pooled."""
    from entente.evaluate.scorer import summarise

    return dict(summarise(docs)["events"])


def settings_grid() -> list[Setting]:
    return [(a, d, OFF, a, OFF) for a in ADD_GRID for d in DROP_GRID]


def train(
    train_dir: Path, dev_dir: Path | None, out: Path, seed: int = 0, folds: int = FOLDS
) -> dict[str, Any]:
    """Build the dataset, fit the models, choose thresholds on dev and on out-of-fold
    predictions for the training texts, write ``out``; then fit the sign model on those
    out-of-fold predictions and write it beside ``out`` (:func:`signs_path`).

    The texts are parsed with thinc's own BLIS backend whatever the coding backend is:
    the two give the same parses, but their context vectors differ in the last bits, and
    the model file must be the same bytes wherever it is rebuilt."""
    from entente import nlp

    previous = nlp.ops_backend()
    nlp.set_ops("blis")
    try:
        return _train(train_dir, dev_dir, out, seed, folds)
    finally:
        nlp.set_ops(previous)


def _train(
    train_dir: Path, dev_dir: Path | None, out: Path, seed: int, folds: int
) -> dict[str, Any]:
    import time

    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[phase] = round(now - clock, 1)
        clock = now

    with Shards(train_dir, dev_dir if dev_dir is not None else None, folds) as shards:
        ds = shards.load()
        lap("load")
        every = list(range(shards.train_texts))
        # the final models, and for out-of-fold scoring one pair per fold fitted without it
        groups = [every]
        if dev_dir is not None:
            groups += [[i for i in every if i % folds != k] for k in range(folds)]
        models = fit_many(ds, groups, seed)
        lap("fit")
        scorer = scorer_of(models[0])
        summary: dict[str, Any] = {}
        dev_summary: dict[str, Any] = {}
        signs: SignModel | None = None
        if dev_dir is not None:
            # out-of-fold: each training text is scored by a model fitted without it
            # (evaluator k: the model of group k + 1), dev by the final model
            shards.call("set_models", [*models[1:], models[0]])
            setting, summary, _ = search_thresholds(shards.pooled)
            scorer.add, scorer.drop, scorer.add_context, scorer.add_more, scorer.retype = setting
            lap("thresholds")
            from entente.evaluate.scorer import summarise

            docs = sorted((y for p in shards.call("score", [setting]) for y in p[0]),
                          key=lambda y: y[:2])  # fmt: skip
            dev_summary = dict(summarise([d for ev, _g, d in docs if ev == folds])["events"])
            # the sign model learns from the evidence the coder found at those thresholds
            signs = fit_signs(
                [(s, v) for ev, _g, d in docs if ev < folds for _k, s, v in d.dyads if v],
                [(s, v) for ev, _g, d in docs if ev == folds for _k, s, v in d.dyads if v],
                seed,
            )
            lap("signs")
    from entente.nlp import kernels

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
        "seed": seed, "folds": folds, "kernels": kernels(), "context_gain": CONTEXT_GAIN, "c_types": C_TYPES,
        "c_direction": C_DIRECTION, "c_kinds": C_KINDS, "min_count": MIN_COUNT, "min_precision": MIN_PRECISION,
        "chosen_on": {k: v for k, v in summary.items() if k != "confusion"},
        "dev": {k: v for k, v in dev_summary.items() if k != "confusion"},
    }  # fmt: skip
    model = {
        "format": "entente-scorer/1",
        "meta": meta,
        "thresholds": {
            "add": scorer.add,
            "drop": scorer.drop,
            "add_context": scorer.add_context,
            "add_more": scorer.add_more,
            "retype": scorer.retype,
        },
        "types": scorer.types.to_dict(),
        "direction": scorer.direction.to_dict(),
        "kinds": models[0][2].to_dict(),
    }
    if models[0][3] is not None:
        model["boost"] = models[0][3].to_dict()
    if models[0][4] is not None and models[0][2].classes:
        model["kinds_boost"] = models[0][4].to_dict()
    out.write_text(dump(model), "utf-8")
    # what is returned beyond the file's meta: the sign model's and the time each phase
    # took (never written: the files must be the same bytes on every run)
    extra: dict[str, Any] = {"seconds": seconds}
    if signs is not None:
        signs_path(out).write_text(json.dumps(signs.to_dict(), indent=1, sort_keys=True) + "\n")
        extra["signs"] = signs.meta
    return {**meta, **extra}


def signs_path(out: Path) -> Path:
    """Where :func:`train` writes the sign model beside the scorer file ``out``."""
    return out.with_name("signs.json")


def _dump_linear(m: dict[str, Any]) -> str:
    rows = ",\n".join(
        f"{json.dumps(k)}:{json.dumps(v, separators=(',', ':'))}"
        for k, v in sorted(m["weights"].items())
    )
    head = json.dumps(
        {"classes": m["classes"], "intercept": m["intercept"]}, separators=(",", ":")
    )[:-1]
    return f'{head},"weights":{{\n{rows}\n}}}}'


def _dump_boost(m: dict[str, Any]) -> str:
    features = ",\n".join(json.dumps(f) for f in m["features"])
    trees = ",\n".join(json.dumps(t, separators=(",", ":"), sort_keys=True) for t in m["trees"])
    classes = f'"classes":{json.dumps(m["classes"])},\n' if m.get("classes") else ""
    return (f'{{{classes}"features":[\n{features}\n],\n"trees":[\n{trees}\n],\n'
            f'"weight":{json.dumps(m["weight"])}}}')  # fmt: skip


def dump(model: dict[str, Any]) -> str:
    """Canonical JSON: sorted keys, one feature's weights per line, one tree per line."""
    parts = []
    for key in sorted(model):
        value = model[key]
        if key in ("types", "direction", "kinds"):
            parts.append(f"{json.dumps(key)}:{_dump_linear(value)}")
        elif key in ("boost", "kinds_boost"):
            parts.append(f"{json.dumps(key)}:{_dump_boost(value)}")
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
