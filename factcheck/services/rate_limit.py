"""A per-client rate limit for the public pages, counted in PostgreSQL.

Fixed one-minute windows: each request adds one to its client's count for the
current minute with a single upsert, and is refused once the count passes the
limit. The count lives in PostgreSQL, not in a worker's memory, so every
worker on every host shares it (DESIGN.md, "Beyond one machine"). The first
request of a client in a new minute also deletes a bounded batch of counts
older than two minutes, so the table stays small without a job.

A public page's request counts itself on a session of the autocommit pool
(db.Database.autocommit_session): one statement that commits on its own, no
BEGIN or COMMIT round trip, the client's row locked only for the upsert. On
any other session (the API counts after finding the token; the tests' outer
transaction) the count commits with that session's transaction. The public
fact-check page, the one a crowd shares, counts with hit_and_read on a pooled
connection and no session: the count and the read of the page's head in one
statement.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import psycopg2
from sqlalchemy.orm import Session

from .. import db
from .unit import unit_of_work

log = logging.getLogger(__name__)

WINDOW = timedelta(minutes=1)
PRUNE_BATCH = 1_000

# Sent as SQL by exec_driver_sql: every public request counts itself, and a text()
# statement's trip through the session (cache key, result processing) costs more than the count.
_HIT = (
    "INSERT INTO public_rate_limits (client_key, window_start, hits) VALUES (%(key)s, %(window)s, 1) "
    "ON CONFLICT (client_key, window_start) DO UPDATE SET hits = public_rate_limits.hits + 1 "
    "RETURNING hits"
)
_PRUNE = (
    "DELETE FROM public_rate_limits WHERE ctid = ANY(ARRAY("
    "SELECT ctid FROM public_rate_limits WHERE window_start < %(before)s LIMIT %(batch)s))"
)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hits: int
    retry_after: int  # seconds until the next window, when refused


def client_key(address: str | None) -> str:
    """A fixed-size key for a client address (the address itself is not kept)."""
    return hashlib.sha256((address or "unknown").encode("utf-8", "replace")).hexdigest()


def hit(session: Session, address: str | None, limit: int, now: datetime | None = None) -> Decision:
    """Count one request of ``address`` and say whether it is within ``limit`` a minute."""
    # On an autocommit session each statement commits by itself: no unit of work to wrap.
    with nullcontext() if session.info.get("autocommit") else unit_of_work(session):
        decision, _row = _count(session.connection(), _HIT, {}, address, limit, now)
    return decision


def hit_and_read(
    connection, address: str | None, limit: int, read_sql: str, parameters: dict, now: datetime | None = None
) -> tuple[Decision, tuple | None]:
    """``hit`` and a read of at most one row in one statement: one round trip instead of two.

    On ``connection`` as it is (a SQLAlchemy Connection or a driver connection,
    see db.fetch_one): a connection of the autocommit pool commits the count at
    once; on one in a transaction, the caller commits it (the public page's
    fallback without that pool wraps it in a unit of work). ``read_sql`` is SQL for
    the driver (pyformat parameters, none named ``key``, ``window``, ``before``
    or ``batch``); returns the decision and the row it read, or None when it found
    none. The busiest public page counts itself this way, with no session at all."""
    sql = _COMBINED.get(read_sql)
    if sql is None:
        if len(_COMBINED) >= 64:
            _COMBINED.clear()
        sql = _COMBINED[read_sql] = (
            f"WITH hit AS ({_HIT}) SELECT hit.hits, r.* FROM hit "
            f"LEFT JOIN (SELECT true AS found_, q.* FROM ({read_sql}) AS q) AS r ON true"
        )
    decision, row = _count(connection, sql, parameters, address, limit, now)
    return decision, (tuple(row[2:]) if row[1] else None)


_COMBINED: dict[str, str] = {}


def _count(connection, sql: str, parameters: dict, address, limit: int, now: datetime | None):
    """Run ``sql`` (the count first in its row), prune old counts on a client's first request
    of a minute, and decide."""
    now = now or datetime.now(timezone.utc)
    window = now.replace(second=0, microsecond=0)
    row = db.fetch_prepared(connection, sql, {**parameters, "key": client_key(address), "window": window})
    if row[0] == 1:
        _prune(connection, window)
    return _decision(row[0], limit, window, now), row


def _prune(connection, window: datetime) -> None:
    """Delete a batch of finished minutes' counts. On a driver connection in autocommit the
    count has committed already: a failed prune (a timeout, the server gone) is only logged,
    so the request is not answered with an error or counted again; the connection is
    dropped in case it was the server that went. In a transaction the failure is the
    transaction's, as for any statement."""
    try:
        db.fetch_one(connection, _PRUNE, {"before": window - 2 * WINDOW, "batch": PRUNE_BATCH})
    except psycopg2.Error:  # the driver's own error: a driver connection's (SQLAlchemy wraps a Connection's)
        log.warning("could not prune old public rate-limit counts", exc_info=True)
        connection.invalidate()


def _decision(hits: int, limit: int, window: datetime, now: datetime) -> Decision:
    retry = max(1, int((window + WINDOW - now).total_seconds() + 0.999))
    return Decision(allowed=hits <= limit, hits=hits, retry_after=retry)
