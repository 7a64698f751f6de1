from __future__ import annotations

from wtforms import DateField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from ..claims.forms import ANY, CATEGORY_CHOICES
from ..forms import AppForm, IntegerField, choices, sane_date


class DashboardFilterForm(AppForm):
    """Filters for the whole dashboard and the exports, read from the query string."""

    class Meta:
        csrf = False

    # The same names as the claim list's filters, so links carry them unchanged.
    created_from = DateField("Created from", validators=[Optional(), sane_date])
    created_to = DateField("Created to", validators=[Optional(), sane_date])
    article = IntegerField("Article #", validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    category = SelectField("Category", choices=choices(ANY + CATEGORY_CHOICES), validate_choice=False)

    def validate_created_to(self, field):
        if field.data and self.created_from.data and field.data < self.created_from.data:
            raise ValidationError("The end date is before the start date.")
