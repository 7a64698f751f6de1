"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256

# A short list of passwords long enough to pass the length rule but never fine.
_COMMON = {
    "password1234",
    "123456789012",
    "qwertyuiopas",
    "correcthorsebatterystaple",
    "letmeinletmein",
    "passwordpassword",
    "administrator",
    "factcheck123",
}


def _hasher() -> PasswordHasher:
    # RFC 9106's second recommended profile (the argon2-cffi default) in
    # production. FACTCHECK_ARGON2_FAST=1 lowers the cost for the test suite
    # only; the hash is still argon2id.
    if os.environ.get("FACTCHECK_ARGON2_FAST") == "1":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    return PasswordHasher(type=Type.ID)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


# Verified against when the username is unknown, so that both answers take
# about as long as each other.
_DUMMY_HASH: str | None = None


def burn_verification_time(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("not-a-real-password-for-timing")
    verify_password(_DUMMY_HASH, password)


def password_problems(password: str, username: str = "") -> list[str]:
    """Why a password is refused (empty when acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append("The password must not contain the username.")
    if password and len(set(password)) < 4:
        problems.append("Use more than three different characters.")
    if lowered in _COMMON:
        problems.append("That password is too common.")
    return problems
