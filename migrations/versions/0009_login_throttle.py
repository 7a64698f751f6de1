"""Log-in throttling by account and client address

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

Reserved for this round's hardening work; filled in by the change that needs it.
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
