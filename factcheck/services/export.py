"""Verified claims out of the system: CSV for spreadsheets, ClaimReview JSON-LD for search engines.

Both stream: rows are fetched through a server-side cursor in batches and
written out as they arrive, so memory stays flat however many rows there are.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Callable, Iterator

from sqlalchemy import Select, Text, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from ..models import Article, Claim, ClaimStatus, Evidence, User, Verdict
from .dashboard import DashboardFilters
from .permissions import Permission, require
from .users import active_user

BATCH = 2_000
CHUNK_ROWS = 500

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


def neutralise(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def format_number(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def iso_utc(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def authorize_export(session: Session, actor_id: int) -> None:
    require(active_user(session, actor_id), Permission.EXPORT)


def verified_claims_query(filters: DashboardFilters) -> Select:
    reviewer = aliased(User)
    approver = aliased(User)
    # "supports https://a | refutes https://b", in the order the evidence was added.
    evidence_cell = (
        select(
            func.string_agg(
                func.concat(cast(Evidence.stance, Text), " ", Evidence.url),
                aggregate_order_by(literal_column("' | '"), Evidence.id),
            )
        )
        .where(Evidence.claim_id == Claim.id)
        .scalar_subquery()
    )
    stmt = (
        select(
            Claim.id,
            Article.title,
            Article.url,
            Article.published_on,
            Claim.quote,
            Claim.statement,
            Claim.category,
            Claim.claimant,
            Claim.quantity_value,
            Claim.quantity_unit,
            Claim.quantity_qualifier,
            Claim.hedged,
            Claim.verdict,
            Claim.rationale,
            evidence_cell.label("evidence"),
            reviewer.display_name.label("reviewer"),
            approver.display_name.label("approver"),
            Claim.verified_at,
            Article.outlet,
            Article.byline,
        )
        .join(Article, Article.id == Claim.article_id)
        .outerjoin(reviewer, reviewer.id == Claim.proposed_by_id)
        .outerjoin(approver, approver.id == Claim.approved_by_id)
        .where(Claim.status == ClaimStatus.VERIFIED)
        .order_by(Claim.verified_at, Claim.id)
    )
    return filters.apply(stmt)


def csv_row(row) -> list[Any]:
    verdict: Verdict = row.verdict
    return [
        row.id,
        neutralise(row.title),
        neutralise(row.url),
        row.published_on.isoformat() if row.published_on else "",
        neutralise(row.quote),
        neutralise(row.statement),
        row.category.value,
        neutralise(row.claimant),
        format_number(row.quantity_value),
        neutralise(row.quantity_unit),
        neutralise(row.quantity_qualifier),
        "true" if row.hedged else "false",
        verdict.value,
        verdict.rating,
        neutralise(row.rationale),
        neutralise(row.evidence),
        neutralise(row.reviewer),
        neutralise(row.approver),
        iso_utc(row.verified_at),
    ]


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
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """RFC 4180 CSV (CRLF line ends, quotes where needed), UTF-8, streamed in chunks.

    The generator owns ``session`` and closes it when it finishes or is closed.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    try:
        if bom:
            buffer.write("\ufeff")
        writer.writerow(CSV_COLUMNS)
        pending = 0
        for row in _stream_rows(session, verified_claims_query(filters)):
            writer.writerow(csv_row(row))
            pending += 1
            if pending >= CHUNK_ROWS:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
                if on_progress is not None:
                    on_progress(pending)
                pending = 0
        yield buffer.getvalue()
        if on_progress is not None and pending:
            on_progress(pending)
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
        for row in _stream_rows(session, verified_claims_query(filters)):
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
