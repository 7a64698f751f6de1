"""Engine and sessions, and the embedded PostgreSQL used when DATABASE_URL is unset."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from time import monotonic

import psycopg2.errors
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DisconnectionError, OperationalError
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


IDLE_PING_SECONDS = 1.0  # a pooled connection idle this long is pinged before it is handed out


def make_engine(
    url: str, *, statement_timeout: float | None = None, idle_ping: float | None = IDLE_PING_SECONDS, **overrides
) -> Engine:
    """An engine on ``url``; ``statement_timeout`` (seconds) caps every statement it runs.

    ``idle_ping``: a connection that has sat in the pool at least this many seconds
    is pinged (SELECT 1) when it is checked out, and replaced if the server has
    gone (a PostgreSQL restart, an idle timeout, a failover): see _ping_when_idle.
    None turns the ping off; ``pool_pre_ping=True`` pings on every checkout instead."""
    connect_args = {"connect_timeout": 5, "application_name": "factcheck"}
    if statement_timeout:
        # Set at connect time, so no statement on this engine can outlive it; the
        # server cancels the query itself even if the client that sent it died.
        # At least 1 ms: 0 would mean no limit at all.
        connect_args["options"] = f"-c statement_timeout={max(1, round(statement_timeout * 1000))}"
    options = dict(
        pool_size=int(os.environ.get("FACTCHECK_POOL_SIZE", "5")),
        max_overflow=int(os.environ.get("FACTCHECK_POOL_OVERFLOW", "5")),
        pool_timeout=5,
        connect_args=connect_args,
    )
    if "poolclass" in overrides:  # e.g. NullPool takes no sizing arguments
        for key in ("pool_size", "max_overflow", "pool_timeout"):
            options.pop(key)
    options.update(overrides)
    engine = create_engine(sqlalchemy_url(url), **options)
    if idle_ping is not None and not options.get("pool_pre_ping"):
        _ping_when_idle(engine, idle_ping)
    return engine


_RETURNED = "factcheck.returned"  # monotonic time a connection went back to the pool, in its record's info


def _ping_when_idle(engine: Engine, after: float) -> None:
    """Ping a pooled connection on checkout only when it has been idle ``after`` seconds or more.

    SQLAlchemy's pool_pre_ping pings on every checkout: a round trip to the
    server before each request's first statement (on the busiest public page,
    one of its two). A connection given back a moment ago has just answered a
    statement; the ones that can have gone stale unnoticed are those that sat
    idle. A failed ping raises DisconnectionError, which makes the pool drop that
    connection and hand out a new one (SQLAlchemy's documented custom pessimistic
    ping). A server restarted within the last second under steady load can still
    fail the statement of a connection used just before: SQLAlchemy then
    invalidates every older connection of the pool, so the next checkouts
    reconnect (the public fact-check page also retries its one statement once)."""
    dialect = engine.dialect

    def returned(dbapi_connection, record) -> None:
        if dbapi_connection is not None:
            record.info[_RETURNED] = monotonic()

    def checkout(dbapi_connection, record, proxy) -> None:
        since = record.info.get(_RETURNED)
        if since is None or monotonic() - since < after:
            return  # new, or used a moment ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError("the pooled connection's server has gone") from exc
            raise

    event.listen(engine.pool, "checkin", returned)
    event.listen(engine.pool, "checkout", checkout)


def fetch_one(connection, sql: str, parameters: dict):
    """The first row of ``sql`` (SQL for the driver, pyformat parameters), or None when it
    returns none or no rows.

    ``connection`` is a SQLAlchemy Connection, or a driver connection (a pool's
    raw_connection()): on that one the statement goes straight to psycopg2, with
    no SQLAlchemy execution context, events or result set around it, for the one
    statement of the busiest public page. Its time is then not in the request's
    db_ms unless the caller counts it (web.observe.database_time)."""
    if isinstance(connection, Connection):
        result = connection.exec_driver_sql(sql, parameters)
        return result.first() if result.returns_rows else None
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchone() if cursor.description is not None else None
    finally:
        cursor.close()


_PARAMETER = re.compile(r"%\((\w+)\)s")
_PREPARED = "factcheck.prepared"  # {sql: statement name}, in a pooled connection's record info
_POSITIONAL: dict[str, tuple[str, str]] = {}  # sql -> (its text with $1.., the EXECUTE's argument list)


def fetch_prepared(connection, sql: str, parameters: dict):
    """fetch_one, with ``sql`` prepared on the server: for the statement every public page
    request sends (the count of its client and the read of its head).

    On a driver connection of a pool in autocommit (a failed statement there
    leaves no transaction to roll back), the first use PREPAREs ``sql`` in that
    server session and every later one sends EXECUTE with the parameters, so
    the server parses and plans it once per connection instead of once per
    request (about half its time in the server for that statement). The names
    live in the pooled connection's record info, which SQLAlchemy clears when it
    reconnects; a statement the server can no longer run as prepared (a
    migration changed a table it reads) or does not know is prepared again.
    On a SQLAlchemy Connection (a session's, in a transaction) it is
    fetch_one. Not for a pool behind a transaction-mode PgBouncer, whose
    server sessions change between statements."""
    if isinstance(connection, Connection):
        return fetch_one(connection, sql, parameters)
    found = _POSITIONAL.get(sql)
    if found is None:
        order: list[str] = []

        def number(match: re.Match) -> str:
            if match.group(1) not in order:
                order.append(match.group(1))
            return f"${order.index(match.group(1)) + 1}"

        text_ = _PARAMETER.sub(number, sql).replace("%%", "%")  # PREPARE is sent without parameters
        if len(_POSITIONAL) >= 256:
            _POSITIONAL.clear()
        found = _POSITIONAL[sql] = (text_, ", ".join(f"%({name})s" for name in order))
    text_, arguments = found
    prepared = connection.info.setdefault(_PREPARED, {})
    name = prepared.get(sql)
    if name is None:
        name = f"factcheck_{len(prepared)}"
        _prepare(connection, name, text_)
        prepared[sql] = name
    execute = f"EXECUTE {name}({arguments})" if arguments else f"EXECUTE {name}"
    try:
        return fetch_one(connection, execute, parameters)
    except (
        psycopg2.errors.FeatureNotSupported,  # "cached plan must not change result type": a migration ran
        psycopg2.errors.InvalidSqlStatementName,  # not prepared in this session after all
    ):
        _prepare(connection, name, text_)
        return fetch_one(connection, execute, parameters)


def _prepare(connection, name: str, text_: str) -> None:
    """PREPARE ``name``, replacing a statement of that name (one prepared before a migration,
    or one whose PREPARE went through while the worker was interrupted before noting it)."""
    try:
        fetch_one(connection, f"PREPARE {name} AS {text_}", None)
    except psycopg2.errors.DuplicatePreparedStatement:
        fetch_one(connection, f"DEALLOCATE {name}", None)
        fetch_one(connection, f"PREPARE {name} AS {text_}", None)


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
