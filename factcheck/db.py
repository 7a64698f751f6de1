"""Engine and sessions, and the embedded PostgreSQL used when DATABASE_URL is unset."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "factcheck"


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; the message is one line a person can act on."""


def display_url(url) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        parsed = make_url(url)
        if parsed.drivername == "postgresql+psycopg2":
            parsed = parsed.set(drivername="postgresql")
        if parsed.password == "":
            parsed = parsed._replace(password=None)  # URL.set() treats None as "unchanged"
        return parsed.render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is still worth showing
        return "<unparseable DATABASE_URL>"


def sqlalchemy_url(url: str) -> str:
    """Pin the psycopg2 driver: SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    return parsed.render_as_string(hide_password=False)


# --- embedded PostgreSQL ----------------------------------------------------

def embedded_data_dir(instance_path: Path) -> Path:
    return instance_path / "pgdata"


def start_embedded(instance_path: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start (or join) the embedded server under ``instance/pgdata``; return a URL for ``database``.

    One server per data folder, shared by every process that asks for it and
    stopped when the last of them exits (see factcheck/embedded.py).
    """
    from . import embedded  # only needed without DATABASE_URL

    data_dir = embedded_data_dir(instance_path)
    try:
        server = embedded.server_for(data_dir)
    except embedded.EmbeddedError as exc:
        raise DatabaseUnavailable(f"{exc}; or set DATABASE_URL to a running server") from exc
    except OSError as exc:
        raise DatabaseUnavailable(
            f"could not start the embedded PostgreSQL in {data_dir}: {exc}; set DATABASE_URL to a running server"
        ) from exc
    create_database_if_missing(server.uri("postgres"), database)
    return server.uri(database)


def create_database_if_missing(admin_url: str, database: str) -> None:
    engine = create_engine(
        sqlalchemy_url(admin_url), isolation_level="AUTOCOMMIT", poolclass=_null_pool()
    )
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
            ).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{database}"'))
    finally:
        engine.dispose()


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def resolve_database_url(database_url: str | None, instance_path: Path) -> str:
    """DATABASE_URL when given, otherwise the embedded server's URL (starting it)."""
    if database_url:
        return database_url
    return start_embedded(instance_path)


# --- engine and sessions ----------------------------------------------------


def make_engine(url: str, *, statement_timeout: float | None = None, **overrides) -> Engine:
    """An engine on ``url``; ``statement_timeout`` (seconds) caps every statement it runs."""
    connect_args = {"connect_timeout": 5, "application_name": "factcheck"}
    if statement_timeout:
        # Set at connect time, so no statement on this engine can outlive it; the
        # server cancels the query itself even if the client that sent it died.
        # At least 1 ms: 0 would mean no limit at all.
        connect_args["options"] = f"-c statement_timeout={max(1, round(statement_timeout * 1000))}"
    options = dict(
        pool_pre_ping=True,  # survive a PostgreSQL restart without restarting the app
        pool_size=int(os.environ.get("FACTCHECK_POOL_SIZE", "5")),
        max_overflow=int(os.environ.get("FACTCHECK_POOL_OVERFLOW", "5")),
        pool_timeout=5,
        connect_args=connect_args,
    )
    if "poolclass" in overrides:  # e.g. NullPool takes no sizing arguments
        for key in ("pool_size", "max_overflow", "pool_timeout"):
            options.pop(key)
    options.update(overrides)
    return create_engine(sqlalchemy_url(url), **options)


def check_connection(engine: Engine) -> None:
    """Raise DatabaseUnavailable with a one-line message if the database does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseUnavailable(
            f"cannot reach PostgreSQL at {display_url(engine.url)}"
            f" ({reason}); start that server, or set DATABASE_URL to one that answers"
            " (unset it to use the embedded database)"
        ) from exc


@dataclass
class Database:
    """The engine and the session factory an app or a command works with.

    ``autocommit_engine``, when there is one, is a second pool on the same
    server whose connections run every statement as its own transaction: the
    public pages count a request and then only read, and on it they pay no
    BEGIN, COMMIT or ROLLBACK round trip. It is a pool of its own because
    switching a pooled connection in and out of autocommit costs two more
    round trips (psycopg2 sets default_transaction_isolation each way).
    """

    engine: Engine
    session_factory: sessionmaker[Session]
    autocommit_engine: Engine | None = None
    autocommit_factory: sessionmaker[Session] | None = None

    @classmethod
    def from_url(cls, url: str, *, autocommit_pool: bool = False, **engine_options) -> "Database":
        """``autocommit_pool``: also the public pages' pool (the web app's primary database only)."""
        engine = make_engine(url, **engine_options)
        database = cls(engine, sessionmaker(bind=engine, expire_on_commit=False))
        if autocommit_pool:
            # Sized like the main pool: connections open only when used, and a worker's
            # threads each hold one connection of one pool at a time; a smaller pool
            # would open and close connections under load.
            database.autocommit_engine = make_engine(url, **{**engine_options, "isolation_level": "AUTOCOMMIT"})
            database.autocommit_factory = sessionmaker(
                bind=database.autocommit_engine, expire_on_commit=False, info={"autocommit": True}
            )
        return database

    @classmethod
    def bound_to(cls, connection: Connection) -> "Database":
        """Sessions that join an outer transaction (tests roll it back afterwards)."""
        return cls(
            connection.engine,
            sessionmaker(
                bind=connection,
                expire_on_commit=False,
                join_transaction_mode="create_savepoint",
            ),
        )

    def session(self) -> Session:
        return self.session_factory()

    def autocommit_session(self) -> Session:
        """A session on the autocommit pool (``session.info["autocommit"]`` is True), for
        requests that write at most single statements that commit on their own and
        otherwise read; the plain session where there is no such pool (tests' outer
        transaction)."""
        if self.autocommit_factory is None:
            return self.session()
        return self.autocommit_factory()

    def engines(self) -> list[Engine]:
        return [e for e in (self.engine, self.autocommit_engine) if e is not None]

    def dispose(self) -> None:
        for engine in self.engines():
            engine.dispose()
