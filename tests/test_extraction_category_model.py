"""The learned category (factcheck/extraction/category_model.py): where the cue words leave a
proposal's category open (an event, other facts, a distance), weights trained on the tuning half
decide; specific categories, negated acts and the seeds' military claims stay the rules'."""

import json

import pytest

from factcheck.extraction import category_model, extract_claims


def _categories(text):
    return [c.category for c in extract_claims(text)]


@pytest.mark.parametrize("text, expected", [
    ("A landslide buried 14 houses in the village of Orvel on Sunday.", ["event"]),
    ("Inspectors visited 52 care homes in the region last year.", ["other"]),
    ("The tide reached 4.1 metres in the harbour, the highest since 1987.", ["other"]),  # a level
])
def test_the_weights_settle_what_the_cue_words_leave_open(text, expected):
    assert _categories(text) == expected
    with category_model.rules_only():
        assert _categories(text) != expected  # the rules alone get these wrong


@pytest.mark.parametrize("text, expected", [
    ("Rioters set fire to seven cars and smashed the windows of a bank, police said.", ["event", "event"]),
    ("The attacks were followed by drone strikes on two depots, the army said.", ["event"]),  # armed, not a walkout
    ("Crews have laid 14 kilometres of new water pipe since March.", ["other"]),  # a length made, not a distance
    ("The army fired 24 artillery shells at the ridge overnight.", ["weapons"]),
    ("Three of the nine turbines could not be repaired.", ["other"]),  # did not happen: no event
    ("Gunmen opened fire on a bus near Tarsk on Monday, killing 6 passengers.", ["casualties"]),
    ("The drone flew 640 kilometres before it was shot down.", ["distance"]),
    ("The missiles have a range of 1,200 miles.", ["distance"]),
])
def test_specific_categories_armed_strikes_and_acts_that_did_not_happen_stay_the_rules(text, expected):
    assert _categories(text) == expected


def test_a_huge_quote_is_scored_on_a_bounded_prefix():
    text = "The convoy moved " + "slowly " * 200_000 + "through 12 villages."
    found = category_model.features(text, 0, len(text), "event", None, False)
    assert len(found) < 20  # the words of the first 2,000 characters, not of 1.4 MB


def test_the_weights_see_pairs_of_words_not_only_words():
    """"were held" and "held were" share their words; the act is in the pair. (Word pairs cross-
    validated at 85.2 % on the tuning half against 84.5 % for words alone, and better under each of
    three other dealings of articles to folds.)"""
    found = category_model.features("Fourteen people were held overnight.", 0, 36, "event", None, False)
    assert {"b=people were", "b=were held", "b=held overnight"} <= found
    swapped = category_model.features("Fourteen people held were overnight.", 0, 36, "event", None, False)
    pairs = {f for f in found if f.startswith("b=")}
    assert pairs - swapped == {"b=people were", "b=were held", "b=held overnight"}


def test_scoring_a_quote_gives_the_sums_of_its_features():
    """The extractor scores by bare word (quote_scores); training and cross-validation by feature
    name (features, scores): the two must agree, or the weights would be used on other features
    than they were trained on."""
    model = category_model._model()
    text = ("The convoy of 40 trucks was shelled twice near Orvel in 2024, the army said. " + "slowly " * 1_000)
    for start, end, rule, unit, claimant in [(0, 60, "event", "trucks", True), (4, 75, "other", None, False),
                                              (0, len(text), "distance", "kilometers", False)]:
        found = category_model.features(text, start, end, rule, unit, claimant)
        fast = model.quote_scores(category_model._bounded_quote(text, start, end), rule, unit, claimant)
        assert fast == pytest.approx(model.scores(found))


def test_the_committed_weights_are_the_ones_the_tuning_half_gives():
    """Retrain from the tuning half (as bench/train_category.py does) and compare: a change to
    the rules or to the tuning half that moves the weights needs `python bench/train_category.py`."""
    from pathlib import Path

    from factcheck.extraction.evaluation import fixture_documents

    root = Path(__file__).parent / "fixtures" / "extraction"
    examples = category_model.training_examples(fixture_documents(root) + fixture_documents(root / "tuning"))
    trained = category_model.train([(f, y) for _, f, y, _ in examples]).to_json()
    committed = json.loads(category_model.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert trained["classes"] == committed["classes"]
    assert set(trained["weights"]) == set(committed["weights"])
    assert max(abs(a - b) for f in trained["weights"]
               for a, b in zip(trained["weights"][f], committed["weights"][f])) < 1e-3
