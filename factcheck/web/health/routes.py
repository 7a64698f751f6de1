from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    engine = current_app.extensions["factcheck.db"].engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError:
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/metrics")
def metrics():
    """Prometheus metrics of every worker, for a scraper holding FACTCHECK_METRICS_TOKEN.

    Not there at all (404) when no token is set; a missing or wrong token is a 401.
    """
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "")
    scheme, _, credentials = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        credentials.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8")
    ):
        return (
            "401 Unauthorized: send the metrics token as 'Authorization: Bearer TOKEN'.\n",
            401,
            {"WWW-Authenticate": 'Bearer realm="metrics"', "Content-Type": "text/plain; charset=utf-8"},
        )
    from ... import metrics as factcheck_metrics

    body, content_type = factcheck_metrics.render(current_app.extensions["factcheck.db"].engine)
    return Response(body, content_type=content_type)
