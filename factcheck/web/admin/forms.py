from __future__ import annotations

from wtforms import HiddenField, PasswordField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from ...models import EventType, Role
from ..forms import AppForm, choices

ROLE_CHOICES = choices((r.value, r.label) for r in Role)


class NewUserForm(AppForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    display_name = StringField("Display name", validators=[Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.REVIEWER.value)
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])
    submit = SubmitField("Create account")


class RoleForm(AppForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class ActiveForm(AppForm):
    active = HiddenField()
    submit = SubmitField("Apply")


class ResetPasswordForm(AppForm):
    # Shown and required only when an admin changes their own password.
    current_password = PasswordField("Your current password", validators=[Optional(), Length(max=256)])
    password = PasswordField("New password", validators=[InputRequired(), Length(max=256)])
    submit = SubmitField("Reset password")



class WebhookForm(AppForm):
    url = StringField("Address (URL)", validators=[InputRequired(), Length(max=2048)])
    description = StringField("What it is for", validators=[Length(max=200)])
    event_types = SelectMultipleField(
        "Events to send", choices=choices((t.value, t.value) for t in EventType), validators=[InputRequired()]
    )
    submit = SubmitField("Add webhook")


class WebhookActionForm(AppForm):
    """Remove an endpoint, or send a failed delivery again: nothing but the CSRF token."""
