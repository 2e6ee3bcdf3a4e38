"""Note markers in the body: glued digits (``islands?1``, ``bases3``), ``[12]``, superscripts.

Glued digits are ambiguous (``Su-35``, ``S-400``, ``40N6``, ``G7``, ``2015``), so a
candidate must (1) follow a word of two or more letters, a letter and closing
punctuation, or a year and closing punctuation (``in 2015.16``); (2) be the only digits in its whitespace-delimited token; (3) not end
a short upper-case code (``G7``, ``MH17``) unless punctuation stands between;
(4) name an existing note; and (5) belong to the longest increasing run of
candidates through the document, because endnote markers are numbered in reading
order.
"""

from __future__ import annotations

import bisect
import re

from entente.model import NoteMarker

_GLUED = re.compile(
    r"(?P<pre>[^\W\d_]{2,}|[^\W\d_][.,;:?!\u201d\u2019\"')\]]{1,3}"
    r"|(?<![\w.,-])(?P<year>(?:1[6-9]|20)\d\d)[.,;:)\u201d]{1,2})(?P<num>\d{1,3})"
    r"(?=$|[\s,.;:)\]\u2014\u2013(\u201c\"])"
)
_BRACKET = re.compile(r"\[(\d{1,3})\]")
_SUPER = re.compile(r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
_SUPER_DIGITS = str.maketrans(
    "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079", "0123456789"
)


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0 and not text[s - 1].isspace():
        s -= 1
    e = end
    while e < len(text) and not text[e].isspace():
        e += 1
    return s, e


def _glued_candidates(body: str, max_note: int) -> list[NoteMarker]:
    out: list[NoteMarker] = []
    for m in _GLUED.finditer(body):
        num = int(m.group("num"))
        if not 1 <= num <= max_note:
            continue
        ns, ne = m.start("num"), m.end("num")
        ts, te = _token_bounds(body, ns, ne)
        token = body[ts:te]
        year_digits = 4 if m.group("year") else 0
        if sum(ch.isdigit() for ch in token) != ne - ns + year_digits:
            continue  # other digits in the token: 40N6, Su-35s, 12-18
        pre = m.group("pre")
        if pre.isalpha():
            word = body[ts:ns]
            letters = word.strip("\"'\u201c\u2018(")
            if letters.isupper() and len(letters) <= 5:
                continue  # G7, MH17, P5, COVID19
        out.append(NoteMarker(number=num, start=ns, end=ne, style="glued"))
    return out


def _longest_increasing(cands: list[NoteMarker]) -> list[NoteMarker]:
    """The longest strictly increasing subsequence of marker numbers (by position)."""
    if not cands:
        return []
    tails: list[int] = []
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(cands)
    for i, c in enumerate(cands):
        k = bisect.bisect_left(tails, c.number)
        if k == len(tails):
            tails.append(c.number)
            tail_idx.append(i)
        else:
            tails[k] = c.number
            tail_idx[k] = i
        prev[i] = tail_idx[k - 1] if k > 0 else -1
    seq: list[NoteMarker] = []
    i = tail_idx[-1]
    while i >= 0:
        seq.append(cands[i])
        i = prev[i]
    return seq[::-1]


def find_markers(body: str, note_numbers: set[int]) -> list[NoteMarker]:
    """All note markers in ``body``, in order. Glued digits are sought only when the
    document has notes; bracketed and superscript markers are always reported."""
    markers: list[NoteMarker] = []
    for m in _BRACKET.finditer(body):
        markers.append(
            NoteMarker(number=int(m.group(1)), start=m.start(), end=m.end(), style="bracket")
        )
    for m in _SUPER.finditer(body):
        num = int(m.group().translate(_SUPER_DIGITS))
        markers.append(NoteMarker(number=num, start=m.start(), end=m.end(), style="superscript"))
    if note_numbers:
        taken = {(mk.start, mk.end) for mk in markers}
        glued = [
            g for g in _glued_candidates(body, max(note_numbers)) if (g.start, g.end) not in taken
        ]
        markers.extend(_longest_increasing(glued))
    markers.sort(key=lambda mk: mk.start)
    for mk in markers:
        mk.linked = mk.number in note_numbers
    return markers


def mask(text: str, markers: list[NoteMarker]) -> str:
    """``text`` with every marker replaced by spaces (offsets unchanged), for the NLP."""
    if not markers:
        return text
    chars = list(text)
    for mk in markers:
        for i in range(mk.start, mk.end):
            chars[i] = " "
    return "".join(chars)
