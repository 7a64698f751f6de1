"""The database keeps every quote equal to its article's text at its span (migration 0008),
for claims and suggested claims, however many rows one statement writes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError

from factcheck.models import Article, Category, Claim, ClaimCandidate

# Accents, an emoji (one character for Python and for PostgreSQL), CJK, curly quotes;
# long enough that spans cross the check's 200-character pieces.
BODY = "".join(
    f"Paragraph {n}: “Über 1,200 Soldaten” were reported 🚀 near 東京 — café No. {n}.\n" for n in range(60)
)


def _article(session, body=BODY) -> Article:
    article = Article(title="Unicode", body=body)
    session.add(article)
    session.flush()
    return article


def _row(article, start, end, quote=None):
    return dict(
        article_id=article.id,
        quote=article.body[start:end] if quote is None else quote,
        span_start=start,
        span_end=end,
        category=Category.OTHER,
    )


def _refused(session, statement, rows=None):
    nested = session.begin_nested()
    with pytest.raises(DBAPIError, match="does not match") as info:
        session.execute(statement, rows) if rows is not None else session.execute(statement)
    nested.rollback()
    return info.value


def test_many_exact_quotes_in_one_statement_are_accepted(session):
    article = _article(session)
    spans = [(s, s + length) for s in range(0, len(BODY) - 1000, 37) for length in (1, 5, 199, 200, 201, 950)]
    session.execute(insert(ClaimCandidate.__table__), [_row(article, s, e) for s, e in spans])
    stored = session.execute(select(func.count()).select_from(ClaimCandidate)).scalar_one()
    assert stored == len(spans)


@pytest.mark.parametrize("shift", [-1, 1])
def test_one_wrong_row_refuses_the_whole_statement(session, shift):
    article = _article(session)
    rows = [_row(article, s, s + 30) for s in range(0, 3000, 50)]
    start = 199 + shift  # just across a piece boundary
    rows.append(_row(article, start + shift, start + shift + 30, quote=BODY[start:start + 30]))
    _refused(session, insert(ClaimCandidate.__table__), rows)
    assert session.execute(select(func.count()).select_from(ClaimCandidate)).scalar_one() == 0


def test_a_span_past_the_end_is_refused(session):
    article = _article(session, "Short body.")
    _refused(session, insert(ClaimCandidate.__table__), [_row(article, 6, 12, quote="body.!")])


def test_claims_are_checked_too(session):
    article = _article(session)
    start = BODY.index("🚀")
    claim = dict(_row(article, start, start + 10), statement="s")
    session.execute(insert(Claim.__table__), [claim])
    _refused(session, insert(Claim.__table__), [dict(claim, span_start=start + 1, span_end=start + 11)])


def test_updates_of_the_span_are_checked_and_other_updates_are_not_slowed(session):
    article = _article(session)
    session.execute(insert(ClaimCandidate.__table__), [_row(article, 10, 40)])
    candidate_id = session.execute(select(ClaimCandidate.id)).scalar_one()
    _refused(session, update(ClaimCandidate).where(ClaimCandidate.id == candidate_id).values(span_start=11, span_end=41))
    session.execute(update(ClaimCandidate).where(ClaimCandidate.id == candidate_id).values(score=0.5))
    session.execute(
        update(ClaimCandidate)
        .where(ClaimCandidate.id == candidate_id)
        .values(span_start=11, span_end=41, quote=BODY[11:41])
    )

