"""The gold sets themselves: every file is well formed, and train, dev and test share no
real-world episode (issue 11: no episode in more than one split)."""

from __future__ import annotations

from pathlib import Path

import pytest

from entente.evaluate.gold import check_dir, check_gold, split_episodes

EVAL = Path(__file__).resolve().parents[1] / "eval"
SPLITS = ("train", "dev", "test")


@pytest.mark.parametrize("split", [*SPLITS, "agreement"])
def test_gold_files_are_clean(split: str) -> None:
    assert check_dir(EVAL / split, require_meta=True) == {}


def test_no_episode_in_two_splits() -> None:
    eps = {s: split_episodes(EVAL / s) for s in SPLITS}
    for i, a in enumerate(SPLITS):
        for b in SPLITS[i + 1 :]:
            shared = set(eps[a]) & set(eps[b])
            assert not shared, f"{a} and {b} share episodes: {sorted(shared)}"


def test_sizes_required_by_the_issue() -> None:
    assert len(list((EVAL / "train").glob("*.gold.json"))) >= 200
    assert len(list((EVAL / "test").glob("*.gold.json"))) >= 40


def test_checker_finds_problems() -> None:
    text = "Japan imposed sanctions on Russia."
    good = {"doc_date": None, "genre": "wire", "episodes": ["JPN-RUS-2014-x"], "events": [
        {"quote": "Japan imposed sanctions on Russia", "source": ["JPN"], "target": ["RUS"],
         "type": "SANCTION", "date": "2014-03"}]}  # fmt: skip
    assert check_gold(text, good, require_meta=True) == []
    bad = {"doc_date": "March 2014", "events": [
        {"quote": "Japan sanctioned Russia", "source": ["JPN"], "target": [], "type": "SANCTIONS",
         "date": "2014-3"},
        {"quote": "Japan imposed", "source": ["XXX"], "target": ["RUS"], "type": "SANCTION", "date": None}]}  # fmt: skip
    probs = " | ".join(check_gold(text, bad, require_meta=True))
    for expected in ("doc_date", "genre", "episodes", "not found verbatim", "not a PLOVER type",
                     "empty target", "unknown actor code", "date '2014-3'"):  # fmt: skip
        assert expected in probs, expected
