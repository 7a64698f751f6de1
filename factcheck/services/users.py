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

from ..models import LoginThrottle, Role, User
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
    key = username.strip().lower()[:256]
    user = session.execute(
        select(User).where(func.lower(User.username) == key).with_for_update()
    ).scalar_one_or_none()

    # Unknown and deactivated names are throttled like accounts, so the
    # answers (including "locked") never tell which usernames exist.
    counter: User | LoginThrottle
    if user is None or not user.is_active:
        counter = _throttle_row(session, key)
        password_ok = False
        passwords.burn_verification_time(password)
    else:
        counter = user
        password_ok = None  # checked below, after the lock test

    if counter.locked_until is not None and counter.locked_until > now:
        if password_ok is None:
            passwords.burn_verification_time(password)
        session.rollback()
        raise AccountLocked(_locked_message(counter.locked_until, now), counter.locked_until)

    if password_ok is None:
        password_ok = passwords.verify_password(user.password_hash, password)
    if not password_ok:
        locked_until = _count_failure(counter, now)
        session.commit()
        if locked_until is not None:
            log.warning(
                "account locked: username=%r known=%s until=%s after %d failed log-ins",
                key,
                user is not None,
                locked_until.isoformat(),
                LOCKOUT_THRESHOLD,
            )
            raise AccountLocked(_locked_message(locked_until, now), locked_until)
        raise LoginFailed(GENERIC_LOGIN_FAILURE)
    assert user is not None

    user.failed_login_count = 0
    user.first_failed_login_at = None
    user.locked_until = None
    user.last_login_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session.commit()
    return user


def _throttle_row(session: Session, key: str) -> LoginThrottle:
    """The locked counter row for an unknown username (created on first failure)."""
    from sqlalchemy.dialects.postgresql import insert

    # Forget names whose window and lock have both run out, so that spraying
    # made-up usernames cannot grow the table without bound.
    now = utcnow()
    session.execute(
        LoginThrottle.__table__.delete().where(
            (LoginThrottle.locked_until.is_(None) | (LoginThrottle.locked_until < now))
            & (
                LoginThrottle.first_failed_login_at.is_(None)
                | (LoginThrottle.first_failed_login_at < now - LOCKOUT_WINDOW)
            )
            & (LoginThrottle.username_key != key)
        )
    )
    session.execute(
        insert(LoginThrottle).values(username_key=key).on_conflict_do_nothing(index_elements=["username_key"])
    )
    return session.execute(
        select(LoginThrottle).where(LoginThrottle.username_key == key).with_for_update()
    ).scalar_one()


def _count_failure(counter: User | LoginThrottle, now: datetime) -> datetime | None:
    """Record one failed attempt; return the lock-out end if this one locks the name."""
    window_start = counter.first_failed_login_at
    if window_start is None or now - window_start > LOCKOUT_WINDOW:
        counter.failed_login_count = 1
        counter.first_failed_login_at = now
    else:
        counter.failed_login_count += 1
    if counter.failed_login_count >= LOCKOUT_THRESHOLD:
        counter.locked_until = now + LOCKOUT_DURATION
        counter.failed_login_count = 0
        counter.first_failed_login_at = None
        return counter.locked_until
    return None


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    return (
        "Too many wrong passwords: this account is locked. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


# --- account changes (admin pages and the account page) ---------------------


def list_users(session: Session, actor_id: int) -> list[User]:
    _require_admin(session, actor_id)
    return list(session.execute(select(User).order_by(func.lower(User.username))).scalars())


def get_user_for_admin(session: Session, actor_id: int, user_id: int) -> User:
    _require_admin(session, actor_id)
    return get_user(session, user_id)


def assignable_users(session: Session) -> list[User]:
    """Active accounts a claim can be assigned to."""
    return list(
        session.execute(
            select(User).where(User.is_active.is_(True)).order_by(func.lower(User.display_name))
        ).scalars()
    )


def active_user(session: Session, user_id: int) -> User:
    """The acting user, fresh from the database; PermissionDenied if gone or deactivated."""
    from .errors import PermissionDenied

    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise PermissionDenied("Your account is not active.")
    return user


def _require_admin(session: Session, actor_id: int) -> User:
    from .permissions import Permission, require

    actor = active_user(session, actor_id)
    require(actor, Permission.MANAGE_USERS)
    return actor


def _other_active_admins(session: Session, user_id: int) -> int:
    return session.execute(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.is_active.is_(True), User.id != user_id)
    ).scalar_one()


