"""Summary tables the dashboard reads instead of scanning every claim.

They are derived data: database triggers on claims keep them exact in the
same transaction as every change (migrations 0003, 0006, 0012 and 0024), and the SQL
functions refresh_claim_rollups(), refresh_claim_totals() and
refresh_claim_day_rollups() rebuild them from the claims. articles_with_claims
is kept the same way from article_claim_counts (migration 0023). Nothing in
Python writes to them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .claim import CATEGORY_TYPE, CLAIM_STATUS_TYPE, Category, Claim, ClaimStatus

# category_key: a category's value, or '' for the row summing every category.
ALL_CATEGORIES = ""


class ClaimDailyCount(Base):
    __tablename__ = "claim_daily_counts"

    day: Mapped[date] = mapped_column(primary_key=True)  # the claim's creation day, UTC
    category: Mapped[Category] = mapped_column(CATEGORY_TYPE, primary_key=True)
    status: Mapped[ClaimStatus] = mapped_column(CLAIM_STATUS_TYPE, primary_key=True)
    verdict_key: Mapped[str] = mapped_column(String(20), primary_key=True)  # '' when no verdict
    hedged: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(server_default=text("0"))


class ArticleClaimCount(Base):
    __tablename__ = "article_claim_counts"

    article_id: Mapped[int] = mapped_column(primary_key=True)
    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    claims: Mapped[int] = mapped_column(server_default=text("0"))
    verified: Mapped[int] = mapped_column(server_default=text("0"))
    unverified_hedged: Mapped[int] = mapped_column(server_default=text("0"))

    __table_args__ = (
        Index(
            "ix_article_claim_counts_ranking",
            "category_key",
            text("unverified_hedged DESC"),
            text("claims DESC"),
            "article_id",
        ),
    )


class AssigneeOpenCount(Base):
    __tablename__ = "assignee_open_counts"

    assignee_id: Mapped[int] = mapped_column(primary_key=True)
    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    in_review: Mapped[int] = mapped_column(server_default=text("0"))


class ReviewerDailyCount(Base):
    """Per user and day: claims whose latest proposal they made (kind 'proposed'),
    and claims they approved that are still verified (kind 'approved')."""

    __tablename__ = "reviewer_daily_counts"

    day: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    n: Mapped[int] = mapped_column(server_default=text("0"))

    __table_args__ = (
        # The reviewers' work windows: one key's rows over 30 days, index-only (migration 0023).
        Index("ix_reviewer_daily_counts_category_day", "category_key", "day", postgresql_include=["user_id", "kind", "n"]),
    )


class ClaimTotal(Base):
    """Claims counted by category, status, verdict, hedged and whether assigned (the queue's counts)."""

    __tablename__ = "claim_totals"

    category: Mapped[Category] = mapped_column(CATEGORY_TYPE, primary_key=True)
    status: Mapped[ClaimStatus] = mapped_column(CLAIM_STATUS_TYPE, primary_key=True)
    verdict_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    hedged: Mapped[bool] = mapped_column(primary_key=True)
    assigned: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(server_default=text("0"))


class ArticlesWithClaims(Base):
    """Per category key: how many articles have claims (rows of article_claim_counts with claims > 0),
    kept by a trigger on article_claim_counts (migration 0023)."""

    __tablename__ = "articles_with_claims"

    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    articles: Mapped[int] = mapped_column(server_default=text("0"))


# --- per day of creation (migration 0012): a date range reads a few rows per day --------


class ArticleDailyCount(Base):
    """Per category key, creation day and article: what article_claim_counts holds for all days."""

    __tablename__ = "article_daily_counts"

    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(primary_key=True)
    claims: Mapped[int] = mapped_column(server_default=text("0"))
    verified: Mapped[int] = mapped_column(server_default=text("0"))
    unverified_hedged: Mapped[int] = mapped_column(server_default=text("0"))


class ArticleWeeklyCount(Base):
    """article_daily_counts per ISO week (Monday, UTC) of creation (migration 0024): a range's whole weeks."""

    __tablename__ = "article_weekly_counts"

    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    week: Mapped[date] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(primary_key=True)
    claims: Mapped[int] = mapped_column(server_default=text("0"))
    verified: Mapped[int] = mapped_column(server_default=text("0"))
    unverified_hedged: Mapped[int] = mapped_column(server_default=text("0"))


class ClaimWeeklyCount(Base):
    """claim_daily_counts per ISO week (Monday, UTC) of creation, without hedged (migration 0024)."""

    __tablename__ = "claim_weekly_counts"

    week: Mapped[date] = mapped_column(primary_key=True)
    category: Mapped[Category] = mapped_column(CATEGORY_TYPE, primary_key=True)
    status: Mapped[ClaimStatus] = mapped_column(CLAIM_STATUS_TYPE, primary_key=True)
    verdict_key: Mapped[str] = mapped_column(String(20), primary_key=True)  # '' when no verdict
    n: Mapped[int] = mapped_column(server_default=text("0"))


class AssigneeDailyCount(Base):
    """Per category key, creation day and assignee: claims in review."""

    __tablename__ = "assignee_daily_counts"

    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    assignee_id: Mapped[int] = mapped_column(primary_key=True)
    in_review: Mapped[int] = mapped_column(server_default=text("0"))


class VerifiedDailyCount(Base):
    """Verified claims per category key, day verified and day created."""

    __tablename__ = "verified_daily_counts"

    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    verified_day: Mapped[date] = mapped_column(primary_key=True)
    created_day: Mapped[date] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(server_default=text("0"))

    __table_args__ = (
        # The weekly chart's 12 weeks of one key, index-only (migration 0025).
        Index("ix_verified_daily_counts_category_day", "category_key", "verified_day", postgresql_include=["created_day", "n"]),
    )


class VerifiedDurationCount(Base):
    """VerifiedDailyCount split by duration_bucket(verified_at - created_at): a histogram for the median."""

    __tablename__ = "verified_duration_counts"

    category_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    verified_day: Mapped[date] = mapped_column(primary_key=True)
    created_day: Mapped[date] = mapped_column(primary_key=True)
    bucket: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(server_default=text("0"))

    __table_args__ = (
        # The median's histogram over 30 days of one key, index-only (migration 0025).
        Index(
            "ix_verified_duration_counts_category_day",
            "category_key",
            "verified_day",
            postgresql_include=["created_day", "bucket", "n"],
        ),
    )


# claim_duration_bucket(): floor(ln(seconds) * BUCKETS_PER_E), so a bucket spans a factor of e^(1/20), 5.1 %.
BUCKETS_PER_E = 20


def duration_bucket(elapsed):
    """The SQL function claim_duration_bucket (migration 0012) applied to an interval expression."""
    return func.claim_duration_bucket(elapsed)


# The claims of one duration bucket verified in a window, in the index's order:
# the median's exact value is read from these rows when they are few (dashboard.EXACT_READS).
ix_claims_verified_duration_bucket = Index(
    "ix_claims_verified_duration_bucket",
    duration_bucket(Claim.__table__.c.verified_at - Claim.__table__.c.created_at),
    Claim.__table__.c.verified_at,
    postgresql_include=["created_at", "category"],
    postgresql_where=text("status = 'verified'"),
)
