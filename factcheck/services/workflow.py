"""The claim workflow: status transitions, edits, evidence, comments.

    unverified --take/assign--> in_review --propose--> pending_approval
        ^                          ^                          |
        |                          +-------- send back -------+
        +------------- reopen (editor) <-- verified <-- approve (editor, not the proposer)

Every function here loads the claim FOR UPDATE, checks the rules in
``refusal`` (the one place they live), checks the version the user saw,
changes the claim and writes one history event per change, as one unit of
work (services/unit.py): it commits at the end, or joins the use case that
called it; on any refusal nothing is written.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..models import (
    PRIORITY_LABELS,
    QUALIFIERS,
    Article,
    Category,
    Claim,
    ClaimEvent,
    ClaimStatus,
    EventAction,
    Evidence,
    Stance,
    User,
    Verdict,
)
from .errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    QuoteNotFound,
    ServiceError,
    StaleClaim,
    ValidationFailed,
)
from . import evidence_details
from .articles import locate_quote
from .history import describe_changes, record_event
from .permissions import Permission, can
from .users import active_user
from .unit import unit_of_work
from .validation import http_url_problem, normalise_url

MAX_TEXT = 10_000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class ClaimAction(str, enum.Enum):
    TAKE = "take"
    ASSIGN = "assign"
    EDIT = "edit"
    ADD_EVIDENCE = "add_evidence"
    COMMENT = "comment"
    PROPOSE = "propose"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    REOPEN = "reopen"
    RELEASE = "release"


_ACTION_PERMISSION = {
    ClaimAction.TAKE: Permission.TAKE,
    ClaimAction.ASSIGN: Permission.ASSIGN,
    ClaimAction.EDIT: Permission.EDIT_CLAIM,
    ClaimAction.ADD_EVIDENCE: Permission.ADD_EVIDENCE,
    ClaimAction.COMMENT: Permission.COMMENT,
    ClaimAction.PROPOSE: Permission.PROPOSE_VERDICT,
    ClaimAction.APPROVE: Permission.APPROVE,
    ClaimAction.SEND_BACK: Permission.SEND_BACK,
    ClaimAction.REOPEN: Permission.REOPEN,
    # Releasing your own claim needs no more than taking it; someone else's needs
    # ASSIGN, checked in ``refusal``.
    ClaimAction.RELEASE: Permission.TAKE,
}

_PERMISSION_MESSAGE = {
    ClaimAction.ASSIGN: "Only editors can assign claims.",
    ClaimAction.APPROVE: "Only editors can approve verdicts.",
    ClaimAction.SEND_BACK: "Only editors can send a verdict back.",
    ClaimAction.REOPEN: "Only editors can reopen a verified claim.",
}

_OPEN = (ClaimStatus.UNVERIFIED, ClaimStatus.IN_REVIEW)


def refusal(action: ClaimAction, actor: User, claim: Claim) -> ServiceError | None:
    """Why ``actor`` may not do ``action`` to ``claim`` now, or None if they may."""
    if not can(actor, _ACTION_PERMISSION[action]):
        return PermissionDenied(_PERMISSION_MESSAGE.get(action, "You are not allowed to do that."))
    status = claim.status
    if action is ClaimAction.TAKE:
        if claim.assignee_id == actor.id and status is ClaimStatus.IN_REVIEW:
            return InvalidTransition("You already have this claim.")
        if status is ClaimStatus.IN_REVIEW and claim.assignee_id is not None:
            return InvalidTransition("Someone else is already reviewing this claim; ask an editor to reassign it.")
        if status not in _OPEN:
            return InvalidTransition(f"A claim that is {status.label.lower()} cannot be taken.")
    elif action is ClaimAction.ASSIGN:
        if status not in _OPEN:
            return InvalidTransition(f"A claim that is {status.label.lower()} cannot be assigned.")
    elif action in (ClaimAction.EDIT, ClaimAction.ADD_EVIDENCE):
        if status not in _OPEN:
            what = "edited" if action is ClaimAction.EDIT else "given new evidence"
            fix = "send it back" if status is ClaimStatus.PENDING_APPROVAL else "reopen it"
            return InvalidTransition(
                f"A claim that is {status.label.lower()} cannot be {what}; an editor must {fix} first."
            )
    elif action is ClaimAction.PROPOSE:
        if status is not ClaimStatus.IN_REVIEW:
            return InvalidTransition(
                f"A verdict can only be proposed for a claim in review (this one is {status.label.lower()})."
            )
        if claim.assignee_id != actor.id and not can(actor, Permission.ASSIGN):
            return PermissionDenied("Only the claim's reviewer or an editor can propose its verdict.")
    elif action is ClaimAction.APPROVE:
        if status is not ClaimStatus.PENDING_APPROVAL:
            return InvalidTransition(f"Only a proposed verdict can be approved (this claim is {status.label.lower()}).")
        if claim.proposed_by_id == actor.id:
            return PermissionDenied("You proposed this verdict; another editor must approve it.")
    elif action is ClaimAction.SEND_BACK:
        if status is not ClaimStatus.PENDING_APPROVAL:
            return InvalidTransition(f"Only a proposed verdict can be sent back (this claim is {status.label.lower()}).")
    elif action is ClaimAction.REOPEN:
        if status is not ClaimStatus.VERIFIED:
            return InvalidTransition(f"Only a verified claim can be reopened (this one is {status.label.lower()}).")
    elif action is ClaimAction.RELEASE:
        if status is not ClaimStatus.IN_REVIEW or claim.assignee_id is None:
            if status is ClaimStatus.PENDING_APPROVAL:
                return InvalidTransition(
                    "A claim whose verdict waits for approval cannot be released; an editor must send it back first."
                )
            return InvalidTransition("Only a claim someone is reviewing can be released.")
        if claim.assignee_id != actor.id and not can(actor, Permission.ASSIGN):
            return PermissionDenied("Only the claim's reviewer or an editor can release it.")
    return None


def available_actions(actor: User, claim: Claim) -> frozenset[ClaimAction]:
    """What the claim page offers this user now: exactly what the services would allow.

    ``actor`` needs only ``id``, ``role`` and ``is_active`` (the web layer passes its request's account)."""
    return frozenset(a for a in ClaimAction if refusal(a, actor, claim) is None)


def check_allowed(session: Session, actor_id: int, claim_id: int, action: ClaimAction) -> Claim:
    """The claim, if ``actor`` may do ``action`` to it now; otherwise the refusal is raised."""
    actor = active_user(session, actor_id)
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"No claim #{claim_id}.")
    _check(action, actor, claim)
    return claim


