"""The rule-based claim extractor (factcheck.extraction): rules, spans, quality floors.

Quality floors are set a little under what the extractor measures today (see
``python bench/extraction.py``), so that a regression fails the suite.
"""

from __future__ import annotations

import gc
import random
from decimal import Decimal
from pathlib import Path

import pytest

from factcheck.extraction import CATEGORIES, QUALIFIERS, Candidate, extract_claims
from factcheck.extraction.evaluation import (
    Document,
    GoldClaim,
    claimant_matches,
    evaluate,
    fixture_documents,
    match,
    seed_documents,
    spans_match,
)

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
SEEDS = seed_documents()
OWN = fixture_documents(FIXTURES)


def claims_in(text: str, containing: str) -> list[Candidate]:
    return [c for c in extract_claims(text) if containing in c.quote]


def only(text: str, containing: str) -> Candidate:
    found = claims_in(text, containing)
    assert len(found) == 1, [c.quote for c in extract_claims(text)]
    return found[0]


# --- claimants and hedges ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, containing, claimant, hedged",
    [
        # "X said that ...": a party's own account of its own action is hedged ...
        ("Tehran said that the Iranian-made missiles hit the base.", "missiles hit", "Tehran", True),
        ("The ministry said its forces destroyed 14 launchers.", "14 launchers", "ministry", True),
        # ... a first-hand source reporting on someone else is not
        ("The Pentagon reported that the missiles hit three miles from the base.", "three miles", "Pentagon", False),
        ("UN spokeswoman Adela Ferrer said 1,200 civilians have been killed.", "1,200", "UN spokeswoman Adela Ferrer", False),
        # second-hand: outlets, media, reports
        ("The missiles hit the base, according to Reuters.", "missiles hit", "Reuters", True),
        ("Iranian media reported that 12 soldiers were killed.", "12 soldiers", "Iranian media", True),
        ("Twelve soldiers were killed in the attack, Reuters reported.", "Twelve soldiers", "Reuters", True),
        ("The rebels shelled a fuel depot, writes Carnahan.", "fuel depot", "Carnahan", True),
        ("The newspaper cites James Jeffrey as stating that the US would keep 2,000 troops in Syria.",
         "2,000 troops", "James Jeffrey", True),
        ("The Pentagon, the Journal reported, has withdrawn four Patriot batteries.", "four Patriot", "Journal", True),
        # quotations: inverted attribution, continued quotation, pronoun
        ("“We destroyed 14 launchers,” said the commander.", "14 launchers", "commander", False),
        ("“We lost two tanks,” said Colonel Ray Mendes. “Three soldiers were wounded.”",
         "Three soldiers", "Colonel Ray Mendes", False),
        # a government's own account of its troops, relayed, is hedged (the fixtures' conventions)
        ("Defence Minister Anna Berg visited the base on Monday. She said 300 troops were deployed.",
         "300 troops", "Defence Minister Anna Berg", True),
        ("The attack was carried out by the rebels, said one resident.", "carried out", "one resident", False),
        # a wire dateline is not a source
        ("GAZA CITY (Reuters) - An air strike killed 12 people, health officials said.",
         "12 people", "health officials", False),
        # calling it a claim
        ("The group claimed that it had killed 30 soldiers.", "30 soldiers", "group", True),
        ("The army blamed the rebels for the attack.", "blamed", "army", True),
        ("The group claimed responsibility for the bombing.", "responsibility", "group", True),
        ("Allegations by local media that the school was hit are false.", "school was hit", "local media", True),
        # anonymity
        ("A doctor, who asked not to be named, said 52 people were wounded.", "52 people", "A doctor", True),
    ],
)
def test_claimant_and_hedge(text, containing, claimant, hedged):
    candidate = only(text, containing)
    assert candidate.claimant == claimant
    assert candidate.hedged is hedged
    assert (candidate.hedge_note is not None) is hedged


@pytest.mark.parametrize(
    "text, containing, note",
    [
        ("Militants attacked a purported weapons depot near the border.", "weapons depot", "purported"),
        ("The strike reportedly killed 5 people in the village.", "5 people", "reportedly"),
        ("If the report is true, the strike killed 40 people.", "40 people", "If the report is true"),
        ("Rebels said they shot down a helicopter, a claim the army rejects.", "helicopter", "a claim the army rejects"),
        ("The strike killed 12 people. However, Reuters could not independently verify the report.",
         "12 people", "Reuters could not independently verify the report"),
        ("The army said 3 soldiers were wounded. The claim could not be verified.",
         "3 soldiers", "The claim could not be verified"),
    ],
)
def test_hedge_notes_name_the_hedging_words(text, containing, note):
    candidate = only(text, containing)
    assert candidate.hedged
    assert note in candidate.hedge_note


