"""The trained candidate scorer: the judge after the rule coder (``--coder hybrid``).

A *candidate* is a possible event: a trigger word in a parsed sentence (a verb, or a
noun or adjective of the coding lexicon) and an unordered pair of states — both named
in the sentence, or one named there and the other named just before it or among the
document's main states (an implicit partner: "we", "the two sides", "your side").
One sentence can hold several events between the same pair ("suspended trade and closed
its shipping lanes"): each trigger is its own candidate.

The rule coder (:mod:`entente.coding.events`) proposes events for some triggers; the
scorer reads each candidate's features — the trigger (lemma, lexical class, modality,
negation, reported speech), each state's grammatical relation to the trigger (path of
dependencies with prepositions, mention kind), the dependency path between the two
states, how the pair competes with the sentence's other states for the trigger's roles
and the trigger with the pair's other triggers, what a verb of speech reports in its
complement, what the rules found (here, for another pair, or for this pair at another
trigger) — and gives the probability of "no event" and of each
PLOVER type; a second model gives the direction (first → second, second → first,
reciprocal).

Decisions (:func:`judge`):

- a rule event is kept unless the scorer is confident there is no event at its trigger
  (``P(none) ≥ drop``); the rules stay the explainable backbone; the scorer changes a
  kept event's type only when it is sure of another (that type's share of the event
  probability ``≥ retype``), and the event's ``why`` keeps the rule's type;
- a candidate the rules missed becomes an event (rule ``scorer``) when
  ``1 − P(none) ≥ add`` (``add_context`` for partners from other sentences, which then
  cite that sentence in ``context_spans``), with the most probable type and direction;
  a second event between a pair the sentence already links needs ``add_more``;
  events of one trigger and type that share a side are merged (joint actors, several
  targets), as PLOVER lists compound actors in one event.

Every event the scorer judged carries ``why``: its score and the features that weighed
most, which ``entente show`` prints.

The models are three multinomial logistic regressions (type, direction, and the type
of an event given one; scikit-learn) and gradient-boosted trees for "event or not"
(LightGBM, :class:`BoostModel`) whose probability is blended with the type model's,
all trained by :mod:`entente.evaluate.train` on ``eval/train`` and stored as plain JSON
(``entente/data/scorer.json``): feature names, rounded weights, the trees' splits and
leaf values, and the thresholds chosen out of fold. Inference is a batched sparse dot
product and a tree walk with numpy: no learning library is needed to code texts, and
``make train`` rebuilds the file byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from entente.coding.context import located
from entente.coding.lexicon import lexicon, nominal_entry
from entente.coding.ontology import intensity, quad
from entente.model import Event, Mention, state_pairs

if TYPE_CHECKING:
    from spacy.tokens import Token

    from entente.coding.context import ParsedSentence

MODEL_FILE = "scorer.json"
NONE = "NONE"
DIRECTIONS = ("ab", "ba", "joint")
SPEECH_MARKS = frozenset('"“”«»')


@dataclass(slots=True)
class ContextState:
    """A state named outside the sentence that may be an event's implicit partner."""

    state: str
    mention: Mention
    origin: str  # "prev1", "prev2" (sentences back) or "doc" (the document's main states)
    #: the state's rank among the document's states by mentions (0: most mentioned)
    rank: int = 0
    #: for each state of the current sentence: in how many sentences the two are named
    #: together, and how many sentences back the nearest of them is (before this one)
    together: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: how many partners were offered for the sentence
    offered: int = 1
    #: the document's two most mentioned states
    main: frozenset[str] = frozenset()


@dataclass(slots=True)
class DocContext:
    """What a document says outside any one sentence, for implicit partners."""

    by_sentence: dict[int, list[Mention]]
    #: the two most mentioned states with their first mention
    main: list[tuple[str, Mention]]
    rank: dict[str, int]
    #: the sentences that name each pair of states together
    together: dict[frozenset[str], list[int]]


@dataclass(slots=True)
class Candidate:
    """A trigger and an unordered pair of states (``a`` < ``b``)."""

    trigger: int
    a: str
    b: str
    a_mentions: list[Mention]
    b_mentions: list[Mention]
    rule_events: list[Event]
    features: dict[str, float]
    #: the partner came from another sentence: which state, and where it was named
    context_state: str | None = None
    context_mention: Mention | None = None
    #: the trigger's context vector and the prefix of its feature names ("" or "c:")
    vec: Any = None
    vec_prefix: str = ""
    #: the type probabilities, once computed (reused while thresholds are chosen)
    probs: dict[str, float] | None = None
    #: the boosted trees' probability of an event, blended into ``probs`` (None: no trees)
    boosted: float | None = None
    #: the kind model's type probabilities (with its trees'), once computed
    kind_probs: dict[str, float] | None = None

    def full_features(self) -> dict[str, float]:
        """The named features with the vector as ``v0`` … (for training, explanations)."""
        f = dict(self.features)
        if self.vec is not None:
            f.update({f"{self.vec_prefix}v{k}": float(v) for k, v in enumerate(self.vec)})
        return f

    def type_proba(self, scorer: Scorer) -> dict[str, float]:
        if self.probs is None:
            fill_probabilities(scorer, [self])
        assert self.probs is not None
        return self.probs


#: the length of a candidate's dense vector, the trigger's context vector (96 numbers in
#: ``en_core_web_sm``); a model without a weight for one of them reads it as zero
VECTOR_SIZE = 96
MAX_CONTEXT = 3
#: below this probability of an event by the type model, the boosted trees are not asked
#: (two candidates in three): on the training texts' folds the blend of 106,000 such
#: candidates reached the lowest add threshold (0.25) for 2 and 0.2 (the drop
#: threshold's probability of an event) for 47
BOOST_FLOOR = 0.05
#: a trigger is a candidate for a pair when one of the two is this close in the parse
MAX_DISTANCE = 4
_PRONOUN_SUBJECTS = frozenset(
    {"we", "they", "it", "he", "she", "i", "both", "sides", "side", "two", "government",
     "ministry", "leaders", "countries", "junta", "regime", "delegation", "delegations"}
)  # fmt: skip
_SKIP_VERBS = frozenset({"be", "have", "do", "become", "seem", "get"})
#: a copula at the root carries a judgement in its complement ("Such remarks are
#: groundless attacks on China", "We are ready for dialogue with Moscow")
_SKIP_ROOTS = _SKIP_VERBS - {"be"}


# -- tokens and paths ---------------------------------------------------------------------
def _mention_tokens(ps: ParsedSentence, m: Mention) -> list[Token]:
    return [ps.tokens[i] for i in ps.tokens_of(m)]


def _head(tokens: list[Token]) -> Token | None:
    if not tokens:
        return None
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[-1]


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def _lex_class(tok: Token) -> str | None:
    lex = lexicon()
    entry = None
    if tok.pos_ in ("VERB", "AUX"):
        entry = lex.verbs.get(tok.lemma_)
    elif tok.pos_ in ("NOUN", "PROPN"):
        entry = nominal_entry(lex, tok)
    return entry[0] if entry else None


def _lab(t: Token) -> str:
    if t.dep_ in ("prep", "agent", "dative"):
        return f"{t.dep_}:{t.lower_}"
    return t.dep_


#: (trigger, target) → relation, for the sentence being featurised (cleared per sentence)
_RELATIONS: dict[tuple[int, int], tuple[str, int]] = {}
#: the sentence being featurised as plain lists: each token's head and path label
_HEADS: list[int] = []
_LABELS: list[str] = []
#: the tokens of the sentence that are hostile or friendly words
_TONE: dict[str, list[int]] = {"hostile": [], "friendly": []}
#: per mention of the sentence being featurised (by id): what it says about its state's
#: part, as feature suffixes (cleared per sentence)
_KINDS: dict[int, list[str]] = {}


