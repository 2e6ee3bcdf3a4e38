"""The notes section: where it starts, the numbered notes in it, and the sources in each.

A notes section is either introduced by a heading line (Notes, Endnotes, References,
Footnotes, Sources, Bibliography) or, as in many web copies of journal articles, is
the run of numbered paragraphs ``1. … N.`` that closes the document and is shorter
than the text before it (a statement's numbered points are its body, not notes).
"""

from __future__ import annotations

import re

from entente.model import Document, Note, Paragraph, Source
from entente.time.grammar import first_explicit_date

HEADING = re.compile(
    r"^\s*#*\s*(notes|endnotes|end notes|references|footnotes|sources|bibliography|works cited)\s*:?\s*$",
    re.IGNORECASE,
)
NOTE_START = re.compile(r"^[ \t]*(?:\[(\d{1,3})\]|(\d{1,3})[.)])[ \t]+(?=\S)", re.MULTILINE)
#: under a Notes heading, notes may be numbered with a bare number ("1 Joint Statement …")
NOTE_START_BARE = re.compile(r"^[ \t]*()(\d{1,3})[ \t]+(?=[^\W\d_])", re.MULTILINE)
_QUOTED = re.compile(r"[\u201c\"](?P<title>[^\u201d\"]{2,}?)[,.;:?!]?[\u201d\"]")
_URL = re.compile(r"https?://\S+")
_PAGES = re.compile(r"(?:,|:|\bp{1,2}\.)\s*(?P<pages>\d{1,4}(?:\s*[-\u2013]\s*\d{1,4})?)\s*\.?\s*$")
_IBID = re.compile(
    r"^ibid\.?\s*(?:,\s*(?:p{1,2}\.\s*)?(?P<pages>[\w\u2013-]+))?\s*\.?\s*$", re.IGNORECASE
)
_LEAD = re.compile(
    r"^(?:for [^,]{0,40}, see|see also|see, e\.g\.,|see|cf\.|also)\s+", re.IGNORECASE
)
_NAME = re.compile(
    r"^[A-Z][\w.\u2019'-]*(?:\s+(?:[A-Z][\w.\u2019'-]*|de|van|von|der|al-\w+|bin))*$"
)


def _note_number(m: re.Match[str]) -> int:
    return int(m.group(1) or m.group(2))


def _numbered_run(doc: Document, paras: list[Paragraph]) -> int | None:
    """Index of the first paragraph of a trailing ``1. … N.`` run, or None."""
    start = None
    expected = None
    for i in range(len(paras) - 1, -1, -1):
        m = NOTE_START.match(doc.text[paras[i].start : paras[i].end])
        if not m:
            break
        n = _note_number(m)
        if expected is not None and n >= expected:
            break
        expected = n
        if n == 1:
            start = i
            break
    return start


def _looks_bibliographic(texts: list[str]) -> bool:
    hits = sum(
        1
        for t in texts
        if re.search(r"\b(1[89]|20)\d\d\b", t)
        or t.lower().lstrip("0123456789.[] ").startswith("ibid")
        or "\u201c" in t
        or '"' in t
    )
    return hits * 2 >= len(texts)


def _bare_numbered(region: str) -> bool:
    """Lines numbered 1, 2, 3 … with a bare number open the region's every note."""
    starts = list(NOTE_START_BARE.finditer(region))
    if len(starts) < 2 or region[: starts[0].start()].strip():
        return False
    return [_note_number(m) for m in starts] == list(range(1, len(starts) + 1))


def _heading_end(doc: Document, para: Paragraph) -> int | None:
    """Where the notes heading that opens ``para`` ends ("Notes" alone, or as the first
    line of a paragraph that goes on with the notes), or None."""
    text = doc.text[para.start : para.end]
    first = text.split("\n", 1)[0]
    if not HEADING.match(first):
        return None
    return para.start + len(first)


def find_section(doc: Document) -> int | None:
    """Index of the paragraph where the notes section starts (heading or first note)."""
    paras = doc.paragraphs
    for i in range(len(paras) - 1, -1, -1):
        end = _heading_end(doc, paras[i])
        if end is not None:
            following = doc.text[end : paras[-1].end]
            if NOTE_START.search(following) or _bare_numbered(following):
                return i
    start = _numbered_run(doc, paras)
    if start is None or start == 0:
        return None
    texts = [doc.text[p.start : p.end] for p in paras[start:]]
    body = sum(p.end - p.start for p in paras[:start])
    if body < sum(len(t) for t in texts):
        # numbered paragraphs that make up most of the text are the text itself (a
        # ministry statement's numbered points, a communiqué's articles), not its notes
        return None
    return start if _looks_bibliographic(texts) else None


