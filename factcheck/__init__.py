"""Fact-check claim tracker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Mapping

from flask import Flask

from .config import ConfigurationError, load_settings
from .db import Database, resolve_database_url
from .paths import STATIC_DIR, TEMPLATES_DIR

__all__ = ["ConfigurationError", "create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The application factory.

    It reads settings and opens no connection of its own; migrations and
    seeding are CLI steps (``factcheck db upgrade``, ``factcheck seed``).
    ``test_config`` may carry ``DATABASE`` (a ready factcheck.db.Database) or
    ``DATABASE_URL``, ``DATABASE_REPLICA_URL``, and any Flask setting.
    """
    settings = load_settings()
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES_DIR),
        static_folder=str(STATIC_DIR),
        instance_path=str(settings.instance_path),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        DATABASE_URL=settings.database_url,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_NAME="factcheck_session",
        # A working day; Flask's own default (31 days) is too long for a shared desk.
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        # An article is at most 1,000,000 characters in any script: up to 4 MB of UTF-8.
        # Its form posts multipart (url-encoding would triple non-Latin text), and
        # Werkzeug caps one multipart text field at MAX_FORM_MEMORY_SIZE.
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=4_100_000,
        ORG_NAME=settings.org_name,
        ORG_URL=settings.org_url,
        PUBLIC_URL=settings.public_url,
        TRUSTED_HOSTS=settings.trusted_hosts,
        PER_PAGE=50,
        STATEMENT_TIMEOUT=settings.statement_timeout,
        METRICS_TOKEN=settings.metrics_token,
        PROXY_COUNT=settings.proxy_count,
        PUBLIC_RATE_LIMIT=settings.public_rate_limit,
        PUBLIC_PAGE_CACHE=settings.public_page_cache,
        API_RATE_LIMIT=settings.api_rate_limit,
        DATABASE_REPLICA_URL=settings.replica_url,
        REPLICA_MAX_LAG=settings.replica_max_lag,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("PUBLIC_URL") and not app.testing:
        # Absolute links (ClaimReview urls, feeds) would otherwise be built from
        # the Host header, which any client sets.
        raise ConfigurationError(
            "FACTCHECK_PUBLIC_URL is not set: set it to the address readers use for this site, "
            "for example FACTCHECK_PUBLIC_URL=https://factcheck.example.org "
            "(`factcheck serve` on 127.0.0.1 sets it to its own address)"
        )

    database = app.config.get("DATABASE")
    if database is None:
        database = Database.from_url(
            resolve_database_url(app.config.get("DATABASE_URL"), settings.instance_path),
            statement_timeout=app.config["STATEMENT_TIMEOUT"],
            autocommit_pool=True,  # the public pages' (web.public_session)
        )
    app.extensions["factcheck.db"] = database
    if app.config.get("DATABASE_REPLICA_URL"):
        from .replica import ReplicaRouter

        app.extensions["factcheck.replica"] = ReplicaRouter(
            database,
            Database.from_url(app.config["DATABASE_REPLICA_URL"], statement_timeout=app.config["STATEMENT_TIMEOUT"]),
            max_lag=app.config["REPLICA_MAX_LAG"],
            check_interval=app.config.get("REPLICA_CHECK_INTERVAL", 1.0),
        )

    from . import api, web

    web.init_app(app)
    api.init_app(app)  # after the web: it makes the web's error handlers answer problem+json under /api/v1
    proxies = app.config.get("PROXY_COUNT") or 0
    if proxies:
        # Behind N reverse proxies, the client's address and scheme are the ones the
        # proxies put in X-Forwarded-For/-Proto (only their N last entries are
        # believed: a client can prepend anything). Log-in throttling counts by it.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    return app
