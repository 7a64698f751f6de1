"""Password hashing (argon2id) and the password policy.

The policy refuses, with a message for each reason:

* fewer than 12 or more than 256 characters, or fewer than four different
  characters;
* anything on the list of the 19,640 most common passwords shipped in
  factcheck/data/common-passwords.txt.gz (case-insensitive, also after
  undoing the usual letter-for-symbol swaps such as ``p@ssw0rd``);
* a common password with digits or symbols stuck on either end
  (``Password12345``, ``!!dragon2024``): the letters in the middle are
  checked against the same list;
* a password that is one short piece repeated (``abcdabcdabcd``,
  ``passwordpassword``);
* keyboard walks and runs (``qwertyuiop12``, ``1qaz2wsx3edc``,
  ``abcdefghijkl``, ``987654321098``): what is left once every run of
  neighbouring keys is taken out is too short to count;
* anything too close to the username: containing it, contained in it, or
  either of those after lower-casing, undoing symbol swaps, dropping
  separators or reversing.

The list is Django's ``common-passwords.txt.gz`` (BSD-3-Clause, see
factcheck/data/README.md), vendored so the check needs no network.
"""

from __future__ import annotations

import functools
import gzip
import os
import re
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256
# What must remain of a password once keyboard runs are taken out.
MIN_NON_WALK = 6
# Runs of neighbouring keys at least this long count as a walk.
WALK_RUN = 4
# A common password inside added digits/symbols counts from this length on
# (shorter "bases" such as a single letter are noise in random passwords).
MIN_BASE = 4

POLICY_HINT = (
    "At least 12 characters; not a common password (with or without digits added), "
    "not a keyboard pattern or a repetition, not like the username."
)


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


# --- the policy ---------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased, plus a few of our own."""
    data = resources.files("factcheck").joinpath("data", "common-passwords.txt.gz").read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    listed = (line.strip().lower() for line in text.splitlines())
    return frozenset(word for word in listed if word) | _OURS


# Long enough for the length rule, missing from the list, and never fine here.
_OURS = frozenset(
    {
        "correcthorsebatterystaple",
        "administrator",
        "factcheck",
        "factchecker",
        "factchecking",
        "newsroom",
        "verification",
    }
)


# Symbols people put in place of letters.
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t", "+": "t", "8": "b", "9": "g"})
_SEPARATORS = re.compile(r"[\s\-_.]+")
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")


def _variants(lowered: str) -> set[str]:
    """The password as typed and as people disguise it (lower case throughout)."""
    out = {lowered, _SEPARATORS.sub("", lowered)}
    out |= {v.translate(_LEET) for v in list(out)}
    return {v for v in out if v}


def _is_common(lowered: str) -> bool:
    common = common_passwords()
    return any(v in common for v in _variants(lowered))


def _common_base(lowered: str) -> str | None:
    """The common password left when digits/symbols at either end are dropped."""
    common = common_passwords()
    candidates = {_EDGES.sub("", lowered), _EDGES.sub("", _SEPARATORS.sub("", lowered))}
    for candidate in list(candidates):
        if candidate:
            # Only the ends were digits/symbols: undo swaps in the middle too.
            candidates.add(candidate.translate(_LEET))
    for base in candidates:
        if len(base) >= MIN_BASE and base != lowered and base in common:
            return base
    return None


def _repeated_unit(lowered: str) -> str | None:
    """The short piece the password repeats (``abcd`` in ``abcdabcdabcd``), if any."""
    n = len(lowered)
    for size in range(1, n // 2 + 1):
        unit = lowered[:size]
        if (unit * (n // size + 1))[:n] == lowered:
            return unit
    return None


# Keyboard neighbours on a US layout (staggered rows), with shifted symbols
# read as their keys.
_ROWS = ["`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./"]
_SHIFTED = str.maketrans('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./")


def _keyboard_neighbours() -> dict[str, set[str]]:
    position = {ch: (r, c) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}
    neighbours: dict[str, set[str]] = {ch: set() for ch in position}
    for ch, (r, c) in position.items():
        # Same row either side; the row above is offset half a key to the
        # right, so a key touches (r-1, c) and (r-1, c+1), and (r+1, c-1), (r+1, c).
        for rr, cc in ((r, c - 1), (r, c + 1), (r - 1, c), (r - 1, c + 1), (r + 1, c - 1), (r + 1, c)):
            if 0 <= rr < len(_ROWS) and 0 <= cc < len(_ROWS[rr]):
                neighbours[ch].add(_ROWS[rr][cc])
    return neighbours


_NEIGHBOURS = _keyboard_neighbours()


def _adjacent(a: str, b: str) -> bool:
    if a == b:
        return True
    if b in _NEIGHBOURS.get(a, ()):
        return True
    # Alphabet and digit runs in either direction: abcd, 9876.
    if (a.isdigit() and b.isdigit()) or (a.isalpha() and b.isalpha() and a.isascii() and b.isascii()):
        return abs(ord(a) - ord(b)) == 1
    return False


def _non_walk_length(lowered: str) -> int:
    """How many characters are not part of a run of neighbouring keys."""
    text = lowered.translate(_SHIFTED)
    covered = 0
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not _adjacent(text[i - 1], text[i]):
            if i - start >= WALK_RUN:
                covered += i - start
            start = i
    return len(text) - covered


def _username_forms(name: str) -> set[str]:
    base = {name, _SEPARATORS.sub("", name)}
    base |= {v.translate(_LEET) for v in list(base)}
    base |= {re.sub(r"\d+$", "", v) for v in list(base)}  # rita2024 -> rita
    return {v for v in base if len(v) >= 3}


def _too_like_username(lowered: str, username: str) -> bool:
    name = username.strip().lower()
    if not name:
        return False
    if name in lowered:
        return True
    forms = _username_forms(name)
    for pw in _variants(lowered) | {_EDGES.sub("", lowered)}:
        if not pw:
            continue
        for form in forms:
            if form in pw or form[::-1] in pw or (len(pw) >= 4 and pw in form):
                return True
    return False


def password_problems(password: str, username: str = "") -> list[str]:
    """Why a password is refused (empty when acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
        return problems  # no point checking patterns in something this long
    lowered = password.lower()
    if username and _too_like_username(lowered, username):
        problems.append("The password must not contain the username or be too like it.")
    if password and len(set(password)) < 4:
        problems.append("Use more than three different characters.")
    elif _is_common(lowered):
        problems.append("That password is too common: it is on a list of the most used passwords.")
    elif _common_base(lowered):
        problems.append(
            "That is a common password with digits or symbols added, which is as easy to guess. "
            "Use several unrelated words instead."
        )
    elif (unit := _repeated_unit(lowered)) is not None:
        problems.append(f"The password only repeats {unit!r}.")
    elif len(password) >= MIN_LENGTH and _non_walk_length(lowered) < MIN_NON_WALK:
        problems.append("The password is mostly a keyboard pattern or a run of letters or digits.")
    return problems
