"""Indexes for keyset pagination

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

Reserved for this round's hardening work; filled in by the change that needs it.
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