def test_a_disclaimer_is_folded_into_the_claim_it_qualifies_not_suggested():
    # (Issue 13: a "could not verify" sentence qualifies a claim; it is no suggestion of its own.)
    text = "The strike killed 12 people. However, Reuters could not independently verify the report."
    assert not claims_in(text, "could not independently verify")
    assert only(text, "12 people").hedge_note == "Reuters could not independently verify the report"
    text = "Rebels posted a video of the downed jet. The footage could not be verified."
    assert not claims_in(text, "could not be verified")


def test_a_disclaimer_about_figures_reaches_back_only_to_figures():
    text = (
        "A strike on the market killed at least 17 people, officials said. "
        "The toll was likely to rise and troops closed the main highway on Monday. "
        "Reuters could not independently verify the casualty figures."
    )
    assert only(text, "17 people").hedged
    assert not only(text, "toll was likely").hedged  # a casualty claim, but no figure
    assert not only(text, "highway").hedged  # not a casualty figure at all


def test_an_unhedged_plain_report():
    candidate = only("The strike killed 4 people and wounded 11 others on Sunday.", "4 people")
    assert (candidate.claimant, candidate.hedged, candidate.hedge_note) == (None, False, None)


def test_casualty_clauses_are_split_and_counted():
    found = extract_claims("The strike killed 4 people and wounded 11 others on Sunday.")
    figures = [(c.quote, c.category, c.quantity.value, c.quantity.unit) for c in found if c.quantity]
    assert figures == [
        ("The strike killed 4 people", "casualties", Decimal(4), "people"),  # who or what, then the figure
        ("wounded 11 others on Sunday", "casualties", Decimal(11), "people"),
    ]


def test_the_smallest_clause_carries_the_figure():
    text = (
        "Tehran said that the missiles, Iranian-made Qiam and Zolfaghar models capable of carrying "
        "over 1,500 pounds of explosives, were followed up with drone strikes."
    )
    quotes = [c.quote for c in extract_claims(text)]
    assert "capable of carrying over 1,500 pounds of explosives" in quotes
    assert "were followed up with drone strikes" in quotes


@pytest.mark.parametrize(
    "text, containing, category",
    [
        ("The missiles flew 355 miles over Iraqi territory.", "355 miles", "distance"),
        ("Russia offered to deploy S-300 air defense systems.", "S-300", "weapons"),
        ("Over 2,000 US troops are deployed in the country.", "2,000", "forces"),
        ("The carrier strike group has not entered the Gulf since March.", "strike group", "forces"),
        ("The army blamed the rebels for the attack.", "blamed", "attribution"),
        ("Drone strikes hit the depot on Saturday.", "Drone strikes", "event"),
        ("The attack killed 29 people.", "29 people", "casualties"),
        ("The slogans read death to America and death to Israel on the missiles.", "slogans", "weapons"),
        ("Officials held talks in Geneva about the water supply.", "talks", "event"),
        ("The price of bread rose by 40 percent in the capital.", "40 percent", "other"),
        ("Engineers cleared 40 square kilometres of mines.", "40 square", "weapons"),
    ],
)
def test_categories(text, containing, category):
    assert only(text, containing).category == category


@pytest.mark.parametrize(
    "text, quote",
    [
        # a short subject belongs to the clause with its figure ...
        ("Since March, the armed forces have deployed up to 3,500 troops in the area.",
         "the armed forces have deployed up to 3,500 troops in the area"),
        ("The Strait of Velmar is about 21 nautical miles wide at its narrowest point.",
         "The Strait of Velmar is about 21 nautical miles wide at its narrowest point"),
        ("The Front is estimated to have between 8,000 and 10,000 fighters in the area.",
         "The Front is estimated to have between 8,000 and 10,000 fighters in the area"),
        # ... and so does a long one: who or what, the figure, what happened (the tuning articles'
        # convention; the older wire_strike fixture still labels "killed at least 17 people" alone)
        ("A drone strike on a crowded vegetable market in the northern town of Tal Haruf killed 17 people.",
         "A drone strike on a crowded vegetable market in the northern town of Tal Haruf killed 17 people"),
        # coordinated figures are separate claims
        ("The group carries about 7,500 sailors and more than 60 aircraft.", "more than 60 aircraft"),
    ],
)
def test_figure_spans(text, quote):
    assert quote in [c.quote for c in extract_claims(text) if c.quantity]


# --- spans -----------------------------------------------------------------------------


def assert_exact_spans(text: str, candidates: list[Candidate]) -> None:
    for c in candidates:
        assert 0 <= c.span_start < c.span_end <= len(text)
        assert text[c.span_start:c.span_end] == c.quote
        assert c.quote == c.quote.strip()
        assert c.quote[-1] not in ",;:" and c.quote[0] not in ",;:"
        assert c.category in CATEGORIES
        assert 0.0 <= c.score <= 1.0
        assert c.hedged is (c.hedge_note is not None)
        if c.quantity is not None:
            assert c.quantity.qualifier in QUALIFIERS + (None,)
            assert isinstance(c.quantity.value, Decimal)


