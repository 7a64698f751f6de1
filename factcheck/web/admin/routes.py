from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...models import Role
from ...services import passwords
from ...services import users as user_service
from ...services import webhooks as webhook_service
from ...services.errors import NotFound, ValidationFailed
from .. import db_session
from ..auth.session import start_session
from ..forms import apply_errors
from .forms import ActiveForm, NewUserForm, ResetPasswordForm, RoleForm, WebhookActionForm, WebhookForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(new_form: NewUserForm, status: int = 200):
    users = user_service.list_users(db_session(), current_user.id)
    throttled = user_service.throttled_until(db_session(), [u.username for u in users])
    return render_template(
        "admin/users.html", users=users, throttled=throttled, form=new_form, password_hint=passwords.POLICY_HINT
    ), status


@bp.get("/users")
def users():
    return _page(NewUserForm())


@bp.post("/users")
def create_user():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            created = user_service.admin_create_user(
                db_session(),
                current_user.id,
                username=form.username.data,
                password=form.password.data,
                role=Role(form.role.data),
                display_name=form.display_name.data,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash(f"Created {created.role.value} account {created.username!r}.", "success")
            return redirect(url_for("admin.users"))
    return _page(form, 422)


def _user_page(user_id: int, status: int = 200, **forms):
    try:
        user = user_service.get_user_for_admin(db_session(), current_user.id, user_id)
    except NotFound as exc:
        abort(404, exc.message)
    forms.setdefault("role_form", RoleForm(role=user.role.value))
    forms.setdefault("active_form", ActiveForm(active="0" if user.is_active else "1"))
    forms.setdefault("password_form", ResetPasswordForm())
    throttled = user_service.throttled_until(db_session(), [user.username]).get(user.username.lower())
    return render_template(
        "admin/user.html",
        user=user,
        throttled_until=throttled,
        is_self=user.id == current_user.id,
        password_hint=passwords.POLICY_HINT,
        **forms,
    ), status


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    return _user_page(user_id)


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int):
    form = RoleForm()
    if form.validate_on_submit():
        try:
            changed = user_service.set_role(db_session(), current_user.id, user_id, Role(form.role.data))
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            flash(f"{changed.username} is now {changed.role.value}.", "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return _user_page(user_id, 422, role_form=form)


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int):
    form = ActiveForm()
    if form.validate_on_submit():
        try:
            changed = user_service.set_active(db_session(), current_user.id, user_id, form.active.data == "1")
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            state = "activated" if changed.is_active else "deactivated; their sessions have ended"
            flash(f"{changed.username} is {state}.", "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return _user_page(user_id, 422, active_form=form)


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            changed = user_service.reset_password(
                db_session(),
                current_user.id,
                user_id,
                form.password.data,
                current_password=form.current_password.data,
                address=request.remote_addr,
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            if changed.id == current_user.id:
                start_session(changed)  # this browser stays in; every other copy is out
                flash("Your password is changed. Your other sessions have been logged out.", "success")
            else:
                flash(f"Password of {changed.username} reset; their sessions have ended.", "success")
            return redirect(url_for("admin.user", user_id=user_id))
    return _user_page(user_id, 422, password_form=form)



# --- webhooks -------------------------------------------------------------------


def _webhooks_page(form: WebhookForm, status: int = 200, new_endpoint=None):
    return render_template(
        "admin/webhooks.html",
        endpoints=webhook_service.list_endpoints(db_session(), current_user.id),
        failures=webhook_service.failure_count(db_session()),
        form=form,
        action_form=WebhookActionForm(),
        new_endpoint=new_endpoint,
    ), status


@bp.get("/webhooks")
def webhooks():
    return _webhooks_page(WebhookForm(formdata=None))


@bp.post("/webhooks")
def create_webhook():
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            made = webhook_service.register_endpoint(
                db_session(), current_user.id, form.url.data, form.event_types.data, form.description.data
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            # Not a redirect: the secret is shown on this answer only, and never stored in a cookie.
            return _webhooks_page(WebhookForm(formdata=None), 201, new_endpoint=made)
    return _webhooks_page(form, 422)


@bp.post("/webhooks/<int:endpoint_id>/remove")
def remove_webhook(endpoint_id: int):
    form = WebhookActionForm()
    if not form.validate_on_submit():
        abort(400, "The form was incomplete; reload the page and try again.")
    removed = webhook_service.remove_endpoint(db_session(), current_user.id, endpoint_id)
    flash(f"Removed the webhook to {removed.url}.", "success")
    return redirect(url_for("admin.webhooks"), code=303)


@bp.get("/webhooks/failures")
def webhook_failures():
    page = webhook_service.failed_deliveries(db_session(), current_user.id, cursor=request.args.get("cursor"))
    attempts = webhook_service.recent_attempts(db_session(), [d.id for d in page.rows])
    return render_template(
        "admin/webhook_failures.html", page=page, attempts=attempts, action_form=WebhookActionForm()
    )


@bp.post("/webhooks/deliveries/<int:delivery_id>/redeliver")
def redeliver_webhook(delivery_id: int):
    form = WebhookActionForm()
    if not form.validate_on_submit():
        abort(400, "The form was incomplete; reload the page and try again.")
    webhook_service.redeliver(db_session(), current_user.id, delivery_id)
    flash(f"Delivery #{delivery_id} is queued again; a worker sends it in a moment.", "success")
    return redirect(url_for("admin.webhook_failures"), code=303)
