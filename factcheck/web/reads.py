"""Which database a view reads from, when a streaming standby is configured (factcheck/replica.py).

``@replica_reads`` marks a view whose reads tolerate a little lag (dashboard,
exports, search, public pages). While it runs, ``db_session()`` is a session
on the standby, unless the router says no (standby down or lagging) or the
visitor wrote within the router's window (read-your-writes):

* a logged-in user: every successful POST (but log-in and log-out) stamps the
  time in their signed session cookie (``_w``); only done when a standby is
  configured;
* the public pages open no session and set no cookie: the link to a public
  page that the claim page shows its editor right after a write carries a
  signed, short-lived ``fresh`` argument instead; such a page is read from the
  primary and answered ``Cache-Control: no-store`` so no shared cache keeps it;
* an API client (a token, no session): every successful API write stamps the
  time on its user's row (``users.last_write_at``), which the token's lookup
  reads on every request.

A view on the standby that fails with a database error other than a statement
timeout (the standby died, a recovery conflict cancelled the query) is run
again on the primary, and the standby is left alone until the router's next
check. The view must therefore only read. A streamed export that fails after
its first bytes cannot be run again; it ends like any broken download.
"""

from __future__ import annotations

import functools
import time

from flask import Flask, current_app, g, request, session
from itsdangerous import BadSignature, TimestampSigner
from psycopg2.errors import QueryCanceled
from sqlalchemy.exc import DBAPIError

from .. import metrics
from ..db import Database
from ..replica import ReplicaRouter

WRITE_STAMP = "_w"
FRESH_ARG = "fresh"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Log-in and log-out write only the account's own bookkeeping, which no lag-tolerant page shows.
_NOT_WRITES = frozenset({"auth.login", "auth.logout"})


def router() -> ReplicaRouter | None:
    return current_app.extensions.get("factcheck.replica")


def on_replica() -> bool:
    return bool(g.get("reads_from_replica"))


def reads_database() -> Database:
    """The database this request reads from (for a streamed export that opens its own session)."""
    r = router()
    if r is not None and on_replica():
        return r.replica
    return current_app.extensions["factcheck.db"]


def _signer() -> TimestampSigner:
    return TimestampSigner(current_app.secret_key, salt="factcheck.fresh-read")


def fresh_token() -> str | None:
    """A ``fresh`` argument for a public link, when the current user is in their read-your-writes window."""
    r = router()
    if r is None or not _wrote_recently(r):
        return None
    return _signer().sign(b"1").decode("ascii")


def _wrote_recently(r: ReplicaRouter) -> bool:
    if request.blueprint == "api":
        # A token client has no session to carry a stamp: its user's last API write is
        # kept on the user's row (stamp_api_write), read with the token on every request.
        identity = g.get("api_identity")
        stamp = identity.user.last_write_at if identity is not None else None
        return stamp is not None and -1 <= time.time() - stamp.timestamp() < r.window
    if request.blueprint == "public":
        token = request.args.get(FRESH_ARG)
        if not token:
            return False
        try:
            _signer().unsign(token, max_age=r.window)
        except (BadSignature, UnicodeError):
            return False
        g.fresh_read = True
        return True
    stamp = session.get(WRITE_STAMP)
    return isinstance(stamp, (int, float)) and -1 <= time.time() - stamp < r.window


def _count(target: str, reason: str) -> None:
    try:
        metrics.count_routed_read(target, reason)
    except Exception:  # noqa: BLE001 - a metric must never break a read
        pass


def _drop_replica_session() -> None:
    replica_session = g.pop("replica_session", None)
    if replica_session is not None:
        try:
            replica_session.close()
        except Exception:  # noqa: BLE001 - the connection may be gone already
            pass


def replica_reads(view):
    """Let ``view`` read from the standby when the router allows it (see the module's note)."""

    @functools.wraps(view)
    def routed(*args, **kwargs):
        r = router()
        if r is None:
            return view(*args, **kwargs)
        if _wrote_recently(r):
            reason = "own_write"
        else:
            state = r.state()
            reason = state.reason
            if state.usable:
                g.reads_from_replica = True
                _count("replica", "ok")
                try:
                    return view(*args, **kwargs)
                except DBAPIError as exc:
                    if isinstance(exc.orig, QueryCanceled):
                        raise  # the statement timeout: as slow on the primary
                    r.mark_failed(exc)
                    _drop_replica_session()
                    g.reads_from_replica = False
                    reason = "error"
        _count("primary", reason)
        return view(*args, **kwargs)

    routed.replica_reads = True
    return routed


def _stamp_writes(response):
    """After a user's successful POST, keep its time in their session (read-your-writes)."""
    if request.method in _SAFE_METHODS or response.status_code >= 400 or request.blueprint == "public":
        return response
    if request.endpoint in _NOT_WRITES:
        return response
    # Only a browser's log-in session (Flask-Login's key): the API, which authenticates by
    # token, must not start sending cookies.
    if "_user_id" in session:
        session[WRITE_STAMP] = round(time.time(), 3)
    return response


def stamp_api_write(user_id: int) -> None:
    """After a successful API write, the time on the user's row, before the answer leaves:
    the client's next read (with any of the user's tokens) then goes to the primary."""
    from sqlalchemy import func, update

    from ..models import User
    from ..services.unit import unit_of_work
    from . import db_session

    session = db_session()
    with unit_of_work(session):
        session.execute(update(User).where(User.id == user_id).values(last_write_at=func.now()))


def init_app(app: Flask) -> None:
    r = app.extensions.get("factcheck.replica")
    if r is None:
        return
    from . import observe

    app.after_request(_stamp_writes)
    app.teardown_appcontext(lambda _exc: _drop_replica_session())
    observe.watch_engine(r.replica.engine)
    metrics.watch_pool(r.replica.engine)
