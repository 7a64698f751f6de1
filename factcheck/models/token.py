"""Personal access tokens for the JSON API (/api/v1/, issue 15).

A token is shown once, when it is made; only its SHA-256 is stored, so a
database dump or backup holds nothing a client could present. The first
characters (``display_prefix``, e.g. ``fct_3kT9``) are kept in clear so a
user can tell their tokens apart on the account page and a leaked token
found in a log can be matched to its row. Tokens are never deleted by the
application: revoking sets ``revoked_at`` (the row stays as a record).
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Identity, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class TokenScope(str, enum.Enum):
    READ = "read"
    WRITE = "write"


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(8))
    # hex SHA-256 of the whole token
    token_hash: Mapped[str] = mapped_column(String(64))
    display_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("scope IN ('read', 'write')", name="scope_known"),
        CheckConstraint("token_hash ~ '^[0-9a-f]{64}$'", name="token_hash_shape"),
        Index("uq_api_tokens_token_hash", "token_hash", unique=True),
        Index("ix_api_tokens_user_id_id", "user_id", "id"),
    )

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE.value

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.display_prefix} {self.scope}>"