def check_evidence_change(session: Session, actor_id: int, evidence_id: int) -> Evidence:
    """The evidence, if ``actor`` may edit or remove it now; otherwise the refusal is raised."""
    actor = active_user(session, actor_id)
    evidence, _claim = _evidence_for_change(session, actor, evidence_id, lock=False)
    return evidence


def _check(action: ClaimAction, actor: User, claim: Claim) -> None:
    problem = refusal(action, actor, claim)
    if problem is not None:
        raise problem


# --- loading, versions, transactions ----------------------------------------


def _lock_claim(session: Session, claim_id: int) -> Claim:
    claim = session.execute(select(Claim).where(Claim.id == claim_id).with_for_update()).scalar_one_or_none()
    if claim is None:
        raise NotFound(f"No claim #{claim_id}.")
    return claim


EVENTS_SINCE_LIMIT = 50


def events_since(session: Session, claim_id: int, version: int, limit: int = EVENTS_SINCE_LIMIT) -> list[ClaimEvent]:
    """The first ``limit`` events after ``version``, oldest first, with their actors."""
    return list(
        session.execute(
            select(ClaimEvent)
            .where(ClaimEvent.claim_id == claim_id, ClaimEvent.claim_version > version)
            .options(joinedload(ClaimEvent.actor))
            .order_by(ClaimEvent.id)
            .limit(limit)
        ).scalars()
    )


