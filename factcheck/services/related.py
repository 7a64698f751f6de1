"""Claims about the same thing across articles: suggestions, links, verdict reuse, conflicting figures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from typing import NamedTuple

from sqlalchemy import Integer, String, Text, and_, bindparam, case, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.orm import Session, aliased
from sqlalchemy.exc import IntegrityError

from ..models import (
    Alias,
    AliasGroup,
    Article,
    Category,
    Claim,
    ClaimLink,
    ClaimStatus,
    EventAction,
    Evidence,
    LinkKind,
    Verdict,
)
from .aliases import AliasIndex, load_index
from .errors import InvalidTransition, NotFound, ValidationFailed
from .history import record_event
from .paging import run_compiled
from .permissions import Permission, can, require
from .unit import use_case
from .users import active_user

MAX_ENTITIES = 6
CANDIDATES = 40
MAX_RANKED = 200
# Eight suggestions are shown: a smaller probe than search's is plenty.
PROBE_ROWS, PROBE_WINDOW = 1_500, 60

# Capitalised words that start sentences or clauses rather than name things.
_NOT_NAMES = {
    "the", "a", "an", "it", "its", "this", "that", "these", "those", "if", "in", "on", "at", "as", "by",
    "for", "from", "of", "to", "and", "but", "or", "however", "meanwhile", "since", "after", "before",
    "when", "while", "during", "similarly", "even", "once", "any", "some", "all", "we", "you", "he", "she",
    "they", "his", "her", "their", "our", "your", "i", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "last", "over", "more", "nearly",
}
_NAME = re.compile(r"(?<![\w’'-])(?:[A-Z][\w’'-]*(?:\s+(?:al|el|de|of|the|bin)?\s*[A-Z][\w’'-]*)*|[A-Z]{2,}[\w-]*)")


@dataclass(frozen=True)
class Entity:
    label: str  # as shown: "Deir Ezzor" (group) or the name as written
    terms: tuple[str, ...]  # the phrases that stand for it in text
    group: int | None = None  # alias group index, when it is one


def entities_of(text: str, aliases: AliasIndex) -> list[Entity]:
    """Named places, bodies and people in a claim's words, alias groups first."""
    out = [Entity(aliases.name(g), aliases.terms(g), g) for g in aliases.groups_in(text)]
    # Blank out the aliases so a name run cannot swallow one ("Iran's Islamic
    # Revolutionary Guard Corps" is Iran, then the IRGC).
    for start, end in aliases.spans(text):
        text = text[:start] + "." * (end - start) + text[end:]
    seen = {e.label.lower() for e in out}
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower() in _NOT_NAMES:
            words.pop(0)
        name = re.sub(r"[’']s$", "", " ".join(words)).strip("’'-")
        too_short = len(name) < 3 and not (len(name) == 2 and name.isupper())
        if too_short or name.lower() in seen or name.lower() in _NOT_NAMES:
            continue
        seen.add(name.lower())
        out.append(Entity(name, (name,)))
    return out[:MAX_ENTITIES]


def _entity_query(entity: int, terms: int):
    # The words of each spelling, ANDed: much cheaper to match than a phrase
    # (no positions to check) and nearly as precise for names. The spellings
    # are bound parameters (_terms_of gives their values).
    parts = [func.plainto_tsquery("english", bindparam(f"e{entity}_{j}", type_=String)) for j in range(terms)]
    query = parts[0]
    for part in parts[1:]:
        query = query.op("||")(part)
    return query


def _or(queries):
    query = queries[0]
    for q in queries[1:]:
        query = query.op("||")(q)
    return query


# Units that name the same thing. normalise_unit and _unit_key (its SQL twin,
# for the dashboard) apply the same rules; a test checks they agree.
_UNIT_SYNONYMS = {"person": "people", "persons": "people", "people": "people"}


def normalise_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    unit = unit.strip().lower()
    if unit in _UNIT_SYNONYMS:
        return _UNIT_SYNONYMS[unit]
    if unit.endswith("ies"):
        return unit[:-3] + "y"
    if unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit


def figure(value: Decimal | None, unit: str | None, qualifier: str | None) -> str:
    if value is None:
        return ""
    number = f"{value.normalize():,f}"
    return " ".join(p for p in (qualifier, number, unit) if p)


def figures_conflict(a: Claim, b: Claim) -> bool:
    """Both give a figure for the same kind of thing, and the figures differ."""
    return (
        a.quantity_value is not None
        and b.quantity_value is not None
        and a.category == b.category
        and normalise_unit(a.quantity_unit) == normalise_unit(b.quantity_unit)
        and a.quantity_value != b.quantity_value
    )


