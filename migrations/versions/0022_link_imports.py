"""Link imports: the fetch of a link runs in the worker, its result is kept for review

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06

"Import from a link" used to fetch the page inside the web request (up to 20 s)
and again on save. Now the request stores a row here and queues a job; the
worker fetches and extracts the page and stores the result (or the refusal),
and saving builds the article from the stored result
(factcheck/services/link_imports.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_imports",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), server_default="pending", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fetched_from", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.Text(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("byline", sa.String(length=300), nullable=True),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("raw_html", sa.LargeBinary(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warnings", sa.Text(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'ready', 'failed')", name=op.f("ck_link_imports_status_known")),
        sa.CheckConstraint("url ~* '^https?://'", name=op.f("ck_link_imports_url_http")),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_link_imports_article_id_articles"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_link_imports_requested_by_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_imports")),
    )
    op.create_index("ix_link_imports_requested_by_id", "link_imports", ["requested_by_id"])


def downgrade() -> None:
    op.drop_index("ix_link_imports_requested_by_id", table_name="link_imports")
    op.drop_table("link_imports")
