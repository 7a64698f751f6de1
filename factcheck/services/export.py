"""Verified claims out of the system: CSV for spreadsheets, ClaimReview JSON-LD for search engines.

Both stream: rows are fetched through a server-side cursor in batches and
written out as they arrive, so memory stays flat however many rows there are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterator

from sqlalchemy import Select, Text, case, cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from ..models import Article, Claim, ClaimStatus, Evidence, User, Verdict
from .dashboard import DashboardFilters
from .permissions import Permission, require
from .users import active_user

BATCH = 5_000
CHUNK_ROWS = 2_000

CSV_COLUMNS = [
    "claim_id",
    "article_title",
    "article_url",
    "article_date",
    "quote",
    "statement",
    "category",
    "claimant",
    "quantity_value",
    "quantity_unit",
    "quantity_qualifier",
    "hedged",
    "verdict",
    "rating_value",
    "rationale",
    "evidence",
    "reviewer",
    "approver",
    "verified_at",
]

# A spreadsheet treats a cell starting with one of these as a formula (or
# strips it and then does). Such text cells get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def authorize_export(session: Session, actor_id: int) -> None:
    require(active_user(session, actor_id), Permission.EXPORT)


# "supports https://a | refutes https://b" per claim, in the order the evidence
# was added. Aggregated once and hash-joined: for a whole export that is far
# cheaper than one lookup per claim.
_EVIDENCE = (
    select(
        Evidence.claim_id.label("claim_id"),
        func.string_agg(
            func.concat(cast(Evidence.stance, Text), " ", Evidence.url),
            aggregate_order_by(literal_column("' | '"), Evidence.id),
        ).label("cell"),
    )
    .group_by(Evidence.claim_id)
    .subquery("evidence_cells")
)


def _export_columns() -> list[tuple[str, Any, bool]]:
    """(name, SQL expression as text or int, is free text) for each CSV column, in order."""
    rating = case({v.value: v.rating for v in Verdict}, value=cast(Claim.verdict, Text))
    columns = [
        ("claim_id", Claim.id, False),
        ("article_title", Article.title, True),
        ("article_url", Article.url, True),
        ("article_date", cast(Article.published_on, Text), False),
        ("quote", Claim.quote, True),
        ("statement", Claim.statement, True),
        ("category", cast(Claim.category, Text), False),
        ("claimant", Claim.claimant, True),
        ("quantity_value", cast(func.trim_scale(Claim.quantity_value), Text), False),
        ("quantity_unit", Claim.quantity_unit, True),
        ("quantity_qualifier", Claim.quantity_qualifier, True),
        ("hedged", case((Claim.hedged, "true"), else_="false"), False),
        ("verdict", cast(Claim.verdict, Text), False),
        ("rating_value", rating, False),
        ("rationale", Claim.rationale, True),
        ("evidence", _EVIDENCE.c.cell, True),
        ("reviewer", _REVIEWER.display_name, True),
        ("approver", _APPROVER.display_name, True),
        ("verified_at", func.to_char(func.timezone("UTC", Claim.verified_at), 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), False),
    ]
    assert [c[0] for c in columns] == CSV_COLUMNS
    return columns


_REVIEWER = aliased(User, name="reviewer")
_APPROVER = aliased(User, name="approver")


def _verified_from(stmt: Select, filters: DashboardFilters) -> Select:
    stmt = (
        stmt.join(Article, Article.id == Claim.article_id)
        .outerjoin(_REVIEWER, _REVIEWER.id == Claim.proposed_by_id)
        .outerjoin(_APPROVER, _APPROVER.id == Claim.approved_by_id)
        .outerjoin(_EVIDENCE, _EVIDENCE.c.claim_id == Claim.id)
        .where(Claim.status == ClaimStatus.VERIFIED)
        # Claim id order: stable, and PostgreSQL can walk the primary key and
        # send the first rows at once instead of sorting everything first.
        .order_by(Claim.id)
    )
    return filters.apply(stmt)


def verified_claims_query(filters: DashboardFilters) -> Select:
    """The CSV's rows as plain columns (what the benchmark hands to COPY for comparison)."""
    return _verified_from(select(*(expr for _, expr, _ in _export_columns())).select_from(Claim), filters)


def _csv_field(expr, is_text: bool):
    """One RFC 4180 field in SQL: text neutralised against formulas, quoted, quotes doubled."""
    value = func.coalesce(cast(expr, Text), "")
    if not is_text:
        return value  # numbers, dates and codes need no quoting
    # PostgreSQL text cannot hold NUL, so that prefix cannot occur here.
    starts_formula = func.left(value, 1).in_([p for p in FORMULA_PREFIXES if p != "\0"])
    safe = case((starts_formula, literal("'") + value), else_=value)
    return literal('"') + func.replace(safe, '"', '""') + literal('"')


def csv_lines_query(filters: DashboardFilters) -> Select:
    """One finished CSV line per verified claim, built by PostgreSQL.

    Fetching one text value per row instead of nineteen keeps the export
    close to COPY's speed; the rules (prefixes, ratings) come from the Python
    constants above, so they are defined once.
    """
    fields = [_csv_field(expr, is_text) for _, expr, is_text in _export_columns()]
    return _verified_from(select(func.concat_ws(",", *fields)).select_from(Claim), filters)


def claimreview_query(filters: DashboardFilters) -> Select:
    return filters.apply(
        select(
            Claim.id,
            Claim.statement,
            Claim.verdict,
            Claim.verified_at,
            Claim.claimant,
            Article.title,
            Article.url,
            Article.published_on,
            Article.outlet,
        )
        .join(Article, Article.id == Claim.article_id)
        .where(Claim.status == ClaimStatus.VERIFIED)
        .order_by(Claim.verified_at, Claim.id)
    )


