"""The alias table: names that mean the same place or body, used by search and related claims."""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..models import Alias, AliasGroup
from ..paths import SEEDS_DIR
from .errors import NotFound, SeedError, ValidationFailed
from .permissions import Permission, require
from .unit import use_case
from .users import active_user

MAX_VARIANTS = 24
MAX_TERM = 120


@dataclass(frozen=True)
class AliasIndex:
    """Every group's terms, and a matcher that finds them in text (whole words, any case)."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (group name, terms)

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        terms = sorted({t for _, ts in self.groups for t in ts}, key=len, reverse=True)
        if not terms:
            return None
        return re.compile(r"(?<!\w)(" + "|".join(_flexible(t) for t in terms) + r")(?!\w)", re.IGNORECASE)

    @cached_property
    def _group_of(self) -> dict[str, int]:
        return {_key(t): i for i, (_, ts) in enumerate(self.groups) for t in ts}

    def find(self, text: str) -> list[tuple[int, str]]:
        """(group index, the words as written) for every alias in ``text``, in order."""
        if self._pattern is None or not text:
            return []
        found = []
        for match in self._pattern.finditer(text):
            group = self._group_of.get(_key(match.group(0)))
            if group is not None:
                found.append((group, match.group(0)))
        return found

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where aliases stand in ``text``."""
        if self._pattern is None or not text:
            return []
        return [m.span() for m in self._pattern.finditer(text)]

    def groups_in(self, text: str) -> dict[int, str]:
        """Each group mentioned in ``text`` with the first spelling used."""
        seen: dict[int, str] = {}
        for group, written in self.find(text):
            seen.setdefault(group, written)
        return seen

    def name(self, group: int) -> str:
        return self.groups[group][0]

    def terms(self, group: int) -> tuple[str, ...]:
        return self.groups[group][1]

    def expand(self, query: str) -> list[str]:
        """The query with each alias it names written in each of its group's spellings.

        The user's own operators (quotes, OR, -) are kept: only the alias words
        change. Spellings go in with hyphens as spaces: the words still match
        hyphenated text (its vector holds "al-zour", "al" and "zour"), while a
        typed hyphen would ask for the hyphenated form only. A negated alias
        ("-ISIS") excludes every name of its group in every variant, since
        OR-ing variants that each excluded one name would let the others in.
        At most MAX_VARIANTS variants.
        """
        if self._pattern is None or not query:
            return [query]
        mentions = [
            (m.start(), m.end(), self._group_of[_key(m.group(0))], m.group(0))
            for m in self._pattern.finditer(query)
            if _key(m.group(0)) in self._group_of
        ]
        if not mentions:
            return [query]
        negated = [start > 0 and query[start - 1] == "-" and (start == 1 or query[start - 2].isspace())
                   for start, _, _, _ in mentions]
        choices: dict[int, list[str]] = {}
        for (_, _, group, written), is_negated in zip(mentions, negated):
            if is_negated or group in choices:
                continue
            spellings = [written.replace("-", " ")]
            for term in self.terms(group):
                plain = term.replace("-", " ")
                if _key(plain) not in {_key(s) for s in spellings}:
                    spellings.append(plain)
            choices[group] = spellings
        variants: list[str] = []
        for combination in itertools.product(*choices.values()):
            chosen = dict(zip(choices, combination))
            pieces, last = [], 0
            for (start, end, group, _), is_negated in zip(mentions, negated):
                if is_negated:
                    pieces += [query[last : start - 1], " ".join(_excluded(t) for t in self.terms(group))]
                else:
                    pieces += [query[last:start], chosen[group]]
                last = end
            variant = "".join(pieces) + query[last:]
            if variant not in variants:
                variants.append(variant)
            if len(variants) >= MAX_VARIANTS:
                break
        return variants


def _excluded(term: str) -> str:
    """websearch syntax that excludes a term: -word, or -"two words"."""
    plain = term.replace("-", " ")
    return f'-"{plain}"' if " " in plain else f"-{plain}"


def _key(term: str) -> str:
    return re.sub(r"[\s\u2019'\-]+", " ", term.lower()).strip()


def _flexible(term: str) -> str:
    """A pattern for a term that tolerates other spacing, hyphens and apostrophes."""
    parts = [re.escape(p) for p in re.split(r"[\s\u2019'\-]+", term.strip()) if p]
    return r"[\s\u2019'\-]*".join(parts) if len(parts) > 1 else (parts[0] if parts else re.escape(term))


