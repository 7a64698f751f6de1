"""The append-only claim history: every change of a claim writes one event."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy.orm import Session

from ..models import Claim, ClaimEvent, ClaimStatus, EventAction, Verdict


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
    # The outbox event for the changes that matter outside the desk, in this same transaction.
    from .events import emit_for_history

    emit_for_history(
        session, claim, action, actor_id=actor_id, from_status=from_status, to_status=to_status,
        comment=comment, details=details or {},
    )
    return event


# --- history as sentences: who did what, and when ----------------------------------

_FIELD_NAMES = {
    "quantity_value": "figure",
    "quantity_unit": "unit",
    "quantity_qualifier": "qualifier",
    "hedged": "hedging",
    "hedge_note": "hedging words",
    "accessed_on": "access date",
    "published_on": "page's date",
    "archive_url": "archived copy",
    "url": "link",
}


# The order of the edit form (JSONB keeps its keys in an order of its own).
_FIELD_ORDER = {
    name: i
    for i, name in enumerate(
        ("statement", "category", "claimant", "priority", "quantity_qualifier", "quantity_value", "quantity_unit",
         "hedged", "hedge_note", "verdict", "rationale")
    )
}


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _verdict_label(value: Any) -> str | None:
    try:
        return Verdict(value).label if value else None
    except ValueError:
        return None


def event_phrase(action: str, details: dict[str, Any] | None, actor_id: int | None = None, *, titles: bool = True) -> str:
    """What an event did, as the rest of a sentence whose subject is its actor:
    "changed the statement and claimant", "proposed the verdict Mostly true".
    ``titles=False`` leaves out an evidence title the page shows as a link beside it."""
    details = details or {}
    if action == EventAction.EDITED.value:
        names = sorted(details.get("changes") or {}, key=lambda n: _FIELD_ORDER.get(n, len(_FIELD_ORDER)))
        fields = [_FIELD_NAMES.get(name, name.replace("_", " ")) for name in names]
        return f"changed the {_and(fields)}" if fields else "edited the claim"
    if action == EventAction.VERDICT_PROPOSED.value:
        label = _verdict_label(details.get("verdict"))
        return f"proposed the verdict {label} and its rationale" if label else "proposed a verdict"
    if action == EventAction.APPROVED.value:
        label = _verdict_label(details.get("verdict"))
        return f"approved the verdict {label}" if label else "approved the verdict"
    if action == EventAction.ASSIGNED.value:
        name = details.get("assignee_name") or details.get("assignee")
        return f"assigned the claim to {name}" if name else "assigned the claim"
    if action == EventAction.UNASSIGNED.value:
        previous = details.get("previous_assignee_name")
        if details.get("previous_assignee_id") == actor_id or not previous:
            return "released the claim back to the queue"
        return f"took the claim off {previous} and put it back in the queue"
    if action == EventAction.EVIDENCE_ADDED.value:
        verb = "restored" if details.get("restored_from_event_id") else "added"
        title = details.get("title") if titles else None
        return f"{verb} evidence “{title}”" if title else f"{verb} evidence"
    if action == EventAction.EVIDENCE_EDITED.value and details.get("from_page"):
        names = [_FIELD_NAMES.get(name, name) for name in details.get("changes") or {}]
        title = details.get("title") if titles else None
        what = f"the {_and(names)}" if names else "details"
        return f"filled in {what} of evidence “{title}” from its page" if title else f"filled in {what} of evidence from its page"
    if action in (EventAction.EVIDENCE_EDITED.value, EventAction.EVIDENCE_REMOVED.value):
        verb = "edited" if action == EventAction.EVIDENCE_EDITED.value else "removed"
        title = details.get("title") if titles else None
        return f"{verb} evidence “{title}”" if title else f"{verb} evidence"
    if action == EventAction.PUBLISHED.value and (details.get("version") or 1) > 1:
        return "published an update of the fact check"
    return _PHRASES.get(action, action.replace("_", " "))


_PHRASES = {
    EventAction.CREATED.value: "created the claim",
    EventAction.TAKEN.value: "took the claim",
    EventAction.COMMENTED.value: "commented",
    EventAction.SENT_BACK.value: "sent the verdict back",
    EventAction.REOPENED.value: "reopened the claim",
    EventAction.LINKED.value: "linked the claim to another",
    EventAction.UNLINKED.value: "removed a link to another claim",
    EventAction.PUBLISHED.value: "published the fact check",
    EventAction.UNPUBLISHED.value: "unpublished the fact check",
}


def ago(then: datetime, now: datetime | None = None) -> str:
    """How long ago, in words: "just now", "2 minutes ago", "3 days ago"."""
    now = now or datetime.now(timezone.utc)
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def clock(then: datetime, now: datetime | None = None) -> str:
    """A time as people say it: "10:42 UTC" today, "4 Dec 10:42 UTC" another day."""
    now = now or datetime.now(timezone.utc)
    then = then.astimezone(timezone.utc)
    if then.date() == now.astimezone(timezone.utc).date():
        return then.strftime("%H:%M UTC")
    return f"{then.day} {then.strftime('%b')}{'' if then.year == now.year else then.strftime(' %Y')} {then.strftime('%H:%M UTC')}"


def describe_changes(events: Iterable[ClaimEvent], now: datetime | None = None, limit: int = 3) -> str:
    """Events as sentences, one per run of events by the same person:
    "Omar Haddad changed the verdict and rationale at 10:42 UTC (2 minutes ago)."
    At most ``limit`` sentences; the rest are counted."""
    now = now or datetime.now(timezone.utc)
    runs: list[tuple[str, list[str], datetime]] = []
    last_actor: object = object()
    for event in events:
        who = event.actor.display_name if event.actor is not None else "Someone"
        what = event_phrase(event.action, event.details, event.actor_id)
        if event.actor_id == last_actor and runs:
            name, phrases, _ = runs[-1]
            if what not in phrases:
                phrases.append(what)
            runs[-1] = (name, phrases, event.created_at)
        else:
            runs.append((who, [what], event.created_at))
        last_actor = event.actor_id
    sentences = [f"{who} {_and(whats)} at {clock(when, now)} ({ago(when, now)})." for who, whats, when in runs[:limit]]
    if len(runs) > limit:
        more = len(runs) - limit
        sentences.append(f"And {more} more change{'' if more == 1 else 's'} after that.")
    return " ".join(sentences)
