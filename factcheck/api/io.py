"""Reading API requests and writing API responses: JSON bodies into the web's
forms (so a field's rules live once), versions from If-Match, page sizes and
cursors, and the representations of articles, claims and the rest."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from flask import current_app, request
from werkzeug.datastructures import MultiDict

from . import ApiProblem

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
_MAX_ID = 2**31 - 1


# --- times -------------------------------------------------------------------------------


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the microsecond PostgreSQL keeps: 2026-12-06T12:10:00.123456Z."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat() + "Z"


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- request bodies ----------------------------------------------------------------------


def json_body(required: bool = True) -> dict[str, Any]:
    """The request's JSON object; 415 when it is not JSON, 400 when it does not parse."""
    has_body = bool(request.content_length) or "chunked" in (request.headers.get("Transfer-Encoding") or "").lower()
    if not has_body:
        if required:
            raise ApiProblem(400, "Send a JSON object as the request body.", kind="bad-body")
        return {}
    if request.mimetype != "application/json":
        raise ApiProblem(
            415, "Send the body as application/json.", kind="unsupported-media-type",
            headers={"Accept-Post": "application/json"},
        )
    data = request.get_json(silent=True)
    if data is None:
        raise ApiProblem(400, "The body is not valid JSON.", kind="bad-body")
    if not isinstance(data, dict):
        raise ApiProblem(400, "The body must be a JSON object.", kind="bad-body")
    return data


def formdata(data: dict[str, Any], allowed: Iterable[str], base: dict[str, Any] | None = None) -> MultiDict:
    """Form input from JSON fields (over ``base``, the current values for a partial update).

    Unknown fields are refused, not ignored: a typo in a field name would
    otherwise save nothing and say nothing. Strings, numbers and booleans are
    accepted where the form reads text; objects and lists are not.
    """
    allowed = set(allowed)
    errors: dict[str, list[str]] = {}
    merged = dict(base or {})
    for name, value in data.items():
        if name not in allowed:
            errors[name] = ["Unknown field."]
            continue
        if isinstance(value, (dict, list)):
            errors[name] = ["Give a single value (text, number, true/false or null)."]
            continue
        merged[name] = value
    if errors:
        raise ApiProblem(422, "The request has invalid fields; nothing was changed.", kind="validation", errors=errors)
    out = MultiDict()
    for name, value in merged.items():
        if value is None or value is False:
            continue  # an absent field: empty text, an unticked box
        out.add(name, "y" if value is True else str(value))
    return out


def validated(form_class, data: dict[str, Any], *, base: dict[str, Any] | None = None, extra: dict[str, Any] | None = None):
    """``form_class`` filled from ``data`` and validated, or 422 with its field errors.

    ``extra`` are inputs that do not come from the body (the version from If-Match)."""
    probe = form_class(formdata=None, meta={"csrf": False})
    fields = [f.name for f in probe if f.name not in ("csrf_token", "submit", *(extra or {}))]
    md = formdata(data, fields, base)
    for name, value in (extra or {}).items():
        md.setlist(name, [str(value)])
    form = form_class(formdata=md, meta={"csrf": False})
    if not form.validate():
        errors = {name or "": list(messages) for name, messages in form.errors.items() if messages}
        raise ApiProblem(422, "The request has invalid fields; nothing was changed.", kind="validation", errors=errors)
    return form


# --- versions ----------------------------------------------------------------------------


def etag(version: int) -> str:
    return f'"{version}"'


def if_match() -> int:
    """The claim version the client saw, from If-Match: 428 without one, 400 when not one of ours."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw:
        raise ApiProblem(
            428, "Send If-Match with the claim's ETag (its version), as read from GET /claims/{id}.",
            kind="version-required",
        )
    if raw.startswith('"') and raw.endswith('"') and raw[1:-1].isascii() and raw[1:-1].isdigit() and len(raw) < 13:
        value = int(raw[1:-1])
        if 0 < value <= _MAX_ID:
            return value
    raise ApiProblem(400, 'If-Match must be one strong ETag from this API, such as "3".', kind="bad-precondition")


# --- query parameters --------------------------------------------------------------------


def limit_arg() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if raw.isascii() and raw.isdigit() and len(raw) <= 4 and 1 <= int(raw) <= MAX_LIMIT:
        return int(raw)
    raise ApiProblem(422, "Invalid query parameter.", kind="validation", errors={"limit": [f"Give a number from 1 to {MAX_LIMIT}."]})


def check_cursor(nav) -> None:
    """A cursor the keyset did not accept is the client's mistake here (the web falls back to page one)."""
    if nav.notice:
        raise ApiProblem(400, "The cursor is not valid for this list; start again without one.", kind="bad-cursor")


def page_doc(data: list, nav, **extra: Any) -> dict[str, Any]:
    return {"data": data, "next_cursor": nav.next, "prev_cursor": nav.prev, **extra}


def known_args(*names: str) -> None:
    unknown = [name for name in request.args if name not in names]
    if unknown:
        raise ApiProblem(
            422, "Unknown query parameter.", kind="validation", errors={name: ["Unknown query parameter."] for name in unknown}
        )


def url_id(value: int) -> int:
    if not 0 < value <= _MAX_ID:
        raise ApiProblem(404, "No such id.", kind="not-found")
    return value


def public_url(endpoint: str, **values) -> str:
    from ..web.filters import absolute_url

    return absolute_url(endpoint, **values)


def config(name: str, default=None):
    return current_app.config.get(name, default)
