"""The server-rendered web interface: blueprints, request sessions, headers, errors."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app, g, render_template, request
from flask.globals import request_ctx
from markupsafe import escape
from psycopg2.errors import QueryCanceled
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from ..db import Database, DatabaseUnavailable
from ..services.errors import InvalidTransition, NotFound, PermissionDenied, StaleClaim
from . import observe

log = logging.getLogger(__name__)
csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def db_session() -> Session:
    """The request's session, opened on first use and closed at teardown.

    Inside a view marked ``@replica_reads`` that the router sent to the standby,
    a session on the standby instead (factcheck/web/reads.py).
    """
    if g.get("reads_from_replica"):
        if "replica_session" not in g:
            g.replica_session = current_app.extensions["factcheck.replica"].replica.session()
        return g.replica_session
    if "db_session" not in g:
        database: Database = current_app.extensions["factcheck.db"]
        g.db_session = database.session()
    return g.db_session


def public_session() -> Session:
    """The request's session for a public page: on the autocommit pool (db.Database), opened
    before anything else in the request, so that db_session() is this one for the rest of it."""
    if "db_session" not in g:
        database: Database = current_app.extensions["factcheck.db"]
        g.db_session = database.autocommit_session()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except Exception as exc:  # noqa: BLE001 - the page is already answered
            # Closing rolls back; on a connection the server just dropped (PostgreSQL
            # stopping mid-request) that raises, and an exception from teardown would
            # replace the finished page with gunicorn's bare 500.
            log.warning("could not close a request's database session: %s", exc)


SECURITY_HEADERS = (
    ("content-security-policy", "Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "X-Content-Type-Options", "nosniff"),
    ("x-frame-options", "X-Frame-Options", "DENY"),
    ("referrer-policy", "Referrer-Policy", "same-origin"),
    ("cross-origin-opener-policy", "Cross-Origin-Opener-Policy", "same-origin"),
    ("permissions-policy", "Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)


def _security_headers(response):
    # Each header unless the view set its own. The names present are read once: a lookup of
    # a missing name in Werkzeug's Headers raises (and builds) a KeyError, seven times a response.
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    for lower, name, value in SECURITY_HEADERS:
        if lower not in present:
            headers.add(name, value)
    if request.endpoint != "static" and "cache-control" not in present:
        headers.add("Cache-Control", "no-store")
    return response


def _render_error(code: int, title: str, message: str) -> str:
    """The error page; plain text if the page itself cannot be drawn."""
    rid = observe.request_id()
    try:
        return render_template("errors/error.html", code=code, title=title, message=message, request_id=rid)
    except Exception:  # noqa: BLE001 - an error page must never raise
        log.exception("could not render the %s error page", code)
        return str(escape(f"{code} {title}: {message}")) + (f" (request id {rid})" if rid else "") + "\n"


def _forget_session() -> None:
    """Drop the request's broken session; the error page must not touch the database."""
    g.pop("reads_from_replica", None)
    for key in ("db_session", "replica_session"):
        session = g.pop(key, None)
        if session is not None:
            try:
                session.close()
            except Exception:  # noqa: BLE001 - the connection is already gone
                pass


def _database_down(exc: Exception):
    log.error("database unavailable while serving %s %s: %s", request.method, request.path, exc)
    # The page header shows who is logged in; loading that user would ask the
    # database again and fail inside the error handler. Draw the page as seen
    # by an anonymous visitor instead, and drop the broken session.
    from .auth.session import login_manager

    g._login_user = login_manager.anonymous_user()
    _forget_session()
    message = "The database is not answering right now. Nothing was changed; try again in a few seconds."
    return _render_error(503, "Database unavailable", message), 503, {"Retry-After": "5"}


def _query_too_long(exc: DBAPIError):
    log.error(
        "statement timeout (%s s) while serving %s %s", current_app.config.get("STATEMENT_TIMEOUT"), request.method, request.path
    )
    _forget_session()
    message = (
        "This request asked for more work than the desk allows in one go, so it was stopped and nothing "
        "was changed. Narrow it (fewer words, a filter) and try again."
    )
    return _render_error(503, "Request took too long", message), 503, {"Retry-After": "5"}


