"""The worker process: procrastinate's worker on our queue, our tasks, one log line per job.

* Connections: procrastinate's own (psycopg 3, async) for the queue, with
  LISTEN/NOTIFY so a new job starts at once; our SQLAlchemy engine (psycopg2,
  every statement under the statement timeout) for what the tasks read and write.
* Concurrency: up to ``concurrency`` jobs at a time in this process (sync tasks
  run in threads); start as many processes as needed, on any host.
* Crashes: a job is never lost. A job that raises is retried by its task's
  retry strategy; a job whose worker died (kill -9, a lost host) stays
  "doing" in the table, and any worker retries it once that worker has sent
  no heartbeat for ``stalled_after`` seconds. So a job may run again after a
  crash: tasks are written to be safe to repeat (webhook receivers
  de-duplicate by the webhook-id header).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from time import perf_counter
from typing import Any

import procrastinate
from sqlalchemy import make_url

from ..config import load_settings, smtp_settings
from ..db import Database
from . import feed_tasks, tasks

log = logging.getLogger("factcheck.worker")
job_log = logging.getLogger("factcheck.job")

NAMESPACE = "factcheck"  # task names are "factcheck:<name>" (factcheck/services/jobs.py)


def conninfo(url: str) -> str:
    """A libpq URL for psycopg 3 from our DATABASE_URL (which may name a SQLAlchemy driver)."""
    parsed = make_url(url)
    if "+" in parsed.drivername:
        parsed = parsed.set(drivername=parsed.drivername.split("+", 1)[0])
    return parsed.render_as_string(hide_password=False)


def build_app(url: str, *, pool_size: int = 4) -> procrastinate.App:
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(url),
        min_size=1,
        max_size=pool_size,
        kwargs={"application_name": "factcheck-worker", "connect_timeout": 5},
    )
    app = procrastinate.App(connector=connector)
    app.add_tasks_from(tasks.bp, namespace=NAMESPACE)
    app.add_tasks_from(feed_tasks.bp, namespace=NAMESPACE)
    return app


async def log_job(call_next, context, worker) -> Any:
    """One JSON line per job run (logger factcheck.job), in the shape of the request line:
    job_id, task, queue, attempt (1 for the first run), status (succeeded, retry, failed),
    duration_ms, error, and the fields the task reported (``tasks.report``)."""
    job = context.job
    started = perf_counter()
    fields: dict[str, Any] = {
        "job_id": job.id,
        "task": job.task_name,
        "queue": job.queue,
        "attempt": job.attempts + 1,
        "worker_id": worker.worker_id,
    }
    try:
        result = await call_next()
    except BaseException as exc:
        task = worker.app.tasks.get(job.task_name)
        retry = task.get_retry_exception(exception=exc, job=job) if task else None
        fields["status"] = "retry" if retry else "failed"
        if retry is not None and retry.retry_decision.retry_at is not None:
            fields["retry_at"] = retry.retry_decision.retry_at.isoformat()
        fields["error"] = f"{type(exc).__name__}: {exc}"[:500]
        fields.update(getattr(exc, "log_fields", {}) or {})
        fields["duration_ms"] = round((perf_counter() - started) * 1000, 2)
        job_log.log(logging.WARNING if retry else logging.ERROR, "job", extra={"fields": fields})
        raise
    fields["status"] = "succeeded"
    quiet = False
    if isinstance(result, dict):
        # A routine run that did nothing (the feed scheduler's tick with no feed due)
        # is logged at DEBUG, so that an idle worker's log stays empty.
        quiet = bool(result.get("quiet"))
        fields.update((k, v) for k, v in result.items() if k != "quiet")
    fields["duration_ms"] = round((perf_counter() - started) * 1000, 2)
    job_log.log(logging.DEBUG if quiet else logging.INFO, "job", extra={"fields": fields})
    return result


async def retry_stalled_jobs(app: procrastinate.App, stalled_after: float) -> int:
    """Put back in the queue the jobs of workers that stopped sending heartbeats."""
    retried = 0
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        try:
            await app.job_manager.retry_job(job)
        except Exception as exc:  # noqa: BLE001 - another worker retried it first
            log.debug("stalled job %s not retried here: %s", job.id, exc)
            continue
        retried += 1
        log.warning(
            "job retried: its worker stopped sending heartbeats",
            extra={"fields": {"job_id": job.id, "task": job.task_name, "stalled_worker_id": job.worker_id}},
        )
    await app.job_manager.prune_stalled_workers(stalled_after)
    return retried


async def _watch_stalled(app: procrastinate.App, stalled_after: float) -> None:
    while True:
        try:
            await retry_stalled_jobs(app, stalled_after)
        except Exception:  # noqa: BLE001 - a database hiccup must not stop the worker
            log.exception("could not look for stalled jobs")
        await asyncio.sleep(max(0.5, stalled_after / 2))


async def run_async(
    url: str,
    database: Database,
    *,
    concurrency: int = 4,
    poll: float = 2.0,
    stalled_after: float = 60.0,
    once: bool = False,
    install_signal_handlers: bool = True,
) -> None:
    """Run jobs until stopped (SIGINT/SIGTERM finish the running jobs first), or with
    ``once`` until no job is due."""
    app = build_app(url, pool_size=concurrency + 2)
    name = f"{socket.gethostname()}:{os.getpid()}"
    async with app.open_async():
        watcher = asyncio.create_task(_watch_stalled(app, stalled_after))
        try:
            await app.run_worker_async(
                name=name,
                concurrency=concurrency,
                wait=not once,
                fetch_job_polling_interval=poll,
                update_heartbeat_interval=max(0.2, stalled_after / 4),
                stalled_worker_timeout=stalled_after,
                install_signal_handlers=install_signal_handlers,
                additional_context={
                    "database": database,
                    "smtp": smtp_settings(),
                    "public_url": load_settings().public_url,
                },
                delete_jobs="successful",  # our own tables keep what happened (deliveries, attempts)
                worker_middleware=[log_job],
            )
        finally:
            watcher.cancel()
            try:
                await watcher
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass


def run(url: str, database: Database, **options: Any) -> None:
    asyncio.run(run_async(url, database, **options))