@dataclass(slots=True)
class Candidate:
    """A suggested claim: the columns the suggestion list and its scoring read, not a whole Claim."""

    id: int
    article_id: int
    quote: str
    statement: str
    status: ClaimStatus
    category: Category
    quantity_value: Decimal | None
    quantity_unit: str | None
    quantity_qualifier: str | None


@dataclass
class Suggestion:
    claim: Candidate | Claim
    article_title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    conflict: str | None = None
    link: ClaimLink | None = None


_STATEMENTS: dict[tuple, tuple[str, dict]] = {}  # compiled once per key (paging.run_compiled)


# --- the alias index, read as one compiled statement ----------------------------

_ALIASES = (
    select(AliasGroup.name, Alias.term)
    .outerjoin(Alias, Alias.group_id == AliasGroup.id)
    .order_by(AliasGroup.name, Alias.id)  # load_index's order: groups by name, each group's terms by id
)
_last_index: AliasIndex | None = None


def page_alias_index(session: Session) -> AliasIndex:
    """aliases.load_index() for a page: one statement sent as SQL rather than an ORM load
    of every group and alias, and the same AliasIndex object while the aliases are
    unchanged, so its matcher is not rebuilt for every claim page."""
    global _last_index
    groups: list[tuple[str, list[str]]] = []
    for name, term in run_compiled(session.connection(), _STATEMENTS, ("aliases",), lambda: _ALIASES, {}):
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
        if term is not None:
            groups[-1][1].append(term)
    found = tuple((name, tuple(terms)) for name, terms in groups)
    index = _last_index
    if index is None or index.groups != found:
        index = _last_index = AliasIndex(found)
    return index


# --- the suggestion statements, built and compiled once per shape ----------------
#
# A claim page used to build these statements on every request (a tsquery per
# entity, the OR of their pairs, the rank expression, the candidate select) and
# load 40 whole Claim entities through the ORM: 40 % of the page's CPU. They are
# now built once per shape (how many entities, how many spellings each, whether
# the claim's own words score), with the spellings, the category, the article
# and the ids as bound parameters, and sent as SQL (paging.run_compiled). The
# server gets the same SQL with the same values, so the plans are unchanged;
# tests/test_related_compiled.py checks the suggestions against the statements
# as they were built before.

_CATEGORY = bindparam("category", type_=Claim.__table__.c.category.type)
_STATUS_OF = {s.value: s for s in ClaimStatus}
_CATEGORY_OF = {c.value: c for c in Category}


def _candidate_condition(shape: tuple[int, ...]):
    """Two shared names, or one name and the same category, in another article."""
    entity_queries = [_entity_query(i, terms) for i, terms in enumerate(shape)]
    any_entity = _or(entity_queries)
    condition = and_(Claim.search_vector.op("@@")(any_entity), Claim.category == _CATEGORY)
    if len(entity_queries) > 1:
        pairs = [a.op("&&")(b) for a, b in combinations(entity_queries, 2)]
        condition = or_(condition, Claim.search_vector.op("@@")(_or(pairs)))
    return and_(condition, Claim.article_id != bindparam("article_id"))


def _newest_statement(shape):
    # search.newest_matches' statement: matches among the newest PROBE_ROWS claims.
    return (
        select(Claim.id)
        .where(_candidate_condition(shape), Claim.id > bindparam("floor"))
        .order_by(Claim.id.desc())
        .limit(PROBE_WINDOW)
    )


def _matches_statement(shape):
    return select(Claim.id).where(_candidate_condition(shape)).limit(MAX_RANKED)


def _ranked_statement(shape, own_words: bool):
    scoring = _or([_entity_query(i, terms) for i, terms in enumerate(shape)])
    if own_words:
        scoring = scoring.op("||")(cast(bindparam("own_words", type_=String), TSQUERY))
    rank = func.ts_rank_cd(Claim.search_vector, scoring, 1) + case((Claim.category == _CATEGORY, 0.3), else_=0.0)
    return (
        select(
            Claim.id,
            Claim.article_id,
            Claim.quote,
            Claim.statement,
            Claim.status,
            Claim.category,
            Claim.quantity_value,
            Claim.quantity_unit,
            Claim.quantity_qualifier,
            Article.title,
            rank.label("rank"),
        )
        .join(Article, Article.id == Claim.article_id)
        # = ANY(array) is what PostgreSQL makes of IN (list): the same plan, one parameter.
        .where(Claim.id == func.any(bindparam("ids", type_=ARRAY(Integer))))
        .order_by(rank.desc(), Claim.id)
        .limit(CANDIDATES)
    )


