"""Claims: the queue and reading a claim. (Changes live in services.workflow.)"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import BigInteger, Select, bindparam, func, select, true
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.orm import Session, aliased, joinedload

from ..models import (
    Article,
    Category,
    Claim,
    ClaimDailyCount,
    ClaimEvent,
    ClaimStatus,
    ClaimTotal,
    EventAction,
    Evidence,
    User,
    Verdict,
)
from .errors import NotFound
from .paging import LAST, CompiledList, Keyset, Page, SortKey, fetch_page, run_compiled
from .permissions import Permission, require
from .users import active_user

# Each order's keys all run one way, so a page is one row-value seek on an index
# with the same columns (see services.paging): "priority" sorts by -priority
# ascending, which is priority DESC; the indexes are on (-priority, created_at, id).
SORTS = {
    "newest": Keyset(
        "claims:newest", SortKey(Claim.created_at, datetime, descending=True), SortKey(Claim.id, int, descending=True)
    ),
    "oldest": Keyset("claims:oldest", SortKey(Claim.created_at, datetime), SortKey(Claim.id, int)),
    "priority": Keyset(
        "claims:priority", SortKey(-Claim.priority, int), SortKey(Claim.created_at, datetime), SortKey(Claim.id, int)
    ),
}
DEFAULT_SORT = "priority"
# The queue's pages, compiled once per shape of filters for each order.
_QUEUE_LISTS = {name: CompiledList(keyset) for name, keyset in SORTS.items()}


@dataclass(frozen=True)
class ClaimQuery:
    """Filters for the claim list. None means "any"."""

    status: ClaimStatus | None = None
    open_only: bool = False  # every status but verified
    verdict: Verdict | None = None
    category: Category | None = None
    article_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    hedged: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    verified_from: datetime | None = None
    verified_to: datetime | None = None
    # The dashboard's reviewer figures: claims whose latest proposal was made
    # by this user, or which this user approved, within [since, until).
    proposed_by_id: int | None = None
    proposed_from: datetime | None = None
    proposed_to: datetime | None = None
    approved_by_id: int | None = None
    sort: str = DEFAULT_SORT
    cursor: str | None = None  # where the page starts (services.paging); None: the first page
    per_page: int = 50


class ClaimRow(NamedTuple):
    """One row of the queue (a tuple: fifty of them are built on every page)."""

    id: int
    quote: str
    statement: str
    category: Category
    status: ClaimStatus
    verdict: Verdict | None
    claimant: str | None
    hedged: bool
    priority: int
    article_id: int
    article_title: str
    assignee_id: int | None
    assignee_name: str | None
    created_at: datetime
    quantity_value: Decimal | None
    quantity_unit: str | None
    quantity_qualifier: str | None
    version: int


@dataclass(frozen=True)
class Returned:
    """Why a claim with a verdict is back in review: the latest send-back or reopening."""

    action: EventAction  # SENT_BACK or REOPENED
    by: str | None  # who did it (None: an account since removed)
    at: datetime
    reason: str | None  # the comment they gave


@dataclass
class ClaimPage:
    rows: list[ClaimRow]
    total: int
    nav: Page  # the cursors of First/Previous/Next/Last, and a notice for a bad cursor
    status_counts: dict[ClaimStatus, int] = field(default_factory=dict)
    # Rows in review that carry a verdict (sent back, or reopened): why, by whom, when.
    returned: dict[int, Returned] = field(default_factory=dict)


def apply_filters(stmt: Select, q: ClaimQuery, *, include_status: bool = True) -> Select:
    if include_status and q.status is not None:
        stmt = stmt.where(Claim.status == q.status)
    if include_status and q.open_only:
        stmt = stmt.where(Claim.status != ClaimStatus.VERIFIED)
    if q.verdict is not None:
        stmt = stmt.where(Claim.verdict == q.verdict)
    if q.category is not None:
        stmt = stmt.where(Claim.category == q.category)
    if q.article_id is not None:
        stmt = stmt.where(Claim.article_id == q.article_id)
    if q.unassigned:
        stmt = stmt.where(Claim.assignee_id.is_(None))
    elif q.assignee_id is not None:
        stmt = stmt.where(Claim.assignee_id == q.assignee_id)
    if q.hedged is not None:
        stmt = stmt.where(Claim.hedged.is_(q.hedged))
    if q.created_from is not None:
        stmt = stmt.where(Claim.created_at >= q.created_from)
    if q.created_to is not None:
        stmt = stmt.where(Claim.created_at < q.created_to)
    # Only a verified claim has verified_at (reopening clears it); saying so lets
    # PostgreSQL use the partial index on verified claims' verified_at.
    if q.verified_from is not None:
        stmt = stmt.where(Claim.verified_at >= q.verified_from, Claim.status == ClaimStatus.VERIFIED)
    if q.verified_to is not None:
        stmt = stmt.where(Claim.verified_at < q.verified_to, Claim.status == ClaimStatus.VERIFIED)
    if q.proposed_by_id is not None:
        stmt = stmt.where(Claim.proposed_by_id == q.proposed_by_id)
    if q.proposed_from is not None:
        stmt = stmt.where(Claim.proposed_at >= q.proposed_from)
    if q.proposed_to is not None:
        stmt = stmt.where(Claim.proposed_at < q.proposed_to)
    if q.approved_by_id is not None:
        stmt = stmt.where(Claim.approved_by_id == q.approved_by_id, Claim.status == ClaimStatus.VERIFIED)
    return stmt


# Filters that pick out a few thousand claims through their own index (one
# article; the dashboard's date ranges of proposals and verifications): the queue
# sorts those instead of walking its order's index (see paging.fetch_page).
# The other filters leave most claims in, or have an index in the queue's order.
_NARROW = ("article_id", "verified_from", "verified_to", "proposed_from", "proposed_to")


_ASSIGNEE = aliased(User)
_ACTOR = aliased(User, name="actor")  # made once: an alias per call re-derives its columns
# The queue's columns and joins, built once: constructing an 18-column select
# on every request cost more than a tenth of the page's CPU.
_QUEUE = (
    select(
        Claim.id,
        Claim.quote,
        Claim.statement,
        Claim.category,
        Claim.status,
        Claim.verdict,
        Claim.claimant,
        Claim.hedged,
        Claim.priority,
        Claim.article_id,
        Article.title,
        Claim.assignee_id,
        _ASSIGNEE.display_name,
        Claim.created_at,
        Claim.quantity_value,
        Claim.quantity_unit,
        Claim.quantity_qualifier,
        Claim.version,
    )
    .join(Article, Article.id == Claim.article_id)
    .outerjoin(_ASSIGNEE, _ASSIGNEE.id == Claim.assignee_id)
)


# The filters that carry a value; the others (open_only, unassigned) are part of a query's shape.
_VALUED = (
    "status", "verdict", "category", "article_id", "assignee_id", "hedged", "created_from", "created_to",
    "verified_from", "verified_to", "proposed_by_id", "proposed_from", "proposed_to", "approved_by_id",
)


def bound_query(q: ClaimQuery) -> tuple[tuple, ClaimQuery, dict]:
    """(shape, the query with a bound parameter for each value, the values as the driver takes them).

    Two queries of one shape (the same filters set, whatever their values) make the
    same SQL, so it is built and compiled once (paging.CompiledList).
    """
    present = tuple(name for name in _VALUED if getattr(q, name) is not None)
    values = {}
    for name in present:
        value = getattr(q, name)
        values[f"q_{name}"] = value.value if isinstance(value, enum.Enum) else value
    bound = replace(q, **{name: bindparam(f"q_{name}") for name in present})
    return (present, q.open_only, q.unassigned), bound, values


_COMPILED_COUNTS: dict[tuple, tuple[str, dict]] = {}  # the status counts, per shape (paging.run_compiled)
_STATUS_OF = {s.value: s for s in ClaimStatus}
_CATEGORY_OF = {c.value: c for c in Category}
_STATUS_OF.update({s: s for s in ClaimStatus})  # the ORM path gives members
_VERDICT_OF = {v.value: v for v in Verdict}
_VERDICT_OF[None] = None


def _claim_row(raw: tuple) -> ClaimRow:
    """A queue row from the driver's values (enum columns arrive as their strings)."""
    return ClaimRow(
        raw[0], raw[1], raw[2], _CATEGORY_OF[raw[3]], _STATUS_OF[raw[4]], _VERDICT_OF[raw[5]], *raw[6:]
    )


