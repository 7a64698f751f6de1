"""Publishing: an editor puts a verified claim's fact check on the public pages.

Publishing copies what a reader may see (statement, quote, claimant, verdict,
rationale, the evidence's titles, links, publishers and archived copies, the
article's title, link and outlet) into ``publications``; the public pages read
only that snapshot. Editing or reopening the claim afterwards changes nothing
public until an editor publishes again, with a note saying what changed
(shown as "Updated on ...: note"). Unpublishing hides the page and records
the reason in the claim's history.

Each public function is one use case (one transaction), loads the claim FOR
UPDATE so that two editors publishing at once are serialised, checks the
version the editor saw, and writes one history event.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from .. import db
from ..models import Article, Category, Claim, ClaimStatus, EventAction, Evidence, Publication, Verdict
from .errors import InvalidTransition, NotFound, ValidationFailed
from .export import Publisher, claim_review
from .history import record_event
from .paging import Keyset, Page, SortKey, compiled_sql, fetch_page
from .permissions import Permission, require
from .unit import unit_of_work
from .users import active_user
from .workflow import _check_version, _lock_claim

MAX_NOTE = 2_000
SLUG_MAX = 80
PER_PAGE = 20
SITEMAP_LIMIT = 50_000  # URLs one sitemap file may hold (sitemaps.org)
SITEMAP_BLOCK = 40_000  # claim ids per file of the sitemap index, past SITEMAP_LIMIT checks (under the limit)
FEED_ENTRIES = 50  # entries in the Atom feed
FEED_BATCH = 1_000  # rows per fetch of the ClaimReview feed's server-side cursor


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --- slugs -------------------------------------------------------------------------


def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """A readable URL part from a statement: ASCII letters and digits joined by
    hyphens, cut at a word boundary; "fact-check" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug or "fact-check"


# --- the two use cases ----------------------------------------------------------------