def _top_statement():
    return select(func.max(Claim.id))


def _lexemes_statement():
    return select(func.tsvector_to_array(func.to_tsvector("english", func.search_figures(bindparam("text", type_=Text)))))


def _terms_of(entities: list[Entity]) -> dict[str, str]:
    return {f"e{i}_{j}": term for i, e in enumerate(entities) for j, term in enumerate(e.terms)}


def related_claims(
    session: Session,
    claim_id: int,
    limit: int = 8,
    aliases: AliasIndex | None = None,
    links: list[tuple] | None = None,
    claim: Claim | None = None,
) -> list[Suggestion]:
    """Claims in other articles likely about the same thing, best first, each with why.
    ``links`` is the claim's claim_links() (or page_links()) and ``claim`` the claim
    itself when the caller has read them already."""
    if claim is None or claim.id != claim_id:
        claim = session.get(Claim, claim_id)
        if claim is None:
            raise NotFound(f"No claim #{claim_id}.")
    aliases = aliases or load_index(session)
    entities = entities_of(f"{claim.quote}. {claim.statement}", aliases)
    if not entities:
        return []
    connection = session.connection()
    shape = tuple(len(e.terms) for e in entities)
    values = {**_terms_of(entities), "category": claim.category.value, "article_id": claim.article_id}
    # Common names match thousands of claims: as in search, rank the newest
    # matches when they are dense, otherwise every match the index finds.
    top = run_compiled(connection, _STATEMENTS, ("top",), _top_statement, {})[0][0] or 0
    ids = [row[0] for row in run_compiled(
        connection, _STATEMENTS, ("newest", shape), lambda: _newest_statement(shape), {**values, "floor": top - PROBE_ROWS}
    )]
    if len(ids) < PROBE_WINDOW:
        ids = [row[0] for row in run_compiled(
            connection, _STATEMENTS, ("matches", shape), lambda: _matches_statement(shape), values
        )]
    words = _lexemes(session, claim.statement)
    if words:
        values["own_words"] = words
    rows = run_compiled(
        connection,
        _STATEMENTS,
        ("ranked", shape, bool(words)),
        lambda: _ranked_statement(shape, bool(words)),
        {**values, "ids": ids or [0]},
    )
    links = {other.id: link for link, other in (claim_links(session, claim.id) if links is None else links)}

    # What is said of every candidate against this claim, worked out once.
    category, value, unit = claim.category, claim.quantity_value, normalise_unit(claim.quantity_unit)
    same_category = f"same category ({category.label.lower()})"
    here = same_figure = None
    if value is not None:
        here = figure(value, claim.quantity_unit, claim.quantity_qualifier)
        same_figure = f"same figure ({figure(value, claim.quantity_unit, None)})"
    by_group = any(e.group is not None for e in entities)
    by_words = [(e, re.compile(r"(?<!\w)" + re.escape(e.terms[0]) + r"(?!\w)", re.IGNORECASE)) for e in entities if e.group is None]

    # The score needs only the names shared; reasons and figures are written for the
    # suggestions shown. (score, id) orders them as a sort of every candidate would.
    scored = []
    for row in rows:
        text = f"{row[2]} {row[3]}"
        groups = aliases.groups_in(text) if by_group else {}
        matched = {e for e, pattern in by_words if pattern.search(text)}
        shared = [e for e in entities if (e.group in groups if e.group is not None else e in matched)]
        scored.append((float(row[10]) + 0.2 * len(shared), row, shared, groups))
    scored.sort(key=lambda s: (-s[0], s[1][0]))

    suggestions = []
    for score, row, shared, groups in scored[:limit]:
        other = Candidate(
            row[0], row[1], row[2], row[3], _STATUS_OF[row[4]], _CATEGORY_OF[row[5]], row[6], row[7], row[8]
        )
        reasons = [_entity_reason(e, groups) for e in shared]
        if other.category is category:
            reasons.append(same_category)
        conflict = None
        if value is not None and other.quantity_value is not None and normalise_unit(other.quantity_unit) == unit:
            if other.quantity_value != value:
                if other.category is category:  # figures_conflict(claim, other)
                    conflict = (
                        f"{here} here, "
                        f"{figure(other.quantity_value, other.quantity_unit, other.quantity_qualifier)} there"
                    )
            else:
                reasons.append(same_figure)
        suggestions.append(Suggestion(other, row[9], score, reasons, conflict, links.get(other.id)))
    return suggestions



