"""Verified claims out of the system: CSV for spreadsheets, ClaimReview JSON-LD for search engines.

Both stream: rows are fetched through a server-side cursor in batches and
written out as they arrive, so memory stays flat however many rows there are.
"""

from __future__ import annotations

import enum
import json
import queue
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterator

from sqlalchemy import Select, Text, case, cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session, aliased

from ..models import Article, Category, Claim, ClaimStatus, Evidence, Stance, User, Verdict
from .dashboard import DashboardFilters
from .permissions import Permission, require
from .users import active_user

BATCH = 5_000  # rows per fetch of the ClaimReview export's server-side cursor


class CsvFormat(str, enum.Enum):
    """The two CSV exports of verified claims.

    PEOPLE (the default download) is for reading in a spreadsheet: headers and
    values in words, every evidence item on a line of its own, a link to each
    claim. DATA keeps the columns scripts have relied on from the start
    (snake_case names, codes, ISO timestamps): ``?format=data``.
    """

    PEOPLE = "people"
    DATA = "data"


# DATA: the original columns, unchanged (scripts depend on them).
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
DATA_COLUMNS = CSV_COLUMNS

PEOPLE_COLUMNS = [
    "Claim",
    "Verdict",
    "Rating (1-5)",
    "Category",
    "Claimant",
    "Figure",
    "Hedged by source",
    "Quote",
    "Article",
    "Outlet",
    "Article date",
    "Article link",
    "Evidence",
    "Rationale",
    "Reviewed by",
    "Approved by",
    "Verified (UTC)",
    "Link to claim",
]

# A spreadsheet treats a cell starting with one of these as a formula (or
# strips it and then does). Such text cells get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def authorize_export(session: Session, actor_id: int) -> None:
    require(active_user(session, actor_id), Permission.EXPORT)


def _labels(enum_type, column):
    """An enum column's labels ("Mostly true") in SQL, from the enum's own .label."""
    return case({member.value: member.label for member in enum_type}, value=cast(column, Text))


# DATA: "supports https://a | refutes https://b" per claim, in the order the
# evidence was added. Aggregated once and merge-joined in claim order: for a
# whole export far cheaper than one lookup per claim.
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

# PEOPLE: one line per item, "Supports: Title — Publisher — https://…".
_EVIDENCE_LINES = (
    select(
        Evidence.claim_id.label("claim_id"),
        func.string_agg(
            func.concat(
                _labels(Stance, Evidence.stance),
                ": ",
                func.concat_ws(" — ", func.nullif(Evidence.title, ""), func.nullif(Evidence.publisher, ""), Evidence.url),
            ),
            aggregate_order_by(literal_column("E'\\n'"), Evidence.id),
        ).label("cell"),
    )
    .group_by(Evidence.claim_id)
    .subquery("evidence_lines")
)

_REVIEWER = aliased(User, name="reviewer")
_APPROVER = aliased(User, name="approver")


def _figure(value, unit, qualifier):
    """"over 1,500 pounds": the figure as the claim page shows it (digits grouped, no trailing zeros)."""
    whole = func.to_char(func.trunc(func.abs(value)), "FM999,999,999,999,999,999,999,990")
    fraction = func.coalesce(func.substring(cast(func.trim_scale(func.abs(value)), Text), r"\.[0-9]+$"), "")
    number = case((value < 0, "-"), else_="") + whole + fraction
    return func.nullif(func.concat_ws(" ", func.nullif(qualifier, ""), number, func.nullif(unit, "")), "")


