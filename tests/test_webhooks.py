"""Webhooks (issue 15): signed deliveries to a real receiver on 127.0.0.1 that fails on
purpose, retried with backoff by a real `factcheck worker`, every attempt logged; admins
register endpoints (page and CLI) and send failed deliveries again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select, text

from factcheck import create_app
from factcheck.db import Database
from factcheck.models import DeliveryStatus, Event, Role, WebhookAttempt, WebhookDelivery
from factcheck.services import events, seeding, webhooks, workflow
from factcheck.services import users as user_service
from factcheck.services.errors import ValidationFailed

from .conftest import PASSWORD
from .helpers import WebClient
from .webhook_receiver import Receiver, verify

ROOT = Path(__file__).resolve().parents[1]


def test_signature_matches_the_standard_webhooks_test_vector():
    # The example of the Standard Webhooks specification (and its libraries' tests).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert webhooks.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_new_secret_is_whsec_and_32_random_bytes():
    import base64

    one, two = webhooks.new_secret(), webhooks.new_secret()
    assert one.startswith("whsec_") and one != two
    assert len(base64.b64decode(one.removeprefix("whsec_"))) == 32


def test_the_retry_schedule_doubles_and_stays_within_a_day():
    delays = webhooks.retry_delays(10)
    assert delays[:4] == [10, 20, 40, 80]
    assert max(delays) == 4 * 3600
    assert 20 * 3600 < sum(delays) <= 24 * 3600  # the last retry comes near the end of the day, not after it


@pytest.mark.parametrize("url", ["ftp://hooks.example/x", "javascript:alert(1)", "file:///etc/passwd", "hooks.example/x", ""])
def test_only_http_and_https_addresses_are_accepted(session, users, url):
    with pytest.raises(ValidationFailed) as raised:
        webhooks.register_endpoint(session, users["ada"].id, url, ["claim.taken"])
    assert "url" in raised.value.errors
    assert webhooks.post(url, b"{}", {}).error is not None  # and never posted to, should one be stored


def test_only_admins_manage_webhooks(session, users):
    from factcheck.services.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        webhooks.register_endpoint(session, users["eddie"].id, "https://hooks.example/x", ["claim.taken"])


def test_a_receiver_too_slow_to_answer_is_a_failed_attempt_within_the_time_limit(monkeypatch):
    monkeypatch.setattr(webhooks, "CONNECT_TIMEOUT", 0.3)
    with Receiver(delay=3) as receiver:
        receiver.secret = webhooks.new_secret()
        started = time.monotonic()
        answer = webhooks.post(receiver.url, b"{}", {"webhook-id": "x"})
        elapsed = time.monotonic() - started
    assert answer.status is None and "timed out" in answer.error.lower()
    assert elapsed < 2


def test_a_receiver_that_drips_its_answer_is_cut_off_at_the_total_time_limit(monkeypatch):
    """Each byte comes before the per-read timeout, so only the limit on the whole attempt stops it."""
    import socket
    import threading

    monkeypatch.setattr(webhooks, "CONNECT_TIMEOUT", 1.0)
    monkeypatch.setattr(webhooks, "TOTAL_TIMEOUT", 1.5)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip():
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not stop.is_set():
                    conn.sendall(b"a")
                    time.sleep(0.2)
            except OSError:
                pass

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        answer = webhooks.post(f"http://127.0.0.1:{listener.getsockname()[1]}/", b"{}", {})
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        listener.close()
    assert answer.status is None and "within 1.5 s" in answer.error
    assert 1.4 < elapsed < 3


# --- with a worker --------------------------------------------------------------------


@pytest.fixture
def desk(fresh_db_url):
    """A database of its own (real commits, seen by the worker) with seeds and users."""
    database = Database.from_url(fresh_db_url)
    with database.session() as session:
        seeding.seed(session)
        ids = {
            name: user_service.create_user(session, username=name, password=PASSWORD, role=role).id
            for name, role in (("rita", Role.REVIEWER), ("eddie", Role.EDITOR), ("ada", Role.ADMIN))
        }
        ids["claim"] = session.execute(text("SELECT min(id) FROM claims")).scalar_one()
    yield database, ids, fresh_db_url
    database.dispose()


@contextmanager
def running_worker(url: str, log_path: Path, *, retry_seconds: float = 0.2, stalled_after: float = 2.0):
    """`factcheck worker` as a deployment runs it, with a fast retry schedule; stopped with SIGTERM."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FACTCHECK_WEBHOOK_RETRY_SECONDS": str(retry_seconds),
        "FACTCHECK_LOG_LEVEL": "INFO",
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "factcheck.cli", "worker", "--poll", "0.1", "--stalled-after", str(stalled_after)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def job_lines(log_path: Path) -> list[dict]:
    lines = []
    for line in log_path.read_text().splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record["logger"] == "factcheck.job":
                lines.append(record)
    return lines