def list_claims(session: Session, q: ClaimQuery) -> ClaimPage:
    # Rows, not objects: the queries run on the session's connection, which skips
    # the ORM's per-statement work (a third of this function's CPU on a page of 50).
    connection = session.connection()
    sort = q.sort if q.sort in SORTS else DEFAULT_SORT
    shape, bound, values = bound_query(q)
    nav = _QUEUE_LISTS[sort].page(
        connection, (sort, *shape), lambda: apply_filters(_QUEUE, bound), values, q.cursor, q.per_page,
        _claim_row, narrow=any(getattr(q, name) is not None for name in _NARROW),
    )

    status_counts = {status: 0 for status in ClaimStatus}
    if any(getattr(q, name) is not None for name in (*_SELECTIVE, "created_from", "created_to")):
        counted = connection.execute(_status_counts(q))
    else:  # the rollups' own filters only: one statement per shape, compiled once
        counted = run_compiled(connection, _COMPILED_COUNTS, shape, lambda: _status_counts(bound), values)
    status_counts.update({_STATUS_OF[status]: int(n) for status, n in counted})
    if q.status is not None:
        total = status_counts[q.status]
    elif q.open_only:
        total = sum(n for status, n in status_counts.items() if status is not ClaimStatus.VERIFIED)
    else:
        total = sum(status_counts.values())
    rows = nav.rows
    returned = latest_returns(
        session, [r.id for r in rows if r.status is ClaimStatus.IN_REVIEW and r.verdict is not None]
    )
    return ClaimPage(rows, total, nav, status_counts, returned)


