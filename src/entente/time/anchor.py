"""Anchoring documents and sentences in time.

The **document date** is the first of: the reader's metadata date, the date the user
gives (``--date``), a wire dateline ("TOKYO, Nov. 2, 2010 —") in the first paragraphs,
or the latest explicit day or month date anywhere in the text (notes included, since a
text is published after the sources it cites). ``doc.meta["date_source"]`` says which.

Relative expressions count from the last absolute day or month named earlier in the
same paragraph (the story's time), else from the document date.

Each **sentence anchor** is the sentence's own first absolute date expression, else the
nearest earlier one in the same paragraph, else the document date; its ``source`` says
which (``expression``, ``paragraph``, ``document`` or ``none``).
"""

from __future__ import annotations

import re
from datetime import date

from entente.model import Document, TimeAnchor
from entente.time.grammar import DateExpr, find_dates

_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,'’\-]{1,60}?,\s+(?P<rest>.{6,40}?)\s*(?:\([^)]{1,40}\)\s*)?[—–-]{1,2}\s"
)


def _parse_meta_date(value: str) -> date | None:
    found = find_dates(value)
    for e in found:
        if e.precision == "day" and e.value:
            return date.fromisoformat(e.value)
    try:
        import dateparser

        parsed = dateparser.parse(value, settings={"STRICT_PARSING": True})
    except Exception:  # dateparser raises on odd input; the date is then unknown
        return None
    return parsed.date() if parsed else None


def _dateline(doc: Document) -> date | None:
    for p in [p for p in doc.paragraphs if p.kind == "body"][:3]:
        m = _DATELINE.match(doc.text[p.start : p.end])
        if m:
            for e in find_dates(m.group(0)):
                if e.precision == "day" and e.value:
                    return date.fromisoformat(e.value)
    return None


def document_date(
    doc: Document, given: str | None = None, found: list[DateExpr] | None = None
) -> tuple[date | None, str]:
    """The reference date of ``doc`` and where it came from. ``found``: the date
    expressions of the whole text when already read (else the text is read here)."""
    if doc.date:
        d = _parse_meta_date(doc.date)
        if d:
            return d, "metadata"
    if given:
        d = _parse_meta_date(given)
        if d:
            return d, "user"
    d = _dateline(doc)
    if d:
        return d, "dateline"
    latest: str | None = None
    for e in found if found is not None else find_dates(doc.text):
        if (
            not e.relative
            and e.precision in ("day", "month")
            and e.until
            and e.rule != "since_year"
        ):
            latest = max(latest or "", e.until)
    if latest:
        return date.fromisoformat(latest), "latest-in-text"
    return None, "none"


def _needs_ref(e: DateExpr) -> bool:
    """Whether the expression's value or bounds depend on the reference date."""
    return e.relative or e.begin is None or e.until is None


def _read_once(doc: Document, masked: str) -> tuple[list[list[DateExpr]], list[DateExpr]]:
    """The text read once: each sentence's date expressions without a reference date,
    and every expression of the text (the sentences' and those between them, such as
    in notes) for the document date."""
    per_sentence: list[list[DateExpr]] = []
    everything: list[DateExpr] = []
    pos = 0
    for s in doc.sentences:
        if s.start > pos and not doc.text[pos : s.start].isspace():
            everything += find_dates(doc.text[pos : s.start])
        exprs = find_dates(masked[s.start : s.end])
        per_sentence.append(exprs)
        everything += exprs
        pos = max(pos, s.end)
    if pos < len(doc.text) and not doc.text[pos:].isspace():
        everything += find_dates(doc.text[pos:])
    return per_sentence, everything


#: rules whose dates are not the date of the sentence's event
_NOT_EVENT_DATES = frozenset({"since_year", "anniversary"})


def _anchor(e: DateExpr, sentence: int | None, source: str) -> TimeAnchor:
    return TimeAnchor(
        text=e.text, start=e.start, end=e.end, value=e.value, precision=e.precision,
        end_value=e.end_value, begin=e.begin, until=e.until, source=source,
        sentence=sentence, relative=e.relative, rule=e.rule,
    )  # fmt: skip


def anchor_document(doc: Document, given_date: str | None = None) -> Document:
    """Fill ``doc.dates`` and ``doc.anchors`` (in place); set ``doc.meta['date_source']``."""
    from entente.citations.markers import mask

    masked = mask(doc.text, doc.markers)  # "in 2015.16" must read as 2015
    # one reading of the text serves the document date and every sentence; a sentence
    # is read again only when it holds an expression that needs the reference date
    per_sentence, everything = _read_once(doc, masked)
    ref, source = document_date(doc, given_date, everything)
    doc.meta["date_source"] = source
    doc.meta["reference_date"] = ref.isoformat() if ref else None
    if doc.date is None and ref is not None and source in ("user", "dateline"):
        doc.date = ref.isoformat()
    doc_anchor = TimeAnchor(
        text=None, start=None, end=None, value=ref.isoformat() if ref else None,
        precision="day" if ref else None, begin=ref.isoformat() if ref else None,
        until=ref.isoformat() if ref else None,
        source=("document-guessed" if source == "latest-in-text" else "document") if ref else "none",
    )  # fmt: skip
    doc.dates = []
    doc.anchors = []
    datelines = {}
    for p in [p for p in doc.paragraphs if p.kind == "body"][:3]:
        m = _DATELINE.match(doc.text[p.start : p.end])
        if m:
            datelines[p.index] = p.start + m.end()
    last_in_para: dict[int, TimeAnchor] = {}
    narrative: dict[int, date] = {}
    for s, raw in zip(doc.sentences, per_sentence, strict=True):
        # relative phrases ("in the next two months") count from the story's own time:
        # the last absolute day or month named earlier in the paragraph, else the doc date
        if any(_needs_ref(e) for e in raw):
            raw = find_dates(masked[s.start : s.end], narrative.get(s.paragraph, ref))
        exprs = [e for e in raw if e.value is not None]
        for e in exprs:
            if not e.relative and e.precision in ("day", "month") and e.until:
                narrative[s.paragraph] = date.fromisoformat(e.until)
        for e in exprs:
            e.start += s.start
            e.end += s.start
            doc.dates.append(_anchor(e, s.index, "expression"))
        # a dateline dates the report, not what the sentence says happened
        cut = datelines.get(s.paragraph, -1)
        # "since 2005" and "the 40th anniversary of" say when something else began, not
        # when the sentence's event happened: they never date it
        own = [e for e in exprs if e.rule not in _NOT_EVENT_DATES and e.start >= cut]
        if own:
            a = _anchor(own[0], s.index, "expression")
            last_in_para[s.paragraph] = a
        elif s.paragraph in last_in_para:
            prev = last_in_para[s.paragraph]
            a = TimeAnchor(
                text=prev.text, start=prev.start, end=prev.end, value=prev.value,
                precision=prev.precision, end_value=prev.end_value, begin=prev.begin,
                until=prev.until, source="paragraph", sentence=s.index, relative=prev.relative,
                rule=prev.rule,
            )  # fmt: skip
        else:
            a = TimeAnchor(
                text=None, start=None, end=None, value=doc_anchor.value,
                precision=doc_anchor.precision, begin=doc_anchor.begin, until=doc_anchor.until,
                source=doc_anchor.source, sentence=s.index,
            )  # fmt: skip
        doc.anchors.append(a)
    return doc
