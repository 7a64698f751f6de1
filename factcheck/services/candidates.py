"""Claims the extractor proposes: stored on import, then accepted (becoming claims) or dismissed."""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from . import timing
from ..extraction import extract_claims
from ..models import Article, CandidateStatus, Category, Claim, ClaimCandidate, EventType, User
from .errors import InvalidTransition, NotFound, ValidationFailed
from .events import emit
from .permissions import Permission, require
from .users import active_user
from .unit import use_case
from .workflow import ClaimFields, new_claim


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when the spans share at least half of the shorter one."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared > 0 and shared * 2 >= min(a[1] - a[0], b[1] - b[0])


def _overlapping_any(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans that ``_overlaps`` some span in ``taken``.

    A sweep over both lists sorted by start: each span is compared only with the
    taken spans still open at its start, not with all of them.
    """
    if not taken or not spans:
        return set()
    taken = sorted(taken)
    found: set[tuple[int, int]] = set()
    open_: list[tuple[int, int, int]] = []  # heap of (end, start, index) of taken spans begun so far
    j = 0
    for span in sorted(set(spans)):
        start, end = span
        while j < len(taken) and taken[j][0] < end:
            heapq.heappush(open_, (taken[j][1], taken[j][0], j))
            j += 1
        while open_ and open_[0][0] <= start:  # ended before this span (and every later one) starts
            heapq.heappop(open_)
        if any(_overlaps(span, (s, e)) for e, s, _ in open_ if s < end):
            found.add(span)
    return found


def propose_candidates(session: Session, article: Article) -> int:
    """Run the extractor on the article and store the new candidates.

    A step of a use case (importing, seeding): it joins the caller's
    transaction and never commits. Skips what is already a claim, or already a
    candidate (pending, accepted or dismissed: a dismissal stays), so running
    it again adds nothing twice. The rows go in with one INSERT.
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
    with timing.phase("claims"):  # the intake benchmark's split (services/timing.py)
        found = extract_claims(article.body)
    near_claims = _overlapping_any([(c.span_start, c.span_end) for c in found], taken)
    rows = []
    for candidate in found:
        span = (candidate.span_start, candidate.span_end)
        if span in known or span in near_claims:
            continue
        quantity = candidate.quantity
        rows.append(
            dict(
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
    store_candidates(session, article.id, rows)
    return len(rows)


_COLUMNS = (
    # (column, its SQL type), as jsonb_to_recordset reads them
    ("quote", "text"),
    ("span_start", "integer"),
    ("span_end", "integer"),
    ("category", "claim_category"),
    ("claimant", "text"),
    ("quantity_value", "numeric"),
    ("quantity_value_max", "numeric"),
    ("quantity_unit", "text"),
    ("quantity_qualifier", "text"),
    ("hedged", "boolean"),
    ("hedge_note", "text"),
    ("score", "double precision"),
)
_INSERT_CANDIDATES = text(
    f"INSERT INTO claim_candidates (article_id, {', '.join(c for c, _ in _COLUMNS)}) "
    f"SELECT :article_id, {', '.join(f't.{c}' for c, _ in _COLUMNS)} "
    f"FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS t({', '.join(f'{c} {t}' for c, t in _COLUMNS)})"
)


def store_candidates(session: Session, article_id: int, rows: list[dict]) -> None:
    """Insert an article's candidate rows with one statement, whatever their number.

    One INSERT ... SELECT FROM jsonb_to_recordset(one JSON document): the quote
    check (a statement trigger, migration 0008) then reads the body once. The
    ORM's bulk insert started a new statement each time the set of non-None
    columns changed, and executemany batches stop at 32,700 parameters:
    thousands of statements, or several, for a long article, each reading the
    whole body. (Decimals travel as JSON strings; numeric reads them exactly.)
    """
    if not rows:
        return
    document = json.dumps(
        [{column: row[column] for column, _ in _COLUMNS} for row in rows],
        default=_json_value,
        ensure_ascii=False,
    )
    session.execute(_INSERT_CANDIDATES, {"article_id": article_id, "rows": document})


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def pending_count(session: Session, article_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(ClaimCandidate)
        .where(ClaimCandidate.article_id == article_id, ClaimCandidate.status == CandidateStatus.PENDING)
    ).scalar_one()


def article_candidates(session: Session, article_id: int, status: CandidateStatus = CandidateStatus.PENDING) -> list[ClaimCandidate]:
    return list(
        session.execute(
            select(ClaimCandidate)
            .where(ClaimCandidate.article_id == article_id, ClaimCandidate.status == status)
            .order_by(ClaimCandidate.span_start, ClaimCandidate.id)
        ).scalars()
    )


@dataclass(frozen=True, slots=True)
class PendingRow:
    """What the article page shows of a pending suggestion."""

    id: int
    span_start: int
    span_end: int
    quote: str
    category: Category
    claimant: str | None
    quantity_value: Decimal | None
    quantity_unit: str | None
    quantity_qualifier: str | None
    hedged: bool
    score: float  # check-worthiness in [0, 1], from the extractor


def pending_for_page(session: Session, article_id: int) -> list[PendingRow]:
    """The article's pending suggestions in text order, as plain rows (a long
    article has thousands: loading them as ORM objects was a large part of the page)."""
    c = ClaimCandidate
    rows = session.execute(
        select(
            c.id, c.span_start, c.span_end, c.quote, c.category, c.claimant,
            c.quantity_value, c.quantity_unit, c.quantity_qualifier, c.hedged, c.score,
        )
        .where(c.article_id == article_id, c.status == CandidateStatus.PENDING)
        .order_by(c.span_start, c.id)
    ).all()
    return [PendingRow(*row) for row in rows]


def get_candidate(session: Session, candidate_id: int, article_id: int | None = None) -> ClaimCandidate:
    """The candidate; NotFound if there is none, or (given ``article_id``) it is another article's."""
    candidate = session.get(ClaimCandidate, candidate_id)
    if candidate is None or (article_id is not None and candidate.article_id != article_id):
        raise NotFound(f"No suggested claim #{candidate_id}" + (f" in article #{article_id}." if article_id is not None else "."))
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


def _locked(session: Session, actor_id: int, candidate_id: int, article_id: int | None):
    """The actor (who may decide suggestions) and the suggestion, locked; NotFound
    when it does not exist or, given ``article_id``, belongs to another article."""
    actor = active_user(session, actor_id)
    require(actor, Permission.ACCEPT_CANDIDATES)
    candidate = session.execute(
        select(ClaimCandidate).where(ClaimCandidate.id == candidate_id).with_for_update()
    ).scalar_one_or_none()
    if candidate is None or (article_id is not None and candidate.article_id != article_id):
        raise NotFound(f"No suggested claim #{candidate_id}" + (f" in article #{article_id}." if article_id is not None else "."))
    return actor, candidate


def _pending(session: Session, actor_id: int, candidate_id: int, article_id: int | None):
    actor, candidate = _locked(session, actor_id, candidate_id, article_id)
    if candidate.status is not CandidateStatus.PENDING:
        raise InvalidTransition(f"This suggestion was already {candidate.status.value}.")
    return actor, candidate


@use_case
def accept_candidate(
    session: Session, actor_id: int, candidate_id: int, fields_: ClaimFields, *, article_id: int | None = None
) -> Claim:
    """Make the candidate a claim (with the reviewer's edits): the claim, its
    history event and the candidate's decision are saved together or not at all.
    Given ``article_id``, a candidate of another article is NotFound."""
    actor, candidate = _pending(session, actor_id, candidate_id, article_id)
    claim = new_claim(
        session,
        actor,
        candidate.article,
        (candidate.span_start, candidate.span_end),
        fields_,
        source=f"candidate:{candidate.id}",
    )
    _decide(session, candidate, actor.id, CandidateStatus.ACCEPTED, claim.id)
    emit(
        session,
        EventType.SUGGESTION_ACCEPTED,
        claim_id=claim.id,
        article_id=claim.article_id,
        actor_id=actor.id,
        payload={
            "suggestion_id": candidate.id,
            "claim": {"id": claim.id, "article_id": claim.article_id, "statement": claim.statement, "quote": claim.quote},
        },
    )
    return claim


@use_case
def dismiss_candidate(
    session: Session, actor_id: int, candidate_id: int, *, article_id: int | None = None
) -> ClaimCandidate:
    """Dismiss the candidate: proposing again will not bring it back, only
    ``restore_candidate`` does. Given ``article_id``, a candidate of another article is NotFound."""
    actor, candidate = _pending(session, actor_id, candidate_id, article_id)
    _decide(session, candidate, actor.id, CandidateStatus.DISMISSED)
    return candidate


DISMISS_LIMIT = 1000  # suggestions dismissed at once


@use_case
def dismiss_candidates(session: Session, actor_id: int, article_id: int, candidate_ids: list[int]) -> int:
    """Dismiss several of an article's pending suggestions at once: all of them, or
    (when any is another article's, or already decided) none. Returns how many."""
    actor = active_user(session, actor_id)
    require(actor, Permission.ACCEPT_CANDIDATES)
    wanted = set(candidate_ids)
    if not wanted:
        raise ValidationFailed({"candidate": ["Tick at least one suggestion first."]})
    if len(wanted) > DISMISS_LIMIT:
        raise ValidationFailed({"candidate": [f"Tick at most {DISMISS_LIMIT:,} suggestions at a time."]})
    found = list(
        session.execute(
            select(ClaimCandidate)
            .where(ClaimCandidate.id.in_(wanted), ClaimCandidate.article_id == article_id)
            .order_by(ClaimCandidate.id)
            .with_for_update()
        ).scalars()
    )
    if len(found) != len(wanted):
        raise NotFound(f"Some of the ticked suggestions are not in article #{article_id}.")
    decided = [c for c in found if c.status is not CandidateStatus.PENDING]
    if decided:
        raise InvalidTransition(
            f"{len(decided)} of the ticked suggestions {'was' if len(decided) == 1 else 'were'} decided meanwhile; "
            "nothing was dismissed. Tick them again on the reloaded page."
        )
    for candidate in found:
        _decide(session, candidate, actor.id, CandidateStatus.DISMISSED)
    return len(found)


@use_case
def restore_candidate(session: Session, actor_id: int, candidate_id: int, *, article_id: int | None = None) -> ClaimCandidate:
    """Bring a dismissed suggestion back to the pending list.
    Given ``article_id``, a candidate of another article is NotFound."""
    _actor, candidate = _locked(session, actor_id, candidate_id, article_id)
    if candidate.status is not CandidateStatus.DISMISSED:
        raise InvalidTransition(f"This suggestion is {candidate.status.value}, not dismissed.")
    candidate.status = CandidateStatus.PENDING
    candidate.decided_by_id = None
    candidate.decided_at = None
    session.flush()
    return candidate


@dataclass(frozen=True, slots=True)
class DismissedRow:
    """What the article page shows of a dismissed suggestion."""

    id: int
    quote: str
    category: Category
    decided_by: str | None
    decided_at: datetime | None


DISMISSED_SHOWN = 100


def dismissed_for_page(session: Session, article_id: int, limit: int = DISMISSED_SHOWN) -> tuple[list[DismissedRow], int]:
    """The article's latest ``limit`` dismissed suggestions, and how many there are."""
    c = ClaimCandidate
    where = (c.article_id == article_id, c.status == CandidateStatus.DISMISSED)
    total = session.execute(select(func.count()).select_from(c).where(*where)).scalar_one()
    if not total:
        return [], 0
    rows = session.execute(
        select(c.id, c.quote, c.category, User.display_name, c.decided_at)
        .outerjoin(User, User.id == c.decided_by_id)
        .where(*where)
        .order_by(c.decided_at.desc().nulls_last(), c.id.desc())
        .limit(limit)
    ).all()
    return [DismissedRow(*row) for row in rows], total


def _decide(session: Session, candidate: ClaimCandidate, actor_id: int, status: CandidateStatus, claim_id: int | None = None) -> None:
    candidate.status = status
    candidate.claim_id = claim_id
    candidate.decided_by_id = actor_id
    candidate.decided_at = datetime.now(timezone.utc)
    session.flush()


@dataclass(frozen=True)
class CandidateSummary:
    pending: int
    accepted: int
    dismissed: int