_RETURNS = (EventAction.SENT_BACK.value, EventAction.REOPENED.value)


def latest_returns(session: Session, claim_ids: list[int]) -> dict[int, Returned]:
    """For each claim, its latest send-back or reopening, in one query (none when no ids).

    Per claim, a backward walk of its history index (claim_id, created_at) that
    stops at the first such event: the events since the claim came back.
    """
    if not claim_ids:
        return {}
    wanted = select(func.unnest(array(claim_ids, type_=BigInteger)).label("claim_id")).subquery("wanted")
    latest = (
        select(ClaimEvent.action, ClaimEvent.actor_id, ClaimEvent.created_at, ClaimEvent.comment)
        .where(ClaimEvent.claim_id == wanted.c.claim_id, ClaimEvent.action.in_(_RETURNS))
        .order_by(ClaimEvent.created_at.desc())  # no tiebreak: the index's order, so the walk stops at the first
        .limit(1)
        .lateral("latest")
    )
    actor = _ACTOR
    stmt = (
        select(wanted.c.claim_id, latest.c.action, actor.display_name, latest.c.created_at, latest.c.comment)
        .select_from(wanted)
        .join(latest, true())
        .outerjoin(actor, actor.id == latest.c.actor_id)
    )
    return {
        claim_id: Returned(EventAction(action), by, at, reason)
        for claim_id, action, by, at, reason in session.connection().execute(stmt)
    }


_ROLLUP_FILTERS = {"category", "verdict", "hedged"}
_SELECTIVE = (
    "article_id", "assignee_id", "verified_from", "verified_to", "proposed_by_id", "proposed_from",
    "proposed_to", "approved_by_id",
)


def _midnight(moment: datetime | None) -> bool:
    return moment is None or (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)


