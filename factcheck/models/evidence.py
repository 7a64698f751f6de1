from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Computed, ForeignKey, Identity, Index, String, Text, func
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, pg_enum


class Stance(str, enum.Enum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"

    @property
    def label(self) -> str:
        return self.value.capitalize()


EVIDENCE_SEARCH_SQL = (
    "setweight(to_tsvector('english', search_figures(coalesce(title, ''))), 'A') || "
    "setweight(to_tsvector('english', search_figures(coalesce(publisher, ''))), 'B') || "
    "setweight(to_tsvector('english', search_figures(coalesce(note, ''))), 'C')"
)


class Evidence(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str | None] = mapped_column(String(200))
    stance: Mapped[Stance] = mapped_column(pg_enum(Stance, "evidence_stance"))
    archive_url: Mapped[str | None] = mapped_column(Text)
    accessed_on: Mapped[date | None]
    published_on: Mapped[date | None]  # the page's own date
    # Filling in blank details from the page (services/evidence_details.py): NULL when
    # nothing was asked, then "pending", "filled" or "failed" (details_error says why).
    details_status: Mapped[str | None] = mapped_column(String(10))
    details_error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    search_vector = mapped_column(TSVECTOR, Computed(EVIDENCE_SEARCH_SQL, persisted=True), deferred=True)

    claim = relationship("Claim")
    added_by = relationship("User")

    __table_args__ = (
        # The service gives the precise reason; the database is the last line.
        CheckConstraint("url ~* '^https?://[^/@[:space:]]+'", name="url_http"),
        CheckConstraint(
            "archive_url IS NULL OR archive_url ~* '^https?://[^/@[:space:]]+'",
            name="archive_url_http",
        ),
        CheckConstraint("char_length(btrim(title)) > 0", name="title_not_blank"),
        CheckConstraint(
            "details_status IS NULL OR details_status IN ('pending', 'filled', 'failed')", name="details_status_known"
        ),
        Index("ix_evidence_claim_id", "claim_id"),
        Index("ix_evidence_search_vector", "search_vector", postgresql_using="gin"),
    )
