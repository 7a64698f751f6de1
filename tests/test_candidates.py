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
    form = client.get(f"/articles/{article_id}/candidates/{candidate.id}/accept").get_data(as_text=True)
    assert candidate.quote in form and 'value="12"' in form  # prefilled from the suggestion
    response = client.post(
        f"/articles/{article_id}/candidates/{candidate.id}/accept",
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
    again = client.post(f"/articles/{article_id}/candidates/{candidate.id}/accept", {"statement": "x", "category": "other"})
    assert again.status_code == 303
    assert "already accepted" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_accept_form_errors_keep_the_input(login, session):
    client = login("rita")
    article_id = int(_import(client).headers["Location"].rsplit("/", 1)[1])
    candidate = candidate_service.article_candidates(session, article_id)[0]
    response = client.post(
        f"/articles/{article_id}/candidates/{candidate.id}/accept",
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
    assert client.post(f"/articles/{article_id}/candidates/{candidate.id}/dismiss", {}).status_code == 303
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


# --- every id in a URL belongs to its parent -------------------------------------


def _two_articles(client, session):
    first = int(_import(client).headers["Location"].rsplit("/", 1)[1])
    other_body = WIRE.split("---\n", 2)[2].replace("Hodeidah", "Aden").replace("12 people", "9 people")
    second = int(_import(client, title="Rockets hit Aden", body=other_body).headers["Location"].rsplit("/", 1)[1])
    return first, second, candidate_service.article_candidates(session, first)[0]


def test_a_suggestion_is_only_reached_through_its_own_article(login, session):
    client = login("rita")
    article_id, other_id, candidate = _two_articles(client, session)
    own = f"/articles/{article_id}/candidates/{candidate.id}"
    wrong = f"/articles/{other_id}/candidates/{candidate.id}"
    assert client.get(f"{own}/accept").status_code == 200
    assert client.get(f"{wrong}/accept").status_code == 404
    fields = {"statement": "Twelve died.", "category": "casualties"}
    assert client.post(f"{wrong}/accept", fields).status_code == 404
    assert client.post(f"{wrong}/dismiss", {}).status_code == 404
    assert client.post(f"/articles/999999/candidates/{candidate.id}/dismiss", {}).status_code == 404
    session.expire_all()
    assert session.get(ClaimCandidate, candidate.id).status is CandidateStatus.PENDING
    assert session.execute(select(func.count()).select_from(Claim)).scalar_one() == 0
    # The article page links each suggestion under its own article.
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert f'href="{own}/accept"' in page and f'formaction="{own}/dismiss"' in page
    assert client.post(f"{own}/dismiss", {}).status_code == 303


# --- accepting and dismissing are each one unit ---------------------------------


def _fresh(fresh_db_url):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from factcheck.db import sqlalchemy_url

    return create_engine(sqlalchemy_url(fresh_db_url), poolclass=NullPool)


def _world(engine):
    """A reviewer and an imported article with suggestions, committed."""
    from sqlalchemy.orm import Session

    from factcheck.models import Role
    from factcheck.services import articles
    from factcheck.services import users as user_service

    with Session(engine, expire_on_commit=False) as s:
        rita = user_service.create_user(s, username="rita", password="a long test passphrase", role=Role.REVIEWER)
        (article,) = articles.import_articles(s, [articles.read_article_file(WIRE.encode(), "wire.md")], None)
        candidate = candidate_service.article_candidates(s, article.id)[0]
        return rita.id, article.id, candidate.id


def _nothing_changed(engine, candidate_id):
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM claims")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM claim_events")).scalar_one() == 0
        row = conn.execute(
            text("SELECT status, claim_id, decided_by_id FROM claim_candidates WHERE id = :id"), {"id": candidate_id}
        ).one()
        assert tuple(row) == ("pending", None, None)


def test_a_failure_marking_the_accepted_suggestion_creates_no_claim(fresh_db_url, monkeypatch):
    from sqlalchemy.orm import Session

    from factcheck.services.workflow import ClaimFields
    from factcheck.models import Category

    engine = _fresh(fresh_db_url)
    try:
        rita, article_id, candidate_id = _world(engine)

        def fail(*args, **kwargs):
            raise RuntimeError("the last step fails")

        monkeypatch.setattr(candidate_service, "_decide", fail)
        with Session(engine) as s, pytest.raises(RuntimeError):
            candidate_service.accept_candidate(
                s, rita, candidate_id, ClaimFields(statement="Twelve died.", category=Category.CASUALTIES), article_id=article_id
            )
        _nothing_changed(engine, candidate_id)
    finally:
        engine.dispose()


def test_a_failure_dismissing_changes_nothing(fresh_db_url, monkeypatch):
    from sqlalchemy.orm import Session

    engine = _fresh(fresh_db_url)
    try:
        rita, article_id, candidate_id = _world(engine)
        real = candidate_service._decide

        def decide_then_fail(*args, **kwargs):
            real(*args, **kwargs)  # the change is made and flushed, then the unit fails
            raise RuntimeError("the last step fails")

        monkeypatch.setattr(candidate_service, "_decide", decide_then_fail)
        with Session(engine) as s, pytest.raises(RuntimeError):
            candidate_service.dismiss_candidate(s, rita, candidate_id, article_id=article_id)
        _nothing_changed(engine, candidate_id)
        monkeypatch.undo()
        with Session(engine) as s:
            candidate_service.dismiss_candidate(s, rita, candidate_id, article_id=article_id)
        with engine.connect() as conn:
            status = conn.execute(text("SELECT status FROM claim_candidates WHERE id = :id"), {"id": candidate_id}).scalar_one()
        assert status == "dismissed"
    finally:
        engine.dispose()


