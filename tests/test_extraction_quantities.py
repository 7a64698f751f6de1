"""The number and quantity parser of the claim extractor (factcheck.extraction.numbers)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from factcheck.extraction import Quantity, extract_claims, find_quantities, parse_number, parse_quantity
from factcheck.extraction.evaluation import fixture_documents, seed_documents
from factcheck.extraction.numbers import candidate_starts
from factcheck.extraction.sentences import lowercase, tokenize

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"


@pytest.mark.parametrize(
    "words, value",
    [
        ("six", 6),
        ("Six", 6),
        ("29", 29),
        ("twenty-nine", 29),
        ("ninety nine", 99),
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("one thousand five hundred", 1500),
        ("ninety-nine thousand", 99000),
        ("two million", 2_000_000),
        ("1,500", 1500),
        ("2,000,000", 2_000_000),
        ("2.5", Decimal("2.5")),
        ("2.5 million", 2_500_000),
        ("$4.2m", 4_200_000),
        ("3bn", 3_000_000_000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("half", Decimal("0.5")),
        ("two thirds", Decimal("0.67")),
    ],
)
def test_parse_number(words, value):
    assert parse_number(words) == Decimal(value)


@pytest.mark.parametrize(
    "words",
    ["", "   ", "hundreds", "dozens", "several", "a few", "a", "two three", "five twenty", "1,50", "one and two", "missiles"],
)
def test_parse_number_rejects_what_is_not_a_number(words):
    assert parse_number(words) is None


def q(value, unit=None, qualifier=None, value_max=None) -> Quantity:
    return Quantity(Decimal(value), unit, qualifier, Decimal(value_max) if value_max is not None else None)


@pytest.mark.parametrize(
    "phrase, expected",
    [
        # plain counts and the counted noun
        ("killed 29 people", q(29, "people")),
        ("wounded 70 others", q(70, "people")),
        ("The six missiles fired from Kermanshah", q(6, "missiles")),
        ("over 2,000 US troops are deployed", q(2000, "troops", "over")),
        ("four Patriot missile-defense systems are being pulled out", q(4, "systems")),
        ("the deaths of all 15 of its crewmembers", q(15, "crewmembers")),
        ("intercepted 14 of the 16 rockets fired at the town", q(14, "rockets")),
        ("two working operating theaters", q(2, "theaters")),
        ("a dozen rockets", q(12, "rockets")),
        ("2.5 million people", q(2_500_000, "people")),
        ("killed one soldier", q(1, "soldiers")),
        ("11 were wounded", q(11, "people")),
        # measures
        ("flew 355 miles over Iraqi territory", q(355, "miles")),
        ("capable of carrying over 1,500 pounds of explosives", q(1500, "pounds", "over")),
        ("about 21 nautical miles wide", q(21, "nautical miles", "about")),
        ("approximately 40 square kilometres of territory", q(40, "square kilometers", "about")),
        ("the 12-kilometre road", q(12, "kilometers")),
        ("15km away", q(15, "kilometers")),
        ("a seven-month deployment", q(7, "months")),
        ("two decades", q(20, "years")),
        ("the longest interval in two decades", q(20, "years")),
        ("a decade ago", q(10, "years")),
        # money and shares
        ("$4.2 million", q(4_200_000, "dollars")),
        ("1.5 million dollars", q(1_500_000, "dollars")),
        ("18 million euros", q(18_000_000, "euros")),
        ("roughly $65 per month", q(65, "dollars", "about")),
        ("18 percent of the appeal", q(18, "percent")),
        ("40%", q(40, "percent")),
        ("12 per cent", q(12, "percent")),
        ("nearly half of the displaced", q(50, "percent", "nearly")),
        ("roughly a fifth of the world's oil", q(20, "percent", "about")),
        ("two-thirds of the houses", q(Decimal("66.67"), "percent")),
        # qualifiers
        ("more than 200 armed drones", q(200, "drones", "over")),
        ("in excess of 300 rockets", q(300, "rockets", "over")),
        ("2,000-plus troops", q(2000, "troops", "over")),
        ("at least three clashes", q(3, "clashes", "at least")),
        ("no fewer than 40 vehicles", q(40, "vehicles", "at least")),
        ("20 or more people", q(20, "people", "at least")),
        ("about 7,500 sailors", q(7500, "sailors", "about")),
        ("around 30 tanks", q(30, "tanks", "about")),
        ("Some 70 percent of water points", q(70, "percent", "about")),
        ("an estimated 12,000 people", q(12000, "people", "about")),
        ("nearly three years", q(3, "years", "nearly")),
        ("almost 90 civilians", q(90, "civilians", "nearly")),
        ("close to 5,000 fighters", q(5000, "fighters", "nearly")),
        ("up to 3,500 troops", q(3500, "troops", "up to")),
        ("as many as 40 drones", q(40, "drones", "up to")),
        ("within 200 yards of a tanker", q(200, "yards", "up to")),
        ("under two hours", q(2, "hours", "under")),
        ("fewer than 100 soldiers", q(100, "soldiers", "under")),
        ("less than 5 percent", q(5, "percent", "under")),
        ("just three miles from the base", q(3, "miles")),
        # ranges: lower bound, upper bound, "at least" unless stated
        ("between 10 and 15 people", q(10, "people", "at least", 15)),
        ("between 8,000 and 10,000 fighters", q(8000, "fighters", "at least", 10000)),
        ("10-15 people", q(10, "people", "at least", 15)),
        ("from 10 to 15 miles", q(10, "miles", "at least", 15)),
        ("2 to 3 million people", q(2_000_000, "people", "at least", 3_000_000)),
        ("up to 10-12 missiles", q(10, "missiles", "up to", 12)),
    ],
)
def test_parse_quantity(phrase, expected):
    assert parse_quantity(phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "hundreds of people",
        "billions of dollars",
        "a significant number of militants",
        "a large number of terrorists",
        "dozens of villages",
        "tens of thousands of people",
        "millions of Yemeni lives",
        "September 22",
        "on 3 May",
        "on July 1st",
        "in 2021",
        "at 9 a.m.",
        "S-300 air defense systems",
        "F-16 jets",
        "a 34-year-old stall owner",
        "one of the few times",
        "one senior PMF member",
        "Resolution 2254 was adopted",
        "the third phase",
        "",
    ],
)
def test_vague_amounts_dates_and_designations_are_not_quantities(phrase):
    assert parse_quantity(phrase) is None


def test_mention_offsets_cover_qualifier_number_and_unit():
    text = "Officials said more than 200 armed drones and 60 kilometers (37 miles) of road were affected."
    mentions = find_quantities(text)
    assert [text[m.start:m.end] for m in mentions] == ["more than 200 armed drones", "60 kilometers"]
    assert [text[m.number_start:m.number_end] for m in mentions] == ["200", "60"]


def test_a_partitive_or_range_is_one_figure():
    text = "They intercepted 14 of the 16 rockets; between 8,000 and 10,000 fighters remain."
    assert [m.quantity.value for m in find_quantities(text)] == [14, 8000]


@pytest.mark.parametrize("document", seed_documents() + fixture_documents(FIXTURES), ids=lambda d: d.name)
def test_scanning_only_at_token_candidates_finds_the_same_figures(document):
    """The extractor tries the number patterns only where a token can open a figure; that
    shortcut must not lose or add anything compared with scanning every position."""
    body = document.body
    tokens = tokenize(body, 0, len(body), lowercase(body))
    assert find_quantities(body, candidates=candidate_starts(tokens.starts, tokens.lows)) == find_quantities(body)


def test_currency_codes_fahrenheit_and_an_unread_scale_word():
    from factcheck.extraction import extract_claims

    def figures(text):
        return [(c.quantity.value, c.quantity.unit) for c in extract_claims(text) if c.quantity]

    assert figures("The programme costs US$3.4 billion.") == [(Decimal("3400000000"), "dollars")]
    assert figures("The fund holds USD 75 million.") == [(Decimal("75000000"), "dollars")]
    assert figures("Thermometers read 112F in the valley on Sunday.") == [(Decimal(112), "degrees fahrenheit")]
    # a scale word whose number was not read is no figure (never "1 billion")
    assert all(v != Decimal("1000000000") for v, _ in figures("Outlays rise to NOK 92 billion next year."))


def test_a_grouped_number_glued_to_a_unit_is_read_whole():
    from factcheck.extraction import extract_claims
    burnt = extract_claims("The blaze has burnt through more than 6,200ha of pine forest.")
    assert [(c.quantity.value, c.quantity.unit, c.quantity.qualifier) for c in burnt] == [
        (Decimal(6200), "hectares", "over")]
    rain = extract_claims("Up to 85mm of rain fell overnight.")
    assert [(c.quantity.value, c.quantity.unit) for c in rain] == [(Decimal(85), "millimeters")]


def test_police_and_prison_officers_are_counted_whole_like_crew_members():
    from factcheck.extraction import extract_claims
    found = extract_claims("Nine prison officers were hurt and 300 police officers were sent to the jail.")
    assert sorted(c.quantity.unit for c in found) == ["police officers", "prison officers"]


def test_a_change_made_to_a_thing_from_one_figure_to_another_states_the_new_one():
    for text, value in [("The law raises the pension age from 62 to 65 by 2030.", 65),
                        ("The city cut the speed limit from 50 to 30 km/h last year.", 30),
                        ("The board lengthened the probation period from three to six months.", 6)]:
        quantity = extract_claims(text)[0].quantity
        assert (quantity.value, quantity.qualifier, quantity.value_max) == (value, None, None), text
    # a spread is still a range
    quantity = extract_claims("Tickets cost from 40 to 60 dollars.")[0].quantity
    assert (quantity.value, quantity.qualifier, quantity.value_max) == (40, "at least", 60)


def test_a_fraction_of_a_point_is_a_change_in_points_not_a_share():
    assert parse_quantity("lowered inflation by about half a percentage point") == \
        Quantity(Decimal("0.5"), "percentage points", "about")
    assert parse_quantity("cut by a quarter of a percentage point") == Quantity(Decimal("0.25"), "percentage points")
    assert parse_quantity("turnout rose by three quarters of a point") == Quantity(Decimal("0.75"), "points")
    # before the level it leads to, the level is the figure (as "by 0.25 percentage points to 4.5 percent")
    assert parse_quantity("raised its rate by half a percentage point to 6.25 percent") == \
        Quantity(Decimal("6.25"), "percent")
    # a share stays a share
    assert parse_quantity("nearly half of the wards") == Quantity(Decimal("50"), "percent", "nearly")


def test_a_fraction_of_a_measure_s_unit_is_that_much_of_the_unit_not_a_share():
    assert parse_quantity("the cellar stood under up to half a metre of water") == \
        Quantity(Decimal("0.5"), "meters", "up to")
    assert parse_quantity("the blaze came within a quarter of a mile of the school") == \
        Quantity(Decimal("0.25"), "miles", "up to")
    assert parse_quantity("customs seized half a tonne of cannabis") == Quantity(Decimal("0.5"), "tonnes")
    # a share of counted things stays a share
    assert parse_quantity("about half of the 40 wards") == Quantity(Decimal("50"), "percent", "about")


def test_a_change_in_percent_then_to_a_level_gives_the_level_as_the_figure():
    """"rose 14 percent to 61,400": the level reached is the claim's figure (a count, not 61,400
    percent), also after a participle ("rising 7.3 percent to 1.9 billion florins")."""
    thefts = extract_claims("Reported car thefts fell 6 percent to 12,300 last year, the police said.")
    assert [(c.quantity.value, c.quantity.unit) for c in thefts] == [(Decimal("12300"), None)]
    wine = extract_claims("Wine exports held up, climbing 4.5 percent to 820 million crowns despite the frost.")
    assert [(c.quantity.value, c.quantity.unit) for c in wine] == [(Decimal("820000000"), "crowns")]
    rate = extract_claims("The jobless rate rose 0.2 points to 6.1 percent in May.")
    assert [(c.quantity.value, c.quantity.unit) for c in rate] == [(Decimal("6.1"), "percent")]


def test_a_preposition_after_the_counted_noun_ends_it():
    for text, unit in [("The fund paid 40 million crowns despite objections.", "crowns"),
                       ("Officials counted 300 tents beside the river.", "tents"),
                       ("The club sold 9,000 tickets till the gates shut.", "tickets")]:
        assert [c.quantity.unit for c in extract_claims(text) if c.quantity] == [unit], text


def test_one_of_n_counts_the_n_not_the_one():
    for text, value in [("The Harken is one of six frigates in the fleet.", 6),
                        ("Tarn Gate is one of three border crossings still open.", 3),
                        ("One soldier was killed in the raid.", 1)]:
        assert [c.quantity.value for c in extract_claims(text) if c.quantity] == [Decimal(value)], text


def test_a_numbered_road_gallery_or_flight_is_a_name_not_a_count():
    claims = extract_claims("National road 14 and 22 local roads remain closed after the floods.")
    assert [c.quantity.value for c in claims] == [22], [(c.quote, c.quantity) for c in claims]
    assert parse_quantity("the fire broke out in gallery 3 of the mine") is None
    assert parse_quantity("passengers on flight 212") is None
    # a measure after the word is still a measure
    assert parse_quantity("a road 12 kilometres long") == Quantity(Decimal(12), "kilometers")


def test_a_share_with_its_noun_between_the_numbers_is_a_percentage():
    assert parse_quantity("that is one household in seven.") == Quantity(Decimal("14.29"), "percent")
    assert parse_quantity("about one worker in four.") == Quantity(Decimal(25), "percent", "about")
    # a count in a count of places is no share
    assert parse_quantity("three people in 10 hospitals were tested") == Quantity(Decimal(3), "people")


def test_a_person_of_so_many_years_is_an_age_not_a_figure():
    claims = extract_claims("Two persons lost their lives: a man of 71 years and a woman aged 83.")
    assert [c.quantity.value for c in claims] == [2], [(c.quote, c.quantity) for c in claims]
    assert parse_quantity("the dam held back the river for 40 years") == Quantity(Decimal(40), "years")


def test_the_first_day_of_a_span_of_days_is_a_date_not_a_figure():
    for text in ["following the exceptional rainfall of 12 and 13 October",
                 "the exercise ran from 7 to 17 October", "on 3-4 June"]:
        assert parse_quantity(text) is None, text
    # a count before "and" and another count stays a count
    assert [c.quantity.value for c in extract_claims("The storm killed 12 and injured 13 people in May.")] == [12, 13]



def test_the_number_of_something_counts_that_thing_not_the_noun_of_a_figure_before():
    """"Bus fares rose 3 percent last year. | The number of bus drivers has fallen to 2,300": the
    subject names what the figure counts (it took the percent of the sentence before, as a
    figure set against another, "down from 60,000", rightly takes the noun of that other)."""
    claims = extract_claims("Bus fares rose 3 percent last year. The number of bus drivers has fallen to 2,300.")
    assert [(c.quantity.value, c.quantity.unit) for c in claims] == [(Decimal(3), "percent"), (Decimal(2300), "drivers")]
    (claim,) = extract_claims("The fleet has 42,000 lorries, down from 60,000 in 2010.")[1:]
    assert (claim.quantity.value, claim.quantity.unit) == (Decimal(60000), "lorries")


def test_votes_cast_are_votes():
    """"5,100 of the 8,400 votes cast": "cast" after the counted noun is its participle, not the
    noun (the unit was "casts")."""
    claims = extract_claims("The mayor won 5,100 of the 8,400 votes cast. The 2,300 ballots cast by post were "
                            "counted on Monday.")
    assert [(c.quantity.value, c.quantity.unit) for c in claims] == [(Decimal(5100), "votes"), (Decimal(2300), "ballots")]
