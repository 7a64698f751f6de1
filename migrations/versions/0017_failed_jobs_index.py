"""An index of the job queue's failed jobs, for the metrics

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

/metrics reports how many jobs have failed for good (factcheck/metrics.py).
procrastinate keeps every finished job, so counting its failed ones would read
the whole table; this partial index holds only those, and failures are few.
(Jobs waiting and running are counted through procrastinate's own partial
indexes.) The table is procrastinate's: factcheck.migrate leaves it out of the
models/migrations comparison, and this index with it.
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_procrastinate_jobs_failed ON procrastinate_jobs (id) "
        "WHERE status = 'failed'::procrastinate_job_status"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_procrastinate_jobs_failed")
