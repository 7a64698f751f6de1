"""Accounts: creation, the first admin, log-in with throttling, account changes.

Log-in throttling
=================

A fixed lock-out ("five wrong passwords lock the account for 15 minutes")
lets anyone keep anyone out: a stranger who types five wrong passwords for
``admin`` every quarter of an hour locks the only administrator out for
good. Instead, failed log-ins are counted in PostgreSQL (table
``login_throttles``, shared by every app server; nothing is kept in a
worker's memory) under three keys, and each key only *delays* further
attempts, by a time that doubles with every failure past a free allowance:

``pair``     (username, client address). 5 free failures, then 15 s, 30 s,
             1 min, ... capped at 15 min. This is what stops one machine
             guessing one account, and it does not touch the same account
             tried from any other address.
``address``  (client address, any username). 20 free failures, then the
             same doubling up to 15 min. This stops one machine spraying a
             few guesses at many accounts.
``account``  (username, from anywhere). It counts *distinct failing
             addresses* (a pair's first failure in the window), not
             attempts, so one stranger adds one however often they try. It
             starts after 10 addresses and is capped low (1 min): it slows a
             guesser spread over many addresses without ever locking the
             account.

So while a stranger hammers ``admin`` from their address, their pair and
address rows refuse them (each refusal costs no password check and counts no
further failure), the account row grows by one, and the real admin, from an
address that has not been failing, logs in as usual. What a widely spread
attack can do is slow the account to one attempt a minute, not lock it.

An attempt is refused, with "try again in N", when any of its three rows is
blocked; the refusal checks no password and spends no argon2 time. Unknown
usernames are counted exactly like real ones, so answers never tell which
names exist. A counter forgets its failures an hour after the last one, and
each recorded failure deletes up to 100 rows older than that (oldest first,
skipping rows another request holds), so a flood of made-up usernames cannot
grow the table without bound: it holds at most the last hour's failures,
which the address rows themselves keep small per address. A successful
log-in clears its own pair row only (never the address row, or an attacker
could reset their address by logging in to an account of their own).

Attempts for the same (username, address) are serialised with a
transaction-level advisory lock, so a burst of parallel requests cannot all
slip in before the first failure is recorded.

The client address is ``request.remote_addr`` as the web layer gives it:
the peer's address, or behind FACTCHECK_PROXY_COUNT reverse proxies the
address they put in X-Forwarded-For (Werkzeug's ProxyFix, installed by
create_app). IPv6 addresses count by their /64, the block one subscriber
usually holds. Behind a reverse proxy without FACTCHECK_PROXY_COUNT, every
client would share the proxy's address row.

Recording a failed attempt commits on its own (see ``_record_failure``): it
is the one place a service commits although the use case then fails.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from sqlalchemy import and_, bindparam, case, delete, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import LoginThrottle, Role, User
from .. import metrics
from ..models.throttle import SCOPE_ACCOUNT, SCOPE_ADDRESS, SCOPE_PAIR
from . import passwords
from .errors import AccountLocked, LoginFailed, NotFound, PermissionDenied, ValidationFailed
from .unit import in_unit, unit_of_work, use_case

log = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
GENERIC_LOGIN_FAILURE = "Invalid username or password."


@dataclass(frozen=True)
class Limit:
    """Failures allowed free, then a delay that doubles per failure up to a cap."""

    free: int
    base: timedelta
    cap: timedelta

    def delay(self, failures: int) -> timedelta | None:
        if failures < self.free:
            return None
        return min(self.base * (2 ** min(failures - self.free, 30)), self.cap)


LIMITS = {
    SCOPE_PAIR: Limit(free=5, base=timedelta(seconds=15), cap=timedelta(minutes=15)),
    SCOPE_ADDRESS: Limit(free=20, base=timedelta(seconds=15), cap=timedelta(minutes=15)),
    SCOPE_ACCOUNT: Limit(free=10, base=timedelta(seconds=5), cap=timedelta(minutes=1)),
}
FORGET_AFTER = timedelta(hours=1)
PRUNE_BATCH = 100


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


def get_by_username(session: Session, username: str) -> User:
    user = find_by_username(session, username)
    if user is None:
        raise NotFound(f"No user named {username.strip()!r}.")
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


@use_case
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
        session.flush()
    except IntegrityError as exc:  # a concurrent creation of the same name
        raise ValidationFailed({"username": [f"The username {username!r} is taken."]}) from exc
    return user


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    password: str


@use_case
def ensure_first_admin(session: Session, username: str = "admin") -> FirstAdmin | None:
    """Create an admin with a generated password when no account exists at all.

    Returns the credentials once (to be printed once); None when users exist.
    Serialised with an advisory lock so two starting processes create one admin.
    """
    session.execute(select(func.pg_advisory_xact_lock(0x6661637463686B)))  # "factchk"
    if session.execute(select(func.count()).select_from(User)).scalar_one() > 0:
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
    return FirstAdmin(username, password)


# --- log-in throttling --------------------------------------------------------


def username_key(username: str) -> str:
    return username.strip().lower()[:256]


def client_key(address: str | None) -> str:
    """The address failures are counted under: IPv4 as is, IPv6 by its /64."""
    raw = (address or "").strip()
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _rows_for(key: str, addr: str):
    return or_(
        and_(LoginThrottle.scope == SCOPE_PAIR, LoginThrottle.username_key == key, LoginThrottle.address == addr),
        and_(LoginThrottle.scope == SCOPE_ADDRESS, LoginThrottle.username_key == "", LoginThrottle.address == addr),
        and_(LoginThrottle.scope == SCOPE_ACCOUNT, LoginThrottle.username_key == key, LoginThrottle.address == ""),
    )


def _serialise_attempts(session: Session, key: str, addr: str) -> None:
    """Attempts for one (username, address) take turns (released at commit/rollback)."""
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"login\x1f{key}\x1f{addr}", 0))))


def _blocked(session: Session, key: str, addr: str, now: datetime) -> tuple[str, datetime] | None:
    """(scope, until) of the block that refuses this attempt now, if any."""
    row = session.execute(
        select(LoginThrottle.scope, LoginThrottle.blocked_until)
        .where(_rows_for(key, addr), LoginThrottle.blocked_until > now)
        .order_by(LoginThrottle.blocked_until.desc())
        .limit(1)
    ).first()
    return (row.scope, row.blocked_until) if row else None


def _bump(session: Session, scope: str, key: str, addr: str, now: datetime) -> tuple[int, datetime | None]:
    """Count one failure on a row (created if need be); its failures and new block."""
    table = LoginThrottle.__table__
    stmt = (
        insert(LoginThrottle)
        .values(scope=scope, username_key=key, address=addr, failures=1, last_failure_at=now, blocked_until=None)
        .on_conflict_do_update(
            index_elements=[table.c.scope, table.c.username_key, table.c.address],
            set_={
                # Failures older than the window are forgotten: start again at one.
                "failures": case((table.c.last_failure_at < now - FORGET_AFTER, 1), else_=table.c.failures + 1),
                "last_failure_at": now,
                "blocked_until": None,
            },
        )
        .returning(table.c.failures)
    )
    failures = session.execute(stmt).scalar_one()
    delay = LIMITS[scope].delay(failures)
    until = None
    if delay is not None:
        until = now + delay
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.scope == scope, LoginThrottle.username_key == key, LoginThrottle.address == addr)
            .values(blocked_until=until)
        )
    return failures, until


def _prune(session: Session, now: datetime) -> None:
    """Forget rows whose last failure is older than the window (a bounded batch)."""
    old = (
        select(LoginThrottle.scope, LoginThrottle.username_key, LoginThrottle.address)
        .where(LoginThrottle.last_failure_at < now - FORGET_AFTER)
        .order_by(LoginThrottle.last_failure_at)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(LoginThrottle)
        .where(tuple_(LoginThrottle.scope, LoginThrottle.username_key, LoginThrottle.address).in_(old))
        .execution_options(synchronize_session=False)
    )


def _record_failure(session: Session, key: str, addr: str, now: datetime, *, where: str) -> datetime | None:
    """Count a failed attempt under its three keys; the block it started, if any.

    The caller has just checked a password and is about to refuse it. This
    is committed as its own unit of work, before the error is raised: a
    failed attempt that rolled back with its use case would not be counted
    at all, and guessing would be free.
    """
    with unit_of_work(session):
        pair_failures, pair_until = _bump(session, SCOPE_PAIR, key, addr, now)
        _, address_until = _bump(session, SCOPE_ADDRESS, "", addr, now)
        account_until = None
        if pair_failures == 1:  # a new address failing for this account
            _, account_until = _bump(session, SCOPE_ACCOUNT, key, "", now)
        _prune(session, now)
    blocks = {SCOPE_PAIR: pair_until, SCOPE_ADDRESS: address_until, SCOPE_ACCOUNT: account_until}
    for scope, until in blocks.items():
        if until is not None:
            metrics.count_login_throttle("blocked", scope)
            log.warning(
                "log-in throttled (%s): username=%r address=%s until=%s after a failed %s",
                scope, key, addr, until.isoformat(), where,
            )
    started = [until for until in blocks.values() if until is not None]
    return max(started) if started else None


def _wait_text(until: datetime, now: datetime) -> str:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def throttled_message(until: datetime, now: datetime) -> str:
    return f"Too many failed log-ins: temporarily locked. Try again in {_wait_text(until, now)}."


def _refuse_while_blocked(session: Session, key: str, addr: str, now: datetime, where: str) -> None:
    blocked = _blocked(session, key, addr, now)
    if blocked is None:
        return
    scope, until = blocked
    session.rollback()
    metrics.count_login_throttle("refused", scope)
    log.info("log-in refused while throttled (%s): username=%r address=%s until=%s on %s",
             scope, key, addr, until.isoformat(), where)
    raise AccountLocked(throttled_message(until, now), until)


def authenticate(
    session: Session, username: str, password: str, *, address: str | None = None, now: datetime | None = None
) -> User:
    """The user whose credentials these are, or LoginFailed / AccountLocked (throttled).

    ``address`` is the client's address. Wrong username and wrong password
    raise the same message after the same amount of hashing work; throttled
    attempts are refused before any password is checked.
    """
    if in_unit(session):  # the failure record must commit on its own
        raise RuntimeError("authenticate() cannot run inside another unit of work")
    now = now or utcnow()
    key, addr = username_key(username), client_key(address)
    _serialise_attempts(session, key, addr)
    _refuse_while_blocked(session, key, addr, now, "log-in")

    user = session.execute(select(User).where(func.lower(User.username) == key)).scalar_one_or_none()
    if user is None or not user.is_active:
        passwords.burn_verification_time(password)
        password_ok = False
    else:
        password_ok = passwords.verify_password(user.password_hash, password)
    if not password_ok:
        until = _record_failure(session, key, addr, now, where="log-in")
        if until is not None:
            raise AccountLocked(f"{GENERIC_LOGIN_FAILURE} {throttled_message(until, now)}", until)
        raise LoginFailed(GENERIC_LOGIN_FAILURE)
    assert user is not None

    with unit_of_work(session):
        user.last_login_at = now
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        session.execute(
            delete(LoginThrottle).where(
                LoginThrottle.scope == SCOPE_PAIR, LoginThrottle.username_key == key, LoginThrottle.address == addr
            )
        )
    return user


def throttled_until(session: Session, usernames: list[str], now: datetime | None = None) -> dict[str, datetime]:
    """Per lower-cased username, the latest block on it (from any address) still running."""
    now = now or utcnow()
    keys = [username_key(u) for u in usernames]
    if not keys:
        return {}
    rows = session.execute(
        select(LoginThrottle.username_key, func.max(LoginThrottle.blocked_until))
        .where(
            LoginThrottle.scope.in_([SCOPE_PAIR, SCOPE_ACCOUNT]),
            LoginThrottle.username_key.in_(keys),
            LoginThrottle.blocked_until > now,
        )
        .group_by(LoginThrottle.username_key)
    ).all()
    return {key: until for key, until in rows}


def _clear_throttles(session: Session, username: str) -> int:
    result = session.execute(
        delete(LoginThrottle)
        .where(
            LoginThrottle.scope.in_([SCOPE_PAIR, SCOPE_ACCOUNT]),
            LoginThrottle.username_key == username_key(username),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# --- account changes (admin pages, the account page and the CLI) -------------


def list_users(session: Session, actor_id: int) -> list[User]:
    _require_admin(session, actor_id)
    return all_users(session)


def all_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(func.lower(User.username))).scalars())


def get_user_for_admin(session: Session, actor_id: int, user_id: int) -> User:
    _require_admin(session, actor_id)
    return get_user(session, user_id)


class Assignee(NamedTuple):
    id: int
    display_name: str
    role: Role


# Built once: the queue and the claim page list these on every request.
_ASSIGNABLE = (
    select(User.id, User.display_name, User.role)
    .where(User.is_active.is_(True))
    .order_by(func.lower(User.display_name), User.id)
)


def assignable_users(session: Session) -> list[Assignee]:
    """Active accounts a claim can be assigned to: only what a choice list shows
    (not whole accounts with their password hashes)."""
    return [Assignee(*row) for row in session.connection().execute(_ASSIGNABLE)]


class SessionAccount(NamedTuple):
    """What a logged-in request needs to know of its account (no password hash)."""

    id: int
    username: str
    display_name: str
    role: Role
    session_version: int
    is_active: bool


_SESSION_ACCOUNT = select(
    User.id, User.username, User.display_name, User.role, User.session_version, User.is_active
).where(User.id == bindparam("user_id"))


def session_account(session: Session, user_id: int) -> SessionAccount | None:
    """The account behind a session cookie, read on every request: a few columns
    through the session's connection, one prepared statement (not an ORM load)."""
    row = session.connection().execute(_SESSION_ACCOUNT, {"user_id": user_id}).first()
    return SessionAccount(*row) if row is not None else None


