"""Publications: the public snapshot of a published fact check

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

An editor publishes a verified claim: its public fields (statement, quote,
claimant, verdict, rationale, the evidence's titles, links, publishers and
archived copies, the article's title, link and outlet) are copied here, and
the public pages read only this table. Editing or reopening the claim changes
nothing public until it is published again; unpublishing keeps the row (and
its slug and dates) with the time and reason, and hides it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

claim_category = postgresql.ENUM(name="claim_category", create_type=False)
claim_verdict = postgresql.ENUM(name="claim_verdict", create_type=False)


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("claimant", sa.String(length=200), nullable=True),
        sa.Column("category", claim_category, nullable=False),
        sa.Column("verdict", claim_verdict, nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("article_title", sa.Text(), nullable=False),
        sa.Column("article_url", sa.Text(), nullable=True),
        sa.Column("article_outlet", sa.Text(), nullable=True),
        sa.Column("article_published_on", sa.Date(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updates", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("unpublished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unpublish_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("claim_version", sa.Integer(), nullable=False),
        sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f("ck_publications_slug_shape")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_publications_version_positive")),
        sa.CheckConstraint(
            "(unpublished_at IS NULL) = (unpublish_reason IS NULL)", name=op.f("ck_publications_unpublished_with_reason")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_publications_claim_id_claims"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_publications_article_id_articles"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_publications_published_by_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_publications")),
    )
    op.create_index(
        "ix_publications_listed",
        "publications",
        ["published_at", "claim_id"],
        postgresql_where=sa.text("unpublished_at IS NULL"),
    )
    op.create_index(
        "ix_publications_article_listed",
        "publications",
        ["article_id", "published_at", "claim_id"],
        postgresql_where=sa.text("unpublished_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_publications_article_listed", table_name="publications")
    op.drop_index("ix_publications_listed", table_name="publications")
    op.drop_table("publications")
