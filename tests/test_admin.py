"""Administrators manage accounts; nobody removes the last administrator."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.models import Role, User
from factcheck.services import passwords
from factcheck.services import users as user_service
from factcheck.services.errors import LoginFailed, ValidationFailed

from .conftest import PASSWORD


def _error(response, field):
    match = re.search(rf'id="{field}-error">([^<]*)<', response.get_data(as_text=True))
    return match.group(1).replace("&#39;", "'") if match else None


def test_create_account(login, session):
    admin = login("ada")
    response = admin.post(
        "/admin/users", {"username": "nadia", "display_name": "Nadia", "role": "editor", "password": "a fine passphrase"}
    )
    assert response.status_code == 302
    nadia = session.execute(select(User).where(User.username == "nadia")).scalar_one()
    assert nadia.role is Role.EDITOR
    assert login("nadia", "a fine passphrase").get("/activity").status_code == 200


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"username": "bad name", "password": "a fine passphrase"}, "username", "no spaces"),
        ({"username": "RITA", "password": "a fine passphrase"}, "username", "is taken"),
        ({"username": "newbie", "password": "short"}, "password", "at least 12"),
        ({"username": "newbie", "password": "newbie-passphrase"}, "password", "must not contain the username"),
    ],
)
def test_bad_accounts_are_refused_beside_the_field(login, session, data, field, message):
    count = len(session.execute(select(User.id)).all())
    response = login("ada").post("/admin/users", {"display_name": "", "role": "reviewer", **data})
    assert response.status_code == 422
    assert message in _error(response, field)
    assert len(session.execute(select(User.id)).all()) == count


def test_role_change_takes_effect_at_once(login, users):
    rita = login("rita")
    assert rita.get("/activity").status_code == 403
    assert login("ada").post(f"/admin/users/{users['rita'].id}/role", {"role": "editor"}).status_code == 302
    assert rita.get("/activity").status_code == 200


def test_reset_password_ends_sessions_and_clears_the_throttling(login, users, session):
    rita = login("rita")
    for i in range(5):  # rita's own address is now throttled
        with pytest.raises(LoginFailed):
            user_service.authenticate(session, "rita", f"guess {i}", address="127.0.0.1")
    response = login("ada").post(f"/admin/users/{users['rita'].id}/password", {"password": "a reset passphrase"})
    assert response.status_code == 302
    assert rita.get("/claims").status_code == 302
    assert login("rita", "a reset passphrase").get("/claims").status_code == 200


def test_last_admin_cannot_be_demoted_or_deactivated(login, users, session):
    admin = login("ada")
    ada_id = users["ada"].id
    response = admin.post(f"/admin/users/{ada_id}/role", {"role": "editor"})
    assert response.status_code == 422
    assert "last active administrator" in response.get_data(as_text=True)
    response = admin.post(f"/admin/users/{ada_id}/active", {"active": "0"})
    assert response.status_code == 422
    session.expire_all()
    ada = session.get(User, ada_id)
    assert ada.role is Role.ADMIN and ada.is_active
    # With a second admin, the first may step down.
    user_service.set_role(session, ada_id, users["eddie"].id, Role.ADMIN)
    assert admin.post(f"/admin/users/{ada_id}/role", {"role": "editor"}).status_code == 302


def test_deactivated_admin_does_not_count(session, users):
    user_service.set_role(session, users["ada"].id, users["erin"].id, Role.ADMIN)
    user_service.set_active(session, users["ada"].id, users["erin"].id, False)
    with pytest.raises(ValidationFailed, match="last active administrator"):
        user_service.set_active(session, users["ada"].id, users["ada"].id, False)


# --- an admin's own password ------------------------------------------------


def test_the_forms_tell_the_rule_before_it_is_broken(login, users):
    admin = login("ada")
    for url in ("/admin/users", f"/admin/users/{users['rita'].id}", "/account/password"):
        assert "not a common password" in admin.get(url).get_data(as_text=True), url



def test_admin_changing_their_own_password_must_give_the_current_one(login, users, app):
    admin = login("ada")
    page = admin.get(f"/admin/users/{users['ada'].id}").get_data(as_text=True)
    assert 'id="current_password"' in page  # asked for on their own page only
    assert 'id="current_password"' not in admin.get(f"/admin/users/{users['rita'].id}").get_data(as_text=True)
    url = f"/admin/users/{users['ada'].id}/password"
    response = admin.post(url, {"password": "a reset passphrase"})
    assert response.status_code == 422
    assert "not your current password" in _error(response, "current_password")
    response = admin.post(url, {"current_password": "a wrong guess here", "password": "a reset passphrase"})
    assert response.status_code == 422
    assert "not your current password" in _error(response, "current_password")
    response = admin.post(url, {"current_password": PASSWORD, "password": "Password12345"})
    assert response.status_code == 422 and "too common" in _error(response, "password")
    response = admin.post(url, {"current_password": PASSWORD, "password": "a reset passphrase"})
    assert response.status_code == 302
    assert admin.get("/admin/users").status_code == 200  # this session goes on
    assert login("ada", "a reset passphrase").get("/claims").status_code == 200


def test_service_reset_of_ones_own_password_needs_the_current_one(session, users):
    ada = users["ada"].id
    with pytest.raises(ValidationFailed) as info:
        user_service.reset_password(session, ada, ada, "a reset passphrase")
    assert "current_password" in info.value.errors
    user_service.reset_password(session, ada, ada, "a reset passphrase", current_password=PASSWORD)


# --- one transaction per use case -------------------------------------------


def test_use_cases_join_an_outer_unit_of_work(fresh_db_url):
    """A role change inside a larger unit that fails is not saved on its own."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from factcheck.db import sqlalchemy_url
    from factcheck.services.unit import unit_of_work

    engine = create_engine(sqlalchemy_url(fresh_db_url))
    try:
        with Session(engine, expire_on_commit=False) as s:
            ada = user_service.create_user(s, username="ada", password=PASSWORD, role=Role.ADMIN)
            rita = user_service.create_user(s, username="rita", password=PASSWORD, role=Role.REVIEWER)
        with Session(engine) as s, pytest.raises(RuntimeError):
            with unit_of_work(s):
                user_service.set_role(s, ada.id, rita.id, Role.EDITOR)
                user_service.reset_password(s, ada.id, rita.id, "a reset passphrase")
                raise RuntimeError("a later step fails")
        with Session(engine) as s:
            again = s.get(User, rita.id)
            assert again.role is Role.REVIEWER
            assert passwords.verify_password(again.password_hash, PASSWORD)
    finally:
        engine.dispose()


