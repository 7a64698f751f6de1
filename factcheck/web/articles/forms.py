from __future__ import annotations

from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ...services.articles import MAX_TITLE_LENGTH
from ...services.validation import http_url_problem
from ..claims.forms import ClaimFieldsForm, PriorityMixin
from ..forms import AppForm, sane_date


def _http_url(form, field):
    if field.data:
        problem = http_url_problem(field.data.strip())
        if problem:
            raise ValidationError(problem)


class ArticleForm(AppForm):
    title = StringField("Headline", validators=[InputRequired("Give the headline."), Length(max=MAX_TITLE_LENGTH)])
    outlet = StringField("Outlet", validators=[Length(max=200)])
    byline = StringField("Byline", validators=[Length(max=300)])
    published_on = DateField("Published", validators=[Optional(), sane_date])
    url = StringField("Link", validators=[Optional(), Length(max=2048), _http_url])
    body = TextAreaField(
        "Text", validators=[InputRequired("Paste the article's text."), Length(max=1_000_000)]
    )
    submit = SubmitField("Add article")


class AcceptCandidateForm(ClaimFieldsForm):
    submit = SubmitField("Save as a claim")


class EditorAcceptCandidateForm(PriorityMixin, AcceptCandidateForm):
    pass


class DismissForm(AppForm):
    submit = SubmitField("Dismiss")
