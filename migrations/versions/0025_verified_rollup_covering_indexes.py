"""Covering indexes for the dashboard's median histogram and weekly chart

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06

Every dashboard view sums verified_duration_counts (the median's histogram) over
the 30 days before its last day, and verified_daily_counts (the weekly chart)
over 12 weeks. Their primary keys find the rows but leave n in the table: a
bitmap heap scan of every row (1,868 rows for 30 days on the 1M-claim benchmark
database, 907 on the 100k one). With n in an index beside the key those scans
are index-only: on the benchmark databases the histogram's statement took 0.75
-> 0.53 ms at 1M and 0.38 -> 0.30 ms at 100k.
"""

from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_verified_duration_counts_category_day",
        "verified_duration_counts",
        ["category_key", "verified_day"],
        postgresql_include=["created_day", "bucket", "n"],
    )
    op.create_index(
        "ix_verified_daily_counts_category_day",
        "verified_daily_counts",
        ["category_key", "verified_day"],
        postgresql_include=["created_day", "n"],
    )


def downgrade() -> None:
    op.drop_index("ix_verified_daily_counts_category_day", table_name="verified_daily_counts")
    op.drop_index("ix_verified_duration_counts_category_day", table_name="verified_duration_counts")
