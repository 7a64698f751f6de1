"""Dashboard rollups kept exact by triggers, and the indexes the dashboard needs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

Four summary tables replace full scans of the claims table on the dashboard.
AFTER ... FOR EACH STATEMENT triggers with transition tables fold each
statement's changes into them (one grouped upsert per statement, so a bulk
COPY costs one pass). Upserts run in key order, so concurrent transactions
take the rows' locks in the same order and cannot deadlock on them.
refresh_claim_rollups() rebuilds all three from the claims.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

claim_category = postgresql.ENUM(name="claim_category", create_type=False)
claim_status = postgresql.ENUM(name="claim_status", create_type=False)

# The signed changes of one statement, one row per (claim, sign).
_DELTAS = {
    "INSERT": "SELECT 1 AS sign, * FROM new_rows",
    "DELETE": "SELECT -1 AS sign, * FROM old_rows",
    "UPDATE": "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows",
}

_APPLY = """
    WITH d AS ({deltas})
    INSERT INTO claim_daily_counts AS r (day, category, status, verdict_key, hedged, n)
    SELECT (created_at AT TIME ZONE 'UTC')::date, category, status, coalesce(verdict::text, ''), hedged, sum(sign)
      FROM d GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, category, status, verdict_key, hedged) DO UPDATE SET n = r.n + EXCLUDED.n;

    WITH d AS ({deltas}),
    keyed AS (
        SELECT article_id, category::text AS category_key, sign, status, hedged FROM d
        UNION ALL
        SELECT article_id, '' AS category_key, sign, status, hedged FROM d
    )
    INSERT INTO article_claim_counts AS r (article_id, category_key, claims, verified, unverified_hedged)
    SELECT article_id, category_key, sum(sign),
           coalesce(sum(sign) FILTER (WHERE status = 'verified'), 0),
           coalesce(sum(sign) FILTER (WHERE hedged AND status <> 'verified'), 0)
      FROM keyed GROUP BY 1, 2
    HAVING sum(sign) <> 0
        OR coalesce(sum(sign) FILTER (WHERE status = 'verified'), 0) <> 0
        OR coalesce(sum(sign) FILTER (WHERE hedged AND status <> 'verified'), 0) <> 0
     ORDER BY 1, 2
    ON CONFLICT (article_id, category_key) DO UPDATE SET
        claims = r.claims + EXCLUDED.claims,
        verified = r.verified + EXCLUDED.verified,
        unverified_hedged = r.unverified_hedged + EXCLUDED.unverified_hedged;

    WITH d AS ({deltas}),
    keyed AS (
        SELECT assignee_id, category::text AS category_key, sign FROM d
         WHERE status = 'in_review' AND assignee_id IS NOT NULL
        UNION ALL
        SELECT assignee_id, '' AS category_key, sign FROM d
         WHERE status = 'in_review' AND assignee_id IS NOT NULL
    )
    INSERT INTO assignee_open_counts AS r (assignee_id, category_key, in_review)
    SELECT assignee_id, category_key, sum(sign) FROM keyed GROUP BY 1, 2 HAVING sum(sign) <> 0 ORDER BY 1, 2
    ON CONFLICT (assignee_id, category_key) DO UPDATE SET in_review = r.in_review + EXCLUDED.in_review;

    WITH d AS ({deltas}),
    work AS (
        SELECT (proposed_at AT TIME ZONE 'UTC')::date AS day, proposed_by_id AS user_id, 'proposed' AS kind,
               category, sign FROM d WHERE proposed_by_id IS NOT NULL
        UNION ALL
        SELECT (verified_at AT TIME ZONE 'UTC')::date, approved_by_id, 'approved', category, sign
          FROM d WHERE status = 'verified'
    ),
    keyed AS (
        SELECT day, user_id, kind, category::text AS category_key, sign FROM work
        UNION ALL
        SELECT day, user_id, kind, '' AS category_key, sign FROM work
    )
    INSERT INTO reviewer_daily_counts AS r (day, user_id, kind, category_key, n)
    SELECT day, user_id, kind, category_key, sum(sign) FROM keyed
     GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, user_id, kind, category_key) DO UPDATE SET n = r.n + EXCLUDED.n;
"""


def _trigger_function() -> str:
    branches = "\n".join(
        f"    {'IF' if i == 0 else 'ELSIF'} TG_OP = '{op_name}' THEN\n{_APPLY.format(deltas=deltas)}"
        for i, (op_name, deltas) in enumerate(_DELTAS.items())
    )
    return f"""
CREATE FUNCTION claims_maintain_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{branches}
    END IF;
    RETURN NULL;
