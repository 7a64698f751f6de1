from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class LoginThrottle(Base):
    """Failed log-ins for usernames that have no account.

    Real accounts count failures on their own row (users); unknown names are
    counted here so that they lock after the same number of attempts and get
    the same answers, and an attacker cannot tell which usernames exist.
    """

    __tablename__ = "login_throttles"

    username_key: Mapped[str] = mapped_column(String(256), primary_key=True)
    failed_login_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    first_failed_login_at: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
