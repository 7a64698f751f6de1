"""Indexes for keyset pagination

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

The queue and the activity feed page by keyset instead of OFFSET (services.paging):
a page is "the next 50 rows after this row's sort keys", one row-value
comparison such as (-priority, created_at, id) > (-2, '…', 81234). PostgreSQL
answers it with a range scan of 50 index entries when an index has exactly
those columns in that order; OFFSET read and threw away every row before the
page (1.4 s for page 5,000 of a million claims, 2.8 s for the last).

* Priority order (priority DESC, created_at, id) becomes -priority ascending, so
  every key runs one way and one row comparison seeks it: the three
  "priority DESC" indexes are replaced by (-priority) ones, and the same order
  gets one for an assignee and partial ones for unassigned and not-yet-verified
  claims.
* Newest/oldest order (created_at, id): the id joins the two created_at indexes
  (their INCLUDE columns kept for the dashboard's counts), with the same
  three filtered variants.
* The activity feed: (created_at, id) on claim_events.

The indexes are built inside the migration's transaction, so writes to claims
wait meanwhile: 18 s for a million claims and three million events on the
bench machine (bench/queue_depth.py's database).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NEG_PRIORITY = sa.text("(-priority)")
UNASSIGNED = sa.text("assignee_id IS NULL")
OPEN = sa.text("status <> 'verified'")


def upgrade() -> None:
    op.drop_index("ix_claims_priority_created_at", table_name="claims")
    op.drop_index("ix_claims_status_priority_created_at", table_name="claims")
    op.drop_index("ix_claims_unassigned_priority_created_at", table_name="claims")
    op.drop_index("ix_claims_status_created_at", table_name="claims")
    op.drop_index("ix_claims_created_at", table_name="claims")
    op.drop_index("ix_claim_events_created_at", table_name="claim_events")

    op.create_index("ix_claims_queue_priority", "claims", [NEG_PRIORITY, "created_at", "id"])
    op.create_index("ix_claims_queue_status_priority", "claims", ["status", NEG_PRIORITY, "created_at", "id"])
    op.create_index("ix_claims_queue_assignee_priority", "claims", ["assignee_id", NEG_PRIORITY, "created_at", "id"])
    op.create_index(
        "ix_claims_queue_unassigned_priority", "claims", [NEG_PRIORITY, "created_at", "id"], postgresql_where=UNASSIGNED
    )
    op.create_index("ix_claims_queue_open_priority", "claims", [NEG_PRIORITY, "created_at", "id"], postgresql_where=OPEN)
    op.create_index(
        "ix_claims_created_at_id",
        "claims",
        ["created_at", "id"],
        postgresql_include=["article_id", "category", "status", "hedged"],
    )
    op.create_index(
        "ix_claims_status_created_at_id",
        "claims",
        ["status", "created_at", "id"],
        postgresql_include=["category", "assignee_id"],
    )
    op.create_index("ix_claims_queue_assignee_created", "claims", ["assignee_id", "created_at", "id"])
    op.create_index("ix_claims_queue_unassigned_created", "claims", ["created_at", "id"], postgresql_where=UNASSIGNED)
    op.create_index("ix_claims_queue_open_created", "claims", ["created_at", "id"], postgresql_where=OPEN)
    op.create_index("ix_claim_events_created_at_id", "claim_events", ["created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_claim_events_created_at_id", table_name="claim_events")
    for name in (
        "ix_claims_queue_open_created",
        "ix_claims_queue_unassigned_created",
        "ix_claims_queue_assignee_created",
        "ix_claims_status_created_at_id",
        "ix_claims_created_at_id",
        "ix_claims_queue_open_priority",
        "ix_claims_queue_unassigned_priority",
        "ix_claims_queue_assignee_priority",
        "ix_claims_queue_status_priority",
        "ix_claims_queue_priority",
    ):
        op.drop_index(name, table_name="claims")

    op.create_index("ix_claim_events_created_at", "claim_events", ["created_at"])
    op.create_index(
        "ix_claims_created_at", "claims", ["created_at"], postgresql_include=["article_id", "category", "status", "hedged"]
    )
    op.create_index(
        "ix_claims_status_created_at", "claims", ["status", "created_at"], postgresql_include=["category", "assignee_id"]
    )
    op.create_index(
        "ix_claims_unassigned_priority_created_at",
        "claims",
        [sa.text("priority DESC"), "created_at", "id"],
        postgresql_where=UNASSIGNED,
    )
    op.create_index(
        "ix_claims_status_priority_created_at", "claims", ["status", sa.text("priority DESC"), "created_at", "id"]
    )
    op.create_index("ix_claims_priority_created_at", "claims", [sa.text("priority DESC"), "created_at", "id"])
