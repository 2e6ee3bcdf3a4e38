"""The ontology follows the PLOVER manual: quad classes, scale values, modes."""

from __future__ import annotations

from entente.coding.ontology import (
    EVENT_TYPES,
    MATERIAL_CONFLICT,
    MODE_MAP,
    VERBAL_CONFLICT,
    intensity,
    plover_mode,
    quad,
)


def test_sixteen_types_with_manual_quads() -> None:
    assert len(EVENT_TYPES) == 16
    # the manual files sanctions and protests as material conflict
    assert quad("SANCTION") == MATERIAL_CONFLICT
    assert quad("PROTEST") == MATERIAL_CONFLICT
    assert quad("ACCUSE") == VERBAL_CONFLICT


def test_manual_scale_values() -> None:
    assert intensity("AID") == 10.0
    assert intensity("COOPERATE") == 9.5
    assert intensity("ASSAULT") == -9.0
    # the table's ACCUSE line reads "3"; its modes show the sign is negative
    assert intensity("ACCUSE") == -3.0
    assert all(t.intensity <= 0 for t in EVENT_TYPES.values() if "conflict" in t.quad)
    assert all(t.intensity > 0 for t in EVENT_TYPES.values() if "cooperation" in t.quad)


def test_mode_scores_and_coder_labels() -> None:
    assert intensity("CONSULT", "visit") == 4.0  # a manual mode with its own score
    assert intensity("RETREAT", "disarm") == 10.0
    # a coder label that names a context keeps the type's score
    assert intensity("COOPERATE", "military") == intensity("COOPERATE")
    assert plover_mode("SANCTION", "economic") == ("discontinue", ("economic",))
    assert plover_mode("MOBILIZE", "troops") == ("troops", ())
    assert intensity("SANCTION", "economic", negated=True) == 0.0
    for (etype, _), (mode, _) in MODE_MAP.items():
        assert mode is None or mode in EVENT_TYPES[etype].modes
