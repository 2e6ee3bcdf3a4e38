from __future__ import annotations

import json
from pathlib import Path

import pytest

from entente.ingest import ReadError, iter_paths, read_bytes, read_file
from entente.ingest.text import doc_id, normalise
from entente.pipeline import read, read_document

WIRE = (
    "Tokyo protests Russian overflight\n\n"
    "TOKYO, Sept. 16, 2015 — Japan lodged a protest with Russia on Wednesday after a "
    "Russian plane entered its airspace.\n\n"
    "The Foreign Ministry said the incident was regrettable. It urged Moscow to take steps.\n"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def test_txt_paragraphs_title_and_sentences(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "wire.txt", WIRE))
    assert doc.reader == "txt"
    assert doc.title == "Tokyo protests Russian overflight"
    assert [p.kind for p in doc.paragraphs] == ["title", "body", "body"]
    assert len(doc.sentences) == 4
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
    assert doc.sentences[-1].text == "It urged Moscow to take steps."


def test_txt_in_latin1_and_crlf_is_decoded(tmp_path: Path) -> None:
    text = "Caf\u00e9 diplomacy\r\n\r\nThe minist\u00e8re said Paris and Berlin agreed on a d\u00e9marche.\r\n"
    doc = read_document(write(tmp_path, "l1.txt", text.encode("latin-1")))
    assert "minist\u00e8re" in doc.text
    assert "\r" not in doc.text


def test_doc_id_is_stable_under_whitespace(tmp_path: Path) -> None:
    a = read_document(write(tmp_path, "a.txt", WIRE))
    b = read_document(write(tmp_path, "b.txt", WIRE.replace("\n", "\r\n") + "\n\n\n"))
    assert a.id == b.id == doc_id(normalise(WIRE))


def test_markdown_blocks(tmp_path: Path) -> None:
    md = (
        "# Moscow and Beijing\n\nThe two capitals *signed* a [gas deal](http://x.org) in May 2014.\n\n"
        "> Putin called it historic.\n\n- a list item about Japan\n"
    )
    doc = read_document(write(tmp_path, "a.md", md))
    assert doc.title == "Moscow and Beijing"
    kinds = [p.kind for p in doc.paragraphs]
    assert kinds == ["title", "body", "blockquote", "body"]
    assert "signed a gas deal in May 2014." in doc.text
    assert "*" not in doc.text and "](" not in doc.text


