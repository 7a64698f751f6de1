from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base
from .claim import CLAIM_STATUS_TYPE, ClaimStatus


class EventAction(str, enum.Enum):
    CREATED = "created"
    EDITED = "edited"
    TAKEN = "taken"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    COMMENTED = "commented"
    EVIDENCE_ADDED = "evidence_added"
    EVIDENCE_EDITED = "evidence_edited"
    EVIDENCE_REMOVED = "evidence_removed"
    VERDICT_PROPOSED = "verdict_proposed"
    APPROVED = "approved"
    SENT_BACK = "sent_back"
    REOPENED = "reopened"
    LINKED = "linked"
    UNLINKED = "unlinked"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ClaimEvent(Base):
    """Append-only history: the database refuses UPDATE, DELETE and TRUNCATE."""

    __tablename__ = "claim_events"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[ClaimStatus | None] = mapped_column(CLAIM_STATUS_TYPE)
    to_status: Mapped[ClaimStatus | None] = mapped_column(CLAIM_STATUS_TYPE)
    # The claim's version after this event: "what changed since version N" is
    # every event with a larger number.
    claim_version: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, server_default=text("'{}'::jsonb")
    )
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    actor = relationship("User")

    __table_args__ = (
        Index("ix_claim_events_claim_id_created_at", "claim_id", "created_at"),
        Index("ix_claim_events_created_at_id", "created_at", "id"),  # the activity feed's keyset
        Index("ix_claim_events_actor_id_action_created_at", "actor_id", "action", "created_at"),
    )
