"""The append-only claim history: every change of a claim writes one event."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..models import Claim, ClaimEvent, ClaimStatus, EventAction


def record_event(
    session: Session,
    claim: Claim,
    action: EventAction,
    *,
    actor_id: int | None,
    from_status: ClaimStatus | None = None,
    to_status: ClaimStatus | None = None,
    comment: str | None = None,
    details: dict[str, Any] | None = None,
) -> ClaimEvent:
    """Add the event to the session; the caller's transaction commits it with the change.

    The session is flushed first so the claim's pending UPDATE has run and its
    version is the one this event leaves it at.
    """
    session.flush()
    event = ClaimEvent(
        claim_id=claim.id,
        actor_id=actor_id,
        action=action.value,
        from_status=from_status,
        to_status=to_status,
        claim_version=claim.version,
        comment=comment,
        details=details or {},
    )
    session.add(event)
    return event