def _check_version(session: Session, claim: Claim, expected_version: int | None) -> None:
    if expected_version is None or claim.version == expected_version:
        return
    changes = events_since(session, claim.id, expected_version)
    what = describe_changes(changes) if changes else "It moved on at the same moment as your change."
    raise StaleClaim(
        f"Claim #{claim.id} was changed by someone else since you loaded it: {what} Nothing of yours was saved.",
        current=claim,
        changes={"events": changes, "more": len(changes) >= EVENTS_SINCE_LIMIT},
    )


def _start(session: Session, actor_id: int, claim_id: int, action: ClaimAction, expected_version: int | None):
    """Lock the claim and check, in this order: the role may act at all; the user
    saw the current version (else they see what changed); the status allows it."""
    actor = active_user(session, actor_id)
    claim = _lock_claim(session, claim_id)
    if not can(actor, _ACTION_PERMISSION[action]):
        _check(action, actor, claim)
    _check_version(session, claim, expected_version)
    _check(action, actor, claim)
    return actor, claim


def _touch(claim: Claim) -> None:
    claim.updated_at = utcnow()


# --- transitions --------------------------------------------------------------


def take_claim(session: Session, actor_id: int, claim_id: int, expected_version: int | None = None) -> Claim:
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.TAKE, expected_version)
        before = claim.status
        claim.assignee_id = actor.id
        claim.status = ClaimStatus.IN_REVIEW
        _touch(claim)
        record_event(
            session, claim, EventAction.TAKEN, actor_id=actor.id, from_status=before, to_status=claim.status
        )
    return claim


def assign_claim(
    session: Session, actor_id: int, claim_id: int, assignee_id: int, expected_version: int | None = None
) -> Claim:
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.ASSIGN, expected_version)
        assignee = session.get(User, assignee_id)
        if assignee is None or not assignee.is_active:
            raise ValidationFailed({"assignee": ["Choose an active user to assign the claim to."]})
        if claim.assignee_id == assignee.id and claim.status is ClaimStatus.IN_REVIEW:
            raise InvalidTransition(f"The claim is already assigned to {assignee.display_name}.")
        before = claim.status
        previous = claim.assignee_id
        claim.assignee_id = assignee.id
        claim.status = ClaimStatus.IN_REVIEW
        _touch(claim)
        record_event(
            session,
            claim,
            EventAction.ASSIGNED,
            actor_id=actor.id,
            from_status=before,
            to_status=claim.status,
            details={
                "assignee_id": assignee.id,
                "assignee": assignee.username,
                "assignee_name": assignee.display_name,
                "previous_assignee_id": previous,
            },
        )
    return claim


def release_claim(
    session: Session, actor_id: int, claim_id: int, expected_version: int | None = None, comment: str | None = None
) -> Claim:
    """Give a claim back to the queue: nobody holds it and anyone may take it.

    Its reviewer may release it, an editor anyone's. The status goes back to
    unverified (the state before take/assign); a draft verdict, rationale and
    evidence stay for whoever takes it next.
    """
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.RELEASE, expected_version)
        comment = (comment or "").strip() or None
        if comment and len(comment) > MAX_TEXT:
            raise ValidationFailed({"comment": [f"Use at most {MAX_TEXT:,} characters."]})
        before = claim.status
        previous = claim.assignee
        claim.assignee_id = None
        claim.status = ClaimStatus.UNVERIFIED
        _touch(claim)
        record_event(
            session,
            claim,
            EventAction.UNASSIGNED,
            actor_id=actor.id,
            from_status=before,
            to_status=claim.status,
            comment=comment,
            details={
                "previous_assignee_id": previous.id,
                "previous_assignee": previous.username,
                "previous_assignee_name": previous.display_name,
            },
        )
    return claim


