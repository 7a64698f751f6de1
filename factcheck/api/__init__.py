"""The JSON API, /api/v1/ (issue 15): the same services as the web pages, with token auth.

Conventions (README, "JSON API"; the OpenAPI document at /api/v1/openapi.json):

* ``Authorization: Bearer fct_...`` only (the OpenAPI document alone is public). A browser's session cookie does not
  authenticate here (the blueprint never reads it) and there is no CSRF token
  to send: a cross-site page cannot attach a bearer token.
* A token acts as its user: every call goes to the service the web page calls,
  which checks the role matrix (services/permissions.py). A read token gets 403
  on any method but GET/HEAD/OPTIONS, before anything runs (POST /extract, which
  stores nothing, is open to it).
* Errors are ``application/problem+json`` (RFC 9457) -- type, title, status,
  detail, plus ``errors`` (field -> messages) for validation and the request
  id -- for every status, including unknown paths and methods under /api/v1.
* Each token may make API_RATE_LIMIT requests a minute (PostgreSQL counts them,
  services/rate_limit.py); every response says where it stands in
  ``RateLimit``/``RateLimit-Policy``, a 429 adds ``Retry-After``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, json, make_response, request
from werkzeug.exceptions import HTTPException

from ..services import rate_limit
from ..services import tokens as token_service
from ..services.unit import unit_of_work
from ..services.errors import (
    ArticleFormatError,
    DuplicateArticle,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ServiceError,
    StaleClaim,
    ValidationFailed,
)

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "urn:factcheck:problem:"  # a name, not a page to fetch; README lists each type
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The document describes the API to tools and people before they have a token (the account page links it).
PUBLIC_ENDPOINTS = frozenset({"api.openapi"})
# POSTs that store nothing (a body too big for a query string), open to read tokens.
CHANGES_NOTHING = frozenset({"api.extract"})

bp = Blueprint("api", __name__, url_prefix=PREFIX)


class ApiProblem(Exception):
    """An API answer that is an error: raised anywhere in a request, drawn as problem+json."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        title: str | None = None,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.title = title
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def is_api_request() -> bool:
    path = request.path
    return path == PREFIX or path.startswith(PREFIX + "/")


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    kind: str | None = None,
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | list | None = None,
    **extra: Any,
) -> Response:
    from ..web import observe

    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    doc: dict[str, Any] = {
        "type": PROBLEM_BASE + kind if kind else "about:blank",
        "title": title or phrase,
        "status": status,
    }
    if detail:
        doc["detail"] = detail
    if errors is not None:
        doc["errors"] = {name or "_": list(messages) for name, messages in errors.items()}
    doc.update(extra)
    doc["request_id"] = observe.request_id()
    response = current_app.response_class(json.dumps(doc), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers.items() if isinstance(headers, dict) else headers or []):
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def _service_problem(exc: ServiceError) -> Response:
    if isinstance(exc, token_service.TokenRefused):
        return problem_response(
            401, exc.message, kind="invalid-token",
            headers={"WWW-Authenticate": 'Bearer realm="factcheck", error="invalid_token"'},
        )
    if isinstance(exc, ValidationFailed):
        return problem_response(422, "The request has invalid fields; nothing was changed.", kind="validation", errors=exc.errors)
    if isinstance(exc, DuplicateArticle):
        existing = {"existing_article_id": exc.existing_id} if exc.existing_id else {}
        return problem_response(409, exc.problem, kind="duplicate-article", **existing)
    if isinstance(exc, ArticleFormatError):
        return problem_response(422, exc.problem, kind="validation", errors={"body": [exc.problem]})
    if isinstance(exc, PermissionDenied):
        return problem_response(403, exc.message, kind="forbidden")
    if isinstance(exc, NotFound):
        return problem_response(404, exc.message, kind="not-found")
    if isinstance(exc, StaleClaim):
        current = getattr(exc.current, "version", None)
        headers = {"ETag": f'"{current}"'} if current is not None else {}
        if request.headers.get("If-Match"):
            return problem_response(
                412, exc.message, kind="stale-version", title="The claim changed since that version",
                headers=headers, current_version=current,
            )
        return problem_response(409, exc.message, kind="conflict", headers=headers)
    if isinstance(exc, InvalidTransition):
        return problem_response(409, exc.message, kind="invalid-transition", title="Not possible in the claim's state")
    return problem_response(400, exc.message, kind="refused")