def _note(value: str | None, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed({field: [missing]})
    if len(value) > MAX_NOTE:
        raise ValidationFailed({field: [f"Use at most {MAX_NOTE:,} characters."]})
    if "\x00" in value:
        raise ValidationFailed({field: ["Remove the NUL character from the text."]})
    return value


def _public_evidence(session: Session, claim_id: int) -> list[dict[str, Any]]:
    """The evidence as a reader sees it: no notes, no access dates, no names of the desk's people."""
    items = session.execute(
        select(Evidence).where(Evidence.claim_id == claim_id).order_by(Evidence.created_at, Evidence.id)
    ).scalars()
    return [
        {
            "title": item.title,
            "url": item.url,
            "publisher": item.publisher,
            "archive_url": item.archive_url,
            "stance": item.stance.value,
        }
        for item in items
    ]


def publish_problem(claim: Claim, publication: Publication | None) -> str | None:
    """Why the claim cannot be published now (status, nothing new), or None."""
    if claim.status is not ClaimStatus.VERIFIED or claim.verdict is None or not claim.rationale:
        return f"Only a verified claim can be published (this one is {claim.status.label.lower()})."
    if publication is not None and publication.is_public and publication.claim_version == claim.version:
        return "This version of the claim is already published; nothing changed since."
    return None


def publish_claim(
    session: Session,
    actor_id: int,
    claim_id: int,
    update_note: str | None = None,
    expected_version: int | None = None,
) -> Publication:
    """Publish the claim's fact check, or publish its current version again.

    A first publication needs no note; every later one (after an edit and a new
    approval, or after an unpublication) needs ``update_note``: what changed,
    shown to readers with the date.
    """
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        require(actor, Permission.PUBLISH)
        claim = _lock_claim(session, claim_id)
        _check_version(session, claim, expected_version)
        publication = session.get(Publication, claim_id)
        problem = publish_problem(claim, publication)
        if problem:
            raise InvalidTransition(problem)
        note = None
        if publication is not None:
            note = _note(update_note, "update_note", "Say what changed since the last publication: readers see this note.")
        article: Article = claim.article
        now = utcnow()
        fields = dict(
            article_id=article.id,
            slug=slugify(claim.statement),
            statement=claim.statement,
            quote=claim.quote,
            claimant=claim.claimant,
            category=claim.category,
            verdict=claim.verdict,
            rationale=claim.rationale,
            evidence=_public_evidence(session, claim.id),
            article_title=article.title,
            article_url=article.url,
            article_outlet=article.outlet,
            article_published_on=article.published_on,
            published_by_id=actor.id,
            unpublished_at=None,
            unpublish_reason=None,
            claim_version=claim.version,
        )
        if publication is None:
            publication = Publication(claim_id=claim.id, published_at=now, updated_at=None, updates=[], version=1, **fields)
            session.add(publication)
        else:
            for name, value in fields.items():
                setattr(publication, name, value)
            publication.updated_at = now
            # The day is what readers see ("Updated on 6 December 2026: ..."); updated_at keeps the time.
            publication.updates = [*(publication.updates or []), {"on": now.date().isoformat(), "note": note}]
            publication.version += 1
        session.flush()
        record_event(
            session,
            claim,
            EventAction.PUBLISHED,
            actor_id=actor.id,
            comment=note,
            details={"version": publication.version, "slug": publication.slug, "verdict": claim.verdict.value},
        )
    return publication


def unpublish_claim(
    session: Session, actor_id: int, claim_id: int, reason: str, expected_version: int | None = None
) -> Publication:
    """Take the claim's fact check off the public pages; the reason goes into its history."""
    with unit_of_work(session):
        actor = active_user(session, actor_id)
        require(actor, Permission.PUBLISH)
        claim = _lock_claim(session, claim_id)
        _check_version(session, claim, expected_version)
        publication = session.get(Publication, claim_id)
        if publication is None or not publication.is_public:
            raise InvalidTransition("This claim's fact check is not published.")
        reason = _note(reason, "reason", "Say why the fact check is taken down: the reason goes into the history.")
        publication.unpublished_at = utcnow()
        publication.unpublish_reason = reason
        session.flush()
        record_event(
            session, claim, EventAction.UNPUBLISHED, actor_id=actor.id, comment=reason,
            details={"version": publication.version},
        )
    return publication


def publication_of(session: Session, claim_id: int) -> Publication | None:
    """The claim's publication, public or taken down, or None if never published."""
    return session.get(Publication, claim_id)


# --- public reading: only the snapshots, only what is public --------------------------


@dataclass(frozen=True)
class PublicFilters:
    verdict: Verdict | None = None
    category: Category | None = None
    article_id: int | None = None

    def apply(self, stmt: Select) -> Select:
        stmt = stmt.where(Publication.unpublished_at.is_(None))
        if self.verdict is not None:
            stmt = stmt.where(Publication.verdict == self.verdict)
        if self.category is not None:
            stmt = stmt.where(Publication.category == self.category)
        if self.article_id is not None:
            stmt = stmt.where(Publication.article_id == self.article_id)
        return stmt


# Newest first; the claim id breaks ties, so a page link always means the same rows.
PUBLIC_ORDER = Keyset(
    "public",
    SortKey(Publication.published_at, datetime, descending=True),
    SortKey(Publication.claim_id, int, descending=True),
)


def public_page(session: Session, filters: PublicFilters, cursor: str | None, per_page: int = PER_PAGE) -> Page:
    """One page of the published fact checks (Publication rows), newest first."""
    return fetch_page(session, filters.apply(select(Publication)), PUBLIC_ORDER, cursor, per_page)


@dataclass(frozen=True)
class PublicHead:
    """What a public page's address, ETag and Last-Modified need of a publication, and no more."""

    claim_id: int
    slug: str
    version: int
    modified_at: datetime


_HEAD_STATEMENTS: dict = {}


def _head_statement() -> Select:
    return select(
        Publication.slug, Publication.version, func.coalesce(Publication.updated_at, Publication.published_at)
    ).where(Publication.claim_id == bindparam("claim_id"), Publication.unpublished_at.is_(None))


def public_head(connection, claim_id: int) -> PublicHead:
    """The head of a public fact check, read on ``connection`` (a session's, or a pool's
    driver connection: db.fetch_one); NotFound when never published or taken down.

    One small row by primary key, compiled once and sent as SQL (head_query): the
    public page reads it on every request, to answer a revalidation or to send the
    page it keeps by ETag, and loads the whole snapshot only to draw the page
    (public_publication)."""
    return head_from_row(claim_id, db.fetch_one(connection, *head_query(claim_id)))


def head_query(claim_id: int) -> tuple[str, dict]:
    """public_head's statement as SQL for the driver, and its parameters (to send with another)."""
    sql, constants = compiled_sql(_HEAD_STATEMENTS, ("head",), _head_statement)
    return sql, {**constants, "claim_id": claim_id}


def head_from_row(claim_id: int, row) -> PublicHead:
    if row is None:
        raise NotFound(f"No published fact check #{claim_id}.")
    slug, version, modified_at = row
    return PublicHead(claim_id, slug, version, modified_at)


@dataclass(frozen=True, slots=True)
class PublicSnapshot:
    """What a public fact-check page shows of a publication: its snapshot's columns, read as
    SQL (snapshot_query) rather than loaded as an ORM object, since the page is drawn from it
    on a request path where the ORM's load cost as much as the drawing. Attribute names are
    Publication's, so publication_review and update_notes take either."""

    claim_id: int
    article_id: int
    slug: str
    statement: str
    quote: str
    claimant: str | None
    category: Category
    verdict: Verdict
    rationale: str
    evidence: list[dict[str, Any]]
    article_title: str
    article_url: str | None
    article_outlet: str | None
    article_published_on: date | None
    published_at: datetime
    updated_at: datetime | None
    updates: list[dict[str, Any]]
    version: int

    @property
    def modified_at(self) -> datetime:
        return self.updated_at or self.published_at


_SNAPSHOT_COLUMNS = tuple(PublicSnapshot.__dataclass_fields__)
_SNAPSHOT_STATEMENTS: dict = {}


def _snapshot_statement() -> Select:
    return select(*(getattr(Publication, name) for name in _SNAPSHOT_COLUMNS)).where(
        Publication.claim_id == bindparam("claim_id"), Publication.unpublished_at.is_(None)
    )


def snapshot_query(claim_id: int) -> tuple[str, dict]:
    """The statement that reads a public fact check's snapshot (a row for snapshot_from_row),
    as SQL for the driver, and its parameters."""
    sql, constants = compiled_sql(_SNAPSHOT_STATEMENTS, ("snapshot",), _snapshot_statement)
    return sql, {**constants, "claim_id": claim_id}


def snapshot_from_row(claim_id: int, row) -> PublicSnapshot:
    """The snapshot of a row of snapshot_query, as the driver gives it (enums as their
    values, JSON decoded); NotFound for no row (never published, or taken down)."""
    if row is None:
        raise NotFound(f"No published fact check #{claim_id}.")
    values = dict(zip(_SNAPSHOT_COLUMNS, row))
    values["category"] = Category(values["category"])
    values["verdict"] = Verdict(values["verdict"])
    values["evidence"] = values["evidence"] or []
    values["updates"] = values["updates"] or []
    return PublicSnapshot(**values)


def public_snapshot(connection, claim_id: int) -> PublicSnapshot:
    """The public fact check of a claim read on ``connection`` (db.fetch_one); NotFound when
    never published or taken down."""
    return snapshot_from_row(claim_id, db.fetch_one(connection, *snapshot_query(claim_id)))


def public_publication(session: Session, claim_id: int) -> Publication:
    """The published fact check of a claim; NotFound when never published or taken down."""
    publication = session.get(Publication, claim_id)
    if publication is None or not publication.is_public:
        raise NotFound(f"No published fact check #{claim_id}.")
    return publication


def public_article(session: Session, article_id: int) -> Publication:
    """The latest publication on an article (its title, link and outlet as published); NotFound without one."""
    found = session.execute(
        PublicFilters(article_id=article_id)
        .apply(select(Publication))
        .order_by(Publication.published_at.desc(), Publication.claim_id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"No published fact checks on article #{article_id}.")
    return found


def sitemap_count(session: Session) -> int:
    """How many fact checks are public (whether one sitemap file can hold them all)."""
    return session.execute(PublicFilters().apply(select(func.count()).select_from(Publication))).scalar_one()


def sitemap_blocks(session: Session) -> list[tuple[int, datetime]]:
    """(block number from 1, last modified) of each block of SITEMAP_BLOCK claim ids holding a public check.

    Past SITEMAP_LIMIT checks, /sitemap.xml is an index of one file per block: a block is
    a fixed range of claim ids, so a file's address and contents stay put as checks are added
    and it is read by its own range of the primary key, at the same cost at any depth.
    """
    block = ((Publication.claim_id - 1) / SITEMAP_BLOCK + 1).label("block")
    modified = func.max(func.coalesce(Publication.updated_at, Publication.published_at))
    rows = session.execute(
        PublicFilters().apply(select(block, modified).select_from(Publication)).group_by(block).order_by(block)
    ).all()
    return [(int(number), last) for number, last in rows]


def sitemap_block_entries(session: Session, block: int) -> list[tuple[int, str, datetime]]:
    """(claim id, slug, last modified) of the public checks in one block of claim ids."""
    first = (block - 1) * SITEMAP_BLOCK + 1
    rows = session.execute(
        PublicFilters()
        .apply(select(Publication.claim_id, Publication.slug, Publication.published_at, Publication.updated_at))
        .where(Publication.claim_id >= first, Publication.claim_id < first + SITEMAP_BLOCK)
        .order_by(Publication.claim_id)
    ).all()
    return [(row.claim_id, row.slug, row.updated_at or row.published_at) for row in rows]


def sitemap_entries(session: Session, limit: int = SITEMAP_LIMIT) -> list[tuple[int, str, datetime]]:
    """(claim id, slug, last modified) of the published fact checks, newest first."""
    rows = session.execute(
        PublicFilters()
        .apply(select(Publication.claim_id, Publication.slug, Publication.published_at, Publication.updated_at))
        .order_by(Publication.published_at.desc(), Publication.claim_id.desc())
        .limit(limit)
    ).all()
    return [(row.claim_id, row.slug, row.updated_at or row.published_at) for row in rows]


def feed_entries(session: Session, limit: int = FEED_ENTRIES) -> list[Publication]:
    """The latest published or updated fact checks, for the Atom feed."""
    modified = func.coalesce(Publication.updated_at, Publication.published_at)
    return list(
        session.execute(
            PublicFilters().apply(select(Publication)).order_by(modified.desc(), Publication.claim_id.desc()).limit(limit)
        ).scalars()
    )


def all_published(session: Session):
    """Every published fact check, newest first, fetched in batches (for the ClaimReview feed)."""
    stmt = PublicFilters().apply(select(Publication)).order_by(Publication.published_at.desc(), Publication.claim_id.desc())
    result = session.execute(stmt, execution_options={"yield_per": FEED_BATCH})
    try:
        yield from result.scalars()
    finally:
        result.close()


def publication_review(publication: Publication, url: str, publisher: Publisher) -> dict[str, Any]:
    """The ClaimReview of a published fact check, ``url`` being its public page."""
    review = claim_review(
        claim_url=url,
        statement=publication.statement,
        verdict=publication.verdict,
        verified_at=publication.published_at,
        claimant=publication.claimant,
        article_title=publication.article_title,
        article_url=publication.article_url,
        article_date=publication.article_published_on,
        outlet=publication.article_outlet,
        publisher=publisher,
    )
    review["datePublished"] = publication.published_at.astimezone(timezone.utc).isoformat(timespec="seconds")
    if publication.updated_at is not None:
        review["dateModified"] = publication.updated_at.astimezone(timezone.utc).isoformat(timespec="seconds")
    return review


def update_notes(publication: Publication) -> list[tuple[date, str]]:
    """(day, note) of each re-publication, newest first."""
    out = []
    for update in reversed(publication.updates or []):
        try:
            day = date.fromisoformat(update["on"])
        except (KeyError, TypeError, ValueError):
            continue
        out.append((day, str(update.get("note") or "")))
    return out
