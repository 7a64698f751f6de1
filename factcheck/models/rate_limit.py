"""Requests per client and minute to the public pages (services/rate_limit.py).

UNLOGGED (migration 0014): the counts are transient, so they skip the WAL;
after a crash PostgreSQL empties the table, which only forgives a minute's counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class PublicRateLimit(Base):
    __tablename__ = "public_rate_limits"

    client_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    hits: Mapped[int]

    __table_args__ = (Index("ix_public_rate_limits_window_start", "window_start"),)