def _prepare(ps: ParsedSentence) -> tuple[set[str], bool]:
    """Read the sentence's parse once into plain lists (paths are walked many times);
    returns its lower-cased words and whether a verb of speech is among them."""
    _RELATIONS.clear()
    _KINDS.clear()
    lex = lexicon()
    speech_verbs = lex.speech
    heads: list[int] = []
    labels: list[str] = []
    words: set[str] = set()
    hostile: list[int] = []
    friendly: list[int] = []
    speech = False
    for t in ps.tokens:
        heads.append(t.head.i)
        labels.append(_lab(t))
        lower = t.lower_
        words.add(lower)
        if lower in lex.hostile_words:
            hostile.append(t.i)
        if lower in lex.friendly_words:
            friendly.append(t.i)
        if not speech and t.pos_ == "VERB" and t.lemma_ in speech_verbs:
            speech = True
    _HEADS[:] = heads
    _LABELS[:] = labels
    _TONE["hostile"], _TONE["friendly"] = hostile, friendly
    return words, speech


def _governs(top: int, ids: list[int]) -> bool:
    """Whether one of the tokens ``ids`` is ``top`` or below it in the parse (in its
    subtree)."""
    for i in ids:
        for _ in range(len(_HEADS)):
            if i == top:
                return True
            if _HEADS[i] == i:
                break
            i = _HEADS[i]
    return False


def _up(i: int) -> list[int]:
    out = [i]
    while _HEADS[out[-1]] != out[-1] and len(out) < 40:
        out.append(_HEADS[out[-1]])
    return out


def _relation(trigger: int, target: int) -> tuple[str, int]:
    """The dependency path from a trigger to a mention's head (token indices of the
    sentence being featurised), as a label: ``up0:`` for the trigger's own dependents
    ("up0:nsubj", "up0:prep:with>pobj"), ``up1:`` and more for paths through the
    trigger's heads ("up1:nsubj" — the subject of the verb that governs the trigger)."""
    key = (trigger, target)
    hit = _RELATIONS.get(key)
    if hit is None:
        hit = _RELATIONS[key] = _relation_uncached(trigger, target)
    return hit


def _relation_uncached(trigger: int, target: int) -> tuple[str, int]:
    up_t = _up(trigger)
    up_h = _up(target)
    ids_t = {x: k for k, x in enumerate(up_t)}
    k_h = next((k for k, x in enumerate(up_h) if x in ids_t), None)
    if k_h is None:
        return "none", 9
    k_t = ids_t[up_h[k_h]]
    down: list[str] = []
    for x in reversed(up_h[:k_h]):
        # a list is one step however long: the ninth state of "signed by A, B, … and
        # I" stands where the second does
        if not (down and down[-1] == "conj" and _LABELS[x] == "conj"):
            down.append(_LABELS[x])
    label = f"up{min(k_t, 3)}:" + ">".join(down[:3])
    return label, k_t + len(down)


def _best(trigger: int, heads: list[int]) -> tuple[int | None, str, int]:
    """The mention head nearest the trigger in the parse, with its path and distance."""
    best: tuple[int | None, str, int] = (None, "none", 99)
    for h in heads:
        label, dist = _relation(trigger, h)
        if dist < best[2]:
            best = (h, label, dist)
    return best


def _heads(ps: ParsedSentence, ms: list[Mention]) -> list[int]:
    """The token index of each mention's head."""
    out = []
    for m in ms:
        h = _head(_mention_tokens(ps, m))
        if h is not None:
            out.append(h.i)
    return out


_RELATIVE = frozenset({"which", "that", "what"})


def _names_a_place(ps: ParsedSentence, t: Token) -> bool:
    """A naming verb that gives a place its name: "the islands, which China calls the
    Diaoyu", "what Kabul calls Pashtunistan" — a relative pronoun is what is named and a
    proper noun (not a state) the name, so no state is judged."""
    if t.lemma_.lower() not in lexicon().naming_verbs:
        return False
    kids = list(t.children)
    if not any(c.dep_ == "dobj" and c.lower_ in _RELATIVE for c in kids):
        return False
    return any(
        c.dep_ in ("dobj", "oprd") and c.pos_ == "PROPN" and ps.mention_of(c) is None for c in kids
    )


def triggers(ps: ParsedSentence) -> list[Token]:
    """The words that can carry an event: verbs, and nouns and adjectives of the lexicon
    (not a verb that names a place, :func:`_names_a_place`)."""
    lex = lexicon()
    out = []
    for t in ps.tokens:
        if _names_a_place(ps, t):
            continue
        if (
            (t.pos_ == "VERB" and t.lemma_ not in _SKIP_VERBS)
            or (t.pos_ == "AUX" and t.dep_ == "ROOT" and t.lemma_ not in _SKIP_ROOTS)
            or (t.pos_ in ("NOUN", "PROPN") and _lex_class(t) is not None)
            or (t.pos_ == "ADJ" and t.lower_ in lex.hostile_words)
        ):
            out.append(t)
    return out


# -- features ------------------------------------------------------------------------------
def _trigger_features(ps: ParsedSentence, t: Token) -> dict[str, float]:
    lex = lexicon()
    f: dict[str, float] = {"bias": 1.0}
    lemma = t.lemma_.lower()
    f[f"t={lemma}"] = 1.0
    f[f"tpos={t.pos_}"] = 1.0
    f[f"tdep={t.dep_}"] = 1.0
    cls = _lex_class(t)
    if cls is None:
        # a verb outside the lexicon takes the class of the event word it governs:
        # "began blocking lorries", "began supplying Cuba with oil", "paid a state visit"
        for c in t.children:
            if (c.dep_ == "xcomp" and c.pos_ == "VERB") or (c.dep_ == "dobj" and c.pos_ == "NOUN"):
                cls = _lex_class(c)
                if cls is not None:
                    f["tc_from_comp"] = 1.0
                    break
    f[f"tc={cls}"] = 1.0
    if t.dep_ in ("xcomp", "dobj", "pobj", "conj", "ccomp", "advcl", "nsubjpass", "nsubj"):
        f[f"thead={t.head.lemma_.lower()}"] = 1.0
        hc = _lex_class(t.head)
        if hc:
            f[f"thc={hc}"] = 1.0
    for c in t.children:
        if c.dep_ == "neg" or c.lower_ in ("never", "no"):
            f["tneg"] = 1.0
        elif c.dep_ == "aux" and c.lower_ in lex.hypothetical | {"will", "shall", "to"}:
            f[f"taux={c.lower_}"] = 1.0
        elif c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"):
            f["tif"] = 1.0
        elif c.dep_ == "prt":
            f[f"t={lemma}_{c.lower_}"] = 1.0
        elif c.dep_ in ("dobj", "attr") and c.pos_ == "NOUN":
            f[f"tobj={c.lemma_.lower()}"] = 1.0
            oc = _lex_class(c)
            if oc:
                f[f"tobjc={oc}"] = 1.0
        elif c.dep_ == "prep":
            f[f"tprep={c.lower_}"] = 1.0
    # what a verb of speech or attitude reports is in its complement: "said he would
    # not take the first step", "called the incident vicious"
    for c in t.children:
        if c.dep_ in ("ccomp", "xcomp", "oprd", "acomp", "advcl"):
            f[f"tcomp={c.lemma_.lower()}"] = 1.0
            cc = _lex_class(c)
            if cc:
                f[f"tcompc={cc}"] = 1.0
            for g in c.children:
                if g.dep_ == "neg" or g.lower_ in ("never", "no"):
                    f["tcomp_neg"] = 1.0
                elif g.dep_ == "aux" and g.lower_ in ("would", "will", "must", "should"):
                    f[f"tcomp_aux={g.lower_}"] = 1.0
                elif g.dep_ in ("dobj", "attr", "acomp") and g.pos_ in ("NOUN", "ADJ"):
                    f[f"tcompobj={g.lemma_.lower()}"] = 1.0
    if _governs(t.i, _TONE["hostile"]):
        f["tsub_hostile"] = 1.0
    if _governs(t.i, _TONE["friendly"]):
        f["tsub_friendly"] = 1.0
    anc = _ancestors(t)[1:5]
    for h in anc:
        if h.lemma_ in lex.speech and h.pos_ == "VERB":
            f["t_reported"] = 1.0
        if h.lemma_ in lex.planned:
            f["t_planned"] = 1.0
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in h.children):
            f["t_in_if"] = 1.0
        if any(c.dep_ == "neg" for c in h.children):
            f["t_head_neg"] = 1.0
    before = ps.sentence.text[: max(0, t.idx)]
    if sum(before.count(q) for q in '"“”') % 2 == 1:
        f["t_in_quote"] = 1.0
    if "?" in ps.sentence.text:
        f["question"] = 1.0
    return f


