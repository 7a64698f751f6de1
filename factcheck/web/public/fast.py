"""The public fact-check page's two busiest answers, given before Flask's request machinery.

When a check is shared, nearly every request for its page is one of two
answers: a 304 to a reader, proxy or CDN revalidating its copy, or the page a
worker keeps by its ETag (page_cache.py). Both need one statement (the count of
the client's request and the read of the publication's head, routes.count_and_read)
and a few headers. Through Flask they also paid for a request context, URL
matching, the session interface, the before- and after-request functions of
every blueprint and a Response object: more than the statement itself.

FastPath wraps the app's WSGI callable (inside ProxyFix, so REMOTE_ADDR is the
client's) and answers those two itself, with the same headers as the view
(tests/test_public_fast_path.py compares them), the same log line and latency
metric (observe.record) and the same count. Everything else goes to Flask:
another method or path, a query string, an id out of range, a replica router
(the head is then read on the standby, web/reads.py), no autocommit pool (the
tests' shared transaction). A request it counted but cannot answer (refused by
the rate limit, not found, an old slug, a page no worker keeps yet) goes to
Flask with its count and head in the environ (routes.COUNTED), so the view
answers it without counting it again.
"""

from __future__ import annotations

import logging
import re
from datetime import timezone

from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import SecurityError
from werkzeug.http import http_date, quote_etag
from werkzeug.wsgi import get_host

from ...services import publishing
from .. import SECURITY_HEADERS, observe
from . import routes

log = logging.getLogger(__name__)

_PATH = re.compile(r"/fact-checks/([1-9][0-9]{0,9})-([a-z0-9][a-z0-9-]{0,199})\Z")
_CACHE_CONTROL = ("Cache-Control", f"public, max-age={routes.MAX_AGE}")
_SECURITY = [(name, value) for _lower, name, value in SECURITY_HEADERS]
ENDPOINT = "public.fact_check"


class FastPath:
    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and not environ.get("QUERY_STRING"):
            match = _PATH.match(environ.get("PATH_INFO") or "")
            if match is not None:
                try:
                    answer = self._answer(environ, int(match[1]), match[2])
                except DBAPIError as exc:  # the view raises it again: the app's error page (503), no second try
                    environ[routes.FAILED] = exc
                    answer = None
                except Exception:  # noqa: BLE001 - Flask answers it, with its error pages
                    log.warning("the public page's fast path failed; Flask answers the request", exc_info=True)
                    answer = None
                if answer is not None:
                    status, headers, body = answer
                    start_response(status, headers)
                    return [body]
        return self.wsgi_app(environ, start_response)

    def _answer(self, environ, claim_id: int, slug: str):
        app = self.app
        database = app.extensions["factcheck.db"]
        if (
            claim_id > routes.MAX_ID
            or database.autocommit_engine is None
            or app.extensions.get("factcheck.replica") is not None
        ):
            return None
        trusted = app.config.get("TRUSTED_HOSTS")
        if trusted:
            try:
                get_host(environ, trusted)
            except SecurityError:
                return None  # Flask answers 400, as to any request for another host
        timing = observe.start(environ)
        limit = app.config.get("PUBLIC_RATE_LIMIT") or 0
        decision, row = counted = routes.count_and_read(database, environ.get("REMOTE_ADDR"), limit, claim_id)
        environ[routes.COUNTED] = counted  # should Flask answer after all
        if row is None or (decision is not None and not decision.allowed):
            return None
        head = publishing.head_from_row(claim_id, row)
        if head.slug != slug:
            return None
        etag = routes.page_etag(app, head)
        modified = head.modified_at.astimezone(timezone.utc)
        if routes.not_modified(environ, etag, modified):
            status, code, body = "304 NOT MODIFIED", 304, b""
            headers = [("ETag", quote_etag(etag)), _CACHE_CONTROL]
        else:
            body = routes.page_cache(app).get(etag)
            if body is None:
                return None  # drawn by the view, which keeps it for the next request
            status, code = "200 OK", 200
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("ETag", quote_etag(etag)),
                ("Last-Modified", http_date(modified)),
                _CACHE_CONTROL,
            ]
        headers.extend(_SECURITY)
        headers.append((observe.REQUEST_ID_HEADER, timing.request_id))
        environ.pop(routes.COUNTED, None)
        observe.record(timing, ENDPOINT, "GET", environ["PATH_INFO"], code)
        return status, headers, body
