"""The job handlers. Each is thin: it opens a session and calls a service.

Registered on the worker's app under the namespace "factcheck" (app.py), so
their names are "factcheck:<name>", as factcheck/services/jobs.py defers them.
Every task is safe to run twice: a job whose worker died is run again.
"""

from __future__ import annotations

from typing import Any

import procrastinate
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from ..services import webhooks

bp = procrastinate.Blueprint()


class RetryForADay(BaseRetryStrategy):
    """Exponential backoff on the webhook schedule (services.webhooks.retry_delays), read
    when a job fails so that FACTCHECK_WEBHOOK_RETRY_SECONDS applies to a running worker."""

    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        delays = webhooks.retry_delays()
        if job.attempts >= len(delays):
            return None
        return RetryDecision(retry_in={"seconds": delays[job.attempts]})


def _database(context):
    return context.additional_context["database"]


@bp.task(name="dispatch_event", pass_context=True, retry=RetryForADay())
def dispatch_event(context, event_id: str) -> dict[str, Any]:
    """Fan an outbox event out to its webhook deliveries (one job each)."""
    with _database(context).session() as session:
        created = webhooks.fan_out(session, event_id)
    return {"event_id": event_id, "deliveries": len(created)}


@bp.task(name="deliver_webhook", pass_context=True, retry=RetryForADay())
def deliver_webhook(context, delivery_id: int) -> dict[str, Any]:
    """One signed POST of one event to one endpoint; a failure raises and is retried."""
    with _database(context).session() as session:
        return webhooks.deliver(session, delivery_id, attempt=context.job.attempts)
