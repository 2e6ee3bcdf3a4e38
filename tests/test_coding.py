"""Event, assessment and quotation coding on our own sentences and on the seed."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from entente.coding import code_document, records
from entente.pipeline import read_document, resolve


def code(tmp_path: Path, text: str, date: str = "2015-09-30") -> list[dict[str, Any]]:
    p = tmp_path / "t.txt"
    p.write_text(text)
    doc = resolve(read_document(p), date)
    return records(doc, code_document(doc, "rules"))


def events(rows: list[dict[str, Any]]) -> list[tuple[str, list[str], list[str]]]:
    return [
        (r["type"], [a["country"] for a in r["source"]], [a["country"] for a in r["target"]])
        for r in rows
        if r["kind"] == "event"
    ]


def has(rows: list[dict[str, Any]], etype: str, src: str, tgt: str) -> dict[str, Any]:
    for r in rows:
        if r["kind"] == "event" and r["type"] == etype:
            if src in [a["country"] for a in r["source"]] and tgt in [
                a["country"] for a in r["target"]
            ]:
                return r
    raise AssertionError(f"no {etype} {src}->{tgt} in {events(rows)}")


def test_active_and_passive_voice(tmp_path: Path) -> None:
    has(code(tmp_path, "Japan imposed sanctions on Russia in 2014."), "SANCTION", "JPN", "RUS")
    has(code(tmp_path, "Sanctions were imposed on Russia by Japan."), "SANCTION", "JPN", "RUS")
    # the parser hangs the agent on the noun of the verb's own phrase ("by" under "dozens")
    rows = code(
        tmp_path, "Travel bans were imposed on dozens of Russian officials by the United States."
    )
    has(rows, "SANCTION", "USA", "RUS")
    # a "by" that belongs to a verb inside the phrase names no agent of the act
    rows = code(tmp_path, "Sanctions were imposed on companies owned by Russia.")
    assert not [r for r in rows if r["kind"] == "event"]


def test_coordination_gives_several_sources(tmp_path: Path) -> None:
    rows = code(tmp_path, "Britain and France condemned Iran on Monday.")
    r = has(rows, "ACCUSE", "GBR", "IRN")
    assert sorted(a["country"] for a in r["source"]) == ["FRA", "GBR"]


def test_xcomp_chain(tmp_path: Path) -> None:
    # PLOVER: promised or planned cooperation and aid are AGREE
    rows = code(tmp_path, "Russia agreed to sell fighter jets to China.")
    has(rows, "AGREE", "RUS", "CHN")
    assert [r["type"] for r in rows if r["kind"] == "event"] == ["AGREE"]  # one event, not two
    planned = has(code(tmp_path, "China plans to send aid to Nepal."), "AGREE", "CHN", "NPL")
    assert planned["modality"] == "planned" and "planned" in planned["rule"]


def test_negation_and_refusal(tmp_path: Path) -> None:
    r = has(code(tmp_path, "Japan did not agree to the Russian proposal."), "REJECT", "JPN", "RUS")
    assert r["negated"] is True
    has(code(tmp_path, "Beijing refused to meet the Japanese delegation."), "REJECT", "CHN", "JPN")


def test_modality_hypothetical(tmp_path: Path) -> None:
    # PLOVER: acts inside a condition or speculation are no events; a plain negated
    # act did not happen; a refusal is REJECT
    assert events(code(tmp_path, "The United States could impose new sanctions on Iran.")) == []
    assert (
        events(code(tmp_path, "If China attacks Taiwan, Japan could impose sanctions on Beijing."))
        == []
    )
    assert events(code(tmp_path, "Japan did not hold talks with China.")) == []


def test_nominalisations(tmp_path: Path) -> None:
    rows = code(tmp_path, "Japan's imposition of sanctions on Russia has become an obstacle.")
    has(rows, "SANCTION", "JPN", "RUS")
    rows = code(tmp_path, "Russian aerial overflights and probes of Japan's defenses continue.")
    has(rows, "MOBILIZE", "RUS", "JPN")
    rows = code(tmp_path, "Russia's continuing military transfers to China worry Tokyo.")
    has(rows, "AID", "RUS", "CHN")  # arms deliveries are AID in PLOVER


def test_joint_action_with_third_party(tmp_path: Path) -> None:
    rows = code(
        tmp_path,
        "Medvedev and President Hu Jintao signed an agreement denouncing any effort by Japan to revise history.",
        "2010-09-27",
    )
    signed = has(rows, "SUPPORT", "CHN", "RUS")  # signing an agreement is SUPPORT
    assert "joint" in signed["rule"]
    acc = has(rows, "ACCUSE", "RUS", "JPN")
    assert sorted(a["country"] for a in acc["source"]) == ["CHN", "RUS"]


def test_reported_speech(tmp_path: Path) -> None:
    rows = code(tmp_path, "Lavrov stated that Japan had violated Russian airspace.")
    r = has(rows, "MOBILIZE", "JPN", "RUS")
    assert r["modality"] == "reported"


def test_assessments(tmp_path: Path) -> None:
    rows = code(
        tmp_path,
        "Sino-Russian relations drew closer after 2012. Relations between Tokyo and Seoul remain frosty.",
    )
    a = [r for r in rows if r["kind"] == "assessment"]
    got = {tuple(r["dyad"]): (r["polarity"], r["trend"]) for r in a}
    assert got[("CHN", "RUS")] == (1, "improving")
    assert got[("JPN", "KOR")] == (-1, None)


@pytest.mark.parametrize(
    ("text", "dyad", "polarity"),
    [
        # evaluative adjectives a relationship takes, predicative or attributive
        ("Relations between Egypt and Sudan have been poor for years.", ("EGY", "SDN"), -1),
        ("Ties between Bangladesh and Myanmar have long been clouded.", ("BGD", "MMR"), -1),
        ("Relations between Argentina and Chile are among the calmest.", ("ARG", "CHL"), 1),
        ("Kenya's relations with Uganda have never been better.", ("KEN", "UGA"), 1),
        # the subject of a verb that holds the relation is a party to it
        ("Honduras and Taiwan maintained close and friendly relations.", ("HND", "TWN"), 1),
        ("Russia has excellent ties with Vietnam.", ("RUS", "VNM"), 1),
        # no relations at all
        ("Iran and the United States still had no diplomatic relations.", ("IRN", "USA"), -1),
        # the speaker who says "our" is the other party
        (
            "Kazakhstan's foreign minister said: \"Relations with Moscow are excellent, "
            'and they remain the foundation of our foreign policy."',
            ("KAZ", "RUS"),
            1,
        ),
    ],
)
def test_assessment_constructions(
    tmp_path: Path, text: str, dyad: tuple[str, str], polarity: int
) -> None:
    a = [r for r in code(tmp_path, text) if r["kind"] == "assessment"]
    assert [(tuple(r["dyad"]), r["polarity"]) for r in a] == [(dyad, polarity)]


@pytest.mark.parametrize(
    "text",
    [
        # acting on a relation is an event, not a reading of its state
        "Egypt severed ties with France on Monday.",
        "Chad and Libya restored diplomatic relations in October.",
        # no evaluative word: nothing said about the state of the relation
        "Australia and Japan have relations.",
    ],
)
def test_no_assessment(tmp_path: Path, text: str) -> None:
    assert [r for r in code(tmp_path, text) if r["kind"] == "assessment"] == []


def test_quotes(tmp_path: Path) -> None:
    rows = code(
        tmp_path,
        'Foreign Minister Sergei Lavrov said: "Russia will not give up the islands." '
        'The so-called "reset" failed.\n\nLavrov stated:\n\nWe have no territorial dispute with Japan.\n',
    )
    qs = [r for r in rows if r["kind"] == "quote"]
    inline = next(q for q in qs if q["rule"] == "inline")
    assert (
        inline["speaker"]["country"] == "RUS" and inline["speaker"]["person"] == "RUS.lavrov_sergei"
    )
    scare = next(q for q in qs if q["rule"] == "scare")
    assert scare["attributed"] is False and scare["quote"] == "reset"
    block = next(q for q in qs if q["rule"] == "block")
    assert (
        block["quote"].startswith("We have no territorial dispute")
        and block["speaker"]["country"] == "RUS"
    )


def test_rows_validate_against_schema(tmp_path: Path, examples_dir: Path) -> None:
    schema = json.loads(resources.files("entente.data").joinpath("record.schema.json").read_text())
    p = examples_dir / "05_abe_putin_diplomacy_analysis.txt"
    doc = resolve(read_document(p))
    rows = records(doc, code_document(doc))
    assert {r["kind"] for r in rows} == {"event", "assessment", "quote"}
    for r in rows:
        jsonschema.validate(r, schema)
        assert doc.text[r["span"][0] : r["span"][1]] == r["sentence"]


@pytest.fixture(scope="module")
def seed_rows(seed_doc) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    doc = resolve(seed_doc)
    return records(doc, code_document(doc, "rules"))


def _find(rows: list[dict[str, Any]], etype: str, src: str, tgt: str, words: str) -> dict[str, Any]:
    for r in rows:
        if r["kind"] == "event" and r["type"] == etype and words in r["sentence"]:
            if src in [a["country"] for a in r["source"]] and tgt in [
                a["country"] for a in r["target"]
            ]:
                return r
    raise AssertionError(f"no {etype} {src}->{tgt} with {words!r}")


def test_seed_events(seed_rows) -> None:  # type: ignore[no-untyped-def]
    sale = _find(seed_rows, "AGREE", "RUS", "CHN", "Su-35")  # agreed to sell: a commitment
    assert sale["date"] == "2013-03"
    rog = _find(seed_rows, "ACCUSE", "RUS", "JPN", "ritual suicide")
    assert rog["date"].startswith("2015") and rog["note"] == 11
    _find(seed_rows, "SANCTION", "JPN", "RUS", "impose and retain sanctions")
    post = _find(seed_rows, "REJECT", "JPN", "RUS", "postponed Putin’s visit")
    assert post["mode"] == "visit-cancelled"
    _find(seed_rows, "MOBILIZE", "RUS", "JPN", "overflights")
    agree = _find(seed_rows, "SUPPORT", "CHN", "RUS", "September 2010 agreement")  # signed
    assert agree["date"] is not None
    _find(seed_rows, "ACCUSE", "RUS", "JPN", "September 2010 agreement")
    for r in seed_rows:
        assert r["sentence"] and r["span"][1] > r["span"][0]


def test_seed_assessments_and_block_quote(seed_rows, seed_doc) -> None:  # type: ignore[no-untyped-def]
    a = [r for r in seed_rows if r["kind"] == "assessment"]
    closer = next(r for r in a if "drew closer" in r["sentence"] and r["dyad"] == ["CHN", "RUS"])
    assert closer["polarity"] == 1 and closer["trend"] == "improving"
    stag = next(r for r in a if "plunged into stagnation" in r["sentence"])
    assert (
        stag["dyad"] == ["JPN", "RUS"] and stag["polarity"] == -1 and stag["period"] == "2010/2011"
    )
    block = next(
        r for r in seed_rows if r["kind"] == "quote" and r["rule"] == "block" and r["speaker"]
    )
    assert block["speaker"]["person"] == "RUS.lavrov_sergei"
    assert block["quote"].startswith("In regards to international issues")
    text = seed_doc.text
    for r in seed_rows:
        assert text[r["span"][0] : r["span"][1]] == r["sentence"]


# -- argument completion, lemma triggers and lexical classes (issue 11) -------------------
CASES = [
    # lemma match: plural event nouns
    (
        "Japanese and Russian officials held several meetings in Moscow last week.",
        "CONSULT",
        "JPN",
        "RUS",
    ),
    # the governing verb's subject and its prepositional object complete a noun
    ("Washington slapped sanctions on Moscow on Monday.", "SANCTION", "USA", "RUS"),
    ("Following talks with Seoul, Beijing announced new investments.", "CONSULT", "CHN", "KOR"),
    ("Tokyo held a fresh round of talks with Moscow.", "CONSULT", "JPN", "RUS"),
    # object control: the matrix object acts
    (
        "The pressure forced Pakistan to withdraw its troops from Indian territory.",
        "RETREAT",
        "PAK",
        "IND",
    ),
    # passive without "by": "from" names the actor of an expulsion
    ("Russian diplomats were expelled from Japan.", "SANCTION", "JPN", "RUS"),
    # demands with modals and critical words in reported speech
    ("The Chinese spokesman said Japan must stop its provocations.", "REQUEST", "CHN", "JPN"),
    ("Beijing said Tokyo's decision was deplorable and unfriendly.", "ACCUSE", "CHN", "JPN"),
    ("Moscow said the deployment by Estonia was not acceptable.", "ACCUSE", "RUS", "EST"),
    # force and presence
    ("North Korea fired two missiles toward Japan.", "ASSAULT", "PRK", "JPN"),
    (
        "Chinese coast guard ships entered Japanese waters near the islands.",
        "MOBILIZE",
        "CHN",
        "JPN",
    ),
    ("China held military drills aimed at Taiwan.", "MOBILIZE", "CHN", "TWN"),
    # PLOVER conventions
    ("China warned India not to cross the line.", "REQUEST", "CHN", "IND"),
    ("The United States withdrew from the treaty with Russia.", "SANCTION", "USA", "RUS"),
    (
        "Japan postponed the visit of Russian Foreign Minister Sergei Lavrov.",
        "REJECT",
        "JPN",
        "RUS",
    ),
    ("Moscow summoned the Estonian ambassador.", "ACCUSE", "RUS", "EST"),
    ("Seoul called on Tokyo to lift its export curbs.", "REQUEST", "KOR", "JPN"),
    ("Vladimir Putin will visit Tokyo in December.", "AGREE", "RUS", "JPN"),
    ("Canada and Mexico will hold talks next month.", "AGREE", "CAN", "MEX"),
    ("China and Russia held joint naval drills in the Sea of Japan.", "COOPERATE", "CHN", "RUS"),
    # defiance and diplomacy classes
    ("Iran defied the United States and resumed enrichment.", "REJECT", "IRN", "USA"),
    ("Turkey offered to mediate between Russia and Ukraine.", "AGREE", "TUR", "RUS"),
    ("Qatar granted asylum to Afghan officials.", "AID", "QAT", "AFG"),
    # a number or quantifier object stands for the noun after its "of"
    ("Finland will close all but one of its land crossings with Russia.", "SANCTION", "FIN", "RUS"),
    ("Zagreb closed seven of its eight road crossings with Serbia.", "SANCTION", "HRV", "SRB"),
    ("Japan closed most of its ports to North Korean ships.", "SANCTION", "JPN", "PRK"),
    # stopping trade, flights, transfers or aid is SANCTION (discontinue), not the act
    ("Moscow stopped postal transfers to Georgia.", "SANCTION", "RUS", "GEO"),
    ("Moscow stopped all flights to Georgia.", "SANCTION", "RUS", "GEO"),
    # calling something by a damning name is ACCUSE of its state
    (
        "Serbian President Aleksandar Vucic called the Croatian measures an attempt to "
        "humiliate Serbia.",
        "ACCUSE",
        "SRB",
        "HRV",
    ),
    ("President Putin called the American move a mistake.", "ACCUSE", "RUS", "USA"),
    ("Iran called the Saudi deployment unacceptable.", "ACCUSE", "IRN", "SAU"),
    # the author of what is acted on is the recipient ("a draft prepared by France")
    (
        "Russia voted against the draft resolution prepared by France and the United Arab "
        "Emirates.",
        "REJECT",
        "RUS",
        "FRA",
    ),
    ("Russia vetoed a resolution drafted by the United States.", "REJECT", "RUS", "USA"),
    # gratitude to a state is SUPPORT
    ("India is grateful to Russia.", "SUPPORT", "IND", "RUS"),
    ("Japan is thankful for the American support.", "SUPPORT", "JPN", "USA"),
]


@pytest.mark.parametrize(("text", "etype", "src", "tgt"), CASES)
def test_constructions(tmp_path: Path, text: str, etype: str, src: str, tgt: str) -> None:
    has(code(tmp_path, text), etype, src, tgt)


# PLOVER manual distinctions carried by the object or the governing word, each a class
MANUAL_TYPES = [
    # future meetings and visits, and invitations, are AGREE
    (
        "Finland's ambassador is to visit the Russian Foreign Ministry on Friday.",
        "AGREE",
        "FIN",
        "RUS",
    ),
    ("India was ready to hold talks with the United States.", "AGREE", "IND", "USA"),
    ("Nixon said that he had accepted an invitation to visit China.", "AGREE", "USA", "CHN"),
    # withdrawing non-military resources is SANCTION; forces stay RETREAT
    ("Azerbaijan withdrew its ambassador from Iran.", "SANCTION", "AZE", "IRN"),
    ("India withdrew Pakistan's most-favoured-nation trade status.", "SANCTION", "IND", "PAK"),
    ("Russia withdrew its troops from Georgia.", "RETREAT", "RUS", "GEO"),
    # expelling diplomats is SANCTION, other people COERCE
    ("Russia expelled 23 British diplomats.", "SANCTION", "RUS", "GBR"),
    ("Eritrea expelled thousands of Ethiopians.", "COERCE", "ERI", "ETH"),
    ("Bolivia declared the US ambassador persona non grata.", "SANCTION", "BOL", "USA"),
    # objections are ACCUSE; refusing a proposal is REJECT
    (
        "China firmly opposes the deployment of missiles in Japan by the United States.",
        "ACCUSE",
        "CHN",
        "USA",
    ),
    ("Russia opposed the British proposal.", "REJECT", "RUS", "GBR"),
    # prisoner exchanges and ceding territory are RETREAT
    ("Russia and Ukraine exchanged 303 prisoners on Sunday.", "RETREAT", "RUS", "UKR"),
    ("India and Pakistan exchanged fire along the border.", "ASSAULT", "IND", "PAK"),
    # what is traded names the act: accusations, threats, expulsions (not cooperation)
    ("Iran and Saudi Arabia traded accusations of meddling.", "ACCUSE", "IRN", "SAU"),
    ("Russia and Ukraine exchanged threats.", "THREATEN", "RUS", "UKR"),
    ("Russia and Britain traded expulsions of diplomats.", "SANCTION", "GBR", "RUS"),
    # the target passed on by an event or relationship noun, or through "out of"
    ("The Kremlin withdrew from talks on a peace treaty with Japan.", "SANCTION", "RUS", "JPN"),
    ("Ukraine applied for membership of the European Union.", "REQUEST", "UKR", "EUR"),
    ("By April Russian forces had pulled out of the Kyiv region.", "RETREAT", "RUS", "UKR"),
    ("Japan temporarily called home its envoy in Moscow.", "SANCTION", "JPN", "RUS"),
    ("Nigeria transferred the Bakassi peninsula to Cameroon.", "RETREAT", "NGA", "CMR"),
    # ending or cutting cooperation is SANCTION; concluding a treaty is SUPPORT
    ("Burkina Faso ended the defence cooperation agreement with France.", "SANCTION", "BFA", "FRA"),
    ("The United States will reduce assistance to Afghanistan.", "SANCTION", "USA", "AFG"),
    # reducing or cutting forces is a drawdown (RETREAT), whatever the verb
    ("Britain reduced its garrison in Belize.", "RETREAT", "GBR", "BLZ"),
    ("Moscow cut the number of its troops in Armenia.", "RETREAT", "RUS", "ARM"),
    ("Bhutan concluded a border agreement with China in 1988.", "SUPPORT", "BTN", "CHN"),
    # promises: a promised retreat is CONCEDE, a vowed attack a THREATEN
    ("Russia pledged to withdraw its forces from Moldova.", "CONCEDE", "RUS", "MDA"),
    ("Iran vowed to retaliate against Israel.", "THREATEN", "IRN", "ISR"),
    ("The European Union agreed to impose sanctions on Russia.", "SANCTION", "EUR", "RUS"),
    # agreeing to or declaring a ceasefire is a verbal concession (CONCEDE), not AGREE
    ("Cambodia and Thailand agreed to an immediate ceasefire.", "CONCEDE", "KHM", "THA"),
    ("Peru declared a unilateral ceasefire against Ecuador.", "CONCEDE", "PER", "ECU"),
    # halting hostilities is a concession, also when agreed; raised tariffs are SANCTION,
    # lowered or lifted curbs CONCEDE; withheld shipments SANCTION (not AID)
    ("Russia halted its offensive in Georgia.", "CONCEDE", "RUS", "GEO"),
    ("Armenia agreed on Tuesday to halt the fighting with Azerbaijan.", "CONCEDE", "ARM", "AZE"),
    ("Washington raised duties on Chinese goods to 25 percent.", "SANCTION", "USA", "CHN"),
    ("China agreed to halve tariffs on American goods.", "CONCEDE", "CHN", "USA"),
    ("China reportedly held back shipments of rare earths to Japan.", "SANCTION", "CHN", "JPN"),
    # an action noun takes its verb's object rules: a halt or pause in hostilities and
    # the lifting of sanctions are CONCEDE, the withdrawal of an envoy SANCTION, and the
    # halted strikes are no attack of their own
    ("Israel announced a halt to its air strikes on Lebanon.", "CONCEDE", "ISR", "LBN"),
    ("Turkey ordered a pause in its offensive against Syria.", "CONCEDE", "TUR", "SYR"),
    ("The European Union approved the lifting of sanctions on Iran.", "CONCEDE", "EUR", "IRN"),
    ("Peru announced the withdrawal of its ambassador from Mexico.", "SANCTION", "PER", "MEX"),
    ("Russia announced the withdrawal of its troops from Georgia.", "CONCEDE", "RUS", "GEO"),
    # words of objection and of sympathy after a light verb
    ("Moscow voiced its objections to NATO's expansion.", "ACCUSE", "RUS", "NATO"),
    ("China expressed outrage at the American decision.", "ACCUSE", "CHN", "USA"),
    ("Egypt conveyed its condolences to Morocco.", "SUPPORT", "EGY", "MAR"),
    # any verb "in protest" is a protest; the premises' state is its target
    (
        "Thousands of Iranians gathered outside the British embassy in Tehran in protest.",
        "PROTEST",
        "IRN",
        "GBR",
    ),
    # phrasal verbs
    ("Rwanda sent home the Belgian ambassador.", "SANCTION", "RWA", "BEL"),
    ("The Greek coast guard turned back Turkish fishing boats.", "COERCE", "GRC", "TUR"),
    ("India pushed back against China's demand.", "REJECT", "IND", "CHN"),
    ("Denmark opted out of the EU defence policy.", "REJECT", "DNK", "EUR"),
    ("Israel caved in to American pressure.", "CONCEDE", "ISR", "USA"),
    # speaking with a counterpart is a consultation
    ("Jordan's King Abdullah spoke with President Biden.", "CONSULT", "JOR", "USA"),
    ("Blinken spoke by telephone with Wang Yi.", "CONSULT", "USA", "CHN"),
    # planned joint patrols are AGREE (joint operations are COOPERATE, not MOBILIZE)
    ("China and Laos agreed to launch joint patrols on the Mekong.", "AGREE", "CHN", "LAO"),
]


@pytest.mark.parametrize(("text", "etype", "src", "tgt"), MANUAL_TYPES)
def test_manual_type_distinctions(
    tmp_path: Path, text: str, etype: str, src: str, tgt: str
) -> None:
    rows = code(tmp_path, text)
    has(rows, etype, src, tgt)
    assert len({r["type"] for r in rows if r["kind"] == "event"}) == 1, events(rows)


def test_a_state_acting_jointly_with_a_group_faces_each_member(tmp_path: Path) -> None:
    rows = code(tmp_path, "Iran and the six powers reached a framework agreement.")
    ev = [r for r in rows if r["kind"] == "event"]
    assert ev, rows
    assert [a["country"] for a in ev[0]["source"]] == ["IRN"]
    assert sorted(a["country"] for a in ev[0]["target"]) == [
        "CHN", "DEU", "FRA", "GBR", "RUS", "USA",
    ]  # fmt: skip


def test_prevented_act_and_other_objects_are_no_events(tmp_path: Path) -> None:
    rows = code(tmp_path, "Croatia barred Serbian lorries from entering its territory.")
    assert [e[0] for e in events(rows)] == ["SANCTION"]
    # "carried out" is an attack only with an attack as its object
    assert events(code(tmp_path, "American and Vietnamese teams carried out joint searches.")) == []
    has(
        code(tmp_path, "Pakistan's air force carried out strikes on India."),
        "ASSAULT",
        "PAK",
        "IND",
    )


def test_the_victim_of_a_condemned_act_is_no_target(tmp_path: Path) -> None:
    for text, tgt in (
        ("The G7 condemned Russia's invasion of Ukraine.", ["RUS"]),
        ("The EU condemned the Russian attack on Ukraine.", ["RUS"]),
        ("Japan criticised the pressure on Taiwan by China.", ["CHN"]),
        ("Japan protested China's detention of a Japanese national.", ["CHN"]),
        # the agent is the source itself: the other side stays the target
        ("Russia postponed Putin's visit to Japan.", ["JPN"]),
    ):
        ev = events(code(tmp_path, text))
        assert [e[2] for e in ev] == [tgt], (text, ev)


def test_place_names_are_not_actors(tmp_path: Path) -> None:
    rows = code(tmp_path, "China and Russia held joint naval drills in the Sea of Japan.")
    assert all(
        "JPN" not in [a["country"] for a in r["target"]] for r in rows if r["kind"] == "event"
    )
    rows = code(tmp_path, "Japan imposed sanctions over Ukraine on Russia.")
    assert [e for e in events(rows) if "UKR" in e[2]] == []


@pytest.mark.parametrize(
    ("text", "etype", "src", "tgt"),
    [
        ("In April Tokyo expelled eight Russian diplomats.", "SANCTION", "JPN", "RUS"),
        ("On 10 March 2023 Saudi Arabia and Iran agreed to restore ties.", "AGREE", "IRN", "SAU"),
        ("Early in May 2019 Beijing accused Canada of hypocrisy.", "ACCUSE", "CHN", "CAN"),
    ],
)
def test_a_fronted_date_without_comma_keeps_its_subject(
    tmp_path: Path, text: str, etype: str, src: str, tgt: str
) -> None:
    """The small parser reads "In April Tokyo" as one prepositional phrase; the parse is
    given a comma in place of the space, and nothing else changes."""
    r = has(code(tmp_path, text), etype, src, tgt)
    assert r["sentence"] == text  # the evidence is the text as written


def test_parse_input_keeps_every_offset() -> None:
    from entente.coding.context import parse_input
    from entente.nlp import get_nlp

    nlp = get_nlp("parse")
    text = "On 10 March 2023 Saudi Arabia and Iran agreed to restore ties."
    doc = parse_input(nlp, text)
    assert not isinstance(doc, str) and len(doc.text) == len(text)
    assert doc.text == text.replace("2023 Saudi", "2023,Saudi")
    plain = nlp.make_doc(text)
    assert [t.idx for t in doc if t.text != ","] == [t.idx for t in plain]
    for unchanged in ("In 2014, Russia annexed Crimea.", "Russia in April expelled them.",
                      "In Moscow Lavrov met Wang Yi."):  # fmt: skip
        assert parse_input(nlp, unchanged) == unchanged


def test_a_meeting_venue_is_no_party(tmp_path: Path) -> None:
    rows = code(tmp_path, "Russian and Ukrainian delegations met for talks in Belarus.")
    assert events(rows) == [("CONSULT", ["RUS"], ["UKR"])]
    r = has(code(tmp_path, "Iran and Saudi Arabia held talks in Baghdad."), "CONSULT", "IRN", "SAU")
    assert "IRQ" not in [a["country"] for a in r["source"] + r["target"]]
    # the venue is the host when there is no other side
    has(code(tmp_path, "Putin arrived for talks in Tokyo on Monday."), "CONSULT", "RUS", "JPN")
    # nor is the place of a signing, when the signatories are named
    rows = code(tmp_path, "Argentina and Brazil signed the safeguards agreement in Vienna.")
    assert "AUT" not in {c for e in events(rows) for c in e[1] + e[2]}
    has(rows, "SUPPORT", "ARG", "BRA")
    rows = code(
        tmp_path,
        "Indonesia and the Netherlands signed an agreement at United Nations headquarters.",
    )
    assert "UNO" not in {c for e in events(rows) for c in e[1] + e[2]}
    rows = code(tmp_path, "Russia and the United States swapped prisoners at Vienna's airport.")
    assert "AUT" not in {c for e in events(rows) for c in e[1] + e[2]}
    # an attack's place is its target
    has(code(tmp_path, "Israel struck targets in Damascus."), "ASSAULT", "ISR", "SYR")


HEADLINES = [
    ("South Korea halts trade with North Korea over sinking of warship", "SANCTION", "KOR", "PRK"),
    (
        "China sanctions Pelosi, halts cooperation with US as drills ring Taiwan",
        "SANCTION",
        "CHN",
        "USA",
    ),
    ("Russia and Ukraine trade prisoners", "RETREAT", "RUS", "UKR"),
]


@pytest.mark.parametrize(("text", "etype", "src", "tgt"), HEADLINES)
def test_headline_grammar(tmp_path: Path, text: str, etype: str, src: str, tgt: str) -> None:
    # the parser reads these as noun phrases ("halts" a plural noun); headline grammar,
    # SUBJECT verbs OBJECT, codes them, and the noun after the verb is its object
    rows = code(tmp_path, text + "\n\nThe story follows.")
    r = has(rows, etype, src, tgt)
    assert r["rule"].startswith("headline")
    assert len([x for x in rows if x["kind"] == "event"]) == 1, events(rows)


def test_headline_joint_signing_ignores_hyphenated_broker(tmp_path: Path) -> None:
    rows = code(tmp_path, "Armenia, Azerbaijan sign Moscow-brokered deal to end war\n\nText.")
    assert events(rows) == [("SUPPORT", ["ARM"], ["AZE"])]


def test_a_relative_pronoun_subject_is_its_antecedent(tmp_path: Path) -> None:
    """ "Maehara, who arrived in Moscow": the actor is the noun the clause hangs on."""
    rows = code(
        tmp_path,
        "Maehara, who arrived in Moscow on Thursday, had hoped to steady ties. "
        "China, which imposed sanctions on Japan in 2010, said nothing.",
        date="2011-02-11",
    )
    has(rows, "CONSULT", "JPN", "RUS")
    has(rows, "SANCTION", "CHN", "JPN")


def test_a_response_verb_frames_the_act_it_names(tmp_path: Path) -> None:
    """ "responded with sanctions on", "retaliated with a ban", "hit back with tariffs":
    the noun after "with" is the event, done by the verb's subject; the verb codes no
    event of its own (a retaliation with a ban is no assault)."""
    rows = code(
        tmp_path,
        "The dispute grew in May. Tokyo responded with sanctions on Moscow. "
        "Russia retaliated with a ban on Japanese fish imports. "
        "Seoul hit back with tariffs on Japanese goods.",
    )
    has(rows, "SANCTION", "JPN", "RUS")
    has(rows, "SANCTION", "RUS", "JPN")
    has(rows, "SANCTION", "KOR", "JPN")
    assert not [e for e in events(rows) if e[0] == "ASSAULT"]


def test_valuing_and_appreciating_a_partner_is_support(tmp_path: Path) -> None:
    rows = code(
        tmp_path,
        "The dispute eased. Australia values its comprehensive strategic partnership with "
        "China. Japan appreciates the support of India.",
    )
    has(rows, "SUPPORT", "AUS", "CHN")
    has(rows, "SUPPORT", "JPN", "IND")


def test_a_state_adjective_on_a_meeting_place_is_no_party(tmp_path: Path) -> None:
    rows = code(
        tmp_path,
        "The war went on. Russian and Ukrainian delegations met for talks on the Belarusian "
        "border on 28 February.",
    )
    assert {c for e in events(rows) for c in e[1] + e[2]} == {"RUS", "UKR"}


@pytest.mark.parametrize(
    ("text", "etype", "src", "tgt"),
    [
        # tit for tat: the subject was the recipient of the act just told
        ("Colombia expelled Venezuela's ambassador on Monday. Caracas did the same.",
         "SANCTION", "VEN", "COL"),
        ("India recalled its high commissioner from Islamabad; Pakistan did the same with "
         "its envoy in New Delhi.", "SANCTION", "PAK", "IND"),
        ("Japan expelled two Russian diplomats on Friday. Moscow responded in kind.",
         "SANCTION", "RUS", "JPN"),
        # following suit: a third state does the same to the same recipient
        ("The United States imposed sanctions on Russia in March. The European Union "
         "followed suit a week later.", "SANCTION", "EUR", "RUS"),
    ],
)  # fmt: skip
def test_repeated_act_takes_the_antecedents_type(
    tmp_path: Path, text: str, etype: str, src: str, tgt: str
) -> None:
    """ "did the same", "followed suit", "responded in kind": the act just told, with the
    subject as actor; one whose antecedent is in another sentence cites that sentence."""
    rows = code(tmp_path, "A note to begin.\n" + text)
    r = has(rows, etype, src, tgt)
    assert r["rule"].startswith("repeat:")
    if "; " not in text:
        assert r["context_spans"] and r["context_spans"][0][1] <= r["span"][0]


def test_repeat_not_done_or_without_antecedent_is_no_event(tmp_path: Path) -> None:
    rows = code(
        tmp_path, "A note to begin.\nGermany imposed sanctions on Iran. France did not do the same."
    )
    assert not [e for e in events(rows) if "FRA" in e[1]]
    rows = code(tmp_path, "A note to begin.\nThe weather was mild. Caracas did the same.")
    assert events(rows) == []


@pytest.mark.parametrize(
    ("text", "etype", "src", "tgt"),
    [
        ("Russia's drills drew a protest from Tokyo.", "ACCUSE", "JPN", "RUS"),
        ("Russia staged drills on the islands, drawing a protest from Tokyo.", "ACCUSE", "JPN", "RUS"),
        ("The Chinese incursion sparked an angry rebuke from Tokyo.", "ACCUSE", "JPN", "CHN"),
        ("Japan received a protest from China over the visit.", "ACCUSE", "CHN", "JPN"),
        ("Japan received aid from China.", "AID", "CHN", "JPN"),
    ],
)  # fmt: skip
def test_event_noun_sent_from_a_state_to_the_subject(
    tmp_path: Path, text: str, etype: str, src: str, tgt: str
) -> None:
    """ "drew / prompted / received a protest from X": X acts on the subject's state."""
    rows = code(tmp_path, "A note to begin.\n" + text)
    has(rows, etype, src, tgt)
    assert not [e for e in events(rows) if e[0] == "CONSULT"]


