"""Quotations: inline quotes with their speakers, block quotes, and scare quotes.

- ``inline``: a quoted span in a sentence with a speech verb (said, stated, told …) or
  "according to"; the speaker is the verb's subject when it is an actor mention, else
  the nearest actor mention before the quote in the sentence (an outlet such as the
  Yomiuri Shimbun counts), else the subject's words.
- ``block``: a paragraph that is indented, or that follows a paragraph ending with a
  colon after a speech verb ("Lavrov stated:"), is one quote; the speaker comes from
  that introducing sentence.
- ``scare``: a short quoted phrase (four words or fewer) with no speech verb is kept
  with ``attributed = False``.
"""

from __future__ import annotations

import re

from entente.coding.lexicon import lexicon
from entente.model import Actor, Document, Evidence, Mention, Quote, Sentence

_QUOTE = re.compile(r"\u201c(?P<a>[^\u201d]{2,}?)\u201d|\"(?P<b>[^\"]{2,}?)\"")
_SPEECH_FORMS = None


def _speech_re() -> re.Pattern[str]:
    global _SPEECH_FORMS
    if _SPEECH_FORMS is None:
        forms = set()
        for v in lexicon().speech:  # inflected forms only: "state", "note" are nouns too
            forms |= {v + "ed", v + "d"} if not v.endswith("e") else {v + "d"}
        forms |= {
            "said",
            "says",
            "told",
            "tells",
            "wrote",
            "writes",
            "according to",
            "put it",
            "quoted as saying",
        }
        _SPEECH_FORMS = re.compile(
            r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )
    return _SPEECH_FORMS


def _speaker_before(mentions: list[Mention], pos: int, start: int) -> Mention | None:
    cands = [m for m in mentions if start <= m.start < pos]
    people = [m for m in cands if any(a.person or a.sector in ("MED", "GOV") for a in m.actors)]
    if people:
        return people[0]  # the clause's subject comes first: "X, an aide to Putin, said"
    return cands[-1] if cands else None


def _speaker_after(mentions: list[Mention], pos: int, end: int) -> Mention | None:
    cands = [m for m in mentions if pos <= m.start < end]
    return cands[0] if cands else None


def _ev(doc: Document, s: Sentence, start: int | None = None, end: int | None = None) -> Evidence:
    note = s.markers[0] if s.markers else None
    cit = doc.citations[note].text() if note is not None and note in doc.citations else None
    return Evidence(doc_id=doc.id, sentence=s.index, start=s.start if start is None else start, end=s.end if end is None else end,
                    text=doc.text[s.start if start is None else start : s.end if end is None else end], note=note, citation=cit)  # fmt: skip


def code_quotes(doc: Document) -> list[Quote]:
    by_sentence: dict[int, list[Mention]] = {}
    for m in doc.mentions:
        if m.sentence is not None:
            by_sentence.setdefault(m.sentence, []).append(m)
    speech = _speech_re()
    quotes: list[Quote] = []
    # block quotes
    paras = doc.paragraphs
    block_paras: set[int] = set()
    for i, p in enumerate(paras):
        if p.kind in ("note", "notes_heading", "title", "heading"):
            continue
        prev = paras[i - 1] if i > 0 else None
        intro = doc.text[prev.start : prev.end].rstrip() if prev is not None else ""
        if p.kind == "blockquote" or (intro.endswith(":") and speech.search(intro[-200:])):
            block_paras.add(p.index)
            sents = [s for s in doc.sentences if s.paragraph == p.index]
            if not sents:
                continue
            intro_sents = [
                s for s in doc.sentences if prev is not None and s.paragraph == prev.index
            ]
            speaker = None
            if intro_sents:
                last = intro_sents[-1]
                ms = by_sentence.get(last.index, [])
                vm = speech.search(last.text)
                pos = last.start + (vm.start() if vm else len(last.text))
                speaker = _speaker_before(ms, pos, last.start) or (ms[-1] if ms else None)
            text = doc.text[sents[0].start : sents[-1].end]
            quotes.append(Quote(quote=text, speaker=speaker, evidence=_ev(doc, sents[0], sents[0].start, sents[-1].end),
                                attributed=speaker is not None, confidence=0.8 if speaker else 0.5, rule="block"))  # fmt: skip
    # inline and scare quotes
    for s in doc.sentences:
        if s.paragraph in block_paras:
            continue
        for qm in _QUOTE.finditer(s.text):
            inner = (qm.group("a") or qm.group("b") or "").strip()
            if not inner:
                continue
            ms = by_sentence.get(s.index, [])
            verb = speech.search(s.text)
            qpos = s.start + qm.start()
            if verb is None and not s.text[: qm.start()].rstrip().endswith(":"):
                if len(inner.split()) <= 4:
                    quotes.append(
                        Quote(
                            quote=inner,
                            speaker=None,
                            evidence=_ev(doc, s),
                            attributed=False,
                            confidence=0.6,
                            rule="scare",
                        )
                    )
                continue
            vpos = s.start + (verb.start() if verb else qm.start())
            if vpos < qpos:
                speaker = _speaker_before(ms, vpos, s.start) or _speaker_before(ms, qpos, s.start)
            else:  # “…,” Lavrov said.
                speaker = _speaker_after(ms, s.start + qm.end(), s.end) or _speaker_before(
                    ms, qpos, s.start
                )
            quotes.append(Quote(quote=inner, speaker=speaker, evidence=_ev(doc, s), attributed=True,
                                confidence=0.75 if speaker else 0.5, rule="inline"))  # fmt: skip
    return quotes


def speaker_dict(m: Mention | None) -> dict[str, str | None] | None:
    if m is None:
        return None
    a: Actor = m.actors[0]
    return {"text": m.text, "country": a.country, "person": a.person}
