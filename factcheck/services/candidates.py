"""Claims the extractor proposes: stored on import, then accepted (becoming claims) or dismissed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extraction import extract_claims
from ..models import Article, CandidateStatus, Claim, ClaimCandidate
from .errors import InvalidTransition, NotFound
from .permissions import Permission, require
from .users import active_user
from .workflow import ClaimFields, _changing, new_claim


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when the spans share at least half of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared * 2 >= min(a[1] - a[0], b[1] - b[0])


def propose_candidates(session: Session, article: Article) -> int:
    """Run the extractor on the article and stage new candidates (the caller commits).

    Skips what is already a claim, or already a candidate (pending, accepted
    or dismissed: a dismissal stays), so running it again adds nothing twice.
    """
    taken = [
        (s, e)
        for s, e in session.execute(
            select(Claim.span_start, Claim.span_end).where(Claim.article_id == article.id)
        ).all()
    ]
    known = {
        (s, e)
        for s, e in session.execute(
            select(ClaimCandidate.span_start, ClaimCandidate.span_end).where(ClaimCandidate.article_id == article.id)
        ).all()
    }
    added = 0
    for candidate in extract_claims(article.body):
        span = (candidate.span_start, candidate.span_end)
        if span in known or any(_overlaps(span, claim) for claim in taken):
            continue
        quantity = candidate.quantity
        session.add(
            ClaimCandidate(
                article_id=article.id,
                quote=candidate.quote,
                span_start=candidate.span_start,
                span_end=candidate.span_end,
                category=candidate.category,
                claimant=(candidate.claimant or None) and candidate.claimant[:200],
                quantity_value=quantity.value if quantity else None,
                quantity_value_max=quantity.value_max if quantity else None,
                quantity_unit=quantity.unit[:60] if quantity and quantity.unit else None,
                quantity_qualifier=quantity.qualifier if quantity else None,
                hedged=candidate.hedged,
                hedge_note=(candidate.hedge_note or None) and candidate.hedge_note[:300],
                score=candidate.score,
            )
        )
        known.add(span)
        added += 1
    session.flush()
    return added


def article_candidates(session: Session, article_id: int, status: CandidateStatus = CandidateStatus.PENDING) -> list[ClaimCandidate]:
    return list(
        session.execute(
            select(ClaimCandidate)
            .where(ClaimCandidate.article_id == article_id, ClaimCandidate.status == status)
            .order_by(ClaimCandidate.span_start, ClaimCandidate.id)
        ).scalars()
    )


def get_candidate(session: Session, candidate_id: int) -> ClaimCandidate:
    candidate = session.get(ClaimCandidate, candidate_id)
    if candidate is None:
        raise NotFound(f"No suggested claim #{candidate_id}.")
    return candidate


def fields_from_candidate(candidate: ClaimCandidate) -> ClaimFields:
    """What the accept form starts from; the reviewer edits it before saving."""
    return ClaimFields(
        statement=candidate.quote[0].upper() + candidate.quote[1:] if candidate.quote else "",
        category=candidate.category,
        claimant=candidate.claimant,
        quantity_value=candidate.quantity_value,
        quantity_unit=candidate.quantity_unit,
        quantity_qualifier=candidate.quantity_qualifier,
        hedged=candidate.hedged,
        hedge_note=candidate.hedge_note,
    )


def _pending(session: Session, actor_id: int, candidate_id: int):
    actor = active_user(session, actor_id)
    require(actor, Permission.ACCEPT_CANDIDATES)
    candidate = session.execute(
        select(ClaimCandidate).where(ClaimCandidate.id == candidate_id).with_for_update()
    ).scalar_one_or_none()
    if candidate is None:
        raise NotFound(f"No suggested claim #{candidate_id}.")
    if candidate.status is not CandidateStatus.PENDING:
        raise InvalidTransition(f"This suggestion was already {candidate.status.value}.")
    return actor, candidate


def accept_candidate(session: Session, actor_id: int, candidate_id: int, fields_: ClaimFields) -> Claim:
    """Make the candidate a claim (with the reviewer's edits), in one transaction."""
    with _changing(session):
        actor, candidate = _pending(session, actor_id, candidate_id)
        claim = new_claim(
            session,
            actor,
            candidate.article,
            (candidate.span_start, candidate.span_end),
            fields_,
            source=f"candidate:{candidate.id}",
        )
        candidate.status = CandidateStatus.ACCEPTED
        candidate.claim_id = claim.id
        candidate.decided_by_id = actor.id
        candidate.decided_at = datetime.now(timezone.utc)
    return claim


def dismiss_candidate(session: Session, actor_id: int, candidate_id: int) -> ClaimCandidate:
    with _changing(session):
        actor, candidate = _pending(session, actor_id, candidate_id)
        candidate.status = CandidateStatus.DISMISSED
        candidate.decided_by_id = actor.id
        candidate.decided_at = datetime.now(timezone.utc)
    return candidate


@dataclass(frozen=True)
class CandidateSummary:
    pending: int
    accepted: int
    dismissed: int
