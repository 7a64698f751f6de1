from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Identity, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, pg_enum


class Role(str, enum.Enum):
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(pg_enum(Role, "user_role"))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    last_login_at: Mapped[datetime | None]
    # The last successful write through the API (read-your-writes with a read replica: web/reads.py).
    last_write_at: Mapped[datetime | None]
    # Bumped on log-out and password change: a session cookie that carries an
    # older number is no longer honoured.
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Where the desk's e-mail notifications go (claim assigned or sent back to
    # this user; a proposal waiting for an editor), and whether the user wants them.
    email: Mapped[str | None] = mapped_column(String(254))
    email_notifications: Mapped[bool] = mapped_column(default=True, server_default=text("true"))

    # Failed log-ins are counted in login_throttles (by username and client
    # address), not on this row: see factcheck.services.users.
    __table_args__ = (
        Index("uq_users_username_lower", func.lower(username), unique=True),
        CheckConstraint("username ~ '^[A-Za-z0-9_.-]{1,64}$'", name="username_format"),
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r} {self.role.value}>"
