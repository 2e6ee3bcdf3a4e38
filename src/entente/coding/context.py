"""What the coders share: a parsed sentence with its actor mentions mapped onto tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from entente.model import Document, Evidence, Mention, Sentence, TimeAnchor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: dependents that carry an argument's actor ("Japan's", "Russian", "the government of Japan")
CARRIER_DEPS = {"poss", "compound", "amod", "nmod", "appos", "nummod"}
CARRIER_PREPS = {"of", "by", "from"}


@dataclass(slots=True)
class ParsedSentence:
    doc: Document
    sentence: Sentence
    tokens: Doc
    mentions: list[Mention]
    #: token index → mention covering it
    token_mention: dict[int, Mention] = field(default_factory=dict)
    #: id of a mention → indices of the tokens it covers
    mention_tokens: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        base = self.sentence.start
        spans = [(m.start - base, m.end - base, m) for m in self.mentions]
        if not spans:
            return
        for t in self.tokens:
            for s, e, m in spans:
                if s <= t.idx < e:
                    self.token_mention[t.i] = m
        for i, m in self.token_mention.items():
            self.mention_tokens.setdefault(id(m), []).append(i)

    # ----------------------------------------------------------------------------
    def mention_of(self, tok: Token) -> Mention | None:
        return self.token_mention.get(tok.i)

    def tokens_of(self, m: Mention) -> list[int]:
        """Indices of the tokens a mention covers."""
        return self.mention_tokens.get(id(m), [])

    def arg_mentions(self, tok: Token, depth: int = 0) -> list[Mention]:
        """Mentions that an argument token stands for: the token itself, its conjuncts,
        and the dependents that carry an actor ("Japan's defenses", "Russian jets",
        "any effort by Japan")."""
        out: list[Mention] = []

        def add(m: Mention | None) -> None:
            if m is not None and m not in out:
                out.append(m)

        for t in [tok, *_conjuncts(tok)]:
            add(self.mention_of(t))
            for child in t.children:
                if child.dep_ in CARRIER_DEPS:
                    add(self.mention_of(child))
                    for g in child.children:
                        if g.dep_ in (
                            "poss",
                            "compound",
                            "conj",
                        ):  # "Indian and Chinese commanders"
                            add(self.mention_of(g))
                elif child.dep_ == "prep" and child.lower_ in CARRIER_PREPS and depth < 2:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            out.extend(
                                m for m in self.arg_mentions(pobj, depth + 1) if m not in out
                            )
        return out

    def agents_over(self, m: Mention) -> list[Mention]:
        """The agents of the act whose patient ``m`` is, when a noun names both: "Russia's
        invasion of Ukraine", "the Russian attack on Ukraine", "the invasion of Ukraine by
        Russia" give Russia for Ukraine; none when ``m`` is no such patient."""
        idx = self.tokens_of(m)
        if not idx:
            return []
        tok = self.tokens[idx[-1]]
        while tok.dep_ in ("amod", "compound", "poss", "nmod", "conj", "appos"):
            tok = tok.head
        if tok.dep_ != "pobj" or tok.head.dep_ != "prep" or tok.head.lower_ == "by":
            return []
        noun = tok.head.head
        if noun.pos_ not in ("NOUN", "PROPN") or self.mention_of(noun) is not None:
            return []
        agents = [c for c in noun.children if c.dep_ in ("poss", "amod", "compound", "nmod")]
        agents += [
            p
            for c in noun.children
            if c.dep_ == "prep" and c.lower_ == "by"
            for p in c.children
            if p.dep_ == "pobj"
        ]
        out: list[Mention] = []
        for a in agents:
            am = self.mention_of(a)
            if am is not None and am is not m and am not in out:
                out.append(am)
        return out

    def evidence(self) -> Evidence:
        s = self.sentence
        note = s.markers[0] if s.markers else None
        citation = (
            self.doc.citations[note].text()
            if note is not None and note in self.doc.citations
            else None
        )
        return Evidence(
            doc_id=self.doc.id,
            sentence=s.index,
            start=s.start,
            end=s.end,
            text=s.text,
            note=note,
            citation=citation,
        )

    def anchor(self) -> TimeAnchor | None:
        i = self.sentence.index
        return self.doc.anchors[i] if i < len(self.doc.anchors) else None


