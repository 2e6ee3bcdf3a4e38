"""Relation assessments: statements about the state or direction of a relationship.

A relation noun ("relations", "ties", "partnership", "rapprochement", "dependence",
"estrangement" …) gives the dyad through its modifiers: a multi-state mention
("Sino-Russian relations"), a possessor plus a preposition ("Russia's dependence on
China"), or a ``between``/``of`` phrase with conjoined states ("relations between Moscow
and Tokyo", "the estrangement of Russia and the United States"). Polarity and trend come
from evaluative words (lexicon ``assessment_words``) in the clause that governs the noun
("drew closer", "plunged into stagnation", "the troubled state of …"), negation flips
the sign. The holder is the author unless the noun sits in a quotation or in the
complement of a speech verb, when it is the speaker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from entente.coding.context import ParsedSentence
from entente.coding.lexicon import lexicon
from entente.model import Assessment, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

_DYAD_PREPS = {"between", "of", "with", "on", "to", "toward", "towards", "among"}


def _dyad_mentions(ps: ParsedSentence, noun: Token) -> list[Mention]:
    out: list[Mention] = []

    def add(ms: list[Mention]) -> None:
        for m in ms:
            if m not in out:
                out.append(m)

    for c in noun.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod"):
            m = ps.mention_of(c)
            if m is not None:
                add([m])
        elif c.dep_ == "prep" and c.lower_ in _DYAD_PREPS:
            for p in c.children:
                if p.dep_ == "pobj":
                    add(ps.arg_mentions(p))
    # "the upbeat mood of Russo-Japanese relations": mentions inside the noun's own span
    for t in noun.lefts:
        m = ps.mention_of(t)
        if m is not None:
            add([m])
    if len({c for m in out for c in m.countries}) < 2 and noun.dep_ == "appos":
        # "Turkey, Azerbaijan's closest ally": the phrase the noun stands beside
        m = ps.mention_of(noun.head)
        if m is not None:
            add([m])
    if (
        len({c for m in out for c in m.countries}) < 2
        and noun.dep_ in ("dobj", "attr")
        and noun.head.lemma_ in _HOLDING_VERBS
    ):
        # "Iran and the United States had no diplomatic relations", "Russia maintains
        # close ties with China", "Ethiopia is a strategic partner of China": the
        # parties are the subject of the verb that holds the relation, and a "with"
        # phrase the parser hung on that verb. Only verbs that hold a relation: one that
        # acts on it ("severed ties with", "restored relations") is an event
        verb = noun.head
        for c in verb.children:
            if c.dep_ == "nsubj":
                add(ps.arg_mentions(c))
            elif c.dep_ == "prep" and c.lower_ == "with":
                for p in c.children:
                    if p.dep_ == "pobj":
                        add(ps.arg_mentions(p))
    return out


#: verbs whose subject is a party to the relation they hold ("X and Y have close ties")
_HOLDING_VERBS = frozenset({"have", "maintain", "enjoy", "share", "keep", "be", "remain", "value"})

_OTHER_CLAUSES = {"relcl", "advcl", "ccomp", "conj", "parataxis", "acl", "csubj", "mark", "cc"}
_VERB_COMPLEMENTS = {
    "acomp",
    "attr",
    "oprd",
    "prep",
    "dobj",
    "advmod",
    "xcomp",
    "npadvmod",
    "prt",
    "neg",
    "pobj",
    "auxpass",
    "aux",
}


def _subtree_within(tok: Token) -> list[Token]:
    """``tok`` and its dependents, without the clauses embedded in it."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in _OTHER_CLAUSES:
            out.extend(_subtree_within(c))
    return out


def _clause(noun: Token) -> list[Token]:
    """The tokens that evaluate the noun: its own phrase (without embedded clauses),
    each head phrase up to the clause's verb, and that verb's complements ("drew
    closer", "plunged into stagnation", "remain at their lowest ebb") — not other
    clauses of the sentence, which may speak of other relations."""
    out = _subtree_within(noun)
    t = noun
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT" or t.head.i == t.i:
            break
        t = t.head
        out.append(t)
        out.extend(
            x for c in t.children if c.dep_ in ("amod", "compound") for x in _subtree_within(c)
        )
    if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
        for c in t.children:
            if c.dep_ in _VERB_COMPLEMENTS:
                out.extend(_subtree_within(c))
            elif c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                out.append(c)  # "slid ... and stalled"
    seen: set[int] = set()
    return [x for x in out if not (x.i in seen or seen.add(x.i))]  # type: ignore[func-returns-value]


