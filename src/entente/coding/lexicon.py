"""The coding lexicon (``entente/data/lexicon.json``), loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

#: (object words, PLOVER type or None, mode)
ObjectRule = tuple[frozenset[str], str | None, str | None]


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[str, str | None]]
    phrasal: dict[str, tuple[str, str | None]]
    nouns: dict[str, tuple[str, str | None]]
    planned: frozenset[str]
    hypothetical: frozenset[str]
    speech: frozenset[str]
    cancel: frozenset[str]
    relation_nouns: frozenset[str]
    assessment: dict[str, tuple[int, str | None]]
    negators: frozenset[str]
    version: str
    light_verbs: frozenset[str] = frozenset()
    military_objects: frozenset[str] = frozenset()
    deploy_verbs: frozenset[str] = frozenset()
    protester_nouns: frozenset[str] = frozenset()
    statement_verbs: frozenset[str] = frozenset()
    joint_cooperation: frozenset[str] = frozenset()
    quantity_nouns: frozenset[str] = frozenset()
    hostile_words: frozenset[str] = frozenset()
    #: what calling someone makes an accusation beside the hostile words ("called him a
    #: German agent", "called the measures an attempt to humiliate Serbia")
    naming_words: frozenset[str] = frozenset()
    friendly_words: frozenset[str] = frozenset()
    demand_modals: frozenset[str] = frozenset()
    #: verb → (object words, type): "fired missiles", "entered the waters"
    object_verbs: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    #: objects that make leaving an act of SANCTION ("withdrew from the treaty")
    exit_objects: frozenset[str] = frozenset()
    #: verb → ordered (object words, type, mode) rules, first match wins; an empty word
    #: set matches any use, and a type of None means the verb itself codes no event
    #: ("withdrew its ambassador" is SANCTION, "withdrew its troops" stays RETREAT)
    object_rules: dict[str, tuple[ObjectRule, ...]] = field(default_factory=dict)
    #: verbs that declare someone persona non grata (an expulsion: SANCTION)
    persona_verbs: frozenset[str] = frozenset()
    #: "barred X from entering": the prevented act is no event of its own
    prevent_verbs: frozenset[str] = frozenset()
    #: "pledged to withdraw", "vowed to retaliate": the promised act sets the type
    commitment_verbs: frozenset[str] = frozenset()
    #: heads that make an infinitive a plan: "ready to", "an invitation to visit"
    planned_heads: frozenset[str] = frozenset()
    #: "responded with sanctions on", "hit back with tariffs": the verb frames an act
    #: named by its "with" noun, which is the event (the verb codes none of its own)
    response_verbs: frozenset[str] = frozenset()
    #: verbs whose subject is the recipient of an event noun sent "from" a state ("the
    #: drills drew a protest from Tokyo", "Seoul received a complaint from Beijing")
    elicit_verbs: frozenset[str] = frozenset()
    #: verbs typed by what they hit with ("hit Ukraine with missiles" ASSAULT, "slapped
    #: Russia with sanctions" SANCTION)
    instrument_verbs: frozenset[str] = frozenset()
    #: nouns that stand for an act told before ("condemned the move", "welcomed the
    #: decision"): its actor is the recipient
    act_nouns: frozenset[str] = frozenset()
    #: verdicts that answer an act told before ("condemned the move")
    answer_verbs: frozenset[str] = frozenset()
    #: verbs that name something as something ("called the expulsions a hostile act",
    #: "described Baku's steps as unfriendly"): ACCUSE with a hostile word
    naming_verbs: frozenset[str] = frozenset()
    #: a state's premises abroad, the place a protest "outside the French embassy" targets
    stance_places: frozenset[str] = frozenset()
    #: verbs that make an agreement they modify a SUPPORT ("the accord signed in 1984")
    signing_verbs: frozenset[str] = frozenset()
    #: "asked / told / ordered the ambassador to leave": an expulsion (SANCTION expel)
    expel_frame_verbs: frozenset[str] = frozenset()
    diplomat_nouns: frozenset[str] = frozenset()
    leave_verbs: frozenset[str] = frozenset()
    #: subjects that cannot act ("China's naval strategy is moving", "relations plunged"):
    #: the scorer proposes no event whose trigger has one (relation nouns count too)
    abstract_subjects: frozenset[str] = frozenset()


def _object_rules(data: dict[str, Any]) -> dict[str, tuple[ObjectRule, ...]]:
    out: dict[str, tuple[ObjectRule, ...]] = {}
    for verb, rules in data.items():
        if verb.startswith("_"):
            continue
        out[verb] = tuple(
            (frozenset(w for w in words if w != "*"), etype, mode) for words, etype, mode in rules
        )
    return out


def noun_entry(lex: Lexicon, lower: str, lemma: str) -> tuple[str, str | None] | None:
    """A nominal trigger by surface form or lemma ("meetings" → meeting)."""
    return lex.nouns.get(lower) or lex.nouns.get(lemma.lower())


#: action nouns that take their verb's object rules, with the prepositions that bring
#: the object: "a 48-hour halt to air raids" is CONCEDE as "halted the raids" is, "the
#: lifting of sanctions" CONCEDE, "the withdrawal of its ambassador" SANCTION
NOMINAL_VERBS: dict[str, tuple[str, tuple[str, ...]]] = {
    "halt": ("halt", ("to", "of", "in")),
    "suspension": ("suspend", ("of",)),
    "lifting": ("lift", ("of",)),
    "easing": ("ease", ("of",)),
    "pause": ("pause", ("in", "to", "of")),
    "freeze": ("freeze", ("on", "of", "in")),
    "removal": ("remove", ("of",)),
    "relaxation": ("relax", ("of",)),
    "cessation": ("cease", ("of",)),
    "reduction": ("reduce", ("of", "in")),
    "cut": ("cut", ("in", "to", "of")),
    "withdrawal": ("withdraw", ("of",)),
    "waiver": ("waive", ("of", "on")),
    "end": ("end", ("to",)),
    "stop": ("stop", ("to",)),
}


def object_words(heads: list[Token]) -> set[str]:
    """The forms and lemmas that object rules match: the objects' own and those of their
    adjectives and compounds ("rare earth exports", "Russian diplomats")."""
    words = {w for h in heads for w in (h.lower_, h.lemma_.lower())}
    words |= {
        w
        for h in heads
        for g in h.children
        if g.dep_ in ("amod", "compound")
        for w in (g.lower_, g.lemma_.lower())
    }
    return words


def nominal_entry(lex: Lexicon, tok: Token) -> tuple[str, str | None] | None:
    """A noun's lexicon entry, retyped by the object of an action noun as its verb's is
    (:data:`NOMINAL_VERBS`): only an object the verb's rules name explicitly retypes it."""
    nominal = NOMINAL_VERBS.get(tok.lemma_.lower())
    rules = lex.object_rules.get(nominal[0]) if nominal else None
    if nominal and rules:
        objs = [
            p
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in nominal[1]
            for p in c.children
            if p.dep_ == "pobj"
        ]
        words = object_words(objs)
        for rule_words, etype, mode in rules:
            if rule_words & words:
                return None if etype is None else (etype, mode)
    return noun_entry(lex, tok.lower_, tok.lemma_)