END $$
"""


_REFRESH = """
CREATE FUNCTION refresh_claim_rollups() RETURNS void LANGUAGE sql AS $$
    DELETE FROM claim_daily_counts;
    DELETE FROM article_claim_counts;
    DELETE FROM assignee_open_counts;
    DELETE FROM reviewer_daily_counts;
    INSERT INTO claim_daily_counts (day, category, status, verdict_key, hedged, n)
    SELECT (created_at AT TIME ZONE 'UTC')::date, category, status, coalesce(verdict::text, ''), hedged, count(*)
      FROM claims GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO article_claim_counts (article_id, category_key, claims, verified, unverified_hedged)
    SELECT article_id, coalesce(category::text, ''), count(*),
           count(*) FILTER (WHERE status = 'verified'),
           count(*) FILTER (WHERE hedged AND status <> 'verified')
      FROM claims GROUP BY GROUPING SETS ((article_id, category), (article_id));
    INSERT INTO assignee_open_counts (assignee_id, category_key, in_review)
    SELECT assignee_id, coalesce(category::text, ''), count(*)
      FROM claims WHERE status = 'in_review' AND assignee_id IS NOT NULL
     GROUP BY GROUPING SETS ((assignee_id, category), (assignee_id));
    INSERT INTO reviewer_daily_counts (day, user_id, kind, category_key, n)
    SELECT day, user_id, kind, coalesce(category::text, ''), count(*) FROM (
        SELECT (proposed_at AT TIME ZONE 'UTC')::date AS day, proposed_by_id AS user_id, 'proposed' AS kind, category
          FROM claims WHERE proposed_by_id IS NOT NULL
        UNION ALL
        SELECT (verified_at AT TIME ZONE 'UTC')::date, approved_by_id, 'approved', category
          FROM claims WHERE status = 'verified'
    ) work GROUP BY GROUPING SETS ((day, user_id, kind, category), (day, user_id, kind));
$$
"""


def upgrade() -> None:
    op.create_table(
        "claim_daily_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", claim_category, nullable=False),
        sa.Column("status", claim_status, nullable=False),
        sa.Column("verdict_key", sa.String(length=20), nullable=False),
        sa.Column("hedged", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("day", "category", "status", "verdict_key", "hedged", name=op.f("pk_claim_daily_counts")),
    )
    op.create_table(
        "article_claim_counts",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("category_key", sa.String(length=20), nullable=False),
        sa.Column("claims", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("verified", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("unverified_hedged", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "category_key", name=op.f("pk_article_claim_counts")),
    )
    op.create_index(
        "ix_article_claim_counts_ranking",
        "article_claim_counts",
        ["category_key", sa.text("unverified_hedged DESC"), sa.text("claims DESC"), "article_id"],
    )
    op.create_table(
        "assignee_open_counts",
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("category_key", sa.String(length=20), nullable=False),
        sa.Column("in_review", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("assignee_id", "category_key", name=op.f("pk_assignee_open_counts")),
    )
    op.create_table(
        "reviewer_daily_counts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("category_key", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("day", "user_id", "kind", "category_key", name=op.f("pk_reviewer_daily_counts")),
    )
    op.execute(_trigger_function())
    for event in ("INSERT", "UPDATE", "DELETE"):
        tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
                  "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[event]
        op.execute(
            f"CREATE TRIGGER claims_rollups_{event.lower()} AFTER {event} ON claims "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION claims_maintain_rollups()"
        )
    op.execute(_REFRESH)
    op.execute("SELECT refresh_claim_rollups()")

    # Indexes for the parts still read from claims and claim_events.
    # With a date range the dashboard counts claims directly; these keep those
    # counts index-only.
    op.create_index(
        "ix_claims_status_created_at", "claims", ["status", "created_at"], postgresql_include=["category", "assignee_id"]
    )
    op.create_index(
        "ix_claims_created_at", "claims", ["created_at"],
        postgresql_include=["article_id", "category", "status", "hedged"],
    )
    op.create_index(
        "ix_claims_proposed_at",
        "claims",
        ["proposed_at"],
        postgresql_include=["proposed_by_id", "created_at", "category"],
        postgresql_where=sa.text("proposed_by_id IS NOT NULL"),
    )
    op.create_index(
        "ix_claims_verified_at_created_at",
        "claims",
        ["verified_at", "created_at"],
        postgresql_include=["category", "approved_by_id"],
        postgresql_where=sa.text("status = 'verified'"),
    )
    op.drop_index("ix_claims_verified_at", table_name="claims", postgresql_where=sa.text("status = 'verified'"))


def downgrade() -> None:
    op.create_index("ix_claims_verified_at", "claims", ["verified_at"], postgresql_where=sa.text("status = 'verified'"))
    op.drop_index("ix_claims_verified_at_created_at", table_name="claims")
    op.drop_index("ix_claims_proposed_at", table_name="claims")
    op.drop_index("ix_claims_created_at", table_name="claims")
    op.drop_index("ix_claims_status_created_at", table_name="claims")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER claims_rollups_{event} ON claims")
    op.execute("DROP FUNCTION claims_maintain_rollups()")
    op.execute("DROP FUNCTION refresh_claim_rollups()")
    op.drop_table("reviewer_daily_counts")
    op.drop_table("assignee_open_counts")
    op.drop_index("ix_article_claim_counts_ranking", table_name="article_claim_counts")
    op.drop_table("article_claim_counts")
    op.drop_table("claim_daily_counts")