@pytest.mark.parametrize("document", SEEDS + OWN, ids=lambda d: d.name)
def test_spans_are_exact_on_every_article(document):
    candidates = extract_claims(document.body)
    assert candidates
    assert_exact_spans(document.body, candidates)
    assert candidates == sorted(candidates, key=lambda c: (c.span_start, c.span_end))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "\n\n\n",
        ".",
        "Hello.",
        "The weather was pleasant and the park was quiet.",
        "Нападение убило 12 человек, сообщили в министерстве. Ракеты пролетели 300 километров.",
        "وقالت وزارة الصحة إن 29 شخصا قتلوا في الهجوم.",
        "袭击造成29人死亡。官员说，导弹飞行了355英里。",
        "İSTANBUL - İçişleri Bakanlığı said 40 people were killed in İzmir, officials said.",
        "ǅemal said the strike killed 12 people.",
        "“”“ ” , , ; — …",
        "12 12 12 12 12",
        "said said said that that, according to according to",
        "The U.S. Navy said. Col. Smith said. A. B. said.",
        "Tehran said that " + "missiles, " * 2000 + "hit the base.",
    ],
)
def test_odd_inputs_give_a_list_with_exact_spans(text):
    candidates = extract_claims(text)
    assert isinstance(candidates, list)
    assert_exact_spans(text, candidates)


def test_text_whose_lowercase_changes_length_keeps_offsets():
    # "İ".lower() is two characters long: offsets must still point into the original string.
    text = "İİİİ İZMİR - The strike killed 12 people, officials said. İ said 40 troops were deployed."
    candidates = extract_claims(text)
    assert_exact_spans(text, candidates)
    assert {c.quantity.value for c in candidates if c.quantity} == {12, 40}


def test_a_long_run_on_sentence_without_punctuation():
    rng = random.Random(7)
    words = " ".join(d.body for d in SEEDS).replace(".", " ").replace(",", " ").split()
    text = " ".join(rng.choice(words) for _ in range(40_000))[:200_000]
    candidates = extract_claims(text)
    assert_exact_spans(text, candidates)
    assert all(len(c.quote) < 2_000 for c in candidates)  # clauses stay bounded on run-on text


def test_a_megabyte_of_random_words():
    rng = random.Random(11)
    vocabulary = ["missiles", "killed", "said", "that", "and", "12", "1,500", "over", "the", "troops", "Reuters",
                  "according", "to", "which", "nearly", "two", "dozen", "miles", "a", "of", ",", ".", "“", "”"]
    text = " ".join(rng.choice(vocabulary) for _ in range(260_000))[:1_000_000]
    candidates = extract_claims(text)
    assert candidates
    assert_exact_spans(text, candidates)


def test_deterministic():
    for document in SEEDS + OWN:
        assert extract_claims(document.body) == extract_claims(document.body)


def test_the_garbage_collector_state_is_restored():
    assert gc.isenabled()
    extract_claims(SEEDS[0].body)
    assert gc.isenabled()
    gc.disable()
    try:
        extract_claims(SEEDS[0].body)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_rejects_non_text():
    with pytest.raises(TypeError):
        extract_claims(b"bytes")  # type: ignore[arg-type]


# --- quality on the labelled articles ----------------------------------------------------------


def test_every_seed_figure_is_found_with_its_value():
    for document in SEEDS:
        candidates = extract_claims(document.body)
        for claim in document.gold:
            if claim.quantity_value is None:
                continue
            assert any(spans_match(claim, c) for c in candidates), claim.quote


def test_seed_quality_floors():
    report = evaluate("seeds", SEEDS)
    assert report.quantity_recall == 1.0
    assert report.recall >= 0.95
    assert report.precision >= 0.5
    assert report.quantity.rate >= 0.95
    assert report.category.rate >= 0.9
    assert report.claimant.rate >= 0.95
    assert report.hedged.rate >= 0.95


