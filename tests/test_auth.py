"""Log-in, sessions and their revocation (throttling: test_login_throttle.py)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.models import User
from factcheck.services import passwords
from factcheck.services import users as user_service

from .conftest import PASSWORD
from .helpers import WebClient


def _session_cookie(client: WebClient) -> str | None:
    cookie = client.raw.get_cookie("factcheck_session")
    return cookie.value if cookie else None


def _error_text(response) -> str:
    return " ".join(re.findall(r'class="form-errors"[^>]*>\s*<p>([^<]*)</p>', response.get_data(as_text=True)))


def test_login_form_has_labelled_fields(client):
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r'<label for="username">Username</label>', page)
    assert re.search(r'<label for="password">Password</label>', page)
    assert re.search(r'<input[^>]+id="username"', page)
    assert re.search(r'<input[^>]+id="password"[^>]+type="password"', page)
    assert re.search(r'<input[^>]+type="submit"[^>]+value="Log in"', page)


def test_login_then_logout(client, users):
    client.get("/login")
    response = client.post("/login", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Rita" in client.get("/claims").get_data(as_text=True)
    response = client.post("/logout", {})
    assert response.status_code == 302
    assert client.get("/claims").status_code == 302


def test_username_is_case_insensitive(client, users):
    client.get("/login")
    assert client.post("/login", {"username": "RITA", "password": PASSWORD}).status_code == 302


def test_wrong_username_and_wrong_password_answer_alike(client, users, monkeypatch):
    verifications = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: verifications.append(1) or real_verify(h, p))
    client.get("/login")
    wrong_password = client.post("/login", {"username": "rita", "password": "not the password"})
    after_first = len(verifications)
    unknown_user = client.post("/login", {"username": "nobody", "password": "not the password"})
    assert wrong_password.status_code == unknown_user.status_code == 422
    assert _error_text(wrong_password) == _error_text(unknown_user) == "Invalid username or password."
    # Both paths do the same argon2 work (one verification each), so their timing is alike.
    assert after_first == 1 and len(verifications) == 2


def test_failures_from_many_addresses_do_not_lock_the_account(client, users):
    """Five wrong passwords used to lock the account for everyone, whoever typed them."""
    client.get("/login")
    for attempt in range(5):
        response = client.post(
            "/login", {"username": "rita", "password": "wrong password"}, environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"}
        )
        assert _error_text(response) == "Invalid username or password."
    response = client.post("/login", {"username": "rita", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.77"})
    assert response.status_code == 302


def test_session_cookie_flags(client, users, app):
    client.get("/login")
    response = client.post("/login", {"username": "rita", "password": PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("factcheck_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    app.config["SESSION_COOKIE_SECURE"] = True
    other = WebClient(app.test_client())
    other.get("/login")
    response = other.post("/login", {"username": "ron", "password": PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("factcheck_session="))
    assert "Secure" in cookie


def test_session_changes_at_login(client, users, app):
    client.get("/login")
    before = _session_cookie(client)
    assert before
    client.post("/login", {"username": "rita", "password": PASSWORD})
    after = _session_cookie(client)
    assert after and after != before
    # The pre-log-in cookie does not carry the log-in.
    stale = WebClient(app.test_client())
    stale.raw.set_cookie("factcheck_session", before)
    assert stale.get("/claims").status_code == 302


def _copy_of(client: WebClient, app) -> WebClient:
    copy = WebClient(app.test_client())
    copy.raw.set_cookie("factcheck_session", _session_cookie(client))
    return copy


def test_logout_revokes_copies_of_the_cookie(login, app):
    client = login("rita")
    copy = _copy_of(client, app)
    assert copy.get("/claims").status_code == 200
    client.post("/logout", {})
    response = copy.get("/claims")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_password_change_revokes_other_sessions_but_keeps_this_one(login, app, session):
    client = login("rita")
    other_device = login("rita")
    response = client.post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/claims").status_code == 200
    assert other_device.get("/claims").status_code == 302
    fresh = WebClient(app.test_client())
    fresh.get("/login")
    assert fresh.post("/login", {"username": "rita", "password": PASSWORD}).status_code == 422
    assert fresh.post("/login", {"username": "rita", "password": "a brand new passphrase"}).status_code == 302


@pytest.mark.parametrize(
    "new_password, confirm, field, message",
    [
        ("short", "short", "new_password", "at least 12 characters"),
        ("rita-is-my-password", "rita-is-my-password", "new_password", "must not contain the username"),
        ("a long passphrase here", "a different one here", "confirm", "differ"),
    ],
)
def test_password_change_refuses_bad_passwords(login, new_password, confirm, field, message):
    client = login("rita")
    response = client.post(
        "/account/password", {"current_password": PASSWORD, "new_password": new_password, "confirm": confirm}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error">[^<]*{message}', page)
    assert client.get("/claims").status_code == 200  # still logged in, nothing changed


def test_password_change_needs_the_current_password(login):
    client = login("rita")
    response = client.post(
        "/account/password",
        {"current_password": "wrong", "new_password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/claims/1", "/claims/1"),
        ("/claims?status=verified", "/claims?status=verified"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example", "/"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
        ("\t//evil.example", "/"),
    ],
)
def test_next_only_goes_to_this_site(client, users, target, expected):
    client.get("/login")
    response = client.post(
        "/login", {"username": "rita", "password": PASSWORD}, query_string={"next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_deactivated_account_is_logged_out(login, users, session):
    client = login("ron")
    admin = login("ada")
    response = admin.post(f"/admin/users/{users['ron'].id}/active", {"active": "0"})
    assert response.status_code == 302
    assert client.get("/claims").status_code == 302
    client.get("/login")
    response = client.post("/login", {"username": "ron", "password": PASSWORD})
    assert response.status_code == 422


def test_stored_hashes_are_argon2id(session, users):
    hashes = session.execute(select(User.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


def test_first_admin_is_created_once_with_a_generated_password(session):
    first = user_service.ensure_first_admin(session)
    assert first is not None and first.username == "admin" and len(first.password) >= 20
    assert user_service.authenticate(session, "admin", first.password).role.value == "admin"
    assert user_service.ensure_first_admin(session) is None


def test_guessing_the_current_password_is_throttled(login, app, session, users):
    """Someone holding an open session cannot try passwords without limit on
    the change-password page: wrong current passwords count with failed
    log-ins from that address, and the delay stops both there."""
    client = login("rita")
    new = "a brand new passphrase"
    for attempt in range(1, 6):
        response = client.post(
            "/account/password", {"current_password": f"guess number {attempt}", "new_password": new, "confirm": new}
        )
        assert response.status_code == 422
        error = re.search(r'id="current_password-error">([^<]*)<', response.get_data(as_text=True)).group(1)
        if attempt < 5:
            assert error == "That is not your current password."
        else:
            assert error == "That is not your current password. Too many failed log-ins: temporarily locked. Try again in 15 seconds."
    # Throttled: even the right current password changes nothing now ...
    response = client.post("/account/password", {"current_password": PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 422
    assert "Too many failed log-ins: temporarily locked. Try again in" in response.get_data(as_text=True)
    # ... and log-ins from the same address wait too,
    fresh = WebClient(app.test_client())
    fresh.get("/login")
    response = fresh.post("/login", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 422 and "Try again in" in response.get_data(as_text=True)
    # ... but not from another.
    response = fresh.post("/login", {"username": "rita", "password": PASSWORD}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302
    session.expire_all()
    assert passwords.verify_password(session.get(type(users["rita"]), users["rita"].id).password_hash, PASSWORD)
