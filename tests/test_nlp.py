"""The fast attribute-rule path gives exactly what spaCy's own pipeline gives."""

from __future__ import annotations

from pathlib import Path

import spacy

from entente.nlp import finish, get_nlp, model_name


def test_fast_attribute_ruler_equals_spacy(examples_dir: Path) -> None:
    texts = [p.read_text("utf-8")[:3000] for p in sorted(examples_dir.glob("*.txt"))]
    texts.append(
        "That's what he said, isn't it? The U.S.-Japan talks 'll resume; whether or not they'd agree."
    )
    reference = spacy.load(model_name(), exclude=["ner", "senter"])
    fast = get_nlp("parse")
    for ref_doc, doc in zip(reference.pipe(texts), fast.pipe(texts), strict=True):
        finish(doc)
        for a, b in zip(ref_doc, doc, strict=True):
            assert (a.pos_, a.tag_, str(a.morph), a.dep_) == (
                b.pos_,
                b.tag_,
                str(b.morph),
                b.dep_,
            ), (a.text, a.i)
            if a.pos_ in ("VERB", "NOUN", "AUX", "ADJ"):
                assert a.lemma_ == b.lemma_ or b.lemma_ == a.lemma_.lower(), (
                    a.text,
                    a.lemma_,
                    b.lemma_,
                )
