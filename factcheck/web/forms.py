"""Helpers shared by the forms of every area."""

from __future__ import annotations

from typing import Iterable

from wtforms import Form
from wtforms.fields.choices import SelectChoice

from ..services.errors import ValidationFailed


def apply_errors(form: Form, exc: ValidationFailed) -> None:
    """Put a service's field errors beside the form's fields (others at the top)."""
    for name, messages in exc.errors.items():
        field = form._fields.get(name) if name else None
        if field is not None:
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs (WTForms 3.3 retires bare tuples)."""
    return [SelectChoice(str(value), label) for value, label in pairs]