def trigger_vectors(ps: ParsedSentence) -> Any:
    """The parser's own context vectors (spaCy's tok2vec) of the sentence's tokens,
    scaled and rounded: they generalise over trigger words the training texts never
    used. Kept apart from the named features and scored as a dense block (``v0`` …)."""
    import numpy as np

    tensor = ps.tokens.tensor
    if tensor is None or len(tensor.shape) != 2 or len(tensor) < len(ps.tokens):
        return None
    return np.round(np.asarray(tensor, dtype=np.float64) / 4.0, 3)


def _side_features(
    ps: ParsedSentence,
    t: Token,
    ms: list[Mention],
    side: str,
    f: dict[str, float],
    heads: list[int] | None = None,
    best: tuple[int | None, str, int] | None = None,
) -> str:
    h, label, dist = best or _best(t.i, _heads(ps, ms) if heads is None else heads)
    short = label.split(">")[0]
    f[f"r{side}={label}"] = 1.0
    f[f"r{side}s={short}"] = 1.0
    f[f"d{side}={min(dist, 6)}"] = 1.0
    for m in ms:
        f[f"k{side}={m.rule}"] = 1.0
        for k in _mention_kinds(ps, m):
            f[f"k{side}{k}"] = 1.0
    if h is not None and h < t.i:
        f[f"{side}_before"] = 1.0
    return short


def _mention_kinds(ps: ParsedSentence, m: Mention) -> list[str]:
    """What a mention says about its state's part, as feature suffixes: the sector and
    role of its actor ("Russian troops" MIL, "the Chinese ambassador"), and for a state
    named by a modifier the noun it modifies ("American companies", "Chinese tourists",
    "the Vietnamese market", "a young Egyptian" as a noun itself): whose act it is, the
    state's or its people's."""
    hit = _KINDS.get(id(m))
    if hit is None:
        out = [f"s={a.sector or '-'}" for a in m.actors[:1]]
        if m.actors and m.actors[0].role:
            out.append(f"o={m.actors[0].role}")
        toks = _mention_tokens(ps, m)
        h = _head(toks)
        if h is not None:
            if h.dep_ in ("amod", "compound", "nmod", "poss") and h.head.pos_ in ("NOUN", "PROPN"):
                out.append(f"n={h.head.lemma_.lower()}")
            elif m.rule == "adjective" and h.pos_ in ("NOUN", "PROPN"):
                # "American companies" names its noun; "a young Egyptian" is one
                out.append(f"n={h.lemma_.lower()}" if len(toks) > 1 else "n=self")
        hit = _KINDS[id(m)] = out
    return hit


def _pair_features(ps: ParsedSentence, ha: list[int], hb: list[int]) -> dict[str, float]:
    f: dict[str, float] = {}
    if not ha or not hb:
        return f
    label, dist = _relation(ha[0], hb[0])
    f[f"pab={label}"] = 1.0
    f[f"pabd={min(dist, 8)}"] = 1.0
    return f


def _rule_features(t: Token, evs: list[Event], a: str, f: dict[str, float]) -> list[Event]:
    here = []
    for ev in evs:
        _, _, trig = ev.rule.partition(":")
        if trig == t.lemma_:
            here.append(ev)
            rule = ev.rule.split(":")[0]
            f["rule_here"] = 1.0
            f[f"rule_type={ev.type}"] = 1.0
            for part in rule.split("+"):
                f[f"rule={part}"] = 1.0
            joint = not ev.target_states or rule.endswith("joint")
            f[f"rule_dir={'joint' if joint else ('ab' if a in ev.source_states else 'ba')}"] = 1.0
    if evs and not here:
        f["rule_other_trigger"] = 1.0
        for ev in evs:
            f[f"rule_other_type={ev.type}"] = 1.0
    return here


def _link(t: int, u: int) -> str:
    """How trigger ``u`` stands to trigger ``t`` in the parse of the sentence being
    featurised: its head or dependent (one act told by two words: "agreed to hold
    talks"), a conjunct (two acts: "suspended trade and closed its ports"), an
    ancestor or descendant further away, or neither."""
    if _HEADS[t] == u:
        return "conj" if _LABELS[t] == "conj" else "head"
    if _HEADS[u] == t:
        return "conj" if _LABELS[u] == "conj" else "dep"
    if u in _up(t):
        return "anc"
    if t in _up(u):
        return "desc"
    return "far"


def _restating(t: Token, trigs: list[Token], evs: list[Event], f: dict[str, float]) -> None:
    """For a trigger the rules gave no event for the pair when another trigger has one:
    how the two triggers are linked, and whether the trigger's own class is the other
    event's type (a second act, or the same act told again)."""
    mine = _lex_class(t)
    for ev in evs:
        lemma = ev.rule.partition(":")[2]
        for u in trigs:
            if u.i != t.i and u.lemma_ == lemma:
                same = "same" if mine == ev.type else "none" if mine is None else "diff"
                link = _link(t.i, u.i)
                f[f"rule_other_link={link}"] = 1.0
                f[f"rule_other_link={link}|{same}"] = 1.0


def _links(ev: Event, a: str, b: str) -> bool:
    s, t = set(ev.source_states), set(ev.target_states)
    return (a in s and b in t) or (b in s and a in t) or (a in s and b in s and not t)


def context_states(dc: DocContext, index: int) -> list[ContextState]:
    """Partners from the two previous sentences (nearest first) and the document's
    two most mentioned states, at most ``MAX_CONTEXT``, with what the document says
    about each one and the sentence's own states. A state the sentence names is no
    partner from context (it would only take the place of one)."""
    out: list[ContextState] = []
    here = {c for m in dc.by_sentence.get(index, []) for c in m.countries}
    seen: set[str] = set(here)
    for back in (1, 2):
        for m in reversed(dc.by_sentence.get(index - back, [])):
            for c in m.countries:
                if c not in seen:
                    seen.add(c)
                    out.append(ContextState(c, m, f"prev{back}"))
    for c, m in dc.main:
        if c not in seen:
            seen.add(c)
            out.append(ContextState(c, m, "doc"))
    out = out[:MAX_CONTEXT]
    for cs in out:
        cs.rank = dc.rank.get(cs.state, 9)
        cs.offered = len(out)
        cs.main = frozenset(c for c, _ in dc.main)
        for s in here:
            where = dc.together.get(frozenset((s, cs.state)), [])  # ascending
            k = bisect_left(where, index)  # a huge document names a pair thousands of times
            cs.together[s] = (len(where), index - where[k - 1] if k else 99)
    return out


_ARGUMENTS = frozenset({"up0:nsubj", "up0:nsubjpass", "up0:dobj", "up0:dative", "up0:agent"})


def _competition(
    att: dict[str, tuple[int | None, str, int]],
    a: str,
    b: str,
    span: list[int],
    f: dict[str, float],
) -> None:
    """How the pair fares against the sentence's other states at this trigger, and the
    trigger against the pair's other triggers: "Argentina asked the authorities in
    Islamabad …" links Argentina, not the state of a nearer place, to "asked"."""
    da, db = att[a][2], att[b][2]
    ra = sum(1 for c, x in att.items() if c not in (a, b) and x[2] < da)
    rb = sum(1 for c, x in att.items() if c not in (a, b) and x[2] < db)
    f[f"ranks={min(ra, 2)}{min(rb, 2)}"] = 1.0
    mine = {att[a][1].split(">")[0], att[b][1].split(">")[0]}
    for c, x in att.items():
        if c in (a, b):
            continue
        short = x[1].split(">")[0]
        if short in _ARGUMENTS and short not in mine:
            f[f"other_{short[4:]}"] = 1.0
    f[f"trank={min(bisect_left(span, da + db), 3)}"] = 1.0