def _lexemes(session: Session, text: str) -> str:
    """The text's lexemes as a tsquery that matches any of them, each quoted so none can break the syntax.

    Figures go through search_figures() as in the index, so "1,500" scores as 1500, not as "1" and "500"."""
    lexemes = run_compiled(session.connection(), _STATEMENTS, ("lexemes",), _lexemes_statement, {"text": text})[0][0] or []
    return " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes if "\\" not in lexeme)


def _entity_reason(entity: Entity, groups: dict[int, str]) -> str:
    """Why ``entity`` counts as shared; ``groups`` are the alias groups of the other claim's text."""
    if entity.group is not None:
        written = groups.get(entity.group, entity.label)
        if written.lower() != entity.label.lower():
            return f"{entity.label} (written “{written}”)"
    return entity.label


# --- links ----------------------------------------------------------------------


# Made once: an alias built per call re-derives its columns each time (about 1 ms of the claim page).
_OTHER = aliased(Claim, name="other_claim")


def claim_links(session: Session, claim_id: int) -> list[tuple[ClaimLink, Claim]]:
    """Every link of the claim, with the claim at the other end."""
    other = _OTHER
    rows = session.execute(
        select(ClaimLink, other)
        .join(
            other,
            other.id == case((ClaimLink.claim_a_id == claim_id, ClaimLink.claim_b_id), else_=ClaimLink.claim_a_id),
        )
        .where(or_(ClaimLink.claim_a_id == claim_id, ClaimLink.claim_b_id == claim_id))
        .order_by(ClaimLink.kind, ClaimLink.id)
    ).all()
    return [(link, claim) for link, claim in rows]


class LinkRow(NamedTuple):
    """A link as the claim page shows it."""

    id: int
    kind: LinkKind
    note: str | None


class LinkedClaim(NamedTuple):
    """The claim at the other end of a link: what the page shows and checks of it."""

    id: int
    article_id: int
    quote: str
    statement: str
    claimant: str | None
    category: Category
    status: ClaimStatus
    verdict: Verdict | None
    quantity_value: Decimal | None
    quantity_unit: str | None
    quantity_qualifier: str | None


def _page_links_statement():
    other = _OTHER
    claim_id = bindparam("claim_id")
    return (
        select(
            ClaimLink.id, ClaimLink.kind, ClaimLink.note,
            other.id, other.article_id, other.quote, other.statement, other.claimant, other.category,
            other.status, other.verdict, other.quantity_value, other.quantity_unit, other.quantity_qualifier,
        )
        .join(
            other,
            other.id == case((ClaimLink.claim_a_id == claim_id, ClaimLink.claim_b_id), else_=ClaimLink.claim_a_id),
        )
        .where(or_(ClaimLink.claim_a_id == claim_id, ClaimLink.claim_b_id == claim_id))
        .order_by(ClaimLink.kind, ClaimLink.id)
    )


_KIND_OF = {k.value: k for k in LinkKind}
_VERDICT_OF = {v.value: v for v in Verdict}


def page_links(session: Session, claim_id: int) -> list[tuple[LinkRow, LinkedClaim]]:
    """claim_links() as the claim page reads them: the same rows in the same order, as the
    columns it shows, from a statement compiled once (no ORM entities built per page)."""
    rows = run_compiled(session.connection(), _STATEMENTS, ("links",), _page_links_statement, {"claim_id": claim_id})
    return [
        (
            LinkRow(r[0], _KIND_OF[r[1]], r[2]),
            LinkedClaim(r[3], r[4], r[5], r[6], r[7], _CATEGORY_OF[r[8]], _STATUS_OF[r[9]],
                        _VERDICT_OF[r[10]] if r[10] is not None else None, r[11], r[12], r[13]),
        )
        for r in rows
    ]


@use_case
def link_claims(
    session: Session, actor_id: int, claim_id: int, other_id: int, kind: LinkKind | str, note: str | None = None
) -> ClaimLink:
    actor = active_user(session, actor_id)
    require(actor, Permission.LINK_CLAIMS)
    try:
        kind = LinkKind(kind)
    except ValueError as exc:
        raise ValidationFailed({"kind": ["Choose “same claim” or “related”."]}) from exc
    if claim_id == other_id:
        raise ValidationFailed({"other": ["A claim cannot be linked to itself."]})
    first, second = sorted((claim_id, other_id))
    claims = {c.id: c for c in session.execute(select(Claim).where(Claim.id.in_((first, second))).with_for_update()).scalars()}
    if len(claims) != 2:
        raise NotFound(f"No claim #{other_id if claim_id in claims else claim_id}.")
    link = ClaimLink(claim_a_id=first, claim_b_id=second, kind=kind, note=(note or "").strip() or None, created_by_id=actor.id)
    try:
        with session.begin_nested():  # a second link of the same pair rolls back to here
            session.add(link)
            session.flush()
    except IntegrityError as exc:
        raise InvalidTransition(f"Claims #{first} and #{second} are already linked.") from exc
    for this, that in ((claim_id, other_id), (other_id, claim_id)):
        record_event(
            session,
            claims[this],
            EventAction.LINKED,
            actor_id=actor.id,
            details={"other_claim_id": that, "kind": kind.value, "link_id": link.id},
        )
    return link


