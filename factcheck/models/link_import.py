"""A link a user asked to import: the job that fetches it, and what it found.

The web form and the API create the row (status "pending") and queue a job in
the same transaction; `factcheck worker` fetches and extracts the page and
stores the result here ("ready") or the fetcher's refusal ("failed"). Saving
builds the article from this stored result, so the page is fetched once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Identity, Index, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

PENDING = "pending"
READY = "ready"
FAILED = "failed"


class LinkImport(Base):
    __tablename__ = "link_imports"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    url: Mapped[str] = mapped_column(Text)  # as asked for
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default=PENDING, server_default=PENDING)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    finished_at: Mapped[datetime | None]
    # The fetched result (fetching.articles.ExtractedArticle), once ready.
    fetched_from: Mapped[str | None] = mapped_column(Text)  # the final URL, after redirects
    canonical_url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(500))
    byline: Mapped[str | None] = mapped_column(String(300))
    outlet: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(35))
    body: Mapped[str | None] = mapped_column(Text)  # exactly as extracted
    raw_html: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # UTF-8, zlib-compressed
    fetched_at: Mapped[datetime | None]
    warnings: Mapped[str | None] = mapped_column(Text)  # the extractor's warnings, one a line
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'ready', 'failed')", name="status_known"),
        CheckConstraint("url ~* '^https?://'", name="url_http"),
        Index("ix_link_imports_requested_by_id", "requested_by_id"),
    )
