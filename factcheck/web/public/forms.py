"""The claim page's Publish and Unpublish forms."""

from __future__ import annotations

from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...services.publishing import MAX_NOTE
from ..claims.forms import VersionedForm


class PublishForm(VersionedForm):
    id_prefix = "publish"
    # Needed from the second publication on; the service says so beside the field.
    update_note = TextAreaField(
        "What changed (shown to readers)",
        validators=[Optional(), Length(max=MAX_NOTE)],
    )
    submit = SubmitField("Publish")


class UnpublishForm(VersionedForm):
    id_prefix = "unpublish"
    reason = TextAreaField(
        "Why take it down (kept in the history)",
        validators=[InputRequired("Say why the fact check is taken down."), Length(max=MAX_NOTE)],
    )
    submit = SubmitField("Unpublish")
