from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

# What a row counts failed log-ins of (see factcheck.services.users).
SCOPE_PAIR = "pair"  # one username from one client address
SCOPE_ADDRESS = "address"  # one client address, whatever the username
SCOPE_ACCOUNT = "account"  # one username, counting distinct failing addresses


class LoginThrottle(Base):
    """Recent failed log-ins, keyed by scope, username and client address.

    A row exists only while it has failures younger than the forgetting
    window; the rows of one scope leave the other key empty (''). Usernames
    are stored whether or not such an account exists, so the answers never
    tell which names are real.
    """

    __tablename__ = "login_throttles"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    username_key: Mapped[str] = mapped_column(String(256), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(server_default=text("0"))
    last_failure_at: Mapped[datetime]
    blocked_until: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("scope IN ('pair', 'address', 'account')", name="scope_known"),
        CheckConstraint("failures >= 0", name="failures_nonnegative"),
        # Pruning looks for the oldest rows.
        Index("ix_login_throttles_last_failure_at", "last_failure_at"),
        # Unlocking and the account list look rows up by username.
        Index("ix_login_throttles_username_key", "username_key"),
    )

    def __repr__(self) -> str:
        return f"<LoginThrottle {self.scope} {self.username_key!r} {self.address!r} x{self.failures}>"
