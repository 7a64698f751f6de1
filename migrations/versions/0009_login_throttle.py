"""Log-in throttling by account and client address

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Failed log-ins were counted on the users row (and, for unknown names, in
login_throttles by username alone), and five of them locked the account for
everyone: anyone could keep any account locked. They are now counted per
(username, address) pair, per address and per account in one table, with
growing delays instead of a fixed lock (factcheck.services.users explains
how). The old counters are transient state and are not carried over.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("login_throttles")
    op.create_table(
        "login_throttles",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("username_key", sa.String(length=256), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('pair', 'address', 'account')", name=op.f("ck_login_throttles_scope_known")),
        sa.CheckConstraint("failures >= 0", name=op.f("ck_login_throttles_failures_nonnegative")),
        sa.PrimaryKeyConstraint("scope", "username_key", "address", name=op.f("pk_login_throttles")),
    )
    op.create_index("ix_login_throttles_last_failure_at", "login_throttles", ["last_failure_at"])
    op.create_index("ix_login_throttles_username_key", "login_throttles", ["username_key"])
    op.drop_constraint(op.f("ck_users_failed_login_count_nonnegative"), "users", type_="check")
    op.drop_column("users", "locked_until")
    op.drop_column("users", "first_failed_login_at")
    op.drop_column("users", "failed_login_count")


def downgrade() -> None:
    op.add_column(
        "users", sa.Column("failed_login_count", sa.Integer(), server_default=sa.text("0"), nullable=False)
    )
    op.add_column("users", sa.Column("first_failed_login_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(op.f("ck_users_failed_login_count_nonnegative"), "users", "failed_login_count >= 0")
    op.drop_index("ix_login_throttles_username_key", table_name="login_throttles")
    op.drop_index("ix_login_throttles_last_failure_at", table_name="login_throttles")
    op.drop_table("login_throttles")
    op.create_table(
        "login_throttles",
        sa.Column("username_key", sa.String(length=256), nullable=False),
        sa.Column("failed_login_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("first_failed_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username_key", name=op.f("pk_login_throttles")),
    )
