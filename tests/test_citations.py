from __future__ import annotations

from pathlib import Path

import pytest

from entente.citations import find_markers, parse_source
from entente.pipeline import read_document

ARTICLE = """Moscow, Beijing and the Islands

Russia sold 24 Sukhoi Su-35 fighters and S-400 batteries with 40N6 missiles to China in 2015.1 The G7 objected, yet Moscow pressed on,2 and Tokyo watched the Arctic bases3 grow.

Japan protested the visit to the islands?4 Officials said so “in public.”5 Analysts quoted 12 percent growth in the seventieth year since the war.6 Ties worsened in 2015.7

Notes

1. Jane Roe, “Arms for Beijing,” The Example Times, March 25, 2013, https://example.org/a.

2. Ibid.

3. Ibid., 12.

4. Ibid.; See also John Doe, “Islands Again,” Far East Review 4, no. 2 (2013): 33-35.

5. Roe, “Arms for Beijing.”

6. Ministry of Foreign Affairs, Annual Report 2015 (Tokyo: MOFA, 2015), 7.

7. Ibid.
"""


@pytest.fixture()
def article(tmp_path: Path):  # type: ignore[no-untyped-def]
    p = tmp_path / "article.txt"
    p.write_text(ARTICLE)
    return read_document(p)


def test_notes_section_with_heading(article) -> None:  # type: ignore[no-untyped-def]
    assert [n.number for n in article.notes] == list(range(1, 8))
    assert article.text[article.body_end :].startswith("Notes")
    assert all("Notes" not in s.text for s in article.sentences)


def test_markers_found_in_order_and_not_in_numbers(article) -> None:  # type: ignore[no-untyped-def]
    assert [m.number for m in article.markers] == list(range(1, 8))
    texts = [article.text[m.start - 4 : m.end] for m in article.markers]
    assert texts[0] == "015.1"
    assert all(m.linked for m in article.markers)
    found = {(m.start, m.end) for m in article.markers}
    for bad in ("Su-35", "S-400", "40N6", "G7", "24 Sukhoi", "12 percent"):
        i = article.text.index(bad)
        assert not any(i <= s < i + len(bad) for s, _ in found), bad


def test_markers_attach_to_their_sentences(article) -> None:  # type: ignore[no-untyped-def]
    by_sentence = {n: s for s in article.sentences for n in s.markers}
    assert by_sentence[1].text.startswith("Russia sold 24 Sukhoi")
    assert by_sentence[1].text.endswith("in 2015.1")
    assert by_sentence[4].text == "Japan protested the visit to the islands?4"
    assert by_sentence[5].text.endswith("“in public.”5")


def test_ibid_chains_and_short_forms_resolve(article) -> None:  # type: ignore[no-untyped-def]
    c = article.citations
    for n in (2, 3, 4, 5):
        assert c[n].sources[0].refers_to == (1, 0)
        assert c[n].sources[0].title == "Arms for Beijing"
    assert c[3].pages == "12" and c[3].sources[0].pages == "12"
    assert len(c[4].sources) == 2 and c[4].sources[1].authors == ["John Doe"]
    assert c[4].sources[1].pages == "33-35"
    assert article.notes[4].sources[0].kind == "short"
    assert c[7].sources[0].refers_to == (6, 0)


def test_parse_full_source_fields() -> None:
    s = parse_source(
        "Justin Smith and Ann Lee, “A Title: Sub,” The Guardian, October 15, 2015, https://x.org/a"
    )
    assert s.authors == ["Justin Smith", "Ann Lee"]
    assert s.title == "A Title: Sub"
    assert s.outlet == "The Guardian"
    assert s.date == "2015-10-15"
    assert s.url == "https://x.org/a"
    assert parse_source("Ibid., 44.").kind == "ibid"
    assert parse_source("Ibid., 44.").pages == "44"


def test_bracket_and_superscript_markers() -> None:
    body = "Seoul protested [1] and Tokyo replied² in 2019."
    ms = find_markers(body, {1, 2})
    assert [(m.number, m.style) for m in ms] == [(1, "bracket"), (2, "superscript")]


def test_no_glued_markers_without_notes() -> None:
    assert find_markers("The Arctic bases3 grew, said officials.4", set()) == []


def test_trailing_numbered_list_that_is_not_notes(tmp_path: Path) -> None:
    text = "Steps agreed\n\nThe sides agreed on three steps.\n\n1. Open hotlines.\n\n2. Exchange observers.\n\n3. Meet again.\n"
    p = tmp_path / "list.txt"
    p.write_text(text)
    doc = read_document(p)
    assert doc.notes == []
    assert doc.body_end == len(doc.text)


def test_numbered_points_of_a_statement_are_its_body(tmp_path: Path) -> None:
    # dates and quotation marks make each point look like a reference, but the points
    # are most of the text: a ministry statement, not a notes section
    text = (
        "STATEMENT OF THE MINISTRY OF FOREIGN AFFAIRS\n\nHa Noi, 16 May 2014\n\n"
        "1. The Ministry strongly condemns the placement of the rig since 2 May 2014 "
        "within the exclusive economic zone, and the deployment of some 80 vessels.\n\n"
        "2. Vessels have repeatedly rammed law enforcement ships since 3 May 2014 and "
        'accused the crews of "disrupting" operations.\n\n'
        "3. On 15 May 2014 the Foreign Minister held a telephone conversation with his "
        "counterpart and reaffirmed the position of 1982.\n"
    )
    p = tmp_path / "statement.txt"
    p.write_text(text)
    doc = read_document(p)
    assert doc.notes == []
    assert doc.body_end == len(doc.text)
    assert len(doc.sentences) >= 6


@pytest.mark.parametrize("style", ["{n} ", "[{n}] ", "{n}. "])
def test_notes_heading_and_notes_in_one_block(tmp_path: Path, style: str) -> None:
    # "Notes" and the notes on the following lines, no blank line between them, numbered
    # "1 …", "[1] …" or "1. …": the body's glued markers link to them
    notes = "\n".join(
        style.format(n=n) + t
        for n, t in enumerate(
            ["Joint Statement of 4 February 2022.", "Ibid.", "Ministry statement, 21 March 2022."],
            start=1,
        )
    )
    text = (
        "Moscow and Beijing declared a partnership without limits.1 Japan protested.2 "
        "Tokyo froze Russian assets for the first time.3 In July the fleets exercised.\n\n"
        "Notes\n" + notes + "\n"
    )
    p = tmp_path / "essay.txt"
    p.write_text(text)
    doc = read_document(p)
    assert [n.number for n in doc.notes] == [1, 2, 3]
    assert doc.body_end == text.index("Notes")
    assert [m.number for m in doc.markers] == [1, 2, 3]
    assert not any("Ibid" in s.text for s in doc.sentences)
    # the marker closes its sentence: "first time.3 In July" is two sentences
    assert any(s.text.rstrip().endswith("first time.3") for s in doc.sentences)