@pytest.mark.parametrize(
    ("text", "etype", "src", "tgt"),
    [
        ("Russia hit Ukraine with a barrage of missiles.", "ASSAULT", "RUS", "UKR"),
        ("Washington hit Moscow with new sanctions.", "SANCTION", "USA", "RUS"),
        ("The United States slapped Iran with tariffs.", "SANCTION", "USA", "IRN"),
    ],
)  # fmt: skip
def test_verb_typed_by_what_it_hits_with(
    tmp_path: Path, text: str, etype: str, src: str, tgt: str
) -> None:
    rows = code(tmp_path, "A note to begin.\n" + text)
    assert events(rows) == [(etype, [src], [tgt])]


def test_state_adjective_on_a_place_is_no_party(tmp_path: Path) -> None:
    """ "near the Syrian border" says where, not to whom."""
    for coder in ("rules", "hybrid"):
        p = tmp_path / "t.txt"
        p.write_text("A note to begin.\nTurkey shot down a Russian jet near the Syrian border.")
        doc = resolve(read_document(p), "2015-11-24")
        rows = records(doc, code_document(doc, coder))
        assert events(rows) == [("ASSAULT", ["TUR"], ["RUS"])], coder


def test_verdict_on_an_act_told_before_answers_its_actor(tmp_path: Path) -> None:
    """ "welcomed the decision", "condemned the shelling": the actor of the act just
    told (of the noun's type when the noun names one) is the recipient, and the record
    cites that sentence; no act before, no event."""
    rows = code(
        tmp_path,
        "A note to begin.\nRussia withdrew its troops from Ukraine. Kyiv welcomed the decision.",
    )
    r = has(rows, "SUPPORT", "UKR", "RUS")
    assert r["rule"].startswith("answer_act:") and r["context_spans"]
    rows = code(
        tmp_path,
        "A note to begin.\nJapan and China signed a trade deal. Russia welcomed the agreement.",
    )
    assert ("SUPPORT", ["RUS"], ["CHN", "JPN"]) in [(t, s, sorted(g)) for t, s, g in events(rows)]
    rows = code(tmp_path, "A note to begin.\nThe weather was fine. Japan condemned the decision.")
    assert events(rows) == []