def _required_text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed({field: [message]})
    if len(value) > MAX_TEXT:
        raise ValidationFailed({field: [f"Use at most {MAX_TEXT:,} characters."]})
    return value


def evidence_count(session: Session, claim_id: int) -> int:
    return session.execute(
        select(func.count()).select_from(Evidence).where(Evidence.claim_id == claim_id)
    ).scalar_one()


def propose_verdict(
    session: Session,
    actor_id: int,
    claim_id: int,
    verdict: Verdict | str,
    rationale: str,
    expected_version: int | None = None,
) -> Claim:
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.PROPOSE, expected_version)
        errors: dict[str, list[str]] = {}
        try:
            verdict = Verdict(verdict)
        except ValueError:
            errors["verdict"] = ["Choose a verdict."]
        rationale = (rationale or "").strip()
        if not rationale:
            errors["rationale"] = ["Explain the verdict: a rationale is required."]
        elif len(rationale) > MAX_TEXT:
            errors["rationale"] = [f"Use at most {MAX_TEXT:,} characters."]
        if evidence_count(session, claim.id) == 0:
            errors["evidence"] = ["Add at least one evidence link before proposing a verdict."]
        if errors:
            raise ValidationFailed(errors)
        before = claim.status
        claim.verdict = verdict
        claim.rationale = rationale
        claim.proposed_by_id = actor.id
        claim.proposed_at = utcnow()
        claim.status = ClaimStatus.PENDING_APPROVAL
        _touch(claim)
        record_event(
            session,
            claim,
            EventAction.VERDICT_PROPOSED,
            actor_id=actor.id,
            from_status=before,
            to_status=claim.status,
            comment=rationale,
            details={"verdict": verdict.value},
        )
    return claim


def approve_verdict(session: Session, actor_id: int, claim_id: int, expected_version: int | None = None) -> Claim:
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.APPROVE, expected_version)
        before = claim.status
        claim.status = ClaimStatus.VERIFIED
        claim.approved_by_id = actor.id
        claim.verified_at = utcnow()
        _touch(claim)
        record_event(
            session,
            claim,
            EventAction.APPROVED,
            actor_id=actor.id,
            from_status=before,
            to_status=claim.status,
            details={"verdict": claim.verdict.value if claim.verdict else None},
        )
    return claim


def send_back(
    session: Session, actor_id: int, claim_id: int, comment: str, expected_version: int | None = None
) -> Claim:
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.SEND_BACK, expected_version)
        comment = _required_text(comment, "comment", "Say why the verdict goes back: a comment is required.")
        before = claim.status
        # The proposal stays as a draft for the reviewer to revise; proposed_by
        # keeps naming its author until the next proposal.
        claim.status = ClaimStatus.IN_REVIEW
        _touch(claim)
        record_event(
            session, claim, EventAction.SENT_BACK, actor_id=actor.id, from_status=before, to_status=claim.status,
            comment=comment,
        )
    return claim


def reopen_claim(
    session: Session, actor_id: int, claim_id: int, comment: str, expected_version: int | None = None
) -> Claim:
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.REOPEN, expected_version)
        comment = _required_text(comment, "comment", "Say why the claim is reopened: a comment is required.")
        before = claim.status
        claim.status = ClaimStatus.IN_REVIEW
        claim.approved_by_id = None
        claim.verified_at = None
        _touch(claim)
        record_event(
            session, claim, EventAction.REOPENED, actor_id=actor.id, from_status=before, to_status=claim.status,
            comment=comment,
        )
    return claim


def add_comment(session: Session, actor_id: int, claim_id: int, text: str) -> ClaimEvent:
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        claim = _lock_claim(session, claim_id)
        _check(ClaimAction.COMMENT, actor, claim)
        text = _required_text(text, "comment", "Write a comment first.")
        event = record_event(session, claim, EventAction.COMMENTED, actor_id=actor.id, comment=text)
    return event