def _bucket(n: int) -> str:
    return "0" if n <= 0 else "1" if n == 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8+"


def _document_pair_features(dc: DocContext, index: int, a: str, b: str) -> dict[str, float]:
    """Where the pair stands in the whole document: how many sentences name the two
    together, how many of them come before this one, the two states' ranks by mentions,
    whether they are the document's two main states; and where the sentence stands (the
    headline or lead, or later)."""
    where = dc.together.get(frozenset((a, b)), [])
    ra, rb = sorted((min(dc.rank.get(a, 9), 3), min(dc.rank.get(b, 9), 3)))
    f = {
        f"dp_n={_bucket(len(where))}": 1.0,
        f"dp_before={_bucket(bisect_left(where, index))}": 1.0,
        f"dp_ranks={ra}{rb}": 1.0,
        f"dp_at={'0' if index == 0 else '1-2' if index <= 2 else '3+'}": 1.0,
    }
    if {a, b} == {c for c, _ in dc.main}:
        f["dp_main"] = 1.0
    return f


_QUESTION_LABEL = re.compile(
    r"^(?:Q|Question|QUESTION|Journalist|Reporter|Asked\s+by|PRESENTER|Presenter|INTERVIEWER"
    r"|Interviewer|HOST|Host|MODERATOR|Moderator)\b[^:\n]{0,80}?"
    r"(?:\([^)\n]{1,80}\))*\s*:\s"
    # a parliamentary question's own words: "To ask the Secretary of State for …"
    r"|^To\s+ask\s+the\b"
)


#: a paragraph that is only a label, ending in a colon: "Answered on 6 March 2023 by
#: Steve Baker, Minister of State (Northern Ireland Office):"
_LABEL_LINE = re.compile(r"^[^\n]{2,240}:\s*$")
#: the labels of the document being featurised: (document, each paragraph's label)
_PARAGRAPH_LABELS: list[Any] = [None, []]


def _paragraph_label(text: str) -> str | None:
    from entente.actors.mentions import _LABEL, _SAID_LABEL

    head = text[:200]
    if _QUESTION_LABEL.match(head):
        return "question"
    if _LABEL_LINE.match(text):
        return "question" if _QUESTION_LABEL.match(text + " ") else "speaker"
    m = _LABEL.match(head)
    if m is None or _SAID_LABEL.search(m.group("label")):
        return None
    return "speaker"


def _speaker_label(ps: ParsedSentence) -> tuple[str, bool] | None:
    """The transcript's label the sentence speaks under: a question ("Q:", "Q (Petra):",
    "Question:") or a named speaker's words ("Spokesperson:", "PUTIN:", "Answered on 6
    March by the Minister …:"), on its own paragraph or on the nearest labelled one
    before it (an answer runs on over paragraphs), and whether the label opens the
    sentence's own paragraph; None when no paragraph before it is labelled."""
    doc = ps.doc
    if _PARAGRAPH_LABELS[0] is not doc:
        labels = [_paragraph_label(doc.text[p.start : p.end]) for p in doc.paragraphs]
        _PARAGRAPH_LABELS[0], _PARAGRAPH_LABELS[1] = doc, labels
    labels = _PARAGRAPH_LABELS[1]
    k = min(ps.sentence.paragraph, len(labels) - 1)
    for j in range(k, -1, -1):
        if labels[j] is not None:
            return labels[j], j == k
    return None


def _previous_features(previous: list[Event], a: str, b: str) -> dict[str, float]:
    """What the sentences just before told of the pair: an event between the two (and
    its type), or an act of one of them with no other party ("China imposed sanctions.
    They target Japanese firms")."""
    f: dict[str, float] = {}
    for ev in previous:
        if ev.target_states:
            if _links(ev, a, b):
                f["prev_pair"] = 1.0
                f[f"prev_pair_type={ev.type}"] = 1.0
        else:
            for side, c in (("a", a), ("b", b)):
                if c in ev.source_states:
                    f[f"prev_act_{side}"] = 1.0
    return f


def candidates(
    ps: ParsedSentence,
    rule_events: list[Event],
    context: list[ContextState] | None = None,
    document: DocContext | None = None,
    previous: list[Event] | None = None,
) -> list[Candidate]:
    """Every trigger with every unordered pair of states named in the sentence; with
    ``context``, also every lexicon trigger with a state of the sentence and a state
    named just before it (or one of the document's main states). With ``document``,
    each pair's standing in the whole document is a feature too
    (:func:`_document_pair_features`); with ``previous`` (the rule events and one-sided
    acts of the sentences just before), what was told of each pair there
    (:func:`_previous_features`)."""
    words, speech = _prepare(ps)
    by_state: dict[str, list[Mention]] = {}
    for m in ps.mentions:
        for c in dict.fromkeys(m.countries):
            by_state.setdefault(c, []).append(m)
    states = sorted(by_state)
    heads = {c: _heads(ps, by_state[c]) for c in states}
    lex = lexicon()
    sent: dict[str, float] = {}
    if speech:
        sent["speech"] = 1.0
    if words & lex.hostile_words:
        sent["hostile"] = 1.0
    if words & lex.friendly_words:
        sent["friendly"] = 1.0
    if words & {"we", "our", "us"}:
        sent["first_person"] = 1.0
    label = _speaker_label(ps)
    if label is not None:
        sent[f"plabel={label[0]}" if label[1] else f"plabel_before={label[0]}"] = 1.0
    trigs = triggers(ps)
    tfeat: dict[int, dict[str, float]] = {}  # worked out for the triggers candidates use

    def features_of(t: Token) -> dict[str, float]:
        hit = tfeat.get(t.i)
        if hit is None:
            hit = tfeat[t.i] = _trigger_features(ps, t)
        return hit

    vectors = trigger_vectors(ps)
    tvec = {t.i: (None if vectors is None else vectors[t.i]) for t in trigs}
    out: list[Candidate] = []
    rule_at: dict[str, list[Event]] = {}
    for ev in rule_events:
        rule_at.setdefault(ev.rule.partition(":")[2], []).append(ev)
    # how each state attaches to each trigger: the other states compete for its roles
    att = {t.i: {c: _best(t.i, heads[c]) for c in states} for t in trigs}
    # a state named only as the patient of another's act ("Russia's invasion of
    # Ukraine"): the states of those agents
    patient_of: dict[str, set[str]] = {}
    for c in states:
        over = [ps.agents_over(m) for m in by_state[c]]
        if over and all(over):
            patient_of[c] = {x for ag in over for a in ag for x in a.countries} - {c}
    for i, a in enumerate(states):
        for b in states[i + 1 :]:
            pair = _pair_features(ps, heads[a], heads[b])
            if document is not None:
                pair.update(_document_pair_features(document, ps.sentence.index, a, b))
            evs = [e for e in rule_events if _links(e, a, b)]
            if previous:
                pair.update(_previous_features(previous, a, b))
            near = [
                t for t in trigs if min(att[t.i][a][2], att[t.i][b][2]) <= MAX_DISTANCE
            ]  # a trigger far from both states in the parse carries no event between them
            span = sorted(att[t.i][a][2] + att[t.i][b][2] for t in near)
            for t in near:
                f = dict(features_of(t))
                _competition(att[t.i], a, b, span, f)
                f.update(sent)
                f.update(pair)
                ra = _side_features(ps, t, by_state[a], "a", f, best=att[t.i][a])
                rb = _side_features(ps, t, by_state[b], "b", f, best=att[t.i][b])
                f[f"rab={ra}|{rb}"] = 1.0
                for side, c, other in (("a", a, b), ("b", b, a)):
                    if c in patient_of:
                        f[f"{side}_patient={'pair' if other in patient_of[c] else 'other'}"] = 1.0
                f[f"t={t.lemma_.lower()}|ra={ra}"] = 1.0
                f[f"t={t.lemma_.lower()}|rb={rb}"] = 1.0
                here = _rule_features(t, evs, a, f)
                if label is not None:
                    # the rules' events are read apart under a question: asked about,
                    # not always told
                    f[f"plabel={label[0]}|rule={'y' if here else 'n'}"] = 1.0
                if evs and not here:
                    _restating(t, trigs, evs, f)
                for ev in rule_at.get(t.lemma_, ()):
                    if not _links(ev, a, b):  # the rules gave this trigger another pair
                        shared = {a, b} & {*ev.source_states, *ev.target_states}
                        f[f"rule_here_other_pair={len(shared)}"] = 1.0
                out.append(Candidate(t.i, a, b, by_state[a], by_state[b], here, f, vec=tvec[t.i]))
    for ctx in context or []:
        if ctx.state in by_state:
            continue
        for s in states:
            a, b = sorted((s, ctx.state))
            side = "a" if a == s else "b"
            told = (
                {f"c:{k}": v for k, v in _previous_features(previous, a, b).items()}
                if previous
                else {}
            )
            for t in trigs:
                if _lex_class(t) is None and t.dep_ != "ROOT":
                    continue
                f = {f"c:{k}": v for k, v in features_of(t).items()}
                f.update({f"c:{k}": v for k, v in sent.items()})
                f["ctx"] = 1.0
                f[f"ctx_from={ctx.origin}"] = 1.0
                f[f"ctx_kind={ctx.mention.rule}"] = 1.0
                f[f"ctx_rank={min(ctx.rank, 4)}"] = 1.0
                f[f"ctx_offered={ctx.offered}"] = 1.0
                n_together, back = ctx.together.get(s, (0, 99))
                f[f"ctx_together={_bucket(n_together)}"] = 1.0
                f[f"ctx_back={_bucket(back) if back < 99 else 'never'}"] = 1.0
                f[f"ctx_from={ctx.origin}|together={_bucket(n_together)}"] = 1.0
                if {s, ctx.state} == ctx.main:
                    f["ctx_main_pair"] = 1.0
                f.update(told)
                g: dict[str, float] = {}
                r = _side_features(ps, t, by_state[s], "i", g, best=att[t.i][s])
                f.update({f"c:{k}": v for k, v in g.items()})
                f[f"c:in_{side}={r}"] = 1.0
                f[f"c:t={t.lemma_.lower()}|in={r}"] = 1.0
                for ch in t.children:
                    if (
                        ch.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
                        and ps.mention_of(ch) is None
                    ):
                        w = ch.lower_ if ch.lower_ in _PRONOUN_SUBJECTS else "noun"
                        f[f"c:free_{ch.dep_}={w}"] = 1.0
                        f[f"c:free_{ch.dep_}_{side}_in={w}"] = 1.0
                am = by_state[s] if side == "a" else [ctx.mention]
                bm = [ctx.mention] if side == "a" else by_state[s]
                out.append(
                    Candidate(t.i, a, b, am, bm, [], f, ctx.state, ctx.mention,
                              vec=tvec[t.i], vec_prefix="c:")
                )  # fmt: skip
    return out


