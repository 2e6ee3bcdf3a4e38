from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from entente.pipeline import read_document
from entente.time.anchor import anchor_document
from entente.time.grammar import find_dates, ordinal_value

REF = date(2015, 12, 1)


@pytest.mark.parametrize(
    ("text", "value", "precision", "begin", "until"),
    [
        ("on September 30, 2015,", "2015-09-30", "day", "2015-09-30", "2015-09-30"),
        ("on 30 September 2015", "2015-09-30", "day", "2015-09-30", "2015-09-30"),
        ("Sept. 30, 2015", "2015-09-30", "day", "2015-09-30", "2015-09-30"),
        ("in March 2013", "2013-03", "month", "2013-03-01", "2013-03-31"),
        ("late September 2015", "2015-09", "month", "2015-09-21", "2015-09-30"),
        ("the fall of 2015", "2015-23", "season", "2015-09-01", "2015-11-30"),
        ("the winter of 2014", "2014-24", "season", "2014-12-01", "2015-02-28"),
        ("from August to October 2015", "2015-08", "month", "2015-08-01", "2015-10-31"),
        ("in 2014 and 2015", "2014", "year", "2014-01-01", "2015-12-31"),
        ("the 1990s", "199X", "decade", "1990-01-01", "1999-12-31"),
        ("since 2005", "2005/..", "year", "2005-01-01", "2015-12-01"),
        ("last week", "2015-W48", "week", "2015-11-23", "2015-11-29"),
        ("in the next two months", "2015-12-01/2016-02-01", "month", "2015-12-01", "2016-02-01"),
        (
            "the seventieth year since the end of World War II",
            "2015",
            "year",
            "2015-01-01",
            "2015-12-31",
        ),
        ("the third quarter of 2015", "2015-35", "quarter", "2015-07-01", "2015-09-30"),
        ("two years ago", "2013", "year", "2013-12-01", "2013-12-01"),
        ("from 2012 to 2015", "2012", "year", "2012-01-01", "2015-12-31"),
        # the day first without a year, in the reference date's year
        ("On 16 March Iran released them", "2015-03-16", "day", "2015-03-16", "2015-03-16"),
        ("on the 16th of March", "2015-03-16", "day", "2015-03-16", "2015-03-16"),
        ("by 3 May the talks ended", "2015-05-03", "day", "2015-05-03", "2015-05-03"),
    ],
)
def test_expressions(text: str, value: str, precision: str, begin: str, until: str) -> None:
    [e] = find_dates(text, REF)
    assert (e.value, e.precision, e.begin, e.until) == (value, precision, begin, until)


@pytest.mark.parametrize(
    "text",
    [
        "the Su-35 and S-400",
        "40N6 missiles",
        "she may go",
        "12-18 months",
        "G7 talks",
        "the 3 may go",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, REF) == []


def test_relative_without_reference_is_marked() -> None:
    [e] = find_dates("last week")
    assert e.relative and e.value is None


def test_ordinals() -> None:
    assert ordinal_value("seventieth") == 70
    assert ordinal_value("seventy-fifth") == 75
    assert ordinal_value("70th") == 70


def test_sentence_anchors_and_document_date(tmp_path: Path) -> None:
    p = tmp_path / "w.txt"
    p.write_text(
        "Talks stall\n\nTOKYO, Nov. 2, 2010 — Japan recalled its envoy on Monday. "
        "Officials met again later.\n\nIn March 2013 the sides resumed talks. They agreed on a plan.\n"
    )
    doc = anchor_document(read_document(p))
    assert doc.meta["date_source"] == "dateline" and doc.date == "2010-11-02"
    by_text = {s.text: a for s, a in zip(doc.sentences, doc.anchors, strict=True)}
    monday = next(a for t, a in by_text.items() if "Monday" in t)
    assert monday.value == "2010-11-01" and monday.source == "expression"
    later = next(a for t, a in by_text.items() if t.startswith("Officials"))
    assert later.source == "paragraph"
    plan = by_text["They agreed on a plan."]
    assert (plan.value, plan.source) == ("2013-03", "paragraph")
    title = doc.anchors[0]
    assert title.source == "document" and title.value == "2010-11-02"


def test_the_text_is_read_once_for_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The document date (latest in the text, notes included) and the sentence anchors
    come from one reading: each sentence once, the text between sentences once, and a
    sentence again only when it holds a relative date ("last week")."""
    from entente.time import anchor

    p = tmp_path / "essay.txt"
    p.write_text(
        "Envoys and islands\n\nJapan recalled its envoy on 3 March 2014. Talks resumed in "
        "May 2014.1 Russia protested last week.\n\nNotes\n\n1. Report of 12 June 2014.\n"
    )
    calls: list[str] = []
    real = anchor.find_dates

    def counting(text: str, ref: object = None) -> object:
        calls.append(text)
        return real(text, ref)  # type: ignore[arg-type]

    monkeypatch.setattr(anchor, "find_dates", counting)
    doc = anchor_document(read_document(p))
    assert (
        doc.meta["date_source"] == "latest-in-text" and doc.meta["reference_date"] == "2014-06-12"
    )
    assert doc.text not in calls  # never the whole text again
    body = [s for s in doc.sentences if "last week" in s.text]
    assert len(body) == 1 and sum(c == doc.text[body[0].start : body[0].end] for c in calls) == 2
    assert len(calls) == len(doc.sentences) + 1 + 1  # + the notes, + the relative one
    week = next(d for d in doc.dates if d.text == "last week")
    assert week.begin == "2014-05-19"  # the week before the story's time (May 2014)


def test_user_date_when_no_metadata(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("Seoul protested last week.")
    doc = anchor_document(read_document(p), "2019-08-02")
    assert doc.meta["date_source"] == "user"
    assert doc.dates[0].begin == "2019-07-22"


def test_seed_dates(seed_doc) -> None:  # type: ignore[no-untyped-def]
    doc = anchor_document(seed_doc)
    got = {d.text: (d.value, d.precision, d.begin, d.until) for d in doc.dates}
    assert got["late September 2015"] == ("2015-09", "month", "2015-09-21", "2015-09-30")
    assert got["the fall of 2015"][:2] == ("2015-23", "season")
    assert got["From August to October 2015"][2:] == ("2015-08-01", "2015-10-31")
    assert any(t.startswith("March 2013") or t == "March 2013" for t in got)
    assert got["In the next two months"][2:] == ("2015-09-30", "2015-11-30")
