from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Computed, ForeignKey, Identity, Index, LargeBinary, String, Text, func
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base

# The database derives the hash from the body, so the two can never disagree.
# text_sha256_hex() is an IMMUTABLE wrapper created by migration 0001
# (convert_to itself is only STABLE, which a generated column refuses).
BODY_SHA256_SQL = "text_sha256_hex(body)"
ARTICLE_SEARCH_SQL = (
    "setweight(to_tsvector('english', search_figures(coalesce(title, ''))), 'A') || "
    "setweight(to_tsvector('english', search_figures(coalesce(body, ''))), 'D')"
)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str | None] = mapped_column(String(200))
    byline: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None]
    body: Mapped[str] = mapped_column(Text)
    body_sha256: Mapped[str] = mapped_column(
        String(64), Computed(BODY_SHA256_SQL, persisted=True), unique=True
    )
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    imported_at: Mapped[datetime] = mapped_column(server_default=func.now())
    search_vector = mapped_column(TSVECTOR, Computed(ARTICLE_SEARCH_SQL, persisted=True), deferred=True)
    # Imported from a link (migration 0018): the page's canonical address, the
    # URL fetched and when, its declared language, and its HTML (UTF-8,
    # zlib-compressed; read only when asked for).
    canonical_url: Mapped[str | None] = mapped_column(Text)
    fetched_from: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(35))
    raw_html: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    imported_by = relationship("User")

    __table_args__ = (
        CheckConstraint("char_length(btrim(title)) > 0", name="title_not_blank"),
        CheckConstraint("char_length(btrim(body)) > 0", name="body_not_blank"),
        CheckConstraint("url IS NULL OR url ~* '^https?://'", name="url_http"),
        CheckConstraint(
            "canonical_url IS NULL OR (canonical_url ~* '^https?://' AND octet_length(canonical_url) <= 2000)",
            name="canonical_url_http",
        ),
        CheckConstraint("fetched_from IS NULL OR fetched_from ~* '^https?://'", name="fetched_from_http"),
        Index("ix_articles_canonical_url", "canonical_url"),  # duplicate detection by address
        Index("ix_articles_search_vector", "search_vector", postgresql_using="gin"),
        Index("ix_articles_imported_at_id", "imported_at", "id"),  # the list's keyset pages
    )

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:40]!r}>"
