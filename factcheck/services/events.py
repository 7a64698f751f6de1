"""The outbox: events written in the transaction of the change they report.

``emit`` adds the event row and queues the job that fans it out
(``factcheck:dispatch_event``) through the same connection, so both commit or
roll back with the change: no event for a change that did not happen, no
change whose event is lost. The job carries only the event's id.

Why a job per event, deferred in the transaction, rather than a worker that
polls the events table: delivery starts as soon as the change commits
(procrastinate's NOTIFY wakes a worker), no worker scans the table for work,
and a crash at any point leaves either nothing or a committed job that a
worker will run (again, if it died half-way). The dispatch job sets
``dispatched_at`` in the same transaction as the jobs it queues, only so that
a re-run of that job queues nothing twice.

Which claim changes are events is decided once, in ``CLAIM_EVENTS``: the
history writer (services/history.py) calls ``emit_for_history`` for every
history row, so a new way to take or approve a claim cannot forget its event.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Claim, EventAction, EventType
from ..models.event import Event
from . import jobs

CLAIM_EVENTS: dict[EventAction, EventType] = {
    EventAction.ASSIGNED: EventType.CLAIM_ASSIGNED,
    EventAction.TAKEN: EventType.CLAIM_TAKEN,
    EventAction.VERDICT_PROPOSED: EventType.CLAIM_PROPOSED,
    EventAction.SENT_BACK: EventType.CLAIM_SENT_BACK,
    EventAction.APPROVED: EventType.CLAIM_APPROVED,
    EventAction.REOPENED: EventType.CLAIM_REOPENED,
    EventAction.PUBLISHED: EventType.CLAIM_PUBLISHED,
    EventAction.UNPUBLISHED: EventType.CLAIM_UNPUBLISHED,
}


def emit(
    session: Session,
    type_: EventType,
    *,
    claim_id: int | None = None,
    article_id: int | None = None,
    actor_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Add the event and queue its delivery; the caller's unit of work commits both."""
    event = Event(
        type=type_.value, claim_id=claim_id, article_id=article_id, actor_id=actor_id, payload=payload or {}
    )
    session.add(event)
    session.flush()  # the id (gen_random_uuid()) and created_at come from the database
    jobs.defer(session, jobs.DISPATCH_EVENT, event_id=str(event.id))
    return event


def emit_for_history(
    session: Session,
    claim: Claim,
    action: EventAction,
    *,
    actor_id: int | None,
    from_status: Any,
    to_status: Any,
    comment: str | None,
    details: dict[str, Any],
) -> Event | None:
    """The event for a claim's history row, if that kind of change is one."""
    type_ = CLAIM_EVENTS.get(action)
    if type_ is None:
        return None
    payload = {
        "claim": {
            "id": claim.id,
            "article_id": claim.article_id,
            "statement": claim.statement,
            "status": claim.status.value if claim.status else None,
            "verdict": claim.verdict.value if claim.verdict else None,
            "assignee_id": claim.assignee_id,
            "version": claim.version,
        },
        "from_status": getattr(from_status, "value", from_status),
        "to_status": getattr(to_status, "value", to_status),
        "comment": comment,
        "details": details,
    }
    return emit(session, type_, claim_id=claim.id, article_id=claim.article_id, actor_id=actor_id, payload=payload)


def dispatch(session: Session, event_id: str, *, email: bool) -> dict[str, Any]:
    """Fan an event out, once: its webhook deliveries and (``email``) its notifications,
    each a job of its own, queued in one transaction that also marks the event dispatched.
    A repeat of this step (its job re-run after a worker died) finds the mark and does nothing."""
    from datetime import datetime, timezone

    from . import notifications, webhooks
    from .unit import unit_of_work

    with unit_of_work(session):
        event = session.execute(
            select(Event).where(Event.id == uuid.UUID(event_id)).with_for_update()
        ).scalar_one_or_none()
        if event is None or event.dispatched_at is not None:
            return {"event_id": event_id, "repeat": event is not None}
        deliveries = webhooks.queue_deliveries(session, event)
        emails = notifications.queue_emails(session, event) if email else 0
        event.dispatched_at = datetime.now(timezone.utc)
    return {"event_id": event_id, "event_type": event.type, "deliveries": len(deliveries), "emails": emails}