def _guard_last_admin(session: Session, target: User) -> None:
    """Refuse a change that would leave no active administrator."""
    if target.role == Role.ADMIN and target.is_active and _other_active_admins(session, target.id) == 0:
        raise ValidationFailed(
            {"": [f"{target.username} is the last active administrator; make another admin first."]}
        )


def admin_create_user(
    session: Session, actor_id: int, *, username: str, password: str, role: Role, display_name: str | None
) -> User:
    _require_admin(session, actor_id)
    return create_user(session, username=username, password=password, role=role, display_name=display_name)


def set_role(session: Session, actor_id: int, user_id: int, role: Role) -> User:
    _require_admin(session, actor_id)
    target = session.execute(select(User).where(User.id == user_id).with_for_update()).scalar_one_or_none()
    if target is None:
        raise NotFound(f"No user #{user_id}.")
    if role != Role.ADMIN:
        _guard_last_admin(session, target)
    target.role = role
    session.commit()
    log.info("role changed: user=%s role=%s by=%s", target.username, role.value, actor_id)
    return target


def set_active(session: Session, actor_id: int, user_id: int, active: bool) -> User:
    _require_admin(session, actor_id)
    # Lock the admins so two admins deactivating each other cannot both win.
    session.execute(select(User.id).where(User.role == Role.ADMIN).with_for_update())
    target = session.get(User, user_id)
    if target is None:
        raise NotFound(f"No user #{user_id}.")
    if not active:
        _guard_last_admin(session, target)
        target.session_version += 1  # end every session the account has
    target.is_active = active
    session.commit()
    log.info("account %s: user=%s by=%s", "activated" if active else "deactivated", target.username, actor_id)
    return target


def reset_password(session: Session, actor_id: int, user_id: int, new_password: str) -> User:
    _require_admin(session, actor_id)
    target = get_user(session, user_id)
    problems = passwords.password_problems(new_password, target.username)
    if problems:
        raise ValidationFailed({"password": problems})
    target.password_hash = passwords.hash_password(new_password)
    target.session_version += 1
    target.failed_login_count = 0
    target.first_failed_login_at = None
    target.locked_until = None
    session.commit()
    log.info("password reset: user=%s by=%s", target.username, actor_id)
    return target


def change_own_password(session: Session, user_id: int, current_password: str, new_password: str) -> User:
    """Change one's own password; every other session of the account ends."""
    active_user(session, user_id)
    user = session.execute(
        select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    # Wrong current passwords count with failed log-ins: an open session must
    # not become a way to try passwords without limit.
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        session.rollback()
        raise ValidationFailed({"current_password": [_locked_message(user.locked_until, now)]})
    if not passwords.verify_password(user.password_hash, current_password):
        locked_until = _count_failure(user, now)
        session.commit()
        if locked_until is not None:
            log.warning(
                "account locked: username=%r until=%s after %d wrong passwords (change-password page)",
                user.username, locked_until.isoformat(), LOCKOUT_THRESHOLD,
            )
            raise ValidationFailed({"current_password": [_locked_message(locked_until, now)]})
        raise ValidationFailed({"current_password": ["That is not your current password."]})
    user.failed_login_count = 0
    user.first_failed_login_at = None
    problems = passwords.password_problems(new_password, user.username)
    if problems:
        raise ValidationFailed({"new_password": problems})
    if passwords.verify_password(user.password_hash, new_password):
        raise ValidationFailed({"new_password": ["Choose a password different from the current one."]})
    user.password_hash = passwords.hash_password(new_password)
    user.session_version += 1
    session.commit()
    return user


def end_sessions(session: Session, user_id: int) -> None:
    """Log-out: bump the session version so no copy of an old cookie is honoured."""
    user = session.get(User, user_id)
    if user is not None:
        user.session_version += 1
        session.commit()
