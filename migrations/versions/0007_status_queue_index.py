"""Queue index for a status filter in the queue's own order

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21

The queue orders by priority DESC, created_at, id; the status index from
0001 is all ascending, so a status-filtered queue sorted every claim of that
status (150,000 on the benchmark desk) for each page.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_claims_status_priority_created_at", table_name="claims")
    op.create_index(
        "ix_claims_status_priority_created_at", "claims", ["status", sa.text("priority DESC"), "created_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_claims_status_priority_created_at", table_name="claims")
    op.create_index("ix_claims_status_priority_created_at", "claims", ["status", "priority", "created_at"])