def active_user(session: Session, user_id: int) -> User:
    """The acting user, fresh from the database; PermissionDenied if gone or deactivated."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise PermissionDenied("Your account is not active.")
    return user


def _require_admin(session: Session, actor_id: int) -> User:
    from .permissions import Permission, require

    actor = active_user(session, actor_id)
    require(actor, Permission.MANAGE_USERS)
    return actor


def _lock_active_admins(session: Session) -> dict[int, User]:
    """Lock every active admin row, in id order, and read them fresh.

    Every change that could remove an admin takes these locks first, so two
    such changes at the same moment run one after the other, and the second
    counts the admins the first left.
    """
    admins = session.execute(
        select(User)
        .where(User.role == Role.ADMIN, User.is_active.is_(True))
        .order_by(User.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalars()
    return {admin.id: admin for admin in admins}


def _lock_admins_for(session: Session, actor_id: int | None) -> dict[int, User]:
    """Lock the admins; the acting admin (None: the command line) must still be one of them."""
    if actor_id is not None:
        _require_admin(session, actor_id)  # the usual message for a non-admin
    admins = _lock_active_admins(session)
    if actor_id is not None and actor_id not in admins:
        # They were demoted or deactivated while this request waited.
        raise PermissionDenied("You are no longer an active administrator; nothing was changed.")
    return admins


def _lock_target(session: Session, user_id: int) -> User:
    target = session.execute(
        select(User).where(User.id == user_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if target is None:
        raise NotFound(f"No user #{user_id}.")
    return target


def _guard_last_admin(admins: dict[int, User], target: User) -> None:
    """Refuse a change that would leave no active administrator."""
    if target.id in admins and len(admins) == 1:
        raise ValidationFailed(
            {"": [f"{target.username} is the last active administrator; make another admin first."]}
        )


@use_case
def admin_create_user(
    session: Session, actor_id: int, *, username: str, password: str, role: Role, display_name: str | None
) -> User:
    _require_admin(session, actor_id)
    return create_user(session, username=username, password=password, role=role, display_name=display_name)


def _change_role(session: Session, actor_id: int | None, user_id: int, role: Role) -> User:
    admins = _lock_admins_for(session, actor_id)
    target = _lock_target(session, user_id)
    if role != Role.ADMIN:
        _guard_last_admin(admins, target)
    target.role = role
    log.info("role changed: user=%s role=%s by=%s", target.username, role.value, actor_id or "command line")
    return target


@use_case
def set_role(session: Session, actor_id: int, user_id: int, role: Role) -> User:
    return _change_role(session, actor_id, user_id, role)


@use_case
def set_role_by_name(session: Session, username: str, role: Role) -> User:
    """The command line's role change (no acting account; the last-admin rule holds)."""
    return _change_role(session, None, get_by_username(session, username).id, role)