def code_assessments(ps: ParsedSentence) -> list[Assessment]:
    lex = lexicon()
    out: list[Assessment] = []
    seen: set[tuple[str, str]] = set()
    quoted = _quoted_ranges(ps.sentence.text)
    for tok in ps.tokens:
        if tok.lower_ not in lex.relation_nouns or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        dyad_ms = _dyad_mentions(ps, tok)
        countries: list[str] = []
        for m in dyad_ms:
            for c in m.countries:
                if c not in countries:
                    countries.append(c)
        if len(countries) == 1:
            # "relations with Moscow remain the foundation of our foreign policy": a
            # speaker who says "we" or "our" is the other party
            for m in ps.mentions:
                if m.rule == "first_person" and len(m.countries) == 1:
                    if m.countries[0] not in countries:
                        countries.append(m.countries[0])
                        dyad_ms.append(m)
                    break
        if len(countries) < 2:
            continue
        a, b = sorted(countries[:2])
        if (a, b) in seen:
            continue
        dets = {c.lower_ for c in tok.children if c.dep_ == "det"}
        if "any" in dets:
            continue  # "limits any possible rapprochement": not an assertion about the tie
        clause = _clause(tok)
        score = 0
        trend = None
        words = []
        for t in clause:
            for key in (t.lower_, t.lemma_):
                if key in lex.assessment:
                    pol, tr = lex.assessment[key]
                    score += pol
                    trend = trend or tr
                    words.append(t.text)
                    break
        if not words and "no" in dets and tok.lower_ in ("relations", "ties"):
            # "had no diplomatic relations": the absence of ties is itself the reading
            score, words = -1, ["no"]
            dets = dets - {"no"}
        if not words:
            continue
        negated = any(t.dep_ == "neg" and not _never_so(t, clause) for t in clause)
        negated = negated or "no" in dets
        polarity = (score > 0) - (score < 0)
        if negated:
            polarity = -polarity
            trend = {"improving": "deteriorating", "deteriorating": "improving"}.get(
                trend or "", trend
            )
        holder = "author"
        rule = "relation_noun"
        if any(s <= tok.idx < e for s, e in quoted):
            holder, rule = _speaker(ps) or "quoted", "relation_noun+quoted"
        elif _under_speech(tok):
            holder, rule = _speaker(ps, tok) or "reported", "relation_noun+reported"
        anchor = ps.anchor()
        period = None
        if anchor and anchor.value and anchor.source not in ("document", "document-guessed"):
            period = anchor.value if not anchor.end_value else f"{anchor.value}/{anchor.end_value}"
        seen.add((a, b))
        conf = 0.7 * min(m.confidence for m in dyad_ms)
        out.append(
            Assessment(
                dyad=(a, b),
                polarity=polarity,
                evidence=ps.evidence(),
                trend=trend,
                period=period,
                holder=holder,
                confidence=round(conf, 3),
                rule=f"{rule}:{tok.lower_}:{'+'.join(words)}",
            )
        )
    return out


def _never_so(neg: Token, clause: list[Token]) -> bool:
    """ "never been better", "had never been so strained": "never" with a comparative
    or a degree word says the relation is at an extreme, not that it is not so."""
    return neg.lower_ == "never" and any(
        t.tag_ in ("JJR", "RBR") or t.lower_ in ("so", "this", "that", "as") for t in clause
    )


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"", text)]


def _under_speech(tok: Token) -> bool:
    lex = lexicon()
    t = tok
    for _ in range(8):
        if t.dep_ == "ccomp" and t.head.lemma_ in lex.speech:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _speaker(ps: ParsedSentence, tok: Token | None = None) -> str | None:
    lex = lexicon()
    for t in ps.tokens:
        if t.lemma_ in lex.speech and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    ms = ps.arg_mentions(c)
                    if ms:
                        return ms[0].text
                    return " ".join(x.text for x in c.subtree)
    del tok
    return None
