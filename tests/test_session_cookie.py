"""The session cookie is signed again only when it changed or is getting old, and still expires."""

from __future__ import annotations

import time

import itsdangerous.timed

from factcheck.web.auth.session import SessionCookies

from .conftest import PASSWORD
from .helpers import WebClient


def _sets_session(response) -> bool:
    return any(h.startswith("factcheck_session=") for h in response.headers.getlist("Set-Cookie"))


def _login_at(app, monkeypatch, seconds_ago: float) -> WebClient:
    """A client logged in with a cookie signed SECONDS_AGO."""
    real = time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - seconds_ago)
    client = WebClient(app.test_client())
    client.get("/login")
    assert client.post("/login", {"username": "rita", "password": PASSWORD}).status_code == 302
    client.forget_token()
    client.get("/claims")  # the page that makes the form token (a change of the session) is signed then too
    monkeypatch.setattr(itsdangerous.timed.time, "time", real)
    return client


def test_pages_do_not_sign_an_unchanged_fresh_session_again(app, users, monkeypatch):
    client = _login_at(app, monkeypatch, 0)
    before = client.raw.get_cookie("factcheck_session").value
    for url in ("/claims", "/claims?assignee=mine", "/articles"):
        response = client.get(url)
        assert response.status_code == 200 and not _sets_session(response), url
    assert client.raw.get_cookie("factcheck_session").value == before


def test_an_older_session_is_signed_again_so_expiry_still_slides(app, users, monkeypatch):
    age = SessionCookies.REFRESH_AFTER.total_seconds() + 60
    client = _login_at(app, monkeypatch, age)
    old = client.raw.get_cookie("factcheck_session").value
    response = client.get("/claims")
    assert response.status_code == 200 and _sets_session(response)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("factcheck_session="))
    assert "Expires=" in cookie and "HttpOnly" in cookie
    new = client.raw.get_cookie("factcheck_session").value
    serializer = app.session_interface.get_signing_serializer(app)
    _, signed_at = serializer.loads(new, return_timestamp=True)
    assert time.time() - signed_at.timestamp() < 60
    assert serializer.loads(new) == serializer.loads(old)  # the same session, newly signed
    assert not _sets_session(client.get("/claims"))  # and then left alone again


def test_a_session_past_its_lifetime_is_logged_out(app, users, monkeypatch):
    lifetime = app.permanent_session_lifetime.total_seconds()
    client = _login_at(app, monkeypatch, lifetime + 60)
    response = client.get("/claims")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_change_to_the_session_is_saved_at_once(app, users, monkeypatch):
    client = _login_at(app, monkeypatch, 0)
    response = client.get("/claims?cursor=not-a-cursor")  # flashes a notice: the session changes
    assert _sets_session(response)
