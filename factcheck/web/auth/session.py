"""Flask-Login wiring: who is logged in, and revocation through the session version."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from flask import Flask, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user, login_user

from ...models import Role, User
from ...services.permissions import Permission, can
from ...services.users import SessionAccount, session_account
from .. import db_session

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to continue."
login_manager.login_message_category = "info"
# Revocation is done with the session version below, which also survives a
# change of network (Flask-Login's "strong" mode logs people out on that).
login_manager.session_protection = None

PUBLIC_ENDPOINTS = {"auth.login", "health.healthz", "health.metrics", "static"}


class CurrentUser(UserMixin):
    """The logged-in account as the web layer sees it (loaded fresh each request)."""

    def __init__(self, user: User | SessionAccount):
        self.id = user.id
        self.username = user.username
        self.display_name = user.display_name
        self.role: Role = user.role
        self.session_version = user.session_version
        self._active = user.is_active

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self._active

    def get_id(self) -> str:
        # What Flask-Login stores in the cookie: the id and the session
        # version. Bumping the version in the database (log-out, password
        # change, deactivation) makes every older cookie worthless.
        return f"{self.id}:{self.session_version}"

    def can(self, permission: str | Permission) -> bool:
        return can(self, Permission(permission))  # type: ignore[arg-type]


class Anonymous(AnonymousUserMixin):
    def can(self, permission) -> bool:
        return False


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def load_user(token: str) -> CurrentUser | None:
    try:
        user_id, version = (int(part) for part in token.split(":"))
    except (ValueError, AttributeError):
        return None
    if not 0 < user_id <= 2**31 - 1:
        return None
    user = session_account(db_session(), user_id)
    if user is None or not user.is_active or user.session_version != version:
        return None
    return CurrentUser(user)


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, re-signed only when there is a reason to.

    Flask re-signs a permanent session's cookie on every response
    (SESSION_REFRESH_EACH_REQUEST), so that its twelve hours run from the
    latest request rather than the log-in: a signature and a Set-Cookie per
    page. Here the cookie is written when the session changed, or when its
    signature is more than REFRESH_AFTER old. Expiry still slides with use:
    an idle session ends 12 hours after its last re-signing, which is at most
    REFRESH_AFTER before the last request (the signature's own timestamp is
    what the server checks, so a kept old cookie never outlives that).
    """

    REFRESH_AFTER = timedelta(minutes=5)

    def open_session(self, app: Flask, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value and app.secret_key:
            # No cookie (a reader, a crawler, a CDN): nothing to verify, so no serializer to build.
            return self.session_class()
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        if not value:
            return self.session_class()
        try:
            data, signed_at = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()), return_timestamp=True
            )
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or datetime.now(timezone.utc) - signed_at >= self.REFRESH_AFTER


def start_session(user: User) -> None:
    """Log in with a brand-new session: nothing from before log-in carries over."""
    session.clear()
    login_user(CurrentUser(user))
    session["sid"] = secrets.token_urlsafe(16)  # a fresh value, so the cookie always changes
    session.permanent = True


def safe_next(target: str | None) -> str:
    """Where to go after log-in: a path on this site, never another site."""
    default = url_for("claims.home")
    if not target:
        return default
    target = target.strip()
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(ch) < 32 or ord(ch) == 127 for ch in target)
    ):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def _require_login():
    # The public blueprint (fact-check pages, robots.txt, sitemap.xml) needs no log-in;
    # the API (/api/v1/) authenticates by token only, in its own blueprint (never by this cookie).
    if (
        request.endpoint in PUBLIC_ENDPOINTS
        or request.blueprint in ("public", "api")
        or request.endpoint is None
    ):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    login_manager.init_app(app)
    app.before_request(_require_login)
