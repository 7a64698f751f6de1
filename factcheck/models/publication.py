"""What the public sees of a claim: a snapshot taken when an editor publishes it.

Public pages read only this table, never the claim, so edits, reopenings,
comments and evidence notes stay inside the desk until the claim is published
again (DESIGN.md, "published versions").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, pg_enum
from .claim import CATEGORY_TYPE, Category, Verdict


class Publication(Base):
    """One row per claim ever published; re-publishing replaces the snapshot.

    ``evidence`` is a list of {"title", "url", "publisher", "archive_url",
    "stance"}: the evidence fields a reader may see (notes and who added it
    stay internal). ``updates`` lists every re-publication, oldest first, as
    {"on": ISO day, "note": what changed}. ``version`` counts publications;
    ``claim_version`` is the claim's version that was published.
    """

    __tablename__ = "publications"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="RESTRICT"))
    slug: Mapped[str] = mapped_column(String(100))
    statement: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    claimant: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[Category] = mapped_column(CATEGORY_TYPE)
    verdict: Mapped[Verdict] = mapped_column(pg_enum(Verdict, "claim_verdict"))
    rationale: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    article_title: Mapped[str] = mapped_column(Text)
    article_url: Mapped[str | None] = mapped_column(Text)
    article_outlet: Mapped[str | None] = mapped_column(Text)
    article_published_on: Mapped[date | None]
    published_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
    updates: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list, server_default=text("'[]'::jsonb"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    unpublished_at: Mapped[datetime | None]
    unpublish_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    claim_version: Mapped[int]

    __table_args__ = (
        CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_shape"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("(unpublished_at IS NULL) = (unpublish_reason IS NULL)", name="unpublished_with_reason"),
        # The public index: newest first, alone or for one article, over what is public.
        Index(
            "ix_publications_listed",
            "published_at",
            "claim_id",
            postgresql_where=text("unpublished_at IS NULL"),
        ),
        Index(
            "ix_publications_article_listed",
            "article_id",
            "published_at",
            "claim_id",
            postgresql_where=text("unpublished_at IS NULL"),
        ),
    )

    @property
    def is_public(self) -> bool:
        return self.unpublished_at is None

    @property
    def modified_at(self) -> datetime:
        return self.updated_at or self.published_at
