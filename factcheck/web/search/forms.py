from __future__ import annotations

from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from ...models import LinkKind
from ..forms import AppForm, IntegerField, choices


class AliasGroupForm(AppForm):
    name = StringField("Name", validators=[InputRequired("Give the group a name."), Length(max=120)])
    terms = TextAreaField(
        "Other names, one per line",
        validators=[Length(max=5_000)],
        description="Spellings, transliterations and abbreviations that mean the same place or body.",
    )
    note = StringField("Note", validators=[Length(max=500)])
    submit = SubmitField("Save group")

    def term_list(self) -> list[str]:
        return [line for line in (self.terms.data or "").splitlines() if line.strip()]


class DeleteAliasGroupForm(AppForm):
    submit = SubmitField("Delete group")


LINK_CHOICES = choices((k.value, k.label) for k in LinkKind)


class LinkForm(AppForm):
    other = IntegerField("Claim #", validators=[InputRequired("Give the other claim's number."), NumberRange(min=1, max=2**31 - 1)])
    kind = SelectField("Link as", choices=LINK_CHOICES, default=LinkKind.SAME.value)
    note = StringField("Note", validators=[Length(max=500)])
    submit = SubmitField("Link")


class ButtonForm(AppForm):
    submit = SubmitField("Go")
