"""The public fact-check page's answers, given before Flask's request machinery.

When a check is shared, nearly every request for its page is a 304 to a reader,
proxy or CDN revalidating its copy, or the page a worker keeps by its ETag
(page_cache.py); a crawler walking every check asks for pages no worker keeps.
All three need the count of the client's request and the read of the
publication's head (one statement, routes.count_and_read), and the third the
snapshot too, read on the same connection and drawn by page.draw. Through Flask
they also paid for a request context, URL matching, the session interface, the
before- and after-request functions of every blueprint and a Response object:
more than the statements themselves.

FastPath wraps the app's WSGI callable (inside ProxyFix, so REMOTE_ADDR is the
client's) and answers those itself, with the same headers and page as the view
(tests/test_public_fast_path.py compares them), the same log line and latency
metric (observe.record) and the same count. Everything else goes to Flask:
another method or path, a query string, an id out of range, a replica router
(the head is then read on the standby, web/reads.py), no autocommit pool (the
tests' shared transaction). A request it counted but cannot answer (refused by
the rate limit, not found, an old slug) goes to Flask with its count and head in
the environ (routes.COUNTED), so the view answers it without counting it again.
"""

from __future__ import annotations

import logging
import re
from datetime import timezone

from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import SecurityError
from werkzeug.http import http_date, quote_etag
from werkzeug.wsgi import get_host

from ... import db
from ...services import publishing
from .. import SECURITY_HEADERS, observe
from . import routes

log = logging.getLogger(__name__)

_PATH = re.compile(r"/fact-checks/([1-9][0-9]{0,9})-([a-z0-9][a-z0-9-]{0,199})\Z")
_CACHE_CONTROL = ("Cache-Control", f"public, max-age={routes.MAX_AGE}")
_SECURITY = [(name, value) for _lower, name, value in SECURITY_HEADERS]
ENDPOINT = "public.fact_check"
NOT_MODIFIED = object()  # the client's copy is current


def _script_root(environ) -> str:
    """Where the app is mounted, as Werkzeug's request.script_root reads it."""
    return (environ.get("SCRIPT_NAME") or "").encode("latin-1").decode(errors="replace").rstrip("/")


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
        cache = routes.page_cache(app)
        script_root = _script_root(environ)

        def read(connection, row):
            """After the count and the head, on the same connection: what the answer needs."""
            environ[routes.COUNTED] = (None, row)  # counted and allowed: should this fail, Flask counts nothing more
            head = publishing.head_from_row(claim_id, row)
            if head.slug != slug:
                return None  # a 301, by the view
            etag = routes.page_etag(app, head, script_root)
            if routes.not_modified(environ, etag, head.modified_at.astimezone(timezone.utc)):
                return head, etag, NOT_MODIFIED
            body = cache.get(etag)
            if body is not None:
                return head, etag, body
            # No page kept for this ETag: the snapshot, to draw it.
            snapshot_row = db.fetch_prepared(connection, *publishing.snapshot_query(claim_id))
            observe.one_more_query()
            return head, etag, snapshot_row

        decision, row, found = routes.count_and_read(database, environ.get("REMOTE_ADDR"), limit, claim_id, then=read)
        environ[routes.COUNTED] = (decision, row)  # should Flask answer after all
        if found is None:
            return None  # not found, refused (429) or an old slug: the view's pages
        head, etag, body = found
        modified = head.modified_at.astimezone(timezone.utc)
        if body is NOT_MODIFIED:
            status, code, body = "304 NOT MODIFIED", 304, b""
            headers = [("ETag", quote_etag(etag)), _CACHE_CONTROL]
        else:
            if not isinstance(body, bytes):
                if body is None:
                    return None  # taken down since the head was read: the view's 404
                snapshot = publishing.snapshot_from_row(claim_id, body)
                if snapshot.slug != slug:
                    return None  # re-published under another slug since: the view's 301
                etag, modified, body = routes.draw_and_keep(app, snapshot, script_root)
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