def _export_columns(fmt: CsvFormat, claim_url_prefix: str = "") -> list[tuple[str, Any, bool]]:
    """(header, SQL expression, is free text) for each column of ``fmt``, in order."""
    if fmt is CsvFormat.DATA:
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
        assert [c[0] for c in columns] == DATA_COLUMNS
        return columns
    rating = case({v.value: v.rating for v in Verdict}, value=cast(Claim.verdict, Text))
    columns = [
        ("Claim", Claim.statement, True),
        ("Verdict", _labels(Verdict, Claim.verdict), False),
        ("Rating (1-5)", rating, False),
        ("Category", _labels(Category, Claim.category), False),
        ("Claimant", Claim.claimant, True),
        ("Figure", _figure(Claim.quantity_value, Claim.quantity_unit, Claim.quantity_qualifier), True),
        ("Hedged by source", case((Claim.hedged, "Yes"), else_="No"), False),
        ("Quote", Claim.quote, True),
        ("Article", Article.title, True),
        ("Outlet", Article.outlet, True),
        ("Article date", cast(Article.published_on, Text), False),
        ("Article link", Article.url, True),
        ("Evidence", _EVIDENCE_LINES.c.cell, True),
        ("Rationale", Claim.rationale, True),
        ("Reviewed by", _REVIEWER.display_name, True),
        ("Approved by", _APPROVER.display_name, True),
        ("Verified (UTC)", func.to_char(func.timezone("UTC", Claim.verified_at), "YYYY-MM-DD HH24:MI"), False),
        ("Link to claim", literal(claim_url_prefix, Text) + cast(Claim.id, Text), True),
    ]
    assert [c[0] for c in columns] == PEOPLE_COLUMNS
    return columns


def _verified_from(stmt: Select, filters: DashboardFilters, evidence) -> Select:
    stmt = (
        stmt.join(Article, Article.id == Claim.article_id)
        .outerjoin(_REVIEWER, _REVIEWER.id == Claim.proposed_by_id)
        .outerjoin(_APPROVER, _APPROVER.id == Claim.approved_by_id)
        .outerjoin(evidence, evidence.c.claim_id == Claim.id)
        .where(Claim.status == ClaimStatus.VERIFIED)
        # Claim id order: stable, and PostgreSQL can walk the primary key and
        # send the first rows at once instead of sorting everything first.
        .order_by(Claim.id)
    )
    return filters.apply(stmt)


def _evidence_for(fmt: CsvFormat):
    return _EVIDENCE if fmt is CsvFormat.DATA else _EVIDENCE_LINES


def verified_claims_query(filters: DashboardFilters, fmt: CsvFormat = CsvFormat.DATA, claim_url_prefix: str = "") -> Select:
    """The CSV's rows as plain columns c0, c1, ... (what the benchmark hands to COPY for comparison)."""
    columns = _export_columns(fmt, claim_url_prefix)
    stmt = select(*(expr.label(f"c{i}") for i, (_, expr, _) in enumerate(columns))).select_from(Claim)
    return _verified_from(stmt, filters, _evidence_for(fmt))


def _guarded(value, is_text: bool, fmt: CsvFormat):
    """A column as the CSV shows it: text that a spreadsheet would run as a formula gets an apostrophe."""
    if not is_text:
        return value
    if fmt is CsvFormat.DATA:
        value = func.coalesce(value, "")  # always a quoted field, "" when empty, as from the start
    # The first character's code point: no string made per cell (left(value, 1)
    # compared as text cost a quarter more of PostgreSQL's time on a big export).
    # PostgreSQL text cannot hold NUL, so that prefix cannot occur here.
    starts_formula = func.ascii(value).in_([ord(p) for p in FORMULA_PREFIXES if p != "\0"])
    return case((starts_formula, literal("'") + value), else_=value)