def api_error(exc: BaseException, fallback=None) -> Response:
    """The problem+json answer to any exception raised while serving /api/v1."""
    if isinstance(exc, ApiProblem):
        return problem_response(
            exc.status, exc.detail, kind=exc.kind, title=exc.title, errors=exc.errors, headers=exc.headers, **exc.extra
        )
    if isinstance(exc, ServiceError):
        return _service_problem(exc)
    if isinstance(exc, HTTPException):
        if exc.code == 413:
            from ..web import _drain_request_body

            _drain_request_body()  # else the client sees a reset instead of this answer
        status = exc.code or 500
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() not in ("content-type", "content-length")]
        detail = exc.description
        if status == 404 and request.url_rule is None:
            detail = f"There is no {request.path} in this API (see {PREFIX}/openapi.json)."
        elif status == 405:
            detail = f"{request.method} is not allowed on {request.path}; see the Allow header."
        return problem_response(status, detail, headers=headers)
    if fallback is not None:
        # The web's own handler does the work that must happen (log it, drop a broken
        # database session) and picks the status and headers; only its HTML page is replaced.
        shown = make_response(fallback(exc))
        status = shown.status_code
        headers = [(k, v) for k, v in shown.headers.items() if k.lower() == "retry-after"]
    else:
        log.exception("unhandled error on %s %s", request.method, request.path, exc_info=exc)
        status, headers = 500, []
    details = {
        503: "The service cannot answer right now (database unavailable or the request took too long); nothing was changed.",
        500: "Something went wrong on our side; it has been logged and nothing was changed.",
    }
    return problem_response(status, details.get(status), headers=headers)


def _api_aware(handler):
    def handle(exc):
        if is_api_request():
            return api_error(exc, fallback=None if isinstance(exc, (ServiceError, ApiProblem)) else handler)
        return handler(exc)

    handle.__name__ = getattr(handler, "__name__", "handle")
    return handle


# --- authentication and the rate limit, before every API view ----------------------------


def identity() -> token_service.TokenIdentity:
    return g.api_identity


def _bearer_token() -> str:
    header = request.headers.get("Authorization")
    challenge = {"WWW-Authenticate": 'Bearer realm="factcheck"'}
    if not header:
        raise ApiProblem(
            401, "Send a personal access token: Authorization: Bearer fct_… (browser sessions do not count here).",
            kind="unauthenticated", headers=challenge,
        )
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiProblem(401, "Use the Bearer scheme: Authorization: Bearer fct_…", kind="unauthenticated", headers=challenge)
    return value.strip()


def _authenticate() -> None:
    from ..web import db_session
    from ..web.auth.session import CurrentUser

    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    session = db_session()
    presented = _bearer_token()
    limit = current_app.config["API_RATE_LIMIT"]  # FACTCHECK_API_RATE_LIMIT (config.py)
    # One transaction: the token's lookup, its last use and its count for this minute.
    with unit_of_work(session):
        found = token_service.authenticate(session, presented)
        decision = rate_limit.hit(session, f"api-token:{found.token_id}", limit) if limit else None
    g.api_identity = found
    # The request log names the user; nothing in the API reads current_user for a decision.
    g._login_user = CurrentUser(found.user)
    if decision is not None:
        g.api_rate = (limit, decision)
        if not decision.allowed:
            raise ApiProblem(
                429, f"This token may make {limit} requests a minute; wait {decision.retry_after} s.",
                kind="rate-limited", headers={"Retry-After": str(decision.retry_after)},
            )
    if request.method not in SAFE_METHODS and request.endpoint not in CHANGES_NOTHING and not found.can_write:
        raise ApiProblem(403, "This token is read-only; make a write token to change anything.", kind="read-only-token")


def _rate_headers(response: Response) -> Response:
    rate = g.get("api_rate")
    if rate is not None:
        limit, decision = rate
        remaining = max(0, limit - decision.hits)
        response.headers["RateLimit-Policy"] = f'"token";q={limit};w=60'
        response.headers["RateLimit"] = f'"token";r={remaining};t={decision.retry_after}'
    return response


def _stamp_write(response: Response) -> Response:
    """With a read replica, a successful write is stamped on its user before the answer leaves,
    so the client's next reads come from the primary (web/reads.py, read-your-writes)."""
    identity_now = g.get("api_identity")
    if (
        identity_now is None
        or request.method in SAFE_METHODS
        or request.endpoint in CHANGES_NOTHING
        or response.status_code >= 400
        or current_app.extensions.get("factcheck.replica") is None
    ):
        return response
    from ..web.reads import stamp_api_write

    try:
        stamp_api_write(identity_now.user_id)
    except Exception:  # noqa: BLE001 - the write itself is done; its reads may then lag
        log.exception("could not stamp the API write of user %s (their next reads may come from the standby)",
                      identity_now.user_id)
    return response


bp.before_request(_authenticate)
bp.after_request(_rate_headers)
bp.after_request(_stamp_write)


def init_app(app: Flask) -> None:
    """Register the API; call after the web's error handlers exist (it wraps them)."""
    from ..web import csrf
    from . import routes  # noqa: F401 - registers the views on bp

    csrf.exempt(bp)
    app.register_blueprint(bp)
    # Under /api/v1 every error is problem+json, also for paths and methods no API
    # view matched (those never reach the blueprint): wrap the app's handlers.
    for handlers in app.error_handler_spec[None].values():
        for exc_class, handler in list(handlers.items()):
            handlers[exc_class] = _api_aware(handler)
    app.register_error_handler(ApiProblem, lambda exc: api_error(exc))