# --- creating and editing claims ----------------------------------------------


@dataclass(frozen=True)
class ClaimFields:
    """The fields a person edits on a claim. ``priority`` None means "leave as it is"."""

    statement: str
    category: Category | str
    claimant: str | None = None
    quantity_value: Decimal | str | None = None
    quantity_unit: str | None = None
    quantity_qualifier: str | None = None
    hedged: bool = False
    hedge_note: str | None = None
    priority: int | None = None


def _clean_fields(data: ClaimFields) -> dict[str, Any]:
    """Checked, normalised column values; ValidationFailed naming each bad field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    statement = (data.statement or "").strip()
    if not statement:
        errors["statement"] = ["State the claim in a sentence."]
    elif len(statement) > MAX_TEXT:
        errors["statement"] = [f"Use at most {MAX_TEXT:,} characters."]
    out["statement"] = statement
    try:
        out["category"] = Category(data.category)
    except ValueError:
        errors["category"] = ["Choose a category."]
    out["claimant"] = (data.claimant or "").strip() or None
    if out["claimant"] and len(out["claimant"]) > 200:
        errors["claimant"] = ["Use at most 200 characters."]
    value = data.quantity_value
    if isinstance(value, str):
        value = value.strip().replace(",", "") or None
    if value is not None:
        try:
            value = Decimal(str(value))
            if not value.is_finite() or abs(value) >= Decimal("1e16"):
                raise InvalidOperation
            value = value.quantize(Decimal("0.0001"))
        except InvalidOperation:
            errors["quantity_value"] = ["Give the figure as a number, e.g. 1500 or 2.5."]
            value = None
    out["quantity_value"] = value
    unit = (data.quantity_unit or "").strip() or None
    qualifier = (data.quantity_qualifier or "").strip() or None
    if unit and len(unit) > 60:
        errors["quantity_unit"] = ["Use at most 60 characters."]
    if qualifier and qualifier not in QUALIFIERS:
        errors["quantity_qualifier"] = [f"Choose one of: {', '.join(QUALIFIERS)}."]
    if value is None and (unit or qualifier) and "quantity_value" not in errors:
        errors["quantity_value"] = ["A unit or qualifier needs a figure."]
    out["quantity_unit"], out["quantity_qualifier"] = unit, qualifier
    out["hedged"] = bool(data.hedged)
    out["hedge_note"] = (data.hedge_note or "").strip() or None
    if out["hedge_note"] and len(out["hedge_note"]) > 300:
        errors["hedge_note"] = ["Use at most 300 characters."]
    if data.priority is not None:
        if data.priority not in PRIORITY_LABELS:
            errors["priority"] = ["Choose a priority."]
        out["priority"] = data.priority
    if errors:
        raise ValidationFailed(errors)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (Decimal, date, datetime)):
        return str(value)
    return value


def create_claim(
    session: Session,
    actor_id: int,
    article_id: int,
    quote: str,
    fields_: ClaimFields,
    occurrence: int | None = None,
    *,
    source: str = "manual",
) -> Claim:
    """A claim on the exact words ``quote`` of the article; the span is found here, never trusted from the client."""
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        article = session.get(Article, article_id)
        if article is None:
            raise NotFound(f"No article #{article_id}.")
        try:
            placed = locate_quote(article.body, quote or "", occurrence)
        except QuoteNotFound as exc:
            _clean_fields(fields_)  # report the other fields' problems too
            raise ValidationFailed({"quote": [_quote_problem(exc)]}) from exc
        claim = new_claim(session, actor, article, placed, fields_, source=source)
    return claim


def new_claim(session: Session, actor: User, article: Article, span: tuple[int, int], fields_: ClaimFields, *, source: str) -> Claim:
    """Add a claim on ``article.body[span]`` with its creation event; the caller commits."""
    if not can(actor, Permission.CREATE_CLAIMS):
        raise PermissionDenied("You are not allowed to create claims.")
    start, end = span
    if not (0 <= start < end <= len(article.body)):
        raise ValidationFailed({"quote": ["That part of the article does not exist."]})
    if fields_.priority is not None and not can(actor, Permission.SET_PRIORITY):
        fields_ = replace(fields_, priority=None)  # a reviewer's new claim gets the default
    return insert_claim(session, article, span, _clean_fields(fields_), actor_id=actor.id, source=source)


def insert_claim(
    session: Session, article: Article, span: tuple[int, int], values: dict[str, Any], *, actor_id: int | None, source: str
) -> Claim:
    """Add an unverified claim on ``article.body[span]`` and its creation event.

    No permission or field checks and no commit: for callers that did both
    (new_claim, and the seed loader, which checks its catalogue itself).
    """
    start, end = span
    claim = Claim(
        article_id=article.id,
        quote=article.body[start:end],
        span_start=start,
        span_end=end,
        status=ClaimStatus.UNVERIFIED,
        created_by_id=actor_id,
        **values,
    )
    session.add(claim)
    session.flush()
    record_event(
        session,
        claim,
        EventAction.CREATED,
        actor_id=actor_id,
        to_status=ClaimStatus.UNVERIFIED,
        details={"source": source, "span": [start, end]},
    )
    return claim


def _quote_problem(exc: QuoteNotFound) -> str:
    """What the claim form says beside the quote."""
    if exc.reason == QuoteNotFound.AMBIGUOUS:
        return f"These words occur {exc.occurrences} times in the article; give the occurrence (1 to {exc.occurrences})."
    if exc.reason == QuoteNotFound.NO_SUCH_OCCURRENCE:
        return "There is no such occurrence of these words in the article."
    if exc.reason == QuoteNotFound.MISSING:
        return "These exact words are not in the article. Copy them from the text (quotes and apostrophes included)."
    return "Give the exact words of the claim."


def edit_claim(
    session: Session, actor_id: int, claim_id: int, fields_: ClaimFields, expected_version: int
) -> Claim:
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.EDIT, expected_version)
        values = _clean_fields(fields_)
        if "priority" in values and values["priority"] != claim.priority and not can(actor, Permission.SET_PRIORITY):
            raise PermissionDenied("Only editors can change a claim's priority.")
        changes = {
            name: [_jsonable(getattr(claim, name)), _jsonable(new)]
            for name, new in values.items()
            if getattr(claim, name) != new
        }
        if not changes:
            return claim
        for name, new in values.items():
            setattr(claim, name, new)
        _touch(claim)
        record_event(session, claim, EventAction.EDITED, actor_id=actor.id, details={"changes": changes})
    return claim


# --- evidence ---------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceFields:
    url: str
    title: str | None  # blank: the link stands for it (and the page's own may be filled in)
    stance: Stance | str
    publisher: str | None = None
    archive_url: str | None = None
    accessed_on: date | None = None
    note: str | None = None
    published_on: date | None = None  # the page's own date


def _clean_evidence(data: EvidenceFields) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    url = normalise_url(data.url or "")
    problem = http_url_problem(url)
    if problem:
        errors["url"] = [problem]
    archive = normalise_url(data.archive_url or "") or None
    if archive:
        problem = http_url_problem(archive)
        if problem:
            errors["archive_url"] = [problem]
    # A blank title is the link itself until the page's own is filled in
    # (services/evidence_details.py fills in a title still equal to the link).
    title = (data.title or "").strip() or url[:300]
    if len(title) > 300:
        errors["title"] = ["Use at most 300 characters."]
    publisher = (data.publisher or "").strip() or None
    if publisher and len(publisher) > 200:
        errors["publisher"] = ["Use at most 200 characters."]
    try:
        stance = Stance(data.stance)
    except ValueError:
        errors["stance"] = ["Choose whether it supports, refutes or gives context."]
        stance = None
    if data.accessed_on and data.accessed_on > date.today():
        errors["accessed_on"] = ["The access date cannot be in the future."]
    if data.published_on and data.published_on > date.today():
        errors["published_on"] = ["The page's date cannot be in the future."]
    note = (data.note or "").strip() or None
    if note and len(note) > MAX_TEXT:
        errors["note"] = [f"Use at most {MAX_TEXT:,} characters."]
    if errors:
        raise ValidationFailed(errors)
    return {
        "url": url,
        "title": title,
        "publisher": publisher,
        "stance": stance,
        "archive_url": archive,
        "accessed_on": data.accessed_on,
        "published_on": data.published_on,
        "note": note,
    }


def add_evidence(
    session: Session, actor_id: int, claim_id: int, data: EvidenceFields, *, fill_from_page: bool = False
) -> Evidence:
    """Add evidence as given. With ``fill_from_page`` (a reviewer adding a link), a
    title, publisher or date left blank is filled in from the page later, by a job
    of `factcheck worker` queued in this transaction: the request never waits on
    the page's site."""
    with unit_of_work(session):
        actor, claim = _start(session, actor_id, claim_id, ClaimAction.ADD_EVIDENCE, None)
        values = _clean_evidence(data)
        evidence = Evidence(claim_id=claim.id, added_by_id=actor.id, **values)
        wanted = fill_from_page and evidence_details.blank_details(evidence)
        if wanted:
            evidence.details_status = evidence_details.PENDING
        session.add(evidence)
        _touch(claim)
        session.flush()
        _evidence_added(session, claim, actor.id, evidence)
        if wanted:
            evidence_details.queue_fill(session, evidence)
    return evidence