@pytest.mark.parametrize(
    ("text", "src", "tgt"),
    [
        (
            "Finland accused Russia of steering migrants. The Kremlin denied the charge.",
            "RUS",
            "FIN",
        ),
        ("Turkey accused Israel of piracy. Israel dismissed the allegations.", "ISR", "TUR"),
        ("Washington offered Iran talks. Tehran rebuffed the offer.", "IRN", "USA"),
    ],
)
def test_a_denial_answers_whoever_made_the_charge(
    tmp_path: Path, text: str, src: str, tgt: str
) -> None:
    """ "denied the charge", "dismissed the allegations", "rebuffed the offer": a REJECT
    of the state that made the charge or the offer just before (lexicon v16)."""
    r = has(code(tmp_path, "A note to begin.\n" + text), "REJECT", src, tgt)
    assert r["rule"].startswith("answer_act:") and r["context_spans"]


@pytest.mark.parametrize(
    "text",
    [
        "China expressed strong dissatisfaction with Japan's purchase of the islands.",
        "Seoul expressed disappointment over Tokyo's decision.",
        "Beijing voiced displeasure at the Japanese move.",
    ],
)
def test_expressed_displeasure_is_an_accusation(tmp_path: Path, text: str) -> None:
    rows = code(tmp_path, "A note to begin.\n" + text)
    assert [e[0] for e in events(rows)] == ["ACCUSE"]


