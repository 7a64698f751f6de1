"""Deferring a job for `factcheck worker` inside the caller's transaction.

The job row is inserted through the session's own connection, so it commits
or rolls back with the change that asked for it: a use case that fails leaves
no job behind, and a job never runs before the rows it reads are committed.
procrastinate supports this with an external connection (``connection=``)
on its SQLAlchemy/psycopg2 connector, which is then never opened: every
query it runs goes through the connection it is handed.

Jobs are deferred by name; the handlers live in factcheck/worker/ (services
do not import the worker).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.contrib.sqlalchemy import SQLAlchemyPsycopg2Connector
from sqlalchemy.orm import Session

# Task names as the worker registers them (namespace "factcheck", see factcheck/worker/app.py).
DISPATCH_EVENT = "factcheck:dispatch_event"
DELIVER_WEBHOOK = "factcheck:deliver_webhook"
SEND_EMAIL = "factcheck:send_email"
FILL_EVIDENCE_DETAILS = "factcheck:fill_evidence_details"
FETCH_LINK_IMPORT = "factcheck:fetch_link_import"

QUEUE = "factcheck"

_deferrer = procrastinate.App(connector=SQLAlchemyPsycopg2Connector())


def defer(
    session: Session,
    task_name: str,
    *,
    lock: str | None = None,
    queueing_lock: str | None = None,
    schedule_at: datetime | None = None,
    **task_kwargs: Any,
) -> int:
    """Queue ``task_name(**task_kwargs)`` in the session's transaction; return the job id.

    Jobs with the same ``lock`` never run at the same time; a job is refused
    (procrastinate's AlreadyEnqueued) while another with its ``queueing_lock`` waits."""
    return _deferrer.configure_task(
        task_name,
        connection=session.connection(),
        queue=QUEUE,
        lock=lock,
        queueing_lock=queueing_lock,
        schedule_at=schedule_at,
    ).defer(**task_kwargs)


def defer_once(session: Session, task_name: str, *, queueing_lock: str, **options: Any) -> bool:
    """``defer``, unless a job with this ``queueing_lock`` is already waiting: then nothing
    is queued and False is returned. The refusal is undone by a savepoint, so the caller's
    transaction goes on."""
    try:
        with session.begin_nested():
            defer(session, task_name, queueing_lock=queueing_lock, **options)
    except AlreadyEnqueued:
        return False
    return True