def _evidence_added(session: Session, claim: Claim, actor_id: int, evidence: Evidence, **more) -> None:
    """The history row for evidence that joined the claim (added, or restored with ``more``)."""
    details = {"evidence_id": evidence.id, "url": evidence.url, "title": evidence.title, "stance": evidence.stance.value}
    record_event(session, claim, EventAction.EVIDENCE_ADDED, actor_id=actor_id, details={**details, **more})


def _evidence_for_change(
    session: Session, actor: User, evidence_id: int, lock: bool = True
) -> tuple[Evidence, Claim]:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"No evidence #{evidence_id}.")
    claim = _lock_claim(session, evidence.claim_id) if lock else session.get(Claim, evidence.claim_id)
    _check(ClaimAction.ADD_EVIDENCE, actor, claim)
    if evidence.added_by_id != actor.id and not can(actor, Permission.ASSIGN):
        raise PermissionDenied("Only the person who added this evidence or an editor can change it.")
    return evidence, claim


def update_evidence(session: Session, actor_id: int, evidence_id: int, data: EvidenceFields) -> Evidence:
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        evidence, claim = _evidence_for_change(session, actor, evidence_id)
        values = _clean_evidence(data)
        changes = {
            name: [_jsonable(getattr(evidence, name)), _jsonable(new)]
            for name, new in values.items()
            if getattr(evidence, name) != new
        }
        if not changes:
            return evidence
        for name, new in values.items():
            setattr(evidence, name, new)
        evidence.updated_at = utcnow()
        _touch(claim)
        record_event(
            session,
            claim,
            EventAction.EVIDENCE_EDITED,
            actor_id=actor.id,
            details={"evidence_id": evidence.id, "changes": changes},
        )
    return evidence


