"""Personal access tokens (issue 15): the service, `factcheck token ...`, and the account page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from factcheck.cli import main
from factcheck.db import sqlalchemy_url
from factcheck.models import ApiToken
from factcheck.services import tokens as token_service
from factcheck.services.errors import NotFound, ValidationFailed

GOOD = "tram paper 42 violet"
TOKEN = re.compile(r"fct_[A-Za-z0-9_-]{43}")


def run(args, url=None, input=None):
    env = {"DATABASE_URL": url} if url else {}
    return CliRunner().invoke(main, args, env=env, input=input, catch_exceptions=False)


@pytest.fixture
def db(fresh_db_url):
    for name, role in (("ada", "admin"), ("rita", "reviewer")):
        result = run(["user", "add", name, "--role", role, "--password-stdin"], fresh_db_url, input=GOOD + "\n")
        assert result.exit_code == 0, result.stderr
    return fresh_db_url


def session_for(url):
    return Session(create_engine(sqlalchemy_url(url), poolclass=NullPool), expire_on_commit=False)


# --- command line ---------------------------------------------------------------------


def test_cli_creates_a_token_that_authenticates_and_is_stored_hashed(db):
    result = run(["token", "create", "rita", "--scope", "write", "--name", "CMS", "--expires-days", "30"], db)
    assert result.exit_code == 0, result.stderr
    plain = result.stdout.strip()
    assert TOKEN.fullmatch(plain), result.stdout  # stdout is the token alone, for scripts
    assert "shown only now" in result.stderr
    with session_for(db) as s:
        row = s.execute(select(ApiToken)).scalar_one()
        assert plain not in (row.token_hash, row.display_prefix)
        assert row.token_hash == token_service.token_hash(plain)
        assert plain.startswith(row.display_prefix)
        assert row.scope == "write" and row.name == "CMS"
        assert timedelta(days=29) < row.expires_at - datetime.now(timezone.utc) <= timedelta(days=30)
        identity = token_service.authenticate(s, plain)
        assert identity.user.username == "rita" and identity.can_write


def test_cli_lists_without_the_token_and_revokes(db):
    plain = run(["token", "create", "rita", "--scope", "read"], db).stdout.strip()
    listed = run(["token", "list", "rita"], db)
    assert listed.exit_code == 0
    assert plain[:12] in listed.stdout and plain not in listed.stdout
    assert "read" in listed.stdout
    token_id = re.search(r"^(\d+)\s", listed.stdout.splitlines()[1]).group(1)
    revoked = run(["token", "revoke", token_id], db)
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    with session_for(db) as s, pytest.raises(token_service.TokenRefused) as refused:
        token_service.authenticate(s, plain)
    assert refused.value.reason == "revoked"
    again = run(["token", "revoke", token_id], db)
    assert again.exit_code != 0 and "already revoked" in again.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["token", "create", "nobody", "--scope", "read"], "No user named 'nobody'"),
        (["token", "create", "rita", "--scope", "admin"], "Invalid value for '--scope'"),
        (["token", "create", "rita"], "Missing option '--scope'"),
        (["token", "create", "rita", "--scope", "read", "--expires-days", "0"], "--expires-days"),
        (["token", "create", "rita", "--scope", "read", "--name", "   "], "name: Give the token a name"),
        (["token", "list", "nobody"], "No user named 'nobody'"),
        (["token", "revoke", "999"], "No token #999"),
        (["token", "revoke", "x"], "Invalid value"),
    ],
)
def test_cli_errors_go_to_stderr_with_a_failing_exit(db, args, message):
    result = run(args, db)
    assert result.exit_code != 0
    assert message in result.stderr
    assert result.stdout == ""


# --- the service ----------------------------------------------------------------------


def test_garbage_expired_and_inactive_tokens_are_refused(session, users):
    from factcheck.services import users as user_service

    made = token_service.create_token(session, users["rita"].id, name="t", scope="read", expires_days=1)
    for garbage in ["", "Bearer", "fct_short", made.plain + "x", "xyz_" + made.plain[4:], None]:
        with pytest.raises(token_service.TokenRefused):
            token_service.authenticate(session, garbage)
    later = datetime.now(timezone.utc) + timedelta(days=1, seconds=1)
    with pytest.raises(token_service.TokenRefused) as refused:
        token_service.authenticate(session, made.plain, now=later)
    assert refused.value.reason == "expired"
    user_service.set_active(session, users["ada"].id, users["rita"].id, False)
    with pytest.raises(token_service.TokenRefused) as refused:
        token_service.authenticate(session, made.plain)
    assert refused.value.reason == "inactive"


def test_last_use_is_recorded_at_most_once_a_minute(session, users):
    made = token_service.create_token(session, users["rita"].id, name="t", scope="read")
    now = datetime.now(timezone.utc)
    token_service.authenticate(session, made.plain, now=now)
    session.expire_all()
    assert session.get(ApiToken, made.token.id).last_used_at == now
    token_service.authenticate(session, made.plain, now=now + timedelta(seconds=30))
    session.expire_all()
    assert session.get(ApiToken, made.token.id).last_used_at == now
    token_service.authenticate(session, made.plain, now=now + timedelta(seconds=61))
    session.expire_all()
    assert session.get(ApiToken, made.token.id).last_used_at == now + timedelta(seconds=61)


def test_a_user_revokes_only_their_own_tokens_and_an_admin_anyones(session, users):
    ritas = token_service.create_token(session, users["rita"].id, name="t", scope="write")
    with pytest.raises(NotFound):
        token_service.revoke_token(session, users["ron"].id, ritas.token.id)
    with pytest.raises(NotFound):
        token_service.revoke_token(session, users["eddie"].id, ritas.token.id)
    token_service.revoke_token(session, users["ada"].id, ritas.token.id)
    with pytest.raises(token_service.TokenRefused):
        token_service.authenticate(session, ritas.plain)


@pytest.mark.parametrize(
    "name, scope, days, field",
    [("", "read", None, "name"), ("x" * 101, "read", None, "name"), ("t", "delete", None, "scope"), ("t", "read", 0, "expires_days"), ("t", "read", 3651, "expires_days")],
)
def test_token_fields_are_checked_by_the_service(session, users, name, scope, days, field):
    with pytest.raises(ValidationFailed) as refused:
        token_service.create_token(session, users["rita"].id, name=name, scope=scope, expires_days=days)
    assert field in refused.value.errors


# --- the account page -----------------------------------------------------------------


def test_account_page_creates_a_token_shown_once(login, session, users):
    browser = login("rita")
    page = browser.get("/account/tokens")
    assert page.status_code == 200
    assert "You have no tokens yet" in page.get_data(as_text=True)
    created = browser.post("/account/tokens", {"name": "CMS sync", "scope": "write", "expires_days": "90"})
    assert created.status_code == 201
    html = created.get_data(as_text=True)
    plain = TOKEN.search(html).group(0)
    assert "it is not shown again" in html
    assert plain not in created.headers.get("Set-Cookie", "")
    identity = token_service.authenticate(session, plain)
    assert identity.user.username == "rita" and identity.can_write
    again = browser.get("/account/tokens").get_data(as_text=True)
    assert plain not in again and plain[:12] in again and "CMS sync" in again


def test_account_page_refuses_bad_fields_beside_them(login):
    browser = login("rita")
    response = browser.post("/account/tokens", {"name": "", "scope": "admin", "expires_days": "0"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert TOKEN.search(html) is None
    assert "Give the token a name" in html and "Choose read or write" in html
    assert 'id="expires_days-error"' in html


def test_account_page_revokes_own_tokens_only(login, session, users):
    ritas = token_service.create_token(session, users["rita"].id, name="rita-laptop", scope="read")
    rons = token_service.create_token(session, users["ron"].id, name="ron-server", scope="read")
    browser = login("rita")
    page = browser.get("/account/tokens").get_data(as_text=True)
    assert "rita-laptop" in page and "ron-server" not in page
    assert browser.post(f"/account/tokens/{rons.token.id}/revoke").status_code == 404
    done = browser.post(f"/account/tokens/{ritas.token.id}/revoke")
    assert done.status_code == 303
    assert "revoked" in browser.get(done.headers["Location"]).get_data(as_text=True)
    with pytest.raises(token_service.TokenRefused):
        token_service.authenticate(session, ritas.plain)
    token_service.authenticate(session, rons.plain)  # still works
    assert browser.post(f"/account/tokens/{ritas.token.id}/revoke", csrf=False).status_code == 400


def test_account_page_needs_a_log_in(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("command", ["create", "list", "revoke"])
def test_token_commands_have_help(command):
    result = run(["token", command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
