"""Declarative base: one MetaData with a naming convention, aware timestamps."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TypeVar

from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


E = TypeVar("E", bound=enum.Enum)


def pg_enum(enum_class: type[E], name: str) -> Enum:
    """A native PostgreSQL enum whose labels are the Python members' values."""
    return Enum(
        enum_class,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
