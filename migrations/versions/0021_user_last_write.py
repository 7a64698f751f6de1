"""The time of each user's last API write, for read-your-writes with a read replica

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

With DATABASE_REPLICA_URL set, API reads go to the standby unless the token's
user wrote within the replica window (factcheck/web/reads.py). A browser keeps
that time in its signed session; an API client has no session, so it is kept
here, on the row the token's lookup reads on every request.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("last_write_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "last_write_at")
