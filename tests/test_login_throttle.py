"""Log-in throttling: strangers slow themselves down, never the account's owner.

Failed log-ins are counted in PostgreSQL per (username, address), per
address and per account (distinct failing addresses), with delays that
double per failure; see factcheck.services.users.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, delete, func, select
from sqlalchemy.orm import sessionmaker

from factcheck.db import sqlalchemy_url
from factcheck.models import LoginThrottle, Role
from factcheck.services import passwords
from factcheck.services import users as user_service
from factcheck.services.errors import AccountLocked, LoginFailed

from .conftest import PASSWORD

STRANGER = "203.0.113.9"
OWNER = "198.51.100.7"
T0 = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)


def _error_text(response) -> str:
    return " ".join(re.findall(r'class="form-errors"[^>]*>\s*<p>([^<]*)</p>', response.get_data(as_text=True)))


def _post_login(client, username, password, address):
    return client.post("/login", {"username": username, "password": password}, environ_base={"REMOTE_ADDR": address})


def _fail(session, username, address, at, password="wrong guess"):
    with pytest.raises(LoginFailed) as info:
        user_service.authenticate(session, username, password, address=address, now=at)
    return info.value


def test_a_stranger_hammering_an_account_does_not_keep_its_owner_out(client, users):
    """The reproduced attack: wrong passwords for the only admin, from someone else's machine."""
    client.get("/login")
    answers = [_error_text(_post_login(client, "ada", f"guess {i}", STRANGER)) for i in range(30)]
    assert answers[0] == "Invalid username or password."
    assert any("Try again in" in a for a in answers)  # the stranger is slowed down ...
    # ... while the admin, from their own address, gets in at once.
    response = _post_login(client, "ada", PASSWORD, OWNER)
    assert response.status_code == 302, _error_text(response)


def test_throttled_attempts_check_no_password_and_say_when_to_retry(client, users, monkeypatch):
    client.get("/login")
    for i in range(5):
        _post_login(client, "rita", f"guess {i}", STRANGER)
    checks = []
    monkeypatch.setattr(passwords, "verify_password", lambda *a: checks.append("verify") or False)
    monkeypatch.setattr(passwords, "burn_verification_time", lambda *a: checks.append("burn"))
    for password in ("another guess", PASSWORD):  # even the right password waits
        response = _post_login(client, "rita", password, STRANGER)
        assert response.status_code == 422
        assert _error_text(response) == "Too many failed log-ins: temporarily locked. Try again in 15 seconds."
    assert checks == []  # no argon2 work spent on refused attempts


def test_the_delay_doubles_per_failure_up_to_a_cap(session, users):
    now = T0
    delays = []
    for attempt in range(14):
        error = _fail(session, "ron", STRANGER, now)
        if isinstance(error, AccountLocked):
            delays.append(error.until - now)
            # Trying again before the time is up is refused without counting.
            with pytest.raises(AccountLocked) as early:
                user_service.authenticate(session, "ron", PASSWORD, address=STRANGER, now=error.until - timedelta(seconds=1))
            assert early.value.message == "Too many failed log-ins: temporarily locked. Try again in 1 second."
            now = error.until
        else:
            delays.append(None)
    s = timedelta(seconds=1)
    assert delays == [None] * 4 + [15 * s, 30 * s, 60 * s, 120 * s, 240 * s, 480 * s] + [900 * s] * 4
    # Once the block runs out the right password works, and clears that address's count.
    assert user_service.authenticate(session, "ron", PASSWORD, address=STRANGER, now=now).username == "ron"
    assert _fail(session, "ron", STRANGER, now).message == "Invalid username or password."


def test_counts_are_forgotten_an_hour_after_the_last_failure(session, users):
    for i in range(4):
        _fail(session, "ron", STRANGER, T0 + timedelta(minutes=i))
    later = T0 + timedelta(minutes=3) + timedelta(hours=1, seconds=1)
    for i in range(4):  # four more after the quiet hour: still under the allowance
        assert not isinstance(_fail(session, "ron", STRANGER, later), AccountLocked)


