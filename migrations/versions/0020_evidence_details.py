"""Evidence from a link: the page's date, and how filling in its details went

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

A reviewer may add evidence by its link alone; a job of `factcheck worker`
then fetches the page and fills in the title, publisher and publication date
that were left blank (factcheck/services/evidence_details.py).

* published_on: the page's own date (accessed_on stays the reviewer's).
* details_status: NULL when nothing was asked, 'pending' until the job has
  run, 'filled' after it, 'failed' when the page could not be read;
  details_error says why, in words for the reviewer.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("evidence", sa.Column("published_on", sa.Date(), nullable=True))
    op.add_column("evidence", sa.Column("details_status", sa.String(length=10), nullable=True))
    op.add_column("evidence", sa.Column("details_error", sa.Text(), nullable=True))
    op.create_check_constraint(
        op.f("ck_evidence_details_status_known"),
        "evidence",
        "details_status IS NULL OR details_status IN ('pending', 'filled', 'failed')",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_evidence_details_status_known"), "evidence", type_="check")
    op.drop_column("evidence", "details_error")
    op.drop_column("evidence", "details_status")
    op.drop_column("evidence", "published_on")
