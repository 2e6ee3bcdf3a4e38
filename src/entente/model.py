"""The one data model every stage reads and writes.

Offsets are character offsets into :attr:`Document.text` (Python string indices,
end exclusive), so ``doc.text[s.start:s.end]`` is always the evidence for ``s``.
Every type is a plain dataclass and serialises to JSON with :func:`to_json` /
:meth:`Document.to_dict`; :meth:`Document.from_dict` reads it back.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

ParagraphKind = Literal["title", "heading", "body", "blockquote", "notes_heading", "note"]
MarkerStyle = Literal["glued", "bracket", "superscript"]
SourceKind = Literal["full", "ibid", "short"]
Modality = Literal["asserted", "reported", "planned", "hypothetical", "denied"]


def state_pairs(source: set[str] | list[str], target: set[str] | list[str]) -> set[frozenset[str]]:
    """Unordered state pairs an event links: source × target, or, for a reciprocal act
    with no recipient (``target`` empty), every pair among the participants."""
    if target:
        return {frozenset((s, t)) for s in source for t in target if s != t}
    src = sorted(set(source))
    return {frozenset((a, b)) for i, a in enumerate(src) for b in src[i + 1 :]}


@dataclass(slots=True)
class Paragraph:
    """A block of text separated from its neighbours by a blank line (or a markup block)."""

    index: int
    start: int
    end: int
    kind: ParagraphKind = "body"


@dataclass(slots=True)
class Sentence:
    """A sentence of the document body. ``markers`` are the note numbers it carries."""

    index: int
    paragraph: int
    start: int
    end: int
    text: str
    markers: list[int] = field(default_factory=list)


@dataclass(slots=True)
class NoteMarker:
    """A note reference in the body: ``...islands?1``, ``[12]`` or a superscript digit."""

    number: int
    start: int
    end: int
    style: MarkerStyle
    sentence: int | None = None
    linked: bool = False


@dataclass(slots=True)
class Source:
    """One bibliographic source inside a note (a note may hold several, split on ``;``)."""

    text: str
    kind: SourceKind = "full"
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    pages: str | None = None
    url: str | None = None
    #: for ``ibid``/``short`` sources: the note number and source index they point back to
    refers_to: tuple[int, int] | None = None


@dataclass(slots=True)
class Note:
    """A numbered note from the notes section."""

    number: int
    start: int
    end: int
    text: str
    sources: list[Source] = field(default_factory=list)


@dataclass(slots=True)
class Citation:
    """What a note marker cites, with ``Ibid.`` and short forms resolved to full sources."""

    note: int
    sources: list[Source]
    #: page of the citing note when it differs from the original (``Ibid., 12.``)
    pages: str | None = None

    def text(self) -> str:
        """The resolved sources as one line of text."""
        out = ""
        for s in self.sources:
            if out:
                out += " " if out.endswith(".") else "; "
            out += s.text
        if self.pages:
            out = f"{out} [cited at p. {self.pages}]"
        return out


@dataclass(slots=True)
class Evidence:
    """Where a record comes from: the document, sentence, span and citation behind it."""

    doc_id: str
    sentence: int
    start: int
    end: int
    text: str
    note: int | None = None
    citation: str | None = None


@dataclass(slots=True)
class Actor:
    """A state or international body, with the agent inside it."""

    country: str  # ISO 3166-1 alpha-3, or a body code such as EUR, NATO, UNO
    sector: str | None = None  # GOV, MIL, LEG, JUD, ELI, MED, BUS, CVL, REB, IGO ...
    person: str | None = None  # official id from the reference data
    role: str | None = None


@dataclass(slots=True)
class Mention:
    """A span of text that stands for one or more actors."""

    text: str
    start: int
    end: int
    actors: list[Actor]
    confidence: float
    rule: str
    sentence: int | None = None
    note: str | None = None
    #: mentions coordinated in one phrase ("Moscow and Tokyo") share a group number
    group: int | None = None

    @property
    def countries(self) -> list[str]:
        return [a.country for a in self.actors]


@dataclass(slots=True)
class TimeAnchor:
    """A normalised date expression, or the anchor a sentence inherits from one."""

    text: str | None
    start: int | None
    end: int | None
    value: str | None  # ISO 8601 / EDTF at the precision: 2015, 2015-09, 2015-23 (fall)
    precision: str | None  # day, week, month, season, quarter, half, year, decade, century
    end_value: str | None = None  # for ranges ("from August to October 2015")
    begin: str | None = None  # first day of the interval (ISO)
    until: str | None = None  # last day of the interval (ISO)
    #: expression (in the sentence) | paragraph (nearest earlier one) | document | none
    source: str = "expression"
    sentence: int | None = None
    relative: bool = False
    rule: str = ""


@dataclass(slots=True)
class Event:
    """Who did what to whom, when (PLOVER type), with its evidence."""

    source: list[Mention]
    target: list[Mention]
    type: str
    evidence: Evidence
    mode: str | None = None
    quad: str | None = None
    intensity: float | None = None
    negated: bool = False
    modality: Modality = "asserted"
    date: str | None = None
    date_precision: str | None = None
    confidence: float = 0.5
    rule: str = ""
    #: the states coded on each side (a "Sino-Russian" mention may give only one of them)
    source_states: list[str] = field(default_factory=list)
    target_states: list[str] = field(default_factory=list)
    #: why the record exists when the trained scorer judged it: score and top features
    why: dict[str, Any] | None = None
    #: spans of other sentences the event cites (an implicit partner named there)
    context_spans: list[list[int]] = field(default_factory=list)


@dataclass(slots=True)
class Assessment:
    """An author's statement about the state or direction of a relationship."""

    dyad: tuple[str, str]
    polarity: int
    evidence: Evidence
    trend: str | None = None
    period: str | None = None
    holder: str | None = None
    confidence: float = 0.5
    rule: str = ""


