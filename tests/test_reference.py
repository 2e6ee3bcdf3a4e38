"""The reference data files validate: ids, codes, tenures."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from entente.actors.reference import reference

ROLES = {
    "head_of_state", "head_of_government", "deputy_head_of_state", "deputy_head_of_government",
    "foreign_minister", "deputy_foreign_minister", "defence_minister", "deputy_defence_minister",
    "party_leader", "military_commander", "legislature_speaker", "security_adviser",
    "chief_of_staff", "spokesperson", "ambassador", "intelligence_chief", "minister", "official",
    "igo_head",
}  # fmt: skip
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_states_complete_and_codes_valid() -> None:
    ref = reference()
    states = [s for s in ref.states.values() if s.kind == "state"]
    assert sum(s.status == "member" for s in states) == 193
    for code in ("TWN", "XKX", "PSE", "VAT", "SUN"):
        assert code in ref.states
    assert ref.states["SUN"].successor == "RUS"
    for s in states:
        assert re.fullmatch(r"[A-Z]{3}", s.code)
    for body in ("EUR", "NATO", "UNO", "G7", "SCO", "ASEAN", "BRICS"):
        assert ref.states[body].kind == "body"
        for member in ref.states[body].members:
            assert member in ref.states, (body, member)


def test_officials_ids_roles_dates() -> None:
    ref = reference()
    assert len(ref.officials) > 900
    for off in ref.officials.values():
        assert off.id.startswith(off.country + "."), off.id
        assert off.terms, off.id
        for t in off.terms:
            assert t.role in ROLES, (off.id, t.role)
            assert t.country in ref.states, (off.id, t.country)
            assert DATE.match(t.start), (off.id, t.start)
            assert t.end is None or DATE.match(t.end), (off.id, t.end)
            assert t.end is None or t.start[:7] <= t.end[:7], (off.id, t.start, t.end)


def test_no_impossible_overlaps_in_top_posts() -> None:
    """Two holders of the same top post of one country may overlap by a handover day only."""
    from datetime import date, timedelta

    ref = reference()
    posts: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for off in ref.officials.values():
        for t in off.terms:
            if t.role in (
                "head_of_state",
                "head_of_government",
                "foreign_minister",
                "defence_minister",
            ):
                if t.acting or t.approx or len(t.start) < 10 or (t.end and len(t.end) < 10):
                    continue
                posts[(t.country, t.role, t.title)].append((t.start, t.end or "9999-12-31", off.id))
    bad = []
    for key, spans in posts.items():
        spans.sort()
        for (_s1, e1, a), (s2, _e2, b) in itertools.pairwise(spans):
            if (
                a != b
                and e1 != "9999-12-31"
                and date.fromisoformat(s2) < date.fromisoformat(e1) - timedelta(days=1)
            ):
                bad.append((key, a, e1, b, s2))
    assert len(bad) <= 3, bad


def test_key_officials_present_with_dates() -> None:
    ref = reference()
    med = ref.officials["RUS.medvedev_dmitry"]
    assert med.term_at("2010-11-01")[0].role == "head_of_state"  # type: ignore[union-attr]
    assert med.term_at("2015-08-22")[0].role == "head_of_government"  # type: ignore[union-attr]
    assert ref.officials["RUS.lavrov_sergei"].term_at("2015-09-30")[0].role == "foreign_minister"  # type: ignore[union-attr]
    assert ref.holders("JPN", "head_of_government", "2015-09-30")[0].id == "JPN.abe_shinzo"
