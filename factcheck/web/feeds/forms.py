from __future__ import annotations

from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import AnyOf, InputRequired, Length

from ..forms import AppForm


class FeedForm(AppForm):
    url = StringField("Feed address (RSS or Atom)", validators=[InputRequired(), Length(max=2048)])
    submit = SubmitField("Subscribe")


class FeedActionForm(AppForm):
    """Unsubscribe, keep or discard one article: nothing but the CSRF token."""


class BulkTriageForm(AppForm):
    article_ids = SelectMultipleField("Articles", coerce=int, validate_choice=False, validators=[InputRequired("Tick at least one article.")])
    # Sent by the button pressed (name="action"), never rendered as a field of its own.
    action = StringField(validators=[AnyOf(["keep", "discard"], message="Choose keep or discard.")])

    def validate_article_ids(self, field):
        if len(field.data or []) > 200:
            from wtforms.validators import ValidationError

            raise ValidationError("At most 200 articles at once.")
