"""Constraints and triggers that keep the data honest, whoever writes to the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from factcheck.models import Article, Category, Claim, ClaimEvent, EventAction, Role, User


def _article(session, body="The six missiles flew 355 miles. Then six more fell.") -> Article:
    article = Article(title="Test", body=body)
    session.add(article)
    session.flush()
    return article


def _claim(session, article, quote, start):
    claim = Claim(
        article_id=article.id,
        quote=quote,
        span_start=start,
        span_end=start + len(quote),
        statement=quote,
        category=Category.WEAPONS,
    )
    session.add(claim)
    session.flush()
    return claim


def _fails(session, exc_type, action):
    nested = session.begin_nested()
    with pytest.raises(exc_type) as info:
        action()
        session.flush()
    nested.rollback()
    return info.value


def test_body_hash_is_derived_by_the_database(session):
    import hashlib

    article = _article(session)
    session.refresh(article)
    assert article.body_sha256 == hashlib.sha256(article.body.encode()).hexdigest()


def test_same_body_cannot_be_imported_twice(session):
    _article(session)
    _fails(session, IntegrityError, lambda: _article(session))


def test_claim_span_must_match_its_quote(session):
    article = _article(session)
    _claim(session, article, "six missiles", 4)  # body[4:16] == "six missiles"
    error = _fails(session, DBAPIError, lambda: _claim(session, article, "six missiles", 5))
    assert "does not match" in str(error)


def test_span_start_before_end(session):
    article = _article(session)
    claim = Claim(
        article_id=article.id, quote="", span_start=3, span_end=3, statement="x", category=Category.OTHER
    )
    _fails(session, IntegrityError, lambda: session.add(claim))


def test_article_body_is_immutable_once_claimed(session):
    article = _article(session)
    # Without claims an article's body may still be corrected.
    session.execute(text("UPDATE articles SET body = body || ' More.' WHERE id = :id"), {"id": article.id})
    session.refresh(article)
    _claim(session, article, "six missiles", 4)
    error = _fails(
        session,
        DBAPIError,
        lambda: session.execute(text("UPDATE articles SET body = 'changed' WHERE id = :id"), {"id": article.id}),
    )
    assert "cannot change" in str(error)


def test_article_with_claims_cannot_be_deleted(session):
    article = _article(session)
    _claim(session, article, "six missiles", 4)
    _fails(
        session,
        IntegrityError,
        lambda: session.execute(text("DELETE FROM articles WHERE id = :id"), {"id": article.id}),
    )


def test_history_refuses_update_delete_and_truncate(session):
    article = _article(session)
    claim = _claim(session, article, "six missiles", 4)
    session.add(ClaimEvent(claim_id=claim.id, action=EventAction.CREATED.value))
    session.flush()
    for statement in (
        "UPDATE claim_events SET comment = 'rewritten'",
        "DELETE FROM claim_events",
        "TRUNCATE claim_events CASCADE",
    ):
        error = _fails(session, DBAPIError, lambda: session.execute(text(statement)))
        assert "append-only" in str(error)
    assert session.execute(text("SELECT count(*) FROM claim_events")).scalar_one() == 1


def test_usernames_are_unique_ignoring_case(session):
    session.add(User(username="Editor", display_name="E", password_hash="x", role=Role.EDITOR))
    session.flush()
    _fails(
        session,
        IntegrityError,
        lambda: session.add(User(username="editor", display_name="E2", password_hash="x", role=Role.EDITOR)),
    )


def test_evidence_url_must_be_http(session):
    from factcheck.models import Evidence, Stance

    article = _article(session)
    claim = _claim(session, article, "six missiles", 4)
    _fails(
        session,
        IntegrityError,
        lambda: session.add(
            Evidence(claim_id=claim.id, url="javascript:alert(1)", title="x", stance=Stance.CONTEXT)
        ),
    )