def _wait(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_change_reaches_the_endpoints_that_asked_for_it_signed_after_two_failures(desk, tmp_path):
    database, ids, url = desk
    with Receiver(fail_first=2) as receiver, Receiver() as bystander:
        with database.session() as session:
            made = webhooks.register_endpoint(session, ids["ada"], receiver.url, ["claim.taken", "claim.approved"])
            other = webhooks.register_endpoint(session, ids["ada"], bystander.url, ["claim.published"])
        receiver.secret, bystander.secret = made.secret, other.secret
        log_path = tmp_path / "worker.log"
        with running_worker(url, log_path):
            with database.session() as session:
                workflow.take_claim(session, ids["rita"], ids["claim"])
            assert receiver.wait_for(1), log_path.read_text()[-3000:]
        assert bystander.tries == {} and bystander.bad_signatures == 0  # it asked for other events

    with database.session() as session:
        event = session.execute(select(Event)).scalar_one()
        (body,) = receiver.accepted.values()
        assert list(receiver.accepted) == [str(event.id)]
        assert body["type"] == "claim.taken" and body["id"] == str(event.id)
        assert body["data"]["claim_id"] == ids["claim"] and body["data"]["actor_id"] == ids["rita"]
        assert receiver.tries[str(event.id)] == 3 and receiver.bad_signatures == 0 and receiver.duplicates == 0
        # Every attempt carried the same webhook-id, a fresh timestamp and a valid signature.
        assert {h["webhook-id"] for h in receiver.headers_seen} == {str(event.id)}

        delivery = session.execute(select(WebhookDelivery)).scalar_one()
        assert delivery.status == DeliveryStatus.DELIVERED.value and delivery.attempts == 3
        assert delivery.last_status_code == 200 and delivery.delivered_at is not None
        attempts = session.execute(select(WebhookAttempt).order_by(WebhookAttempt.id)).scalars().all()
        assert [a.status_code for a in attempts] == [500, 500, 200]
        assert [a.error for a in attempts] == ["HTTP 500 Internal Server Error"] * 2 + [None]
        assert all(a.duration_ms >= 0 for a in attempts)
        # Backoff: the second retry waited longer than the first (0.2 s, then 0.4 s).
        gaps = [(b.attempted_at - a.attempted_at).total_seconds() for a, b in zip(attempts, attempts[1:])]
        assert gaps[0] >= 0.2 and gaps[1] >= 0.4

    deliveries = [line for line in job_lines(log_path) if line["task"] == "factcheck:deliver_webhook"]
    assert [(line["attempt"], line["status"], line["http_status"]) for line in deliveries] == [
        (1, "retry", 500),
        (2, "retry", 500),
        (3, "succeeded", 200),
    ]
    assert all(line["event_id"] == str(event.id) and line["response_ms"] >= 0 for line in deliveries)


def test_two_workers_share_a_batch_and_send_each_event_once(desk, tmp_path):
    """Several worker processes on one queue: each job is taken by one of them."""
    from factcheck.models import EventType
    from factcheck.services.unit import unit_of_work

    database, ids, url = desk
    with Receiver(delay=0.05) as receiver:
        with database.session() as session:
            receiver.secret = webhooks.register_endpoint(session, ids["ada"], receiver.url, ["claim.taken"]).secret
        with running_worker(url, tmp_path / "one.log"), running_worker(url, tmp_path / "two.log"):
            # Both are listening before the batch arrives.
            assert _wait(lambda: _registered_workers(database) == 2)
            with database.session() as session:
                with unit_of_work(session):
                    queued = {str(events.emit(session, EventType.CLAIM_TAKEN, claim_id=n).id) for n in range(40)}
            assert receiver.wait_for(40), (tmp_path / "one.log").read_text()[-2000:]
    assert set(receiver.accepted) == queued
    assert receiver.duplicates == 0 and sum(receiver.tries.values()) == 40
    workers = {
        line["pid"] for name in ("one.log", "two.log") for line in job_lines(tmp_path / name)
        if line["task"] == "factcheck:deliver_webhook"
    }
    assert len(workers) == 2, "both processes took deliveries"


def _registered_workers(database: Database) -> int:
    with database.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM procrastinate_workers")).scalar_one()


def _admin_client(database: Database) -> WebClient:
    app = create_app({"TESTING": True, "DATABASE": database, "SECRET_KEY": "test-secret-key"})
    client = WebClient(app.test_client())
    client.get("/login")
    response = client.post("/login", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    client.forget_token()
    return client


def test_a_delivery_that_used_up_its_retries_is_listed_and_can_be_sent_again(desk, tmp_path):
    database, ids, url = desk
    with Receiver(fail_first=1) as receiver:
        with database.session() as session:
            made = webhooks.register_endpoint(session, ids["ada"], receiver.url, ["claim.taken"])
            workflow.take_claim(session, ids["rita"], ids["claim"])
            event_id = str(session.execute(select(Event.id)).scalar_one())
        receiver.secret = made.secret
        with database.session() as session:
            assert events.dispatch(session, event_id, email=False)["deliveries"] == 1
            assert events.dispatch(session, event_id, email=False)["repeat"]  # a second run queues nothing
            delivery_id = session.execute(select(WebhookDelivery.id)).scalar_one()
            # The last attempt of the schedule, failing (the receiver refuses each id's first try).
            with pytest.raises(webhooks.DeliveryFailed):
                webhooks.deliver(session, delivery_id, attempt=len(webhooks.retry_delays()))
            assert session.get(WebhookDelivery, delivery_id).status == DeliveryStatus.FAILED.value
            session.execute(text("DELETE FROM procrastinate_jobs"))  # as if the worker had run them all
            session.commit()

        admin = _admin_client(database)
        page = admin.get("/admin/webhooks/failures")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert event_id in html and "HTTP 500" in html and receiver.url in html
        response = admin.post(f"/admin/webhooks/deliveries/{delivery_id}/redeliver")
        assert response.status_code == 303
        again = admin.post(f"/admin/webhooks/deliveries/{delivery_id}/redeliver")
        assert again.status_code == 409  # already queued: not twice

        with running_worker(url, tmp_path / "worker.log"):
            assert receiver.wait_for(1), (tmp_path / "worker.log").read_text()[-3000:]
            assert _wait(lambda: _status(database, delivery_id) == DeliveryStatus.DELIVERED.value)
    assert list(receiver.accepted) == [event_id] and receiver.tries[event_id] == 2
    assert "No failed delivery" in admin.get("/admin/webhooks/failures").get_data(as_text=True)


def _status(database: Database, delivery_id: int) -> str:
    with database.session() as session:
        return session.get(WebhookDelivery, delivery_id).status


# --- the admin page and the command line -----------------------------------------------


def test_an_admin_registers_a_webhook_and_sees_its_secret_once(login):
    admin = login("ada")
    page = admin.get("/admin/webhooks")
    assert page.status_code == 200 and "New webhook" in page.get_data(as_text=True)
    response = admin.post(
        "/admin/webhooks",
        {"url": "https://hooks.example/desk", "description": "Slack bridge", "event_types": ["claim.approved", "claim.published"]},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    secret = html.split('id="new-secret" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("whsec_")
    listing = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "https://hooks.example/desk" in listing and "claim.approved, claim.published" in listing
    assert secret not in listing


@pytest.mark.parametrize(
    "data, message",
    [
        ({"url": "ftp://hooks.example/x", "event_types": ["claim.taken"]}, "Only http:// and https://"),
        ({"url": "https://hooks.example/x"}, "This field is required"),
        ({"url": "https://hooks.example/x", "event_types": ["claim.exploded"]}, "not a valid choice"),
    ],
)
def test_the_webhook_form_says_what_is_wrong_beside_the_field(login, data, message):
    response = login("ada").post("/admin/webhooks", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_editors_cannot_see_or_change_webhooks(login):
    editor = login("eddie")
    assert editor.get("/admin/webhooks").status_code == 403
    assert editor.get("/admin/webhooks/failures").status_code == 403
    assert editor.post("/admin/webhooks", {"url": "https://hooks.example/x", "event_types": ["claim.taken"]}).status_code == 403


def test_an_admin_removes_a_webhook(login, session, users):
    made = webhooks.register_endpoint(session, users["ada"].id, "https://hooks.example/old", ["claim.taken"])
    admin = login("ada")
    admin.get("/admin/webhooks")
    response = admin.post(f"/admin/webhooks/{made.endpoint.id}/remove")
    assert response.status_code == 303
    page = admin.get("/admin/webhooks").get_data(as_text=True)
    assert "Removed the webhook" in page and "<code>https://hooks.example/old</code>" not in page
    assert admin.post(f"/admin/webhooks/{made.endpoint.id}/remove").status_code == 404


def test_the_command_line_registers_lists_and_removes_webhooks(fresh_db_url):
    env = {**os.environ, "DATABASE_URL": fresh_db_url}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "factcheck.cli", "webhook", *args], env=env, capture_output=True, text=True, timeout=60
        )

    added = run("add", "https://hooks.example/cms", "--event", "claim.published", "--event", "claim.unpublished")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip().startswith("whsec_")  # the secret alone on stdout, for a script to keep
    listed = run("list")
    assert "https://hooks.example/cms" in listed.stdout and "whsec_" not in listed.stdout
    refused = run("add", "gopher://hooks.example/", "--event", "all")
    assert refused.returncode != 0 and "http://" in refused.stderr
    endpoint_id = listed.stdout.split()[0].lstrip("#")
    assert run("remove", endpoint_id).returncode == 0
    assert "hooks.example" not in run("list").stdout


