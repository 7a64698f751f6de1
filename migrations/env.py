"""Alembic environment: runs with the connection factcheck.migrate hands over,
or with sqlalchemy.url when called as plain `alembic -x`-less tooling."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from factcheck.db import sqlalchemy_url
from factcheck.migrate import include_object
from factcheck.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_object=include_object,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = create_engine(
        sqlalchemy_url(config.get_main_option("sqlalchemy.url")), poolclass=pool.NullPool
    )
    with engine.begin() as conn:
        run_with(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
