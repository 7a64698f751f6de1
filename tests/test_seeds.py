"""The seed catalogue: both articles, every curated claim, exact spans, idempotent loading."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest
from sqlalchemy import func, select, text

from factcheck.models import Article, Claim, ClaimEvent, ClaimStatus, Evidence
from factcheck.paths import SEEDS_DIR
from factcheck.services import seeding
from factcheck.services.errors import SeedError


def test_catalogue_covers_both_articles_with_enough_claims():
    catalogue = seeding.load_catalogue()
    assert [a.file for a in catalogue] == ["000_5a6ae14a1a310713.txt", "004_1d5674d7019eebe0.txt"]
    assert sum(len(a.claims) for a in catalogue) >= 25
    categories = Counter(c.category.value for a in catalogue for c in a.claims)
    for needed in ("casualties", "weapons", "forces", "distance", "attribution", "event"):
        assert categories[needed] > 0, needed


@pytest.mark.parametrize(
    "quote, value, unit, qualifier, hedged",
    [
        ("The six missiles fired from the western Iranian province of Kermanshah", 6, "missiles", None, False),
        ("flew 355 miles over Iraqi territory", 355, "miles", None, False),
        ("capable of carrying over 1,500 pounds of explosives", 1500, "pounds", "over", True),
        ("killed 29 people", 29, "people", None, False),
        ("wounded 70 others", 70, "people", None, False),
        ("over 2,000 US troops are presently deployed", 2000, "troops", "over", False),
    ],
)
def test_key_figures_are_structured(quote, value, unit, qualifier, hedged):
    claims = {c.quote: c for a in seeding.load_catalogue() for c in a.claims}
    claim = claims[quote]
    assert (claim.quantity_value, claim.quantity_unit, claim.quantity_qualifier, claim.hedged) == (
        value,
        unit,
        qualifier,
        hedged,
    )


def test_unconfirmed_reports_are_hedged():
    claims = {c.quote: c for a in seeding.load_catalogue() for c in a.claims}
    assert claims["Reuters could not independently verify the report"].hedged
    assert claims["Iranian-made Qiam and Zolfaghar models"].claimant == "Tehran"
    inscribed = next(q for q in claims if q.startswith("some of the missiles were inscribed"))
    assert claims[inscribed].hedged and claims[inscribed].claimant == "Iranian media"


def test_seed_stores_every_claim_with_its_exact_span(session):
    report = seeding.seed(session)
    catalogue = seeding.load_catalogue()
    assert report.articles_added == 2
    assert report.claims_added == sum(len(a.claims) for a in catalogue)
    mismatches = session.execute(
        text(
            "SELECT c.id FROM claims c JOIN articles a ON a.id = c.article_id "
            "WHERE substr(a.body, c.span_start + 1, c.span_end - c.span_start) <> c.quote"
        )
    ).all()
    assert mismatches == []
    statuses = set(session.execute(select(Claim.status)).scalars())
    assert statuses == {ClaimStatus.UNVERIFIED}
    assert session.execute(select(func.count()).select_from(Evidence)).scalar_one() == 0
    # Each seeded claim has its creation in the history.
    assert session.execute(select(func.count()).select_from(ClaimEvent)).scalar_one() == report.claims_added


def test_seed_metadata_is_not_invented(session):
    seeding.seed(session)
    for article in session.execute(select(Article)).scalars():
        assert article.title
        assert (article.outlet, article.byline, article.url, article.published_on) == (None, None, None, None)
        assert not article.body.startswith(article.title)


def test_seeding_twice_loads_nothing_twice(session):
    first = seeding.seed(session)
    second = seeding.seed(session)
    assert (second.articles_added, second.claims_added) == (0, 0)
    assert (second.articles_present, second.claims_present) == (2, first.claims_added)
    assert session.execute(select(func.count()).select_from(Claim)).scalar_one() == first.claims_added


def _catalogue_with(tmp_path, claims_toml: str):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR / "articles", seeds / "articles")
    (seeds / "claims.toml").write_text(
        '[[articles]]\nfile = "000_5a6ae14a1a310713.txt"\n' + claims_toml, encoding="utf-8"
    )
    return seeds


def test_missing_quote_names_the_entry(tmp_path):
    seeds = _catalogue_with(
        tmp_path,
        '[[articles.claims]]\nquote = "flew 356 miles"\nstatement = "x"\ncategory = "distance"\n',
    )
    with pytest.raises(SeedError) as info:
        seeding.load_catalogue(seeds)
    assert "claim 1" in info.value.message and "flew 356 miles" in info.value.message
    assert "not in the article body" in info.value.message


def test_ambiguous_quote_needs_an_occurrence(tmp_path):
    entry = '[[articles.claims]]\nquote = "Deir Ezzor"\nstatement = "x"\ncategory = "event"\n'
    with pytest.raises(SeedError) as info:
        seeding.load_catalogue(_catalogue_with(tmp_path, entry))
    assert "occurs 3 times; add occurrence = 1..3" in info.value.message

    seeds = _catalogue_with(tmp_path / "b", entry + "occurrence = 2\n")
    claim = seeding.load_catalogue(seeds)[0].claims[0]
    body = seeding.load_catalogue(seeds)[0].draft.body
    first = body.find("Deir Ezzor")
    assert claim.span_start == body.find("Deir Ezzor", first + 1)


def test_unknown_category_is_refused(tmp_path):
    seeds = _catalogue_with(
        tmp_path, '[[articles.claims]]\nquote = "flew 355 miles"\nstatement = "x"\ncategory = "guess"\n'
    )
    with pytest.raises(SeedError, match="category 'guess'"):
        seeding.load_catalogue(seeds)
