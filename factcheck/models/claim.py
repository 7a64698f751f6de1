from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Computed,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, pg_enum


class Category(str, enum.Enum):
    CASUALTIES = "casualties"
    WEAPONS = "weapons"
    FORCES = "forces"
    DISTANCE = "distance"
    ATTRIBUTION = "attribution"
    EVENT = "event"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ClaimStatus(str, enum.Enum):
    UNVERIFIED = "unverified"
    IN_REVIEW = "in_review"
    PENDING_APPROVAL = "pending_approval"
    VERIFIED = "verified"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Verdict(str, enum.Enum):
    """schema.org ClaimReview alternateName, with its 1-5 rating."""

    FALSE = "false"
    MISLEADING = "misleading"
    UNPROVEN = "unproven"
    MOSTLY_TRUE = "mostly_true"
    TRUE = "true"

    @property
    def rating(self) -> int:
        return _RATINGS[self]

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


_RATINGS = {
    Verdict.FALSE: 1,
    Verdict.MISLEADING: 2,
    Verdict.UNPROVEN: 3,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.TRUE: 5,
}

PRIORITY_LABELS = {0: "Low", 1: "Normal", 2: "High", 3: "Urgent"}
# How a figure is qualified ("over 2,000 troops", "at least three clashes").
QUALIFIERS = ("over", "at least", "about", "nearly", "up to", "under")
DEFAULT_PRIORITY = 1


# search_figures() (migration 0011) writes "1,500" as "1500" before indexing, so
# a figure is found however its digits are grouped (services/search.py).
CLAIM_SEARCH_SQL = (
    "setweight(to_tsvector('english', search_figures(coalesce(quote, ''))), 'A') || "
    "setweight(to_tsvector('english', search_figures(coalesce(statement, ''))), 'A') || "
    "setweight(to_tsvector('english', search_figures(coalesce(claimant, ''))), 'B') || "
    "setweight(to_tsvector('english', search_figures(coalesce(rationale, ''))), 'C')"
)

CLAIM_STATUS_TYPE = pg_enum(ClaimStatus, "claim_status")
CATEGORY_TYPE = pg_enum(Category, "claim_category")


class Claim(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"))
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int]
    span_end: Mapped[int]
    statement: Mapped[str] = mapped_column(Text)
    category: Mapped[Category] = mapped_column(CATEGORY_TYPE)
    claimant: Mapped[str | None] = mapped_column(String(200))
    quantity_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    quantity_unit: Mapped[str | None] = mapped_column(String(60))
    quantity_qualifier: Mapped[str | None] = mapped_column(String(30))
    hedged: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    hedge_note: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[ClaimStatus] = mapped_column(
        CLAIM_STATUS_TYPE,
        default=ClaimStatus.UNVERIFIED,
        server_default=ClaimStatus.UNVERIFIED.value,
    )
    verdict: Mapped[Verdict | None] = mapped_column(pg_enum(Verdict, "claim_verdict"))
    rationale: Mapped[str | None] = mapped_column(Text)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    priority: Mapped[int] = mapped_column(
        SmallInteger, default=DEFAULT_PRIORITY, server_default=text(str(DEFAULT_PRIORITY))
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # The latest proposal: kept when a verdict is sent back or a claim reopened,
    # replaced by the next proposal (the dashboard credits its author).
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    proposed_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    verified_at: Mapped[datetime | None]
    # Optimistic locking: every UPDATE says "WHERE version = <the one I read>".
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    # Kept by PostgreSQL; search reads it through a GIN index.
    search_vector = mapped_column(TSVECTOR, Computed(CLAIM_SEARCH_SQL, persisted=True), deferred=True)

    article = relationship("Article")
    assignee = relationship("User", foreign_keys=[assignee_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    __mapper_args__ = {"version_id_col": version}

    __table_args__ = (
        CheckConstraint("span_start >= 0 AND span_start < span_end", name="span_ordered"),
        CheckConstraint("char_length(quote) = span_end - span_start", name="quote_fits_span"),
        CheckConstraint("char_length(btrim(statement)) > 0", name="statement_not_blank"),
        CheckConstraint("priority BETWEEN 0 AND 3", name="priority_range"),
        CheckConstraint(
            "quantity_value IS NOT NULL OR (quantity_unit IS NULL AND quantity_qualifier IS NULL)",
            name="quantity_parts_need_value",
        ),
        CheckConstraint(
            "status NOT IN ('pending_approval', 'verified')"
            " OR (verdict IS NOT NULL AND rationale IS NOT NULL AND proposed_by_id IS NOT NULL)",
            name="verdict_when_proposed",
        ),
        CheckConstraint(
            "status <> 'verified' OR (approved_by_id IS NOT NULL AND verified_at IS NOT NULL"
            " AND approved_by_id <> proposed_by_id)",
            name="verified_needs_other_approver",
        ),
        Index("ix_claims_article_id_span_start", "article_id", "span_start"),
        # The queue pages by keyset (services.paging): each of its orders, alone and
        # under the filters that narrow it most, has an index whose columns are
        # exactly the order's keys, so a page is a range scan of per_page entries.
        # "Priority" is priority DESC, created_at, id: kept as -priority so every key
        # runs the same way and one row-value comparison seeks it.
        Index("ix_claims_queue_priority", text("(-priority)"), "created_at", "id"),
        Index("ix_claims_queue_status_priority", "status", text("(-priority)"), "created_at", "id"),
        Index("ix_claims_queue_assignee_priority", "assignee_id", text("(-priority)"), "created_at", "id"),
        Index(
            "ix_claims_queue_unassigned_priority",
            text("(-priority)"),
            "created_at",
            "id",
            postgresql_where=text("assignee_id IS NULL"),
        ),
        Index(
            "ix_claims_queue_open_priority",
            text("(-priority)"),
            "created_at",
            "id",
            postgresql_where=text("status <> 'verified'"),
        ),
        Index("ix_claims_queue_assignee_created", "assignee_id", "created_at", "id"),
        Index("ix_claims_queue_unassigned_created", "created_at", "id", postgresql_where=text("assignee_id IS NULL")),
        Index("ix_claims_queue_open_created", "created_at", "id", postgresql_where=text("status <> 'verified'")),
        Index("ix_claims_assignee_id_status", "assignee_id", "status"),
        Index("ix_claims_search_vector", "search_vector", postgresql_using="gin"),
        # With a date range the dashboard counts claims directly; these covering
        # indexes keep those counts index-only.
        # They also serve the queue's newest and oldest orders (with the id as tiebreaker).
        Index(
            "ix_claims_status_created_at_id",
            "status",
            "created_at",
            "id",
            postgresql_include=["category", "assignee_id"],
        ),
        Index(
            "ix_claims_created_at_id",
            "created_at",
            "id",
            postgresql_include=["article_id", "category", "status", "hedged"],
        ),
        Index(
            "ix_claims_proposed_at",
            "proposed_at",
            postgresql_include=["proposed_by_id", "created_at", "category"],
            postgresql_where=text("proposed_by_id IS NOT NULL"),
        ),
        # Covers the dashboard's median time to verified without touching the table.
        Index(
            "ix_claims_verified_at_created_at",
            "verified_at",
            "created_at",
            postgresql_include=["category", "approved_by_id"],
            postgresql_where=text("status = 'verified'"),
        ),
    )

    @property
    def priority_label(self) -> str:
        return PRIORITY_LABELS.get(self.priority, str(self.priority))

    def __repr__(self) -> str:
        return f"<Claim {self.id} {self.status.value} {self.quote[:40]!r}>"