# -- the model --------------------------------------------------------------------------
@dataclass(slots=True)
class LinearModel:
    """A multinomial logistic regression over named binary features."""

    classes: list[str]
    weights: dict[str, list[float]]
    intercept: list[float]
    #: the weights compiled to numpy arrays on first use
    compiled: Any = field(default=None, repr=False, compare=False)

    def _compiled(self) -> tuple[dict[str, int], Any, Any, dict[str, Any]]:
        """Weights as numpy arrays: a row index per feature, and the dense vector
        blocks (``v0`` … and ``c:v0`` …) as matrices."""
        cache: tuple[dict[str, int], Any, Any, dict[str, Any]] | None = self.compiled
        if cache is None:
            import numpy as np

            names = sorted(self.weights)
            index = {n: i for i, n in enumerate(names)}
            mat = np.array([self.weights[n] for n in names] or [[0.0] * len(self.classes)])
            dense: dict[str, Any] = {}
            for prefix in ("", "c:"):
                pattern = re.compile(rf"{re.escape(prefix)}v(\d+)")
                found = [int(m.group(1)) for n in names if (m := pattern.fullmatch(n))]
                size = max([VECTOR_SIZE - 1, *found]) + 1
                zero = [0.0] * len(self.classes)
                dense[prefix] = np.array(
                    [self.weights.get(f"{prefix}v{k}", zero) for k in range(size)]
                )
            cache = (index, mat, np.array(self.intercept), dense)
            self.compiled = cache
        return cache

    def scores(self, feats: dict[str, float], vec: Any = None, prefix: str = "") -> list[float]:
        index, mat, intercept, dense = self.compiled or self._compiled()
        rows = [index[n] for n in feats if n in index]
        z = intercept.copy()
        if rows:
            vals = [feats[n] for n in feats if n in index]
            z = z + mat[rows].T.dot(vals)
        if vec is not None:
            block = dense[prefix]
            z = z + block[: len(vec)].T.dot(vec)
        return [float(x) for x in z]

    def proba_many(self, items: list[tuple[dict[str, float], Any, str]]) -> list[dict[str, float]]:
        """:meth:`proba` for many candidates in a few array operations."""
        import numpy as np

        if not items:
            return []
        index, mat, intercept, dense = self.compiled or self._compiled()
        rows: list[int] = []
        vals: list[float] = []
        owner: list[int] = []
        for n, (feats, _, _) in enumerate(items):
            for name, v in feats.items():
                r = index.get(name)
                if r is not None:
                    rows.append(r)
                    vals.append(v)
                    owner.append(n)
        z = np.tile(intercept, (len(items), 1))
        if rows:
            contrib = mat[rows] * np.asarray(vals)[:, None]
            own = np.asarray(owner)
            starts = np.searchsorted(own, np.arange(len(items)))
            present = np.zeros(len(items), dtype=bool)
            present[own] = True
            if present.all():  # owners ascend: one segment sum per candidate
                z += np.add.reduceat(contrib, starts, axis=0)
            else:
                np.add.at(z, own, contrib)
        for prefix in ("", "c:"):
            sel = [n for n, (_, vec, p) in enumerate(items) if vec is not None and p == prefix]
            if sel:
                vecs = np.array([items[n][1] for n in sel])
                z[sel] += vecs.dot(dense[prefix][: vecs.shape[1]])
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        e /= e.sum(axis=1, keepdims=True)
        return [dict(zip(self.classes, row, strict=True)) for row in e.tolist()]

    def proba(self, feats: dict[str, float], vec: Any = None, prefix: str = "") -> dict[str, float]:
        z = self.scores(feats, vec, prefix)
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return {c: v / s for c, v in zip(self.classes, e, strict=True)}

    def explain(
        self,
        feats: dict[str, float],
        cls: str,
        n: int = 5,
        vec: Any = None,
        prefix: str = "",
    ) -> list[list[Any]]:
        """The features that weighed most for ``cls`` against the average class, as
        ``[name, contribution]`` pairs; the trigger's context vector counts as one
        feature (``trigger vector``)."""
        if cls not in self.classes:
            return []
        import numpy as np

        k = self.classes.index(cls)
        index, mat, _, dense = self.compiled or self._compiled()
        names = [name for name in feats if name in index]
        contrib: list[list[Any]] = []
        if names:
            w = mat[[index[name] for name in names]]
            vals = np.array([feats[name] for name in names])
            c = vals * (w[:, k] - w.mean(axis=1))
            contrib = [[name, round(float(x), 3)] for name, x in zip(names, c, strict=True)]
        if vec is not None:
            block = dense[prefix][: len(vec)]
            x = float(np.dot(vec, block[:, k] - block.mean(axis=1)))
            contrib.append([f"{prefix}trigger vector", round(x, 3)])
        contrib.sort(key=lambda x: (-abs(x[1]), x[0]))
        return contrib[:n]

    def to_dict(self) -> dict[str, Any]:
        return {"classes": self.classes, "intercept": self.intercept, "weights": self.weights}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LinearModel:
        return cls(
            classes=list(d["classes"]),
            weights={k: [float(x) for x in v] for k, v in d["weights"].items()},
            intercept=[float(x) for x in d["intercept"]],
        )


