"""E-mail notifications: a reviewer hears that a claim was assigned or sent back to
them, the editors that a proposed verdict waits for approval (issue 15).

Sent by the worker (task ``factcheck:send_email``), never in the web request,
through the SMTP server of FACTCHECK_SMTP_* (config.smtp_settings); without
FACTCHECK_SMTP_HOST nothing is queued. A user needs an address and may turn
notifications off on their account page; nobody is told of their own action.
A message's Message-ID is made from the event and the user, so a repeat after
a worker crash can be recognised.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import SmtpSettings
from ..models import Claim, Event, EventType, Role, User
from . import jobs
from .unit import unit_of_work

NOTIFIED = (EventType.CLAIM_ASSIGNED.value, EventType.CLAIM_SENT_BACK.value, EventType.CLAIM_PROPOSED.value)
SMTP_TIMEOUT = 10.0


def _wants_mail():
    return (User.is_active.is_(True), User.email.is_not(None), User.email_notifications.is_(True))


def recipients(session: Session, event: Event) -> list[User]:
    """Who is told of ``event`` by e-mail (never its actor)."""
    if event.type not in NOTIFIED:
        return []
    payload = event.payload or {}
    if event.type == EventType.CLAIM_PROPOSED.value:
        who = User.role.in_([Role.EDITOR, Role.ADMIN])
    else:
        if event.type == EventType.CLAIM_ASSIGNED.value:
            user_id = (payload.get("details") or {}).get("assignee_id")
        else:  # sent back: to the claim's reviewer
            user_id = (payload.get("claim") or {}).get("assignee_id")
        if user_id is None:
            return []
        who = User.id == user_id
    stmt = select(User).where(who, *_wants_mail()).order_by(User.id)
    if event.actor_id is not None:
        stmt = stmt.where(User.id != event.actor_id)
    return list(session.execute(stmt).scalars())


def queue_emails(session: Session, event: Event) -> int:
    """One ``send_email`` job per recipient, in the caller's transaction."""
    people = recipients(session, event)
    for user in people:
        jobs.defer(session, jobs.SEND_EMAIL, event_id=str(event.id), user_id=user.id)
    return len(people)


def compose(event: Event, user: User, claim: Claim | None, actor: User | None, sender: str, public_url: str | None) -> EmailMessage:
    payload = event.payload or {}
    claim_id = event.claim_id
    statement = claim.statement if claim is not None else (payload.get("claim") or {}).get("statement", "")
    who = actor.display_name if actor is not None else "Someone"
    if event.type == EventType.CLAIM_ASSIGNED.value:
        subject = f"Claim #{claim_id} was assigned to you"
        opening = f"{who} assigned claim #{claim_id} to you."
    elif event.type == EventType.CLAIM_SENT_BACK.value:
        subject = f"Claim #{claim_id} was sent back to you"
        opening = f"{who} sent the proposed verdict of claim #{claim_id} back to you:\n\n  {payload.get('comment') or ''}"
    else:
        subject = f"Claim #{claim_id} waits for approval"
        verdict = (payload.get("details") or {}).get("verdict")
        opening = f"{who} proposed the verdict {verdict!s} for claim #{claim_id}; an editor other than them must approve it."
    lines = [f"Hello {user.display_name},", "", opening, "", f"The claim: {statement}"]
    if public_url and claim_id is not None:
        lines += ["", f"Open it: {public_url.rstrip('/')}/claims/{claim_id}"]
    lines += ["", "--", "You get these e-mails because notifications are on in your account; turn them off there."]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = user.email
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    domain = sender.rsplit("@", 1)[-1] or "factcheck"
    message["Message-ID"] = f"<{event.id}.{user.id}@{domain}>"
    message.set_content("\n".join(lines))
    return message


def send(smtp: SmtpSettings, message: EmailMessage) -> None:
    """Hand ``message`` to the SMTP server (time-limited); raises on any failure (the job retries)."""
    if smtp.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT)
    with client:
        if smtp.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)


def send_notification(
    session: Session, event_id: str, user_id: int, smtp: SmtpSettings, public_url: str | None
) -> dict[str, Any]:
    """Compose and send one notification; skipped when the user turned them off since."""
    with unit_of_work(session):
        event = session.get(Event, uuid.UUID(event_id))
        user = session.get(User, user_id)
        if event is None or user is None or not (user.is_active and user.email and user.email_notifications):
            return {"event_id": event_id, "user_id": user_id, "skipped": True}
        claim = session.get(Claim, event.claim_id) if event.claim_id is not None else None
        actor = session.get(User, event.actor_id) if event.actor_id is not None else None
        message = compose(event, user, claim, actor, smtp.sender, public_url)
    send(smtp, message)  # no transaction open while the mail server answers
    return {"event_id": event_id, "event_type": event.type, "user_id": user_id, "sent": True}


# --- a user's own settings ------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+$")


def update_settings(session: Session, actor_id: int, email: str | None, enabled: bool) -> User:
    """A user sets their own address and turns notifications on or off."""
    from .errors import ValidationFailed
    from .users import active_user

    with unit_of_work(session):
        user = active_user(session, actor_id)
        email = (email or "").strip() or None
        if email is not None and (len(email) > 254 or not _EMAIL.match(email)):
            raise ValidationFailed({"email": ["Give an e-mail address such as name@example.org."]})
        if enabled and email is None:
            raise ValidationFailed({"email": ["Give an address to receive notifications, or turn them off."]})
        user.email = email
        user.email_notifications = bool(enabled)
    return user


def settings_of(session: Session, user_id: int) -> tuple[str | None, bool]:
    """(address, notifications on) as the account page shows them."""
    email, enabled = session.execute(select(User.email, User.email_notifications).where(User.id == user_id)).one()
    return email, bool(enabled and email)
