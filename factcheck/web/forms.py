"""Helpers shared by the forms of every area."""

from __future__ import annotations

import re
from datetime import date
from typing import Iterable

import wtforms
from flask import get_template_attribute
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Form
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..services.validation import http_url_problem

from ..services.errors import ValidationFailed


class IntegerField(wtforms.IntegerField):
    """WTForms' IntegerField, but a digit string too long for any id or count is refused
    as not a number instead of parsed: NumberRange compares with math.isnan, which
    raises OverflowError on a 300-digit integer (a 500 from a query string)."""

    MAX_DIGITS = 18

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)


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


# Text PostgreSQL cannot store (NUL) or that has no business in a form (other
# C0 controls; tab, newline and carriage return are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


class AppForm(FlaskForm):
    """Every form's base: checks common to all fields, before each form's own."""

    def validate(self, extra_validators=None) -> bool:
        # Browsers send a textarea's line breaks as CRLF, but its maxlength counts
        # each as one character: store and measure plain LF, as the browser counted.
        for field in self:
            if isinstance(field.data, str) and "\r" in field.data:
                field.data = field.data.replace("\r\n", "\n").replace("\r", "\n")
        ok = super().validate(extra_validators)
        for field in self:
            for value in field.raw_data or ():
                if isinstance(value, str) and _CONTROL.search(value):
                    field.errors = list(field.errors) + ["Remove the control characters (such as NUL) from this text."]
                    ok = False
                    break
        return ok


def http_url(form, field) -> None:
    """A link field: http:// or https:// only, with the service's explanation otherwise."""
    if field.data:
        problem = http_url_problem(field.data.strip())
        if problem:
            raise ValidationError(problem)


def sane_date(form, field) -> None:
    """Dates far outside any newsroom's records are typos (and overflow date arithmetic)."""
    if field.data is not None and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(f"Give a date between {EARLIEST.year} and {LATEST.year}.")


MAX_PAGE = 100_000


def page_number(args, name: str = "page") -> int:
    """A page argument as a number from 1 to MAX_PAGE, whatever was sent."""
    raw = args.get(name, "")
    value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 1
    return min(max(value, 1), MAX_PAGE)


def id_number(raw: str | None) -> int | None:
    """A positive database id from text, or None."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) < 10:
        return int(raw)
    return None


# Fields of blank forms, as _forms.html's field() writes them, once per process. A page
# with several forms spent more on their fields through WTForms (html_params, labels)
# than on the rest of its markup, and a blank field's markup never changes.
_BLANK_FIELDS: dict[tuple, Markup] = {}
_BLANK_FIELDS_KEPT = 512


def blank_field(f, **attrs) -> Markup:
    """``field(f, **attrs)`` of _forms.html, kept when ``f`` holds its default value, no input and
    no error: the key is everything that macro reads (id, name, label, widget, flags, choices...)."""
    macro = get_template_attribute("_forms.html", "field")
    if f.errors or f.raw_data or callable(f.default) or f.data != f.default:
        return macro(f, **attrs)
    try:
        key = (
            f.id, f.name, f.type, type(f.widget).__name__, f.label.text, f.description, repr(sorted(vars(f.flags).items())),
            repr(f.render_kw), repr(f.data), repr(getattr(f, "choices", None)), repr(sorted(attrs.items())),
        )
    except TypeError:  # an attribute that cannot be compared: write it every time
        return macro(f, **attrs)
    found = _BLANK_FIELDS.get(key)
    if found is None:
        found = macro(f, **attrs)
        if len(_BLANK_FIELDS) < _BLANK_FIELDS_KEPT:
            _BLANK_FIELDS[key] = found
    return found