def test_concern_over_a_place_names_no_recipient(tmp_path: Path) -> None:
    """ "over Ukraine" is a topic; "over Tokyo's decision" names whose act."""
    rows = code(tmp_path, "A note to begin.\nJapan expressed concern over Ukraine.")
    assert events(rows) == []


def test_labelled_a_currency_manipulator_is_an_accusation(tmp_path: Path) -> None:
    """ "labelled / branded X a …", and a bare "the Treasury" is the state in discourse."""
    rows = code(
        tmp_path,
        "A note to begin.\nWashington raised tariffs on Chinese goods in May. "
        "The Treasury then labelled China a currency manipulator.",
    )
    r = has(rows, "ACCUSE", "USA", "CHN")
    assert r["rule"] == "verb_active:label"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia called the Czech expulsions an unprecedented hostile act.", ("ACCUSE", "RUS", "CZE")),
        ("Moscow described Baku's steps as unfriendly.", ("ACCUSE", "RUS", "AZE")),
        ("Iran took ten American sailors into custody.", ("COERCE", "IRN", "USA")),
        ("Ecuador placed its air force on alert along the border with Peru.", ("MOBILIZE", "ECU", "PER")),
        ("The last South African troops left Lesotho in May 1999.", ("RETREAT", "ZAF", "LSO")),
        ("Moscow answered by ordering 20 employees of the Czech embassy to leave Russia.",
         ("SANCTION", "RUS", "CZE")),
        ("Several hundred Thais rallied outside the Cambodian embassy.", ("PROTEST", "THA", "KHM")),
        # protesters named by no state are the state of the city they protest in
        ("Angry crowds besieged the French embassy in Niamey on Sunday.", ("PROTEST", "NER", "FRA")),
        ("Protesters in Beijing threw stones at the Japanese embassy.", ("PROTEST", "CHN", "JPN")),
        ("Malaysian police sealed off the grounds of the North Korean embassy.",
         ("COERCE", "MYS", "PRK")),
        ("Argentina instituted proceedings against Uruguay before the court.", ("ACCUSE", "ARG", "URY")),
    ],
)  # fmt: skip
def test_fixed_phrases_of_force_presence_and_verdict(
    tmp_path: Path, text: str, expected: tuple[str, str, str]
) -> None:
    rows = code(tmp_path, "A note to begin.\n" + text)
    has(rows, *expected)


