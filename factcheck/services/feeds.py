"""Feeds: subscribing the desk to RSS/Atom feeds, polling them, importing their items, triage.

The network is never touched inside a transaction: a poll is (1) claim the feed
(a short transaction that moves its next poll past a lease, so no other worker
or ``factcheck feed poll`` polls it at the same time), (2) robots.txt and a
conditional GET through the safe fetcher, (3) one transaction that records the
answer on the feed and the new items, and queues one import job per item. An
item import is fetch -> extract -> one transaction (the article, its
suggestions, its intake row, the item's outcome).

A feed's error (refused, unreachable, not a feed, disallowed by robots.txt) is
recorded on that feed and pushes its next poll back (doubling, at most a day);
other feeds are polled as usual.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import feedparser
from sqlalchemy import case, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..fetching.fetch import FEED_TYPES, HTML_TYPES, FetchRefused, fetch, robots_allows
from ..models import Article, ArticleIntake, CandidateStatus, ClaimCandidate, Feed, FeedItem, IntakeStatus, ItemOutcome
from . import jobs, timing
from .errors import ArticleFormatError, DuplicateArticle, NotFound, ValidationFailed
from .paging import Keyset, Page, SortKey, fetch_page
from .permissions import Permission, require
from .unit import unit_of_work, use_case
from .users import active_user
from .validation import http_url_problem

log = logging.getLogger(__name__)

POLL_FEED = "factcheck:poll_feed"
IMPORT_FEED_ITEM = "factcheck:import_feed_item"

LEASE = timedelta(minutes=10)  # a poll that dies mid-way is retried after this
STALE_ITEM = timedelta(hours=1)  # an item still waiting this long after it was seen is queued again
MAX_BACKOFF = timedelta(days=1)
MAX_FEED_BYTES = 5_000_000
MAX_ITEMS_PER_POLL = 500  # a feed listing more is read in its first 500 entries
MAX_ERROR = 1000


# --- subscribing ---------------------------------------------------------------


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[tuple[str, str, str | None]]  # (key, link, title)


def parse_feed(body: bytes, content_type: str | None, base_url: str) -> ParsedFeed:
    """Entries of an RSS or Atom document; ValueError when it is not one."""
    # A stream, never a str: feedparser would take a string that looks like a URL as one to fetch.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": content_type or "application/xml", "content-location": base_url},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise ValueError(f"not an RSS or Atom feed{f' ({problem})' if problem else ''}"[:MAX_ERROR])
    entries = []
    seen = set()
    for entry in parsed.entries[:MAX_ITEMS_PER_POLL]:
        link = (entry.get("link") or "").strip()
        if not link.lower().startswith(("http://", "https://")):
            continue
        key = (entry.get("id") or link).strip()[:1000]
        if key in seen:
            continue
        seen.add(key)
        title = (entry.get("title") or "").strip()[:500] or None
        entries.append((key, link, title))
    title = (parsed.feed.get("title") or "").strip()[:500] or base_url[:500]
    return ParsedFeed(title, entries)


def _fetch_feed(url: str, *, etag=None, last_modified=None, allow_hosts=None):
    """robots.txt, then the (conditional) GET. FetchRefused says why not."""
    if not robots_allows(url, allow_hosts):
        raise FetchRefused("robots", f"The site's robots.txt does not allow us to read {url}.")
    return fetch(
        url, accept=FEED_TYPES, max_bytes=MAX_FEED_BYTES, etag=etag, last_modified=last_modified, allow_hosts=allow_hosts
    )


def subscribe(session: Session, actor_id: int | None, url: str, *, allow_hosts=None, check: bool = True) -> Feed:
    """Subscribe the desk to a feed (editors), and queue its first poll. ValidationFailed
    (field ``url``) when the address is not a web address or the desk already follows it.

    ``check``: fetch and read the feed first, and refuse it when that fails (the command
    line). The web passes False, since no web request waits on another site (DESIGN.md):
    the feed is stored under its address and the worker's first poll names it, or records
    why it could not read it, on the feeds page."""
    if actor_id is not None:  # None: the command line, with the machine's authority
        with unit_of_work(session):
            require(active_user(session, actor_id), Permission.MANAGE_FEEDS)
    url = (url or "").strip()
    problem = http_url_problem(url)
    if problem:
        raise ValidationFailed({"url": [problem]})
    if session.execute(select(Feed.id).where(Feed.url == url)).scalar_one_or_none() is not None:
        session.rollback()
        raise ValidationFailed({"url": ["The desk already follows this feed."]})
    session.rollback()  # no transaction stays open while we wait on the network
    if not check:
        return _store_feed(session, actor_id, url, url[:500])
    try:
        result = _fetch_feed(url, allow_hosts=allow_hosts)
        parsed = parse_feed(result.body, result.content_type, result.url)
    except FetchRefused as exc:
        raise ValidationFailed({"url": [str(exc)]}) from exc
    except ValueError as exc:
        raise ValidationFailed({"url": [f"{url} is {exc}."]}) from exc
    return _store_feed(session, actor_id, url, parsed.title)


@use_case
def _store_feed(session: Session, actor_id: int | None, url: str, title: str) -> Feed:
    feed = Feed(url=url, title=title, added_by_id=actor_id)
    try:
        with session.begin_nested():
            session.add(feed)
            session.flush()
    except IntegrityError as exc:
        raise ValidationFailed({"url": ["The desk already follows this feed."]}) from exc
    jobs.defer(session, POLL_FEED, lock=f"feed:{feed.id}", feed_id=feed.id)
    return feed


@use_case
def unsubscribe(session: Session, actor_id: int | None, feed_id: int) -> Feed:
    """Stop following a feed; the articles it brought stay (their intake row forgets the feed)."""
    if actor_id is not None:
        require(active_user(session, actor_id), Permission.MANAGE_FEEDS)
    feed = session.get(Feed, feed_id)
    if feed is None:
        raise NotFound(f"No feed #{feed_id}.")
    session.delete(feed)
    return feed


@dataclass(frozen=True)
class FeedRow:
    id: int
    url: str
    title: str
    active: bool
    last_polled_at: datetime | None
    next_poll_at: datetime
    last_error: str | None
    error_count: int
    items: int
    imported: int


COUNT_CAP = 1000  # the feeds page counts each feed's entries up to this ("1,000+")


def list_feeds(session: Session, actor_id: int | None = None, limit: int = 500) -> list[FeedRow]:
    """Every feed (a desk follows tens, not thousands: capped) with its entries seen and
    imported, each counted up to COUNT_CAP through the feed's own index, so the page
    costs the same after years of polling."""
    if actor_id is not None:
        require(active_user(session, actor_id), Permission.MANAGE_FEEDS)
    entries = (
        select(FeedItem.outcome)
        .where(FeedItem.feed_id == Feed.id)
        .order_by(FeedItem.feed_id, FeedItem.item_key)
        .limit(COUNT_CAP + 1)
        .correlate(Feed)
        .lateral("entries")
    )
    rows = session.execute(
        select(
            Feed.id, Feed.url, Feed.title, Feed.active, Feed.last_polled_at, Feed.next_poll_at,
            Feed.last_error, Feed.error_count,
            func.count(entries.c.outcome), func.count(entries.c.outcome).filter(entries.c.outcome == ItemOutcome.IMPORTED),
        )
        .outerjoin(entries, text("true"))
        .group_by(Feed.id)
        .order_by(Feed.title, Feed.id)
        .limit(limit)
    ).all()
    return [FeedRow(*row) for row in rows]


# --- polling ---------------------------------------------------------------------


@dataclass
class PollReport:
    feed_id: int
    status: str  # "skipped" (not due / gone), "not_modified", "ok", "error"
    new_items: list[int] = field(default_factory=list)
    error: str | None = None
    retried: list[int] = field(default_factory=list)  # items left waiting too long, queued again

    def as_fields(self) -> dict:
        return {
            "feed_id": self.feed_id, "poll": self.status, "new_items": len(self.new_items),
            "retried_items": len(self.retried), "error": self.error,
        }


def _due_feeds(limit: int):
    return select(Feed.id).where(Feed.active, Feed.next_poll_at <= func.now()).order_by(Feed.next_poll_at).limit(limit)


def due_feed_ids(session: Session, limit: int = 1000) -> list[int]:
    with unit_of_work(session):
        return list(session.execute(_due_feeds(limit)).scalars())


def queue_due_polls(session: Session) -> int:
    """Queue a poll job for each due feed (the worker's periodic task). A feed that already
    has a poll waiting in the queue gets no second one (procrastinate's queueing lock); a
    second one would do nothing anyway, since polling claims the feed first."""
    queued = 0
    with unit_of_work(session):
        for feed_id in session.execute(_due_feeds(1000)).scalars():
            queued += jobs.defer_once(session, POLL_FEED, lock=f"feed:{feed_id}", queueing_lock=f"feed:{feed_id}", feed_id=feed_id)
    return queued


def _claim(session: Session, feed_id: int, force: bool):
    with unit_of_work(session):
        due = Feed.next_poll_at <= func.now()
        return session.execute(
            update(Feed)
            .where(Feed.id == feed_id, Feed.active, due if not force else text("true"))
            .values(next_poll_at=func.now() + LEASE)
            .returning(Feed.url, Feed.etag, Feed.last_modified, Feed.poll_seconds, Feed.error_count)
        ).first()


def backoff(poll_seconds: int, errors: int) -> timedelta:
    """Wait after the ``errors``-th error in a row: the poll interval, doubled each time, at most a day."""
    return min(timedelta(seconds=poll_seconds) * (2 ** min(errors, 20)), MAX_BACKOFF)


def poll_feed(
    session: Session, feed_id: int, *, force: bool = False, queue_imports: bool = True, allow_hosts=None
) -> PollReport:
    """Poll one feed if it is due (``force``: even if not). New entries become feed items,
    each imported by a job (``queue_imports``) or by the caller (the ids in the report)."""
    claimed = _claim(session, feed_id, force)
    if claimed is None:
        return PollReport(feed_id, "skipped")
    url, etag, last_modified, poll_seconds, errors = claimed
    try:
        result = _fetch_feed(url, etag=etag, last_modified=last_modified, allow_hosts=allow_hosts)
        parsed = None if result.status == 304 else parse_feed(result.body, result.content_type, result.url)
    except (FetchRefused, ValueError) as exc:
        message = str(exc)[:MAX_ERROR] or type(exc).__name__
        with unit_of_work(session):
            session.execute(
                update(Feed)
                .where(Feed.id == feed_id)
                .values(
                    last_polled_at=func.now(),
                    last_error=message,
                    error_count=Feed.error_count + 1,
                    next_poll_at=func.now() + backoff(poll_seconds, errors + 1),
                )
            )
        return PollReport(feed_id, "error", error=message)
    with unit_of_work(session):
        values = dict(
            last_polled_at=func.now(),
            last_error=None,
            error_count=0,
            next_poll_at=func.now() + timedelta(seconds=poll_seconds),
            etag=(result.etag or None) and result.etag[:500],
            last_modified=(result.last_modified or None) and result.last_modified[:100],
        )
        if parsed is not None:
            # A feed subscribed on the web is stored under its address until its first read.
            values["title"] = case((Feed.title == Feed.url, parsed.title), else_=Feed.title)
        session.execute(update(Feed).where(Feed.id == feed_id).values(**values))
        retried = _stale_items(session, feed_id)
        if queue_imports:
            for item_id in retried:
                _defer_import(session, item_id)
        if parsed is None:
            return PollReport(feed_id, "not_modified", retried=retried)
        new_ids: list[int] = []
        if parsed.entries:
            new_ids = list(
                session.execute(
                    insert(FeedItem)
                    .values([dict(feed_id=feed_id, item_key=k, link=link, title=t) for k, link, t in parsed.entries])
                    .on_conflict_do_nothing(constraint="uq_feed_items_feed_id_item_key")
                    .returning(FeedItem.id)
                ).scalars()
            )
        if queue_imports:
            for item_id in new_ids:
                _defer_import(session, item_id)
        return PollReport(feed_id, "ok", sorted(new_ids), retried=retried)


def _stale_items(session: Session, feed_id: int) -> list[int]:
    """Items of the feed still waiting long after they were seen: their job failed for good
    (a database error three times) or died with a ``feed poll`` process. They are queued
    again, at most once an hour each (their seen_at moves on)."""
    return list(
        session.execute(
            update(FeedItem)
            .where(
                FeedItem.id.in_(
                    select(FeedItem.id)
                    .where(FeedItem.feed_id == feed_id, FeedItem.outcome == ItemOutcome.QUEUED, FeedItem.seen_at < func.now() - STALE_ITEM)
                    .order_by(FeedItem.id)
                    .limit(100)
                )
            )
            .values(seen_at=func.now())
            .returning(FeedItem.id)
        ).scalars()
    )


def _defer_import(session: Session, item_id: int) -> bool:
    """Queue an item's import, unless one is already waiting (queueing lock ``feed-item:<id>``)."""
    return jobs.defer_once(session, IMPORT_FEED_ITEM, queueing_lock=f"feed-item:{item_id}", item_id=item_id)


# --- importing one item ------------------------------------------------------------


def import_feed_item(session: Session, item_id: int, *, allow_hosts=None, phases: timing.Phases | None = None) -> dict:
    """Import the page an item links to (link -> fetch -> extract -> article), once.

    Safe to run twice (a job may be): only an item still ``queued`` is imported, under
    a row lock, and the article's body hash is unique. Returns fields for the job's log
    line, with the milliseconds spent fetching (fetch_ms), extracting the page's text
    with trafilatura (extract_ms), running our claim extractor (claims_ms) and in the
    database (db_ms)."""
    phases = phases if phases is not None else timing.Phases()

    def others() -> float:
        return sum(ms for name, ms in phases.ms.items() if name != "db")

    with timing.measure(phases):
        started, before = time.perf_counter(), others()
        outcome, article_id, error = _import_item(session, item_id, allow_hosts)
        # The rest of the job's time is the database's (its reads, its transaction).
        phases.add("db", (time.perf_counter() - started) * 1000 - (others() - before))
    fields = {"item_id": item_id, "outcome": outcome, "article_id": article_id}
    if error:
        fields["error"] = error[:200]
    return fields | {f"{name}_ms": round(ms, 2) for name, ms in sorted(phases.ms.items())}


def _import_item(session: Session, item_id: int, allow_hosts) -> tuple[str, int | None, str | None]:
    from ..fetching.articles import ExtractionFailed, decode_html, extract_article
    from . import articles as article_service

    with unit_of_work(session):
        row = session.execute(
            select(FeedItem.link, FeedItem.feed_id, FeedItem.outcome).where(FeedItem.id == item_id)
        ).first()
    if row is None or row.outcome != ItemOutcome.QUEUED:
        return "skipped", None, None
    try:
        with timing.phase("fetch"):
            page = fetch(row.link, accept=HTML_TYPES, allow_hosts=allow_hosts)
        with timing.phase("extract"):
            extracted = extract_article(
                decode_html(page.body, page.charset), url=page.url, fetched_at=page.fetched_at, requested_url=row.link
            )
        draft = article_service.article_draft_from_page(extracted)
    except (FetchRefused, ExtractionFailed, ArticleFormatError) as exc:
        message = str(exc)[:MAX_ERROR] or type(exc).__name__
        _finish(session, item_id, ItemOutcome.FAILED, error=message)
        return ItemOutcome.FAILED.value, None, message
    except Exception as exc:  # noqa: BLE001 - a page the extractor chokes on fails this item, not the feed
        log.exception("feed item %s: could not read %s", item_id, row.link)
        message = f"The page could not be read ({type(exc).__name__})."
        _finish(session, item_id, ItemOutcome.FAILED, error=message)
        return ItemOutcome.FAILED.value, None, message
    with unit_of_work(session):
        locked = session.execute(
            select(FeedItem.outcome).where(FeedItem.id == item_id).with_for_update()
        ).scalar_one_or_none()
        if locked != ItemOutcome.QUEUED:
            return "skipped", None, None  # another run of this job got here first
        try:
            with session.begin_nested():
                (article,) = article_service.import_articles(session, [draft], None)
        except DuplicateArticle as exc:
            existing = exc.existing_id or None
            _set_outcome(session, item_id, ItemOutcome.DUPLICATE, existing)
            return ItemOutcome.DUPLICATE.value, existing, None
        session.add(ArticleIntake(article_id=article.id, feed_id=row.feed_id))
        _set_outcome(session, item_id, ItemOutcome.IMPORTED, article.id)
        return ItemOutcome.IMPORTED.value, article.id, None


def _set_outcome(session: Session, item_id: int, outcome: ItemOutcome, article_id: int | None, error=None) -> None:
    session.execute(
        update(FeedItem).where(FeedItem.id == item_id).values(outcome=outcome, article_id=article_id, error=error)
    )


def _finish(session: Session, item_id: int, outcome: ItemOutcome, *, article_id=None, error=None) -> None:
    with unit_of_work(session):
        session.execute(
            update(FeedItem)
            .where(FeedItem.id == item_id, FeedItem.outcome == ItemOutcome.QUEUED)
            .values(outcome=outcome, article_id=article_id, error=error)
        )


# --- the incoming view and triage ----------------------------------------------------


@dataclass(frozen=True)
class IncomingRow:
    article_id: int
    title: str
    outlet: str | None
    url: str | None
    feed_title: str | None
    arrived_at: datetime
    suggestions: int
    best_score: float | None


@dataclass(frozen=True)
class IncomingPage:
    rows: list[IncomingRow]
    nav: Page


INCOMING_ORDER = Keyset(
    "incoming",
    SortKey(ArticleIntake.arrived_at, datetime, descending=True),
    SortKey(ArticleIntake.article_id, int, descending=True),
)


def list_incoming(session: Session, actor_id: int, *, cursor: str | None = None, per_page: int = 50) -> IncomingPage:
    """Articles from feeds not yet kept or discarded, newest first, by keyset (the partial
    index ix_article_intake_incoming), each with its pending suggestions and their best
    check-worthiness."""
    require(active_user(session, actor_id), Permission.MANAGE_FEEDS)
    pending = (ClaimCandidate.article_id == Article.id) & (ClaimCandidate.status == CandidateStatus.PENDING)
    suggestions = select(func.count()).where(pending).correlate(Article).scalar_subquery()
    best = select(func.max(ClaimCandidate.score)).where(pending).correlate(Article).scalar_subquery()
    stmt = (
        select(Article.id, Article.title, Article.outlet, Article.url, Feed.title, ArticleIntake.arrived_at, suggestions, best)
        .select_from(ArticleIntake)
        .join(Article, Article.id == ArticleIntake.article_id)
        .outerjoin(Feed, Feed.id == ArticleIntake.feed_id)
        .where(ArticleIntake.status == IntakeStatus.INCOMING)
    )
    nav = fetch_page(session, stmt, INCOMING_ORDER, cursor, per_page)
    return IncomingPage([IncomingRow(*row) for row in nav.rows], nav)


MAX_TRIAGE = 200


@use_case
def triage(session: Session, actor_id: int, article_ids: list[int], status: IntakeStatus) -> int:
    """Keep or discard incoming articles, all at once; returns how many changed (articles
    already triaged, or not from a feed, are left as they are)."""
    require(active_user(session, actor_id), Permission.MANAGE_FEEDS)
    if status == IntakeStatus.INCOMING:
        raise ValidationFailed("Choose keep or discard.")
    ids = sorted({int(i) for i in article_ids})
    if not ids:
        raise ValidationFailed("Tick at least one article.")
    if len(ids) > MAX_TRIAGE:
        raise ValidationFailed(f"At most {MAX_TRIAGE} articles at once.")
    changed = session.execute(
        update(ArticleIntake)
        .where(ArticleIntake.article_id.in_(ids), ArticleIntake.status == IntakeStatus.INCOMING)
        .values(status=status, triaged_by_id=actor_id, triaged_at=func.now())
        .returning(ArticleIntake.article_id)
    ).all()
    return len(changed)


def intake_status(session: Session, article_id: int) -> IntakeStatus | None:
    return session.execute(
        select(ArticleIntake.status).where(ArticleIntake.article_id == article_id)
    ).scalar_one_or_none()
