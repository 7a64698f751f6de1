"""Per-week rollups beside the per-day ones, so that a date range reads a few rows per week, not per day

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

A dashboard date range summed claim_daily_counts and article_daily_counts over
each of its days. Their rows per day grow with the claims until every key has
one (on the benchmark, 30 days: 2,340 and 449 rows at 100k claims, 3,756 and
4,485 at 1M), so the date-range views cost more on more claims. Two tables
hold the same counts per ISO week (Monday, UTC) of the claims' creation; the
dashboard reads the whole weeks inside a range from them and only the days at
its edges from the per-day tables:

* claim_weekly_counts: per week, category, status and verdict key (no hedged:
  the dashboard's breakdowns do not split by it);
* article_weekly_counts: per category key, week and article, the claims,
  verified, unverified-hedged counts.

A statement-level trigger on claims, like migration 0012's, keeps them exact in
the same transaction as every claim write, upserting in key order.
refresh_claim_day_rollups() rebuilds them too (its 0012 body plus theirs).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

claim_category = postgresql.ENUM(name="claim_category", create_type=False)
claim_status = postgresql.ENUM(name="claim_status", create_type=False)


def _revision_0012():
    """Migration 0012's module: its refresh_claim_day_rollups() body is extended here and restored on downgrade."""
    path = Path(__file__).with_name("0012_dashboard_day_rollups.py")
    spec = importlib.util.spec_from_file_location("factcheck_migration_0012", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_DELTAS = {
    "INSERT": "SELECT 1 AS sign, * FROM new_rows",
    "DELETE": "SELECT -1 AS sign, * FROM old_rows",
    "UPDATE": "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows",
}

_WEEK = "date_trunc('week', d.created_at AT TIME ZONE 'UTC')::date"
_KEYED = "CROSS JOIN LATERAL (VALUES (d.category::text), ('')) AS k(category_key)"

_APPLY = f"""
    WITH d AS ({{deltas}})
    INSERT INTO claim_weekly_counts AS r (week, category, status, verdict_key, n)
    SELECT {_WEEK}, d.category, d.status, coalesce(d.verdict::text, ''), sum(sign)
      FROM d GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (week, category, status, verdict_key) DO UPDATE SET n = r.n + EXCLUDED.n;

    WITH d AS ({{deltas}})
    INSERT INTO article_weekly_counts AS r (category_key, week, article_id, claims, verified, unverified_hedged)
    SELECT k.category_key, {_WEEK}, d.article_id, sum(sign),
           coalesce(sum(sign) FILTER (WHERE d.status = 'verified'), 0),
           coalesce(sum(sign) FILTER (WHERE d.hedged AND d.status <> 'verified'), 0)
      FROM d {_KEYED}
     GROUP BY 1, 2, 3
    HAVING sum(sign) <> 0
        OR coalesce(sum(sign) FILTER (WHERE d.status = 'verified'), 0) <> 0
        OR coalesce(sum(sign) FILTER (WHERE d.hedged AND d.status <> 'verified'), 0) <> 0
     ORDER BY 1, 2, 3
    ON CONFLICT (category_key, week, article_id) DO UPDATE SET
        claims = r.claims + EXCLUDED.claims,
        verified = r.verified + EXCLUDED.verified,
        unverified_hedged = r.unverified_hedged + EXCLUDED.unverified_hedged;
"""


def _trigger_function() -> str:
    branches = "\n".join(
        f"    {'IF' if i == 0 else 'ELSIF'} TG_OP = '{op_name}' THEN\n{_APPLY.format(deltas=deltas)}"
        for i, (op_name, deltas) in enumerate(_DELTAS.items())
    )
    return f"""
CREATE FUNCTION claims_maintain_week_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{branches}
    END IF;
    RETURN NULL;
END $$
"""


# Rebuilds the weekly tables from the claims, in key order (a range of weeks is a range of pages).
_REFRESH_WEEKS = f"""
    DELETE FROM claim_weekly_counts;
    DELETE FROM article_weekly_counts;
    INSERT INTO claim_weekly_counts (week, category, status, verdict_key, n)
    SELECT {_WEEK}, d.category, d.status, coalesce(d.verdict::text, ''), count(*)
      FROM claims d GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
    INSERT INTO article_weekly_counts (category_key, week, article_id, claims, verified, unverified_hedged)
    SELECT k.category_key, {_WEEK}, d.article_id, count(*),
           count(*) FILTER (WHERE d.status = 'verified'),
           count(*) FILTER (WHERE d.hedged AND d.status <> 'verified')
      FROM claims d {_KEYED} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
"""

_TABLES = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
           "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}


def _refresh_day_rollups(extra: str) -> str:
    """0012's CREATE FUNCTION refresh_claim_day_rollups() as CREATE OR REPLACE, with ``extra`` statements at its end."""
    body = _revision_0012()._REFRESH
    head, tail = body.rsplit("$$", 1)
    return head.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1) + extra + "$$" + tail


def upgrade() -> None:
    op.create_table(
        "claim_weekly_counts",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("category", claim_category, nullable=False),
        sa.Column("status", claim_status, nullable=False),
        sa.Column("verdict_key", sa.String(length=20), nullable=False),
        sa.Column("n", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("week", "category", "status", "verdict_key", name=op.f("pk_claim_weekly_counts")),
    )
    op.create_table(
        "article_weekly_counts",
        sa.Column("category_key", sa.String(length=20), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("verified", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("unverified_hedged", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("category_key", "week", "article_id", name=op.f("pk_article_weekly_counts")),
    )
    op.execute(_trigger_function())
    for event, tables in _TABLES.items():
        op.execute(
            f"CREATE TRIGGER claims_week_rollups_{event.lower()} AFTER {event} ON claims "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION claims_maintain_week_rollups()"
        )
    op.execute(_refresh_day_rollups(_REFRESH_WEEKS))
    op.execute(f"DO $$ BEGIN {_REFRESH_WEEKS} END $$")


def downgrade() -> None:
    op.execute(_refresh_day_rollups(""))
    for event in _TABLES:
        op.execute(f"DROP TRIGGER claims_week_rollups_{event.lower()} ON claims")
    op.execute("DROP FUNCTION claims_maintain_week_rollups()")
    op.drop_table("article_weekly_counts")
    op.drop_table("claim_weekly_counts")
