"""Several claims at once, from the queue: take them, or assign them to one person.

One use case, all or none. The chosen claims are locked together (in id
order, so two bulk actions over the same claims queue up instead of
deadlocking) and each one's version is compared with the version the user saw
in the queue. If any changed or is gone, nothing is done, and the refusal
names every such claim, so the user can look again before choosing. Then each
claim goes through the same workflow step as one Take or Assign
(services.workflow), which checks the rules and writes the history; a claim
the rules refuse refuses the whole, naming that claim and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Claim, User
from . import workflow
from .errors import InvalidTransition, PermissionDenied, ServiceError, StaleClaim, ValidationFailed
from .permissions import Permission, require
from .unit import unit_of_work
from .users import active_user

LIMIT = 100  # claims in one request: twice a queue page


@dataclass(frozen=True)
class Picked:
    """A claim as the user saw it in the queue."""

    claim_id: int
    version: int


def _numbers(ids: Iterable[int]) -> str:
    """#3, #7 and #12"""
    labels = [f"#{i}" for i in sorted(ids)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


class SelectionChanged(StaleClaim):
    """Some chosen claims changed since the queue was loaded (``changed``) or no
    longer exist (``missing``). Nothing was done."""

    def __init__(self, changed: list[int], missing: list[int]):
        self.changed = sorted(changed)
        self.missing = sorted(missing)
        parts = []
        if self.changed:
            noun = "Claim" if len(self.changed) == 1 else "Claims"
            verb = "was" if len(self.changed) == 1 else "were"
            parts.append(f"{noun} {_numbers(self.changed)} {verb} changed by someone else since you loaded the queue.")
        if self.missing:
            noun = "There is no claim" if len(self.missing) == 1 else "There are no claims"
            parts.append(f"{noun} {_numbers(self.missing)}.")
        parts.append("Nothing was done: look at the queue again and choose.")
        super().__init__(" ".join(parts))


class BulkRefused(ServiceError):
    """The rules refuse the action for one of the chosen claims (``claim_id``;
    ``reason`` is the workflow's refusal). Nothing was done."""

    def __init__(self, claim_id: int, reason: ServiceError):
        self.claim_id = claim_id
        self.reason = reason
        super().__init__(f"Claim #{claim_id}: {reason.message} Nothing was done.")


@dataclass(frozen=True)
class BulkResult:
    claim_ids: list[int]
    assignee: str | None = None  # display name, for an assignment


def _picked(selection: Iterable[Picked]) -> list[Picked]:
    chosen: dict[int, Picked] = {}
    for item in selection:
        chosen.setdefault(item.claim_id, item)  # the same claim ticked twice counts once
    if not chosen:
        raise ValidationFailed({"claim": ["Tick at least one claim first."]})
    if len(chosen) > LIMIT:
        raise ValidationFailed({"claim": [f"Tick at most {LIMIT} claims at a time."]})
    return [chosen[claim_id] for claim_id in sorted(chosen)]


def _lock_as_seen(session: Session, picked: list[Picked]) -> None:
    """Lock the claims (id order) and check each is still the version the user saw."""
    current = dict(
        session.execute(
            select(Claim.id, Claim.version)
            .where(Claim.id.in_([p.claim_id for p in picked]))
            .order_by(Claim.id)
            .with_for_update()
        ).all()
    )
    missing = [p.claim_id for p in picked if p.claim_id not in current]
    changed = [p.claim_id for p in picked if p.claim_id in current and current[p.claim_id] != p.version]
    if missing or changed:
        raise SelectionChanged(changed, missing)


def _each(picked: list[Picked], step: Callable[[Picked], object]) -> None:
    for item in picked:
        try:
            step(item)
        except (InvalidTransition, PermissionDenied, ValidationFailed) as exc:
            raise BulkRefused(item.claim_id, exc) from exc


def take_claims(session: Session, actor_id: int, selection: Iterable[Picked]) -> BulkResult:
    """The actor takes every chosen claim, or none of them."""
    picked = _picked(selection)
    with unit_of_work(session):
        require(active_user(session, actor_id), Permission.TAKE)
        _lock_as_seen(session, picked)
        _each(picked, lambda p: workflow.take_claim(session, actor_id, p.claim_id, p.version))
    return BulkResult([p.claim_id for p in picked])


def assign_claims(session: Session, actor_id: int, selection: Iterable[Picked], assignee_id: int) -> BulkResult:
    """An editor assigns every chosen claim to one person, or none of them."""
    picked = _picked(selection)
    with unit_of_work(session):
        require(active_user(session, actor_id), Permission.ASSIGN)
        assignee = session.get(User, assignee_id)
        if assignee is None or not assignee.is_active:
            raise ValidationFailed({"assignee": ["Choose an active user to assign the claims to."]})
        _lock_as_seen(session, picked)
        _each(picked, lambda p: workflow.assign_claim(session, actor_id, p.claim_id, assignee_id, p.version))
    return BulkResult([p.claim_id for p in picked], assignee.display_name)