@dataclass(slots=True)
class BoostModel:
    """Gradient-boosted trees over the named binary features: the probability that a
    candidate is an event at all, blended with the type model's (:func:`fill_probabilities`),
    or with ``classes`` the probability of each type of an event, blended with the kind
    model's (:func:`event_type`).

    Fitted with LightGBM at training time only; stored here as plain arrays and evaluated
    with numpy, so coding needs no learning library. Every feature is present or absent,
    so each split says which child a candidate goes to when it has the split's feature
    (``p``) and when it has not (``a``); a child ``>= 0`` is a split of the same tree,
    ``< 0`` the leaf ``~child``. A tree without a split is its leaf ``~0``."""

    features: list[str]
    #: per tree: "f" (each split's feature, an index into ``features``), "p", "a" (the
    #: children as above) and "v" (the leaf values, learning rate applied)
    trees: list[dict[str, list[Any]]]
    #: the share of this model's probability in the blend (the linear model's: the rest)
    weight: float
    #: the classes of a multiclass model (the kind of an event); empty: event or not
    classes: list[str] = field(default_factory=list)
    compiled: Any = field(default=None, repr=False, compare=False)

    #: candidates evaluated at once (bounds the presence matrix's memory)
    BLOCK = 512

    def _compiled(self) -> tuple[dict[str, int], Any, Any, Any, Any, int]:
        """All trees in flat arrays: splits first, then leaves (node ``splits + j`` is
        leaf ``j``); a split's children at ``2·node`` (without its feature) and
        ``2·node + 1`` (with it); a leaf tests the column no feature has and leads to
        itself. Also the leaf values, each tree's root and the number of splits."""
        cache: tuple[dict[str, int], Any, Any, Any, Any, int] | None = self.compiled
        if cache is None:
            import numpy as np

            splits = sum(len(t["f"]) for t in self.trees)
            width = len(self.features) + 1
            feat: list[int] = []
            child: list[int] = []
            values: list[float] = []
            roots: list[int] = []
            for tree in self.trees:
                nodes, leaves = len(feat), len(values)

                def at(c: int, nodes: int = nodes, leaves: int = leaves) -> int:
                    return c + nodes if c >= 0 else splits + leaves + ~c

                roots.append(nodes if tree["f"] else splits + leaves)
                feat.extend(tree["f"])
                for a, p in zip(tree["a"], tree["p"], strict=True):
                    child.extend((at(a), at(p)))
                values.extend(tree["v"])
            for j in range(len(values)):
                feat.append(width - 1)
                child.extend((splits + j, splits + j))
            index = {n: i for i, n in enumerate(self.features)}
            cache = (
                index,
                np.asarray(feat, dtype=np.int64),
                np.asarray(child, dtype=np.int64),
                np.asarray(values, dtype=float),
                np.asarray(roots, dtype=np.int64),
                splits,
            )
            self.compiled = cache
        return cache

    #: tree levels walked between two sweeps of the walks that reached their leaf
    SWEEP = 4

    def raw_many(self, feats: list[dict[str, float]]) -> Any:
        """The raw scores of each feature set (a numpy array): the log-odds of an event,
        or with ``classes`` one score per class (n × classes; tree ``t`` counts for
        class ``t mod len(classes)``, as LightGBM orders them)."""
        import numpy as np

        index, feat, child, values, roots, splits = self._compiled()
        k = max(1, len(self.classes))
        out = np.zeros((len(feats), k))
        width = len(self.features) + 1
        cls_of = np.arange(len(roots)) % k
        for start in range(0, len(feats), self.BLOCK):
            block = feats[start : start + self.BLOCK]
            n = len(block)
            has = np.zeros(n * width, dtype=np.int64)
            for i, f in enumerate(block):
                cols = [i * width + j for name in f if (j := index.get(name)) is not None]
                has[cols] = 1
            # every (candidate, tree) walks down its tree a few levels at a time (a leaf
            # stays where it is); the walks at their leaf then add its value to their
            # candidate's class and leave the arrays, so the work is about the paths'
            # total length
            row = np.repeat(np.arange(n) * width, len(roots))
            slot = np.repeat(np.arange(n) * k, len(roots)) + np.tile(cls_of, n)
            cur = np.tile(roots, n)
            total = np.zeros(n * k)
            while len(cur):
                for _ in range(self.SWEEP):
                    cur = child[2 * cur + has[row + feat[cur]]]
                done = cur >= splits
                if done.any():
                    total += np.bincount(
                        slot[done], weights=values[cur[done] - splits], minlength=n * k
                    )
                    keep = ~done
                    row, slot, cur = row[keep], slot[keep], cur[keep]
            out[start : start + n] = total.reshape(n, k)
        return out if self.classes else out[:, 0]

    def p_event_many(self, feats: list[dict[str, float]]) -> list[float]:
        """Binary trees: the probability of an event for each feature set."""
        import numpy as np

        raw = self.raw_many(feats)
        return [float(x) for x in 1.0 / (1.0 + np.exp(-raw))]

    def proba_many(self, feats: list[dict[str, float]]) -> list[dict[str, float]]:
        """Trees with ``classes``: each feature set's probability of each class."""
        import numpy as np

        z = self.raw_many(feats)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        e /= e.sum(axis=1, keepdims=True)
        return [dict(zip(self.classes, row, strict=True)) for row in e.tolist()]

    def to_dict(self) -> dict[str, Any]:
        out = {"features": self.features, "trees": self.trees, "weight": self.weight}
        if self.classes:
            out["classes"] = self.classes
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> BoostModel:
        return cls(
            features=list(d["features"]),
            trees=list(d["trees"]),
            weight=float(d["weight"]),
            classes=list(d.get("classes", [])),
        )


def blend(probs: dict[str, float], p_boost: float, weight: float) -> dict[str, float]:
    """``probs`` (the type model's) with the probability of an event replaced by the
    mix ``weight · p_boost + (1 − weight) · P(event)``; the types keep their shares."""
    p_lin = 1.0 - probs.get(NONE, 0.0)
    p_event = weight * p_boost + (1.0 - weight) * p_lin
    out = {}
    for c, v in probs.items():
        if c == NONE:
            out[c] = 1.0 - p_event
        elif p_lin > 0:
            out[c] = v * p_event / p_lin
        else:
            out[c] = p_event / max(1, len(probs) - 1)
    return out


@dataclass(slots=True)
class Scorer:
    types: LinearModel
    direction: LinearModel
    add: float
    drop: float
    meta: dict[str, Any]
    #: threshold for partners from other sentences (1.01: never)
    add_context: float = 1.01
    #: threshold for a second event between a pair the sentence already links (None:
    #: ``add``)
    add_more: float | None = None
    #: the type of an event, given that there is one (trained on events only); None:
    #: the most probable type of ``types``
    kinds: LinearModel | None = None
    #: how sure the scorer must be of another type to retype a rule event: the share of
    #: its most probable type among the event types (1.01: never)
    retype: float = 1.01
    #: gradient-boosted trees for whether there is an event, blended with ``types``
    boost: BoostModel | None = None
    #: gradient-boosted trees for the type of an event, blended with ``kinds``
    kinds_boost: BoostModel | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Scorer:
        return cls(
            types=LinearModel.from_dict(d["types"]),
            direction=LinearModel.from_dict(d["direction"]),
            add=float(d["thresholds"]["add"]),
            drop=float(d["thresholds"]["drop"]),
            add_context=float(d["thresholds"].get("add_context", 1.01)),
            add_more=(
                float(d["thresholds"]["add_more"])
                if d["thresholds"].get("add_more") is not None
                else None
            ),
            meta=dict(d.get("meta", {})),
            kinds=LinearModel.from_dict(d["kinds"]) if d.get("kinds", {}).get("classes") else None,
            retype=float(d["thresholds"].get("retype", 1.01)),
            boost=BoostModel.from_dict(d["boost"]) if d.get("boost") else None,
            kinds_boost=BoostModel.from_dict(d["kinds_boost"]) if d.get("kinds_boost") else None,
        )


@cache
def load_scorer() -> Scorer | None:
    """The shipped model, or None when the package has none (rules only)."""
    path = resources.files("entente.data").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return Scorer.from_dict(json.loads(path.read_text("utf-8")))


