"""The job handlers. Each is thin: it opens a session and calls a service.

Registered on the worker's app under the namespace "factcheck" (app.py), so
their names are "factcheck:<name>", as factcheck/services/jobs.py defers them.
Every task is safe to run twice: a job whose worker died is run again.
"""

from __future__ import annotations

from typing import Any

import procrastinate
from procrastinate.retry import BaseRetryStrategy, RetryDecision

from ..services import events, evidence_details, link_imports, notifications, webhooks

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
    """Fan an outbox event out: its webhook deliveries and e-mails (one job each)."""
    smtp = context.additional_context.get("smtp")
    with _database(context).session() as session:
        return events.dispatch(session, event_id, email=smtp is not None)


@bp.task(name="deliver_webhook", pass_context=True, retry=RetryForADay())
def deliver_webhook(context, delivery_id: int) -> dict[str, Any]:
    """One signed POST of one event to one endpoint; a failure raises and is retried."""
    with _database(context).session() as session:
        return webhooks.deliver(session, delivery_id, attempt=context.job.attempts)


@bp.task(name="send_email", pass_context=True, retry=RetryForADay())
def send_email(context, event_id: str, user_id: int) -> dict[str, Any]:
    """One notification e-mail; a mail server that refuses or does not answer is retried."""
    smtp = context.additional_context.get("smtp")
    if smtp is None:
        return {"event_id": event_id, "user_id": user_id, "skipped": "no FACTCHECK_SMTP_HOST"}
    with _database(context).session() as session:
        return notifications.send_notification(
            session, event_id, user_id, smtp, context.additional_context.get("public_url")
        )


@bp.task(name="fill_evidence_details", pass_context=True, retry=procrastinate.RetryStrategy(max_attempts=3, wait=10))
def fill_evidence_details(context, evidence_id: int) -> dict[str, Any]:
    """Fill in the title, publisher and date a reviewer left blank, from the evidence's page.
    A page that cannot be fetched is a note on the evidence, not a retry; only a database
    error raises (and is retried)."""
    with _database(context).session() as session:
        return evidence_details.fill_evidence_details(session, evidence_id)


@bp.task(name="fetch_link_import", pass_context=True, retry=procrastinate.RetryStrategy(max_attempts=3, wait=10))
def fetch_link_import(context, link_import_id: int) -> dict[str, Any]:
    """Fetch and extract the page a user asked to import from a link, and store the result
    for their review. A page that cannot be fetched is the import's message, not a retry;
    only a database error raises (and is retried)."""
    with _database(context).session() as session:
        return link_imports.run_link_import(session, link_import_id)
