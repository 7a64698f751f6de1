from __future__ import annotations

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from ..forms import AppForm


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
