"""Forms of the claims area. Field-level rules that are domain rules (URLs,
quantities, spans) are checked by the services; these forms check shape."""

from __future__ import annotations

import re

from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...models import PRIORITY_LABELS, QUALIFIERS, Category, ClaimStatus, Stance, Verdict
from ...services.bulk import LIMIT as BULK_LIMIT
from ..forms import AppForm, IntegerField, choices, http_url, sane_date

CATEGORY_CHOICES = [(c.value, c.label) for c in Category]
ANY = [("", "Any")]
ASSIGNEE_FIXED = [("", "Anyone"), ("mine", "Mine"), ("unassigned", "Unassigned")]
VERDICT_CHOICES = [(v.value, f"{v.label} ({v.rating}/5)") for v in Verdict]
STANCE_CHOICES = [(s.value, s.label) for s in Stance]
QUALIFIER_CHOICES = [("", "none")] + [(q, q) for q in QUALIFIERS]
PRIORITY_CHOICES = [(k, v) for k, v in sorted(PRIORITY_LABELS.items(), reverse=True)]


_PICKED = re.compile(r"([1-9][0-9]{0,9}):([1-9][0-9]{0,9})")
_MAX_ID = 2**31 - 1  # ids and versions are PostgreSQL integers


def _person(value) -> int | None:
    """A user id from a choice list; None for "" and for anything that is not an id."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) <= _MAX_ID):
        return None
    return int(text)


class PickedClaimsField(Field):
    """The queue's ticked claims, each sent as "id:version" (the version the
    user saw, so a claim changed since is noticed). Rendered by the queue."""

    def process_formdata(self, valuelist):
        self.data = []
        for raw in valuelist:
            match = _PICKED.fullmatch(str(raw).strip())
            picked = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
            if not (0 < picked[0] <= _MAX_ID and 0 < picked[1] <= _MAX_ID):
                raise ValueError("The ticked claims were not understood; reload the queue and tick them again.")
            self.data.append(picked)

    def pre_validate(self, form):
        if self.process_errors:
            return  # already said: not understood
        if not self.data:
            raise ValidationError("Tick at least one claim first.")
        if len(self.data) > BULK_LIMIT:
            raise ValidationError(f"Tick at most {BULK_LIMIT} claims at a time.")


class BulkQueueForm(AppForm):
    """Several claims from the queue at once: take them, or (editors) assign them."""

    claim = PickedClaimsField()
    action = SelectField(choices=choices([("take", "Take"), ("assign", "Assign")]))
    assignee = SelectField("Assign to", coerce=_person, validate_choice=False)
    # The queue's own query string, to go back to the same filters and page.
    back = StringField(validators=[Optional(), Length(max=2000)])

    def validate_assignee(self, field):
        if self.action.data == "assign" and field.data is None:
            raise ValidationError("Choose who takes the ticked claims.")


class QueueFilterForm(AppForm):
    """The claim list's filters, read from the query string (no CSRF on a GET)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=choices(ANY + [(s.value, s.label) for s in ClaimStatus] + [("open", "Not yet verified")]),
        validate_choice=False,
    )
    verdict = SelectField("Verdict", choices=choices(ANY + [(v.value, v.label) for v in Verdict]), validate_choice=False)
    category = SelectField("Category", choices=choices(ANY + CATEGORY_CHOICES), validate_choice=False)
    assignee = SelectField("Assignee", choices=choices(ASSIGNEE_FIXED), validate_choice=False)
    hedged = SelectField("Hedged", choices=choices([("", "Either"), ("yes", "Hedged only"), ("no", "Not hedged")]), validate_choice=False)
    article = IntegerField("Article #", validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    created_from = DateField("Created from", validators=[Optional(), sane_date])
    created_to = DateField("Created to", validators=[Optional(), sane_date])
    # Set by the dashboard's links; kept through a re-filter as hidden fields.
    verified_from = DateField(widget=HiddenField.widget, validators=[Optional(), sane_date])
    verified_to = DateField(widget=HiddenField.widget, validators=[Optional(), sane_date])
    proposed_by = IntegerField(widget=HiddenField.widget, validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    proposed_from = DateField(widget=HiddenField.widget, validators=[Optional(), sane_date])
    proposed_to = DateField(widget=HiddenField.widget, validators=[Optional(), sane_date])
    approved_by = IntegerField(widget=HiddenField.widget, validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    sort = SelectField(
        "Sort",
        choices=choices([("priority", "Priority, oldest first"), ("oldest", "Oldest first"), ("newest", "Newest first")]),
        validate_choice=False,
    )


class PageForm(AppForm):
    """A form that shares its page with other forms.

    Its fields' ids, and so its labels' ``for``, its hints' and its errors' ids,
    start with ``id_prefix``: no two forms on the claim page repeat an id, and
    each label points at its own field. The field names, which the routes and
    every client read, stay as they are (WTForms' ``prefix=`` would rename them).
    """

    id_prefix = ""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if form.id_prefix:
                options = {**options, "id": f"{form.id_prefix}-{options['name']}"}
            return super().bind_field(form, unbound_field, options)


class VersionedForm(PageForm):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])


class TakeForm(VersionedForm):
    id_prefix = "take"
    submit = SubmitField("Take")


class ApproveForm(VersionedForm):
    id_prefix = "approve"
    submit = SubmitField("Approve verdict")


class AssignForm(VersionedForm):
    id_prefix = "assign"
    # Starts on "Choose a person…" (value ""), so a hurried click assigns nobody.
    assignee = SelectField(
        "Assign to",
        coerce=lambda value: None if value in ("", None) else int(value),
        validate_choice=False,
        validators=[InputRequired("Choose who takes the claim.")],
    )
    submit = SubmitField("Assign")


class ReleaseForm(VersionedForm):
    id_prefix = "release"
    submit = SubmitField("Release")


class ProposeForm(VersionedForm):
    id_prefix = "propose"
    # No verdict is preselected: the browser would otherwise show the first, "False".
    verdict = SelectField(
        "Verdict",
        choices=choices([("", "Choose a verdict…")] + VERDICT_CHOICES),
        validators=[InputRequired("Choose a verdict.")],
    )
    rationale = TextAreaField(
        "Rationale", validators=[InputRequired("Explain the verdict: a rationale is required."), Length(max=10_000)]
    )
    submit = SubmitField("Propose verdict")


class SendBackForm(VersionedForm):
    id_prefix = "send-back"
    comment = TextAreaField(
        "Why it goes back", validators=[InputRequired("Say why the verdict goes back."), Length(max=10_000)]
    )
    submit = SubmitField("Send back")


class ReopenForm(VersionedForm):
    id_prefix = "reopen"
    comment = TextAreaField(
        "Why reopen", validators=[InputRequired("Say why the claim is reopened."), Length(max=10_000)]
    )
    submit = SubmitField("Reopen")


class CommentForm(PageForm):
    id_prefix = "history"
    comment = TextAreaField("Comment", validators=[InputRequired("Write a comment first."), Length(max=10_000)])
    submit = SubmitField("Add comment")


class ClaimFieldsForm(AppForm):
    statement = TextAreaField(
        "Statement", validators=[InputRequired("State the claim in a sentence."), Length(max=10_000)]
    )
    category = SelectField("Category", choices=choices(CATEGORY_CHOICES))
    claimant = StringField("Claimant", validators=[Length(max=200)])
    quantity_value = StringField("Figure", validators=[Length(max=40)])
    quantity_unit = StringField("Unit", validators=[Length(max=60)])
    quantity_qualifier = SelectField("Qualifier", choices=choices(QUALIFIER_CHOICES), default="")
    hedged = BooleanField("The source hedges it (unverified, “claimed”, second-hand)")
    hedge_note = StringField("Hedging words", validators=[Length(max=300)])


class PriorityMixin:
    priority = SelectField("Priority", choices=choices(PRIORITY_CHOICES), default="1")


class ClaimEditForm(ClaimFieldsForm):
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    submit = SubmitField("Save claim")


class EditorClaimEditForm(PriorityMixin, ClaimEditForm):
    pass


class NewClaimForm(ClaimFieldsForm):
    quote = TextAreaField(
        "Exact words in the article",
        validators=[InputRequired("Give the exact words of the claim."), Length(max=10_000)],
    )
    occurrence = IntegerField(
        "Occurrence",
        validators=[Optional(), NumberRange(min=1, max=10_000)],
        description="Only when these words appear more than once: 1 for the first, 2 for the second…",
    )
    submit = SubmitField("Create claim")


class EditorNewClaimForm(PriorityMixin, NewClaimForm):
    pass


class EvidenceForm(PageForm):
    id_prefix = "evidence"
    url = StringField("Link", validators=[InputRequired("Give a link."), Length(max=2048), http_url])
    # Optional: a blank title, publisher or date is filled in from the page (services/evidence_details.py).
    title = StringField("Title", validators=[Length(max=300)])
    publisher = StringField("Publisher", validators=[Length(max=200)])
    published_on = DateField("Page’s date", validators=[Optional(), sane_date])
    stance = SelectField("Stance", choices=choices(STANCE_CHOICES), default="context")
    archive_url = StringField("Archived copy", validators=[Optional(), Length(max=2048), http_url])
    accessed_on = DateField("Accessed on", validators=[Optional(), sane_date])
    note = TextAreaField("Note", validators=[Length(max=10_000)])
    submit = SubmitField("Save evidence")


class ButtonForm(AppForm):
    """A form that is only a button (and its CSRF token). Rendered once per row,
    so templates write its token without an id: ``form.csrf_token(id=false)``."""


class DeleteForm(ButtonForm):
    submit = SubmitField("Remove")