def test_naming_without_a_hostile_word_is_no_accusation(tmp_path: Path) -> None:
    rows = code(tmp_path, "A note to begin.\nMoscow described Baku's steps as important.")
    assert events(rows) == []


def test_naming_an_act_told_before_accuses_its_actor(tmp_path: Path) -> None:
    """ "described the affair as an unfriendly act": the actor of the act just told."""
    rows = code(
        tmp_path,
        "A note to begin.\nChile seized a Peruvian ship. Humala described the affair as an unfriendly act.",
    )
    r = has(rows, "ACCUSE", "PER", "CHL")
    assert r["rule"] == "answer_act:describe" and r["context_spans"]


def test_a_denial_in_a_that_clause_rejects_the_accuser(tmp_path: Path) -> None:
    """ "Beijing denied that anything had happened", after India accused it: REJECT of
    the accuser, citing the accusation; a denial with no accusation before is nothing."""
    from entente.coding import RecentEvents, parsed_sentences
    from entente.coding.events import EventCoder

    def rule_events(text: str) -> list[tuple[str, list[str], list[str], str]]:
        p = tmp_path / "d.txt"
        p.write_text(text)
        doc = resolve(read_document(p), "2020-06-20")
        recent = RecentEvents()
        out = []
        for ps in parsed_sentences(doc, single=True):  # one-state sentences too
            coder = EventCoder(ps, recent.before(ps.sentence.index))
            evs = coder.run()
            recent.add(ps.sentence.index, [*evs, *coder.acts])
            out += [(e.type, e.source_states, e.target_states, e.rule) for e in evs]
        return out

    got = rule_events(
        "India accused Chinese troops of crossing the line. Beijing denied that anything "
        "had happened."
    )
    assert ("REJECT", ["CHN"], ["IND"], "answer_act:deny") in got
    got = rule_events(
        "Peru accused Chile of spying on its navy. Chile denied that it had promoted any espionage."
    )
    assert ("REJECT", ["CHL"], ["PER"], "answer_act:deny") in got
    assert not [e for e in rule_events("Japan met China. Russia denied that it had sent troops.")
                if e[0] == "REJECT"]  # fmt: skip