@pytest.mark.parametrize("seed", range(20))
def test_the_overlap_sweep_finds_what_comparing_every_pair_finds(seed):
    import random

    rng = random.Random(seed)

    def spans(n):
        out = []
        for _ in range(n):
            start = rng.randint(0, 300)
            out.append((start, start + rng.randint(1, 80)))
        return out

    found, taken = spans(rng.randint(0, 60)), spans(rng.randint(0, 30))
    expected = {s for s in found if any(candidate_service._overlaps(s, t) for t in taken)}
    assert candidate_service._overlapping_any(found, taken) == expected


# --- restoring and triaging several at once -------------------------------------------


def _statuses(session, ids):
    session.expire_all()
    return [session.get(ClaimCandidate, i).status for i in ids]


def test_a_dismissed_suggestion_is_listed_and_can_be_restored(login, session, users):
    client = login("rita")
    article_id = int(_import(client).headers["Location"].rsplit("/", 1)[1])
    candidate = candidate_service.article_candidates(session, article_id)[0]
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "Dismissed suggestions" not in page
    assert 'data-confirm="Dismiss this suggestion?' in page
    client.post(f"/articles/{article_id}/candidates/{candidate.id}/dismiss", {})
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    dismissed = page.split('<details class="dismissed" id="dismissed">')[1].split("</details>")[0]
    assert "Dismissed suggestions (1)" in dismissed and "by Rita" in dismissed
    restore = f"/articles/{article_id}/candidates/{candidate.id}/restore"
    assert f'formaction="{restore}"' in dismissed
    assert client.post(restore, {}).status_code == 303
    assert _statuses(session, [candidate.id]) == [CandidateStatus.PENDING]
    fresh = session.get(ClaimCandidate, candidate.id)
    assert (fresh.decided_by_id, fresh.decided_at) == (None, None)
    assert f'<li id="c{candidate.id}">' in client.get(f"/articles/{article_id}").get_data(as_text=True)
    # Restoring again, or through another article's URL, changes nothing.
    response = client.post(restore, {})
    assert response.status_code == 303
    assert "not dismissed" in client.get(response.headers["Location"]).get_data(as_text=True)
    other_id = int(_import(client, title="Other", body="Over 300 soldiers were deployed, the army said.").headers["Location"].rsplit("/", 1)[1])
    client.post(f"/articles/{article_id}/candidates/{candidate.id}/dismiss", {})
    assert client.post(f"/articles/{other_id}/candidates/{candidate.id}/restore", {}).status_code == 404
    assert _statuses(session, [candidate.id]) == [CandidateStatus.DISMISSED]


def test_ticked_suggestions_are_dismissed_together_or_not_at_all(login, session, users):
    client = login("rita")
    article_id = int(_import(client).headers["Location"].rsplit("/", 1)[1])
    ids = [c.id for c in candidate_service.article_candidates(session, article_id)]
    assert len(ids) >= 3
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert f'<input type="checkbox" class="pick" name="candidate" value="{ids[0]}" form="triage-form"' in page
    url = f"/articles/{article_id}/candidates/dismiss"
    # One of them decided meanwhile: nothing is dismissed, and the page says why.
    candidate_service.dismiss_candidate(session, users["ron"].id, ids[2])
    response = client.post(url, {"candidate": ids[:3]})
    assert response.status_code == 303
    assert "nothing was dismissed" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _statuses(session, ids[:2]) == [CandidateStatus.PENDING] * 2
    # Ticking nothing, or sending garbage, is explained and changes nothing.
    for data, words in (({}, "Tick at least one suggestion first."), ({"candidate": ["1; DROP"]}, "not understood")):
        response = client.post(url, data)
        assert response.status_code == 303
        assert words in client.get(response.headers["Location"]).get_data(as_text=True)
    # Another article's suggestion among them: not found, nothing changes.
    other_id = int(_import(client, title="Other", body="Over 300 soldiers were deployed, the army said.").headers["Location"].rsplit("/", 1)[1])
    foreign = candidate_service.article_candidates(session, other_id)[0].id
    assert client.post(url, {"candidate": [ids[0], foreign]}).status_code == 404
    assert _statuses(session, [ids[0], foreign]) == [CandidateStatus.PENDING] * 2
    # The pending ones, ticked: all dismissed in one go.
    response = client.post(url, {"candidate": ids[:2]})
    assert response.status_code == 303
    assert "Dismissed 2 suggestions." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _statuses(session, ids[:3]) == [CandidateStatus.DISMISSED] * 3


def test_a_failure_dismissing_several_changes_none(session, users, monkeypatch):
    article = Article(title="Several", body=WIRE.split("---\n", 2)[2])
    session.add(article)
    session.flush()
    candidate_service.propose_candidates(session, article)
    session.commit()
    ids = [c.id for c in candidate_service.article_candidates(session, article.id)][:3]
    real = candidate_service._decide
    calls = []

    def fail_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(candidate_service, "_decide", fail_on_third)
    with pytest.raises(RuntimeError):
        candidate_service.dismiss_candidates(session, users["rita"].id, article.id, ids)
    assert _statuses(session, ids) == [CandidateStatus.PENDING] * 3


def test_the_article_page_says_where_the_suggestions_are_without_left_or_right(login, session):
    """On a phone the suggestions are under the article, not on its right: the
    legend links to them instead of giving a direction that is false there."""
    client = login("rita")
    article_id = int(_import(client).headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    legend = page.split('<p class="legend muted">')[1].split("</p>")[0]
    assert "right" not in legend and "left" not in legend
    assert '<a href="#suggested-heading">suggested claims</a>' in legend
    assert 'id="suggested-heading"' in page