# -- decisions ---------------------------------------------------------------------------
def fill_probabilities(scorer: Scorer, cands: list[Candidate]) -> None:
    """Type probabilities for every candidate that has none yet, in one batch (with the
    boosted trees' own probability of an event, where the scorer has trees)."""
    todo = [c for c in cands if c.probs is None]
    if not todo:
        return
    items = [(c.features, c.vec, c.vec_prefix) for c in todo]
    probs = scorer.types.proba_many(items)
    for c, p in zip(todo, probs, strict=True):
        c.probs, c.boosted = p, None
    if scorer.boost is not None:
        # the trees are asked only where the type model sees some chance of an event
        ask = [c for c, p in zip(todo, probs, strict=True) if p.get(NONE, 0.0) <= 1 - BOOST_FLOOR]
        w = scorer.boost.weight
        for c, b in zip(ask, scorer.boost.p_event_many([c.features for c in ask]), strict=True):
            assert c.probs is not None
            c.probs, c.boosted = blend(c.probs, b, w), b
    if scorer.kinds is not None and scorer.kinds_boost is not None:
        # the type of the candidates that may become new events, in one batch (the same
        # numbers as one at a time, :func:`event_type`, which fills any other)
        least = min(scorer.add, scorer.add_context, scorer.add_more or scorer.add)
        _fill_kinds(scorer, [c for c in todo if not c.rule_events
                             and 1 - (c.probs or {}).get(NONE, 0.0) >= least])  # fmt: skip


def _fill_kinds(scorer: Scorer, cands: list[Candidate]) -> None:
    """The kind model's type probabilities, blended with its trees', for ``cands``."""
    assert scorer.kinds is not None and scorer.kinds_boost is not None
    todo = [c for c in cands if c.kind_probs is None]
    if not todo:
        return
    w = scorer.kinds_boost.weight
    trees = scorer.kinds_boost.proba_many([c.features for c in todo])
    for c, kb in zip(todo, trees, strict=True):
        kp = scorer.kinds.proba(c.features, c.vec, c.vec_prefix)
        c.kind_probs = {k: (1 - w) * p + w * kb.get(k, 0.0) for k, p in kp.items()}


def judge(
    ps: ParsedSentence,
    rule_events: list[Event],
    scorer: Scorer,
    add: float | None = None,
    drop: float | None = None,
    context: list[ContextState] | None = None,
    add_context: float | None = None,
    cands: list[Candidate] | None = None,
    explain: bool = True,
    add_more: float | None = None,
    retype: float | None = None,
) -> list[Event]:
    """The sentence's events after the scorer: rule events kept unless judged "no
    event" at their trigger, and new events for confident candidates the rules missed
    (partners from other sentences with their own threshold; they cite that sentence).
    Without ``explain`` the events' ``why`` lists no features (threshold search in
    training, where only the decisions count)."""
    add = scorer.add if add is None else add
    drop = scorer.drop if drop is None else drop
    add_context = scorer.add_context if add_context is None else add_context
    retype = scorer.retype if retype is None else retype
    if add_more is None:
        add_more = scorer.add_more if scorer.add_more is not None else add
    if cands is None:
        cands = candidates(ps, rule_events, context if add_context <= 1.0 else None)
    fill_probabilities(scorer, cands)
    # a rule event is kept when the scorer does not rule it out at any of its candidates
    verdict: dict[int, float] = {}
    for cand in cands:
        for ev in cand.rule_events:
            pn = cand.type_proba(scorer).get(NONE, 0.0)
            verdict[id(ev)] = min(verdict.get(id(ev), 1.0), pn)
    out: list[Event] = []
    kept_rules: list[Event] = []
    for ev in rule_events:
        if id(ev) not in verdict:
            out.append(ev)  # the scorer has no candidate for it (a multi-state mention)
            continue
        p_none = verdict[id(ev)]
        if p_none < drop:
            cand = next(c for c in cands if any(x is ev for x in c.rule_events))
            rule_type = ev.type
            kept_rules.append(ev)  # the rules' own object, which the candidates carry
            ev = _retyped(ev, cand.type_proba(scorer), retype)
            ev.why = {
                "score": round(1 - p_none, 3),
                "features": scorer.types.explain(
                    cand.features, ev.type, vec=cand.vec, prefix=cand.vec_prefix
                )
                if explain
                else [],
            }
            if cand.boosted is not None:
                ev.why["trees"] = round(cand.boosted, 3)
            if ev.type != rule_type:
                ev.why["retyped_from"] = rule_type
                ev.why["type_probability"] = round(cand.type_proba(scorer)[ev.type], 3)
            out.append(ev)
    covered = {(c.trigger, c.a, c.b) for c in cands if c.rule_events}
    rule_triggers = {c.trigger for c in cands if c.rule_events}
    ruled_pairs = {
        frozenset(p) for ev in out for p in state_pairs(ev.source_states, ev.target_states)
    }
    # the states the sentence names other than as a place where something happens
    by_state_m: dict[str, list[Mention]] = {}
    for m in ps.mentions:
        for code in m.countries:
            by_state_m.setdefault(code, []).append(m)
    parties = [code for code, ms in by_state_m.items() if not _venue(ps, ms)]
    venue: dict[int, bool] = {}  # candidates share their mention lists: one test per list

    def is_venue(ms: list[Mention]) -> bool:
        hit = venue.get(id(ms))
        if hit is None:
            hit = venue[id(ms)] = _venue(ps, ms)
        return hit

    new: list[tuple[Candidate, str, str, float]] = []
    best_ctx: dict[tuple[int, str], float] = {}
    for cand in cands:
        if cand.rule_events or (cand.trigger, cand.a, cand.b) in covered:
            continue
        if cand.context_state is not None and (
            cand.trigger in rule_triggers or frozenset((cand.a, cand.b)) in ruled_pairs
        ):
            continue  # the rules found this act's partner (or its pair, from context)
        if (cand.trigger in rule_triggers or len(parties) >= 2) and (
            is_venue(cand.a_mentions) or is_venue(cand.b_mentions)
        ):
            continue  # "X and Y met in Quito": the parties are named (or the rules found
            # them); Quito hosts
        if _abstract_subject(ps.tokens[cand.trigger]):
            continue  # "China's naval strategy is moving …": a strategy does not act
        probs = cand.type_proba(scorer)
        score = 1 - probs.get(NONE, 0.0)
        if score < (add if cand.context_state is None else add_context):
            continue
        if cand.context_state is not None:
            key = (cand.trigger, cand.a if cand.b == cand.context_state else cand.b)
            if score <= best_ctx.get(key, 0.0):
                continue
            best_ctx[key] = score
        etype = event_type(scorer, cand)
        dprobs = scorer.direction.proba(cand.features, cand.vec, cand.vec_prefix)
        new.append((cand, etype, max(dprobs, key=lambda c: dprobs[c]), score))
    # one implicit partner per trigger and state: the most probable one
    new = [
        x
        for x in new
        if x[0].context_state is None
        or best_ctx.get((x[0].trigger, x[0].a if x[0].b == x[0].context_state else x[0].b), 0.0)
        == x[3]
    ]
    # a speech verb restates what its complement reports: "Turkey has closed its
    # airspace, the minister said" is one SANCTION, at "closed", not a second at "said"
    speech = lexicon().speech
    have = {(p, ev.type) for ev in out for p in state_pairs(ev.source_states, ev.target_states)}
    new = [
        x
        for x in new
        if not (
            ps.tokens[x[0].trigger].lemma_ in speech and (frozenset((x[0].a, x[0].b)), x[1]) in have
        )
    ]
    new = _drop_restated(ps, cands, kept_rules, new)
    new = _second_events(out, new, add_more)
    out.extend(_merge([_event(ps, scorer, *x, explain=explain) for x in new]))
    return out


def type_share(probs: dict[str, float]) -> tuple[str, float]:
    """The most probable event type of a candidate and its share of the probability
    that there is an event at all."""
    best = max((c for c in probs if c != NONE), key=lambda c: probs[c])
    rest = 1.0 - probs.get(NONE, 0.0)
    return best, (probs[best] / rest if rest > 0 else 0.0)