@use_case
def set_active(session: Session, actor_id: int, user_id: int, active: bool) -> User:
    admins = _lock_admins_for(session, actor_id)
    target = _lock_target(session, user_id)
    if not active:
        _guard_last_admin(admins, target)
        target.session_version += 1  # end every session the account has
    target.is_active = active
    log.info("account %s: user=%s by=%s", "activated" if active else "deactivated", target.username, actor_id)
    return target


def _set_password(session: Session, target: User, new_password: str, field: str) -> None:
    problems = passwords.password_problems(new_password, target.username)
    if problems:
        raise ValidationFailed({field: problems})
    target.password_hash = passwords.hash_password(new_password)
    target.session_version += 1
    _clear_throttles(session, target.username)


def reset_password(
    session: Session,
    actor_id: int,
    user_id: int,
    new_password: str,
    *,
    current_password: str | None = None,
    address: str | None = None,
) -> User:
    """An admin sets someone's password (ends their sessions, clears their throttling).

    An admin's own password is changed as anyone's: with the current one.
    """
    if actor_id == user_id:
        try:
            return change_own_password(session, actor_id, current_password or "", new_password, address=address)
        except ValidationFailed as exc:
            raise ValidationFailed(
                {("password" if f == "new_password" else f): m for f, m in exc.errors.items()}
            ) from exc
    return _admin_reset_password(session, actor_id, user_id, new_password)


