from __future__ import annotations

from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from ...services.tokens import MAX_EXPIRY_DAYS, MAX_NAME
from ..forms import AppForm, IntegerField, choices


class LoginForm(AppForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])
    submit = SubmitField("Log in")


class LogoutForm(AppForm):
    submit = SubmitField("Log out")


class ChangePasswordForm(AppForm):
    current_password = PasswordField("Current password", validators=[InputRequired(), Length(max=256)])
    new_password = PasswordField("New password", validators=[InputRequired(), Length(max=256)])
    confirm = PasswordField(
        "New password again",
        validators=[InputRequired(), EqualTo("new_password", message="The two new passwords differ.")],
    )
    submit = SubmitField("Change password")


class TokenForm(AppForm):
    """A new API token. The rules (name, scope, expiry) are the service's
    (services/tokens.check_token_fields); this reads the fields."""

    name = StringField("Name", validators=[Length(max=MAX_NAME)], description="What will use it, e.g. “CMS sync”.")
    scope = SelectField(
        "Scope",
        choices=choices([("read", "Read: look things up only"), ("write", "Write: also change claims, as you can")]),
        validate_choice=False,
    )
    expires_days = IntegerField(
        "Expires after (days)",
        validators=[Optional()],
        description=f"1 to {MAX_EXPIRY_DAYS}; leave empty for a token that does not expire.",
    )
    submit = SubmitField("Create token")


class RevokeTokenForm(AppForm):
    submit = SubmitField("Revoke")


class NotificationsForm(AppForm):
    email = StringField("E-mail address", validators=[Length(max=254)])
    notify = BooleanField("E-mail me when a claim is assigned or sent back to me, and (editors) when a proposed verdict waits for approval")
    submit = SubmitField("Save")