def test_short_lexicon_verbs_match_their_inflections() -> None:
    """The cheap filter that decides what is parsed knows "denied" and "defied"."""
    from entente.coding.context import trigger_re

    for word in ("denied", "denies", "defied", "defies"):
        assert trigger_re().search(f"Moscow {word} it"), word


@pytest.mark.parametrize("coder", ["rules", "hybrid"])
def test_rows_made_a_window_at_a_time_equal_the_whole(
    coder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """code_records (events turned into rows window by window, as a huge document is
    coded) gives the rows of records(code_document(...)), in the same order."""
    import entente.coding as coding

    path = Path(__file__).resolve().parents[1] / "eval" / "dev" / "dev_001.txt"
    doc = resolve(read_document(path))
    whole = records(doc, code_document(doc, coder))
    monkeypatch.setattr(coding, "WINDOW", 3)
    rows, parsed = coding.code_records(doc, coder)
    assert rows == whole and parsed > 3
    assert [r["kind"] for r in rows].count("event") >= 5


@pytest.mark.parametrize(
    ("text", "etype", "src", "tgt"),
    [
        ("Poland lambasted Belarus over the border crisis.", "ACCUSE", "POL", "BLR"),
        ("Britain excoriated Iran for the seizure.", "ACCUSE", "GBR", "IRN"),
        ("A Moscow court convicted two Ukrainian sailors.", "COERCE", "RUS", "UKR"),
        ("Chile inked a free-trade pact with Vietnam.", "SUPPORT", "CHL", "VNM"),
        ("Washington slapped Venezuela with new sanctions.", "SANCTION", "USA", "VEN"),
        ("Lithuania ousted two Russian diplomats.", "SANCTION", "LTU", "RUS"),
        ("Turkey shipped armed drones to Ukraine.", "AID", "TUR", "UKR"),
        ("Australia equipped the Philippine navy with patrol boats.", "AID", "AUS", "PHL"),
        ("Japan scrapped a joint project with Russia.", "SANCTION", "JPN", "RUS"),
        ("Seoul shelved its arms deal with Moscow.", "SANCTION", "KOR", "RUS"),
        ("Pakistan relented to Chinese pressure.", "CONCEDE", "PAK", "CHN"),
        ("Canada lobbied Mexico to drop the tariffs.", "REQUEST", "CAN", "MEX"),
    ],
)
def test_verb_classes_added_for_wire_vocabulary(
    tmp_path: Path, text: str, etype: str, src: str, tgt: str
) -> None:
    """Verbs of the wires' vocabulary coded by their class (lexicon v15)."""
    has(code(tmp_path, "A note to begin.\n" + text), etype, src, tgt)


@pytest.mark.parametrize(
    ("text", "etype", "src", "tgt"),
    [
        # asked / told an envoy to leave: an expulsion; asked a state to act: a request
        ("Germany asked the CIA station chief at the US embassy to leave the country.",
         "SANCTION", "DEU", "USA"),
        ("Belarus told the head of the EU delegation to leave the country.", "SANCTION", "BLR", "EUR"),
        ("Russia asked Ukraine to withdraw its troops.", "REQUEST", "RUS", "UKR"),
        # what is sent or flown types the act
        ("Nigeria sent a special envoy to Pretoria.", "CONSULT", "NGA", "ZAF"),
        ("Chile sent Peru a diplomatic note objecting to the law.", "ACCUSE", "CHL", "PER"),
        ("The United States flew relief supplies into Myanmar.", "AID", "USA", "MMR"),
        ("Russia sent bombers toward Japan.", "MOBILIZE", "RUS", "JPN"),
        ("Greece sent a letter to the Turkish government.", "CONSULT", "GRC", "TUR"),
        # put on hold or on ice is a suspension, typed like "suspended"
        ("China put its talks with Japan on hold.", "SANCTION", "CHN", "JPN"),
        ("The United States put its tariffs on Mexican steel on hold.", "CONCEDE", "USA", "MEX"),
        ("Russia shelved talks with Japan.", "SANCTION", "RUS", "JPN"),
        # "put on" is typed by what is put: duties SANCTION, people on trial COERCE
        ("Mexico has already put tariffs on American pork.", "SANCTION", "MEX", "USA"),
        ("The Philippines put 62 Chinese fishermen on trial.", "COERCE", "PHL", "CHN"),
        # an agreement signed or concluded is SUPPORT (the manual), one agreed is AGREE
        ("The accord between Cuba and the United States, signed in 1984, lapsed.",
         "SUPPORT", "CUB", "USA"),
        ("The Philippines and China agreed a new fisheries pact.", "AGREE", "CHN", "PHL"),
        # quitting an agreement or talks is SANCTION; staying away from a summit REJECT
        ("Sri Lanka withdrew from a memorandum with India.", "SANCTION", "LKA", "IND"),
        ("The Kremlin withdrew from talks with Japan.", "SANCTION", "RUS", "JPN"),
        ("Poland withdrew from the summit in Israel.", "REJECT", "POL", "ISR"),
        # blocking a proposal is diplomatic refusal; blocking an advance is force
        ("France blocked an American proposal at NATO.", "REJECT", "FRA", "USA"),
        # exchanges: views are consultation, notes an agreement's formal step
        ("Singapore and Malaysia exchanged views on the region.", "CONSULT", "MYS", "SGP"),
        ("Washington and Moscow exchanged diplomatic notes.", "SUPPORT", "RUS", "USA"),
        # a fronted "In Washington," is no phrasal "call in"
        ("In Washington, the State Department called on Chad to refrain from attacks.",
         "REQUEST", "USA", "TCD"),
        # a commitment stays one when the sentence ends with who said it
        ("A US delegation will arrive in Honiara next week, the State Department said.",
         "AGREE", "USA", "SLB"),
    ],
)  # fmt: skip
def test_object_and_frame_types(tmp_path: Path, text: str, etype: str, src: str, tgt: str) -> None:
    """Types read from what a verb acts on and the frame around it (lexicon v16)."""
    has(code(tmp_path, "A note to begin.\n" + text), etype, src, tgt)


def test_a_halted_share_of_an_act_is_not_that_act(tmp_path: Path) -> None:
    """ "froze most of its assistance": the freeze is coded (SANCTION), not the aid that
    was frozen, as for "froze its assistance"."""
    for text in ("Washington froze most of its assistance to Niger.",
                 "Washington froze its assistance to Niger."):  # fmt: skip
        rows = code(tmp_path, text)
        has(rows, "SANCTION", "USA", "NER")
        assert not any(t == "AID" for t, _, _ in events(rows)), events(rows)


def test_a_promise_carried_out_by_a_light_verb_is_the_promised_act(tmp_path: Path) -> None:
    """ "Agreed to complete the disengagement": the promise is of a retreat (CONCEDE),
    coded once, not also as an AGREE of its own."""
    for text in (
        "China and India agreed to complete the disengagement of troops.",
        "The European Union agreed to begin the lifting of sanctions on Iran.",
    ):
        found = {etype for etype, _src, _tgt in events(code(tmp_path, text))}
        assert found == {"CONCEDE"}, (text, found)
    # a promise of talks stays AGREE
    assert {
        e for e, _s, _t in events(code(tmp_path, "Russia agreed to hold talks with Japan."))
    } == {"AGREE"}