HTML = """<html><head><title>Seoul and Tokyo talk | Example News</title>
<meta name="author" content="Jane Roe"><meta name="date" content="2019-08-02">
<link rel="canonical" href="https://example.org/news/seoul-tokyo"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Log in</a></nav>
<article><h1>Seoul and Tokyo talk</h1>
<p>Japan removed South Korea from its list of trusted trading partners on Friday, a decision Seoul called regrettable.</p>
<p>South Korean officials said they would respond and urged Tokyo to reconsider the export controls it imposed in July.</p>
</article><footer>We use cookies. Related articles: Other story.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "p.html", HTML))
    assert doc.reader == "html"
    assert doc.date == "2019-08-02"
    assert doc.author == "Jane Roe"
    assert doc.url == "https://example.org/news/seoul-tokyo"
    assert "trusted trading partners" in doc.text
    assert "cookies" not in doc.text and "Log in" not in doc.text
    assert sum(p.kind == "body" for p in doc.paragraphs) >= 2


def make_pdf(path: Path, paragraphs: list[str]) -> Path:
    from datetime import UTC, datetime

    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for para in paragraphs:
        pdf.multi_cell(0, 6, para)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def test_pdf_paragraphs(tmp_path: Path) -> None:
    paras = [
        "Russia and China signed a thirty-year gas supply agreement in Shanghai on May 21, 2014, "
        "after a decade of talks between Gazprom and CNPC that had stalled over price." * 2,
        "Analysts in Tokyo said the deal showed how far Moscow had turned east after the Ukraine crisis.",
    ]
    doc = read_document(make_pdf(tmp_path / "a.pdf", paras))
    assert doc.reader == "pdf"
    assert "May 21, 2014" in doc.text
    assert len([p for p in doc.paragraphs if p.kind != "title"]) >= 2


def test_truncated_pdf_is_a_read_error(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "a.pdf", ["Some text about Japan and Russia."]).read_bytes()
    bad = write(tmp_path, "cut.pdf", good[: len(good) // 3])
    with pytest.raises(ReadError) as exc:
        read_document(bad)
    assert "cut.pdf" in str(exc.value)


def test_jsonl_corpus_with_a_bad_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": "Japan and Russia met in Moscow.",
                "date": "2016-05-06",
                "title": "Sochi",
            }
        ),
        "{not json",
        json.dumps({"id": "a3", "title": "no text"}),
        json.dumps({"text": "China protested to Japan over the islands."}),
    ]
    p = write(tmp_path, "c.jsonl", "\n".join(lines) + "\n")
    items = list(read([p]))
    docs = [i for i in items if not isinstance(i, ReadError)]
    errs = [i for i in items if isinstance(i, ReadError)]
    assert len(docs) == 2 and len(errs) == 2
    assert docs[0].date == "2016-05-06" and docs[0].title == "Sochi"
    assert docs[0].meta["source_id"] == "a1"
    assert errs[0].path.endswith("c.jsonl:2") and "invalid JSON" in errs[0].reason
    assert errs[1].path.endswith("c.jsonl:3") and "text" in errs[1].reason


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"   \n\n  ", "empty"),
        ("bin.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        ("fake.pdf", b"hello world, not a pdf", "not a PDF"),
        ("x.docx", b"whatever", "unsupported"),
        ("empty.jsonl", b"\n\n", "empty"),
    ],
)
def test_bad_inputs_name_file_and_reason(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    p = write(tmp_path, name, data)
    with pytest.raises(ReadError) as exc:
        for item in read_file(p):
            if isinstance(item, ReadError):
                raise item
    assert exc.value.path.endswith(name)
    assert reason in exc.value.reason


def test_max_bytes_limit(tmp_path: Path) -> None:
    p = write(tmp_path, "big.txt", "Japan. " * 1000)
    with pytest.raises(ReadError, match="max-bytes"):
        read_file(p, max_bytes=100)


def test_directory_batch_continues_past_bad_files(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", WIRE)
    write(tmp_path, "b.txt", b"")
    write(tmp_path, "c.pdf", b"%PDF-1.4 broken")
    write(tmp_path, "ignored.docx", b"zip")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "d.md", "# T\n\nChina and India agreed to disengage.")
    items = list(iter_paths([tmp_path, tmp_path / "missing.txt"]))
    ok = [i for i in items if not isinstance(i, ReadError)]
    bad = [i for i in items if isinstance(i, ReadError)]
    assert sorted(Path(d.path).name for d in ok) == ["a.txt", "d.md"]
    assert sorted(Path(e.path).name for e in bad) == ["b.txt", "c.pdf", "missing.txt"]


def test_read_bytes_with_explicit_suffix() -> None:
    [doc] = read_bytes(b"Seoul and Pyongyang held talks.", "mem", suffix=".txt")
    assert not isinstance(doc, ReadError)
    assert doc.text == "Seoul and Pyongyang held talks."


def test_segment_batches_bound_characters_not_only_pieces() -> None:
    """A single-line file is cut into CHUNK-sized pieces; spaCy gets them in batches
    bounded by characters (the senter's memory grows with the batch)."""
    from entente.ingest.segment import BATCH_CHARS, CHUNK, _batches

    pieces = [(0, i * CHUNK, (i + 1) * CHUNK) for i in range(40)]
    batches = list(_batches(pieces))
    assert [p for b in batches for p in b] == pieces
    assert all(sum(e - s for _, s, e in b) <= BATCH_CHARS for b in batches)
    small = [(i, i * 10, i * 10 + 10) for i in range(100)]
    assert [len(b) for b in _batches(small)] == [32, 32, 32, 4]
    huge = [(0, 0, 10 * BATCH_CHARS), (1, 10 * BATCH_CHARS, 10 * BATCH_CHARS + 5)]
    assert [len(b) for b in _batches(huge)] == [1, 1]
