"""Summary tables the dashboard reads instead of scanning every claim.

They are derived data: database triggers on claims keep them exact in the
same transaction as every change (migration 0003), and the SQL function
refresh_claim_rollups() rebuilds them from the claims. Nothing in Python
writes to them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .claim import CATEGORY_TYPE, CLAIM_STATUS_TYPE, Category, ClaimStatus

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


class ClaimTotal(Base):
    """Claims counted by category, status, verdict, hedged and whether assigned (the queue's counts)."""

    __tablename__ = "claim_totals"

    category: Mapped[Category] = mapped_column(CATEGORY_TYPE, primary_key=True)
    status: Mapped[ClaimStatus] = mapped_column(CLAIM_STATUS_TYPE, primary_key=True)
    verdict_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    hedged: Mapped[bool] = mapped_column(primary_key=True)
    assigned: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(server_default=text("0"))
