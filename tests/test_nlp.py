"""The fast attribute-rule path gives exactly what spaCy's own pipeline gives; the
network backends give the same parses."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from entente import nlp
from entente.errors import InputError
from entente.nlp import finish, get_nlp, model_name


def test_fast_attribute_ruler_equals_spacy(examples_dir: Path) -> None:
    texts = [p.read_text("utf-8")[:3000] for p in sorted(examples_dir.glob("*.txt"))]
    texts.append(
        "That's what he said, isn't it? The U.S.-Japan talks 'll resume; whether or not they'd agree."
    )
    texts.append(  # the model's multi-token and pattern rules
        "There are talks, ain't there? We're gonna win and y'all gotta see; let's go, c'mon. "
        "It was nothin' and there is nuthin to add: which side will the delegates of that "
        "state have been told about?  Two  spaces,\n\nand a break."
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


# -- the network backend -------------------------------------------------------------------
PARSE_TEXTS = [
    "Moscow warned Tokyo on Tuesday that new sanctions would harm the talks.",
    "The two foreign ministers met in Beijing and agreed to resume the dialogue.",
    "Despite objections from Washington, Seoul declined to join the exercise.",
]


def test_blis_and_numpy_backends_give_the_same_parses() -> None:
    previous = nlp.ops_backend()
    seen = {}
    try:
        for name in ("blis", "numpy"):
            nlp.set_ops(name)
            pipe = nlp.get_nlp("parse")
            assert pipe.get_pipe("parser").model.ops.use_blis == (name == "blis")
            seen[name] = [
                (t.text, t.tag_, t.dep_, t.head.i) for d in pipe.pipe(PARSE_TEXTS) for t in d
            ]
    finally:
        nlp.set_ops(previous)
    assert seen["blis"] == seen["numpy"]
    assert any(dep == "nsubj" for _, _, dep, _ in seen["numpy"])


def test_unknown_backend_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "_ops_choice", None)
    monkeypatch.setenv("ENTENTE_OPS", "fastest")
    with pytest.raises(InputError, match="fastest"):
        nlp.ops_backend()
    with pytest.raises(InputError, match="turbo"):
        nlp.set_ops("turbo")


def test_version_names_the_backend() -> None:
    from typer.testing import CliRunner

    from entente.cli import app

    out = CliRunner().invoke(app, ["--version"]).output
    assert "network backend: " in out
    assert nlp.ops_backend() in ("blis", "numpy")


def test_version_with_a_bad_backend_is_one_line_and_status_1() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "ENTENTE_OPS": "fastest"}
    out = subprocess.run(
        [sys.executable, "-m", "entente.cli", "--version"], env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "ENTENTE_OPS='fastest'" in out.stderr and out.stdout == ""


def test_kernels_name_both_libraries_in_a_fresh_process() -> None:
    """The kernels a trained model records are read even before anything loaded numpy
    (threadpoolctl sees only the libraries already loaded)."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import json; from entente.nlp import kernels; "
         "print(json.dumps(kernels()))"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(found) == {"blis", "blas"}
    assert found["blas"] != "unknown"
