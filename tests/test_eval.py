"""The scorer on hand-made predictions, with exact expected numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from entente.evaluate import find_pairs, readme_section, write_readme
from entente.evaluate.scorer import score_document, summarise

TEXT = "Japan imposed sanctions on Russia. China and Russia held drills. Tokyo and Seoul agreed on a pact."
GOLD: dict[str, Any] = {
    "doc_date": None,
    "events": [
        {
            "quote": "Japan imposed sanctions on Russia",
            "source": ["JPN"],
            "target": ["RUS"],
            "type": "SANCTION",
            "date": None,
        },
        {
            "quote": "China and Russia held drills",
            "source": ["CHN"],
            "target": ["RUS"],
            "type": "COOPERATE",
            "date": None,
        },
    ],
    "assessments": [
        {
            "quote": "Tokyo and Seoul agreed on a pact",
            "dyad": ["JPN", "KOR"],
            "polarity": 1,
            "trend": "improving",
        }
    ],
    "dyads": {"JPN-RUS": -1, "CHN-RUS": 1},
}


def ev(start: int, end: int, src: str, tgt: str, etype: str, intensity: float) -> dict[str, Any]:
    return {
        "kind": "event", "span": [start, end], "sentence": TEXT[start:end], "source": [{"country": src}],
        "target": [{"country": tgt}], "type": etype, "intensity": intensity, "confidence": 1.0, "rule": "test",
    }  # fmt: skip


S1 = (0, 34)
S2 = (35, 64)
S3 = (65, 98)


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return summarise([score_document("t", TEXT, GOLD, rows)])


def test_perfect() -> None:
    rows = [ev(*S1, "JPN", "RUS", "SANCTION", -5), ev(*S2, "CHN", "RUS", "COOPERATE", 6)]
    rows.append(
        {
            "kind": "assessment",
            "span": list(S3),
            "dyad": ["JPN", "KOR"],
            "polarity": 1,
            "trend": "improving",
            "confidence": 1.0,
        }
    )
    s = summary(rows)
    assert (
        s["events"]["dyad_precision"] == 1.0
        and s["events"]["dyad_recall"] == 1.0
        and s["events"]["dyad_f1"] == 1.0
    )
    assert s["events"]["typed_recall"] == 1.0 and s["events"]["quad_accuracy"] == 1.0
    assert s["assessments"]["recall"] == 1.0 and s["assessments"]["polarity_accuracy"] == 1.0
    assert s["dyads"]["coverage"] == 1.0 and s["dyads"]["sign_accuracy"] == 1.0


def test_empty() -> None:
    s = summary([])
    assert (
        s["events"]["dyad_precision"] == 0.0
        and s["events"]["dyad_recall"] == 0.0
        and s["events"]["dyad_f1"] == 0.0
    )
    assert s["dyads"]["coverage"] == 0.0


def test_swapped_direction_counts_for_dyad_not_type() -> None:
    s = summary([ev(*S1, "RUS", "JPN", "SANCTION", -5)])
    assert s["events"]["dyad_recall"] == 0.5 and s["events"]["dyad_precision"] == 1.0
    assert s["events"]["typed_recall"] == 0.0


def test_wrong_type_and_false_alarm() -> None:
    rows = [ev(*S1, "JPN", "RUS", "ACCUSE", -3), ev(*S3, "JPN", "CHN", "AGREE", 4)]
    s = summary(rows)
    assert s["events"]["dyad_precision"] == 0.5 and s["events"]["dyad_recall"] == 0.5
    assert s["events"]["dyad_f1"] == 0.5 and s["events"]["typed_recall"] == 0.0
    # PLOVER: SANCTION is material conflict, ACCUSE verbal conflict
    assert s["events"]["quad_accuracy"] == 0.0
    assert s["events"]["confusion"] == {"SANCTION->ACCUSE": 1}
    # --errors lists the event found with another type, with the rule that typed it
    doc = score_document("t", TEXT, GOLD, rows)
    assert doc.wrong_types == [
        {"doc": "t", "quote": "Japan imposed sanctions on Russia", "gold": "SANCTION",
         "predicted": "ACCUSE", "source": ["JPN"], "target": ["RUS"], "rule": "test"}
    ]  # fmt: skip
    assert len(doc.misses) == 1 and len(doc.false_alarms) == 1


def test_readme_section_replaced(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# X\n\n## Accuracy\n\nold\n\n## Other\n\nkeep\n")
    res = {"dev": summary([ev(*S1, "JPN", "RUS", "SANCTION", -5)])}
    write_readme(readme, readme_section(res))
    text = readme.read_text()
    assert "\nold\n" not in text and "| dev | 1 | 2 |" in text and "## Other\n\nkeep" in text


def test_pairs_found(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "a.gold.json").write_text("{}")
    assert find_pairs(tmp_path) == [(tmp_path / "a.txt", tmp_path / "a.gold.json")]


def test_agreement_of_an_annotation_with_itself_and_with_a_changed_copy(tmp_path: Path) -> None:
    import json

    from entente.evaluate.agreement import agreement

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for d in (a, b):
        (d / "t.txt").write_text(TEXT)
    (a / "t.gold.json").write_text(json.dumps(GOLD))
    (b / "t.gold.json").write_text(json.dumps(GOLD))
    same = agreement(a, b)["events"]
    assert same["dyad_f1"] == 1.0 and same["typed_f1"] == 1.0
    other = json.loads(json.dumps(GOLD))
    other["events"][0]["type"] = "ACCUSE"  # same dyad, another type
    (b / "t.gold.json").write_text(json.dumps(other))
    changed = agreement(a, b)["events"]
    assert changed["dyad_f1"] == 1.0 and changed["typed_f1"] == 0.5
