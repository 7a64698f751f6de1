"""The editors' dashboard: every figure aggregated by PostgreSQL, none in Python loops over rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session

from ..models import Article, Category, Claim, ClaimEvent, ClaimStatus, EventAction, User, Verdict
from .permissions import Permission, require
from .users import active_user

WEEKS = 12
TOP_ARTICLES = 20
MEDIAN_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class DashboardFilters:
    """Applied to the whole page. Dates are inclusive days (UTC) of the claims' creation."""

    date_from: date | None = None
    date_to: date | None = None
    article_id: int | None = None
    category: Category | None = None

    @property
    def created_from(self) -> datetime | None:
        return datetime.combine(self.date_from, time.min, timezone.utc) if self.date_from else None

    @property
    def created_to(self) -> datetime | None:
        """Exclusive upper bound: the day after date_to."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, timezone.utc) if self.date_to else None

    def apply(self, stmt: Select, claim=Claim) -> Select:
        if self.created_from is not None:
            stmt = stmt.where(claim.created_at >= self.created_from)
        if self.created_to is not None:
            stmt = stmt.where(claim.created_at < self.created_to)
        if self.article_id is not None:
            stmt = stmt.where(claim.article_id == self.article_id)
        if self.category is not None:
            stmt = stmt.where(claim.category == self.category)
        return stmt

    @property
    def narrows_claims(self) -> bool:
        return any(v is not None for v in (self.date_from, self.date_to, self.article_id, self.category))


@dataclass(frozen=True)
class ArticleStat:
    article_id: int
    title: str
    claims: int
    verified: int
    unverified_hedged: int

    @property
    def share_verified(self) -> float:
        return self.verified / self.claims if self.claims else 0.0


@dataclass(frozen=True)
class ReviewerStat:
    user_id: int
    name: str
    open_assigned: int
    proposed_7: int
    proposed_30: int
    approved_7: int
    approved_30: int


@dataclass(frozen=True)
class WeekStat:
    week_start: date
    verified: int


@dataclass
class Dashboard:
    filters: DashboardFilters
    as_of: datetime  # exclusive end of every window: midnight after the last day
    total: int
    by_status: dict[ClaimStatus, int]
    by_verdict: dict[Verdict, int]
    by_category: dict[Category, int]
    articles: list[ArticleStat]
    articles_total: int
    reviewers: list[ReviewerStat]
    oldest_unverified_id: int | None
    oldest_unverified_at: datetime | None
    median_to_verified: timedelta | None
    median_sample: int
    weekly: list[WeekStat] = field(default_factory=list)

    @property
    def last_day(self) -> date:
        return (self.as_of - timedelta(days=1)).date()

    def days_back(self, days: int) -> date:
        """First day of the window of ``days`` days ending with last_day."""
        return self.last_day - timedelta(days=days - 1)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def build_dashboard(
    session: Session, actor_id: int, filters: DashboardFilters, *, now: datetime | None = None
) -> Dashboard:
    require(active_user(session, actor_id), Permission.VIEW_DASHBOARD)
    now = now or _now()
    # Windows (7/30 days, 12 weeks, the median's 90 days) are whole UTC days ending
    # with the range's last day, or today: the claim list can reproduce each figure.
    end_day = filters.date_to or now.astimezone(timezone.utc).date()
    end = datetime.combine(end_day + timedelta(days=1), time.min, timezone.utc)

    by_status = {s: 0 for s in ClaimStatus}
    by_verdict = {v: 0 for v in Verdict}
    by_category = {c: 0 for c in Category}
    # One pass over the claims for all three breakdowns.
    for kind, key, n in _breakdowns(session, filters):
        if kind == "status":
            by_status[ClaimStatus(key)] = n
        elif kind == "category":
            by_category[Category(key)] = n
        elif kind == "verdict":
            by_verdict[Verdict(key)] = n
    total = sum(by_status.values())
    if filters.category is not None:
        # The other categories are excluded by the filter, not empty.
        by_category = {filters.category: by_category[filters.category]}

    articles, articles_total = _article_stats(session, filters)
    reviewers = _reviewer_stats(session, filters, end)
    oldest = session.execute(
        filters.apply(
            select(Claim.id, Claim.created_at)
            .where(Claim.status == ClaimStatus.UNVERIFIED)
            .order_by(Claim.created_at, Claim.id)
            .limit(1)
        )
    ).first()
    median, sample = session.execute(
        filters.apply(
            select(
                func.percentile_cont(0.5).within_group(Claim.verified_at - Claim.created_at),
                func.count(),
            ).where(
                Claim.status == ClaimStatus.VERIFIED,
                Claim.verified_at >= end - MEDIAN_WINDOW,
                Claim.verified_at < end,
            )
        )
    ).one()
    return Dashboard(
        filters=filters,
        as_of=end,
        total=total,
        by_status=by_status,
        by_verdict=by_verdict,
        by_category=by_category,
        articles=articles,
        articles_total=articles_total,
        reviewers=reviewers,
        oldest_unverified_id=oldest[0] if oldest else None,
        oldest_unverified_at=oldest[1] if oldest else None,
        median_to_verified=median,
        median_sample=sample,
        weekly=_weekly(session, filters, end),
    )


def _breakdowns(session: Session, filters: DashboardFilters) -> list[tuple[str, str, int]]:
    """Counts by status, by category, and by verdict of verified claims, in one scan."""
    verdict_of_verified = case((Claim.status == ClaimStatus.VERIFIED, Claim.verdict), else_=None)
    rows = session.execute(
        filters.apply(
            select(
                func.grouping(Claim.status, Claim.category, verdict_of_verified).label("g"),
                Claim.status,
                Claim.category,
                verdict_of_verified,
                func.count(),
            ).group_by(
                func.grouping_sets(
                    Claim.status,
                    Claim.category,
                    verdict_of_verified,
                )
            )
        )
    ).all()
    out: list[tuple[str, str, int]] = []
    for g, status, category, verdict, n in rows:
        # grouping() sets a bit for each argument NOT in the row's grouping set.
        if g == 0b011:
            out.append(("status", status.value, n))
        elif g == 0b101:
            out.append(("category", category.value, n))
        elif g == 0b110 and verdict is not None:
            out.append(("verdict", verdict.value if hasattr(verdict, "value") else verdict, n))
    return out


def _article_stats(session: Session, filters: DashboardFilters) -> tuple[list[ArticleStat], int]:
    unverified_hedged = func.count().filter(and_(Claim.hedged.is_(True), Claim.status != ClaimStatus.VERIFIED))
    verified = func.count().filter(Claim.status == ClaimStatus.VERIFIED)
    per_article = (
        filters.apply(
            select(
                Claim.article_id.label("article_id"),
                func.count().label("claims"),
                verified.label("verified"),
                unverified_hedged.label("unverified_hedged"),
            )
        )
        .group_by(Claim.article_id)
        .subquery()
    )
    rows = session.execute(
        select(
            per_article.c.article_id,
            Article.title,
            per_article.c.claims,
            per_article.c.verified,
            per_article.c.unverified_hedged,
            func.count().over().label("articles_total"),
        )
        .join(Article, Article.id == per_article.c.article_id)
        .order_by(per_article.c.unverified_hedged.desc(), per_article.c.claims.desc(), per_article.c.article_id)
        .limit(TOP_ARTICLES)
    ).all()
    total = rows[0].articles_total if rows else 0
    return [ArticleStat(r[0], r[1], r[2], r[3], r[4]) for r in rows], total


def _reviewer_stats(session: Session, filters: DashboardFilters, end: datetime) -> list[ReviewerStat]:
    open_rows = dict(
        (assignee, n)
        for assignee, n in session.execute(
            filters.apply(
                select(Claim.assignee_id, func.count())
                .where(Claim.status == ClaimStatus.IN_REVIEW, Claim.assignee_id.is_not(None))
                .group_by(Claim.assignee_id)
            )
        )
    )
    since_7, since_30 = end - timedelta(days=7), end - timedelta(days=30)
    proposed = ClaimEvent.action == EventAction.VERDICT_PROPOSED.value
    approved = ClaimEvent.action == EventAction.APPROVED.value
    recent = ClaimEvent.created_at >= since_7
    # Distinct claims, as the linked claim list counts them (a claim sent back
    # and proposed again in the window is one claim).
    claims = func.count(ClaimEvent.claim_id.distinct())
    activity = (
        select(
            ClaimEvent.actor_id,
            claims.filter(and_(proposed, recent)),
            claims.filter(proposed),
            claims.filter(and_(approved, recent)),
            claims.filter(approved),
        )
        .where(
            ClaimEvent.action.in_([EventAction.VERDICT_PROPOSED.value, EventAction.APPROVED.value]),
            ClaimEvent.created_at >= since_30,
            ClaimEvent.created_at < end,
            ClaimEvent.actor_id.is_not(None),
        )
        .group_by(ClaimEvent.actor_id)
    )
    if filters.narrows_claims:
        activity = filters.apply(activity.join(Claim, Claim.id == ClaimEvent.claim_id))
    activity_rows = {row[0]: row[1:] for row in session.execute(activity)}
    ids = set(open_rows) | set(activity_rows)
    if not ids:
        return []
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
    stats = [
        ReviewerStat(uid, names.get(uid, f"#{uid}"), open_rows.get(uid, 0), *activity_rows.get(uid, (0, 0, 0, 0)))
        for uid in ids
    ]
    return sorted(stats, key=lambda s: (-s.open_assigned, -s.proposed_30, s.name.lower()))


def week_start(moment: datetime) -> date:
    day = moment.astimezone(timezone.utc).date()
    return day - timedelta(days=day.weekday())  # ISO weeks start on Monday, as date_trunc('week') does


def _weekly(session: Session, filters: DashboardFilters, end: datetime) -> list[WeekStat]:
    last_week = week_start(end)
    first_week = last_week - timedelta(weeks=WEEKS - 1)
    start = datetime.combine(first_week, time.min, timezone.utc)
    week = func.date_trunc("week", func.timezone("UTC", Claim.verified_at))
    rows = dict(
        (w.date(), n)
        for w, n in session.execute(
            filters.apply(
                select(week, func.count())
                .where(Claim.status == ClaimStatus.VERIFIED, Claim.verified_at >= start, Claim.verified_at < end)
                .group_by(week)
            )
        )
    )
    return [
        WeekStat(first_week + timedelta(weeks=i), rows.get(first_week + timedelta(weeks=i), 0)) for i in range(WEEKS)
    ]