def _retyped(ev: Event, probs: dict[str, float], retype: float) -> Event:
    """A rule event the scorer keeps, with the type the scorer is sure of (its share of
    the event probability at least ``retype``) where the rule chose another: a copy
    (the rules' event may be judged again at other thresholds), with its quad and
    intensity recomputed and its mode (the rule's type's) dropped; its ``why`` says
    which type the rule had. Otherwise the event itself."""
    if retype > 1.0:
        return ev
    best, share = type_share(probs)
    if best == ev.type or share < retype:
        return ev
    return dataclasses.replace(
        ev, type=best, mode=None, quad=quad(best), intensity=intensity(best, None, ev.negated)
    )


def event_type(scorer: Scorer, cand: Candidate) -> str:
    """The type of a new event at ``cand``: the kind model's choice where the scorer
    has one, else the most probable type other than no event."""
    if scorer.kinds is not None:
        if cand.kind_probs is None:
            if scorer.kinds_boost is not None:
                _fill_kinds(scorer, [cand])
            else:
                cand.kind_probs = scorer.kinds.proba(cand.features, cand.vec, cand.vec_prefix)
        kp = cand.kind_probs
        assert kp is not None
        return max(kp, key=lambda c: kp[c])
    probs = cand.type_proba(scorer)
    return max((c for c in probs if c != NONE), key=lambda c: probs[c])


def _second_events(
    out: list[Event], new: list[tuple[Candidate, str, str, float]], add_more: float
) -> list[tuple[Candidate, str, str, float]]:
    """The scorer's new events, less those that would be a second event between a pair
    the sentence already links (a kept rule event, or a more probable new one) and score
    under ``add_more``: one trigger often restates another ("met … and held talks"),
    and a second event for the same pair pays only when the scorer is surer of it."""
    if not new:
        return new
    taken = {frozenset(p) for ev in out for p in state_pairs(ev.source_states, ev.target_states)}
    keep: set[int] = set()
    for k in sorted(range(len(new)), key=lambda k: -new[k][3]):  # stable: ties in order
        cand, score = new[k][0], new[k][3]
        pair = frozenset((cand.a, cand.b))
        if pair in taken and score < add_more:
            continue
        taken.add(pair)
        keep.add(k)
    return [x for k, x in enumerate(new) if k in keep]


def _abstract_subject(trigger: Token) -> bool:
    """Whether the trigger's subject is a thing that cannot act: a strategy, a policy,
    relations or ties (what they do is the relationship's course, read as an
    assessment, not an event between the states)."""
    lex = lexicon()
    for c in trigger.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            lemma = c.lemma_.lower()
            return lemma in lex.abstract_subjects or lemma in lex.relation_nouns
    return False


def _drop_restated(
    ps: ParsedSentence,
    cands: list[Candidate],
    kept: list[Event],
    new: list[tuple[Candidate, str, str, float]],
) -> list[tuple[Candidate, str, str, float]]:
    """The scorer's new events without those that restate an act already coded for the
    same pair one step away in the parse: a trigger that is the head or a dependent
    (not a conjunct) of a trigger carrying an event for the pair is the same act told
    twice ("agreed to hold talks", "took the decision to expel", "the visit he paid").
    Conjuncts stay separate acts ("suspended trade and closed its ports"). New events
    are taken most probable first, so the stronger of two linked triggers is kept."""
    kept_ids = {id(ev) for ev in kept}
    anchors: dict[frozenset[str], list[int]] = {}
    for c in cands:
        for ev in c.rule_events:
            if id(ev) in kept_ids:
                anchors.setdefault(frozenset((c.a, c.b)), []).append(c.trigger)
    dropped: set[int] = set()
    for x in sorted(new, key=lambda x: -x[3]):
        cand = x[0]
        pair = frozenset((cand.a, cand.b))
        t = ps.tokens[cand.trigger]
        if any(
            (t.head.i == i and t.dep_ != "conj")
            or (ps.tokens[i].head.i == t.i and ps.tokens[i].dep_ != "conj")
            for i in anchors.get(pair, [])
        ):
            dropped.add(id(x))
            continue
        anchors.setdefault(pair, []).append(cand.trigger)
    return [x for x in new if id(x) not in dropped]


#: mention rules of a place that can be a venue
_PLACE_RULES = frozenset({"capital", "city", "name"})


def _venue(ps: ParsedSentence, ms: list[Mention]) -> bool:
    """Whether every mention in ``ms`` names a place right after "in" / "at" ("met in
    Quito", "talks in The Hague") or is a state's adjective on a place noun there ("near
    the Syrian border"): the venue of an act, not a party to it."""
    if not ms:
        return False
    if all(located(ps, m) for m in ms):
        return True  # "near the Syrian border"
    for m in ms:
        toks = ps.tokens_of(m)
        if m.rule not in _PLACE_RULES or not toks or min(toks) == 0:
            return False
        if ps.tokens[min(toks) - 1].lower_ not in ("in", "at"):
            return False
    return True


def _event(
    ps: ParsedSentence,
    scorer: Scorer,
    cand: Candidate,
    etype: str,
    direction: str,
    score: float,
    explain: bool = True,
) -> Event:
    src, tgt = cand.a_mentions, cand.b_mentions
    s_state, t_state = cand.a, cand.b
    rule = "scorer" if cand.context_state is None else "scorer_context"
    if direction == "ba":
        src, tgt, s_state, t_state = tgt, src, t_state, s_state
    elif direction == "joint":
        rule += "+joint"
    anchor = ps.anchor()
    conf = score * min(m.confidence for m in [*src, *tgt])
    trig = ps.tokens[cand.trigger]
    return Event(
        source=list(src),
        target=list(tgt),
        type=etype,
        evidence=ps.evidence(),
        mode=None,
        quad=quad(etype),
        intensity=intensity(etype, None, False),
        negated=False,
        modality="asserted",
        date=anchor.value if anchor else None,
        date_precision=anchor.precision if anchor else None,
        confidence=round(conf, 3),
        rule=f"{rule}:{trig.lemma_}",
        source_states=[s_state],
        target_states=[t_state],
        context_spans=_context_spans(ps, cand),
        why={
            "score": round(score, 3),
            "type_probability": round(cand.type_proba(scorer)[etype], 3),
            "direction": direction,
            "features": scorer.types.explain(
                cand.features, etype, vec=cand.vec, prefix=cand.vec_prefix
            )
            if explain
            else [],
            **({"trees": round(cand.boosted, 3)} if cand.boosted is not None else {}),
        },
    )


def _merge(events: list[Event]) -> list[Event]:
    """Events of one trigger and type that share a side become one event with a
    compound actor ("China urged both Koreas", "Russia and China condemned …")."""
    out: list[Event] = []
    for ev in events:
        joint = ev.rule.split(":")[0].endswith("+joint")
        for prev in out:
            if prev.rule != ev.rule or prev.type != ev.type:
                continue
            if joint:
                if set(prev.source_states + prev.target_states) & set(
                    ev.source_states + ev.target_states
                ):
                    for m, c in zip(ev.target, ev.target_states, strict=False):
                        if c not in prev.source_states + prev.target_states:
                            prev.target.append(m)
                            prev.target_states.append(c)
                    break
            elif prev.source_states == ev.source_states:
                prev.target += [m for m in ev.target if m not in prev.target]
                prev.target_states += [c for c in ev.target_states if c not in prev.target_states]
                break
            elif prev.target_states == ev.target_states:
                prev.source += [m for m in ev.source if m not in prev.source]
                prev.source_states += [c for c in ev.source_states if c not in prev.source_states]
                break
        else:
            out.append(ev)
    return out


def _context_spans(ps: ParsedSentence, cand: Candidate) -> list[list[int]]:
    """The span of the sentence that names an implicit partner."""
    m = cand.context_mention
    if m is None or m.sentence is None or m.sentence >= len(ps.doc.sentences):
        return []
    s = ps.doc.sentences[m.sentence]
    return [[s.start, s.end]]
