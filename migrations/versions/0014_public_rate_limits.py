"""Per-client request counts for the public pages' rate limit

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06

One row per client address and minute, counted with one upsert per public
request (services/rate_limit.py). UNLOGGED: the counts are transient; a crash
empties the table, which forgives at most a minute of counting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_rate_limits",
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client_key", "window_start", name=op.f("pk_public_rate_limits")),
        prefixes=["UNLOGGED"],
    )
    op.create_index("ix_public_rate_limits_window_start", "public_rate_limits", ["window_start"])


def downgrade() -> None:
    op.drop_index("ix_public_rate_limits_window_start", table_name="public_rate_limits")
    op.drop_table("public_rate_limits")
