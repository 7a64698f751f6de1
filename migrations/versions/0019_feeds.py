"""Feeds the desk subscribes to, the items seen in them, and the triage of feed articles

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

``feeds`` holds each subscription and its polling state (validators for the
conditional GET, next poll time, last error), so polling survives restarts and
every worker sees the same schedule. ``feed_items`` remembers each entry seen
(unique per feed), so an entry is imported once. ``article_intake`` marks the
articles that came from a feed as incoming, kept or discarded; the incoming
view reads its partial index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OUTCOME = postgresql.ENUM("queued", "imported", "duplicate", "failed", name="feed_item_outcome", create_type=False)
INTAKE = postgresql.ENUM("incoming", "kept", "discarded", name="intake_status", create_type=False)


def upgrade() -> None:
    OUTCOME.create(op.get_bind())
    INTAKE.create(op.get_bind())
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), sa.Identity(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("poll_seconds", sa.Integer(), server_default="900", nullable=False),
        sa.Column("etag", sa.String(500), nullable=True),
        sa.Column("last_modified", sa.String(100), nullable=True),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("error_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("url ~* '^https?://'", name=op.f("ck_feeds_url_http")),
        sa.CheckConstraint("poll_seconds >= 60", name=op.f("ck_feeds_poll_seconds_min")),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_feeds_added_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("url", name=op.f("uq_feeds_url")),
    )
    op.create_index("ix_feeds_next_poll_at", "feeds", ["next_poll_at"], postgresql_where=sa.text("active"))
    op.create_table(
        "feed_items",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(1000), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("title", sa.String(500), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("outcome", OUTCOME, server_default="queued", nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_feed_items_article_id_articles"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], name=op.f("fk_feed_items_feed_id_feeds"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_items")),
        sa.UniqueConstraint("feed_id", "item_key", name="uq_feed_items_feed_id_item_key"),
    )
    op.create_table(
        "article_intake",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("status", INTAKE, server_default="incoming", nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("triaged_by_id", sa.Integer(), nullable=True),
        sa.Column("triaged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_article_intake_article_id_articles"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], name=op.f("fk_article_intake_feed_id_feeds"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["triaged_by_id"], ["users.id"], name=op.f("fk_article_intake_triaged_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_intake")),
    )
    op.create_index(
        "ix_article_intake_incoming", "article_intake", ["arrived_at", "article_id"],
        postgresql_where=sa.text("status = 'incoming'"),
    )


def downgrade() -> None:
    op.drop_index("ix_article_intake_incoming", table_name="article_intake")
    op.drop_table("article_intake")
    op.drop_table("feed_items")
    op.drop_index("ix_feeds_next_poll_at", table_name="feeds")
    op.drop_table("feeds")
    INTAKE.drop(op.get_bind())
    OUTCOME.drop(op.get_bind())
