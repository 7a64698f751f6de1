"""Per request: an id, one JSON log line, and the latency metric.

The request id is the client's (or the proxy's) ``X-Request-Id`` when it is
well formed (1-64 characters of letters, digits, ``._-``), otherwise 32 new
random hex digits (the shape of uuid4().hex). Every response carries it back in ``X-Request-Id``, error pages
show it, and every log record written during the request has it.

The log line (logger ``factcheck.request``, level INFO) is written when the
response has been sent, so a streamed CSV export is timed to its last byte:

  request_id, user_id (null when nobody is logged in, or when the request
  never loaded the user, e.g. a static file), endpoint, method, path (without
  the query string: search words and tokens travel there), status,
  duration_ms, db_ms (time inside cursor executions, from SQLAlchemy's
  before/after_cursor_execute events on the app's engine), db_queries.
  The CSV export's COPY runs on the raw driver connection in a thread of its
  own, which those events do not see: its time is in duration_ms only.

The cost is kept to a few microseconds plus the log write itself (which
replaces gunicorn's access log line): no database query, nothing serialised
but this small dict.
"""

from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from time import perf_counter

from flask import Flask, g, request
from sqlalchemy import event

from .. import metrics
from ..logs import current_request_id

log = logging.getLogger("factcheck.request")

REQUEST_ID_HEADER = "X-Request-Id"
_WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_ENVIRON_KEY = "factcheck.observe"
_PATH_LIMIT = 512
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class _Timing:
    __slots__ = ("request_id", "started", "db_seconds", "db_queries", "query_started")

    def __init__(self, request_id: str, started: float):
        self.request_id = request_id
        self.started = started
        self.db_seconds = 0.0
        self.db_queries = 0
        self.query_started = 0.0


# The timing of the request this thread serves, for the engine events (which see no request).
_current: ContextVar[_Timing | None] = ContextVar("factcheck_request_timing", default=None)


def request_id() -> str:
    """The current request's id (for error pages)."""
    return start(request.environ).request_id


def _new_timing(environ: dict) -> _Timing:
    # Read from the WSGI environ: Werkzeug's headers.get raises (and catches) an
    # exception for a missing header, which costs more than everything else here.
    given = environ.get("HTTP_X_REQUEST_ID")
    # 32 hex digits like uuid4().hex, 128 random bits, at an eighth of uuid4's cost.
    rid = given if given is not None and _WELL_FORMED_ID.fullmatch(given) else os.urandom(16).hex()
    timing = _Timing(rid, perf_counter())
    environ[_ENVIRON_KEY] = timing
    _current.set(timing)
    current_request_id.set(rid)
    return timing


def _start() -> None:
    start(request.environ)  # (begun already when the public page's fast path left the answer to Flask)


# Histogram children by (endpoint, method, status class): labels() costs a lock and a tuple check.
_series: dict[tuple[str, str, str], object] = {}


def _observe(endpoint: str, method: str, status: int, seconds: float) -> None:
    key = (endpoint, method, f"{status // 100}xx")
    child = _series.get(key)
    if child is None:
        child = _series[key] = metrics.get().request_seconds.labels(*key)
    child.observe(seconds)


def record(timing: _Timing, endpoint: str, method: str, path: str, status: int, user_id: int | None = None) -> None:
    """The request's latency metric and its log line (and the end of its timing); ``method`` and
    ``path`` already bounded as _finish bounds them."""
    seconds = perf_counter() - timing.started
    try:
        _observe(endpoint, method, status, seconds)
    except Exception:  # noqa: BLE001 - a metric must never break a response
        log.exception("could not record the request metric")
    if log.isEnabledFor(logging.INFO):
        log.info(
            "request",
            extra={
                "fields": {
                    "request_id": timing.request_id,
                    "user_id": user_id,
                    "endpoint": endpoint,
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "db_ms": round(timing.db_seconds * 1000, 2),
                    "db_queries": timing.db_queries,
                }
            },
        )
    if _current.get() is timing:
        _current.set(None)
        current_request_id.set(None)


def start(environ: dict) -> _Timing:
    """The request's timing (and id), begun on first use: by the before-request hook, or by
    the public page's fast path (web/public/fast.py), which serves requests without Flask."""
    return environ.get(_ENVIRON_KEY) or _new_timing(environ)


def _finish(response):
    req = request._get_current_object()
    timing = start(req.environ)
    response.headers[REQUEST_ID_HEADER] = timing.request_id
    user = g.get("_login_user")  # only if this request already loaded it: never a query of its own
    user_id = getattr(user, "id", None) if user is not None else None
    rule = req.url_rule
    endpoint = rule.endpoint if rule is not None else "unmatched"
    method = req.method
    if method not in _METHODS:  # any token is a method to HTTP: keep the label bounded
        method = "other"
    path = req.path
    if len(path) > _PATH_LIMIT:
        path = path[:_PATH_LIMIT] + "..."

    def done() -> None:
        record(timing, endpoint, method, path, response.status_code, user_id)

    if response.direct_passthrough:
        # A file handed to the server as it is (static files, send_file): Werkzeug returns
        # that file wrapper itself, so call_on_close callbacks never run. Write the line now;
        # its duration leaves out the sending of the file.
        done()
    else:
        response.call_on_close(done)
    return response


# --- database time --------------------------------------------------------------

def _before_cursor_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    timing = _current.get()
    if timing is not None:
        timing.query_started = perf_counter()


def _after_cursor_execute(conn, cursor, statement, parameters, context, executemany) -> None:
    timing = _current.get()
    if timing is not None and timing.query_started:
        timing.db_seconds += perf_counter() - timing.query_started
        timing.db_queries += 1
        timing.query_started = 0.0


def one_more_query() -> None:
    """A second statement sent inside a database_time block, for db_queries (its time is the block's)."""
    timing = _current.get()
    if timing is not None:
        timing.db_queries += 1


@contextmanager
def database_time():
    """Count the statements sent inside the block on a driver connection (db.fetch_one),
    which the engine events do not see, into the request's db_ms and db_queries as one query."""
    timing = _current.get()
    started = perf_counter()
    try:
        yield
    finally:
        if timing is not None:
            timing.db_seconds += perf_counter() - started
            timing.db_queries += 1


def _handle_error(exception_context) -> None:
    # A failed statement (a timeout, a dropped connection) took time too.
    _after_cursor_execute(None, None, None, None, None, False)


def watch_engine(engine) -> None:
    """Time the engine's statements into the request that runs them; once per engine."""
    if event.contains(engine, "before_cursor_execute", _before_cursor_execute):
        return
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    event.listen(engine, "after_cursor_execute", _after_cursor_execute)
    event.listen(engine, "handle_error", _handle_error)


def init_app(app: Flask) -> None:
    """Register first, so that the id exists before any other before_request runs."""
    app.before_request(_start)
    # after_request functions run in reverse order of registration: this one runs
    # last and sees the final response (error pages and redirects included).
    app.after_request(_finish)
    for engine in app.extensions["factcheck.db"].engines():
        watch_engine(engine)
        metrics.watch_pool(engine)
