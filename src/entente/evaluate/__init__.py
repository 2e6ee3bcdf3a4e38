"""Evaluation: run the pipeline over a gold directory and score it (``entente eval``)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from entente.errors import InputError
from entente.evaluate.scorer import DocScore, score_document, summarise

__all__ = ["evaluate_dir", "find_pairs", "readme_section", "score_document", "summarise"]

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


class GoldError(InputError, ValueError):
    """A gold file that cannot be used (names the file and the problem)."""


def find_pairs(gold_dir: Path) -> list[tuple[Path, Path]]:
    """(text, gold) pairs: every ``NAME.gold.json`` with a text ``NAME.*`` beside it."""
    pairs = []
    for gold in sorted(gold_dir.glob("*.gold.json")):
        stem = gold.name[: -len(".gold.json")]
        texts = [
            gold_dir / f"{stem}{s}" for s in TEXT_SUFFIXES if (gold_dir / f"{stem}{s}").exists()
        ]
        if not texts:
            raise GoldError(f"{gold}: no text file {stem}.* beside it")
        pairs.append((texts[0], gold))
    if not pairs:
        raise GoldError(f"{gold_dir}: no *.gold.json files")
    return pairs


def _load_gold(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or "events" not in data:
        raise GoldError(f"{path}: not a gold file (no 'events')")
    return data


def evaluate_dir(gold_dir: Path, coder: str | None = None) -> tuple[dict[str, Any], list[DocScore]]:
    from entente.coding import code_document, records
    from entente.pipeline import read_document, resolve

    scores = []
    for text_path, gold_path in find_pairs(gold_dir):
        gold = _load_gold(gold_path)
        doc = resolve(read_document(text_path))
        rows = records(doc, code_document(doc, coder))
        scores.append(score_document(text_path.name, doc.text, gold, rows))
    return summarise(scores), scores


def readme_section(
    results: dict[str, dict[str, Any]],
    today: date | None = None,
    agreement: dict[str, Any] | None = None,
) -> str:
    """The README's "Accuracy" section for ``{set name: summary}`` (and the
    inter-annotator agreement when given)."""
    day = (today or date.today()).isoformat()
    lines = [
        "## Accuracy",
        "",
        f"Measured with `entente eval` on {day} (regenerate: `make accuracy`). Events are",
        "matched one-to-one (a prediction serves at most one gold event): at the dyad level the",
        "predicted event's sentence covers the gold quote and links the same pair of states;",
        "typed scores also need the PLOVER type and, except for CONSULT, COOPERATE and AGREE,",
        "the direction. `eval/test` is annotated and never tuned on.",
        "",
        "Dyad signs are read from each text's predicted evidence by the shipped sign model",
        "(the one `entente relations` uses), with the plain ±1.0 band rule beside it.",
        "",
        "| set | docs | gold events | P | R | F1 | typed P | typed R | quad acc | assess. R | polarity acc | dyad sign acc (coverage) | sign acc, band rule |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in results.items():
        e, a, d = s["events"], s["assessments"], s["dyads"]
        lines.append(
            f"| {name} | {s['documents']} | {e['gold']} | {e['dyad_precision']:.2f} | {e['dyad_recall']:.2f} | "
            f"{e['dyad_f1']:.2f} | {e.get('typed_precision', 0.0):.2f} | {e['typed_recall']:.2f} | {e['quad_accuracy']:.2f} | {a['recall']:.2f} | "
            f"{a['polarity_accuracy']:.2f} | {d['sign_accuracy']:.2f} ({d['coverage']:.2f}) | "
            f"{d.get('band_sign_accuracy', 0.0):.2f} |"
        )
    if agreement is not None:
        e = agreement["events"]
        lines += [
            "",
            f"Inter-annotator agreement on {agreement['documents']} test texts annotated twice,"
            f" independently (`eval/agreement`), with the same matching: {e['gold']} and"
            f" {e['predicted']} events, dyad F1 {e['dyad_f1']:.2f}, typed F1"
            f" {e['typed_f1']:.2f}.",
        ]
    return "\n".join(lines) + "\n"


def write_readme(readme: Path, section: str) -> None:
    """Replace (or append) the "## Accuracy" section of ``readme``."""
    text = readme.read_text("utf-8")
    pattern = re.compile(r"^## Accuracy\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    readme.write_text(text, "utf-8")