@use_case
def unlink_claims(session: Session, actor_id: int, claim_id: int, link_id: int) -> ClaimLink:
    """Remove the link ``link_id`` of claim ``claim_id`` (a link of other claims is not found)."""
    actor = active_user(session, actor_id)
    require(actor, Permission.LINK_CLAIMS)
    link = session.get(ClaimLink, link_id, with_for_update=True)
    if link is None or claim_id not in (link.claim_a_id, link.claim_b_id):
        raise NotFound(f"Claim #{claim_id} has no link #{link_id}.")
    claims = {c.id: c for c in session.execute(select(Claim).where(Claim.id.in_((link.claim_a_id, link.claim_b_id)))).scalars()}
    for this, that in ((link.claim_a_id, link.claim_b_id), (link.claim_b_id, link.claim_a_id)):
        record_event(
            session,
            claims[this],
            EventAction.UNLINKED,
            actor_id=actor.id,
            details={"other_claim_id": that, "kind": link.kind.value},
        )
    session.delete(link)
    return link


@use_case
def reuse_verdict(session: Session, actor_id: int, target_id: int, source_id: int) -> Claim:
    """Propose a verified claim's verdict, rationale and evidence for a claim linked to it as the same.

    The target still needs an editor's approval. An unverified target is taken
    first. One unit: taking, copying the evidence and proposing all happen or
    none does (a refused proposal leaves the claim untaken and no copies).
    """
    from . import workflow

    actor = active_user(session, actor_id)
    first, second = sorted((target_id, source_id))
    link = session.execute(
        select(ClaimLink).where(ClaimLink.claim_a_id == first, ClaimLink.claim_b_id == second)
    ).scalar_one_or_none()
    if link is None or link.kind is not LinkKind.SAME:
        raise InvalidTransition("A verdict can only be reused between claims linked as the same claim.")
    source = session.get(Claim, source_id)
    if source is None or source.status is not ClaimStatus.VERIFIED:
        raise InvalidTransition("Only a verified claim's verdict can be reused.")
    target = session.get(Claim, target_id)
    if target is None:
        raise NotFound(f"No claim #{target_id}.")
    if target.status is ClaimStatus.UNVERIFIED:
        workflow.take_claim(session, actor.id, target.id)
    evidence = session.execute(
        select(Evidence).where(Evidence.claim_id == source.id).order_by(Evidence.id)
    ).scalars().all()
    for item in evidence:
        workflow.add_evidence(
            session,
            actor.id,
            target.id,
            workflow.EvidenceFields(
                url=item.url,
                title=item.title,
                stance=item.stance,
                publisher=item.publisher,
                archive_url=item.archive_url,
                accessed_on=item.accessed_on,
                published_on=item.published_on,
                note=f"Reused from claim #{source.id}." + (f" {item.note}" if item.note else ""),
            ),
        )
    return workflow.propose_verdict(
        session,
        actor.id,
        target.id,
        source.verdict,
        f"Same claim as #{source.id}, verified: {source.rationale}",
    )


# --- conflicting figures ---------------------------------------------------------


def _unit_key(column):
    unit = func.lower(func.btrim(column))
    return case(
        *((unit == word, literal(target)) for word, target in _UNIT_SYNONYMS.items()),
        (unit.op("~")("ies$"), func.regexp_replace(unit, "ies$", "y")),
        (unit.op("~")("[^s]s$"), func.regexp_replace(unit, "s$", "")),
        else_=unit,
    )


def can_reuse(actor, target: Claim, source: Claim, link: ClaimLink) -> bool:
    """Whether the page should offer "reuse this verdict" (the service decides for real)."""
    return (
        link.kind is LinkKind.SAME
        and source.status is ClaimStatus.VERIFIED
        and target.status in (ClaimStatus.UNVERIFIED, ClaimStatus.IN_REVIEW)
        and can(actor, Permission.PROPOSE_VERDICT)
        and (target.assignee_id in (None, actor.id) or can(actor, Permission.ASSIGN))
    )