#: nouns of a place that a state's adjective only locates ("on the Belarusian border")
PLACE_NOUNS = frozenset(
    {"border", "frontier", "side", "coast", "capital", "city", "town", "island", "resort",
     "territory", "soil", "base", "port", "village", "coastline", "shore", "outskirts",
     "headquarters", "airport", "tarmac", "airfield", "summit", "conference"}
)  # fmt: skip
PLACE_PREPS = frozenset({"in", "at", "on", "near", "along", "across", "inside", "off", "beyond"})


def located(ps: ParsedSentence, m: Mention) -> bool:
    """Whether a state's adjective only says where something happened: on a place noun
    after a preposition of place ("shot down a jet near the Syrian border", "talks on
    the Belarusian border") — a location, not a party."""
    toks = ps.tokens_of(m)
    if not toks:
        return False
    inside = set(toks)
    for i in toks:
        t = ps.tokens[i]
        if t.head.i in inside and t.head.i != i:
            continue  # "United" of "United Nations headquarters": its head word decides
        if t.dep_ not in ("amod", "compound", "poss") or t.head.lemma_.lower() not in PLACE_NOUNS:
            return False
        place = t.head
        if place.dep_ == "compound" and place.head.lemma_.lower() in PLACE_NOUNS:
            place = place.head  # "in the Turkish border town"
        prep = place.head
        if place.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
            return False
    return True


def _conjuncts(tok: Token) -> list[Token]:
    out = []
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(x for x in c.children if x.dep_ == "conj")
    return out


def conjuncts(tok: Token) -> list[Token]:
    return _conjuncts(tok)


_IRREGULAR = [
    "sold",
    "sent",
    "met",
    "held",
    "struck",
    "shot",
    "fought",
    "sank",
    "sunk",
    "flew",
    "flown",
    "brought",
    "gave",
    "given",
    "took",
    "taken",
    "told",
    "said",
    "broke",
    "broken",
    "froze",
    "frozen",
    "withdrew",
    "withdrawn",
    "spoke",
    "went",
    "led",
    "won",
    "lost",
    "fell",
    "chose",
    "stood",
    "sought",
    "bought",
    "threw",
    "thrown",
    "hit",
    "cut",
    "put",
    "set",
    "let",
    "beat",
    "began",
    "begun",
    "ran",
    "drew",
    "drawn",
    "grew",
    "grown",
    "paid",
    "laid",
    "withheld",
    "slashed",
]


@cache
def trigger_re() -> re.Pattern[str]:
    """Word starts that can signal a record: every lexicon lemma, cut before a final
    e/y so that inflections match ("impos" → imposed), and irregular past forms."""
    from entente.coding.lexicon import lexicon

    lex = lexicon()
    words = set(lex.verbs) | set(lex.nouns) | lex.relation_nouns | set(lex.assessment) | lex.speech
    words |= {k.split()[0] for k in lex.phrasal}
    words |= lex.planned | lex.cancel | lex.light_verbs | lex.deploy_verbs | lex.statement_verbs
    words |= lex.military_objects | lex.protester_nouns | lex.instrument_verbs | lex.naming_verbs
    words |= lex.elicit_verbs | lex.answer_verbs | _PHRASE_WORDS
    # verbs that code an event only with certain objects ("exchanged fire", "raised duties")
    words |= set(lex.object_rules) | set(lex.object_verbs) | lex.persona_verbs | lex.prevent_verbs
    words |= lex.expel_frame_verbs | GRATEFUL
    stems = set(_IRREGULAR) | _REPEAT_STEMS
    for w in words:
        w = w.lower()
        stem = w[:-1] if len(w) > 4 and w[-1] in "ey" else w
        stems.add(stem if len(stem) >= 3 else w)
        if len(w) >= 3 and w[-1] == "y" and w[-2] not in "aeiou":
            stems.add(w[:-1] + "i")  # "deny" → denied, denies; "ally" → allied
    alt = "|".join(sorted((re.escape(x) for x in stems), key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})", re.IGNORECASE)


@cache
def answer_re() -> re.Pattern[str]:
    """A definite act noun ("the move", "this decision", "the joint drills"): a sentence
    that may answer an act told before (:meth:`EventCoder._answer_act`)."""
    from entente.coding.lexicon import lexicon

    lex = lexicon()
    nouns = {n.lower() for n in lex.nouns if " " not in n} | lex.act_nouns
    alt = "|".join(sorted((re.escape(x) for x in nouns), key=len, reverse=True))
    return re.compile(
        rf"\b(?:the|this|that|these|those|such)\s+(?:[a-z-]+\s+)?(?:{alt})s?\b", re.IGNORECASE
    )


