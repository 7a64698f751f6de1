"""Aliases for places and names, and links between claims that are about the same thing."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Identity, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, pg_enum


class AliasGroup(Base):
    """Names that mean the same place or body ("Deir Ezzor", "Deir al Zour", ...)."""

    __tablename__ = "alias_groups"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)  # the name shown for the group
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())

    aliases: Mapped[list["Alias"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="Alias.id"
    )


class Alias(Base):
    __tablename__ = "aliases"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("alias_groups.id", ondelete="CASCADE"))
    term: Mapped[str] = mapped_column(String(120))

    group: Mapped[AliasGroup] = relationship(back_populates="aliases")

    __table_args__ = (
        Index("uq_aliases_term_lower", func.lower(term), unique=True),
        CheckConstraint("char_length(btrim(term)) > 0", name="term_not_blank"),
        Index("ix_aliases_group_id", "group_id"),
    )


class LinkKind(str, enum.Enum):
    SAME = "same"  # the same claim made in two places
    RELATED = "related"

    @property
    def label(self) -> str:
        return "Same claim" if self is LinkKind.SAME else "Related"


class ClaimLink(Base):
    """An undirected link, stored once with claim_a_id < claim_b_id."""

    __tablename__ = "claim_links"

    id: Mapped[int] = mapped_column(Identity(), primary_key=True)
    claim_a_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    claim_b_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    kind: Mapped[LinkKind] = mapped_column(pg_enum(LinkKind, "claim_link_kind"))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        CheckConstraint("claim_a_id < claim_b_id", name="ordered_pair"),
        UniqueConstraint("claim_a_id", "claim_b_id", name="uq_claim_links_pair"),
        Index("ix_claim_links_claim_b_id", "claim_b_id"),
    )