@use_case
def _admin_reset_password(session: Session, actor_id: int, user_id: int, new_password: str) -> User:
    _require_admin(session, actor_id)
    target = _lock_target(session, user_id)
    _set_password(session, target, new_password, "password")
    log.info("password reset: user=%s by=%s", target.username, actor_id)
    return target


@use_case
def reset_password_by_name(session: Session, username: str, new_password: str) -> User:
    """The command line's password reset (an operator with database access)."""
    target = _lock_target(session, get_by_username(session, username).id)
    _set_password(session, target, new_password, "password")
    log.info("password reset: user=%s by=command line", target.username)
    return target


@use_case
def unlock_by_name(session: Session, username: str) -> tuple[User, int]:
    """Clear the log-in throttling of an account, from every address (the command line)."""
    target = get_by_username(session, username)
    cleared = _clear_throttles(session, target.username)
    log.info("log-in throttling cleared: user=%s rows=%d by=command line", target.username, cleared)
    return target, cleared


def change_own_password(
    session: Session, user_id: int, current_password: str, new_password: str, *, address: str | None = None
) -> User:
    """Change one's own password; every other session of the account ends.

    Wrong current passwords count with failed log-ins from the same address
    (an open session must not become a way to try passwords without limit),
    and a throttled pair is refused before the password is checked.
    """
    if in_unit(session):  # the failure record must commit on its own
        raise RuntimeError("change_own_password() cannot run inside another unit of work")
    now = utcnow()
    key, addr = username_key(active_user(session, user_id).username), client_key(address)
    _serialise_attempts(session, key, addr)
    try:
        _refuse_while_blocked(session, key, addr, now, "change-password page")
    except AccountLocked as exc:
        raise ValidationFailed({"current_password": [exc.message]}) from exc
    user = _lock_target(session, user_id)
    if not passwords.verify_password(user.password_hash, current_password):
        until = _record_failure(session, key, addr, now, where="current-password check")
        message = "That is not your current password."
        if until is not None:
            message += " " + throttled_message(until, now)
        raise ValidationFailed({"current_password": [message]})
    with unit_of_work(session):
        problems = passwords.password_problems(new_password, user.username)
        if problems:
            raise ValidationFailed({"new_password": problems})
        if passwords.verify_password(user.password_hash, new_password):
            raise ValidationFailed({"new_password": ["Choose a password different from the current one."]})
        _set_password(session, user, new_password, "new_password")
    log.info("password changed by its owner: user=%s", user.username)
    return user


@use_case
def end_sessions(session: Session, user_id: int) -> None:
    """Log-out: bump the session version so no copy of an old cookie is honoured."""
    user = session.get(User, user_id)
    if user is not None:
        user.session_version += 1
