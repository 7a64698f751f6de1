from __future__ import annotations

from wtforms import DateField, Field, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

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


class ImportLinkForm(AppForm):
    """The first step of importing from a link: which page."""

    link = StringField(
        "Import from a link",
        validators=[InputRequired("Give the page's link."), Length(max=2048), http_url],
        description="The tracker fetches the page and extracts its text, headline, byline, outlet and date for you to check before saving.",
    )
    fetch = SubmitField("Fetch and review")


class ImportReviewForm(AppForm):
    """The second step: the reviewer's corrections to what was extracted. The body
    is not a field: the article takes the text the worker stored for the import."""

    title = StringField("Headline", validators=[InputRequired("Give the headline."), Length(max=MAX_TITLE_LENGTH)])
    outlet = StringField("Outlet", validators=[Length(max=200)])
    byline = StringField("Byline", validators=[Length(max=300)])
    published_on = DateField("Published", validators=[Optional(), sane_date])
    submit = SubmitField("Add article")


class ArticleFromUrlForm(AppForm):
    """POST /api/v1/articles/from-url: the link to fetch (the worker fetches it)."""

    url = StringField("Link", validators=[InputRequired("Give the page's link."), Length(max=2048), http_url])


class LinkImportSaveForm(AppForm):
    """POST /api/v1/link-imports/{id}/article: corrections to what was extracted (optional)."""

    title = StringField("Headline", validators=[Optional(), Length(max=MAX_TITLE_LENGTH)])
    outlet = StringField("Outlet", validators=[Optional(), Length(max=200)])
    byline = StringField("Byline", validators=[Optional(), Length(max=300)])
    published_on = DateField("Published", validators=[Optional(), sane_date])


class AcceptCandidateForm(ClaimFieldsForm):
    submit = SubmitField("Save as a claim")


class EditorAcceptCandidateForm(PriorityMixin, AcceptCandidateForm):
    pass


class DismissForm(PageForm):
    id_prefix = "dismiss"
    submit = SubmitField("Dismiss")


class RestoreForm(PageForm):
    id_prefix = "restore"


class IdListField(Field):
    """Ticked rows, each sent as its id (the checkboxes share one name)."""

    def process_formdata(self, valuelist):
        self.data = []
        for raw in valuelist:
            text = str(raw).strip()
            if not (text.isascii() and text.isdigit() and 0 < len(text) <= 10 and 0 < int(text) <= 2**31 - 1):
                self.data = []
                raise ValueError("The ticked suggestions were not understood; reload the page and tick them again.")
            self.data.append(int(text))

    def pre_validate(self, form):
        if not self.data and not self.process_errors:
            raise ValidationError("Tick at least one suggestion first.")


class TriageForm(PageForm):
    """Several suggestions at once, ticked in the list."""

    id_prefix = "triage"
    candidate = IdListField()
