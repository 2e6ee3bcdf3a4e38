"""Events from the dependency parse: who did what to whom (PLOVER types).

Constructions handled (each event records the ``rule`` that produced it):

- ``verb_active``: subject → source, object or prepositional object → target
  ("Japan imposed sanctions on Russia"); conjoined subjects give several sources.
- ``verb_passive``: passive subject → target, ``by``-agent → source ("sanctions were
  imposed on Russia by Japan"), also where the parser hangs the ``by`` phrase on the
  noun of the verb's own prepositional object ("bans were imposed on dozens of Russian
  officials by the United States").
- ``xcomp``: "agreed to sell", "plans to visit", "refused to meet": the embedded verb
  takes the matrix subject; planning verbs make it ``planned``; a matrix verb that is
  itself an event type (refuse → REJECT) is coded instead of the embedded one.
- ``nominal``: nominalisations with possessives, adjectives and prepositions
  ("Japan's imposition of sanctions on Russia", "Putin's visit to Japan", "Russian aerial
  overflights and probes of Japan's defenses", "Russo-Chinese naval maneuvers").
- ``joint``: a subject or modifier naming two or more states with no third-party target
  ("Moscow and Tokyo postponed…", "Sino-Russian exercises") → one partner as source,
  the other as target; with a third party, all partners as sources.
- ``reported``: an event in the complement of a speech verb ("X stated that Y…") is
  ``reported``; ``speech_evaluation``: a state's statement about another state in a
  sentence whose words are hostile (insult, contempt, illegal…) is an ACCUSE, friendly
  words make it a SUPPORT.
- negation: ``not``/``never`` on the verb (or on the matrix verb) sets ``negated``;
  negated AGREE/CONCEDE/SUPPORT become REJECT (``negated_to_reject``); other negated
  events keep their type with modality ``denied`` and intensity 0.
- modality: ``hypothetical`` with could/might/may/would/should, ``planned`` under
  planning verbs, ``reported`` under speech verbs, ``asserted`` otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from entente.coding.context import (
    GRATEFUL,
    PLACE_NOUNS,
    PLACE_PREPS,
    ParsedSentence,
    conjuncts,
    located,
)
from entente.coding.lexicon import (
    NOMINAL_VERBS,
    ObjectRule,
    lexicon,
    nominal_entry,
    noun_entry,
    object_words,
)
from entente.coding.ontology import intensity, quad
from entente.model import Event, Mention, Modality

#: meetings and cooperative acts, whose place is often named beside their parties
_VENUE_TYPES = frozenset({"CONSULT", "SUPPORT", "AGREE", "COOPERATE", "AID", "CONCEDE", "RETREAT"})

if TYPE_CHECKING:
    from spacy.tokens import Token

#: headlines: at most this long, and the words and marks that end a clause in them
HEADLINE_TOKENS = 30
HEADLINE_BREAKS = frozenset({";", ":", "—", "–", "|"})
HEADLINE_CLAUSES = frozenset(
    {"as", "after", "amid", "while", "despite", "following", "over", "ahead"}
)
#: material conflict a promise can announce: "vowed to retaliate" is a threat
HOSTILE_ACTS = frozenset({"SANCTION", "ASSAULT", "COERCE", "MOBILIZE"})
TARGET_PREPS = {
    "to", "with", "on", "against", "into", "toward", "towards", "at", "upon", "near", "between",
    "for", "from", "in", "inside", "across", "along", "off", "around",
}  # fmt: skip
HOSTILE = {
    "insult", "insults", "vituperation", "contempt", "scorn", "disdain", "ridicule", "mock",
    "intolerable", "illegal", "provocateur", "provocation", "suicide", "hardline", "furious",
    "infuriated", "aggression", "unacceptable", "hostile", "crudely", "denunciation",
    "threat", "blame", "arrogant", "absurd", "lies", "slander",
}  # fmt: skip
FRIENDLY = {
    "friend",
    "friends",
    "trust",
    "praise",
    "welcome",
    "partner",
    "brotherly",
    "friendship",
    "gratitude",
    "thank",
}


#: relative pronouns that stand for the noun a relative clause hangs on
_RELATIVE = frozenset({"who", "which", "that"})


def _subjects(verb: Token) -> tuple[list[Token], bool]:
    """Subject tokens and whether the clause is passive (inherited through xcomp/conj)."""
    tok: Token | None = verb
    for _ in range(6):
        if tok is None:
            break
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        passive = any(c.dep_ == "nsubjpass" for c in subj)
        if subj and tok.dep_ == "relcl" and all(c.lower_ in _RELATIVE for c in subj):
            return [tok.head], passive  # "Maehara, who arrived in Moscow": the antecedent
        if subj:
            return subj, passive
        if tok.dep_ in ("pcomp", "prep") and tok.head.i != tok.i:
            tok = tok.head
            continue
        if tok.dep_ in ("dobj", "pobj") and tok.pos_ in ("NOUN", "PROPN") and tok.head.i != tok.i:
            tok = tok.head  # "had no choice but to impose": up through the object
            continue
        if tok.dep_ in ("xcomp", "conj", "advcl", "acl", "relcl", "acomp") and tok.head.i != tok.i:
            if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN"):
                if tok.dep_ == "relcl":
                    return [tok.head], False
                # "an agreement denouncing X": the agreement's makers are the subject
                tok = tok.head.head if tok.head.dep_ in ("dobj", "pobj", "nsubj") else None
                continue
            tok = tok.head
        else:
            break
    return [], False


def _agent(verb: Token) -> list[Token]:
    """The ``by``-agent of a passive verb. The parser often hangs it on the noun of the
    verb's own prepositional phrase ("bans were imposed on dozens of Russian officials
    by the United States": "by" under "dozens"); a passive verb without an agent of its
    own takes a "by" phrase that hangs on a noun inside its prepositional object."""
    own = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if own or not any(c.dep_ == "auxpass" for c in verb.children):
        return own
    return [
        p
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ != "by"
        for t in c.subtree
        if t.lower_ == "by" and t.dep_ in ("prep", "agent") and t.head.pos_ in ("NOUN", "PROPN")
        for p in t.children
        if p.dep_ == "pobj"
    ]


#: verbs that deny what a that-clause says ("denied that its troops had crossed")
_DENIAL_VERBS = frozenset({"deny", "refute", "dispute", "reject", "dismiss"})
#: words that stand for part of the noun after their "of" ("most of its embassies")
_PARTITIVES = frozenset(
    {"one", "all", "most", "some", "many", "several", "half", "part", "each", "both",
     "none", "any", "much", "majority", "rest", "remainder", "bulk", "dozens", "hundreds"}
)  # fmt: skip


def _own_objects(verb: Token) -> list[Token]:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative", "attr", "oprd")]
    preps = [
        p
        for c in verb.children
        if c.dep_ in ("prep", "dative") and c.lower_ in TARGET_PREPS
        for p in c.children
        if p.dep_ == "pobj"
    ]
    # active verb with an object: a "by" phrase belongs to the object ("denouncing any
    # effort by Japan", which the parser often attaches to the verb)
    if objs and not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        preps += [
            p
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ == "by"
            for p in c.children
            if p.dep_ == "pobj"
        ]
    # "closed seven of its eight crossings with Serbia", "all but one of its crossings":
    # a number or quantifier stands for the noun after its "of"
    heads = list(objs)
    for _ in range(2):
        heads += [
            p
            for o in heads
            if o.pos_ == "NUM" or o.lower_ in _PARTITIVES
            for c in o.children
            if c.dep_ == "prep" and c.lower_ in ("of", "but")
            for p in c.children
            if p.dep_ == "pobj" and p not in heads
        ]
    # "sanctions on Russia", "an effort by Japan": the object's own prepositional target
    for o in heads:
        for c in o.children:
            if c.dep_ == "prep" and (c.lower_ in TARGET_PREPS or c.lower_ == "by"):
                preps += [p for p in c.children if p.dep_ == "pobj"]
    # "pulled out of the Kyiv region", "moved away from the border"
    preps += [
        p
        for c in verb.children
        if c.dep_ in ("prep", "advmod", "prt") and c.lower_ in ("out", "away", "back", "off")
        for g in c.children
        if g.dep_ == "prep" and g.lower_ in ("of", "from")
        for p in g.children
        if p.dep_ == "pobj"
    ]
    # "voted against the draft prepared by France", "rejected a plan put forward by
    # Japan": the author of the thing acted on
    preps += [
        g
        for o in [*heads, *preps]
        for c in o.children
        if c.dep_ == "acl" and c.tag_ == "VBN"
        for a in c.children
        if a.dep_ == "agent"
        for g in a.children
        if g.dep_ == "pobj" and g not in preps
    ]
    # "withdrew from talks on a peace treaty with Japan", "applied for membership of the
    # EU": an event or relationship noun passes its partner on (two steps at most)
    lex = lexicon()
    frontier = list(preps)
    for _ in range(2):
        found = [
            g
            for p in frontier
            if p.pos_ == "NOUN"
            and (p.lower_ in lex.exit_objects or noun_entry(lex, p.lower_, p.lemma_) is not None)
            for c in p.children
            if c.dep_ == "prep" and (c.lower_ in TARGET_PREPS or c.lower_ == "of")
            for g in c.children
            if g.dep_ == "pobj" and g not in preps
        ]
        preps += found
        frontier = found
    return preps + objs


def _objects(verb: Token) -> list[Token]:
    """Objects of the verb; coordinated verbs share them ("impose and retain sanctions")."""
    own = _own_objects(verb)
    if own:
        return own
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ == "VERB":
            own = _own_objects(c)
            if own:
                return own
    if verb.dep_ == "conj":
        return _own_objects(verb.head)
    return []


def _negated(tok: Token) -> bool:
    lex = lexicon()
    t: Token | None = tok
    for _ in range(3):
        if t is None:
            return False
        if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in t.children):
            return True
        if t.dep_ in ("xcomp",):
            t = t.head
        else:
            break
    del lex
    return False


def _modality(tok: Token) -> Modality:
    lex = lexicon()
    t: Token | None = tok
    for _ in range(4):
        if t is None:
            break
        if any(c.dep_ == "aux" and c.lower_ in lex.hypothetical for c in t.children):
            if any(c.dep_ == "aux" and c.lower_ == "would" for c in t.children) and (
                t.dep_ == "ccomp" and t.head.lemma_ in lex.speech | lex.statement_verbs
            ):
                return "planned"  # "said it would send aid": a reported commitment
            return "hypothetical"
        if t.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in t.children
        ):
            return "hypothetical"
        if (
            t.dep_ == "xcomp"
            and t.head.lemma_ in lex.planned
            and t.head.lemma_ not in ("begin", "start", "continue")
        ):
            return "planned"
        if t.dep_ in ("xcomp", "acl", "advcl") and (
            t.head.lemma_.lower() in lex.planned_heads
            or (
                t.head.lemma_ == "be"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
            )
        ):
            return "planned"  # "ready to hold talks", "is to visit", "an invitation to visit"
        if any(c.dep_ == "aux" and c.lower_ in ("will", "shall") for c in t.children):
            return "planned"  # "X will visit Y, the ministry said": still a commitment
        if t.dep_ == "ccomp" and t.head.lemma_ in lex.speech:
            return "reported"
        if t.dep_ in ("xcomp", "conj", "ccomp", "advcl"):
            t = t.head
        else:
            break
    return "asserted"


#: the verbs of :meth:`EventCoder._state_act`'s fixed phrases
_PHRASE_VERBS = frozenset(
    {"take", "place", "put", "seal", "surround", "cordon", "besiege", "encircle", "leave",
     "exit", "vacate", "quit", "order", "tell", "instruct", "give"}
)  # fmt: skip
#: determiners of an act told before ("the move", "this decision")
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "such"})
#: "did the same / likewise / so (again)", "followed suit", "reciprocated", "in kind"
_REPEAT_OBJECTS = frozenset({"same", "likewise", "so"})


def _repeat_phrase(tok: Token) -> bool:
    """Whether ``tok`` is the verb of a phrase that repeats the act just told."""
    lemma = tok.lemma_.lower()
    kids = list(tok.children)
    if lemma == "do":
        return any(c.lower_ in _REPEAT_OBJECTS and c.dep_ in ("dobj", "advmod", "attr")
                   for c in kids)  # fmt: skip
    if lemma == "follow":
        return any(c.lower_ == "suit" and c.dep_ in ("dobj", "npadvmod") for c in kids)
    if lemma == "reciprocate":
        return True
    if lemma in ("respond", "reply", "retaliate", "answer", "react"):
        return any(
            c.dep_ == "prep" and c.lower_ == "in" and any(g.lower_ == "kind" for g in c.children)
            for c in kids
        )
    return False


def _countries(ms: list[Mention]) -> list[str]:
    out: list[str] = []
    for m in ms:
        for c in m.countries:
            if c not in out:
                out.append(c)
    return out


#: verbs that carry out an act named by their object, beside the lexicon's light verbs
#: ("complete the disengagement", "implement the withdrawal")
_PROMISE_LIGHT = frozenset({"complete", "start", "finish", "implement", "undertake", "effect"})


class EventCoder:
    """The rule coder of one parsed sentence. ``previous``: the events and acts coded in
    the sentences just before it (nearest last), the antecedents of "did the same" and
    "condemned the move"."""

    def __init__(self, ps: ParsedSentence, previous: list[Event] | None = None) -> None:
        self.ps = ps
        self.lex = lexicon()
        self.events: list[Event] = []
        self.previous = previous or []
        #: acts with an actor and no recipient (never output): antecedents for later
        #: sentences ("China declared a zone … Tokyo condemned the move")
        self.acts: list[Event] = []
        self._seen: set[tuple[int, str, tuple[str, ...], tuple[str, ...]]] = set()

    def run(self) -> list[Event]:
        for tok in self.ps.tokens:
            if tok.pos_ in ("VERB",) or (
                tok.pos_ == "AUX" and tok.dep_ == "ROOT" and tok.lemma_ != "be"
            ):
                self._verb(tok)
            elif tok.pos_ in ("NOUN", "PROPN"):
                entry = self._noun_entry(tok)
                if entry is not None:
                    self._noun(tok, entry)
            elif tok.pos_ == "ADJ" and tok.lower_ in GRATEFUL and tok.dep_ in ("acomp", "amod"):
                self._gratitude(tok)
        self._speech()
        if self._is_headline():
            self._headline()
        return self._dedupe()

    # -- headlines ------------------------------------------------------------------
    def _is_headline(self) -> bool:
        """A title or heading, or a short line with no final stop and no verb at its root
        ("South Korea halts trade with North", which the parser reads as a noun phrase)."""
        sent = self.ps.sentence
        paras = self.ps.doc.paragraphs
        if 0 <= sent.paragraph < len(paras) and paras[sent.paragraph].kind in ("title", "heading"):
            return True
        toks = self.ps.tokens
        if not len(toks) or len(toks) > HEADLINE_TOKENS or toks[-1].text in (".", "?", "!"):
            return False
        return not any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in toks)

    def _headline_entry(self, tok: Token) -> tuple[str, str | None] | None:
        """The lexicon entry of a word the parser took for a noun in a headline ("halts",
        "sign", "pulls … back"): its base form by the usual -s/-es/-ies endings."""
        if tok.pos_ == "VERB" or not tok.is_alpha or not tok.is_lower:
            return None
        w = tok.lower_
        forms = [w, w[:-1] if w.endswith("s") else "", w[:-2] if w.endswith("es") else ""]
        forms.append(w[:-3] + "y" if w.endswith("ies") else "")
        nxt = [t.lower_ for t in self.ps.tokens[tok.i + 1 : tok.i + 4]]
        for base in (f for f in forms if f):
            for prt in nxt:
                if f"{base} {prt}" in self.lex.phrasal:
                    return self.lex.phrasal[f"{base} {prt}"]
            rules = self.lex.object_rules.get(base)
            if rules is not None:
                objs = [t for t in self.ps.tokens[tok.i + 1 : tok.i + 4] if t.pos_ == "NOUN"]
                hit = self._object_rule(tok, objs, rules)
                if hit is not None:
                    return None if hit[1] is None else (hit[1], hit[2])
            if base in self.lex.verbs:
                return self.lex.verbs[base]
        return None

    def _headline(self) -> None:
        """Headline grammar, "SUBJECT verbs OBJECT": the states named before the verb
        act on those named after it, up to the next clause ("as", "after", ";"); a
        second verb after a comma shares the first one's subject ("China sanctions
        Pelosi, halts cooperation with US")."""
        toks = self.ps.tokens
        entries = [self._headline_entry(t) for t in toks]
        clause_start = 0
        subject: list[Mention] | None = None
        last_verb = -2
        for tok in toks:
            if tok.text in HEADLINE_BREAKS or tok.lower_ in HEADLINE_CLAUSES:
                clause_start, subject = tok.i + 1, None
                continue
            entry = entries[tok.i]
            if entry is None or tok.i == last_verb + 1:
                continue  # "halts trade": the word after the verb is its object
            last_verb = tok.i
            before = self._headline_mentions(clause_start, tok.i)
            if before and subject is None:
                subject = before
            elif not before and subject is not None and toks[tok.i - 1].text == ",":
                before = subject
            if not before:
                continue
            end = next(
                (
                    t.i
                    for t in toks[tok.i + 1 :]
                    if t.text in HEADLINE_BREAKS
                    or t.lower_ in HEADLINE_CLAUSES
                    or (t.i > tok.i + 1 and entries[t.i] is not None)
                ),
                len(toks),
            )
            after = [m for m in self._headline_mentions(tok.i + 1, end) if m not in before]
            self._emit(tok, entry[0], entry[1], list(before), after, "headline")

    def _headline_mentions(self, start: int, end: int) -> list[Mention]:
        """Mentions whose tokens lie in [start, end), but not "Moscow" in "Moscow-brokered"."""
        out: list[Mention] = []
        for i in range(start, end):
            m = self.ps.token_mention.get(i)
            if m is None or m in out:
                continue
            last = max(self.ps.tokens_of(m))
            if last + 1 < len(self.ps.tokens) and self.ps.tokens[last + 1].text == "-":
                continue
            out.append(m)
        return out

    def _dedupe(self) -> list[Event]:
        """One event per type and pair of state sets in a sentence: "agreed to hold
        talks" is one AGREE, not an AGREE and a planned meeting."""
        out: list[Event] = []
        seen: dict[tuple[str, frozenset[str], frozenset[str]], int] = {}
        for ev in self.events:
            key = (ev.type, frozenset(ev.source_states), frozenset(ev.target_states))
            if key in seen:
                if ev.confidence > out[seen[key]].confidence:
                    out[seen[key]] = ev
                continue
            seen[key] = len(out)
            out.append(ev)
        return out

    def _noun_entry(self, tok: Token) -> tuple[str, str | None] | None:
        """A nominal trigger by surface form or lemma ("meetings" → meeting), retyped by
        an action noun's object ("a halt to air raids")."""
        entry = nominal_entry(self.lex, tok)
        if entry is None:
            return None
        if tok.lemma_.lower() == "call" and any(
            c.dep_ == "prep" and c.lower_ in ("for", "on") for c in tok.children
        ):
            return ("REQUEST", None)  # "calls for restraint", not a phone call
        return entry

    def _governor(self, tok: Token) -> Token | None:
        """The verb that governs an event noun, through prepositions and quantity nouns:
        "slapped sanctions on", "sat down for talks with", "held a round of talks",
        "Following talks with X, Y …"."""
        t = tok
        for _ in range(5):
            if t.dep_ == "conj":
                t = t.head
                continue
            head = t.head
            if head.i == t.i:
                return None
            if t.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative", "npadvmod"):
                return head if head.pos_ in ("VERB", "AUX") else None
            if t.dep_ == "pobj" and head.dep_ == "prep":
                h = head.head
                if h.pos_ in ("VERB", "AUX"):
                    return h
                if h.pos_ == "NOUN" and h.lemma_.lower() in self.lex.quantity_nouns:
                    t = h
                    continue
                return None
            if t.dep_ == "pcomp" or (t.dep_ == "prep" and head.pos_ in ("VERB", "AUX")):
                t = head
                continue
            return None
        return None

    # -- verbs -------------------------------------------------------------------
    def _put_on(
        self, tok: Token, words: tuple[str, ...], lemmas: tuple[str, ...], on_object: bool
    ) -> bool:
        """ "put the talks on hold", "put the crew on trial": ``tok`` (a lemma of
        ``lemmas``) with "on" and one of ``words``, on the verb or, with ``on_object``,
        on its object (where the parser may hang it)."""
        if tok.lemma_ not in lemmas:
            return False  # most verbs: no walk over the children
        heads = (tok, *(x for x in tok.children if x.dep_ == "dobj")) if on_object else (tok,)
        return any(
            c.dep_ == "prep" and c.lower_ == "on" and p.dep_ == "pobj" and p.lower_ in words
            for o in heads
            for c in o.children
            for p in c.children
        )

    def _on_hold(self, tok: Token) -> bool:
        """ "put the talks on hold", "placed the council on ice": a suspension."""
        return self._put_on(tok, ("hold", "ice"), ("put", "place"), on_object=False)

    def _on_trial(self, tok: Token) -> bool:
        return self._put_on(tok, ("trial",), ("put",), on_object=True)

    def _entry(self, tok: Token) -> tuple[str, str | None] | None:
        if self._on_hold(tok):
            return self.lex.verbs.get("suspend")
        if self._on_trial(tok):
            return ("COERCE", None)  # "would put 62 Chinese fishermen on trial"
        prt = [
            c.lower_
            for c in tok.children
            if c.dep_ == "prt"
            or (c.dep_ == "advmod" and c.lower_ in ("back", "out", "down", "off", "home"))
        ]
        for p in prt:
            key = f"{tok.lemma_} {p}"
            if key in self.lex.phrasal:
                return self.lex.phrasal[key]
        # a phrase part follows its verb: "In Washington, X called on Y" is no "call in"
        preps = [
            c.lower_
            for c in tok.children
            if c.dep_ in ("prep", "acomp", "oprd", "ccomp", "xcomp") and c.i > tok.i
        ]
        preps += [
            g.lower_
            for c in tok.children
            if c.dep_ in ("dobj", "ccomp")
            for g in c.children
            if g.dep_ in ("amod", "acomp")
        ]
        for p in preps:
            key = f"{tok.lemma_} {p}"
            if key in self.lex.phrasal:
                return self.lex.phrasal[key]
        entry = self.lex.verbs.get(tok.lemma_)
        if entry is None and any(
            c.dep_ == "prep" and c.lower_ == "in" and p.dep_ == "pobj" and p.lemma_ == "protest"
            for c in tok.children
            for p in c.children
        ):
            return ("PROTEST", None)  # "gathered outside the embassy in protest"
        return entry

    def _promised(self, tok: Token) -> tuple[str, str | None] | None:
        """What a commitment verb's complement promises: the complement's own entry, or
        for a light verb the event noun it takes ("agreed to complete the
        disengagement of troops", "pledged to begin the withdrawal")."""
        entry = self._typed_entry(tok)
        light = tok.lemma_ in _PROMISE_LIGHT or tok.lemma_ in self.lex.light_verbs
        if entry is not None or not light:
            return entry
        for c in tok.children:
            if c.dep_ == "dobj" and c.pos_ == "NOUN":
                own = self._noun_entry(c)
                if own is not None:
                    return own
        return None

    def _typed_entry(self, tok: Token) -> tuple[str, str | None] | None:
        """The verb's lexicon entry, retyped by its objects: deployed troops, fired
        missiles, and the verb's object rules ("withdrew its ambassador", "halted the
        offensive"); None when the verb codes no event here."""
        entry = self._entry(tok)
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        heads = objs + [
            p
            for o in objs
            for c in o.children
            if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children
            if p.dep_ == "pobj"
        ]
        if tok.lemma_ in self.lex.deploy_verbs and any(
            o.lemma_ in self.lex.military_objects or o.lower_ in self.lex.military_objects
            for o in heads
        ):
            entry = ("MOBILIZE", None)  # "moved thousands of troops to the frontier"
        special = self.lex.object_verbs.get(tok.lemma_)
        if special is not None and (
            not special[0]
            or any(
                h.lower_ in special[0] or h.lemma_.lower() in special[0]
                for h in [
                    *heads,
                    *(g for h in heads for g in h.children if g.dep_ in ("amod", "compound")),
                ]
            )
        ):
            entry = (special[1], None)  # "fired missiles", "entered Japanese waters"
        if tok.lemma_ in self.lex.instrument_verbs:
            entry = self._instrument(tok) or entry
        rules = self.lex.object_rules.get("suspend" if self._on_hold(tok) else tok.lemma_)
        if rules is not None and not self._on_trial(tok):
            patients = [c for c in tok.children if c.dep_ == "nsubjpass"]
            # "agreed to a ceasefire", "agreed on a truce", "withdrew from the treaty":
            # the prepositional object
            patients += [
                p
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ in ("to", "on", "from")
                for p in c.children
                if p.dep_ == "pobj"
            ]
            hit = self._object_rule(tok, heads + patients, rules)
            if hit is not None:  # "withdrew its ambassador", "exchanged prisoners"
                entry = None if hit[1] is None else (hit[1], hit[2])
        if self._expel_frame(tok, heads):
            entry = ("SANCTION", "expel")
        return entry

    def _expel_frame(self, tok: Token, heads: list[Token]) -> bool:
        """ "asked the ambassador to leave the country", "told the station chief to
        leave", "gave the diplomats 48 hours to leave": an expulsion, not a request."""
        if tok.lemma_ not in self.lex.expel_frame_verbs:
            return False
        leaves = [
            c for c in tok.children
            if c.dep_ in ("xcomp", "ccomp", "advcl") and c.lemma_ in self.lex.leave_verbs
        ]  # fmt: skip
        if not leaves:
            return False
        people = list(heads)
        people += [c for c in tok.children if c.dep_ in ("dative", "nsubj") and c.i > tok.i]
        people += [c for x in leaves for c in x.children if c.dep_ == "nsubj"]
        words = {w for h in people for w in (h.lower_, h.lemma_.lower())}
        words |= {
            w for h in people for g in h.children if g.dep_ in ("compound", "amod")
            for w in (g.lower_, g.lemma_.lower())
        }  # fmt: skip
        words |= {
            w for h in people for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children if p.dep_ == "pobj" for w in (p.lower_, p.lemma_.lower())
        }  # fmt: skip
        return bool(words & self.lex.diplomat_nouns)

    def _instrument(self, verb: Token) -> tuple[str, str | None] | None:
        """The type a verb takes from what it hits with: weapons ("a barrage of
        missiles") are ASSAULT, a hostile act noun gives its own type ("with sanctions")."""
        for c in verb.children:
            if c.dep_ != "prep" or c.lower_ != "with":
                continue
            objs = [p for p in c.children if p.dep_ == "pobj"]
            objs += [g for p in objs for x in p.children if x.dep_ == "prep" and x.lower_ == "of"
                     for g in x.children if g.dep_ == "pobj"]  # fmt: skip
            for p in objs:
                if p.lemma_ in self.lex.military_objects or p.lower_ in self.lex.military_objects:
                    return ("ASSAULT", None)
                entry = self._noun_entry(p)
                if entry is not None and entry[0] in HOSTILE_ACTS:
                    return entry
        return None

    def _response_noun(self, verb: Token) -> Token | None:
        """The event noun a response verb frames ("responded with sanctions", "hit back
        with tariffs", "followed up with export controls"), if any."""
        lemma = verb.lemma_
        if lemma in self.lex.elicit_verbs:
            return next((c for c in verb.children if c.dep_ == "dobj" and self._sent_from(c)), None)
        if lemma not in self.lex.response_verbs:
            return None
        if lemma in ("hit", "strike", "follow") and not any(
            c.dep_ == "prt" and c.lower_ in ("back", "up") for c in verb.children
        ):
            return None
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                for p in c.children:
                    if p.dep_ == "pobj" and self._noun_entry(p) is not None:
                        return p
        return None

    def _sent_from(self, noun: Token) -> list[Mention]:
        """The states an event noun is sent "from" ("a protest from Tokyo")."""
        if self._noun_entry(noun) is None:
            return []
        # the parser hangs "from" on the noun or on its verb ("received aid from Japan")
        owners = [noun, noun.head] if noun.dep_ == "dobj" else [noun]
        return [
            m
            for o in owners
            for c in o.children
            if c.dep_ == "prep" and c.lower_ == "from"
            for p in c.children
            if p.dep_ == "pobj"
            for m in self.ps.arg_mentions(p)
        ]

    def _verb(self, tok: Token) -> None:
        if self._response_noun(tok) is not None:
            return  # "retaliated with a ban on fish imports": the ban is the event
        if self._repeat(tok) or self._naming(tok) or self._state_act(tok):
            return
        entry = self._typed_entry(tok)
        if tok.lemma_ in self.lex.persona_verbs and any(t.lower_ == "grata" for t in tok.subtree):
            # "declared the ambassador persona non grata": an expulsion of the envoy's state
            subj_p, _ = _subjects(tok)
            src_p = [m for x in subj_p for m in self.ps.arg_mentions(x)]
            tgt_p = [
                m
                for c in tok.children
                if c.dep_ in ("dobj", "ccomp", "oprd", "xcomp")
                for t in c.subtree
                for m in [self.ps.mention_of(t)]
                if m is not None and m not in src_p
            ]
            tgt_u = [m for i, m in enumerate(tgt_p) if all(m is not x for x in tgt_p[:i])]
            self._emit(tok, "SANCTION", "expel", src_p, tgt_u, "persona_non_grata")
            return
        if (
            tok.dep_ == "pcomp"
            and tok.head.lower_ == "from"
            and tok.head.head.lemma_ in self.lex.prevent_verbs
        ):
            return  # "barred lorries from entering": the barring is the event
        subj0, _ = _subjects(tok)
        if any(s.lower_ in self.lex.protester_nouns for s in subj0):
            entry = ("PROTEST", None)  # "protesters burned Chinese flags"
        if entry is None:
            return
        etype, mode = entry
        if tok.lemma_ == "warn" and any(c.dep_ == "xcomp" for c in tok.children):
            etype, mode = "REQUEST", None  # "warned Seoul not to …": no harm stated
        # "pledged to withdraw", "agreed to halt the fighting": the promised act's type,
        # read for commitment verbs only
        inner = (
            {e[0] for c in tok.children if c.dep_ == "xcomp" for e in [self._promised(c)] if e}
            if tok.lemma_ in self.lex.commitment_verbs
            else set()
        )
        if inner:
            if inner & HOSTILE_ACTS:
                if tok.lemma_ in self.lex.planned:
                    return  # "agreed to impose sanctions": the embedded act is the event
                etype, mode = "THREATEN", None  # "vowed to retaliate", "pledged to strike"
            elif inner & {"RETREAT", "CONCEDE"}:
                if tok.lemma_ in self.lex.planned:
                    return  # "agreed to withdraw": a promised retreat, coded as CONCEDE below
                etype, mode = "CONCEDE", None  # PLOVER: a promised retreat is CONCEDE
        elif tok.lemma_ in ("welcome", "invite") and "CONSULT" in {
            e[0]
            for c in tok.children
            if c.dep_ in ("xcomp", "advcl")
            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for e in [self._entry(c)]
            if e
        }:
            etype, mode = "AGREE", None  # "welcomed the minister to visit": an invitation
        if etype == "RETREAT" and any(
            p.lower_ in self.lex.exit_objects or p.lemma_.lower() in self.lex.exit_objects
            for c in tok.children
            if (c.dep_ in ("prep", "dobj") and c.lower_ in ("from", "of")) or c.dep_ == "dobj"
            for p in ([c] if c.dep_ == "dobj" else [x for x in c.children if x.dep_ == "pobj"])
        ):
            etype, mode = "SANCTION", "withdraw"  # "withdrew from the treaty"
        # an embedded verb under refuse/threaten/accuse… is coded by its matrix verb
        if (
            tok.dep_ == "xcomp"
            and tok.head.lemma_ in self.lex.verbs
            and tok.head.lemma_ not in self.lex.planned
        ):
            return
        subj, passive = _subjects(tok)
        if etype == "PROTEST" and any(x.lower_ in self.lex.protester_nouns for x in subj):
            # "Protesters in several Indian cities": the place names the protesters' state
            subj_ms: list[Mention] = []
            for x in subj:
                for t in x.subtree:
                    m = self.ps.mention_of(t)
                    if m is not None and m not in subj_ms:
                        subj_ms.append(m)
            # "crowds besieged the French embassy in Niamey": the city is where the
            # protesters are (their state), never the target
            places = [m for m in self._venue_places(tok) if m not in subj_ms]
            if not subj_ms:
                subj_ms = places
            targets = [
                m
                for o in _objects(tok)
                for m in self.ps.arg_mentions(o)
                if m not in subj_ms and m not in places
            ]
            self._emit(tok, etype, mode, subj_ms, targets, "protesters")
            return
        if etype == "PROTEST" and not passive:
            # "rallied outside the Cambodian embassy": the premises' state is the target
            premises = self._premises(tok)
            if premises:
                sources = [m for x in subj for m in self.ps.arg_mentions(x)]
                self._emit(tok, etype, mode, [m for m in sources if m not in premises],
                           premises, "protest_premises")  # fmt: skip
                return
        if passive:
            sources = [m for a in _agent(tok) for m in self.ps.arg_mentions(a)]
            targets = [m for s in subj for m in self.ps.arg_mentions(s)]
            rule = "verb_passive"
            if not sources and etype in ("SANCTION", "COERCE", "REJECT", "ACCUSE"):
                # "Russian diplomats were expelled from Japan": "from" names the actor
                sources = [
                    m
                    for c in tok.children
                    if c.dep_ == "prep" and c.lower_ == "from"
                    for p in c.children
                    if p.dep_ == "pobj"
                    for m in self.ps.arg_mentions(p)
                    if m not in targets
                ]
                rule = "verb_passive+from" if sources else rule
            else:
                targets += [
                    m for o in _objects(tok) for m in self.ps.arg_mentions(o) if m not in targets
                ]
        else:
            sources = [m for s in subj for m in self.ps.arg_mentions(s)]
            targets = [m for o in _objects(tok) for m in self.ps.arg_mentions(o)]
            rule = "xcomp" if tok.dep_ == "xcomp" else "verb_active"
            controller = self._object_controller(tok)
            if controller:
                # "forced Seoul to withdraw", "called on Tokyo to lift": the object acts
                sources = controller
                targets = [m for m in targets if m not in controller]
                rule = "object_control"
        if not targets:
            # "refused to sign with Kosovo", "warned that South Korea would…": the
            # embedded clause names the other side
            for c in tok.children:
                if c.dep_ == "xcomp":
                    targets += [
                        m for o in _objects(c) for m in self.ps.arg_mentions(o) if m not in targets
                    ]
                if c.dep_ in ("ccomp", "xcomp") and tok.lemma_ in self.lex.statement_verbs:
                    for t in c.subtree:
                        m = self.ps.mention_of(t)
                        if m is not None and m not in targets and m not in sources:
                            targets.append(m)
        own = set(_countries(sources))
        others = [m for m in targets if not set(m.countries) <= own]
        if not others and sources and not passive and tok.lemma_ in self.lex.answer_verbs:
            # ("denied that it had sent troops": "it" is the denier itself)
            if self._answer_act(tok, etype, mode, sources):
                return
        # "postponed Putin's visit to Japan": the cancelled thing's actors are targets
        for o in _objects(tok):
            if o.lower_ in self.lex.nouns:
                for p in o.children:
                    if p.dep_ == "prep" and p.lower_ in TARGET_PREPS:
                        for pobj in p.children:
                            targets += [m for m in self.ps.arg_mentions(pobj) if m not in targets]
        targets = [m for m in targets if not self._nested_patient(m, sources, targets)]
        self._emit(tok, etype, mode, sources, targets, rule)

    def _nested_patient(self, m: Mention, sources: list[Mention], targets: list[Mention]) -> bool:
        """Whether ``m`` is the patient of an act the verb's object names with an agent of
        its own among the targets: "condemned Russia's invasion of Ukraine", "criticised
        the Russian attack on Ukraine", "China's pressure on Taiwan" — the agent is the
        target, the victim is not (unless the agent is the source itself: "Russia
        postponed Putin's visit to Japan")."""
        own = {c for s in sources for c in s.countries}
        return any(a in targets and not set(a.countries) & own for a in self.ps.agents_over(m))

    def _repeat(self, tok: Token) -> bool:
        """An act that repeats or answers the one just told ("Pakistan did the same",
        "the EU followed suit", "Moscow reciprocated", "they did so again", "responded in
        kind"): the antecedent's type and mode, with the subject as actor. The antecedent
        is the nearest earlier event of this sentence or of the two before it — one done
        to the subject first, then one by others, then the subject's own — and its
        sentence is cited. The recipient: the antecedent's actor when the subject was its
        recipient (tit for tat), else the antecedent's recipient."""
        if not _repeat_phrase(tok):
            return False
        subj, passive = _subjects(tok)
        if passive:
            return False
        sources = [m for x in subj for m in self.ps.arg_mentions(x)]
        src = set(_countries(sources))
        if not src:
            return True
        told = [e for e in self._told() if e.target_states]
        # the act done to the subject (an answer), else one by others (following suit),
        # else the subject's own (doing it again); the nearest of the first kind found
        ante = next(
            (e for e in told if src & set(e.target_states)),
            next((e for e in told if not src & set(e.source_states)), told[0] if told else None),
        )
        if ante is None:
            return True
        if src & set(ante.target_states):
            states, pool = ante.source_states, ante.source
        else:
            states, pool = ante.target_states, ante.target
        targets = [m for m in pool if any(c in states and c not in src for c in m.countries)]
        if not targets:
            return True
        self._emit_cited(tok, ante, ante.type, ante.mode, sources, targets, "repeat")
        return True

    def _naming(self, tok: Token) -> bool:
        """ "called the expulsions an unprecedented hostile act", "described Baku's steps
        as unfriendly", "called Russia's behaviour unfriendly": a hostile word in what
        the object is called makes an ACCUSE of the object's state."""
        if tok.lemma_.lower() not in self.lex.naming_verbs:
            return False
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubj", "ccomp") and c.i > tok.i]
        comps = [c for c in tok.children if c.dep_ in ("oprd", "xcomp", "ccomp", "acomp")]
        comps += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
                  for p in c.children]  # fmt: skip
        comps += [c for o in objs for c in o.children if c.dep_ in ("amod", "acomp") and c.i > o.i]
        comps += [c for c in tok.children if c.dep_ == "advmod" and objs and c.i > objs[0].i]
        words = {t.lower_ for c in comps for t in c.subtree} | {
            t.lemma_.lower() for c in comps for t in c.subtree
        }
        if not words & (self.lex.hostile_words | self.lex.naming_words):
            return False
        subj, passive = _subjects(tok)
        if passive:
            return False
        sources = [m for x in subj for m in self.ps.arg_mentions(x)]
        targets = [m for o in objs for m in self.ps.arg_mentions(o) if m not in sources]
        if not objs:
            # "called the Saudi deployment unacceptable", parsed as one phrase headed by
            # the judgement: what stands before the judging word is what is judged
            for c in comps:
                for t in c.subtree:
                    m = self.ps.mention_of(t) if t.i < c.i else None
                    if m is not None and m not in sources and m not in targets:
                        targets.append(m)
        if sources and not targets:
            # "called the expulsion regrettable": whoever expelled, told just before
            return self._answer_act(tok, "ACCUSE", None, sources)
        if not sources:
            return False
        self._emit(tok, "ACCUSE", None, sources, targets, "naming")
        return True

    def _state_act(self, tok: Token) -> bool:
        """Fixed phrases of force and presence, typed by their words rather than the
        verb alone: "took the sailors into custody", "sealed off the embassy" (COERCE),
        "placed its forces on alert" (MOBILIZE), "the last troops left Lesotho"
        (RETREAT), "ordered embassy staff to leave" (SANCTION, expel)."""
        lemma = tok.lemma_.lower()
        if lemma not in _PHRASE_VERBS:
            return False
        kids = list(tok.children)
        pobjs = {
            (c.lower_, p.lemma_.lower())
            for c in kids if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"
        }  # fmt: skip
        dobj = [c for c in kids if c.dep_ == "dobj"]
        subj, passive = _subjects(tok)
        if passive:
            return False
        sources = [m for x in subj for m in self.ps.arg_mentions(x)]
        etype: str | None = None
        mode: str | None = None
        targets: list[Mention] = []
        if lemma in ("take", "place", "put") and ("into", "custody") in pobjs:
            etype, mode = "COERCE", "arrest"
            targets = [m for o in dobj for m in self.ps.arg_mentions(o)]
        elif lemma in ("place", "put") and any(
            w in ("alert", "readiness", "footing") for p, w in pobjs if p in ("on", "at")
        ):
            etype = "MOBILIZE"
            targets = [
                m for c in tok.subtree if c.dep_ == "prep" and c.lower_ in ("along", "near", "against")
                for t in c.subtree for m in [self.ps.mention_of(t)] if m is not None
            ]  # fmt: skip
        elif (
            lemma in ("seal", "surround", "cordon", "besiege", "encircle")
            and any(t.lemma_.lower() in self.lex.stance_places for o in dobj for t in o.subtree)
            and not any(x.lower_ in self.lex.protester_nouns for x in subj)
        ):  # (crowds besieging an embassy protest: the verb rule below)
            etype = "COERCE"  # "sealed off the grounds of the North Korean embassy"
            targets = [m for o in dobj for t in o.subtree
                       for m in [self.ps.mention_of(t)] if m is not None]  # fmt: skip
        elif lemma in ("leave", "exit", "vacate", "quit") and any(
            t.lemma_.lower() in self.lex.military_objects for x in subj for t in x.subtree
        ):
            etype = "RETREAT"
            targets = [m for o in dobj for m in self.ps.arg_mentions(o)]
        elif lemma in ("order", "tell", "instruct", "give") and any(
            c.dep_ == "xcomp" and c.lemma_ in ("leave", "depart", "go") for c in kids
        ):
            staff = [o for o in dobj if any(
                t.lemma_.lower() in self.lex.stance_places or t.lemma_.lower()
                in ("diplomat", "envoy", "ambassador", "attaché", "staff", "employee")
                for t in o.subtree)]  # fmt: skip
            if staff:
                etype, mode = "SANCTION", "expel"
                targets = [m for o in staff for m in self.ps.arg_mentions(o)]
                targets += [m for o in staff for t in o.subtree
                            for m in [self.ps.mention_of(t)] if m is not None and m not in targets]  # fmt: skip
        if etype is None:
            return False
        targets = [m for m in targets if m not in sources]
        self._emit(tok, etype, mode, sources, targets, "phrase")
        return True

    def _venue_places(self, tok: Token) -> list[Mention]:
        """Cities and capitals named as where an act happens: the object of "in" / "at"
        anywhere under ``tok`` ("stormed the embassy in Baghdad", "marched in Karachi")."""
        out: list[Mention] = []
        for t in tok.subtree:
            if t.dep_ != "pobj" or t.head.lower_ not in ("in", "at"):
                continue
            m = self.ps.mention_of(t)
            if m is not None and m.rule in ("capital", "city") and m not in out:
                out.append(m)
        return out

    def _premises(self, tok: Token) -> list[Mention]:
        """States whose premises abroad a protest is held at: "outside / in front of /
        at the French embassy", "before the embassy of Japan"."""
        out: list[Mention] = []
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in ("outside", "at", "near", "before", "in", "to"):
                continue
            for t in c.subtree:
                if t.lemma_.lower() in self.lex.stance_places:
                    for x in t.subtree:
                        m = self.ps.mention_of(x)
                        if m is not None and m not in out:
                            out.append(m)
        return out

    def _told(self) -> list[Event]:
        """The acts told before this point, nearest first: this sentence's so far, then
        those of the sentences before (``previous``); negated ones left out."""
        here = [e for e in self.events if e.evidence.sentence == self.ps.sentence.index]
        return [e for e in reversed([*self.previous, *here]) if not e.negated]

    def _emit_cited(
        self,
        tok: Token,
        ante: Event,
        etype: str,
        mode: str | None,
        sources: list[Mention],
        targets: list[Mention],
        rule: str,
    ) -> None:
        """Emit an event whose other side comes from an earlier event ``ante``: it cites
        that event's sentence when it is another one, at lower confidence."""
        before = len(self.events)
        self._emit(tok, etype, mode, sources, targets, rule)
        if len(self.events) > before and ante.evidence.sentence != self.ps.sentence.index:
            ev = self.events[-1]
            ev.context_spans = [[ante.evidence.start, ante.evidence.end]]
            ev.confidence = round(ev.confidence * 0.8, 3)

    def _answer_act(self, tok: Token, etype: str, mode: str | None, sources: list[Mention]) -> bool:
        """A verdict on an act told before, named by a bare noun ("the Council condemned
        the shelling", "Tokyo welcomed the move"): the act's actor — of the nearest
        earlier event by other states, in this sentence or the two before — is the
        recipient. False when the object is no such noun or no such event is found."""
        if tok.dep_ not in ("ROOT", "conj"):
            return False  # "accused Belgrade of backing the assault": not a verdict
        if etype == "REJECT" and self._denied_claim(tok, sources):
            return True
        objs = [o for o in _objects(tok) if o.pos_ == "NOUN" and o.dep_ == "dobj"]
        if len(objs) != 1 or any(self.ps.mention_of(t) is not None for t in objs[0].subtree):
            return False
        obj = objs[0]
        if not any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in obj.children):
            return False
        entry = self._noun_entry(obj)
        if entry is None and obj.lemma_.lower() not in self.lex.act_nouns:
            return False
        src = set(_countries(sources))
        index = self.ps.sentence.index
        told = [e for e in self._told() if e.source_states and not src & set(e.source_states)]
        # "condemned the shelling": an act of that type; else ("condemned the move",
        # "welcomed the agreement" after a signing) the last act, told just before
        ante = next((e for e in told if entry is not None and e.type == entry[0]), None)
        if ante is None and told and told[0].evidence.sentence >= index - 1:
            ante = told[0]
        if ante is None:
            return False
        pool = [*ante.source, *ante.target] if "+joint" in ante.rule else ante.source
        targets = [m for m in pool if not src & set(m.countries)]
        if not targets:
            return False
        self._emit_cited(tok, ante, etype, mode, sources, targets, "answer_act")
        return True

    def _gratitude(self, tok: Token) -> None:
        """ "I am grateful to King Abdullah", "Japan is thankful for China's help":
        gratitude to a state is SUPPORT of it (rule `gratitude`)."""
        head = tok.head if tok.dep_ == "acomp" else None
        if head is None:
            return
        subj, passive = _subjects(head)
        if passive:
            return
        sources = [m for x in subj for m in self.ps.arg_mentions(x)]
        targets = [
            m
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in ("to", "for")
            for p in [c, *(x for x in c.children if x.dep_ == "conj")]
            for g in p.children
            if g.dep_ == "pobj"
            for m in self.ps.arg_mentions(g)
            if m not in sources
        ]
        if sources and targets:
            self._emit(tok, "SUPPORT", None, sources, targets, "gratitude")

    def _denied_claim(self, tok: Token, sources: list[Mention]) -> bool:
        """ "Chile denied that it promoted any espionage", after Peru accused it: a
        denial in a that-clause answers the nearest act told just before against the
        denier, and rejects its actor (REJECT, citing that sentence)."""
        if tok.lemma_ not in _DENIAL_VERBS or _objects(tok):
            return False
        if not any(c.dep_ == "ccomp" for c in tok.children):
            return False
        src = set(_countries(sources))
        index = self.ps.sentence.index
        ante = next(
            (
                e
                for e in self._told()
                if src & set(e.target_states)
                and not src & set(e.source_states)
                and e.evidence.sentence >= index - 1
            ),
            None,
        )
        if ante is None:
            return False
        targets = [m for m in ante.source if not src & set(m.countries)]
        if not targets:
            return False
        self._emit_cited(tok, ante, "REJECT", None, sources, targets, "answer_act")
        return True

    def _object_rule(
        self, tok: Token, heads: list[Token], rules: tuple[ObjectRule, ...]
    ) -> ObjectRule | None:
        """The first of the verb's object rules that its objects match (its type None when
        the verb codes no event for such objects), or None. An action noun retyped by its
        own object keeps that type ("announced the withdrawal of its ambassador" is the
        recall, SANCTION, where "announced a withdrawal" is CONCEDE)."""
        for h in heads:
            if h.lemma_.lower() in NOMINAL_VERBS:
                own = nominal_entry(self.lex, h)
                if own is not None and own != noun_entry(self.lex, h.lower_, h.lemma_):
                    return (frozenset(), own[0], own[1])
        words = object_words(heads)
        for rule in rules:
            if not rule[0] or rule[0] & words:
                return rule
        return None

    def _object_controller(self, tok: Token) -> list[Mention]:
        """For an embedded verb under a verb that is no event itself ("forced X to",
        "persuaded X to", "allowed X to", "called on X to"), the matrix object."""
        if tok.dep_ != "xcomp":
            return []
        head = tok.head
        if head.lemma_ in self.lex.verbs and head.lemma_ not in self.lex.planned:
            return []
        out: list[Mention] = []
        for c in head.children:
            if c.dep_ == "dobj":
                out += [m for m in self.ps.arg_mentions(c) if m not in out]
            elif c.dep_ == "prep" and c.lower_ == "on" and head.lemma_ == "call":
                for p in c.children:
                    if p.dep_ == "pobj":
                        out += [m for m in self.ps.arg_mentions(p) if m not in out]
        return out

    def _complete_from_governor(
        self, tok: Token, sources: list[Mention], targets: list[Mention]
    ) -> bool:
        """Fill a missing side of an event noun from the verb that governs it: its
        subject for the source, its prepositional objects for the target. The governor
        must not be an event verb itself ("accused X of attacks on Y" is X's attack)."""
        gov = self._governor(tok)
        if gov is None:
            return False
        lex = self.lex
        framed_noun = self._response_noun(gov)
        framed = framed_noun is not None and framed_noun in (tok, tok.head)
        if gov.lemma_ in lex.verbs or gov.lemma_ in lex.speech or gov.lemma_ in lex.cancel:
            if gov.lemma_ not in lex.light_verbs and not framed:
                return False
        added = False
        if not sources:
            subj, passive = _subjects(gov)
            cand = (
                [m for a in _agent(gov) for m in self.ps.arg_mentions(a)]
                if passive
                else [m for st in subj for m in self.ps.arg_mentions(st)]
            )
            new = [m for m in cand if m not in targets]
            sources += new
            added = added or bool(new)
        if not targets:
            for c in gov.children:
                if c.dep_ == "prep" and c.lower_ in TARGET_PREPS:
                    for p in c.children:
                        if p.dep_ == "pobj" and p.i != tok.i:
                            new = [
                                m for m in self.ps.arg_mentions(p)
                                if m not in targets and m not in sources
                            ]  # fmt: skip
                            targets += new
                            added = added or bool(new)
        return added

    # -- nominalisations ----------------------------------------------------------
    def _noun(self, tok: Token, entry: tuple[str, str | None]) -> None:
        etype, mode = entry
        if etype == "AGREE" and any(
            c.dep_ in ("acl", "relcl") and c.lemma_ in self.lex.signing_verbs for c in tok.children
        ):
            # "the agreement signed in Jakarta", "the accord they concluded": the manual
            # codes signing an agreement as SUPPORT
            etype, mode = "SUPPORT", None
        head = tok.head
        elicited = (
            tok.dep_ == "dobj"
            and head.lemma_ in self.lex.elicit_verbs
            and bool(self._sent_from(tok))
        )
        # "impose sanctions", "postponed the visit", "froze most of its assistance": the
        # verb codes it
        arg = tok
        if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in _PARTITIVES:
            arg = head.head  # "most" in "most of its assistance"
        verb = arg.head
        if (
            not elicited
            and arg.dep_ in ("dobj", "nsubjpass")
            and (
                verb.lemma_ in self.lex.verbs
                or verb.lemma_ in self.lex.cancel
                or (verb.pos_ == "VERB" and self._entry(verb) is not None)  # "held back shipments"
            )
        ):
            return
        if tok.dep_ == "pobj" and head.head.lemma_ in self.lex.cancel:
            return
        if (
            tok.dep_ == "pobj"
            and head.head.lemma_.lower() in NOMINAL_VERBS
            and nominal_entry(self.lex, head.head)
            != noun_entry(self.lex, head.head.lower_, head.head.lemma_)
        ):
            return  # "a halt to its air strikes": the action noun codes it (CONCEDE)
        rules = self.lex.object_rules.get(head.lemma_)
        if (
            rules is not None
            and tok.dep_ == "dobj"
            and any(r[1] is not None and r[0] & {tok.lower_, tok.lemma_.lower()} for r in rules)
        ):
            return  # "ended the cooperation agreement": the verb codes it (SANCTION)
        sources: list[Mention] = []
        targets: list[Mention] = []
        for c in tok.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod"):
                m = self.ps.mention_of(c)
                if m is not None and m not in sources:
                    sources.append(m)
            elif c.dep_ == "prep" and c.lower_ == "by":
                sources += [
                    m for p in c.children if p.dep_ == "pobj" for m in self.ps.arg_mentions(p)
                ]
            elif (
                c.dep_ == "prep"
                and c.lower_ == "from"
                and etype in ("ACCUSE", "REQUEST", "THREATEN", "REJECT", "AID", "SUPPORT", "AGREE")
            ):
                # "a protest from Beijing", "aid from Japan": the sender acts
                sources += [
                    m
                    for p in c.children
                    if p.dep_ == "pobj"
                    for m in self.ps.arg_mentions(p)
                    if m not in sources
                ]
            elif c.dep_ == "prep" and c.lower_ == "between":
                # "talks between Seoul and Tokyo": the parties act jointly
                sources += [
                    m
                    for p in c.children
                    if p.dep_ == "pobj"
                    for m in self.ps.arg_mentions(p)
                    if m not in sources
                ]
            elif (
                c.dep_ == "prep"
                and c.lower_ == "of"
                and any(
                    p.lemma_ in self.lex.military_objects or p.lower_ in self.lex.military_objects
                    for p in c.children
                    if p.dep_ == "pobj"
                )
            ):
                # "the withdrawal of Ukrainian troops": the troops' state acts
                sources += [
                    m
                    for p in c.children
                    if p.dep_ == "pobj"
                    for m in self.ps.arg_mentions(p)
                    if m not in sources
                ]
            elif c.dep_ == "prep" and (c.lower_ in TARGET_PREPS or c.lower_ == "of"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        targets += [m for m in self.ps.arg_mentions(p) if m not in targets]
                        # "imposition of sanctions on Russia"
                        for g in p.children:
                            if g.dep_ == "prep" and g.lower_ in TARGET_PREPS:
                                for gp in g.children:
                                    if gp.dep_ == "pobj":
                                        targets += [
                                            m for m in self.ps.arg_mentions(gp) if m not in targets
                                        ]
        for c in tok.children:
            if c.dep_ == "acl" and c.lemma_ in ("aim", "direct", "target", "intend"):
                # "drills aimed at Taiwan", "sanctions targeting Russian banks"
                for g in c.children:
                    if g.dep_ == "dobj" or (g.dep_ == "prep" and g.lower_ in ("at", "against")):
                        for p in [g] if g.dep_ == "dobj" else list(g.children):
                            targets += [m for m in self.ps.arg_mentions(p) if m not in targets]
        if not targets:
            # "overflights and probes of Japan's defenses": conjuncts share a target
            for sib in [*conjuncts(tok), *([tok.head] if tok.dep_ == "conj" else [])]:
                for c in sib.children:
                    if c.dep_ == "prep" and (c.lower_ in TARGET_PREPS or c.lower_ == "of"):
                        for p in c.children:
                            if p.dep_ == "pobj":
                                targets += [m for m in self.ps.arg_mentions(p) if m not in targets]
        if elicited:
            sources += [m for m in self._sent_from(tok) if m not in sources]
        if not sources and tok.dep_ == "dobj" and head.lemma_ in self.lex.light_verbs:
            # "Pakistan's air force carried out strikes into Kashmir", "voiced support for Seoul"
            subj, _ = _subjects(head)
            sources = [m for st in subj for m in self.ps.arg_mentions(st)]
            for c in [*head.children, *tok.children]:
                if c.dep_ != "prep":
                    continue
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    if c.lower_ in TARGET_PREPS and c.head.i == head.i:
                        targets += [m for m in self.ps.arg_mentions(p) if m not in targets]
                    elif c.lower_ in ("over", "about") and etype == "ACCUSE" and p.pos_ == "NOUN":
                        # "concern over Tokyo's decision": whose act (never "over Ukraine",
                        # a topic)
                        targets += [
                            m for g in p.children if g.dep_ in ("poss", "amod", "compound")
                            for m in [self.ps.mention_of(g)] if m is not None and m not in targets
                        ]  # fmt: skip
            rule = "light_verb"
            if tok.lemma_ == "protest":  # "lodged a protest with Beijing": diplomatic, not street
                etype, mode = "ACCUSE", "diplomatic-protest"
        else:
            rule = "nominal"
        if not sources and tok.dep_ == "conj":
            for c in tok.head.children:
                if c.dep_ in ("poss", "amod", "compound"):
                    m = self.ps.mention_of(c)
                    if m is not None:
                        sources.append(m)
        if elicited and not targets:
            # "Russia's drills drew a protest from Tokyo": the subject's state receives it
            subj, passive = _subjects(head)
            if not passive:
                targets += [m for st in subj for m in self.ps.arg_mentions(st) if m not in sources]
                rule = "elicited"
        if (not sources or not targets) and rule == "nominal":
            if self._complete_from_governor(tok, sources, targets):
                rule = "governor"
        self._emit(tok, etype, mode, sources, targets, rule)

    # -- statements ---------------------------------------------------------------
    def _speech(self) -> None:
        for tok in self.ps.tokens:
            if tok.lemma_ not in self.lex.speech or tok.pos_ != "VERB":
                continue
            subj, _ = _subjects(tok)
            sources = [m for s in subj for m in self.ps.arg_mentions(s)]
            comp = [c for c in tok.children if c.dep_ in ("ccomp", "dobj", "xcomp")]
            if not sources or not comp:
                continue
            inner: list[Mention] = []
            for c in comp:
                for t in c.subtree:
                    m = self.ps.mention_of(t)
                    if m is not None and m not in inner:
                        inner.append(m)
            src_c = set(_countries(sources))
            targets = [m for m in inner if not set(m.countries) <= src_c]
            if not targets:
                continue
            demanded = self._demanded(comp, src_c)
            if demanded:
                # "X said Tokyo must/should/has to …": a demand in reported speech
                self._emit(tok, "REQUEST", None, sources, demanded, "speech_demand")
                continue
            words = {t.lower_ for t in self.ps.tokens}
            if words & (self.lex.hostile_words or HOSTILE) or self._not_acceptable():
                self._emit(tok, "ACCUSE", None, sources, targets, "speech_evaluation")
            elif words & (self.lex.friendly_words or FRIENDLY):
                self._emit(tok, "SUPPORT", None, sources, targets, "speech_evaluation")

    def _not_acceptable(self) -> bool:
        return any(
            t.lower_ == "acceptable"
            and any(c.dep_ == "neg" for c in [*t.children, *t.head.children])
            for t in self.ps.tokens
        )

    def _demanded(self, comp: list[Token], speaker: set[str]) -> list[Mention]:
        """Subjects of "must/should/has to/needs to" clauses in a speech complement."""
        out: list[Mention] = []
        for c in comp:
            if c.dep_ != "ccomp":
                continue
            modal = any(
                a.dep_ == "aux" and a.lower_ in ("must", "should", "ought") for a in c.children
            )
            if c.lemma_ in ("have", "need") and any(x.dep_ == "xcomp" for x in c.children):
                modal = True
            if not modal:
                continue
            subj = [x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")]
            out += [
                m for st in subj for m in self.ps.arg_mentions(st)
                if m not in out and not set(m.countries) <= speaker
            ]  # fmt: skip
        return out

    def _place_of(self, tok: Token, m: Mention) -> bool:
        """The mention names a city, capital or country right after "in" / "at" under
        the trigger: where the act happens ("signed the accord in Vienna")."""
        toks = self.ps.tokens_of(m)
        if m.rule not in ("capital", "city", "name") or not toks:
            return False
        t = self.ps.tokens[toks[-1]]
        while t.dep_ == "compound" and t.head.i != t.i:
            t = t.head
        prep = t.head
        if t.dep_ != "pobj" or prep.lower_ not in ("in", "at") or prep.dep_ != "prep":
            return False
        return prep.head.i == tok.i or prep.head.head.i == tok.i

    def _venue(self, m: Mention) -> bool:
        """The mention is where a meeting takes place: the object of "in" or "at" under
        a meeting word ("talks in Istanbul", "met at Camp David"), or a state's adjective
        on a place noun there ("talks on the Belarusian border")."""
        for i in self.ps.tokens_of(m):
            t = self.ps.tokens[i]
            if t.dep_ in ("amod", "compound") and t.head.lemma_.lower() in PLACE_NOUNS:
                t = t.head  # "talks on the Belarusian border", "met at a Chinese resort"
                prep = t.head
                if t.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
                    continue
            else:
                prep = t.head
                if t.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in ("in", "at"):
                    continue
            word = prep.head
            if word.pos_ in ("NOUN", "PROPN"):
                entry = noun_entry(self.lex, word.lower_, word.lemma_)
            else:
                entry = self.lex.verbs.get(word.lemma_)
            if (entry is not None and entry[0] == "CONSULT") or word.lemma_ in ("hold", "gather"):
                return True
        return False

    # -- output -------------------------------------------------------------------
    def _emit(
        self,
        tok: Token,
        etype: str,
        mode: str | None,
        sources: list[Mention],
        targets: list[Mention],
        rule: str,
    ) -> None:
        placed = [m for m in targets if located(self.ps, m)]
        if placed and len(placed) < len(targets):
            # "shot down a Russian jet near the Syrian border": Syria is where, not whom
            targets = [m for m in targets if m not in placed]
        if etype in _VENUE_TYPES:
            # "delegations met for talks in Belarus", "Argentina and Brazil signed the
            # agreement in Vienna": the place is no party, unless it is the only other
            # side ("Putin arrived for talks in Tokyo": the host). "Russia halted its
            # offensive in Georgia": "its" is no other side
            own = set(_countries(sources))
            venues = [
                m
                for m in targets
                if self._place_of(tok, m)
                or located(self.ps, m)
                or (etype == "CONSULT" and self._venue(m))
            ]
            rest = [m for m in targets if m not in venues and set(m.countries) - own]
            if venues and (rest or len(own) >= 2):
                targets = rest
        src = _countries(sources)
        tgt = [c for c in _countries(targets) if c not in src]
        if not src:
            return
        if not tgt:
            if len(src) < 2:
                # no recipient: no event, but an act a later "condemned the move" answers
                self.acts.append(
                    Event(source=sources, target=[], type=etype, evidence=self.ps.evidence(),
                          mode=mode, negated=_negated(tok), rule=f"{rule}:{tok.lemma_}",
                          source_states=src)
                )  # fmt: skip
                return
            # joint action between partners with no third party: the alphabetically
            # first partner is the source (a convention; the dyad has no direction)
            first = sorted(src)[0]
            groups = [m for m in sources if len(m.countries) >= 3]
            lone = {c for m in sources if m not in groups for c in m.countries}
            if len(groups) == 1 and len(lone) == 1:
                first = next(iter(lone))  # "Iran and the six powers": Iran faces the group
            pool = sources + targets
            sources = [m for m in pool if first in m.countries][:1] or sources[:1]
            targets = [m for m in pool if any(c != first for c in m.countries)] or pool
            src, tgt = [first], [c for c in src if c != first]
            rule = f"{rule}+joint"
        negated = _negated(tok)
        modality = _modality(tok)
        if tok.pos_ in ("NOUN", "PROPN"):
            gov = self._governor(tok)
            if gov is not None:  # "will hold talks", "did not hold talks"
                negated = negated or _negated(gov)
                if modality == "asserted":
                    modality = _modality(gov)
        if modality == "hypothetical" and etype not in ("THREATEN", "REQUEST", "ACCUSE"):
            return  # an act inside a condition or speculation is no event (PLOVER)
        if rule.endswith("+joint") and tok.lemma_.lower() in self.lex.joint_cooperation:
            etype, mode = "COOPERATE", "military"  # joint drills: cooperation among partners
        elif etype == "COOPERATE" and tok.lemma_.lower() in self.lex.joint_cooperation:
            etype, mode = "MOBILIZE", None  # one state's drills aimed at another
        if modality == "planned" and not negated:
            if etype in ("CONSULT", "SUPPORT", "COOPERATE", "AID"):
                etype, mode, rule = "AGREE", None, f"{rule}+planned"
            elif etype == "RETREAT":
                etype, mode, rule = "CONCEDE", None, f"{rule}+planned"
        if negated and etype in ("AGREE", "CONCEDE", "SUPPORT"):
            etype, rule = "REJECT", f"{rule}+negated_to_reject"
        elif negated:
            return  # a plain negated act did not happen: no event (PLOVER)
        key = (tok.i, etype, tuple(src), tuple(tgt))
        if key in self._seen:
            return
        self._seen.add(key)
        anchor = self.ps.anchor()
        conf = 0.75 if rule.startswith(("verb_", "xcomp")) else 0.6
        conf *= min([m.confidence for m in sources + targets] or [1.0])
        if modality in ("hypothetical", "reported"):
            conf *= 0.9
        self.events.append(
            Event(
                source=[m for m in sources if any(c in src for c in m.countries)],
                target=[m for m in targets if any(c in tgt for c in m.countries)],
                type=etype,
                evidence=self.ps.evidence(),
                mode=mode,
                quad=quad(etype),
                intensity=intensity(etype, mode, negated and etype != "REJECT"),
                negated=negated,
                modality=modality,
                date=anchor.value if anchor else None,
                date_precision=anchor.precision if anchor else None,
                confidence=round(conf, 3),
                rule=f"{rule}:{tok.lemma_}",
                source_states=src,
                target_states=tgt,
            )
        )
