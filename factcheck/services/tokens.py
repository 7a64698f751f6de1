"""Personal access tokens: make, list, revoke, and recognise them (issue 15).

A token is ``fct_`` followed by 43 characters of URL-safe base64 (256 random
bits). Only its SHA-256 is stored: a fast hash is enough for a secret with
that much entropy (no dictionary to try), and it lets every API request find
its token through one unique-index lookup. The plain token is returned once,
by ``create_token``; nothing can show it again.

A token acts as its user, with the user's role, through the same services;
its scope only narrows that: a read token may not change anything (the API
checks ``can_write`` before any write). A deactivated user's tokens stop
working with the account, and come back if it is reactivated (revoke them to
end them for good).

``last_used_at`` is written at most once a minute per token (a conditional
UPDATE that touches no row otherwise), so a busy client does not turn every
read into a write.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..models import ApiToken, TokenScope, User
from .errors import InvalidTransition, NotFound, ServiceError, ValidationFailed
from .permissions import Permission, can
from .unit import unit_of_work
from .users import active_user, get_by_username

PREFIX = "fct_"
_SHAPE = re.compile(r"fct_[A-Za-z0-9_-]{43}")
DISPLAY_CHARS = 8  # of the random part kept in clear, after the prefix
MAX_NAME = 100
MAX_EXPIRY_DAYS = 3650
MAX_ACTIVE_TOKENS = 50  # per user: a bound on the account page's list, and on what a leak can hide among
LAST_USED_EVERY = timedelta(minutes=1)

_TOUCH = text(
    "UPDATE api_tokens SET last_used_at = :now WHERE id = :id "
    "AND (last_used_at IS NULL OR last_used_at < :stale)"
)


class TokenRefused(ServiceError):
    """The presented token is unknown, malformed, revoked or expired, or its user is inactive.

    ``reason`` is for logs and tests (malformed, unknown, revoked, expired,
    inactive); a client is told only that the token was not accepted.
    """

    def __init__(self, reason: str):
        super().__init__("The access token was not accepted (unknown, revoked or expired).")
        self.reason = reason


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def token_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the row, and the plain token to show once."""

    token: ApiToken
    plain: str


def check_token_fields(name: str | None, scope: str | None, expires_days: int | None) -> dict[str, list[str]]:
    """Field problems of a new token (empty when fine): the one place these rules live."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the token a name (what uses it, e.g. “CMS sync”)."]
    elif len(name) > MAX_NAME:
        errors["name"] = [f"Use at most {MAX_NAME} characters."]
    if scope not in {s.value for s in TokenScope}:
        errors["scope"] = ["Choose read or write."]
    if expires_days is not None and not (isinstance(expires_days, int) and 1 <= expires_days <= MAX_EXPIRY_DAYS):
        errors["expires_days"] = [f"Give a number of days from 1 to {MAX_EXPIRY_DAYS}, or none for no expiry."]
    return errors


def _new(session: Session, owner: User, name: str | None, scope: str | None, expires_days: int | None) -> NewToken:
    errors = check_token_fields(name, scope, expires_days)
    if errors:
        raise ValidationFailed(errors)
    if not owner.is_active:
        raise InvalidTransition(f"{owner.username!r} is not active; activate the account first.")
    active = session.execute(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == owner.id, ApiToken.revoked_at.is_(None))
        .where((ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > func.now()))
    ).scalar_one()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationFailed({"": [f"{owner.username!r} has {active} tokens in use; revoke one first."]})
    body = secrets.token_urlsafe(32)
    plain = PREFIX + body
    now = utcnow()
    token = ApiToken(
        user_id=owner.id,
        name=(name or "").strip(),
        scope=scope,
        token_hash=token_hash(plain),
        display_prefix=PREFIX + body[:DISPLAY_CHARS],
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    session.add(token)
    session.flush()
    return NewToken(token, plain)


def create_token(
    session: Session, actor_id: int, *, name: str | None, scope: str | None, expires_days: int | None = None
) -> NewToken:
    """A new token for the acting user (the account page)."""
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        made = _new(session, actor, name, scope, expires_days)
    return made


def create_token_for(
    session: Session, username: str, *, name: str | None, scope: str | None, expires_days: int | None = None
) -> NewToken:
    """A new token for USERNAME, with the machine's authority (the command line)."""
    with unit_of_work(session):
        owner = get_by_username(session, username)
        made = _new(session, owner, name, scope, expires_days)
    return made


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens, newest first: those in use, then the most recent revoked or expired ones.

    At most MAX_ACTIVE_TOKENS are in use at once, and the list shows as many
    ended ones, so it is bounded without paging."""
    return list(
        session.execute(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc()).limit(2 * MAX_ACTIVE_TOKENS)
        ).scalars()
    )


def list_tokens_for(session: Session, username: str) -> tuple[User, list[ApiToken]]:
    owner = get_by_username(session, username)
    return owner, list_tokens(session, owner.id)


def _revoke(session: Session, token_id: int, allowed) -> ApiToken:
    token = session.execute(select(ApiToken).where(ApiToken.id == token_id).with_for_update()).scalar_one_or_none()
    if token is None or not allowed(token):
        raise NotFound(f"No token #{token_id}.")  # another user's token is not revealed to exist
    if token.revoked_at is not None:
        raise InvalidTransition(f"Token #{token_id} ({token.display_prefix}…) is already revoked.")
    token.revoked_at = utcnow()
    session.flush()
    return token


def revoke_token(session: Session, actor_id: int, token_id: int) -> ApiToken:
    """Revoke one of the actor's tokens (an administrator may revoke anyone's)."""
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        token = _revoke(session, token_id, lambda t: t.user_id == actor.id or can(actor, Permission.MANAGE_USERS))
    return token


def revoke_token_by_id(session: Session, token_id: int) -> ApiToken:
    """Revoke any token, with the machine's authority (the command line)."""
    with unit_of_work(session):
        token = _revoke(session, token_id, lambda t: True)
    return token


@dataclass(frozen=True)
class TokenIdentity:
    """Who an API request acts as."""

    token_id: int
    user_id: int
    scope: str
    user: User

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE.value


def authenticate(session: Session, presented: str | None, now: datetime | None = None) -> TokenIdentity:
    """The identity behind a presented token; TokenRefused when it does not open anything."""
    if not isinstance(presented, str) or not _SHAPE.fullmatch(presented):
        raise TokenRefused("malformed")
    now = now or utcnow()
    with unit_of_work(session):
        row = session.execute(
            select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == token_hash(presented))
        ).first()
        if row is None:
            raise TokenRefused("unknown")
        token, user = row
        if token.revoked_at is not None:
            raise TokenRefused("revoked")
        if token.expires_at is not None and token.expires_at <= now:
            raise TokenRefused("expired")
        if not user.is_active:
            raise TokenRefused("inactive")
        identity = TokenIdentity(token.id, user.id, token.scope, user)
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_EVERY:
            session.execute(_TOUCH, {"now": now, "id": token.id, "stale": now - LAST_USED_EVERY})
    return identity
