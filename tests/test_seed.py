"""The seed article (../shared/seed), when present."""

from __future__ import annotations

IBID = {15: 14, 16: 14, 21: 20, 22: 20, 40: 39, 41: 39, 55: 54, 56: 54}


def test_seed_has_62_notes(seed_doc) -> None:  # type: ignore[no-untyped-def]
    assert [n.number for n in seed_doc.notes] == list(range(1, 63))


def test_every_note_has_a_linked_marker_in_order(seed_doc) -> None:  # type: ignore[no-untyped-def]
    assert [m.number for m in seed_doc.markers] == list(range(1, 63))
    assert all(m.linked and m.sentence is not None for m in seed_doc.markers)
    starts = [m.start for m in seed_doc.markers]
    assert starts == sorted(starts)
    assert max(starts) < seed_doc.body_end


def test_no_marker_inside_designations_or_years(seed_doc) -> None:  # type: ignore[no-untyped-def]
    text = seed_doc.text
    spans = [(m.start, m.end) for m in seed_doc.markers]
    for word in ("Su-35", "S-400", "40N6", "2015"):
        pos = text.find(word)
        assert pos >= 0
        while pos >= 0 and pos < seed_doc.body_end:
            assert not any(pos <= s < pos + len(word) for s, _ in spans), (word, pos)
            pos = text.find(word, pos + 1)


def test_ibid_notes_resolve_to_their_original(seed_doc) -> None:  # type: ignore[no-untyped-def]
    for note, original in IBID.items():
        src = seed_doc.notes[note - 1].sources[0]
        assert src.kind == "ibid"
        assert src.refers_to == (original, 0), note
        assert (
            seed_doc.citations[note].sources[0].text == seed_doc.notes[original - 1].sources[0].text
        )
    assert seed_doc.citations[40].pages == "12"
    assert len(seed_doc.citations[41].sources) == 2
    assert seed_doc.citations[41].sources[1].authors == ["Mikhail Barabanov"]
    assert seed_doc.citations[56].sources[1].authors == ["Gilbert Rozman"]


def test_short_forms_resolve(seed_doc) -> None:  # type: ignore[no-untyped-def]
    assert seed_doc.notes[23].sources[0].refers_to == (20, 0)  # note 24 → Aleksandrova, note 20
    assert seed_doc.notes[16].sources[0].refers_to == (13, 1)  # note 17 → Hirano, note 13


def test_marker_sentences(seed_doc) -> None:  # type: ignore[no-untyped-def]
    by_note = {n: s for s in seed_doc.sentences for n in s.markers}
    assert by_note[1].text.endswith("Kuril Islands?1")
    assert "Arctic bases3" in by_note[3].text
    for s in seed_doc.sentences:
        assert seed_doc.text[s.start : s.end] == s.text
