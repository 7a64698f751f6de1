"""Prometheus metrics (prometheus_client), served at /metrics behind FACTCHECK_METRICS_TOKEN.

Several gunicorn workers answer requests, each a process of its own, so the
values live in prometheus_client's multiprocess mode: every worker writes its
counts to memory-mapped files in PROMETHEUS_MULTIPROC_DIR and /metrics, on
whichever worker it lands, adds up the files of all of them.
factcheck/gunicorn_conf.py sets that folder up (empty at each start; a dead
worker's gauges are dropped by its child_exit hook). Without the variable
(tests, ``flask run``) the values are the one process's own.

prometheus_client chooses between the two when it is first imported, so this
module imports it only when a metric is first used (in a worker, after the
fork, when the gunicorn configuration has set the variable), never at import.

Metrics (labels are bounded: endpoint names, not paths):

  factcheck_http_request_duration_seconds{endpoint, method, status}  histogram
      status is the class (2xx, 3xx, 4xx, 5xx); endpoint is Flask's endpoint
      name, "unmatched" for a URL no route matches.
  factcheck_db_pool_checked_out     connections handed out now (summed over live workers)
  factcheck_db_pool_size            the pools' permanent size (summed over live workers)
  factcheck_login_throttle_total{event, scope}
      event "blocked": a failed log-in started a block; "refused": an attempt
      was refused because a block was running. scope: pair, address, account.
  factcheck_db_routed_reads_total{target, reason}
      requests to the views that may read from the standby (factcheck/replica.py),
      by where they read: target "replica" (reason "ok") or "primary", with
      reason "own_write" (read-your-writes), "lag", "down", "not_standby" or
      "error" (a fallback).

Read from the database when /metrics is scraped (the job queue is shared by
every worker on every host, so no process counts it alone), each count
through a partial index and capped at JOB_COUNT_CAP:

  factcheck_jobs{status}            jobs of `factcheck worker`'s queue: "todo"
      (waiting), "doing" (running, or held by a dead worker until retried),
      "failed" (failed for good: no retry left).
  factcheck_jobs_oldest_waiting_seconds   age of the oldest waiting job (0 when none).
  factcheck_webhook_deliveries{status}    "pending" (queued or waiting for a
      retry) and "failed" (every attempt failed; an admin may redeliver).
"""

from __future__ import annotations

import os
import threading
from types import SimpleNamespace

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

_lock = threading.Lock()
_metrics: SimpleNamespace | None = None


def get() -> SimpleNamespace:
    """The metric objects, made on first use (see the module's note on import order)."""
    global _metrics
    if _metrics is not None:
        return _metrics
    with _lock:
        if _metrics is None:
            from prometheus_client import Counter, Gauge, Histogram

            _metrics = SimpleNamespace(
                request_seconds=Histogram(
                    "factcheck_http_request_duration_seconds",
                    "Time to answer a request, by endpoint, method and status class.",
                    ["endpoint", "method", "status"],
                    buckets=BUCKETS,
                ),
                pool_checked_out=Gauge(
                    "factcheck_db_pool_checked_out",
                    "Database connections checked out of the pools now.",
                    multiprocess_mode="livesum",
                ),
                pool_size=Gauge(
                    "factcheck_db_pool_size",
                    "Permanent size of the database pools (overflow not counted).",
                    multiprocess_mode="livesum",
                ),
                login_throttle=Counter(
                    "factcheck_login_throttle",
                    "Log-in throttling: blocks started and attempts refused while blocked.",
                    ["event", "scope"],
                ),
                routed_reads=Counter(
                    "factcheck_db_routed_reads",
                    "Requests of the lag-tolerant views, by the database they read from and why.",
                    ["target", "reason"],
                ),
            )
    return _metrics


def count_routed_read(target: str, reason: str) -> None:
    get().routed_reads.labels(target, reason).inc()


def count_login_throttle(event: str, scope: str) -> None:
    get().login_throttle.labels(event, scope).inc()


def render(engine=None) -> tuple[bytes, str]:
    """The exposition text of every worker's metrics (or this process's), and its content type;
    with ``engine``, also the job queue's and webhook deliveries' counts, read from the database."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    get()
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    body = generate_latest(registry)
    if engine is not None:
        queue = CollectorRegistry()
        queue.register(_QueueCollector(engine))
        body += generate_latest(queue)
    return body, CONTENT_TYPE_LATEST


# --- the job queue, read at scrape time -----------------------------------------

JOB_COUNT_CAP = 100_000

_QUEUE_SQL = f"""
SELECT
  (SELECT count(*) FROM (SELECT 1 FROM procrastinate_jobs WHERE status = 'todo' LIMIT {JOB_COUNT_CAP}) t),
  (SELECT count(*) FROM (SELECT 1 FROM procrastinate_jobs WHERE status = 'doing' LIMIT {JOB_COUNT_CAP}) t),
  (SELECT count(*) FROM (SELECT 1 FROM procrastinate_jobs WHERE status = 'failed' LIMIT {JOB_COUNT_CAP}) t),
  (SELECT extract(epoch FROM now() - e.at) FROM procrastinate_events e
    WHERE e.type = 'deferred' AND e.job_id = (SELECT min(id) FROM procrastinate_jobs WHERE status = 'todo')
    ORDER BY e.at LIMIT 1),
  (SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'pending' LIMIT {JOB_COUNT_CAP}) t),
  (SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'failed' LIMIT {JOB_COUNT_CAP}) t)
"""


class _QueueCollector:
    def __init__(self, engine):
        self.engine = engine

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily
        from sqlalchemy import text

        with self.engine.connect() as conn:
            todo, doing, failed, oldest, pending, undelivered = conn.execute(text(_QUEUE_SQL)).one()
        jobs = GaugeMetricFamily(
            "factcheck_jobs", f"Jobs of the worker queue by status (counted up to {JOB_COUNT_CAP:,}).", labels=["status"]
        )
        for status, value in (("todo", todo), ("doing", doing), ("failed", failed)):
            jobs.add_metric([status], value)
        yield jobs
        yield GaugeMetricFamily(
            "factcheck_jobs_oldest_waiting_seconds", "Age of the oldest job waiting in the queue (0 when none).",
            value=float(oldest or 0),
        )
        deliveries = GaugeMetricFamily(
            "factcheck_webhook_deliveries",
            f"Webhook deliveries not delivered, by status (counted up to {JOB_COUNT_CAP:,}).", labels=["status"],
        )
        deliveries.add_metric(["pending"], pending)
        deliveries.add_metric(["failed"], undelivered)
        yield deliveries


# --- the database pool --------------------------------------------------------

def _on_checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    get().pool_checked_out.inc()


def _on_checkin(dbapi_connection, connection_record) -> None:
    get().pool_checked_out.dec()


def watch_pool(engine) -> None:
    """Count the engine's checkouts and publish its size; once per engine."""
    from sqlalchemy import event

    pool = engine.pool
    if event.contains(pool, "checkout", _on_checkout):
        return
    event.listen(pool, "checkout", _on_checkout)
    event.listen(pool, "checkin", _on_checkin)
    size = getattr(pool, "size", None)
    if callable(size):
        get().pool_size.inc(size())