def split_notes(doc: Document, section_start: int) -> list[Note]:
    """Numbered notes from ``section_start`` (a text offset) to the end of the text."""
    region = doc.text[section_start:]
    starts = list(NOTE_START.finditer(region))
    if not starts and _bare_numbered(region):
        starts = list(NOTE_START_BARE.finditer(region))
    notes: list[Note] = []
    for k, m in enumerate(starts):
        s = section_start + m.start()
        e = section_start + (starts[k + 1].start() if k + 1 < len(starts) else len(region))
        raw = doc.text[s:e].rstrip()
        body = " ".join(doc.text[section_start + m.end() : s + len(raw)].split())
        notes.append(
            Note(
                number=_note_number(m),
                start=s + (len(raw) - len(raw.lstrip())),
                end=s + len(raw),
                text=body,
            )
        )
    return notes


def _split_sources(text: str) -> list[str]:
    """Split a note on ``;`` outside quotes and parentheses."""
    parts: list[str] = []
    depth = 0
    quote = False
    cur = ""
    for ch in text:
        if ch in "\u201c":
            quote = True
        elif ch in "\u201d":
            quote = False
        elif ch == '"':
            quote = not quote
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == ";" and not quote and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [
        p.strip(" ,.;") + ("." if p.strip(" ,;").endswith(".") else "")
        for p in parts
        if p.strip(" ,.;")
    ]


def _authors(prefix: str) -> list[str]:
    prefix = prefix.strip(" ,.:")
    if not prefix or len(prefix.split()) > 12:
        return []
    names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", prefix) if n.strip()]
    if names and all(_NAME.match(n) and len(n.split()) <= 5 for n in names):
        return names
    return []


def parse_source(piece: str) -> Source:
    """Parse one source: authors, title, outlet, date, pages, url (what can be found)."""
    text = _LEAD.sub("", piece.strip())
    m = _IBID.match(text)
    if m:
        return Source(text=piece.strip(), kind="ibid", pages=m.group("pages"))
    src = Source(text=piece.strip())
    url = _URL.search(text)
    if url:
        src.url = url.group().rstrip(".,;")
        text = (text[: url.start()] + text[url.end() :]).strip()
    found = first_explicit_date(text)
    if found:
        src.date = found
    pm = _PAGES.search(text)
    if pm and not re.search(r"(1[89]|20)\d\d\s*\.?\s*$", text[: pm.end()].strip()):
        src.pages = pm.group("pages").replace(" ", "")
    q = _QUOTED.search(text)
    if q:
        src.title = q.group("title").strip(" ,.")
        src.authors = _authors(text[: q.start()])
        if not src.authors and text[: q.start()].strip(" ,"):
            src.outlet = text[: q.start()].strip(" ,")
        rest = text[q.end() :].strip(" ,.;:")
        outlet = re.split(r",|\s\(|\s\d|\bno\.", rest, maxsplit=1)[0].strip(" ,.")
        if outlet and not first_explicit_date(outlet) and not src.outlet:
            src.outlet = outlet
        return src
    segs = [s.strip() for s in re.split(r",(?![^()]*\))", text) if s.strip()]
    if segs:
        names = _authors(segs[0])
        if names and len(segs) > 1:
            src.authors = names
            src.title = re.split(r"\s\(", segs[1], maxsplit=1)[0].strip(" .")
        else:
            src.outlet = segs[0].strip(" .")
    return src


def parse_notes(doc: Document) -> list[Note]:
    """Find the notes section of ``doc``, set ``doc.body_end``, and parse every note."""
    idx = find_section(doc)
    if idx is None:
        return []
    para = doc.paragraphs[idx]
    heading_end = _heading_end(doc, para)
    doc.body_end = para.start
    for p in doc.paragraphs[idx:]:
        p.kind = "note"
    if heading_end is not None and heading_end >= para.end:
        para.kind = "notes_heading"
    notes = split_notes(doc, para.start if heading_end is None else heading_end)
    for note in notes:
        note.sources = [parse_source(piece) for piece in _split_sources(note.text)]
    return notes
