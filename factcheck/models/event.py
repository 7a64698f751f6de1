"""The outbox: one row per change that matters outside the desk (issue 15).

A service writes the event in the same transaction as the change, and queues
the job that delivers it in that transaction too (services/events.py), so an
event exists exactly when its change was committed, and nothing is sent for a
change that was rolled back. The worker fans each event out to webhooks.

``id`` is the event's identity for receivers (the webhook-id header): a
delivery that is repeated after a crash carries the same id, so a receiver
that de-duplicates by it sees each event once.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Uuid, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class EventType(str, enum.Enum):
    CLAIM_ASSIGNED = "claim.assigned"
    CLAIM_TAKEN = "claim.taken"
    CLAIM_PROPOSED = "claim.proposed"
    CLAIM_SENT_BACK = "claim.sent_back"
    CLAIM_APPROVED = "claim.approved"
    CLAIM_REOPENED = "claim.reopened"
    CLAIM_PUBLISHED = "claim.published"
    CLAIM_UNPUBLISHED = "claim.unpublished"
    ARTICLE_IMPORTED = "article.imported"
    SUGGESTION_ACCEPTED = "suggestion.accepted"


class Event(Base):
    __tablename__ = "events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, server_default=text("gen_random_uuid()"))
    type: Mapped[str] = mapped_column(String(40))
    # The subjects, as plain ids (no foreign keys: an event outlives what it names).
    claim_id: Mapped[int | None]
    article_id: Mapped[int | None]
    actor_id: Mapped[int | None]
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default=text("'{}'::jsonb"))
    # The moment of the write (not of the transaction's start): events of one use case keep their order.
    created_at: Mapped[datetime] = mapped_column(server_default=func.clock_timestamp())
    # Set by the job that fans the event out (webhook deliveries, e-mails), in its own
    # transaction: a repeat of that job (after a crash) finds it set and queues nothing twice.
    dispatched_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_events_created_at", "created_at"),
        Index("ix_events_claim_id", "claim_id"),
    )
