"""Flask-Login wiring: who is logged in, and revocation through the session version."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, request, session, url_for
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user, login_user

from ...models import Role, User
from ...services.permissions import Permission, can
from .. import db_session

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to continue."
login_manager.login_message_category = "info"
# Revocation is done with the session version below, which also survives a
# change of network (Flask-Login's "strong" mode logs people out on that).
login_manager.session_protection = None

PUBLIC_ENDPOINTS = {"auth.login", "health.healthz", "static"}


class CurrentUser(UserMixin):
    """The logged-in account as the web layer sees it (loaded fresh each request)."""

    def __init__(self, user: User):
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
    user = db_session().get(User, user_id)
    if user is None or not user.is_active or user.session_version != version:
        return None
    return CurrentUser(user)


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
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_require_login)
