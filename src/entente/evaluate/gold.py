"""Checks on gold files (format: ``eval/GUIDELINES.md``).

:func:`check_gold` lists every problem in one gold file, so annotators can run
``python -m entente.evaluate.gold eval/train`` while they work and the tests can assert
that every committed gold file is clean. :func:`split_episodes` gathers the episode
slugs of a split, so no real-world episode appears in more than one of train, dev and
test.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from entente.actors.reference import reference
from entente.coding.ontology import EVENT_TYPES

GENRES = frozenset(
    {"wire", "statement", "readout", "transcript", "essay", "oped", "parliamentary", "other"}
)
TRENDS = frozenset({"improving", "deteriorating", "steady", None})


def _codes() -> set[str]:
    return set(reference().states)


def _date_ok(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        return False
    return len(parts[0]) == 4 and all(len(p) == 2 for p in parts[1:])


def check_gold(text: str, gold: Any, *, require_meta: bool = False) -> list[str]:
    """Problems in ``gold`` for ``text`` (an empty list when the file is clean)."""
    if not isinstance(gold, dict):
        return ["not a JSON object"]
    probs: list[str] = []
    codes = _codes()
    if not _date_ok(gold.get("doc_date")):
        probs.append(f"doc_date {gold.get('doc_date')!r} is not YYYY[-MM[-DD]] or null")
    if require_meta:
        if gold.get("genre") not in GENRES:
            probs.append(f"genre {gold.get('genre')!r} is not one of {sorted(GENRES)}")
        eps = gold.get("episodes")
        if not isinstance(eps, list) or not eps or not all(isinstance(e, str) for e in eps):
            probs.append("episodes must be a non-empty list of slugs")
    events = gold.get("events")
    if not isinstance(events, list):
        return [*probs, "events must be a list"]
    for i, ev in enumerate(events):
        where = f"event {i}"
        if not isinstance(ev, dict):
            probs.append(f"{where}: not an object")
            continue
        q = ev.get("quote")
        if not isinstance(q, str) or not q.strip():
            probs.append(f"{where}: empty quote")
        elif q not in text:
            probs.append(f"{where}: quote not found verbatim: {q[:60]!r}")
        ctx = ev.get("context")
        if ctx is not None and (not isinstance(ctx, str) or ctx not in text):
            probs.append(f"{where}: context not found verbatim: {str(ctx)[:60]!r}")
        if ev.get("type") not in EVENT_TYPES:
            probs.append(f"{where}: type {ev.get('type')!r} is not a PLOVER type")
        src, tgt = ev.get("source"), ev.get("target")
        if not isinstance(src, list) or not src:
            probs.append(f"{where}: source must be a non-empty list")
            src = []
        if not isinstance(tgt, list):
            probs.append(f"{where}: target must be a list")
            tgt = []
        for c in [*src, *tgt]:
            if c not in codes:
                probs.append(f"{where}: unknown actor code {c!r}")
        if not tgt and len(set(src)) < 2:
            probs.append(f"{where}: an empty target needs two or more participants in source")
        if set(src) & set(tgt):
            probs.append(f"{where}: the same code in source and target")
        if not _date_ok(ev.get("date")):
            probs.append(f"{where}: date {ev.get('date')!r} is not YYYY[-MM[-DD]] or null")
    seen: dict[tuple[str, str, str, str], int] = {}
    for i, ev in enumerate(events):
        if isinstance(ev, dict) and isinstance(ev.get("quote"), str):
            key = (
                ev["quote"],
                str(ev.get("type")),
                str(sorted(ev.get("source") or [])),
                str(sorted(ev.get("target") or [])),
            )
            if key in seen:
                probs.append(f"event {i}: duplicate of event {seen[key]}")
            seen.setdefault(key, i)
    for i, a in enumerate(gold.get("assessments", [])):
        where = f"assessment {i}"
        if not isinstance(a, dict):
            probs.append(f"{where}: not an object")
            continue
        if not isinstance(a.get("quote"), str) or a["quote"] not in text:
            probs.append(f"{where}: quote not found verbatim")
        dyad = a.get("dyad")
        if not isinstance(dyad, list) or len(dyad) != 2 or any(c not in codes for c in dyad):
            probs.append(f"{where}: dyad must be two known codes")
        if a.get("polarity") not in (-1, 0, 1):
            probs.append(f"{where}: polarity must be -1, 0 or 1")
        if a.get("trend") not in TRENDS:
            probs.append(f"{where}: trend {a.get('trend')!r} not allowed")
    dyads = gold.get("dyads", {})
    if not isinstance(dyads, dict):
        probs.append("dyads must be an object")
    else:
        for key, sign in dyads.items():
            parts = key.split("-")
            if len(parts) != 2 or parts != sorted(parts) or any(c not in codes for c in parts):
                probs.append(f"dyads: key {key!r} must be two known codes in alphabetical order")
            if sign not in (-1, 0, 1):
                probs.append(f"dyads: {key} sign must be -1, 0 or 1")
    return probs


def check_dir(gold_dir: Path, *, require_meta: bool = False) -> dict[str, list[str]]:
    """Problems per gold file of a directory (files without problems are left out)."""
    from entente.evaluate import find_pairs

    out: dict[str, list[str]] = {}
    for text_path, gold_path in find_pairs(gold_dir):
        text = text_path.read_text("utf-8")
        try:
            gold = json.loads(gold_path.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            out[gold_path.name] = [f"invalid JSON: {exc}"]
            continue
        probs = check_gold(text, gold, require_meta=require_meta)
        if probs:
            out[gold_path.name] = probs
    return out


def split_episodes(gold_dir: Path) -> dict[str, list[str]]:
    """Episode slug → gold files of ``gold_dir`` that cover it."""
    eps: dict[str, list[str]] = {}
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        for e in gold.get("episodes", []) or []:
            eps.setdefault(str(e), []).append(gold_path.name)
    return eps


def main(argv: list[str]) -> int:
    bad = 0
    for d in argv or ["eval/dev", "eval/test"]:
        for name, probs in check_dir(Path(d), require_meta=True).items():
            for p in probs:
                print(f"{d}/{name}: {p}")
                bad += 1
    print(f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
