"""Articles imported from a link: where and when they were fetched, and the page itself

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

An article may now be imported from its link (factcheck/fetching/articles.py):

* canonical_url: the page's own idea of its address (<link rel=canonical>,
  og:url), so the same story reached by another link (tracking parameters, a
  redirect) is recognised as already imported; looked up through an index, not
  unique (an article pasted twice from two outlets' pages may legitimately
  share none, and a stale canonical must not block a correction).
* fetched_from: the URL actually fetched (after redirects); fetched_at: when.
* language: the page's declared language (BCP 47, e.g. "en", "ar").
* raw_html: the page's HTML as UTF-8, zlib-compressed, so the text can be
  re-extracted later and the desk keeps a copy if the page changes or goes.
  Stored EXTERNAL: it is compressed already, PostgreSQL need not try again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("canonical_url", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("fetched_from", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("articles", sa.Column("language", sa.String(length=35), nullable=True))
    op.add_column("articles", sa.Column("raw_html", sa.LargeBinary(), nullable=True))
    op.execute("ALTER TABLE articles ALTER COLUMN raw_html SET STORAGE EXTERNAL")
    op.create_check_constraint(
        op.f("ck_articles_canonical_url_http"),
        "articles",
        "canonical_url IS NULL OR (canonical_url ~* '^https?://' AND octet_length(canonical_url) <= 2000)",
    )
    op.create_check_constraint(
        op.f("ck_articles_fetched_from_http"), "articles", "fetched_from IS NULL OR fetched_from ~* '^https?://'"
    )
    op.create_index(op.f("ix_articles_canonical_url"), "articles", ["canonical_url"])


def downgrade() -> None:
    op.drop_index(op.f("ix_articles_canonical_url"), table_name="articles")
    op.drop_constraint(op.f("ck_articles_fetched_from_http"), "articles", type_="check")
    op.drop_constraint(op.f("ck_articles_canonical_url_http"), "articles", type_="check")
    for column in ("raw_html", "language", "fetched_at", "fetched_from", "canonical_url"):
        op.drop_column("articles", column)
