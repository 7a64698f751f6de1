"""Login throttling for unknown usernames; the claim version on history events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("username_key", sa.String(length=256), nullable=False),
        sa.Column("failed_login_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("first_failed_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username_key", name=op.f("pk_login_throttles")),
    )
    op.add_column("claim_events", sa.Column("claim_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    # claim_events refuses UPDATE/DELETE, but dropping a column is DDL and allowed.
    op.drop_column("claim_events", "claim_version")
    op.drop_table("login_throttles")