def test_own_article_quality_floors():
    report = evaluate("own articles", OWN)
    # 0.95 until the evening of 2026-12-07: wire_strike labels "A drone strike on a crowded
    # vegetable market in ... Tal Haruf" and "killed at least 17 people" as two claims; the articles labelled after
    # issue 13 make such a clause one claim (the subject, the figure, what happened), as the
    # extractor now does, and the one candidate matches the subject's entry: 53 of 56 figures.
    assert report.quantity_recall >= 0.94
    # 0.92 before issue 13. Five gold entries are now folded into the claims they belong to
    # (three "could not be verified" sentences, "including 9 armoured personnel carriers", and
    # "since heavy rains began on 3 May", the time of the displacement it follows), which these
    # older fixtures label as claims of their own: at most 87 of 92 can match. A sixth since
    # 2026-12-07: "and two aging submarines", one more item of a list, stays in its claim as the
    # articles labelled blind have it (at most 86 of 92). A seventh, later that day, the strike
    # on the Tal Haruf market and its toll, one clause (see above): at most 85 of 92.
    assert report.recall >= 0.86
    assert report.precision >= 0.7
    assert report.quantity.rate >= 0.9
    assert report.category.rate >= 0.85
    assert report.claimant.rate >= 0.9
    assert report.hedged.rate >= 0.93


def test_own_articles_are_labelled_in_the_seed_format():
    import tomllib

    allowed = {"quote", "occurrence", "statement", "category", "claimant", "quantity", "hedged", "hedge_note"}
    assert len(OWN) >= 4
    for path in sorted(FIXTURES.glob("*.toml")):
        for entry in tomllib.loads(path.read_text(encoding="utf-8"))["claims"]:
            assert set(entry) <= allowed, path.name
            assert entry["category"] in CATEGORIES
            if "quantity" in entry:
                assert set(entry["quantity"]) <= {"value", "unit", "qualifier"}
                assert entry["quantity"].get("qualifier") in QUALIFIERS + (None,)
    for document in OWN:
        assert 300 <= len(document.body.split()) <= 700, document.name


# --- the evaluation helpers -------------------------------------------------------------------


def gold(start: int, end: int, value=None) -> GoldClaim:
    return GoldClaim("t", "x" * (end - start), start, end, "other", None,
                     Decimal(value) if value is not None else None, None, None, False)


def cand(start: int, end: int, value=None) -> Candidate:
    from factcheck.extraction import Quantity

    return Candidate("x" * (end - start), start, end, "other",
                     quantity=Quantity(Decimal(value)) if value is not None else None)


def test_spans_match_needs_half_of_the_shorter_span_and_the_same_figure():
    assert spans_match(gold(0, 10), cand(5, 30))  # 5 of the shorter 10
    assert not spans_match(gold(0, 10), cand(6, 30))
    assert spans_match(gold(0, 10, 3), cand(0, 10, 3))
    assert not spans_match(gold(0, 10, 3), cand(0, 10, 4))
    assert not spans_match(gold(0, 10, 3), cand(0, 10))


def test_matching_is_one_to_one_and_maximal():
    # Greedy by overlap would give candidate 0 to gold 0 and leave gold 1 unmatched.
    golds = [gold(0, 20), gold(15, 25)]
    cands = [cand(0, 25), cand(0, 12)]
    assert match(golds, cands) == {0: 1, 1: 0}
    assert match([gold(0, 10)], [cand(0, 10), cand(0, 10)]) in ({0: 0}, {0: 1})


@pytest.mark.parametrize(
    "gold_claimant, predicted, ok",
    [
        ("Col. Sean Ryan, US military spokesman", "US military spokesman Col. Sean Ryan", True),
        ("Wall Street Journal", "Journal", True),
        ("IRGC", "Iran’s Islamic Revolutionary Guard Corps (IRGC)", True),
        ("Pentagon", "the Pentagon", True),
        ("Pentagon", "Reuters", False),
        ("Reuters", None, False),
        (None, "Reuters", False),
        (None, None, True),
    ],
)
def test_claimant_matching(gold_claimant, predicted, ok):
    assert claimant_matches(gold_claimant, predicted) is ok


def test_an_extractor_that_proposes_nothing_scores_zero():
    report = evaluate("empty", [Document("d", SEEDS[0].body, SEEDS[0].gold)], extractor=lambda text: [])
    assert (report.recall, report.precision, report.matched) == (0.0, 0.0, 0)


def test_result_types_take_their_fields_in_order_and_stay_frozen():
    """Quantity and Candidate write their own __init__ (see model.py): it must take every field, in
    order, with the field's default, and the instances must stay frozen, equal and hashable."""
    import dataclasses
    import inspect

    from factcheck.extraction.model import Quantity

    for cls in (Quantity, Candidate):
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
        fields = dataclasses.fields(cls)
        assert [p.name for p in parameters] == [f.name for f in fields]
        assert [p.default for p in parameters] == [
            inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields]
    quantity = Quantity(Decimal(5), "people")
    candidate = Candidate("5 people died", 0, 13, "casualties", quantity=quantity)
    assert repr(quantity) == "Quantity(value=Decimal('5'), unit='people', qualifier=None, value_max=None)"
    assert candidate == Candidate("5 people died", 0, 13, "casualties", None, Quantity(Decimal(5), "people"))
    assert hash(candidate) == hash(dataclasses.replace(candidate))
    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate.score = 1.0
