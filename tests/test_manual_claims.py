"""Creating a claim by hand from an article's exact words."""

from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.models import Article, Claim, ClaimEvent


def _article(session):
    return session.execute(select(Article).where(Article.title.like("Iran fires%"))).scalar_one()


def _error(response, field):
    match = re.search(rf'id="{field}-error">([^<]*)<', response.get_data(as_text=True))
    return match.group(1).replace("&#39;", "'") if match else None


def test_create_claim_computes_the_span(login, session, seeded):
    article = _article(session)
    client = login("rita")
    response = client.post(
        f"/articles/{article.id}/claims",
        {
            "quote": "Qiam and Zolfaghar",
            "statement": "The missiles were Qiam and Zolfaghar models.",
            "category": "weapons",
            "claimant": "Tehran",
            "hedged": "y",
            "hedge_note": "Tehran said",
            "quantity_qualifier": "",
            # A client cannot choose the span or the status.
            "span_start": "0",
            "span_end": "5",
            "status": "verified",
        },
    )
    assert response.status_code == 303
    claim_id = int(response.headers["Location"].rsplit("/", 1)[1])
    claim = session.get(Claim, claim_id)
    assert article.body[claim.span_start : claim.span_end] == "Qiam and Zolfaghar"
    assert claim.status.value == "unverified" and claim.hedged and claim.claimant == "Tehran"
    created = session.execute(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id)).scalar_one()
    assert created.action == "created" and created.details["source"] == "manual"


def test_repeated_words_need_an_occurrence(login, session, seeded):
    article = _article(session)
    client = login("rita")
    data = {"quote": "Deir Ezzor", "statement": "Place.", "category": "event", "quantity_qualifier": ""}
    response = client.post(f"/articles/{article.id}/claims", data)
    assert response.status_code == 422
    assert _error(response, "quote") == "These words occur 3 times in the article; give the occurrence (1 to 3)."
    response = client.post(f"/articles/{article.id}/claims", {**data, "occurrence": "3"})
    assert response.status_code == 303
    claim = session.get(Claim, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert claim.span_start == article.body.rfind("Deir Ezzor")


def test_words_not_in_the_article_are_refused(login, session, seeded):
    article = _article(session)
    before = session.execute(select(Claim.id)).scalars().all()
    response = login("rita").post(
        f"/articles/{article.id}/claims",
        {"quote": "flew 356 miles", "statement": "x", "category": "distance", "quantity_qualifier": ""},
    )
    assert response.status_code == 422
    assert "not in the article" in _error(response, "quote")
    # The input is kept for correction.
    assert "flew 356 miles" in response.get_data(as_text=True)
    assert session.execute(select(Claim.id)).scalars().all() == before


def test_bad_figures_are_explained(login, session, seeded):
    article = _article(session)
    response = login("rita").post(
        f"/articles/{article.id}/claims",
        {"quote": "flew 355 miles", "statement": "x", "category": "distance", "quantity_value": "three hundred", "quantity_qualifier": "over"},
    )
    assert response.status_code == 422
    assert _error(response, "quantity_value") == "Give the figure as a number, e.g. 1500 or 2.5."


def test_article_page_offers_the_form_and_the_script(login, session, seeded):
    page = login("rita").get(f"/articles/{_article(session).id}").get_data(as_text=True)
    assert '<label for="quote">Exact words in the article</label>' in page
    assert '<script src="/static/js/article.js" defer></script>' in page
    assert "<script>" not in page  # nothing inline: the CSP forbids it
