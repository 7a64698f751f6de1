from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from ...models import Role
from ..forms import choices

ROLE_CHOICES = choices((r.value, r.label) for r in Role)


class NewUserForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    display_name = StringField("Display name", validators=[Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.REVIEWER.value)
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])
    submit = SubmitField("Create account")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class ActiveForm(FlaskForm):
    active = HiddenField()
    submit = SubmitField("Apply")


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[InputRequired(), Length(max=256)])
    submit = SubmitField("Reset password")
