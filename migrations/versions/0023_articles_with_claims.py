"""The dashboard's count of articles with claims, kept as a rollup; an index for the reviewers' windows

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06

The unfiltered and one-category dashboards counted the rows of
article_claim_counts with claims > 0 on every request: one index entry per
article (10,000 on the 1M-claim benchmark database, 1,000 on the 100k one), the
one statement of those views whose cost grew with the data. articles_with_claims
holds that count per category key. A statement trigger on article_claim_counts
keeps it in the same transaction as the claims' writes that change it (those
writes reach article_claim_counts through claims_maintain_rollups, migration 0003):
it adds the rows that now have claims and subtracts the rows that had them, and
touches its row only when an article gains its first claim of a key or loses its
last, so most claim writes do not lock it. refresh_claim_rollups() rebuilds
article_claim_counts with a DELETE and an INSERT, which this trigger follows too;
refresh_articles_with_claims() recounts it from article_claim_counts.

The reviewers' 7- and 30-day work counts read reviewer_daily_counts for one
category key over 30 days. Its primary key starts with the day, so that range
read every category's rows and then the table: rows per day grow with the claims
until every user, kind and key has one. ix_reviewer_daily_counts_category_day
reads exactly the key's rows, index-only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_TRIGGER_FUNCTION = """
CREATE FUNCTION article_claim_counts_maintain_articles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO articles_with_claims AS r (category_key, articles)
        SELECT category_key, count(*) FROM new_rows WHERE claims > 0 GROUP BY 1 ORDER BY 1
        ON CONFLICT (category_key) DO UPDATE SET articles = r.articles + EXCLUDED.articles;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO articles_with_claims AS r (category_key, articles)
        SELECT category_key, -count(*) FROM old_rows WHERE claims > 0 GROUP BY 1 ORDER BY 1
        ON CONFLICT (category_key) DO UPDATE SET articles = r.articles + EXCLUDED.articles;
    ELSE
        INSERT INTO articles_with_claims AS r (category_key, articles)
        SELECT category_key, sum(sign) FROM (
            SELECT category_key, 1 AS sign FROM new_rows WHERE claims > 0
            UNION ALL
            SELECT category_key, -1 AS sign FROM old_rows WHERE claims > 0
        ) d GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1
        ON CONFLICT (category_key) DO UPDATE SET articles = r.articles + EXCLUDED.articles;
    END IF;
    RETURN NULL;
END $$
"""

_REFRESH = """
CREATE FUNCTION refresh_articles_with_claims() RETURNS void LANGUAGE sql AS $$
    DELETE FROM articles_with_claims;
    INSERT INTO articles_with_claims (category_key, articles)
    SELECT category_key, count(*) FROM article_claim_counts WHERE claims > 0 GROUP BY 1;
$$
"""

_TABLES = {
    "INSERT": "NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def upgrade() -> None:
    op.create_table(
        "articles_with_claims",
        sa.Column("category_key", sa.String(length=20), nullable=False),
        sa.Column("articles", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("category_key", name=op.f("pk_articles_with_claims")),
    )
    op.execute(_TRIGGER_FUNCTION)
    for event, tables in _TABLES.items():
        op.execute(
            f"CREATE TRIGGER article_claim_counts_articles_{event.lower()} AFTER {event} ON article_claim_counts "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION article_claim_counts_maintain_articles()"
        )
    op.execute(_REFRESH)
    op.execute("SELECT refresh_articles_with_claims()")
    op.create_index(
        "ix_reviewer_daily_counts_category_day",
        "reviewer_daily_counts",
        ["category_key", "day"],
        postgresql_include=["user_id", "kind", "n"],
    )


def downgrade() -> None:
    op.drop_index("ix_reviewer_daily_counts_category_day", table_name="reviewer_daily_counts")
    for event in _TABLES:
        op.execute(f"DROP TRIGGER article_claim_counts_articles_{event.lower()} ON article_claim_counts")
    op.execute("DROP FUNCTION refresh_articles_with_claims()")
    op.execute("DROP FUNCTION article_claim_counts_maintain_articles()")
    op.drop_table("articles_with_claims")
