from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Float, ForeignKey, Identity, Index, Numeric, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, pg_enum
from .claim import CATEGORY_TYPE, Category


class CandidateStatus(str, enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class ClaimCandidate(Base):
    """A claim the extractor proposed in an article, waiting for a reviewer to accept or dismiss it."""

    __tablename__ = "claim_candidates"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"))
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int]
    span_end: Mapped[int]
    category: Mapped[Category] = mapped_column(CATEGORY_TYPE)
    claimant: Mapped[str | None] = mapped_column(String(200))
    quantity_value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    quantity_value_max: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))  # a range's upper bound
    quantity_unit: Mapped[str | None] = mapped_column(String(60))
    quantity_qualifier: Mapped[str | None] = mapped_column(String(30))
    hedged: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    hedge_note: Mapped[str | None] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float, default=0.0, server_default=text("0"))
    status: Mapped[CandidateStatus] = mapped_column(
        pg_enum(CandidateStatus, "candidate_status"),
        default=CandidateStatus.PENDING,
        server_default=CandidateStatus.PENDING.value,
    )
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    article = relationship("Article")

    __table_args__ = (
        CheckConstraint("span_start >= 0 AND span_start < span_end", name="span_ordered"),
        CheckConstraint("char_length(quote) = span_end - span_start", name="quote_fits_span"),
        CheckConstraint("status <> 'accepted' OR claim_id IS NOT NULL", name="accepted_has_claim"),
        UniqueConstraint("article_id", "span_start", "span_end", name="uq_claim_candidates_span"),
        Index("ix_claim_candidates_article_id_status", "article_id", "status"),
    )
