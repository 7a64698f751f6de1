from __future__ import annotations

from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...services.articles import MAX_ARTICLE_CHARS, MAX_TITLE_LENGTH
from ..claims.forms import ClaimFieldsForm, PageForm, PriorityMixin
from ..forms import AppForm, http_url, sane_date


class ArticleForm(AppForm):
    title = StringField("Headline", validators=[InputRequired("Give the headline."), Length(max=MAX_TITLE_LENGTH)])
    outlet = StringField("Outlet", validators=[Length(max=200)])
    byline = StringField("Byline", validators=[Length(max=300)])
    published_on = DateField("Published", validators=[Optional(), sane_date])
    url = StringField("Link", validators=[Optional(), Length(max=2048), http_url])
    body = TextAreaField(
        "Text", validators=[InputRequired("Paste the article's text."), Length(max=MAX_ARTICLE_CHARS)]
    )
    submit = SubmitField("Add article")


class AcceptCandidateForm(ClaimFieldsForm):
    submit = SubmitField("Save as a claim")


class EditorAcceptCandidateForm(PriorityMixin, AcceptCandidateForm):
    pass


class DismissForm(PageForm):
    id_prefix = "dismiss"
    submit = SubmitField("Dismiss")