def load_index(session: Session) -> AliasIndex:
    groups = session.execute(select(AliasGroup).options(selectinload(AliasGroup.aliases)).order_by(AliasGroup.name)).scalars()
    return AliasIndex(tuple((g.name, tuple(a.term for a in g.aliases)) for g in groups))


# --- editing (editors) ---------------------------------------------------------


def list_groups(session: Session) -> list[AliasGroup]:
    return list(
        session.execute(
            select(AliasGroup).options(selectinload(AliasGroup.aliases)).order_by(func.lower(AliasGroup.name))
        ).scalars()
    )


def _clean_terms(name: str, terms: list[str]) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the group a name."]
    elif len(name) > MAX_TERM:
        errors["name"] = [f"Use at most {MAX_TERM} characters."]
    cleaned: list[str] = []
    seen: set[str] = set()
    for term in terms:
        term = term.strip()
        if not term:
            continue
        if len(term) > MAX_TERM:
            errors.setdefault("terms", []).append(f"{term[:30]}…: use at most {MAX_TERM} characters.")
            continue
        if _key(term) not in seen:
            seen.add(_key(term))
            cleaned.append(term)
    if name and _key(name) not in seen:
        cleaned.insert(0, name)
    if len(cleaned) < 2:
        errors.setdefault("terms", []).append("A group needs at least two different names.")
    if errors:
        raise ValidationFailed(errors)
    return name, cleaned


@use_case
def save_group(
    session: Session, actor_id: int, group_id: int | None, name: str, terms: list[str], note: str | None = None
) -> AliasGroup:
    require(active_user(session, actor_id), Permission.EDIT_ALIASES)
    name, cleaned = _clean_terms(name, terms)
    group = None
    if group_id is not None:
        group = session.get(AliasGroup, group_id)
        if group is None:
            raise NotFound(f"No alias group #{group_id}.")
    try:
        # Every write goes in inside the savepoint (begin_nested() first flushes what
        # is pending), so a taken name or term rolls back to it and the session stays
        # usable to say which one it was.
        with session.begin_nested():
            if group is None:
                group = AliasGroup(name=name)
                session.add(group)
            else:
                group.name = name
                group.aliases.clear()
                session.flush()
            group.note = (note or "").strip() or None
            group.updated_at = func.now()
            group.aliases.extend(Alias(term=t) for t in cleaned)
            session.flush()
    except IntegrityError as exc:
        if _name_taken(session, name, group_id):
            raise ValidationFailed({"name": [f"There is already a group called “{name}”."]}) from exc
        taken = _taken_term(session, cleaned, group_id)
        raise ValidationFailed(
            {"terms": [f"“{taken}” already belongs to another group." if taken else "That name or a term is already used."]}
        ) from exc
    return group


def _name_taken(session: Session, name: str, group_id: int | None) -> bool:
    found = session.execute(select(AliasGroup.id).where(AliasGroup.name == name)).scalars().all()
    return any(gid != group_id for gid in found)


def _taken_term(session: Session, terms: list[str], group_id: int | None) -> str | None:
    rows = session.execute(
        select(Alias.term, Alias.group_id).where(func.lower(Alias.term).in_([t.lower() for t in terms]))
    ).all()
    return next((term for term, gid in rows if gid != group_id), None)


@use_case
def delete_group(session: Session, actor_id: int, group_id: int) -> None:
    require(active_user(session, actor_id), Permission.EDIT_ALIASES)
    group = session.get(AliasGroup, group_id)
    if group is None:
        raise NotFound(f"No alias group #{group_id}.")
    session.delete(group)


@use_case
def seed_aliases(session: Session, seeds_dir: Path = SEEDS_DIR) -> int:
    """Add the default groups that are missing (by name); return how many were added."""
    path = seeds_dir / "aliases.toml"
    if not path.exists():
        return 0
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(f"{path}: {exc}") from exc
    existing = {g.lower() for g in session.execute(select(AliasGroup.name)).scalars()}
    taken = {_key(t) for t in session.execute(select(Alias.term)).scalars()}
    added = 0
    for index, entry in enumerate(data.get("groups", []), start=1):
        name, terms = entry.get("name"), entry.get("terms", [])
        if not name or len(terms) < 2:
            raise SeedError(f"{path.name}: group {index} needs a name and at least two terms")
        if name.lower() in existing:
            continue
        fresh = [t for t in terms if _key(t) not in taken]
        group = AliasGroup(name=name, aliases=[Alias(term=t) for t in fresh])
        session.add(group)
        taken.update(_key(t) for t in fresh)
        added += 1
    return added
