"""Full-text search over claims, evidence and articles (PostgreSQL tsvector + GIN).

Any input is safe: it is passed as a bound parameter to websearch_to_tsquery,
which accepts free text and never raises on syntax; control characters are
removed and overly long input is cut (and the user is told).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from ..models import Article, Claim, ClaimStatus, Evidence
from .aliases import AliasIndex, load_index
from .claims import ClaimQuery, apply_filters

MAX_QUERY = 2_000
COUNT_CAP = 10_000
KINDS = ("claims", "evidence", "articles")
# Private-use characters mark matches in ts_headline's output; they are
# removed from the text first, so they cannot come from the data.
_START, _STOP = "\ue000", "\ue001"
_HEADLINE_OPTIONS = f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    title: str
    snippet: Markup
    rank: float
    claim_id: int | None = None
    article_id: int | None = None
    status: ClaimStatus | None = None
    extra: str | None = None


@dataclass
class Section:
    kind: str
    hits: list[Hit]
    total: int
    capped: bool
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class SearchResults:
    query: str
    truncated: bool
    variants: list[str]
    sections: dict[str, Section] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(s.hits for s in self.sections.values())


def clean_query(raw: str | None) -> tuple[str, bool]:
    text_ = _CONTROL.sub(" ", raw or "").strip()
    if len(text_) > MAX_QUERY:
        return text_[:MAX_QUERY], True
    return text_, False


def _tsquery(variants: list[str]):
    """websearch_to_tsquery of every variant, OR-ed together (each a bound parameter)."""
    parts = [func.websearch_to_tsquery("english", bindparam(f"v{i}", v)) for i, v in enumerate(variants)]
    query = parts[0]
    for part in parts[1:]:
        query = query.op("||")(part)
    return query


def _safe_headline(value: str) -> Markup:
    escaped = html.escape(value, quote=False)
    return Markup(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))


def _strip_markers(column):
    return func.translate(column, _START + _STOP, "")


def _count(session: Session, stmt: Select) -> tuple[int, bool]:
    capped = session.execute(select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery())).scalar_one()
    return min(capped, COUNT_CAP), capped > COUNT_CAP


def search(
    session: Session,
    raw_query: str | None,
    *,
    kinds: tuple[str, ...] = KINDS,
    claim_filters: ClaimQuery | None = None,
    page: int = 1,
    per_page: int = 10,
    aliases: AliasIndex | None = None,
) -> SearchResults:
    query, truncated = clean_query(raw_query)
    results = SearchResults(query=query, truncated=truncated, variants=[])
    if not query:
        return results
    aliases = aliases or load_index(session)
    results.variants = aliases.expand(query)
    tsq = _tsquery(results.variants)
    page = max(page, 1)
    for kind in kinds:
        results.sections[kind] = _SEARCHERS[kind](session, tsq, claim_filters, page, per_page)
    return results


def _claims(session, tsq, filters, page, per_page) -> Section:
    matches = select(Claim.id).where(Claim.search_vector.op("@@")(tsq))
    if filters is not None:
        matches = apply_filters(matches, filters)
    total, capped = _count(session, matches)
    rank = func.ts_rank_cd(Claim.search_vector, tsq, 1)
    ranked = (
        select(Claim.id.label("id"), rank.label("rank"))
        .where(Claim.search_vector.op("@@")(tsq))
        .order_by(rank.desc(), Claim.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    if filters is not None:
        ranked = apply_filters(ranked, filters)
    ranked = ranked.subquery()
    rows = session.execute(
        select(
            Claim.id,
            ranked.c.rank,
            Claim.statement,
            Claim.status,
            Claim.article_id,
            Claim.claimant,
            func.ts_headline("english", _strip_markers(func.concat_ws(" — ", Claim.quote, Claim.rationale)), tsq, _HEADLINE_OPTIONS),
        )
        .join(ranked, ranked.c.id == Claim.id)
        .order_by(ranked.c.rank.desc(), Claim.id.desc())
    ).all()
    hits = [
        Hit("claims", r[0], r[2], _safe_headline(r[6]), r[1], claim_id=r[0], article_id=r[4], status=r[3], extra=r[5])
        for r in rows
    ]
    return Section("claims", hits, total, capped, page, per_page)


def _evidence(session, tsq, filters, page, per_page) -> Section:
    matches = select(Evidence.id).where(Evidence.search_vector.op("@@")(tsq))
    if filters is not None:
        matches = apply_filters(matches.join(Claim, Claim.id == Evidence.claim_id), filters)
    total, capped = _count(session, matches)
    rank = func.ts_rank_cd(Evidence.search_vector, tsq, 1)
    ranked = select(Evidence.id.label("id"), rank.label("rank")).where(Evidence.search_vector.op("@@")(tsq))
    if filters is not None:
        ranked = apply_filters(ranked.join(Claim, Claim.id == Evidence.claim_id), filters)
    ranked = ranked.order_by(rank.desc(), Evidence.id.desc()).limit(per_page).offset((page - 1) * per_page).subquery()
    rows = session.execute(
        select(
            Evidence.id,
            ranked.c.rank,
            Evidence.title,
            Evidence.claim_id,
            Evidence.url,
            func.ts_headline(
                "english", _strip_markers(func.concat_ws(" — ", Evidence.title, Evidence.publisher, Evidence.note)), tsq, _HEADLINE_OPTIONS
            ),
        )
        .join(ranked, ranked.c.id == Evidence.id)
        .order_by(ranked.c.rank.desc(), Evidence.id.desc())
    ).all()
    hits = [Hit("evidence", r[0], r[2], _safe_headline(r[5]), r[1], claim_id=r[3], extra=r[4]) for r in rows]
    return Section("evidence", hits, total, capped, page, per_page)


def _articles(session, tsq, filters, page, per_page) -> Section:
    where = Article.search_vector.op("@@")(tsq)
    if filters is not None and filters.article_id is not None:
        where = and_(where, Article.id == filters.article_id)
    total, capped = _count(session, select(Article.id).where(where))
    rank = func.ts_rank_cd(Article.search_vector, tsq, 1)
    ranked = (
        select(Article.id.label("id"), rank.label("rank"))
        .where(where)
        .order_by(rank.desc(), Article.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    rows = session.execute(
        select(
            Article.id,
            ranked.c.rank,
            Article.title,
            Article.outlet,
            func.ts_headline("english", _strip_markers(Article.body), tsq, _HEADLINE_OPTIONS),
        )
        .join(ranked, ranked.c.id == Article.id)
        .order_by(ranked.c.rank.desc(), Article.id.desc())
    ).all()
    hits = [Hit("articles", r[0], r[2], _safe_headline(r[4]), r[1], article_id=r[0], extra=r[3]) for r in rows]
    return Section("articles", hits, total, capped, page, per_page)


_SEARCHERS = {"claims": _claims, "evidence": _evidence, "articles": _articles}
