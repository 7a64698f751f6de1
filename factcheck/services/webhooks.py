"""Webhooks: endpoints an admin registers, and the signed delivery of events to them.

Signing follows the Standard Webhooks convention (standardwebhooks.com), so a
receiver can use any of its libraries or the few lines in the README:

    webhook-id:        the event's id (the same on every retry: de-duplicate by it)
    webhook-timestamp: seconds since the epoch when this attempt was sent
    webhook-signature: "v1," + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}"))

where ``key`` is the base64-decoded part of the secret after ``whsec_``.

A delivery is tried by the worker (task ``factcheck:deliver_webhook``); a
failed attempt (no 2xx answer within the time limits) is retried on the
schedule of ``retry_delays`` (doubling from FACTCHECK_WEBHOOK_RETRY_SECONDS,
default 10 s, at most 4 h apart) for up to a day, then the delivery is marked
failed; an admin sees failures and can deliver again. Every attempt is
logged with its status code, response time and error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import secrets
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import any_, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, joinedload

from ..models import DeliveryStatus, Event, EventType, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from . import jobs
from .errors import InvalidTransition, NotFound, ValidationFailed
from .paging import Keyset, Page, SortKey, fetch_page
from .permissions import Permission, require
from .unit import unit_of_work, use_case
from .users import active_user
from .validation import http_url_problem, normalise_url

SECRET_PREFIX = "whsec_"
CONNECT_TIMEOUT = 5.0  # seconds to connect and between any two reads
TOTAL_TIMEOUT = 10.0  # seconds for a whole attempt, answer included
MAX_ANSWER_BYTES = 64 * 1024  # what is read of an answer (the status is what counts)
RETRY_CAP = 4 * 3600.0
RETRY_WINDOW = 24 * 3600.0
USER_AGENT = "factcheck-webhooks/1"

EVENT_TYPES = [t.value for t in EventType]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# --- signing ------------------------------------------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header value for one attempt."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")


def event_body(event: Event) -> bytes:
    """What every endpoint receives for ``event`` (the same bytes on every attempt)."""
    document = {
        "id": str(event.id),
        "type": event.type,
        "timestamp": event.created_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
        "data": {
            "claim_id": event.claim_id,
            "article_id": event.article_id,
            "actor_id": event.actor_id,
            **event.payload,
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


# --- retry schedule -----------------------------------------------------------


def retry_delays(first: float | None = None) -> list[float]:
    """Seconds to wait before each retry: doubling from ``first``, at most RETRY_CAP apart,
    all within RETRY_WINDOW of the first attempt."""
    if first is None:
        first = float(os.environ.get("FACTCHECK_WEBHOOK_RETRY_SECONDS") or 10)
    delays: list[float] = []
    delay, total = max(first, 0.01), 0.0
    while total + delay <= RETRY_WINDOW:
        delays.append(delay)
        total += delay
        delay = min(delay * 2, RETRY_CAP)
    return delays


# --- endpoints (admin) ------------------------------------------------------------


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once


def _clean_endpoint(url: str, event_types: list[str], description: str | None) -> tuple[str, list[str], str | None]:
    errors: dict[str, list[str]] = {}
    url = normalise_url(url or "")
    problem = http_url_problem(url)
    if problem:
        errors["url"] = [problem]
    chosen = sorted(set(event_types or []))
    unknown = [t for t in chosen if t not in EVENT_TYPES]
    if not chosen or unknown:
        errors["event_types"] = ["Choose at least one of the listed events."]
    description = (description or "").strip() or None
    if description and len(description) > 200:
        errors["description"] = ["Use at most 200 characters."]
    if errors:
        raise ValidationFailed(errors)
    return url, chosen, description


@use_case
def register_endpoint(
    session: Session, actor_id: int | None, url: str, event_types: list[str], description: str | None = None
) -> NewEndpoint:
    """A new endpoint and its signing secret (returned once; ``actor_id`` None is the command line)."""
    if actor_id is not None:
        require(active_user(session, actor_id), Permission.MANAGE_WEBHOOKS)
    url, event_types, description = _clean_endpoint(url, event_types, description)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        url=url, event_types=event_types, description=description, secret=secret, active=True, created_by_id=actor_id
    )
    session.add(endpoint)
    session.flush()
    return NewEndpoint(endpoint, secret)


def list_endpoints(session: Session, actor_id: int | None) -> list[WebhookEndpoint]:
    if actor_id is not None:
        require(active_user(session, actor_id), Permission.MANAGE_WEBHOOKS)
    return list(session.execute(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).scalars())


@use_case
def remove_endpoint(session: Session, actor_id: int | None, endpoint_id: int) -> WebhookEndpoint:
    """Delete an endpoint with its deliveries and their log."""
    if actor_id is not None:
        require(active_user(session, actor_id), Permission.MANAGE_WEBHOOKS)
    endpoint = session.get(WebhookEndpoint, endpoint_id, with_for_update=True)
    if endpoint is None:
        raise NotFound(f"No webhook #{endpoint_id}.")
    session.delete(endpoint)
    session.flush()
    return endpoint


# --- deliveries (admin) -----------------------------------------------------------

DELIVERY_ORDER = Keyset("webhook_failures", SortKey(WebhookDelivery.id, int, descending=True))


@dataclass(frozen=True)
class FailurePage:
    rows: list[WebhookDelivery]
    nav: Page


def failed_deliveries(session: Session, actor_id: int, *, cursor: str | None = None, per_page: int = 50) -> FailurePage:
    """Deliveries that used up their retries, newest first, a page at a time."""
    require(active_user(session, actor_id), Permission.MANAGE_WEBHOOKS)
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.status == DeliveryStatus.FAILED.value)
        .options(joinedload(WebhookDelivery.endpoint), joinedload(WebhookDelivery.event))
    )
    page = fetch_page(session, stmt, DELIVERY_ORDER, cursor, per_page)
    return FailurePage([row[0] for row in page.rows], page)


def recent_attempts(session: Session, delivery_ids: list[int], per_delivery: int = 5) -> dict[int, list[WebhookAttempt]]:
    """The latest attempts of each delivery (newest first), in one query."""
    if not delivery_ids:
        return {}
    ranked = (
        select(
            WebhookAttempt.id,
            func.row_number().over(partition_by=WebhookAttempt.delivery_id, order_by=WebhookAttempt.id.desc()).label("n"),
        )
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .subquery()
    )
    rows = session.execute(
        select(WebhookAttempt)
        .join(ranked, ranked.c.id == WebhookAttempt.id)
        .where(ranked.c.n <= per_delivery)
        .order_by(WebhookAttempt.delivery_id, WebhookAttempt.id.desc())
    ).scalars()
    out: dict[int, list[WebhookAttempt]] = {}
    for attempt in rows:
        out.setdefault(attempt.delivery_id, []).append(attempt)
    return out


@use_case
def redeliver(session: Session, actor_id: int | None, delivery_id: int) -> WebhookDelivery:
    """Try a failed delivery again, with a fresh retry schedule."""
    if actor_id is not None:
        require(active_user(session, actor_id), Permission.MANAGE_WEBHOOKS)
    delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:
        raise NotFound(f"No webhook delivery #{delivery_id}.")
    if delivery.status != DeliveryStatus.FAILED.value:
        raise InvalidTransition("Only a failed delivery can be sent again; this one is still being tried or arrived.")
    delivery.status = DeliveryStatus.PENDING.value
    delivery.next_attempt_at = utcnow()
    _queue_delivery(session, delivery.id)
    return delivery


def _queue_delivery(session: Session, delivery_id: int) -> None:
    # The lock keeps two jobs of one delivery from running at once (a redelivery beside a retry).
    jobs.defer(session, jobs.DELIVER_WEBHOOK, lock=f"webhook-delivery-{delivery_id}", delivery_id=delivery_id)


# --- the worker's side ----------------------------------------------------------------


def queue_deliveries(session: Session, event: Event) -> list[int]:
    """One delivery (and its job) per active endpoint that wants ``event``; the caller commits.

    Safe to repeat: a delivery that exists already is not made (or queued) twice."""
    endpoint_ids = list(
        session.execute(
            select(WebhookEndpoint.id).where(
                WebhookEndpoint.active.is_(True), literal(event.type) == any_(WebhookEndpoint.event_types)
            )
        ).scalars()
    )
    if not endpoint_ids:
        return []
    created = list(
        session.execute(
            insert(WebhookDelivery)
            .values([{"endpoint_id": e, "event_id": event.id, "status": DeliveryStatus.PENDING.value} for e in endpoint_ids])
            .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
            .returning(WebhookDelivery.id)
        ).scalars()
    )
    for delivery_id in created:
        _queue_delivery(session, delivery_id)
    return created


class DeliveryFailed(Exception):
    """One attempt did not get a 2xx answer; the job is retried on the schedule."""

    def __init__(self, message: str, log_fields: dict[str, Any]):
        super().__init__(message)
        self.log_fields = log_fields


@dataclass(frozen=True)
class Answer:
    status: int | None
    error: str | None
    duration_ms: float


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body``; never raises for a network problem (it is the answer's error).

    Bounded: CONNECT_TIMEOUT for connecting and for each read, and TOTAL_TIMEOUT for
    the whole attempt, enforced by a timer that shuts the socket (a receiver that
    drips its answer a byte at a time cannot hold a worker thread)."""
    started = time.monotonic()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Answer(None, "refused: only http:// and https:// addresses are delivered to", 0.0)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=CONNECT_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CONNECT_TIMEOUT)
    expired = threading.Event()

    def cut() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked read at once (close() would not)
            except OSError:
                pass

    watchdog = threading.Timer(TOTAL_TIMEOUT, cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        read = 0
        while read < MAX_ANSWER_BYTES:
            chunk = response.read(8192)
            if not chunk:
                break
            read += len(chunk)
        if expired.is_set():
            raise TimeoutError(f"no whole answer within {TOTAL_TIMEOUT:g} s")
        status, error = response.status, None
        if not 200 <= status < 300:
            error = f"HTTP {status} {response.reason}"[:300]
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if expired.is_set():
            exc = TimeoutError(f"no whole answer within {TOTAL_TIMEOUT:g} s")
        status, error = None, f"{type(exc).__name__}: {exc}"[:300]
    finally:
        watchdog.cancel()
        connection.close()
    return Answer(status, error, round((time.monotonic() - started) * 1000, 2))


def deliver(session: Session, delivery_id: int, attempt: int) -> dict[str, Any]:
    """Make attempt number ``attempt`` (0 for the first) of a delivery and log it.

    Returns the fields for the job's log line; raises DeliveryFailed when the
    attempt failed (the job is then retried, unless it was the last attempt,
    which marks the delivery failed)."""
    with unit_of_work(session):
        delivery = session.execute(
            select(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .options(joinedload(WebhookDelivery.endpoint), joinedload(WebhookDelivery.event))
        ).scalar_one_or_none()
        if delivery is None or delivery.status == DeliveryStatus.DELIVERED.value:
            return {"delivery_id": delivery_id, "skipped": True}
        endpoint, event = delivery.endpoint, delivery.event
        body = event_body(event)
        message_id = str(event.id)
        url, secret = endpoint.url, endpoint.secret
    # No transaction is held open while the receiver answers.
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
    answer = post(url, body, headers)
    delays = retry_delays()
    fields = {
        "delivery_id": delivery_id,
        "endpoint_id": endpoint.id,
        "event_id": message_id,
        "event_type": event.type,
        "http_status": answer.status,
        "response_ms": answer.duration_ms,
    }
    with unit_of_work(session):
        delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if delivery is None:
            return {**fields, "skipped": True}
        now = utcnow()
        session.add(
            WebhookAttempt(
                delivery_id=delivery_id, status_code=answer.status, duration_ms=answer.duration_ms, error=answer.error
            )
        )
        delivery.attempts += 1
        delivery.last_status_code = answer.status
        delivery.last_error = answer.error
        delivery.last_attempt_at = now
        if answer.error is None:
            delivery.status = DeliveryStatus.DELIVERED.value
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif attempt >= len(delays):
            delivery.status = DeliveryStatus.FAILED.value
            delivery.next_attempt_at = None
        else:
            delivery.status = DeliveryStatus.PENDING.value
            delivery.next_attempt_at = now + timedelta(seconds=delays[attempt])
    if answer.error is not None:
        raise DeliveryFailed(answer.error, fields)
    return fields


def failure_count(session: Session) -> int:
    return session.execute(
        select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == DeliveryStatus.FAILED.value)
    ).scalar_one()


__all__ = [
    "DeliveryFailed",
    "EVENT_TYPES",
    "deliver",
    "queue_deliveries",
    "failed_deliveries",
    "list_endpoints",
    "new_secret",
    "redeliver",
    "register_endpoint",
    "remove_endpoint",
    "retry_delays",
    "signature",
]

