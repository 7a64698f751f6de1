"""Accounts: creation, the first admin, authentication with per-account lock-out."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Role, User
from . import passwords
from .errors import AccountLocked, LoginFailed, NotFound, ValidationFailed

log = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
LOCKOUT_THRESHOLD = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
LOCKOUT_DURATION = timedelta(minutes=15)
GENERIC_LOGIN_FAILURE = "Invalid username or password."


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def find_by_username(session: Session, username: str) -> User | None:
    return session.execute(
        select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user #{user_id}.")
    return user


def validate_new_user(username: str, display_name: str, password: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not USERNAME_RE.match(username):
        errors["username"] = [
            "Use 1-64 letters, digits, dots, dashes or underscores (no spaces)."
        ]
    if not display_name.strip():
        errors["display_name"] = ["Give a display name."]
    elif len(display_name) > 120:
        errors["display_name"] = ["Use at most 120 characters."]
    problems = passwords.password_problems(password, username)
    if problems:
        errors["password"] = problems
    return errors


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
) -> User:
    """Create an account; ValidationFailed (nothing written) when any field is refused."""
    username = username.strip()
    display_name = (display_name or username).strip()
    errors = validate_new_user(username, display_name, password)
    if not errors and find_by_username(session, username) is not None:
        errors["username"] = [f"The username {username!r} is taken."]
    if errors:
        raise ValidationFailed(errors)
    user = User(
        username=username,
        display_name=display_name,
        password_hash=passwords.hash_password(password),
        role=role,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:  # a concurrent creation of the same name
        session.rollback()
        raise ValidationFailed({"username": [f"The username {username!r} is taken."]}) from exc
    return user


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    password: str


def ensure_first_admin(session: Session, username: str = "admin") -> FirstAdmin | None:
    """Create an admin with a generated password when no account exists at all.

    Returns the credentials once (to be printed once); None when users exist.
    Serialised with an advisory lock so two starting processes create one admin.
    """
    session.execute(select(func.pg_advisory_xact_lock(0x6661637463686B)))  # "factchk"
    if session.execute(select(func.count()).select_from(User)).scalar_one() > 0:
        session.rollback()
        return None
    password = secrets.token_urlsafe(18)
    session.add(
        User(
            username=username,
            display_name="Administrator",
            password_hash=passwords.hash_password(password),
            role=Role.ADMIN,
        )
    )
    session.commit()
    return FirstAdmin(username, password)


def authenticate(session: Session, username: str, password: str, *, now: datetime | None = None) -> User:
    """The user whose credentials these are, or LoginFailed / AccountLocked.

    Wrong username and wrong password raise the same message after the same
    amount of hashing work. Failures are counted per account in PostgreSQL
    (never in a worker's memory), whatever address they come from.
    """
    now = now or utcnow()
    user = session.execute(
        select(User)
        .where(func.lower(User.username) == username.strip().lower())
        .with_for_update()
    ).scalar_one_or_none()

    if user is None or not user.is_active:
        passwords.burn_verification_time(password)
        session.rollback()
        raise LoginFailed(GENERIC_LOGIN_FAILURE)

    if user.locked_until is not None and user.locked_until > now:
        passwords.burn_verification_time(password)
        session.rollback()
        raise AccountLocked(_locked_message(user.locked_until, now), user.locked_until)

    if not passwords.verify_password(user.password_hash, password):
        locked_until = _count_failure(user, now)
        session.commit()
        if locked_until is not None:
            log.warning(
                "account locked: user=%s until=%s after %d failed log-ins",
                user.username,
                locked_until.isoformat(),
                LOCKOUT_THRESHOLD,
            )
            raise AccountLocked(_locked_message(locked_until, now), locked_until)
        raise LoginFailed(GENERIC_LOGIN_FAILURE)

    user.failed_login_count = 0
    user.first_failed_login_at = None
    user.locked_until = None
    user.last_login_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session.commit()
    return user


def _count_failure(user: User, now: datetime) -> datetime | None:
    """Record one failed attempt; return the lock-out end if this one locks the account."""
    window_start = user.first_failed_login_at
    if window_start is None or now - window_start > LOCKOUT_WINDOW:
        user.failed_login_count = 1
        user.first_failed_login_at = now
    else:
        user.failed_login_count += 1
    if user.failed_login_count >= LOCKOUT_THRESHOLD:
        user.locked_until = now + LOCKOUT_DURATION
        user.failed_login_count = 0
        user.first_failed_login_at = None
        return user.locked_until
    return None


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return (
        "Too many failed log-ins: this account is locked. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )
