"""Quote check without re-reading the article per claim

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Reserved for this round's hardening work; filled in by the change that needs it.
"""

from __future__ import annotations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