def test_one_address_spraying_many_accounts_is_throttled(session, users):
    names = [f"sprayed{i}" for i in range(19)]
    for name in names:
        assert not isinstance(_fail(session, name, STRANGER, T0), AccountLocked)
    assert isinstance(_fail(session, "rita", STRANGER, T0), AccountLocked)  # the 20th failure from there
    with pytest.raises(AccountLocked):
        user_service.authenticate(session, "eddie", PASSWORD, address=STRANGER, now=T0)
    # Another address is not affected.
    assert user_service.authenticate(session, "eddie", PASSWORD, address=OWNER, now=T0).username == "eddie"


def test_guessing_from_many_addresses_slows_the_account_briefly(session, users):
    for i in range(9):
        assert not isinstance(_fail(session, "erin", f"192.0.2.{i}", T0), AccountLocked)
    tenth = _fail(session, "erin", "192.0.2.200", T0)
    assert isinstance(tenth, AccountLocked) and tenth.until - T0 == timedelta(seconds=5)
    # The account is slowed for everyone, briefly: even its owner waits a few seconds.
    with pytest.raises(AccountLocked, match="Try again in 4 seconds"):
        user_service.authenticate(session, "erin", PASSWORD, address=OWNER, now=T0 + timedelta(seconds=1))
    # The account-wide delay is capped low (a minute), however many addresses fail.
    now = T0 + timedelta(seconds=5)
    for i in range(10, 30):
        error = _fail(session, "erin", f"192.0.2.{i}", now)
        assert error.until - now <= timedelta(minutes=1)
        now = error.until
    assert user_service.authenticate(session, "erin", PASSWORD, address=OWNER, now=now).username == "erin"


def test_one_stranger_never_triggers_the_account_wide_delay(session, users):
    now = T0
    for _ in range(40):  # a day of patient guessing from one address
        error = _fail(session, "erin", STRANGER, now)
        now = error.until if isinstance(error, AccountLocked) else now
    account_rows = session.execute(
        select(LoginThrottle.failures, LoginThrottle.blocked_until).where(
            LoginThrottle.scope == "account", LoginThrottle.username_key == "erin"
        )
    ).all()
    # One failing address counts once (and its row is forgotten after an hour).
    assert all(failures == 1 and blocked is None for failures, blocked in account_rows), account_rows
    assert user_service.authenticate(session, "erin", PASSWORD, address=OWNER, now=now).username == "erin"


def test_unknown_usernames_are_throttled_like_real_ones(client, users):
    client.get("/login")
    ghost = [_error_text(_post_login(client, "ghost", f"x{i}", STRANGER)) for i in range(7)]
    real = [_error_text(_post_login(client, "ron", f"x{i}", STRANGER)) for i in range(7)]
    assert ghost == real
    assert ghost[4].startswith("Invalid username or password. Too many failed log-ins: temporarily locked. Try again in")
    assert ghost[5].startswith("Too many failed log-ins: temporarily locked. Try again in")


def test_x_forwarded_for_is_not_trusted(client, users):
    """A client cannot pose as a fresh address by sending a header."""
    client.get("/login")
    for i in range(5):
        client.post("/login", {"username": "rita", "password": "x"}, environ_base={"REMOTE_ADDR": STRANGER},
                    headers={"X-Forwarded-For": f"10.1.1.{i}"})
    response = client.post("/login", {"username": "rita", "password": PASSWORD}, environ_base={"REMOTE_ADDR": STRANGER},
                           headers={"X-Forwarded-For": OWNER})
    assert "Try again in" in _error_text(response)


def test_ipv6_addresses_count_by_their_64_block(session, users):
    for i in range(5):
        _fail(session, "rita", f"2001:db8:1:2::{i + 1:x}", T0)
    with pytest.raises(AccountLocked):
        user_service.authenticate(session, "rita", PASSWORD, address="2001:db8:1:2:ffff::9", now=T0)
    assert user_service.authenticate(session, "rita", PASSWORD, address="2001:db8:1:3::1", now=T0).username == "rita"


