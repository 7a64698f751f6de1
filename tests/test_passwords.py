"""The password policy: a real common-password list, patterns, likeness to the username.

It applies wherever a password is set: account creation, an admin's reset,
one's own change, and the command line (tests/test_user_cli.py).
"""

from __future__ import annotations

import re
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from factcheck.services import passwords

from .conftest import PASSWORD

REPO = Path(__file__).resolve().parents[1]


def _error(response, field):
    match = re.search(rf'id="{field}-error">([^<]*)<', response.get_data(as_text=True))
    return match.group(1).replace("&#39;", "'") if match else None


def test_the_common_list_is_real_and_shipped_inside_the_package():
    data = resources.files("factcheck").joinpath("data", "common-passwords.txt.gz")
    assert data.is_file()
    assert len(passwords.common_passwords()) >= 10_000
    # Its origin and licence travel with it.
    notice = (REPO / "factcheck" / "data" / "README.md").read_text()
    assert "BSD" in notice or "Redistribution and use" in notice


@pytest.mark.parametrize(
    "password, reason",
    [
        # The three reproduced as accepted before.
        ("Password12345", "common"),
        ("qwertyuiop12", "common"),
        ("abcdabcdabcd", "repeats"),
        # Listed passwords, whatever their case.
        ("BASEBALL1234", "common"),
        ("Qwertyuiop123", "common"),
        # A listed word with digits/symbols added at either end, or with symbol swaps.
        ("Sunshine2024!", "common password with digits"),
        ("!!dragon2024", "common password with digits"),
        ("P@ssw0rd-2025", "common password with digits"),
        # Repetitions and keyboard or alphabet runs that are not on the list.
        ("passwordpassword", "repeats"),
        ("zzzzzzzzzzzzzzz", "different characters"),
        ("mnbvcxzlkjhg", "keyboard pattern"),
        ("abcdqwerzxcv", "keyboard pattern"),
        ("987654321098", "keyboard pattern"),
        ("1qaz2wsx3edc4rfv", "keyboard pattern|common"),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    problems = passwords.password_problems(password, "someone")
    assert problems, password
    assert re.search(reason, " ".join(problems)), problems


@pytest.mark.parametrize(
    "password, username",
    [
        ("rita-rules-the-desk", "rita"),  # contains it
        ("R1t4 rules the desk", "rita"),  # with symbol swaps
        ("atir rules the desk", "rita"),  # reversed
        ("the night editor", "the-night-editor-2"),  # contained in the username
        ("marco polo 1999", "marco.polo"),  # separators dropped
        ("my name is samuel77", "samuel77"),  # digits dropped from the name
    ],
)
def test_passwords_like_the_username_are_refused(password, username):
    assert any("username" in p for p in passwords.password_problems(password, username))


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "a long passphrase", "tram paper 42 violet", "Xk9#mQ2$pL7v-w", "plum-harbour-kettle-71"],
)
def test_good_passwords_pass(password):
    assert passwords.password_problems(password, "rita") == []


def test_minimum_length_is_unchanged():
    assert passwords.password_problems("tr4m-v1olet", "x") == ["Use at least 12 characters."]
    assert passwords.MIN_LENGTH == 12


# --- every place a password is set ------------------------------------------


def test_account_creation_refuses_a_weak_password_beside_the_field(login):
    response = login("ada").post(
        "/admin/users", {"username": "newbie", "display_name": "", "role": "reviewer", "password": "Password12345"}
    )
    assert response.status_code == 422
    assert "too common" in _error(response, "password")


def test_admin_reset_refuses_a_weak_password_beside_the_field(login, users):
    response = login("ada").post(f"/admin/users/{users['rita'].id}/password", {"password": "qwertyuiop12"})
    assert response.status_code == 422
    assert "too common" in _error(response, "password")


def test_own_change_refuses_a_weak_password_beside_the_field(login):
    response = login("rita").post(
        "/account/password",
        {"current_password": PASSWORD, "new_password": "abcdabcdabcd", "confirm": "abcdabcdabcd"},
    )
    assert response.status_code == 422
    assert "only repeats 'abcd'" in _error(response, "new_password")


def test_the_wheel_carries_the_list(tmp_path):
    """pyproject packages factcheck/, so factcheck/data/ lands in the wheel."""
    hatchling = pytest.importorskip("hatchling.builders.wheel")
    builder = hatchling.WheelBuilder(str(REPO))
    wheel = next(iter(builder.build(directory=str(tmp_path), versions=["standard"])))
    names = zipfile.ZipFile(wheel).namelist()
    assert "factcheck/data/common-passwords.txt.gz" in names
    assert "factcheck/data/README.md" in names