def remove_evidence(session: Session, actor_id: int, evidence_id: int) -> ClaimEvent:
    """Remove evidence from its claim; the returned history event keeps the whole
    record, so ``restore_evidence`` can undo the removal."""
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        evidence, claim = _evidence_for_change(session, actor, evidence_id)
        removed = {
            "evidence_id": evidence.id,
            "url": evidence.url,
            "title": evidence.title,
            "stance": evidence.stance.value,
            # Everything else too, so that the removal can be undone (restore_evidence).
            "record": {name: _jsonable(getattr(evidence, name)) for name in _RESTORED_COLUMNS},
        }
        session.delete(evidence)
        _touch(claim)
        event = record_event(session, claim, EventAction.EVIDENCE_REMOVED, actor_id=actor.id, details=removed)
        session.flush()
    return event


_RESTORED_COLUMNS = ("publisher", "archive_url", "accessed_on", "published_on", "note", "added_by_id", "created_at")


def removal_event(session: Session, claim_id: int, event_id: int) -> ClaimEvent:
    """The event that removed evidence from this claim; NotFound for any other event."""
    event = session.get(ClaimEvent, event_id)
    if event is None or event.claim_id != claim_id or event.action != EventAction.EVIDENCE_REMOVED.value:
        raise NotFound(f"Claim #{claim_id} has no removed evidence #{event_id}.")
    return event