def _pairs(d: dict[str, list[str | None]]) -> dict[str, tuple[str, str | None]]:
    return {k: (str(v[0]), v[1]) for k, v in d.items()}


@cache
def lexicon() -> Lexicon:
    data = json.loads(resources.files("entente.data").joinpath("lexicon.json").read_text("utf-8"))
    return Lexicon(
        verbs=_pairs(data["verbs"]),
        phrasal=_pairs(data["phrasal"]),
        nouns=_pairs(data["nouns"]),
        planned=frozenset(data["modal_planned"]),
        hypothetical=frozenset(data["modal_hypothetical"]),
        speech=frozenset(data["speech_verbs"]),
        cancel=frozenset(data["cancel_verbs"]),
        relation_nouns=frozenset(data["relation_nouns"]),
        assessment={k: (int(v[0]), v[1]) for k, v in data["assessment_words"].items()},
        negators=frozenset(data["negators"]),
        version=str(data.get("version", "?")),
        light_verbs=frozenset(data.get("light_verbs", [])),
        military_objects=frozenset(data.get("military_objects", [])),
        deploy_verbs=frozenset(data.get("deploy_verbs", [])),
        protester_nouns=frozenset(data.get("protester_nouns", [])),
        statement_verbs=frozenset(data.get("statement_verbs", [])),
        joint_cooperation=frozenset(data.get("joint_cooperation", [])),
        quantity_nouns=frozenset(data.get("quantity_nouns", [])),
        hostile_words=frozenset(data.get("hostile_words", [])),
        naming_words=frozenset(data.get("naming_words", [])),
        friendly_words=frozenset(data.get("friendly_words", [])),
        demand_modals=frozenset(data.get("demand_modals", [])),
        object_verbs={
            k: (frozenset(v[0]), str(v[1])) for k, v in data.get("object_verbs", {}).items()
        },
        exit_objects=frozenset(data.get("exit_objects", [])),
        object_rules=_object_rules(data.get("object_rules", {})),
        persona_verbs=frozenset(data.get("persona_verbs", [])),
        prevent_verbs=frozenset(data.get("prevent_verbs", [])),
        commitment_verbs=frozenset(data.get("commitment_verbs", [])),
        planned_heads=frozenset(data.get("planned_heads", [])),
        response_verbs=frozenset(data.get("response_verbs", [])),
        elicit_verbs=frozenset(data.get("elicit_verbs", [])),
        instrument_verbs=frozenset(data.get("instrument_verbs", [])),
        act_nouns=frozenset(data.get("act_nouns", [])),
        answer_verbs=frozenset(data.get("answer_verbs", [])),
        naming_verbs=frozenset(data.get("naming_verbs", [])),
        stance_places=frozenset(data.get("stance_places", [])),
        signing_verbs=frozenset(data.get("signing_verbs", [])),
        expel_frame_verbs=frozenset(data.get("expel_frame_verbs", [])),
        diplomat_nouns=frozenset(data.get("diplomat_nouns", [])),
        leave_verbs=frozenset(data.get("leave_verbs", [])),
        abstract_subjects=frozenset(data.get("abstract_subjects", [])),
    )