def csv_rows_query(filters: DashboardFilters, fmt: CsvFormat = CsvFormat.DATA, claim_url_prefix: str = "") -> Select:
    """The export's rows, guarded against formulas, for COPY ... (FORMAT csv) to quote."""
    columns = _export_columns(fmt, claim_url_prefix)
    fields = [_guarded(expr, is_text, fmt).label(f"c{i}") for i, (_, expr, is_text) in enumerate(columns)]
    return _verified_from(select(*fields).select_from(Claim), filters, _evidence_for(fmt))


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
    fmt: CsvFormat = CsvFormat.DATA,
    claim_url_prefix: str = "",
    bom: bool = False,
    limit: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    as_bytes: bool = False,
) -> Iterator[str] | Iterator[bytes]:
    """RFC 4180 CSV (CRLF line ends, quotes where needed), UTF-8, streamed in chunks.

    ``claim_url_prefix`` + the claim id is each claim's link (PEOPLE format),
    e.g. "https://desk.example.org/claims/". Chunks are str, or UTF-8 bytes
    with ``as_bytes`` (what a web server sends, without decoding first). The
    generator owns ``session`` and closes it when it finishes or is closed.
    """
    try:
        columns = PEOPLE_COLUMNS if fmt is CsvFormat.PEOPLE else DATA_COLUMNS
        header = ("\ufeff" if bom else "") + ",".join(columns) + "\r\n"
        yield header.encode() if as_bytes else header
        stmt = csv_rows_query(filters, fmt, claim_url_prefix)
        if limit is not None:
            stmt = stmt.limit(limit)
        # Both formats quote a field only where RFC 4180 needs it (a comma, a quote, a line
        # break; an empty text as "" so that it differs from an empty date). DATA used to
        # quote every text field, which any CSV reader reads the same, but it made
        # PostgreSQL's COPY a quarter slower (bench/export_copy.py --format data).
        for block, rows in _copy_out(session, stmt, ""):
            yield block if as_bytes else block.decode()
            if on_progress is not None:
                on_progress(rows)
    finally:
        session.close()


# Bytes per chunk handed on (the WSGI write and chunked encoding cost per chunk),
# and chunks that may wait between PostgreSQL and the client: memory stays flat.
CHUNK_BYTES = 1 << 20
QUEUED_CHUNKS = 4
_DONE = object()


def _copy_out(session: Session, stmt: Select, options: str) -> Iterator[tuple[bytes, int]]:
    """(CSV bytes, rows in them) from ``COPY (stmt) TO STDOUT (FORMAT csv)``, as PostgreSQL sends them.

    COPY is the fastest way out of PostgreSQL: the server writes the CSV
    itself (quoting included) and no Python object is made per value. psycopg2
    can only hand COPY's rows to a file's write(), so the COPY runs in a
    thread that passes blocks of rows through a small queue; when the reader
    stops early (a client that goes away), the COPY is cancelled and the
    thread ends before the session is used again.
    """
    connection = session.connection()
    # The statement timeout caps each query of a web request; one COPY is the
    # whole export and runs as long as the client takes to read it (this
    # transaction only; a client that goes away ends it, see below).
    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    dbapi = connection.connection.driver_connection
    blocks: queue.Queue = queue.Queue(maxsize=QUEUED_CHUNKS)
    stop = threading.Event()

    def hand_on(item) -> None:
        while not stop.is_set():
            try:
                blocks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    class Rows:
        """COPY's file: write() gets one row at a time, ending in a bare LF."""

        def __init__(self) -> None:
            self.lines: list[bytes] = []
            self.size = 0

        def write(self, row: bytes) -> None:
            self.lines.append(row[:-1])
            self.size += len(row)
            if self.size >= CHUNK_BYTES:
                self.flush()

        def flush(self) -> None:
            if self.lines:
                # CRLF between rows; a line break inside a quoted value stays as written.
                hand_on((b"\r\n".join(self.lines) + b"\r\n", len(self.lines)))
                self.lines, self.size = [], 0

    def produce() -> None:
        try:
            rows = Rows()
            with dbapi.cursor() as cursor:
                cursor.copy_expert(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv{options})", rows)
            rows.flush()
            hand_on(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            hand_on(exc)

    producer = threading.Thread(target=produce, name="csv-export", daemon=True)
    producer.start()
    try:
        while True:
            item = blocks.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if producer.is_alive():
            stop.set()
            dbapi.cancel()
            producer.join()


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
