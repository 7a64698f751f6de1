"""Claim totals rollup and indexes for the claim queue

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21

The queue shows counts per status on every page; on a large desk counting
the claims each time is a full scan. claim_totals holds those counts by
category, status, verdict, hedged and assigned (a few hundred rows at most),
kept by the same statement-level trigger as the other rollups.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

claim_category = postgresql.ENUM(name="claim_category", create_type=False)
claim_status = postgresql.ENUM(name="claim_status", create_type=False)

_DELTAS = {
    "INSERT": "SELECT 1 AS sign, * FROM new_rows",
    "DELETE": "SELECT -1 AS sign, * FROM old_rows",
    "UPDATE": "SELECT 1 AS sign, * FROM new_rows UNION ALL SELECT -1 AS sign, * FROM old_rows",
}

_TOTALS = """
    WITH d AS ({deltas})
    INSERT INTO claim_totals AS r (category, status, verdict_key, hedged, assigned, n)
    SELECT category, status, coalesce(verdict::text, ''), hedged, assignee_id IS NOT NULL, sum(sign)
      FROM d GROUP BY 1, 2, 3, 4, 5 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (category, status, verdict_key, hedged, assigned) DO UPDATE SET n = r.n + EXCLUDED.n;
"""


def _totals_function() -> str:
    branches = "\n".join(
        f"    {'IF' if i == 0 else 'ELSIF'} TG_OP = '{op_name}' THEN\n{_TOTALS.format(deltas=deltas)}"
        for i, (op_name, deltas) in enumerate(_DELTAS.items())
    )
    return f"""
CREATE FUNCTION claims_maintain_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{branches}
    END IF;
    RETURN NULL;
END $$
"""


_REFRESH = """
CREATE OR REPLACE FUNCTION refresh_claim_totals() RETURNS void LANGUAGE sql AS $$
    DELETE FROM claim_totals;
    INSERT INTO claim_totals (category, status, verdict_key, hedged, assigned, n)
    SELECT category, status, coalesce(verdict::text, ''), hedged, assignee_id IS NOT NULL, count(*)
      FROM claims GROUP BY 1, 2, 3, 4, 5;
$$
"""


def upgrade() -> None:
    op.create_table(
        "claim_totals",
        sa.Column("category", claim_category, nullable=False),
        sa.Column("status", claim_status, nullable=False),
        sa.Column("verdict_key", sa.String(length=20), nullable=False),
        sa.Column("hedged", sa.Boolean(), nullable=False),
        sa.Column("assigned", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("category", "status", "verdict_key", "hedged", "assigned", name=op.f("pk_claim_totals")),
    )
    op.execute(_totals_function())
    for event in ("INSERT", "UPDATE", "DELETE"):
        tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
                  "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[event]
        op.execute(
            f"CREATE TRIGGER claims_totals_{event.lower()} AFTER {event} ON claims "
            f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION claims_maintain_totals()"
        )
    op.execute(_REFRESH)
    op.execute("SELECT refresh_claim_totals()")
    # The queue's default order (priority, then oldest first), and the same
    # for unassigned claims, which is what reviewers take from.
    op.create_index("ix_claims_priority_created_at", "claims", [sa.text("priority DESC"), "created_at", "id"])
    op.create_index(
        "ix_claims_unassigned_priority_created_at",
        "claims",
        [sa.text("priority DESC"), "created_at", "id"],
        postgresql_where=sa.text("assignee_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_claims_unassigned_priority_created_at", table_name="claims")
    op.drop_index("ix_claims_priority_created_at", table_name="claims")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER claims_totals_{event} ON claims")
    op.execute("DROP FUNCTION claims_maintain_totals()")
    op.execute("DROP FUNCTION refresh_claim_totals()")
    op.drop_table("claim_totals")
