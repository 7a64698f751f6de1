"""The editors' dashboard: every figure aggregated by PostgreSQL, none in Python loops over rows.

Where the figures come from, so that the page costs the same on any number of claims:

* no filter or a category: the all-time rollups (claim_totals, article_claim_counts,
  articles_with_claims, assignee_open_counts) and the per-day ones for the windows;
* a date range: the per-day rollups (claim_daily_counts, article_daily_counts,
  assignee_daily_counts, verified_daily_counts, verified_duration_counts), a few
  rows per day of the range whatever the claims per day;
* one article: that article's claims, counted directly (a few hundred at most).

The median time to verified is exact up to EXACT_READS claims in its duration
bucket, interpolated inside the bucket past that (within MEDIAN_PRECISION, 5 %,
and the page says so): see _median_to_verified.

The reviewers' proposed/approved figures count the work done in the 7 and 30
days ending with the page's last day, whatever the claims' creation dates.

The rollup paths' statements are built and compiled once per shape of filters
(_run, _Bound) and sent as SQL with each request's values: building them took
more CPU than PostgreSQL took to answer them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from sqlalchemy import (
    Date, DateTime, Integer, Select, String, Text, and_, bindparam, case, func, or_, select, true, union_all,
)
from sqlalchemy.orm import Session, aliased

from ..models import (
    ALL_CATEGORIES,
    Article,
    ArticleClaimCount,
    ArticlesWithClaims,
    AssigneeOpenCount,
    Category,
    Claim,
    ClaimDailyCount,
    ClaimLink,
    ClaimStatus,
    ClaimTotal,
    LinkKind,
    ReviewerDailyCount,
    User,
    Verdict,
)
from ..models.claim import CATEGORY_TYPE
from ..models.rollups import (
    ArticleDailyCount,
    ArticleWeeklyCount,
    AssigneeDailyCount,
    ClaimWeeklyCount,
    VerifiedDailyCount,
    VerifiedDurationCount,
    BUCKETS_PER_E,
    duration_bucket,
)
from .errors import ValidationFailed
from .paging import DIALECT, run_compiled
from .permissions import Permission, require
from .related import _unit_key, figure
from .users import active_user

WEEKS = 12
TOP_ARTICLES = 20
MEDIAN_DAYS = 30
# The median's duration bucket is read claim by claim up to this many claims verified in the
# window; past it the median is interpolated inside the bucket, within MEDIAN_PRECISION.
EXACT_READS = 256
MEDIAN_PRECISION = math.exp(1 / BUCKETS_PER_E) - 1  # a bucket's width: 5.1 %


@dataclass(frozen=True)
class DashboardFilters:
    """Applied to the whole page. Dates are inclusive days (UTC) of the claims' creation."""

    date_from: date | None = None
    date_to: date | None = None
    article_id: int | None = None
    category: Category | None = None

    def __post_init__(self) -> None:
        for day in (self.date_from, self.date_to):
            if day is not None and not date(1900, 1, 1) <= day <= date(2100, 12, 31):
                raise ValidationFailed({"date": ["Give dates between 1900 and 2100."]})

    @property
    def created_from(self) -> datetime | None:
        return datetime.combine(self.date_from, time.min, timezone.utc) if self.date_from else None

    @property
    def created_to(self) -> datetime | None:
        """Exclusive upper bound: the day after date_to."""
        return datetime.combine(self.date_to + timedelta(days=1), time.min, timezone.utc) if self.date_to else None

    def conditions(self, claim=Claim) -> list:
        """The filters as conditions on ``claim`` (the Claim model or an alias of it)."""
        out = []
        if self.created_from is not None:
            out.append(claim.created_at >= self.created_from)
        if self.created_to is not None:
            out.append(claim.created_at < self.created_to)
        if self.article_id is not None:
            out.append(claim.article_id == self.article_id)
        if self.category is not None:
            out.append(claim.category == self.category)
        return out

    def apply(self, stmt: Select, claim=Claim) -> Select:
        return stmt.where(*self.conditions(claim))

    @property
    def narrows_claims(self) -> bool:
        return any(v is not None for v in (self.date_from, self.date_to, self.article_id, self.category))

    @property
    def has_dates(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    @property
    def category_key(self) -> str:
        return self.category.value if self.category is not None else ALL_CATEGORIES


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
    generated_at: datetime  # now: ages are measured to this
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
    median_exact: bool  # False: interpolated inside its duration bucket, within MEDIAN_PRECISION
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
    # Windows (7/30 days, 12 weeks, the median's 30 days) are whole UTC days ending
    # with the range's last day, or today: the claim list can reproduce each figure.
    end_day = filters.date_to or now.astimezone(timezone.utc).date()
    end = datetime.combine(end_day + timedelta(days=1), time.min, timezone.utc)

    counted, outside, inside = _plan_days(session, filters)
    by_status = {s: 0 for s in ClaimStatus}
    by_verdict = {v: 0 for v in Verdict}
    by_category = {c: 0 for c in Category}
    # One pass over the source for all three breakdowns.
    for kind, key, n in _breakdowns(session, counted, outside, inside):
        if kind == "status":
            by_status[ClaimStatus(key)] = n
        elif kind == "category":
            by_category[Category(key)] = n
        elif kind == "verdict":
            by_verdict[Verdict(key)] = n
    total = sum(by_status.values())
    if counted.category is not None:
        # The other categories are excluded by the filter, not empty.
        by_category = {counted.category: by_category[counted.category]}

    articles, articles_total = _article_stats(session, counted, outside, inside)
    reviewers = _reviewer_stats(session, counted, end, outside)
    # The oldest unverified claim: the first entry of ix_claims_status_created_at
    # (within the range), or of the article's claims.
    if counted.article_id is not None:
        oldest = session.execute(_oldest_statement(counted)).first()
    else:
        shape = _shape(counted)
        found = _run(session, ("oldest", shape), lambda: _oldest_statement(_Bound(shape)), _values(counted))
        oldest = found[0] if found else None
    median, sample, median_exact = _median_to_verified(session, counted, end)
    return Dashboard(
        filters=filters,
        as_of=end,
        generated_at=now,
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
        median_exact=median_exact,
        weekly=_weekly(session, counted, end),
    )


Days = tuple[tuple[date, date], ...]
Span = tuple[date, date] | None


# --- statements compiled once per shape -------------------------------------------
# Building and compiling a dozen SQLAlchemy statements cost more CPU than the page's
# queries take in PostgreSQL. Every statement of the rollup paths is built once per
# shape (which filters are set, how many excluded spans) from _Bound, whose values are
# bound parameters, and later requests send the compiled SQL with their values.

_COMPILED: dict[tuple, tuple[str, dict]] = {}  # a few dozen shapes at most


class _Bound:
    """DashboardFilters with bound parameters for values (no article: that path counts claims)."""

    article_id = None
    conditions = DashboardFilters.conditions
    apply = DashboardFilters.apply

    def __init__(self, shape: tuple[bool, bool, bool]):
        self.has_from, self.has_to, self.has_category = shape

    @property
    def has_dates(self) -> bool:
        return self.has_from or self.has_to

    @property
    def date_from(self):
        return bindparam("p_from", type_=Date) if self.has_from else None

    @property
    def date_to(self):
        return bindparam("p_to", type_=Date) if self.has_to else None

    @property
    def created_from(self):
        return bindparam("p_created_from", type_=DateTime(timezone=True)) if self.has_from else None

    @property
    def created_to(self):
        return bindparam("p_created_to", type_=DateTime(timezone=True)) if self.has_to else None

    @property
    def category(self):
        return bindparam("p_category", type_=CATEGORY_TYPE) if self.has_category else None

    @property
    def category_key(self):
        return bindparam("p_key", type_=String)


def _shape(filters: DashboardFilters) -> tuple[bool, bool, bool]:
    return filters.date_from is not None, filters.date_to is not None, filters.category is not None


def _values(filters: DashboardFilters, outside: Days = (), **more) -> dict:
    """The bound parameters' values for ``filters`` (see _Bound and _spans)."""
    values = {"p_key": filters.category_key, **more}
    if filters.date_from is not None:
        values["p_from"], values["p_created_from"] = filters.date_from, filters.created_from
    if filters.date_to is not None:
        values["p_to"], values["p_created_to"] = filters.date_to, filters.created_to
    if filters.category is not None:
        values["p_category"] = filters.category.value
    for i, (first, last) in enumerate(outside):
        values[f"p_out{i}_first"], values[f"p_out{i}_last"] = first, last
    return values


def _spans(count: int) -> Days:
    return tuple((bindparam(f"p_out{i}_first", type_=Date), bindparam(f"p_out{i}_last", type_=Date)) for i in range(count))


def _run(session: Session, key: tuple, build, values: dict) -> list:
    """Rows of the statement ``build()`` makes for ``key`` (built and compiled on first use), with ``values``."""
    return run_compiled(session.connection(), _COMPILED, key, build, values)


def _oldest_statement(filters) -> Select:
    return filters.apply(
        select(Claim.id, Claim.created_at)
        .where(Claim.status == ClaimStatus.UNVERIFIED)
        .order_by(Claim.created_at, Claim.id)
        .limit(1)
    )


def _plan_days(session: Session, filters: DashboardFilters) -> tuple[DashboardFilters, Days, Span]:
    """How to count a date range from the rollups at a cost set by days, not claims.

    Returns the filters to count with, and the days with claims outside the range
    when there are fewer of those than inside it: then the all-time rollups minus
    those days' rows give the range's counts (a year less a day reads one day).
    Otherwise, the range's first and last days with claims possible (clamped to
    the first and last claims' days): its whole weeks are read from the weekly
    rollups, the days at its edges from the daily ones (_week_split).
    A range holding every claim's day is counted as no range at all (1900-01-01
    to 2100-12-31 costs what no filter costs). Two index probes find the first
    and last days."""
    if not filters.has_dates or filters.article_id is not None:
        return filters, (), None
    ((first, last),) = _run(
        session, ("span",), lambda: select(func.min(Claim.created_at), func.max(Claim.created_at)), {}
    )
    if first is None:
        return filters, (), None
    first_day, last_day = first.astimezone(timezone.utc).date(), last.astimezone(timezone.utc).date()
    low, high = max(filters.date_from or first_day, first_day), min(filters.date_to or last_day, last_day)
    if low > high:
        return filters, (), None
    outside = []
    if low > first_day:
        outside.append((first_day, low - timedelta(days=1)))
    if high < last_day:
        outside.append((high + timedelta(days=1), last_day))
    if not outside:
        return DashboardFilters(category=filters.category), (), None
    if sum((b - a).days + 1 for a, b in outside) < (high - low).days + 1:
        return filters, tuple(outside), None
    # A claim created after the span's read is on last_day or later: the range's
    # days after last_day are read too, so it is counted as the daily path would.
    return filters, (), (low, filters.date_to or last_day)


def _week_split(inside: tuple[date, date]) -> dict:
    """The bound values splitting the days ``inside`` into the days before its first whole ISO week,
    its whole weeks (their Mondays), and the days after the last one. An empty part is a span
    whose first day is after its last."""
    low, high = inside
    first_week = low + timedelta(days=(7 - low.weekday()) % 7)
    after = high + timedelta(days=1)
    end_week = after - timedelta(days=after.weekday())  # the Monday after the last whole week
    none = (after, high)
    if first_week < end_week:
        head, weeks, tail = (low, first_week - timedelta(days=1)), (first_week, end_week - timedelta(weeks=1)), (end_week, high)
    else:
        head, weeks, tail = (low, high), none, none
    return {
        "p_head_first": head[0], "p_head_last": head[1],
        "p_week_first": weeks[0], "p_week_last": weeks[1],
        "p_tail_first": tail[0], "p_tail_last": tail[1],
    }


def _edge_days(day):
    """``day`` in the days before or after a range's whole weeks (see _week_split)."""
    return or_(
        day.between(bindparam("p_head_first", type_=Date), bindparam("p_head_last", type_=Date)),
        day.between(bindparam("p_tail_first", type_=Date), bindparam("p_tail_last", type_=Date)),
    )


def _whole_weeks(week):
    return week.between(bindparam("p_week_first", type_=Date), bindparam("p_week_last", type_=Date))


def _on(day, outside: Days):
    return or_(*(day.between(a, b) for a, b in outside))


def _days(stmt: Select, day, filters: DashboardFilters) -> Select:
    """``stmt`` limited to the filters' days on a rollup's day column."""
    if filters.date_from is not None:
        stmt = stmt.where(day >= filters.date_from)
    if filters.date_to is not None:
        stmt = stmt.where(day <= filters.date_to)
    return stmt


def _breakdowns(
    session: Session, filters: DashboardFilters, outside: Days = (), inside: Span = None
) -> list[tuple[str, str, int]]:
    """Counts by status, by category, and by verdict of verified claims.

    From claim_totals (a few hundred rows), or for a date range claim_weekly_counts
    for its whole weeks and claim_daily_counts for the days at its edges (a few
    hundred rows per week or day; claim_totals less the days outside it when those
    are fewer), or an article's own claims.
    """
    if filters.article_id is not None:
        source = (
            filters.apply(select(Claim.status, Claim.category, Claim.verdict, func.count().label("n")))
            .group_by(Claim.status, Claim.category, Claim.verdict)
            .subquery()
        )
        status, category, verdict, n = source.c.status, source.c.category, source.c.verdict, source.c.n
        verdict_key = func.coalesce(func.cast(verdict, Text), "")
        rows = session.execute(_grouped(status, category, verdict_key, n)).all()
    elif inside is not None:
        key = ("breakdowns by week", filters.category is not None)
        rows = _run(session, key, lambda: _breakdowns_by_week(key[1]), _values(filters, **_week_split(inside)))
    else:
        key = ("breakdowns", _shape(filters), len(outside))
        rows = _run(session, key, lambda: _breakdowns_statement(_Bound(key[1]), _spans(key[2])), _values(filters, outside))
    out: list[tuple[str, str, int]] = []
    for g, st, cat, verdict, total in rows:
        # grouping() sets a bit for each argument NOT in the row's grouping set.
        if g == 0b011:
            out.append(("status", _value(st), int(total)))
        elif g == 0b101:
            out.append(("category", _value(cat), int(total)))
        elif g == 0b110 and verdict:
            out.append(("verdict", _value(verdict), int(total)))
    return out


def _breakdowns_statement(filters, outside: Days) -> Select:
    table = ClaimDailyCount if filters.has_dates and not outside else ClaimTotal
    stmt = select(table.status, table.category, table.verdict_key, table.n)
    if table is ClaimDailyCount:
        stmt = _days(stmt, ClaimDailyCount.day, filters)
    if filters.category is not None:
        stmt = stmt.where(table.category == filters.category)
    if outside:
        less = select(
            ClaimDailyCount.status, ClaimDailyCount.category, ClaimDailyCount.verdict_key, -ClaimDailyCount.n
        ).where(_on(ClaimDailyCount.day, outside))
        if filters.category is not None:
            less = less.where(ClaimDailyCount.category == filters.category)
        stmt = union_all(stmt, less)
    return _grouped_rows(stmt.subquery())


def _breakdowns_by_week(category: bool) -> Select:
    """A range's whole weeks from claim_weekly_counts, the days at its edges from claim_daily_counts."""
    cdc, cwc = ClaimDailyCount, ClaimWeeklyCount
    days = select(cdc.status, cdc.category, cdc.verdict_key, cdc.n).where(_edge_days(cdc.day))
    weeks = select(cwc.status, cwc.category, cwc.verdict_key, cwc.n).where(_whole_weeks(cwc.week))
    if category:
        days = days.where(cdc.category == bindparam("p_category", type_=CATEGORY_TYPE))
        weeks = weeks.where(cwc.category == bindparam("p_category", type_=CATEGORY_TYPE))
    return _grouped_rows(union_all(days, weeks).subquery())


def _grouped_rows(source) -> Select:
    """_grouped over rows (status, category, verdict_key, n), summed by those three first: the
    grouping sets then hash a few dozen rows three times rather than every row."""
    summed = (
        select(source.c.status, source.c.category, source.c.verdict_key, func.sum(source.c.n).label("n"))
        .group_by(source.c.status, source.c.category, source.c.verdict_key)
        .subquery()
    )
    return _grouped(summed.c.status, summed.c.category, summed.c.verdict_key, summed.c.n)


def _grouped(status, category, verdict_key, n) -> Select:
    """Sums of n by status, by category, and by verdict of verified claims, in one pass (grouping sets)."""
    verified_verdict = case((status == ClaimStatus.VERIFIED.value, verdict_key), else_=None)
    return select(
        func.grouping(status, category, verified_verdict), status, category, verified_verdict, func.sum(n)
    ).group_by(func.grouping_sets(status, category, verified_verdict))


def _value(member) -> str:
    return member.value if hasattr(member, "value") else member


def _article_stats(
    session: Session, filters: DashboardFilters, outside: Days = (), inside: Span = None
) -> tuple[list[ArticleStat], int]:
    """The articles with the most hedged claims not yet verified, and how many articles have claims."""
    if filters.article_id is not None:
        rows = session.execute(_ranked(_per_article_from_claims(filters))).all()
    elif inside is not None:
        key = ("articles by week", filters.category is not None)
        rows = _run(session, key, lambda: _ranked(_per_article_by_week()), _values(filters, **_week_split(inside)))
    else:
        shape = _shape(filters)
        if outside:
            key = ("articles less days", shape, len(outside))
            build = lambda: _articles_less_days(_Bound(shape), _spans(len(outside)))  # noqa: E731
        elif filters.has_dates:
            key, build = ("articles by day", shape), lambda: _ranked(_per_article_by_day(_Bound(shape)))
        else:
            key, build = ("articles", shape), lambda: _articles_all_time(_Bound(shape))
        rows = _run(session, key, build, _values(filters, outside))
    return [ArticleStat(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows], int(rows[0][5]) if rows else 0


def _articles_all_time(filters) -> Select:
    """The rollup's ranking index answers "top 20" without sorting every article;
    articles_with_claims says how many there are without counting them."""
    acc = ArticleClaimCount
    total = _articles_with_claims(filters.category_key)
    return (
        select(acc.article_id, Article.title, acc.claims, acc.verified, acc.unverified_hedged, total)
        .join(Article, Article.id == acc.article_id)
        .where(acc.category_key == filters.category_key, acc.claims > 0)
        .order_by(acc.category_key, acc.unverified_hedged.desc(), acc.claims.desc(), acc.article_id)
        .limit(TOP_ARTICLES)
    )


def _articles_with_claims(category_key):
    """How many articles have claims of ``category_key``: one row of articles_with_claims
    (counting article_claim_counts' rows read one index entry per article)."""
    count = select(ArticlesWithClaims.articles).where(ArticlesWithClaims.category_key == category_key)
    return func.coalesce(count.scalar_subquery(), 0)


def _ranked(per_article, total=None) -> Select:
    """The top articles of a subquery (article_id, claims, verified, unverified_hedged) with their titles,
    and how many articles it holds (or ``total``). Ranked before the join: only the top titles are read."""
    top = (
        select(per_article, (func.count().over() if total is None else total).label("articles_total"))
        .order_by(per_article.c.unverified_hedged.desc(), per_article.c.claims.desc(), per_article.c.article_id)
        .limit(TOP_ARTICLES)
        .subquery()
    )
    return (
        select(top.c.article_id, Article.title, top.c.claims, top.c.verified, top.c.unverified_hedged, top.c.articles_total)
        .join(Article, Article.id == top.c.article_id)
        .order_by(top.c.unverified_hedged.desc(), top.c.claims.desc(), top.c.article_id)
    )


def _articles_less_days(filters, outside: Days) -> Select:
    """A long range: each article's all-time counts less its rows on the few days outside the range.
    Articles without claims on those days keep their all-time figures and rank through the ranking index."""
    key = filters.category_key
    acc = ArticleClaimCount
    off = (
        select(
            ArticleDailyCount.article_id,
            func.sum(ArticleDailyCount.claims).label("claims"),
            func.sum(ArticleDailyCount.verified).label("verified"),
            func.sum(ArticleDailyCount.unverified_hedged).label("unverified_hedged"),
        )
        .where(ArticleDailyCount.category_key == key, _on(ArticleDailyCount.day, outside))
        .group_by(ArticleDailyCount.article_id)
        .subquery()
    )
    changed = (
        select(
            acc.article_id.label("article_id"),
            (acc.claims - off.c.claims).label("claims"),
            (acc.verified - off.c.verified).label("verified"),
            (acc.unverified_hedged - off.c.unverified_hedged).label("unverified_hedged"),
        )
        .join(off, off.c.article_id == acc.article_id)
        .where(acc.category_key == key)
        .subquery()
    )
    unchanged = (
        select(acc.article_id, acc.claims, acc.verified, acc.unverified_hedged)
        .where(acc.category_key == key, acc.claims > 0, acc.article_id.not_in(select(off.c.article_id)))
        .order_by(acc.category_key, acc.unverified_hedged.desc(), acc.claims.desc(), acc.article_id)
        .limit(TOP_ARTICLES)
        .subquery()
    )
    candidates = union_all(select(changed).where(changed.c.claims > 0), select(unchanged)).subquery()
    everywhere = _articles_with_claims(key)
    gone = select(func.count()).select_from(changed).where(changed.c.claims == 0).scalar_subquery()
    return _ranked(candidates, total=everywhere - gone)


def _per_article_by_day(filters):
    """A date range: the articles' rows of article_daily_counts in its days (a few per article)."""
    return (
        _days(
            select(
                ArticleDailyCount.article_id.label("article_id"),
                func.sum(ArticleDailyCount.claims).label("claims"),
                func.sum(ArticleDailyCount.verified).label("verified"),
                func.sum(ArticleDailyCount.unverified_hedged).label("unverified_hedged"),
            ).where(ArticleDailyCount.category_key == filters.category_key),
            ArticleDailyCount.day,
            filters,
        )
        .group_by(ArticleDailyCount.article_id)
        .having(func.sum(ArticleDailyCount.claims) > 0)
        .subquery()
    )


def _per_article_by_week():
    """A date range: the articles' rows of article_weekly_counts in its whole weeks and of
    article_daily_counts in the days at its edges (a row or two per article)."""
    adc, awc = ArticleDailyCount, ArticleWeeklyCount
    key = bindparam("p_key", type_=String)
    both = union_all(
        select(adc.article_id, adc.claims, adc.verified, adc.unverified_hedged).where(
            adc.category_key == key, _edge_days(adc.day)
        ),
        select(awc.article_id, awc.claims, awc.verified, awc.unverified_hedged).where(
            awc.category_key == key, _whole_weeks(awc.week)
        ),
    ).subquery()
    return (
        select(
            both.c.article_id.label("article_id"),
            func.sum(both.c.claims).label("claims"),
            func.sum(both.c.verified).label("verified"),
            func.sum(both.c.unverified_hedged).label("unverified_hedged"),
        )
        .group_by(both.c.article_id)
        .having(func.sum(both.c.claims) > 0)
        .subquery()
    )


def _per_article_from_claims(filters: DashboardFilters):
    unverified_hedged = func.count().filter(and_(Claim.hedged.is_(True), Claim.status != ClaimStatus.VERIFIED))
    verified = func.count().filter(Claim.status == ClaimStatus.VERIFIED)
    return (
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


def _reviewer_stats(session: Session, filters: DashboardFilters, end: datetime, outside: Days = ()) -> list[ReviewerStat]:
    """Open work (of the claims the filters pick), and claims each user proposed
    (latest proposal) or approved in the 7 and 30 days ending with ``end``."""
    shape = _shape(filters)
    if filters.article_id is not None:
        open_rows = session.execute(
            filters.apply(
                select(Claim.assignee_id, func.count())
                .where(Claim.status == ClaimStatus.IN_REVIEW, Claim.assignee_id.is_not(None))
                .group_by(Claim.assignee_id)
            )
        ).all()
    else:
        key = ("open", shape, len(outside))
        open_rows = _run(session, key, lambda: _open_statement(_Bound(shape), _spans(len(outside))), _values(filters, outside))
    open_counts = {assignee: int(n) for assignee, n in open_rows}

    since_7, since_30 = end - timedelta(days=7), end - timedelta(days=30)
    work: dict[int, list[int]] = {}
    for user_id, kind, last_7, last_30 in _work_counts(session, filters, since_7, since_30, end):
        row = work.setdefault(user_id, [0, 0, 0, 0])
        offset = 0 if kind == "proposed" else 2
        row[offset], row[offset + 1] = int(last_7), int(last_30)
    ids = set(open_counts) | set(work)
    if not ids:
        return []
    names = dict(
        _run(
            session,
            ("names",),
            lambda: select(User.id, User.display_name).where(User.id == func.any(bindparam("p_ids"))),
            {"p_ids": sorted(ids)},
        )
    )
    stats = [
        ReviewerStat(uid, names.get(uid, f"#{uid}"), open_counts.get(uid, 0), *work.get(uid, (0, 0, 0, 0)))
        for uid in ids
    ]
    return sorted(stats, key=lambda s: (-s.open_assigned, -s.proposed_30, s.name.lower()))


def _open_statement(filters, outside: Days) -> Select:
    """Claims in review per assignee: all-time, by day for a range, or all-time less the days outside."""
    if outside:
        both = union_all(
            select(AssigneeOpenCount.assignee_id, AssigneeOpenCount.in_review).where(
                AssigneeOpenCount.category_key == filters.category_key
            ),
            select(AssigneeDailyCount.assignee_id, -AssigneeDailyCount.in_review).where(
                AssigneeDailyCount.category_key == filters.category_key, _on(AssigneeDailyCount.day, outside)
            ),
        ).subquery()
        return (
            select(both.c.assignee_id, func.sum(both.c.in_review))
            .group_by(both.c.assignee_id)
            .having(func.sum(both.c.in_review) > 0)
        )
    if filters.has_dates:
        return _days(
            select(AssigneeDailyCount.assignee_id, func.sum(AssigneeDailyCount.in_review))
            .where(AssigneeDailyCount.category_key == filters.category_key)
            .group_by(AssigneeDailyCount.assignee_id)
            .having(func.sum(AssigneeDailyCount.in_review) > 0),
            AssigneeDailyCount.day,
            filters,
        )
    return select(AssigneeOpenCount.assignee_id, AssigneeOpenCount.in_review).where(
        AssigneeOpenCount.category_key == filters.category_key, AssigneeOpenCount.in_review > 0
    )


def _work_counts(session, filters, since_7, since_30, end):
    """(user, 'proposed' | 'approved', count in 7 days, count in 30 days).

    The windows are of the work, so the claims' creation dates do not narrow them.
    """
    if filters.article_id is None:
        values = _values(filters, p_since_7=since_7.date(), p_since_30=since_30.date(), p_end=end.date())
        return _run(session, ("work", filters.category is not None), _work_statement, values)
    undated = DashboardFilters(article_id=filters.article_id, category=filters.category)
    proposed = session.execute(
        undated.apply(
            select(
                Claim.proposed_by_id,
                func.count().filter(Claim.proposed_at >= since_7),
                func.count(),
            )
            .where(Claim.proposed_by_id.is_not(None), Claim.proposed_at >= since_30, Claim.proposed_at < end)
            .group_by(Claim.proposed_by_id)
        )
    ).all()
    approved = session.execute(
        undated.apply(
            select(
                Claim.approved_by_id,
                func.count().filter(Claim.verified_at >= since_7),
                func.count(),
            )
            .where(Claim.status == ClaimStatus.VERIFIED, Claim.verified_at >= since_30, Claim.verified_at < end)
            .group_by(Claim.approved_by_id)
        )
    ).all()
    return [(u, "proposed", a, b) for u, a, b in proposed] + [(u, "approved", a, b) for u, a, b in approved]


def _work_statement() -> Select:
    recent = ReviewerDailyCount.day >= bindparam("p_since_7", type_=Date)
    return (
        select(
            ReviewerDailyCount.user_id,
            ReviewerDailyCount.kind,
            func.coalesce(func.sum(ReviewerDailyCount.n).filter(recent), 0),
            func.sum(ReviewerDailyCount.n),
        )
        .where(
            ReviewerDailyCount.category_key == bindparam("p_key", type_=String),
            ReviewerDailyCount.day >= bindparam("p_since_30", type_=Date),
            ReviewerDailyCount.day < bindparam("p_end", type_=Date),
        )
        .group_by(ReviewerDailyCount.user_id, ReviewerDailyCount.kind)
    )


def week_start(moment: datetime) -> date:
    day = moment.astimezone(timezone.utc).date()
    return day - timedelta(days=day.weekday())  # ISO weeks start on Monday, as date_trunc('week') does


def _weekly(session: Session, filters: DashboardFilters, end: datetime) -> list[WeekStat]:
    last_week = week_start(end - timedelta(days=1))
    first_week = last_week - timedelta(weeks=WEEKS - 1)
    if filters.article_id is not None:
        start = datetime.combine(first_week, time.min, timezone.utc)
        week = func.date_trunc("week", func.timezone("UTC", Claim.verified_at))
        stmt = filters.apply(
            select(week, func.count())
            .where(Claim.status == ClaimStatus.VERIFIED, Claim.verified_at >= start, Claim.verified_at < end)
            .group_by(week)
        )
        rows = session.execute(stmt).all()
    else:
        # Claims verified per day and day created: 84 days of rows, a few per day.
        shape = _shape(filters)
        values = _values(filters, p_first_week=first_week, p_end=end.date())
        rows = _run(session, ("weekly", shape), lambda: _weekly_statement(_Bound(shape)), values)
    counts = {w.date(): int(n) for w, n in rows}
    return [
        WeekStat(first_week + timedelta(weeks=i), counts.get(first_week + timedelta(weeks=i), 0)) for i in range(WEEKS)
    ]


def _weekly_statement(filters) -> Select:
    week = func.date_trunc("week", VerifiedDailyCount.verified_day)
    return _days(
        select(week, func.sum(VerifiedDailyCount.n)).where(
            VerifiedDailyCount.category_key == filters.category_key,
            VerifiedDailyCount.verified_day >= bindparam("p_first_week", type_=Date),
            VerifiedDailyCount.verified_day < bindparam("p_end", type_=Date),
        ),
        VerifiedDailyCount.created_day,
        filters,
    ).group_by(week)


def _median_to_verified(session: Session, filters: DashboardFilters, end: datetime) -> tuple[timedelta | None, int, bool]:
    """Median time from creation to verification of the claims verified in the MEDIAN_DAYS days before ``end``,
    how many claims it is taken over, and whether it is exact.

    The histogram verified_duration_counts says which duration bucket (about 5 %
    wide, see MEDIAN_PRECISION) holds the middle claim(s) and how many shorter ones
    precede it. Then, for each middle position:

    * exact, as percentile_cont(0.5) gives it, when that bucket holds at most
      EXACT_READS claims verified in the window (of every category and creation
      day): those index entries of ix_claims_verified_duration_bucket are read
      and sorted;
    * otherwise interpolated: the bucket's claims are taken as spread evenly over
      its logarithmic width, so the estimate lies inside the bucket, within
      MEDIAN_PRECISION (5.1 %) of the exact value by construction (bucket 0, every
      duration under e^(1/20) s, within that 1.05 s), and with more than
      EXACT_READS claims in a 5 % bucket far closer in practice (at most 0.3 %
      against percentile_cont on the 1M-claim benchmark database, no filter and
      each category).

    Either way at most EXACT_READS + 1 claims are read, so the cost does not grow
    with the claims verified in the window. One article's claims are few: sorted.
    """
    start = end - timedelta(days=MEDIAN_DAYS)
    if filters.article_id is not None:
        median, sample = _median_by_sorting(session, filters, start, end)
        return median, sample, True
    shape = _shape(filters)
    window = {"p_window_start": start, "p_window_end": end}
    histogram = _run(
        session,
        ("histogram", shape),
        lambda: _histogram_statement(_Bound(shape)),
        _values(filters, p_first_day=start.date(), p_end=end.date()),
    )
    sample = sum(int(n) for _, n in histogram)
    if not sample:
        return None, 0, True
    counts = {bucket: int(n) for bucket, n in histogram}
    # The middle claim, or the two middle ones: read together when they share a bucket (nearly always).
    middle = [_position(histogram, k) for k in sorted({(sample - 1) // 2, sample // 2})]
    (first_bucket, first_offset), last = middle[0], middle[-1]
    if last == (first_bucket, first_offset + len(middle) - 1):
        reads = [(middle[0], len(middle))]
    else:
        reads = [(position, 1) for position in middle]
    values: list[timedelta] = []
    exact = True
    for (bucket, offset), count in reads:
        rows = _run(
            session,
            ("nth", shape),
            lambda: _nth_statement(_Bound(shape)),
            _values(filters, p_bucket=bucket, p_offset=offset, p_count=count, p_reads=EXACT_READS + 1, **window),
        )
        if rows and rows[0][1] > EXACT_READS:
            # More claims in the bucket than reading them allows: interpolate inside it.
            exact = False
            values.extend(_interpolated(bucket, offset + i, counts[bucket]) for i in range(count))
            continue
        found = [value for value, _read in rows if value is not None]
        if len(found) != count:
            # A claim reopened or verified between the histogram's read and this one (each
            # statement sees its own snapshot): the positions no longer hold; sort instead.
            median, sample = _median_by_sorting(session, filters, start, end)
            return median, sample, True
        values.extend(found)
    low, high = values[0], values[-1]
    return low + (high - low) / 2, sample, exact


def _interpolated(bucket: int, position: int, claims: int) -> timedelta:
    """The duration of the ``position``-th (from 0) of a bucket's ``claims`` claims, taking them as
    spread evenly over the bucket's logarithmic width (buckets: claim_duration_bucket, migration 0012).
    Bucket 0 holds every duration under e^(1/20) seconds, sub-second ones too (the bucket
    function counts them as 1 s): its claims are spread evenly over [0, e^(1/20)) s."""
    share = (position + 0.5) / claims
    if bucket <= 0:
        return timedelta(seconds=math.exp(1 / BUCKETS_PER_E) * share)
    return timedelta(seconds=math.exp((bucket + share) / BUCKETS_PER_E))


def _median_by_sorting(session: Session, filters: DashboardFilters, start: datetime, end: datetime):
    """The same median by percentile_cont over the window's claims (one article's are few)."""
    in_window = and_(Claim.status == ClaimStatus.VERIFIED, Claim.verified_at >= start, Claim.verified_at < end)
    elapsed = Claim.verified_at - Claim.created_at
    median, sample = session.execute(
        filters.apply(select(func.percentile_cont(0.5).within_group(elapsed), func.count()).where(in_window))
    ).one()
    return median, sample


def _histogram_statement(filters) -> Select:
    return _days(
        select(VerifiedDurationCount.bucket, func.sum(VerifiedDurationCount.n))
        .where(
            VerifiedDurationCount.category_key == filters.category_key,
            VerifiedDurationCount.verified_day >= bindparam("p_first_day", type_=Date),
            VerifiedDurationCount.verified_day < bindparam("p_end", type_=Date),
        )
        .group_by(VerifiedDurationCount.bucket)
        .having(func.sum(VerifiedDurationCount.n) > 0)
        .order_by(VerifiedDurationCount.bucket),
        VerifiedDurationCount.created_day,
        filters,
    )


def _position(histogram, k: int) -> tuple[int, int]:
    """(bucket, position in it) of the k-th shortest duration (from 0)."""
    before = 0
    for bucket, n in histogram:
        if k < before + int(n):
            return bucket, k - before
        before += int(n)
    raise ValueError(f"position {k} is past the histogram's {before} claims")


def _nth_statement(filters) -> Select:
    """The p_count durations from a position within one bucket, and how many of the bucket's claims
    verified in the window were read: at most p_reads entries of ix_claims_verified_duration_bucket
    (index-only), whatever their category or creation day. When that count reaches p_reads the
    durations are of a cut-off part of the bucket and the caller interpolates instead."""
    elapsed = (Claim.verified_at - Claim.created_at).label("elapsed")
    entries = (
        select(elapsed, Claim.created_at, Claim.category)
        .where(
            Claim.status == ClaimStatus.VERIFIED,
            Claim.verified_at >= bindparam("p_window_start", type_=DateTime(timezone=True)),
            Claim.verified_at < bindparam("p_window_end", type_=DateTime(timezone=True)),
            duration_bucket(Claim.verified_at - Claim.created_at) == bindparam("p_bucket", type_=Integer),
        )
        .limit(bindparam("p_reads", type_=Integer))
        .cte("entries")
    )
    read = select(func.count()).select_from(entries).scalar_subquery()
    picked = (
        select(entries.c.elapsed)
        .where(*filters.conditions(entries.c))
        .order_by(entries.c.elapsed)
        .offset(bindparam("p_offset", type_=Integer))
        .limit(bindparam("p_count", type_=Integer))
        .subquery()
    )
    # One row even when no duration is picked: the count says why.
    counted = select(read.label("n")).subquery()
    return (
        select(picked.c.elapsed, counted.c.n)
        .select_from(counted.outerjoin(picked, true()))
        .order_by(picked.c.elapsed)
    )


# --- conflicting figures ----------------------------------------------------------


@dataclass(frozen=True)
class ConflictSide:
    id: int
    quote: str
    source: str  # the claimant, or the article's title when nobody is named
    figure: str


@dataclass(frozen=True)
class ConflictRow:
    link_id: int
    kind: LinkKind
    a: ConflictSide
    b: ConflictSide


_CONFLICT_FILTERS = ("created_from", "created_to", "article_id", "category")


@lru_cache(maxsize=2 ** len(_CONFLICT_FILTERS))
def _conflicts_sql(shape: tuple[str, ...]) -> tuple[tuple[str, dict], tuple[str, dict]]:
    """(SQL, its constants' values) of the count and of the rows, for the filters named in ``shape``,
    compiled once per shape: building this statement took about a third of the
    page's CPU, now a request only binds its values."""
    a, b = aliased(Claim), aliased(Claim)
    art_a, art_b = aliased(Article), aliased(Article)
    base = (
        select(
            ClaimLink.id, ClaimLink.kind,
            a.id, a.quote, func.coalesce(a.claimant, art_a.title), a.quantity_value, a.quantity_unit,
            a.quantity_qualifier,
            b.id, b.quote, func.coalesce(b.claimant, art_b.title), b.quantity_value, b.quantity_unit,
            b.quantity_qualifier,
        )
        .join(a, a.id == ClaimLink.claim_a_id)
        .join(b, b.id == ClaimLink.claim_b_id)
        .join(art_a, art_a.id == a.article_id)
        .join(art_b, art_b.id == b.article_id)
        .where(
            a.quantity_value.is_not(None),
            b.quantity_value.is_not(None),
            a.category == b.category,
            _unit_key(a.quantity_unit) == _unit_key(b.quantity_unit),
            a.quantity_value != b.quantity_value,
        )
    )
    if shape:
        def passes(claim):
            tests = {
                "created_from": claim.created_at >= bindparam("created_from"),
                "created_to": claim.created_at < bindparam("created_to"),
                "article_id": claim.article_id == bindparam("article_id"),
                "category": claim.category == bindparam("category"),
            }
            return and_(*(tests[name] for name in shape))

        base = base.where(or_(passes(a), passes(b)))
    count = select(func.count()).select_from(base.subquery()).compile(dialect=DIALECT)
    rows = base.order_by(ClaimLink.created_at.desc(), ClaimLink.id.desc()).limit(bindparam("row_limit"))
    rows = rows.compile(dialect=DIALECT)
    return (str(count), count.params), (str(rows), rows.params)


def linked_conflicts(session: Session, filters: DashboardFilters, limit: int = 20) -> tuple[list[ConflictRow], int]:
    """Linked claims that give different figures for the same kind of thing, newest link first;
    with filters, the pairs where either claim passes them. Also the number of such pairs."""
    given = {
        "created_from": filters.created_from,
        "created_to": filters.created_to,
        "article_id": filters.article_id,
        "category": filters.category.value if filters.category is not None else None,
    }
    given = {name: value for name, value in given.items() if value is not None}
    (count_sql, count_params), (rows_sql, rows_params) = _conflicts_sql(
        tuple(name for name in _CONFLICT_FILTERS if name in given)
    )
    connection = session.connection()
    total = connection.exec_driver_sql(count_sql, {**count_params, **given}).scalar_one()
    if not total:
        return [], 0

    def side(claim_id, quote, source, value, unit, qualifier) -> ConflictSide:
        return ConflictSide(claim_id, quote, source, figure(value, unit, qualifier))

    rows = connection.exec_driver_sql(rows_sql, {**rows_params, **given, "row_limit": limit}).all()
    return [ConflictRow(r[0], LinkKind(r[1]), side(*r[2:8]), side(*r[8:14])) for r in rows], total
