from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ...services import passwords
from ...services import users as user_service
from ...services.errors import LoginFailed, ValidationFailed
from .. import db_session
from ..forms import apply_errors
from .forms import ChangePasswordForm, LoginForm, LogoutForm
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