# --- the last-admin rule under concurrency ----------------------------------

ROUNDS = 5


def _admins_race(fresh_db_url, action):
    """Run action(session, me, other) for two admins at the same moment, ROUNDS times."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import create_engine, func
    from sqlalchemy.orm import sessionmaker

    from factcheck.db import sqlalchemy_url
    from factcheck.services.errors import PermissionDenied

    engine = create_engine(sqlalchemy_url(fresh_db_url), pool_size=4, max_overflow=0)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    outcomes_by_round = []
    try:
        with factory() as s:
            a = user_service.create_user(s, username="anna", password=PASSWORD, role=Role.ADMIN).id
            b = user_service.create_user(s, username="bert", password=PASSWORD, role=Role.ADMIN).id
        for _ in range(ROUNDS):
            with factory() as s:  # both admins and active again
                for uid in (a, b):
                    user = s.get(User, uid)
                    user.role, user.is_active = Role.ADMIN, True
                s.commit()
            start = threading.Barrier(2)

            def attempt(pair):
                me, other = pair
                with factory() as s:
                    start.wait(timeout=30)
                    try:
                        action(s, me, other)
                        return "done"
                    except (ValidationFailed, PermissionDenied) as exc:
                        return exc.message

            with ThreadPoolExecutor(max_workers=2) as pool:
                outcomes = list(pool.map(attempt, [(a, b), (b, a)]))
            with factory() as s:
                admins = s.execute(
                    select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.is_active.is_(True))
                ).scalar_one()
            assert admins >= 1, outcomes
            outcomes_by_round.append(outcomes)
    finally:
        engine.dispose()
    return outcomes_by_round


def test_two_admins_demoting_each_other_at_once_leave_one(fresh_db_url):
    rounds = _admins_race(fresh_db_url, lambda s, me, other: user_service.set_role(s, me, other, Role.EDITOR))
    for outcomes in rounds:
        assert outcomes.count("done") == 1, outcomes
        # The loser is told plainly: by the time its turn came it was no admin any more.
        refusal = next(o for o in outcomes if o != "done")
        assert refusal in (
            "You are no longer an active administrator; nothing was changed.",
            "Only administrators can manage accounts.",
        ), refusal


def test_two_admins_stepping_down_at_once_leave_one(fresh_db_url):
    rounds = _admins_race(fresh_db_url, lambda s, me, other: user_service.set_role(s, me, me, Role.REVIEWER))
    for outcomes in rounds:
        assert outcomes.count("done") == 1, outcomes
        assert any("is the last active administrator" in o for o in outcomes), outcomes


def test_two_admins_deactivating_each_other_at_once_leave_one(fresh_db_url):
    rounds = _admins_race(fresh_db_url, lambda s, me, other: user_service.set_active(s, me, other, False))
    for outcomes in rounds:
        assert outcomes.count("done") == 1, outcomes


def test_demotion_racing_a_deactivation_leaves_one(fresh_db_url):
    def action(s, me, other):
        if me < other:
            user_service.set_role(s, me, me, Role.EDITOR)  # one steps down ...
        else:
            user_service.set_active(s, me, me, False)  # ... as the other deactivates themselves
    rounds = _admins_race(fresh_db_url, action)
    for outcomes in rounds:
        assert outcomes.count("done") == 1, outcomes