def _stream_rows(session: Session, stmt: Select) -> Iterator:
    # yield_per makes psycopg2 use a named (server-side) cursor: rows come in
    # batches of BATCH as PostgreSQL produces them.
    result = session.execute(stmt, execution_options={"yield_per": BATCH})
    try:
        yield from result
    finally:
        result.close()


def stream_verified_claims_csv(
    session: Session,
    filters: DashboardFilters,
    *,
    bom: bool = False,
    limit: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """RFC 4180 CSV (CRLF line ends, quotes where needed), UTF-8, streamed in chunks.

    The generator owns ``session`` and closes it when it finishes or is closed.
    """
    try:
        header = ",".join(CSV_COLUMNS) + "\r\n"
        yield ("\ufeff" + header) if bom else header
        stmt = csv_lines_query(filters)
        if limit is not None:
            stmt = stmt.limit(limit)
        lines: list[str] = []
        for (line,) in _stream_rows(session, stmt):
            lines.append(line)
            if len(lines) >= CHUNK_ROWS:
                yield "\r\n".join(lines) + "\r\n"
                if on_progress is not None:
                    on_progress(len(lines))
                lines = []
        if lines:
            yield "\r\n".join(lines) + "\r\n"
            if on_progress is not None:
                on_progress(len(lines))
    finally:
        session.close()


def count_verified(session: Session, filters: DashboardFilters) -> int:
    return session.execute(
        filters.apply(select(func.count()).select_from(Claim).where(Claim.status == ClaimStatus.VERIFIED))
    ).scalar_one()


# --- ClaimReview ---------------------------------------------------------------


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str


_ORGANISATION_WORDS = re.compile(
    r"\b(ministry|pentagon|reuters|corps|guard|media|news|army|forces|government|agency|journal|post|"
    r"times|officials|coalition|council|committee|department|office|irgc|un|nato|tehran|washington|"
    r"moscow|riyadh|regime|militia|reports|organi[sz]ations?|analysts|wire|documentary)\b",
    re.IGNORECASE,
)
_NAME_PART = r"(?:(?:al|el|bin|ibn|de|van|von|da|di|du|le|la)[- ])?[A-Z][a-z'’-]+"
_PERSON_NAME = re.compile(rf"^(?:[A-Z][a-z]+\.? )?(?:{_NAME_PART} ){{1,3}}{_NAME_PART}$")


def schema_author_type(name: str) -> str:
    """Person for a plain personal name ("John Bolton", "Col. Sean Ryan"), otherwise Organization."""
    head = name.split(",")[0].strip()
    if _PERSON_NAME.match(head) and not _ORGANISATION_WORDS.search(head):
        return "Person"
    return "Organization"


def claim_review(
    *,
    claim_url: str,
    statement: str,
    verdict: Verdict,
    verified_at: datetime | None,
    claimant: str | None,
    article_title: str | None,
    article_url: str | None,
    article_date: date | None,
    outlet: str | None,
    publisher: Publisher,
) -> dict[str, Any]:
    """One schema.org ClaimReview with Google's required and recommended fields."""
    item: dict[str, Any] = {"@type": "Claim"}
    # The claimant made the claim; when the article makes it itself, its outlet did.
    author_name = claimant or outlet
    if author_name:
        item["author"] = {"@type": schema_author_type(author_name), "name": author_name}
    if article_date is not None:
        item["datePublished"] = article_date.isoformat()
    if article_url or article_title:
        appearance: dict[str, Any] = {"@type": "CreativeWork"}
        if article_url:
            appearance["url"] = article_url
        if article_title:
            appearance["headline"] = article_title
        item["appearance"] = appearance
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url,
        "claimReviewed": statement,
        "author": {"@type": "Organization", "name": publisher.name, "url": publisher.url},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.rating,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": verdict.label,
        },
        "itemReviewed": item,
    }
    if verified_at is not None:
        review["datePublished"] = verified_at.astimezone(timezone.utc).date().isoformat()
    return review


def claim_review_for_claim(claim: Claim, claim_url: str, publisher: Publisher) -> dict[str, Any] | None:
    if claim.status is not ClaimStatus.VERIFIED or claim.verdict is None:
        return None
    article = claim.article
    return claim_review(
        claim_url=claim_url,
        statement=claim.statement,
        verdict=claim.verdict,
        verified_at=claim.verified_at,
        claimant=claim.claimant,
        article_title=article.title,
        article_url=article.url,
        article_date=article.published_on,
        outlet=article.outlet,
        publisher=publisher,
    )


def stream_claimreview_json(
    session: Session, filters: DashboardFilters, claim_url: Callable[[int], str], publisher: Publisher
) -> Iterator[str]:
    """A JSON array of ClaimReviews, streamed. The generator owns and closes ``session``."""
    try:
        yield "[\n"
        first = True
        for row in _stream_rows(session, claimreview_query(filters)):
            review = claim_review(
                claim_url=claim_url(row.id),
                statement=row.statement,
                verdict=row.verdict,
                verified_at=row.verified_at,
                claimant=row.claimant,
                article_title=row.title,
                article_url=row.url,
                article_date=row.published_on,
                outlet=row.outlet,
                publisher=publisher,
            )
            yield ("" if first else ",\n") + json.dumps(review, ensure_ascii=False)
            first = False
        yield "\n]\n"
    finally:
        session.close()
