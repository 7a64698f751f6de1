from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ...config import smtp_settings
from ...services import notifications as notification_service
from ...services import passwords
from ...services import tokens as token_service
from ...services import users as user_service
from ...services.errors import InvalidTransition, LoginFailed, NotFound, ValidationFailed
from .. import db_session
from ..forms import apply_errors
from .forms import ChangePasswordForm, LoginForm, LogoutForm, NotificationsForm, RevokeTokenForm, TokenForm
from .session import start_session, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = user_service.authenticate(
                db_session(), form.username.data, form.password.data, address=request.remote_addr
            )
        except LoginFailed as exc:
            form.form_errors.append(exc.message)
        else:
            start_session(user)
            flash(f"Logged in as {user.display_name}.", "success")
            return redirect(next_url)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        user_service.end_sessions(db_session(), current_user.id)
        logout_user()
        session.clear()
        flash("You are logged out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = user_service.change_own_password(
                db_session(),
                current_user.id,
                form.current_password.data,
                form.new_password.data,
                address=request.remote_addr,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            start_session(user)  # this browser stays in; every other copy is out
            flash("Password changed. Other sessions of your account have been logged out.", "success")
            return redirect(url_for("claims.home"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("account/password.html", form=form, password_hint=passwords.POLICY_HINT), status


# --- API tokens ---------------------------------------------------------------


def _tokens_page(form: TokenForm, status: int = 200, new_token=None):
    return (
        render_template(
            "account/tokens.html",
            form=form,
            tokens=token_service.list_tokens(db_session(), current_user.id),
            revoke_form=RevokeTokenForm(formdata=None),
            new_token=new_token,
            now=token_service.utcnow(),
        ),
        status,
    )


@bp.get("/account/tokens")
def tokens():
    return _tokens_page(TokenForm(formdata=None, data={"scope": "read"}))


@bp.post("/account/tokens")
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            made = token_service.create_token(
                db_session(), current_user.id, name=form.name.data, scope=form.scope.data, expires_days=form.expires_days.data
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            # Shown in this response only: never flashed (the session cookie would carry it) nor stored.
            return _tokens_page(TokenForm(formdata=None, data={"scope": "read"}), 201, new_token=made)
    return _tokens_page(form, 422)


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    try:
        revoked = token_service.revoke_token(db_session(), current_user.id, token_id)
    except NotFound as exc:
        abort(404, exc.message)
    except InvalidTransition as exc:
        flash(exc.message, "error")
    else:
        flash(f"Token “{revoked.name}” ({revoked.display_prefix}…) revoked: it no longer works.", "success")
    return redirect(url_for("auth.tokens"), code=303)


# --- e-mail notifications ---------------------------------------------------------------


def _notifications_page(form: NotificationsForm, status: int = 200):
    return render_template("account/notifications.html", form=form, mail_configured=smtp_settings() is not None), status


@bp.get("/account/notifications")
def notifications():
    email, enabled = notification_service.settings_of(db_session(), current_user.id)
    return _notifications_page(NotificationsForm(formdata=None, data={"email": email, "notify": enabled}))


@bp.post("/account/notifications")
def update_notifications():
    form = NotificationsForm()
    if form.validate_on_submit():
        try:
            notification_service.update_settings(db_session(), current_user.id, form.email.data, form.notify.data)
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash("E-mail notifications saved.", "success")
            return redirect(url_for("auth.notifications"), code=303)
    return _notifications_page(form, 422)
