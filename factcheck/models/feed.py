"""RSS/Atom feeds the desk subscribes to, the items seen in them, and the triage of what they brought.

Polling state lives on the feed row (``next_poll_at``, the validators of the last
answer, the last error), so it survives restarts and is shared by every worker.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, pg_enum

DEFAULT_POLL_SECONDS = 900
MIN_POLL_SECONDS = 60


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(String(500))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(server_default=func.now())
    active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    poll_seconds: Mapped[int] = mapped_column(Integer, default=DEFAULT_POLL_SECONDS, server_default=str(DEFAULT_POLL_SECONDS))
    # The validators of the last 200 answer, sent back as If-None-Match / If-Modified-Since.
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_polled_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    __table_args__ = (
        CheckConstraint("url ~* '^https?://'", name="url_http"),
        CheckConstraint(f"poll_seconds >= {MIN_POLL_SECONDS}", name="poll_seconds_min"),
        # The scheduler's question: which active feeds are due?
        Index("ix_feeds_next_poll_at", "next_poll_at", postgresql_where=text("active")),
    )


class ItemOutcome(str, enum.Enum):
    QUEUED = "queued"  # seen in the feed; a job imports it
    IMPORTED = "imported"  # a new article
    DUPLICATE = "duplicate"  # the article was already on the desk (same text or canonical URL)
    FAILED = "failed"  # the page could not be fetched or read (``error`` says why)


class FeedItem(Base):
    """One entry seen in a feed, keyed by its id (or link): an entry is imported once."""

    __tablename__ = "feed_items"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(1000))
    link: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(500))
    seen_at: Mapped[datetime] = mapped_column(server_default=func.now())
    outcome: Mapped[ItemOutcome] = mapped_column(
        pg_enum(ItemOutcome, "feed_item_outcome"), default=ItemOutcome.QUEUED, server_default=ItemOutcome.QUEUED.value
    )
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("feed_id", "item_key", name="uq_feed_items_feed_id_item_key"),)


class IntakeStatus(str, enum.Enum):
    INCOMING = "incoming"  # arrived from a feed, not looked at yet
    KEPT = "kept"
    DISCARDED = "discarded"


class ArticleIntake(Base):
    """How an article came from a feed, and whether an editor kept or discarded it.

    A table of its own rather than columns of ``articles``: only feed articles
    have it, and the incoming view reads a small partial index of it."""

    __tablename__ = "article_intake"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    status: Mapped[IntakeStatus] = mapped_column(
        pg_enum(IntakeStatus, "intake_status"), default=IntakeStatus.INCOMING, server_default=IntakeStatus.INCOMING.value
    )
    arrived_at: Mapped[datetime] = mapped_column(server_default=func.now())
    triaged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    triaged_at: Mapped[datetime | None]

    __table_args__ = (
        # The incoming view, newest first, by keyset: only untriaged rows are in it.
        Index(
            "ix_article_intake_incoming",
            "arrived_at",
            "article_id",
            postgresql_where=text("status = 'incoming'"),
        ),
    )