def restorable(event: ClaimEvent, evidence_ids: set[int]) -> bool:
    """Whether a removal can be undone as far as the page can tell: it kept the
    whole record and the evidence is not back already (restore_evidence checks
    the rest under the claim's lock)."""
    return "record" in (event.details or {}) and event.details.get("evidence_id") not in evidence_ids


def restore_evidence(session: Session, actor_id: int, claim_id: int, removed_event_id: int) -> Evidence:
    """Undo a removal: the evidence comes back as it was, under its own id, with a
    history event. Who may remove it may restore it, while the claim is open; a
    removal that a later change of the same evidence superseded is refused."""
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        claim = _lock_claim(session, claim_id)
        event = removal_event(session, claim_id, removed_event_id)
        _check(ClaimAction.ADD_EVIDENCE, actor, claim)
        details = event.details or {}
        record = details.get("record")
        if record is None:
            raise InvalidTransition("This evidence was removed before removals could be undone; add it again instead.")
        evidence_id = details["evidence_id"]
        if session.get(Evidence, evidence_id) is not None:
            raise InvalidTransition("This evidence is already back.")
        later = session.execute(
            select(ClaimEvent.id)
            .where(
                ClaimEvent.claim_id == claim_id,
                ClaimEvent.created_at >= event.created_at,
                ClaimEvent.id > event.id,
                ClaimEvent.action == EventAction.EVIDENCE_REMOVED.value,
                ClaimEvent.details["evidence_id"].as_integer() == evidence_id,
            )
            .limit(1)
        ).first()
        if later is not None:
            raise InvalidTransition("This evidence was restored and removed again since; undo the latest removal instead.")
        if record.get("added_by_id") != actor.id and not can(actor, Permission.ASSIGN):
            raise PermissionDenied("Only the person who added this evidence or an editor can restore it.")
        evidence = Evidence(
            id=evidence_id,
            claim_id=claim.id,
            url=details["url"],
            title=details["title"],
            stance=Stance(details["stance"]),
            publisher=record.get("publisher"),
            archive_url=record.get("archive_url"),
            accessed_on=date.fromisoformat(record["accessed_on"]) if record.get("accessed_on") else None,
            published_on=date.fromisoformat(record["published_on"]) if record.get("published_on") else None,
            note=record.get("note"),
            added_by_id=record.get("added_by_id"),
            created_at=datetime.fromisoformat(record["created_at"]) if record.get("created_at") else utcnow(),
            updated_at=utcnow(),
        )
        session.add(evidence)
        _touch(claim)
        session.flush()
        _evidence_added(session, claim, actor.id, evidence, restored_from_event_id=event.id)
    return evidence


def get_evidence(session: Session, evidence_id: int) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(f"No evidence #{evidence_id}.")
    return evidence