#: adjectives of gratitude: "grateful to X" is SUPPORT of X (:meth:`EventCoder._gratitude`)
GRATEFUL = frozenset({"grateful", "thankful", "indebted", "appreciative"})
#: words of the fixed phrases of :meth:`EventCoder._state_act` ("into custody", "on alert",
#: "troops left", "ordered … to leave")
_PHRASE_WORDS = frozenset(
    {"custody", "alert", "readiness", "left", "leave", "order", "vacate", "seal", "surround",
     "cordon", "besieg", "encircl"}
)  # fmt: skip
#: words of a phrase that repeats the act just told ("did the same", "followed suit")
_REPEAT_STEMS = frozenset({"same", "likewise", "suit", "reciprocat", "in kind", "did so"})
_REPEAT_RE = re.compile(
    r"\b(?:did|do|does|doing|done)\s+(?:the\s+same|likewise|so)\b|\bfollow\w*\s+suit\b"
    r"|\breciprocat|\bin\s+kind\b",
    re.IGNORECASE,
)


def candidate_sentences(
    doc: Document, single: bool = False
) -> list[tuple[Sentence, list[Mention]]]:
    """Sentences that can carry an interstate record: two states or more among their
    mentions (or one multi-state mention) and a word that can signal an event or an
    assessment; with ``single``, also sentences naming one state, whose partner may be
    named in another sentence, and always a sentence that names one state and repeats
    the act just told ("Caracas did the same"). This cheap filter decides what is
    parsed."""
    trigger = trigger_re()
    answer = answer_re()
    by_sentence: dict[int, list[Mention]] = {}
    for m in doc.mentions:
        if m.sentence is not None:
            by_sentence.setdefault(m.sentence, []).append(m)
    out = []
    for s in doc.sentences:
        ms = by_sentence.get(s.index, [])
        countries = {c for m in ms for c in m.countries}
        enough = (
            len(countries) >= 2
            or any(len(set(m.countries)) >= 2 for m in ms)
            or (single and len(countries) == 1)
        )
        if (enough and trigger.search(s.text)) or (
            len(countries) == 1 and (_REPEAT_RE.search(s.text) or answer.search(s.text))
        ):  # "Caracas did the same", "Tokyo condemned the move": the other side is before
            out.append((s, ms))
    return out


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"
#: a sentence that opens with a preposition and a date, then its subject with no comma
#: between them ("In April Tokyo expelled …", "On 10 March 2023 Saudi Arabia and Iran
#: agreed …"): the small parser reads the subject as part of the prepositional phrase
_FRONTED_DATE = re.compile(
    r"(?i:(?:early|late|later|earlier)\s+)?"
    r"(?i:in|on|by|since|after|before|during|until|from|through|throughout|over|within)\s+"
    r"(?:the\s+)?(?:(?i:early|late|mid)[- ])?"
    rf"(?:(?:{_ORD}\s+)?(?:{_MONTHS}|{_WEEKDAYS})(?:\s+{_ORD})?(?:,?\s+\d{{4}})?|\d{{4}}s?)"
    r"(?= [A-Z])"
)


def parse_input(nlp: Any, text: str) -> Any:
    """What to hand the parser for ``text``: the text itself, or, when it opens with a
    date phrase run straight into its subject, a tokenised doc with a comma in place of
    the space after the date ("In April, Tokyo expelled …"). The comma takes the space's
    place, so every character offset stays that of the text (mentions map onto tokens
    by offset); it changes the parse, not the evidence."""
    m = _FRONTED_DATE.match(text)
    if m is None:
        return text
    from spacy.tokens import Doc

    cut = m.end()
    tokens = nlp.make_doc(text)
    k = next((t.i for t in tokens if t.idx + len(t.text) == cut), None)
    if k is None or tokens[k].whitespace_ != " ":
        return text
    words = [t.text for t in tokens]
    spaces = [bool(t.whitespace_) for t in tokens]
    words.insert(k + 1, ",")
    spaces[k] = False
    spaces.insert(k + 1, False)
    return Doc(nlp.vocab, words=words, spaces=spaces)