def _status_counts(q: ClaimQuery) -> Select:
    """Claims per status under every filter but the status itself.

    Read from the rollups when the filters are ones they keep (a few hundred
    rows instead of every claim); the other filters are selective enough to
    count the claims themselves.
    """
    if any(getattr(q, name) is not None for name in _SELECTIVE):
        return apply_filters(select(Claim.status, func.count()).group_by(Claim.status), q, include_status=False)
    dated = q.created_from is not None or q.created_to is not None
    if not dated:
        table = ClaimTotal
        stmt = select(ClaimTotal.status, func.sum(ClaimTotal.n))
        if q.unassigned:
            stmt = stmt.where(ClaimTotal.assigned.is_(False))
    elif not q.unassigned and _midnight(q.created_from) and _midnight(q.created_to):
        table = ClaimDailyCount
        stmt = select(ClaimDailyCount.status, func.sum(ClaimDailyCount.n))
        if q.created_from is not None:
            stmt = stmt.where(ClaimDailyCount.day >= q.created_from.date())
        if q.created_to is not None:
            stmt = stmt.where(ClaimDailyCount.day < q.created_to.date())
    else:
        return apply_filters(select(Claim.status, func.count()).group_by(Claim.status), q, include_status=False)
    if q.category is not None:
        stmt = stmt.where(table.category == q.category)
    if q.verdict is not None:
        stmt = stmt.where(table.verdict_key == (q.verdict if isinstance(q.verdict, BindParameter) else q.verdict.value))
    if q.hedged is not None:
        stmt = stmt.where(table.hedged.is_(q.hedged))
    return stmt.group_by(table.status)


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"No claim #{claim_id}.")
    return claim


def claim_evidence(session: Session, claim_id: int) -> list[Evidence]:
    return list(
        session.execute(
            select(Evidence).where(Evidence.claim_id == claim_id).order_by(Evidence.created_at, Evidence.id)
        ).scalars()
    )


HISTORY_ORDER = Keyset("history", SortKey(ClaimEvent.created_at, datetime), SortKey(ClaimEvent.id, int))
HISTORY_PER_PAGE = 100


@dataclass
class HistoryPage:
    events: list[ClaimEvent]
    nav: Page


def claim_history(
    session: Session, claim_id: int, cursor: str | None = None, per_page: int = HISTORY_PER_PAGE
) -> HistoryPage:
    """One page of a claim's history, oldest first; without a cursor the latest page.

    A claim commented on for months can have thousands of events: the claim
    page shows the latest ``per_page`` and pages back by cursor, at the same
    cost at any depth (index on claim_id, created_at, id).
    """
    stmt = select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).options(joinedload(ClaimEvent.actor))
    nav = fetch_page(session, stmt, HISTORY_ORDER, cursor or HISTORY_ORDER.cursor(LAST), per_page)
    return HistoryPage([row[0] for row in nav.rows], nav)


@dataclass(frozen=True)
class QuoteContext:
    before: str
    quote: str
    after: str
    truncated_before: bool
    truncated_after: bool


def quote_context(body: str, start: int, end: int, radius: int = 400) -> QuoteContext:
    """The quote with the article text around it, cut at paragraph or word boundaries."""
    para_start = body.rfind("\n\n", 0, start)
    para_start = 0 if para_start == -1 else para_start + 2
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end == -1 else para_end
    lo = max(para_start, start - radius)
    hi = min(para_end, end + radius)
    if lo > para_start:
        space = body.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < para_end:
        space = body.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    return QuoteContext(body[lo:start], body[start:end], body[end:hi], lo > 0, hi < len(body))


@dataclass(frozen=True)
class ActivityRow:
    id: int
    created_at: datetime
    action: str
    claim_id: int
    claim_quote: str
    actor_name: str | None
    from_status: ClaimStatus | None
    to_status: ClaimStatus | None
    comment: str | None


@dataclass
class ActivityPage:
    rows: list[ActivityRow]
    nav: Page


ACTIVITY_ORDER = Keyset(
    "activity", SortKey(ClaimEvent.created_at, datetime, descending=True), SortKey(ClaimEvent.id, int, descending=True)
)


def recent_activity(session: Session, actor_id: int, *, cursor: str | None = None, per_page: int = 50) -> ActivityPage:
    """Everything that happened to any claim, newest first (editors)."""
    require(active_user(session, actor_id), Permission.VIEW_ACTIVITY)
    actor = _ACTOR
    stmt = (
        select(
            ClaimEvent.id,
            ClaimEvent.created_at,
            ClaimEvent.action,
            ClaimEvent.claim_id,
            Claim.quote,
            actor.display_name,
            ClaimEvent.from_status,
            ClaimEvent.to_status,
            ClaimEvent.comment,
        )
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .outerjoin(actor, actor.id == ClaimEvent.actor_id)
    )
    nav = fetch_page(session, stmt, ACTIVITY_ORDER, cursor, per_page)
    return ActivityPage([ActivityRow(*r) for r in nav.rows], nav)
