"""Administrators manage accounts; nobody removes the last administrator."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.models import Role, User
from factcheck.services import users as user_service
from factcheck.services.errors import ValidationFailed


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


def test_reset_password_ends_sessions_and_clears_the_lock(login, users, session):
    rita = login("rita")
    users["rita"].locked_until = user_service.utcnow().replace(year=2100)
    session.commit()
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