def test_throttling_is_logged_with_username_and_address_never_the_password(client, users, caplog):
    caplog.set_level(logging.INFO, logger="factcheck.services.users")
    client.get("/login")
    for i in range(6):
        _post_login(client, "rita", f"secret-guess-{i}", STRANGER)
    messages = [r.getMessage() for r in caplog.records]
    assert any("log-in throttled" in m and "'rita'" in m and STRANGER in m for m in messages), messages
    assert any("refused while throttled" in m and "'rita'" in m and STRANGER in m for m in messages), messages
    assert not any("secret-guess" in m for m in messages)


def test_the_state_lives_in_postgresql(session, users):
    for _ in range(5):
        _fail(session, "rita", STRANGER, T0)
    rows = session.execute(select(LoginThrottle.scope, LoginThrottle.failures).order_by(LoginThrottle.scope)).all()
    assert [tuple(r) for r in rows] == [("account", 1), ("address", 5), ("pair", 5)]
    # Another app server sees the same rows; with them gone, the attempt is allowed.
    session.execute(delete(LoginThrottle))
    assert user_service.authenticate(session, "rita", PASSWORD, address=STRANGER, now=T0).username == "rita"


def test_old_rows_are_pruned_so_a_flood_of_names_cannot_grow_the_table(session, users):
    # Three hours of made-up usernames from ever-new addresses, two a minute.
    for minute in range(180):
        for j in range(2):
            _fail(session, f"made-up-{uuid.uuid4().hex[:12]}", f"10.{minute}.{j}.1", T0 + timedelta(minutes=minute))
    rows = session.execute(select(func.count()).select_from(LoginThrottle)).scalar_one()
    # Each failure writes three rows; only about the last hour's are kept (not 3 x 360).
    assert rows <= 3 * 2 * 62, rows
    oldest = session.execute(select(func.min(LoginThrottle.last_failure_at))).scalar_one()
    assert oldest >= T0 + timedelta(minutes=179) - timedelta(hours=1, minutes=2)


def test_parallel_attempts_cannot_outrun_the_count(fresh_db_url, monkeypatch):
    """Twenty simultaneous guesses from one address: only the free five are checked."""
    engine = create_engine(sqlalchemy_url(fresh_db_url), pool_size=20, max_overflow=0)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with factory() as s:
            user_service.create_user(s, username="target", password="a long passphrase", role=Role.EDITOR)
        checks = []
        lock = threading.Lock()
        real_verify = passwords.verify_password

        def counting_verify(h, p):
            with lock:
                checks.append(p)
            return real_verify(h, p)

        monkeypatch.setattr(passwords, "verify_password", counting_verify)
        start = threading.Barrier(20)

        def attempt(i):
            start.wait(timeout=30)
            with factory() as s:
                try:
                    user_service.authenticate(s, "target", f"guess {i}", address=STRANGER)
                except AccountLocked:
                    return "throttled"
                except LoginFailed:
                    return "failed"

        with ThreadPoolExecutor(max_workers=20) as pool:
            outcomes = list(pool.map(attempt, range(20)))
        assert len(checks) == 5, outcomes
        assert outcomes.count("throttled") == 16  # the fifth failure says so too
    finally:
        engine.dispose()


def test_the_admin_pages_show_throttling_and_a_reset_clears_it(login, users, app):
    from .helpers import WebClient

    stranger = WebClient(app.test_client())
    stranger.get("/login")
    for i in range(5):
        _post_login(stranger, "rita", f"guess {i}", STRANGER)
    admin = login("ada")
    page = admin.get(f"/admin/users/{users['rita'].id}").get_data(as_text=True)
    assert "Log-in throttled until" in page and "not throttled" not in page
    assert "log-in throttled until" in admin.get("/admin/users").get_data(as_text=True)
    reset = admin.post(f"/admin/users/{users['rita'].id}/password", {"password": "plum-harbour-kettle-71"})
    assert reset.status_code == 302
    assert "not throttled" in admin.get(f"/admin/users/{users['rita'].id}").get_data(as_text=True)
    assert _post_login(stranger, "rita", "plum-harbour-kettle-71", STRANGER).status_code == 302
