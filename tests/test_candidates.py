"""Suggested claims: stored on import, shown apart from claims, accepted or dismissed."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from factcheck.cli import main
from factcheck.models import Article, CandidateStatus, Claim, ClaimCandidate, ClaimEvent
from factcheck.services import candidates as candidate_service
from factcheck.services.errors import InvalidTransition

WIRE = """---
title: Rockets hit port city
outlet: Example Wire
---
At least 12 people were killed when six rockets struck the port of Hodeidah on Tuesday, the health ministry said.
The rebels claimed the strike hit a weapons depot, but the claim could not be independently verified.
Over 400 families fled the district, according to the UN agency.
"""


def _import(client, title="Rockets hit port city", body=None):
    body = body or WIRE.split("---\n", 2)[2]
    return client.post("/articles/new", {"title": title, "outlet": "Example Wire", "body": body})


def test_pasted_article_gets_suggestions(login, session):
    client = login("rita")
    response = _import(client)
    assert response.status_code == 303
    article = session.execute(select(Article).where(Article.title == "Rockets hit port city")).scalar_one()
    assert article.imported_by_id is not None
    suggested = candidate_service.article_candidates(session, article.id)
    quotes = " | ".join(c.quote for c in suggested)
    assert "12 people were killed" in quotes and "six rockets" in quotes and "400 families" in quotes
    figures = {(c.quantity_value, c.quantity_unit, c.quantity_qualifier) for c in suggested if c.quantity_value}
    assert (12, "people", "at least") in figures
    assert any(c.hedged for c in suggested)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Suggested claims" in page and 'class="candidate-mark"' in page
    assert 'class="claim-mark' not in page.split('id="article-body"')[1].split("</div>")[0]


def test_spans_of_stored_suggestions_are_exact(session, seeded):
    mismatches = session.execute(
        text(
            "SELECT c.id FROM claim_candidates c JOIN articles a ON a.id = c.article_id "
            "WHERE substr(a.body, c.span_start + 1, c.span_end - c.span_start) <> c.quote"
        )
    ).all()
    assert mismatches == []
    assert session.execute(select(func.count()).select_from(ClaimCandidate)).scalar_one() > 0


def test_seed_suggestions_do_not_repeat_curated_claims(session, seeded):
    claims = session.execute(select(Claim.article_id, Claim.span_start, Claim.span_end)).all()
    for c in candidate_service.article_candidates(session, claims[0].article_id):
        for article_id, start, end in claims:
            if article_id == c.article_id:
                assert not candidate_service._overlaps((c.span_start, c.span_end), (start, end))


def test_accept_makes_an_edited_claim_at_the_exact_span(login, session):
    client = login("rita")
    article_url = _import(client).headers["Location"]
    article_id = int(article_url.rsplit("/", 1)[1])
    candidate = next(
        c for c in candidate_service.article_candidates(session, article_id) if "killed" in c.quote
    )
    form = client.get(f"/articles/candidates/{candidate.id}/accept").get_data(as_text=True)
    assert candidate.quote in form and 'value="12"' in form  # prefilled from the suggestion
    response = client.post(
        f"/articles/candidates/{candidate.id}/accept",
        {"statement": "Twelve people died in the Hodeidah rocket strike.", "category": "casualties",
         "claimant": "the health ministry", "quantity_value": "12", "quantity_unit": "people",
         "quantity_qualifier": "at least", "hedged": ""},
    )
    assert response.status_code == 303
    claim = session.get(Claim, int(response.headers["Location"].rsplit("/", 1)[1]))
    assert (claim.span_start, claim.span_end, claim.quote) == (candidate.span_start, candidate.span_end, candidate.quote)
    assert claim.statement == "Twelve people died in the Hodeidah rocket strike."
    session.expire_all()
    accepted = session.get(ClaimCandidate, candidate.id)
    assert accepted.status is CandidateStatus.ACCEPTED and accepted.claim_id == claim.id
    event = session.execute(select(ClaimEvent).where(ClaimEvent.claim_id == claim.id)).scalar_one()
    assert event.action == "created" and event.details["source"] == f"candidate:{candidate.id}"
    # It is no longer suggested; the claim takes its place on the article page.
    page = client.get(article_url).get_data(as_text=True)
    assert f'id="c{candidate.id}"' not in page and f'id="claim-{claim.id}"' in page
    # And it cannot be accepted twice.
    again = client.post(f"/articles/candidates/{candidate.id}/accept", {"statement": "x", "category": "other"})
    assert again.status_code == 303
    assert "already accepted" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_accept_form_errors_keep_the_input(login, session):
    client = login("rita")
    article_id = int(_import(client).headers["Location"].rsplit("/", 1)[1])
    candidate = candidate_service.article_candidates(session, article_id)[0]
    response = client.post(
        f"/articles/candidates/{candidate.id}/accept",
        {"statement": "Kept statement", "category": "casualties", "quantity_value": "a dozen", "quantity_qualifier": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give the figure as a number" in page and "Kept statement" in page
    assert session.get(ClaimCandidate, candidate.id).status is CandidateStatus.PENDING


def test_dismissed_stays_dismissed(login, session, users):
    client = login("rita")
    article_id = int(_import(client).headers["Location"].rsplit("/", 1)[1])
    candidate = candidate_service.article_candidates(session, article_id)[0]
    assert client.post(f"/articles/candidates/{candidate.id}/dismiss", {}).status_code == 303
    session.expire_all()
    assert session.get(ClaimCandidate, candidate.id).status is CandidateStatus.DISMISSED
    # Running the extractor again does not bring it back.
    assert candidate_service.propose_candidates(session, session.get(Article, article_id)) == 0
    with pytest.raises(InvalidTransition, match="already dismissed"):
        candidate_service.dismiss_candidate(session, users["ron"].id, candidate.id)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"title": "T", "body": "   "}, "body", "no body"),
        ({"title": "", "body": "Some text."}, "title", "Give the headline."),
        ({"title": "T", "body": "Some text.", "url": "javascript:alert(1)"}, "url", "Only http:// and https://"),
        ({"title": "T", "body": "Some text.", "published_on": "yesterday"}, "published_on", "Not a valid date"),
    ],
)
def test_paste_form_errors_beside_the_field(login, session, data, field, message):
    response = login("rita").post("/articles/new", data)
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">([^<]*)<', response.get_data(as_text=True))
    assert error and message.lower() in error.group(1).lower().replace("&#39;", "'")
    assert session.execute(select(func.count()).select_from(Article)).scalar_one() == 0


def test_pasting_the_same_article_twice_is_refused(login, session):
    client = login("rita")
    assert _import(client).status_code == 303
    response = _import(client, title="Another headline")
    assert response.status_code == 422
    article = session.execute(select(Article).where(Article.title == "Rockets hit port city")).scalar_one()
    error = re.search(r'id="body-error">([^<]*)<', response.get_data(as_text=True)).group(1)
    # The headline as it was written, not lower-cased by the message's capital.
    assert error == f"This article is already imported as #{article.id} (&#39;Rockets hit port city&#39;)."


def test_cli_import_stores_suggestions(fresh_db_url, tmp_path):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from factcheck.db import sqlalchemy_url

    path = tmp_path / "wire.md"
    path.write_text(WIRE)
    result = CliRunner().invoke(main, ["import", str(path)], env={"DATABASE_URL": fresh_db_url})
    assert result.exit_code == 0, result.stderr
    engine = create_engine(sqlalchemy_url(fresh_db_url), poolclass=NullPool)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claim_candidates")).scalar_one() >= 3
    engine.dispose()


def test_body_is_frozen_once_suggestions_point_into_it(login, session):
    _import(login("rita"))
    article = session.execute(select(Article)).scalar_one()
    nested = session.begin_nested()
    with pytest.raises(DBAPIError, match="cannot change"):
        session.execute(text("UPDATE articles SET body = 'rewritten' WHERE id = :id"), {"id": article.id})
    nested.rollback()


def test_extract_command_needs_no_database(tmp_path):
    path = tmp_path / "wire.md"
    path.write_text(WIRE)
    env = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"}
    table = CliRunner().invoke(main, ["extract", str(path)], env=env)
    assert table.exit_code == 0, table.stderr
    assert "candidate claims in 'Rockets hit port city'" in table.output
    lines = CliRunner().invoke(main, ["extract", "--format", "json", str(path)], env=env).output.splitlines()
    objects = [json.loads(line) for line in lines]
    body = WIRE.split("---\n", 2)[2].strip()
    assert objects and all(body[o["span_start"]:o["span_end"]] == o["quote"] for o in objects)
    assert set(objects[0]) == {"quote", "span_start", "span_end", "category", "claimant", "quantity", "hedged", "hedge_note", "score"}
    assert any(o["quantity"] == {"value": 12, "value_max": None, "unit": "people", "qualifier": "at least"} for o in objects)


def test_extract_command_refuses_binary(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 1 and "binary" in result.stderr
