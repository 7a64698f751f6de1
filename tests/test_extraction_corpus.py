"""The labelled extraction corpus (tests/fixtures/extraction/): every file loads and is well-formed.

The corpus is split into a tuning half (the four articles in the fixtures
directory plus tuning/) and an untouched half (untouched/), which
bench/extraction.py reports separately. These tests check only the labels'
form (quotes found, values from the catalogue's vocabularies, the halves'
size and separation), never the extractor's accuracy on the untouched half.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from factcheck.extraction.evaluation import fixture_documents, relabelled_documents
from factcheck.models.claim import QUALIFIERS, Category
from factcheck.services.articles import read_article_file

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
TUNING = FIXTURES / "tuning"
UNTOUCHED = FIXTURES / "untouched"
UNTOUCHED_SECOND = UNTOUCHED / "second"
UNTOUCHED_THIRD = UNTOUCHED / "third"
UNTOUCHED_FOURTH = UNTOUCHED / "fourth"
NEW_HALVES = (TUNING, UNTOUCHED, UNTOUCHED_SECOND, UNTOUCHED_THIRD, UNTOUCHED_FOURTH)
ALL_DIRECTORIES = (FIXTURES, *NEW_HALVES)
SECOND_LABELLER = TUNING / "second_labeller"  # tuning articles labelled a second time (bench: agreement)

CATEGORIES = {c.value for c in Category}
SIGNED_UNITS = {"points", "percent", "percentage points", "degrees", "degrees celsius", "degrees fahrenheit"}
CLAIM_KEYS = {"quote", "statement", "category", "claimant", "quantity", "hedged", "hedge_note", "occurrence"}
QUANTITY_KEYS = {"value", "unit", "qualifier"}


def _gold_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.toml"))


def _entries(path: Path) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get("claims", [])


def _body(gold_path: Path) -> str:
    text_path = gold_path.with_suffix(".txt")
    if gold_path.parent == SECOND_LABELLER:
        text_path = TUNING / text_path.name
    return read_article_file(text_path.read_bytes(), text_path.name).body


@pytest.mark.parametrize("directory", ALL_DIRECTORIES, ids=lambda d: d.name)
def test_every_article_has_a_gold_file_and_every_gold_file_an_article(directory):
    texts = {p.stem for p in directory.glob("*.txt")}
    golds = {p.stem for p in directory.glob("*.toml")}
    assert texts == golds
    assert texts


@pytest.mark.parametrize("directory", ALL_DIRECTORIES, ids=lambda d: d.name)
def test_every_corpus_directory_loads_with_every_quote_found(directory):
    # fixture_documents raises, naming the entry, when a quote is missing or ambiguous
    documents = fixture_documents(directory)
    assert [d.name for d in documents] == sorted(p.name for p in directory.glob("*.txt"))
    for document, gold_path in zip(documents, _gold_files(directory)):
        assert len(document.gold) == len(_entries(gold_path)) > 0
        for claim in document.gold:
            assert document.body[claim.span_start:claim.span_end] == claim.quote


def test_halves_have_at_least_six_articles_each_and_do_not_overlap():
    tuning = fixture_documents(FIXTURES) + fixture_documents(TUNING)
    untouched = [d for batch in (UNTOUCHED, UNTOUCHED_SECOND, UNTOUCHED_THIRD, UNTOUCHED_FOURTH)
                 for d in fixture_documents(batch)]
    assert len(fixture_documents(TUNING)) >= 6
    assert len(untouched) >= 6
    tuning_bodies = {d.body for d in tuning}
    assert not any(d.body in tuning_bodies for d in untouched)
    assert not {d.name for d in tuning} & {d.name for d in untouched}


def test_loading_the_parent_directory_does_not_pick_up_the_halves():
    names = {d.name for d in fixture_documents(FIXTURES)}
    assert names == {p.name for p in FIXTURES.glob("*.txt")}
    assert not names & {p.name for p in TUNING.glob("*.txt")}
    assert not names & {p.name for p in UNTOUCHED.glob("*.txt")}


def test_the_second_labelling_names_tuning_articles_and_finds_every_quote():
    documents = relabelled_documents(SECOND_LABELLER, TUNING)
    assert len(documents) >= 30
    tuning = {d.name: d for d in fixture_documents(TUNING)}
    for document in documents:
        assert document.name in tuning and document.body == tuning[document.name].body
        assert document.gold
        for claim in document.gold:
            assert document.body[claim.span_start:claim.span_end] == claim.quote


def _all_entries():
    for directory in (*ALL_DIRECTORIES, SECOND_LABELLER):
        for path in _gold_files(directory):
            for index, entry in enumerate(_entries(path), start=1):
                yield pytest.param(directory, path, entry, id=f"{directory.name}/{path.stem}#{index}")


@pytest.mark.parametrize("directory, path, entry", list(_all_entries()))
def test_each_gold_claim_uses_the_catalogue_vocabularies(directory, path, entry):
    assert set(entry) <= CLAIM_KEYS, set(entry) - CLAIM_KEYS
    assert isinstance(entry["quote"], str) and entry["quote"].strip() == entry["quote"] != ""
    assert entry["category"] in CATEGORIES
    if "claimant" in entry:
        assert isinstance(entry["claimant"], str) and entry["claimant"].strip()
    if "hedged" in entry:
        assert isinstance(entry["hedged"], bool)
    if "quantity" in entry:
        quantity = entry["quantity"]
        assert set(quantity) <= QUANTITY_KEYS and {"value", "unit"} <= set(quantity)
        assert isinstance(quantity["value"], int | float) and not isinstance(quantity["value"], bool)
        assert quantity["value"] >= 0 or quantity["unit"] in SIGNED_UNITS  # ("minus 17.8 points")
        assert quantity["unit"] == quantity["unit"].strip().lower() != ""
        assert quantity.get("qualifier", "over") in QUALIFIERS


@pytest.mark.parametrize(
    "path",
    [p for d in NEW_HALVES for p in _gold_files(d)],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_new_halves_hedges_quote_the_article_and_hedging_sentences_are_not_claims(path):
    """The conventions the new articles add (README: hedge_note iff hedged, words from the text)."""
    body = _body(path)
    entries = _entries(path)
    notes = set()
    for entry in entries:
        hedged = entry.get("hedged", False)
        assert hedged == ("hedge_note" in entry), entry["quote"]
        if hedged:
            assert entry["hedge_note"] in body, entry["hedge_note"]
            notes.add(entry["hedge_note"].rstrip("."))
    quotes = {entry["quote"].rstrip(".") for entry in entries}
    # a hedging sentence marks the claims it qualifies; it is not a claim of its own
    assert not quotes & notes


def test_a_missing_quote_is_an_error_naming_the_file_and_entry(tmp_path):
    (tmp_path / "story.txt").write_text("Title\n\nAt least 12 miners were trapped on Sunday.\n", encoding="utf-8")
    (tmp_path / "story.toml").write_text(
        '[[claims]]\nquote = "At least 12 miners were trapped"\ncategory = "casualties"\n\n'
        '[[claims]]\nquote = "14 miners were rescued"\ncategory = "other"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"story\.toml: claim 2"):
        fixture_documents(tmp_path)
