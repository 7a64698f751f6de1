"""`factcheck user ...`: the way back in for an operator when no admin can log in."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from factcheck.cli import main
from factcheck.db import sqlalchemy_url
from factcheck.models import LoginThrottle, Role, User
from factcheck.services import passwords
from factcheck.services import users as user_service
from factcheck.services.errors import AccountLocked, LoginFailed

GOOD = "tram paper 42 violet"


def run(args, url=None, input=None):
    env = {"DATABASE_URL": url} if url else {}
    return CliRunner().invoke(main, args, env=env, input=input, catch_exceptions=False)


@pytest.fixture
def db(fresh_db_url):
    """The URL, with an admin 'ada' and a reviewer 'rita' made through the CLI."""
    for name, role in (("ada", "admin"), ("rita", "reviewer")):
        result = run(["user", "add", name, "--role", role, "--password-stdin"], fresh_db_url, input=GOOD + "\n")
        assert result.exit_code == 0, result.stderr
    return fresh_db_url


def session_for(url):
    return Session(create_engine(sqlalchemy_url(url), poolclass=NullPool), expire_on_commit=False)


def hammer(url, username, address="203.0.113.9", times=6):
    with session_for(url) as s:
        for i in range(times):
            with pytest.raises(LoginFailed):
                user_service.authenticate(s, username, f"guess {i}", address=address)


@pytest.mark.parametrize("command", ["unlock", "reset-password", "set-role", "list"])
def test_each_command_has_help(command):
    result = run(["user", command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_unlock_lets_a_throttled_admin_in_again(db):
    hammer(db, "ada")
    with session_for(db) as s, pytest.raises(AccountLocked):
        user_service.authenticate(s, "ada", GOOD, address="203.0.113.9")
    result = run(["user", "unlock", "ADA"], db)
    assert result.exit_code == 0, result.stderr
    assert "Log-in throttling of 'ada' cleared." in result.output
    with session_for(db) as s:
        assert user_service.authenticate(s, "ada", GOOD, address="203.0.113.9").username == "ada"
    again = run(["user", "unlock", "ada"], db)
    assert again.exit_code == 0 and "was not throttled" in again.output


def test_unlock_of_an_unknown_user_is_an_error(db):
    result = run(["user", "unlock", "nobody"], db)
    assert result.exit_code == 1
    assert "No user named 'nobody'." in result.stderr


def test_reset_password_from_stdin(db):
    hammer(db, "rita")
    result = run(["user", "reset-password", "rita", "--password-stdin"], db, input="plum-harbour-kettle-71\n")
    assert result.exit_code == 0, result.stderr
    assert "plum-harbour-kettle-71" not in result.output
    with session_for(db) as s:
        # The new password works at once, from the address that was throttled.
        assert user_service.authenticate(s, "rita", "plum-harbour-kettle-71", address="203.0.113.9").username == "rita"


def test_reset_password_prompts_twice(db):
    result = run(["user", "reset-password", "rita"], db, input="plum-harbour-kettle-71\nplum-harbour-kettle-71\n")
    assert result.exit_code == 0, result.stderr
    assert "New password:" in result.output and "Repeat for confirmation:" in result.output
    assert "plum-harbour-kettle-71" not in result.output
    with session_for(db) as s:
        assert user_service.authenticate(s, "rita", "plum-harbour-kettle-71", address="198.51.100.7").username == "rita"


@pytest.mark.parametrize("weak, message", [("Password12345", "too common"), ("short", "at least 12")])
def test_reset_password_refuses_a_weak_password(db, weak, message):
    result = run(["user", "reset-password", "rita", "--password-stdin"], db, input=weak + "\n")
    assert result.exit_code == 1
    assert "password:" in result.stderr and message in result.stderr
    with session_for(db) as s:
        rita = s.execute(select(User).where(User.username == "rita")).scalar_one()
        assert passwords.verify_password(rita.password_hash, GOOD)


def test_user_add_refuses_a_common_password(fresh_db_url):
    result = run(["user", "add", "carol", "--role", "admin", "--password-stdin"], fresh_db_url, input="Password12345\n")
    assert result.exit_code == 1
    assert "too common" in result.stderr


def test_reset_password_of_an_unknown_user(db):
    result = run(["user", "reset-password", "nobody", "--password-stdin"], db, input=GOOD + "\n")
    assert result.exit_code == 1
    assert "No user named 'nobody'." in result.stderr


def test_set_role(db):
    result = run(["user", "set-role", "rita", "admin"], db)
    assert result.exit_code == 0, result.stderr
    assert "'rita' is now admin." in result.output
    # With two admins, one may step down.
    assert run(["user", "set-role", "ada", "editor"], db).exit_code == 0
    with session_for(db) as s:
        roles = dict(s.execute(select(User.username, User.role)).all())
    assert roles == {"ada": Role.EDITOR, "rita": Role.ADMIN}


def test_set_role_keeps_the_last_admin(db):
    result = run(["user", "set-role", "ada", "reviewer"], db)
    assert result.exit_code == 1
    assert "ada is the last active administrator" in result.stderr
    with session_for(db) as s:
        assert s.execute(select(User.role).where(User.username == "ada")).scalar_one() is Role.ADMIN


def test_set_role_errors(db):
    unknown = run(["user", "set-role", "nobody", "admin"], db)
    assert unknown.exit_code == 1 and "No user named 'nobody'." in unknown.stderr
    bad_role = run(["user", "set-role", "rita", "overlord"], db)
    assert bad_role.exit_code == 2 and "overlord" in bad_role.stderr


def test_list_shows_accounts_and_throttling(db):
    hammer(db, "rita")
    with session_for(db) as s:
        user_service.authenticate(s, "ada", GOOD, address="198.51.100.7")
        until = s.execute(
            select(func.max(LoginThrottle.blocked_until)).where(LoginThrottle.username_key == "rita")
        ).scalar_one()
    result = run(["user", "list"], db)
    assert result.exit_code == 0, result.stderr
    lines = result.output.splitlines()
    assert lines[0].split() == ["USERNAME", "DISPLAY", "NAME", "ROLE", "ACTIVE", "LAST", "LOG-IN", "(UTC)",
                                "THROTTLED", "UNTIL", "(UTC)"]
    ada = next(line for line in lines if line.startswith("ada "))
    rita = next(line for line in lines if line.startswith("rita "))
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    assert ada.split()[:4] == ["ada", "ada", "admin", "yes"] and today in ada and ada.rstrip().endswith("-")
    assert rita.split()[:5] == ["rita", "rita", "reviewer", "yes", "-"]
    assert until.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") in rita