@dataclass(slots=True)
class Quote:
    """A direct quotation with its speaker."""

    quote: str
    speaker: Mention | None
    evidence: Evidence
    attributed: bool = True
    confidence: float = 0.5
    rule: str = ""


@dataclass(slots=True)
class Document:
    """A read document: its text, metadata and structure."""

    id: str
    path: str
    text: str
    reader: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    markers: list[NoteMarker] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    citations: dict[int, Citation] = field(default_factory=dict)
    #: offset where the notes section begins (len(text) when there is none)
    body_end: int = -1
    #: every date expression in the body, normalised
    dates: list[TimeAnchor] = field(default_factory=list)
    #: one time anchor per sentence (same order as ``sentences``)
    anchors: list[TimeAnchor] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.body_end < 0:
            self.body_end = len(self.text)

    @property
    def body(self) -> str:
        """The text before the notes section."""
        return self.text[: self.body_end]

    def paragraph_text(self, p: Paragraph) -> str:
        return self.text[p.start : p.end]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = _plain(self)
        d["citations"] = {str(k): v for k, v in d["citations"].items()}
        return d

    def json_chunks(self) -> Iterator[str]:
        """``json.dumps(self.to_dict(), ensure_ascii=False)`` in pieces, one list item at
        a time: a huge document (hundreds of thousands of mentions) is never held as one
        dictionary tree (the store compresses the pieces as they come)."""
        yield "{"
        for k, name in enumerate(_field_names(self)):
            value = getattr(self, name)
            yield (", " if k else "") + json.dumps(name) + ": "
            if name == "citations":
                yield _dumps({str(n): _plain(c) for n, c in value.items()})
            elif isinstance(value, list) and value:
                yield "["
                for i, item in enumerate(value):
                    yield (", " if i else "") + _dumps(_plain(item))
                yield "]"
            else:
                yield _dumps(_plain(value))
        yield "}"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        def src(s: dict[str, Any]) -> Source:
            ref = s.get("refers_to")
            return Source(**{**s, "refers_to": tuple(ref) if ref else None})

        return cls(
            id=d["id"],
            path=d["path"],
            text=d["text"],
            reader=d["reader"],
            title=d.get("title"),
            date=d.get("date"),
            author=d.get("author"),
            url=d.get("url"),
            paragraphs=[Paragraph(**p) for p in d.get("paragraphs", [])],
            sentences=[Sentence(**s) for s in d.get("sentences", [])],
            markers=[NoteMarker(**m) for m in d.get("markers", [])],
            notes=[
                Note(**{**n, "sources": [src(s) for s in n.get("sources", [])]})
                for n in d.get("notes", [])
            ],
            citations={
                int(k): Citation(
                    note=c["note"], sources=[src(s) for s in c["sources"]], pages=c.get("pages")
                )
                for k, c in d.get("citations", {}).items()
            },
            body_end=d.get("body_end", -1),
            dates=[TimeAnchor(**t) for t in d.get("dates", [])],
            anchors=[TimeAnchor(**t) for t in d.get("anchors", [])],
            mentions=[
                Mention(**{**m, "actors": [Actor(**a) for a in m["actors"]]})
                for m in d.get("mentions", [])
            ],
            meta=d.get("meta", {}),
        )


_FIELDS: dict[type, tuple[str, ...]] = {}


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


def _field_names(obj: Any) -> tuple[str, ...]:
    cls = type(obj)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(obj))
    return names


def _plain(obj: Any) -> Any:
    """A fast ``dataclasses.asdict`` for the model (no deep copies of leaf values)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {n: _plain(getattr(obj, n)) for n in _field_names(obj)}
    if isinstance(obj, list | tuple):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj


def to_json(obj: Any, **kwargs: Any) -> str:
    """Serialise a model object (or a list of them) to JSON."""

    def default(o: Any) -> Any:
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            if isinstance(o, Document):
                return o.to_dict()
            return dataclasses.asdict(o)
        raise TypeError(f"not serialisable: {type(o).__name__}")

    return json.dumps(obj, default=default, ensure_ascii=False, **kwargs)