def _dbapi_error(exc: DBAPIError):
    if isinstance(exc.orig, QueryCanceled):
        return _query_too_long(exc)
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        return _database_down(exc)
    return _internal_error(exc)


# A body over MAX_CONTENT_LENGTH is refused before it is read; closing the connection
# with it unread makes the client see a reset instead of the 413 page. Read (and drop)
# up to this much of it first, within a few seconds.
_DRAIN_LIMIT = 64 * 1024 * 1024
_DRAIN_SECONDS = 5.0


def _drain_request_body() -> None:
    stream = request.environ.get("wsgi.input")
    length = request.content_length or 0
    if stream is None or not 0 < length <= _DRAIN_LIMIT:
        return
    deadline = time.monotonic() + _DRAIN_SECONDS
    remaining = length
    try:
        while remaining > 0 and time.monotonic() < deadline:
            chunk = stream.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)
    except OSError:
        pass


def _http_error(exc: HTTPException):
    if exc.code == 413:
        _drain_request_body()
    # Keep the exception's own headers (a 405's Allow, a 401's WWW-Authenticate).
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if request_ctx.url_adapter is None:
        # The request could not even be routed (an untrusted Host): the page
        # template builds links, so answer in plain text.
        rid = observe.request_id()
        text = f"{exc.code} {exc.name}: {exc.description}" + (f" (request id {rid})" if rid else "")
        return text + "\n", exc.code, [("Content-Type", "text/plain; charset=utf-8")]
    return _render_error(exc.code, exc.name, exc.description), exc.code, headers


def _error_page(code: int, title: str, message: str):
    return _render_error(code, title, message), code


def _permission_denied(exc: PermissionDenied):
    return _error_page(403, "Not allowed", exc.message)


def _not_found(exc: NotFound):
    return _error_page(404, "Not found", exc.message)


def _conflict(exc: InvalidTransition | StaleClaim):
    return _error_page(409, "Conflict", exc.message)


def _csrf_error(exc: CSRFError):
    return _error_page(
        400,
        "Form expired",
        "This form has expired or was not sent from this site, so nothing was saved. "
        "Go back, reload the page and try again.",
    )


def _internal_error(exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return _render_error(500, "Something went wrong", "The error has been logged. Nothing you entered was saved."), 500


def init_app(app: Flask) -> None:
    from . import filters
    from .admin.routes import bp as admin_bp
    from .articles.routes import bp as articles_bp
    from .auth import session as auth_session
    from .auth.routes import bp as auth_bp
    from .claims.routes import bp as claims_bp
    from .dashboard.routes import bp as dashboard_bp
    from .feeds.routes import bp as feeds_bp
    from .health.routes import bp as health_bp
    from .public.desk import bp as publishing_bp
    from .public.fast import FastPath
    from .public.routes import bp as public_bp
    from .search.routes import bp as search_bp
    from . import reads

    observe.init_app(app)  # first: the request id exists before anything else runs
    app.teardown_appcontext(_close_session)
    app.after_request(_security_headers)
    csrf.init_app(app)
    auth_session.init_app(app)
    reads.init_app(app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(PermissionDenied, _permission_denied)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(InvalidTransition, _conflict)
    app.register_error_handler(StaleClaim, _conflict)
    app.register_error_handler(DatabaseUnavailable, _database_down)
    app.register_error_handler(DBAPIError, _dbapi_error)
    app.register_error_handler(Exception, _internal_error)

    filters.init_app(app)
    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(articles_bp)
    app.register_blueprint(claims_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(publishing_bp)
    app.register_blueprint(public_bp)
    # The shared fact-check page's 304s and kept pages, answered before Flask's request machinery.
    app.wsgi_app = FastPath(app, app.wsgi_app)  # type: ignore[method-assign]
